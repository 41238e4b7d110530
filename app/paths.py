"""Where CallDesk keeps its files.

Per user: data (the embedded database, backups), config (local settings, window state) and
logs. On Windows all three live under ``%LOCALAPPDATA%\\CallDesk``. ``--data-dir`` or the
``CALLDESK_HOME`` environment variable put all three under one folder instead (tests, the
demo), and so does a ``portable.txt`` beside the frozen executable: a ``data`` folder beside
it (a USB stick, a per-desk install).

CallDesk's own files (translations, the font, the icon, the migrations) are found through
``bundle_dir()`` alone: the checkout from source, PyInstaller's folder (``sys._MEIPASS``)
when frozen.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from app import APP_NAME

HOME_ENV = "CALLDESK_HOME"
PORTABLE_MARKER = "portable.txt"
PORTABLE_DATA = "data"


@dataclass(frozen=True)
class AppPaths:
    data_dir: Path
    config_dir: Path
    log_dir: Path

    @property
    def database_file(self) -> Path:
        return self.data_dir / "calldesk.db"

    @property
    def backup_dir(self) -> Path:
        return self.data_dir / "backups"

    @property
    def settings_file(self) -> Path:
        return self.config_dir / "settings.json"

    @property
    def window_state_file(self) -> Path:
        return self.config_dir / "window-state.ini"

    @property
    def log_file(self) -> Path:
        return self.log_dir / "calldesk.log"

    def ensure(self) -> AppPaths:
        for folder in (self.data_dir, self.config_dir, self.log_dir):
            folder.mkdir(parents=True, exist_ok=True)
        return self


def is_frozen() -> bool:
    """Whether this is the PyInstaller build (dist/CallDesk/), not Python running sources."""
    return bool(getattr(sys, "frozen", False))


def executable_dir() -> Path | None:
    """The folder of CallDesk.exe in the frozen build; None from source."""
    return Path(sys.executable).resolve().parent if is_frozen() else None


def portable_dir() -> Path | None:
    """``data`` beside the executable when ``portable.txt`` is there (frozen only: from
    source, --data-dir does the same)."""
    folder = executable_dir()
    if folder is not None and (folder / PORTABLE_MARKER).is_file():
        return folder / PORTABLE_DATA
    return None


def resolve_paths(data_dir: str | os.PathLike[str] | None = None) -> AppPaths:
    """The folders to use: an explicit folder, then ``CALLDESK_HOME``, then the portable
    ``data`` folder, then the platform's."""
    root = data_dir or os.environ.get(HOME_ENV) or portable_dir()
    if root:
        base = Path(root).expanduser().resolve()
        return AppPaths(data_dir=base, config_dir=base, log_dir=base / "logs")
    return AppPaths(
        data_dir=Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)),
        config_dir=Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)),
        log_dir=Path(platformdirs.user_log_dir(APP_NAME, appauthor=False)),
    )


def bundle_dir() -> Path:
    """Where CallDesk's own files are: the checkout (the folder of app/ and resources/), or
    in the frozen build the folder PyInstaller unpacked them to (``sys._MEIPASS``)."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root)
    return Path(__file__).resolve().parent.parent


def resources_dir() -> Path:
    """resources/: translations, the bundled font, the icon."""
    return bundle_dir() / "resources"


def resource(*parts: str) -> Path:
    """A file in resources/, e.g. ``resource("fonts", "NotoSansSC-Subset.otf")``."""
    return resources_dir().joinpath(*parts)


def migrations_dir() -> Path:
    """The Alembic migration scripts (shipped as source files: Alembic reads them so)."""
    return bundle_dir() / "app" / "db" / "migrations"
