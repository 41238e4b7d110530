"""回访客户月统计表 on a known month, on both databases: November 2026 in Shanghai, built
through the real services with the clock moved back (``clock.at``), with October beside it
and items a few minutes either side of the month that must not count.

Every figure is checked against a count made here by hand, from the list of what was done
(see ``november``). Business hours are 08:30–17:30; November 2026 has no public holiday, so
Monday to Friday are the working days. Default rules: a normal complaint is resolved within
1620 working minutes (3 days), a serious one within 540 (1 day); a normal complaint's
callback is due 1080 working minutes after its resolution, a serious one's 540, an urgent
one's 240; an unanswered callback is tried again 120 working minutes later, three tries in
all."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, fields
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from app import clock, i18n
from app.db.models import CallbackTask, Complaint
from app.domain.calls import CallbackStatus, CallType, Direction, Outcome, Satisfaction
from app.domain.complaints import OPEN_STATUSES, Category, Severity, Status
from app.domain.roles import Actor, Permission, Role
from app.errors import PermissionDenied
from app.reports.monthly import (
    DOWN,
    UP,
    Kpis,
    Month,
    MonthlyReport,
    OwnFigures,
    better,
    change_is_good,
    definitions,
    kpi_labels,
    month_bounds,
    monthly_report,
    own_labels,
    own_report,
)
from app.services import Services
from app.services.callbacks import Next, Outcome_
from app.services.calls import CallInput
from app.services.complaints import ComplaintInput
from app.services.customers import CustomerInput, PhoneInput, UnitInput
from app.services.deadlines import Rule

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOVEMBER = Month(2026, 11)
REPORT_TIME = datetime(2026, 12, 5, 12, 0, tzinfo=SHANGHAI)


def at(month: int, day: int, hour: int = 0, minute: int = 0, year: int = 2026) -> datetime:
    """A Shanghai wall-clock time, as the desk sees it."""
    return datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def shanghai(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The desk's clock in China, so local months and business hours are the users'."""
    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@dataclass
class Desk:
    services: Services
    admin: Actor  # 李主任
    operator: Actor  # 王芳
    supervisor: Actor  # 赵主管
    departments: dict[str, int]

    def complaint(self, when: datetime, actor: Actor, category: Category,
                  severity: Severity = Severity.NORMAL, department: str | None = None,
                  **extra: object) -> int:
        values: dict[str, object] = dict(
            category=category, severity=severity, description=f"{category.value} 投诉",
            phone="13800138000",
            department_id=self.departments[department] if department else None)
        values.update(extra)
        with clock.at(when):
            return self.services.complaints.create(
                actor, ComplaintInput(**values), allow_duplicate=True).row.id  # type: ignore[arg-type]

    def resolve(self, when: datetime, complaint_id: int) -> None:
        with clock.at(when):
            self.services.complaints.resolve(self.admin, complaint_id, "已处理")

    def callback(self, when: datetime, complaint_id: int, outcome: Outcome_) -> int:
        """The complaint's pending callback, made by the operator; its id."""
        with clock.at(when):
            pending = self.services.callbacks.pending_for_complaint(complaint_id)
            assert pending is not None
            self.services.callbacks.record(self.operator, pending, outcome)
            return pending

    def call(self, when: datetime, actor: Actor, outcome: Outcome | None, seconds: int,
             missed: bool = False, **extra: object) -> None:
        kind = {Outcome.SOLVED: CallType.INQUIRY, Outcome.DISPATCHED: CallType.REPAIR,
                Outcome.COMPLAINT: CallType.COMPLAINT, None: None}[outcome]
        department = self.departments["工程部"] if outcome == Outcome.DISPATCHED else None
        with clock.at(when):
            self.services.calls.log(actor, CallInput(
                phone="13800138000", call_type=kind, summary="" if missed else "来电内容",
                outcome=outcome, department_id=department, duration_seconds=seconds,
                missed=missed, received_at=when, **extra))  # type: ignore[arg-type]

    def callback_ids(self, complaint_id: int) -> list[int]:
        with self.services.db.read() as session:
            return list(session.scalars(select(CallbackTask.id).where(
                CallbackTask.complaint_id == complaint_id).order_by(CallbackTask.id)))


@pytest.fixture
def desk(services: Services, admin: Actor) -> Desk:
    services.users.add_user(admin, "kf01", "王芳", Role.OPERATOR, "secret1")
    services.users.add_user(admin, "zg01", "赵主管", Role.SUPERVISOR, "secret1")
    return Desk(services, admin, services.users.authenticate("kf01", "secret1"),
                services.users.authenticate("zg01", "secret1"),
                {d.name: d.id for d in services.departments.list()})


SATISFIED = Outcome_(reached=True, satisfaction=Satisfaction.SATISFIED)
FAIRLY = Outcome_(reached=True, satisfaction=Satisfaction.FAIRLY)
NOT_REACHED = Outcome_(reached=False, comment="无人接听")
REWORK = Outcome_(reached=True, satisfaction=Satisfaction.UNSATISFIED, comment="还是很脏",
                  next_step=Next.REWORK)


def explained(call_again_at: datetime) -> Outcome_:
    return Outcome_(reached=True, satisfaction=Satisfaction.UNSATISFIED, comment="已解释",
                    next_step=Next.CALL_AGAIN, call_again_at=call_again_at)


@dataclass
class November:
    desk: Desk
    ids: dict[str, int]
    callbacks: dict[str, int]
    zhang_phone: str
    qian_phone: str


@pytest.fixture
def november(desk: Desk) -> November:
    """What happened (letters name the complaints, A1 the first callback of A):

    October (the previous month)
      K  repairs, 26 Oct 09:00 by 王芳, 工程部, resolved 12:00 (3 h, on time).
         K1 due 28 Oct 12:00, made 27 Oct 09:00: unsatisfied, explained, call again at
         K2 due 31 Oct 23:50: still pending.
      X1 parking, 31 Oct 23:50 by 王芳 (ten minutes before November): October's.
      calls: 15 Oct 10:00 dispatched 200 s; 20 Oct missed; 31 Oct 23:50 solved 999 s.
    November
      H  other, 1 Nov 00:05 by 李主任, nothing more (open, no department).
      A  repairs, Mon 2 Nov 09:00 by 王芳, customer 张三, 工程部, resolved 11:00 (2 h).
         A1 due 4 Nov 11:00, made 3 Nov 10:00: satisfied → closed.
      B  cleaning, Tue 3 Nov 16:30 by 王芳, 环境部, resolved Wed 10:30 (1 h + 2 h = 3 h).
         B1 due 6 Nov 10:30, made late on 9 Nov 09:00: unsatisfied → rework (reviewed).
         resolved again 9 Nov 15:00. B2 due 11 Nov 15:00, made 10 Nov: fairly → closed.
      C  security, urgent, round the clock (a rule of its own: 240 min), Sat 7 Nov 20:00
         by 李主任, 秩序部, resolved 23:00 (3 h by the clock, on time).
         C1 due Mon 9 Nov 12:30; not reached at 12:00 (due 14:00), 14:30 (due 16:30) and
         17:00: failed, due 16:30.
      D  noise, serious, Mon 16 Nov 09:00 by 王芳, 秩序部, due 17 Nov 09:00, resolved
         17 Nov 10:30 (8.5 h + 2 h = 10.5 h, late). D1 due 18 Nov 10:30: pending.
      E  fees, Wed 18 Nov 10:00 by 王芳, 财务部, never handled: overdue at the report.
      F  repairs, Fri 20 Nov 14:00 by 王芳, no department, cancelled and archived by
         赵主管: not closed.
      G  repairs, Mon 23 Nov 09:00 by 王芳, customer 钱七 (do not call, no phone on the
         form), 工程部, resolved 10:00 (1 h): G1 due 25 Nov 10:00 skipped → closed
         (reviewed).
      J  attitude, Tue 24 Nov 09:00 by 王芳, 客服中心, resolved 10:00 (1 h).
         J1 due 26 Nov 10:00, made 25 Nov 09:00: unsatisfied, explained, call again at
         J2 due 30 Nov 23:59, made 23:58: unsatisfied, explained, call again at
         J3 due 1 Dec 00:10: December's.
      I  parking, Mon 30 Nov 23:55 by 王芳, nothing more.
      calls in: 1 Nov 00:00 solved 60 s (王芳); 2 Nov 10:00 dispatched 120 s (王芳);
         2 Nov 11:00 complaint 300 s (王芳); 16 Nov 09:00 solved, no duration (王芳);
         30 Nov 23:59 solved 90 s (李主任); missed 10 Nov (王芳) and 20 Nov (李主任);
         an outbound call on 5 Nov (王芳) and the callbacks' own outbound calls.
    December
      X2 parking, 1 Dec 00:10 by 王芳; a call on 1 Dec 00:10 solved 999 s.
    """
    d = desk
    services, admin, op, sup = d.services, d.admin, d.operator, d.supervisor
    rules = services.deadlines.rules()
    services.deadlines.save_rules(admin, [*rules, Rule(Category.SECURITY, Severity.URGENT,
                                                       30, 240, around_the_clock=True)],
                                  "08:30", "17:30")
    zhang = services.customers.create(admin, CustomerInput(
        name="张三", phones=[PhoneInput("13800138000")], units=[UnitInput("3-2-1502")]))
    qian = services.customers.create(admin, CustomerInput(
        name="钱七", do_not_call=True, phones=[PhoneInput("13900139000")]))
    ids: dict[str, int] = {}
    cbs: dict[str, int] = {}

    # October
    ids["K"] = d.complaint(at(10, 26, 9), op, Category.REPAIRS, department="工程部")
    d.resolve(at(10, 26, 12), ids["K"])
    cbs["K1"] = d.callback(at(10, 27, 9), ids["K"], explained(at(10, 31, 23, 50)))
    ids["X1"] = d.complaint(at(10, 31, 23, 50), op, Category.PARKING)
    d.call(at(10, 15, 10), op, Outcome.DISPATCHED, 200)
    d.call(at(10, 20, 10), op, None, 0, missed=True)
    d.call(at(10, 31, 23, 50), op, Outcome.SOLVED, 999)

    # November, in the order it happened
    ids["H"] = d.complaint(at(11, 1, 0, 5), admin, Category.OTHER)
    ids["A"] = d.complaint(at(11, 2, 9), op, Category.REPAIRS, department="工程部",
                           customer_id=zhang.id, unit_id=zhang.units[0].id)
    d.resolve(at(11, 2, 11), ids["A"])
    ids["B"] = d.complaint(at(11, 3, 16, 30), op, Category.CLEANING, department="环境部")
    cbs["A1"] = d.callback(at(11, 3, 10), ids["A"], SATISFIED)
    d.resolve(at(11, 4, 10, 30), ids["B"])
    ids["C"] = d.complaint(at(11, 7, 20), admin, Category.SECURITY, Severity.URGENT,
                           department="秩序部")
    d.resolve(at(11, 7, 23), ids["C"])
    cbs["B1"] = d.callback(at(11, 9, 9), ids["B"], REWORK)
    d.resolve(at(11, 9, 15), ids["B"])
    cbs["C1"] = d.callback(at(11, 9, 12), ids["C"], NOT_REACHED)
    d.callback(at(11, 9, 14, 30), ids["C"], NOT_REACHED)
    d.callback(at(11, 9, 17), ids["C"], NOT_REACHED)
    cbs["B2"] = d.callback(at(11, 10, 10), ids["B"], FAIRLY)
    ids["D"] = d.complaint(at(11, 16, 9), op, Category.NOISE, Severity.SERIOUS,
                           department="秩序部")
    d.resolve(at(11, 17, 10, 30), ids["D"])
    (cbs["D1"],) = d.callback_ids(ids["D"])
    ids["E"] = d.complaint(at(11, 18, 10), op, Category.FEES, department="财务部")
    ids["F"] = d.complaint(at(11, 20, 14), op, Category.REPAIRS)
    with clock.at(at(11, 20, 15)):
        services.complaints.cancel(sup, ids["F"], "重复登记")
        services.complaints.archive(sup, ids["F"])
    ids["G"] = d.complaint(at(11, 23, 9), op, Category.REPAIRS, department="工程部",
                           customer_id=qian.id, phone="")
    d.resolve(at(11, 23, 10), ids["G"])
    (cbs["G1"],) = d.callback_ids(ids["G"])
    ids["J"] = d.complaint(at(11, 24, 9), op, Category.ATTITUDE, department="客服中心")
    d.resolve(at(11, 24, 10), ids["J"])
    cbs["J1"] = d.callback(at(11, 25, 9), ids["J"], explained(at(11, 30, 23, 59)))
    cbs["J2"] = d.callback(at(11, 30, 23, 58), ids["J"], explained(at(12, 1, 0, 10)))
    ids["I"] = d.complaint(at(11, 30, 23, 55), op, Category.PARKING)
    with clock.at(at(12, 1, 9)):
        services.callbacks.review(sup, cbs["B1"], "已督促环境部")
        services.callbacks.review(sup, cbs["G1"])
    d.call(at(11, 1, 0, 0), op, Outcome.SOLVED, 60)
    d.call(at(11, 2, 10), op, Outcome.DISPATCHED, 120)
    d.call(at(11, 2, 11), op, Outcome.COMPLAINT, 300)
    d.call(at(11, 16, 9), op, Outcome.SOLVED, 0)
    d.call(at(11, 30, 23, 59), admin, Outcome.SOLVED, 90)
    d.call(at(11, 10, 12), op, None, 0, missed=True)
    d.call(at(11, 20, 12), admin, None, 0, missed=True)
    d.call(at(11, 5, 10), op, Outcome.SOLVED, 30, direction=Direction.OUTBOUND)

    # December
    ids["X2"] = d.complaint(at(12, 1, 0, 10), op, Category.PARKING)
    d.call(at(12, 1, 0, 10), op, Outcome.SOLVED, 999)
    return November(desk, ids, cbs, zhang.phones[0].display, qian.phones[0].display)


def report_at_the_time(desk: Desk, month: Month = NOVEMBER,
                       actor: Actor | None = None) -> MonthlyReport:
    with clock.at(REPORT_TIME):
        return monthly_report(desk.services.db, actor or desk.supervisor, month, "阳光花园")


# -- the figures ------------------------------------------------------------------------------
def test_every_figure_of_the_month(november: November) -> None:
    report = report_at_the_time(november.desk)
    assert (report.centre_name, report.month) == ("阳光花园", NOVEMBER)
    assert report.kpis == Kpis(
        complaints_received=10,  # H A B C D E F G J I (not X1, X2)
        complaints_resolved=6,  # A B C D G J
        resolved_on_time=4,  # A C G J (B reworked, D late)
        resolved_on_time_rate=pytest.approx(4 / 6),
        average_resolve_hours=pytest.approx((2 + 3 + 3 + 10.5 + 1 + 1) / 6),  # A B C D G J
        complaints_reopened=1,  # B
        complaints_closed=3,  # A B G (F cancelled, then archived)
        callbacks_due=8,  # A1 B1 C1 B2 D1 G1 J1 J2 (not K2, J3)
        callbacks_done=5,  # A1 B1 B2 J1 J2
        callbacks_on_time=4,  # A1 B2 J1 J2 (B1 late)
        callbacks_on_time_rate=pytest.approx(4 / 5),
        callbacks_failed=1,  # C1
        callbacks_skipped=1,  # G1
        callbacks_pending=1,  # D1
        callbacks_overdue=1,  # D1, still waiting on 5 Dec
        satisfied=1,  # A1
        fairly_satisfied=1,  # B2
        unsatisfied=3,  # B1 J1 J2
        satisfaction_rate=pytest.approx(2 / 5),
        callbacks_reviewed=2,  # B1 G1
        missed_callbacks_due=2,  # the 回拨 of 10 Nov and 20 Nov, counted apart
        missed_callbacks_overdue=2,  # neither made by 5 Dec
        calls_received=5,  # 1 Nov 00:00, 2 Nov ×2, 16 Nov, 30 Nov 23:59
        calls_missed=2,  # 10 Nov, 20 Nov
        average_handle_seconds=pytest.approx((60 + 120 + 300 + 90) / 4),  # 16 Nov has none
        first_call_resolution=pytest.approx(3 / 5))  # 1 Nov, 16 Nov, 30 Nov solved


def test_every_figure_of_the_previous_month(november: November) -> None:
    report = report_at_the_time(november.desk)
    assert report.previous == Kpis(
        complaints_received=2,  # K X1
        complaints_resolved=1,  # K
        resolved_on_time=1,
        resolved_on_time_rate=1.0,
        average_resolve_hours=pytest.approx(3.0),  # K: 09:00 → 12:00
        complaints_reopened=0,
        complaints_closed=0,  # K awaits its next callback
        callbacks_due=2,  # K1, K2 (31 Oct 23:50)
        callbacks_done=1,  # K1
        callbacks_on_time=1,
        callbacks_on_time_rate=1.0,
        callbacks_failed=0,
        callbacks_skipped=0,
        callbacks_pending=1,  # K2
        callbacks_overdue=1,  # K2
        satisfied=0,
        fairly_satisfied=0,
        unsatisfied=1,  # K1
        satisfaction_rate=0.0,
        callbacks_reviewed=0,
        missed_callbacks_due=1,  # 20 Oct
        missed_callbacks_overdue=1,
        calls_received=2,  # 15 Oct, 31 Oct 23:50
        calls_missed=1,  # 20 Oct
        average_handle_seconds=pytest.approx((200 + 999) / 2),
        first_call_resolution=pytest.approx(1 / 2))
    assert not report.to_date and report.as_of is None  # November is over: whole months
    assert (report.previous_start, report.previous_end) == (at(10, 1), at(11, 1))


def test_the_month_so_far_is_compared_with_the_same_days_before(november: November) -> None:
    # December so far (to 5 Dec 12:00): X2, J3 and the 1 Dec 00:10 call, beside 1 Nov 00:00
    # to 5 Nov 12:00, not the whole of November.
    december = report_at_the_time(november.desk, Month(2026, 12))
    assert (december.kpis.complaints_received, december.kpis.callbacks_due,
            december.kpis.callbacks_pending, december.kpis.calls_received) == (1, 1, 1, 1)
    assert december.to_date and december.as_of == REPORT_TIME
    assert (december.previous_start, december.previous_end) == (at(11, 1), at(11, 5, 12))
    previous = december.previous
    assert (previous.complaints_received, previous.callbacks_due, previous.callbacks_done,
            previous.calls_received, previous.calls_missed) == (3, 1, 1, 3, 0)  # H A B; A1
    assert previous != report_at_the_time(november.desk).kpis


def test_by_category(november: November) -> None:
    rows = report_at_the_time(november.desk).by_category
    assert [(r.category, r.received, r.resolved, r.resolved_on_time, r.reopened, r.satisfied,
             r.unsatisfied) for r in rows] == [
        (Category.REPAIRS, 3, 2, 2, 0, 1, 0),  # A F G; A1 satisfied
        # then one each, in the categories' order
        (Category.CLEANING, 1, 1, 0, 1, 1, 1),  # B: reworked; B2 fairly, B1 unsatisfied
        (Category.SECURITY, 1, 1, 1, 0, 0, 0),  # C
        (Category.PARKING, 1, 0, 0, 0, 0, 0),  # I
        (Category.NOISE, 1, 1, 0, 0, 0, 0),  # D late
        (Category.FEES, 1, 0, 0, 0, 0, 0),  # E
        (Category.ATTITUDE, 1, 1, 1, 0, 0, 2),  # J; J1 J2 unsatisfied
        (Category.OTHER, 1, 0, 0, 0, 0, 0),  # H
    ]
    kpis = report_at_the_time(november.desk).kpis
    assert sum(r.received for r in rows) == kpis.complaints_received
    assert sum(r.resolved for r in rows) == kpis.complaints_resolved
    assert sum(r.resolved_on_time for r in rows) == kpis.resolved_on_time
    assert sum(r.reopened for r in rows) == kpis.complaints_reopened
    assert sum(r.satisfied for r in rows) == kpis.satisfied + kpis.fairly_satisfied
    assert sum(r.unsatisfied for r in rows) == kpis.unsatisfied


def test_by_department(november: November) -> None:
    rows = report_at_the_time(november.desk).by_department
    assert [(r.department, r.dispatched, r.resolved, r.resolved_on_time, r.overdue_open)
            for r in rows] == [
        ("工程部", 2, 2, 2, 0),  # A G (F was never dispatched)
        ("秩序部", 2, 2, 1, 0),  # C D (D late)
        ("环境部", 1, 1, 0, 0),  # B (reworked)
        ("客服中心", 1, 1, 1, 0),  # J
        ("财务部", 1, 0, 0, 1),  # E: overdue on 5 Dec
    ]
    assert [r.average_resolve_hours for r in rows] == [
        pytest.approx(1.5), pytest.approx(6.75), pytest.approx(3.0), pytest.approx(1.0),
        None]  # (2 + 1) / 2, (3 + 10.5) / 2, B, J, nothing resolved
    assert sum(r.dispatched for r in rows) == 10 - 3  # F, H and I have no department


def test_by_operator(november: November) -> None:
    rows = report_at_the_time(november.desk).by_operator
    assert [(r.operator, r.calls_received, r.complaints_registered, r.callbacks_done,
             r.callbacks_failed, r.satisfied) for r in rows] == [
        # calls: 1 Nov, 2 Nov ×2, 16 Nov; complaints A B D E F G J I; callbacks A1 B1 B2 J1
        # J2 made, C1 failed; A1 and B2 satisfied or fairly.
        ("王芳", 4, 8, 5, 1, 2),
        ("李主任", 1, 2, 0, 0, 0),  # the 30 Nov call; H and C. G1 was skipped, not made
    ]
    kpis = report_at_the_time(november.desk).kpis
    assert sum(r.calls_received for r in rows) == kpis.calls_received
    assert sum(r.complaints_registered for r in rows) == kpis.complaints_received
    assert sum(r.callbacks_done for r in rows) == kpis.callbacks_done
    assert sum(r.callbacks_failed for r in rows) == kpis.callbacks_failed
    assert sum(r.satisfied for r in rows) == kpis.satisfied + kpis.fairly_satisfied


def test_daily_calls_cover_every_day(november: November) -> None:
    daily = report_at_the_time(november.desk).daily_calls
    assert len(daily) == 30
    assert [day for day, _ in daily] == [date(2026, 11, n) for n in range(1, 31)]
    assert {day.day: n for day, n in daily if n} == {1: 1, 2: 2, 16: 1, 30: 1}
    assert sum(n for _, n in daily) == 5


def test_complaint_lines(november: November) -> None:
    report = report_at_the_time(november.desk)
    lines = {line.number: line for line in report.complaints}
    assert [line.registered_at for line in report.complaints] == sorted(
        line.registered_at for line in report.complaints)
    assert [line.category for line in report.complaints] == [
        Category.OTHER, Category.REPAIRS, Category.CLEANING, Category.SECURITY,
        Category.NOISE, Category.FEES, Category.REPAIRS, Category.REPAIRS,
        Category.ATTITUDE, Category.PARKING]  # H A B C D E F G J I
    numbers = [line.number for line in report.complaints]
    assert numbers == [f"TS202611-{n:04d}" for n in range(1, 11)]
    h, a, b, c, d, e, f, g, j, i = (lines[n] for n in numbers)
    assert (a.customer, a.unit, a.department, a.status, a.on_time, a.reopened,
            a.satisfaction) == ("张三", "3栋2单元1502", "工程部", Status.CLOSED, True, 0,
                                Satisfaction.SATISFIED)
    assert a.resolve_hours == pytest.approx(2.0)
    assert a.resolved_at == at(11, 2, 11)
    # B was reworked: its first resolution is the one shown, not on time by definition.
    assert (b.resolved_at, b.on_time, b.reopened, b.satisfaction) == (
        at(11, 4, 10, 30), False, 1, Satisfaction.FAIRLY)
    assert b.resolve_hours == pytest.approx(3.0)
    assert c.resolve_hours == pytest.approx(3.0)  # round the clock, on a Saturday evening
    assert (c.on_time, c.satisfaction, c.status) == (True, None, Status.AWAITING_CALLBACK)
    assert (d.on_time, d.resolve_due_at) == (False, at(11, 17, 9))
    assert d.resolve_hours == pytest.approx(10.5)
    for open_one in (h, e, i):
        assert (open_one.resolved_at, open_one.on_time, open_one.resolve_hours) == (
            None, None, None)
    assert f.status == Status.ARCHIVED and f.on_time is None
    assert (g.customer, g.phone, g.status) == ("钱七", november.qian_phone, Status.CLOSED)
    assert j.satisfaction == Satisfaction.UNSATISFIED  # J2, the latest
    assert a.phone == november.zhang_phone  # typed on the form


def test_callback_lines_and_follow_up(november: November) -> None:
    report = report_at_the_time(november.desk)
    cb = november.callbacks
    lines = report.callbacks
    assert [line.due_at for line in lines] == [
        # C1's due time as first set (12:30); its retries moved the task's own to 16:30.
        at(11, 4, 11), at(11, 6, 10, 30), at(11, 9, 12, 30), at(11, 11, 15),
        at(11, 18, 10, 30), at(11, 25, 10), at(11, 26, 10), at(11, 30, 23, 59)]
    a1, b1, c1, b2, d1, g1, j1, j2 = lines
    numbers = [line.number for line in report.complaints]
    assert [x.complaint_number for x in lines] == [
        numbers[i] for i in (1, 2, 3, 2, 4, 7, 8, 8)]  # A B C B D G J J
    assert (a1.reached, a1.failed, a1.satisfaction, a1.operator, a1.attempts,
            a1.category, a1.customer) == (True, False, Satisfaction.SATISFIED, "王芳", 1,
                                          Category.REPAIRS, "张三")
    assert a1.status == CallbackStatus.DONE.label
    assert (b1.done_at, b1.reviewed_by, b1.review_comment, b1.comment) == (
        at(11, 9, 9), "赵主管", "已督促环境部", "还是很脏")
    assert (c1.failed, c1.reached, c1.attempts, c1.status, c1.done_at) == (
        True, False, 3, CallbackStatus.FAILED.label, at(11, 9, 17))
    assert (d1.status, d1.done_at, d1.operator) == (CallbackStatus.PENDING.label, None, "")
    assert (g1.status, g1.operator, g1.reviewed_by) == (
        CallbackStatus.SKIPPED.label, "李主任", "赵主管")
    assert (j2.done_at, j2.satisfaction) == (at(11, 30, 23, 58), Satisfaction.UNSATISFIED)
    assert b2.satisfaction == Satisfaction.FAIRLY and j1.reached
    assert report.follow_up == [b1, c1, j1, j2]  # unsatisfied or failed
    assert (c1.due_at, len(november.desk.callback_ids(november.ids["J"]))) == (
        at(11, 9, 12, 30), 3)  # J3 exists, in December
    assert cb["B1"] != cb["B2"]


# -- edges ------------------------------------------------------------------------------------
def test_an_empty_month_is_all_zeros(desk: Desk) -> None:
    report = report_at_the_time(desk, Month(2026, 2))
    for kpis in (report.kpis, report.previous):
        for f in fields(Kpis):
            value = getattr(kpis, f.name)
            if f.type.startswith("int"):
                assert value == 0, f.name
            else:
                assert value is None, f.name
    assert report.kpis == Kpis() == report.previous
    assert (report.by_category, report.by_department, report.by_operator, report.complaints,
            report.callbacks, report.follow_up) == ([], [], [], [], [], [])
    assert report.daily_calls == [(date(2026, 2, n), 0) for n in range(1, 29)]


def test_a_month_of_unreachable_customers(desk: Desk) -> None:
    """March 2026: two complaints resolved on Monday 2 March, nobody answers three times."""
    first = desk.complaint(at(3, 2, 9), desk.operator, Category.NOISE, department="秩序部")
    second = desk.complaint(at(3, 2, 10), desk.operator, Category.FEES, department="财务部")
    desk.resolve(at(3, 2, 11), first)
    desk.resolve(at(3, 2, 11), second)
    for complaint_id in (first, second):  # due 4 Mar 11:00; tried 09:00, 11:30, 14:00
        for hour, minute in ((9, 0), (11, 30), (14, 0)):
            desk.callback(at(3, 4, hour, minute), complaint_id, NOT_REACHED)
    report = report_at_the_time(desk, Month(2026, 3))
    k = report.kpis
    assert (k.callbacks_due, k.callbacks_failed, k.callbacks_done, k.callbacks_pending,
            k.callbacks_skipped) == (2, 2, 0, 0, 0)
    assert (k.satisfaction_rate, k.callbacks_on_time_rate, k.callbacks_on_time) == (
        None, None, 0)
    assert (k.satisfied, k.fairly_satisfied, k.unsatisfied) == (0, 0, 0)
    assert (k.complaints_received, k.complaints_resolved, k.resolved_on_time,
            k.complaints_closed) == (2, 2, 2, 0)
    assert k.average_resolve_hours == pytest.approx((2 + 1) / 2)
    assert (k.calls_received, k.average_handle_seconds, k.first_call_resolution) == (
        0, None, None)
    assert [line.attempts for line in report.callbacks] == [3, 3]
    assert report.follow_up == report.callbacks
    assert [(r.operator, r.callbacks_done, r.callbacks_failed, r.complaints_registered)
            for r in report.by_operator] == [("王芳", 0, 2, 2)]
    assert report.previous == Kpis()  # February: nothing


def test_month_bounds_are_local(desk: Desk) -> None:
    start, end = month_bounds(NOVEMBER)
    assert start == datetime(2026, 10, 31, 16, 0, tzinfo=UTC)  # 1 Nov 00:00 in Shanghai
    assert end == datetime(2026, 11, 30, 16, 0, tzinfo=UTC)
    assert month_bounds(Month(2026, 12))[1] == at(1, 1, year=2027)
    assert Month(2026, 1).previous == Month(2025, 12)
    assert (str(Month(2026, 1)), Month(2026, 12).next_first_day) == (
        "2026-01", date(2027, 1, 1))
    # A call on 31 December 23:59 is December's; one on 1 January 00:00 January's.
    desk.call(at(12, 31, 23, 59), desk.operator, Outcome.SOLVED, 10)
    desk.call(at(1, 1, 0, 0, year=2027), desk.operator, Outcome.SOLVED, 20)
    december = report_at_the_time(desk, Month(2026, 12))
    january = report_at_the_time(desk, Month(2027, 1))
    assert (december.kpis.calls_received, december.kpis.average_handle_seconds) == (1, 10)
    assert (january.kpis.calls_received, january.kpis.average_handle_seconds) == (1, 20)
    assert january.previous == december.kpis
    assert december.daily_calls[-1] == (date(2026, 12, 31), 1)
    assert january.daily_calls[0] == (date(2027, 1, 1), 1)


# -- who may see it ----------------------------------------------------------------------------
def test_supervisors_and_administrators_only(desk: Desk) -> None:
    with pytest.raises(PermissionDenied):
        report_at_the_time(desk, actor=desk.operator)
    assert report_at_the_time(desk, actor=desk.supervisor).kpis == Kpis()
    assert report_at_the_time(desk, actor=desk.admin).kpis == Kpis()
    assert report_at_the_time(desk, actor=Actor.system()).kpis == Kpis()
    assert desk.supervisor.can(Permission.VIEW_MONTHLY_REPORT)
    assert not desk.operator.can(Permission.VIEW_MONTHLY_REPORT)
    assert Permission.VIEW_MONTHLY_REPORT.label


# -- months and definitions ------------------------------------------------------------------
@pytest.mark.parametrize(("text", "month"), [
    ("2026-11", Month(2026, 11)), (" 2026-1 ", Month(2026, 1)), ("2026-09", Month(2026, 9)),
    ("2026-12", Month(2026, 12))])
def test_months_are_parsed(text: str, month: Month) -> None:
    assert Month.parse(text) == month


@pytest.mark.parametrize("text", [
    "", "2026", "2026-", "-11", "2026-13", "2026-00", "2026-0", "26-11", "202611",
    "2026-11-01", "2026/11", "abcd-ef", "2026-1a", "2026-+1", "２０２６-11", "0001-01",
    "9999-12", "2026 - 11", "11-2026"])
def test_bad_months_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        Month.parse(text)


def test_every_figure_has_a_definition() -> None:
    i18n.set_language("en")
    names = [f.name for f in fields(Kpis)]
    assert list(kpi_labels()) == names
    defined = definitions()
    assert len(defined) == len(names)
    assert [label for label, _ in defined] == list(kpi_labels().values())
    assert len({label for label, _ in defined}) == len(names)  # no two figures share a label
    assert all(label.strip() and how.strip() for label, how in defined)
    assert dict(defined)["Satisfaction rate"] == (
        "(Satisfied + Fairly satisfied) / callbacks where the customer was reached, among "
        "complaint callbacks due in the month.")
    from app.reports import monthly

    assert defined == monthly.DEFINITIONS
    with pytest.raises(AttributeError):
        monthly.NOT_THERE  # noqa: B018


# -- filters and calls by type -------------------------------------------------------------------
def test_daily_calls_by_type(november: November) -> None:
    report = report_at_the_time(november.desk)
    assert [d for d, _k in report.daily_calls_by_type] == [d for d, _c in report.daily_calls]
    for (_day, kinds), (_same, count) in zip(report.daily_calls_by_type, report.daily_calls,
                                             strict=True):
        assert sum(kinds.values()) == count
    by_day = dict(report.daily_calls_by_type)
    assert by_day[date(2026, 11, 1)] == {CallType.INQUIRY: 1}
    assert by_day[date(2026, 11, 2)] == {CallType.REPAIR: 1, CallType.COMPLAINT: 1}
    assert by_day[date(2026, 11, 10)] == {}  # the missed call does not count


def test_a_month_narrowed_to_an_estate_and_a_department(desk: Desk) -> None:
    """锦绣花园: P (工程部, resolved, called back satisfied), Q (环境部), a call on one of its
    units; 阳光花园: R (工程部, resolved, called back), a call; no unit: S (工程部), a call.
    October: T (锦绣花园, 工程部)."""
    d, services, admin = desk, desk.services, desk.admin
    jin = services.customers.create(admin, CustomerInput(
        name="周一", phones=[PhoneInput("13700137000")], units=[UnitInput("锦绣花园3栋2单元1502")]))
    yang = services.customers.create(admin, CustomerInput(
        name="吴二", phones=[PhoneInput("13600136000")], units=[UnitInput("阳光花园1-1-101")]))
    jin_unit, yang_unit = jin.units[0].id, yang.units[0].id
    t = d.complaint(at(10, 20, 9), d.operator, Category.REPAIRS, department="工程部",
                    customer_id=jin.id, unit_id=jin_unit)
    p = d.complaint(at(11, 2, 9), d.operator, Category.REPAIRS, department="工程部",
                    customer_id=jin.id, unit_id=jin_unit)
    d.complaint(at(11, 3, 9), d.operator, Category.CLEANING, department="环境部",
                customer_id=jin.id, unit_id=jin_unit)
    r = d.complaint(at(11, 4, 9), d.operator, Category.REPAIRS, department="工程部",
                    customer_id=yang.id, unit_id=yang_unit)
    d.complaint(at(11, 5, 9), d.operator, Category.NOISE, department="工程部")
    for complaint_id in (t, p, r):
        d.resolve(at(10, 21, 10) if complaint_id == t else at(11, 6, 10), complaint_id)
    d.callback(at(11, 9, 10), p, SATISFIED)
    d.callback(at(11, 9, 11), r, FAIRLY)
    d.call(at(11, 2, 8), d.operator, Outcome.DISPATCHED, 100, unit_id=jin_unit)
    d.call(at(11, 3, 8), d.operator, Outcome.SOLVED, 100, unit_id=jin_unit)
    d.call(at(11, 4, 8), d.operator, Outcome.SOLVED, 100, unit_id=yang_unit)
    d.call(at(11, 5, 8), d.operator, Outcome.SOLVED, 100)

    from app.reports.monthly import estates
    assert estates(services.db) == ["锦绣花园", "阳光花园"]

    def narrowed(**filters: object) -> MonthlyReport:
        with clock.at(REPORT_TIME):
            return monthly_report(services.db, d.supervisor, NOVEMBER, "", **filters)  # type: ignore[arg-type]

    everything = narrowed()
    k = everything.kpis
    assert (k.complaints_received, k.callbacks_due, k.callbacks_done, k.calls_received) \
        == (4, 2, 2, 4)
    assert (everything.estate, everything.department, everything.filtered) == ("", "", False)

    jin_report = narrowed(estate="锦绣花园")
    k = jin_report.kpis
    assert (k.complaints_received, k.complaints_resolved, k.callbacks_due, k.callbacks_done,
            k.satisfied, k.fairly_satisfied, k.calls_received) == (2, 1, 1, 1, 1, 0, 2)
    assert {c.category for c in jin_report.complaints} == {Category.REPAIRS, Category.CLEANING}
    assert [c.customer for c in jin_report.callbacks] == ["周一"]
    assert sum(c for _d, c in jin_report.daily_calls) == 2
    assert (jin_report.previous.complaints_received, jin_report.previous.callbacks_due) == (1, 1)
    assert jin_report.estate == "锦绣花园" and jin_report.filtered

    works = narrowed(department_id=d.departments["工程部"])
    k = works.kpis
    assert (k.complaints_received, k.complaints_resolved, k.callbacks_due, k.satisfied,
            k.fairly_satisfied) == (3, 2, 2, 1, 1)  # P R S; P1 R1
    assert k.calls_received == 4  # calls are not narrowed by department
    assert works.department == "工程部" and works.estate == ""
    assert [r.department for r in works.by_department] == ["工程部"]
    assert works.previous.complaints_received == 1  # T

    both = narrowed(estate="锦绣花园", department_id=d.departments["工程部"])
    k = both.kpis
    assert (k.complaints_received, k.callbacks_due, k.calls_received) == (1, 1, 2)  # P; P1
    assert [c.number for c in both.complaints] == [
        c.number for c in everything.complaints if c.registered_at == at(11, 2, 9)]

    nothing = narrowed(estate="没有这个小区")
    assert nothing.kpis == Kpis() and nothing.previous == Kpis()


# -- which way is better, and the overdue backlog --------------------------------------------------
def test_each_figure_says_which_way_is_better() -> None:
    assert all(f.metadata.get("better", "missing") in (UP, DOWN, None) for f in fields(Kpis))
    for name in ("complaints_received", "complaints_reopened", "callbacks_overdue",
                 "missed_callbacks_overdue", "average_resolve_hours", "average_handle_seconds"):
        assert better(name) == DOWN, name
        assert change_is_good(name, 3) is False and change_is_good(name, -0.5) is True
    for name in ("resolved_on_time_rate", "satisfaction_rate", "callbacks_on_time_rate",
                 "missed_callbacks_on_time_rate", "first_call_resolution"):
        assert better(name) == UP, name
        assert change_is_good(name, 0.1) is True and change_is_good(name, -0.1) is False
    assert change_is_good("calls_received", 40) is None  # a volume: neither good nor bad
    assert change_is_good("complaints_received", 0) is None


def test_overdue_complaints_count_whenever_they_were_registered(november: November) -> None:
    # December's own complaint (X2) is not overdue on 5 Dec, but November's are still open
    # and past their deadlines: the backlog by department shows them.
    december = report_at_the_time(november.desk, Month(2026, 12))
    assert all(row.overdue_open == 0 for row in december.by_department)
    assert dict(december.overdue_now) == dict(report_at_the_time(november.desk).overdue_now)
    backlog = dict(december.overdue_now)
    assert backlog.get("财务部") == 1  # E, never handled
    with november.desk.services.db.read() as session:
        overdue = session.scalar(select(func.count(Complaint.id)).where(
            Complaint.status.in_(list(OPEN_STATUSES)),
            Complaint.next_due_at < REPORT_TIME))
    assert sum(backlog.values()) == overdue > 1
    with clock.at(REPORT_TIME):
        narrowed = monthly_report(november.desk.services.db, november.desk.supervisor,
                                  Month(2026, 12),
                                  department_id=november.desk.departments["财务部"])
    assert narrowed.overdue_now == [("财务部", 1)]


def test_an_operator_sees_their_own_day_and_month(desk: Desk) -> None:
    op = desk.operator
    desk.call(at(10, 30, 9), op, Outcome.SOLVED, 60)  # last month: not counted
    desk.call(at(11, 2, 10), op, Outcome.SOLVED, 60)
    desk.call(at(11, 16, 9), op, Outcome.DISPATCHED, 120)
    desk.call(at(11, 16, 10), op, Outcome.SOLVED, 0)  # no duration recorded
    desk.call(at(11, 16, 11), desk.admin, Outcome.SOLVED, 300)  # a colleague's
    complaint = desk.complaint(at(11, 16, 9, 30), op, Category.NOISE, department="秩序部")
    desk.resolve(at(11, 16, 10), complaint)
    desk.callback(at(11, 16, 11), complaint, SATISFIED)
    with clock.at(at(11, 16, 12)):
        own = own_report(desk.services.db, op)
    assert (own.name, own.day) == ("王芳", date(2026, 11, 16))
    assert own.today == OwnFigures(calls_received=2, average_handle_seconds=120,
                                   first_call_resolution=0.5, complaints_registered=1,
                                   callbacks_done=1)
    assert own.month == OwnFigures(calls_received=3, average_handle_seconds=90,
                                   first_call_resolution=pytest.approx(2 / 3),
                                   complaints_registered=1, callbacks_done=1)
    assert set(own_labels()) == {f.name for f in fields(OwnFigures)}
