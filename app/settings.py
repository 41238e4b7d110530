"""Every setting CallDesk has, declared once with its type and default.

Two scopes, as in Picard's ``options.py``:

* local: belongs to this PC (language, which database to open). Kept in
  ``settings.json`` in the user's config folder.
* shared: belongs to the service centre (its name, the scripts operators read). Kept in
  the database so every front desk sees the same; only an admin changes them
  (``app.services.settings.SharedSettingsService``).

Window geometry is not a setting: the UI keeps it apart in ``window-state.ini``.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.i18n import DEFAULT_LANGUAGE, LANGUAGES

log = logging.getLogger(__name__)

LOCAL = "local"
SHARED = "shared"


@dataclass(frozen=True)
class Option:
    key: str
    scope: str
    type: type
    default: Any
    choices: tuple[Any, ...] | None = None
    max_length: int | None = None

    def coerce(self, value: Any) -> Any:
        """The value as this option's type, or the default when it cannot be one."""
        if value is None:
            return self.default
        if not isinstance(value, self.type):
            try:
                value = self.type(value)
            except (TypeError, ValueError):
                return self.default
        if self.choices is not None and value not in self.choices:
            return self.default
        return value


OPTIONS: dict[str, Option] = {}


def _declare(option: Option) -> Option:
    if option.key in OPTIONS:
        raise ValueError(f"option {option.key} declared twice")
    OPTIONS[option.key] = option
    return option


# -- local (this PC) ---------------------------------------------------------------------
LANGUAGE = _declare(Option("language", LOCAL, str, DEFAULT_LANGUAGE, choices=LANGUAGES))
# Empty means the embedded SQLite database in the data folder.
DATABASE_URL = _declare(Option("database_url", LOCAL, str, ""))
# A second folder every backup is copied to (a USB drive, another PC's share); empty: none.
BACKUP_SECOND_LOCATION = _declare(Option("backup_second_location", LOCAL, str, ""))

# -- shared (the service centre, in the database) -----------------------------------------
CENTRE_NAME = _declare(Option("centre_name", SHARED, str, "", max_length=60))
# The scripts are what the operator says to the caller, so they are content in the
# callers' language, not UI text; {centre} is replaced by the centre's name, and in the
# callback script {name} by how the customer is addressed (王女士), {complaint} by what they
# complained about and {date} by the day they did.
SCRIPT_GREETING = _declare(
    Option(
        "script_greeting",
        SHARED,
        str,
        "您好，这里是{centre}，请问有什么可以帮您？",
        max_length=500,
    )
)
SCRIPT_CLOSING = _declare(
    Option(
        "script_closing",
        SHARED,
        str,
        "感谢您的来电，我们会尽快处理。祝您生活愉快，再见！",
        max_length=500,
    )
)
SCRIPT_CALLBACK = _declare(
    Option(
        "script_callback",
        SHARED,
        str,
        "{name}您好，这里是{centre}。您{date}反映的“{complaint}”已经处理完毕，"
        "想了解一下您对处理结果是否满意？",
        max_length=500,
    )
)


class LocalSettings:
    """The local options, read from and written to one JSON file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._values: dict[str, Any] = {}
        self.load()

    def load(self) -> None:
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
            self._values = raw if isinstance(raw, dict) else {}
        except FileNotFoundError:
            self._values = {}
        except (OSError, ValueError) as error:
            # A damaged settings file must not stop the front desk; defaults are safe.
            log.warning("ignoring unreadable settings file %s: %s", self.path, error)
            self._values = {}

    def get(self, option: Option) -> Any:
        assert option.scope == LOCAL, option.key
        return option.coerce(self._values.get(option.key))

    def set(self, option: Option, value: Any) -> None:
        assert option.scope == LOCAL, option.key
        self._values[option.key] = option.coerce(value)

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self._values, ensure_ascii=False, indent=2), encoding="utf-8")
        os.replace(tmp, self.path)  # never leave a half-written settings file
SCRIPT_MISSED_CALL = _declare(
    Option(
        "script_missed_call",
        SHARED,
        str,
        "{name}您好，这里是{centre}，刚才没能接到您的来电，请问有什么可以帮您？",
        max_length=500,
    )
)

# The text message (短信/微信) the desk sends a caller after registering a complaint, for
# desks that send one: empty means none is offered. {centre}, {name}, {number} and
# {due} (the resolution deadline) are filled in; like the scripts, it is in the
# callers' language.
NOTICE_COMPLAINT = _declare(Option("notice_complaint", SHARED, str, "", max_length=300))
# What the settings dialog offers as an example of that message.
NOTICE_COMPLAINT_EXAMPLE = ("【{centre}】{name}您好，您反映的问题已登记，单号{number}，"
                            "我们将在{due}前处理并回复您。")

# When the desk's shifts change (交接班), local "HH:MM" times in the day's order: each shift
# runs from one to the next, the last to the first of the next day.
SHIFT_CHANGES = _declare(Option("shift_changes", SHARED, str, "08:00,16:00", max_length=60))

# Business hours for deadlines counted in working time (处理时限), "HH:MM" local time.
WORKDAY_START = _declare(Option("workday_start", SHARED, str, "08:30", max_length=5))
WORKDAY_END = _declare(Option("workday_end", SHARED, str, "17:30", max_length=5))

# Callbacks (回访): how soon after a complaint is resolved, by severity, in working minutes;
# how many tries before it counts as failed (回访失败), and how far apart.
CALLBACK_DUE_URGENT = _declare(Option("callback_due_urgent", SHARED, int, 240))
CALLBACK_DUE_SERIOUS = _declare(Option("callback_due_serious", SHARED, int, 540))
CALLBACK_DUE_NORMAL = _declare(Option("callback_due_normal", SHARED, int, 1080))
CALLBACK_MAX_ATTEMPTS = _declare(Option("callback_max_attempts", SHARED, int, 3))
CALLBACK_RETRY_MINUTES = _declare(Option("callback_retry_minutes", SHARED, int, 120))
# A missed call is called back (回拨) within this many working minutes of ringing.
CALLBACK_DUE_MISSED = _declare(Option("callback_due_missed", SHARED, int, 30))

# The softphone this PC dials with, {number} replaced by the number to call, e.g.
# "C:\Program Files\MicroSIP\microsip.exe" {number}. Empty: the number is copied instead.
SOFTPHONE_COMMAND = _declare(Option("softphone_command", LOCAL, str, ""))
