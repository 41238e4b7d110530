"""Demo data at scale, written straight into the tables: the benchmark's databases and
``calldesk demo-data --bulk``.

The small demo (``app.demo``) replays history through the services: one transaction and an
audit entry per step, right for a few hundred calls and hours for a million. Here the same
rows are bulk-inserted with SQLAlchemy Core, holding what the services would have written:
phone grams, pinyin keys and unit labels; calls by hour and weekday; complaint forms with
numbers on the desk's calendar month, deadlines from the working calendar and the rules in
the database, and a timeline of every step; callbacks with their attempts and the outbound
calls those logged. The audit trail is not written: nobody's hands made these rows.
``tests/test_demo_bulk.py`` reads the result back through the services.

Sizes: S = 2,000 customers and 3 months, M = 20,000 and a year, L = 100,000 and three years
(about a million calls). The same seed and ``now`` give the same rows.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from typing import Any

from faker import Faker
from sqlalchemy import Table, insert, select, text
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from app import clock
from app.db import Database
from app.db.models import (
    Call,
    CallbackAttempt,
    CallbackTask,
    Complaint,
    ComplaintEvent,
    Customer,
    CustomerNameGram,
    CustomerPhone,
    CustomerUnit,
    FormSequence,
    PhoneGram,
    Unit,
    User,
    name_grams,
    phone_grams,
)
from app.demo import (
    CALL_TYPES,
    COMPLAINTS,
    DEMANDS,
    DEMO_PASSWORD,
    ESTATE_PREFIXES,
    ESTATE_SUFFIXES,
    SUMMARIES,
    create_staff,
    require_empty,
)
from app.demo_timing import WorkClock
from app.domain.calls import (
    CallbackReason,
    CallbackStatus,
    CallType,
    Direction,
    Outcome,
    Satisfaction,
)
from app.domain.complaints import (
    NUMBER_PREFIX,
    WORKING_STATUSES,
    Action,
    Category,
    Severity,
    Source,
    Status,
    format_number,
)
from app.domain.customers import CustomerType, Tier, Title, name_keys
from app.domain.phones import Phone, PhoneError, parse_phone
from app.domain.roles import Role
from app.domain.units import UnitAddress
from app.domain.working_time import WorkingCalendar
from app.i18n import translate
from app.services import deadlines
from app.settings import (
    CALLBACK_DUE_NORMAL,
    CALLBACK_DUE_SERIOUS,
    CALLBACK_DUE_URGENT,
    CALLBACK_MAX_ATTEMPTS,
    CALLBACK_RETRY_MINUTES,
)

SIZES = {"S": (2_000, 3), "M": (20_000, 12), "L": (100_000, 36)}  # customers, months
# About 1,100 calls a working day per 100,000 customers (fewer at weekends): L's three
# years come to about a million calls.
CALLS_PER_CUSTOMER_DAY = 0.0108
WEEKEND_SHARE = 0.45
HOUR_WEIGHTS = {8: 6, 9: 9, 10: 9, 11: 8, 12: 5, 13: 5, 14: 7, 15: 7, 16: 6, 17: 4, 18: 3,
                19: 2, 20: 1}
MISSED_SHARE = 0.05
UNSATISFIED_SHARE = 0.09  # of the customers a callback reaches: the form goes back
UNKNOWN_CALLER_SHARE = 0.03
OUTBOUND_SHARE = 0.08
CALLS_PER_OPERATOR_DAY = 120
NAME_POOL = 5_000
MAX_OCCUPANTS = 3  # family members and tenants linked to one owner's home
BATCH = 50_000  # rows kept before they are written
MOBILE_PREFIXES = (
    "130", "131", "132", "133", "135", "136", "137", "138", "138", "139", "139", "150",
    "151", "152", "153", "155", "156", "157", "158", "159", "166", "173", "175", "176",
    "177", "178", "180", "181", "182", "183", "185", "186", "186", "187", "188", "189",
    "191", "198", "199",
)
AREA = "0571"
PHASES = ("", "二期", "三期", "四期", "五期")
NOTES = ("", "", "", "", "", "老人独居，来电请耐心", "常年出差，优先联系家属",
         "对噪音问题较敏感", "装修中", "有宠物，上门前先电话")
RESOLUTIONS = ("已安排人员现场处理，问题已解决", "已与相关业主沟通，问题已解决",
               "已维修完毕，经业主确认", "已加强巡查并书面告知责任方")
MEASURES = ("加强日常巡查", "纳入每周例会跟踪", "已对相关人员进行培训", "")
CALLBACK_COMMENTS = ("", "", "处理及时，很满意", "师傅态度很好", "希望以后保持")


@dataclass
class BulkSummary:
    seed: int
    centre_name: str = ""
    users: int = 0
    customers: int = 0
    merged: int = 0
    phones: int = 0
    landlines: int = 0
    shared_numbers: int = 0
    grams: int = 0
    units: int = 0
    links: int = 0
    estates: int = 0
    calls: int = 0
    missed: int = 0
    complaints: int = 0
    events: int = 0
    callbacks: int = 0
    attempts: int = 0
    seconds: float = 0.0


class _Rows:
    """Rows waiting to be inserted, written table by table in dependency order."""

    TABLES: tuple[Table, ...] = tuple(model.__table__ for model in (  # type: ignore[misc]
        Unit, Customer, CustomerNameGram, CustomerPhone, PhoneGram, CustomerUnit, Call,
        Complaint,
        ComplaintEvent, CallbackTask, CallbackAttempt, FormSequence))

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.pending: dict[Table, list[dict[str, Any]]] = {t: [] for t in self.TABLES}
        self.count = 0

    def add(self, model: Any, row: dict[str, Any]) -> None:
        self.pending[model.__table__].append(row)
        self.count += 1

    def flush_if_full(self) -> None:
        """Called between whole items (a card, a call with all it led to), so every row
        written has the rows it points at written too."""
        if self.count >= BATCH:
            self.flush()

    def flush(self) -> None:
        for table in self.TABLES:
            rows = self.pending[table]
            if rows:
                self.connection.execute(insert(table), rows)
                rows.clear()
        self.count = 0


def fill(db: Database, *, seed: int, customers: int, months: int,
         now: datetime | None = None, password: str = DEMO_PASSWORD,
         progress: Callable[[str], None] | None = None) -> BulkSummary:
    """Fills an empty, migrated database: the staff of ``app.demo`` (signing in with
    ``password``), ``customers`` cards and ``months`` months of activity up to ``now``."""
    require_empty(db)
    started = time.perf_counter()
    now = (now or clock.utcnow()).astimezone(UTC)
    say = progress or (lambda _message: None)
    fake = Faker("zh_CN")
    fake.seed_instance(seed)
    rng = random.Random(seed)
    summary = BulkSummary(seed=seed)
    homes, shops = _plan_homes(rng, int(customers * 0.8) + 20)
    estates = sorted(shops)
    summary.estates = len(estates)
    summary.centre_name = f"{estates[0]}物业服务中心"
    days = round(months * 365.25 / 12)
    operators = max(2, min(40, round(customers * CALLS_PER_CUSTOMER_DAY
                                     / CALLS_PER_OPERATOR_DAY) + 1))
    staff = create_staff(db, fake, summary.centre_name, password, operators=operators)
    summary.users = staff.users
    with db.engine.begin() as connection:
        rows = _Rows(connection)
        cards = _Cards(rows, rng, fake, summary, homes, shops, estates, staff.admin.user_id,
                       now)
        cards.generate(customers, say)
        if days and cards.callers:
            history = _History(connection, rows, rng, summary, cards, staff.departments, now)
            history.generate(days, customers, say)
            history.write_sequences()
        rows.flush()
        if connection.dialect.name == "postgresql":
            _sync_sequences(connection)
    if db.engine.dialect.name == "sqlite":
        with db.engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    summary.seconds = round(time.perf_counter() - started, 2)
    return summary


def _sync_sequences(connection: Connection) -> None:
    """Explicit ids leave PostgreSQL's sequences behind; the services' next insert needs
    them past the last id."""
    for table in _Rows.TABLES:
        if "id" not in table.c:
            continue
        connection.execute(text(
            f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
            f"(SELECT coalesce(max(id), 0) + 1 FROM {table.name}), false)"))


# -- the card file --------------------------------------------------------------------------
def _plan_homes(rng: random.Random, needed: int) -> tuple[list[UnitAddress],
                                                         dict[str, list[UnitAddress]]]:
    """Estates with buildings, units, floors and rooms until there are ``needed`` homes
    (shuffled, so owners fill every estate a little), plus each estate's shops."""
    names = [p + s for p in ESTATE_PREFIXES for s in ESTATE_SUFFIXES]
    rng.shuffle(names)
    homes: list[UnitAddress] = []
    shops: dict[str, list[UnitAddress]] = {}
    index = 0
    while len(homes) < needed:
        estate = names[index % len(names)] + PHASES[min(index // len(names), len(PHASES) - 1)]
        if index // len(names) >= len(PHASES):
            estate += str(index)
        index += 1
        buildings, units = rng.randint(8, 20), rng.randint(2, 4)
        floors, rooms = rng.randint(11, 32), rng.choice((2, 2, 4))
        homes.extend(UnitAddress(estate, str(b), str(u), f"{f}{r:02d}")
                     for b in range(1, buildings + 1) for u in range(1, units + 1)
                     for f in range(1, floors + 1) for r in range(1, rooms + 1))
        shops[estate] = [UnitAddress(estate, "S1", "", str(100 + k)) for k in range(1, 41)]
    rng.shuffle(homes)
    return homes, shops


def mobile(rng: random.Random) -> Phone:
    while True:
        try:
            phone = parse_phone(f"{rng.choice(MOBILE_PREFIXES)}{rng.randint(0, 99_999_999):08d}")
        except PhoneError:
            continue
        if phone.known_range:  # as the demo always drew: ranges the number data knows
            return phone


def _landline(rng: random.Random) -> Phone:
    while True:
        try:
            return parse_phone(f"{AREA}-8{rng.randint(0, 9_999_999):07d}")
        except PhoneError:
            continue


@dataclass(frozen=True)
class Caller:
    customer_id: int
    phone: str  # as the caller ID shows it
    normalized: str
    unit_id: int | None
    do_not_call: bool


class _Cards:
    """Owners, their families and tenants, merchants, and a few cards merged away."""

    def __init__(self, rows: _Rows, rng: random.Random, fake: Faker, summary: BulkSummary,
                 homes: list[UnitAddress], shops: dict[str, list[UnitAddress]],
                 estates: list[str], admin_id: int | None, now: datetime) -> None:
        self.rows, self.rng, self.fake, self.summary = rows, rng, fake, summary
        self.homes, self.shops, self.estates = homes, shops, estates
        self.admin_id, self.now = admin_id, now
        self.unit_ids: dict[str, int] = {}
        self.callers: list[Caller] = []
        self.phone_id = self.link_id = 0

    def unit_id(self, address: UnitAddress, at: datetime) -> int:
        key = address.key()
        if key not in self.unit_ids:
            self.unit_ids[key] = len(self.unit_ids) + 1
            self.rows.add(Unit, {
                "id": self.unit_ids[key], "key": key, "estate": address.estate,
                "building": address.building, "unit": address.unit, "room": address.room,
                "label": address.label(), "created_at": at})
        return self.unit_ids[key]

    def link(self, customer: int, unit: int, role: CustomerType) -> None:
        self.link_id += 1
        self.rows.add(CustomerUnit, {"id": self.link_id, "customer_id": customer,
                                     "unit_id": unit, "role": role})

    def add_phone(self, customer: int, phone: Phone, label: str, order: int) -> None:
        self.phone_id += 1
        self.rows.add(CustomerPhone, {
            "id": self.phone_id, "customer_id": customer, "normalized": phone.normalized,
            "digits": phone.digits, "display": phone.display, "label": label,
            "sort_order": order})
        grams = phone_grams(phone.digits)
        for gram in grams:
            self.rows.add(PhoneGram, {"gram": gram, "phone_id": self.phone_id})
        self.summary.grams += len(grams)
        self.summary.phones += 1
        self.summary.landlines += phone.kind == "landline"

    def generate(self, customers: int, say: Callable[[str], None]) -> None:  # noqa: C901
        rng, fake, info = self.rng, self.fake, self.summary
        males = [fake.name_male() for _ in range(NAME_POOL // 2)]
        females = [fake.name_female() for _ in range(NAME_POOL - NAME_POOL // 2)]
        keys: dict[str, tuple[str, str]] = {}
        grams: dict[str, list[str]] = {}
        live: list[int] = []
        names: dict[int, tuple[str, bool]] = {}
        owners: list[int] = []
        owner_home: dict[int, int] = {}
        owner_landline: dict[int, Phone] = {}
        with_landline: list[int] = []
        occupants: dict[int, int] = {}  # family members and tenants at an owner's home
        next_home = 0
        three_years = 3 * 365 * 86_400
        started = time.perf_counter()
        for cid in range(1, customers + 1):
            male = rng.random() < 0.5
            name = rng.choice(males if male else females)
            created = self.now - timedelta(seconds=rng.randint(0, three_years))
            updated = created + timedelta(
                seconds=rng.randint(0, int((self.now - created).total_seconds())))
            roll = rng.random()
            merged_into = None
            if live and roll < 0.005:  # a duplicate card that was merged away
                merged_into = rng.choice(live)
                name, male = names[merged_into]
                kind = CustomerType.OWNER
            elif owners and roll < 0.125:
                kind = CustomerType.FAMILY
            elif owners and roll < 0.305:
                kind = CustomerType.TENANT
            elif roll < 0.325:
                kind = CustomerType.MERCHANT
            else:
                kind = CustomerType.OWNER
            owner = 0
            if kind in (CustomerType.FAMILY, CustomerType.TENANT):
                # a family at home is often known by the home's landline
                pool = with_landline if kind == CustomerType.FAMILY and with_landline \
                    and rng.random() < 0.3 else owners
                owner = rng.choice(pool)
                for _ in range(3):  # a home holds a few people, not a dozen
                    if occupants[owner] < MAX_OCCUPANTS:
                        break
                    owner = rng.choice(owners)
                if occupants[owner] >= MAX_OCCUPANTS:
                    kind = CustomerType.OWNER
                else:
                    occupants[owner] += 1
            if name not in keys:
                keys[name] = name_keys(name)
            pinyin, initials = keys[name]
            tier = Tier.VIP if rng.random() < 0.05 else \
                Tier.BLACKLIST if rng.random() < 0.01 else Tier.NORMAL
            do_not_call = rng.random() < 0.03
            self.rows.add(Customer, {
                "id": cid, "name": name, "name_pinyin": pinyin, "name_initials": initials,
                "title": Title.MR if male else Title.MS, "customer_type": kind,
                "tier": tier, "do_not_call": do_not_call,
                "notes": rng.choice(NOTES), "merged_into_id": merged_into,
                "created_at": created, "updated_at": updated,
                "created_by_id": self.admin_id, "updated_by_id": self.admin_id})
            for gram in grams.setdefault(name, name_grams(name)):
                self.rows.add(CustomerNameGram, {"gram": gram, "customer_id": cid})
            info.customers += 1
            if merged_into is not None:  # merging moved its numbers and units away
                info.merged += 1
                continue
            live.append(cid)
            names[cid] = (name, male)
            phones: list[tuple[Phone, str]] = []
            home: int | None
            if kind in (CustomerType.FAMILY, CustomerType.TENANT):
                home = owner_home[owner]
                self.link(cid, home, kind)
                if kind == CustomerType.TENANT or rng.random() < 0.85:
                    phones.append((mobile(rng), "手机"))
                shared = owner_landline.get(owner)
                if kind == CustomerType.FAMILY and shared is not None \
                        and (not phones or rng.random() < 0.6):
                    phones.append((shared, "家庭"))
                    info.shared_numbers += 1
                if not phones:
                    phones.append((mobile(rng), "手机"))
            elif kind == CustomerType.MERCHANT:
                home = self.unit_id(rng.choice(self.shops[rng.choice(self.estates)]), created)
                self.link(cid, home, kind)
                phones.append((mobile(rng), "手机"))
                if rng.random() < 0.3:
                    phones.append((_landline(rng), "店铺"))
            else:
                home = self.unit_id(self.homes[next_home % len(self.homes)], created)
                next_home += 1
                self.link(cid, home, kind)
                owners.append(cid)
                occupants[cid] = 0
                owner_home[cid] = home
                if rng.random() < 0.06:  # owns a second flat
                    self.link(cid, self.unit_id(self.homes[next_home % len(self.homes)],
                                                created), kind)
                    next_home += 1
                phones.append((mobile(rng), "手机"))
                if rng.random() < 0.12:
                    landline = _landline(rng)
                    owner_landline[cid] = landline
                    with_landline.append(cid)
                    phones.append((landline, "家庭"))
                if rng.random() < 0.05:
                    second = mobile(rng)
                    if second.normalized != phones[0][0].normalized:
                        phones.append((second, "工作"))
            for order, (phone, label) in enumerate(phones):
                self.add_phone(cid, phone, label, order)
                self.callers.append(Caller(cid, phone.display, phone.normalized, home,
                                           do_not_call))
            self.rows.flush_if_full()
            if cid % 20_000 == 0:
                say(f"  {cid:,} of {customers:,} customers "
                    f"({time.perf_counter() - started:.1f} s)")
        info.units = len(self.unit_ids)
        info.links = self.link_id


# -- calls, complaints and callbacks -------------------------------------------------------
@dataclass
class _Person:
    user_id: int
    name: str


class _History:
    """Day by day, the calls of the front desk; complaint calls become forms that go through
    dispatch, handling and callback at plausible times, up to ``now``."""

    def __init__(self, connection: Connection, rows: _Rows, rng: random.Random,
                 summary: BulkSummary, cards: _Cards, departments: dict[str, int],
                 now: datetime) -> None:
        self.rows, self.rng, self.summary, self.cards, self.now = rows, rng, summary, cards, now
        self.departments = departments
        users = connection.execute(select(User.id, User.login, User.display_name,
                                          User.role)).all()
        self.operators = [_Person(u.id, u.display_name) for u in users
                          if u.role == Role.OPERATOR]
        self.supervisor = next(_Person(u.id, u.display_name) for u in users
                               if u.login == "demo")
        session = Session(bind=connection)
        self.calendar: WorkingCalendar = deadlines.load_calendar(session)
        # Follow-up work (dispatch, handling, callbacks, reviews) in business hours, in order.
        self.work = WorkClock(self.calendar, self.rng)
        self.rules = {(c, s): deadlines.rule_for(session, deadlines.COMPLAINT, c, s)
                      for c in Category for s in Severity}
        self.callback_minutes = {Severity.URGENT: CALLBACK_DUE_URGENT.default,
                                 Severity.SERIOUS: CALLBACK_DUE_SERIOUS.default,
                                 Severity.NORMAL: CALLBACK_DUE_NORMAL.default}
        self.sequences: Counter[str] = Counter()
        self.call_id = self.complaint_id = self.event_id = self.task_id = self.attempt_id = 0

    # -- the days ------------------------------------------------------------------------
    def generate(self, days: int, customers: int, say: Callable[[str], None]) -> None:
        rng = self.rng
        local_now = self.now.astimezone()
        daily = customers * CALLS_PER_CUSTOMER_DAY
        hours, weights = zip(*HOUR_WEIGHTS.items(), strict=True)
        started = time.perf_counter()
        for back in range(days, -1, -1):
            day: date = (local_now - timedelta(days=back)).date()
            volume = daily * (WEEKEND_SHARE if day.weekday() >= 5 else 1.0) \
                * rng.uniform(0.85, 1.15)
            count = int(volume) + (rng.random() < volume % 1)
            moments = sorted(
                datetime.combine(day, clock_time(h, rng.randint(0, 59), rng.randint(0, 59)))
                .astimezone() for h in rng.choices(hours, weights=weights, k=count))
            for moment in moments:
                if moment > local_now:
                    break
                self.call(moment.astimezone(UTC))
                self.rows.flush_if_full()
            if (days - back) % 90 == 89:
                say(f"  {self.summary.calls:,} calls, {self.summary.complaints:,} complaints "
                    f"({time.perf_counter() - started:.1f} s)")

    def call(self, when: datetime) -> None:
        rng = self.rng
        operator = rng.choice(self.operators)
        if rng.random() < UNKNOWN_CALLER_SHARE:
            phone = mobile(rng)
            caller = Caller(0, phone.display, phone.normalized, None, False)
        else:
            caller = rng.choice(self.cards.callers)
        customer_id = caller.customer_id or None
        if rng.random() < MISSED_SHARE:
            call_id = self.add_call(when, operator, caller, missed=True)
            self.missed_call(call_id, when, operator, caller)
            return
        kinds, weights = zip(*CALL_TYPES, strict=True)
        kind = rng.choices(kinds, weights=weights)[0]
        outcome = kind.usual_outcome if rng.random() < 0.85 else Outcome.SOLVED
        if outcome == Outcome.COMPLAINT:
            self.complaint(when, operator, caller)
            return
        department = None
        if outcome == Outcome.DISPATCHED:
            department = self.departments.get(
                "工程部" if kind == CallType.REPAIR else rng.choice(list(self.departments)))
        self.add_call(when, operator, caller, call_type=kind, outcome=outcome,
                      department_id=department, summary=rng.choice(SUMMARIES[kind]),
                      duration=rng.randint(25, 420),
                      direction=Direction.OUTBOUND if rng.random() < OUTBOUND_SHARE
                      else Direction.INBOUND, unit_id=caller.unit_id if customer_id else None)

    def add_call(self, at: datetime, operator: _Person, caller: Caller, *,
                 missed: bool = False, call_type: CallType | None = None,
                 outcome: Outcome | None = None, department_id: int | None = None,
                 summary: str = "", duration: int = 0,
                 direction: Direction = Direction.INBOUND, unit_id: int | None = None) -> int:
        """One call as ``CallService.log_in`` stores it; ``at`` is when it came in."""
        self.call_id += 1
        self.summary.calls += 1
        self.summary.missed += missed
        saved = at + timedelta(seconds=duration)
        self.rows.add(Call, {
            "id": self.call_id, "received_at": at, "duration_seconds": duration,
            "direction": direction, "phone_raw": caller.phone,
            "phone_normalized": caller.normalized, "customer_id": caller.customer_id or None,
            "unit_id": unit_id, "missed": missed, "call_type": call_type, "outcome": outcome,
            "department_id": department_id, "summary": summary,
            "operator_id": operator.user_id, "created_at": saved, "updated_at": saved})
        return self.call_id

    # -- callbacks -----------------------------------------------------------------------
    def new_task(self, reason: CallbackReason, at: datetime, due: datetime,
                 operator: _Person, caller: Caller, *, call_id: int | None = None,
                 complaint_id: int | None = None) -> dict[str, Any]:
        self.task_id += 1
        self.summary.callbacks += 1
        return {"id": self.task_id, "reason": reason, "status": CallbackStatus.PENDING,
                "call_id": call_id, "customer_id": caller.customer_id or None,
                "phone": caller.phone, "due_at": due, "note": "", "done_at": None,
                "done_by_id": None, "created_at": at, "created_by_id": operator.user_id,
                "complaint_id": complaint_id, "first_due_at": due, "operator_id": None,
                "attempts": 0, "last_attempt_at": None, "satisfaction": None, "comment": "",
                "result_call_id": None, "reviewed_at": None, "reviewed_by_id": None,
                "review_comment": ""}

    def attempt(self, task: dict[str, Any], at: datetime, operator: _Person, caller: Caller,
                reached: bool, satisfaction: Satisfaction | None = None,
                comment: str = "") -> None:
        """One try, with the outbound call it logs (as ``CallbackService.record``)."""
        duration = self.rng.randint(40, 300) if reached else self.rng.randint(15, 40)
        what = translate("Callbacks", "Callback") if task["complaint_id"] else \
            translate("Callbacks", "Call back")
        result = (satisfaction.label if satisfaction is not None
                  else translate("Callbacks", "reached")) if reached \
            else translate("Callbacks", "not reached")
        summary = " — ".join(p for p in (f"{what}: {result}", comment) if p)
        call_id = self.add_call(
            at - timedelta(seconds=duration), operator, caller,
            outcome=Outcome.CALLED_BACK if reached else Outcome.NOT_REACHED,
            call_type=CallType.COMPLAINT if task["complaint_id"] else CallType.OTHER,
            direction=Direction.OUTBOUND, duration=duration, summary=summary)
        self.attempt_id += 1
        self.summary.attempts += 1
        self.rows.add(CallbackAttempt, {"id": self.attempt_id, "callback_id": task["id"],
                                        "at": at, "user_id": operator.user_id,
                                        "reached": reached, "call_id": call_id,
                                        "note": comment})
        task.update(attempts=task["attempts"] + 1, last_attempt_at=at, result_call_id=call_id)
        if reached:
            task.update(satisfaction=satisfaction, comment=comment)

    def finish(self, task: dict[str, Any], status: CallbackStatus, at: datetime,
               by: _Person, note: str = "") -> None:
        task.update(status=status, done_at=at, done_by_id=by.user_id)
        if note:
            task["note"] = note

    def review(self, task: dict[str, Any]) -> None:
        """Supervisors look over most finished callbacks within a few days."""
        done = task["done_at"]
        if done is None or self.rng.random() > 0.6:
            return
        at = self.work.after(done, self.rng.uniform(2, 24) * 60)
        if at <= self.now:
            task.update(reviewed_at=at, reviewed_by_id=self.supervisor.user_id,
                        review_comment=self.rng.choice(("", "", "已核实", "回访记录完整")))

    def missed_call(self, call_id: int, when: datetime, operator: _Person,
                    caller: Caller) -> None:
        """The callback task a missed call makes, called back within the hour or so; an
        unanswered call back is tried again at the retry interval."""
        rng = self.rng
        task = self.new_task(CallbackReason.MISSED_CALL, when, when, operator, caller,
                             call_id=call_id)
        at = self.work.after(when, rng.randint(10, 90))
        for _try in range(CALLBACK_MAX_ATTEMPTS.default):
            if at > self.now or (rng.random() < 0.1 and at > self.now - timedelta(days=1)):
                break  # still waiting in the queue
            if caller.do_not_call:
                self.finish(task, CallbackStatus.SKIPPED, at, operator, "客户要求不回电")
                break
            reached = rng.random() < 0.85
            self.attempt(task, at, operator, caller, reached,
                         comment=rng.choice(("", "已回电，客户问题已解答")) if reached else "")
            if reached:
                self.finish(task, CallbackStatus.DONE, at, operator)
                break
            if task["attempts"] >= CALLBACK_MAX_ATTEMPTS.default:
                self.finish(task, CallbackStatus.FAILED, at, operator)
                break
            task["due_at"] = self.calendar.add(at, CALLBACK_RETRY_MINUTES.default)
            at = self.work.after(task["due_at"], rng.randint(0, 60))
        self.rows.add(CallbackTask, task)

    # -- complaints ----------------------------------------------------------------------
    def complaint(self, when: datetime, operator: _Person, caller: Caller) -> None:
        rng = self.rng
        categories, weights = zip(*[(c, w) for c, w, _d, _t in COMPLAINTS], strict=True)
        category = rng.choices(categories, weights=weights)[0]
        _c, _w, department, texts = next(entry for entry in COMPLAINTS if entry[0] == category)
        severity = rng.choices(list(Severity), weights=(70, 22, 8))[0]
        description = rng.choice(texts)
        duration = rng.randint(120, 600)
        call_id = self.add_call(when, operator, caller, call_type=CallType.COMPLAINT,
                                outcome=Outcome.COMPLAINT, summary=description,
                                duration=duration,
                                unit_id=caller.unit_id if caller.customer_id else None)
        created = when + timedelta(seconds=duration)  # saved when the call ends
        self.complaint_id += 1
        self.summary.complaints += 1
        period = created.astimezone().strftime("%Y%m")
        self.sequences[f"{NUMBER_PREFIX}{period}"] += 1
        number = format_number(NUMBER_PREFIX, period,
                               self.sequences[f"{NUMBER_PREFIX}{period}"])
        form: dict[str, Any] = {
            "id": self.complaint_id, "number": number, "source": Source.PHONE,
            "status": Status.REGISTERED, "call_id": call_id,
            "customer_id": caller.customer_id or None,
            "unit_id": caller.unit_id if caller.customer_id else None,
            "phone": caller.phone, "category": category, "severity": severity,
            "description": description, "demand": rng.choice(DEMANDS),
            "department_id": None, "assignee_id": None, "assignee_name": "",
            "company_at_fault": rng.random() < 0.4 if rng.random() < 0.5 else None,
            "resolution": "", "measures": "", "responded_at": None, "resolved_at": None,
            "dispatched_at": None, "dispatched_by_id": None, "closed_at": None,
            "reopen_count": 0, "slip_printed_at": None, "created_at": created,
            "created_by_id": operator.user_id, "updated_at": created}
        self.set_deadlines(form, created)
        self.event(form, created, operator, Action.REGISTER, None, Status.REGISTERED,
                   details={"number": number})
        self.life(form, created, operator, caller, self.departments.get(department))
        self.rows.add(Complaint, form)

    def set_deadlines(self, form: dict[str, Any], start: datetime) -> None:
        due = deadlines.compute(self.calendar, self.rules[(form["category"],
                                                           form["severity"])], start)
        form.update(clock_started_at=start, around_the_clock=due.around_the_clock,
                    response_due_at=due.response_due, response_soon_at=due.response_soon,
                    resolve_due_at=due.resolve_due, resolve_soon_at=due.resolve_soon)
        self.refresh_next_due(form)

    @staticmethod
    def refresh_next_due(form: dict[str, Any]) -> None:
        """As ``ComplaintService._refresh_next_due``."""
        if form["status"] not in WORKING_STATUSES:
            form.update(next_due_at=None, next_soon_at=None)
        elif form["responded_at"] is None:
            form.update(next_due_at=form["response_due_at"],
                        next_soon_at=form["response_soon_at"])
        else:
            form.update(next_due_at=form["resolve_due_at"], next_soon_at=form["resolve_soon_at"])

    def event(self, form: dict[str, Any], at: datetime, by: _Person, action: Action,
              before: Status | None, after: Status | None, note: str = "",
              details: dict[str, Any] | None = None) -> None:
        if after is not None:
            form["status"] = after
        form["updated_at"] = at
        self.refresh_next_due(form)
        self.event_id += 1
        self.summary.events += 1
        self.rows.add(ComplaintEvent, {
            "id": self.event_id, "complaint_id": form["id"], "at": at,
            "user_id": by.user_id, "user_name": by.name, "action": action.value,
            "from_status": before.value if before else None,
            "to_status": after.value if after else None, "note": note,
            "details": {k: v for k, v in (details or {}).items() if v is not None}})

    def life(self, form: dict[str, Any], created: datetime, operator: _Person,
             caller: Caller, department_id: int | None) -> None:
        """Dispatch, handling, resolution and callback, each only if its time has come.
        Most deadlines are met; some forms are slow, a few are withdrawn."""
        rng, boss = self.rng, self.supervisor
        slow = rng.random() < 0.15
        at = self.work.after(created, rng.randint(5, 40))
        if at > self.now:
            return
        if rng.random() < 0.02:
            form["closed_at"] = at
            self.event(form, at, boss, Action.CANCEL, form["status"], Status.CANCELLED,
                       "客户撤回投诉")
            return
        form.update(department_id=department_id, dispatched_at=at,
                    dispatched_by_id=boss.user_id)
        name = next((n for n, i in self.departments.items() if i == department_id), "")
        self.event(form, at, boss, Action.DISPATCH, Status.REGISTERED, Status.DISPATCHED,
                   details={"department": name, "assignee": ""})
        printed = self.work.after(at, rng.randint(1, 15))
        if rng.random() < 0.8 and printed <= self.now:
            form["slip_printed_at"] = printed
            self.event(form, printed, boss, Action.SLIP_PRINTED, None, None)
        for _round in range(3):  # handling, and again after an unsatisfied callback
            at = self.work.after(at, rng.uniform(0.5, 6 if slow else 2) * 60)
            if at > self.now:
                return
            form["responded_at"] = form["responded_at"] or at
            self.event(form, at, operator, Action.START, form["status"], Status.IN_PROGRESS)
            at = self.work.after(at, rng.uniform(2, 80 if slow else 20) * 60)
            if at > self.now:
                return
            resolution = rng.choice(RESOLUTIONS)
            form.update(resolution=resolution, measures=rng.choice(MEASURES), resolved_at=at)
            self.event(form, at, operator, Action.RESOLVE, Status.IN_PROGRESS,
                       Status.AWAITING_CALLBACK, details={"resolution": resolution})
            # A customer sends a form back at most twice: the third answer is taken.
            reworked = self.callback(form, at, operator, caller, may_rework=_round < 2)
            if reworked is None:
                return
            at = reworked

    def callback(self, form: dict[str, Any], resolved: datetime, operator: _Person,
                 caller: Caller, *, may_rework: bool = True) -> datetime | None:
        """The 回访 after a resolution. When the customer sent the form back for rework,
        the time they did (the next round of handling follows)."""
        rng, boss = self.rng, self.supervisor
        due = self.calendar.add(resolved, self.callback_minutes[form["severity"]])
        task = self.new_task(CallbackReason.COMPLAINT, resolved, due, operator, caller,
                             complaint_id=form["id"])
        try:
            if caller.do_not_call:
                note = translate("Callbacks", "The customer does not want to be called back.")
                self.finish(task, CallbackStatus.SKIPPED, resolved, operator, note)
                form["closed_at"] = resolved
                self.event(form, resolved, operator, Action.CALLBACK_SKIPPED,
                           Status.AWAITING_CALLBACK, Status.CLOSED, note)
                return None
            at = self.work.callback_done(resolved, due)
            limit = CALLBACK_MAX_ATTEMPTS.default
            while at <= self.now:
                if rng.random() < 0.85:
                    if rng.random() >= UNSATISFIED_SHARE or not may_rework:
                        satisfaction = Satisfaction.SATISFIED if rng.random() < 0.86 \
                            else Satisfaction.FAIRLY
                        comment = rng.choice(CALLBACK_COMMENTS)
                        self.attempt(task, at, operator, caller, True, satisfaction, comment)
                        self.finish(task, CallbackStatus.DONE, at, operator)
                        form["closed_at"] = at
                        self.event(form, at, operator, Action.CALLBACK_SATISFIED,
                                   Status.AWAITING_CALLBACK, Status.CLOSED, comment,
                                   {"satisfaction": satisfaction.value})
                        return None
                    comment = "仍未解决，要求返工"
                    self.attempt(task, at, operator, caller, True, Satisfaction.UNSATISFIED,
                                 comment)
                    self.finish(task, CallbackStatus.DONE, at, operator)
                    previous = form["resolution"]
                    form.update(reopen_count=form["reopen_count"] + 1, responded_at=None,
                                resolved_at=None, slip_printed_at=None)
                    form["status"] = Status.REOPENED  # before the deadlines, as the service
                    self.set_deadlines(form, at)
                    self.event(form, at, operator, Action.CALLBACK_UNSATISFIED,
                               Status.AWAITING_CALLBACK, Status.REOPENED, comment,
                               {"satisfaction": Satisfaction.UNSATISFIED.value,
                                "previous_resolution": previous})
                    return at
                self.attempt(task, at, operator, caller, False, comment="无人接听")
                if task["attempts"] >= limit:
                    self.finish(task, CallbackStatus.FAILED, at, operator, "无人接听")
                    self.event(form, at, operator, Action.CALLBACK_FAILED,
                               Status.AWAITING_CALLBACK, None, "无人接听",
                               {"attempt": task["attempts"], "of": limit})
                    closing = self.work.after(at, rng.uniform(1, 4) * 8 * 60)
                    if rng.random() < 0.7 and closing <= self.now:
                        form["closed_at"] = closing
                        self.event(form, closing, boss, Action.CLOSE_UNREACHED,
                                   Status.AWAITING_CALLBACK, Status.CLOSED,
                                   "多次联系未接通，主管确认关闭")
                    return None
                self.event(form, at, operator, Action.CALLBACK_UNREACHABLE,
                           Status.AWAITING_CALLBACK, None, "无人接听",
                           {"attempt": task["attempts"], "of": limit})
                task["due_at"] = self.calendar.add(at, CALLBACK_RETRY_MINUTES.default)
                at = self.work.callback_done(at, task["due_at"])
            return None
        finally:
            self.review(task)
            self.rows.add(CallbackTask, task)

    def write_sequences(self) -> None:
        for key, last in sorted(self.sequences.items()):
            self.rows.add(FormSequence, {"key": key, "last": last})
