"""Rotation of the regular backups over a simulated year, and when a backup is due."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from app.backups.rotation import Policy, to_keep
from app.backups.service import is_due

TZ = datetime(2026, 1, 1).astimezone().tzinfo


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), TZ)


def test_over_a_simulated_year_of_365_days_7_daily_4_weekly_12_monthly_are_kept() -> None:
    rng = random.Random(2026)
    kept: set[datetime] = set()
    first = date(2026, 1, 1)
    desk_days = []
    for offset in range(365):
        day = first + timedelta(days=offset)
        if rng.random() < 0.15:  # the desk was not opened that day
            continue
        desk_days.append(day)
        # At the first start, every four hours, and on quit.
        for moment in (_at(day, 8, 30), _at(day, 12, 30), _at(day, 16, 30), _at(day, 17, 45)):
            kept.add(moment)
            kept = to_keep(kept, moment)
            assert max(kept) == moment  # the newest is always kept
        assert len(kept) <= 7 + 4 + 12 + 4
    end = _at(desk_days[-1], 17, 45)
    days = {moment.date() for moment in kept}
    weeks = {moment.isocalendar()[:2] for moment in kept}
    months = {(moment.year, moment.month) for moment in kept}
    assert set(desk_days[-7:]) <= days  # the last 7 days the desk was open
    assert len(weeks) >= 4 and {d.isocalendar()[:2] for d in desk_days[-7:]} <= weeks
    assert months == {(2026, month) for month in range(1, 13)}  # one for each of 12 months
    assert min(kept) < end - timedelta(days=330)
    # The last day's four are all kept (within 24 hours); 7 + 4 + 12 at most besides.
    assert {m for m in kept if m.date() == end.date()} == {
        _at(end.date(), h, m) for h, m in ((8, 30), (12, 30), (16, 30), (17, 45))}
    assert len(kept) <= 7 + 4 + 12 + 3
    # Keeping is stable: rotating again the same evening removes nothing more.
    assert to_keep(kept, end) == kept


def test_a_desk_switched_off_for_a_month_keeps_its_last_7_daily_backups() -> None:
    taken = [_at(date(2026, 3, 1) + timedelta(days=n), 9) for n in range(20)]
    kept = to_keep(taken, _at(date(2026, 5, 1), 9))
    assert set(taken[-7:]) <= kept


def test_backups_of_the_last_24_hours_are_all_kept() -> None:
    now = _at(date(2026, 6, 10), 18)
    taken = [now - timedelta(hours=hours) for hours in range(0, 30, 3)]
    kept = to_keep(taken, now, Policy(daily=1, weekly=0, monthly=0))
    assert kept == {moment for moment in taken if now - moment < timedelta(hours=24)}


def test_a_backup_is_due_at_the_first_start_of_the_day_and_every_4_hours() -> None:
    morning = _at(date(2026, 6, 10), 8)
    assert is_due(None, morning)
    assert is_due(_at(date(2026, 6, 9), 23), morning)  # yesterday's does not count for today
    assert not is_due(_at(date(2026, 6, 10), 7), morning)
    assert not is_due(morning, morning + timedelta(hours=3, minutes=59))
    assert is_due(morning, morning + timedelta(hours=4))
