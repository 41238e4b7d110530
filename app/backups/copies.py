"""Backup files: writing one with SQLite's online backup API, verifying it, and reading the
backups folder.

A backup is ``calldesk-YYYYMMDD-HHMMSS.db`` (a regular one, rotated) or
``calldesk-YYYYMMDD-HHMMSS-before-LABEL.db`` (taken before a schema upgrade or a restore,
kept apart). Beside each, ``….db.json`` records when it was taken, why, its schema and what
the check after writing found: the integrity check and the number of rows in every table.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager, suppress
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from app.errors import CallDeskError
from app.i18n import translate

log = logging.getLogger(__name__)

VERSION_TABLE = "alembic_version"
_NAME = re.compile(r"calldesk-(?P<stamp>\d{8}-\d{6})(?:-(?P<n>\d+))?"
                   r"(?:-before-(?P<label>[A-Za-z0-9_.]+))?\.db")


@dataclass(frozen=True)
class Verified:
    """What a database file holds, checked: integrity, schema and row counts."""

    integrity: list[str]  # ["ok"] when sound
    schema: str | None  # the Alembic revision, None when the file has no CallDesk schema
    records: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.integrity == ["ok"]


@dataclass(frozen=True)
class Backup:
    path: Path
    taken_at: datetime  # local, aware
    label: str | None  # None for a regular backup; "0006", "restore"… for one kept apart
    reason: str  # start, quit, periodic, manual, command line, upgrade, restore
    size: int
    schema: str | None
    integrity_ok: bool | None  # None when no check was recorded
    records: dict[str, int]

    @property
    def regular(self) -> bool:
        return self.label is None

    @property
    def total_records(self) -> int:
        return sum(self.records.values())

    def as_json(self) -> dict[str, object]:
        return {"path": str(self.path), "taken_at": self.taken_at.isoformat(),
                "kind": "regular" if self.regular else "kept", "label": self.label,
                "reason": self.reason, "size": self.size, "schema": self.schema,
                "integrity_ok": self.integrity_ok, "records": self.records}


@contextmanager
def reading(path: Path, mode: str = "ro") -> Iterator[sqlite3.Connection]:
    """A connection to ``path`` that never creates it; ``mode="rw"`` for a database in WAL
    mode, whose -wal and -shm a read-only connection would leave behind."""
    connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode={mode}", uri=True)
    try:
        yield connection
    finally:
        connection.close()


def verify(path: Path, mode: str = "ro") -> Verified:
    """Integrity check, schema and row counts of the database file at ``path``. A file that
    is not a database at all gives a failed integrity check, not an exception."""
    try:
        with reading(path, mode) as connection:
            integrity = [str(row[0]) for row in connection.execute("PRAGMA integrity_check")]
            tables = [row[0] for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite_%' ORDER BY name")]
            records = {table: connection.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
                       for table in tables}
            schema = None
            if VERSION_TABLE in tables:
                row = connection.execute(f"SELECT version_num FROM {VERSION_TABLE}").fetchone()
                schema = row[0] if row else None
    except sqlite3.DatabaseError as error:
        return Verified(integrity=[str(error)], schema=None)
    records.pop(VERSION_TABLE, None)
    return Verified(integrity=integrity, schema=schema, records=records)


def copy_database(source: Path, target: Path) -> None:
    """A consistent copy of a live database (the online backup API, not a file copy), as one
    self-contained file (no -wal beside it). The source is opened read-write but never
    created (mode=rw): a read-only connection would leave its -wal and -shm behind."""
    with closing(sqlite3.connect(f"{source.resolve().as_uri()}?mode=rw", uri=True)) as reader, \
            closing(sqlite3.connect(target)) as writer:
        reader.backup(writer)
        writer.execute("PRAGMA journal_mode=DELETE")


def _private(path: Path) -> None:
    """Readable by this user only: a backup holds every owner's phone number. (On Windows the
    user's own data folder already is; chmod there only sets the read-only flag.)"""
    if os.name != "nt":
        path.chmod(0o600)


def new_name(folder: Path, taken_at: datetime, label: str | None = None) -> Path:
    """A name for a backup taken at ``taken_at`` that no backup in ``folder`` has yet."""
    stem = f"calldesk-{taken_at:%Y%m%d-%H%M%S}"
    suffix = f"-before-{label}" if label else ""
    candidate, number = folder / f"{stem}{suffix}.db", 1
    while candidate.exists():
        number += 1
        candidate = folder / f"{stem}-{number}{suffix}.db"
    return candidate


def sidecar(path: Path) -> Path:
    return path.with_name(path.name + ".json")


def write_sidecar(path: Path, taken_at: datetime, reason: str, verified: Verified) -> None:
    record = {"taken_at": taken_at.isoformat(), "reason": reason, "schema": verified.schema,
              "integrity": verified.integrity, "records": verified.records}
    target = sidecar(path)
    temporary = target.with_name(target.name + ".tmp")
    temporary.write_text(json.dumps(record, ensure_ascii=False, indent=1), encoding="utf-8")
    _private(temporary)
    os.replace(temporary, target)


def take(source: Path, folder: Path, taken_at: datetime, reason: str,
         label: str | None = None) -> tuple[Path, Verified]:
    """Writes a backup of ``source`` into ``folder`` and verifies it. A copy that fails its
    check is deleted and the error says so (the database itself is then damaged)."""
    folder.mkdir(parents=True, exist_ok=True)
    target = new_name(folder, taken_at, label)
    partial = target.with_name(target.name + ".partial")
    try:
        copy_database(source, partial)
    except sqlite3.DatabaseError as error:
        partial.unlink(missing_ok=True)
        raise damaged_database(source, str(error)) from error
    verified = verify(partial)
    if not verified.ok:
        partial.unlink(missing_ok=True)
        raise damaged_database(source, "; ".join(verified.integrity[:3]))
    _private(partial)
    os.replace(partial, target)
    write_sidecar(target, taken_at, reason, verified)
    log.info("backup %s of %s: %d records", target.name, source, sum(verified.records.values()))
    return target, verified


def damaged_database(source: Path, detail: str) -> CallDeskError:
    log.warning("backup of %s failed its check: %s", source, detail)
    return CallDeskError(translate(
        "Backups", "The database {path} could not be backed up: it is damaged ({detail}). "
                   "The earlier backups were kept; restore the latest good one (Tools → Backup "
                   "and restore, or: calldesk db restore FILE).").format(path=source,
                                                                         detail=detail))


def read(path: Path) -> Backup | None:
    """The backup at ``path`` as its name and sidecar describe it; None for other files."""
    match = _NAME.fullmatch(path.name)
    if match is None or not path.is_file():
        return None
    taken_at = datetime.strptime(match["stamp"], "%Y%m%d-%H%M%S").astimezone()
    label = match["label"]
    record: dict[str, object] = {}
    try:
        raw = json.loads(sidecar(path).read_text(encoding="utf-8"))
        record = raw if isinstance(raw, dict) else {}
    except (OSError, ValueError):
        pass  # an upgrade copy of an older CallDesk, or a sidecar lost: the name says enough
    with suppress(KeyError, ValueError):
        taken_at = datetime.fromisoformat(str(record["taken_at"])).astimezone()
    integrity = record.get("integrity")
    records = record.get("records")
    return Backup(
        path=path, taken_at=taken_at, label=label,
        reason=str(record.get("reason") or ("upgrade" if label and label != "restore"
                                            else label or "")),
        size=path.stat().st_size,
        schema=str(record["schema"]) if record.get("schema") else None,
        integrity_ok=integrity == ["ok"] if isinstance(integrity, list) else None,
        records={str(k): int(v) for k, v in records.items()} if isinstance(records, dict)
        else {})


def in_folder(folder: Path) -> list[Backup]:
    """Every backup in ``folder``, newest first."""
    if not folder.is_dir():
        return []
    found = (read(path) for path in folder.glob("calldesk-*.db"))
    return sorted((backup for backup in found if backup is not None),
                  key=lambda backup: backup.taken_at, reverse=True)


def remove(path: Path) -> None:
    path.unlink(missing_ok=True)
    sidecar(path).unlink(missing_ok=True)


def copy_to(backup: Path, folder: Path) -> Path:
    """Copies a backup and its sidecar into another folder (a USB drive, a share)."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / backup.name
    partial = target.with_name(target.name + ".partial")
    shutil.copyfile(backup, partial)
    _private(partial)
    os.replace(partial, target)
    if sidecar(backup).exists():
        shutil.copyfile(sidecar(backup), sidecar(target))
        _private(sidecar(target))
    return target
