"""Incidents (突发事件): a supervisor opens one (3栋停水 since 10:20, expected 14:00, what to
tell callers); while it is active the pop-up and the call panel say so for callers it
touches, and a call is linked to it in one key instead of a new complaint; when it ends, its
callers can be called back as a batch."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app import clock
from app.db import Database
from app.db.models import Call, CallbackTask, CustomerUnit, Incident, Unit
from app.domain.calls import CallbackReason, Direction
from app.domain.incidents import IncidentKind, parse_buildings, touches
from app.domain.roles import Actor, Permission, require
from app.domain.texts import NOTE_MAX
from app.errors import CallDeskError, NotFound, ValidationError
from app.i18n import translate
from app.services import audit

TITLE_MAX = 60


@dataclass(frozen=True)
class IncidentInput:
    kind: IncidentKind
    title: str
    estate: str = ""
    buildings: str = ""  # "3栋,5栋": parsed to building numbers
    message: str = ""
    expected_end_at: datetime | None = None


@dataclass(frozen=True)
class IncidentRow:
    id: int
    kind: IncidentKind
    title: str
    estate: str
    buildings: list[str]
    message: str
    started_at: datetime
    expected_end_at: datetime | None
    ended_at: datetime | None
    calls: int  # linked calls

    @property
    def active(self) -> bool:
        return self.ended_at is None

    def touches(self, estate: str, building: str) -> bool:
        return touches(self.estate, self.buildings, estate, building)

    def notice(self) -> str:
        """"3栋停水 since 10:20, expected 14:00: …" for the pop-up and the call panel."""
        since = self.started_at.astimezone()
        text = translate("Incidents", "{title} since {since}").format(
            title=self.title, since=f"{since:%H:%M}" if since.date() == clock.utcnow()
            .astimezone().date() else f"{since:%m-%d %H:%M}")
        if self.expected_end_at is not None:
            end = self.expected_end_at.astimezone()
            text += translate("Incidents", ", expected to end {end}").format(
                end=f"{end:%H:%M}" if end.date() == since.date() else f"{end:%m-%d %H:%M}")
        return f"{text}: {self.message}" if self.message else text


class IncidentService:
    def __init__(self, db: Database) -> None:
        self.db = db

    def open(self, actor: Actor, data: IncidentInput) -> IncidentRow:
        require(actor, Permission.MANAGE_COMPLAINTS)
        title, message = data.title.strip(), data.message.strip()
        fields: dict[str, str] = {}
        if not title:
            fields["title"] = translate("Incidents", "Write what happened, e.g. water cut in building 3.")
        elif len(title) > TITLE_MAX:
            fields["title"] = translate("Incidents", "At most {n} characters.").format(
                n=TITLE_MAX)
        if len(message) > NOTE_MAX:
            fields["message"] = translate("Incidents", "At most {n} characters.").format(
                n=NOTE_MAX)
        if data.expected_end_at is not None and data.expected_end_at <= clock.utcnow():
            fields["expected_end_at"] = translate(
                "Incidents", "The expected end must be still to come.")
        buildings = ",".join(parse_buildings(data.buildings))
        if len(buildings) > 120 or len(data.estate.strip()) > 40:
            fields["buildings"] = translate("Incidents", "Too many buildings for one incident.")
        if fields:
            raise ValidationError(next(iter(fields.values())), fields)
        with self.db.write() as session:
            incident = Incident(kind=data.kind, title=title, estate=data.estate.strip(),
                                buildings=buildings, message=message,
                                started_at=clock.utcnow(),
                                expected_end_at=data.expected_end_at,
                                created_by_id=actor.user_id)
            session.add(incident)
            session.flush()
            audit.record(session, actor, "incident", incident.id, "create",
                         {"title": [None, title]})
            return _row(session, incident)

    def end(self, actor: Actor, incident_id: int, call_back: bool = False
            ) -> tuple[IncidentRow, int]:
        """Ends it; with ``call_back``, one callback per number that called about it (the
        callers are told it is over). Returns the incident and how many callbacks."""
        require(actor, Permission.MANAGE_COMPLAINTS)
        with self.db.write() as session:
            incident = session.get(Incident, incident_id, with_for_update=True)
            if incident is None:
                raise NotFound(translate("Incidents", "That incident no longer exists."))
            if incident.ended_at is not None:
                raise CallDeskError(translate("Incidents", "This incident has ended already."))
            now = clock.utcnow()
            incident.ended_at, incident.ended_by_id = now, actor.user_id
            made = 0
            if call_back:
                note = translate("Incidents", "{title} is over: tell the customer.").format(
                    title=incident.title)
                callers = session.execute(
                    select(Call.phone_raw, func.max(Call.customer_id), func.max(Call.id))
                    .where(Call.incident_id == incident.id, Call.missed.is_(False),
                           Call.direction == Direction.INBOUND)
                    .group_by(Call.phone_raw)).all()
                for phone, customer_id, call_id in callers:
                    session.add(CallbackTask(
                        reason=CallbackReason.REQUESTED, call_id=call_id,
                        customer_id=customer_id, phone=phone, due_at=now, note=note,
                        created_by_id=actor.user_id, created_at=now))
                    made += 1
            audit.record(session, actor, "incident", incident.id, "end",
                         {"callbacks": [None, made]})
            return _row(session, incident), made

    def active(self) -> list[IncidentRow]:
        with self.db.read() as session:
            return [_row(session, i) for i in session.scalars(
                select(Incident).where(Incident.ended_at.is_(None))
                .order_by(Incident.started_at.desc()))]

    def recent(self, limit: int = 50) -> list[IncidentRow]:
        """Active ones first, then those ended, newest first: the incidents dialog."""
        with self.db.read() as session:
            return [_row(session, i) for i in session.scalars(
                select(Incident).order_by(Incident.ended_at.is_not(None),
                                          Incident.started_at.desc()).limit(limit))]

    def touching_customer(self, customer_id: int | None) -> list[IncidentRow]:
        """The active incidents a caller is touched by: by their units' estate and building;
        one without a card is told of those that touch everyone."""
        active = self.active()
        if not active:
            return []
        places: list[tuple[str, str]] = []
        if customer_id is not None:
            with self.db.read() as session:
                places = [(estate or "", building or "") for estate, building in
                          session.execute(select(Unit.estate, Unit.building)
                                          .join(CustomerUnit, CustomerUnit.unit_id == Unit.id)
                                          .where(CustomerUnit.customer_id == customer_id))]
        return [i for i in active
                if (not i.estate and not i.buildings)
                or any(i.touches(estate, building) for estate, building in places)]


def check_linkable(session: Session, incident_id: int) -> None:
    """For logging a call linked to an incident: it must exist (ended is fine: a caller may
    ring just after)."""
    if session.get(Incident, incident_id) is None:
        raise ValidationError(translate("Incidents", "That incident no longer exists."),
                              ("incident",))


def _row(session: Session, incident: Incident) -> IncidentRow:
    calls = session.scalar(select(func.count(Call.id)).where(
        Call.incident_id == incident.id)) or 0
    return IncidentRow(id=incident.id, kind=incident.kind, title=incident.title,
                       estate=incident.estate,
                       buildings=[b for b in incident.buildings.split(",") if b],
                       message=incident.message, started_at=incident.started_at,
                       expected_end_at=incident.expected_end_at, ended_at=incident.ended_at,
                       calls=calls)

