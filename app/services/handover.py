"""交接班记录: at the end of a shift CallDesk drafts the handover from the live work (complaints
opened or worked on in the shift and still open, missed calls not returned, callbacks due by
the end of the next shift, complaints overdue), the operator adds notes and hands over, and
the next operator acknowledges it when they sign in.

Shifts come from the centre's setting (e.g. 08:00,16:00: 08:00–16:00 and 16:00–08:00)."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app import clock
from app.db import Database
from app.db.models import CallbackTask, Complaint, ComplaintEvent, Handover, Setting, User
from app.domain.calls import CallbackReason, CallbackStatus
from app.domain.complaints import OPEN_STATUSES
from app.domain.roles import Actor
from app.domain.texts import LONG_TEXT_MAX
from app.errors import CallDeskError, NotFound, ValidationError
from app.i18n import translate
from app.services import audit
from app.services.calls import local_day_bounds
from app.settings import SHIFT_CHANGES

SHOWN = 50  # lines per section: a handover is read by a person


class Section(enum.StrEnum):
    """The parts of a handover, in the order they are read."""

    OPEN_FORMS = "open_forms"
    MISSED_CALLS = "missed_calls"
    CALLBACKS_NEXT = "callbacks_next"
    OVERDUE = "overdue"

    @property
    def label(self) -> str:
        return {Section.OPEN_FORMS: translate("Handover", "Worked on this shift, still open"),
                Section.MISSED_CALLS: translate("Handover", "Missed calls not returned"),
                Section.CALLBACKS_NEXT: translate("Handover", "Callbacks due by the next "
                                                              "shift's end"),
                Section.OVERDUE: translate("Handover", "Overdue complaints")}[self]


@dataclass(frozen=True)
class Shift:
    start: datetime  # UTC
    end: datetime

    @property
    def label(self) -> str:
        start, end = self.start.astimezone(), self.end.astimezone()
        return f"{start:%Y-%m-%d %H:%M}–{end:%H:%M}"


def parse_shift_changes(text: str) -> list[time]:
    """"08:00,16:00" as times in order; a bad list is refused with what to write."""
    times: list[time] = []
    for part in text.replace("，", ",").split(","):
        part = part.strip()
        try:
            hours, minutes = part.split(":")
            times.append(time(int(hours), int(minutes)))
        except ValueError:
            raise ValidationError(translate(
                "Handover", "Write the times shifts change as HH:MM, separated by commas, "
                            "e.g. 08:00,16:00.")) from None
    if not times or sorted(set(times)) != times:
        raise ValidationError(translate(
            "Handover", "Write each time shifts change once, in the day's order, e.g. "
                        "08:00,16:00."))
    return times


def shift_at(changes: list[time], at: datetime) -> Shift:
    """The shift ``at`` falls in, by the local wall clock."""
    local = at.astimezone()
    zone = local.tzinfo
    starts = [datetime.combine(local.date() + timedelta(days=d), t, zone)
              for d in (-1, 0, 1) for t in changes]
    start = max(s for s in starts if s <= local)
    end = min(s for s in starts if s > local)
    return Shift(start.astimezone(UTC), end.astimezone(UTC))


@dataclass(frozen=True)
class Line:
    kind: str  # "complaint" or "callback": what opening it opens
    id: int
    text: str


@dataclass(frozen=True)
class HandoverDraft:
    shift: Shift
    sections: dict[Section, list[Line]]

    def total(self) -> int:
        return sum(len(lines) for lines in self.sections.values())


@dataclass(frozen=True)
class HandoverRow:
    id: int
    shift: Shift
    from_user: str
    handed_over_at: datetime
    sections: dict[Section, list[Line]]
    notes: str
    acknowledged_by: str
    acknowledged_at: datetime | None


class HandoverService:
    def __init__(self, db: Database) -> None:
        self.db = db

    def shift_changes(self) -> list[time]:
        with self.db.read() as session:
            return _changes(session)

    def current_shift(self) -> Shift:
        return shift_at(self.shift_changes(), clock.utcnow())

    def draft(self, actor: Actor) -> HandoverDraft:  # noqa: ARG002 - every role hands over
        with self.db.read() as session:
            return _draft(session, shift_at(_changes(session), clock.utcnow()))

    def hand_over(self, actor: Actor, notes: str) -> HandoverRow:
        """Saves the handover with the draft as it stands now (the work may have moved since
        the dialog opened) and the operator's notes."""
        notes = notes.strip()
        if len(notes) > LONG_TEXT_MAX:
            raise ValidationError(translate("Handover", "At most {n} characters.").format(
                n=LONG_TEXT_MAX), ("notes",))
        with self.db.write() as session:
            draft = _draft(session, shift_at(_changes(session), clock.utcnow()))
            row = Handover(shift_start=draft.shift.start, shift_end=draft.shift.end,
                           from_user_id=actor.user_id, handed_over_at=clock.utcnow(),
                           lines={s.value: [[ln.kind, ln.id, ln.text] for ln in lines]
                                  for s, lines in draft.sections.items()},
                           notes=notes)
            session.add(row)
            session.flush()
            audit.record(session, actor, "handover", row.id, "create",
                         {"lines": [None, draft.total()]})
            return _row(session, row)

    def waiting_for(self, actor: Actor) -> HandoverRow | None:
        """The last handover nobody has acknowledged, left by someone else in the last day:
        what the operator signing in should read first."""
        since = clock.utcnow() - timedelta(days=1)
        with self.db.read() as session:
            row = session.scalars(
                select(Handover).where(Handover.acknowledged_at.is_(None),
                                       Handover.handed_over_at >= since,
                                       or_(Handover.from_user_id.is_(None),
                                           Handover.from_user_id != actor.user_id))
                .order_by(Handover.handed_over_at.desc()).limit(1)).first()
            return _row(session, row) if row is not None else None

    def acknowledge(self, actor: Actor, handover_id: int) -> HandoverRow:
        with self.db.write() as session:
            row = session.get(Handover, handover_id, with_for_update=True)
            if row is None:
                raise NotFound(translate("Handover", "That handover no longer exists."))
            if row.acknowledged_at is not None:
                raise CallDeskError(translate(
                    "Handover", "This handover was already taken over. Refresh."))
            row.acknowledged_by_id = actor.user_id
            row.acknowledged_at = clock.utcnow()
            audit.record(session, actor, "handover", row.id, "acknowledge", {})
            return _row(session, row)

    def on_day(self, day: date) -> list[HandoverRow]:
        """The handovers made on a local day, in order."""
        start, end = local_day_bounds(day)
        with self.db.read() as session:
            rows = session.scalars(select(Handover).where(
                Handover.handed_over_at >= start, Handover.handed_over_at < end)
                .order_by(Handover.handed_over_at))
            return [_row(session, row) for row in rows]


def _changes(session: Session) -> list[time]:
    stored = session.get(Setting, SHIFT_CHANGES.key)
    text = str(stored.value) if stored is not None and stored.value else SHIFT_CHANGES.default
    try:
        return parse_shift_changes(text)
    except ValidationError:  # a bad stored value must not stop the handover
        return parse_shift_changes(SHIFT_CHANGES.default)


def _draft(session: Session, shift: Shift) -> HandoverDraft:
    now = clock.utcnow()
    next_end = shift.end + (shift.end - shift.start)
    worked = select(ComplaintEvent.complaint_id).where(
        ComplaintEvent.at >= shift.start, ComplaintEvent.at < shift.end)
    open_forms = session.scalars(
        select(Complaint).where(Complaint.id.in_(worked), Complaint.status.in_(OPEN_STATUSES))
        .order_by(Complaint.created_at).limit(SHOWN)).all()
    overdue = session.scalars(
        select(Complaint).where(Complaint.next_due_at < now)
        .order_by(Complaint.next_due_at).limit(SHOWN)).all()
    pending = CallbackTask.status == CallbackStatus.PENDING
    missed = session.scalars(
        select(CallbackTask).where(pending, CallbackTask.reason == CallbackReason.MISSED_CALL)
        .order_by(CallbackTask.due_at).limit(SHOWN)).all()
    due_next = session.scalars(
        select(CallbackTask).where(pending, CallbackTask.reason != CallbackReason.MISSED_CALL,
                                   CallbackTask.due_at < next_end)
        .order_by(CallbackTask.due_at).limit(SHOWN)).all()
    numbers = dict(session.execute(select(Complaint.id, Complaint.number).where(
        Complaint.id.in_([t.complaint_id for t in due_next if t.complaint_id]))).all())
    return HandoverDraft(shift, {
        Section.OPEN_FORMS: [_complaint_line(c) for c in open_forms],
        Section.MISSED_CALLS: [_callback_line(t, "") for t in missed],
        Section.CALLBACKS_NEXT: [_callback_line(t, numbers.get(t.complaint_id or 0, ""))
                                 for t in due_next],
        Section.OVERDUE: [_complaint_line(c) for c in overdue],
    })


def _short(text: str, length: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[:length - 1] + "…"


def _complaint_line(c: Complaint) -> Line:
    return Line("complaint", c.id, f"{c.number} {c.status.label} {c.category.label} "
                                   f"{_short(c.description)}")


def _callback_line(task: CallbackTask, number: str) -> Line:
    due = task.due_at.astimezone()
    parts = [f"{due:%m-%d %H:%M}", task.reason.label, task.phone, number, _short(task.note)]
    return Line("callback", task.id, " ".join(p for p in parts if p))


def _row(session: Session, row: Handover) -> HandoverRow:
    names = dict(session.execute(select(User.id, User.display_name).where(
        User.id.in_([i for i in (row.from_user_id, row.acknowledged_by_id) if i]))).all())
    known = {section.value for section in Section}  # a later CallDesk's section is skipped
    sections = {Section(key): [Line(kind, ident, text) for kind, ident, text in lines]
                for key, lines in (row.lines or {}).items() if key in known}
    return HandoverRow(id=row.id, shift=Shift(row.shift_start, row.shift_end),
                       from_user=names.get(row.from_user_id or 0, ""),
                       handed_over_at=row.handed_over_at, sections=sections, notes=row.notes,
                       acknowledged_by=names.get(row.acknowledged_by_id or 0, ""),
                       acknowledged_at=row.acknowledged_at)

