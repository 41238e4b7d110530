"""Complaint forms (投诉处理单): registering (from a call or directly), the duplicate check,
the workflow steps with their timeline, deadlines in working time, the paged list and the
slip's contents.

Every step reloads the form inside its write transaction (locked on PostgreSQL), checks the
state machine and the user's role there, and writes the change, the timeline entry and the
audit entry together, so a refused or failed step changes nothing."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, or_, select
from sqlalchemy.orm import Session, joinedload

from app import clock
from app.db import Database
from app.db.models import Call, Complaint, ComplaintEvent, Customer, Department, Unit, User
from app.domain.calls import CallType, Outcome
from app.domain.complaints import (
    NUMBER_PREFIX,
    OPEN_STATUSES,
    WORKFLOW,
    WORKING_STATUSES,
    Action,
    Category,
    Deadline,
    Severity,
    Source,
    Status,
    Urgency,
)
from app.domain.phones import parse_phones
from app.domain.roles import Actor
from app.domain.texts import LONG_TEXT_MAX, search_text
from app.errors import CallDeskError, NotFound, ValidationError
from app.i18n import translate
from app.reports.complaint_slip import SlipData
from app.services import audit, deadlines
from app.services.calls import CallInput, CallService, local_day_bounds
from app.services.numbering import next_number
from app.services.paging import iter_pages

PAGE_SIZE = 100
MAX_TEXT = LONG_TEXT_MAX
CALLBACK_ACTIONS = frozenset({Action.CALLBACK_SATISFIED, Action.CALLBACK_UNSATISFIED,
                              Action.CALLBACK_UNREACHABLE, Action.CALLBACK_EXPLAINED,
                              Action.CALLBACK_SKIPPED, Action.CALLBACK_FAILED,
                              Action.CLOSE_UNREACHED})
RECENTLY_CLOSED = timedelta(days=7)  # a new complaint like one closed this recently is a repeat


@dataclass
class ComplaintInput:
    category: Category | None = None
    severity: Severity = Severity.NORMAL
    description: str = ""
    demand: str = ""  # 客户诉求
    source: Source = Source.PHONE
    customer_id: int | None = None
    unit_id: int | None = None
    phone: str = ""
    department_id: int | None = None  # chosen at registration: dispatched at once
    assignee_id: int | None = None
    assignee_name: str = ""  # staff without a CallDesk login
    company_at_fault: bool | None = None
    call_id: int | None = None


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    user_name: str
    action: Action
    from_status: Status | None
    to_status: Status | None
    note: str
    details: dict[str, Any]


@dataclass(frozen=True)
class ComplaintRow:
    id: int
    number: str
    status: Status
    source: Source
    category: Category
    severity: Severity
    customer_id: int | None
    customer_name: str
    unit_id: int | None
    unit_label: str
    phone: str
    description: str
    department_id: int | None
    department_name: str
    assignee: str
    created_at: datetime
    response: Deadline
    resolve: Deadline
    reopen_count: int
    slip_printed_at: datetime | None

    @property
    def deadlines(self) -> list[Deadline]:
        return [self.response, self.resolve]

    def urgency(self, now: datetime) -> Urgency:
        """The worst of the deadlines still running; only open forms can be late."""
        if self.status not in WORKING_STATUSES:
            return Urgency.NONE
        states = [d.urgency(now) for d in self.deadlines]
        return max(states, key=lambda u: u.rank)


@dataclass(frozen=True)
class ComplaintDetail:
    row: ComplaintRow
    demand: str
    resolution: str
    measures: str
    company_at_fault: bool | None
    call_id: int | None
    assignee_id: int | None
    assignee_name: str
    dispatcher: str
    created_by: str
    updated_at: datetime
    closed_at: datetime | None
    timeline: list[TimelineEntry] = field(default_factory=list)

    def as_input(self) -> ComplaintInput:
        row = self.row
        return ComplaintInput(
            category=row.category, severity=row.severity, description=row.description,
            demand=self.demand, source=row.source, customer_id=row.customer_id,
            unit_id=row.unit_id, phone=row.phone, department_id=row.department_id,
            assignee_id=self.assignee_id, assignee_name=self.assignee_name,
            company_at_fault=self.company_at_fault, call_id=self.call_id)


@dataclass(frozen=True)
class ComplaintFilter:
    statuses: frozenset[Status] | None = None  # None: every status
    category: Category | None = None
    severity: Severity | None = None
    department_id: int | None = None
    urgency: Urgency | None = None  # OVERDUE or DUE_SOON
    start: date | None = None  # registered between these local dates, inclusive
    end: date | None = None
    mine_user_id: int | None = None  # registered, dispatched or assigned to this user
    customer_id: int | None = None
    text: str = ""  # number, customer name, description


@dataclass(frozen=True)
class ComplaintPage:
    rows: list[ComplaintRow]
    total: int
    offset: int


class DuplicateSuspected(CallDeskError):
    """Another complaint for the same unit (or customer) and category is open or was closed
    within 7 days. Nothing was saved; save again with ``allow_duplicate`` if it is new."""

    def __init__(self, existing: list[ComplaintRow]) -> None:
        numbers = "、".join(r.number for r in existing[:3])
        super().__init__(translate(
            "Complaints", "{numbers} is already about the same place and category. Open it "
                          "instead, or save this one as a new complaint.").format(
            numbers=numbers))
        self.existing = existing


# -- mapping --------------------------------------------------------------------------------
def _user_name(user: User | None) -> str:
    return user.display_name if user else ""


def _row(c: Complaint) -> ComplaintRow:
    return ComplaintRow(
        id=c.id, number=c.number, status=c.status, source=c.source, category=c.category,
        severity=c.severity, customer_id=c.customer_id,
        customer_name=c.customer.name if c.customer else "",
        unit_id=c.unit_id, unit_label=c.unit.label if c.unit else "", phone=c.phone,
        description=c.description, department_id=c.department_id,
        department_name=c.department.name if c.department else "",
        assignee=_user_name(c.assignee) or c.assignee_name, created_at=c.created_at,
        response=Deadline("response", c.response_due_at, c.response_soon_at, c.responded_at),
        resolve=Deadline("resolve", c.resolve_due_at, c.resolve_soon_at, c.resolved_at),
        reopen_count=c.reopen_count, slip_printed_at=c.slip_printed_at)


def _entry(e: ComplaintEvent) -> TimelineEntry:
    return TimelineEntry(
        at=e.at, user_name=e.user_name, action=Action(e.action),
        from_status=Status(e.from_status) if e.from_status else None,
        to_status=Status(e.to_status) if e.to_status else None, note=e.note,
        details=e.details or {})


def _detail(c: Complaint) -> ComplaintDetail:
    return ComplaintDetail(
        row=_row(c), demand=c.demand, resolution=c.resolution, measures=c.measures,
        company_at_fault=c.company_at_fault, call_id=c.call_id, assignee_id=c.assignee_id,
        assignee_name=c.assignee_name, dispatcher=_user_name(c.dispatched_by),
        created_by=_user_name(c.created_by), updated_at=c.updated_at, closed_at=c.closed_at,
        timeline=[_entry(e) for e in c.events])


def _snapshot(c: Complaint) -> dict[str, object]:
    return {"source": c.source.value, "customer_id": c.customer_id, "unit_id": c.unit_id,
            "phone": c.phone, "category": c.category.value, "severity": c.severity.value,
            "description": c.description, "demand": c.demand,
            "department_id": c.department_id, "assignee_id": c.assignee_id,
            "assignee_name": c.assignee_name, "company_at_fault": c.company_at_fault,
            "resolution": c.resolution, "measures": c.measures, "status": c.status.value}


_LOADS = (joinedload(Complaint.customer), joinedload(Complaint.unit),
          joinedload(Complaint.department), joinedload(Complaint.assignee))


class ComplaintService:
    kind = deadlines.COMPLAINT

    def __init__(self, db: Database) -> None:
        self.db = db

    # -- validation ------------------------------------------------------------------------
    def _validate(self, session: Session, data: ComplaintInput, *,
                  check_customer: bool = True) -> ComplaintInput:
        """``check_customer`` False: the form keeps the customer it has (even a card since
        merged away), so only a change of customer is checked."""
        fields: dict[str, str] = {}
        if data.category is None:
            fields["category"] = translate("Complaints", "Choose what the complaint is about.")
        if not data.description.strip():
            fields["description"] = translate("Complaints", "Write what happened.")
        for name, text in (("description", data.description), ("demand", data.demand)):
            if len(text) > MAX_TEXT:
                fields[name] = translate("Complaints", "At most {n} characters.").format(
                    n=MAX_TEXT)
        phone = data.phone.strip()
        if phone:
            parsed, rejected = parse_phones(phone)
            if rejected or not parsed:
                fields["phone"] = translate("Complaints", "{number} is not a phone number we "
                                                          "can call back.").format(number=phone)
            else:
                phone = parsed[0].display
        if data.customer_id is not None:
            customer = session.get(Customer, data.customer_id) if check_customer else None
            if check_customer and (customer is None or customer.merged_into_id is not None):
                fields["customer"] = translate("Complaints", "That customer card no longer "
                                                             "exists; choose it again.")
        elif not phone:
            fields["customer"] = translate("Complaints", "Choose the customer's card or write "
                                                         "a number to call them back on.")
        if data.unit_id is not None and session.get(Unit, data.unit_id) is None:
            fields["unit"] = translate("Complaints", "That unit no longer exists; choose it "
                                                     "again.")
        if data.department_id is not None:
            department = session.get(Department, data.department_id)
            if department is None or not department.active:
                fields["department"] = translate("Complaints", "That department no longer "
                                                               "takes work; choose another.")
        if data.assignee_id is not None:
            user = session.get(User, data.assignee_id)
            if user is None or not user.active:
                fields["assignee"] = translate("Complaints", "That person can no longer be "
                                                             "assigned; choose another.")
        if (data.assignee_id is not None or data.assignee_name.strip()) \
                and data.department_id is None:
            fields["department"] = translate("Complaints", "Choose the department the "
                                                           "assignee works for.")
        if fields:
            raise ValidationError(next(iter(fields.values())), fields)
        return replace(data, phone=phone, description=data.description.strip(),
                       demand=data.demand.strip(), assignee_name=data.assignee_name.strip()[:40])

    # -- duplicates ------------------------------------------------------------------------
    def duplicates(self, data: ComplaintInput, exclude_id: int | None = None) -> list[ComplaintRow]:
        with self.db.read() as session:
            return self._duplicates(session, data, exclude_id)

    @staticmethod
    def _duplicates(session: Session, data: ComplaintInput,
                    exclude_id: int | None) -> list[ComplaintRow]:
        if data.category is None or (data.unit_id is None and data.customer_id is None):
            return []
        place = (Complaint.unit_id == data.unit_id) if data.unit_id is not None \
            else (Complaint.customer_id == data.customer_id)
        recent = clock.utcnow() - RECENTLY_CLOSED
        query = (select(Complaint).options(*_LOADS)
                 .where(place, Complaint.category == data.category,
                        or_(Complaint.status.in_(OPEN_STATUSES),
                            and_(Complaint.closed_at >= recent,
                                 Complaint.status != Status.CANCELLED)))
                 .order_by(Complaint.created_at.desc()).limit(5))
        if exclude_id is not None:
            query = query.where(Complaint.id != exclude_id)
        return [_row(c) for c in session.scalars(query).unique()]

    # -- registering and editing -------------------------------------------------------------
    def create(self, actor: Actor, data: ComplaintInput, *, call: CallInput | None = None,
               allow_duplicate: bool = False) -> ComplaintDetail:
        """Registers a complaint; with ``call``, logs that call in the same transaction and
        links it. With a department chosen, it is dispatched at once."""
        with self.db.write() as session:
            if call is not None:
                call = replace(call, outcome=Outcome.COMPLAINT, department_id=None,
                               missed=False, call_type=call.call_type or CallType.COMPLAINT,
                               summary=call.summary.strip() or data.description)
                if data.customer_id is not None and call.customer_id is None:
                    call = replace(call, customer_id=data.customer_id, unit_id=data.unit_id)
                data = replace(data, call_id=CallService(self.db).log_in(session, actor, call))
                if not data.phone and call.phone:
                    data = replace(data, phone=call.phone)
            data = self._validate(session, data)
            if data.call_id is not None and session.get(Call, data.call_id) is None:
                raise NotFound(translate("Complaints", "That call no longer exists."))
            if not allow_duplicate:
                existing = self._duplicates(session, data, None)
                if existing:
                    raise DuplicateSuspected(existing)
            now = clock.utcnow()
            complaint = Complaint(number=next_number(session, NUMBER_PREFIX, now),
                                  status=Status.REGISTERED, created_at=now,
                                  clock_started_at=now, created_by_id=actor.user_id)
            self._apply(complaint, data)
            self._set_deadlines(session, complaint, now)
            session.add(complaint)
            session.flush()
            self._event(session, actor, complaint, Action.REGISTER, None, Status.REGISTERED,
                        details={"number": complaint.number,
                                 "duplicate_confirmed": allow_duplicate or None})
            audit.record(session, actor, "complaint", complaint.id, "create",
                         audit.diff({}, _snapshot(complaint)))
            if data.department_id is not None:
                self._dispatch(session, actor, complaint, Action.DISPATCH, data.department_id,
                               data.assignee_id, data.assignee_name, "")
            return self._detail(session, complaint.id)

    def update(self, actor: Actor, complaint_id: int, data: ComplaintInput, *,
               expected_updated_at: datetime | None = None) -> ComplaintDetail:
        """Changes the form's fields (not its state). Department and assignee change through
        dispatch, so the timeline shows who sent it where."""
        with self.db.write() as session:
            complaint = self._locked(session, complaint_id)
            WORKFLOW.check(actor, complaint.status, Action.EDIT)
            if expected_updated_at is not None and complaint.updated_at != expected_updated_at:
                raise ValidationError(translate(
                    "Complaints", "Someone else changed {number} while you had it open. Close "
                                  "the form and open it again to see their change.").format(
                    number=complaint.number))
            # Department and assignee change through dispatch, not here, so they are not
            # checked again: an assignee who has left since must not block editing the form.
            data = replace(self._validate(
                session, replace(data, department_id=None, assignee_id=None, assignee_name=""),
                check_customer=data.customer_id != complaint.customer_id),
                call_id=complaint.call_id)
            before = _snapshot(complaint)
            rule_changed = (data.category, data.severity) != (complaint.category,
                                                               complaint.severity)
            self._apply(complaint, data)
            if rule_changed:
                self._set_deadlines(session, complaint, complaint.clock_started_at)
            changes = audit.diff(before, _snapshot(complaint))
            if changes:
                complaint.updated_at = clock.utcnow()
                self._event(session, actor, complaint, Action.EDIT, None, None,
                            details={"fields": sorted(changes)})
                audit.record(session, actor, "complaint", complaint.id, "update", changes)
            return self._detail(session, complaint.id)

    @staticmethod
    def _apply(complaint: Complaint, data: ComplaintInput) -> None:
        assert data.category is not None
        complaint.source = Source(data.source)
        complaint.customer_id = data.customer_id
        complaint.unit_id = data.unit_id
        complaint.phone = data.phone
        complaint.category = data.category
        complaint.severity = Severity(data.severity)
        complaint.description = data.description
        complaint.demand = data.demand
        complaint.company_at_fault = data.company_at_fault
        complaint.call_id = data.call_id

    # -- the workflow steps ------------------------------------------------------------------
    def dispatch(self, actor: Actor, complaint_id: int, department_id: int | None,
                 assignee_id: int | None = None, assignee_name: str = "",
                 note: str = "") -> ComplaintDetail:
        """派单: sends a registered form to a department (and a person)."""
        return self._send(actor, complaint_id, Action.DISPATCH, department_id, assignee_id,
                          assignee_name, note)

    def redispatch(self, actor: Actor, complaint_id: int, department_id: int | None,
                   assignee_id: int | None = None, assignee_name: str = "",
                   note: str = "") -> ComplaintDetail:
        """转派: takes a form from the department that has it, a supervisor's decision with a
        reason."""
        return self._send(actor, complaint_id, Action.REDISPATCH, department_id, assignee_id,
                          assignee_name, note)

    def _send(self, actor: Actor, complaint_id: int, action: Action,
              department_id: int | None, assignee_id: int | None, assignee_name: str,
              note: str) -> ComplaintDetail:
        with self.db.write() as session:
            complaint = self._locked(session, complaint_id)
            WORKFLOW.check(actor, complaint.status, action, note)
            if department_id is None:
                raise ValidationError(translate("Complaints", "Choose the department."),
                                      ("department",))
            self._validate(session, ComplaintInput(
                category=complaint.category, description=complaint.description,
                customer_id=complaint.customer_id, phone=complaint.phone,
                department_id=department_id, assignee_id=assignee_id,
                assignee_name=assignee_name), check_customer=False)
            self._dispatch(session, actor, complaint, action, department_id, assignee_id,
                           assignee_name.strip()[:40], note)
            return self._detail(session, complaint.id)

    def _dispatch(self, session: Session, actor: Actor, complaint: Complaint, action: Action,
                  department_id: int, assignee_id: int | None, assignee_name: str,
                  note: str) -> None:
        step = WORKFLOW.check(actor, complaint.status, action, note)
        before = {"department_id": complaint.department_id,
                  "assignee_id": complaint.assignee_id,
                  "assignee_name": complaint.assignee_name}
        complaint.department_id = department_id
        complaint.assignee_id = assignee_id
        complaint.assignee_name = "" if assignee_id is not None else assignee_name
        complaint.dispatched_at = clock.utcnow()
        complaint.dispatched_by_id = actor.user_id
        complaint.slip_printed_at = None  # the new department needs its own slip
        department = session.get(Department, department_id)
        assignee = session.get(User, assignee_id) if assignee_id is not None else None
        self._move(session, actor, complaint, step.action, step.target, note, {
            "department": department.name if department else "",
            "assignee": _user_name(assignee) or complaint.assignee_name},
            changes=audit.diff(before, {"department_id": department_id,
                                        "assignee_id": assignee_id,
                                        "assignee_name": complaint.assignee_name}))

    def start(self, actor: Actor, complaint_id: int, note: str = "") -> ComplaintDetail:
        with self.db.write() as session:
            complaint = self._locked(session, complaint_id)
            step = WORKFLOW.check(actor, complaint.status, Action.START, note)
            complaint.responded_at = complaint.responded_at or clock.utcnow()
            self._move(session, actor, complaint, step.action, step.target, note)
            return self._detail(session, complaint.id)

    def resolve(self, actor: Actor, complaint_id: int, resolution: str, measures: str = "",
                company_at_fault: bool | None = None, note: str = "") -> ComplaintDetail:
        with self.db.write() as session:
            complaint = self._locked(session, complaint_id)
            step = WORKFLOW.check(actor, complaint.status, Action.RESOLVE, note)
            if not resolution.strip():
                raise ValidationError(translate("Complaints", "Write how it was resolved."),
                                      ("resolution",))
            if len(resolution) > MAX_TEXT or len(measures) > MAX_TEXT:
                raise ValidationError(translate("Complaints", "At most {n} characters.")
                                      .format(n=MAX_TEXT), ("resolution",))
            before = {"resolution": complaint.resolution, "measures": complaint.measures,
                      "company_at_fault": complaint.company_at_fault}
            now = clock.utcnow()
            complaint.resolution = resolution.strip()
            complaint.measures = measures.strip()
            if company_at_fault is not None:
                complaint.company_at_fault = company_at_fault
            complaint.responded_at = complaint.responded_at or now
            complaint.resolved_at = now
            from app.services.callbacks import schedule_complaint_callback

            self._move(session, actor, complaint, step.action, step.target, note,
                       {"resolution": complaint.resolution},
                       changes=audit.diff(before, {
                           "resolution": complaint.resolution, "measures": complaint.measures,
                           "company_at_fault": complaint.company_at_fault}))
            schedule_complaint_callback(session, actor, complaint, self)
            return self._detail(session, complaint.id)

    def record_callback(self, actor: Actor, complaint_id: int, action: Action,
                        note: str = "") -> ComplaintDetail:
        """What the callback found (the callback queue calls ``record_callback_in`` in its
        own transaction; this is the same step on its own)."""
        with self.db.write() as session:
            self.record_callback_in(session, actor, complaint_id, action, note)
            return self._detail(session, complaint_id)

    def record_callback_in(self, session: Session, actor: Actor, complaint_id: int,
                           action: Action, note: str = "",
                           details: dict[str, Any] | None = None) -> Status:
        """Satisfied closes the form; unsatisfied sends it back to its department (返工)
        with new deadlines, or (explained) leaves it waiting for the next callback; not
        reached and failed leave it waiting; skipped (do not call) closes it."""
        if action not in CALLBACK_ACTIONS:
            raise ValueError(action)
        complaint = self._locked(session, complaint_id)
        step = WORKFLOW.check(actor, complaint.status, action, note)
        now = clock.utcnow()
        details = dict(details or {})
        if step.target == Status.CLOSED:
            complaint.closed_at = now
        elif action == Action.CALLBACK_UNSATISFIED:
            details["previous_resolution"] = complaint.resolution
            complaint.reopen_count += 1
            complaint.responded_at = None
            complaint.resolved_at = None
            complaint.clock_started_at = now
            self._set_deadlines(session, complaint, now)
            complaint.slip_printed_at = None
        self._move(session, actor, complaint, step.action, step.target, note, details)
        return complaint.status

    def cancel(self, actor: Actor, complaint_id: int, reason: str) -> ComplaintDetail:
        with self.db.write() as session:
            complaint = self._locked(session, complaint_id)
            step = WORKFLOW.check(actor, complaint.status, Action.CANCEL, reason)
            complaint.closed_at = clock.utcnow()
            self._move(session, actor, complaint, step.action, step.target, reason)
            from app.services.callbacks import drop_pending_callbacks

            drop_pending_callbacks(session, actor, complaint.id, reason)
            return self._detail(session, complaint.id)

    def archive(self, actor: Actor, complaint_id: int, note: str = "") -> ComplaintDetail:
        with self.db.write() as session:
            complaint = self._locked(session, complaint_id)
            step = WORKFLOW.check(actor, complaint.status, Action.ARCHIVE, note)
            self._move(session, actor, complaint, step.action, step.target, note)
            return self._detail(session, complaint.id)

    def add_note(self, actor: Actor, complaint_id: int, note: str) -> ComplaintDetail:
        with self.db.write() as session:
            complaint = self._locked(session, complaint_id)
            step = WORKFLOW.check(actor, complaint.status, Action.NOTE, note)
            self._move(session, actor, complaint, step.action, step.target, note)
            return self._detail(session, complaint.id)

    def mark_slips_printed(self, actor: Actor, complaint_ids: Sequence[int]) -> None:
        with self.db.write() as session:
            now = clock.utcnow()
            for complaint_id in complaint_ids:
                complaint = self._locked(session, complaint_id)
                if not WORKFLOW.allows(complaint.status, Action.SLIP_PRINTED):
                    continue  # a closed form reprinted for the file: nothing to record
                complaint.slip_printed_at = now
                self._event(session, actor, complaint, Action.SLIP_PRINTED, None, None)

    @staticmethod
    def available(actor: Actor, status: Status) -> list[Action]:
        return WORKFLOW.available(actor, status)

    # -- the pieces every step shares ---------------------------------------------------------
    def _move(self, session: Session, actor: Actor, complaint: Complaint, action: Action,
              target: Status | None, note: str, details: dict[str, Any] | None = None,
              changes: dict[str, Any] | None = None) -> None:
        before = complaint.status
        if target is not None:
            complaint.status = target
        self._refresh_next_due(complaint)
        complaint.updated_at = clock.utcnow()
        self._event(session, actor, complaint, action, before,
                    complaint.status if target is not None else None, note, details)
        audit_changes = dict(changes or {})
        if complaint.status != before:
            audit_changes["status"] = [before.value, complaint.status.value]
        audit.record(session, actor, "complaint", complaint.id, action.value, audit_changes,
                     note=note.strip() or None)

    @staticmethod
    def _event(session: Session, actor: Actor, complaint: Complaint, action: Action,
               from_status: Status | None, to_status: Status | None, note: str = "",
               details: dict[str, Any] | None = None) -> None:
        session.add(ComplaintEvent(
            complaint_id=complaint.id, at=clock.utcnow(), user_id=actor.user_id,
            user_name=actor.display_name, action=action.value,
            from_status=from_status.value if from_status else None,
            to_status=to_status.value if to_status else None, note=note.strip(),
            details={k: v for k, v in (details or {}).items() if v is not None}))

    def _set_deadlines(self, session: Session, complaint: Complaint, start: datetime) -> None:
        rule = deadlines.rule_for(session, self.kind, complaint.category, complaint.severity)
        due = deadlines.compute(deadlines.load_calendar(session), rule, start)
        complaint.around_the_clock = due.around_the_clock
        complaint.response_due_at, complaint.response_soon_at = due.response_due, \
            due.response_soon
        complaint.resolve_due_at, complaint.resolve_soon_at = due.resolve_due, due.resolve_soon
        self._refresh_next_due(complaint)

    @staticmethod
    def _refresh_next_due(complaint: Complaint) -> None:
        """The nearest deadline still to meet, so lists sort and filter by it in SQL."""
        if complaint.status not in WORKING_STATUSES:
            complaint.next_due_at = complaint.next_soon_at = None
        elif complaint.responded_at is None:
            complaint.next_due_at = complaint.response_due_at
            complaint.next_soon_at = complaint.response_soon_at
        else:
            complaint.next_due_at = complaint.resolve_due_at
            complaint.next_soon_at = complaint.resolve_soon_at

    @staticmethod
    def _locked(session: Session, complaint_id: int) -> Complaint:
        # FOR UPDATE: on PostgreSQL two desks stepping the same form queue here; SQLite
        # already holds the write lock.
        complaint = session.scalars(select(Complaint).where(Complaint.id == complaint_id)
                                    .with_for_update()).first()
        if complaint is None:
            raise NotFound(translate("Complaints", "That complaint no longer exists. Refresh "
                                                   "the list."))
        return complaint

    @staticmethod
    def _detail(session: Session, complaint_id: int) -> ComplaintDetail:
        session.flush()
        complaint = session.scalars(
            select(Complaint).where(Complaint.id == complaint_id)
            .options(*_LOADS, joinedload(Complaint.dispatched_by),
                     joinedload(Complaint.created_by), joinedload(Complaint.events))
            .execution_options(populate_existing=True)).unique().first()
        if complaint is None:
            raise NotFound(translate("Complaints", "That complaint no longer exists. Refresh "
                                                   "the list."))
        return _detail(complaint)

    # -- reading ------------------------------------------------------------------------------
    def get(self, complaint_id: int) -> ComplaintDetail:
        with self.db.read() as session:
            return self._detail(session, complaint_id)

    def by_number(self, number: str) -> ComplaintDetail:
        with self.db.read() as session:
            found = session.scalar(select(Complaint.id).where(
                Complaint.number == number.strip().upper()))
            if found is None:
                raise NotFound(translate("Complaints", "There is no complaint numbered "
                                                       "{number}.").format(number=number))
            return self._detail(session, found)

    @staticmethod
    def _conditions(filters: ComplaintFilter, now: datetime) -> list[ColumnElement[bool]]:
        conditions: list[ColumnElement[bool]] = []
        if filters.statuses is not None:
            conditions.append(Complaint.status.in_(filters.statuses))
        if filters.category is not None:
            conditions.append(Complaint.category == filters.category)
        if filters.severity is not None:
            conditions.append(Complaint.severity == filters.severity)
        if filters.department_id is not None:
            conditions.append(Complaint.department_id == filters.department_id)
        if filters.customer_id is not None:
            conditions.append(Complaint.customer_id == filters.customer_id)
        if filters.urgency == Urgency.OVERDUE:
            conditions.append(Complaint.next_due_at < now)
        elif filters.urgency == Urgency.DUE_SOON:
            conditions.extend([Complaint.next_soon_at <= now, Complaint.next_due_at >= now])
        if filters.start is not None:
            conditions.append(Complaint.created_at >= local_day_bounds(filters.start)[0])
        if filters.end is not None:
            conditions.append(Complaint.created_at < local_day_bounds(filters.end)[1])
        if filters.mine_user_id is not None:
            me = filters.mine_user_id
            conditions.append(or_(Complaint.created_by_id == me, Complaint.assignee_id == me,
                                  Complaint.dispatched_by_id == me))
        text = search_text(filters.text)
        if text:
            conditions.append(or_(
                Complaint.number.contains(text.upper(), autoescape=True),
                Complaint.description.contains(text, autoescape=True),
                Complaint.customer_id.in_(select(Customer.id).where(
                    Customer.name.contains(text, autoescape=True)))))
        return conditions

    def iter_rows(self, filters: ComplaintFilter) -> Iterator[ComplaintRow]:
        """Every row the list shows with ``filters``, in its order, a page at a time."""
        return iter_pages(self.list, filters)

    def list(self, filters: ComplaintFilter = ComplaintFilter(),  # noqa: B008
             offset: int = 0, limit: int = PAGE_SIZE, count: bool = True) -> ComplaintPage:
        """Most urgent first: open forms by their nearest deadline (the graver first on a
        tie), then the rest, newest first. ``count=False`` skips the total (-1) for later pages."""
        now = clock.utcnow()
        conditions = self._conditions(filters, now)
        finished = case((Complaint.next_due_at.is_(None), 1), else_=0)
        gravest = case({Severity.URGENT: 0, Severity.SERIOUS: 1}, value=Complaint.severity,
                       else_=2)
        with self.db.read() as session:
            total = (session.scalar(select(func.count(Complaint.id)).where(*conditions)) or 0) \
                if count else -1
            complaints = session.scalars(
                select(Complaint).where(*conditions).options(*_LOADS)
                .order_by(finished, Complaint.next_due_at, gravest, Complaint.created_at.desc(),
                          Complaint.id.desc())
                .offset(offset).limit(limit)).unique().all()
            return ComplaintPage([_row(c) for c in complaints], total, offset)

    def overdue_count(self) -> int:
        """Open complaints past a deadline, for the status bar."""
        with self.db.read() as session:
            return session.scalar(select(func.count(Complaint.id)).where(
                Complaint.next_due_at < clock.utcnow())) or 0

    def open_counts(self, customer_ids: Sequence[int]) -> dict[int, int]:
        """Open complaints per customer, for the caller pop-up and ``lookup``."""
        if not customer_ids:
            return {}
        with self.db.read() as session:
            counts = dict(session.execute(
                select(Complaint.customer_id, func.count(Complaint.id))
                .where(Complaint.customer_id.in_(list(customer_ids)),
                       Complaint.status.in_(OPEN_STATUSES))
                .group_by(Complaint.customer_id)).all())
        return {cid: counts.get(cid, 0) for cid in customer_ids}

    def for_customer(self, customer_id: int, open_only: bool = False,
                     limit: int = 200) -> list[ComplaintRow]:
        statuses = OPEN_STATUSES if open_only else None
        return self.list(ComplaintFilter(customer_id=customer_id, statuses=statuses),
                         limit=limit, count=False).rows

    def new_for_department(self, department_id: int) -> list[int]:
        """Open forms of a department whose slip has not been printed since dispatch: the
        morning batch."""
        with self.db.read() as session:
            return list(session.scalars(
                select(Complaint.id).where(Complaint.department_id == department_id,
                                           Complaint.status.in_(WORKING_STATUSES),
                                           Complaint.slip_printed_at.is_(None))
                .order_by(Complaint.next_due_at, Complaint.id)))

    def slip(self, complaint_id: int, centre_name: str) -> SlipData:
        detail = self.get(complaint_id)
        row = detail.row
        customer, phone = "", row.phone
        if row.customer_id is not None:
            with self.db.read() as session:
                card = session.get(Customer, row.customer_id)
                if card is not None:
                    customer = f"{card.name} {card.title.label}".strip()
                    if not phone and card.phones:  # the department needs a number to call
                        phone = card.phones[0].display
        fault = {True: translate("Complaints", "Yes"), False: translate("Complaints", "No"),
                 None: translate("Complaints", "To be determined")}[detail.company_at_fault]
        return SlipData(
            centre_name=centre_name, number=row.number,
            registered_at=_local(row.created_at), source=row.source.label,
            customer=customer, unit=row.unit_label, phone=phone,
            category=row.category.label, severity=row.severity.label,
            description=row.description, demand=detail.demand,
            department=row.department_name, assignee=row.assignee,
            dispatcher=detail.dispatcher, response_due=_local(row.response.due_at),
            resolve_due=_local(row.resolve.due_at), company_at_fault=fault,
            resolution=detail.resolution, measures=detail.measures,
            rework_count=row.reopen_count, rework_reason=_rework_reason(detail))


def _rework_reason(detail: ComplaintDetail) -> str:
    """What the customer said at the callback that last sent the complaint back."""
    return next((e.note for e in reversed(detail.timeline)
                 if e.action == Action.CALLBACK_UNSATISFIED), "")


def _local(at: datetime | None) -> str:
    return at.astimezone().strftime("%Y-%m-%d %H:%M") if at else ""
