"""calldesk db backup, db backups and db restore."""

from __future__ import annotations

import io
import json
import os
import sys
from pathlib import Path

import pytest

from app.paths import AppPaths
from tests.backup_helpers import checksums, filled_database
from tests.test_cli import run_cli


@pytest.fixture
def filled(paths: AppPaths) -> Path:
    return filled_database(paths.database_file)


def test_db_backup_writes_a_verified_backup_and_db_backups_lists_it(
        capsys: pytest.CaptureFixture[str], paths: AppPaths, filled: Path) -> None:
    code, out, err = run_cli(capsys, "db", "backup", "--json")
    assert (code, err) == (0, "")
    result = json.loads(out)
    assert Path(result["path"]).parent == paths.backup_dir
    assert result["integrity"] == "ok" and result["records"]["customers"] == 10
    code, out, _ = run_cli(capsys, "db", "backups", "--json")
    listed = json.loads(out)["backups"]
    assert code == 0 and [b["path"] for b in listed] == [result["path"]]
    assert listed[0]["records"] == result["records"] and listed[0]["kind"] == "regular"
    code, out, _ = run_cli(capsys, "db", "backups")
    assert code == 0 and "10 客户" in out and "命令行" in out


def test_db_backup_to_a_file_and_not_over_the_database(capsys: pytest.CaptureFixture[str],
                                                      tmp_path: Path, filled: Path) -> None:
    target = tmp_path / "usb" / "desk.db"
    code, out, _ = run_cli(capsys, "db", "backup", "--to", str(target))
    assert code == 0 and str(target) in out and "10 客户" in out
    assert checksums(target) == checksums(filled)
    code, _, err = run_cli(capsys, "db", "backup", "--to", str(filled))
    assert code == 1 and "数据库本身" in err


def test_db_backup_without_a_database_creates_nothing(capsys: pytest.CaptureFixture[str],
                                                     paths: AppPaths) -> None:
    code, _, err = run_cli(capsys, "db", "backup")
    assert code == 1 and str(paths.database_file) in err
    assert not paths.database_file.exists()


def test_db_restore_asks_and_a_no_changes_nothing(capsys: pytest.CaptureFixture[str],
                                                  monkeypatch: pytest.MonkeyPatch,
                                                  paths: AppPaths, filled: Path) -> None:
    run_cli(capsys, "db", "backup")
    backup = next(paths.backup_dir.glob("calldesk-*.db"))
    before = filled.read_bytes()
    monkeypatch.setattr(sys, "stdin", io.StringIO("n\n"))
    code, out, _ = run_cli(capsys, "db", "restore", str(backup))
    assert code == 1 and "[y/N]" in out and "未恢复任何内容" in out
    assert filled.read_bytes() == before
    assert len(list(paths.backup_dir.glob("calldesk-*.db"))) == 1  # no safety copy either


def test_db_restore_round_trip_keeps_every_record(capsys: pytest.CaptureFixture[str],
                                                  paths: AppPaths, filled: Path) -> None:
    before = checksums(filled)
    run_cli(capsys, "db", "backup")
    backup = next(paths.backup_dir.glob("calldesk-*.db"))
    import sqlite3

    with sqlite3.connect(filled) as connection:
        connection.execute("DELETE FROM customer_phones")
    connection.close()
    code, out, err = run_cli(capsys, "db", "restore", str(backup), "--yes")
    assert (code, err) == (0, "") and "恢复前的数据库" in out
    assert checksums(filled) == before
    code, out, _ = run_cli(capsys, "db", "check", "--json")
    assert code == 0 and json.loads(out)["ok"] is True
    safety = [b for b in json.loads(run_cli(capsys, "db", "backups", "--json")[1])["backups"]
              if b["label"] == "restore"]
    assert len(safety) == 1 and safety[0]["records"]["customer_phones"] == 0


def test_db_restore_refuses_a_damaged_backup_before_asking(capsys: pytest.CaptureFixture[str],
                                                           tmp_path: Path, filled: Path) -> None:
    broken = tmp_path / "broken.db"
    broken.write_bytes(b"SQLite format 3\x00" + bytes(4000))
    code, out, err = run_cli(capsys, "db", "restore", str(broken))
    assert code == 1 and out == "" and "已损坏" in err


@pytest.fixture
def server_url(monkeypatch: pytest.MonkeyPatch) -> str:
    url = "postgresql://calldesk:s3cret@db.example.invalid:5432/calldesk"
    monkeypatch.setenv("CALLDESK_DATABASE_URL", url)
    return url


def test_on_postgresql_db_backup_explains_when_pg_dump_is_not_on_the_path(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        tmp_path: Path, server_url: str) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    code, _, err = run_cli(capsys, "db", "backup")
    assert code == 1 and "pg_dump" in err and "PATH" in err
    assert "s3cret" not in err  # the command shown has no password
    code, _, err = run_cli(capsys, "db", "restore", str(tmp_path / "x.dump"), "--yes")
    assert code == 1 and "pg_restore" in err


@pytest.mark.skipif(os.name == "nt", reason="a shell script stands in for pg_dump")
def test_on_postgresql_db_backup_runs_pg_dump_with_the_password_out_of_sight(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        tmp_path: Path, server_url: str) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "pg_dump"
    log = tmp_path / "pg_dump.log"
    fake.write_text(f'#!/bin/sh\necho "$@" > {log}\necho "$PGPASSWORD" >> {log}\n'
                    'for a in "$@"; do case $a in --file=*) echo dump > "${a#--file=}";; esac; '
                    'done\n')
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", str(bin_dir))
    target = tmp_path / "server.dump"
    code, out, err = run_cli(capsys, "db", "backup", "--to", str(target), "--json")
    assert (code, err) == (0, "")
    assert json.loads(out)["path"] == str(target) and target.read_text() == "dump\n"
    arguments, password = log.read_text().splitlines()
    assert "--format=custom" in arguments and f"--file={target}" in arguments
    assert "calldesk@db.example.invalid:5432/calldesk" in arguments
    assert "s3cret" not in arguments and password == "s3cret"
