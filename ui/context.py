from __future__ import annotations

from dataclasses import dataclass

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
