"""今日, the home tab's board: each part holds what it says for the signed-in role (hand
counts on known data), each line opens its item, and the board reads itself again as work
is done."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidget
from pytestqt.qtbot import QtBot

from app import clock
from app.domain.calls import CallbackReason, CallType, Outcome, Satisfaction
from app.domain.complaints import Category, Severity
from app.domain.roles import Actor, Role
from app.paths import AppPaths
from app.services import Services
from app.services.callbacks import CallbackFilter, Outcome_, Queue
from app.services.calls import CallInput
from app.services.complaints import ComplaintInput
from tests.callback_setup import resolved_complaint
from tests.test_complaints_gui import (
    no_failures_in_dialogs,  # noqa: F401
    open_window,
)


@pytest.fixture
def colleague(services: Services, admin: Actor) -> Actor:
    services.users.add_user(admin, "kf02", "赵敏", Role.OPERATOR, "secret2")
    return services.users.authenticate("kf02", "secret2")


def _day(services: Services, admin: Actor, operator: Actor, colleague: Actor,
         monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """A desk's day: a resolved complaint whose 回访 is due (the desk's), a callback the
    colleague set for herself, one the operator set, a missed call, an urgent complaint of
    工程部 gone overdue, and four inbound calls today (two solved)."""
    complaint_callback = resolved_complaint(services, admin, monkeypatch)
    soon = clock.utcnow()
    theirs = services.callbacks.schedule(colleague, due_at=soon + timedelta(minutes=1),
                                         phone="13600002222", customer_id=None, call_id=None,
                                         note="赵敏的").id
    mine = services.callbacks.schedule(operator, due_at=soon + timedelta(minutes=2),
                                       phone="13600003333", customer_id=None, call_id=None,
                                       note="王芳的").id
    _later(monkeypatch, 0.1)  # six minutes on: both are due
    services.calls.log(operator, CallInput(phone="13700001111", missed=True,
                                           received_at=clock.utcnow() - timedelta(hours=2)))
    late = services.complaints.create(admin, ComplaintInput(
        category=Category.REPAIRS, severity=Severity.URGENT, description="电梯困人",
        phone="13500005555", department_id=1))
    for summary, outcome in (("问停车", Outcome.SOLVED), ("问快递", Outcome.SOLVED),
                             ("报修水管", Outcome.DISPATCHED), ("投诉噪音", Outcome.COMPLAINT)):
        services.calls.log(operator, CallInput(
            phone="13800138000", call_type=CallType.INQUIRY, outcome=outcome,
            department_id=1 if outcome == Outcome.DISPATCHED else None, summary=summary))
    return {"complaint": complaint_callback, "theirs": theirs, "mine": mine,
            "late": late.row.id}


def _later(monkeypatch: pytest.MonkeyPatch, hours: float) -> None:
    later = clock.utcnow() + timedelta(hours=hours)
    monkeypatch.setattr(clock, "utcnow", lambda: later)


def test_an_operator_sees_theirs_and_the_desks_a_supervisor_sees_all(
        services: Services, admin: Actor, operator: Actor, colleague: Actor,
        monkeypatch: pytest.MonkeyPatch) -> None:
    day = _day(services, admin, operator, colleague, monkeypatch)
    complaint_task = next(r.id for r in services.callbacks.list(CallbackFilter(Queue.ALL)).rows
                          if r.complaint_id == day["complaint"])
    board = services.today.board(operator)
    assert board.mine_only
    due = {r.id for r in board.callbacks_due.rows}
    assert due == {day["mine"], complaint_task}  # not 赵敏's, not the missed call
    assert board.callbacks_due.total == 2
    missed = board.missed_calls.rows
    assert [r.reason for r in missed] == [CallbackReason.MISSED_CALL]
    assert board.missed_calls.total == 1
    assert (board.calls_answered, board.calls_missed) == (4, 1)
    assert board.first_call_resolution == pytest.approx(2 / 4)

    everyone = services.today.board(admin)
    assert not everyone.mine_only
    assert {r.id for r in everyone.callbacks_due.rows} == {day["mine"], day["theirs"],
                                                           complaint_task}


def test_complaints_late_and_nearly_late_are_counted_by_department(
        services: Services, admin: Actor, operator: Actor, colleague: Actor,
        monkeypatch: pytest.MonkeyPatch) -> None:
    day = _day(services, admin, operator, colleague, monkeypatch)
    board = services.today.board(operator)
    assert day["late"] not in {r.id for r in board.complaints_overdue.rows}
    _later(monkeypatch, 24 * 7)  # a week on, the urgent one is long overdue
    board = services.today.board(operator)
    assert day["late"] in {r.id for r in board.complaints_overdue.rows}
    assert board.complaints_overdue.total == len(board.complaints_overdue.rows) == 1
    department = services.complaints.get(day["late"]).row.department_name
    assert board.overdue_by_department == {department: 1}


def test_a_callback_done_leaves_the_board(services: Services, admin: Actor, operator: Actor,
                                          colleague: Actor,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    day = _day(services, admin, operator, colleague, monkeypatch)
    services.callbacks.record(operator, day["mine"], Outcome_(reached=True, comment="好的"))
    board = services.today.board(operator)
    assert day["mine"] not in {r.id for r in board.callbacks_due.rows}
    assert board.callbacks_due.total == 1


@pytest.mark.gui
@pytest.mark.usefixtures("chinese_ui")
def test_the_home_tab_shows_the_board_and_a_line_opens_its_item(
        qtbot: QtBot, paths: AppPaths, services: Services, admin: Actor, operator: Actor,
        colleague: Actor, monkeypatch: pytest.MonkeyPatch) -> None:
    day = _day(services, admin, operator, colleague, monkeypatch)
    window = open_window(qtbot, paths, services, operator)
    board = window.home.board
    assert window.tabs.currentWidget() is window.home
    qtbot.waitUntil(lambda: board.board is not None)
    assert board.callbacks.title() == "我的回访待办（2）"
    assert board.missed.title() == "待回拨的未接来电（1）"
    assert "接听 4 个" in board.figures.text() and "50%" in board.figures.text()
    listed = board.findChild(QListWidget, "todayCallbacksList")
    assert listed.count() == 2
    # 王芳 does her own callback from the board's line: it leaves the board.
    opened: list[int] = []
    monkeypatch.setattr(window.callbacks, "open_callback",
                        lambda callback_id, on_call=False: opened.append(callback_id))
    row = next(i for i in range(listed.count())
               if listed.item(i).data(Qt.ItemDataRole.UserRole) == day["mine"])
    listed.setCurrentRow(row)
    listed.setFocus()
    qtbot.keyClick(listed, Qt.Key.Key_Return)
    assert opened == [day["mine"]]
    services.callbacks.record(operator, day["mine"], Outcome_(
        reached=True, satisfaction=Satisfaction.SATISFIED))
    window.callbacks.changed.emit()  # as the callback dialog does after saving
    qtbot.waitUntil(lambda: board.callbacks.title() == "我的回访待办（1）")
