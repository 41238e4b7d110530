"""CallDesk's own files and the user's folders, from source and as the frozen build sees them.

The frozen build (dist/CallDesk/, PyInstaller) is simulated here the way PyInstaller's
bootloader sets it up: ``sys.frozen``, ``sys._MEIPASS`` (the folder the bundled files are
in) and ``sys.executable`` (CallDesk.exe). tests/test_frozen_build.py builds the real one.
"""

from __future__ import annotations

import json
import re
import shutil
import sys
from pathlib import Path

import pytest

from app import cli, i18n, paths
from app.bootstrap import database_url, open_database
from app.db import migrate
from app.logging_setup import configure_logging
from app.settings import LANGUAGE, LocalSettings

ROOT = Path(__file__).resolve().parent.parent
CHINESE_FOLDER = ("张 三", "数据")  # a Windows user folder such as C:\Users\张 三\


@pytest.fixture
def frozen(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A simulated frozen CallDesk in ``tmp_path/张 三/CallDesk``: its bundled files (a
    copy of resources/ and the migrations) in ``_internal``; returns the executable's
    folder."""
    folder = tmp_path / "张 三" / "CallDesk"
    bundled = folder / "_internal"
    shutil.copytree(ROOT / "resources", bundled / "resources")
    shutil.copytree(ROOT / "app" / "db" / "migrations", bundled / "app" / "db" / "migrations",
                    ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(bundled), raising=False)
    monkeypatch.setattr(sys, "executable", str(folder / "CallDesk.exe"))
    monkeypatch.delenv(paths.HOME_ENV, raising=False)
    migrate.revisions.cache_clear()
    i18n._catalog.cache_clear()
    yield folder
    migrate.revisions.cache_clear()
    i18n._catalog.cache_clear()


def test_from_source_the_files_are_in_the_checkout() -> None:
    assert not paths.is_frozen()
    assert paths.bundle_dir() == ROOT
    assert paths.resource("fonts", "NotoSansSC-Subset.otf").is_file()
    assert paths.resource("translations", "calldesk_zh_CN.qm").is_file()
    assert (paths.migrations_dir() / "env.py").is_file()
    assert paths.executable_dir() is None and paths.portable_dir() is None


def test_frozen_the_files_are_in_the_bundle(frozen: Path) -> None:
    bundled = frozen / "_internal"
    assert paths.is_frozen()
    assert paths.bundle_dir() == bundled
    assert paths.resources_dir() == bundled / "resources"
    assert paths.migrations_dir() == bundled / "app" / "db" / "migrations"
    assert paths.executable_dir() == frozen


def test_frozen_translations_and_migrations_come_from_the_bundle(
        frozen: Path, tmp_path: Path) -> None:
    # Only the bundle's copy says this: the checkout's .ts is not read.
    ts = frozen / "_internal" / "resources" / "translations" / "calldesk_zh_CN.ts"
    ts.write_text(re.sub(r"<translation>([^<])", r"<translation>打包版：\1",
                         ts.read_text(encoding="utf-8"), count=1), encoding="utf-8")
    source = next(m for m in _messages(ts) if m[1].startswith("打包版："))
    i18n.set_language("zh_CN")
    assert i18n.translate(*source[0]) == source[1]

    # A migration only the bundle has is the head the frozen program knows.
    versions = frozen / "_internal" / "app" / "db" / "migrations" / "versions"
    head = migrate.head_revision()
    (versions / "9999_bundle_only.py").write_text(
        f'revision = "9999"\ndown_revision = "{head}"\n\n\n'
        "def upgrade() -> None:\n    pass\n\n\ndef downgrade() -> None:\n    pass\n",
        encoding="utf-8")
    migrate.revisions.cache_clear()
    assert migrate.head_revision() == "9999"
    data = paths.resolve_paths(tmp_path / "data").ensure()
    opened = open_database(database_url(data), data)
    try:
        assert migrate.schema_state(opened.db).current == "9999"
    finally:
        opened.db.dispose()


def _messages(ts: Path) -> list[tuple[tuple[str, str], str]]:
    import xml.etree.ElementTree as ET

    found = []
    for context in ET.parse(ts).getroot().iter("context"):
        for message in context.iter("message"):
            translation = message.find("translation")
            if translation is not None and translation.text:
                found.append(((context.findtext("name", ""), message.findtext("source", "")),
                              translation.text))
    return found


def test_qt_translations_load_from_the_bundle(frozen: Path, qapp) -> None:  # noqa: ANN001
    """The frozen build ships qtbase_zh_CN in resources/translations beside ours (and not in
    PySide6's folder); ui.translations finds both there."""
    from PySide6.QtCore import QLibraryInfo

    from ui import translations

    qt_dir = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))
    shutil.copy(qt_dir / "qtbase_zh_CN.qm",
                frozen / "_internal" / "resources" / "translations" / "qtbase_zh_CN.qm")
    installed = translations.install(qapp, "zh_CN")
    try:
        assert len(installed) == 2
        assert Path(installed[0].filePath()).parent == paths.resource("translations")
        assert installed[0].filePath().endswith("qtbase_zh_CN.qm")
        assert Path(installed[1].filePath()).parent == paths.resource("translations")
    finally:
        for translator in installed:
            qapp.removeTranslator(translator)


def test_without_portable_txt_the_frozen_build_uses_the_users_folders(frozen: Path) -> None:
    assert paths.portable_dir() is None
    assert not str(paths.resolve_paths().data_dir).startswith(str(frozen))


def test_portable_txt_keeps_everything_in_data_beside_the_executable(frozen: Path) -> None:
    (frozen / paths.PORTABLE_MARKER).write_text("", encoding="utf-8")
    data = frozen / "data"
    found = paths.resolve_paths()
    assert found == paths.AppPaths(data_dir=data, config_dir=data, log_dir=data / "logs")
    assert found.backup_dir == data / "backups"
    # --data-dir still wins over portable.txt.
    assert paths.resolve_paths(frozen / "elsewhere").data_dir == frozen / "elsewhere"


def test_portable_from_source_does_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                           ) -> None:
    """Only the frozen build has an executable of its own; from source portable.txt beside
    python is not ours to read."""
    monkeypatch.setattr(sys, "executable", str(tmp_path / "python"))
    (tmp_path / paths.PORTABLE_MARKER).write_text("", encoding="utf-8")
    assert paths.portable_dir() is None


def test_a_portable_install_in_a_chinese_folder_with_spaces_works(frozen: Path) -> None:
    """Database, settings, log and a backup, all in ``张 三/CallDesk/data``."""
    (frozen / paths.PORTABLE_MARKER).write_text("", encoding="utf-8")
    found = paths.resolve_paths().ensure()
    opened = open_database(database_url(found), found)
    try:
        assert migrate.schema_state(opened.db).status == migrate.CURRENT
    finally:
        opened.db.dispose()
    assert found.database_file == frozen / "data" / "calldesk.db"
    assert found.database_file.is_file()
    settings = LocalSettings(found.settings_file)
    settings.set(LANGUAGE, "en")
    settings.save()
    assert LocalSettings(found.settings_file).get(LANGUAGE) == "en"
    configure_logging(found.log_file)
    import logging

    logging.getLogger("calldesk.test").warning("portable 张三")
    for handler in logging.getLogger().handlers:
        handler.flush()
    assert "portable 张三" in found.log_file.read_text(encoding="utf-8")
    backup = migrate.backup_sqlite(found.database_file, found.backup_dir, "test")
    assert backup.parent == frozen / "data" / "backups" and backup.is_file()


def test_a_data_folder_with_chinese_and_spaces_from_source(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path.joinpath(*CHINESE_FOLDER)
    assert cli.main(["db", "upgrade", "--data-dir", str(data), "--json"]) == 0
    capsys.readouterr()
    assert cli.main(["db", "info", "--data-dir", str(data), "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["status"] == "current"
    assert "张 三" in json.dumps(info, ensure_ascii=False)
    assert (data / "calldesk.db").is_file()
