"""Name search through the name-gram table, on both databases: every path that writes a
name keeps the table in step, and the migration fills it for cards that already exist."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from openpyxl import Workbook
from sqlalchemy import select

from app.db import Database, default_sqlite_url, migrate
from app.db.models import CustomerNameGram, name_grams
from app.domain.roles import Actor, Role
from app.importers.roster import preview_roster, read_roster
from app.services import Services
from app.services.customer_import import import_roster
from app.services.customers import CustomerInput, PhoneInput, UnitInput

DATABASES = Path(__file__).parent / "data" / "databases"


def card(name: str, *phones: str, units: tuple[str, ...] = ()) -> CustomerInput:
    return CustomerInput(name=name, phones=[PhoneInput(p) for p in phones],
                         units=[UnitInput(u) for u in units])


def found(services: Services, query: str) -> list[str]:
    page = services.customers.search(query)
    assert page.total == len(page.rows)
    return sorted(row.name for row in page.rows)


def grams_of(db: Database, customer_id: int) -> list[str]:
    with db.read() as session:
        return sorted(session.scalars(select(CustomerNameGram.gram).where(
            CustomerNameGram.customer_id == customer_id)))


def test_name_grams_are_every_one_and_two_character_run() -> None:
    assert name_grams("王玉梅") == sorted(["王", "玉", "梅", "王玉", "玉梅"])
    assert name_grams("Anna 李") == sorted(["a", "n", " ", "李", "an", "nn", "na", "a ", " 李"])
    assert name_grams("") == []


def test_a_new_card_is_found_by_any_part_of_its_name(services: Services, admin: Actor) -> None:
    saved = services.customers.create(admin, card("欧阳玉梅", "13800138000"))
    services.customers.create(admin, card("王玉兰", "13900139000"))
    assert grams_of(services.db, saved.id) == name_grams("欧阳玉梅")
    for query in ("欧阳玉梅", "阳玉梅", "玉梅", "梅", "欧阳玉"):
        assert found(services, query) == ["欧阳玉梅"], query
    assert found(services, "玉") == ["欧阳玉梅", "王玉兰"]
    assert found(services, "欧梅") == []  # every run is there, but not in a row


def test_a_renamed_card_is_found_by_its_new_name_only(services: Services, admin: Actor) -> None:
    saved = services.customers.create(admin, card("王玉梅", "13800138000"))
    services.customers.update(admin, saved.id, card("王雨眉", "13800138000"))
    assert found(services, "王玉梅") == found(services, "玉梅") == []
    assert found(services, "王雨眉") == found(services, "雨眉") == ["王雨眉"]
    assert grams_of(services.db, saved.id) == name_grams("王雨眉")
    services.customers.update(admin, saved.id, card("王雨眉", "13800138000", "13900139000"))
    assert grams_of(services.db, saved.id) == name_grams("王雨眉")  # unchanged name


def test_letters_match_as_the_databases_like_matches_them(services: Services,
                                                          admin: Actor) -> None:
    services.customers.create(admin, card("Anna李", "13800138000"))
    assert found(services, "Anna李") == found(services, "a李") == ["Anna李"]
    # SQLite's LIKE ignores the case of ASCII letters, PostgreSQL's does not.
    assert found(services, "anna李") == (["Anna李"] if services.db.is_sqlite else [])


def test_after_a_merge_only_the_kept_card_is_found(services: Services, admin: Actor) -> None:
    services.users.add_user(admin, "boss", "陈经理", Role.SUPERVISOR, "secret1")
    boss = services.users.authenticate("boss", "secret1")
    keep = services.customers.create(admin, card("李建国", "13800138000")).id
    gone = services.customers.create(admin, card("李建囯", "13700001111")).id  # a typo
    services.customers.merge(boss, keep, gone)
    assert found(services, "李建") == found(services, "建国") == ["李建国"]
    assert found(services, "建囯") == []


def test_imported_cards_are_found_by_name(services: Services, admin: Actor,
                                          tmp_path: Path) -> None:
    book = Workbook()
    book.active.append(["业主姓名", "楼栋", "单元", "房号", "联系电话"])
    book.active.append(["司马玉梅", 3, 2, 1502, "13800138000"])
    book.active.append(["赵六", 7, 1, 201, "15000001111"])
    path = tmp_path / "roster.xlsx"
    book.save(path)
    preview = preview_roster(path)
    job = import_roster(services.db, admin, read_roster(path, preview.sheet, preview.header_row,
                                                        preview.mapping))
    for _ in job:
        pass
    assert found(services, "玉梅") == found(services, "司马") == ["司马玉梅"]
    assert found(services, "赵六") == ["赵六"]


def test_an_estate_name_finds_its_residents_as_well(services: Services, admin: Actor) -> None:
    services.customers.create(admin, card("张三", "13800138000", units=("阳光花园 3-2-1502",)))
    services.customers.create(admin, card("花园", "13900139000"))
    services.customers.create(admin, card("李四", "13700001111", units=("翠湖 1-1-101",)))
    assert found(services, "花园") == ["张三", "花园"]
    assert found(services, "阳光") == ["张三"]


def test_the_migration_fills_the_grams_of_existing_cards(tmp_path: Path) -> None:
    target = tmp_path / "calldesk.db"
    shutil.copy(DATABASES / "schema-0005.db", target)
    with sqlite3.connect(target) as connection:
        cards = connection.execute("SELECT id, name FROM customers").fetchall()
    assert len(cards) > 10
    db = Database(default_sqlite_url(target))
    try:
        migrate.upgrade(db)
        with db.read() as session:
            stored: dict[int, list[str]] = {}
            for gram, customer_id in session.execute(
                    select(CustomerNameGram.gram, CustomerNameGram.customer_id)
                    .order_by(CustomerNameGram.gram)):
                stored.setdefault(customer_id, []).append(gram)
        assert stored == {cid: name_grams(name) for cid, name in cards}
        services = Services.open(db)
        for cid, name in cards[:20]:
            hits = [row.id for row in services.customers.search(name[-2:], 0, 1000).rows]
            merged = services.customers.get(cid).id != cid  # merged cards are not listed
            assert (cid in hits) != merged, name
    finally:
        db.dispose()
