from __future__ import annotations

from dataclasses import dataclass

from app.backups.service import BackupService
from app.paths import AppPaths
from app.services import Services
from app.settings import LocalSettings


@dataclass
class UiContext:
    """What every window needs: the folders, this PC's settings and the services."""

    paths: AppPaths
    local: LocalSettings
    services: Services
    demo: bool = False
    backups: BackupService | None = None  # the embedded database's; None on a server, demo
