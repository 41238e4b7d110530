"""Database errors of the environment, told apart from bugs (as qutebrowser does).

A locked, full, read-only, corrupt or unreachable database is something the user or the
administrator can act on, so it gets a plain message; any other database error is a bug and
goes to the error dialog with the log.
"""

from __future__ import annotations

import re

from sqlalchemy.exc import DBAPIError

from app.errors import DatabaseProblem
from app.i18n import translate

# (kind, substrings of the driver's message); the first match wins.
_SQLITE_SIGNS = (
    ("locked", ("database is locked", "database table is locked")),
    ("full", ("database or disk is full", "disk is full")),
    ("read_only", ("readonly database", "read-only", "attempt to write a readonly")),
    ("corrupt", ("malformed", "file is not a database", "file is encrypted")),
    ("unavailable", ("unable to open database file", "disk i/o error")),
)
_SERVER_SIGNS = (
    # The specific ones first: psycopg wraps them all in "connection to server … failed".
    ("missing", (re.compile(r'database "[^"]*" does not exist'),)),
    ("auth", ("password authentication failed", "no password supplied",
              re.compile(r'role "[^"]*" does not exist'))),
    ("full", ("no space left on device", "could not extend file")),
    ("read_only", ("read-only transaction",)),
    ("unavailable", ("connection refused", "could not connect", "connection timeout",
                     "server closed the connection", "no route to host",
                     "could not translate host name", "connection to server")),
)


def _messages() -> dict[str, str]:
    return {
        "locked": translate(
            "DatabaseProblem",
            "The database is busy with another front desk's work. Wait a moment and try again; "
            "nothing you entered was lost.",
        ),
        "full": translate(
            "DatabaseProblem",
            "The disk holding the database is full, so nothing could be saved. Free some space "
            "(or ask IT to), then try again.",
        ),
        "read_only": translate(
            "DatabaseProblem",
            "The database can only be read, not written (a read-only folder, file or account). "
            "Ask IT to give CallDesk write access to its data folder.",
        ),
        "corrupt": translate(
            "DatabaseProblem",
            "The database file is damaged. Close CallDesk and start it again: it offers to "
            "restore the latest good backup and keeps the damaged file. An administrator can "
            "also restore a backup in Tools → Backup and restore, or with: calldesk db "
            "restore FILE.",
        ),
        "unavailable": translate(
            "DatabaseProblem",
            "The database cannot be reached. Check the network cable or the database server, "
            "then try again.",
        ),
        "missing": translate(
            "DatabaseProblem",
            "The database named in the database address does not exist on the server. Ask the "
            "administrator to create it or to correct the address.",
        ),
        "auth": translate(
            "DatabaseProblem",
            "The database server refused the user name or password in the database address. "
            "Ask the administrator to check the database settings.",
        ),
    }


def problem_message(kind: str) -> str:
    return _messages()[kind]


def problem_from(error: DBAPIError) -> DatabaseProblem | None:
    """The environment problem behind ``error``, or ``None`` when it is a bug."""
    text = str(error.orig if error.orig is not None else error).lower()
    from_sqlite = type(error.orig).__module__.startswith("sqlite3")
    signs = _SQLITE_SIGNS if from_sqlite else _SERVER_SIGNS
    for kind, needles in signs:
        if any(needle.search(text) if isinstance(needle, re.Pattern) else needle in text
               for needle in needles):
            return DatabaseProblem(kind, problem_message(kind))
    return None
