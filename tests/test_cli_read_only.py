"""Commands that only look (db info, db check, lookup, callbacks due, complaints list, the
exports, print-slip) never create or change a file; and the caller pop-up hook reaches the
demo only when asked to (``incoming-call --demo``)."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.paths import AppPaths
from tests.test_cli import run_cli

DATA = Path(__file__).parent / "data" / "databases"

LOOKING = [
    ("db", "info"), ("db", "info", "--json"), ("db", "check"), ("lookup", "13800138000"),
    ("lookup", "13800138000", "--json"), ("callbacks", "due"), ("callbacks", "due", "--all"),
    ("complaints", "list"), ("complaints", "list", "--json"), ("search", "13800138000"),
    ("search", "张三", "--json"),
]


def files_under(root: Path) -> dict[str, tuple[int, int, str]]:
    """Every file and folder below ``root``: size, modification time and contents."""
    found: dict[str, tuple[int, int, str]] = {}
    for path in sorted(root.rglob("*")):
        stat = path.stat()
        digest = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "dir"
        found[str(path.relative_to(root))] = (stat.st_size, stat.st_mtime_ns, digest)
    return found


@pytest.mark.parametrize("args", LOOKING, ids=" ".join)
def test_a_missing_database_is_named_not_created(capsys: pytest.CaptureFixture[str],
                                                 paths: AppPaths, tmp_path: Path,
                                                 args: tuple[str, ...]) -> None:
    home = tmp_path / "home"
    shutil.rmtree(paths.data_dir)  # a PC where CallDesk never ran: not even its folder
    before = files_under(home)
    code, out, err = run_cli(capsys, *args)
    assert (code, out) == (1, "")
    assert err.count("\n") == 1 and str(paths.database_file) in err and "calldesk db upgrade" in err
    assert files_under(home) == before
    assert not paths.data_dir.exists()


def test_the_exports_and_slips_do_not_create_the_database(capsys: pytest.CaptureFixture[str],
                                                          paths: AppPaths,
                                                          tmp_path: Path) -> None:
    for args in (("export", "daily-report", "--date", "2026-11-02", "--out",
                  str(tmp_path / "d.xlsx")),
                 ("export", "monthly-callbacks", "--month", "2026-11", "--out",
                  str(tmp_path / "m.xlsx")),
                 ("print-slip", "TS202611-0001", "--pdf", str(tmp_path / "s.pdf"))):
        code, _out, err = run_cli(capsys, *args)
        assert code == 1 and str(paths.database_file) in err
    assert not paths.database_file.exists()
    assert not any(tmp_path.glob("*.xlsx")) and not any(tmp_path.glob("*.pdf"))


def test_looking_leaves_a_database_as_it_was(capsys: pytest.CaptureFixture[str],
                                            paths: AppPaths, tmp_path: Path) -> None:
    code, out, err = run_cli(capsys, "--lang", "en", "demo-data", "--bulk", "--customers",
                             "200", "--months", "1", "--seed", "5")
    assert code == 0, err
    home = tmp_path / "home"
    before = files_under(home)
    assert str(paths.database_file.relative_to(home)) in before
    for args in LOOKING:
        code, _out, err = run_cli(capsys, *args)
        assert code == 0, (args, err)
    code, _out, err = run_cli(capsys, "export", "daily-report", "--date", "2026-11-02",
                              "--out", str(tmp_path / "daily.xlsx"))
    assert code == 0, err
    assert files_under(home) == before  # not the database, its -wal, the settings or the log


def test_an_older_schema_is_reported_not_upgraded(capsys: pytest.CaptureFixture[str],
                                                  paths: AppPaths, tmp_path: Path) -> None:
    shutil.copy(DATA / "schema-0005.db", paths.database_file)
    before = files_under(tmp_path / "home")
    code, out, err = run_cli(capsys, "--lang", "en", "lookup", "13800138000")
    assert (code, out) == (1, "")
    assert "older schema (0005)" in err and "calldesk db upgrade" in err
    code, out, _err = run_cli(capsys, "--lang", "en", "db", "info")
    assert code == 0 and "older than this program" in out
    assert files_under(tmp_path / "home") == before
    assert not paths.backup_dir.exists() or not any(paths.backup_dir.iterdir())


def test_a_read_only_database_refuses_a_write(tmp_path: Path) -> None:
    from sqlalchemy import text

    from app.bootstrap import open_database, open_read_only
    from app.db import default_sqlite_url
    from app.errors import DatabaseProblem
    from app.paths import resolve_paths

    url = default_sqlite_url(tmp_path / "x.db")
    open_database(url, resolve_paths()).db.dispose()
    db = open_read_only(url)
    with pytest.raises(DatabaseProblem), db.write() as session:
        session.execute(text("DELETE FROM departments"))
    db.dispose()


# -- the pop-up hook and the demo --------------------------------------------------------------
@pytest.mark.gui
def test_incoming_call_with_demo_reaches_the_demo_window(capsys: pytest.CaptureFixture[str],
                                                          qtbot: QtBot,
                                                          paths: AppPaths) -> None:
    from ui.single_instance import InstanceServer

    desk, demo = InstanceServer(paths), InstanceServer(paths, demo=True)
    assert desk.listen() and demo.listen()
    to_desk: list[tuple[str, bool]] = []
    to_demo: list[tuple[str, bool]] = []
    desk.incoming_call.connect(lambda phone, missed: to_desk.append((phone, missed)))
    demo.incoming_call.connect(lambda phone, missed: to_demo.append((phone, missed)))
    try:
        assert run_cli(capsys, "incoming-call", "--demo", "13800138000")[0] == 0
        qtbot.waitUntil(lambda: bool(to_demo), timeout=5000)
        assert run_cli(capsys, "incoming-call", "13900139000")[0] == 0
        qtbot.waitUntil(lambda: bool(to_desk), timeout=5000)
    finally:
        desk.close()
        demo.close()
    assert to_demo == [("13800138000", False)] and to_desk == [("13900139000", False)]


@pytest.mark.gui
def test_the_softphone_hook_never_reaches_the_demo(capsys: pytest.CaptureFixture[str],
                                                   qtbot: QtBot, paths: AppPaths,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """Only a demo window runs and CallDesk was never set up here: the hook says how to try
    the pop-up on the demo instead of opening the first-time set-up."""
    from ui import application
    from ui.single_instance import InstanceServer

    opened: list[object] = []
    monkeypatch.setattr(application, "run", lambda *args: opened.append(args) or 0)
    demo = InstanceServer(paths, demo=True)
    assert demo.listen()
    calls: list[str] = []
    demo.incoming_call.connect(lambda phone, _missed: calls.append(phone))
    try:
        code, out, err = run_cli(capsys, "--lang", "en", "incoming-call", "13800138000")
        qtbot.wait(200)
    finally:
        demo.close()
    assert (code, out) == (1, "")
    assert "calldesk incoming-call --demo 13800138000" in err
    assert calls == [] and opened == []
    assert not paths.database_file.exists()


def test_incoming_call_with_demo_opens_a_demo_when_none_runs(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        paths: AppPaths) -> None:
    from ui import application

    opened: list[tuple[bool, str]] = []
    monkeypatch.setattr(application, "run",
                        lambda args, _paths: opened.append((args.demo, args.phone)) or 0)
    assert run_cli(capsys, "incoming-call", "--demo", "13800138000")[0] == 0
    assert run_cli(capsys, "--demo", "incoming-call", "13800138001")[0] == 0
    assert opened == [(True, "13800138000"), (True, "13800138001")]
    assert not paths.database_file.exists()
