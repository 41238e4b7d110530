"""Exported workbooks on screen and on paper (issue 16, item 13): columns fit what they
hold — a Chinese character counts double — headers wrap instead of running into the next
column, and every sheet prints on A4 at a legible scale. Checked on demo data, whose units
("枫林新城 9栋1单元1404") and complaint texts are the length a real desk's are."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook

from app import clock, demo
from app.db import Database, default_sqlite_url, migrate
from app.exporters.daily_report import export_daily_report
from app.exporters.layout import ColumnFitter, header_width, text_width
from app.exporters.lists import export_callbacks, export_calls, export_complaints
from app.exporters.monthly_callbacks import export_monthly_callbacks
from app.jobs import finish
from app.reports.daily import daily_report
from app.reports.monthly import Month, monthly_report
from app.services import Services
from app.services.callbacks import CallbackFilter, Queue
from app.services.calls import CallFilter
from app.services.complaints import ComplaintFilter
from tests.workbook_layout import assert_fits_and_prints


def test_wide_characters_count_double() -> None:
    assert text_width("1404") == 4
    assert text_width("枫林新城 9栋1单元1404") == 4 * 2 + 1 + 2 + 1 + 2 + 1 + 2 + 4
    assert text_width("第一行\n长一点的第二行") == 14  # the longest line
    assert text_width("（全角）") == 8


def test_a_long_header_wraps_onto_two_lines_but_never_splits_a_word() -> None:
    assert header_width("处理时长（工时）") == 8          # 16 wide on two lines
    assert header_width("Average time to resolve") == 12  # "Average time" / "to resolve"
    assert header_width("Satisfaction") == 12             # one word stays whole


def test_columns_are_as_wide_as_their_widest_value_within_bounds() -> None:
    fitter = ColumnFitter(["房屋", "号码", "投诉内容"], wrapped=[2])
    fitter.add(["枫林新城 9栋1单元1404", "139 1234 5678", "漏水" * 300])
    fitter.add(["3-2-501", None, "短"])
    unit, phone, text = fitter.widths()
    assert unit == text_width("枫林新城 9栋1单元1404") + 2
    assert phone == len("139 1234 5678") + 2
    assert 30 <= text <= 40  # long text wraps at a fixed width instead of growing


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Database:
    path = tmp_path_factory.mktemp("layout") / "demo.db"
    db = Database(default_sqlite_url(path))
    migrate.upgrade(db)
    demo.fill(db, customers=120, months=1)
    yield db
    db.dispose()


def test_the_monthly_workbook_fits_and_prints(demo_db: Database, tmp_path: Path) -> None:
    actor = demo.demo_actor(demo_db)
    today = clock.utcnow().astimezone().date()
    previous = (today.replace(day=1) - timedelta(days=1))
    report = monthly_report(demo_db, actor, Month(previous.year, previous.month), "枫林新城")
    assert report.complaints and report.callbacks
    book = load_workbook(export_monthly_callbacks(report, tmp_path / "月报.xlsx"))
    for sheet in book.worksheets:
        if sheet.title == "汇总":  # laid out around its charts, checked in its own test
            continue
        assert_fits_and_prints(sheet)
    complaints = book["投诉明细"]
    headers = [c.value for c in complaints[1]]
    unit = headers.index("房屋") + 1
    longest = max(text_width(line.unit) for line in report.complaints)
    assert longest > 14  # the width the column had: the units ran into the phone numbers
    assert complaints.column_dimensions[chr(64 + unit)].width >= longest


def test_the_daily_report_and_the_lists_fit_and_print(demo_db: Database,
                                                      tmp_path: Path) -> None:
    services = Services.open(demo_db)
    actor = demo.demo_actor(demo_db)
    newest = services.calls.list(CallFilter(), 0, 1).rows[0].received_at
    day = newest.astimezone().date()
    report = daily_report(demo_db, actor, day)
    assert len(report.calls) > 5
    book = load_workbook(export_daily_report(report, "枫林新城物业服务中心", tmp_path / "d.xlsx"))
    assert_fits_and_prints(book.worksheets[1])
    for path in (finish(export_calls(services.calls, actor, CallFilter(), tmp_path / "c.xlsx")),
                 finish(export_complaints(services.complaints, actor, ComplaintFilter(),
                                       tmp_path / "p.xlsx")),
                 finish(export_callbacks(services.callbacks, actor,
                                      CallbackFilter(Queue.ALL), tmp_path / "b.xlsx"))):
        sheet = load_workbook(path).worksheets[0]
        assert sheet.max_row > 2, path
        assert_fits_and_prints(sheet)
