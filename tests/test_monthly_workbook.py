"""回访客户月统计表 as a workbook: built from a MonthlyReport made here, read back with
openpyxl, converted by LibreOffice; and ``calldesk export monthly-callbacks``."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import uuid
import zipfile
from dataclasses import fields
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.chart import BarChart, LineChart, PieChart
from openpyxl.worksheet._writer import ALL_TEMP_FILES

from app import clock
from app.domain.calls import Satisfaction
from app.domain.complaints import Category, Severity, Status
from app.exporters.monthly_callbacks import (
    FOOTER,
    PROGRESS_EVERY,
    SHEETS,
    export_monthly_callbacks,
    write_monthly_callbacks,
)
from app.paths import AppPaths
from app.reports.monthly import (
    CallbackLine,
    CategoryRow,
    ComplaintLine,
    DepartmentRow,
    Kpis,
    Month,
    MonthlyReport,
    OperatorRow,
    definitions,
    kpi_labels,
)
from tests.test_cli import run_cli
from tests.test_complaints_cli import filled  # noqa: F401 (the fixture)

T0 = datetime(2026, 11, 3, 1, 30, tzinfo=UTC)
FORMULA = "=SUM(A1:A3) 厨房天花板漏水"
DEFINITIONS = [("投诉受理数", "当月登记的投诉单数"), ("满意率", "=(满意 + 基本满意) / 回访完成数")]
NAMES = ["汇总", "按类别", "按部门", "按客服", "不满意及回访失败", "投诉明细", "回访明细", "说明"]


def complaint(i: int) -> ComplaintLine:
    return ComplaintLine(
        number=f"TS202611-{i + 1:04d}", registered_at=T0 + timedelta(hours=i), source="电话",
        customer="王秀英", unit="3-2-1502", phone="13912345678",
        category=Category.REPAIRS if i % 2 else Category.NOISE,
        severity=Severity.URGENT if i == 0 else Severity.NORMAL,
        description=FORMULA if i == 0 else "楼上夜间装修", department="工程部",
        status=Status.CLOSED if i % 3 else Status.DISPATCHED,
        resolve_due_at=T0 + timedelta(days=1),
        resolved_at=T0 + timedelta(hours=20) if i % 3 else None,
        on_time=True if i % 3 else None, resolve_hours=6.5 if i % 3 else None, reopened=0,
        satisfaction=Satisfaction.SATISFIED if i % 3 else None)


def callback(i: int) -> CallbackLine:
    failed = i % 5 == 4
    return CallbackLine(
        complaint_number=f"TS202611-{i + 1:04d}", customer="王秀英", phone="13912345678",
        category=Category.REPAIRS if i % 2 else None, due_at=T0 + timedelta(days=1),
        done_at=None if failed else T0 + timedelta(days=1, hours=2), operator="张敏",
        attempts=3 if failed else 1, status="回访失败" if failed else "已完成", failed=failed,
        reached=not failed,
        satisfaction=None if failed else
        (Satisfaction.UNSATISFIED if i % 5 == 1 else Satisfaction.SATISFIED),
        comment="-维修慢" if i == 1 else "维修及时", reviewed_by="李主任" if i % 2 else "",
        review_comment="@已跟进" if i == 1 else "")


def make_report(complaints: int = 6, callbacks: int = 10) -> MonthlyReport:
    return MonthlyReport(
        centre_name="阳光花园物业服务中心", month=Month(2026, 11),
        kpis=Kpis(complaints_received=42, complaints_resolved=38, resolved_on_time=30,
                  resolved_on_time_rate=30 / 38, average_resolve_hours=7.25, callbacks_due=40,
                  callbacks_done=35, satisfied=25, fairly_satisfied=6, unsatisfied=4,
                  satisfaction_rate=31 / 35, calls_received=812, calls_missed=17,
                  average_handle_seconds=143.6, first_call_resolution=0.72),
        previous=Kpis(complaints_received=37, complaints_resolved=30, resolved_on_time=27,
                      resolved_on_time_rate=0.9, average_resolve_hours=8.0,
                      satisfaction_rate=0.8, calls_received=790, average_handle_seconds=150),
        by_category=[CategoryRow(Category.REPAIRS, 20, 18, 15, 2, 12, 3),
                     CategoryRow(Category.NOISE, 12, 10, 9, 1, 8, 1),
                     CategoryRow(Category.CLEANING, 10, 10, 6, 0, 11, 0)],
        by_department=[DepartmentRow("工程部", 20, 18, 15, 2, 9.5),
                       DepartmentRow("保洁部", 10, 10, 9, 0, 4.0),
                       DepartmentRow("秩序维护部", 2, 0, 0, 1, None)],
        by_operator=[OperatorRow("张敏", 400, 20, 18, 2, 15),
                     OperatorRow("王芳", 412, 22, 17, 3, 16)],
        daily_calls=[(date(2026, 11, d), 20 + (d * 7) % 13) for d in range(1, 31)],
        complaints=[complaint(i) for i in range(complaints)],
        callbacks=[callback(i) for i in range(callbacks)])


def local(moment: datetime) -> datetime:
    return moment.astimezone().replace(tzinfo=None)


@pytest.fixture
def workbook_path(tmp_path: Path) -> Path:
    return export_monthly_callbacks(make_report(), tmp_path / "月报.xlsx", DEFINITIONS)


def test_sheets_properties_and_print_setup(workbook_path: Path) -> None:
    book = load_workbook(workbook_path)
    assert book.sheetnames == NAMES == list(SHEETS)
    assert book.properties.title == "阳光花园物业服务中心 回访客户月统计表 2026年11月"
    assert book.properties.creator == "CallDesk"
    assert "2026-11" in book.properties.subject
    for sheet in book.worksheets:
        setup = sheet.page_setup
        assert int(setup.paperSize) == 9, sheet.title  # orientation: test_workbook_layout
        assert (setup.fitToWidth, setup.fitToHeight) == (1, 0), sheet.title
        assert sheet.sheet_properties.pageSetUpPr.fitToPage, sheet.title
        assert sheet.oddFooter.center.text == FOOTER == "第 &P 页 / 共 &N 页"
        assert sheet.print_title_rows == ("$1:$2" if sheet.title == "汇总" else "$1:$1")
        assert sheet.freeze_panes, sheet.title
        if sheet.title != "汇总":  # the header row: bold on the blue fill
            assert sheet["A1"].font.b and sheet["A1"].fill.fgColor.rgb.endswith("DDEBF7")
            assert sheet.freeze_panes in ("A2", "B2")
            assert "回访客户月统计表" in sheet.oddHeader.center.text
    assert book["汇总"].freeze_panes == "A4"


def test_summary_figures_formats_and_charts(workbook_path: Path) -> None:
    report = make_report()
    sheet = load_workbook(workbook_path)["汇总"]
    assert sheet["A1"].value == "阳光花园物业服务中心 回访客户月统计表 2026年11月"
    assert sheet["A1"].font.b and sheet["A1"].font.sz >= 14
    assert "A1:D1" in {str(r) for r in sheet.merged_cells.ranges}
    labels = kpi_labels()
    expected_formats = {"resolved_on_time_rate": "0.0%", "callbacks_on_time_rate": "0.0%",
                        "satisfaction_rate": "0.0%", "first_call_resolution": "0.0%",
                        "average_resolve_hours": "0.0", "average_handle_seconds": "0"}
    for row, item in enumerate(fields(Kpis), start=4):
        now, before = getattr(report.kpis, item.name), getattr(report.previous, item.name)
        label, this_cell, previous_cell, change = (sheet.cell(row, c) for c in range(1, 5))
        assert label.value == labels[item.name]
        number_format = expected_formats.get(item.name, "0")
        for cell, value in ((this_cell, now), (previous_cell, before)):
            if value is None:
                assert cell.value == "-", item.name
            else:
                assert cell.value == pytest.approx(value), item.name
                assert cell.number_format == number_format, item.name
        if now is None or before is None:
            assert change.value == "-"
        elif number_format == "0.0%":  # percentage points
            assert change.value == pytest.approx((now - before) * 100)
            assert change.number_format.startswith("+0.0")
        else:
            assert change.value == pytest.approx(now - before)
            assert change.number_format.startswith("+0")
    assert sheet["B4"].value == 42 and sheet["D4"].value == 5
    assert sheet.cell(4 + [f.name for f in fields(Kpis)].index("satisfaction_rate"), 4).value \
        == pytest.approx((31 / 35 - 0.8) * 100)

    charts = sheet._charts
    assert sorted(type(c).__name__ for c in charts) == ["BarChart", "LineChart", "PieChart"]
    bar = next(c for c in charts if isinstance(c, BarChart))
    pie = next(c for c in charts if isinstance(c, PieChart))
    line = next(c for c in charts if isinstance(c, LineChart))
    # Each chart reads a table on the sheet holding the report's numbers.
    def read(formula: str) -> list[object]:  # e.g. '汇总'!$G$45:$G$74
        sheet_name, cells = formula.split("!")
        assert sheet_name == "'汇总'"
        return [c.value for row in sheet[cells.replace("$", "")] for c in row]

    assert read(bar.series[0].val.numRef.f) == [20, 12, 10]
    assert read(bar.series[1].val.numRef.f) == [18, 10, 10]
    def categories(series: object) -> str:
        source = series.cat  # type: ignore[attr-defined]
        return (source.numRef or source.strRef).f

    assert read(categories(bar.series[0])) == [r.category.label for r in report.by_category]
    assert read(pie.series[0].val.numRef.f) == [25, 6, 4]
    assert read(categories(pie.series[0])) == [s.label for s in Satisfaction]
    assert read(line.series[0].val.numRef.f) == [calls for _, calls in report.daily_calls]
    days = read(categories(line.series[0]))
    assert days == [datetime.combine(d, datetime.min.time()) for d, _ in report.daily_calls]
    # The data tables start on page 2, after a page break.
    assert [b.id for b in sheet.row_breaks.brk] == [min(
        int(series.val.numRef.f.split("$")[2].split(":")[0]) for series in bar.series) - 2]


def test_tables_by_category_department_and_operator(workbook_path: Path) -> None:
    book = load_workbook(workbook_path)
    category = [[c.value for c in row] for row in book["按类别"].iter_rows(min_row=2)]
    assert category[0][:4] == [Category.REPAIRS.label, 20, 18, 15]
    assert category[0][4] == pytest.approx(15 / 18)
    assert category[-1][1:4] == [42, 38, 30] and len(category) == 4  # the total row
    assert book["按类别"].cell(5, 1).font.b
    department = [[c.value for c in row] for row in book["按部门"].iter_rows(min_row=2)]
    assert department[2][0] == "秩序维护部" and department[2][-1] is None
    assert department[-1][1:4] == [32, 28, 24]
    assert department[-1][-1] == pytest.approx((9.5 * 18 + 4.0 * 10) / 28)
    assert book["按部门"].cell(2, 7).number_format == "0.0"
    operator = [[c.value for c in row] for row in book["按客服"].iter_rows(min_row=2)]
    assert operator == [["张敏", 400, 20, 18, 2, 15], ["王芳", 412, 22, 17, 3, 16],
                        [operator[-1][0], 812, 42, 35, 5, 31]]


def test_detail_sheets(workbook_path: Path) -> None:
    report = make_report()
    book = load_workbook(workbook_path)
    complaints, callbacks, follow_up = book["投诉明细"], book["回访明细"], book["不满意及回访失败"]
    assert complaints.max_row == 1 + len(report.complaints)
    assert callbacks.max_row == 1 + len(report.callbacks)
    assert follow_up.max_row == 1 + len(report.follow_up) == 1 + 4
    assert complaints.auto_filter.ref == "A1:Q7"
    assert callbacks.auto_filter.ref == "A1:O11"
    assert follow_up.auto_filter.ref == "A1:O5"

    first = [c for c in complaints[2]]
    assert first[0].value == "TS202611-0001"
    assert first[1].value == local(T0) and first[1].number_format == "yyyy-mm-dd hh:mm"
    assert (first[6].value, first[7].value, first[10].value) == (
        Category.NOISE.label, Severity.URGENT.label, Status.DISPATCHED.label)
    # A description typed as a formula stays the text the customer said.
    assert first[8].value == FORMULA and first[8].data_type == "s"
    assert first[11].value == local(T0 + timedelta(days=1))
    assert first[12].value is None and first[14].value is None
    second = [c.value for c in complaints[3]]
    assert second[12] == local(T0 + timedelta(hours=20)) and second[14] == 6.5
    assert second[16] == Satisfaction.SATISFIED.label

    row = [c for c in callbacks[3]]  # callback 1: unsatisfied, text that looks like maths
    assert row[3].value == Category.REPAIRS.label
    assert row[4].value == local(T0 + timedelta(days=1))
    assert row[4].number_format == "yyyy-mm-dd hh:mm"
    assert row[11].value == Satisfaction.UNSATISFIED.label
    assert (row[12].value, row[12].data_type) == ("-维修慢", "s")
    assert (row[14].value, row[14].data_type) == ("@已跟进", "s")
    assert [c.value for c in follow_up["A"][1:]] == [
        line.complaint_number for line in report.follow_up]

    with zipfile.ZipFile(workbook_path) as archive:  # no formula anywhere
        for name in archive.namelist():
            if name.startswith("xl/worksheets/sheet"):
                assert b"<f>" not in archive.read(name), name

    notes = [[c.value for c in row] for row in book["说明"].iter_rows(min_row=2)]
    assert notes == [list(d) for d in DEFINITIONS]
    assert book["说明"].cell(3, 2).data_type == "s"


def test_definitions_default_to_the_reports(tmp_path: Path) -> None:
    path = export_monthly_callbacks(make_report(0, 0), tmp_path / "empty.xlsx")
    book = load_workbook(path)
    assert [tuple(c.value for c in row) for row in book["说明"].iter_rows(min_row=2)] == \
        definitions()
    assert book["回访明细"].max_row == 1 and book["投诉明细"].auto_filter.ref == "A1:Q1"


def test_progress_and_cancel(tmp_path: Path) -> None:
    report = make_report(complaints=700, callbacks=900)
    total = len(report.follow_up) + 700 + 900
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "月报.xlsx"
    job = write_monthly_callbacks(report, target, DEFINITIONS)
    steps = []
    while True:
        try:
            steps.append(next(job))
        except StopIteration as stop:
            assert stop.value == target
            break
    assert steps[0][:2] == (0, total)
    done = [d for d, _, _ in steps]
    assert PROGRESS_EVERY in done and 3 * PROGRESS_EVERY in done and done[-1] == total
    assert done == sorted(done) and all(t == total for _, t, _ in steps)
    assert all(text for _, _, text in steps)
    assert sum(1 for _ in load_workbook(target, read_only=True)["回访明细"].rows) == 901
    assert sorted(p.name for p in folder.iterdir()) == ["月报.xlsx"]

    # Cancelled midway: nothing new at the target, the earlier file untouched, no leftovers
    # (openpyxl's temporary files for the streamed rows included).
    before = target.read_bytes()
    streamed = set(ALL_TEMP_FILES)
    job = write_monthly_callbacks(report, target, DEFINITIONS)
    next(job)
    next(job)
    job.close()
    assert target.read_bytes() == before
    assert sorted(p.name for p in folder.iterdir()) == ["月报.xlsx"]
    fresh = folder / "new.xlsx"
    job = write_monthly_callbacks(report, fresh, DEFINITIONS)
    assert next(job)[0] == 0
    assert next(job)[0] == PROGRESS_EVERY
    assert len(set(ALL_TEMP_FILES) - streamed) > 0  # rows streamed to disk so far
    job.close()
    assert not fresh.exists()
    assert sorted(p.name for p in folder.iterdir()) == ["月报.xlsx"]
    assert set(ALL_TEMP_FILES) <= streamed


def test_failed_save_leaves_no_file(tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "x.xlsx").mkdir()  # the name is taken by a folder: os.replace fails
    with pytest.raises(OSError):
        export_monthly_callbacks(make_report(), folder / "x.xlsx")
    assert [p.name for p in folder.iterdir()] == ["x.xlsx"]


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice is not installed")
def test_libreoffice_prints_it(workbook_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "pdf"
    profile = Path("/tmp") / f"calldesk-lo-{uuid.uuid4().hex}"
    try:
        subprocess.run(["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless",
                        "--convert-to", "pdf", "--outdir", str(out), str(workbook_path)],
                       check=True, capture_output=True, timeout=120)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    pdf = out / "月报.pdf"
    assert pdf.exists()
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True,
                              check=True).stdout
        pages = int(next(line for line in info.splitlines()
                         if line.startswith("Pages:")).split()[1])
        assert pages >= len(NAMES)
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(pdf), "-"],
                              capture_output=True, text=True, check=True).stdout
        assert "阳光花园物业服务中心 回访客户月统计表 2026年11月" in text
        assert re.search(r"第\s*1\s*页\s*/\s*共\s*\d+\s*页", text)


# -- calldesk export monthly-callbacks --------------------------------------------------------

@pytest.mark.parametrize("month", ["2026-13", "11/2026", "2026", "abc", "0000-01"])
def test_cli_rejects_a_bad_month(capsys: pytest.CaptureFixture[str], paths: AppPaths,
                                 tmp_path: Path, month: str) -> None:
    code, out, err = run_cli(capsys, "export", "monthly-callbacks", "--month", month,
                             "--out", str(tmp_path / "x.xlsx"))
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and "--month" in err and "YYYY-MM" in err
    assert not (tmp_path / "x.xlsx").exists()


def test_cli_needs_month_and_out(capsys: pytest.CaptureFixture[str], paths: AppPaths) -> None:
    code, _, err = run_cli(capsys, "export", "monthly-callbacks", "--month", "2026-11")
    assert code == 2 and "--out" in err and len(err.strip().splitlines()) == 1
    code, _, err = run_cli(capsys, "export", "monthly-callbacks", "--out", "x.xlsx")
    assert code == 2 and "--month" in err


def test_cli_writes_the_month(capsys: pytest.CaptureFixture[str],
                              filled: dict[str, str],  # noqa: F811
                              tmp_path: Path) -> None:
    """Three complaints of this month, registered through the services (one resolved and
    called back), in the database the command opens."""
    month = Month.parse(clock.utcnow().astimezone().strftime("%Y-%m"))
    target = tmp_path / "回访月报.xlsx"
    code, out, err = run_cli(capsys, "export", "monthly-callbacks", "--month", str(month),
                             "--out", str(target), "--json")
    assert code == 0, err
    result = json.loads(out)
    assert result["month"] == str(month) and result["path"] == str(target)
    assert set(result["kpis"]) == {f.name for f in fields(Kpis)} == set(result["previous"])
    assert result["kpis"]["complaints_received"] == 3
    book = load_workbook(target)
    assert book.sheetnames == NAMES
    assert book["汇总"]["A1"].value.startswith("阳光花园物业服务中心 回访客户月统计表")
    assert book["投诉明细"].max_row == 4
    assert {c.value for c in book["投诉明细"]["A"][1:]} == set(filled.values())

    code, out, _ = run_cli(capsys, "export", "monthly-callbacks", "--month", str(month),
                           "--out", str(tmp_path / "text.xlsx"))
    assert code == 0 and str(tmp_path / "text.xlsx") in out


def test_cli_narrows_to_an_estate_and_a_department(capsys: pytest.CaptureFixture[str],
                                                     paths: AppPaths,
                                                     filled: dict[str, str],  # noqa: F811
                                                     tmp_path: Path) -> None:
    """``filled``: the leak went to department 1, the fees complaint to department 5, the
    noise to none; none of the units names an estate."""
    from app.cli import database_url, open_database
    from app.services.departments import DepartmentService

    db = open_database(database_url(paths), paths).db
    names = {d.id: d.name for d in DepartmentService(db).list(include_inactive=True)}
    db.dispose()
    month = Month.parse(clock.utcnow().astimezone().strftime("%Y-%m"))
    target = tmp_path / "工程.xlsx"
    code, out, err = run_cli(capsys, "export", "monthly-callbacks", "--month", str(month),
                             "--out", str(target), "--department", names[1], "--json")
    assert code == 0, err
    assert json.loads(out)["kpis"]["complaints_received"] == 1
    book = load_workbook(target)
    assert book["汇总"]["A1"].value.endswith(f"{month.year}年{month.month}月（{names[1]}）")
    assert {c.value for c in book["投诉明细"]["A"][1:]} == {filled["leak"]}
    notes = [row[0].value for row in book["说明"].iter_rows(min_row=2)]
    assert len(notes) == len(fields(Kpis)) + 1  # and what the filters keep

    target = tmp_path / "小区.xlsx"
    code, out, err = run_cli(capsys, "export", "monthly-callbacks", "--month", str(month),
                             "--out", str(target), "--estate", "锦绣花园",
                             "--department", names[5], "--json")
    assert code == 0, err
    assert json.loads(out)["kpis"]["complaints_received"] == 0
    assert load_workbook(target)["汇总"]["A1"].value.endswith(f"（锦绣花园 / {names[5]}）")

    code, out, err = run_cli(capsys, "export", "monthly-callbacks", "--month", str(month),
                             "--out", str(tmp_path / "x.xlsx"), "--department", "没有的部门")
    assert code == 1 and out == "" and len(err.strip().splitlines()) == 1
    assert "没有的部门" in err
    assert not (tmp_path / "x.xlsx").exists()
