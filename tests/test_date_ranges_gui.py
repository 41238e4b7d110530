"""A From date after the To date would give an empty list without a word: every list with
a date range says so next to its dates, and neither the list nor an export is asked for."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QCoreApplication, QDate
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.domain.calls import CallType, Outcome
from app.domain.complaints import Category
from app.domain.roles import Actor, Role
from app.paths import AppPaths
from app.services import Services
from app.services.calls import CallInput
from app.services.complaints import ComplaintInput
from app.settings import LocalSettings
from tests.test_validation_messages_gui import check_sentence
from ui.context import UiContext
from ui.main_window import MainWindow

pytestmark = pytest.mark.gui


@pytest.fixture(params=["zh_CN", "en"])
def language(request: pytest.FixtureRequest, qapp) -> Iterator[str]:  # noqa: ANN001
    from ui import operations, translations

    installed = translations.install(qapp, request.param)
    yield request.param
    operations.wait_for_all()
    QCoreApplication.processEvents()
    for translator in installed:
        qapp.removeTranslator(translator)


@pytest.fixture
def window(qtbot: QtBot, language: str, paths: AppPaths, services: Services,
           admin: Actor) -> MainWindow:
    services.users.add_user(admin, "kf01", "王芳", Role.OPERATOR, "secret1")
    operator = services.users.authenticate("kf01", "secret1")
    services.calls.log(operator, CallInput(phone="13800138000", call_type=CallType.INQUIRY,
                                           outcome=Outcome.SOLVED, summary="问停车费"))
    services.complaints.create(operator, ComplaintInput(
        category=Category.CLEANING, description="楼道垃圾没人清", phone="13912345678"))
    window = MainWindow(UiContext(paths, LocalSettings(paths.settings_file), services), operator)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window or window.isVisible())
    return window


@pytest.mark.parametrize("tab_name", ["calls", "complaints"])
def test_dates_in_the_wrong_order_are_said_and_not_searched(
        qtbot: QtBot, language: str, window: MainWindow, tab_name: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from ui import list_export

    tab = getattr(window, tab_name)
    window.tabs.setCurrentWidget(tab)
    if tab_name == "complaints":
        tab.dates_check.setChecked(True)
    searched: list[object] = []
    exported: list[object] = []
    qtbot.waitUntil(lambda: tab.model.total > 0 and not tab.model.is_loading())
    monkeypatch.setattr(tab.model, "search", searched.append)
    monkeypatch.setattr(list_export, "export_list", lambda *a, **k: exported.append(a))

    tab.start_date.setDate(QDate(2026, 3, 20))
    tab.end_date.setDate(QDate(2026, 3, 10))
    tab.reload()
    assert tab.model.rowCount() == 0  # no stale rows under the message
    message = tab.dates.message
    assert message.isVisible()
    assert "2026-03-20" in message.text() and "2026-03-10" in message.text()
    check_sentence(language, message.objectName(), message.text())
    assert searched == []
    tab.export()
    assert exported == []

    tab.start_date.setDate(QDate(2026, 3, 10))
    tab.reload()
    assert not message.isVisible()
    assert len(searched) == 1
    assert searched[0].start == QDate(2026, 3, 10).toPython()


def test_unused_complaint_dates_in_any_order_say_nothing(
        qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    tab = window.complaints
    searched: list[object] = []
    monkeypatch.setattr(tab.model, "search", searched.append)
    tab.start_date.setDate(QDate(2026, 3, 20))
    tab.end_date.setDate(QDate(2026, 3, 10))
    tab.reload()
    assert not tab.dates.message.isVisibleTo(tab)
    assert len(searched) == 1 and searched[0].start is None
