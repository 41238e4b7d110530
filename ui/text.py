"""Formatting values for display."""

from __future__ import annotations

from datetime import datetime


def local_time(value: datetime | None, with_seconds: bool = False) -> str:
    """A stored UTC time as the PC's local time, the way people write it."""
    if value is None:
        return ""
    return value.astimezone().strftime("%Y-%m-%d %H:%M:%S" if with_seconds else "%Y-%m-%d %H:%M")
