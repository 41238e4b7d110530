from __future__ import annotations

import os
import sqlite3
import threading
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy import select, text
from sqlalchemy.exc import OperationalError

from app.bootstrap import open_database, probe
from app.db import Database, default_sqlite_url, migrate
from app.db.models import AuditEntry, Department
from app.db.problems import problem_from
from app.errors import DatabaseProblem, ValidationError

DATA = Path(__file__).parent / "data" / "databases"


def test_new_database_is_brought_to_the_newest_schema(db: Database) -> None:
    state = migrate.schema_state(db)
    assert state.status == migrate.CURRENT
    assert state.current == migrate.head_revision()
    assert migrate.check(db) == []  # the migrations build exactly what the models describe


def test_departments_are_seeded_in_order(db: Database) -> None:
    with db.read() as session:
        names = session.scalars(select(Department.name).order_by(Department.sort_order)).all()
    assert names == ["工程部", "秩序部", "环境部", "客服中心", "财务部"]


def test_timestamps_come_back_in_utc(db: Database) -> None:
    shanghai = timezone(timedelta(hours=8))
    when = datetime(2026, 11, 1, 8, 30, tzinfo=shanghai)
    with db.write() as session:
        session.add(AuditEntry(at=when, entity="test", entity_id="1", action="x", changes={}))
    with db.read() as session:
        stored = session.scalar(select(AuditEntry.at))
    assert stored == when
    assert stored.tzinfo is not None and stored.utcoffset() == timedelta(0)
    assert stored.hour == 0


def test_naive_datetimes_are_refused(db: Database) -> None:
    with pytest.raises(Exception, match="timezone-aware"), db.write() as session:
        session.add(AuditEntry(at=datetime(2026, 1, 1), entity="t", entity_id="1",
                               action="x", changes={}))


def test_write_rolls_back_everything_on_error(db: Database) -> None:
    with pytest.raises(RuntimeError), db.write() as session:
        session.add(Department(name="临时部门", active=True, sort_order=9))
        session.flush()
        raise RuntimeError("midway")
    with db.read() as session:
        assert session.scalar(select(Department).where(Department.name == "临时部门")) is None


def test_sqlite_runs_with_wal_and_foreign_keys(sqlite_db: Database) -> None:
    with sqlite_db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA cache_size").scalar() == -16 * 1024


def test_a_second_writer_waits_at_begin_and_gets_a_plain_message(tmp_path: Path) -> None:
    url = default_sqlite_url(tmp_path / "busy.db")
    first = Database(url)
    migrate.upgrade(first)
    second = Database(url, busy_timeout_s=0.2)
    holding = threading.Event()
    release = threading.Event()

    def hold_write_lock() -> None:
        with first.write() as session:
            session.execute(text("SELECT 1"))  # BEGIN IMMEDIATE has taken the lock already
            holding.set()
            release.wait(5)

    holder = threading.Thread(target=hold_write_lock)
    holder.start()
    assert holding.wait(5)
    try:
        with pytest.raises(DatabaseProblem) as caught, second.write() as session:
            session.execute(text("SELECT 1"))  # only a read, yet refused: the lock is up front
        assert caught.value.kind == "locked"
        assert "稍等" in str(caught.value)
        with second.read() as session:  # readers are never blocked (WAL)
            assert session.execute(text("SELECT count(*) FROM departments")).scalar() == 5
    finally:
        release.set()
        holder.join()
        first.dispose()
        second.dispose()


def test_read_only_database_is_an_environment_problem(tmp_path: Path) -> None:
    path = tmp_path / "ro.db"
    writable = Database(default_sqlite_url(path))
    migrate.upgrade(writable)
    writable.dispose()
    read_only = Database(f"sqlite:///file:{path}?mode=ro&uri=true")
    with pytest.raises(DatabaseProblem) as caught, read_only.write() as session:
        session.add(Department(name="只读", active=True, sort_order=1))
    assert caught.value.kind == "read_only"
    read_only.dispose()


def test_corrupt_file_is_refused_with_its_own_message(tmp_path: Path) -> None:
    path = tmp_path / "calldesk.db"
    path.write_bytes(b"this is not a database at all " * 100)
    from app.paths import resolve_paths

    with pytest.raises(DatabaseProblem) as caught:
        open_database(default_sqlite_url(path), resolve_paths(tmp_path / "home"))
    assert caught.value.kind == "corrupt"
    assert "备份" in str(caught.value)


def test_missing_folder_is_unavailable(tmp_path: Path) -> None:
    with pytest.raises(DatabaseProblem) as caught:
        probe(default_sqlite_url(tmp_path / "no" / "such" / "folder" / "x.db"))
    assert caught.value.kind == "unavailable"


def test_unreachable_server_is_unavailable() -> None:
    with pytest.raises(DatabaseProblem) as caught:
        probe("postgresql://nobody@127.0.0.1:1/none?connect_timeout=2")
    assert caught.value.kind == "unavailable"


def test_a_missing_table_on_the_server_is_a_bug_not_a_missing_database() -> None:
    import psycopg

    error = OperationalError("stmt", {}, psycopg.OperationalError(
        'relation "complaints" does not exist'))
    assert problem_from(error) is None


@pytest.mark.skipif(not os.environ.get("CALLDESK_TEST_PG_URL"),
                    reason="set CALLDESK_TEST_PG_URL to run on PostgreSQL")
@pytest.mark.parametrize("change, kind", [
    ({"database": "no_such_calldesk_db"}, "missing"),
    ({"username": "no_such_desk_user"}, "auth"),
])
def test_a_wrong_server_address_gets_its_own_message(change: dict[str, str], kind: str) -> None:
    from sqlalchemy import make_url

    url = make_url(os.environ["CALLDESK_TEST_PG_URL"]).set(**change)
    with pytest.raises(DatabaseProblem) as caught:
        probe(url.render_as_string(hide_password=False))
    assert caught.value.kind == kind


def test_a_bad_address_is_a_validation_error() -> None:
    with pytest.raises(ValidationError):
        probe("this is not a url")


@pytest.mark.parametrize("message, kind", [
    ("database or disk is full", "full"),
    ("database is locked", "locked"),
    ("database disk image is malformed", "corrupt"),
    ("attempt to write a readonly database", "read_only"),
    ("no such table: complaints", None),  # a bug, not the environment
])
def test_sqlite_errors_are_sorted_into_environment_and_bugs(message: str, kind: str | None) -> None:
    error = OperationalError("stmt", {}, sqlite3.OperationalError(message))
    problem = problem_from(error)
    assert (problem.kind if problem else None) == kind


def test_database_newer_than_the_program_is_refused_untouched(db: Database) -> None:
    with db.write() as session:
        session.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    state = migrate.schema_state(db)
    assert state.status == migrate.NEWER
    with pytest.raises(DatabaseProblem) as caught:
        migrate.upgrade(db)
    assert caught.value.kind == "newer"
    assert "9999" in str(caught.value)
    assert migrate.schema_state(db).current == "9999"


def test_backup_is_a_consistent_copy_and_old_ones_are_pruned(sqlite_db: Database,
                                                             tmp_path: Path) -> None:
    assert sqlite_db.sqlite_file is not None
    backups = tmp_path / "backups"
    for number in range(migrate.KEEP_BACKUPS + 2):
        (backups).mkdir(exist_ok=True)
        (backups / f"calldesk-20200101-0000{number:02d}-before-x.db").write_bytes(b"old")
    copy = migrate.backup_sqlite(sqlite_db.sqlite_file, backups, "0001")
    with sqlite3.connect(copy) as connection:
        assert connection.execute("SELECT count(*) FROM departments").fetchone() == (5,)
    assert len(list(backups.glob("calldesk-*.db"))) == migrate.KEEP_BACKUPS
    assert copy.exists()


@pytest.mark.parametrize("committed", sorted(DATA.glob("*.db")), ids=lambda p: p.stem)
def test_every_older_database_upgrades_and_keeps_its_rows(committed: Path, tmp_path: Path) -> None:
    """Databases written by every released schema, committed under tests/data/databases."""
    import shutil

    from app.paths import resolve_paths

    target = tmp_path / "calldesk.db"
    shutil.copy(committed, target)
    with sqlite3.connect(target) as connection:
        users_before = connection.execute("SELECT login FROM users ORDER BY login").fetchall()
    opened = open_database(default_sqlite_url(target), resolve_paths(tmp_path / "home"))
    assert migrate.check(opened.db) == []
    with opened.db.read() as session:
        users_after = session.execute(text("SELECT login FROM users ORDER BY login")).fetchall()
    assert [tuple(row) for row in users_after] == users_before
    assert len(users_before) > 0
    opened.db.dispose()


def test_committed_databases_exist_for_the_current_schema() -> None:
    assert (DATA / f"schema-{migrate.head_revision()}.db").exists(), \
        "commit a database of the newest schema: python -m tests.make_schema_db"


def test_utc_type_rejects_aware_to_naive_confusion() -> None:
    from app.db.types import UTCDateTime

    class Dialect:
        name = "sqlite"

    stored = UTCDateTime().process_bind_param(datetime(2026, 1, 1, 12, tzinfo=UTC), Dialect())
    assert stored == datetime(2026, 1, 1, 12)


def test_rebuilding_a_parent_table_in_a_migration_keeps_its_children(sqlite_db: Database) -> None:
    """Batch mode copies and drops a table; with foreign keys on, SQLite would cascade the
    drop to every customer's phone numbers."""
    from alembic.operations import Operations
    from alembic.runtime.migration import MigrationContext

    from app.services import Services
    from app.services.customers import CustomerInput, PhoneInput

    services = Services.open(sqlite_db)
    admin = services.users.complete_setup("中心", "admin", "李主任", "secret12")
    services.customers.create(admin, CustomerInput(name="张三", phones=[PhoneInput("13800138000")]))
    with migrate.migration_connection(sqlite_db) as connection:
        operations = Operations(MigrationContext.configure(connection))
        with operations.batch_alter_table("customers", recreate="always") as batch:
            batch.add_column(sa.Column("nickname", sa.String(20), nullable=True))
    with sqlite_db.engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT count(*) FROM customer_phones").scalar() == 1
        assert connection.exec_driver_sql("SELECT count(*) FROM phone_grams").scalar() == 6
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_a_migration_that_breaks_references_is_rolled_back(sqlite_db: Database) -> None:
    with pytest.raises(RuntimeError, match="broken references"), \
            migrate.migration_connection(sqlite_db) as connection:
        connection.exec_driver_sql(
            "INSERT INTO customer_units (customer_id, unit_id, role) VALUES (999, 999, 'owner')")
    with sqlite_db.engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT count(*) FROM customer_units").scalar() == 0


@pytest.mark.skipif(not os.environ.get("CALLDESK_TEST_PG_URL"),
                    reason="set CALLDESK_TEST_PG_URL to run on PostgreSQL")
def test_two_desks_upgrading_a_shared_database_at_once(tmp_path: Path) -> None:
    """On PostgreSQL, desks starting the new version together must not both migrate."""
    import os
    import uuid

    url = os.environ["CALLDESK_TEST_PG_URL"]
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = Database(url)
    with admin.engine.begin() as connection:
        connection.exec_driver_sql(f"CREATE SCHEMA {schema}")
    desks = [Database(url, search_path=schema) for _ in range(3)]
    failures: list[BaseException] = []

    def start(db: Database) -> None:
        try:
            migrate.upgrade(db)
        except BaseException as error:  # noqa: BLE001 - reported below
            failures.append(error)

    threads = [threading.Thread(target=start, args=(db,)) for db in desks]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        assert failures == []
        assert migrate.schema_state(desks[0]).status == migrate.CURRENT
    finally:
        for db in desks:
            db.dispose()
        with admin.engine.begin() as connection:
            connection.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
        admin.dispose()
