"""交接班: the shift comes from the centre's shift changes; the draft holds the shift's open
work (known data, hand counts); the handover is kept as it was, shown to the next operator
on the board until they take it over; the same from ``calldesk handover show``."""

from __future__ import annotations

import json
from datetime import date, datetime, time

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app import clock
from app.bootstrap import database_url, open_database
from app.domain.complaints import Category, Urgency
from app.domain.roles import Actor, Role
from app.errors import CallDeskError, ValidationError
from app.paths import AppPaths
from app.services import Services
from app.services.calls import CallInput
from app.services.complaints import ComplaintFilter, ComplaintInput
from app.services.handover import Section, parse_shift_changes, shift_at
from app.settings import SHIFT_CHANGES
from tests.test_cli import run_cli
from tests.test_complaints_gui import in_modal, key, no_failures_in_dialogs, open_window  # noqa: F401


def local(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 12, day, hour, minute).astimezone()


@pytest.fixture
def next_operator(services: Services, admin: Actor) -> Actor:
    services.users.add_user(admin, "kf02", "赵敏", Role.OPERATOR, "secret2")
    return services.users.authenticate("kf02", "secret2")


def test_the_shift_is_read_off_the_shift_changes() -> None:
    changes = [time(8), time(16)]
    day = shift_at(changes, local(3, 10))
    assert (day.start, day.end) == (local(3, 8), local(3, 16))
    evening = shift_at(changes, local(3, 20))
    assert (evening.start, evening.end) == (local(3, 16), local(4, 8))
    night = shift_at(changes, local(4, 3))  # after midnight: still the evening's shift
    assert (night.start, night.end) == (local(3, 16), local(4, 8))
    three = shift_at([time(0), time(8), time(16)], local(3, 23, 59))
    assert (three.start, three.end) == (local(3, 16), local(4, 0))
    assert parse_shift_changes(" 08:00，16:00 ") == changes  # a Chinese comma too
    for bad in ("8点", "16:00,08:00", "08:00,08:00", ""):
        with pytest.raises(ValidationError):
            parse_shift_changes(bad)


def test_the_draft_holds_the_shifts_open_work(services: Services, admin: Actor,
                                              operator: Actor) -> None:
    with clock.running_from(local(2, 9)):
        noise = services.complaints.create(operator, ComplaintInput(
            category=Category.NOISE, description="楼上装修", phone="13800138000"))
        done = services.complaints.create(operator, ComplaintInput(
            category=Category.FEES, description="多收费", phone="13800138001"))
        services.complaints.cancel(admin, done.row.id, "重复登记")  # closed: not carried on
        services.calls.log(operator, CallInput(phone="13700001111", missed=True))
    with clock.running_from(local(1, 9)):  # the day before: not this shift's work
        services.complaints.create(operator, ComplaintInput(
            category=Category.CLEANING, description="垃圾", phone="13800138002"))
    with clock.running_from(local(2, 15, 30)):
        draft = services.handovers.draft(operator)
        assert draft.shift.start == local(2, 8) and draft.shift.end == local(2, 16)
        open_forms = [line.id for line in draft.sections[Section.OPEN_FORMS]]
        assert open_forms == [noise.row.id]
        assert noise.row.number in draft.sections[Section.OPEN_FORMS][0].text
        missed = draft.sections[Section.MISSED_CALLS]
        assert len(missed) == 1 and "137 0000 1111" in missed[0].text
        # Overdue: what the complaints list calls overdue (the response deadlines of the
        # morning's and yesterday's open complaints have passed; the cancelled one is none).
        overdue = {line.id for line in draft.sections[Section.OVERDUE]}
        listed = {r.id for r in services.complaints.list(
            ComplaintFilter(urgency=Urgency.OVERDUE)).rows}
        assert overdue == listed and noise.row.id in overdue and done.row.id not in overdue


def test_a_handover_is_kept_shown_to_the_next_operator_and_taken_over_once(
        services: Services, admin: Actor, operator: Actor, next_operator: Actor) -> None:
    services.settings.set_many(admin, {SHIFT_CHANGES: "07:30,15:30,23:30"})
    with clock.running_from(local(2, 15, 20)):
        services.calls.log(operator, CallInput(phone="13700001111", missed=True))
        with pytest.raises(ValidationError):
            services.handovers.hand_over(operator, "长" * 5000)
        row = services.handovers.hand_over(operator, "  3栋电梯维保到 15:00  ")
    assert row.notes == "3栋电梯维保到 15:00" and row.from_user == "王芳"
    assert (row.shift.start, row.shift.end) == (local(2, 7, 30), local(2, 15, 30))
    assert len(row.sections[Section.MISSED_CALLS]) == 1
    with clock.running_from(local(2, 15, 40)):
        # The work moves on; the handover stays as it was handed over.
        services.calls.log(operator, CallInput(phone="13700002222", missed=True))
        assert services.handovers.waiting_for(operator) is None  # not one's own
        waiting = services.handovers.waiting_for(next_operator)
        assert waiting is not None and waiting.id == row.id
        assert len(waiting.sections[Section.MISSED_CALLS]) == 1
        taken = services.handovers.acknowledge(next_operator, row.id)
        assert taken.acknowledged_by == "赵敏"
        with pytest.raises(CallDeskError):
            services.handovers.acknowledge(admin, row.id)
        assert services.handovers.waiting_for(next_operator) is None
    assert [r.id for r in services.handovers.on_day(date(2026, 12, 2))] == [row.id]
    assert services.handovers.on_day(date(2026, 12, 3)) == []


def test_the_command_line_shows_a_days_handovers(capsys: pytest.CaptureFixture[str],
                                                 paths: AppPaths) -> None:
    db = open_database(database_url(paths), paths).db
    services = Services.open(db)
    admin = services.users.complete_setup("阳光花园物业服务中心", "admin", "李主任", "admin-pass-1")
    services.calls.log(admin, CallInput(phone="13700001111", missed=True))
    row = services.handovers.hand_over(admin, "夜班注意3栋停水")
    db.dispose()
    day = row.handed_over_at.astimezone().date().isoformat()
    code, out, _ = run_cli(capsys, "handover", "show", "--date", day, "--json")
    assert code == 0
    shown = json.loads(out)
    assert shown["date"] == day and len(shown["handovers"]) == 1
    first = shown["handovers"][0]
    assert first["notes"] == "夜班注意3栋停水" and first["from"] == "李主任"
    assert first["acknowledged_at"] is None and len(first["sections"]["missed_calls"]) == 1
    code, out, _ = run_cli(capsys, "handover", "show", "--date", day)
    assert code == 0 and "夜班注意3栋停水" in out and "尚未接班" in out
    code, out, _ = run_cli(capsys, "--lang", "en", "handover", "show", "--date", "2020-01-01")
    assert code == 0 and out.strip() == "No handover on 2020-01-01."


@pytest.mark.gui
@pytest.mark.usefixtures("chinese_ui")
def test_hand_over_at_the_end_and_take_over_from_the_board(
        qtbot: QtBot, paths: AppPaths, services: Services, operator: Actor,
        next_operator: Actor) -> None:
    services.calls.log(operator, CallInput(phone="13700001111", missed=True))
    window = open_window(qtbot, paths, services, operator)

    def hand_over(dialog) -> None:  # noqa: ANN001
        qtbot.waitUntil(lambda: dialog.save_button.isEnabled())
        assert "未回拨的未接来电（1）" in dialog.view.toPlainText()
        dialog.notes.setFocus()
        dialog.notes.insertPlainText("王女士下午会再来电")
        key(qtbot, "Ctrl+Return")

    in_modal(qtbot, hand_over)
    key(qtbot, "Ctrl+Shift+H")
    qtbot.waitUntil(lambda: "已交班" in window.notice_label.text())
    window.close()

    # The next operator signs in: the board says so until they take over.
    after = open_window(qtbot, paths, services, next_operator)
    board = after.home.board
    qtbot.waitUntil(lambda: board.handover_box.isVisible())
    assert "王芳" in board.handover_label.text() and "王女士下午会再来电" in \
        board.handover_label.text()

    def take_over(dialog) -> None:  # noqa: ANN001
        assert "王女士下午会再来电" in dialog.view.toPlainText()
        key(qtbot, "Ctrl+Return")

    in_modal(qtbot, take_over)
    board.handover_button.setFocus()
    qtbot.keyClick(board.handover_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: not board.handover_box.isVisible())
    assert services.handovers.waiting_for(next_operator) is None
    assert services.handovers.on_day(clock.utcnow().astimezone().date())[0].acknowledged_by \
        == "赵敏"
