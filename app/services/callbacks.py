"""Callbacks (回访 / 回拨): scheduled when a complaint is resolved (by severity, in working
time), made by missed calls, or set by hand; the queue; each attempt with its outbound call;
retries and failure; what the customer said and its effect on the complaint; the
supervisor's review.

A callback and its complaint change in one transaction: the attempt, the outbound call, the
callback's state, the complaint's step and timeline, and the audit entries."""

from __future__ import annotations

import enum
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, String, and_, case, func, or_, select
from sqlalchemy.orm import Session, aliased

from app import clock
from app.db import Database
from app.db.models import (
    Call,
    CallbackAttempt,
    CallbackTask,
    Complaint,
    Customer,
    Setting,
    User,
)
from app.domain.calls import (
    CallbackReason,
    CallbackStatus,
    CallType,
    Direction,
    Outcome,
    Satisfaction,
)
from app.domain.complaints import Action, Severity, Status
from app.domain.customers import greeting_name
from app.domain.phones import parse_phones, search_digits
from app.domain.roles import Actor, Permission, require
from app.domain.texts import NOTE_MAX, search_text
from app.errors import CallDeskError, NotFound, ValidationError
from app.i18n import translate
from app.services import audit, deadlines
from app.services.calls import CallInput, CallService, _only_customer, local_day_bounds
from app.services.paging import iter_pages
from app.settings import (
    CALLBACK_DUE_NORMAL,
    CALLBACK_DUE_SERIOUS,
    CALLBACK_DUE_URGENT,
    CALLBACK_MAX_ATTEMPTS,
    CALLBACK_RETRY_MINUTES,
    Option,
)

if TYPE_CHECKING:
    from app.services.complaints import ComplaintService

PAGE_SIZE = 100
MAX_TEXT = NOTE_MAX
DUE_BY_SEVERITY = {Severity.URGENT: CALLBACK_DUE_URGENT, Severity.SERIOUS: CALLBACK_DUE_SERIOUS,
                   Severity.NORMAL: CALLBACK_DUE_NORMAL}


class Queue(enum.StrEnum):
    """The callback tab's views."""

    DUE = "due"  # overdue and due today: what to do now
    OVERDUE = "overdue"
    TODAY = "today"
    UPCOMING = "upcoming"
    RETRY = "retry"  # tried, not reached, to try again
    FAILED = "failed"  # 回访失败: the supervisor's list
    FINISHED = "finished"  # done, failed or skipped: what there is to review
    ALL = "all"

    @property
    def label(self) -> str:
        return {
            Queue.DUE: translate("Callbacks", "To do now"),
            Queue.OVERDUE: translate("Callbacks", "Overdue"),
            Queue.TODAY: translate("Callbacks", "Due today"),
            Queue.UPCOMING: translate("Callbacks", "Upcoming"),
            Queue.RETRY: translate("Callbacks", "Awaiting retry"),
            Queue.FAILED: translate("Callbacks", "Failed"),
            Queue.FINISHED: translate("Callbacks", "Finished"),
            Queue.ALL: translate("Callbacks", "All"),
        }[self]


class Next(enum.StrEnum):
    """What happens after an unsatisfied customer: the complaint goes back for rework, or
    the explanation given is recorded and the customer is called again later."""

    REWORK = "rework"
    CALL_AGAIN = "call_again"


@dataclass(frozen=True)
class CallbackRow:
    id: int
    reason: CallbackReason
    status: CallbackStatus
    due_at: datetime
    phone: str
    customer_id: int | None
    customer_name: str
    greeting_name: str
    do_not_call: bool
    complaint_id: int | None
    complaint_number: str
    complaint_summary: str
    severity: Severity | None
    attempts: int
    last_attempt_at: datetime | None
    satisfaction: Satisfaction | None
    comment: str
    note: str
    done_at: datetime | None
    done_by: str
    operator_id: int | None
    reviewed_at: datetime | None
    reviewed_by: str
    review_comment: str
    call_id: int | None

    def is_overdue(self, now: datetime) -> bool:
        return self.status == CallbackStatus.PENDING and self.due_at < now


@dataclass(frozen=True)
class AttemptRow:
    at: datetime
    user_name: str
    reached: bool
    note: str
    call_id: int | None = None  # the call the attempt was made on


@dataclass(frozen=True)
class CallbackDetail:
    row: CallbackRow
    attempts: list[AttemptRow]
    complaint_description: str = ""
    complaint_demand: str = ""
    complaint_resolution: str = ""
    complaint_department: str = ""
    complaint_status: Status | None = None
    complaint_registered_at: datetime | None = None
    units: list[str] = field(default_factory=list)
    max_attempts: int = 3


@dataclass(frozen=True)
class CallbackFilter:
    queue: Queue = Queue.DUE
    mine_user_id: int | None = None
    unreviewed: bool = False
    text: str = ""
    reasons: frozenset[CallbackReason] | None = None  # e.g. only the missed calls' (回拨)
    doable_by: int | None = None  # assigned to this user, or to nobody (the desk's)


@dataclass(frozen=True)
class CallbackPage:
    rows: list[CallbackRow]
    total: int
    offset: int


@dataclass(frozen=True)
class Outcome_:  # noqa: N801 - "Outcome" is the call's
    """What the operator records after dialling."""

    reached: bool
    satisfaction: Satisfaction | None = None
    comment: str = ""
    next_step: Next | None = None  # for an unsatisfied customer
    call_again_at: datetime | None = None  # with Next.CALL_AGAIN
    duration_seconds: int = 0


def _option(session: Session, option: Option) -> int:
    stored = session.get(Setting, option.key)
    value = option.coerce(stored.value if stored else None)
    return value if value > 0 else option.default


# -- scheduling (also called from the complaint's transaction) ------------------------------
def schedule_complaint_callback(session: Session, actor: Actor, complaint: Complaint,
                                complaints: ComplaintService) -> None:
    """Right after a complaint is resolved: its callback, due by severity in working time.
    A customer who must not be called gets a skipped callback and the form closes."""
    customer = session.get(Customer, complaint.customer_id) if complaint.customer_id else None
    now = clock.utcnow()
    minutes = _option(session, DUE_BY_SEVERITY[complaint.severity])
    due = deadlines.load_calendar(session).add(now, minutes)
    phone = complaint.phone or (customer.phones[0].display if customer and customer.phones
                                else "")
    task = CallbackTask(reason=CallbackReason.COMPLAINT, complaint_id=complaint.id,
                        customer_id=complaint.customer_id, phone=phone, due_at=due,
                        created_by_id=actor.user_id, created_at=now)
    session.add(task)
    session.flush()
    audit.record(session, actor, "callback", task.id, "create",
                 {"reason": [None, task.reason.value], "complaint_id": [None, complaint.id],
                  "due_at": [None, due.isoformat()]})
    if customer is not None and customer.do_not_call:
        note = translate("Callbacks", "The customer does not want to be called back.")
        _finish(session, actor, task, CallbackStatus.SKIPPED, note)
        complaints.record_callback_in(session, actor, complaint.id, Action.CALLBACK_SKIPPED,
                                      note)


def drop_pending_callbacks(session: Session, actor: Actor, complaint_id: int,
                           reason: str) -> None:
    """A cancelled complaint needs no callback."""
    for task in session.scalars(select(CallbackTask).where(
            CallbackTask.complaint_id == complaint_id,
            CallbackTask.status == CallbackStatus.PENDING).with_for_update()):
        _finish(session, actor, task, CallbackStatus.SKIPPED, reason)


def _finish(session: Session, actor: Actor, task: CallbackTask, status: CallbackStatus,
            note: str = "") -> None:
    before = task.status
    task.status = status
    task.done_at = clock.utcnow()
    task.done_by_id = actor.user_id
    if note:
        task.note = note
    audit.record(session, actor, "callback", task.id, status.value,
                 {"status": [before.value, status.value]}, note=note or None)


# -- reading -----------------------------------------------------------------------------------
_Done = aliased(User)
_Reviewer = aliased(User)


def _select():  # noqa: ANN202
    return (select(CallbackTask, Customer, Complaint, _Done.display_name,
                   _Reviewer.display_name)
            .outerjoin(Customer, Customer.id == CallbackTask.customer_id)
            .outerjoin(Complaint, Complaint.id == CallbackTask.complaint_id)
            .outerjoin(_Done, _Done.id == CallbackTask.done_by_id)
            .outerjoin(_Reviewer, _Reviewer.id == CallbackTask.reviewed_by_id))


def _row(task: CallbackTask, customer: Customer | None, complaint: Complaint | None,
         done_by: str | None, reviewed_by: str | None) -> CallbackRow:
    greeting = greeting_name(customer.name, customer.title) if customer else ""
    return CallbackRow(
        id=task.id, reason=task.reason, status=task.status, due_at=task.due_at,
        phone=task.phone, customer_id=task.customer_id,
        customer_name=customer.name if customer else "", greeting_name=greeting,
        do_not_call=bool(customer and customer.do_not_call), complaint_id=task.complaint_id,
        complaint_number=complaint.number if complaint else "",
        complaint_summary=complaint.description.splitlines()[0][:60] if complaint else "",
        severity=complaint.severity if complaint else None, attempts=task.attempts,
        last_attempt_at=task.last_attempt_at, satisfaction=task.satisfaction,
        comment=task.comment, note=task.note, done_at=task.done_at, done_by=done_by or "",
        operator_id=task.operator_id, reviewed_at=task.reviewed_at,
        reviewed_by=reviewed_by or "", review_comment=task.review_comment,
        call_id=task.call_id)


def _day_end(now: datetime) -> datetime:
    return local_day_bounds(now.astimezone().date())[1]


class CallbackService:
    def __init__(self, db: Database) -> None:
        self.db = db

    # -- the queue -------------------------------------------------------------------------
    @staticmethod
    def _conditions(filters: CallbackFilter, now: datetime) -> list[ColumnElement[bool]]:
        pending = CallbackTask.status == CallbackStatus.PENDING
        end_of_today = _day_end(now)
        by_queue: dict[Queue, list[ColumnElement[bool]]] = {
            Queue.DUE: [pending, CallbackTask.due_at < end_of_today],
            Queue.OVERDUE: [pending, CallbackTask.due_at < now],
            Queue.TODAY: [pending, CallbackTask.due_at >= now,
                          CallbackTask.due_at < end_of_today],
            Queue.UPCOMING: [pending, CallbackTask.due_at >= end_of_today],
            Queue.RETRY: [pending, CallbackTask.attempts > 0],
            Queue.FAILED: [CallbackTask.status == CallbackStatus.FAILED],
            Queue.FINISHED: [CallbackTask.status != CallbackStatus.PENDING],
            Queue.ALL: [],
        }
        conditions = list(by_queue[filters.queue])
        if filters.mine_user_id is not None:
            me = filters.mine_user_id
            conditions.append(or_(CallbackTask.operator_id == me, CallbackTask.done_by_id == me,
                                  and_(CallbackTask.operator_id.is_(None),
                                       CallbackTask.created_by_id == me)))
        if filters.doable_by is not None:
            conditions.append(or_(CallbackTask.operator_id == filters.doable_by,
                                  CallbackTask.operator_id.is_(None)))
        if filters.reasons is not None:
            conditions.append(CallbackTask.reason.in_(filters.reasons))
        if filters.unreviewed:
            conditions += [CallbackTask.status != CallbackStatus.PENDING,
                           CallbackTask.reviewed_at.is_(None)]
        text = search_text(filters.text)
        if text:
            phone = CallbackTask.phone.contains(text, autoescape=True)
            digits = search_digits(text)
            if len(digits) >= 4 and not any(ch.isalpha() for ch in text):
                # Numbers are kept as displayed ("138 0013 8000"), typed as "13800138000".
                bare = func.replace(func.replace(CallbackTask.phone, " ", "", type_=String),
                                    "-", "", type_=String)
                phone = or_(phone, bare.contains(digits, autoescape=True))
            conditions.append(or_(
                phone,
                Customer.name.contains(text, autoescape=True),
                Complaint.number.contains(text.upper(), autoescape=True)))
        return conditions

    def iter_rows(self, filters: CallbackFilter) -> Iterator[CallbackRow]:
        """Every row the list shows with ``filters``, in its order, a page at a time."""
        return iter_pages(self.list, filters)

    def list(self, filters: CallbackFilter = CallbackFilter(),  # noqa: B008
             offset: int = 0, limit: int = PAGE_SIZE, count: bool = True) -> CallbackPage:
        """Pending ones by urgency (the most overdue first, newest first among equals);
        finished ones newest first."""
        now = clock.utcnow()
        conditions = self._conditions(filters, now)
        with self.db.read() as session:
            total = (session.scalar(
                select(func.count(CallbackTask.id))
                .outerjoin(Customer, Customer.id == CallbackTask.customer_id)
                .outerjoin(Complaint, Complaint.id == CallbackTask.complaint_id)
                .where(*conditions)) or 0) if count else -1
            if filters.queue in (Queue.FAILED, Queue.FINISHED):
                order: tuple[ColumnElement[Any], ...] = (
                    CallbackTask.done_at.desc(), CallbackTask.due_at.desc(),
                    CallbackTask.id.desc())
            elif filters.queue == Queue.ALL:
                # Pending ones first, by due time, then the finished ones, newest first. Said
                # outright: SQLite puts NULL (a pending one's done_at) last in a descending
                # order, PostgreSQL first.
                finished = case((CallbackTask.status == CallbackStatus.PENDING, 0), else_=1)
                order = (finished, CallbackTask.done_at.desc(), CallbackTask.due_at,
                         CallbackTask.created_at.desc(), CallbackTask.id.desc())
            else:
                # By urgency: the most overdue first, then the soonest due; among equals
                # the newest (a missed call of a minute ago before one of an hour ago).
                order = (CallbackTask.due_at, CallbackTask.created_at.desc(),
                         CallbackTask.id.desc())
            rows = session.execute(_select().where(*conditions).order_by(*order)
                                   .offset(offset).limit(limit)).all()
            return CallbackPage([_row(*r) for r in rows], total, offset)

    def counts(self, mine_user_id: int | None = None) -> dict[Queue, int]:
        """How many in each view of the queue, for the tab's buttons."""
        now = clock.utcnow()
        with self.db.read() as session:
            result = {}
            for queue in (Queue.OVERDUE, Queue.TODAY, Queue.UPCOMING, Queue.RETRY,
                          Queue.FAILED):
                conditions = self._conditions(CallbackFilter(queue, mine_user_id), now)
                result[queue] = session.scalar(
                    select(func.count(CallbackTask.id)).where(*conditions)) or 0
            result[Queue.DUE] = result[Queue.OVERDUE] + result[Queue.TODAY]
            return result

    def due_count(self) -> int:
        """Overdue and due today: the status bar's number."""
        now = clock.utcnow()
        with self.db.read() as session:
            return session.scalar(select(func.count(CallbackTask.id)).where(
                CallbackTask.status == CallbackStatus.PENDING,
                CallbackTask.due_at < _day_end(now))) or 0

    def due_now(self) -> list[int]:
        """The ids past their due time now: the tray says so when a new one appears."""
        with self.db.read() as session:
            return list(session.scalars(select(CallbackTask.id).where(
                CallbackTask.status == CallbackStatus.PENDING,
                CallbackTask.due_at <= clock.utcnow())))

    def get(self, callback_id: int) -> CallbackDetail:
        with self.db.read() as session:
            found = session.execute(_select().where(CallbackTask.id == callback_id)).first()
            if found is None:
                raise NotFound(translate("Callbacks", "That callback no longer exists. "
                                                      "Refresh the list."))
            task, customer, complaint = found[0], found[1], found[2]
            attempts = [AttemptRow(a.at, name or "", a.reached, a.note, a.call_id)
                        for a, name in session.execute(
                            select(CallbackAttempt, User.display_name)
                            .outerjoin(User, User.id == CallbackAttempt.user_id)
                            .where(CallbackAttempt.callback_id == task.id)
                            .order_by(CallbackAttempt.id))]
            return CallbackDetail(
                row=_row(*found), attempts=attempts,
                complaint_description=complaint.description if complaint else "",
                complaint_demand=complaint.demand if complaint else "",
                complaint_resolution=complaint.resolution if complaint else "",
                complaint_department=complaint.department.name
                if complaint and complaint.department else "",
                complaint_status=complaint.status if complaint else None,
                complaint_registered_at=complaint.created_at if complaint else None,
                units=[cu.unit.label for cu in customer.units] if customer else [],
                max_attempts=_option(session, CALLBACK_MAX_ATTEMPTS))

    def pending_for_call(self, call_id: int) -> int | None:
        with self.db.read() as session:
            return session.scalar(select(CallbackTask.id).where(
                CallbackTask.call_id == call_id,
                CallbackTask.status == CallbackStatus.PENDING).limit(1))

    def pending_for_complaint(self, complaint_id: int) -> int | None:
        with self.db.read() as session:
            return session.scalar(select(CallbackTask.id).where(
                CallbackTask.complaint_id == complaint_id,
                CallbackTask.status == CallbackStatus.PENDING)
                .order_by(CallbackTask.due_at).limit(1))

    # -- writing ---------------------------------------------------------------------------
    def schedule(self, actor: Actor, *, due_at: datetime, phone: str = "",
                 customer_id: int | None = None, call_id: int | None = None,
                 note: str = "") -> CallbackRow:
        """A callback set by hand ("call back at 13:00"), for any call or customer."""
        fields: dict[str, str] = {}
        parsed, rejected = parse_phones(phone) if phone.strip() else ([], [])
        if phone.strip() and (rejected or not parsed):
            fields["phone"] = translate("Callbacks", "{number} is not a phone number we can "
                                                     "call back.").format(number=phone)
        if due_at <= clock.utcnow() - timedelta(minutes=1):
            fields["due_at"] = translate("Callbacks", "Choose a time that has not passed.")
        if len(note) > MAX_TEXT:
            fields["note"] = translate("Callbacks", "At most {n} characters.").format(
                n=MAX_TEXT)
        with self.db.write() as session:
            if call_id is not None:
                call = session.get(Call, call_id)
                if call is None:
                    raise NotFound(translate("Callbacks", "That call no longer exists."))
                customer_id = customer_id or call.customer_id
                phone = phone or call.phone_raw
            if not phone.strip() and not fields:
                fields["phone"] = translate("Callbacks", "Write the number to call back.")
            if fields:
                raise ValidationError(next(iter(fields.values())), fields)
            if customer_id is None and parsed:
                # As a missed call does: the card that has this number, so the queue shows
                # who it is and a customer who must not be called is not called.
                customer_id = _only_customer(session, parsed[0].normalized)
            display = parsed[0].display if parsed else phone.strip()
            task = CallbackTask(reason=CallbackReason.REQUESTED, call_id=call_id,
                                customer_id=customer_id, phone=display, due_at=due_at,
                                note=note.strip(), created_by_id=actor.user_id,
                                operator_id=actor.user_id, created_at=clock.utcnow())
            session.add(task)
            session.flush()
            audit.record(session, actor, "callback", task.id, "create",
                         {"reason": [None, task.reason.value],
                          "due_at": [None, due_at.isoformat()]})
            return self._row(session, task.id)

    def record(self, actor: Actor, callback_id: int, outcome: Outcome_, *,
               on_inbound_call: bool = False) -> CallbackDetail:
        """One attempt: the outbound call is logged, then reached or not takes its course.

        ``on_inbound_call``: the customer rang in and the callback is done on their call
        (回访待办 in the pop-up), so that call is logged as inbound, solved on the spot,
        and the customer is reached whatever their do-not-call wish (they called us)."""
        comment = outcome.comment.strip()
        if len(comment) > MAX_TEXT:
            raise ValidationError(translate("Callbacks", "At most {n} characters.").format(
                n=MAX_TEXT), ("comment",))
        if on_inbound_call and not outcome.reached:
            raise ValidationError(translate(
                "Callbacks", "The customer is on the line: a callback done on their call "
                             "reaches them."), ("reached",))
        with self.db.write() as session:
            task, awaiting = self._lock_pair(session, callback_id)
            if task.status != CallbackStatus.PENDING:
                raise CallDeskError(translate(
                    "Callbacks", "This callback is already {status}. Refresh the list.")
                    .format(status=task.status.label))
            customer = session.get(Customer, task.customer_id) if task.customer_id else None
            if customer is not None and customer.do_not_call and not on_inbound_call:
                raise CallDeskError(translate(
                    "Callbacks", "{name} does not want to be called. Record the callback as "
                                 "skipped instead.").format(name=customer.name))
            self._check_outcome(outcome, task)
            now = clock.utcnow()
            if on_inbound_call:
                direction, call_outcome = Direction.INBOUND, Outcome.SOLVED
            else:
                direction = Direction.OUTBOUND
                call_outcome = Outcome.CALLED_BACK if outcome.reached else Outcome.NOT_REACHED
            call_id = CallService(self.db).log_in(session, actor, CallInput(
                phone=task.phone, direction=direction, customer_id=task.customer_id,
                call_type=CallType.COMPLAINT if task.complaint_id else CallType.OTHER,
                outcome=call_outcome,
                duration_seconds=max(0, outcome.duration_seconds),
                summary=self._summary(task, outcome), received_at=now - timedelta(
                    seconds=max(0, outcome.duration_seconds))))
            session.add(CallbackAttempt(callback_id=task.id, at=now, user_id=actor.user_id,
                                        reached=outcome.reached, call_id=call_id,
                                        note=comment))
            task.attempts += 1
            task.last_attempt_at = now
            task.result_call_id = call_id
            if outcome.reached:
                self._reached(session, actor, task, outcome, comment, awaiting)
            else:
                self._not_reached(session, actor, task, comment, awaiting)
            session.flush()
        return self.get(callback_id)

    @staticmethod
    def _check_outcome(outcome: Outcome_, task: CallbackTask) -> None:
        if not outcome.reached:
            return
        if task.complaint_id is not None and outcome.satisfaction is None:
            raise ValidationError(translate("Callbacks", "Choose how satisfied the customer "
                                                         "is."), ("satisfaction",))
        if outcome.satisfaction == Satisfaction.UNSATISFIED and task.complaint_id is not None:
            if outcome.next_step is None:
                raise ValidationError(translate(
                    "Callbacks", "Choose what happens next: rework, or call again after "
                                 "explaining."), ("next_step",))
            if not outcome.comment.strip():
                raise ValidationError(translate(
                    "Callbacks", "Write why the customer is not satisfied."),
                    ("comment",))
            if outcome.next_step == Next.CALL_AGAIN and (
                    outcome.call_again_at is None or outcome.call_again_at <= clock.utcnow()):
                raise ValidationError(translate(
                    "Callbacks", "Choose when to call the customer again (a time to come)."),
                    ("call_again_at",))

    @staticmethod
    def _summary(task: CallbackTask, outcome: Outcome_) -> str:
        what = translate("Callbacks", "Callback") if task.complaint_id else \
            translate("Callbacks", "Call back")
        if not outcome.reached:
            result = translate("Callbacks", "not reached")
        elif outcome.satisfaction is not None:
            result = outcome.satisfaction.label
        else:
            result = translate("Callbacks", "reached")
        parts = [f"{what}: {result}", outcome.comment.strip()]
        return " — ".join(p for p in parts if p)[:1000]

    def _reached(self, session: Session, actor: Actor, task: CallbackTask, outcome: Outcome_,
                 comment: str, awaiting: bool) -> None:
        from app.services.complaints import ComplaintService

        task.satisfaction = outcome.satisfaction
        task.comment = comment
        _finish(session, actor, task, CallbackStatus.DONE)
        if not awaiting:  # no complaint, or it has moved on (closed, cancelled) meanwhile
            return
        complaints = ComplaintService(self.db)
        details = {"satisfaction": outcome.satisfaction.value if outcome.satisfaction else None}
        if outcome.satisfaction in (Satisfaction.SATISFIED, Satisfaction.FAIRLY):
            complaints.record_callback_in(session, actor, task.complaint_id,
                                          Action.CALLBACK_SATISFIED, comment, details)
        elif outcome.next_step == Next.REWORK:
            complaints.record_callback_in(session, actor, task.complaint_id,
                                          Action.CALLBACK_UNSATISFIED, comment, details)
        else:
            assert outcome.call_again_at is not None
            details["call_again_at"] = outcome.call_again_at.isoformat()
            complaints.record_callback_in(session, actor, task.complaint_id,
                                          Action.CALLBACK_EXPLAINED, comment, details)
            self._follow_up(session, actor, task, outcome.call_again_at, comment)

    def _not_reached(self, session: Session, actor: Actor, task: CallbackTask,
                     comment: str, awaiting: bool) -> None:
        from app.services.complaints import ComplaintService

        limit = _option(session, CALLBACK_MAX_ATTEMPTS)
        complaints = ComplaintService(self.db)
        details = {"attempt": task.attempts, "of": limit}
        if task.attempts >= limit:
            _finish(session, actor, task, CallbackStatus.FAILED, comment)
            if awaiting:
                complaints.record_callback_in(session, actor, task.complaint_id,
                                              Action.CALLBACK_FAILED, comment, details)
            return
        before = task.due_at
        task.due_at = deadlines.load_calendar(session).add(
            clock.utcnow(), _option(session, CALLBACK_RETRY_MINUTES))
        audit.record(session, actor, "callback", task.id, "not_reached",
                     {"attempts": [task.attempts - 1, task.attempts],
                      "due_at": [before.isoformat(), task.due_at.isoformat()]},
                     note=comment or None)
        if awaiting:
            complaints.record_callback_in(session, actor, task.complaint_id,
                                          Action.CALLBACK_UNREACHABLE, comment, details)

    @staticmethod
    def _follow_up(session: Session, actor: Actor, task: CallbackTask, at: datetime,
                   note: str) -> int:
        follow = CallbackTask(reason=task.reason, complaint_id=task.complaint_id,
                              customer_id=task.customer_id, phone=task.phone, due_at=at,
                              note=note, created_by_id=actor.user_id,
                              operator_id=actor.user_id, created_at=clock.utcnow())
        session.add(follow)
        session.flush()
        audit.record(session, actor, "callback", follow.id, "create",
                     {"reason": [None, follow.reason.value], "after": [None, task.id],
                      "due_at": [None, at.isoformat()]})
        return follow.id

    def skip(self, actor: Actor, callback_id: int, reason: str) -> CallbackDetail:
        """Not dialled: the customer does not want calls (or the number is gone). A
        complaint's form closes, saying why."""
        if not reason.strip():
            raise ValidationError(translate("Callbacks", "Write why the callback is skipped."),
                                  ("reason",))
        with self.db.write() as session:
            task, awaiting = self._lock_pair(session, callback_id)
            if task.status != CallbackStatus.PENDING:
                raise CallDeskError(translate(
                    "Callbacks", "This callback is already {status}. Refresh the list.")
                    .format(status=task.status.label))
            _finish(session, actor, task, CallbackStatus.SKIPPED, reason.strip())
            if awaiting:
                from app.services.complaints import ComplaintService

                ComplaintService(self.db).record_callback_in(
                    session, actor, task.complaint_id, Action.CALLBACK_SKIPPED, reason)
        return self.get(callback_id)

    def attach_customer(self, actor: Actor, callback_id: int,
                        customer_id: int) -> CallbackDetail:
        """A card made for the caller of a missed call (新建客户卡 in the callback): the
        callback, and the missed call it came from, now belong to that customer."""
        with self.db.write() as session:
            task = self._locked(session, callback_id)
            customer = session.get(Customer, customer_id)
            if customer is None or customer.merged_into_id is not None:
                raise NotFound(translate("Callbacks", "That customer card no longer exists."))
            if task.customer_id is not None and task.customer_id != customer_id:
                raise CallDeskError(translate(
                    "Callbacks", "This callback already belongs to another card. Refresh "
                                 "the list."))
            task.customer_id = customer_id
            if task.call_id is not None:
                call = session.get(Call, task.call_id)
                if call is not None and call.customer_id is None:
                    call.customer_id = customer_id
            audit.record(session, actor, "callback", task.id, "update",
                         {"customer_id": [None, customer_id]})
        return self.get(callback_id)

    def try_again(self, actor: Actor, callback_id: int, due_at: datetime,
                  note: str = "") -> CallbackRow:
        """A supervisor's answer to a failed callback (回访失败): one more round of tries,
        from ``due_at``. The failed one stays as it was, for the statistics."""
        require(actor, Permission.REVIEW_CALLBACKS)
        if due_at <= clock.utcnow() - timedelta(minutes=1):
            raise ValidationError(translate("Callbacks", "Choose a time that has not passed."),
                                  ("due_at",))
        with self.db.write() as session:
            task, awaiting = self._lock_pair(session, callback_id)
            if task.status != CallbackStatus.FAILED:
                raise CallDeskError(translate(
                    "Callbacks", "Only a failed callback is tried again. Refresh the list."))
            if task.complaint_id is not None and (not awaiting or self._pending_exists(
                    session, CallbackTask.complaint_id == task.complaint_id)) or \
                    task.complaint_id is None and task.call_id is not None and \
                    self._pending_exists(session, CallbackTask.call_id == task.call_id):
                raise CallDeskError(translate(
                    "Callbacks", "This callback has been taken up again already, or its "
                                 "complaint has moved on. Refresh the list."))
            follow = self._follow_up(session, actor, task, due_at, note.strip())
            return self._row(session, follow)

    def close_unreached(self, actor: Actor, callback_id: int, reason: str) -> CallbackDetail:
        """A supervisor closes the complaint of a failed callback: the customer could not be
        reached however often they were called. The reason goes into its timeline."""
        require(actor, Permission.REVIEW_CALLBACKS)
        with self.db.write() as session:
            task, awaiting = self._lock_pair(session, callback_id)
            if task.status != CallbackStatus.FAILED or not awaiting:
                raise CallDeskError(translate(
                    "Callbacks", "Only the complaint of a failed callback is closed this way. "
                                 "Refresh the list."))
            from app.services.complaints import ComplaintService

            ComplaintService(self.db).record_callback_in(
                session, actor, task.complaint_id, Action.CLOSE_UNREACHED, reason)
        return self.get(callback_id)

    @staticmethod
    def _pending_exists(session: Session, condition: ColumnElement[bool]) -> bool:
        return session.scalar(select(CallbackTask.id).where(
            condition, CallbackTask.status == CallbackStatus.PENDING).limit(1)) is not None

    @staticmethod
    def _lock_pair(session: Session, callback_id: int) -> tuple[CallbackTask, bool]:
        """Locks the complaint first, then the callback, the order every step takes, so two
        desks (a callback and a cancel) never wait on each other. Also says whether the
        complaint is still waiting for its callback."""
        complaint_id = session.scalar(select(CallbackTask.complaint_id)
                                      .where(CallbackTask.id == callback_id))
        awaiting = False
        if complaint_id is not None:
            status = session.scalar(select(Complaint.status).where(
                Complaint.id == complaint_id).with_for_update())
            awaiting = status == Status.AWAITING_CALLBACK
        return CallbackService._locked(session, callback_id), awaiting

    def review(self, actor: Actor, callback_id: int, comment: str = "") -> CallbackDetail:
        """审阅: a supervisor has looked at the finished callback."""
        require(actor, Permission.REVIEW_CALLBACKS)
        with self.db.write() as session:
            task = self._locked(session, callback_id)
            if task.status == CallbackStatus.PENDING:
                raise CallDeskError(translate(
                    "Callbacks", "A callback is reviewed once it has been made (or has "
                                 "failed or been skipped)."))
            before = [task.reviewed_at.isoformat() if task.reviewed_at else None,
                      task.review_comment]
            task.reviewed_at = clock.utcnow()
            task.reviewed_by_id = actor.user_id
            task.review_comment = comment.strip()[:MAX_TEXT]
            audit.record(session, actor, "callback", task.id, "review",
                         {"review": [before, [task.reviewed_at.isoformat(),
                                              task.review_comment]]})
        return self.get(callback_id)

    @staticmethod
    def _locked(session: Session, callback_id: int) -> CallbackTask:
        task = session.scalars(select(CallbackTask).where(CallbackTask.id == callback_id)
                               .with_for_update()).first()
        if task is None:
            raise NotFound(translate("Callbacks", "That callback no longer exists. Refresh "
                                                  "the list."))
        return task

    @staticmethod
    def _row(session: Session, callback_id: int) -> CallbackRow:
        session.flush()
        return _row(*session.execute(_select().where(CallbackTask.id == callback_id)).one())

    def for_customer(self, customer_id: int, limit: int = 50) -> list[CallbackRow]:
        with self.db.read() as session:
            rows = session.execute(_select().where(CallbackTask.customer_id == customer_id)
                                   .order_by(CallbackTask.due_at.desc()).limit(limit)).all()
            return [_row(*r) for r in rows]



def callback_script(template: str, centre: str, detail: CallbackDetail) -> str:
    """The callback script with the customer and the complaint filled in. Only the known
    placeholders are replaced, so a brace the administrator typed stays as it is. (For a
    callback without a complaint, pass the missed-call script.)"""
    row = detail.row
    registered = detail.complaint_registered_at
    when = registered.astimezone() if registered else None
    values = {"{centre}": centre, "{name}": row.greeting_name or "",
              "{complaint}": row.complaint_summary,
              # Spoken to the caller, so in the callers' language whatever the UI's.
              "{date}": f"{when.month}月{when.day}日" if when else ""}
    for key, value in values.items():
        template = template.replace(key, value)
    return template
