"""每日工作报表: one operator's (or everyone's) day at the phone.

Days are the PC's local calendar days; timestamps are stored in UTC.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from app.db import Database
from app.db.models import CallbackTask, User
from app.domain.calls import CallbackStatus, CallType, Direction, Outcome
from app.domain.roles import Actor, Permission
from app.errors import NotFound, PermissionDenied
from app.i18n import translate
from app.services.calls import CallFilter, CallRow, CallService, local_day_bounds


@dataclass(frozen=True)
class DailyReport:
    day: date
    operator_id: int | None  # None: everyone
    operator_name: str
    calls: list[CallRow]
    by_type: dict[CallType, int]  # inbound calls answered
    by_outcome: dict[Outcome, int]  # inbound calls answered
    inbound: int
    outbound: int
    missed: int
    # Inbound calls answered (已接听). Outbound calls are the desk's own (callbacks): a
    # callback that did not reach the customer is no call answered, and no call solved.
    answered: int
    average_handle_seconds: float | None  # over calls taken, in and out
    first_call_resolution: float | None  # solved on the call / inbound calls taken
    complaints_opened: int
    callbacks_done: int

    @property
    def total(self) -> int:
        return len(self.calls)


def daily_report(db: Database, actor: Actor, day: date,
                 operator_id: int | None = None) -> DailyReport:
    """An operator sees their own day; supervisors and admins anyone's, or everyone's."""
    if not actor.can(Permission.EDIT_ANY_CALL):
        if operator_id not in (None, actor.user_id):
            raise PermissionDenied(translate("Reports", "You can see your own daily report; "
                                                        "ask a supervisor for a colleague's."))
        operator_id = actor.user_id
    with db.read() as session:
        if operator_id is None:
            operator_name = translate("Reports", "All operators")
        else:
            user = session.get(User, operator_id)
            if user is None:
                raise NotFound(translate("Reports", "That operator no longer exists."))
            operator_name = user.display_name
        start, end = local_day_bounds(day)
        done = select(func.count(CallbackTask.id)).where(
            CallbackTask.status == CallbackStatus.DONE, CallbackTask.done_at >= start,
            CallbackTask.done_at < end)
        if operator_id is not None:
            done = done.where(CallbackTask.done_by_id == operator_id)
        callbacks_done = session.scalar(done) or 0
    calls = _all_calls(CallService(db), CallFilter(start=day, end=day, operator_id=operator_id))
    taken = [c for c in calls if not c.missed]
    inbound_taken = [c for c in taken if c.direction == Direction.INBOUND]
    timed = [c.duration_seconds for c in taken if c.duration_seconds > 0]
    solved = sum(1 for c in inbound_taken if c.outcome == Outcome.SOLVED)
    return DailyReport(
        day=day, operator_id=operator_id, operator_name=operator_name, calls=calls,
        by_type=dict(Counter(c.call_type for c in inbound_taken if c.call_type)),
        by_outcome=dict(Counter(c.outcome for c in inbound_taken if c.outcome)),
        inbound=sum(1 for c in calls if c.direction == Direction.INBOUND),
        outbound=sum(1 for c in calls if c.direction == Direction.OUTBOUND),
        missed=len(calls) - len(taken), answered=len(inbound_taken),
        average_handle_seconds=sum(timed) / len(timed) if timed else None,
        first_call_resolution=solved / len(inbound_taken) if inbound_taken else None,
        complaints_opened=sum(1 for c in inbound_taken if c.outcome == Outcome.COMPLAINT),
        callbacks_done=callbacks_done)


def _all_calls(calls: CallService, filters: CallFilter, batch: int = 500) -> list[CallRow]:
    rows: list[CallRow] = []
    while True:
        page = calls.list(filters, len(rows), batch)
        rows.extend(page.rows)
        if not page.rows or len(rows) >= page.total:
            return list(reversed(rows))  # the day in order
