"""Writing the audit trail. Every service that changes something records it here, in the same
transaction as the change, so the trail and the data can never disagree."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db import Database
from app.db.models import AuditEntry, User
from app.domain.roles import Actor, Permission, require
from app.i18n import translate

# Never written to the trail, whatever the entity.
SECRET_FIELDS = frozenset({"password_hash", "password"})


def record(
    session: Session,
    actor: Actor | None,
    entity: str,
    entity_id: object,
    action: str,
    changes: dict[str, Any] | None = None,
    note: str | None = None,
) -> None:
    session.add(
        AuditEntry(
            user_id=actor.user_id if actor else None,
            user_login=actor.login if actor else None,
            entity=entity,
            entity_id=str(entity_id),
            action=action,
            changes={k: v for k, v in (changes or {}).items() if k not in SECRET_FIELDS},
            note=note,
        )
    )


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """``{field: [old, new]}`` for the fields that changed."""
    return {
        key: [before.get(key), after.get(key)]
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    }


@dataclass(frozen=True)
class AuditRow:
    at: datetime
    user_login: str | None
    user_name: str  # who, as people know them: the display name, not the login
    entity: str
    entity_id: str
    action: str
    changes: dict[str, Any]
    note: str | None


class AuditService:
    def __init__(self, db: Database) -> None:
        self.db = db

    def entries_for(self, actor: Actor, entity: str, entity_id: object) -> list[AuditRow]:
        require(actor, Permission.VIEW_AUDIT)
        with self.db.read() as session:
            return rows_for(session, entity, entity_id)


def who(login: str | None, display_name: str | None) -> str:
    """The name an entry shows for its user: the account's display name as it is now; the
    login kept with the entry when the account is gone; the command line for the system."""
    if display_name:
        return display_name
    if login == Actor.system().login:
        return translate("Audit", "command line")
    return login or ""


def rows_for(session: Session, entity: str, entity_id: object) -> list[AuditRow]:
    rows = session.execute(
        select(AuditEntry, User.display_name)
        .outerjoin(User, User.id == AuditEntry.user_id)
        .where(AuditEntry.entity == entity, AuditEntry.entity_id == str(entity_id))
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    )
    return [AuditRow(r.at, r.user_login, who(r.user_login, name), r.entity, r.entity_id,
                     r.action, r.changes, r.note)
            for r, name in rows]
