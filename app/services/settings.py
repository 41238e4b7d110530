"""The shared settings (``app.settings``, scope shared), kept in the database."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db import Database
from app.db.models import Setting
from app.domain.roles import Actor, Permission, require
from app.errors import ValidationError
from app.i18n import translate
from app.services import audit
from app.settings import OPTIONS, SHARED, Option


class SharedSettingsService:
    def __init__(self, db: Database) -> None:
        self.db = db

    def get(self, option: Option) -> Any:
        assert option.scope == SHARED, option.key
        with self.db.read() as session:
            stored = session.get(Setting, option.key)
            return option.coerce(stored.value if stored else None)

    def all(self) -> dict[str, Any]:
        with self.db.read() as session:
            stored = {s.key: s.value for s in session.scalars(select(Setting))}
        return {
            key: option.coerce(stored.get(key))
            for key, option in OPTIONS.items()
            if option.scope == SHARED
        }

    def set_many(self, actor: Actor | None, values: dict[Option, Any]) -> None:
        """Saves several settings together. ``actor`` is None only during first-run setup."""
        if actor is not None:
            require(actor, Permission.EDIT_SHARED_SETTINGS)
        validate(values)
        with self.db.write() as session:
            write(session, actor, values)


def validate(values: dict[Option, Any]) -> None:
    fields = {}
    for option, value in values.items():
        assert option.scope == SHARED, option.key
        if option.max_length is not None and isinstance(value, str) \
                and len(value) > option.max_length:
            fields[option.key] = translate("Settings", "At most {n} characters.").format(
                n=option.max_length)
    if fields:
        raise ValidationError(next(iter(fields.values())), fields)


def write(session: Session, actor: Actor | None, values: dict[Option, Any]) -> None:
    """Stores validated values in the caller's transaction, with an audit entry per change."""
    for option, value in values.items():
        value = option.coerce(value)
        stored = session.get(Setting, option.key)
        old = option.coerce(stored.value if stored else None)
        if stored is None:
            session.add(Setting(key=option.key, value=value,
                                updated_by_id=actor.user_id if actor else None))
        else:
            stored.value = value
            stored.updated_by_id = actor.user_id if actor else None
        if old != value:
            audit.record(session, actor, "setting", option.key, "update", {"value": [old, value]})
