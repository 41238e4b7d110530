"""The one place the services read the time, so tests can move it and the demo can replay
months of history through the real services."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

_fixed: datetime | None = None
_shift = timedelta(0)


def utcnow() -> datetime:
    """Now, timezone-aware in UTC. CallDesk stores every timestamp in UTC and shows local time."""
    return _fixed if _fixed is not None else datetime.now(UTC) + _shift


@contextmanager
def at(moment: datetime) -> Iterator[None]:
    """Services see ``moment`` as now: the demo registers last month's complaints last
    month. Not for the running app."""
    global _fixed
    previous, _fixed = _fixed, moment.astimezone(UTC)
    try:
        yield
    finally:
        _fixed = previous


@contextmanager
def running_from(moment: datetime) -> Iterator[None]:
    """The clock goes on ticking, but from ``moment``: tests of what is due today see the same
    working morning whatever hour they run at. Not for the running app."""
    global _shift
    previous, _shift = _shift, moment.astimezone(UTC) - datetime.now(UTC)
    try:
        yield
    finally:
        _shift = previous
