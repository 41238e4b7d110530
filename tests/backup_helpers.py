"""Databases with records in them, and what they hold, for the backup and restore tests."""

from __future__ import annotations

import hashlib
import random
import sqlite3
from datetime import datetime
from pathlib import Path

from app import clock, demo
from app.db import Database, default_sqlite_url, migrate


def filled_database(path: Path) -> Path:
    """A CallDesk database at ``path`` with the demo's staff, ten customer cards and their
    audit trail."""
    db = Database(default_sqlite_url(path))
    migrate.upgrade(db)
    # The demo's day is "today": from a fixed evening, the counts the tests expect do not
    # depend on the hour the suite runs at.
    with clock.running_from(datetime(2026, 12, 2, 21, 0).astimezone()):
        demo.fill(db, seed=3, customers=10, months=0)
    db.dispose()
    return path


def checksums(path: Path) -> dict[str, tuple[int, str]]:
    """Each table's row count and a digest of all its rows (in a stable order)."""
    found: dict[str, tuple[int, str]] = {}
    with sqlite3.connect(f"{path.resolve().as_uri()}?mode=rw", uri=True) as connection:
        tables = [row[0] for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
        for table in tables:
            rows = sorted(repr(row) for row in connection.execute(f'SELECT * FROM "{table}"'))
            found[table] = (len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest())
    connection.close()
    return found


def damage(path: Path, how: str) -> bytes:
    """Damages the database file the way a disk or a bad copy does; returns its bytes."""
    size = path.stat().st_size
    if how == "truncated":
        with path.open("r+b") as file:
            file.truncate(size // 2)
    elif how == "zeroed":
        path.write_bytes(bytes(size))
    elif how == "random bytes":
        path.write_bytes(random.Random(14).randbytes(size))
    else:
        raise ValueError(how)
    for suffix in ("-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    return path.read_bytes()
