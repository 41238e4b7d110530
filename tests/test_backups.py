"""Backups taken, verified, rotated, copied to a second location, and restored."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from app import clock
from app.backups import copies, restore
from app.backups.service import MANUAL, QUIT, START, BackupService, rotate
from app.db import Database, default_sqlite_url, migrate
from app.errors import CallDeskError
from tests.backup_helpers import checksums, damage, filled_database


@pytest.fixture
def desk(tmp_path: Path) -> tuple[Database, Path]:
    database = filled_database(tmp_path / "calldesk.db")
    db = Database(default_sqlite_url(database))
    yield db, tmp_path / "backups"
    db.dispose()


def test_a_backup_is_taken_while_the_app_runs_and_verified(desk: tuple[Database, Path]) -> None:
    db, folder = desk
    with db.read() as session:  # an open connection, as in the running app
        session.connection().exec_driver_sql("SELECT 1")
        taken = BackupService(db, folder).take(START)
    assert db.sqlite_file is not None
    expected = {table: count for table, (count, _) in checksums(db.sqlite_file).items()
                if table != "alembic_version"}
    assert taken.backup.records == expected and expected["customers"] == 10
    assert taken.backup.integrity_ok and taken.backup.regular
    record = json.loads(copies.sidecar(taken.backup.path).read_text(encoding="utf-8"))
    assert record["integrity"] == ["ok"] and record["reason"] == START
    assert record["schema"] == migrate.head_revision()
    # One self-contained file: no -wal or -shm beside the backup.
    assert sorted(p.name for p in folder.iterdir()) == [taken.backup.path.name,
                                                        taken.backup.path.name + ".json"]
    assert checksums(taken.backup.path) == checksums(db.sqlite_file)


def test_the_first_start_of_the_day_backs_up_and_a_second_start_does_not(
        desk: tuple[Database, Path]) -> None:
    db, folder = desk
    service = BackupService(db, folder)
    morning = datetime(2026, 12, 2, 8, 30).astimezone()
    with clock.at(morning):
        assert service.take_if_due(START) is not None
    with clock.at(morning + timedelta(hours=1)):
        assert service.take_if_due(START) is None
    with clock.at(morning + timedelta(hours=4)):
        assert service.take_if_due(START) is not None  # a desk that never quits
    with clock.at(morning + timedelta(hours=4, minutes=10)):
        assert service.take(QUIT).backup.reason == QUIT  # on quit: always
    assert len(service.list()) == 3


def test_rotation_never_removes_the_copies_kept_before_an_upgrade_or_a_restore(
        tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    folder.mkdir()
    start = datetime(2026, 1, 1, 9).astimezone()
    for day in range(200):
        (folder / f"calldesk-{start + timedelta(days=day):%Y%m%d-%H%M%S}.db").write_bytes(b"x")
    kept_apart = [folder / "calldesk-20260105-090000-before-0006.db",
                  folder / "calldesk-20260301-090000-before-restore.db"]
    for path in kept_apart:
        path.write_bytes(b"x")
    removed = rotate(folder, start + timedelta(days=200))
    left = {p.name for p in folder.glob("calldesk-*.db")}
    assert {p.name for p in kept_apart} <= left
    assert len(removed) == 200 - (len(left) - 2) and len(left) - 2 <= 7 + 4 + 12


def test_a_damaged_database_is_not_backed_up_and_earlier_backups_stay(
        desk: tuple[Database, Path]) -> None:
    db, folder = desk
    service = BackupService(db, folder)
    good = service.take(MANUAL).backup
    db.dispose()
    assert db.sqlite_file is not None
    damage(db.sqlite_file, "zeroed")
    with pytest.raises(CallDeskError, match="损坏"):
        service.take(MANUAL)
    assert [backup.path for backup in service.list()] == [good.path]
    assert not list(folder.glob("*.partial"))


def test_the_backup_is_copied_to_a_second_location(desk: tuple[Database, Path],
                                                   tmp_path: Path) -> None:
    db, folder = desk
    usb = tmp_path / "usb" / "CallDesk"
    taken = BackupService(db, folder, usb).take(MANUAL)
    assert taken.copied_to == usb / taken.backup.path.name and taken.copy_problem is None
    assert taken.copied_to.read_bytes() == taken.backup.path.read_bytes()
    copied = copies.read(taken.copied_to)
    assert copied is not None and copied.records == taken.backup.records
    assert (copied.taken_at, copied.integrity_ok) == (taken.backup.taken_at, True)


def test_an_unreachable_second_location_is_reported_and_the_backup_kept(
        desk: tuple[Database, Path], tmp_path: Path) -> None:
    db, folder = desk
    unplugged = tmp_path / "not-a-folder"
    unplugged.write_text("a file where the folder should be")
    taken = BackupService(db, folder, unplugged / "CallDesk").take(MANUAL)
    assert taken.copied_to is None and taken.copy_problem and "第二" in taken.copy_problem
    assert copies.verify(taken.backup.path).ok


def test_restore_round_trip_gives_identical_record_counts_and_per_table_checksums(
        desk: tuple[Database, Path]) -> None:
    db, folder = desk
    assert db.sqlite_file is not None
    before = checksums(db.sqlite_file)
    backup = BackupService(db, folder).take(MANUAL).backup
    with db.write() as session:  # work after the backup, then a restore
        session.connection().exec_driver_sql("DELETE FROM customer_units")
        session.connection().exec_driver_sql("UPDATE customers SET notes = 'changed'")
    changed = checksums(db.sqlite_file)
    assert changed != before
    restored = restore.restore(backup.path, db.sqlite_file, folder)
    assert checksums(db.sqlite_file) == before  # the open app sees the restored data too
    with db.read() as session:
        assert session.connection().exec_driver_sql(
            "SELECT count(*) FROM customer_units").scalar() == before["customer_units"][0]
    assert restored.safety_copy is not None and restored.damaged_aside is None
    assert checksums(restored.safety_copy) == changed  # nothing lost: the copy kept first
    assert copies.read(restored.safety_copy).label == "restore"
    assert migrate.check(db) == []


def _refused(db: Database, folder: Path, backup: Path, match: str) -> None:
    assert db.sqlite_file is not None
    before = db.sqlite_file.read_bytes()
    with pytest.raises(CallDeskError, match=match):
        restore.restore(backup, db.sqlite_file, folder)
    assert db.sqlite_file.read_bytes() == before
    assert not [b for b in copies.in_folder(folder) if b.label == "restore"]  # no copy either


def test_restore_refuses_a_damaged_backup_a_newer_one_and_a_stranger(
        desk: tuple[Database, Path], tmp_path: Path) -> None:
    db, folder = desk
    service = BackupService(db, folder)
    db.dispose()
    truncated = service.take(MANUAL).backup.path
    damage(truncated, "truncated")
    _refused(db, folder, truncated, "已损坏")
    newer = service.take(MANUAL).backup.path
    with sqlite3.connect(newer) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999'")
    connection.close()
    _refused(db, folder, newer, "更新版本")
    stranger = tmp_path / "other.db"
    with sqlite3.connect(stranger) as connection:
        connection.execute("CREATE TABLE notes (text)")
    connection.close()
    _refused(db, folder, stranger, "不是 CallDesk")
    _refused(db, folder, tmp_path / "missing.db", "没有备份文件")


@pytest.mark.parametrize("how", ["truncated", "zeroed", "random bytes"])
def test_restore_over_a_damaged_database_keeps_the_damaged_file_aside(
        desk: tuple[Database, Path], how: str) -> None:
    db, folder = desk
    assert db.sqlite_file is not None
    before = checksums(db.sqlite_file)
    backup = BackupService(db, folder).take(MANUAL).backup
    db.dispose()
    damaged = damage(db.sqlite_file, how)
    restored = restore.restore(backup.path, db.sqlite_file, folder)
    assert restored.safety_copy is None and restored.damaged_aside is not None
    assert restored.damaged_aside.read_bytes() == damaged  # kept as it was, not overwritten
    assert restored.damaged_aside.parent == db.sqlite_file.parent
    assert checksums(db.sqlite_file) == before


def test_a_backup_of_an_older_schema_is_restored_and_brought_up_to_date_at_the_next_open(
        tmp_path: Path, paths) -> None:  # noqa: ANN001
    from app.bootstrap import open_database

    older = Path(__file__).parent / "data" / "databases" / "schema-0006.db"
    backup = tmp_path / "old-desk.db"
    backup.write_bytes(older.read_bytes())
    kept = checksums(backup)
    filled_database(paths.database_file)
    restored = restore.restore(backup, paths.database_file, paths.backup_dir)
    assert restored.schema == "0006" and restored.safety_copy is not None
    assert {t: c for t, (c, _) in checksums(paths.database_file).items()} == \
        {t: c for t, (c, _) in kept.items()}
    opened = open_database(default_sqlite_url(paths.database_file), paths)
    assert opened.backup is not None and copies.read(opened.backup).label == "0006"
    assert migrate.schema_state(opened.db).status == migrate.CURRENT
    opened.db.dispose()


@pytest.mark.skipif(__import__("os").name == "nt", reason="POSIX file modes")
def test_a_backup_and_its_record_are_readable_by_the_user_only(
        desk: tuple[Database, Path]) -> None:
    db, folder = desk
    backup = BackupService(db, folder).take(MANUAL).backup
    assert backup.path.stat().st_mode & 0o777 == 0o600
    assert copies.sidecar(backup.path).stat().st_mode & 0o777 == 0o600


def test_only_an_administrator_may_restore(desk: tuple[Database, Path]) -> None:
    from app.domain.roles import Actor, Role
    from app.errors import PermissionDenied

    db, folder = desk
    service = BackupService(db, folder)
    backup = service.take(MANUAL).backup
    supervisor = Actor(user_id=2, login="zg01", display_name="赵主管", role=Role.SUPERVISOR)
    assert db.sqlite_file is not None
    before = db.sqlite_file.read_bytes()
    with pytest.raises(PermissionDenied, match="备份和恢复数据库"):
        service.restore(supervisor, backup.path)
    assert db.sqlite_file.read_bytes() == before
    assert service.restore(Actor.system(), backup.path).safety_copy is not None
