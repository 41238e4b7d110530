"""Ctrl+K: one box that finds customers (name, pinyin initials, a number however typed, a
unit), complaints (number, what they are about) and calls (what was said, the number that
rang), grouped by kind, each opening where it lives; the same from ``calldesk search``."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app import clock
from app.bootstrap import database_url, open_database
from app.domain.calls import CallType, Outcome
from app.domain.complaints import Category
from app.domain.roles import Actor
from app.paths import AppPaths
from app.services import Services
from app.services.calls import CallInput
from app.services.complaints import ComplaintInput
from app.services.customers import CustomerInput, PhoneInput, UnitInput
from app.services.global_search import HitKind
from tests.test_cli import run_cli
from tests.test_complaints_gui import in_modal, key, no_failures_in_dialogs, open_window  # noqa: F401


@pytest.fixture
def desk(services: Services, admin: Actor) -> dict[str, int]:
    """张三 (3-2-1502) with a complaint, 李四, a call about 停水 from an unknown number."""
    zhang = services.customers.create(admin, CustomerInput(
        name="张三", phones=[PhoneInput("13800138000")], units=[UnitInput("3-2-1502")]))
    li = services.customers.create(admin, CustomerInput(
        name="李四", phones=[PhoneInput("13700001111")], units=[UnitInput("5-1-301")]))
    complaint = services.complaints.create(admin, ComplaintInput(
        category=Category.NOISE, description="楼上装修噪音", customer_id=zhang.id,
        unit_id=zhang.units[0].id))
    call = services.calls.log(admin, CallInput(
        phone="02866001234", call_type=CallType.INQUIRY, outcome=Outcome.SOLVED,
        summary="3栋停水什么时候恢复", received_at=clock.utcnow() - timedelta(hours=1)))
    return {"zhang": zhang.id, "li": li.id, "complaint": complaint.row.id, "call": call.id}


def kinds_and_ids(services: Services, text: str) -> list[tuple[HitKind, int]]:
    return [(hit.kind, hit.id) for hit in services.search.search(text)]


def test_each_kind_of_key_finds_its_record(services: Services, desk: dict[str, int]) -> None:
    zhang, complaint, call = desk["zhang"], desk["complaint"], desk["call"]
    number = services.complaints.get(complaint).row.number
    assert (HitKind.CUSTOMER, zhang) in kinds_and_ids(services, "张三")
    assert kinds_and_ids(services, "zs")[0] == (HitKind.CUSTOMER, zhang)  # pinyin initials
    for typed in ("138 0013 8000", "+86 138-0013-8000", "8000"):
        assert kinds_and_ids(services, typed)[0] == (HitKind.CUSTOMER, zhang), typed
    assert kinds_and_ids(services, "3-2-1502")[0] == (HitKind.CUSTOMER, zhang)
    assert (HitKind.COMPLAINT, complaint) in kinds_and_ids(services, number)
    assert (HitKind.COMPLAINT, complaint) in kinds_and_ids(services, number[-7:].lower())
    assert kinds_and_ids(services, "装修噪音") == [(HitKind.COMPLAINT, complaint)]
    assert kinds_and_ids(services, "停水") == [(HitKind.CALL, call)]
    assert (HitKind.CALL, call) in kinds_and_ids(services, "66001234")  # no card has it
    hit = services.search.search("停水")[0]
    assert "3栋停水" in hit.subtitle and "028" in hit.title.replace(" ", "")


def test_customers_come_first_then_complaints_then_calls(
        services: Services, admin: Actor, desk: dict[str, int]) -> None:
    services.calls.log(admin, CallInput(phone="13800138000", customer_id=desk["zhang"],
                                        call_type=CallType.INQUIRY, outcome=Outcome.SOLVED,
                                        summary="张三问装修时间"))
    kinds = [kind for kind, _ in kinds_and_ids(services, "张三")]
    assert kinds == sorted(kinds, key=[HitKind.CUSTOMER, HitKind.COMPLAINT,
                                       HitKind.CALL].index)
    assert set(kinds) == {HitKind.CUSTOMER, HitKind.COMPLAINT, HitKind.CALL}
    for kind in HitKind:
        assert kinds.count(kind) <= 5


def test_short_or_hostile_keys_find_nothing_and_break_nothing(
        services: Services, desk: dict[str, int]) -> None:
    assert services.search.search("") == [] and services.search.search("张") == []
    assert services.search.search("  a ") == []
    # A NUL pasted in is dropped, not sent to the database (PostgreSQL refuses it).
    assert kinds_and_ids(services, "张\x00三")[0] == (HitKind.CUSTOMER, desk["zhang"])
    assert services.search.search("%%") == [] and services.search.search("__") == []


def test_the_command_line_prints_the_hits(capsys: pytest.CaptureFixture[str],
                                          paths: AppPaths) -> None:
    db = open_database(database_url(paths), paths).db
    services = Services.open(db)
    admin = services.users.complete_setup("阳光花园物业服务中心", "admin", "李主任", "admin-pass-1")
    zhang = services.customers.create(admin, CustomerInput(
        name="张三", phones=[PhoneInput("13800138000")], units=[UnitInput("3-2-1502")]))
    services.complaints.create(admin, ComplaintInput(
        category=Category.NOISE, description="张三家楼上装修", customer_id=zhang.id))
    db.dispose()
    code, out, _ = run_cli(capsys, "search", "张三", "--json")
    assert code == 0
    hits = json.loads(out)["hits"]
    assert hits[0] == {"kind": "customer", "id": zhang.id, "title": "张三",
                       "subtitle": "138 0013 8000  3栋2单元1502"}
    assert [h["kind"] for h in hits] == ["customer", "complaint"]
    code, out, _ = run_cli(capsys, "--lang", "en", "search", "没有的人")
    assert code == 0 and out.strip() == "Nothing found."
    code, out, _ = run_cli(capsys, "search", "zs")
    assert code == 0 and out.splitlines()[0].startswith("客户  张三")


@pytest.mark.gui
@pytest.mark.usefixtures("chinese_ui")
def test_ctrl_k_from_any_tab_finds_and_enter_opens_the_card(
        qtbot: QtBot, paths: AppPaths, services: Services, operator: Actor,
        desk: dict[str, int], monkeypatch: pytest.MonkeyPatch) -> None:
    window = open_window(qtbot, paths, services, operator)
    window.tabs.setCurrentWidget(window.reports)
    key(qtbot, "Ctrl+K")
    box = window.search_box
    assert QApplication.focusWidget() is box
    qtbot.keyClicks(box, "zs")
    qtbot.waitUntil(lambda: box.hits_for == "zs")
    assert box.hits, box.hits
    qtbot.waitUntil(lambda: box.completer.popup().isVisible())
    popup = box.completer.popup()
    texts = [box.results.item(r).text() for r in range(box.results.rowCount())]
    assert texts[0] == "客户" and "张三" in texts[1], texts
    opened: list[int] = []
    monkeypatch.setattr(window.customers, "open_card", opened.append)  # the card: its tests
    qtbot.keyClick(popup, Qt.Key.Key_Down)  # past 张三 to the next hit, the call
    qtbot.keyClick(popup, Qt.Key.Key_Up)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert opened == [desk["zhang"]]
    assert window.tabs.currentWidget() is window.customers
    assert not popup.isVisible()


@pytest.mark.gui
@pytest.mark.usefixtures("chinese_ui")
def test_enter_before_the_hits_show_opens_the_first_complaint(
        qtbot: QtBot, paths: AppPaths, services: Services, operator: Actor,
        desk: dict[str, int]) -> None:
    number = services.complaints.get(desk["complaint"]).row.number
    window = open_window(qtbot, paths, services, operator)
    window.search_box.focus()
    qtbot.keyClicks(window.search_box, number)
    qtbot.keyClick(window.search_box, Qt.Key.Key_Return)  # at once, before the pause ends
    qtbot.waitUntil(lambda: window.tabs.currentWidget() is window.complaints)
    qtbot.waitUntil(lambda: window.complaints.detail is not None
                    and window.complaints.detail.row.id == desk["complaint"])
    # Nothing found: said in the list, nothing opens.
    window.search_box.focus()
    qtbot.keyClicks(window.search_box, "qqxx")  # keyClicks types Latin letters only
    qtbot.waitUntil(lambda: window.search_box.hits_for == "qqxx")
    assert window.search_box.results.item(0).text() == "没有找到“qqxx”"
    assert window.search_box.hits == []
