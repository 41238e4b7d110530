"""Errors the services raise for people, not for programmers.

Every message is already translated and says what happened and what to do. The UI shows
``str(error)``; the command line prints it on one line. Anything that is not a
``CallDeskError`` is a bug and goes to the error dialog and the log.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

# A field "message" that is a programmer's code word ("required", "too long", "past")
# rather than a sentence: never shown, the error's own sentence is shown instead.
_CODE_WORD = re.compile(r"[a-z_ ]*")


class CallDeskError(Exception):
    """Base of every error whose message is meant for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class ValidationError(CallDeskError):
    """Input that cannot be saved. ``fields`` maps a field name to its own message, or names
    the fields ``message`` is about (shown under each of them).

    Every message under a field is a sentence for the user: a code word given by mistake is
    replaced by ``message`` here, at the source, so no form can ever show it."""

    def __init__(self, message: str,
                 fields: Mapping[str, str] | Iterable[str] | None = None) -> None:
        super().__init__(message)
        if fields is None:
            fields = {}
        elif not isinstance(fields, Mapping):
            fields = dict.fromkeys(fields, message)
        self.fields = {field: message if _CODE_WORD.fullmatch(text.strip()) else text
                       for field, text in fields.items()}


class PermissionDenied(CallDeskError):
    pass


class NotFound(CallDeskError):
    pass


class AuthenticationError(CallDeskError):
    pass


class DatabaseProblem(CallDeskError):
    """The database cannot be used because of the environment (locked, full, read-only,
    corrupt, unreachable, newer than this program), not because of a bug.

    ``kind`` is a short stable code for tests and logs.
    """

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind
