"""Every test gets its own folders and its own database; Qt runs offscreen.

Database tests take the ``db`` fixture, which runs them once on SQLite and, when
``CALLDESK_TEST_PG_URL`` is set, once more on PostgreSQL in a schema of their own.
"""

from __future__ import annotations

import os
import sys
import uuid
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from argon2 import PasswordHasher  # noqa: E402

from app import clock, i18n  # noqa: E402
from app.db import Database, default_sqlite_url, migrate  # noqa: E402
from app.domain.roles import Actor  # noqa: E402
from app.paths import AppPaths, resolve_paths  # noqa: E402
from app.services import Services  # noqa: E402

PG_URL = os.environ.get("CALLDESK_TEST_PG_URL")
ADMIN_PASSWORD = "admin-pass-1"


@pytest.fixture(autouse=True)
def isolated_user_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[AppPaths]:
    """No test reads or writes the real user's data, settings or logs."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("CALLDESK_HOME", str(home / "calldesk"))
    monkeypatch.setenv("HOME", str(home))
    for variable in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME",
                     "APPDATA", "LOCALAPPDATA"):
        monkeypatch.setenv(variable, str(home / variable.lower()))
    monkeypatch.delenv("CALLDESK_DATABASE_URL", raising=False)
    i18n.set_language(i18n.DEFAULT_LANGUAGE)
    yield resolve_paths().ensure()
    i18n.set_language(i18n.DEFAULT_LANGUAGE)
    dialogs = sys.modules.get("ui.file_dialogs")
    if dialogs is not None:  # a main window kept its last folders in this test's tmp_path
        dialogs.remember_in(None)


@pytest.fixture
def office_hours() -> Iterator[datetime]:
    """The clock runs from 10:00 on a working Wednesday (2 December 2026, the desk's local
    time): a test of what is due today must not depend on the hour CI happens to run."""
    morning = datetime(2026, 12, 2, 10, 0).astimezone()
    with clock.running_from(morning):
        yield morning


@pytest.fixture(scope="session", autouse=True)
def garbage_collected_on_the_main_thread(qapp) -> Iterator[None]:  # noqa: ANN001
    """As in the app (ui.gc_guard): the worker thread must never run the collector."""
    from ui import gc_guard

    gc_guard.install(qapp)
    yield


@pytest.fixture(autouse=True)
def collect_between_tests() -> Iterator[None]:
    """Tests that never spin the event loop still get their garbage collected."""
    yield
    from ui.gc_guard import _Collector

    _Collector.collect()


@pytest.fixture(autouse=True)
def fast_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Real argon2, cheaper parameters: the suite hashes hundreds of passwords."""
    monkeypatch.setattr("app.services.users._hasher",
                        PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


@pytest.fixture(autouse=True)
def unexpected_errors(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[BaseException]]:
    """A bug reaching the error dialog fails the test instead of blocking it on a modal box."""
    from ui import errors

    caught: list[BaseException] = []
    monkeypatch.setattr(errors, "show_unexpected",
                        lambda parent, kind, error, tb: caught.append(error))
    yield caught
    assert caught == [], f"unexpected errors reached the error dialog: {caught!r}"


@pytest.fixture
def chinese_ui(qapp) -> Iterator[None]:  # noqa: ANN001
    """The UI in Simplified Chinese, as users see it; operations drained afterwards."""
    from PySide6.QtCore import QCoreApplication

    from ui import operations, translations

    installed = translations.install(qapp, "zh_CN")
    yield
    operations.wait_for_all()
    QCoreApplication.processEvents()
    for translator in installed:
        qapp.removeTranslator(translator)


@pytest.fixture
def paths(isolated_user_folders: AppPaths) -> AppPaths:
    return isolated_user_folders


def _backends() -> list[object]:
    pg = pytest.param("postgresql", marks=pytest.mark.skipif(
        not PG_URL, reason="set CALLDESK_TEST_PG_URL to run on PostgreSQL"))
    return ["sqlite", pg]


def close_windows() -> None:
    """The test's windows close before its database goes away, so their timers cannot start
    a query afterwards (closing stops a main window's timers, shown or not)."""
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QApplication

    if isinstance(QCoreApplication.instance(), QApplication):
        for widget in QApplication.topLevelWidgets():
            widget.close()


def drain_operations() -> None:
    """Lets background operations of the test finish (before its database goes away)."""
    from PySide6.QtCore import QCoreApplication

    from ui import operations

    # A result handled on the UI thread may start the next operation (a list loads, then
    # its first row's details): drain until nothing is left.
    for _round in range(10):
        operations.wait_for_all()
        if QCoreApplication.instance() is None:
            return
        QCoreApplication.processEvents()
        if not operations.pending():
            return


_sqlite_template: Path | None = None


def _migrated_sqlite_copy(target: Path) -> None:
    """A copy of one database migrated once per run: migrating each test's afresh cost
    ~0.15 s a test. (The migration tests still migrate from every committed schema.)"""
    import shutil
    import tempfile

    global _sqlite_template
    if _sqlite_template is None:
        template = Path(tempfile.mkdtemp(prefix="calldesk-template-")) / "template.db"
        db = Database(default_sqlite_url(template))
        migrate.upgrade(db)
        db.dispose()  # the last connection closes: the WAL is folded into the file
        _sqlite_template = template
    shutil.copyfile(_sqlite_template, target)


_PG_TEMPLATE = "calldesk_template_0"
_pg_script: list[str | None] = []


def _pg_template_script() -> str | None:
    """The schema (and seed rows) the migrations make, dumped once per run as SQL that
    builds it again: replaying it is ~10× faster than migrating (~0.35 s a test). None
    without pg_dump: then each test migrates."""
    import shutil
    import subprocess

    if _pg_script:
        return _pg_script[0]
    assert PG_URL
    dump = shutil.which("pg_dump")
    script = None
    admin = Database(PG_URL)
    try:
        with admin.engine.begin() as connection:
            connection.exec_driver_sql(f"DROP SCHEMA IF EXISTS {_PG_TEMPLATE} CASCADE")
            connection.exec_driver_sql(f"CREATE SCHEMA {_PG_TEMPLATE}")
        template = Database(PG_URL, search_path=_PG_TEMPLATE)
        migrate.upgrade(template)
        template.dispose()
        if dump is not None:
            url = admin.engine.url.set(drivername="postgresql")
            done = subprocess.run(
                [dump, "--schema", _PG_TEMPLATE, "--inserts", "--no-owner",
                 "--no-privileges", "--dbname", url.render_as_string(hide_password=False)],
                capture_output=True, text=True, timeout=60)
            if done.returncode == 0:
                # Its search_path setting would outlive the script on this connection, and
                # psql's own commands (\\restrict …) are not SQL.
                script = "\n".join(line for line in done.stdout.splitlines()
                                   if "set_config('search_path'" not in line
                                   and not line.startswith("\\"))
    finally:
        with admin.engine.begin() as connection:
            connection.exec_driver_sql(f"DROP SCHEMA IF EXISTS {_PG_TEMPLATE} CASCADE")
        admin.dispose()
    _pg_script.append(script)
    return script


def make_database(backend: str, tmp_path: Path) -> Iterator[Database]:
    if backend == "sqlite":
        _migrated_sqlite_copy(tmp_path / "test.db")
        db = Database(default_sqlite_url(tmp_path / "test.db"))
        yield db
        close_windows()
        drain_operations()
        db.dispose()
        return
    assert PG_URL
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = Database(PG_URL)
    script = _pg_template_script()
    with admin.engine.begin() as connection:
        if script is None:
            connection.exec_driver_sql(f"CREATE SCHEMA {schema}")
        else:  # the migrated schema, replayed under this test's name
            connection.exec_driver_sql(script.replace(_PG_TEMPLATE, schema))
    db = Database(PG_URL, search_path=schema)
    try:
        if script is None:
            migrate.upgrade(db)
        yield db
    finally:
        close_windows()
        drain_operations()
        db.dispose()
        with admin.engine.begin() as connection:
            connection.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
        admin.dispose()


@pytest.fixture(params=_backends())
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    yield from make_database(request.param, tmp_path)


@pytest.fixture
def sqlite_db(tmp_path: Path) -> Iterator[Database]:
    yield from make_database("sqlite", tmp_path)


@pytest.fixture
def services(db: Database) -> Services:
    return Services.open(db)


@pytest.fixture
def admin(services: Services) -> Actor:
    return services.users.complete_setup("阳光花园物业服务中心", "admin", "李主任", ADMIN_PASSWORD)


@pytest.fixture
def operator(services: Services, admin: Actor) -> Actor:
    """王芳, an operator (客服) of the centre, signed in."""
    from app.domain.roles import Role

    services.users.add_user(admin, "kf01", "王芳", Role.OPERATOR, "secret1")
    return services.users.authenticate("kf01", "secret1")
