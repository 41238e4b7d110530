"""Telling a damaged SQLite file at start-up, before anything reads or writes it.

Cheap checks of the file's 100-byte header against its size: the magic string (a zeroed
file or random bytes fail it), a valid page size, a size that is whole pages, and no fewer
pages than the header counts (a truncated copy). Anything subtler is found by SQLite itself
("database disk image is malformed") and classified in ``app.db.problems``.
"""

from __future__ import annotations

import logging
from pathlib import Path

from app.db.problems import problem_message
from app.errors import DatabaseProblem

MAGIC = b"SQLite format 3\x00"
HEADER_SIZE = 100

log = logging.getLogger(__name__)


def damage(path: Path) -> str | None:
    """What is wrong with the database file at ``path``; None when it looks sound, is empty
    or is not there (neither is damage)."""
    try:
        size = path.stat().st_size
        if size == 0:
            return None
        with path.open("rb") as file:
            header = file.read(HEADER_SIZE)
    except FileNotFoundError:
        return None
    if not header.startswith(MAGIC):
        return "not a SQLite database (no SQLite header)"
    if len(header) < HEADER_SIZE:
        return f"truncated ({size} bytes)"
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    if page_size < 512 or page_size & (page_size - 1):
        return f"invalid page size {page_size}"
    if _has_wal(path):
        # A checkpoint cut short (a power cut) can leave the file shorter than its header
        # says; SQLite recovers it from the -wal on opening. Not damage.
        return None
    if size % page_size:
        return f"truncated ({size} bytes is not whole pages of {page_size})"
    pages = int.from_bytes(header[28:32], "big")
    counter, valid_for = header[24:28], header[92:96]
    if counter == valid_for and size < pages * page_size:
        return f"truncated ({size // page_size} of {pages} pages)"
    return None


def _has_wal(path: Path) -> bool:
    wal = path.with_name(path.name + "-wal")
    try:
        return wal.stat().st_size > 0
    except FileNotFoundError:
        return False


def check_sound(path: Path) -> None:
    """Refuses a damaged database file with the message that leads to the restore."""
    found = damage(path)
    if found is not None:
        log.warning("the database %s is damaged: %s", path, found)
        raise DatabaseProblem("corrupt", problem_message("corrupt"))
