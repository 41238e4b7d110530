from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from app import cli, clock
from app.db import migrate
from app.paths import AppPaths

ROOT = Path(__file__).resolve().parent.parent


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    try:
        code = cli.main(list(args))
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def test_db_info_upgrade_and_check_on_a_new_database(capsys: pytest.CaptureFixture[str],
                                                     paths: AppPaths) -> None:
    code, out, err = run_cli(capsys, "db", "info", "--json")
    assert (code, out) == (1, "") and str(paths.database_file) in err  # looking creates nothing
    assert not paths.database_file.exists()
    paths.database_file.touch()  # an empty file (as an older CallDesk left behind)
    code, out, _ = run_cli(capsys, "db", "info", "--json")
    info = json.loads(out)
    assert code == 0
    assert (info["status"], info["schema_version"], info["backend"]) == ("empty", None, "sqlite")
    assert info["database"] == f"SQLite: {paths.database_file}"

    code, out, _ = run_cli(capsys, "db", "upgrade", "--json")
    head = migrate.head_revision()
    assert code == 0 and json.loads(out) == {"from": None, "to": head, "backup": None}

    code, out, _ = run_cli(capsys, "db", "info", "--json")
    assert json.loads(out)["schema_version"] == head
    assert json.loads(out)["status"] == "current"

    code, out, _ = run_cli(capsys, "db", "check")
    assert code == 0 and "未发现问题" in out


def test_user_add_reads_the_password_from_stdin(capsys: pytest.CaptureFixture[str],
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("s3cret-pass\n"))
    code, out, err = run_cli(capsys, "user", "add", "kf01", "--role", "operator", "--name",
                             "王芳", "--password-stdin")
    assert (code, err) == (0, "")
    assert "已添加 kf01（客服专员）" in out
    from app.bootstrap import open_database
    from app.paths import resolve_paths
    from app.services.users import UserService

    db = open_database(cli.database_url(resolve_paths()), resolve_paths()).db
    assert UserService(db).authenticate("kf01", "s3cret-pass").display_name == "王芳"
    db.dispose()


@pytest.mark.parametrize("args, needle", [
    (("user", "add", "kf01", "--role", "boss"), "invalid choice"),
    (("db", "frobnicate"), "invalid choice"),
    (("demo-data", "--seed", "many"), "invalid int value"),
])
def test_bad_command_lines_print_one_line_and_exit_2(capsys: pytest.CaptureFixture[str],
                                                    args: tuple[str, ...], needle: str) -> None:
    code, out, err = run_cli(capsys, *args)
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1 and needle in err and "--help" in err


def test_refused_input_prints_one_line_and_exits_1(capsys: pytest.CaptureFixture[str],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("123\n"))
    code, out, err = run_cli(capsys, "user", "add", "kf01", "--role", "operator",
                             "--password-stdin")
    assert code == 1 and out == ""
    assert err == "calldesk: 密码至少需要 6 个字符。\n"


def test_no_password_without_a_terminal(capsys: pytest.CaptureFixture[str],
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    code, _, err = run_cli(capsys, "user", "add", "kf01", "--role", "operator")
    assert code == 1 and "--password-stdin" in err


def test_messages_follow_the_language_switch(capsys: pytest.CaptureFixture[str],
                                            paths: AppPaths) -> None:
    paths.database_file.touch()
    code, out, _ = run_cli(capsys, "db", "check")
    assert code == 1 and f"不是最新的 {migrate.head_revision()}" in out
    run_cli(capsys, "db", "upgrade")
    with clock.at(datetime(2026, 11, 3, 4, 0, tzinfo=UTC)):  # no calendar warning yet
        code, out, _ = run_cli(capsys, "--lang", "en", "db", "check")
    assert code == 0 and out == "No problems found.\n"


def test_every_subcommand_takes_database(capsys: pytest.CaptureFixture[str],
                                         tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'elsewhere.db'}"
    code, out, _ = run_cli(capsys, "demo-data", "--database", url, "--seed", "7")
    assert code == 0 and "demo / demo1234" in out
    code, out, _ = run_cli(capsys, "db", "info", "--json", "--database", url)
    assert json.loads(out)["database"] == f"SQLite: {tmp_path / 'elsewhere.db'}"
    assert json.loads(out)["status"] == "current"


def test_unreachable_database_is_one_plain_line(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_cli(capsys, "db", "upgrade", "--database",
                           "postgresql://nobody@127.0.0.1:1/x?connect_timeout=2")
    assert code == 1
    assert err.startswith("calldesk: 无法连接数据库") and err.count("\n") == 1


def test_the_console_entry_point_runs_as_a_process(paths: AppPaths) -> None:
    result = subprocess.run([sys.executable, "-m", "app", "db", "upgrade", "--json"],
                            capture_output=True, text=True, cwd=ROOT, env=os.environ.copy(),
                            timeout=60)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["to"] == migrate.head_revision()


def test_demo_data_in_bulk(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'bulk.db'}"
    code, out, err = run_cli(capsys, "--lang", "en", "demo-data", "--database", url, "--bulk",
                             "--customers", "300", "--months", "1", "--seed", "3")
    assert code == 0 and "300 customer cards" in out and "demo / demo1234" in out
    calls = int(out.split(" calls")[0].rsplit(" ", 1)[1])
    assert calls > 50
    code, out, err = run_cli(capsys, "--lang", "en", "demo-data", "--database", url, "--bulk")
    assert code != 0 and "already has users" in out + err
