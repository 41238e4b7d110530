"""Writes tests/data/databases/schema-<head>.db: a small demo database of the newest schema.

Run it once whenever a migration is added (``.venv/bin/python -m tests.make_schema_db``) and
commit the file; ``test_every_older_database_upgrades_and_keeps_its_rows`` then upgrades
every committed database to the newest schema on each run.
"""

from __future__ import annotations

import sqlite3
import tempfile
from pathlib import Path

from app import demo
from app.db import Database, default_sqlite_url, migrate

DATA = Path(__file__).parent / "data" / "databases"


def main() -> None:
    DATA.mkdir(parents=True, exist_ok=True)
    target = DATA / f"schema-{migrate.head_revision()}.db"
    with tempfile.TemporaryDirectory() as tmp:
        db = Database(default_sqlite_url(Path(tmp) / "x.db"))
        migrate.upgrade(db)
        demo.fill(db, seed=1)
        db.dispose()
        source = sqlite3.connect(Path(tmp) / "x.db")
        target.unlink(missing_ok=True)
        destination = sqlite3.connect(target)
        source.backup(destination)
        destination.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        destination.execute("VACUUM")
        destination.close()
        source.close()
    print(target)


if __name__ == "__main__":
    main()
