"""Everything one customer has done with the centre (往来记录): their calls, complaints and
callbacks in one list, newest first, a page at a time, for the card.

A callback's own outbound calls are not listed separately: the callback's line says what
came of them (how many tries, reached or not), so one callback is one line."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import String, func, literal, or_, select
from sqlalchemy.orm import Session

from app.db import Database
from app.db.models import Call, CallbackTask, Complaint, User
from app.domain.calls import Direction, Outcome
from app.i18n import translate

# Callback calls are shown through their callback's line.
_CALLBACK_OUTCOMES = (Outcome.CALLED_BACK, Outcome.NOT_REACHED)


class ActivityKind(enum.StrEnum):
    CALL = "call"
    COMPLAINT = "complaint"
    CALLBACK = "callback"

    @property
    def label(self) -> str:
        return {ActivityKind.CALL: translate("Activity", "Call"),
                ActivityKind.COMPLAINT: translate("Activity", "Complaint"),
                ActivityKind.CALLBACK: translate("Activity", "Callback")}[self]


@dataclass(frozen=True)
class ActivityRow:
    kind: ActivityKind
    id: int  # of the call, complaint or callback
    at: datetime  # when it happened (a callback: when done, else when it was set)
    subject: str  # e.g. 来电 · 报修, TS202612-0001 · 噪音, 投诉回访
    detail: str  # what was said or asked
    state: str  # what came of it
    user_name: str  # who took or made it

    @property
    def complaint_id(self) -> int | None:
        return self.id if self.kind == ActivityKind.COMPLAINT else None


@dataclass(frozen=True)
class ActivityPage:
    rows: list[ActivityRow]
    total: int  # -1 when not counted
    offset: int


class CustomerActivityService:
    def __init__(self, db: Database) -> None:
        self.db = db

    def page(self, customer_id: int, offset: int = 0, limit: int = 50,
             count: bool = True) -> ActivityPage:
        offset, limit = max(0, offset), max(1, min(limit, 500))
        calls = select(literal(ActivityKind.CALL.value, String).label("kind"),
                       Call.id.label("id"), Call.received_at.label("at")).where(
            Call.customer_id == customer_id,
            or_(Call.outcome.is_(None), Call.outcome.not_in(_CALLBACK_OUTCOMES)))
        complaints = select(literal(ActivityKind.COMPLAINT.value, String),
                            Complaint.id, Complaint.created_at).where(
            Complaint.customer_id == customer_id)
        callbacks = select(literal(ActivityKind.CALLBACK.value, String), CallbackTask.id,
                           func.coalesce(CallbackTask.done_at, CallbackTask.created_at)).where(
            CallbackTask.customer_id == customer_id)
        everything = calls.union_all(complaints, callbacks).subquery()
        with self.db.read() as session:
            total = session.scalar(select(func.count()).select_from(everything)) \
                if count else -1
            keys = session.execute(
                select(everything.c.kind, everything.c.id)
                .order_by(everything.c.at.desc(), everything.c.kind, everything.c.id.desc())
                .offset(offset).limit(limit)).all()
            rows = _rows(session, [(ActivityKind(kind), ident) for kind, ident in keys])
        return ActivityPage(rows=rows, total=(total or 0) if count else -1, offset=offset)


def _rows(session: Session, keys: list[tuple[ActivityKind, int]]) -> list[ActivityRow]:
    """The page's lines, in the page's order, each built from its own table."""
    wanted: dict[ActivityKind, list[int]] = {kind: [] for kind in ActivityKind}
    for kind, ident in keys:
        wanted[kind].append(ident)
    found: dict[tuple[ActivityKind, int], ActivityRow] = {}
    users = _user_names(session)
    if wanted[ActivityKind.CALL]:
        for call in session.scalars(select(Call).where(Call.id.in_(wanted[ActivityKind.CALL]))):
            found[ActivityKind.CALL, call.id] = _call_row(call, users)
    if wanted[ActivityKind.COMPLAINT]:
        for complaint in session.scalars(
                select(Complaint).where(Complaint.id.in_(wanted[ActivityKind.COMPLAINT]))):
            found[ActivityKind.COMPLAINT, complaint.id] = _complaint_row(complaint, users)
    if wanted[ActivityKind.CALLBACK]:
        for task in session.scalars(select(CallbackTask).where(
                CallbackTask.id.in_(wanted[ActivityKind.CALLBACK]))):
            found[ActivityKind.CALLBACK, task.id] = _callback_row(session, task, users)
    return [found[key] for key in keys if key in found]


def _user_names(session: Session) -> dict[int, str]:
    # A centre has tens of users, not thousands: one small read per page.
    return dict(session.execute(select(User.id, User.display_name)).all())


def _call_row(call: Call, users: dict[int, str]) -> ActivityRow:
    if call.missed:
        subject = translate("Activity", "Missed call")
    else:  # an inbound call is the usual case: only an outbound one says so
        parts = [call.direction.label if call.direction == Direction.OUTBOUND else "",
                 call.call_type.label if call.call_type else ""]
        subject = " · ".join(p for p in parts if p)
    state = call.outcome.label if call.outcome else ""
    if call.duration_seconds and not call.missed:
        minutes, seconds = divmod(call.duration_seconds, 60)
        state = f"{state} {minutes:02d}:{seconds:02d}".strip()
    return ActivityRow(ActivityKind.CALL, call.id, call.received_at, subject, call.summary,
                       state, users.get(call.operator_id or 0, ""))


def _complaint_row(complaint: Complaint, users: dict[int, str]) -> ActivityRow:
    return ActivityRow(ActivityKind.COMPLAINT, complaint.id, complaint.created_at,
                       f"{complaint.number} · {complaint.category.label}",
                       complaint.description, complaint.status.label,
                       users.get(complaint.created_by_id or 0, ""))


def _callback_row(session: Session, task: CallbackTask, users: dict[int, str]) -> ActivityRow:
    subject = task.reason.label
    if task.complaint_id is not None:
        number = session.scalar(select(Complaint.number).where(
            Complaint.id == task.complaint_id))
        subject = f"{subject} · {number}" if number else subject
    state = task.status.label
    if task.satisfaction is not None:
        state = f"{state} · {task.satisfaction.label}"
    if task.attempts:
        state = translate("Activity", "{state} ({n} tries)").format(state=state,
                                                                     n=task.attempts)
    who = users.get(task.done_by_id or task.operator_id or task.created_by_id or 0, "")
    return ActivityRow(ActivityKind.CALLBACK, task.id, task.done_at or task.created_at,
                       subject, task.comment or task.note, state, who)
