"""``calldesk db backup``, ``db backups`` and ``db restore``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from app import clock
from app.backups import copies, server
from app.backups.describe import reason_text, records_summary, size_text
from app.backups.restore import check_backup
from app.backups.restore import restore as restore_backup
from app.backups.service import COMMAND_LINE, BackupService
from app.bootstrap import database_url
from app.db import Database
from app.errors import CallDeskError
from app.i18n import translate
from app.paths import AppPaths
from app.settings import BACKUP_SECOND_LOCATION, LocalSettings


def _database(args: argparse.Namespace, paths: AppPaths) -> tuple[Database, LocalSettings]:
    local = LocalSettings(paths.settings_file)
    # Read-only: naming the database opens nothing yet, and a backup never writes to it.
    return Database(database_url(paths, getattr(args, "database", None), local),
                    read_only=True), local


def _existing_file(db: Database) -> Path:
    assert db.sqlite_file is not None
    if not db.sqlite_file.is_file():
        raise CallDeskError(translate(
            "Database", "There is no CallDesk database at {path}. Start CallDesk once to set "
                        "it up (or run: calldesk db upgrade), or give the right one with "
                        "--database.").format(path=db.sqlite_file))
    return db.sqlite_file


def second_location(local: LocalSettings) -> Path | None:
    folder = local.get(BACKUP_SECOND_LOCATION).strip()
    return Path(folder).expanduser() if folder else None


def backup(args: argparse.Namespace, paths: AppPaths) -> int:
    db, local = _database(args, paths)
    try:
        if db.sqlite_file is None:
            return _server_backup(args, db, paths)
        source = _existing_file(db)
        if args.to:
            target = Path(args.to).expanduser()
            if target.resolve() == source.resolve():
                raise CallDeskError(translate(
                    "Backups", "--to names the database itself; give another file."))
            now = clock.utcnow().astimezone()
            written, verified = copies.take(source, target.parent, now, COMMAND_LINE)
            written.replace(target)
            copies.sidecar(written).replace(copies.sidecar(target))
            result = {"path": str(target), "taken_at": now.isoformat(),
                      "size": target.stat().st_size, "integrity": "ok",
                      "records": verified.records, "removed": [], "copied_to": None,
                      "copy_problem": None}
        else:
            taken = BackupService(db, paths.backup_dir, second_location(local)).take(COMMAND_LINE)
            result = {"path": str(taken.backup.path),
                      "taken_at": taken.backup.taken_at.isoformat(), "size": taken.backup.size,
                      "integrity": "ok", "records": taken.backup.records,
                      "removed": [str(path) for path in taken.removed],
                      "copied_to": str(taken.copied_to) if taken.copied_to else None,
                      "copy_problem": taken.copy_problem}
    finally:
        db.dispose()
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        print(translate("CLI", "Backed up and checked: {path} ({size}; {records}).").format(
            path=result["path"], size=size_text(int(result["size"])),  # type: ignore[arg-type]
            records=records_summary(result["records"])))  # type: ignore[arg-type]
        if result["copied_to"]:
            print(translate("CLI", "Copied to {path}.").format(path=result["copied_to"]))
    if result["copy_problem"]:
        print(f"calldesk: {result['copy_problem']}", file=sys.stderr)
        return 1
    return 0


def _server_backup(args: argparse.Namespace, db: Database, paths: AppPaths) -> int:
    target = Path(args.to).expanduser() if args.to else \
        paths.ensure().backup_dir / f"calldesk-{clock.utcnow().astimezone():%Y%m%d-%H%M%S}.dump"
    written = server.run_pg_dump(db.url, target)
    if args.json:
        print(json.dumps({"path": str(written), "size": written.stat().st_size,
                          "tool": "pg_dump"}, ensure_ascii=False))
    else:
        print(translate("CLI", "pg_dump wrote {path} ({size}).").format(
            path=written, size=size_text(written.stat().st_size)))
    return 0


def backups(args: argparse.Namespace, paths: AppPaths) -> int:
    found = copies.in_folder(paths.backup_dir)
    if args.json:
        print(json.dumps({"folder": str(paths.backup_dir),
                          "backups": [backup.as_json() for backup in found]},
                         ensure_ascii=False))
        return 0
    if not found:
        print(translate("CLI", "No backups in {folder} yet.").format(folder=paths.backup_dir))
        return 0
    for backup in found:
        print("  ".join((backup.taken_at.strftime("%Y-%m-%d %H:%M"),
                         size_text(backup.size).rjust(9),
                         records_summary(backup.records),
                         reason_text(backup.reason, backup.label), backup.path.name)))
    return 0


def _agreed(question: str) -> bool:
    print(question, end=" ", flush=True)
    try:
        answer = input()
    except EOFError:
        return False
    return answer.strip().lower() in ("y", "yes", "是", "是的")


def restore(args: argparse.Namespace, paths: AppPaths) -> int:
    db, _local = _database(args, paths)
    db.dispose()
    if db.sqlite_file is None:
        raise CallDeskError(translate(
            "Backups", "This database is on a PostgreSQL server, whose backups are the "
                       "server's: restore them there with pg_restore. CallDesk restores only "
                       "its embedded SQLite database."))
    file = Path(args.file).expanduser()
    verified = check_backup(file)  # a damaged or newer backup: refused before asking
    if not args.yes and not _agreed(translate(
            "CLI", "Restore {backup} ({records}) in place of {database}? The database as it is "
                   "now is copied to the backups folder first. [y/N]").format(
            backup=file, records=records_summary(verified.records), database=db.sqlite_file)):
        print(translate("CLI", "Nothing was restored."))
        return 1
    restored = restore_backup(file, db.sqlite_file, paths.ensure().backup_dir)
    print(translate("CLI", "Restored {backup}: {records}.").format(
        backup=file, records=records_summary(restored.records)))
    if restored.safety_copy:
        print(translate("CLI", "The database as it was: {path}").format(path=restored.safety_copy))
    if restored.damaged_aside:
        print(translate("CLI", "The damaged database was kept as {path}").format(
            path=restored.damaged_aside))
    return 0
