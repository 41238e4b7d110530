"""A demo database filled with realistic Chinese sample data, so a newcomer can look around.

The same seed gives the same data, dated up to today. It grows with each feature: the
centre, its staff and departments, customer cards, and the calls of the last months (missed
ones waiting as callback tasks) and the complaints among them, each as far along its life
as time has allowed; callbacks join as they are built.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import datetime, time, timedelta

from faker import Faker
from sqlalchemy import func, select

from app import clock
from app.db import Database
from app.db.models import CallbackTask, CustomerPhone, CustomerUnit, Department, User
from app.demo_timing import WorkClock
from app.domain.calls import CallType, Direction, Outcome, Satisfaction
from app.domain.complaints import Category, Severity
from app.domain.customers import CustomerType, Tier, Title
from app.domain.phones import parse_phone
from app.domain.roles import Actor, Role
from app.errors import CallDeskError, ValidationError
from app.i18n import translate
from app.services.callbacks import CallbackService, Next, Outcome_
from app.services.calls import CallInput, CallService
from app.services.complaints import ComplaintInput, ComplaintService
from app.services.customers import CustomerInput, CustomerService, PhoneInput, UnitInput
from app.services.deadlines import load_calendar
from app.services.users import UserService

DEMO_LOGIN = "demo"
DEMO_PASSWORD = "demo1234"
DEFAULT_SEED = 20261122

ESTATE_PREFIXES = ("锦绣", "阳光", "翠湖", "金域", "碧水", "紫荆", "香樟", "御景", "滨江", "枫林")
ESTATE_SUFFIXES = ("花园", "雅苑", "华庭", "家园", "新城", "雅居")


DEFAULT_CUSTOMERS = 300
DEFAULT_MONTHS = 1
CALL_TYPES = [(CallType.INQUIRY, 40), (CallType.REPAIR, 30), (CallType.COMPLAINT, 10),
              (CallType.SUGGESTION, 5), (CallType.PRAISE, 5), (CallType.OTHER, 10)]
SUMMARIES = {
    CallType.INQUIRY: ["咨询物业费缴纳方式", "询问停车位月租价格", "咨询装修申请流程", "询问快递柜位置",
                       "咨询门禁卡补办"],
    CallType.REPAIR: ["厨房水管漏水", "卫生间下水道堵塞", "楼道灯不亮", "电梯按钮失灵", "家中停电",
                      "窗户关不严"],
    CallType.COMPLAINT: ["楼上装修噪音太大", "垃圾清运不及时", "地下车库被占用", "保安态度不好",
                         "绿化带有蚊虫"],
    CallType.SUGGESTION: ["建议增加儿童游乐设施", "建议小区门口增设减速带"],
    CallType.PRAISE: ["表扬维修师傅上门及时", "表扬保洁阿姨认真负责"],
    CallType.OTHER: ["询问社区活动时间", "寻找失物"],
}


@dataclass(frozen=True)
class DemoSummary:
    centre_name: str
    users: int
    departments: int
    supervisor_login: str
    customers: int = 0
    calls: int = 0
    complaints: int = 0


def fill(db: Database, seed: int = DEFAULT_SEED, customers: int = DEFAULT_CUSTOMERS,
         months: int = DEFAULT_MONTHS) -> DemoSummary:
    """Fills an empty, migrated database. Refuses one that already has users."""
    fake = Faker("zh_CN")
    fake.seed_instance(seed)
    rng = random.Random(seed)
    require_empty(db)
    estate = rng.choice(ESTATE_PREFIXES) + rng.choice(ESTATE_SUFFIXES)
    centre = f"{estate}物业服务中心"
    staff = create_staff(db, fake, centre)
    admin, created, departments = staff.admin, staff.users, staff.departments
    made = _customers(db, admin, fake, rng, estate, customers)
    _calls_made, complaints = _calls(db, rng, months) if made else (0, 0)
    # Callbacks log their outbound calls too: count what the call list shows.
    calls = CallService(db).list(limit=1).total
    return DemoSummary(centre_name=centre, users=created, departments=len(departments),
                       supervisor_login=DEMO_LOGIN, customers=made, calls=calls,
                       complaints=complaints)


def require_empty(db: Database) -> None:
    with db.read() as session:
        if session.scalar(select(func.count()).select_from(User)):
            raise ValidationError(translate(
                "Demo", "This database already has users; demo data goes only into a new, "
                        "empty database."))


@dataclass(frozen=True)
class Staff:
    admin: Actor
    users: int
    departments: dict[str, int]  # name → id


def create_staff(db: Database, fake: Faker, centre: str, password: str = DEMO_PASSWORD,
                 operators: int = 6) -> Staff:
    """The centre with its administrator (``admin``), the demo supervisor (``demo``), the
    front-desk operators (kf01, kf02, …) and a supervisor for each other department."""
    users = UserService(db)
    admin = users.complete_setup(centre, "admin", fake.name(), password)
    with db.read() as session:
        departments = {d.name: d.id for d in session.scalars(select(Department))}
    service_desk = departments.get("客服中心")
    created = 1
    users.add_user(admin, DEMO_LOGIN, fake.name(), Role.SUPERVISOR, password, service_desk)
    created += 1
    for number in range(1, operators + 1):
        users.add_user(admin, f"kf{number:02d}", fake.name(), Role.OPERATOR, password,
                       service_desk)
        created += 1
    for name, department_id in departments.items():
        if name == "客服中心":
            continue
        users.add_user(admin, f"mgr{department_id:02d}", fake.name(), Role.SUPERVISOR,
                       password, department_id)
        created += 1
    return Staff(admin, created, departments)


def _calls(db: Database, rng: random.Random, months: int) -> tuple[int, int]:
    """A front desk's calls for the last ``months`` months up to now: more in the morning,
    fewer at weekends; some missed, some callbacks out; complaint calls become complaint
    forms that go through their life as far as time has allowed."""
    users = UserService(db)
    operators = [users.authenticate(login, DEMO_PASSWORD)
                 for login in ("kf01", "kf02", "kf03", "kf04", "kf05", "kf06")]
    with db.read() as session:
        numbers = session.execute(select(CustomerPhone.display, CustomerPhone.customer_id)
                                  .order_by(CustomerPhone.id)).all()
        units = dict(session.execute(select(CustomerUnit.customer_id, CustomerUnit.unit_id)
                                     .order_by(CustomerUnit.id)).all())
        departments = {d.name: d.id for d in session.scalars(select(Department))}
        work = WorkClock(load_calendar(session), rng)
    service = CallService(db)
    today = clock.utcnow().astimezone()  # the app's clock: tests can fix the day
    made = complaints = 0
    supervisor = users.authenticate(DEMO_LOGIN, DEMO_PASSWORD)
    callbacks = CallbackService(db)
    kinds, weights = zip(*CALL_TYPES, strict=True)
    for back in range(months * 30, -1, -1):
        day = (today - timedelta(days=back)).date()
        busy = 12 if day.weekday() >= 5 else 30
        for _ in range(rng.randint(busy // 2, busy)):
            hour = rng.choices(range(8, 21), weights=(6, 9, 9, 8, 5, 5, 7, 7, 6, 4, 3, 2, 1))[0]
            when = datetime.combine(day, time(hour, rng.randint(0, 59))).astimezone()
            if when > today:
                continue
            phone, customer_id = rng.choice(numbers)
            actor = rng.choice(operators)
            if rng.random() < 0.05:
                missed = service.log(actor, CallInput(phone=phone, missed=True,
                                                      received_at=when))
                # 回拨 within the half hour of business hours it is due in, mostly
                called_back = work.after(when, rng.uniform(5, 45))
                if called_back < today - timedelta(hours=4) and rng.random() < 0.9:
                    task = callbacks.pending_for_call(missed.id)
                    with clock.at(called_back):
                        try:
                            callbacks.record(actor, task, Outcome_(
                                reached=rng.random() < 0.85,
                                duration_seconds=rng.randint(30, 180),
                                comment=rng.choice(["", "已回电，客户问题已解答"])))
                        except CallDeskError:  # a do-not-call caller: not dialled
                            callbacks.skip(actor, task, "客户要求不回电")
            else:
                kind = rng.choices(kinds, weights=weights)[0]
                outcome = kind.usual_outcome if rng.random() < 0.85 else Outcome.SOLVED
                if outcome == Outcome.COMPLAINT:
                    _complaint(db, rng, work, actor, supervisor, when, today, CallInput(
                        phone=phone, customer_id=customer_id, unit_id=units.get(customer_id),
                        call_type=kind, duration_seconds=rng.randint(120, 600),
                        received_at=when), departments)
                    made += 1
                    complaints += 1
                    continue
                department = departments.get("工程部" if kind == CallType.REPAIR else
                                             rng.choice(list(departments)))
                service.log(actor, CallInput(
                    phone=phone, customer_id=customer_id, unit_id=units.get(customer_id),
                    direction=Direction.OUTBOUND if rng.random() < 0.08 else Direction.INBOUND,
                    call_type=kind, summary=rng.choice(SUMMARIES[kind]), outcome=outcome,
                    department_id=department if outcome == Outcome.DISPATCHED else None,
                    duration_seconds=rng.randint(25, 420), received_at=when))
            made += 1
    return made, complaints


# What people complain about, with the department that usually handles it.
COMPLAINTS = [
    (Category.NOISE, 18, "秩序部", ["楼上装修噪音太大，晚上十点后还在施工", "楼下商铺音响声音过大"]),
    (Category.CLEANING, 16, "环境部", ["垃圾清运不及时，楼道有异味", "电梯厢内有污渍多日未清理"]),
    (Category.PARKING, 14, "秩序部", ["地下车库车位被他人长期占用", "外来车辆随意停放堵住通道"]),
    (Category.REPAIRS, 14, "工程部", ["报修三天没人上门", "楼上漏水到我家卫生间，维修后又漏"]),
    (Category.ATTITUDE, 8, "客服中心", ["保安态度不好，说话很冲", "前台接待不耐烦"]),
    (Category.LANDSCAPING, 8, "环境部", ["绿化带有蚊虫，希望喷药", "树枝挡住窗户影响采光"]),
    (Category.FEES, 8, "财务部", ["物业费账单金额有误", "停车费重复扣款"]),
    (Category.SECURITY, 6, "秩序部", ["门禁形同虚设，陌生人随意进出", "夜间巡逻不到位"]),
    (Category.RENOVATION, 5, "工程部", ["邻居装修占用公共走道", "装修垃圾堆在楼道"]),
    (Category.OTHER, 3, "客服中心", ["快递柜经常故障", "小区公告没有及时更新"]),
]
DEMANDS = ["尽快处理并回复", "希望给个说法", "要求赔偿损失", "希望以后不再发生", "请主管联系我"]


def _complaint(db: Database, rng: random.Random, work: WorkClock, operator: Actor,
               supervisor: Actor,
               when: datetime, now: datetime, call: CallInput,
               departments: dict[str, int]) -> None:
    """One complaint from its call, then dispatch, handling and the callback in business
    hours and in that order; steps still in the future are left for the front desk to do."""
    categories, weights = zip(*[(c, w) for c, w, _d, _t in COMPLAINTS], strict=True)
    category = rng.choices(categories, weights=weights)[0]
    _c, _w, department, texts = next(entry for entry in COMPLAINTS if entry[0] == category)
    severity = rng.choices(list(Severity), weights=(70, 22, 8))[0]
    service = ComplaintService(db)
    with clock.at(when):
        detail = service.create(operator, ComplaintInput(
            category=category, severity=severity, description=rng.choice(texts),
            demand=rng.choice(DEMANDS), customer_id=call.customer_id, unit_id=call.unit_id,
            company_at_fault=rng.random() < 0.4 if rng.random() < 0.5 else None),
            call=call, allow_duplicate=True)
    complaint_id = detail.row.id
    # Most deadlines are met; a few are not, so lists have something overdue to show.
    slow = rng.random() < 0.15
    steps = [  # (working minutes after the step before, the step)
        (rng.uniform(5, 40), lambda: service.dispatch(
            supervisor, complaint_id, departments.get(department))),
        (rng.uniform(30, 360 if slow else 120), lambda: service.start(operator, complaint_id)),
        (rng.uniform(120, 3000 if slow else 900), lambda: service.resolve(
            operator, complaint_id, "已安排人员现场处理，问题已解决", "加强日常巡查")),
    ]
    roll = rng.random()
    outcome = Outcome_(reached=True, satisfaction=Satisfaction.SATISFIED) if roll < 0.7 else \
        Outcome_(reached=True, satisfaction=Satisfaction.FAIRLY) if roll < 0.82 else \
        Outcome_(reached=True, satisfaction=Satisfaction.UNSATISFIED, comment="仍未解决，要求返工",
                 next_step=Next.REWORK) if roll < 0.9 else Outcome_(reached=False,
                                                                    comment="无人接听")
    # A reached customer talks a minute or more; an unanswered ring is short.
    outcome = replace(outcome, duration_seconds=rng.randint(60, 300) if outcome.reached
                      else rng.randint(15, 40))
    callbacks = CallbackService(db)

    moment = when
    for delay, step in steps:
        moment = work.after(moment, delay)
        if moment > now:
            return
        with clock.at(moment):
            step()
    pending = callbacks.pending_for_complaint(complaint_id)
    if pending is None:  # a do-not-call customer: skipped at once
        return
    with db.read() as session:
        due = session.get(CallbackTask, pending).due_at
    moment = work.callback_done(moment, due)
    if moment <= now:
        with clock.at(moment):
            callbacks.record(operator, pending, outcome)


def _customers(db: Database, actor: Actor, fake: Faker, rng: random.Random, estate: str,
               count: int) -> int:
    """Owners with their families and tenants, in an estate of 12 buildings."""
    service = CustomerService(db)
    units = [f"{estate}{b}栋{u}单元{floor}{room:02d}"
             for b in range(1, 13) for u in range(1, 4)
             for floor in range(1, 19) for room in range(1, 5)]
    rng.shuffle(units)
    made = 0
    owners: list[str] = []
    while made < count:
        male = rng.random() < 0.5
        name = fake.name_male() if male else fake.name_female()
        roll = rng.random()
        if owners and roll < 0.12:
            kind, unit = CustomerType.FAMILY, rng.choice(owners)
        elif owners and roll < 0.30:
            kind, unit = CustomerType.TENANT, rng.choice(owners)
        elif roll < 0.32:
            kind, unit = CustomerType.MERCHANT, f"{estate}商铺{rng.randint(1, 40)}号"
        else:
            kind, unit = CustomerType.OWNER, units[len(owners) % len(units)]
            owners.append(unit)
        phones = [PhoneInput(_mobile(rng), "手机")]
        if rng.random() < 0.12:
            phones.append(PhoneInput(f"0571-8{rng.randint(1000000, 9999999)}", "家庭"))
        unit_inputs = [UnitInput(unit, kind)]
        if kind == CustomerType.OWNER and rng.random() < 0.06:  # owns a second flat
            second = units[(len(owners) + 500) % len(units)]
            unit_inputs.append(UnitInput(second, CustomerType.OWNER))
        tier = Tier.VIP if rng.random() < 0.05 else \
            Tier.BLACKLIST if rng.random() < 0.01 else Tier.NORMAL
        notes = rng.choice(["", "", "", "老人独居，来电请耐心", "常年出差，优先联系家属",
                            "对噪音问题较敏感", "装修中"])
        if not parse_phone(phones[0].number).known_range:
            continue  # the demo keeps to the ranges the number data knows, as it always did
        try:
            service.create(actor, CustomerInput(
                name=name, title=Title.MR if male else Title.MS, customer_type=kind,
                tier=tier, do_not_call=rng.random() < 0.03, notes=notes, phones=phones,
                units=unit_inputs))
        except ValidationError:
            continue  # a generated unit or number the parser rejects: draw another
        made += 1
    return made


def _mobile(rng: random.Random) -> str:
    prefix = rng.choice(("138", "139", "150", "151", "158", "186", "187", "135", "177", "199"))
    return prefix + f"{rng.randint(0, 99_999_999):08d}"


def demo_actor(db: Database) -> Actor:
    return UserService(db).authenticate(DEMO_LOGIN, DEMO_PASSWORD)
