"""Schema versions: what a database is at, bringing it up to date, and checking it.

Before upgrading an existing SQLite database, a copy is written to ``backups/`` (the
upgrade is one transaction too, but a copy also survives a bug in a migration). A database
written by a newer CallDesk is refused rather than guessed at.

Alembic (with Mako and every dialect's DDL) takes about 0.15 s of every start to import, so
it is loaded only to run or compare migrations; telling whether a database is current is a
SELECT of its stored revision against the revisions the migration files declare.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, inspect, text

from app.db.engine import Database
from app.errors import DatabaseProblem
from app.i18n import translate
from app.paths import migrations_dir

if TYPE_CHECKING:
    from alembic.config import Config

log = logging.getLogger(__name__)

VERSION_TABLE = "alembic_version"  # Alembic's default, which env.py keeps
KEEP_BACKUPS = 10
MIGRATION_LOCK = 20261122  # any fixed number, the same in every CallDesk

EMPTY, CURRENT, BEHIND, NEWER = "empty", "current", "behind", "newer"


@dataclass(frozen=True)
class SchemaState:
    current: str | None  # the database's revision, None when it has no tables yet
    head: str  # the newest revision this program knows
    status: str  # EMPTY, CURRENT, BEHIND or NEWER


def _config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    return config


@dataclass(frozen=True)
class Revisions:
    known: frozenset[str]
    head: str


# ``revision = "0006"`` and ``down_revision = "0005"`` (or None), as Alembic's template writes.
_DECLARED = re.compile(
    r"""^(revision|down_revision)\s*(?::[^=]*)?=\s*(?:None|["']([^"']+)["'])\s*(?:#.*)?$""", re.M)


def _declared(source: str) -> dict[str, str | None]:
    """The ``revision`` and ``down_revision`` a migration file assigns at its top level."""
    found: dict[str, str | None] = {}
    for match in _DECLARED.finditer(source):
        found.setdefault(match[1], match[2])
    return found


def _from_alembic() -> Revisions:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(_config())
    head = script.get_current_head()
    assert head is not None
    return Revisions(frozenset(r.revision for r in script.walk_revisions()), head)


@cache
def revisions() -> Revisions:
    """The revisions this program's migration files declare, read without importing them.

    Anything unusual (a merge, a branch, a file that does not say) is left to Alembic."""
    known: set[str] = set()
    parents: set[str] = set()
    for path in sorted((migrations_dir() / "versions").glob("*.py")):
        declared = _declared(path.read_text(encoding="utf-8"))
        revision, down = declared.get("revision"), declared.get("down_revision", "")
        if not revision or down == "":  # not written the usual way: Alembic reads it
            return _from_alembic()
        known.add(revision)
        if down is not None:
            parents.add(down)
    heads = known - parents
    if len(heads) != 1 or not parents <= known:
        return _from_alembic()
    return Revisions(frozenset(known), heads.pop())


def head_revision() -> str:
    return revisions().head


def _stored_revision(connection: Connection) -> tuple[str | None, bool]:
    """The revision stored in the database, and whether it has any tables at all."""
    inspector = inspect(connection)
    if not inspector.has_table(VERSION_TABLE):
        return None, bool(inspector.get_table_names())
    stored = connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalars().all()
    if len(stored) > 1:  # branches: Alembic says what is wrong
        from alembic.runtime.migration import MigrationContext

        MigrationContext.configure(connection).get_current_revision()
    return (stored[0] if stored else None), True


def schema_state(db: Database) -> SchemaState:
    known = revisions()
    with db.engine.connect() as connection:
        current, has_tables = _stored_revision(connection)
    if current is None:
        status = EMPTY if not has_tables else BEHIND
    elif current == known.head:
        status = CURRENT
    else:
        status = BEHIND if current in known.known else NEWER
    return SchemaState(current=current, head=known.head, status=status)


def newer_database_problem(state: SchemaState) -> DatabaseProblem:
    return DatabaseProblem(
        "newer",
        translate(
            "Migrations",
            "This database was written by a newer CallDesk (schema {current}; this program knows "
            "up to {head}). Install the latest CallDesk before opening it; nothing was changed.",
        ).format(current=state.current, head=state.head),
    )


def upgrade(db: Database, backup_dir: Path | None = None) -> Path | None:
    """Bring the schema to the newest revision. Returns the backup written, if any."""
    state = schema_state(db)
    if state.status == NEWER:
        raise newer_database_problem(state)
    if state.status == CURRENT:
        return None
    backup = None
    if state.status == BEHIND and db.sqlite_file and backup_dir is not None:
        backup = backup_sqlite(db.sqlite_file, backup_dir, label=state.current or "unversioned")
    log.info("upgrading %s from %s to %s", db.describe(), state.current, state.head)
    from alembic import command

    config = _config()
    with migration_connection(db) as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    return backup


@contextmanager
def migration_connection(db: Database) -> Iterator[Connection]:
    """A connection for schema changes, committed at the end or not at all.

    On SQLite, batch mode rebuilds a table by copying and dropping it; with foreign keys on,
    dropping a parent table would cascade-delete its children (every customer's numbers).
    So foreign keys are off during the change, and checked once before the commit.
    """
    with db.engine.connect() as connection:
        raw = connection.connection.dbapi_connection if db.is_sqlite else None
        if raw is not None:
            # Only outside a transaction does SQLite honour this pragma; touching the raw
            # connection does not open one.
            raw.execute("PRAGMA foreign_keys=OFF")
            if raw.execute("PRAGMA foreign_keys").fetchone()[0] != 0:
                raise RuntimeError("could not turn foreign keys off for the migration")
        if not db.is_sqlite:
            # Several desks may start the new version at once: one migrates, the others wait
            # and then find nothing left to do. (SQLite serialises writers by itself.)
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
        try:
            yield connection
            if raw is not None:
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise RuntimeError(f"migration left broken references: {broken[:5]}")
            connection.commit()
        except BaseException:
            connection.rollback()
            raise
        finally:
            if raw is not None:
                raw.execute("PRAGMA foreign_keys=ON")


def backup_sqlite(database_file: Path, backup_dir: Path, label: str) -> Path:
    """A verified copy of a live SQLite database (the online backup API, not a file copy),
    kept apart from the regular backups: only the last ``KEEP_BACKUPS`` of these are kept."""
    from app import clock
    from app.backups import copies

    target, _verified = copies.take(database_file, backup_dir, clock.utcnow().astimezone(),
                                    "upgrade", label)
    _prune(backup_dir)
    log.info("backed up %s to %s", database_file, target)
    return target


def _prune(backup_dir: Path) -> None:
    from app.backups import copies

    # Only the copies taken before an upgrade or a restore: the regular backups have their
    # own rotation (app.backups.rotation).
    backups = sorted(backup_dir.glob("calldesk-*-before-*.db"))
    for old in backups[:-KEEP_BACKUPS]:
        copies.remove(old)


def check(db: Database) -> list[str]:
    """Problems with the database's schema or contents; an empty list means healthy."""
    problems: list[str] = []
    state = schema_state(db)
    if state.status != CURRENT:
        problems.append(
            translate("Migrations", "Schema is at {current}, not at {head}.").format(
                current=state.current or "-", head=state.head
            )
        )
        return problems
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from app.db.models import Base

    with db.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
        for difference in differences:
            problems.append(
                translate("Migrations", "Schema differs from the program: {difference}").format(
                    difference=difference
                )
            )
        if db.is_sqlite:
            result = connection.execute(text("PRAGMA integrity_check")).scalars().all()
            if result != ["ok"]:
                problems.extend(str(row) for row in result)
            broken = connection.execute(text("PRAGMA foreign_key_check")).fetchall()
            problems.extend(
                translate("Migrations", "Broken reference in table {table}, row {row}.").format(
                    table=row[0], row=row[1]
                )
                for row in broken
            )
    return problems
