"""A damaged database at start-up, and a database on a network share."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.bootstrap import open_database
from app.db import default_sqlite_url, location
from app.db.damage import damage as damage_of
from app.errors import DatabaseProblem
from app.paths import AppPaths
from tests.backup_helpers import damage, filled_database


@pytest.mark.parametrize("how", ["truncated", "zeroed", "random bytes"])
def test_a_damaged_file_is_refused_at_start_with_the_way_to_restore_and_kept(
        paths: AppPaths, how: str) -> None:
    filled_database(paths.database_file)
    damaged = damage(paths.database_file, how)
    assert damage_of(paths.database_file) is not None
    with pytest.raises(DatabaseProblem) as caught:
        open_database(default_sqlite_url(paths.database_file), paths)
    assert caught.value.kind == "corrupt"
    assert "备份与恢复" in str(caught.value) and "calldesk db restore" in str(caught.value)
    assert paths.database_file.read_bytes() == damaged  # not touched
    assert sorted(p.name for p in paths.data_dir.glob("calldesk.db*")) == ["calldesk.db"]


def test_a_sound_database_an_empty_file_and_none_are_not_damage(paths: AppPaths,
                                                                tmp_path: Path) -> None:
    assert damage_of(filled_database(paths.database_file)) is None
    empty = tmp_path / "empty.db"
    empty.touch()
    assert damage_of(empty) is None and damage_of(tmp_path / "none.db") is None


@pytest.mark.parametrize("path", [
    r"\\server\share\CallDesk\calldesk.db",
    "//server/share/calldesk.db",
    r"\\?\UNC\server\share\calldesk.db",
    r"\\192.168.1.10\前台\calldesk.db",
])
def test_a_unc_path_is_a_network_share(path: str) -> None:
    assert location.is_unc(path) and location.on_network(path, lambda root: None)


@pytest.mark.parametrize("path", [
    r"C:\Users\前台\AppData\Local\CallDesk\calldesk.db",
    r"\\?\C:\CallDesk\calldesk.db",
    "/home/desk/.local/share/CallDesk/calldesk.db",
    "calldesk.db",
])
def test_a_local_path_is_not(path: str) -> None:
    assert not location.on_network(path, lambda root: 3)  # DRIVE_FIXED


def test_a_mapped_network_drive_is_told_by_its_drive_type() -> None:
    asked: list[str] = []

    def drive_type(root: str) -> int:
        asked.append(root)
        return location.DRIVE_REMOTE if root == "Z:\\" else 3

    assert location.on_network(r"Z:\CallDesk\calldesk.db", drive_type)
    assert not location.on_network(r"D:\CallDesk\calldesk.db", drive_type)
    assert asked == ["Z:\\", "D:\\"]


def test_a_database_on_a_share_is_refused_pointing_to_the_shared_server(
        paths: AppPaths) -> None:
    with pytest.raises(DatabaseProblem) as caught:
        open_database(default_sqlite_url(Path(r"\\server\share\calldesk.db")), paths)
    assert caught.value.kind == "network"
    assert "PostgreSQL" in str(caught.value) and "工具 → 设置 → 本机" in str(caught.value)
    assert not list(Path.cwd().glob("*server*share*"))  # nothing created


def test_a_file_shorter_than_its_header_with_a_wal_beside_it_is_left_to_sqlite(
        paths: AppPaths) -> None:
    """After a power cut mid-checkpoint SQLite recovers from the -wal: not damage."""
    filled_database(paths.database_file)
    damage(paths.database_file, "truncated")
    assert damage_of(paths.database_file) is not None
    (paths.data_dir / "calldesk.db-wal").write_bytes(b"\x37\x7f\x06\x82" + bytes(28))
    assert damage_of(paths.database_file) is None
