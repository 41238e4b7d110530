"""回访客户月统计表: the month's complaints, callbacks and calls, with the previous month
beside them. What each figure means is written once, in ``DEFINITIONS``, and the workbook's
说明 sheet prints it, so the numbers can be checked.

Months are the PC's local calendar months; timestamps are stored in UTC.
Complaint figures follow the complaints *registered* in the month (a cohort): how many were
resolved, within the deadline, how long it took. Callback figures follow the complaint
callbacks *due* in the month. Call figures follow the calls *received* in the month.

The report can be narrowed to one estate (小区) and/or one department. The estate filter keeps
the complaints whose unit is in that estate, their callbacks, and the calls whose unit is in
it; the department filter keeps the complaints dispatched to that department and their
callbacks, but not the calls (a call has no department of its own). The previous month is
narrowed the same way."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field, fields
from datetime import date, datetime, timedelta

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from app import clock
from app.db import Database
from app.db.models import (
    Call,
    CallbackAttempt,
    CallbackTask,
    Complaint,
    ComplaintEvent,
    Customer,
    CustomerPhone,
    Department,
    Incident,
    Unit,
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
from app.domain.complaints import OPEN_STATUSES, Action, Category, Severity, Status
from app.domain.roles import Actor, Permission, require
from app.domain.working_time import WorkingCalendar
from app.i18n import translate
from app.services.calls import local_day_bounds
from app.services.deadlines import load_calendar

_MONTH = re.compile(r"(\d{4})-(\d{1,2})", re.ASCII)


@dataclass(frozen=True)
class Month:
    year: int
    month: int

    @classmethod
    def parse(cls, text: str) -> Month:
        """"2026-11" → Month(2026, 11); ValueError for anything else."""
        match = _MONTH.fullmatch(text.strip())
        # Years 2–9998 only, so the month before and the month after are dates too.
        if match is None or not 1 <= int(match.group(2)) <= 12 \
                or not 2 <= int(match.group(1)) <= 9998:
            raise ValueError(f"not a month (YYYY-MM): {text!r}")
        return cls(int(match.group(1)), int(match.group(2)))

    @property
    def previous(self) -> Month:
        return Month(self.year - 1, 12) if self.month == 1 else Month(self.year, self.month - 1)

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def next_first_day(self) -> date:
        return date(self.year + 1, 1, 1) if self.month == 12 \
            else date(self.year, self.month + 1, 1)

    def __str__(self) -> str:
        return f"{self.year}-{self.month:02d}"


# Which way a figure should move: UP (a rise is good), DOWN (a fall is good), or None (a
# volume that is neither good nor bad). Declared once, with the figure; the tab's tiles and the
# workbook colour a change by it.
UP, DOWN = "up", "down"


def _figure(better: str | None = None, default: float | None = 0) -> object:
    return field(default=default, metadata={"better": better})


@dataclass(frozen=True)
class Kpis:
    """The month's figures. Rates are fractions (0.85), None when there is nothing to divide
    by; averages are None for the same reason. Complaint callbacks (回访) and missed-call
    callbacks (回拨) are counted apart: the ``callbacks_*`` figures are the complaint ones."""

    complaints_received: int = _figure(DOWN)
    complaints_resolved: int = _figure()  # of those received: resolved at least once by now
    resolved_on_time: int = _figure()  # of those resolved: by their resolution deadline
    resolved_on_time_rate: float | None = _figure(UP, None)  # resolved_on_time / resolved
    average_resolve_hours: float | None = _figure(DOWN, None)  # working hours to resolve
    complaints_reopened: int = _figure(DOWN)  # of those received: reworked at least once
    complaints_closed: int = _figure()  # of those received: closed (已办结) by now
    callbacks_due: int = _figure()  # complaint callbacks due in the month
    callbacks_done: int = _figure()  # of those due: the customer was reached
    callbacks_on_time: int = _figure()  # of those done: by their due time
    callbacks_on_time_rate: float | None = _figure(UP, None)  # on time / done
    callbacks_failed: int = _figure(DOWN)  # of those due: not reached after the last try
    callbacks_skipped: int = _figure()  # of those due: not dialled (do not call)
    callbacks_pending: int = _figure(DOWN)  # of those due: not made yet
    callbacks_overdue: int = _figure(DOWN)  # of those pending: past their due time now
    satisfied: int = _figure()
    fairly_satisfied: int = _figure()
    unsatisfied: int = _figure(DOWN)
    satisfaction_rate: float | None = _figure(UP, None)  # (satisfied + fairly) / done
    callbacks_reviewed: int = _figure()  # of those finished (done, failed, skipped): reviewed
    missed_callbacks_due: int = _figure()  # missed-call callbacks (回拨) due in the month
    missed_callbacks_done: int = _figure()  # of those due: done
    missed_callbacks_on_time: int = _figure()  # of those done: first try by the due time
    missed_callbacks_on_time_rate: float | None = _figure(UP, None)  # on time / done
    missed_callbacks_overdue: int = _figure(DOWN)  # of those due: pending past due now
    calls_received: int = _figure()  # inbound, answered
    calls_missed: int = _figure(DOWN)
    incidents: int = _figure(DOWN)  # incidents (停水 …) that began in the month
    incident_calls: int = _figure()  # of the calls answered: linked to an incident
    average_handle_seconds: float | None = _figure(DOWN, None)  # answered calls timed
    first_call_resolution: float | None = _figure(UP, None)  # solved on the call / received


def better(name: str) -> str | None:
    """Which way the ``Kpis`` figure ``name`` should move: ``UP``, ``DOWN`` or None."""
    return next(f.metadata.get("better") for f in fields(Kpis) if f.name == name)


def change_is_good(name: str, change: float | None) -> bool | None:
    """Whether a change of the figure ``name`` is for the better; None when there is no
    change, or the figure is a volume that is neither good nor bad."""
    direction = better(name)
    if not change or direction is None:
        return None
    return (change > 0) == (direction == UP)


@dataclass(frozen=True)
class CategoryRow:
    category: Category
    received: int
    resolved: int
    resolved_on_time: int
    reopened: int
    satisfied: int  # satisfied + fairly satisfied callbacks of this category's complaints
    unsatisfied: int


@dataclass(frozen=True)
class DepartmentRow:
    department: str
    dispatched: int  # complaints received in the month dispatched to it
    resolved: int
    resolved_on_time: int
    overdue_open: int  # still open and past a deadline at the time of the report
    average_resolve_hours: float | None


@dataclass(frozen=True)
class OperatorRow:
    operator: str
    calls_received: int
    complaints_registered: int
    callbacks_done: int
    callbacks_failed: int
    satisfied: int  # satisfied + fairly satisfied among their callbacks


@dataclass(frozen=True)
class ComplaintLine:
    """One row of 投诉明细."""

    number: str
    registered_at: datetime
    source: str
    customer: str
    unit: str
    phone: str
    category: Category
    severity: Severity
    description: str
    department: str
    status: Status
    resolve_due_at: datetime | None
    resolved_at: datetime | None
    on_time: bool | None
    resolve_hours: float | None
    reopened: int
    satisfaction: Satisfaction | None


@dataclass(frozen=True)
class CallbackLine:
    """One row of 回访明细 (and of 不满意及回访失败)."""

    complaint_number: str
    customer: str
    phone: str
    category: Category | None
    due_at: datetime
    done_at: datetime | None
    operator: str
    attempts: int
    status: str  # the status label
    failed: bool  # 回访失败: not reached after the last try
    reached: bool
    satisfaction: Satisfaction | None
    comment: str
    reviewed_by: str
    review_comment: str


@dataclass(frozen=True)
class MonthlyReport:
    centre_name: str
    month: Month
    kpis: Kpis
    previous: Kpis
    by_category: list[CategoryRow] = field(default_factory=list)
    by_department: list[DepartmentRow] = field(default_factory=list)
    by_operator: list[OperatorRow] = field(default_factory=list)
    daily_calls: list[tuple[date, int]] = field(default_factory=list)  # inbound per day
    # inbound answered calls per day and type (a call without a type counts as "Other")
    daily_calls_by_type: list[tuple[date, dict[CallType, int]]] = field(default_factory=list)
    complaints: list[ComplaintLine] = field(default_factory=list)
    callbacks: list[CallbackLine] = field(default_factory=list)
    estate: str = ""  # the estate filter, "" for all estates
    department: str = ""  # the department filter's name, "" for all departments
    # Open complaints past a deadline at the time of the report, by department (whenever
    # they were registered): the backlog, which a month's cohort alone would not show.
    overdue_now: list[tuple[str, int]] = field(default_factory=list)
    # The month is not over: its figures run to this instant, and the previous month's are
    # counted over the same stretch (1st to the same day and time), not the whole month.
    as_of: datetime | None = None
    previous_start: datetime | None = None  # the stretch of the previous month compared
    previous_end: datetime | None = None

    @property
    def to_date(self) -> bool:
        return self.as_of is not None

    @property
    def filtered(self) -> bool:
        return bool(self.estate or self.department)

    @property
    def follow_up(self) -> list[CallbackLine]:
        """不满意及回访失败: what the leadership should follow up."""
        return [c for c in self.callbacks
                if c.satisfaction == Satisfaction.UNSATISFIED or c.failed]


# -- what each figure means ---------------------------------------------------------------------
def _texts() -> dict[str, tuple[str, str]]:
    """Kpis field → (label, how it is computed), in the current language."""
    # Spelled out each time: lupdate finds only literal translate("Context", "text") calls.
    return {
        "complaints_received": (translate("MonthlyReport", "Complaints received"), translate("MonthlyReport", "Complaints registered in the month (by their registration time, this PC's "
               "local calendar month), whatever their state now, cancelled ones included.")),
        "complaints_resolved": (translate("MonthlyReport", "Complaints resolved"), translate("MonthlyReport", "Of the complaints received: those resolved at least once by the time of the "
               "report (a “Resolve” step on their timeline), even if reworked since.")),
        "resolved_on_time": (translate("MonthlyReport", "Resolved on time"), translate("MonthlyReport", "Of the complaints resolved: those whose first resolution came by their "
               "resolution deadline and which were never sent back for rework. A reworked "
               "complaint does not count as on time: its first resolution did not satisfy "
               "the customer.")),
        "resolved_on_time_rate": (translate("MonthlyReport", "On-time resolution rate"), translate("MonthlyReport", "Resolved on time / complaints resolved.")),
        "average_resolve_hours": (translate("MonthlyReport", "Average resolution time (working hours)"), translate("MonthlyReport", "Mean, over the complaints resolved, of the working hours from registration "
               "to the first resolution (business hours on working days; round the clock "
               "for rules that say so).")),
        "complaints_reopened": (translate("MonthlyReport", "Complaints reworked"), translate("MonthlyReport", "Of the complaints received: those sent back for rework at least once after "
               "an unsatisfied callback.")),
        "complaints_closed": (translate("MonthlyReport", "Complaints closed"), translate("MonthlyReport", "Of the complaints received: those closed after their callback (or without "
               "one when the customer may not be called) by the time of the report, "
               "archived ones included; cancelled ones are not closed.")),
        "callbacks_due": (translate("MonthlyReport", "Complaint callbacks due"), translate("MonthlyReport", "Complaint callbacks whose due time, as first set, falls in the month (a "
               "retry does not move them; a second callback after an explanation counts on its own).")),
        "callbacks_done": (translate("MonthlyReport", "Complaint callbacks made"), translate("MonthlyReport", "Of the complaint callbacks due: those where the customer was reached.")),
        "callbacks_on_time": (translate("MonthlyReport", "Complaint callbacks made on time"), translate("MonthlyReport", "Of the complaint callbacks made: those whose first try was made by the due time first set.")),
        "callbacks_on_time_rate": (translate("MonthlyReport", "On-time complaint callback rate"), translate("MonthlyReport", "Complaint callbacks made on time / complaint callbacks made. Missed-call callbacks are not included: they have figures of their own.")),
        "callbacks_failed": (translate("MonthlyReport", "Complaint callbacks failed"), translate("MonthlyReport", "Of the complaint callbacks due: those where the customer was not reached after the "
               "last try.")),
        "callbacks_skipped": (translate("MonthlyReport", "Complaint callbacks skipped"), translate("MonthlyReport", "Of the complaint callbacks due: those not dialled because the customer does not want "
               "calls (or the complaint was cancelled).")),
        "callbacks_pending": (translate("MonthlyReport", "Complaint callbacks not made yet"), translate("MonthlyReport", "Of the complaint callbacks due: those still waiting at the time of the report.")),
        "callbacks_overdue": (translate("MonthlyReport", "Complaint callbacks overdue"), translate("MonthlyReport", "Of the complaint callbacks not made yet: those past their due time at the time of the report.")),
        "satisfied": (translate("MonthlyReport", "Satisfied"), translate("MonthlyReport", "Callbacks made where the customer said “Satisfied”.")),
        "fairly_satisfied": (translate("MonthlyReport", "Fairly satisfied"), translate("MonthlyReport", "Callbacks made where the customer said “Fairly satisfied”.")),
        "unsatisfied": (translate("MonthlyReport", "Unsatisfied"), translate("MonthlyReport", "Callbacks made where the customer said “Unsatisfied”.")),
        "satisfaction_rate": (translate("MonthlyReport", "Satisfaction rate"), translate("MonthlyReport", "(Satisfied + Fairly satisfied) / callbacks where the customer was reached, "
               "among complaint callbacks due in the month.")),
        "callbacks_reviewed": (translate("MonthlyReport", "Complaint callbacks reviewed"), translate("MonthlyReport", "Of the complaint callbacks due and finished (made, failed or skipped): "
               "those a supervisor has reviewed.")),
        "missed_callbacks_due": (translate("MonthlyReport", "Missed-call callbacks due"), translate("MonthlyReport", "Callbacks to missed calls whose due time, as first set, falls in "
               "the month. Complaint callbacks are counted apart.")),
        "missed_callbacks_done": (translate("MonthlyReport", "Missed-call callbacks done"), translate("MonthlyReport", "Of the missed-call callbacks due: those done by the time of the report.")),
        "missed_callbacks_on_time": (translate("MonthlyReport", "Missed-call callbacks done on time"), translate("MonthlyReport", "Of the missed-call callbacks done: those whose first try was made by the "
               "due time first set.")),
        "missed_callbacks_on_time_rate": (translate("MonthlyReport", "On-time missed-call callback rate"), translate("MonthlyReport", "Missed-call callbacks done on time / missed-call callbacks done.")),
        "missed_callbacks_overdue": (translate("MonthlyReport", "Missed-call callbacks overdue"), translate("MonthlyReport", "Of the missed-call callbacks due: those not done yet and past their due "
               "time at the time of the report.")),
        "calls_received": (translate("MonthlyReport", "Calls answered"), translate("MonthlyReport", "Inbound calls received in the month and answered (missed calls not "
               "included).")),
        "calls_missed": (translate("MonthlyReport", "Calls missed"), translate("MonthlyReport", "Inbound calls received in the month and missed.")),
        "incidents": (translate("MonthlyReport", "Incidents"), translate("MonthlyReport", "Incidents (water or power cuts, lifts out of order …) that began in the "
               "month; with an estate chosen, those of that estate or of every estate.")),
        "incident_calls": (translate("MonthlyReport", "Calls about incidents"), translate("MonthlyReport", "Of the calls answered: those linked to an incident instead of a new "
               "form.")),
        "average_handle_seconds": (translate("MonthlyReport", "Average call time (seconds)"), translate("MonthlyReport", "Mean duration of the calls answered that have a duration recorded.")),
        "first_call_resolution": (translate("MonthlyReport", "Solved on the first call"), translate("MonthlyReport", "Calls answered whose outcome is “Solved on the call” / calls answered.")),
    }


def definitions() -> list[tuple[str, str]]:
    """(figure, how it is computed), one per ``Kpis`` field in its order: the 说明 sheet."""
    texts = _texts()
    return [texts[f.name] for f in fields(Kpis)]


def kpi_labels() -> dict[str, str]:
    """``Kpis`` field name → its label in the current language."""
    texts = _texts()
    return {f.name: texts[f.name][0] for f in fields(Kpis)}


def kpi_definitions() -> dict[str, str]:
    """``Kpis`` field name → how it is computed, in the current language (a tile's tip)."""
    texts = _texts()
    return {f.name: texts[f.name][1] for f in fields(Kpis)}


def __getattr__(name: str) -> list[tuple[str, str]]:
    """``DEFINITIONS``: the definitions in the language in use when it is read."""
    if name == "DEFINITIONS":
        return definitions()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# -- the report -----------------------------------------------------------------------------------
def filters_note() -> str:
    """What the estate and department filters keep (the 说明 sheet of a filtered report)."""
    return translate("MonthlyReport", "This report is narrowed: an estate keeps the complaints "
                     "whose unit is in that estate, their callbacks and the calls whose unit "
                     "is in it; a department keeps the complaints dispatched to it and their "
                     "callbacks, but not the calls or the callbacks to missed calls (they are "
                     "not counted by department). The previous month is narrowed the same "
                     "way.")


def estates(db: Database) -> list[str]:
    """The estates (小区) named on units, sorted: the choices of the estate filter."""
    with db.read() as session:
        return sorted(set(session.scalars(
            select(Unit.estate).where(Unit.estate.is_not(None), Unit.estate != "")
            .distinct())))


@dataclass(frozen=True)
class _Filter:
    estate: str | None = None
    department_id: int | None = None

    def complaints(self) -> list:  # SQL conditions on Complaint
        conditions = []
        if self.estate:
            conditions.append(Complaint.unit_id.in_(
                select(Unit.id).where(Unit.estate == self.estate)))
        if self.department_id is not None:
            conditions.append(Complaint.department_id == self.department_id)
        return conditions

    def callbacks(self) -> list:
        conditions = self.complaints()
        if not conditions:
            return []
        return [CallbackTask.complaint_id.in_(select(Complaint.id).where(*conditions))]

    def calls(self) -> list:
        if not self.estate:
            return []
        return [Call.unit_id.in_(select(Unit.id).where(Unit.estate == self.estate))]

    def missed_callbacks(self) -> list:  # as their calls: by estate, not by department
        conditions = self.calls()
        if not conditions:
            return []
        return [CallbackTask.call_id.in_(select(Call.id).where(*conditions))]


def monthly_report(db: Database, actor: Actor, month: Month, centre_name: str = "", *,
                   estate: str | None = None,
                   department_id: int | None = None) -> MonthlyReport:
    """The month's figures and lists, and the previous month's figures, for supervisors and
    administrators, optionally narrowed to one estate and/or one department (see the module
    text). Everything is read in one session."""
    require(actor, Permission.VIEW_MONTHLY_REPORT)
    now = clock.utcnow()
    where = _Filter(estate or None, department_id)
    with db.read() as session:
        department = ""
        if department_id is not None:
            department = session.scalar(
                select(Department.name).where(Department.id == department_id)) or ""
        calendar = load_calendar(session)
        start, end = month_bounds(month)
        previous_start, previous_end = month_bounds(month.previous)
        as_of = None
        if start <= now < end:  # the month so far, beside the same days of the one before
            as_of = now
            previous_end = min(previous_end, previous_start + (now - start))
        complaints = _complaints(session, calendar, start, end, now, where)
        callbacks = _callbacks(session, start, end, where)
        missed = _callbacks(session, start, end, where, CallbackReason.MISSED_CALL)
        calls = _calls(session, start, end, where)
        previous = _kpis(
            _complaints(session, calendar, previous_start, previous_end, now, where),
            _callbacks(session, previous_start, previous_end, where),
            _callbacks(session, previous_start, previous_end, where,
                       CallbackReason.MISSED_CALL),
            _calls(session, previous_start, previous_end, where), now,
            _incidents(session, previous_start, previous_end, where))
        incidents = _incidents(session, start, end, where)
        overdue_now = _overdue_now(session, now, where)
        daily_by_type = _daily_calls(session, month, start, end, where)
        daily = [(day, sum(kinds.values())) for day, kinds in daily_by_type]
        names = _user_names(session, {c.created_by_id for c in complaints}
                            | {c.done_by_id for c in callbacks}
                            | {c.operator_id for c in callbacks}
                            | {c.reviewed_by_id for c in callbacks}
                            | {key[0] for key in calls})
        phones = _first_phones(session, {c.customer_id for c in complaints
                                         if not c.phone and c.customer_id is not None})
    return MonthlyReport(
        centre_name=centre_name, month=month,
        kpis=_kpis(complaints, callbacks, missed, calls, now, incidents),
        previous=previous, by_category=_by_category(complaints, callbacks),
        by_department=_by_department(complaints),
        by_operator=_by_operator(complaints, callbacks, calls, names),
        daily_calls=daily, daily_calls_by_type=daily_by_type,
        complaints=[_complaint_line(c, phones) for c in complaints],
        callbacks=[_callback_line(c, names) for c in callbacks],
        estate=estate or "", department=department, overdue_now=overdue_now, as_of=as_of,
        previous_start=previous_start, previous_end=previous_end)


def _overdue_now(session: Session, now: datetime, where: _Filter) -> list[tuple[str, int]]:
    """(department, open complaints past a deadline now), the most first; "" for those not
    dispatched yet."""
    rows = session.execute(
        select(Department.name, Department.sort_order, Complaint.department_id,
               func.count(Complaint.id))
        .outerjoin(Department, Department.id == Complaint.department_id)
        .where(Complaint.status.in_(list(OPEN_STATUSES)), Complaint.next_due_at < now,
               *where.complaints())
        .group_by(Department.name, Department.sort_order, Complaint.department_id)).all()
    ordered = sorted(rows, key=lambda r: (-r[3], r[1] or 0, r[2] or 0))
    return [(name or "", count) for name, _order, _id, count in ordered]


def month_bounds(month: Month) -> tuple[datetime, datetime]:
    """The UTC instants where a local calendar month (this PC's time zone) begins and ends."""
    return local_day_bounds(month.first_day)[0], local_day_bounds(month.next_first_day)[0]


@dataclass(frozen=True)
class _Complaint:
    """One complaint registered in the month, with what its timeline says."""

    id: int
    number: str
    created_at: datetime
    created_by_id: int | None
    source: str
    customer: str
    customer_id: int | None
    unit: str
    phone: str
    category: Category
    severity: Severity
    description: str
    department_id: int | None
    department: str
    department_order: tuple[int, int]
    status: Status
    resolve_due_at: datetime | None
    first_resolved_at: datetime | None  # the first "Resolve" step, rework or not
    on_time: bool | None  # None: never resolved
    resolve_hours: float | None
    reopened: int
    closed: bool
    overdue_open: bool
    satisfaction: Satisfaction | None  # what the customer said at the latest callback made


def _complaints(session: Session, calendar: WorkingCalendar, start: datetime, end: datetime,
                now: datetime, where: _Filter) -> list[_Complaint]:
    in_month = (Complaint.created_at >= start, Complaint.created_at < end, *where.complaints())
    cohort = select(Complaint.id).where(*in_month)
    first_resolved: dict[int, datetime] = {}
    cancelled: set[int] = set()
    for complaint_id, action, at in session.execute(
            select(ComplaintEvent.complaint_id, ComplaintEvent.action, ComplaintEvent.at)
            .where(ComplaintEvent.complaint_id.in_(cohort),
                   ComplaintEvent.action.in_([Action.RESOLVE.value, Action.CANCEL.value]))
            .order_by(ComplaintEvent.at, ComplaintEvent.id)):
        if action == Action.CANCEL.value:
            cancelled.add(complaint_id)
        else:
            first_resolved.setdefault(complaint_id, at)
    satisfaction: dict[int, Satisfaction] = {}
    for complaint_id, said in session.execute(
            select(CallbackTask.complaint_id, CallbackTask.satisfaction)
            .where(CallbackTask.complaint_id.in_(cohort),
                   CallbackTask.reason == CallbackReason.COMPLAINT,
                   CallbackTask.status == CallbackStatus.DONE,
                   CallbackTask.satisfaction.is_not(None))
            .order_by(CallbackTask.done_at, CallbackTask.id)):
        satisfaction[complaint_id] = said  # the latest one stays
    rows = session.execute(
        select(Complaint, Customer.name, Unit.label, Department.name, Department.sort_order)
        .outerjoin(Customer, Customer.id == Complaint.customer_id)
        .outerjoin(Unit, Unit.id == Complaint.unit_id)
        .outerjoin(Department, Department.id == Complaint.department_id)
        .where(*in_month).order_by(Complaint.created_at, Complaint.id)).all()
    result = []
    for c, customer, unit, department, department_order in rows:
        resolved_at = first_resolved.get(c.id)
        on_time = hours = None
        if resolved_at is not None:
            on_time = c.reopen_count == 0 and (c.resolve_due_at is None
                                               or resolved_at <= c.resolve_due_at)
            hours = calendar.working_minutes(c.created_at, resolved_at,
                                             around_the_clock=c.around_the_clock) / 60
        closed = c.status == Status.CLOSED or (c.status == Status.ARCHIVED
                                               and c.id not in cancelled)
        result.append(_Complaint(
            id=c.id, number=c.number, created_at=c.created_at, created_by_id=c.created_by_id,
            source=c.source.label, customer=customer or "", customer_id=c.customer_id,
            unit=unit or "", phone=c.phone, category=c.category, severity=c.severity,
            description=c.description, department_id=c.department_id,
            department=department or "",
            department_order=(department_order or 0, c.department_id or 0),
            status=c.status, resolve_due_at=c.resolve_due_at,
            first_resolved_at=resolved_at, on_time=on_time, resolve_hours=hours,
            reopened=c.reopen_count, closed=closed,
            overdue_open=c.status in OPEN_STATUSES and c.next_due_at is not None
            and c.next_due_at < now,
            satisfaction=satisfaction.get(c.id)))
    return result


@dataclass(frozen=True)
class _Callback:
    """One complaint callback due in the month (plain values: the session closes)."""

    complaint_number: str
    category: Category | None
    customer: str
    phone: str
    status: CallbackStatus
    due_at: datetime  # the due time first promised (retries move the task's own)
    current_due_at: datetime  # the due time now (a retry moves it)
    first_attempt_at: datetime | None
    done_at: datetime | None
    done_by_id: int | None
    operator_id: int | None
    attempts: int
    satisfaction: Satisfaction | None
    comment: str
    reviewed_at: datetime | None
    reviewed_by_id: int | None
    review_comment: str


def _callbacks(session: Session, start: datetime, end: datetime, where: _Filter,
               reason: CallbackReason = CallbackReason.COMPLAINT) -> list[_Callback]:
    """The callbacks of that kind first due in [start, end)."""
    narrowed = where.callbacks() if reason == CallbackReason.COMPLAINT \
        else where.missed_callbacks()
    first_attempt = (select(CallbackAttempt.callback_id,
                            func.min(CallbackAttempt.at).label("first_at"))
                     .group_by(CallbackAttempt.callback_id).subquery())
    promised = func.coalesce(CallbackTask.first_due_at, CallbackTask.due_at)
    rows = session.execute(
        select(CallbackTask, Complaint.number, Complaint.category, Customer.name,
               first_attempt.c.first_at)
        .outerjoin(Complaint, Complaint.id == CallbackTask.complaint_id)
        .outerjoin(Customer, Customer.id == CallbackTask.customer_id)
        .outerjoin(first_attempt, first_attempt.c.callback_id == CallbackTask.id)
        .where(CallbackTask.reason == reason, promised >= start, promised < end,
               *narrowed)
        .order_by(promised, CallbackTask.id)).all()
    return [_Callback(
        complaint_number=number or "", category=category, customer=customer or "",
        phone=t.phone, status=t.status, due_at=t.first_due_at or t.due_at,
        current_due_at=t.due_at,
        first_attempt_at=first_at, done_at=t.done_at,
        done_by_id=t.done_by_id, operator_id=t.operator_id, attempts=t.attempts,
        satisfaction=t.satisfaction, comment=t.comment, reviewed_at=t.reviewed_at,
        reviewed_by_id=t.reviewed_by_id, review_comment=t.review_comment)
        for t, number, category, customer, first_at in rows]


# (operator id, missed) → [calls, calls with a duration, their seconds, solved on the call]
_CallTotals = dict[tuple[int | None, bool], list[int]]


def _calls(session: Session, start: datetime, end: datetime, where: _Filter) -> _CallTotals:
    timed = Call.duration_seconds > 0
    rows = session.execute(
        select(Call.operator_id, Call.missed, func.count(Call.id),
               func.sum(case((timed, 1), else_=0)),
               func.sum(case((timed, Call.duration_seconds), else_=0)),
               func.sum(case((Call.outcome == Outcome.SOLVED, 1), else_=0)),
               func.sum(case((Call.incident_id.is_not(None), 1), else_=0)))
        .where(Call.direction == Direction.INBOUND, Call.received_at >= start,
               Call.received_at < end, *where.calls())
        .group_by(Call.operator_id, Call.missed)).all()
    totals: _CallTotals = {}
    for operator_id, missed, *figures in rows:
        key = (operator_id, bool(missed))
        previous = totals.get(key, [0, 0, 0, 0, 0])
        totals[key] = [a + int(b or 0) for a, b in zip(previous, figures, strict=True)]
    return totals


def _incidents(session: Session, start: datetime, end: datetime, where: _Filter) -> int:
    """Incidents begun in the period: of the estate asked for, or of every estate."""
    query = select(func.count(Incident.id)).where(Incident.started_at >= start,
                                                  Incident.started_at < end)
    if where.estate:
        query = query.where(Incident.estate.in_(("", where.estate)))
    return session.scalar(query) or 0


def _daily_calls(session: Session, month: Month, start: datetime, end: datetime,
                 where: _Filter) -> list[tuple[date, dict[CallType, int]]]:
    """Inbound answered calls per local day and type, every day of the month (an empty dict
    on a day without calls); a call without a type counts as "Other"."""
    per_day: dict[date, dict[CallType, int]] = defaultdict(lambda: defaultdict(int))
    for received_at, kind in session.execute(
            select(Call.received_at, Call.call_type).where(
                Call.direction == Direction.INBOUND, Call.missed.is_(False),
                Call.received_at >= start, Call.received_at < end, *where.calls())):
        per_day[received_at.astimezone().date()][kind or CallType.OTHER] += 1
    days = (month.next_first_day - month.first_day).days
    return [(day, dict(per_day.get(day, {})))
            for day in (month.first_day + timedelta(days=n) for n in range(days))]


def _user_names(session: Session, ids: set[int | None]) -> dict[int, str]:
    wanted = sorted(i for i in ids if i is not None)
    if not wanted:
        return {}
    return dict(session.execute(select(User.id, User.display_name)
                                .where(User.id.in_(wanted))).all())


def _first_phones(session: Session, customer_ids: set[int | None]) -> dict[int, str]:
    wanted = sorted(i for i in customer_ids if i is not None)
    phones: dict[int, str] = {}
    if not wanted:
        return phones
    for customer_id, display in session.execute(
            select(CustomerPhone.customer_id, CustomerPhone.display)
            .where(CustomerPhone.customer_id.in_(wanted))
            .order_by(CustomerPhone.sort_order.desc(), CustomerPhone.id.desc())):
        phones[customer_id] = display  # written last: the card's first number
    return phones


# -- figures -------------------------------------------------------------------------------------
def _rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def _on_time(done: list[_Callback]) -> int:
    """The callbacks whose first try was made by the time first promised, whatever the
    customer did. A callback done without a try on record (a missed call's 回拨 ticked off
    as done) was tried when it was done."""
    tried = ((t.first_attempt_at or t.done_at, t.due_at) for t in done)
    return sum(1 for at, due in tried if at is not None and at <= due)


def _overdue(callbacks: list[_Callback], now: datetime) -> int:
    return sum(1 for t in callbacks
               if t.status == CallbackStatus.PENDING and t.current_due_at < now)


def _kpis(complaints: list[_Complaint], callbacks: list[_Callback],
          missed_callbacks: list[_Callback], calls: _CallTotals, now: datetime,
          incidents: int = 0) -> Kpis:
    resolved = [c for c in complaints if c.first_resolved_at is not None]
    on_time = sum(1 for c in resolved if c.on_time)
    status = [c.status for c in callbacks]
    done = [c for c in callbacks if c.status == CallbackStatus.DONE]
    done_on_time = _on_time(done)
    missed_done = [t for t in missed_callbacks if t.status == CallbackStatus.DONE]
    missed_on_time = _on_time(missed_done)
    said = [t.satisfaction for t in done]
    satisfied, fairly = said.count(Satisfaction.SATISFIED), said.count(Satisfaction.FAIRLY)
    answered = [v for (_, missed), v in calls.items() if not missed]
    received = sum(v[0] for v in answered)
    timed, seconds = sum(v[1] for v in answered), sum(v[2] for v in answered)
    solved = sum(v[3] for v in answered)
    return Kpis(
        complaints_received=len(complaints), complaints_resolved=len(resolved),
        resolved_on_time=on_time, resolved_on_time_rate=_rate(on_time, len(resolved)),
        average_resolve_hours=_mean([c.resolve_hours for c in resolved
                                     if c.resolve_hours is not None]),
        complaints_reopened=sum(1 for c in complaints if c.reopened),
        complaints_closed=sum(1 for c in complaints if c.closed),
        callbacks_due=len(callbacks), callbacks_done=len(done),
        callbacks_on_time=done_on_time, callbacks_on_time_rate=_rate(done_on_time, len(done)),
        callbacks_failed=status.count(CallbackStatus.FAILED),
        callbacks_skipped=status.count(CallbackStatus.SKIPPED),
        callbacks_pending=status.count(CallbackStatus.PENDING),
        callbacks_overdue=_overdue(callbacks, now),
        satisfied=satisfied, fairly_satisfied=fairly,
        unsatisfied=said.count(Satisfaction.UNSATISFIED),
        satisfaction_rate=_rate(satisfied + fairly, len(done)),
        callbacks_reviewed=sum(1 for c in callbacks if c.status != CallbackStatus.PENDING
                               and c.reviewed_at is not None),
        missed_callbacks_due=len(missed_callbacks), missed_callbacks_done=len(missed_done),
        missed_callbacks_on_time=missed_on_time,
        missed_callbacks_on_time_rate=_rate(missed_on_time, len(missed_done)),
        missed_callbacks_overdue=_overdue(missed_callbacks, now),
        calls_received=received,
        calls_missed=sum(v[0] for (_, missed), v in calls.items() if missed),
        average_handle_seconds=seconds / timed if timed else None,
        first_call_resolution=_rate(solved, received),
        incidents=incidents, incident_calls=sum(v[4] for v in answered))


def _by_category(complaints: list[_Complaint], callbacks: list[_Callback]) -> list[CategoryRow]:
    """Every category with a complaint received or a callback due in the month; the
    satisfaction columns follow the callbacks due, so they add up to the month's figures."""
    rows = []
    for category in Category:
        mine = [c for c in complaints if c.category == category]
        said = [c.satisfaction for c in callbacks if c.category == category
                and c.status == CallbackStatus.DONE]
        if not mine and not any(c.category == category for c in callbacks):
            continue
        rows.append(CategoryRow(
            category=category, received=len(mine),
            resolved=sum(1 for c in mine if c.first_resolved_at is not None),
            resolved_on_time=sum(1 for c in mine if c.on_time),
            reopened=sum(1 for c in mine if c.reopened),
            satisfied=sum(1 for s in said if s in (Satisfaction.SATISFIED, Satisfaction.FAIRLY)),
            unsatisfied=said.count(Satisfaction.UNSATISFIED)))
    order = list(Category)
    return sorted(rows, key=lambda r: (-r.received, order.index(r.category)))


def _by_department(complaints: list[_Complaint]) -> list[DepartmentRow]:
    """The departments the month's complaints went to, the busiest first."""
    groups: dict[int, list[_Complaint]] = defaultdict(list)
    for c in complaints:
        if c.department_id is not None:
            groups[c.department_id].append(c)
    rows = []
    for mine in sorted(groups.values(), key=lambda g: (-len(g), g[0].department_order)):
        resolved = [c for c in mine if c.first_resolved_at is not None]
        rows.append(DepartmentRow(
            department=mine[0].department, dispatched=len(mine), resolved=len(resolved),
            resolved_on_time=sum(1 for c in resolved if c.on_time),
            overdue_open=sum(1 for c in mine if c.overdue_open),
            average_resolve_hours=_mean([c.resolve_hours for c in resolved
                                         if c.resolve_hours is not None])))
    return rows


def _by_operator(complaints: list[_Complaint], callbacks: list[_Callback], calls: _CallTotals,
                 names: dict[int, str]) -> list[OperatorRow]:
    """Everyone who answered a call, registered a complaint or made (or finally failed) a
    callback due in the month, the busiest on the phone first."""
    answered: dict[int, int] = defaultdict(int)
    for (operator_id, missed), figures in calls.items():
        if operator_id is not None and not missed:
            answered[operator_id] += figures[0]
    registered: dict[int, int] = defaultdict(int)
    for c in complaints:
        if c.created_by_id is not None:
            registered[c.created_by_id] += 1
    done: dict[int, int] = defaultdict(int)
    failed: dict[int, int] = defaultdict(int)
    pleased: dict[int, int] = defaultdict(int)
    for cb in callbacks:
        who = cb.done_by_id
        if who is None:
            continue
        if cb.status == CallbackStatus.DONE:
            done[who] += 1
            if cb.satisfaction in (Satisfaction.SATISFIED, Satisfaction.FAIRLY):
                pleased[who] += 1
        elif cb.status == CallbackStatus.FAILED:
            failed[who] += 1
    people = set(answered) | set(registered) | set(done) | set(failed)
    rows = [OperatorRow(operator=names.get(who, ""), calls_received=answered[who],
                        complaints_registered=registered[who], callbacks_done=done[who],
                        callbacks_failed=failed[who], satisfied=pleased[who])
            for who in people]
    return sorted(rows, key=lambda r: (-r.calls_received, -r.complaints_registered,
                                       -r.callbacks_done, r.operator))


def _complaint_line(c: _Complaint, phones: dict[int, str]) -> ComplaintLine:
    phone = c.phone or (phones.get(c.customer_id, "") if c.customer_id is not None else "")
    return ComplaintLine(
        number=c.number, registered_at=c.created_at, source=c.source, customer=c.customer,
        unit=c.unit, phone=phone, category=c.category, severity=c.severity,
        description=c.description, department=c.department, status=c.status,
        resolve_due_at=c.resolve_due_at,
        resolved_at=c.first_resolved_at,  # the first resolution: rework clears the column
        on_time=c.on_time, resolve_hours=c.resolve_hours, reopened=c.reopened,
        satisfaction=c.satisfaction)


def _callback_line(c: _Callback, names: dict[int, str]) -> CallbackLine:
    who = c.done_by_id if c.done_by_id is not None else c.operator_id
    return CallbackLine(
        complaint_number=c.complaint_number, customer=c.customer, phone=c.phone,
        category=c.category, due_at=c.due_at, done_at=c.done_at,
        operator=names.get(who, "") if who is not None else "", attempts=c.attempts,
        status=c.status.label, failed=c.status == CallbackStatus.FAILED,
        reached=c.status == CallbackStatus.DONE, satisfaction=c.satisfaction,
        comment=c.comment,
        reviewed_by=names.get(c.reviewed_by_id, "") if c.reviewed_by_id else "",
        review_comment=c.review_comment)


# -- an operator's own figures ----------------------------------------------------------------
@dataclass(frozen=True)
class OwnFigures:
    """What one person did in a stretch of time: the figures an operator may see of their
    own (the centre's month is for supervisors)."""

    calls_received: int = 0  # inbound calls they answered
    average_handle_seconds: float | None = None  # of those with a duration
    first_call_resolution: float | None = None  # solved on the call / calls_received
    complaints_registered: int = 0
    callbacks_done: int = 0  # complaint and missed-call callbacks they finished as made


@dataclass(frozen=True)
class OwnReport:
    name: str
    day: date
    today: OwnFigures
    month: OwnFigures  # the month of ``day``, from its 1st to now


def own_labels() -> dict[str, str]:
    """``OwnFigures`` field → its label in the current language."""
    return {
        "calls_received": translate("MonthlyReport", "Calls answered"),
        "average_handle_seconds": translate("MonthlyReport", "Average call time (seconds)"),
        "first_call_resolution": translate("MonthlyReport", "Solved on the first call"),
        "complaints_registered": translate("MonthlyReport", "Complaints registered"),
        "callbacks_done": translate("MonthlyReport", "Callbacks made"),
    }


def own_report(db: Database, actor: Actor) -> OwnReport:
    """The signed-in person's own day and month so far; anyone may see their own."""
    now = clock.utcnow()
    today = now.astimezone().date()
    day_start = local_day_bounds(today)[0]
    month_start = month_bounds(Month(today.year, today.month))[0]
    with db.read() as session:
        name = session.scalar(select(User.display_name).where(User.id == actor.user_id)) or ""
        return OwnReport(name=name, day=today,
                         today=_own(session, actor.user_id, day_start, now),
                         month=_own(session, actor.user_id, month_start, now))


def _own(session: Session, user_id: int, start: datetime, end: datetime) -> OwnFigures:
    calls = _calls(session, start, end + timedelta(microseconds=1), _Filter())
    received, timed, seconds, solved, _incident_calls = calls.get((user_id, False),
                                                                  [0, 0, 0, 0, 0])
    complaints = session.scalar(select(func.count(Complaint.id)).where(
        Complaint.created_by_id == user_id, Complaint.created_at >= start,
        Complaint.created_at <= end)) or 0
    callbacks = session.scalar(select(func.count(CallbackTask.id)).where(
        CallbackTask.done_by_id == user_id, CallbackTask.status == CallbackStatus.DONE,
        CallbackTask.done_at >= start, CallbackTask.done_at <= end)) or 0
    return OwnFigures(calls_received=received,
                      average_handle_seconds=seconds / timed if timed else None,
                      first_call_resolution=_rate(solved, received),
                      complaints_registered=complaints, callbacks_done=callbacks)
