"""Working time (工作时间): complaint deadlines (处理时限) run only during business hours on
working days, and China's working days are not simply Monday to Friday.

Whose word counts for a day, first to last:

1. the administrator's overrides (any single day, e.g. the schedule of a year entered by hand);
2. ``chinese_calendar``: public holidays and make-up working days (调休) as the State Council
   published them (2004–2026 in the version we test);
3. the ``holidays`` library's China calendar: the official schedule for the years it has, and
   the statutory public holidays by rule (元旦, 春节 …, Saturday/Sunday ones moved to the next
   working day) for later years, where the make-up working days are not known yet;
4. Monday to Friday, only for a year none of them knows, so deadlines can still be computed.

``year_status`` says which of these a year gets, so the administrator can be warned
(``YearStatus``). Both libraries load on first use: start-up imports neither.

Instants are timezone-aware and returned in UTC (as CallDesk stores them); the day and hour
arithmetic happens in the calendar's time zone, by default this PC's.
"""

from __future__ import annotations

import enum
import functools
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from app.i18n import translate

log = logging.getLogger(__name__)

# How many calendar days in a row may pass without a working minute before ``add`` gives up:
# only a calendar with no working day at all gets there (ten years of holidays).
MAX_DAYS_WITHOUT_WORK = 3660


class YearStatus(enum.StrEnum):
    """How much CallDesk knows about one year's working days."""

    OFFICIAL = "official"  # public holidays and make-up working days (调休) as published
    RULE_ONLY = "rule_only"  # statutory public holidays by rule; make-up working days unknown
    UNKNOWN = "unknown"  # nothing: Monday to Friday are taken as working days


class Holiday(enum.StrEnum):
    """The statutory public holidays (法定节假日) a year's schedule (放假安排) sets out."""

    NEW_YEAR = "new_year"
    SPRING_FESTIVAL = "spring_festival"
    QINGMING = "qingming"
    LABOUR_DAY = "labour_day"
    DRAGON_BOAT = "dragon_boat"
    MID_AUTUMN = "mid_autumn"
    NATIONAL_DAY = "national_day"

    @property
    def label(self) -> str:
        return {Holiday.NEW_YEAR: translate("Holiday", "New Year's Day"),
                Holiday.SPRING_FESTIVAL: translate("Holiday", "Spring Festival"),
                Holiday.QINGMING: translate("Holiday", "Tomb-Sweeping Day"),
                Holiday.LABOUR_DAY: translate("Holiday", "Labour Day"),
                Holiday.DRAGON_BOAT: translate("Holiday", "Dragon Boat Festival"),
                Holiday.MID_AUTUMN: translate("Holiday", "Mid-Autumn Festival"),
                Holiday.NATIONAL_DAY: translate("Holiday", "National Day")}[self]


# The holidays library's English names (language="en_US") of each holiday's days.
_LIBRARY_NAMES = {Holiday.NEW_YEAR: "New Year's Day", Holiday.SPRING_FESTIVAL: "Chinese New Year",
                  Holiday.QINGMING: "Tomb-Sweeping Day", Holiday.LABOUR_DAY: "Labor Day",
                  Holiday.DRAGON_BOAT: "Dragon Boat Festival",
                  Holiday.MID_AUTUMN: "Mid-Autumn Festival", Holiday.NATIONAL_DAY: "National Day"}
_SUBSTITUTED = re.compile(r"substituted from (\d\d)/(\d\d)/(\d{4})")


@dataclass(frozen=True)
class HolidayBlock:
    """One holiday of a year's schedule: the days off from first to last (weekends included,
    as the State Council's notice counts them) and the make-up working days that pay for
    them."""

    holiday: Holiday
    first: date
    last: date
    make_up_days: tuple[date, ...] = ()


@dataclass(frozen=True)
class NationalYear:
    """What the holiday libraries say about one year, as exceptions to Monday–Friday."""

    status: YearStatus
    weekdays_off: frozenset[date] = frozenset()
    working_weekends: frozenset[date] = frozenset()
    source: str = ""  # "chinesecalendar", "holidays" or "" (nothing known)

    def is_workday(self, day: date) -> bool:
        if day.weekday() >= 5:
            return day in self.working_weekends
        return day not in self.weekdays_off


def _days_of(year: int) -> list[date]:
    day, days = date(year, 1, 1), []
    while day.year == year:
        days.append(day)
        day += timedelta(days=1)
    return days


def _from_chinese_calendar(year: int) -> NationalYear | None:
    import chinese_calendar  # its tables load when the first deadline is computed

    try:
        workdays = {day: bool(chinese_calendar.is_workday(day)) for day in _days_of(year)}
    except NotImplementedError:  # a year it has no data for
        return None
    return NationalYear(
        YearStatus.OFFICIAL,
        frozenset(d for d, work in workdays.items() if d.weekday() < 5 and not work),
        frozenset(d for d, work in workdays.items() if d.weekday() >= 5 and work),
        "chinesecalendar")


def _china_holidays(year: int, language: str | None = None):  # noqa: ANN202 - lazy import
    """The holidays library's China for one year, or None where it has no holidays for it."""
    try:
        from holidays.countries.china import China  # ~0.1 s: only when a year needs it
    except ImportError:  # an install without it: say nothing is known, never crash
        log.warning("the holidays library is not installed; years chinese_calendar does not "
                    "know count Monday to Friday")
        return None
    if not getattr(China, "start_year", 1950) <= year <= getattr(China, "end_year", 2100):
        return None
    china = China(years=year, language=language) if language else China(years=year)
    return china if any(day.year == year for day in china) else None


def _has_official_schedule(china, year: int) -> bool:  # noqa: ANN001
    """The library has a year's published arrangements when it lists days moved (调休) for
    it; later years are its rules only."""
    entries = getattr(china, "special_public_holidays", {}).get(year, ())
    if entries and not isinstance(entries[0], tuple):
        entries = (entries,)
    return any(len(entry) >= 4 for entry in entries)  # (to month, day, from month, day, ...)


def _from_holidays(year: int) -> NationalYear | None:
    try:
        china = _china_holidays(year)
        if china is None:
            return None
        official = _has_official_schedule(china, year)
        days_off = {day for day in china if day.year == year}
        working_weekends = {day for day in getattr(china, "weekend_workdays", ())
                            if day.year == year} if official else set()
    except Exception:  # a broken library must not stop deadlines: fall back, and say so
        log.exception("the holidays library failed for %s", year)
        return None
    return NationalYear(YearStatus.OFFICIAL if official else YearStatus.RULE_ONLY,
                        frozenset(d for d in days_off if d.weekday() < 5),
                        frozenset(working_weekends), "holidays")


@functools.cache
def national_year(year: int) -> NationalYear:
    """chinese_calendar first, then the holidays library, then nothing (Monday–Friday). The
    libraries' facts do not change while CallDesk runs, so each year is worked out once."""
    if not 1 <= year <= 9999:
        return NationalYear(YearStatus.UNKNOWN)
    return _from_chinese_calendar(year) or _from_holidays(year) \
        or NationalYear(YearStatus.UNKNOWN)


def statutory_schedule(year: int) -> list[HolidayBlock]:
    """A year's holidays as the libraries know them, to start a schedule from: each holiday's
    days off, widened over the days off around it (a Friday holiday takes the weekend), with
    the make-up working days nearest to it where the year's schedule is known. Empty for a
    year no library knows."""
    try:
        china = _china_holidays(year, language="en_US")
    except Exception:
        log.exception("the holidays library failed for %s", year)
        china = None
    if china is None:
        return []
    days: dict[Holiday, list[date]] = {}
    for day, names in china.items():
        for holiday, library_name in _LIBRARY_NAMES.items():
            if day.year == year and library_name in names:
                days.setdefault(holiday, []).append(day)
    blocks: list[HolidayBlock] = []
    for holiday in Holiday:
        if holiday not in days:
            continue
        first, last = min(days[holiday]), max(days[holiday])
        while not _national_workday(first - timedelta(days=1)):
            first -= timedelta(days=1)
        while not _national_workday(last + timedelta(days=1)):
            last += timedelta(days=1)
        blocks.append(HolidayBlock(holiday, first, last))
    facts = national_year(year)
    if facts.status is YearStatus.OFFICIAL and blocks:
        # "Day off (substituted from 09/20/2026)": the make-up day pays for that day off.
        paid_for = {date(int(y), int(m), int(d)): day for day, names in china.items()
                    for m, d, y in _SUBSTITUTED.findall(names)}
        make_up: dict[Holiday, list[date]] = {}
        for day in sorted(facts.working_weekends):
            off = paid_for.get(day, day)
            nearest = min(blocks, key=lambda b: 0 if b.first <= off <= b.last else min(
                abs((off - b.first).days), abs((off - b.last).days)))
            make_up.setdefault(nearest.holiday, []).append(day)
        blocks = [HolidayBlock(b.holiday, b.first, b.last, tuple(make_up.get(b.holiday, ())))
                  for b in blocks]
    return blocks


def _national_workday(day: date) -> bool:
    """For widening a holiday: a day of the next or last year asks that year."""
    return national_year(day.year).is_workday(day)


@dataclass(frozen=True)
class BusinessHours:
    """The one span of each working day during which deadlines run (wall-clock times)."""

    start: time = time(8, 30)
    end: time = time(17, 30)

    def __post_init__(self) -> None:
        if self.start.tzinfo is not None or self.end.tzinfo is not None:
            raise ValueError("business hours are wall-clock times without a time zone")
        if not self.start < self.end:
            raise ValueError(
                f"business hours must start before they end: {self.start} – {self.end}"
            )

    @property
    def minutes_per_day(self) -> int:
        """Working minutes of one working day (by the wall clock)."""
        return (_seconds(self.end) - _seconds(self.start)) // 60


def _seconds(moment: time) -> int:
    return moment.hour * 3600 + moment.minute * 60 + moment.second


def _require_aware(instant: datetime, name: str) -> None:
    """Naive datetimes are ambiguous (local? UTC?), so they are refused, not guessed."""
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError(f"{name} must be a timezone-aware datetime, got {instant!r}")


def _as_date(day: date) -> date:
    return day.date() if isinstance(day, datetime) else day


class WorkingCalendar:
    """Which days are working days, and how working minutes add up across them."""

    def __init__(
        self,
        hours: BusinessHours = BusinessHours(),  # frozen: one shared default is safe
        overrides: Mapping[date, bool] | None = None,
        tz: tzinfo | None = None,
    ) -> None:
        self.hours = hours
        self.tz = tz
        self._overrides: dict[date, bool] = {
            _as_date(day): bool(working) for day, working in (overrides or {}).items()
        }
        # A month's report asks about the same few dozen days thousands of times: one dict
        # lookup each, the libraries asked once per year (national_year).
        self._workdays: dict[date, bool] = {}

    @property
    def overrides(self) -> Mapping[date, bool]:
        """A copy: the calendar must not change under a computed deadline."""
        return dict(self._overrides)

    # --- days -------------------------------------------------------------------------------

    def is_workday(self, day: date) -> bool:
        """The administrator's word first, then the holiday libraries, then Monday–Friday."""
        day = _as_date(day)
        if day in self._overrides:
            return self._overrides[day]
        known = self._workdays.get(day)
        if known is None:
            known = national_year(day.year).is_workday(day)
            self._workdays[day] = known
        return known

    def year_status(self, year: int) -> YearStatus:
        """What is known about a year. The administrator's days count as the year's official
        schedule once they list a make-up working day (a Saturday or Sunday at work: what the
        schedule adds to the holidays), and as its holidays once they list a weekday off."""
        status = national_year(year).status
        if status is YearStatus.OFFICIAL:
            return status
        days = [(day, working) for day, working in self._overrides.items() if day.year == year]
        if any(working and day.weekday() >= 5 for day, working in days):
            return YearStatus.OFFICIAL
        if status is YearStatus.RULE_ONLY or any(not working and day.weekday() < 5
                                                 for day, working in days):
            return YearStatus.RULE_ONLY
        return YearStatus.UNKNOWN

    def local_date(self, instant: datetime) -> date:
        """The calendar day an instant falls on in the calendar's time zone."""
        _require_aware(instant, "instant")
        return self._local(instant).date()

    # --- instants ---------------------------------------------------------------------------

    def _local(self, instant: datetime) -> datetime:
        return instant.astimezone(self.tz) if self.tz is not None else instant.astimezone()

    def _at(self, day: date, moment: time) -> datetime:
        """The UTC instant of a wall-clock time on a day in the calendar's time zone."""
        if self.tz is not None:
            local = datetime.combine(day, moment, tzinfo=self.tz)
        else:
            local = datetime.combine(day, moment).astimezone()  # naive = this PC's local time
        return local.astimezone(UTC)

    def opening(self, day: date) -> datetime:
        """When business hours begin on ``day`` (in UTC), working day or not."""
        return self._span(day)[0]

    def _span(self, day: date) -> tuple[datetime, datetime]:
        """Opening and closing of a day as UTC instants (real elapsed time, even across DST)."""
        return self._at(day, self.hours.start), self._at(day, self.hours.end)

    def add(self, start: datetime, minutes: int, *, around_the_clock: bool = False) -> datetime:
        """The instant when ``minutes`` working minutes have elapsed after ``start`` (in UTC).

        Time before opening, after closing and on days off does not count; a budget that
        runs out exactly at closing time ends then, not at the next opening.
        """
        _require_aware(start, "start")
        if minutes < 0:
            raise ValueError(f"minutes must not be negative, got {minutes}")
        start_utc = start.astimezone(UTC)
        remaining = timedelta(minutes=minutes)
        if not remaining or around_the_clock:
            return start_utc + remaining
        day = self._local(start).date()
        days_without_work = 0
        while days_without_work < MAX_DAYS_WITHOUT_WORK:
            if self.is_workday(day):
                opening, closing = self._span(day)
                begin = max(opening, start_utc)
                if begin < closing:
                    available = closing - begin
                    if remaining <= available:
                        return begin + remaining
                    remaining -= available  # the rest of the day, in one step
                    days_without_work = 0
                    day += timedelta(days=1)
                    continue
            days_without_work += 1
            day += timedelta(days=1)
        raise ValueError(
            f"no working time in {MAX_DAYS_WITHOUT_WORK} days after {day}: "
            "check the working-day overrides"
        )

    def working_minutes(
        self, start: datetime, end: datetime, *, around_the_clock: bool = False
    ) -> float:
        """Working minutes between two instants (0 when end is not after start)."""
        _require_aware(start, "start")
        _require_aware(end, "end")
        start_utc, end_utc = start.astimezone(UTC), end.astimezone(UTC)
        if end_utc <= start_utc:
            return 0.0
        if around_the_clock:
            return (end_utc - start_utc).total_seconds() / 60
        total = timedelta()
        day, last = self._local(start).date(), self._local(end).date()
        while day <= last:
            if self.is_workday(day):
                opening, closing = self._span(day)
                begin, finish = max(opening, start_utc), min(closing, end_utc)
                if begin < finish:
                    total += finish - begin
            day += timedelta(days=1)
        return total.total_seconds() / 60

