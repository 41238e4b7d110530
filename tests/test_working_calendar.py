"""The working calendar past the holiday data (issue 15): what CallDesk knows about this year
and the next, the administrator's warning from December on, entering a year's schedule, and
`calldesk db check` saying so. Dates are set with the app clock (app.clock.at); the library
facts relied on are asserted in tests/test_working_time.py."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from app import clock
from app.domain.complaints import Severity
from app.domain.roles import Actor
from app.domain.working_time import Holiday, HolidayBlock, YearStatus
from app.errors import ValidationError
from app.i18n import translate
from app.paths import AppPaths
from app.services import Services
from app.services.deadlines import (
    CalendarOverride,
    Rule,
    compute,
    parse_days,
    schedule_overrides,
)
from tests.test_cli import run_cli

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOON = datetime(2026, 12, 3, 4, 0, tzinfo=UTC)  # noon in Shanghai, and a day's noon anywhere


def at(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, 4, 0, tzinfo=UTC)


def test_from_december_next_years_missing_schedule_is_warned(services: Services) -> None:
    with clock.at(at(2026, 11, 30)):
        november = services.deadlines.calendar_status()
    assert november.years == {2026: YearStatus.OFFICIAL}
    assert november.warnings() == []
    with clock.at(NOON):  # the day this was written: 2027 has its holidays by rule only
        december = services.deadlines.calendar_status()
    assert december.years == {2026: YearStatus.OFFICIAL, 2027: YearStatus.RULE_ONLY}
    assert december.warned_years == [2027]
    assert december.warnings() == [translate(
        "Deadlines", "The official holiday schedule for {year} is not known yet: deadlines in "
                     "{year} count the statutory public holidays, but no make-up working day. "
                     "Enter the schedule in the working calendar once it is published.").format(
        year=2027)]


def test_a_year_no_library_knows_is_warned_all_year(services: Services) -> None:
    # 2101 is past the holidays library's rules: Monday to Friday, said out loud.
    with clock.at(at(2101, 6, 1)):
        status = services.deadlines.calendar_status()
    assert status.years == {2101: YearStatus.UNKNOWN}
    assert "2101" in status.warnings()[0]
    assert status.warnings()[0].startswith("尚不知道 2101 年的法定节假日")


def test_entering_the_years_make_up_days_ends_the_warning(services: Services,
                                                         admin: Actor) -> None:
    blocks = [HolidayBlock(Holiday.SPRING_FESTIVAL, date(2027, 2, 5), date(2027, 2, 13),
                           parse_days("2月20日", date(2027, 2, 5)))]
    services.deadlines.save_overrides(admin, schedule_overrides(blocks))
    with clock.at(NOON):
        assert services.deadlines.calendar_status().years[2027] is YearStatus.OFFICIAL


def test_a_deadline_across_new_year_and_the_spring_festival_2027(services: Services,
                                                                 admin: Actor) -> None:
    rule = Rule(None, Severity.NORMAL, 60, 540)  # an hour to respond, one working day
    # Thu Dec 31 2026 17:00: 30 minutes that day; Jan 1 (元旦) and the weekend off; Mon Jan 4.
    assert compute(calendar_in_shanghai(services), rule, datetime(
        2026, 12, 31, 17, 0, tzinfo=SHANGHAI)).response_due == datetime(
        2027, 1, 4, 9, 0, tzinfo=SHANGHAI)
    deadlines = compute(calendar_in_shanghai(services), rule,
                        datetime(2027, 2, 4, 16, 30, tzinfo=SHANGHAI))
    # Thu Feb 4 16:30: an hour to respond → 17:30 that day; a working day (540) → Feb 5–10
    # off by rule, Thu Feb 11 16:30.
    assert deadlines.response_due == datetime(2027, 2, 4, 17, 30, tzinfo=SHANGHAI)
    assert deadlines.resolve_due == datetime(2027, 2, 11, 16, 30, tzinfo=SHANGHAI)
    # The administrator's schedule wins over the rules: Feb 11–12 off too.
    services.deadlines.save_overrides(admin, schedule_overrides([HolidayBlock(
        Holiday.SPRING_FESTIVAL, date(2027, 2, 5), date(2027, 2, 13), (date(2027, 2, 20),))]))
    deadlines = compute(calendar_in_shanghai(services), rule,
                        datetime(2027, 2, 4, 16, 30, tzinfo=SHANGHAI))
    # Feb 5–13 off, Sun Feb 14 off, Mon Feb 15 08:30 + 480 → 16:30.
    assert deadlines.resolve_due == datetime(2027, 2, 15, 16, 30, tzinfo=SHANGHAI)


def calendar_in_shanghai(services: Services):  # noqa: ANN201
    from app.domain.working_time import WorkingCalendar

    loaded = services.deadlines.calendar()
    return WorkingCalendar(loaded.hours, loaded.overrides, tz=SHANGHAI)


def test_a_years_schedule_becomes_the_calendars_days() -> None:
    blocks = [HolidayBlock(Holiday.NEW_YEAR, date(2027, 1, 1), date(2027, 1, 3)),
              HolidayBlock(Holiday.SPRING_FESTIVAL, date(2027, 2, 5), date(2027, 2, 13),
                           (date(2027, 2, 14), date(2027, 2, 20)))]
    days = schedule_overrides(blocks)
    off = [o.day for o in days if not o.workday]
    assert off[:3] == [date(2027, 1, 1), date(2027, 1, 2), date(2027, 1, 3)]
    assert len(off) == 3 + 9
    assert [o for o in days if o.workday] == [
        CalendarOverride(date(2027, 2, d), True, translate(
            "Deadlines", "Make-up working day ({holiday})").format(
            holiday=Holiday.SPRING_FESTIVAL.label)) for d in (14, 20)]
    assert days[0].note == Holiday.NEW_YEAR.label == "元旦"
    assert [o.day for o in days] == sorted(o.day for o in days)


@pytest.mark.parametrize(("block", "field"), [
    (HolidayBlock(Holiday.NATIONAL_DAY, date(2027, 10, 7), date(2027, 10, 1)), "holiday0"),
    (HolidayBlock(Holiday.NATIONAL_DAY, date(2027, 10, 1), date(2027, 10, 30)), "holiday0"),
    (HolidayBlock(Holiday.NATIONAL_DAY, date(2027, 10, 1), date(2027, 10, 7),
                  (date(2027, 10, 3),)), "holiday0"),
    (HolidayBlock(Holiday.NATIONAL_DAY, date(2027, 10, 1), date(2027, 10, 7),
                  (date(2027, 12, 11),)), "holiday0"),
])
def test_a_schedule_that_cannot_be_right_is_refused(block: HolidayBlock, field: str) -> None:
    with pytest.raises(ValidationError) as refused:
        schedule_overrides([block])
    assert list(refused.value.fields) == [field]
    assert Holiday.NATIONAL_DAY.label in str(refused.value)


def test_make_up_days_are_read_as_the_notice_writes_them() -> None:
    near = date(2027, 2, 5)
    # As the State Council's notice writes them, the weekday in brackets.
    assert parse_days("2月14日（星期日）、2月20日（星期六）", near) == [date(2027, 2, 14),
                                                                     date(2027, 2, 20)]
    assert parse_days("2月14日、2月20日", near) == [date(2027, 2, 14), date(2027, 2, 20)]
    assert parse_days("2-14, 2/20；2.21", near) == [date(2027, 2, d) for d in (14, 20, 21)]
    assert parse_days("2027-02-14 2027年2月20日", near) == [date(2027, 2, 14),
                                                           date(2027, 2, 20)]
    assert parse_days("  ", near) == []
    # New Year's Day 2012 was paid for on Sat Dec 31 2011: the nearest year is taken.
    assert parse_days("12-31", date(2012, 1, 1)) == [date(2011, 12, 31)]
    for bad in ("2月30日", "next Saturday", "14"):
        with pytest.raises(ValueError):
            parse_days(bad, near)


def test_db_check_reports_the_calendar_without_failing(capsys: pytest.CaptureFixture[str],
                                                        paths: AppPaths) -> None:
    run_cli(capsys, "db", "upgrade")
    with clock.at(NOON):
        code, out, _ = run_cli(capsys, "db", "check", "--json")
        assert code == 0
        assert json.loads(out) == {"ok": True, "problems": [],
                                   "calendar": {"2026": "official", "2027": "rule_only"}}
        code, out, _ = run_cli(capsys, "--lang", "en", "db", "check")
    assert code == 0
    assert out.splitlines()[0] == "No problems found."
    assert out.splitlines()[1].startswith("Warning: The official holiday schedule for 2027")
    with clock.at(at(2026, 11, 3)):
        code, out, _ = run_cli(capsys, "db", "check", "--json")
    assert json.loads(out)["calendar"] == {"2026": "official"}
