"""Where an embedded database may live: on this PC's own disks, never on a network share.

SQLite's locking does not hold over SMB or NFS, so two PCs (or one PC and a flaky network)
corrupt the file. A database path that is a UNC path (``\\\\server\\share\\…``) or on a
network drive (Windows' ``GetDriveTypeW`` says DRIVE_REMOTE) is refused, pointing to the
shared-server set-up, where every desk talks to one PostgreSQL server.
"""

from __future__ import annotations

import sys
from pathlib import PureWindowsPath

from app.errors import DatabaseProblem
from app.i18n import translate

DRIVE_REMOTE = 4  # GetDriveTypeW


def is_unc(path: str) -> bool:
    """``\\\\server\\share\\…`` or ``//server/share/…``, also in the ``\\\\?\\UNC\\`` form;
    not the ``\\\\?\\C:\\`` and ``\\\\.\\`` forms of a local path."""
    text = path.replace("/", "\\")
    if text.upper().startswith("\\\\?\\UNC\\"):
        return True
    if text.startswith(("\\\\?\\", "\\\\.\\")):
        return False
    return text.startswith("\\\\") and bool(PureWindowsPath(text).drive)


def _drive_type(root: str) -> int | None:
    if sys.platform != "win32":
        return None
    import ctypes

    return int(ctypes.windll.kernel32.GetDriveTypeW(root))  # type: ignore[attr-defined]


def on_network(path: str, drive_type=_drive_type) -> bool:  # noqa: ANN001
    """Whether ``path`` is on a network share: a UNC path, or a drive letter Windows maps to
    one (``drive_type`` tells, given ``"X:\\\\"``; None where there are no drive letters)."""
    if is_unc(path):
        return True
    drive = PureWindowsPath(path).drive
    if len(drive) == 2 and drive[1] == ":":
        return drive_type(drive + "\\") == DRIVE_REMOTE
    return False


def network_database_problem(path: str) -> DatabaseProblem:
    return DatabaseProblem("network", translate(
        "DatabaseProblem",
        "The database {path} is on a network share. CallDesk's embedded database must be on "
        "this PC's own disk: over a network, SQLite files get damaged. To share one database "
        "between several front desks, set up a PostgreSQL server and enter its address in "
        "Tools → Settings → This PC (see README: Several front desks, one database). Nothing "
        "was opened or changed.").format(path=path))


def check_local(path: str, drive_type=_drive_type) -> None:  # noqa: ANN001
    """Refuses a database path on a network share."""
    if on_network(path, drive_type):
        raise network_database_problem(path)
