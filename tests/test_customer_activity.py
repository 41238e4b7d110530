"""The card's 往来记录: every call, complaint and callback of one customer, newest first, one
line per callback (its dialled calls are not listed again), a page at a time."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QTableView
from pytestqt.qtbot import QtBot

from app import clock
from app.domain.calls import CallType, Outcome, Satisfaction
from app.domain.roles import Actor
from app.services import Services
from app.services.callbacks import CallbackFilter, Outcome_, Queue
from app.services.calls import CallInput
from app.services.customer_activity import ActivityKind
from app.services.customers import CustomerInput, PhoneInput
from tests.callback_setup import resolved_complaint
from ui import operations
from ui.customer_activity_model import ActivityTableModel
from ui.customer_dialog import CustomerDialog


def _callback_done(services: Services, admin: Actor, monkeypatch: pytest.MonkeyPatch
                   ) -> tuple[int, int]:
    """王秀英: her complaint (with its registering call), two calls of her own, a try at the
    callback that did not reach her and one that did. The card's and the complaint's ids."""
    complaint_id = resolved_complaint(services, admin, monkeypatch)
    card_id = services.complaints.get(complaint_id).row.customer_id
    start = clock.utcnow()
    for minutes, (kind, summary) in enumerate([(CallType.INQUIRY, "问物业费"),
                                               (CallType.REPAIR, "阳台漏水")], start=1):
        services.calls.log(admin, CallInput(
            phone="13912345678", customer_id=card_id, call_type=kind, summary=summary,
            outcome=Outcome.SOLVED, duration_seconds=65,
            received_at=start - timedelta(hours=3 - minutes)))
    task = services.callbacks.list(CallbackFilter(Queue.ALL)).rows[0].id
    services.callbacks.record(admin, task, Outcome_(reached=False, duration_seconds=20))
    services.callbacks.record(admin, task, Outcome_(
        reached=True, satisfaction=Satisfaction.SATISFIED, comment="很满意",
        duration_seconds=90))
    return card_id, complaint_id


def test_everything_the_customer_did_newest_first_one_line_per_callback(
        services: Services, admin: Actor, monkeypatch: pytest.MonkeyPatch) -> None:
    card_id, complaint_id = _callback_done(services, admin, monkeypatch)
    other = services.customers.create(admin, CustomerInput(
        name="李四", phones=[PhoneInput("13700001111")]))
    services.calls.log(admin, CallInput(phone="13700001111", customer_id=other.id,
                                        summary="别人的电话",
                                        call_type=CallType.INQUIRY, outcome=Outcome.SOLVED))
    page = services.activity.page(card_id)
    kinds = [row.kind for row in page.rows]
    # The callback (done last), her two calls, the complaint: its two dialled calls are
    # the callback's line, and 李四's call is not hers.
    assert kinds == [ActivityKind.CALLBACK, ActivityKind.CALL, ActivityKind.CALL,
                     ActivityKind.COMPLAINT], kinds
    assert page.total == 4
    callback, repair, inquiry, complaint = page.rows
    number = services.complaints.get(complaint_id).row.number
    assert number in callback.subject and callback.detail == "很满意"
    assert "2" in callback.state and Satisfaction.SATISFIED.label in callback.state
    assert repair.detail == "阳台漏水" and CallType.REPAIR.label in repair.subject
    assert "01:05" in repair.state  # the call's length
    assert inquiry.detail == "问物业费"
    assert complaint.subject.startswith(number) and complaint.complaint_id == complaint_id
    assert [row.at for row in page.rows] == sorted((row.at for row in page.rows),
                                                  reverse=True)
    assert {row.user_name for row in page.rows} == {admin.display_name}


def test_the_list_is_read_a_page_at_a_time(services: Services, admin: Actor) -> None:
    card = services.customers.create(admin, CustomerInput(
        name="张三", phones=[PhoneInput("13800138000")]))
    start = clock.utcnow() - timedelta(days=1)
    for n in range(7):
        services.calls.log(admin, CallInput(phone="13800138000", customer_id=card.id,
                                            summary=f"第{n}通", call_type=CallType.INQUIRY,
                                            outcome=Outcome.SOLVED, received_at=start
                                            + timedelta(minutes=n)))
    first = services.activity.page(card.id, 0, 3)
    second = services.activity.page(card.id, 3, 3, count=False)
    last = services.activity.page(card.id, 6, 3, count=False)
    assert first.total == 7 and second.total == -1
    summaries = [r.detail for r in first.rows + second.rows + last.rows]
    assert summaries == [f"第{n}通" for n in range(6, -1, -1)]
    assert services.activity.page(card.id, 7, 3).rows == []


def test_a_missed_call_reads_as_missed(services: Services, admin: Actor) -> None:
    card = services.customers.create(admin, CustomerInput(
        name="张三", phones=[PhoneInput("13800138000")]))
    services.calls.log(admin, CallInput(phone="13800138000", customer_id=card.id,
                                        missed=True))
    kinds = [(r.kind, r.subject) for r in services.activity.page(card.id).rows]
    assert (ActivityKind.CALL, "Missed call") in kinds or \
        (ActivityKind.CALL, "未接来电") in kinds
    # The missed call's own callback (回拨) is a line of its own.
    assert ActivityKind.CALLBACK in {kind for kind, _ in kinds}


def test_the_activity_model_is_a_proper_model(qtmodeltester, qtbot: QtBot,  # noqa: ANN001
                                              services: Services, admin: Actor,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    card_id, _ = _callback_done(services, admin, monkeypatch)
    model = ActivityTableModel(services.activity.page)
    with qtbot.waitSignal(model.loaded):
        model.search(card_id)
    assert model.rowCount() == 4
    qtmodeltester.check(model)


@pytest.mark.gui
@pytest.mark.usefixtures("chinese_ui")
def test_the_card_lists_everything_and_opens_a_complaint_from_it(
        qtbot: QtBot, services: Services, admin: Actor,
        monkeypatch: pytest.MonkeyPatch) -> None:
    card_id, complaint_id = _callback_done(services, admin, monkeypatch)
    dialog = CustomerDialog(services, admin, services.customers.get(card_id))
    qtbot.addWidget(dialog)
    dialog.show()
    table = dialog.findChild(QTableView, "customerActivityTable")
    qtbot.waitUntil(lambda: table.model().rowCount() == 4)
    tab = dialog.pages.indexOf(table)
    assert tab == 1 and dialog.pages.tabText(tab) == "全部往来(&A) (4)"
    texts = [table.model().index(r, 1).data() for r in range(4)]
    assert texts == ["回访", "通话", "通话", "投诉"], texts
    assert table.model().index(1, 2).data() == "报修"  # inbound, the usual: just its kind
    qtbot.keyClick(dialog.pages, Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)
    assert dialog.pages.currentWidget() is table
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: QMessageBox.StandardButton.Yes)
    table.setFocus()
    table.setCurrentIndex(table.model().index(3, 0))
    qtbot.keyClick(table, Qt.Key.Key_Return)
    assert dialog.wanted_complaint == complaint_id
    operations.wait_for_all()
