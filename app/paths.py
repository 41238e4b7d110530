"""Where CallDesk keeps its files.

Per user: data (the embedded database, backups), config (local settings, window state) and
logs. On Windows all three live under ``%LOCALAPPDATA%\\CallDesk``. ``--data-dir`` or the
``CALLDESK_HOME`` environment variable put all three under one folder instead (portable
installs, tests, the demo).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from app import APP_NAME

HOME_ENV = "CALLDESK_HOME"


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


def resolve_paths(data_dir: str | os.PathLike[str] | None = None) -> AppPaths:
    """The folders to use: an explicit folder, then ``CALLDESK_HOME``, then the platform's."""
    root = data_dir or os.environ.get(HOME_ENV)
    if root:
        base = Path(root).expanduser().resolve()
        return AppPaths(data_dir=base, config_dir=base, log_dir=base / "logs")
    return AppPaths(
        data_dir=Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)),
        config_dir=Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)),
        log_dir=Path(platformdirs.user_log_dir(APP_NAME, appauthor=False)),
    )


def resources_dir() -> Path:
    """The project's resources/ folder (beside app/ in a checkout, bundled in a frozen build)."""
    import sys

    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"
