"""How long the free texts of a record may be, and when a form starts showing the count.

The services refuse a longer text; the forms show a counter near the limit and refuse
before saving, both from these numbers."""

from __future__ import annotations

LONG_TEXT_MAX = 4000  # a complaint: what happened, the demand, the resolution, the measures
NOTE_MAX = 2000  # a call's summary, a callback's comment or note, a card's notes


def search_text(text: str) -> str:
    """What was typed into a search box, safe to match on: control characters (a NUL
    pasted from somewhere, a tab) never reach the database, where PostgreSQL refuses a NUL
    and SQLite's LIKE ends the pattern at it and matches every row. Tabs and line breaks
    become spaces; the result is trimmed."""
    return "".join(ch if ch.isprintable() else " " if ch.isspace() else ""
                   for ch in text).strip()


def counter_from(limit: int) -> int:
    """The length from which a form shows "3712 / 4000": nine tenths of the limit."""
    return limit * 9 // 10
