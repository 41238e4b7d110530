"""Opening CallDesk's database the same way from the GUI, the command line and tests."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.exc import ArgumentError, DBAPIError

from app.db import Database, damage, default_sqlite_url, location, migrate
from app.db.problems import problem_from
from app.errors import CallDeskError, DatabaseProblem, ValidationError
from app.i18n import translate
from app.paths import AppPaths
from app.settings import DATABASE_URL, LocalSettings

log = logging.getLogger(__name__)

DATABASE_URL_ENV = "CALLDESK_DATABASE_URL"


def database_url(paths: AppPaths, explicit: str | None = None,
                 local: LocalSettings | None = None) -> str:
    """``--database``, then ``CALLDESK_DATABASE_URL``, then the local setting, then the
    embedded SQLite file in the data folder."""
    for candidate in (explicit, os.environ.get(DATABASE_URL_ENV),
                      local.get(DATABASE_URL) if local else None):
        if candidate:
            return candidate
    return default_sqlite_url(paths.database_file)


@dataclass(frozen=True)
class Opened:
    db: Database
    backup: Path | None  # the copy taken before a schema upgrade, if one ran


def open_database(url: str, paths: AppPaths, *, upgrade: bool = True) -> Opened:
    """Opens the database and, unless told not to, brings its schema up to date."""
    paths.ensure()
    db = Database(url)
    if db.sqlite_file is not None:
        try:
            location.check_local(str(db.sqlite_file))
            damage.check_sound(db.sqlite_file)
        except DatabaseProblem:
            db.dispose()
            raise
    backup = None
    if upgrade:
        try:
            backup = migrate.upgrade(db, paths.backup_dir)
        except DBAPIError as error:
            db.dispose()
            problem = problem_from(error)
            if problem is None:
                raise
            raise problem from error
        except Exception:
            db.dispose()
            raise
    log.info("opened %s", db.describe())
    return Opened(db=db, backup=backup)


def open_read_only(url: str, *, any_schema: bool = False) -> Database:
    """Opens the database for reading only: nothing is created, migrated or written (for
    the commands that only look). A SQLite file that is not there is refused, naming the
    path; so is a schema this program cannot read, unless ``any_schema`` (``db info``,
    ``db check``, which report it)."""
    db = Database(url, read_only=True)
    missing = db.sqlite_file is not None and not db.sqlite_file.is_file()
    if missing:
        db.dispose()
        raise CallDeskError(translate(
            "Database", "There is no CallDesk database at {path}. Start CallDesk once to set "
                        "it up (or run: calldesk db upgrade), or give the right one with "
                        "--database.").format(path=db.sqlite_file))
    if any_schema:
        return db
    try:
        state = migrate.schema_state(db)
    except DBAPIError as error:
        db.dispose()
        raise (problem_from(error) or error) from error
    if state.status == migrate.CURRENT:
        return db
    db.dispose()
    if state.status == migrate.NEWER:
        raise migrate.newer_database_problem(state)
    if state.status == migrate.EMPTY:
        raise CallDeskError(translate(
            "Database", "The database {database} is empty. Start CallDesk once to set it up "
                        "(or run: calldesk db upgrade).").format(database=db.describe()))
    raise CallDeskError(translate(
        "Database", "The database {database} has an older schema ({current}) than this "
                    "program ({head}). Run: calldesk db upgrade (it backs up SQLite first).")
        .format(database=db.describe(), current=state.current or "-", head=state.head))


def probe(url: str) -> migrate.SchemaState:
    """Connects to ``url`` without changing anything and says what schema it has."""
    try:
        db = Database(url)
    except ArgumentError as error:
        raise ValidationError(translate(
            "Database",
            "That is not a database address. It looks like "
            "postgresql://user:password@server:5432/calldesk"),
            {"database_url": str(error)}) from error
    try:
        return migrate.schema_state(db)
    except DBAPIError as error:
        raise (problem_from(error) or error) from error
    finally:
        db.dispose()
