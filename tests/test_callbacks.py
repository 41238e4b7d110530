"""Callbacks (回访 / 回拨) on both databases: scheduling in working time when a complaint is
resolved, what each outcome does to the complaint, the outbound call every attempt logs,
retries and failure, the supervisor's review, do-not-call customers, the due counter and the
queues.

The desk's clock is in Shanghai and "now" is set by hand in every test, so due times can be
worked out on paper (business hours 08:30–17:30)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from app import clock
from app.db.models import AuditEntry, Call, CallbackAttempt, CallbackTask, ComplaintEvent
from app.domain.calls import (
    CallbackReason,
    CallbackStatus,
    CallType,
    Direction,
    Outcome,
    Satisfaction,
)
from app.domain.complaints import Action, Severity, Status
from app.domain.roles import Actor, Role
from app.errors import CallDeskError, PermissionDenied, ValidationError
from app.i18n import translate
from app.services import Services
from app.services.callbacks import CallbackFilter, CallbackRow, Next, Outcome_, Queue
from app.services.calls import CallInput
from app.services.customers import CustomerInput, PhoneInput, UnitInput
from app.settings import (
    CALLBACK_DUE_MISSED,
    CALLBACK_DUE_NORMAL,
    CALLBACK_DUE_URGENT,
    CALLBACK_MAX_ATTEMPTS,
    CALLBACK_RETRY_MINUTES,
)
from tests.test_complaints import leak

SHANGHAI = ZoneInfo("Asia/Shanghai")
MONDAY_9 = datetime(2026, 11, 23, 9, 0)  # an ordinary working Monday


def at(*parts: int) -> datetime:
    """A Shanghai wall-clock time, as the desk sees it."""
    return datetime(*parts, tzinfo=SHANGHAI)  # type: ignore[misc]


@pytest.fixture(autouse=True)
def shanghai(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The desk's clock in China, so local days and business hours are the users'."""
    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture(autouse=True)
def set_now(monkeypatch: pytest.MonkeyPatch) -> Callable[[datetime], None]:
    def move(local: datetime) -> None:
        instant = local.replace(tzinfo=SHANGHAI) if local.tzinfo is None else local
        monkeypatch.setattr(clock, "utcnow", lambda: instant.astimezone(ZoneInfo("UTC")))
    move(MONDAY_9)  # never the wall clock
    return move


@pytest.fixture
def people(services: Services, admin: Actor) -> dict[Role, Actor]:
    services.users.add_user(admin, "kf01", "王芳", Role.OPERATOR, "secret1")
    services.users.add_user(admin, "zg01", "赵主管", Role.SUPERVISOR, "secret1")
    return {Role.OPERATOR: services.users.authenticate("kf01", "secret1"),
            Role.SUPERVISOR: services.users.authenticate("zg01", "secret1"),
            Role.ADMIN: admin}


ZHANG = CustomerInput(name="张三", phones=[PhoneInput("13800138000")],
                      units=[UnitInput("3-2-1502")])


@pytest.fixture
def zhang(services: Services, admin: Actor, set_now: object) -> tuple[int, int]:
    card = services.customers.create(admin, ZHANG)
    return card.id, card.units[0].id


def resolved(services: Services, actor: Actor, customer: tuple[int, int] | None = None,
             **extra: object) -> int:
    """A complaint dispatched to 工程部 and resolved now: its callback is scheduled."""
    complaint = services.complaints.create(actor, leak(customer, department_id=1, **extra),
                                           allow_duplicate=True)
    services.complaints.resolve(actor, complaint.row.id, "已更换水管")
    return complaint.row.id


def callbacks_of(services: Services, complaint_id: int) -> list[CallbackRow]:
    rows = services.callbacks.list(CallbackFilter(queue=Queue.ALL)).rows
    return sorted((r for r in rows if r.complaint_id == complaint_id), key=lambda r: r.id)


def pending(services: Services, complaint_id: int) -> int:
    found = services.callbacks.pending_for_complaint(complaint_id)
    assert found is not None
    return found


def table_rows(services: Services) -> tuple[int, ...]:
    with services.db.read() as session:
        return tuple(session.scalar(select(func.count()).select_from(model))  # type: ignore
                     for model in (CallbackTask, CallbackAttempt, Call, ComplaintEvent,
                                   AuditEntry))


def ids(services: Services, queue: Queue, **kw: object) -> list[int]:
    return [r.id for r in services.callbacks.list(
        CallbackFilter(queue=queue, **kw)).rows]  # type: ignore[arg-type]


SATISFIED = Outcome_(reached=True, satisfaction=Satisfaction.SATISFIED, comment="修好了")
NOT_REACHED = Outcome_(reached=False, comment="无人接听")


# -- scheduling ---------------------------------------------------------------------------------
def test_resolving_schedules_one_callback_due_by_severity_in_working_time(
        services: Services, admin: Actor, set_now: Callable[[datetime], None]) -> None:
    set_now(datetime(2026, 11, 20, 16, 0))  # Friday, 90 working minutes before closing
    urgent = resolved(services, admin, severity=Severity.URGENT)
    serious = resolved(services, admin, severity=Severity.SERIOUS)
    normal = resolved(services, admin, severity=Severity.NORMAL)
    due = {cid: [(r.reason, r.status, r.due_at, r.phone, r.attempts)
                 for r in callbacks_of(services, cid)] for cid in (urgent, serious, normal)}
    # Urgent, 240 min: 16:00–17:30 is 90; the weekend is off; 150 more from Mon 08:30 → 11:00.
    # (Not 11:30: 08:30 + 2 h 30 is 11:00.)
    # Serious, 540: 90 on Friday, 450 from Mon 08:30 → Mon 16:00.
    # Normal, 1080: 90 on Friday, all 540 of Monday, 450 from Tue 08:30 → Tue 16:00.
    expected = {urgent: at(2026, 11, 23, 11, 0), serious: at(2026, 11, 23, 16, 0),
                normal: at(2026, 11, 24, 16, 0)}
    for cid, when in expected.items():
        assert due[cid] == [(CallbackReason.COMPLAINT, CallbackStatus.PENDING, when,
                             "138 0013 8000", 0)]
    detail = services.callbacks.get(pending(services, urgent))
    assert (detail.complaint_status, detail.max_attempts, detail.complaint_resolution,
            detail.complaint_department) == (Status.AWAITING_CALLBACK, 3, "已更换水管", "工程部")
    assert detail.row.complaint_number == services.complaints.get(urgent).row.number
    created = services.audit.entries_for(admin, "callback", detail.row.id)
    assert [e.action for e in created] == ["create"]


def test_national_day_is_skipped_and_the_admins_setting_moves_the_next_one(
        services: Services, admin: Actor, people: dict[Role, Actor],
        set_now: Callable[[datetime], None]) -> None:
    set_now(datetime(2026, 9, 30, 16, 0))  # Wednesday before National Day
    first = resolved(services, admin)
    # Normal, 1080 min: 90 on Wed 30 Sep; 1–7 Oct are holidays; Thu 8 Oct gives 540 (630 so
    # far); the remaining 450 from Fri 9 Oct 08:30 → Fri 9 Oct 16:00.
    assert callbacks_of(services, first)[0].due_at == at(2026, 10, 9, 16, 0)

    with pytest.raises(PermissionDenied):
        services.settings.set_many(people[Role.SUPERVISOR], {CALLBACK_DUE_NORMAL: 1620})
    services.settings.set_many(admin, {CALLBACK_DUE_NORMAL: 1620, CALLBACK_DUE_URGENT: 60})
    second = resolved(services, admin)
    urgent = resolved(services, admin, severity=Severity.URGENT)
    # 1620: 90 + 540 (Thu 8) + 540 (Fri 9) = 1170; Sat 10 Oct is a make-up working day (调休):
    # 450 from 08:30 → Sat 10 Oct 16:00.
    assert callbacks_of(services, second)[0].due_at == at(2026, 10, 10, 16, 0)
    # Urgent, now 60 min: 16:00 + 60 → 17:00 the same day.
    assert callbacks_of(services, urgent)[0].due_at == at(2026, 9, 30, 17, 0)
    # A callback already promised keeps its time.
    assert callbacks_of(services, first)[0].due_at == at(2026, 10, 9, 16, 0)


# -- outcomes -------------------------------------------------------------------------------------
@pytest.mark.parametrize("satisfaction", [Satisfaction.SATISFIED, Satisfaction.FAIRLY])
def test_a_satisfied_customer_closes_the_complaint(
        services: Services, admin: Actor, people: dict[Role, Actor],
        set_now: Callable[[datetime], None], satisfaction: Satisfaction) -> None:
    cid = resolved(services, admin)
    callback_id = pending(services, cid)
    set_now(datetime(2026, 11, 23, 14, 0))
    operator = people[Role.OPERATOR]
    done = services.callbacks.record(operator, callback_id, Outcome_(
        reached=True, satisfaction=satisfaction, comment="师傅很负责", duration_seconds=95))
    assert (done.row.status, done.row.satisfaction, done.row.comment, done.row.done_by,
            done.row.done_at) == (
        CallbackStatus.DONE, satisfaction, "师傅很负责", "王芳", at(2026, 11, 23, 14, 0))
    complaint = services.complaints.get(cid)
    assert (complaint.row.status, complaint.closed_at) == (Status.CLOSED,
                                                           at(2026, 11, 23, 14, 0))
    last = complaint.timeline[-1]
    assert (last.action, last.from_status, last.to_status, last.note, last.user_name,
            last.details) == (Action.CALLBACK_SATISFIED, Status.AWAITING_CALLBACK,
                              Status.CLOSED, "师傅很负责", "王芳",
                              {"satisfaction": satisfaction.value})
    assert services.callbacks.pending_for_complaint(cid) is None


def test_unsatisfied_with_rework_reopens_the_complaint_with_new_deadlines(
        services: Services, admin: Actor, set_now: Callable[[datetime], None]) -> None:
    cid = resolved(services, admin)
    callback_id = pending(services, cid)
    set_now(datetime(2026, 11, 24, 10, 0))  # Tuesday
    services.callbacks.record(admin, callback_id, Outcome_(
        reached=True, satisfaction=Satisfaction.UNSATISFIED, comment="天花板还在渗水",
        next_step=Next.REWORK))
    complaint = services.complaints.get(cid)
    row = complaint.row
    assert (row.status, row.reopen_count, row.department_name) == (Status.REOPENED, 1, "工程部")
    # New deadlines from Tue 10:00 by the normal rule (240 / 1620 working minutes):
    # response 10:00 + 240 → 14:00; resolution: 450 on Tue, 540 Wed, 540 Thu (1530), 90 more
    # from Fri 08:30 → Fri 27 Nov 10:00.
    assert (row.response.due_at, row.resolve.due_at) == (at(2026, 11, 24, 14, 0),
                                                         at(2026, 11, 27, 10, 0))
    assert row.response.done_at is None and row.resolve.done_at is None
    last = complaint.timeline[-1]
    assert (last.action, last.to_status, last.note) == (
        Action.CALLBACK_UNSATISFIED, Status.REOPENED, "天花板还在渗水")
    assert last.details == {"satisfaction": "unsatisfied", "previous_resolution": "已更换水管"}
    assert services.callbacks.get(callback_id).row.status == CallbackStatus.DONE
    assert services.callbacks.pending_for_complaint(cid) is None
    # Resolved again, it gets a callback of its own.
    services.complaints.resolve(admin, cid, "更换整段水管")
    assert [r.status for r in callbacks_of(services, cid)] == [CallbackStatus.DONE,
                                                               CallbackStatus.PENDING]


def test_unsatisfied_but_explained_waits_for_another_call(
        services: Services, admin: Actor, set_now: Callable[[datetime], None]) -> None:
    cid = resolved(services, admin)
    first = pending(services, cid)
    set_now(datetime(2026, 11, 23, 15, 0))
    again_at = at(2026, 11, 25, 10, 0)
    services.callbacks.record(admin, first, Outcome_(
        reached=True, satisfaction=Satisfaction.UNSATISFIED, comment="已解释：需等配件",
        next_step=Next.CALL_AGAIN, call_again_at=again_at))
    complaint = services.complaints.get(cid)
    last = complaint.timeline[-1]
    assert complaint.row.status == Status.AWAITING_CALLBACK
    assert (last.action, last.to_status, last.note, last.details) == (
        Action.CALLBACK_EXPLAINED, None, "已解释：需等配件",
        {"satisfaction": "unsatisfied", "call_again_at": again_at.isoformat()})
    follow = pending(services, cid)
    assert follow != first
    row = services.callbacks.get(follow).row
    assert (row.reason, row.status, row.due_at, row.attempts, row.note, row.phone) == (
        CallbackReason.COMPLAINT, CallbackStatus.PENDING, again_at, 0, "已解释：需等配件",
        "138 0013 8000")
    assert services.callbacks.get(first).row.status == CallbackStatus.DONE
    set_now(datetime(2026, 11, 25, 10, 5))
    services.callbacks.record(admin, follow, SATISFIED)
    assert services.complaints.get(cid).row.status == Status.CLOSED


def test_an_incomplete_outcome_is_refused_and_changes_nothing(
        services: Services, admin: Actor) -> None:
    cid = resolved(services, admin)
    callback_id = pending(services, cid)
    unsatisfied = Outcome_(reached=True, satisfaction=Satisfaction.UNSATISFIED,
                           comment="还是漏")
    cases = {
        "satisfaction": Outcome_(reached=True, comment="接通了"),
        "next_step": unsatisfied,
        "comment": replace(unsatisfied, comment="  ", next_step=Next.REWORK),
        "call_again_at": replace(unsatisfied, next_step=Next.CALL_AGAIN),
    }
    past = replace(unsatisfied, next_step=Next.CALL_AGAIN,
                   call_again_at=clock.utcnow() - timedelta(minutes=5))
    too_long = replace(SATISFIED, comment="很" * 2001)
    before = (table_rows(services), services.callbacks.get(callback_id),
              services.complaints.get(cid))
    for name, outcome in [*cases.items(), ("call_again_at", past), ("comment", too_long)]:
        with pytest.raises(ValidationError) as refused:
            services.callbacks.record(admin, callback_id, outcome)
        assert name in refused.value.fields, name
        assert (table_rows(services), services.callbacks.get(callback_id),
                services.complaints.get(cid)) == before, name


# -- attempts and their calls -----------------------------------------------------------------
def test_every_attempt_logs_an_outbound_call_and_an_attempt(
        services: Services, admin: Actor, people: dict[Role, Actor], zhang: tuple[int, int],
        set_now: Callable[[datetime], None]) -> None:
    cid = resolved(services, admin, zhang, phone="")  # the number comes from the card
    callback_id = pending(services, cid)
    operator = people[Role.OPERATOR]
    set_now(datetime(2026, 11, 23, 10, 0))
    services.callbacks.record(operator, callback_id, replace(NOT_REACHED, duration_seconds=30))
    set_now(datetime(2026, 11, 23, 14, 0))
    detail = services.callbacks.record(admin, callback_id,
                                       replace(SATISFIED, duration_seconds=120))
    assert [(a.at, a.user_name, a.reached, a.note) for a in detail.attempts] == [
        (at(2026, 11, 23, 10, 0), "王芳", False, "无人接听"),
        (at(2026, 11, 23, 14, 0), "李主任", True, "修好了")]
    calls = sorted(services.calls.recent_for_customer(zhang[0]), key=lambda c: c.id)
    assert [(c.direction, c.customer_id, c.phone, c.call_type, c.operator_name,
             c.duration_seconds, c.received_at) for c in calls] == [
        (Direction.OUTBOUND, zhang[0], "138 0013 8000", CallType.COMPLAINT, "王芳", 30,
         at(2026, 11, 23, 9, 59, 30)),
        (Direction.OUTBOUND, zhang[0], "138 0013 8000", CallType.COMPLAINT, "李主任", 120,
         at(2026, 11, 23, 13, 58))]
    assert translate("Callbacks", "not reached") in calls[0].summary
    assert "无人接听" in calls[0].summary
    assert Satisfaction.SATISFIED.label in calls[1].summary and "修好了" in calls[1].summary
    with services.db.read() as session:
        attempts = session.scalars(select(CallbackAttempt).order_by(CallbackAttempt.id)).all()
        assert [a.call_id for a in attempts] == [c.id for c in calls]
        assert session.get(CallbackTask, callback_id).result_call_id == calls[1].id
    assert (detail.row.attempts, detail.row.customer_name, detail.row.greeting_name) == (
        2, "张三", "张三")
    assert [r.id for r in services.callbacks.for_customer(zhang[0])] == [callback_id]


# -- retries and failure ------------------------------------------------------------------------
def test_not_reached_retries_in_working_time_then_fails(
        services: Services, admin: Actor, set_now: Callable[[datetime], None]) -> None:
    cid = resolved(services, admin)
    callback_id = pending(services, cid)

    set_now(datetime(2026, 11, 23, 17, 0))  # Monday, 30 minutes before closing
    first = services.callbacks.record(admin, callback_id, NOT_REACHED)
    # 120 working minutes: 30 on Monday, 90 from Tue 08:30 → Tue 10:00.
    assert (first.row.status, first.row.attempts, first.row.due_at,
            first.row.last_attempt_at) == (CallbackStatus.PENDING, 1, at(2026, 11, 24, 10, 0),
                                           at(2026, 11, 23, 17, 0))
    assert ids(services, Queue.RETRY) == [callback_id]
    assert ids(services, Queue.FAILED) == []
    complaint = services.complaints.get(cid)
    assert complaint.row.status == Status.AWAITING_CALLBACK
    last = complaint.timeline[-1]
    assert (last.action, last.note, last.details) == (
        Action.CALLBACK_UNREACHABLE, "无人接听", {"attempt": 1, "of": 3})

    set_now(datetime(2026, 11, 24, 17, 45))  # Tuesday, after closing
    second = services.callbacks.record(admin, callback_id, NOT_REACHED)
    # Nothing left of Tuesday: 120 from Wed 08:30 → Wed 10:30.
    assert (second.row.attempts, second.row.due_at) == (2, at(2026, 11, 25, 10, 30))

    set_now(datetime(2026, 11, 25, 10, 40))
    third = services.callbacks.record(admin, callback_id, replace(NOT_REACHED, comment="空号?"))
    assert (third.row.status, third.row.attempts, third.row.done_at, third.row.note) == (
        CallbackStatus.FAILED, 3, at(2026, 11, 25, 10, 40), "空号?")
    assert ids(services, Queue.FAILED) == [callback_id]
    assert ids(services, Queue.RETRY) == [] and services.callbacks.due_count() == 0
    complaint = services.complaints.get(cid)
    assert complaint.row.status == Status.AWAITING_CALLBACK  # a supervisor decides
    assert [(e.action, e.details) for e in complaint.timeline[-3:]] == [
        (Action.CALLBACK_UNREACHABLE, {"attempt": 1, "of": 3}),
        (Action.CALLBACK_UNREACHABLE, {"attempt": 2, "of": 3}),
        (Action.CALLBACK_FAILED, {"attempt": 3, "of": 3})]

    before = table_rows(services)
    with pytest.raises(CallDeskError) as refused:
        services.callbacks.record(admin, callback_id, NOT_REACHED)
    assert not isinstance(refused.value, ValidationError)
    assert CallbackStatus.FAILED.label in str(refused.value)
    assert table_rows(services) == before


def test_the_admin_sets_how_often_and_how_far_apart(
        services: Services, admin: Actor, set_now: Callable[[datetime], None]) -> None:
    services.settings.set_many(admin, {CALLBACK_MAX_ATTEMPTS: 2, CALLBACK_RETRY_MINUTES: 30})
    callback_id = pending(services, resolved(services, admin))
    first = services.callbacks.record(admin, callback_id, NOT_REACHED)
    assert (first.max_attempts, first.row.due_at) == (2, at(2026, 11, 23, 9, 30))
    second = services.callbacks.record(admin, callback_id, NOT_REACHED)
    assert second.row.status == CallbackStatus.FAILED


# -- review -------------------------------------------------------------------------------------
def test_a_supervisor_reviews_finished_callbacks(
        services: Services, admin: Actor, people: dict[Role, Actor],
        set_now: Callable[[datetime], None]) -> None:
    operator, supervisor = people[Role.OPERATOR], people[Role.SUPERVISOR]
    waiting = pending(services, resolved(services, admin))
    done = pending(services, resolved(services, admin))
    skipped = pending(services, resolved(services, admin))
    services.callbacks.record(operator, done, SATISFIED)
    services.callbacks.skip(admin, skipped, "业主出国")

    before = table_rows(services)
    with pytest.raises(PermissionDenied):
        services.callbacks.review(operator, done, "看过")
    with pytest.raises(CallDeskError):
        services.callbacks.review(supervisor, waiting, "看过")
    assert table_rows(services) == before
    assert set(ids(services, Queue.ALL, unreviewed=True)) == {done, skipped}
    assert set(ids(services, Queue.FINISHED, unreviewed=True)) == {done, skipped}

    set_now(datetime(2026, 11, 23, 16, 0))
    reviewed = services.callbacks.review(supervisor, done, " 回访记录清楚 ")
    assert (reviewed.row.reviewed_by, reviewed.row.review_comment, reviewed.row.reviewed_at) == (
        "赵主管", "回访记录清楚", at(2026, 11, 23, 16, 0))
    assert ids(services, Queue.ALL, unreviewed=True) == [skipped]
    assert set(ids(services, Queue.FINISHED)) == {done, skipped}
    assert services.audit.entries_for(admin, "callback", done)[0].action == "review"


# -- do not call ----------------------------------------------------------------------------
def test_a_customer_who_must_not_be_called_gets_a_skipped_callback(
        services: Services, admin: Actor) -> None:
    card = services.customers.create(admin, replace(ZHANG, do_not_call=True))
    before_calls = table_rows(services)[2]
    cid = resolved(services, admin, (card.id, card.units[0].id))
    note = translate("Callbacks", "The customer does not want to be called back.")
    [row] = callbacks_of(services, cid)
    assert (row.status, row.note, row.do_not_call, row.done_by, row.done_at) == (
        CallbackStatus.SKIPPED, note, True, "李主任", clock.utcnow())
    complaint = services.complaints.get(cid)
    last = complaint.timeline[-1]
    assert complaint.row.status == Status.CLOSED
    assert (last.action, last.to_status, last.note) == (Action.CALLBACK_SKIPPED, Status.CLOSED,
                                                        note)
    assert services.callbacks.due_count() == 0
    assert table_rows(services)[2] == before_calls  # nobody dialled


def test_a_customer_who_asked_not_to_be_called_since_is_not_called(
        services: Services, admin: Actor, zhang: tuple[int, int]) -> None:
    cid = resolved(services, admin, zhang)
    callback_id = pending(services, cid)
    services.customers.update(admin, zhang[0], replace(ZHANG, do_not_call=True))
    assert services.callbacks.get(callback_id).row.do_not_call
    before = table_rows(services)
    with pytest.raises(CallDeskError, match="张三"):
        services.callbacks.record(admin, callback_id, SATISFIED)
    with pytest.raises(ValidationError) as refused:
        services.callbacks.skip(admin, callback_id, "  ")
    assert "reason" in refused.value.fields
    assert table_rows(services) == before

    skipped = services.callbacks.skip(admin, callback_id, "业主要求不再来电")
    assert (skipped.row.status, skipped.row.note) == (CallbackStatus.SKIPPED, "业主要求不再来电")
    complaint = services.complaints.get(cid)
    assert complaint.row.status == Status.CLOSED
    assert (complaint.timeline[-1].action, complaint.timeline[-1].note) == (
        Action.CALLBACK_SKIPPED, "业主要求不再来电")
    with pytest.raises(CallDeskError):
        services.callbacks.skip(admin, callback_id, "再跳过")


def test_cancelling_a_complaint_drops_its_pending_callback(
        services: Services, admin: Actor) -> None:
    cid = resolved(services, admin)
    callback_id = pending(services, cid)
    services.complaints.cancel(admin, cid, "业主撤诉")
    row = services.callbacks.get(callback_id).row
    assert (row.status, row.note) == (CallbackStatus.SKIPPED, "业主撤诉")
    assert services.complaints.get(cid).row.status == Status.CANCELLED
    assert services.callbacks.due_count() == 0 and ids(services, Queue.DUE) == []
    with pytest.raises(CallDeskError):
        services.callbacks.record(admin, callback_id, SATISFIED)


# -- the queue and its counters ------------------------------------------------------------------
def test_the_due_counter_counts_overdue_and_today_by_the_local_day(
        services: Services, admin: Actor, set_now: Callable[[datetime], None]) -> None:
    cb = services.callbacks
    # Monday 09:00. 00:10 on Tuesday in Shanghai is still Monday (16:10) in UTC: the local
    # day must decide.
    ten = cb.schedule(admin, due_at=at(2026, 11, 23, 10, 0), phone="13912345678",
                      note="下午再联系")
    late = cb.schedule(admin, due_at=at(2026, 11, 23, 23, 50), phone="0571-87654321")
    tomorrow = cb.schedule(admin, due_at=at(2026, 11, 24, 0, 10), phone="13912345678")
    done = cb.schedule(admin, due_at=at(2026, 11, 23, 9, 30), phone="13700001111")
    missed = services.calls.log(admin, CallInput(phone="13600002222", missed=True))
    complaint = pending(services, resolved(services, admin, severity=Severity.URGENT))
    assert (ten.reason, ten.status, ten.phone, ten.note, ten.operator_id) == (
        CallbackReason.REQUESTED, CallbackStatus.PENDING, "139 1234 5678", "下午再联系",
        admin.user_id)
    cb.record(admin, done.id, Outcome_(reached=True, comment="已回电"))
    assert cb.get(done.id).row.status == CallbackStatus.DONE

    set_now(datetime(2026, 11, 23, 10, 30))
    [missed_task] = [r for r in cb.list(CallbackFilter(Queue.ALL)).rows
                     if r.reason == CallbackReason.MISSED_CALL]
    assert (missed_task.phone, missed_task.due_at, missed_task.call_id) == (
        "136 0000 2222", at(2026, 11, 23, 9, 30), missed.id)  # the missed-call rule: 30 minutes
    # Urgent complaint resolved at 09:00: 240 working minutes → 13:00 today.
    assert cb.get(complaint).row.due_at == at(2026, 11, 23, 13, 0)
    assert cb.due_count() == 4
    assert ids(services, Queue.DUE) == [missed_task.id, ten.id, complaint, late.id]
    assert ids(services, Queue.OVERDUE) == [missed_task.id, ten.id]
    assert ids(services, Queue.TODAY) == [complaint, late.id]
    assert ids(services, Queue.UPCOMING) == [tomorrow.id]
    assert sorted(cb.due_now()) == sorted([missed_task.id, ten.id])
    assert cb.counts() == {Queue.DUE: 4, Queue.OVERDUE: 2, Queue.TODAY: 2, Queue.UPCOMING: 1,
                           Queue.RETRY: 0, Queue.FAILED: 0}
    rows = cb.list(CallbackFilter(Queue.DUE)).rows
    assert [r.is_overdue(clock.utcnow()) for r in rows] == [True, True, False, False]

    set_now(datetime(2026, 11, 24, 0, 5))  # just after midnight, local time
    assert cb.due_count() == 5
    assert ids(services, Queue.UPCOMING) == []


def test_scheduling_by_hand_refuses_the_past_and_bad_numbers(
        services: Services, admin: Actor, zhang: tuple[int, int]) -> None:
    cb = services.callbacks
    soon = at(2026, 11, 23, 13, 0)
    before = table_rows(services)
    for kw, field in [({"due_at": at(2026, 11, 23, 8, 55), "phone": "13912345678"}, "due_at"),
                      ({"due_at": at(2026, 11, 22, 13, 0), "phone": "13912345678"}, "due_at"),
                      ({"due_at": soon, "phone": "12"}, "phone"),
                      ({"due_at": soon, "phone": "  "}, "phone"),
                      ({"due_at": soon, "phone": "13912345678", "note": "话" * 2001}, "note")]:
        with pytest.raises(ValidationError) as refused:
            cb.schedule(admin, **kw)  # type: ignore[arg-type]
        assert field in refused.value.fields, kw
    assert table_rows(services) == before
    # Set from a logged call: its number and its caller's card come along.
    call = services.calls.log(admin, CallInput(phone="138-0013-8000", call_type=CallType.INQUIRY,
                                               summary="问热水器维修费", outcome=Outcome.SOLVED))
    row = cb.schedule(admin, due_at=soon, call_id=call.id, note="约好下午回电")
    assert (row.phone, row.customer_id, row.customer_name, row.call_id) == (
        "138 0013 8000", zhang[0], "张三", call.id)
    assert ids(services, Queue.TODAY) == [row.id]


def test_a_number_typed_by_hand_finds_its_customer(
        services: Services, admin: Actor, zhang: tuple[int, int]) -> None:
    row = services.callbacks.schedule(admin, due_at=at(2026, 11, 23, 13, 0),
                                      phone="138-0013-8000")
    assert (row.customer_id, row.customer_name) == (zhang[0], "张三")
    services.customers.update(admin, zhang[0], replace(ZHANG, do_not_call=True))
    with pytest.raises(CallDeskError, match="张三"):
        services.callbacks.record(admin, row.id, Outcome_(reached=True))


def test_mine_and_all_and_the_search(
        services: Services, admin: Actor, people: dict[Role, Actor], zhang: tuple[int, int],
        set_now: Callable[[datetime], None]) -> None:
    operator = people[Role.OPERATOR]
    cb = services.callbacks
    mine = cb.schedule(operator, due_at=at(2026, 11, 23, 11, 0), phone="13912345678")
    theirs = cb.schedule(admin, due_at=at(2026, 11, 23, 10, 0), phone="0571-87654321")
    cid = resolved(services, admin, zhang, severity=Severity.URGENT)
    complaint_cb = pending(services, cid)  # due 13:00
    assert ids(services, Queue.DUE, mine_user_id=operator.user_id) == [mine.id]
    assert ids(services, Queue.DUE, mine_user_id=admin.user_id) == [theirs.id, complaint_cb]
    assert ids(services, Queue.DUE) == [theirs.id, mine.id, complaint_cb]
    assert cb.counts(mine_user_id=operator.user_id)[Queue.DUE] == 1
    # Whoever makes the call has it among theirs once done.
    set_now(datetime(2026, 11, 23, 12, 0))
    cb.record(operator, complaint_cb, SATISFIED)
    assert ids(services, Queue.FINISHED, mine_user_id=operator.user_id) == [complaint_cb]

    number = services.complaints.get(cid).row.number
    assert ids(services, Queue.ALL, text="张三") == [complaint_cb]
    assert ids(services, Queue.ALL, text=number.lower()) == [complaint_cb]
    assert ids(services, Queue.ALL, text="8765") == [theirs.id]
    # Numbers are searched as people type them, not as they are displayed.
    assert ids(services, Queue.ALL, text="13912345678") == [mine.id]
    assert ids(services, Queue.ALL, text="0571-87654321") == [theirs.id]
    assert cb.list(CallbackFilter(Queue.ALL, text="张三")).total == 1


def test_the_whole_list_puts_pending_first_on_both_databases(
        services: Services, admin: Actor, set_now: Callable[[datetime], None]) -> None:
    cb = services.callbacks
    later = cb.schedule(admin, due_at=at(2026, 11, 23, 15, 0), phone="13912345678")
    sooner = cb.schedule(admin, due_at=at(2026, 11, 23, 11, 0), phone="13912345678")
    first_done = cb.schedule(admin, due_at=at(2026, 11, 23, 10, 0), phone="13700001111")
    second_done = cb.schedule(admin, due_at=at(2026, 11, 23, 10, 0), phone="13700001111")
    cb.record(admin, first_done.id, Outcome_(reached=True))
    set_now(datetime(2026, 11, 23, 9, 30))
    cb.record(admin, second_done.id, Outcome_(reached=True))
    # Pending by due time (most urgent first), then finished ones, newest first.
    assert ids(services, Queue.ALL) == [sooner.id, later.id, second_done.id, first_done.id]


def test_a_supervisor_sends_a_failed_callback_round_again(
        services: Services, admin: Actor) -> None:
    services.users.add_user(admin, "kf09", "小李", Role.OPERATOR, "secret1")
    operator = services.users.authenticate("kf09", "secret1")
    services.calls.log(operator, CallInput(phone="13800138000", missed=True))
    task = services.callbacks.list(CallbackFilter(Queue.ALL)).rows[0].id
    later = clock.utcnow() + timedelta(hours=2)
    with pytest.raises(CallDeskError):  # not failed yet
        services.callbacks.try_again(admin, task, later)
    for _ in range(3):
        services.callbacks.record(operator, task, Outcome_(reached=False))
    with pytest.raises(PermissionDenied):
        services.callbacks.try_again(operator, task, later)
    again = services.callbacks.try_again(admin, task, later, "换个时间再打")
    assert (again.status, again.due_at, again.attempts, again.note) == (
        CallbackStatus.PENDING, later, 0, "换个时间再打")
    assert services.callbacks.get(task).row.status == CallbackStatus.FAILED  # kept as it was


def test_a_failed_callback_is_taken_up_once_and_its_complaint_can_be_closed(
        services: Services, admin: Actor, people: dict[Role, Actor]) -> None:
    """Found in review: two supervisors (or a double click) sending the same failed callback
    round again left a second task nobody could ever finish."""
    cid = resolved(services, admin)
    task = pending(services, cid)
    for _ in range(3):
        services.callbacks.record(people[Role.OPERATOR], task, Outcome_(reached=False))
    later = clock.utcnow() + timedelta(hours=3)
    again = services.callbacks.try_again(admin, task, later)
    with pytest.raises(CallDeskError):
        services.callbacks.try_again(admin, task, later)  # already taken up
    services.callbacks.record(people[Role.OPERATOR], again.id, Outcome_(reached=False))
    # A supervisor may instead close the complaint of a failed callback, saying why.
    second = resolved(services, admin)
    failed = pending(services, second)
    with pytest.raises(CallDeskError):
        services.callbacks.close_unreached(admin, failed, "一直联系不上")  # not failed yet
    for _ in range(3):
        services.callbacks.record(people[Role.OPERATOR], failed, Outcome_(reached=False))
    with pytest.raises(PermissionDenied):
        services.callbacks.close_unreached(people[Role.OPERATOR], failed, "联系不上")
    services.callbacks.close_unreached(people[Role.SUPERVISOR], failed, "三次未接通，结案")
    closed = services.complaints.get(second)
    assert closed.row.status == Status.CLOSED
    assert (closed.timeline[-1].action, closed.timeline[-1].note) == (
        Action.CLOSE_UNREACHED, "三次未接通，结案")
    with pytest.raises(CallDeskError):  # its complaint has moved on: nothing to take up
        services.callbacks.try_again(admin, failed, later)


def test_a_retry_keeps_the_due_time_first_promised(services: Services, admin: Actor,
                                                   people: dict[Role, Actor]) -> None:
    cid = resolved(services, admin)
    task = pending(services, cid)
    first_due = services.callbacks.get(task).row.due_at
    services.callbacks.record(people[Role.OPERATOR], task, Outcome_(reached=False))
    with services.db.read() as session:
        stored = session.get(CallbackTask, task)
        assert stored.first_due_at == first_due and stored.due_at != first_due


def test_a_missed_call_is_due_by_the_rule_not_overdue_at_once(
        services: Services, people: dict[Role, Actor],
        set_now: Callable[[datetime], None]) -> None:
    """回拨 within 30 working minutes of the ring; at night, early the next working day;
    the administrator changes the rule in the callback settings."""
    operator = people[Role.OPERATOR]
    set_now(datetime(2026, 11, 23, 10, 0))
    services.calls.log(operator, CallInput(phone="13800138000", missed=True))
    task = services.callbacks.list(CallbackFilter(Queue.ALL)).rows[0]
    assert task.due_at == at(2026, 11, 23, 10, 30)
    assert not task.is_overdue(clock.utcnow())
    assert services.callbacks.list(CallbackFilter(Queue.OVERDUE)).total == 0

    set_now(datetime(2026, 11, 23, 21, 0))  # after hours: 30 minutes after opening
    services.calls.log(operator, CallInput(phone="13900139000", missed=True))
    night = services.callbacks.list(CallbackFilter(Queue.UPCOMING)).rows[0]
    assert night.due_at == at(2026, 11, 24, 9, 0)

    services.settings.set_many(people[Role.ADMIN], {CALLBACK_DUE_MISSED: 60})
    set_now(datetime(2026, 11, 24, 14, 0))
    services.calls.log(operator, CallInput(phone="13700137000", missed=True))
    rows = services.callbacks.list(CallbackFilter(Queue.ALL)).rows
    assert next(r for r in rows if r.phone == "137 0013 7000").due_at == at(2026, 11, 24, 15, 0)


def test_the_queue_sorts_by_urgency_newest_missed_calls_first_among_equals(
        services: Services, people: dict[Role, Actor],
        set_now: Callable[[datetime], None]) -> None:
    operator = people[Role.OPERATOR]
    set_now(datetime(2026, 8, 3, 10, 0))  # months ago: long overdue
    services.calls.log(operator, CallInput(phone="13600136000", missed=True))
    set_now(datetime(2026, 11, 23, 20, 0))  # two calls at night: both due at 09:00
    services.calls.log(operator, CallInput(phone="13800138000", missed=True))
    set_now(datetime(2026, 11, 23, 21, 0))
    services.calls.log(operator, CallInput(phone="13900139000", missed=True))
    set_now(datetime(2026, 11, 24, 8, 50))
    services.calls.log(operator, CallInput(phone="13700137000", missed=True))  # due 09:20
    set_now(datetime(2026, 11, 24, 9, 10))
    rows = services.callbacks.list(CallbackFilter(Queue.DUE)).rows
    assert [r.phone for r in rows] == ["136 0013 6000", "139 0013 9000", "138 0013 8000",
                                       "137 0013 7000"]
    assert [r.is_overdue(clock.utcnow()) for r in rows] == [True, True, True, False]
