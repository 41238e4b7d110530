"""Deadline rules (处理时限) by category and severity, business hours, and the working
calendar with the administrator's overrides. Any form kind (complaint now, work order
later) takes its deadlines from here."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app import clock
from app.db import Database
from app.db.models import CalendarDay, DeadlineRule, Setting
from app.domain.complaints import Category, Severity
from app.domain.roles import Actor, Permission, require
from app.domain.working_time import (
    BusinessHours,
    HolidayBlock,
    WorkingCalendar,
    YearStatus,
    statutory_schedule,
)
from app.errors import ValidationError
from app.i18n import translate
from app.services import audit
from app.services import settings as shared_settings
from app.settings import WORKDAY_END, WORKDAY_START

COMPLAINT = "complaint"
MAX_MINUTES = 60 * 24 * 365
SOON_SHARE = 0.8  # "due soon" once 80 % of the working time is used
_HHMM = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
WARN_FROM_MONTH = 12  # next year's schedule is published in November or December
MAX_HOLIDAY_DAYS = 15  # the longest block off in a schedule is about nine days
# 2-14, 2/14, 2.14, 2月14日, optionally with the year in front (2027-02-14, 2027年2月14日).
_DAY = re.compile(r"(?:(\d{4})\s*[-/.年]\s*)?(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?"
                  r"(?:\s*[（(][^）)]*[）)])?")  # the notice's "（星期日）"
_BETWEEN_DAYS = re.compile(r"[\s,，、;；和及]*")


@dataclass(frozen=True)
class Rule:
    category: Category | None  # None: every category without a rule of its own
    severity: Severity
    response_minutes: int
    resolve_minutes: int
    around_the_clock: bool = False


@dataclass(frozen=True)
class CalendarOverride:
    day: date
    workday: bool
    note: str = ""


@dataclass(frozen=True)
class Deadlines:
    response_due: datetime
    response_soon: datetime
    resolve_due: datetime
    resolve_soon: datetime
    around_the_clock: bool


def parse_hhmm(text: str) -> time | None:
    match = _HHMM.match(text.strip())
    return time(int(match.group(1)), int(match.group(2))) if match else None


def business_hours(session: Session) -> BusinessHours:
    values = {s.key: s.value for s in session.scalars(select(Setting).where(
        Setting.key.in_([WORKDAY_START.key, WORKDAY_END.key])))}
    start = parse_hhmm(WORKDAY_START.coerce(values.get(WORKDAY_START.key)))
    end = parse_hhmm(WORKDAY_END.coerce(values.get(WORKDAY_END.key)))
    if start is None or end is None or not start < end:  # never stored, but never trusted
        return BusinessHours()
    return BusinessHours(start, end)


def load_calendar(session: Session) -> WorkingCalendar:
    overrides = {row.day: row.workday for row in session.scalars(select(CalendarDay))}
    return WorkingCalendar(business_hours(session), overrides)


def _rule_rows(session: Session, kind: str) -> list[DeadlineRule]:
    return list(session.scalars(select(DeadlineRule).where(DeadlineRule.form_kind == kind)))


def rule_for(session: Session, kind: str, category: Category, severity: Severity) -> Rule:
    rows = _rule_rows(session, kind)
    chosen = next((r for r in rows if r.category == category.value and r.severity == severity),
                  None) or next((r for r in rows if r.category is None
                                 and r.severity == severity), None)
    if chosen is None:  # the rules dialog never saves without defaults; a blank database might
        return Rule(None, severity, 240, 1620)
    return _rule(chosen)


def _rule(row: DeadlineRule) -> Rule:
    return Rule(Category(row.category) if row.category else None, row.severity,
                row.response_minutes, row.resolve_minutes, row.around_the_clock)


def compute(calendar: WorkingCalendar, rule: Rule, start: datetime) -> Deadlines:
    clock = rule.around_the_clock

    def at(minutes: float) -> datetime:
        return calendar.add(start, round(minutes), around_the_clock=clock)

    return Deadlines(
        response_due=at(rule.response_minutes),
        response_soon=at(rule.response_minutes * SOON_SHARE),
        resolve_due=at(rule.resolve_minutes),
        resolve_soon=at(rule.resolve_minutes * SOON_SHARE),
        around_the_clock=clock)


class DeadlineService:
    def __init__(self, db: Database) -> None:
        self.db = db

    def rules(self, kind: str = COMPLAINT) -> list[Rule]:
        with self.db.read() as session:
            rules = [_rule(r) for r in _rule_rows(session, kind)]
        return sorted(rules, key=lambda r: (r.category is not None,
                                            list(Category).index(r.category)
                                            if r.category else -1, -r.severity.rank))

    def hours(self) -> BusinessHours:
        with self.db.read() as session:
            return business_hours(session)

    def calendar(self) -> WorkingCalendar:
        with self.db.read() as session:
            return load_calendar(session)

    def save_rules(self, actor: Actor, rules: list[Rule], start: str, end: str,
                   kind: str = COMPLAINT) -> None:
        """Replaces the kind's rules and the business hours together. Deadlines already set
        stay as they were promised; new forms and rework use the new rules."""
        require(actor, Permission.EDIT_DEADLINE_RULES)
        hours = _checked_rules(rules, start, end)
        with self.db.write() as session:
            _write_rules(session, actor, kind, rules, hours)

    def overrides(self) -> list[CalendarOverride]:
        with self.db.read() as session:
            return [CalendarOverride(r.day, r.workday, r.note) for r in session.scalars(
                select(CalendarDay).order_by(CalendarDay.day))]

    def save_overrides(self, actor: Actor, overrides: list[CalendarOverride]) -> None:
        require(actor, Permission.EDIT_DEADLINE_RULES)
        _check_overrides(overrides)
        with self.db.write() as session:
            _write_overrides(session, actor, overrides)

    def save(self, actor: Actor, rules: list[Rule], start: str, end: str,
             overrides: list[CalendarOverride], kind: str = COMPLAINT) -> None:
        """The rules dialog's Save: rules, hours and calendar in one transaction, all or
        nothing."""
        require(actor, Permission.EDIT_DEADLINE_RULES)
        hours = _checked_rules(rules, start, end)
        _check_overrides(overrides)
        with self.db.write() as session:
            _write_rules(session, actor, kind, rules, hours)
            _write_overrides(session, actor, overrides)

    def calendar_status(self) -> CalendarStatus:
        """What is known about the years deadlines fall in now: this year, and from December
        on next year too, when the State Council's schedule for it is due."""
        calendar = self.calendar()
        today = calendar.local_date(clock.utcnow())
        years = [today.year] + ([today.year + 1] if today.month >= WARN_FROM_MONTH else [])
        return CalendarStatus(today, {year: calendar.year_status(year) for year in years})

    def statutory_schedule(self, year: int) -> list[HolidayBlock]:
        """A year's holidays as the libraries know them, to start entering its schedule."""
        return statutory_schedule(year)


@dataclass(frozen=True)
class CalendarStatus:
    today: date
    years: dict[int, YearStatus]

    @property
    def warned_years(self) -> list[int]:
        return [year for year, status in self.years.items() if status is not YearStatus.OFFICIAL]

    def warnings(self) -> list[str]:
        """One sentence for each year whose deadlines may be wrong, for the administrator."""
        lines = []
        for year in self.warned_years:
            if self.years[year] is YearStatus.RULE_ONLY:
                lines.append(translate(
                    "Deadlines", "The official holiday schedule for {year} is not known yet: "
                                 "deadlines in {year} count the statutory public holidays, but "
                                 "no make-up working day. Enter the schedule in the working "
                                 "calendar once it is published.").format(year=year))
            else:
                lines.append(translate(
                    "Deadlines", "No public holidays are known for {year}: deadlines in {year} "
                                 "count Monday to Friday as working days. Enter the year's "
                                 "holidays and make-up working days in the working "
                                 "calendar.").format(year=year))
        return lines


def parse_days(text: str, near: date) -> list[date]:
    """The days written in ``text`` ("2-14, 2-20", "2月14日、2月20日", "2027-02-14"). A day
    without its year takes the one that puts it nearest to ``near`` (a make-up day on
    31 December for New Year's Day). ValueError names what could not be read."""
    days: list[date] = []
    position = _BETWEEN_DAYS.match(text).end()
    while position < len(text):
        match = _DAY.match(text, position)
        if match is None:
            raise ValueError(text[position:].split()[0] if text[position:].split() else text)
        year, month, day = match.groups()
        try:
            if year:
                days.append(date(int(year), int(month), int(day)))
            else:
                candidates = [date(y, int(month), int(day))
                              for y in (near.year - 1, near.year, near.year + 1)]
                days.append(min(candidates, key=lambda d: abs((d - near).days)))
        except ValueError:
            raise ValueError(match.group(0).strip()) from None
        position = _BETWEEN_DAYS.match(text, match.end()).end()
    return days


def schedule_overrides(blocks: list[HolidayBlock]) -> list[CalendarOverride]:
    """A year's schedule as the calendar's days: every day from first to last off, named
    after its holiday, and the make-up working days at work. ValidationError (fields
    ``holiday<index>``) for a block the State Council could not have meant."""
    fields: dict[str, str] = {}
    off: dict[date, CalendarOverride] = {}
    for index, block in enumerate(blocks):
        if block.last < block.first:
            fields[f"holiday{index}"] = translate(
                "Deadlines", "{holiday}: the last day off is before the first.").format(
                holiday=block.holiday.label)
            continue
        if (block.last - block.first).days >= MAX_HOLIDAY_DAYS:
            fields[f"holiday{index}"] = translate(
                "Deadlines", "{holiday}: more than {days} days off in a row; check the "
                             "dates.").format(holiday=block.holiday.label, days=MAX_HOLIDAY_DAYS)
            continue
        day = block.first
        while day <= block.last:
            off.setdefault(day, CalendarOverride(day, False, block.holiday.label))
            day += timedelta(days=1)
    working: dict[date, CalendarOverride] = {}
    for index, block in enumerate(blocks):
        for day in block.make_up_days:
            if day in off or (block.first <= day <= block.last):
                fields.setdefault(f"holiday{index}", translate(
                    "Deadlines", "{holiday}: {day} is both a day off and a make-up working "
                                 "day.").format(holiday=block.holiday.label,
                                                day=day.isoformat()))
            elif abs((day - block.first).days) > 31:
                fields.setdefault(f"holiday{index}", translate(
                    "Deadlines", "{holiday}: the make-up working day {day} is more than a "
                                 "month from the holiday; check the date.").format(
                    holiday=block.holiday.label, day=day.isoformat()))
            else:
                working[day] = CalendarOverride(day, True, translate(
                    "Deadlines", "Make-up working day ({holiday})").format(
                    holiday=block.holiday.label))
    if fields:
        raise ValidationError(next(iter(fields.values())), fields)
    return sorted([*off.values(), *working.values()], key=lambda o: o.day)


def _checked_rules(rules: list[Rule], start: str, end: str) -> tuple[time, time]:
    fields: dict[str, str] = {}
    opening, closing = parse_hhmm(start), parse_hhmm(end)
    if opening is None:
        fields["start"] = translate("Deadlines", "Write the opening time as HH:MM, "
                                                 "e.g. 08:30.")
    if closing is None:
        fields["end"] = translate("Deadlines", "Write the closing time as HH:MM, "
                                               "e.g. 17:30.")
    if opening and closing and not opening < closing:
        fields["end"] = translate("Deadlines", "The closing time must be after the "
                                               "opening time.")
    seen: set[tuple[Category | None, Severity]] = set()
    for index, rule in enumerate(rules):
        key = (rule.category, rule.severity)
        if key in seen:
            fields[f"rule{index}"] = translate(
                "Deadlines", "There are two rules for {category} / {severity}; keep "
                             "one.").format(category=_category_label(rule.category),
                                            severity=rule.severity.label)
        seen.add(key)
        if not (0 < rule.response_minutes <= MAX_MINUTES
                and 0 < rule.resolve_minutes <= MAX_MINUTES):
            fields[f"rule{index}"] = translate(
                "Deadlines", "Times must be more than zero ({category} / "
                             "{severity}).").format(
                category=_category_label(rule.category), severity=rule.severity.label)
        elif rule.response_minutes > rule.resolve_minutes:
            fields[f"rule{index}"] = translate(
                "Deadlines", "The response time cannot be longer than the resolution "
                             "time ({category} / {severity}).").format(
                category=_category_label(rule.category), severity=rule.severity.label)
    for severity in Severity:
        if (None, severity) not in seen:
            fields[f"default_{severity.value}"] = translate(
                "Deadlines", "Keep a rule for every category at severity "
                             "“{severity}”.").format(severity=severity.label)
    if fields:
        raise ValidationError(next(iter(fields.values())), fields)
    assert opening is not None and closing is not None
    return opening, closing


def _write_rules(session: Session, actor: Actor, kind: str, rules: list[Rule],
                 hours: tuple[time, time]) -> None:
    before = sorted(_snapshot(_rule(r)) for r in _rule_rows(session, kind))
    session.execute(delete(DeadlineRule).where(DeadlineRule.form_kind == kind))
    for rule in rules:
        session.add(DeadlineRule(
            form_kind=kind, category=rule.category.value if rule.category else None,
            severity=rule.severity, response_minutes=rule.response_minutes,
            resolve_minutes=rule.resolve_minutes, around_the_clock=rule.around_the_clock))
    after = sorted(_snapshot(r) for r in rules)
    if before != after:
        audit.record(session, actor, "deadline_rules", kind, "update",
                     {"rules": [before, after]})
    opening, closing = hours
    shared_settings.write(session, actor, {WORKDAY_START: f"{opening:%H:%M}",
                                           WORKDAY_END: f"{closing:%H:%M}"})


def _check_overrides(overrides: list[CalendarOverride]) -> None:
    days = [o.day for o in overrides]
    if len(days) != len(set(days)):
        duplicate = next(d for d in days if days.count(d) > 1)
        raise ValidationError(translate(
            "Deadlines", "{day} is listed twice; keep one line for it.").format(
            day=duplicate.isoformat()), {"day": duplicate.isoformat()})


def _write_overrides(session: Session, actor: Actor,
                     overrides: list[CalendarOverride]) -> None:
    before = {r.day.isoformat(): [r.workday, r.note]
              for r in session.scalars(select(CalendarDay))}
    session.execute(delete(CalendarDay))
    for override in overrides:
        session.add(CalendarDay(day=override.day, workday=override.workday,
                                note=override.note.strip()[:60]))
    after = {o.day.isoformat(): [o.workday, o.note.strip()[:60]] for o in overrides}
    changes = audit.diff(before, after)
    if changes:
        audit.record(session, actor, "calendar", "overrides", "update", changes)


def _snapshot(rule: Rule) -> tuple[str, str, int, int, bool]:
    return (rule.category.value if rule.category else "*", rule.severity.value,
            rule.response_minutes, rule.resolve_minutes, rule.around_the_clock)


def _category_label(category: Category | None) -> str:
    return category.label if category else translate("Deadlines", "every category")
