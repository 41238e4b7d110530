"""The tables. Every schema change goes through a migration in ``migrations/versions``."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    Enum,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from app.clock import utcnow
from app.db.types import UTCDateTime
from app.domain.calls import (
    CallbackReason,
    CallbackStatus,
    CallType,
    Direction,
    Outcome,
    Satisfaction,
)
from app.domain.complaints import Category, Severity, Source, Status
from app.domain.customers import CustomerType, Tier, Title
from app.domain.incidents import IncidentKind
from app.domain.roles import Role

# Named constraints, so migrations can alter them on SQLite (batch mode) and PostgreSQL alike.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime()}


class Department(Base):
    __tablename__ = "departments"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(40), unique=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    login: Mapped[str] = mapped_column(String(40), unique=True)
    display_name: Mapped[str] = mapped_column(String(40))
    role: Mapped[Role] = mapped_column(
        Enum(Role, native_enum=False, create_constraint=True, length=20, name="role",
             values_callable=lambda roles: [r.value for r in roles])
    )
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None]
    last_login_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    department: Mapped[Department | None] = relationship()


class Setting(Base):
    """A shared setting (see ``app.settings``); the value is JSON."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class AuditEntry(Base):
    """Who changed what and when. Written by the services, never edited."""

    __tablename__ = "audit_log"
    __table_args__ = (
        Index("ix_audit_log_entity", "entity", "entity_id"),
        Index("ix_audit_log_at", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Kept as text too, so the trail still reads right after a user is renamed.
    user_login: Mapped[str | None] = mapped_column(String(40))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(String(40))
    action: Mapped[str] = mapped_column(String(40))
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    note: Mapped[str | None] = mapped_column(Text)


def _enum(enum_class: type, name: str) -> Enum:
    return Enum(enum_class, native_enum=False, create_constraint=True, length=20, name=name,
                values_callable=lambda members: [m.value for m in members])


class Customer(Base):
    """A customer card (客户资料卡). Merged cards stay, pointing at the card they went into,
    so old calls and complaints still resolve to a person."""

    __tablename__ = "customers"
    __table_args__ = (
        Index("ix_customers_name", "name"),
        Index("ix_customers_name_pinyin", "name_pinyin"),
        Index("ix_customers_name_initials", "name_initials"),
        Index("ix_customers_updated_at", "updated_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(40))
    name_pinyin: Mapped[str] = mapped_column(String(120))
    name_initials: Mapped[str] = mapped_column(String(40))
    title: Mapped[Title] = mapped_column(_enum(Title, "customer_title"), default=Title.NONE)
    customer_type: Mapped[CustomerType] = mapped_column(
        _enum(CustomerType, "customer_type"), default=CustomerType.OWNER)
    tier: Mapped[Tier] = mapped_column(_enum(Tier, "customer_tier"), default=Tier.NORMAL)
    do_not_call: Mapped[bool] = mapped_column(Boolean, default=False)
    notes: Mapped[str] = mapped_column(Text, default="")
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    phones: Mapped[list[CustomerPhone]] = relationship(
        back_populates="customer", cascade="all, delete-orphan",
        order_by="CustomerPhone.sort_order")
    units: Mapped[list[CustomerUnit]] = relationship(
        back_populates="customer", cascade="all, delete-orphan", order_by="CustomerUnit.id")
    name_grams: Mapped[list[CustomerNameGram]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True)


class CustomerPhone(Base):
    __tablename__ = "customer_phones"
    __table_args__ = (
        UniqueConstraint("customer_id", "normalized", name="uq_customer_phones_number"),
        Index("ix_customer_phones_normalized", "normalized"),
        Index("ix_customer_phones_digits", "digits"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"))
    normalized: Mapped[str] = mapped_column(String(40))  # the same number however typed
    digits: Mapped[str] = mapped_column(String(24))  # for "any 4+ digits" search
    display: Mapped[str] = mapped_column(String(40))
    label: Mapped[str] = mapped_column(String(20), default="")
    sort_order: Mapped[int] = mapped_column(Integer, default=0)

    customer: Mapped[Customer] = relationship(back_populates="phones")
    grams: Mapped[list[PhoneGram]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True)


GRAM = 4  # "any 4+ digits of a number" finds the card through this table, not a table scan


def phone_grams(digits: str) -> list[str]:
    return sorted({digits[i:i + GRAM] for i in range(len(digits) - GRAM + 1)})


class PhoneGram(Base):
    """Every run of four digits of a customer's number, indexed."""

    __tablename__ = "phone_grams"

    gram: Mapped[str] = mapped_column(String(GRAM), primary_key=True)
    phone_id: Mapped[int] = mapped_column(
        ForeignKey("customer_phones.id", ondelete="CASCADE"), primary_key=True,
        index=True)


NAME_GRAM = 2  # longer searches intersect their 2-character runs, then check the name
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def fold_name(text: str) -> str:
    """ASCII letters lower-cased, as SQLite's LIKE compares them (and nothing else)."""
    return text.translate(_ASCII_LOWER)


def name_grams(name: str) -> list[str]:
    """Every 1- and 2-character run of a name, for ``customer_name_grams``:
    王玉梅 → 王, 玉, 梅, 王玉, 玉梅."""
    folded = fold_name(name)
    return sorted({folded[i:i + size] for size in range(1, NAME_GRAM + 1)
                   for i in range(len(folded) - size + 1)})


class CustomerNameGram(Base):
    """Every 1- and 2-character run of a customer's name, indexed: a name search reads
    these instead of scanning every name with LIKE '%…%'."""

    __tablename__ = "customer_name_grams"

    gram: Mapped[str] = mapped_column(String(NAME_GRAM), primary_key=True)
    customer_id: Mapped[int] = mapped_column(
        ForeignKey("customers.id", ondelete="CASCADE"), primary_key=True, index=True)


@event.listens_for(Customer.name, "set")
def _name_set(customer: Customer, name: str | None, old: object, _initiator: object) -> None:
    """Whichever service writes a name, its grams follow in the same flush."""
    if name == old:
        return
    wanted = set(name_grams(name or ""))
    kept = [g for g in customer.name_grams if g.gram in wanted]
    wanted.difference_update(g.gram for g in kept)
    customer.name_grams = kept + [CustomerNameGram(gram=g) for g in sorted(wanted)]


class Unit(Base):
    """A unit (房屋): estate, building, unit, room. Several customers can share one."""

    __tablename__ = "units"
    __table_args__ = (Index("ix_units_building_unit_room", "building", "unit", "room"),
                      Index("ix_units_estate", "estate"))

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(120), unique=True)
    estate: Mapped[str] = mapped_column(String(40), default="")
    building: Mapped[str] = mapped_column(String(20))
    unit: Mapped[str] = mapped_column(String(10), default="")
    room: Mapped[str] = mapped_column(String(20))
    label: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class CustomerUnit(Base):
    __tablename__ = "customer_units"
    __table_args__ = (
        UniqueConstraint("customer_id", "unit_id", name="uq_customer_units_pair"),
        Index("ix_customer_units_unit_id", "unit_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    role: Mapped[CustomerType] = mapped_column(_enum(CustomerType, "unit_role"),
                                               default=CustomerType.OWNER)

    customer: Mapped[Customer] = relationship(back_populates="units")
    unit: Mapped[Unit] = relationship(lazy="joined")


class Call(Base):
    """One call, in or out (来电记录). Missed calls are calls too, with no outcome."""

    __tablename__ = "calls"
    __table_args__ = (
        Index("ix_calls_received_at", "received_at"),
        Index("ix_calls_operator_received", "operator_id", "received_at"),
        Index("ix_calls_customer_id", "customer_id"),
        Index("ix_calls_phone_normalized", "phone_normalized"),
        Index("ix_calls_incident_id", "incident_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    duration_seconds: Mapped[int] = mapped_column(Integer, default=0)
    direction: Mapped[Direction] = mapped_column(_enum(Direction, "call_direction"),
                                                 default=Direction.INBOUND)
    phone_raw: Mapped[str] = mapped_column(String(40), default="")
    phone_normalized: Mapped[str | None] = mapped_column(String(40))
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    missed: Mapped[bool] = mapped_column(Boolean, default=False)
    call_type: Mapped[CallType | None] = mapped_column(_enum(CallType, "call_type"))
    outcome: Mapped[Outcome | None] = mapped_column(_enum(Outcome, "call_outcome"))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    summary: Mapped[str] = mapped_column(Text, default="")
    # The incident (停水 …) the call was about, when linked to one instead of a new form.
    incident_id: Mapped[int | None] = mapped_column(ForeignKey("incidents.id"))
    operator_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    customer: Mapped[Customer | None] = relationship()
    unit: Mapped[Unit | None] = relationship()
    operator: Mapped[User | None] = relationship()
    department: Mapped[Department | None] = relationship()


class CallbackTask(Base):
    """A call to make back (回拨/回访). Missed calls make one; the callback queue works
    through them."""

    __tablename__ = "callbacks"
    __table_args__ = (Index("ix_callbacks_status_due", "status", "due_at"),
                      Index("ix_callbacks_complaint_id", "complaint_id"),
                      Index("ix_callbacks_customer_id", "customer_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    reason: Mapped[CallbackReason] = mapped_column(_enum(CallbackReason, "callback_reason"))
    status: Mapped[CallbackStatus] = mapped_column(_enum(CallbackStatus, "callback_status"),
                                                   default=CallbackStatus.PENDING)
    call_id: Mapped[int | None] = mapped_column(ForeignKey("calls.id"))
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"))
    phone: Mapped[str] = mapped_column(String(40), default="")
    due_at: Mapped[datetime] = mapped_column(default=utcnow)
    note: Mapped[str] = mapped_column(Text, default="")
    done_at: Mapped[datetime | None]
    done_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Complaint callbacks (回访), attempts and the supervisor's review (migration 0005).
    complaint_id: Mapped[int | None] = mapped_column(ForeignKey("complaints.id"))
    # The due time first promised; retries move due_at, reports judge by this one.
    first_due_at: Mapped[datetime | None]
    operator_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # who is to call
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_attempt_at: Mapped[datetime | None]
    satisfaction: Mapped[Satisfaction | None] = mapped_column(
        _enum(Satisfaction, "satisfaction"))
    comment: Mapped[str] = mapped_column(Text, default="")  # what the customer said
    result_call_id: Mapped[int | None] = mapped_column(ForeignKey("calls.id"))
    reviewed_at: Mapped[datetime | None]
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    review_comment: Mapped[str] = mapped_column(Text, default="")


class FormSequence(Base):
    """The last number handed out per prefix and month (TS202611 → 17). Incremented inside
    the saving transaction, so a number is taken only when its form is saved."""

    __tablename__ = "form_sequences"

    key: Mapped[str] = mapped_column(String(20), primary_key=True)
    last: Mapped[int] = mapped_column(Integer)


class DeadlineRule(Base):
    """How long a form may take, in working minutes, by kind, category and severity. A rule
    without a category is the default for its severity."""

    __tablename__ = "deadline_rules"
    __table_args__ = (UniqueConstraint("form_kind", "category", "severity",
                                       name="uq_deadline_rules_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    form_kind: Mapped[str] = mapped_column(String(20))
    category: Mapped[str | None] = mapped_column(String(20))
    severity: Mapped[Severity] = mapped_column(_enum(Severity, "severity"))
    response_minutes: Mapped[int] = mapped_column(Integer)
    resolve_minutes: Mapped[int] = mapped_column(Integer)
    around_the_clock: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class CalendarDay(Base):
    """An administrator's word on one date: a working day or not, over the holiday library
    (for years it does not know yet, or a local arrangement)."""

    __tablename__ = "calendar_days"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    workday: Mapped[bool] = mapped_column(Boolean)
    note: Mapped[str] = mapped_column(String(60), default="")


class Complaint(Base):
    """A complaint form (投诉处理单)."""

    __tablename__ = "complaints"
    __table_args__ = (
        Index("ix_complaints_status_next_due", "status", "next_due_at"),
        Index("ix_complaints_customer_id", "customer_id"),
        Index("ix_complaints_unit_category", "unit_id", "category"),
        Index("ix_complaints_department_status", "department_id", "status"),
        Index("ix_complaints_created_at", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    source: Mapped[Source] = mapped_column(_enum(Source, "complaint_source"))
    status: Mapped[Status] = mapped_column(_enum(Status, "complaint_status"),
                                           default=Status.REGISTERED)
    call_id: Mapped[int | None] = mapped_column(ForeignKey("calls.id"))
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    phone: Mapped[str] = mapped_column(String(40), default="")
    category: Mapped[Category] = mapped_column(_enum(Category, "complaint_category"))
    severity: Mapped[Severity] = mapped_column(_enum(Severity, "severity"))
    description: Mapped[str] = mapped_column(Text)
    demand: Mapped[str] = mapped_column(Text, default="")
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    assignee_name: Mapped[str] = mapped_column(String(40), default="")  # staff without a login
    company_at_fault: Mapped[bool | None] = mapped_column(Boolean)
    resolution: Mapped[str] = mapped_column(Text, default="")
    measures: Mapped[str] = mapped_column(Text, default="")
    # Deadlines: the clock starts at registration (again at rework); "soon" is the instant
    # 80 % of the working time is used, fixed when the deadline is set.
    clock_started_at: Mapped[datetime] = mapped_column(default=utcnow)
    around_the_clock: Mapped[bool] = mapped_column(Boolean, default=False)
    response_due_at: Mapped[datetime | None]
    response_soon_at: Mapped[datetime | None]
    responded_at: Mapped[datetime | None]
    resolve_due_at: Mapped[datetime | None]
    resolve_soon_at: Mapped[datetime | None]
    resolved_at: Mapped[datetime | None]
    next_due_at: Mapped[datetime | None]  # the nearest deadline not met yet, for sorting
    next_soon_at: Mapped[datetime | None]
    dispatched_at: Mapped[datetime | None]
    dispatched_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    closed_at: Mapped[datetime | None]
    reopen_count: Mapped[int] = mapped_column(Integer, default=0)
    slip_printed_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    customer: Mapped[Customer | None] = relationship()
    unit: Mapped[Unit | None] = relationship()
    department: Mapped[Department | None] = relationship()
    assignee: Mapped[User | None] = relationship(foreign_keys=[assignee_id])
    dispatched_by: Mapped[User | None] = relationship(foreign_keys=[dispatched_by_id])
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    events: Mapped[list[ComplaintEvent]] = relationship(
        back_populates="complaint", order_by="ComplaintEvent.id")


class ComplaintEvent(Base):
    """One line of a complaint's timeline: who did what, when, with what note."""

    __tablename__ = "complaint_events"
    __table_args__ = (Index("ix_complaint_events_complaint_id", "complaint_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    user_name: Mapped[str] = mapped_column(String(40), default="")
    action: Mapped[str] = mapped_column(String(30))
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str | None] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="")
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    complaint: Mapped[Complaint] = relationship(back_populates="events")


class CallbackAttempt(Base):
    """One try at a callback: when, by whom, reached or not, and the outbound call logged."""

    __tablename__ = "callback_attempts"
    __table_args__ = (Index("ix_callback_attempts_callback_id", "callback_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    callback_id: Mapped[int] = mapped_column(ForeignKey("callbacks.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reached: Mapped[bool] = mapped_column(Boolean)
    call_id: Mapped[int | None] = mapped_column(ForeignKey("calls.id"))
    note: Mapped[str] = mapped_column(Text, default="")


@event.listens_for(CallbackTask, "before_insert")
def _first_due(_mapper, _connection, task: CallbackTask) -> None:  # noqa: ANN001
    if task.first_due_at is None:
        task.first_due_at = task.due_at


class Handover(Base):
    """交接班记录: what one shift left the next. ``lines`` is the draft CallDesk made from the
    live work at hand-over (kept as it was then, JSON), ``notes`` what the operator added."""

    __tablename__ = "handovers"
    __table_args__ = (Index("ix_handovers_handed_over_at", "handed_over_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    shift_start: Mapped[datetime]
    shift_end: Mapped[datetime]
    from_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    handed_over_at: Mapped[datetime] = mapped_column(default=utcnow)
    lines: Mapped[Any] = mapped_column(JSON)
    notes: Mapped[str] = mapped_column(Text, default="")
    acknowledged_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    acknowledged_at: Mapped[datetime | None]


class Incident(Base):
    """突发事件: 停水, 停电, a lift out of order … that many callers ring about. Active from its
    start until ended; ``estate`` and ``buildings`` say whom it touches (empty: everyone, or
    the whole estate)."""

    __tablename__ = "incidents"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[IncidentKind] = mapped_column(_enum(IncidentKind, "incident_kind"))
    title: Mapped[str] = mapped_column(String(60))
    estate: Mapped[str] = mapped_column(String(40), default="")
    buildings: Mapped[str] = mapped_column(String(120), default="")  # "3,5": comma-separated
    message: Mapped[str] = mapped_column(Text, default="")  # what operators tell callers
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    expected_end_at: Mapped[datetime | None]
    ended_at: Mapped[datetime | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    ended_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
