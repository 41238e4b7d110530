"""The roster import applies the card form's limits (issue 14): a name, notes or an estate
the form would refuse is a row error, on SQLite (which would store it) and on PostgreSQL
(which aborted the whole import naming no row); every card imported can be saved again."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

from app.domain.roles import Actor
from app.domain.texts import NOTE_MAX
from app.importers.roster import preview_roster, read_roster
from app.jobs import finish
from app.services import Services
from app.services.customer_import import import_roster
from app.services.customers import CustomerInput, PhoneInput, UnitInput


def roster(path: Path, rows: list[list[object]]) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.append(["业主姓名", "项目", "楼栋", "单元", "房号", "联系电话", "备注"])
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def imported(services: Services, actor: Actor, path: Path):  # noqa: ANN201
    preview = preview_roster(path)
    result = read_roster(path, preview.sheet, preview.header_row, preview.mapping)
    return finish(import_roster(services.db, actor, result))


def resave(services: Services, actor: Actor, customer_id: int) -> None:
    """What the card form does with the card as it is: it must not be refused."""
    card = services.customers.get(customer_id)
    services.customers.update(actor, customer_id, CustomerInput(
        name=card.name, title=card.title, customer_type=card.customer_type, tier=card.tier,
        do_not_call=card.do_not_call, notes=card.notes,
        phones=[PhoneInput(phone.display) for phone in card.phones],
        units=[UnitInput(unit.label) for unit in card.units]))


def test_rows_over_the_card_limits_are_row_errors(services: Services, admin: Actor,
                                                 tmp_path: Path) -> None:
    path = roster(tmp_path / "limits.xlsx", [
        ["张三", "阳光花园", 3, 2, 1502, "13800138000", "晚上联系"],
        ["李四" * 21, "阳光花园", 3, 2, 1503, "13800138001", ""],          # name: 42
        ["王五", "阳" * 41, 3, 2, 1504, "13800138002", ""],                # estate: 41
        ["赵六", "阳光花园", 3, 2, 1505, "13800138003", "备" * (NOTE_MAX + 1)],  # notes
        ["钱七", "阳光花园", 3, 2, 1506, "13800138004", "备" * NOTE_MAX],  # just fits
    ])
    summary = imported(services, admin, path)
    assert (summary.created, summary.updated) == (2, 0)
    assert [(e.row, e.rejected) for e in summary.errors] == [(3, True), (4, True), (5, True)]
    messages = [e.message for e in summary.errors]
    assert "40" in messages[0] and "40" in messages[1] and "2,000" in messages[2]
    assert all(len(message) < 300 for message in messages)  # nothing echoed whole
    for card in services.customers.search("", 0, 10).rows:
        resave(services, admin, card.id)


def test_notes_that_would_grow_too_long_are_left_out_with_a_note(services: Services,
                                                                 admin: Actor,
                                                                 tmp_path: Path) -> None:
    card = services.customers.create(admin, CustomerInput(
        name="张三", notes="老" * (NOTE_MAX - 10), phones=[PhoneInput("13800138000")]))
    path = roster(tmp_path / "notes.xlsx", [
        ["张三", "阳光花园", 3, 2, 1502, "13800138000", "再加上二十个字的备注" * 2],
        # one person on two rows: the notes of both together are too long for one card
        ["李四", "阳光花园", 5, 1, 301, "13900139000", "备" * 1500],
        ["李四", "阳光花园", 5, 1, 302, "13900139000", "注" * 1500],
    ])
    summary = imported(services, admin, path)
    assert (summary.created, summary.updated) == (1, 1)
    assert [(e.row, e.rejected) for e in summary.errors] == [(2, False), (3, False)]
    assert all("2,000" in e.message for e in summary.errors)
    again = services.customers.get(card.id)
    assert again.notes == "老" * (NOTE_MAX - 10) and len(again.units) == 1  # the unit came in
    for row in services.customers.search("", 0, 10).rows:
        assert len(services.customers.get(row.id).notes) <= NOTE_MAX
        resave(services, admin, row.id)
