"""Complaint forms on both databases: registering, numbering, duplicates, the workflow with
its role checks, deadlines in working time, the list and its filters."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from app import clock
from app.db import Database
from app.db.models import AuditEntry, Call, Complaint, ComplaintEvent
from app.domain.calls import CallType, Outcome
from app.domain.complaints import Action, Category, Severity, Source, Status, Urgency
from app.domain.roles import Actor, Role
from app.domain.workflow import IllegalStep
from app.errors import NotFound, PermissionDenied, ValidationError
from app.services import Services
from app.services.calls import CallInput
from app.services.complaints import (
    ComplaintFilter,
    ComplaintInput,
    ComplaintService,
    DuplicateSuspected,
)
from app.services.customers import CustomerInput, PhoneInput, UnitInput
from tests.conftest import PG_URL, make_database

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def shanghai(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The desk's clock in China, so local days and business hours are the users'."""
    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def set_now(monkeypatch: pytest.MonkeyPatch) -> Callable[[datetime], None]:
    def move(local: datetime) -> None:
        instant = local.replace(tzinfo=SHANGHAI) if local.tzinfo is None else local
        monkeypatch.setattr(clock, "utcnow", lambda: instant.astimezone(ZoneInfo("UTC")))
    return move


@pytest.fixture
def zhang(services: Services, admin: Actor) -> tuple[int, int]:
    card = services.customers.create(admin, CustomerInput(
        name="张三", phones=[PhoneInput("13800138000")], units=[UnitInput("3-2-1502")]))
    return card.id, card.units[0].id


@pytest.fixture
def people(services: Services, admin: Actor) -> dict[Role, Actor]:
    services.users.add_user(admin, "kf01", "王芳", Role.OPERATOR, "secret1")
    services.users.add_user(admin, "zg01", "赵主管", Role.SUPERVISOR, "secret1")
    return {Role.OPERATOR: services.users.authenticate("kf01", "secret1"),
            Role.SUPERVISOR: services.users.authenticate("zg01", "secret1"),
            Role.ADMIN: admin}


def leak(customer: tuple[int, int] | None = None, **extra: object) -> ComplaintInput:
    values: dict[str, object] = dict(category=Category.REPAIRS, severity=Severity.NORMAL,
                                     description="楼上漏水到我家卫生间", demand="尽快修好并赔偿",
                                     phone="13800138000")
    if customer:
        values.update(customer_id=customer[0], unit_id=customer[1])
    values.update(extra)
    return ComplaintInput(**values)  # type: ignore[arg-type]


def counts(services: Services) -> tuple[int, int, int, int]:
    with services.db.read() as session:
        return tuple(session.scalar(select(func.count()).select_from(model))  # type: ignore
                     for model in (Complaint, ComplaintEvent, AuditEntry, Call))


# -- registering ----------------------------------------------------------------------------
def test_numbers_follow_the_month_and_restart_each_month(
        services: Services, admin: Actor, shanghai: None,
        set_now: Callable[[datetime], None]) -> None:
    set_now(datetime(2026, 11, 30, 23, 50))
    first = services.complaints.create(admin, leak(description="一"))
    second = services.complaints.create(admin, leak(description="二"), allow_duplicate=True)
    # 2026-12-01 00:10 in Shanghai is still November 30th in UTC: the local month counts.
    set_now(datetime(2026, 12, 1, 0, 10))
    third = services.complaints.create(admin, leak(description="三"), allow_duplicate=True)
    assert [first.row.number, second.row.number, third.row.number] == [
        "TS202611-0001", "TS202611-0002", "TS202612-0001"]


def test_a_complaint_keeps_what_was_typed_and_starts_its_timeline(
        services: Services, admin: Actor, zhang: tuple[int, int]) -> None:
    detail = services.complaints.create(admin, leak(zhang, source=Source.WALK_IN,
                                                    company_at_fault=True))
    row = detail.row
    assert (row.status, row.source, row.category, row.customer_name, row.unit_label) == (
        Status.REGISTERED, Source.WALK_IN, Category.REPAIRS, "张三", "3栋2单元1502")
    assert (detail.demand, detail.company_at_fault, detail.created_by) == (
        "尽快修好并赔偿", True, "李主任")
    assert [(e.action, e.to_status, e.user_name) for e in detail.timeline] == [
        (Action.REGISTER, Status.REGISTERED, "李主任")]
    assert row.response.due_at is not None and row.resolve.due_at is not None
    assert row.response.due_at <= row.resolve.due_at


@pytest.mark.parametrize(("change", "field"), [
    ({"category": None}, "category"),
    ({"description": "   "}, "description"),
    ({"phone": "", "customer_id": None}, "customer"),
    ({"phone": "12"}, "phone"),
    ({"description": "很长" * 2001}, "description"),
    ({"assignee_name": "老王", "department_id": None}, "department"),
    ({"customer_id": 999}, "customer"),
    ({"department_id": 999}, "department"),
])
def test_a_form_that_is_not_right_is_refused_and_nothing_is_saved(
        services: Services, admin: Actor, change: dict[str, object], field: str) -> None:
    before = counts(services)
    with pytest.raises(ValidationError) as refused:
        services.complaints.create(admin, leak(**change))
    assert field in refused.value.fields
    assert counts(services) == before


def test_a_complaint_from_a_call_logs_the_call_with_it(
        services: Services, admin: Actor, zhang: tuple[int, int]) -> None:
    call = CallInput(phone="138 0013 8000", call_type=CallType.COMPLAINT, summary="漏水投诉",
                     outcome=Outcome.SOLVED, duration_seconds=120)
    detail = services.complaints.create(admin, leak(zhang, phone=""), call=call)
    logged = services.calls.get(detail.call_id)
    assert (logged.outcome, logged.customer_id, logged.unit_id) == (
        Outcome.COMPLAINT, zhang[0], zhang[1])
    assert detail.row.phone == "138 0013 8000"  # carried over from the call


def test_a_refused_complaint_does_not_log_its_call_either(
        services: Services, admin: Actor) -> None:
    before = counts(services)
    call = CallInput(phone="13800138000", call_type=CallType.COMPLAINT, summary="投诉",
                     outcome=Outcome.COMPLAINT)
    with pytest.raises(ValidationError):
        services.complaints.create(admin, leak(description=""), call=call)
    assert counts(services) == before


def test_choosing_a_department_at_registration_dispatches_at_once(
        services: Services, admin: Actor) -> None:
    detail = services.complaints.create(admin, leak(department_id=1, assignee_name="老王"))
    assert (detail.row.status, detail.row.department_name, detail.row.assignee,
            detail.dispatcher) == (Status.DISPATCHED, "工程部", "老王", "李主任")
    assert [e.action for e in detail.timeline] == [Action.REGISTER, Action.DISPATCH]


# -- duplicates ----------------------------------------------------------------------------
def test_the_same_unit_and_category_while_one_is_open_asks_first(
        services: Services, admin: Actor, zhang: tuple[int, int]) -> None:
    first = services.complaints.create(admin, leak(zhang))
    before = counts(services)
    with pytest.raises(DuplicateSuspected) as asked:
        services.complaints.create(admin, leak(zhang, description="又漏了"))
    assert [r.number for r in asked.value.existing] == [first.row.number]
    assert first.row.number in str(asked.value)
    assert counts(services) == before
    # Another category of the same unit is not a repeat; confirmed repeats are saved.
    services.complaints.create(admin, leak(zhang, category=Category.NOISE))
    again = services.complaints.create(admin, leak(zhang, description="又漏了"),
                                       allow_duplicate=True)
    assert again.timeline[0].details.get("duplicate_confirmed") is True


def close(services: Services, actor: Actor, complaint_id: int) -> None:
    services.complaints.dispatch(actor, complaint_id, 1)
    services.complaints.resolve(actor, complaint_id, "已修好")
    call_back(services, actor, complaint_id, satisfied=True)


def test_a_complaint_closed_within_seven_days_still_counts_as_a_repeat(
        services: Services, admin: Actor, zhang: tuple[int, int],
        monkeypatch: pytest.MonkeyPatch) -> None:
    first = services.complaints.create(admin, leak(zhang))
    close(services, admin, first.row.id)
    real_now = clock.utcnow()
    monkeypatch.setattr(clock, "utcnow", lambda: real_now + timedelta(days=6, hours=23))
    with pytest.raises(DuplicateSuspected):
        services.complaints.create(admin, leak(zhang))
    monkeypatch.setattr(clock, "utcnow", lambda: real_now + timedelta(days=7, hours=1))
    assert services.complaints.create(admin, leak(zhang)).row.number.endswith("-0002")


# -- the workflow ----------------------------------------------------------------------------
# Written out by hand from DESIGN.md's diagram and the role rules, not from the code:
# (action, states it applies in, roles allowed).
EVERYONE = {Role.OPERATOR, Role.SUPERVISOR, Role.ADMIN}
MANAGERS = {Role.SUPERVISOR, Role.ADMIN}
OPEN = {Status.REGISTERED, Status.DISPATCHED, Status.IN_PROGRESS, Status.AWAITING_CALLBACK,
        Status.REOPENED}
EXPECTED = {
    Action.DISPATCH: ({Status.REGISTERED}, EVERYONE, Status.DISPATCHED),
    Action.REDISPATCH: ({Status.DISPATCHED, Status.IN_PROGRESS, Status.REOPENED}, MANAGERS,
                        Status.DISPATCHED),
    Action.START: ({Status.DISPATCHED, Status.REOPENED}, EVERYONE, Status.IN_PROGRESS),
    Action.RESOLVE: ({Status.DISPATCHED, Status.IN_PROGRESS, Status.REOPENED}, EVERYONE,
                     Status.AWAITING_CALLBACK),
    Action.CALLBACK_SATISFIED: ({Status.AWAITING_CALLBACK}, EVERYONE, Status.CLOSED),
    Action.CALLBACK_UNSATISFIED: ({Status.AWAITING_CALLBACK}, EVERYONE, Status.REOPENED),
    Action.CALLBACK_UNREACHABLE: ({Status.AWAITING_CALLBACK}, EVERYONE,
                                  Status.AWAITING_CALLBACK),
    Action.CANCEL: (OPEN, MANAGERS, Status.CANCELLED),
    Action.ARCHIVE: ({Status.CLOSED, Status.CANCELLED}, MANAGERS, Status.ARCHIVED),
}

# How to bring a fresh complaint into each state, as an administrator.
PATHS: dict[Status, list[tuple[str, tuple[object, ...]]]] = {
    Status.REGISTERED: [],
    Status.DISPATCHED: [("dispatch", (1,))],
    Status.IN_PROGRESS: [("dispatch", (1,)), ("start", ())],
    Status.AWAITING_CALLBACK: [("dispatch", (1,)), ("resolve", ("已处理",))],
    Status.REOPENED: [("dispatch", (1,)), ("resolve", ("已处理",)), ("unsatisfied", ())],
    Status.CLOSED: [("dispatch", (1,)), ("resolve", ("已处理",)), ("satisfied", ())],
    Status.CANCELLED: [("cancel", ("业主撤回",))],
    Status.ARCHIVED: [("cancel", ("业主撤回",)), ("archive", ())],
}


def call_back(services: Services, actor: Actor, complaint_id: int, satisfied: bool) -> None:
    from app.domain.calls import Satisfaction
    from app.services.callbacks import Next, Outcome_

    pending = services.callbacks.pending_for_complaint(complaint_id)
    assert pending is not None
    services.callbacks.record(actor, pending, Outcome_(
        reached=True, satisfaction=Satisfaction.SATISFIED if satisfied
        else Satisfaction.UNSATISFIED, comment="" if satisfied else "还是漏",
        next_step=None if satisfied else Next.REWORK))


def attempt(services: Services, actor: Actor, complaint_id: int, action: Action) -> object:
    c = services.complaints
    return {
        Action.DISPATCH: lambda: c.dispatch(actor, complaint_id, 2),
        Action.REDISPATCH: lambda: c.redispatch(actor, complaint_id, 2, note="派错部门"),
        Action.START: lambda: c.start(actor, complaint_id),
        Action.RESOLVE: lambda: c.resolve(actor, complaint_id, "已修好"),
        Action.CALLBACK_SATISFIED: lambda: c.record_callback(actor, complaint_id, action),
        Action.CALLBACK_UNSATISFIED: lambda: c.record_callback(actor, complaint_id, action,
                                                               "仍有异味"),
        Action.CALLBACK_UNREACHABLE: lambda: c.record_callback(actor, complaint_id, action),
        Action.CANCEL: lambda: c.cancel(actor, complaint_id, "重复登记"),
        Action.ARCHIVE: lambda: c.archive(actor, complaint_id),
    }[action]()


@pytest.mark.parametrize("status", list(Status), ids=lambda s: s.value)
def test_every_step_from_every_state_for_every_role(
        services: Services, admin: Actor, people: dict[Role, Actor], status: Status) -> None:
    for action, (sources, roles, target) in EXPECTED.items():
        for role, actor in people.items():
            complaint = services.complaints.create(admin, leak(), allow_duplicate=True)
            for method, args in PATHS[status]:
                if method in ("satisfied", "unsatisfied"):  # through the callback queue
                    call_back(services, admin, complaint.row.id, method == "satisfied")
                else:
                    getattr(services.complaints, method)(admin, complaint.row.id, *args)
            before = services.complaints.get(complaint.row.id)
            assert before.row.status == status
            audit_before = counts(services)[2]
            legal = status in sources and role in roles
            label = f"{action.value} from {status.value} as {role.value}"
            if legal:
                after = attempt(services, actor, complaint.row.id, action)
                assert after.row.status == target, label  # type: ignore[attr-defined]
                assert len(after.timeline) == len(before.timeline) + 1, label  # type: ignore
                assert after.timeline[-1].user_name == actor.display_name  # type: ignore
                # Resolving also schedules the callback; cancelling drops a pending one.
                extra = 1 if action == Action.RESOLVE or (
                    action == Action.CANCEL and status == Status.AWAITING_CALLBACK) else 0
                assert counts(services)[2] == audit_before + 1 + extra, label
            else:
                expected_error = PermissionDenied if status in sources else IllegalStep
                with pytest.raises(expected_error):
                    attempt(services, actor, complaint.row.id, action)
                unchanged = services.complaints.get(complaint.row.id)
                assert unchanged == before, label  # nothing half-applied
                assert counts(services)[2] == audit_before, label
            assert (action in services.complaints.available(actor, status)) == legal, label


def test_the_available_actions_come_from_the_same_rules(people: dict[Role, Actor]) -> None:
    from app.services.complaints import ComplaintService

    operator = people[Role.OPERATOR]
    assert ComplaintService.available(operator, Status.REGISTERED) == [
        Action.EDIT, Action.DISPATCH, Action.NOTE, Action.SLIP_PRINTED]
    assert Action.CANCEL in ComplaintService.available(people[Role.SUPERVISOR],
                                                       Status.REGISTERED)


@pytest.mark.parametrize("step", ["resolve", "cancel", "unsatisfied", "redispatch", "note"])
def test_steps_that_need_a_reason_refuse_without_one(
        services: Services, admin: Actor, step: str) -> None:
    complaint = services.complaints.create(admin, leak())
    c, cid = services.complaints, complaint.row.id
    if step in ("resolve", "redispatch"):
        c.dispatch(admin, cid, 1)
    if step == "unsatisfied":
        c.dispatch(admin, cid, 1)
        c.resolve(admin, cid, "已处理")
    before = c.get(cid)
    with pytest.raises(ValidationError):
        {"resolve": lambda: c.resolve(admin, cid, "  "),
         "cancel": lambda: c.cancel(admin, cid, ""),
         "unsatisfied": lambda: c.record_callback(admin, cid, Action.CALLBACK_UNSATISFIED),
         "redispatch": lambda: c.redispatch(admin, cid, 2, note=""),
         "note": lambda: c.add_note(admin, cid, " ")}[step]()
    assert c.get(cid) == before


def test_rework_sends_it_back_with_new_deadlines_and_keeps_the_old_resolution(
        services: Services, admin: Actor, monkeypatch: pytest.MonkeyPatch) -> None:
    c = services.complaints
    complaint = c.create(admin, leak(severity=Severity.URGENT))
    c.dispatch(admin, complaint.row.id, 1, assignee_name="老王")
    c.start(admin, complaint.row.id)
    resolved = c.resolve(admin, complaint.row.id, "换了密封圈", "每月巡检", True)
    assert resolved.row.resolve.done_at is not None
    later = clock.utcnow() + timedelta(days=2)
    monkeypatch.setattr(clock, "utcnow", lambda: later)
    reopened = c.record_callback(admin, complaint.row.id, Action.CALLBACK_UNSATISFIED,
                                 "还在渗水")
    assert (reopened.row.status, reopened.row.reopen_count) == (Status.REOPENED, 1)
    assert reopened.row.resolve.done_at is None and reopened.row.response.done_at is None
    assert reopened.row.resolve.due_at > later  # a new deadline from the rework
    last = reopened.timeline[-1]
    assert (last.action, last.note, last.details["previous_resolution"]) == (
        Action.CALLBACK_UNSATISFIED, "还在渗水", "换了密封圈")
    assert reopened.row.department_name == "工程部"  # back to its department
    again = c.resolve(admin, complaint.row.id, "更换整段水管")
    assert again.row.status == Status.AWAITING_CALLBACK


def test_a_redispatch_records_where_it_went_and_why(
        services: Services, admin: Actor, people: dict[Role, Actor]) -> None:
    c = services.complaints
    complaint = c.create(admin, leak(department_id=1))
    moved = c.redispatch(people[Role.SUPERVISOR], complaint.row.id, 3, note="属于保洁问题")
    last = moved.timeline[-1]
    assert (last.action, last.details["department"], last.note, moved.dispatcher) == (
        Action.REDISPATCH, "环境部", "属于保洁问题", "赵主管")
    history = services.audit.entries_for(admin, "complaint", complaint.row.id)
    assert history[0].action == "redispatch"
    assert history[0].changes["department_id"] == [1, 3]


def test_editing_the_form_is_audited_and_refuses_a_stale_copy(
        services: Services, admin: Actor, people: dict[Role, Actor]) -> None:
    c = services.complaints
    complaint = c.create(admin, leak())
    stale = complaint.updated_at
    edited = c.update(people[Role.OPERATOR], complaint.row.id,
                      ComplaintInput(**{**complaint.as_input().__dict__,
                                        "description": "楼上卫生间漏水，天花板发霉"}),
                      expected_updated_at=stale)
    assert edited.row.description == "楼上卫生间漏水，天花板发霉"
    assert edited.timeline[-1].action == Action.EDIT
    with pytest.raises(ValidationError, match=complaint.row.number):
        c.update(admin, complaint.row.id, complaint.as_input(), expected_updated_at=stale)
    c.cancel(admin, complaint.row.id, "重复")
    with pytest.raises(IllegalStep):
        c.update(admin, complaint.row.id, complaint.as_input())


def test_a_missing_complaint_says_so(services: Services, admin: Actor) -> None:
    with pytest.raises(NotFound):
        services.complaints.start(admin, 12345)
    with pytest.raises(NotFound):
        services.complaints.by_number("TS209901-0001")


# -- deadlines -------------------------------------------------------------------------------
def test_deadlines_count_working_hours_across_a_weekend(
        services: Services, admin: Actor, shanghai: None,
        set_now: Callable[[datetime], None]) -> None:
    # Urgent: 30 working minutes to respond, 240 to resolve, 08:30–17:30.
    set_now(datetime(2026, 11, 20, 17, 0))  # a Friday, half an hour before closing
    row = services.complaints.create(admin, leak(severity=Severity.URGENT)).row
    # Response: Fri 17:00 + 30 min = 17:30, closing time exactly.
    assert row.response.due_at == datetime(2026, 11, 20, 17, 30, tzinfo=SHANGHAI)
    # Resolution: 30 min on Friday, 210 on Monday from 08:30 → Mon 23rd 12:00.
    assert row.resolve.due_at == datetime(2026, 11, 23, 12, 0, tzinfo=SHANGHAI)


def test_deadlines_skip_national_day_and_count_the_make_up_saturday(
        services: Services, admin: Actor, shanghai: None,
        set_now: Callable[[datetime], None]) -> None:
    # Normal: 240 / 1620 working minutes. Wed 30 Sep 2026 16:00: 90 minutes that day; Oct 1–7
    # are holidays; Thu 8th and Fri 9th give 540 each; Sat 10th is a make-up working day
    # (调休): 1620 - 90 - 1080 = 450 minutes from 08:30 → Sat 10 Oct 16:00.
    set_now(datetime(2026, 9, 30, 16, 0))
    row = services.complaints.create(admin, leak()).row
    assert row.resolve.due_at == datetime(2026, 10, 10, 16, 0, tzinfo=SHANGHAI)
    # Response: 90 min on the 30th, 150 more from 08:30 on the 8th → 11:00.
    assert row.response.due_at == datetime(2026, 10, 8, 11, 0, tzinfo=SHANGHAI)


def test_an_administrators_calendar_override_moves_the_deadline(
        services: Services, admin: Actor, shanghai: None,
        set_now: Callable[[datetime], None]) -> None:
    from app.domain.working_time import YearStatus
    from app.services.deadlines import CalendarOverride

    # New Year's Day 2027 is off by rule; the admin also gives Monday 4 Jan off.
    services.deadlines.save_overrides(admin, [CalendarOverride(
        datetime(2027, 1, 4).date(), False, "本地安排")])
    set_now(datetime(2026, 12, 31, 17, 0))  # Thursday, 30 minutes before closing
    row = services.complaints.create(admin, leak(severity=Severity.URGENT)).row
    # 30 min on Thursday, Fri 1 Jan off, weekend off, Mon 4 Jan off, 210 on Tue 5 Jan → 12:00.
    assert row.resolve.due_at == datetime(2027, 1, 5, 12, 0, tzinfo=SHANGHAI)
    # A weekday off is not 2027's make-up days: the schedule is still warned about.
    assert services.deadlines.calendar_status().years == {2026: YearStatus.OFFICIAL,
                                                         2027: YearStatus.RULE_ONLY}


def test_rules_by_category_override_the_default_and_are_admin_only(
        services: Services, admin: Actor, people: dict[Role, Actor], shanghai: None,
        set_now: Callable[[datetime], None]) -> None:
    from app.services.deadlines import Rule

    rules = services.deadlines.rules()
    fees = Rule(Category.FEES, Severity.NORMAL, 60, 120)
    with pytest.raises(PermissionDenied):
        services.deadlines.save_rules(people[Role.SUPERVISOR], [*rules, fees], "08:30", "17:30")
    services.deadlines.save_rules(admin, [*rules, fees], "09:00", "18:00")
    set_now(datetime(2026, 11, 23, 8, 0))  # Monday, before opening at 09:00 now
    fee = services.complaints.create(admin, leak(category=Category.FEES)).row
    other = services.complaints.create(admin, leak(category=Category.NOISE)).row
    assert fee.resolve.due_at == datetime(2026, 11, 23, 11, 0, tzinfo=SHANGHAI)
    assert other.resolve.due_at == datetime(2026, 11, 25, 18, 0, tzinfo=SHANGHAI)  # 3 days


@pytest.mark.parametrize(("rules", "start", "end", "field"), [
    ("no_default", "08:30", "17:30", "default_urgent"),
    ("zero", "08:30", "17:30", "rule0"),
    ("response_longer", "08:30", "17:30", "rule0"),
    ("same", "08:30", "17:30", "start"),
    ("ok", "8.30", "17:30", "start"),
    ("ok", "18:00", "17:30", "end"),
])
def test_bad_deadline_rules_are_refused(services: Services, admin: Actor, rules: str,
                                        start: str, end: str, field: str) -> None:
    from app.services.deadlines import Rule

    current = services.deadlines.rules()
    changed = {
        "no_default": [r for r in current if r.severity != Severity.URGENT],
        "zero": [Rule(None, Severity.URGENT, 0, 10), *current[1:]],
        "response_longer": [Rule(None, Severity.URGENT, 100, 10), *current[1:]],
        "same": current,
        "ok": current,
    }[rules]
    if rules == "same":
        start = "25:00"
    with pytest.raises(ValidationError) as refused:
        services.deadlines.save_rules(admin, changed, start, end)
    assert field in refused.value.fields
    assert services.deadlines.rules() == current


def test_overdue_and_due_soon_are_judged_by_working_time(
        services: Services, admin: Actor, shanghai: None,
        set_now: Callable[[datetime], None]) -> None:
    set_now(datetime(2026, 11, 23, 9, 0))  # Monday
    urgent = services.complaints.create(admin, leak(severity=Severity.URGENT)).row
    normal = services.complaints.create(admin, leak(category=Category.NOISE)).row
    c = services.complaints

    def ids(urgency: Urgency) -> list[str]:
        return [r.number for r in c.list(ComplaintFilter(urgency=urgency)).rows]

    # Urgent response: 30 minutes, due soon from 80 % (24 minutes).
    set_now(datetime(2026, 11, 23, 9, 23))
    assert ids(Urgency.DUE_SOON) == [] and urgent.urgency(clock.utcnow()) == Urgency.ON_TIME
    set_now(datetime(2026, 11, 23, 9, 24))
    assert ids(Urgency.DUE_SOON) == [urgent.number]
    assert urgent.urgency(clock.utcnow()) == Urgency.DUE_SOON
    set_now(datetime(2026, 11, 23, 9, 31))
    assert ids(Urgency.OVERDUE) == [urgent.number]
    assert urgent.urgency(clock.utcnow()) == Urgency.OVERDUE
    # Starting it meets the response; the resolution (4 h → 13:00) is what runs now.
    started = c.start(admin, c.dispatch(admin, urgent.id, 1).row.id).row
    assert started.response.urgency(clock.utcnow()) == Urgency.LATE
    assert ids(Urgency.OVERDUE) == []
    # Normal response: 240 min → 13:00; the list puts the nearest deadline first.
    assert [r.number for r in c.list().rows] == [urgent.number, normal.number]
    set_now(datetime(2026, 11, 23, 13, 1))
    assert ids(Urgency.OVERDUE) == [urgent.number, normal.number]


def test_the_list_filters_and_pages(services: Services, admin: Actor,
                                    people: dict[Role, Actor], zhang: tuple[int, int]) -> None:
    c = services.complaints
    operator = people[Role.OPERATOR]
    a = c.create(operator, leak(zhang, description="水管漏水"))
    b = c.create(admin, leak(category=Category.NOISE, description="夜间施工噪音",
                             department_id=2))
    done = c.create(admin, leak(category=Category.CLEANING, description="垃圾未清"))
    close(services, admin, done.row.id)

    def numbers(**kw: object) -> set[str]:
        return {r.number for r in c.list(ComplaintFilter(**kw)).rows}  # type: ignore[arg-type]

    assert numbers(category=Category.NOISE) == {b.row.number}
    assert numbers(department_id=2) == {b.row.number}
    assert numbers(mine_user_id=operator.user_id) == {a.row.number}
    assert numbers(text="噪音") == {b.row.number}
    assert numbers(text="张三") == {a.row.number}
    assert numbers(text=a.row.number[-4:]) == {a.row.number}
    assert numbers(statuses=frozenset({Status.CLOSED})) == {done.row.number}
    page = c.list(ComplaintFilter(), offset=0, limit=2)
    rest = c.list(ComplaintFilter(), offset=2, limit=2, count=False)
    assert page.total == 3 and rest.total == -1
    assert len({r.number for r in page.rows + rest.rows}) == 3
    assert page.rows[-1].status != Status.CLOSED and rest.rows[0].status == Status.CLOSED
    assert c.open_counts([zhang[0], 999]) == {zhang[0]: 1, 999: 0}
    assert [r.number for r in c.for_customer(zhang[0])] == [a.row.number]


def test_slips_of_a_department_are_printed_once_each(
        services: Services, admin: Actor) -> None:
    c = services.complaints
    first = c.create(admin, leak(department_id=1))
    second = c.create(admin, leak(category=Category.NOISE, department_id=1))
    c.create(admin, leak(category=Category.FEES, department_id=5))
    assert set(c.new_for_department(1)) == {first.row.id, second.row.id}
    c.mark_slips_printed(admin, [first.row.id])
    assert c.new_for_department(1) == [second.row.id]
    assert c.get(first.row.id).timeline[-1].action == Action.SLIP_PRINTED
    slip = c.slip(first.row.id, "阳光花园物业服务中心")
    assert (slip.number, slip.department, slip.dispatcher, slip.description) == (
        first.row.number, "工程部", "李主任", "楼上漏水到我家卫生间")


def test_a_slip_after_rework_carries_the_count_reason_and_current_resolution(
        services: Services, admin: Actor) -> None:
    c = services.complaints
    first = c.create(admin, leak(department_id=1))
    assert (c.slip(first.row.id, "中心").rework_count,
            c.slip(first.row.id, "中心").rework_reason) == (0, "")
    c.resolve(admin, first.row.id, "换了角阀")
    call_back(services, admin, first.row.id, satisfied=False)  # "还是漏": back to work
    c.resolve(admin, first.row.id, "重做防水层")
    slip = c.slip(first.row.id, "中心")
    assert (slip.rework_count, slip.rework_reason, slip.resolution) == (1, "还是漏", "重做防水层")


# -- numbering under concurrent desks ---------------------------------------------------------
def test_desks_saving_at_once_get_unique_consecutive_numbers_sqlite(
        sqlite_db: Database) -> None:
    """Threads, each with its own connection pool, like desks sharing the file."""
    desks, each = 6, 8
    barrier = threading.Barrier(desks)
    numbers: list[str] = []
    errors: list[BaseException] = []

    def desk() -> None:
        service = ComplaintService(Database(sqlite_db.url))
        barrier.wait()
        try:
            for i in range(each):
                numbers.append(service.create(Actor.system(), leak(description=f"并发{i}"),
                                              allow_duplicate=True).row.number)
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=desk) for _ in range(desks)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(numbers) == len(set(numbers)) == desks * each
    assert sorted(int(n[-4:]) for n in numbers) == list(range(1, desks * each + 1))


@pytest.mark.skipif(not PG_URL, reason="set CALLDESK_TEST_PG_URL to run on PostgreSQL")
def test_desks_saving_at_once_get_unique_consecutive_numbers_postgresql(
        tmp_path: Path) -> None:
    """Separate processes on one PostgreSQL database, all starting at the same instant."""
    db_iter = make_database("postgresql", tmp_path)
    db = next(db_iter)
    try:
        with db.engine.connect() as connection:
            schema = connection.exec_driver_sql("SELECT current_schema()").scalar_one()
        desks, each = 4, 10
        start_at = time.time() + 3
        worker = Path(__file__).with_name("numbering_worker.py")
        processes = [subprocess.Popen(
            [sys.executable, str(worker), PG_URL, schema, str(each), str(start_at)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for _ in range(desks)]
        numbers: list[str] = []
        for process in processes:
            out, err = process.communicate(timeout=120)
            assert process.returncode == 0, err
            numbers += json.loads(out)
        assert len(numbers) == len(set(numbers)) == desks * each
        assert sorted(int(n[-4:]) for n in numbers) == list(range(1, desks * each + 1))
        with db.read() as session:
            assert session.scalar(select(func.count()).select_from(Complaint)) == desks * each
    finally:
        for _ in db_iter:
            pass


def test_merging_cards_takes_the_complaints_along(services: Services, admin: Actor,
                                                  zhang: tuple[int, int]) -> None:
    """Found in review: complaints stayed on the merged-away card and could no longer be
    dispatched or edited."""
    other = services.customers.create(admin, CustomerInput(
        name="张三", phones=[PhoneInput("13900001111")]))
    complaint = services.complaints.create(admin, leak((other.id, None)))  # type: ignore[arg-type]
    services.customers.merge(admin, zhang[0], other.id)
    moved = services.complaints.dispatch(admin, complaint.row.id, 1)
    assert moved.row.customer_id == zhang[0]
    assert services.complaints.open_counts([zhang[0]]) == {zhang[0]: 1}


def test_a_form_whose_assignee_has_left_can_still_be_edited(
        services: Services, admin: Actor, people: dict[Role, Actor]) -> None:
    staff = services.users.add_user(admin, "gc01", "老王", Role.OPERATOR, "secret1", 1)
    complaint = services.complaints.create(admin, leak(department_id=1, assignee_id=staff.id))
    services.users.update_user(admin, staff.id, active=False)
    edited = services.complaints.update(admin, complaint.row.id, ComplaintInput(
        **{**complaint.as_input().__dict__, "demand": "尽快处理"}))
    assert (edited.demand, edited.assignee_id) == ("尽快处理", staff.id)


def test_a_cancelled_complaint_is_no_reason_to_ask_about_a_repeat(
        services: Services, admin: Actor, zhang: tuple[int, int]) -> None:
    mistaken = services.complaints.create(admin, leak(zhang))
    services.complaints.cancel(admin, mistaken.row.id, "登记错了")
    assert services.complaints.create(admin, leak(zhang)).row.status == Status.REGISTERED
