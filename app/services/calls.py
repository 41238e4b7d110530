"""The call log (来电登记): logging calls in and out, missed calls that become callback tasks,
editing within the rules, and the paged, filtered call list."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session, joinedload

from app import clock
from app.db import Database
from app.db.models import (
    Call,
    CallbackTask,
    Complaint,
    Customer,
    CustomerPhone,
    Department,
    Setting,
    Unit,
)
from app.domain.calls import CallbackReason, CallbackStatus, CallType, Direction, Outcome
from app.domain.phones import parse_phones, search_digits
from app.domain.roles import Actor, Permission
from app.domain.texts import NOTE_MAX, search_text
from app.errors import NotFound, PermissionDenied, ValidationError
from app.i18n import translate
from app.services import audit
from app.services.customers import CustomerCard, CustomerService
from app.services.incidents import IncidentRow, IncidentService, check_linkable
from app.services.paging import iter_pages
from app.settings import CALLBACK_DUE_MISSED

if TYPE_CHECKING:
    from app.services.complaints import ComplaintRow

MAX_SUMMARY = NOTE_MAX
MAX_DURATION_S = 24 * 3600
PAGE_SIZE = 100


@dataclass
class CallInput:
    phone: str = ""
    direction: Direction = Direction.INBOUND
    customer_id: int | None = None
    unit_id: int | None = None
    call_type: CallType | None = None
    summary: str = ""
    outcome: Outcome | None = None
    department_id: int | None = None
    duration_seconds: int = 0
    missed: bool = False
    received_at: datetime | None = None  # when the call began; default: now minus duration
    incident_id: int | None = None  # about an incident (停水 …) rather than a new matter


@dataclass(frozen=True)
class CallRow:
    id: int
    received_at: datetime
    direction: Direction
    phone: str
    customer_id: int | None
    customer_name: str
    unit_id: int | None
    unit_label: str
    missed: bool
    call_type: CallType | None
    outcome: Outcome | None
    department_id: int | None
    department_name: str
    summary: str
    duration_seconds: int
    operator_id: int | None
    operator_name: str


@dataclass(frozen=True)
class CallFilter:
    start: date | None = None  # local dates, both inclusive
    end: date | None = None
    call_type: CallType | None = None
    outcome: Outcome | None = None
    operator_id: int | None = None
    direction: Direction | None = None
    missed: bool | None = None
    text: str = ""


@dataclass(frozen=True)
class CallPage:
    rows: list[CallRow]
    total: int
    offset: int


def local_day_bounds(day: date) -> tuple[datetime, datetime]:
    """The UTC instants where a local calendar day (this PC's time zone) begins and ends."""
    start = datetime.combine(day, time.min).astimezone()
    end = datetime.combine(day + timedelta(days=1), time.min).astimezone()
    return start, end


def _row(call: Call) -> CallRow:
    return CallRow(
        id=call.id, received_at=call.received_at, direction=call.direction,
        phone=call.phone_raw, customer_id=call.customer_id,
        customer_name=call.customer.name if call.customer else "",
        unit_id=call.unit_id, unit_label=call.unit.label if call.unit else "",
        missed=call.missed, call_type=call.call_type, outcome=call.outcome,
        department_id=call.department_id,
        department_name=call.department.name if call.department else "",
        summary=call.summary, duration_seconds=call.duration_seconds,
        operator_id=call.operator_id,
        operator_name=call.operator.display_name if call.operator else "")


def _snapshot(call: Call) -> dict[str, object]:
    return {"phone": call.phone_raw, "customer_id": call.customer_id, "unit_id": call.unit_id,
            "direction": call.direction.value, "missed": call.missed,
            "call_type": call.call_type.value if call.call_type else None,
            "outcome": call.outcome.value if call.outcome else None,
            "department_id": call.department_id, "summary": call.summary,
            "duration_seconds": call.duration_seconds}


def missed_call_due(session: Session, rang_at: datetime) -> datetime:
    """When a missed call is to be called back: the set working minutes after it rang."""
    from app.services import deadlines

    stored = session.get(Setting, CALLBACK_DUE_MISSED.key)
    minutes = CALLBACK_DUE_MISSED.coerce(stored.value if stored else None)
    if minutes <= 0:
        minutes = CALLBACK_DUE_MISSED.default
    return deadlines.load_calendar(session).add(rang_at, minutes)


class CallService:
    def __init__(self, db: Database) -> None:
        self.db = db

    # -- validation ----------------------------------------------------------------------
    def _validate(self, session: Session, data: CallInput) -> tuple[CallInput, str | None]:
        fields: dict[str, str] = {}
        normalized = None
        phone = data.phone.strip()
        if phone:
            parsed, rejected = parse_phones(phone)
            if rejected or not parsed:
                reason = rejected[0][1] if rejected else ""
                fields["phone"] = translate("Calls", "{number} is not a phone number we can "
                                                     "call back ({reason})").format(
                    number=phone, reason=reason)
            else:
                normalized = parsed[0].normalized
                phone = parsed[0].display
        elif data.customer_id is None:
            fields["phone"] = translate("Calls", "Enter the caller's number or choose their "
                                                 "card.")
        if data.missed:
            if not phone and "phone" not in fields:
                fields["phone"] = translate("Calls", "A missed call needs the number, so it "
                                                     "can be called back.")
        else:
            if data.call_type is None:
                fields["call_type"] = translate("Calls", "Choose what the call was about.")
            if not data.summary.strip():
                fields["summary"] = translate("Calls", "Write what the caller said, in a few "
                                                       "words.")
            if data.outcome is None:
                fields["outcome"] = translate("Calls", "Choose what came of the call.")
            elif data.outcome == Outcome.DISPATCHED and data.department_id is None:
                fields["department"] = translate("Calls", "Choose the department the call "
                                                          "goes to.")
        if len(data.summary) > MAX_SUMMARY:
            fields["summary"] = translate("Calls", "At most {n} characters.").format(
                n=MAX_SUMMARY)
        if not 0 <= data.duration_seconds <= MAX_DURATION_S:
            fields["duration"] = translate("Calls", "The duration is not plausible.")
        if data.customer_id is not None:
            customer = session.get(Customer, data.customer_id)
            if customer is None or customer.merged_into_id is not None:
                fields["customer"] = translate("Calls", "That customer card no longer exists; "
                                                        "choose the caller again.")
        if data.unit_id is not None and session.get(Unit, data.unit_id) is None:
            fields["unit"] = translate("Calls", "That unit no longer exists; choose it again.")
        if data.department_id is not None and session.get(Department, data.department_id) \
                is None:
            fields["department"] = translate("Calls", "That department no longer exists.")
        if fields:
            raise ValidationError(next(iter(fields.values())), fields)
        cleaned = replace(data, phone=phone, summary=data.summary.strip())
        if cleaned.missed:
            cleaned = replace(cleaned, call_type=None, outcome=None, department_id=None)
        elif cleaned.outcome != Outcome.DISPATCHED:
            cleaned = replace(cleaned, department_id=None)
        return cleaned, normalized

    @staticmethod
    def _apply(call: Call, data: CallInput, normalized: str | None) -> None:
        call.phone_raw = data.phone
        call.phone_normalized = normalized
        call.direction = Direction(data.direction)
        call.customer_id = data.customer_id
        call.unit_id = data.unit_id
        call.missed = data.missed
        call.call_type = data.call_type
        call.outcome = data.outcome
        call.department_id = data.department_id
        call.summary = data.summary
        call.duration_seconds = data.duration_seconds

    # -- writing -------------------------------------------------------------------------
    def log(self, actor: Actor, data: CallInput) -> CallRow:
        """Saves a call. A missed call also becomes a callback task (回拨), due by the
        missed-call rule."""
        with self.db.write() as session:
            return _row(self._load(session, self.log_in(session, actor, data)))

    def log_in(self, session: Session, actor: Actor, data: CallInput) -> int:
        """``log`` inside the caller's transaction (a complaint saved with its call)."""
        data, normalized = self._validate(session, data)
        if data.customer_id is None and normalized:
            data = replace(data, customer_id=_only_customer(session, normalized))
        now = clock.utcnow()
        call = Call(operator_id=actor.user_id,
                    received_at=data.received_at or now - timedelta(
                        seconds=data.duration_seconds))
        self._apply(call, data, normalized)
        if data.incident_id is not None:
            check_linkable(session, data.incident_id)
            call.incident_id = data.incident_id
        session.add(call)
        session.flush()
        audit.record(session, actor, "call", call.id, "create",
                     audit.diff({}, _snapshot(call)))
        if call.missed:
            # Due by the centre's rule (within 30 working minutes unless the administrator
            # says otherwise): not overdue the moment it is made.
            due = missed_call_due(session, call.received_at)
            task = CallbackTask(reason=CallbackReason.MISSED_CALL, call_id=call.id,
                                customer_id=call.customer_id, phone=call.phone_raw,
                                due_at=due, created_by_id=actor.user_id,
                                created_at=now)
            session.add(task)
            session.flush()
            audit.record(session, actor, "callback", task.id, "create",
                         {"reason": [None, task.reason.value], "call_id": [None, call.id]})
        return call.id

    def update(self, actor: Actor, call_id: int, data: CallInput) -> CallRow:
        """Changes a saved call: its operator on the same day, a supervisor always."""
        with self.db.write() as session:
            call = self._load(session, call_id)
            self._check_may_edit(actor, call)
            data, normalized = self._validate(session, data)
            before = _snapshot(call)
            self._apply(call, data, normalized)
            session.flush()
            changes = audit.diff(before, _snapshot(call))
            if changes:
                audit.record(session, actor, "call", call.id, "update", changes)
            return _row(call)

    @staticmethod
    def _check_may_edit(actor: Actor, call: Call) -> None:
        if not may_edit(actor, call.operator_id, call.received_at):
            raise PermissionDenied(translate(
                "Calls", "You can change your own calls on the day they were taken. Ask a "
                         "supervisor to change this one."))

    @staticmethod
    def may_edit(actor: Actor, call: CallRow) -> bool:
        return may_edit(actor, call.operator_id, call.received_at)

    # -- reading -------------------------------------------------------------------------
    @staticmethod
    def _load(session: Session, call_id: int) -> Call:
        call = session.get(Call, call_id, options=[
            joinedload(Call.customer), joinedload(Call.unit), joinedload(Call.operator),
            joinedload(Call.department)])
        if call is None:
            raise NotFound(translate("Calls", "That call no longer exists. Refresh the list."))
        return call

    def get(self, call_id: int) -> CallRow:
        with self.db.read() as session:
            return _row(self._load(session, call_id))

    @staticmethod
    def _conditions(filters: CallFilter) -> list[ColumnElement[bool]]:
        conditions: list[ColumnElement[bool]] = []
        if filters.start is not None:
            conditions.append(Call.received_at >= local_day_bounds(filters.start)[0])
        if filters.end is not None:
            conditions.append(Call.received_at < local_day_bounds(filters.end)[1])
        if filters.call_type is not None:
            conditions.append(Call.call_type == filters.call_type)
        if filters.outcome is not None:
            conditions.append(Call.outcome == filters.outcome)
        if filters.operator_id is not None:
            conditions.append(Call.operator_id == filters.operator_id)
        if filters.direction is not None:
            conditions.append(Call.direction == filters.direction)
        if filters.missed is not None:
            conditions.append(Call.missed.is_(filters.missed))
        text = search_text(filters.text)
        if text:
            digits = search_digits(text)
            if digits and len(digits) >= 4 and digits == "".join(text.split()).replace("-", ""):
                # The national digits without the trunk 0 stand inside the E.164 form.
                conditions.append(Call.phone_normalized.contains(digits.lstrip("0"),
                                                                 autoescape=True))
            else:
                conditions.append(or_(
                    Call.summary.contains(text, autoescape=True),
                    Call.customer_id.in_(select(Customer.id).where(
                        Customer.name.contains(text, autoescape=True)))))
        return conditions

    def iter_rows(self, filters: CallFilter) -> Iterator[CallRow]:
        """Every row the list shows with ``filters``, in its order, a page at a time."""
        return iter_pages(self.list, filters, cursor=list_position)

    def list(self, filters: CallFilter = CallFilter(), offset: int = 0,  # noqa: B008
             limit: int = PAGE_SIZE, count: bool = True,
             after: tuple[datetime, int] | None = None) -> CallPage:
        """Newest first, so today's calls come first. ``count=False`` skips the total
        (then -1), for later pages of the same list. ``after`` (``list_position`` of the
        last row shown) continues from there instead of skipping ``offset`` rows: as fast
        a month down the list as at the top, and a call logged meanwhile shifts nothing."""
        conditions = self._conditions(filters)
        with self.db.read() as session:
            total = (session.scalar(select(func.count(Call.id)).where(*conditions)) or 0) \
                if count else -1
            query = select(Call).where(*conditions)
            if after is not None:
                received, call_id = after
                query = query.where(or_(Call.received_at < received,
                                        and_(Call.received_at == received, Call.id < call_id)))
            else:
                query = query.offset(offset)
            calls = session.scalars(
                query.options(joinedload(Call.customer), joinedload(Call.unit),
                              joinedload(Call.operator), joinedload(Call.department))
                .order_by(Call.received_at.desc(), Call.id.desc()).limit(limit)).all()
            return CallPage(rows=[_row(c) for c in calls], total=total, offset=offset)

    def recent_for_customer(self, customer_id: int, limit: int = 5) -> list[CallRow]:
        with self.db.read() as session:
            calls = session.scalars(
                select(Call).where(Call.customer_id == customer_id)
                .options(joinedload(Call.customer), joinedload(Call.unit),
                         joinedload(Call.operator), joinedload(Call.department))
                .order_by(Call.received_at.desc(), Call.id.desc()).limit(limit)).all()
            return [_row(c) for c in calls]

    def pending_callbacks(self) -> int:
        with self.db.read() as session:
            return session.scalar(select(func.count(CallbackTask.id)).where(
                CallbackTask.status == CallbackStatus.PENDING)) or 0


def list_position(row: CallRow) -> tuple[datetime, int]:
    """Where a row stands in the call list's order, for ``CallService.list(after=…)``."""
    return row.received_at, row.id


@dataclass(frozen=True)
class PendingCallback:
    id: int
    reason: CallbackReason
    due_at: datetime
    phone: str
    about: str = ""  # the complaint's number, for a 回访


@dataclass(frozen=True)
class CallerView:
    """What the caller pop-up shows: who is calling and what is open for them."""

    phone: str
    cards: list[CustomerCard]
    recent_calls: dict[int, list[CallRow]]
    pending_callbacks: dict[int, list[PendingCallback]]
    open_complaints: dict[int, list[ComplaintRow]]
    # Active incidents touching each card's units (None: for a caller without a card).
    incidents: dict[int | None, list[IncidentRow]] = field(default_factory=dict)


def caller_view(db: Database, phone: str) -> CallerView:
    from app.services.complaints import ComplaintService  # it builds on this module

    parsed, _ = parse_phones(phone)
    cards = CustomerService(db).lookup_phone(phone)
    calls = CallService(db)
    recent = {card.id: calls.recent_for_customer(card.id) for card in cards}
    with db.read() as session:
        pending: dict[int, list[PendingCallback]] = {card.id: [] for card in cards}
        for task, number in session.execute(
                select(CallbackTask, Complaint.number)
                .outerjoin(Complaint, Complaint.id == CallbackTask.complaint_id).where(
                    CallbackTask.status == CallbackStatus.PENDING,
                    CallbackTask.customer_id.in_([card.id for card in cards]))
                .order_by(CallbackTask.due_at)):
            pending[task.customer_id].append(PendingCallback(
                task.id, task.reason, task.due_at, task.phone, number or ""))
    complaints = ComplaintService(db)
    open_complaints = {card.id: complaints.for_customer(card.id, open_only=True, limit=10)
                       for card in cards}
    incidents = IncidentService(db)
    touching = {card.id: incidents.touching_customer(card.id) for card in cards} if cards \
        else {None: incidents.touching_customer(None)}
    return CallerView(phone=parsed[0].display if parsed else phone.strip(), cards=cards,
                      recent_calls=recent, pending_callbacks=pending,
                      open_complaints=open_complaints, incidents=touching)


def may_edit(actor: Actor, operator_id: int | None, received_at: datetime) -> bool:
    """The rule for changing a saved call: its operator on the (local) day it was taken,
    a supervisor or admin always."""
    if actor.can(Permission.EDIT_ANY_CALL):
        return True
    today = clock.utcnow().astimezone().date()
    return operator_id == actor.user_id and received_at.astimezone().date() == today


def _only_customer(session: Session, normalized: str) -> int | None:
    """The caller's card when exactly one live card has the number."""
    ids = session.scalars(select(CustomerPhone.customer_id).join(Customer).where(
        CustomerPhone.normalized == normalized, Customer.merged_into_id.is_(None))
        .distinct().limit(2)).all()
    return ids[0] if len(ids) == 1 else None
