"""Putting a backup back in place of the database, never without a safety copy.

The backup is checked first (integrity, a CallDesk schema this program can open); a damaged
backup or one written by a newer CallDesk is refused and nothing changes. Then the current
database is copied into the backups folder (kept apart, never rotated), and the backup is
written over it with the online backup API, so a CallDesk that has it open sees the restored
data rather than a file pulled from under it. A current database too damaged to copy is
renamed aside instead (``calldesk-damaged-….db`` beside it), never overwritten.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from app import clock
from app.backups import copies
from app.backups.copies import Verified
from app.db import migrate
from app.errors import CallDeskError
from app.i18n import translate

log = logging.getLogger(__name__)

SAFETY_LABEL = "restore"


@dataclass(frozen=True)
class Restored:
    backup: Path
    records: dict[str, int]
    schema: str | None
    safety_copy: Path | None  # the database as it was, in the backups folder
    damaged_aside: Path | None  # the damaged database, renamed


def check_backup(path: Path) -> Verified:
    """The backup's contents when it can be restored; otherwise the reason, for people."""
    if not path.is_file():
        raise CallDeskError(translate("Backups", "There is no backup file at {path}.")
                            .format(path=path))
    verified = copies.verify(path)
    if not verified.ok:
        raise CallDeskError(translate(
            "Backups", "The backup {path} is damaged ({detail}) and was not restored; nothing "
                       "was changed. Choose an older backup.").format(
            path=path, detail="; ".join(verified.integrity[:3])))
    known = migrate.revisions()
    if verified.schema is None:
        raise CallDeskError(translate(
            "Backups", "{path} is not a CallDesk backup (it has no CallDesk schema); nothing "
                       "was changed.").format(path=path))
    if verified.schema not in known.known:
        raise CallDeskError(translate(
            "Backups", "The backup {path} was written by a newer CallDesk (schema {schema}; "
                       "this program knows up to {head}). Install the latest CallDesk to "
                       "restore it; nothing was changed.").format(
            path=path, schema=verified.schema, head=known.head))
    return verified


def restore(backup: Path, database_file: Path, backup_dir: Path) -> Restored:
    verified = check_backup(backup)
    now = clock.utcnow().astimezone()
    safety, aside = None, None
    if database_file.exists() and database_file.stat().st_size > 0:
        try:
            safety, _ = copies.take(database_file, backup_dir, now, "restore", SAFETY_LABEL)
        except CallDeskError:  # damaged: keep it as it is, out of the way
            aside = set_aside(database_file, now)
    if aside is None and database_file.exists():
        _write_over(backup, database_file)
    else:
        database_file.unlink(missing_ok=True)  # an empty file, or nothing there
        _write_new(backup, database_file)
    restored = copies.verify(database_file, mode="rw")
    if not restored.ok or restored.records != verified.records:
        raise CallDeskError(translate(
            "Backups", "The restored database does not match the backup {path}. The database "
                       "as it was is kept at {safety}.").format(path=backup,
                                                                safety=safety or aside))
    log.info("restored %s from %s (safety copy %s, damaged file %s)", database_file, backup,
             safety, aside)
    return Restored(backup=backup, records=restored.records, schema=restored.schema,
                    safety_copy=safety, damaged_aside=aside)


def set_aside(database_file: Path, now: datetime) -> Path:
    """Renames a damaged database (and its -wal and -shm) out of the way, beside it."""
    target = database_file.with_name(f"{database_file.stem}-damaged-{now:%Y%m%d-%H%M%S}.db")
    number = 1
    while target.exists():
        number += 1
        target = database_file.with_name(
            f"{database_file.stem}-damaged-{now:%Y%m%d-%H%M%S}-{number}.db")
    os.replace(database_file, target)
    for suffix in ("-wal", "-shm"):
        companion = database_file.with_name(database_file.name + suffix)
        if companion.exists():
            os.replace(companion, target.with_name(target.name + suffix))
    log.warning("damaged database %s renamed to %s", database_file, target)
    return target


def _write_over(backup: Path, database_file: Path) -> None:
    with copies.reading(backup) as source, \
            closing(sqlite3.connect(f"{database_file.resolve().as_uri()}?mode=rw",
                                    uri=True)) as target:
        source.backup(target)


def _write_new(backup: Path, database_file: Path) -> None:
    partial = database_file.with_name(database_file.name + ".restoring")
    partial.unlink(missing_ok=True)
    with copies.reading(backup) as source, closing(sqlite3.connect(partial)) as target:
        source.backup(target)
        target.execute("PRAGMA journal_mode=WAL")
    os.replace(partial, database_file)
