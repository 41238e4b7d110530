"""The caller pop-up (来电弹屏): a second process hands a number to the running app over the
local socket, and the caller's card comes up."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app import cli
from app.domain.customers import Tier, Title
from app.domain.roles import Actor, Role
from app.paths import AppPaths
from app.services import Services
from app.services.calls import CallInput
from app.services.customers import CustomerInput, PhoneInput, UnitInput
from app.settings import LocalSettings
from ui.application import AppController
from ui.caller_popup import CallerPopup
from ui.context import UiContext
from ui.main_window import MainWindow
from ui.single_instance import InstanceServer

pytestmark = [pytest.mark.gui, pytest.mark.usefixtures("chinese_ui")]
ROOT = Path(__file__).resolve().parent.parent




@pytest.fixture
def desk(qtbot: QtBot, paths: AppPaths, services: Services, admin: Actor) -> Iterator[MainWindow]:
    """A signed-in operator's window, listening like the real app does."""
    services.users.add_user(admin, "kf01", "王芳", Role.OPERATOR, "secret1")
    operator = services.users.authenticate("kf01", "secret1")
    window = MainWindow(UiContext(paths, LocalSettings(paths.settings_file), services), operator)
    qtbot.addWidget(window)
    window.show()
    server = InstanceServer(paths)
    assert server.listen()
    server.incoming_call.connect(window.show_incoming)
    yield window
    server.close()


def hand_over(*args: str) -> subprocess.Popen[str]:
    """``calldesk incoming-call …`` in a second process, as a softphone runs it."""
    return subprocess.Popen([sys.executable, "-m", "app", "incoming-call", *args], cwd=ROOT,
                            env=os.environ.copy(), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def popup_of(window: MainWindow) -> CallerPopup | None:
    return window.popup


def test_a_vip_caller_pops_up_from_a_second_process(qtbot: QtBot, desk: MainWindow,
                                                    services: Services, admin: Actor) -> None:
    customer = services.customers.create(admin, CustomerInput(
        name="张三", title=Title.MR,
        phones=[PhoneInput("13800138000")], units=[UnitInput("3-2-1502")], tier=Tier.VIP))
    services.calls.log(admin, CallInput(phone="13800138000", missed=True))
    process = hand_over("+86 138 0013 8000")
    qtbot.waitUntil(lambda: popup_of(desk) is not None, timeout=15_000)
    assert process.wait(timeout=15) == 0
    popup = popup_of(desk)
    assert popup is not None
    assert "张先生" in popup.heading.text() and "VIP/重点" in popup.heading.text()
    assert "3栋2单元1502" in popup.units.text()
    assert popup.pending.count() == 1 and popup.recent.count() == 1  # the missed call
    qtbot.keyClick(popup.start_button, Qt.Key.Key_Return)  # one key starts logging it
    panel = desk.calls.panel
    assert desk.tabs.currentWidget() is desk.calls
    assert panel.customer is not None and panel.customer.id == customer.id
    assert panel.unit.currentText() == "3栋2单元1502"
    assert panel.clock.isValid()


def test_a_blacklisted_caller_is_warned_not_refused(qtbot: QtBot, desk: MainWindow,
                                                     services: Services, admin: Actor) -> None:
    services.customers.create(admin, CustomerInput(
        name="李四", phones=[PhoneInput("13912345678")], tier=Tier.BLACKLIST))
    desk.show_incoming("13912345678")
    qtbot.waitUntil(lambda: popup_of(desk) is not None)
    popup = popup_of(desk)
    assert popup is not None
    assert "黑名单" in popup.heading.text()
    assert "保持礼貌" in popup.warning.text()
    assert popup.start_button.isEnabled()


def test_an_unknown_number_offers_a_new_card(qtbot: QtBot, desk: MainWindow) -> None:
    desk.show_incoming("13700001111")
    qtbot.waitUntil(lambda: popup_of(desk) is not None)
    popup = popup_of(desk)
    assert popup is not None
    assert "陌生号码" in popup.heading.text()
    assert popup.card_button.text() == "新建资料卡(&C)…"


def test_a_missed_call_handed_over_becomes_a_callback(qtbot: QtBot, desk: MainWindow,
                                                      services: Services) -> None:
    process = hand_over("13700001111", "--missed")
    qtbot.waitUntil(lambda: services.calls.pending_callbacks() == 1, timeout=15_000)
    assert process.wait(timeout=15) == 0
    row = services.calls.list().rows[0]
    assert row.missed and row.operator_name == "王芳"


def test_with_nobody_at_the_desk_a_missed_call_waits_in_the_database(
        capsys: pytest.CaptureFixture[str], services: Services) -> None:
    # No app listens here; the command line logs it itself (into the data folder's database).
    assert cli.main(["incoming-call", "13700001111", "--missed"]) == 0
    assert "回拨" in capsys.readouterr().out
    from app.bootstrap import database_url, open_database
    from app.paths import resolve_paths
    from app.services.calls import CallService

    db = open_database(database_url(resolve_paths()), resolve_paths()).db
    assert CallService(db).pending_callbacks() == 1
    db.dispose()


def test_a_call_handed_over_before_sign_in_pops_up_after_it(qtbot: QtBot, paths: AppPaths,
                                                            monkeypatch: pytest.MonkeyPatch
                                                            ) -> None:
    monkeypatch.setattr(QApplication, "quit", lambda *a: None)
    controller = AppController(paths, LocalSettings(paths.settings_file))
    controller.incoming_call("13800138000", False)
    assert controller.pending_calls == [("13800138000", False)]
