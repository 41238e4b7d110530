"""One box that finds anything (Ctrl+K): customers by name, pinyin initials, a phone number
however typed or a unit; complaints by number (or what they are about); calls by what was
said or the number that rang. A few of each kind, as the user types, each opening where it
lives.

Each kind asks the list the desk already uses (and its indexes), for its first few rows
without counting them all."""

from __future__ import annotations

import enum
from dataclasses import asdict, dataclass

from app.db import Database
from app.domain.texts import search_text
from app.i18n import translate
from app.services.calls import CallFilter, CallService
from app.services.complaints import ComplaintFilter, ComplaintService
from app.services.customers import CustomerService

PER_KIND = 5
# Below this, a search would match half the database and tell the user nothing.
MIN_LENGTH = 2


class HitKind(enum.StrEnum):
    CUSTOMER = "customer"
    COMPLAINT = "complaint"
    CALL = "call"

    @property
    def label(self) -> str:
        return {HitKind.CUSTOMER: translate("Search", "Customers"),
                HitKind.COMPLAINT: translate("Search", "Complaints"),
                HitKind.CALL: translate("Search", "Calls")}[self]


@dataclass(frozen=True)
class Hit:
    kind: HitKind
    id: int
    title: str
    subtitle: str

    def as_json(self) -> dict[str, object]:
        return {**asdict(self), "kind": self.kind.value}


class GlobalSearch:
    def __init__(self, db: Database) -> None:
        self.customers = CustomerService(db)
        self.complaints = ComplaintService(db)
        self.calls = CallService(db)

    def search(self, text: str, per_kind: int = PER_KIND) -> list[Hit]:
        """Customers first (what a caller's number or name usually means), then complaints,
        then calls; empty for a key too short to mean anything."""
        text = search_text(text)  # no control characters reach the database
        if len(text) < MIN_LENGTH:
            return []
        hits: list[Hit] = []
        for row in self.customers.search(text, 0, per_kind, count=False).rows:
            title = f"{row.name} {row.title.label}".strip() if row.title.label else row.name
            hits.append(Hit(HitKind.CUSTOMER, row.id, title,
                            "  ".join(p for p in (row.phones, row.units) if p)))
        for complaint in self.complaints.list(ComplaintFilter(text=text), 0, per_kind,
                                              count=False).rows:
            place = complaint.unit_label or complaint.customer_name or complaint.phone
            hits.append(Hit(HitKind.COMPLAINT, complaint.id,
                            f"{complaint.number} {complaint.category.label}",
                            " · ".join(p for p in (complaint.status.label, place,
                                                   _short(complaint.description)) if p)))
        for call in self.calls.list(CallFilter(text=text), 0, per_kind, count=False).rows:
            local = call.received_at.astimezone()
            who = call.customer_name or call.phone
            hits.append(Hit(HitKind.CALL, call.id, f"{local:%Y-%m-%d %H:%M} {who}",
                            _short(call.summary)))
        return hits


def _short(text: str, length: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[:length - 1] + "…"
