"""Long jobs (exports, imports) are generators: they yield progress ``(done, total, what)``
and return their result. The UI drives them off its thread with progress and cancel
(ui/operations.py); the command line and tests just want the result."""

from __future__ import annotations

from collections.abc import Generator
from typing import Any, TypeVar

Result = TypeVar("Result")


def finish(job: Generator[Any, None, Result]) -> Result:
    """Runs ``job`` to its end, ignoring its progress, and returns what it returns."""
    while True:
        try:
            next(job)
        except StopIteration as stop:
            return stop.value
