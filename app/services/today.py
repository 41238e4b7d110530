"""今日 (the today board): what the signed-in user's day needs next, on one page. Their
callbacks due and overdue, missed calls nobody has returned, complaints overdue or about to
be, by department, and the desk's calls so far today with the share solved on the call.

Every part is a list the desk already has (the same filters as its tab), read for its first
few rows and its count, so a line on the board and the tab it opens always agree."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import and_, func, select

from app import clock
from app.db import Database
from app.db.models import Call, Complaint, Department
from app.domain.calls import CallbackReason, Direction, Outcome
from app.domain.complaints import Urgency
from app.domain.roles import Actor, Role
from app.services.callbacks import CallbackFilter, CallbackService, Queue
from app.services.calls import local_day_bounds
from app.services.complaints import ComplaintFilter, ComplaintService
from app.services.incidents import IncidentService

SHOWN = 8  # lines per part; the count says how many there are in all
MISSED = frozenset({CallbackReason.MISSED_CALL})
NOT_MISSED = frozenset(CallbackReason) - MISSED


@dataclass(frozen=True)
class Part:
    """One part of the board: the first lines and how many there are in all."""

    rows: list
    total: int


@dataclass(frozen=True)
class TodayBoard:
    mine_only: bool  # an operator's callbacks (theirs and the desk's); a supervisor: all
    callbacks_due: Part  # of CallbackRow: due today or overdue
    missed_calls: Part  # of CallbackRow: missed calls not yet returned, anyone's
    complaints_overdue: Part  # of ComplaintRow
    complaints_due_soon: Part  # of ComplaintRow
    overdue_by_department: dict[str, int]
    calls_answered: int  # inbound calls taken today, the whole desk
    calls_missed: int
    first_call_resolution: float | None  # solved on the call / answered
    incidents: list = field(default_factory=list)  # active IncidentRow


class TodayService:
    def __init__(self, db: Database) -> None:
        self.db = db
        self.callbacks = CallbackService(db)
        self.complaints = ComplaintService(db)

    def board(self, actor: Actor) -> TodayBoard:
        # An operator's: those set for them or for nobody (the desk's), not a colleague's;
        # a supervisor's: the whole desk's.
        mine_only = actor.role == Role.OPERATOR
        mine = actor.user_id if mine_only else None
        # Missed calls have a part of their own, so none is listed twice.
        due = self.callbacks.list(CallbackFilter(
            Queue.DUE, doable_by=mine, reasons=NOT_MISSED), 0, SHOWN)
        # Missed calls waiting to be returned: those due now, and how many in all (one
        # missed after hours is due in the morning, but is no less unreturned).
        missed = self.callbacks.list(CallbackFilter(Queue.DUE, reasons=MISSED), 0, SHOWN)
        later = self.callbacks.list(CallbackFilter(Queue.UPCOMING, reasons=MISSED), 0,
                                    max(1, SHOWN - len(missed.rows)))
        missed_rows = list(missed.rows) + list(later.rows)[:SHOWN - len(missed.rows)]
        overdue = self.complaints.list(ComplaintFilter(urgency=Urgency.OVERDUE), 0, SHOWN)
        soon = self.complaints.list(ComplaintFilter(urgency=Urgency.DUE_SOON), 0, SHOWN)
        by_department = self._overdue_by_department()
        answered, solved, missed_today = self._calls_today()
        return TodayBoard(
            mine_only=mine_only,
            callbacks_due=Part(list(due.rows), due.total),
            missed_calls=Part(missed_rows, missed.total + later.total),
            complaints_overdue=Part(list(overdue.rows), overdue.total),
            complaints_due_soon=Part(list(soon.rows), soon.total),
            overdue_by_department=by_department,
            calls_answered=answered, calls_missed=missed_today,
            first_call_resolution=solved / answered if answered else None,
            incidents=IncidentService(self.db).active())

    def _overdue_by_department(self) -> dict[str, int]:
        """Open complaints past a deadline per department (the status bar's count, split),
        the most first; "" for those not dispatched yet."""
        with self.db.read() as session:
            rows = session.execute(
                select(Department.name, func.count(Complaint.id))
                .outerjoin(Department, Department.id == Complaint.department_id)
                .where(Complaint.next_due_at < clock.utcnow())
                .group_by(Department.name)).all()
        return {name or "": count for name, count in
                sorted(rows, key=lambda r: (-r[1], r[0] or ""))}

    def _calls_today(self) -> tuple[int, int, int]:
        """The desk's inbound calls today (local day): answered, solved on the call and
        missed, counted as the daily report counts them (callbacks' calls are outbound)."""
        start, end = local_day_bounds(clock.utcnow().astimezone().date())
        inbound = and_(Call.direction == Direction.INBOUND, Call.received_at >= start,
                       Call.received_at < end)
        with self.db.read() as session:
            answered, solved, missed = session.execute(select(
                func.count(Call.id).filter(Call.missed.is_(False)),
                func.count(Call.id).filter(Call.missed.is_(False),
                                           Call.outcome == Outcome.SOLVED),
                func.count(Call.id).filter(Call.missed.is_(True))).where(inbound)).one()
        return answered or 0, solved or 0, missed or 0

