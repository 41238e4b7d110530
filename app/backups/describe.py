"""A backup in words and figures for people: its size and what it holds."""

from __future__ import annotations

from app.i18n import translate

# The tables a front desk counts its work in, in the order the list shows them.
_MAIN_TABLES = ("customers", "calls", "complaints", "callbacks")


def _labels() -> dict[str, str]:
    return {"customers": translate("Backups", "customers"),
            "calls": translate("Backups", "calls"),
            "complaints": translate("Backups", "complaints"),
            "callbacks": translate("Backups", "callbacks")}


def records_summary(records: dict[str, int]) -> str:
    """"1,204 customers · 35,410 calls · 812 complaints · 640 callbacks"; "-" when unknown."""
    if not records:
        return "-"
    labels = _labels()
    return " · ".join(f"{records.get(table, 0):,} {labels[table]}" for table in _MAIN_TABLES)


def size_text(size: int) -> str:
    for unit, factor in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if size >= factor:
            return f"{size / factor:.1f} {unit}"
    return f"{size} B"


def reason_text(reason: str, label: str | None) -> str:
    """Why the backup was taken, for the list."""
    if label == "restore":
        return translate("Backups", "before a restore (kept)")
    if label:
        return translate("Backups", "before upgrade from {schema} (kept)").format(schema=label)
    return {
        "start": translate("Backups", "at start"),
        "quit": translate("Backups", "on quit"),
        "periodic": translate("Backups", "during the day"),
        "manual": translate("Backups", "by hand"),
        "command line": translate("Backups", "command line"),
    }.get(reason, reason or "-")
