"""Text typed as a formula stays text in every workbook CallDesk writes (issue 14).

Every text field gets a formula-looking value; every workbook is read back: no cell is a
formula, each such text is there exactly as typed, and carries Excel's quote prefix so it
stays text when someone edits the cell."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook

from app import clock
from app.domain.calls import CallType, Outcome
from app.domain.complaints import Category
from app.domain.roles import Actor, Role
from app.exporters.cells import needs_quote, text
from app.exporters.customers import export_customers
from app.exporters.daily_report import export_daily_report
from app.exporters.lists import export_callbacks, export_calls, export_complaints
from app.exporters.monthly_callbacks import export_monthly_callbacks
from app.importers.roster import RosterResult, RowError, save_rejected
from app.jobs import finish
from app.reports.daily import daily_report
from app.services import Services
from app.services.callbacks import CallbackFilter, Queue
from app.services.calls import CallFilter, CallInput
from app.services.complaints import ComplaintFilter, ComplaintInput
from app.services.customers import CustomerInput, PhoneInput, UnitInput
from tests.test_monthly_workbook import make_report

CALC = "=cmd|' /C calc'!A0"
HOSTILE = [CALC, "+SUM(1,2)", "-2+3", "@SUM(A1)", "\t=1+1", "\r=1+1", "#N/A",
           '=HYPERLINK("http://x","点击")']
STORED = [value.strip() for value in HOSTILE]  # the services trim what is saved


def texts_checked(path: Path) -> set[str]:
    """Every text of the workbook; fails on a formula, or on risky text without the prefix."""
    found: set[str] = set()
    book = load_workbook(path)
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{path.name} {sheet.title}!{cell.coordinate}"
                if isinstance(cell.value, str):
                    found.add(cell.value)
                    if needs_quote(cell.value):
                        assert cell.data_type == "s" and cell.quotePrefix, \
                            f"{path.name} {sheet.title}!{cell.coordinate} {cell.value!r}"
    return found


def contains(found: set[str], wanted: str) -> bool:
    return any(wanted in value for value in found)


@pytest.fixture
def hostile_day(services: Services, admin: Actor) -> Actor:
    """An operator, a department, a customer, calls, a complaint and a callback whose every
    free text looks like a formula."""
    services.users.add_user(admin, "kf01", "=HYPERLINK(\"x\")", Role.OPERATOR, "secret1")
    operator = services.users.authenticate("kf01", "secret1")
    department = services.departments.add(admin, "@部门")
    services.customers.create(admin, CustomerInput(
        name="=1+2", notes=CALC, phones=[PhoneInput("13800138000")],
        units=[UnitInput("3-2-1502")]))
    for index, summary in enumerate(HOSTILE):
        services.calls.log(operator, CallInput(
            phone="13800138000", call_type=CallType.REPAIR, summary=summary,
            outcome=Outcome.DISPATCHED, department_id=department.id, duration_seconds=60,
            received_at=clock.utcnow().replace(tzinfo=UTC) - timedelta(minutes=index + 1)))
    services.complaints.create(admin, ComplaintInput(
        category=Category.REPAIRS, description=CALC, demand="+赔偿", phone="13800138000"))
    services.callbacks.schedule(admin, due_at=clock.utcnow() + timedelta(hours=1),
                                phone="13800138000", note="-回电")
    return operator


def test_every_list_export_keeps_formula_text_as_text(services: Services, admin: Actor,
                                                      hostile_day: Actor,
                                                      tmp_path: Path) -> None:
    calls = tmp_path / "calls.xlsx"
    finish(export_calls(services.calls, admin, CallFilter(), calls))
    found = texts_checked(calls)
    assert all(value in found for value in STORED)  # kept exactly as saved
    assert contains(found, '=HYPERLINK("x")') and "=1+2" in found

    complaints = tmp_path / "complaints.xlsx"
    finish(export_complaints(services.complaints, admin, ComplaintFilter(), complaints))
    assert CALC in texts_checked(complaints)

    callbacks = tmp_path / "callbacks.xlsx"
    finish(export_callbacks(services.callbacks, admin, CallbackFilter(queue=Queue.ALL), callbacks))
    assert contains(texts_checked(callbacks), "=1+2")  # the customer

    cards = tmp_path / "cards.xlsx"
    finish(export_customers(services.customers, admin, "", cards))
    assert "=1+2" in texts_checked(cards)


def test_the_daily_report_keeps_formula_text_as_text(services: Services, admin: Actor,
                                                     hostile_day: Actor,
                                                     tmp_path: Path) -> None:
    report = daily_report(services.db, admin, datetime.now().astimezone().date())
    assert report.total == len(HOSTILE)
    target = export_daily_report(report, "=中心", tmp_path / "daily.xlsx")
    found = texts_checked(target)
    assert all(value in found for value in STORED)
    assert {"@部门", '=HYPERLINK("x")', "=1+2"} <= found
    assert contains(found, "=中心")
    assert load_workbook(target).worksheets[1]["G2"].alignment.wrap_text  # still styled


def test_the_monthly_workbook_keeps_formula_text_as_text(tmp_path: Path) -> None:
    base = make_report()

    def hostile(line: object, index: int) -> object:
        texts = {f.name: HOSTILE[(index + n) % len(HOSTILE)]
                 for n, f in enumerate(dataclasses.fields(line)) if f.type == "str"}
        return dataclasses.replace(line, **texts)

    report = dataclasses.replace(
        base, centre_name="=中心",
        complaints=[hostile(line, i) for i, line in enumerate(base.complaints)],
        callbacks=[hostile(line, i) for i, line in enumerate(base.callbacks)])
    target = export_monthly_callbacks(report, tmp_path / "month.xlsx",
                                      [("=满意率", "+1"), ("-", "@")])
    found = texts_checked(target)
    assert all(value in found for value in HOSTILE)
    assert {"=满意率", "+1", "-", "@"} <= found


def test_the_rejected_rows_keep_formula_text_as_text(tmp_path: Path) -> None:
    result = RosterResult(people=[], skipped_rows=0, headers=["=姓名", "电话"], errors=[
        RowError(5, f"Row 5: {CALC}", (CALC, "+8613800138000")),
        RowError(6, "-", ("@业主", "#N/A", "\t=1"))])
    out = tmp_path / "rejected.xlsx"
    save_rejected(result, out)
    found = texts_checked(out)
    assert {CALC, "+8613800138000", "@业主", "#N/A", "\t=1", "=姓名", "-"} <= found
    sheet = load_workbook(out).active
    assert sheet.freeze_panes == "B2" and sheet["B2"].number_format == "@"
    assert [cell.value for cell in sheet["A"]][1:] == [5, 6]


def test_the_text_writer() -> None:
    from openpyxl import Workbook

    sheet = Workbook(write_only=True).create_sheet()
    assert text(sheet, "漏水") == "漏水"  # plain text stays a plain string
    assert text(sheet, "a\x00b\x07c") == "abc"  # an .xlsx cannot hold these
    cell = text(sheet, "=1")
    assert cell.value == "=1" and cell.data_type == "s" and cell.quotePrefix
    assert not needs_quote("") and not needs_quote("1=1") and needs_quote("#DIV/0!")
