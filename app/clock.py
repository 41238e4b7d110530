"""The one place the services read the time, so tests can move it."""

from __future__ import annotations

from datetime import UTC, datetime


def utcnow() -> datetime:
    """Now, timezone-aware in UTC. CallDesk stores every timestamp in UTC and shows local time."""
    return datetime.now(UTC)
