"""The softphone hook's fast path: ``calldesk incoming-call PHONE`` hands the number to the
running CallDesk with Qt's local socket alone and returns.

A softphone runs the hook on every ring, and the caller's card should be up before the
second ring: importing the whole command line (SQLAlchemy, Alembic, the services) costs
about half a second before a byte is sent. Here only app.paths and QtNetwork are imported.
Anything this path does not handle — no CallDesk running (the command line then starts it
or logs the missed call), --database, --lang, --help, a command line it does not know — is
left to the full command line (``app.cli``), which does the same thing and says what is
wrong.
"""

from __future__ import annotations

from collections.abc import Sequence


def parse(argv: Sequence[str]) -> tuple[str, bool, bool, str | None] | None:
    """``incoming-call PHONE [--missed] [--demo] [--data-dir DIR]`` → (phone, missed, demo,
    data_dir); None for anything else."""
    if not argv or argv[0] != "incoming-call":
        return None
    phone, missed, demo, data_dir = None, False, False, None
    rest = iter(argv[1:])
    for word in rest:
        if word == "--missed":
            missed = True
        elif word == "--demo":
            demo = True
        elif word == "--data-dir":
            data_dir = next(rest, None)
            if not data_dir:
                return None
        elif word.startswith("--data-dir="):
            data_dir = word.split("=", 1)[1]
        elif word.startswith("-") and not word[1:2].isdigit() or phone is not None:
            return None  # an option for the full command line, or a second number
        else:
            phone = word
    if phone is None or not phone.strip():
        return None
    return phone, missed, demo, data_dir


def handover(argv: Sequence[str]) -> int | None:
    """0 when the running CallDesk (or demo window) took the call; None to go on with the
    full command line."""
    parsed = parse(argv)
    if parsed is None:
        return None
    phone, missed, demo, data_dir = parsed
    from app.paths import resolve_paths
    from ui.single_instance import send

    if send(resolve_paths(data_dir), {"incoming_call": phone, "missed": missed}, demo=demo):
        return 0
    return None
