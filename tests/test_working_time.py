"""Working-time deadlines: business hours on China's working days, holidays and 调休 included.

Every expected value is worked out by hand in a comment. Calendar facts used (checked against
chinesecalendar 1.11.0, and asserted in ``test_the_library_facts_these_tests_rely_on``):
2026 National Day is Oct 1–7 off (Thu–Wed), Oct 8 (Thu) is an ordinary working day, Sat Oct 10
and Sun Sep 20 are make-up working days (调休); Oct 12–16 is a plain Mon–Fri week.
Asia/Shanghai is UTC+8 all year (no DST).
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from app.domain.working_time import (
    BusinessHours,
    Holiday,
    HolidayBlock,
    WorkingCalendar,
    YearStatus,
    national_year,
    statutory_schedule,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")


def sh(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
       ) -> datetime:
    """A wall-clock time in Shanghai, the way the front desk reads it."""
    return datetime(year, month, day, hour, minute, second, tzinfo=SHANGHAI)


@pytest.fixture
def cal() -> WorkingCalendar:
    """Default hours 08:30–17:30 (540 minutes a day), Shanghai time."""
    return WorkingCalendar(tz=SHANGHAI)


def test_the_library_facts_these_tests_rely_on(cal: WorkingCalendar) -> None:
    assert cal.is_workday(date(2026, 9, 30))  # Wed before the holiday
    for day in range(1, 8):  # Oct 1–7: National Day
        assert not cal.is_workday(date(2026, 10, day))
    assert cal.is_workday(date(2026, 10, 8))  # Thu: back to work (not a holiday)
    assert cal.is_workday(date(2026, 10, 10))  # Sat: 调休 make-up day
    assert not cal.is_workday(date(2026, 10, 11))  # Sun: ordinary weekend
    assert cal.is_workday(date(2026, 9, 20))  # Sun: 调休 make-up day
    assert [cal.is_workday(date(2026, 10, d)) for d in range(12, 19)] == [
        True, True, True, True, True, False, False]  # Mon–Fri work, Sat/Sun off


# --- add: the basic shapes ----------------------------------------------------------------


def test_within_one_day(cal: WorkingCalendar) -> None:
    # Tue 09:00 + 120 min = Tue 11:00 Shanghai = 03:00 UTC.
    result = cal.add(sh(2026, 10, 13, 9, 0), 120)
    assert result == sh(2026, 10, 13, 11, 0)
    assert result.tzinfo is UTC
    assert result == datetime(2026, 10, 13, 3, 0, tzinfo=UTC)


def test_spills_over_to_the_next_working_day(cal: WorkingCalendar) -> None:
    # Tue 16:30 → 17:30 uses 60; 60 left from Wed 08:30 → Wed 09:30.
    assert cal.add(sh(2026, 10, 13, 16, 30), 120) == sh(2026, 10, 14, 9, 30)


def test_across_a_weekend(cal: WorkingCalendar) -> None:
    # Fri 15:00 → 17:30 uses 150; Sat/Sun off; 90 left from Mon 08:30 → Mon 10:00.
    assert cal.add(sh(2026, 10, 16, 15, 0), 240) == sh(2026, 10, 19, 10, 0)


def test_across_national_day(cal: WorkingCalendar) -> None:
    # Wed Sep 30 16:00 → 17:30 uses 90; Oct 1–7 off; 90 left from Thu Oct 8 08:30 → 10:00.
    assert cal.add(sh(2026, 9, 30, 16, 0), 180) == sh(2026, 10, 8, 10, 0)


def test_a_make_up_saturday_is_a_working_day(cal: WorkingCalendar) -> None:
    # Fri Oct 9 17:00 → 17:30 uses 30; Sat Oct 10 is 调休: 30 left from 08:30 → Sat 09:00.
    assert cal.add(sh(2026, 10, 9, 17, 0), 60) == sh(2026, 10, 10, 9, 0)
    # Sat Oct 10 17:00 → 17:30 uses 30; Sun Oct 11 off; 30 left from Mon Oct 12 → 09:00.
    assert cal.add(sh(2026, 10, 10, 17, 0), 60) == sh(2026, 10, 12, 9, 0)


def test_a_make_up_sunday_is_a_working_day(cal: WorkingCalendar) -> None:
    # Sat Sep 19 is off; Sun Sep 20 is 调休: 10:00 Sat + 60 → Sun 08:30 + 60 = Sun 09:30.
    assert cal.add(sh(2026, 9, 19, 10, 0), 60) == sh(2026, 9, 20, 9, 30)


def test_start_before_opening(cal: WorkingCalendar) -> None:
    # Tue 07:00 is before opening: count from 08:30 → 08:30 + 60 = 09:30.
    assert cal.add(sh(2026, 10, 13, 7, 0), 60) == sh(2026, 10, 13, 9, 30)
    # Just after midnight is the same day in Shanghai (but the previous day in UTC).
    assert cal.add(sh(2026, 10, 13, 0, 5), 60) == sh(2026, 10, 13, 9, 30)


def test_start_after_closing(cal: WorkingCalendar) -> None:
    # Tue 19:00 is after closing: count from Wed 08:30 → Wed 09:30.
    assert cal.add(sh(2026, 10, 13, 19, 0), 60) == sh(2026, 10, 14, 9, 30)
    # Starting exactly at closing time: nothing left today → Wed 08:31.
    assert cal.add(sh(2026, 10, 13, 17, 30), 1) == sh(2026, 10, 14, 8, 31)


def test_start_on_a_holiday(cal: WorkingCalendar) -> None:
    # Sat Oct 3 and Mon Oct 5 are National Day holidays: count from Thu Oct 8 08:30 → 09:30.
    assert cal.add(sh(2026, 10, 3, 10, 0), 60) == sh(2026, 10, 8, 9, 30)
    assert cal.add(sh(2026, 10, 5, 10, 0), 60) == sh(2026, 10, 8, 9, 30)


def test_budget_ending_exactly_at_closing_time_stays_on_that_day(cal: WorkingCalendar) -> None:
    # Tue 16:30 + 60 = 17:30 exactly: closing time, not Wed 08:30.
    assert cal.add(sh(2026, 10, 13, 16, 30), 60) == sh(2026, 10, 13, 17, 30)
    # A whole day from opening: 08:30 + 540 = 17:30 the same day.
    assert cal.add(sh(2026, 10, 13, 8, 30), 540) == sh(2026, 10, 13, 17, 30)
    # Fri 17:00 + 30 = Fri 17:30, not Mon 08:30.
    assert cal.add(sh(2026, 10, 16, 17, 0), 30) == sh(2026, 10, 16, 17, 30)
    # One minute more does go to the next working day: Mon 08:31.
    assert cal.add(sh(2026, 10, 16, 17, 0), 31) == sh(2026, 10, 19, 8, 31)


def test_zero_minutes_returns_start_in_utc(cal: WorkingCalendar) -> None:
    # Even on a holiday at night: zero minutes is the start itself (Oct 3 03:00 +08 = Oct 2 19:00Z).
    start = sh(2026, 10, 3, 3, 0)
    result = cal.add(start, 0)
    assert result == datetime(2026, 10, 2, 19, 0, tzinfo=UTC)
    assert result.tzinfo is UTC


def test_around_the_clock_is_plain_elapsed_time(cal: WorkingCalendar) -> None:
    # Fri 15:00 + 240 min = Fri 19:00 (closing time and weekend do not matter).
    result = cal.add(sh(2026, 10, 16, 15, 0), 240, around_the_clock=True)
    assert result == sh(2026, 10, 16, 19, 0)
    assert result.tzinfo is UTC
    # Fri 15:00 + 3 × 1440 min = Mon 15:00; through a holiday too: Sep 30 16:00 + 1 day.
    assert cal.add(sh(2026, 10, 16, 15, 0), 4320, around_the_clock=True) == sh(2026, 10, 19, 15)
    assert cal.add(sh(2026, 9, 30, 16), 1440, around_the_clock=True) == sh(2026, 10, 1, 16)


def test_multi_day_budget(cal: WorkingCalendar) -> None:
    # 3 working days = 3 × 540 = 1620. From Mon 08:30: Mon, Tue, Wed full → Wed 17:30.
    assert cal.add(sh(2026, 10, 12, 8, 30), 1620) == sh(2026, 10, 14, 17, 30)
    # From Mon 12:00: Mon 330 + Tue 540 + Wed 540 = 1410; 210 left Thu 08:30 → Thu 12:00.
    assert cal.add(sh(2026, 10, 12, 12, 0), 1620) == sh(2026, 10, 15, 12, 0)
    # 5 days = 2700 from Mon Sep 28 08:30: Sep 28, 29, 30 (3 days), Oct 1–7 off,
    # Oct 8, 9 (2 days) → Fri Oct 9 17:30.
    assert cal.add(sh(2026, 9, 28, 8, 30), 2700) == sh(2026, 10, 9, 17, 30)
    # 6 days = 3240: one more day → the 调休 Saturday Oct 10 17:30.
    assert cal.add(sh(2026, 9, 28, 8, 30), 3240) == sh(2026, 10, 10, 17, 30)


def test_a_long_budget_is_handled(cal: WorkingCalendar) -> None:
    # 250 working days, which spans into the fallback year 2027: the inverse still holds.
    start = sh(2026, 3, 2, 10, 0)
    end = cal.add(start, 250 * 540)
    assert end.year == 2027
    assert cal.working_minutes(start, end) == 250 * 540


def test_custom_business_hours() -> None:
    cal = WorkingCalendar(BusinessHours(time(9, 0), time(12, 0)), tz=SHANGHAI)
    # Tue 11:00 → 12:00 uses 60; 60 left from Wed 09:00 → Wed 10:00.
    assert cal.add(sh(2026, 10, 13, 11, 0), 120) == sh(2026, 10, 14, 10, 0)
    # Tue 13:00 is after closing: Wed 09:00 + 180 = Wed 12:00 (closing, not Thu).
    assert cal.add(sh(2026, 10, 13, 13, 0), 180) == sh(2026, 10, 14, 12, 0)


# --- overrides and unknown years ----------------------------------------------------------


def test_admin_overrides() -> None:
    overrides = {
        date(2026, 10, 13): False,  # Tue made a day off
        date(2026, 10, 18): True,  # Sun made a working day
        date(2026, 10, 8): False,  # library working day → off
        date(2026, 10, 7): True,  # library holiday → working
    }
    cal = WorkingCalendar(overrides=overrides, tz=SHANGHAI)
    assert not cal.is_workday(date(2026, 10, 13))
    assert cal.is_workday(date(2026, 10, 18))
    assert not cal.is_workday(date(2026, 10, 8))
    assert cal.is_workday(date(2026, 10, 7))
    assert cal.is_workday(date(2026, 10, 12))  # untouched days still follow the library
    # Mon 17:00 → 17:30 uses 30; Tue off; 30 left from Wed 08:30 → Wed 09:00.
    assert cal.add(sh(2026, 10, 12, 17, 0), 60) == sh(2026, 10, 14, 9, 0)
    # Fri 17:00 → 17:30 uses 30; Sat off; Sun is on: 30 left from 08:30 → Sun 09:00.
    assert cal.add(sh(2026, 10, 16, 17, 0), 60) == sh(2026, 10, 18, 9, 0)
    # Oct 6 (holiday) 10:00: Oct 7 is on → 08:30 + 60 = 09:30 Oct 7.
    assert cal.add(sh(2026, 10, 6, 10, 0), 60) == sh(2026, 10, 7, 9, 30)
    # Oct 7 17:00 → 17:30 uses 30; Oct 8 off; Fri Oct 9 08:30 + 30 → 09:00.
    assert cal.add(sh(2026, 10, 7, 17, 0), 60) == sh(2026, 10, 9, 9, 0)


def test_overrides_are_copied() -> None:
    overrides = {date(2026, 10, 13): False}
    cal = WorkingCalendar(overrides=overrides, tz=SHANGHAI)
    overrides[date(2026, 10, 13)] = True
    assert not cal.is_workday(date(2026, 10, 13))


def test_the_holiday_library_facts_these_tests_rely_on() -> None:
    # chinesecalendar 1.11 knows 2004–2026; holidays 0.109 has the official schedules up to
    # 2026 and only its rules after that. When either learns 2027, these tests move on a year.
    assert national_year(2026).source == "chinesecalendar"
    assert national_year(2027).source == "holidays"
    assert national_year(2027).status is YearStatus.RULE_ONLY
    assert national_year(2027).working_weekends == frozenset()
    assert national_year(2003) == national_year(2003)  # cached: asked once per process
    assert national_year(2003).status is YearStatus.OFFICIAL  # holidays has 2001–2003 too


def test_new_year_2027_and_the_spring_festival_are_days_off_by_rule(cal: WorkingCalendar
                                                                   ) -> None:
    assert not cal.is_workday(date(2027, 1, 1))  # Fri: 元旦
    # 2027's Spring Festival by rule: Fri Feb 5 (除夕) to Mon Feb 8, and Tue–Wed Feb 9–10 for
    # the Saturday and Sunday; Thu Feb 4 and Thu Feb 11 are working days.
    assert cal.is_workday(date(2027, 2, 4))
    assert [cal.is_workday(date(2027, 2, d)) for d in range(5, 11)] == [False] * 6
    assert cal.is_workday(date(2027, 2, 11))
    assert not cal.is_workday(date(2027, 2, 13))  # Sat: no make-up day is known
    assert cal.year_status(2027) is YearStatus.RULE_ONLY
    assert cal.year_status(2026) is YearStatus.OFFICIAL


def test_deadlines_across_the_2027_holidays(cal: WorkingCalendar) -> None:
    # Thu Dec 31 2026 17:00 uses 30; Jan 1 (元旦) off, Sat/Sun off; Mon Jan 4 08:30 + 30.
    assert cal.add(sh(2026, 12, 31, 17, 0), 60) == sh(2027, 1, 4, 9, 0)
    # Thu Feb 4 2027 16:30 uses 60; Feb 5–10 off; Thu Feb 11 08:30 + 480 (of 540) → 16:30.
    assert cal.add(sh(2027, 2, 4, 16, 30), 540) == sh(2027, 2, 11, 16, 30)
    assert cal.working_minutes(sh(2027, 2, 4, 16, 30), sh(2027, 2, 11, 16, 30)) == 540


def test_a_year_no_library_knows_falls_back_to_monday_to_friday(cal: WorkingCalendar) -> None:
    assert cal.year_status(2101) is YearStatus.UNKNOWN  # past the holidays library's rules
    assert cal.year_status(2003) is YearStatus.OFFICIAL
    assert cal.year_status(0) is YearStatus.UNKNOWN and cal.year_status(10000) is \
        YearStatus.UNKNOWN
    # Sat Jan 1 2101; Mon Jan 3 is an ordinary working day.
    assert not cal.is_workday(date(2101, 1, 1))
    assert cal.is_workday(date(2101, 1, 3))
    # Fri Jan 7 17:00 → 17:30 uses 30; weekend; Mon Jan 10 08:30 + 30 → 09:00.
    assert cal.add(sh(2101, 1, 7, 17, 0), 60) == sh(2101, 1, 10, 9, 0)


def test_without_the_holidays_library_a_later_year_is_monday_to_friday(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    real_import = builtins.__import__

    def no_holidays(name: str, *args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        if name.startswith("holidays"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_holidays)
    national_year.cache_clear()
    try:
        cal = WorkingCalendar(tz=SHANGHAI)
        assert cal.year_status(2027) is YearStatus.UNKNOWN
        assert cal.is_workday(date(2027, 1, 1))  # the warned Monday–Friday guess, no crash
        assert statutory_schedule(2027) == []
    finally:
        national_year.cache_clear()


def test_the_administrators_days_win_and_their_make_up_day_makes_the_year_official() -> None:
    # The schedule as an administrator would enter it: Spring Festival Feb 5–13, make-up
    # working days Sun Feb 14 (hypothetical) and a Saturday; Feb 11 (a by-rule working day).
    overrides = {date(2027, 2, day): False for day in range(5, 14)}
    overrides[date(2027, 2, 14)] = True
    overrides[date(2027, 2, 9)] = True  # by rule a day off: the administrator's word wins
    cal = WorkingCalendar(overrides=overrides, tz=SHANGHAI)
    assert cal.year_status(2027) is YearStatus.OFFICIAL
    assert not cal.is_workday(date(2027, 2, 11)) and not cal.is_workday(date(2027, 2, 12))
    assert cal.is_workday(date(2027, 2, 9)) and cal.is_workday(date(2027, 2, 14))
    assert not cal.is_workday(date(2027, 1, 1))  # the rules still hold where nobody said
    # Thu Feb 4 17:00 uses 30; Fri 5–Mon 8 off; Tue Feb 9 at work 08:30 + 30 → 09:00.
    assert cal.add(sh(2027, 2, 4, 17, 0), 60) == sh(2027, 2, 9, 9, 0)


def test_days_off_alone_do_not_make_a_year_official() -> None:
    only_holidays = WorkingCalendar(overrides={date(2027, 1, 1): False}, tz=SHANGHAI)
    assert only_holidays.year_status(2027) is YearStatus.RULE_ONLY
    # A year nothing knows: a weekday off says its holidays are known, not its make-up days.
    assert WorkingCalendar(overrides={date(2101, 1, 3): False}).year_status(2101) is \
        YearStatus.RULE_ONLY
    assert WorkingCalendar(overrides={date(2101, 1, 1): True}).year_status(2101) is \
        YearStatus.OFFICIAL  # Sat Jan 1 2101 at work: a make-up day


def test_the_statutory_schedule_starts_a_years_entry() -> None:
    blocks = {b.holiday: b for b in statutory_schedule(2027)}
    assert list(blocks) == list(Holiday)
    assert (blocks[Holiday.NEW_YEAR].first, blocks[Holiday.NEW_YEAR].last) == (
        date(2027, 1, 1), date(2027, 1, 3))  # Friday, with its weekend
    assert (blocks[Holiday.SPRING_FESTIVAL].first, blocks[Holiday.SPRING_FESTIVAL].last) == (
        date(2027, 2, 5), date(2027, 2, 10))
    assert all(b.make_up_days == () for b in blocks.values())  # not known for 2027
    # A year whose schedule is known comes with its make-up days, as the notice reads
    # (2026: 春节 2月15日至23日，2月14日、2月28日上班; 国庆 9月20日、10月10日上班).
    known = {b.holiday: b for b in statutory_schedule(2026)}
    assert known[Holiday.SPRING_FESTIVAL] == HolidayBlock(
        Holiday.SPRING_FESTIVAL, date(2026, 2, 15), date(2026, 2, 23),
        (date(2026, 2, 14), date(2026, 2, 28)))
    assert known[Holiday.NATIONAL_DAY].make_up_days == (date(2026, 9, 20), date(2026, 10, 10))
    assert statutory_schedule(2101) == []


# --- working_minutes ----------------------------------------------------------------------


def test_working_minutes(cal: WorkingCalendar) -> None:
    # Fri 15:00 → Mon 10:00: Fri 150 + Mon 90 = 240.
    assert cal.working_minutes(sh(2026, 10, 16, 15), sh(2026, 10, 19, 10)) == 240
    # Inside one day: Tue 09:00 → 11:15 = 135.
    assert cal.working_minutes(sh(2026, 10, 13, 9), sh(2026, 10, 13, 11, 15)) == 135
    # Tue 06:00 → 20:00 counts only 08:30–17:30 = 540.
    assert cal.working_minutes(sh(2026, 10, 13, 6), sh(2026, 10, 13, 20)) == 540
    # Whole National Day holiday Oct 1 00:00 → Oct 8 00:00: nothing.
    assert cal.working_minutes(sh(2026, 10, 1), sh(2026, 10, 8)) == 0
    # Half a minute: Tue 09:00:00 → 09:00:30 = 0.5.
    assert cal.working_minutes(sh(2026, 10, 13, 9), sh(2026, 10, 13, 9, 0, 30)) == 0.5
    # end before or equal to start: 0.
    assert cal.working_minutes(sh(2026, 10, 19, 10), sh(2026, 10, 16, 15)) == 0
    assert cal.working_minutes(sh(2026, 10, 13, 9), sh(2026, 10, 13, 9)) == 0
    # Around the clock: Fri 15:00 → Mon 10:00 = 67 h = 4020 min.
    assert cal.working_minutes(
        sh(2026, 10, 16, 15), sh(2026, 10, 19, 10), around_the_clock=True) == 4020
    assert cal.working_minutes(
        sh(2026, 10, 19, 10), sh(2026, 10, 16, 15), around_the_clock=True) == 0


BUDGETS = [1, 29, 60, 539, 540, 541, 1000, 1620, 2700, 5000]


def start_points() -> list[datetime]:
    """40 starts, 7 h 13 min apart from Fri Sep 18 2026: nights, weekends, the make-up Sunday,
    Mid-Autumn, National Day, the make-up Saturday; plus a few around the 2026/2027 edge."""
    first = sh(2026, 9, 18, 0, 0)
    points = [first + i * timedelta(hours=7, minutes=13) for i in range(40)]
    points += [sh(2026, 12, 31, 8, 30), sh(2026, 12, 31, 17, 30), sh(2026, 12, 30, 23, 59)]
    return points


@pytest.mark.parametrize("start", start_points(), ids=lambda d: d.strftime("%m%d-%H%M"))
def test_working_minutes_is_the_inverse_of_add(cal: WorkingCalendar, start: datetime) -> None:
    for minutes in BUDGETS:
        end = cal.add(start, minutes)
        assert end.tzinfo is UTC
        assert end > start
        assert cal.working_minutes(start, end) == minutes
        # The end lies inside business hours of a working day (closing time included).
        local = end.astimezone(SHANGHAI)
        assert cal.is_workday(local.date())
        assert time(8, 30) < local.time() <= time(17, 30)
        # One second less of the end is strictly less working time than the budget.
        assert cal.working_minutes(start, end - timedelta(seconds=1)) < minutes


# --- time zones ---------------------------------------------------------------------------


def test_utc_calendar() -> None:
    cal = WorkingCalendar(tz=UTC)  # datetime.UTC is timezone.utc
    # Tue 16:30Z → 17:30Z uses 60; 60 left from Wed 08:30Z → Wed 09:30Z.
    expected = datetime(2026, 10, 14, 9, 30, tzinfo=UTC)
    assert cal.add(datetime(2026, 10, 13, 16, 30, tzinfo=UTC), 120) == expected
    # The same instant given in Shanghai time (Wed 00:30 +08) gives the same answer:
    # the calendar's zone decides the hours, not the input's.
    assert cal.add(sh(2026, 10, 14, 0, 30), 120) == expected
    # And a Shanghai calendar reads that instant as Wed 00:30 → Wed 08:30 + 120 = 10:30 +08.
    assert WorkingCalendar(tz=SHANGHAI).add(sh(2026, 10, 14, 0, 30), 120) == sh(2026, 10, 14,
                                                                               10, 30)


def test_a_zone_with_daylight_saving_time() -> None:
    new_york = ZoneInfo("America/New_York")
    cal = WorkingCalendar(tz=new_york)
    # Fri Mar 6 2026 16:30 EST (21:30Z) → 17:30 uses 60; DST starts Sun Mar 8; 60 left from
    # Mon Mar 9 08:30 EDT → 09:30 EDT = 13:30Z (the hours follow the wall clock).
    start = datetime(2026, 3, 6, 16, 30, tzinfo=new_york)
    assert cal.add(start, 120) == datetime(2026, 3, 9, 13, 30, tzinfo=UTC)


def test_local_time_zone_by_default() -> None:
    # Results depend on this PC's zone, so only the shape is checked.
    cal = WorkingCalendar()
    start = datetime(2026, 10, 13, 2, 0, tzinfo=UTC)
    end = cal.add(start, 1000)
    assert end.tzinfo is UTC
    assert cal.working_minutes(start, end) == 1000


# --- validation ---------------------------------------------------------------------------


def test_business_hours() -> None:
    assert BusinessHours().minutes_per_day == 540  # 08:30–17:30 = 9 h
    assert BusinessHours(time(9, 0), time(12, 0)).minutes_per_day == 180
    assert BusinessHours(time(0, 0), time(23, 59)).minutes_per_day == 1439
    with pytest.raises(ValueError):
        BusinessHours(time(9, 0), time(9, 0))
    with pytest.raises(ValueError):
        BusinessHours(time(18, 0), time(8, 30))
    with pytest.raises(dataclasses.FrozenInstanceError):
        BusinessHours().start = time(9, 0)  # type: ignore[misc]


def test_bad_arguments(cal: WorkingCalendar) -> None:
    with pytest.raises(ValueError):
        cal.add(sh(2026, 10, 13, 9), -1)
    with pytest.raises(ValueError):
        cal.add(datetime(2026, 10, 13, 9, 0), 60)  # naive: local or UTC? refused
    with pytest.raises(ValueError):
        cal.working_minutes(datetime(2026, 10, 13, 9, 0), sh(2026, 10, 13, 10))


def test_a_calendar_without_working_days_stops(monkeypatch: pytest.MonkeyPatch) -> None:
    cal = WorkingCalendar(tz=SHANGHAI)
    monkeypatch.setattr(cal, "is_workday", lambda day: False)
    with pytest.raises(ValueError):
        cal.add(sh(2026, 10, 13, 9), 60)
