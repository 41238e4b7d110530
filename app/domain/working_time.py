"""Working time (工作时间): complaint deadlines (处理时限) run only during business hours on
working days, and China's working days are not simply Monday to Friday.

Public holidays and make-up working days (调休) come from ``chinese_calendar``; the
administrator can override any single day. For a year the library has no data for, Monday to
Friday are assumed to be working days so deadlines can still be computed.

Instants are timezone-aware and returned in UTC (as CallDesk stores them); the day and hour
arithmetic happens in the calendar's time zone, by default this PC's.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

# How many calendar days in a row may pass without a working minute before ``add`` gives up:
# only a calendar with no working day at all gets there (ten years of holidays).
MAX_DAYS_WITHOUT_WORK = 3660



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
        self._known_years: dict[int, bool] = {}
        # The holiday library validates each date it is asked about; a month's report asks
        # about the same few dozen days thousands of times.
        self._workdays: dict[date, bool] = {}

    @property
    def overrides(self) -> Mapping[date, bool]:
        """A copy: the calendar must not change under a computed deadline."""
        return dict(self._overrides)

    # --- days -------------------------------------------------------------------------------

    def is_workday(self, day: date) -> bool:
        """The administrator's word first, then the national calendar, then Monday–Friday."""
        day = _as_date(day)
        if day in self._overrides:
            return self._overrides[day]
        known = self._workdays.get(day)
        if known is None:
            import chinese_calendar  # its tables load when the first deadline is computed

            try:
                known = bool(chinese_calendar.is_workday(day))
            except NotImplementedError:
                known = day.weekday() < 5
            self._workdays[day] = known
        return known

    def knows_year(self, year: int) -> bool:
        """False means the Monday–Friday guess is in use: the UI should warn the admin."""
        if any(day.year == year for day in self._overrides):
            return True
        if year not in self._known_years:
            import chinese_calendar

            try:
                chinese_calendar.is_workday(date(year, 1, 1))
            except (NotImplementedError, ValueError):  # ValueError: year outside 1..9999
                self._known_years[year] = False
            else:
                self._known_years[year] = True
        return self._known_years[year]

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

