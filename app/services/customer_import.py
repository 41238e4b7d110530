"""Writing a read roster into the card file: all or nothing, and idempotent.

A person who already has a card (same name and a shared number) gets the numbers and units
the roster adds; nobody gets a second card. Everything happens in one transaction, so a
cancel, a dry run or an error midway leaves the database exactly as it was.
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app import clock
from app.db import Database
from app.db.models import Customer, CustomerPhone, CustomerUnit
from app.domain.customers import CustomerType, Title, name_keys
from app.domain.roles import Actor, Permission, require
from app.domain.texts import NOTE_MAX
from app.i18n import translate
from app.importers.roster import RosterPerson, RosterResult, RowError
from app.services import audit
from app.services.customers import AmbiguousUnit, CustomerService, card_snapshot, new_phone

TITLES = {"先生": Title.MR, "女士": Title.MS}


@dataclass(frozen=True)
class ImportSummary:
    created: int
    updated: int
    unchanged: int
    errors: list[RowError]
    dry_run: bool

    def as_json(self) -> dict[str, object]:
        return {"created": self.created, "updated": self.updated, "unchanged": self.unchanged,
                "errors": [{"row": e.row, "message": e.message}
                           for e in self.errors if not e.warning],
                "warnings": [{"row": e.row, "message": e.message}
                             for e in self.errors if e.warning]}


class _RollBack(Exception):
    """Ends a dry run's transaction without writing anything."""


def import_roster(db: Database, actor: Actor, roster: RosterResult, *,
                  dry_run: bool = False) -> Generator[tuple[int, int, str], None, ImportSummary]:
    """Yields (done, total, text) per person; returns the summary. Supervisors and admins."""
    require(actor, Permission.IMPORT_CUSTOMERS)
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    notes: list[RowError] = []
    total = len(roster.people)
    # A dry run only counts: it need not queue other desks' saves behind it.
    transaction = db.read if dry_run else db.write
    try:
        with transaction() as session:
            for done, person in enumerate(roster.people, start=1):
                outcome = _import_person(session, actor, person, notes)
                counts[outcome] += 1
                if done % 50 == 0 or done == total:
                    yield done, total, person.name
            if dry_run:
                raise _RollBack
    except _RollBack:
        pass
    return ImportSummary(errors=sorted([*roster.errors, *notes], key=lambda e: e.row),
                         dry_run=dry_run, **counts)


def _import_person(session, actor: Actor, person: RosterPerson,  # noqa: ANN001
                   notes: list[RowError]) -> str:
    numbers = [p.normalized for p in person.phones]
    name = " ".join(person.name.split())
    existing = None
    if numbers:
        candidates = session.scalars(
            select(Customer).join(CustomerPhone)
            .where(CustomerPhone.normalized.in_(numbers), Customer.merged_into_id.is_(None))
            .options(selectinload(Customer.phones), selectinload(Customer.units))).unique()
        existing = next((c for c in candidates if " ".join(c.name.split()) == name), None)
    added_notes = person.notes.strip()
    kept_notes = existing.notes if existing is not None else ""
    if added_notes and existing is not None and added_notes in kept_notes:
        added_notes = ""
    if len("\n".join(filter(None, [kept_notes, added_notes]))) > NOTE_MAX:
        # The card form refuses notes this long, so the card could not be saved again:
        # the owner comes in, the notes stay out, and the row says so.
        notes.append(RowError(person.rows[0], translate(
            "Roster", "Row {row}: the notes were left out: with them the card's notes would "
                      "be longer than {n} characters. The rest of the row was imported; add "
                      "what matters on the card.").format(row=person.rows[0],
                                                          n=f"{NOTE_MAX:,}"),
            (), rejected=False))
        added_notes = ""
    if existing is None:
        customer = Customer(
            name=name, title=TITLES.get(person.title, Title.NONE),
            customer_type=CustomerType(person.customer_type or "owner"),
            notes=added_notes, created_by_id=actor.user_id,
            updated_by_id=actor.user_id)
        customer.name_pinyin, customer.name_initials = name_keys(name)
        session.add(customer)
        before: dict[str, object] = {}
    else:
        customer = existing
        before = card_snapshot(customer)
    have = {p.normalized for p in customer.phones}
    for phone in person.phones:
        if phone.normalized not in have:
            customer.phones.append(new_phone(phone.normalized, phone.digits, phone.display,
                                             "", len(customer.phones)))
            have.add(phone.normalized)
    linked = {link.unit_id for link in customer.units}
    for address, role in person.units:
        try:
            unit = CustomerService.unit_for(session, address)
        except AmbiguousUnit as error:
            # A roster cannot be asked which estate: the rest of the person comes in, and
            # the note says how to add the unit (an estate column, or on the card).
            notes.append(RowError(person.rows[0], translate(
                "Roster", "Row {row}: {reason} The unit was left out; the rest of the row "
                          "was imported.").format(row=person.rows[0], reason=error.message),
                (), rejected=False))
            continue
        if unit.id not in linked:
            customer.units.append(CustomerUnit(unit_id=unit.id, role=CustomerType(role)))
            linked.add(unit.id)
    if existing is not None and added_notes:
        customer.notes = "\n".join(filter(None, [customer.notes, added_notes]))
    session.flush()
    session.refresh(customer)
    changes = audit.diff(before, card_snapshot(customer))
    if existing is None:
        audit.record(session, actor, "customer", customer.id, "import", changes,
                     note=f"rows {', '.join(map(str, person.rows))}")
        return "created"
    if changes:
        customer.updated_at = clock.utcnow()  # its numbers or units changed
        customer.updated_by_id = actor.user_id
        audit.record(session, actor, "customer", customer.id, "import", changes,
                     note=f"rows {', '.join(map(str, person.rows))}")
        return "updated"
    return "unchanged"
