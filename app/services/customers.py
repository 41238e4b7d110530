"""The customer card file: cards, their numbers and units, search, merge and roster import.

Every read opens a short session and returns plain dataclasses; every change is validated
first, then written together with its audit entry in one transaction.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import (
    CTE,
    ColumnElement,
    Connection,
    Row,
    Select,
    and_,
    bindparam,
    func,
    or_,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import InstrumentedAttribute, Session, aliased

from app import clock
from app.db import Database
from app.db.models import (
    GRAM,
    NAME_GRAM,
    Call,
    CallbackTask,
    Complaint,
    Customer,
    CustomerNameGram,
    CustomerPhone,
    CustomerUnit,
    PhoneGram,
    Unit,
    User,
    fold_name,
    phone_grams,
)
from app.domain.customers import (
    CustomerType,
    Tier,
    Title,
    greeting_name,
    looks_like_pinyin,
    name_keys,
)
from app.domain.phones import Phone, PhoneError, parse_phone, parse_phones, search_digits
from app.domain.roles import Actor, Permission, require
from app.domain.texts import NOTE_MAX, search_text
from app.domain.units import (
    UnitAddress,
    UnitError,
    fits,
    meant_units,
    parse_unit,
    unit_prefix,
    unit_search_key,
)
from app.errors import NotFound, ValidationError
from app.i18n import translate
from app.services import audit

NUMBER_ONLY = re.compile(r"[\d\s()+\-.]+")
MAX_NAME = 40
MAX_NOTES = NOTE_MAX
PAGE_SIZE = 100
UNIT_COMPLETIONS = 20  # a popup's worth; typing more narrows it



# -- what goes in and out --------------------------------------------------------------------
@dataclass(frozen=True)
class PhoneInput:
    number: str
    label: str = ""


@dataclass(frozen=True)
class UnitInput:
    text: str
    role: CustomerType = CustomerType.OWNER


@dataclass
class CustomerInput:
    name: str
    title: Title = Title.NONE
    customer_type: CustomerType = CustomerType.OWNER
    tier: Tier = Tier.NORMAL
    do_not_call: bool = False
    notes: str = ""
    phones: list[PhoneInput] = field(default_factory=list)
    units: list[UnitInput] = field(default_factory=list)


@dataclass(frozen=True)
class PhoneInfo:
    normalized: str
    display: str
    label: str


@dataclass(frozen=True)
class UnitInfo:
    id: int
    label: str
    role: CustomerType


@dataclass(frozen=True)
class UnitMatch:
    """What a typed unit is: the unit on file it means, a new one, or a choice."""
    typed: str
    label: str  # the unit it is (on file or new); "" when it must be chosen
    existing: bool
    choices: tuple[str, ...] = ()  # the units it may mean, when more than one


class AmbiguousUnit(ValidationError):
    """A unit typed without an estate that several estates have (9-1-1404 in 枫林新城 and
    in 阳光花园): which one is meant must be said."""

    def __init__(self, typed: str, choices: list[UnitAddress]) -> None:
        self.typed = typed
        self.choices = tuple(unit.label() for unit in choices)
        message = translate(
            "Customers", "{text} is in more than one estate ({estates}); choose one, or write "
                         "the estate first, like {example}.").format(
            text=typed, estates="、".join(unit.estate for unit in choices),
            example=choices[0].label())
        super().__init__(message, {"units": message})


@dataclass(frozen=True)
class NumberHolder:
    """Another card that has a number being saved."""
    number: str  # as that card shows it
    normalized: str
    customer_id: int
    name: str
    units: str


class NumberOnOtherCard(ValidationError):
    """A number being added is on another card already. Often a mistake (the caller has a
    card: open it), sometimes right (a family sharing a landline): the user says which,
    and saving again with the numbers in ``shared_numbers`` keeps both."""

    def __init__(self, holders: list[NumberHolder]) -> None:
        self.holders = tuple(holders)
        cards = "；".join(
            translate("Customers", "{number} is on the card of {name}{units}").format(
                number=h.number, name=h.name,
                units=translate("Customers", " ({units})").format(units=h.units)
                if h.units else "") for h in holders)
        message = translate("Customers", "{cards}. Open that card, or keep the number on "
                                         "both cards (a family sharing a landline).").format(
            cards=cards)
        super().__init__(message, {"phones": message})


@dataclass(frozen=True)
class CustomerRow:
    id: int
    name: str
    title: Title
    customer_type: CustomerType
    tier: Tier
    do_not_call: bool
    phones: str
    units: str
    updated_at: datetime


def list_position(row: CustomerRow) -> tuple[datetime, int]:
    """Where a row stands when browsing every card, for ``CustomerService.search(after=…)``."""
    return row.updated_at, row.id


@dataclass(frozen=True)
class CustomerCard:
    id: int
    name: str
    title: Title
    customer_type: CustomerType
    tier: Tier
    do_not_call: bool
    notes: str
    phones: tuple[PhoneInfo, ...]
    units: tuple[UnitInfo, ...]
    created_at: datetime
    created_by: str
    updated_at: datetime
    updated_by: str

    @property
    def greeting_name(self) -> str:
        """How the operator addresses them: 张先生 / 王女士, or the full name."""
        return greeting_name(self.name, self.title)


@dataclass(frozen=True)
class SearchPage:
    rows: list[CustomerRow]
    total: int
    offset: int


# -- validation -----------------------------------------------------------------------------
@dataclass(frozen=True)
class _Clean:
    name: str
    phones: list[tuple[Phone, str]]
    units: list[tuple[UnitAddress, CustomerType]]


def validate(data: CustomerInput, default_estate: str = "",
             default_area_code: str | None = None) -> _Clean:
    fields: dict[str, str] = {}
    name = " ".join(data.name.split())
    if not name:
        fields["name"] = translate("Customers", "Enter the customer's name.")
    elif len(name) > MAX_NAME:
        fields["name"] = translate("Customers", "The name can have at most {n} characters.").format(n=MAX_NAME)
    phones: list[tuple[Phone, str]] = []
    seen: set[str] = set()
    for entry in data.phones:
        if not entry.number.strip():
            continue
        parsed, rejected = parse_phones(entry.number, default_area_code)
        if rejected:
            piece, reason = rejected[0]
            fields["phones"] = translate("Customers", "{number} is not a usable phone number ({reason}).").format(
                number=piece, reason=reason)
            break
        for phone in parsed:
            if phone.normalized not in seen:
                seen.add(phone.normalized)
                phones.append((phone, entry.label.strip()[:20]))
    units: list[tuple[UnitAddress, CustomerType]] = []
    keys: set[str] = set()
    for entry in data.units:
        if not entry.text.strip():
            continue
        try:
            unit = parse_unit(entry.text, default_estate)
        except UnitError:
            fields["units"] = translate("Customers", "{text} is not a unit; write it like 3-2-1502 or "
                                 "3栋2单元1502.").format(text=entry.text.strip())
            break
        if not fits(unit):
            fields["units"] = translate("Customers", "{text} is too long for a unit.").format(
                text=entry.text.strip())
            break
        if unit.key() not in keys:
            keys.add(unit.key())
            units.append((unit, CustomerType(entry.role)))
    if not phones and not units and "phones" not in fields and "units" not in fields:
        fields["phones"] = translate("Customers", "Enter at least a phone number or a unit, so the card can be "
                              "found again.")
    if len(data.notes) > MAX_NOTES:
        fields["notes"] = translate("Customers", "Notes can have at most {n} characters.").format(n=MAX_NOTES)
    if fields:
        raise ValidationError(next(iter(fields.values())), fields)
    return _Clean(name=name, phones=phones, units=units)


# -- the service ----------------------------------------------------------------------------
# A few runs narrow a name down to a handful of cards; LIKE checks the rest of a long one.
_NAME_GRAM_TABLES = tuple(CustomerNameGram.__table__.alias(f"gram{n}") for n in range(4))


def _name_grams(text: str) -> list[str]:
    """The runs of ``text`` looked up in ``customer_name_grams`` (at most four)."""
    folded = fold_name(text)
    grams = [folded] if len(folded) <= NAME_GRAM else list(dict.fromkeys(
        folded[i:i + NAME_GRAM] for i in range(len(folded) - NAME_GRAM + 1)))
    return grams[:len(_NAME_GRAM_TABLES)]


def _by_name(grams: int) -> ColumnElement[bool]:
    """The name contains :name_like: the cards holding its 1- or 2-character runs
    (:gram0…, an index read for the first, a key lookup for each further one), then LIKE
    on those names only, so the answer is LIKE's."""
    first, *others = _NAME_GRAM_TABLES[:grams]
    ids = select(first.c.customer_id).where(first.c.gram == bindparam("gram0"))
    for number, table in enumerate(others, start=1):
        ids = ids.join(table, and_(table.c.customer_id == first.c.customer_id,
                                   table.c.gram == bindparam(f"gram{number}")))
    return and_(Customer.id.in_(ids), Customer.name.like(bindparam("name_like"), escape="/"))


def _contains(text: str) -> str:
    """A LIKE pattern for "contains ``text``", escaped with / as ``_by_name`` says."""
    return "%" + text.replace("/", "//").replace("%", "/%").replace("_", "/_") + "%"


def _distinct_estates() -> CTE:
    """Every estate named on a unit. Tens of thousands of units share a few dozen estates,
    so the index on ``units.estate`` is walked from one estate to the next instead of
    reading every unit."""
    estates = select(func.min(Unit.estate).label("estate")).where(Unit.estate > "") \
        .cte("estates", recursive=True)
    following = select(Unit.estate).where(Unit.estate > estates.c.estate) \
        .order_by(Unit.estate).limit(1).scalar_subquery()
    return estates.union_all(select(following).where(estates.c.estate.is_not(None)))


_ESTATES = _distinct_estates()
_ESTATE_NAMES = select(_ESTATES.c.estate)
# Units at the same building, unit and room, in any estate (the index on these three).
_SAME_PLACE = select(Unit).where(Unit.building == bindparam("building"),
                                 Unit.unit == bindparam("unit"), Unit.room == bindparam("room"))
_ESTATES_LIKE = _ESTATE_NAMES.where(_ESTATES.c.estate.like(bindparam("name_like"), escape="/"))


# What was typed, read as one kind of search: the statements of each kind are built once
# with bound parameters (building and keying a statement costs more than running it).
@dataclass(frozen=True)
class _Search:
    kind: tuple[object, ...]  # hashable: which statement shape
    params: dict[str, object] = field(default_factory=dict, hash=False, compare=False)


_ALL = ("all",)


@cache
def _where(kind: tuple[object, ...]) -> tuple[ColumnElement[bool], ...]:
    live = Customer.merged_into_id.is_(None)
    what = kind[0]
    if what == "all":
        return (live,)
    if what == "unit":
        units = select(Unit.id).where(Unit.building == bindparam("building"),
                                      Unit.room == bindparam("room"))
        if kind[1]:
            units = units.where(Unit.unit == bindparam("unit"))
        return live, Customer.id.in_(
            select(CustomerUnit.customer_id).where(CustomerUnit.unit_id.in_(units)))
    if what == "phone":
        phones = (select(CustomerPhone.customer_id)
                  .join(PhoneGram, PhoneGram.phone_id == CustomerPhone.id)
                  .where(PhoneGram.gram == bindparam("gram")))
        if kind[1]:  # digits only: nothing for LIKE to escape
            phones = phones.where(CustomerPhone.digits.contains(bindparam("digits")))
        return live, Customer.id.in_(phones)
    if what == "pinyin":
        if kind[1] == "sqlite":
            # As byte ranges the indexes can serve (SQLite's LIKE is case-insensitive and
            # cannot use a plain index); elsewhere LIKE, because under a language collation
            # 'z' + 1 = '{' sorts before the letters. Pinyin keys are letters only.
            def starts(column: InstrumentedAttribute[str]) -> ColumnElement[bool]:
                return and_(column >= bindparam("key"), column < bindparam("upper"))
        else:
            def starts(column: InstrumentedAttribute[str]) -> ColumnElement[bool]:
                return column.startswith(bindparam("key"))
        return live, or_(starts(Customer.name_initials), starts(Customer.name_pinyin))
    assert what == "name"
    by_name = _by_name(int(kind[1]))  # type: ignore[call-overload]
    if not kind[2]:  # the usual case; an OR with the units costs 5× the time
        return live, by_name
    return live, or_(by_name, Customer.id.in_(
        select(CustomerUnit.customer_id).join(Unit).where(
            Unit.estate.in_(bindparam("estates", expanding=True)))))


@cache
def _count_statement(kind: tuple[object, ...]) -> Select[Any]:
    return select(func.count(Customer.id)).where(*_where(kind))


@cache
def _page_statement(kind: tuple[object, ...], after: bool) -> Select[Any]:
    """A page: by name for a search (its few pages by offset), newest first when
    browsing every card (after the last row shown, or by offset)."""
    page = _ROWS.where(*_where(kind))
    if kind != _ALL:
        page = page.order_by(func.length(Customer.name), Customer.name_pinyin, Customer.id) \
            .offset(bindparam("offset"))
    elif after:
        page = page.where(or_(Customer.updated_at < bindparam("after_at"),
                              and_(Customer.updated_at == bindparam("after_at"),
                                   Customer.id < bindparam("after_id")))) \
            .order_by(Customer.updated_at.desc(), Customer.id.desc())
    else:
        page = page.order_by(Customer.updated_at.desc(), Customer.id.desc()) \
            .offset(bindparam("offset"))
    return page.limit(bindparam("limit"))


def new_phone(normalized: str, digits: str, display: str, label: str,
              order: int) -> CustomerPhone:
    """A number for a card, with its 4-digit runs for search."""
    return CustomerPhone(normalized=normalized, digits=digits, display=display, label=label,
                         sort_order=order, grams=[PhoneGram(gram=g) for g in phone_grams(digits)])


# Rows and cards are read as plain columns on the session's connection, one query per table
# for the whole page, from statements built once: ORM objects, the ORM's execution and
# building statements each cost more than the SQL.
_ROWS = select(Customer.id, Customer.name, Customer.title, Customer.customer_type,
               Customer.tier, Customer.do_not_call, Customer.updated_at)
_CREATOR, _UPDATER = aliased(User), aliased(User)
_CARDS = (select(Customer.id, Customer.name, Customer.title, Customer.customer_type,
                 Customer.tier, Customer.do_not_call, Customer.notes, Customer.created_at,
                 Customer.updated_at, _CREATOR.display_name, _UPDATER.display_name)
          .outerjoin(_CREATOR, _CREATOR.id == Customer.created_by_id)
          .outerjoin(_UPDATER, _UPDATER.id == Customer.updated_by_id)
          .order_by(Customer.id))
_CALLERS = _CARDS.where(Customer.merged_into_id.is_(None), Customer.id.in_(
    select(CustomerPhone.customer_id).where(
        CustomerPhone.normalized.in_(bindparam("numbers", expanding=True)))))
_PHONES = (select(CustomerPhone.customer_id, CustomerPhone.normalized, CustomerPhone.display,
                  CustomerPhone.label)
           .where(CustomerPhone.customer_id.in_(bindparam("ids", expanding=True)))
           .order_by(CustomerPhone.customer_id, CustomerPhone.sort_order, CustomerPhone.id))
_UNITS = (select(CustomerUnit.customer_id, CustomerUnit.unit_id, Unit.label, CustomerUnit.role)
          .join(Unit, Unit.id == CustomerUnit.unit_id)
          .where(CustomerUnit.customer_id.in_(bindparam("ids", expanding=True)))
          .order_by(CustomerUnit.id))


def _phones_and_units(connection: Connection, ids: list[int]) -> tuple[
        dict[int, list[Row[Any]]], dict[int, list[Row[Any]]]]:
    """The number rows (``_PHONES``) and unit rows (``_UNITS``) of the cards ``ids``, by
    card, each in the card's order."""
    phones: dict[int, list[Row[Any]]] = {}
    units: dict[int, list[Row[Any]]] = {}
    if ids:
        for row in connection.execute(_PHONES, {"ids": ids}):
            phones.setdefault(row.customer_id, []).append(row)
        for row in connection.execute(_UNITS, {"ids": ids}):
            units.setdefault(row.customer_id, []).append(row)
    return phones, units


def _rows(connection: Connection, query: Select[Any],
          params: dict[str, object] | None = None) -> list[CustomerRow]:
    """List rows of the cards ``query`` (``_ROWS`` narrowed) selects, in its order."""
    found = connection.execute(query, params).all()
    phones, units = _phones_and_units(connection, [row.id for row in found])
    return [CustomerRow(
        id=row.id, name=row.name, title=row.title, customer_type=row.customer_type,
        tier=row.tier, do_not_call=row.do_not_call,
        phones="、".join(p.display for p in phones.get(row.id, ())),
        units="、".join(u.label for u in units.get(row.id, ())),
        updated_at=row.updated_at) for row in found]


def _cards(connection: Connection, query: Select[Any],
           params: dict[str, object] | None = None) -> list[CustomerCard]:
    """Whole cards that ``query`` (``_CARDS`` narrowed) selects, by id."""
    found = connection.execute(query, params).all()
    phones, units = _phones_and_units(connection, [row[0] for row in found])
    return [CustomerCard(
        id=cid, name=name, title=title, customer_type=kind, tier=tier, do_not_call=dnc,
        notes=notes,
        phones=tuple(PhoneInfo(p.normalized, p.display, p.label) for p in phones.get(cid, ())),
        units=tuple(UnitInfo(u.unit_id, u.label, u.role) for u in units.get(cid, ())),
        created_at=created_at, created_by=creator or "", updated_at=updated_at,
        updated_by=updater or "")
        for cid, name, title, kind, tier, dnc, notes, created_at, updated_at, creator, updater
        in found]


def _check_numbers(session: Session, customer: Customer | None, clean: _Clean,
                   shared_numbers: Collection[str]) -> None:
    """Raises NumberOnOtherCard for the numbers this save adds to the card that other
    (live) cards have, except those the user agreed to share."""
    have = {p.normalized for p in customer.phones} if customer is not None else set()
    added = [phone.normalized for phone, _label in clean.phones
             if phone.normalized not in have and phone.normalized not in shared_numbers]
    if not added:
        return
    query = (select(CustomerPhone.display, CustomerPhone.normalized, Customer.id, Customer.name)
             .join(Customer, Customer.id == CustomerPhone.customer_id)
             .where(CustomerPhone.normalized.in_(added), Customer.merged_into_id.is_(None))
             .order_by(Customer.id))
    if customer is not None:
        query = query.where(Customer.id != customer.id)
    found = session.execute(query).all()
    if not found:
        return
    _phones, units = _phones_and_units(session.connection(), [row.id for row in found])
    raise NumberOnOtherCard([NumberHolder(
        number=row.display, normalized=row.normalized, customer_id=row.id, name=row.name,
        units="、".join(u.label for u in units.get(row.id, ()))) for row in found])


def _meant(session: Session, address: UnitAddress) -> list[UnitAddress]:
    """The units on file ``address`` means (``meant_units``), from those at its place."""
    found = session.execute(_SAME_PLACE, {"building": address.building, "unit": address.unit,
                                          "room": address.room}).scalars()
    return meant_units(address, [UnitAddress(u.estate, u.building, u.unit, u.room)
                                 for u in found])


def card_snapshot(customer: Customer) -> dict[str, object]:
    return {
        "name": customer.name, "title": customer.title.value,
        "customer_type": customer.customer_type.value, "tier": customer.tier.value,
        "do_not_call": customer.do_not_call, "notes": customer.notes,
        "phones": sorted(p.normalized for p in customer.phones),
        "units": sorted(f"{cu.unit.label} ({cu.role.value})" for cu in customer.units),
    }


class CustomerService:
    def __init__(self, db: Database) -> None:
        self.db = db

    # -- reading -------------------------------------------------------------------------
    @staticmethod
    def _read(connection: Connection, query: str) -> _Search:
        """What was typed into the search box, as the kind of search and its values. Each
        kind uses an index: a 4-digit run table for numbers, ranges for pinyin, the name's
        runs for names."""
        text = search_text(query)
        if not text:
            return _Search(_ALL)
        # A unit first: 3-2-1502 is all digits and dashes, but nobody types a phone so.
        unit_key = unit_search_key(text)
        if unit_key is not None:
            building, unit, room = unit_key
            return _Search(("unit", bool(unit)),
                           {"building": building, "unit": unit, "room": room})
        digits = search_digits(text)
        # Only a number: digits with the usual signs (+86, spaces, dashes, brackets), in
        # half- or full-width forms.
        if digits and len(digits) >= GRAM and NUMBER_ONLY.fullmatch(
                unicodedata.normalize("NFKC", text)):
            return _Search(("phone", len(digits) > GRAM),
                           {"gram": digits[:GRAM], "digits": digits})
        if looks_like_pinyin(text):
            key = text.replace(" ", "").lower()
            return _Search(("pinyin", connection.dialect.name),
                           {"key": key, "upper": key[:-1] + chr(ord(key[-1]) + 1)})
        grams = _name_grams(text)
        params: dict[str, object] = {"name_like": _contains(text)}
        params.update({f"gram{n}": gram for n, gram in enumerate(grams)})
        estates = list(connection.scalars(_ESTATES_LIKE, params))
        if estates:
            params["estates"] = estates
        return _Search(("name", len(grams), bool(estates)), params)

    def search(self, query: str = "", offset: int = 0, limit: int = PAGE_SIZE,
               count: bool = True, after: tuple[datetime, int] | None = None) -> SearchPage:
        """A page of matching cards. ``count=False`` (later pages of the same search) skips
        counting them all again; the page's total is then -1. Browsing every card (an empty
        query), ``after`` (``list_position`` of the last row shown) continues from there
        instead of skipping ``offset`` rows, so the 1,000th page comes as fast as the
        first; a search's few pages still go by offset."""
        with self.db.read() as session:
            connection = session.connection()
            search = self._read(connection, query)
            total = (connection.scalar(_count_statement(search.kind), search.params)
                     or 0) if count else -1
            keyset = after is not None and search.kind == _ALL
            params = {**search.params, "offset": offset, "limit": limit}
            if keyset:
                assert after is not None
                params.update(after_at=after[0], after_id=after[1])
            rows = _rows(connection, _page_statement(search.kind, keyset), params)
            return SearchPage(rows=rows, total=total, offset=offset)

    def iter_rows(self, actor: Actor, query: str = "",
                  batch: int = 1000) -> Iterator[CustomerRow]:
        """Every matching card, a batch at a time (for exports); supervisors and admins."""
        require(actor, Permission.EXPORT_CUSTOMERS)
        last_id = 0
        while True:  # by id, so cards saved by other desks meanwhile shift nothing
            with self.db.read() as session:
                connection = session.connection()
                search = self._read(connection, query)
                rows = _rows(connection, _ROWS.where(*_where(search.kind),
                                                     Customer.id > last_id)
                             .order_by(Customer.id).limit(batch), search.params)
            if not rows:
                return
            yield from rows
            last_id = rows[-1].id

    def get(self, customer_id: int) -> CustomerCard:
        with self.db.read() as session:
            return self._card(session, self._load(session, customer_id, follow_merge=True))

    def lookup_phone(self, number: str) -> list[CustomerCard]:
        """The cards with this number: what the caller pop-up shows."""
        if number.isascii() and number.isdigit():
            # Caller ID: one number, nothing to split, so parsed once (parse_phones parses
            # each piece twice, once to find where it ends).
            try:
                parsed = [parse_phone(number)]
            except PhoneError:
                return []
        else:
            parsed, _ = parse_phones(number)
        if not parsed:
            return []
        with self.db.read() as session:
            return _cards(session.connection(), _CALLERS,
                          {"numbers": [p.normalized for p in parsed]})

    def unit_completions(self, text: str, limit: int = UNIT_COMPLETIONS) -> list[str]:
        """The units on file that what is being typed in a unit field can become, for its
        completer: "9-1-14" offers 枫林新城 9栋1单元1401…1409, "枫林" the estate's units. At
        most ``limit``, estate by estate, rooms in number order."""
        prefix = unit_prefix(text)
        if prefix is None:
            return []
        query = select(Unit.label)
        if prefix.estate:
            query = query.where(Unit.estate.contains(prefix.estate, autoescape=True))
        if prefix.building:
            query = query.where(Unit.building == prefix.building)
        room_starts = Unit.room.startswith(prefix.room, autoescape=True)
        if prefix.unit is not None:
            query = query.where(Unit.unit == prefix.unit)
            if prefix.room:
                query = query.where(room_starts)
        elif prefix.room:
            # "9-14": unit 14 of building 9, or room 14… of a building without units
            query = query.where(or_(Unit.unit == prefix.room,
                                    and_(Unit.unit == "", room_starts)))
        query = query.order_by(Unit.estate, func.length(Unit.building), Unit.building,
                               func.length(Unit.unit), Unit.unit, func.length(Unit.room),
                               Unit.room).limit(limit)
        with self.db.read() as session:
            return list(session.scalars(query))

    def match_unit(self, text: str, default_estate: str = "") -> UnitMatch:
        """The unit a typed unit is, as saving the card would take it (see
        ``domain.units.meant_units``); a ValidationError when it is not a unit."""
        try:
            address = parse_unit(text, default_estate)
        except UnitError:
            message = translate("Customers", "{text} is not a unit; write it like 3-2-1502 or "
                                             "3栋2单元1502.").format(text=text.strip())
            raise ValidationError(message, {"units": message}) from None
        with self.db.read() as session:
            meant = _meant(session, address)
        if len(meant) > 1:
            return UnitMatch(text, "", True, tuple(unit.label() for unit in meant))
        if meant:
            return UnitMatch(text, meant[0].label(), True)
        return UnitMatch(text, address.label(), False)

    def history(self, customer_id: int) -> list[audit.AuditRow]:
        """The card's own change log (who created, changed, merged it), newest first."""
        with self.db.read() as session:
            return audit.rows_for(session, "customer", customer_id)

    # -- writing -------------------------------------------------------------------------
    def create(self, actor: Actor, data: CustomerInput, *, default_estate: str = "",
               default_area_code: str | None = None,
               shared_numbers: Collection[str] = ()) -> CustomerCard:
        """A new card. A number already on another card is refused (NumberOnOtherCard)
        unless it is in ``shared_numbers`` (normalised), which the user agreed to share."""
        clean = validate(data, default_estate, default_area_code)
        with self.db.write() as session:
            _check_numbers(session, None, clean, shared_numbers)
            customer = Customer(created_by_id=actor.user_id, updated_by_id=actor.user_id)
            session.add(customer)
            self._apply(session, customer, data, clean)
            audit.record(session, actor, "customer", customer.id, "create",
                         audit.diff({}, card_snapshot(customer)))
            return self._card(session, customer)

    def update(self, actor: Actor, customer_id: int, data: CustomerInput, *,
               expected_updated_at: datetime | None = None, default_estate: str = "",
               default_area_code: str | None = None,
               shared_numbers: Collection[str] = ()) -> CustomerCard:
        """Saves the card. With ``expected_updated_at`` (when the card was opened), a card
        another desk changed meanwhile is refused rather than overwritten. A number added
        that another card has is refused as in ``create``."""
        clean = validate(data, default_estate, default_area_code)
        with self.db.write() as session:
            customer = self._load(session, customer_id)
            _check_numbers(session, customer, clean, shared_numbers)
            if expected_updated_at is not None and customer.updated_at != expected_updated_at:
                who = session.get(User, customer.updated_by_id) if customer.updated_by_id \
                    else None
                raise ValidationError(translate(
                    "Customers", "{who} changed this card while you had it open. Copy what "
                                 "you typed, close the card and open it again.").format(
                    who=who.display_name if who else translate("Customers", "Someone")))
            before = card_snapshot(customer)
            self._apply(session, customer, data, clean)
            changes = audit.diff(before, card_snapshot(customer))
            if changes:
                # Numbers and units live in other tables; the card changed all the same.
                customer.updated_at = clock.utcnow()
                customer.updated_by_id = actor.user_id
                session.flush()
                audit.record(session, actor, "customer", customer.id, "update", changes)
            return self._card(session, customer)

    def merge(self, actor: Actor, keep_id: int, merge_id: int) -> CustomerCard:
        """Moves everything of ``merge_id`` onto ``keep_id``; the merged card stays as a
        pointer so its history still leads to the person."""
        require(actor, Permission.MERGE_CUSTOMERS)
        if keep_id == merge_id:
            raise ValidationError(translate("Customers", "Choose two different cards to merge."))
        with self.db.write() as session:
            keep = self._load(session, keep_id)
            gone = self._load(session, merge_id)
            known_phones = {p.normalized for p in keep.phones}
            for phone in list(gone.phones):
                if phone.normalized not in known_phones:
                    keep.phones.append(new_phone(phone.normalized, phone.digits,
                                                 phone.display, phone.label, len(keep.phones)))
                    known_phones.add(phone.normalized)
            known_units = {cu.unit_id for cu in keep.units}
            for link in list(gone.units):
                if link.unit_id not in known_units:
                    keep.units.append(CustomerUnit(unit_id=link.unit_id, role=link.role))
                    known_units.add(link.unit_id)
            if gone.notes.strip() and gone.notes.strip() not in keep.notes:
                keep.notes = "\n".join(filter(None, [keep.notes.strip(), gone.notes.strip()]))
            if gone.tier == Tier.BLACKLIST or (gone.tier == Tier.VIP and keep.tier == Tier.NORMAL):
                keep.tier = gone.tier  # never lose a warning or a VIP mark by merging
            keep.do_not_call = keep.do_not_call or gone.do_not_call
            gone.phones.clear()
            gone.units.clear()
            gone.merged_into_id = keep.id
            # The person's calls, complaints and callbacks follow them to the kept card.
            for model in (Call, Complaint, CallbackTask):
                session.execute(update(model).where(model.customer_id == gone.id)
                                .values(customer_id=keep.id))
            keep.updated_by_id = actor.user_id
            session.flush()
            audit.record(session, actor, "customer", keep.id, "merge",
                         {"merged": [None, merge_id]}, note=gone.name)
            audit.record(session, actor, "customer", gone.id, "merged_into",
                         {"merged_into_id": [None, keep.id]})
            return self._card(session, keep)

    # -- helpers -------------------------------------------------------------------------
    @staticmethod
    def _load(session: Session, customer_id: int, follow_merge: bool = False) -> Customer:
        customer = session.get(Customer, customer_id)
        seen = set()
        while follow_merge and customer is not None and customer.merged_into_id \
                and customer.id not in seen:
            seen.add(customer.id)
            customer = session.get(Customer, customer.merged_into_id)
        if customer is None or (customer.merged_into_id and not follow_merge):
            raise NotFound(translate("Customers", "That customer card no longer exists (it may have been "
                              "merged). Search again."))
        return customer

    @staticmethod
    def unit_for(session: Session, address: UnitAddress, typed: str = "") -> Unit:
        """The unit on file that ``address`` means, or a new one; AmbiguousUnit when it
        may mean units in several estates. Cards, the roster import and the command line
        all take their units through here, so 9-1-1404 is one unit however it comes in."""
        meant = _meant(session, address)
        if len(meant) > 1:
            raise AmbiguousUnit(typed or address.label(), meant)
        if meant:
            address = meant[0]
        unit = session.scalar(select(Unit).where(Unit.key == address.key()))
        if unit is not None:
            return unit
        try:
            with session.begin_nested():  # another desk may add the same unit this moment
                unit = Unit(key=address.key(), estate=address.estate,
                            building=address.building, unit=address.unit, room=address.room,
                            label=address.label())
                session.add(unit)
        except IntegrityError:
            unit = session.scalar(select(Unit).where(Unit.key == address.key()))
            assert unit is not None
        return unit

    def _apply(self, session: Session, customer: Customer, data: CustomerInput,
               clean: _Clean) -> None:
        customer.name = clean.name
        customer.name_pinyin, customer.name_initials = name_keys(clean.name)
        customer.title = Title(data.title)
        customer.customer_type = CustomerType(data.customer_type)
        customer.tier = Tier(data.tier)
        customer.do_not_call = bool(data.do_not_call)
        customer.notes = data.notes.strip()
        wanted = {phone.normalized: (phone, label) for phone, label in clean.phones}
        for existing in list(customer.phones):
            if existing.normalized not in wanted:
                customer.phones.remove(existing)
        have = {p.normalized: p for p in customer.phones}
        for order, (phone, label) in enumerate(clean.phones):
            row = have.get(phone.normalized)
            if row is None:
                customer.phones.append(new_phone(phone.normalized, phone.digits, phone.display,
                                                 label, order))
            else:
                row.display, row.label, row.sort_order = phone.display, label, order
        wanted_units = {}
        for address, role in clean.units:
            wanted_units[self.unit_for(session, address).id] = role
        for link in list(customer.units):
            if link.unit_id not in wanted_units:
                customer.units.remove(link)
        have_units = {link.unit_id: link for link in customer.units}
        for unit_id, role in wanted_units.items():
            link = have_units.get(unit_id)
            if link is None:
                customer.units.append(CustomerUnit(unit_id=unit_id, role=role))
            else:
                link.role = role
        session.flush()
        session.refresh(customer)

    @staticmethod
    def _card(session: Session, customer: Customer) -> CustomerCard:
        session.flush()  # read back as written
        return _cards(session.connection(), _CARDS.where(Customer.id == customer.id))[0]
