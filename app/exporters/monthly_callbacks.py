"""回访客户月统计表 as an Excel workbook: the figures beside last month's with charts, the
tables by category, department and operator, the detail lists and what each figure means.

The whole workbook is written in openpyxl's write-only mode, so memory stays flat however
many complaints and callbacks the month had; it is saved to a temporary file next to the
target and moved into place at the end, so a cancelled or failed export leaves no half file.
"""

from __future__ import annotations

from collections.abc import Generator, Iterable, Sequence
from dataclasses import fields
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.chart import BarChart, LineChart, PieChart, Reference
from openpyxl.chart.label import DataLabelList
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.pagebreak import Break

from app.domain.calls import Satisfaction
from app.exporters.cells import discard, restyle, save_replacing, text
from app.exporters.layout import (
    HEADER_ALIGNMENT,
    ColumnFitter,
    fit_header_row,
    print_on_a4,
    set_widths,
)
from app.i18n import translate
from app.jobs import finish
from app.reports.monthly import (
    CallbackLine,
    ComplaintLine,
    Kpis,
    MonthlyReport,
    filters_note,
    kpi_labels,
)
from app.reports.monthly import definitions as default_definitions

# The sheet names leadership knows, whatever the language of the headers.
SUMMARY, BY_CATEGORY, BY_DEPARTMENT, BY_OPERATOR = "汇总", "按类别", "按部门", "按客服"
FOLLOW_UP, COMPLAINTS, CALLBACKS, NOTES = "不满意及回访失败", "投诉明细", "回访明细", "说明"
SHEETS = (SUMMARY, BY_CATEGORY, BY_DEPARTMENT, BY_OPERATOR, FOLLOW_UP, COMPLAINTS, CALLBACKS,
          NOTES)
REPORT_NAME = "回访客户月统计表"
FOOTER = "第 &P 页 / 共 &N 页"

CHART_ROWS = 15  # a 7 cm chart covers about 14 rows
LINE_CHART_ROWS = 15
PROGRESS_EVERY = 500  # detail rows between two progress reports

INTEGER, RATE, HOURS, SECONDS = "0", "0.0%", "0.0", "0"
DATETIME = "yyyy-mm-dd hh:mm"
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
TOTAL_FILL = PatternFill("solid", fgColor="F2F2F2")
THIN = Side(style="thin", color="999999")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
FONT = "Calibri"  # openpyxl's default; Excel and LibreOffice fall back for Chinese
BOLD = Font(name=FONT, bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")


def kpi_format(name: str) -> str:
    """The number format of a ``Kpis`` field: rates as percentages, hours with a decimal."""
    if name.endswith("_rate") or name == "first_call_resolution":
        return RATE
    if name.endswith("_hours"):
        return HOURS
    if name.endswith("_seconds"):
        return SECONDS
    return INTEGER


def _change_format(number_format: str) -> str:
    if number_format == RATE:  # a difference of rates is in percentage points
        points = translate("MonthlyWorkbook", " pp").replace('"', "")
        return f'+0.0"{points}";-0.0"{points}";0.0"{points}"'
    if number_format == HOURS:
        return "+0.0;-0.0;0.0"
    return "+0;-0;0"


def kpi_rows(report: MonthlyReport) -> list[tuple[str, str, object, object, object]]:
    """(field, label, this month, previous month, change) for every ``Kpis`` field; the
    change of a rate is in percentage points, None when either month has no figure."""
    labels = kpi_labels()
    rows = []
    for item in fields(Kpis):
        now, before = getattr(report.kpis, item.name), getattr(report.previous, item.name)
        change = None
        if now is not None and before is not None:
            change = now - before
            if kpi_format(item.name) == RATE:
                change = round(change * 100, 6)
        rows.append((item.name, labels.get(item.name, item.name), now, before, change))
    return rows


def month_title(report: MonthlyReport) -> str:
    month = report.month
    title = f"{report.centre_name} {REPORT_NAME} {month.year}年{month.month}月".strip()
    narrowed = " / ".join(part for part in (report.estate, report.department) if part)
    return f"{title}（{narrowed}）" if narrowed else title


def export_monthly_callbacks(report: MonthlyReport, path: str | Path,
                             definitions: list[tuple[str, str]] | None = None) -> Path:
    """Writes the workbook to ``path`` and returns it. ``definitions`` (figure, how it is
    computed) fill the 说明 sheet; by default those of ``app.reports.monthly``."""
    return finish(write_monthly_callbacks(report, path, definitions))


def write_monthly_callbacks(report: MonthlyReport, path: str | Path,
                            definitions: list[tuple[str, str]] | None = None,
                            ) -> Generator[tuple[int, int, str], None, Path]:
    """Writes the workbook, yielding (done, total, text) every few hundred detail rows;
    returns the path. Closing the generator cancels: nothing is left at ``path``."""
    target = Path(path)
    follow_up = report.follow_up
    total = len(follow_up) + len(report.complaints) + len(report.callbacks)
    book = Workbook(write_only=True)
    book.properties.title = month_title(report)
    book.properties.subject = f"{REPORT_NAME} {report.month}"
    book.properties.creator = "CallDesk"
    sheets = {name: book.create_sheet(name) for name in SHEETS}
    for name, sheet in sheets.items():  # printed pages say what they are
        if name != SUMMARY:
            sheet.oddHeader.center.text = f"{book.properties.title}  {name}".replace("&", "&&")
            sheet.oddHeader.center.size = 9
    saved = False
    try:
        yield 0, total, translate("MonthlyWorkbook", "Writing the figures…")
        _summary(sheets[SUMMARY], report)
        _by_category(sheets[BY_CATEGORY], report)
        _by_department(sheets[BY_DEPARTMENT], report)
        _by_operator(sheets[BY_OPERATOR], report)
        done = 0
        for name, lines, writer in ((FOLLOW_UP, follow_up, _callback_sheet),
                                    (COMPLAINTS, report.complaints, _complaint_sheet),
                                    (CALLBACKS, report.callbacks, _callback_sheet)):
            for _ in writer(sheets[name], lines):
                done += 1
                if done % PROGRESS_EVERY == 0:
                    yield done, total, translate("MonthlyWorkbook", "{n} of {total} rows").format(
                        n=done, total=total)
        notes = list(default_definitions() if definitions is None else definitions)
        if report.filtered:
            notes.append((translate("MonthlyWorkbook", "Filters"), filters_note()))
        _notes(sheets[NOTES], notes)
        yield total, total, translate("MonthlyWorkbook", "Saving…")
        save_replacing(book, target)
        saved = True
    finally:
        if not saved:
            discard(book)
    return target


# -- cells ----------------------------------------------------------------------------------

def _cell(sheet: WriteOnlyWorksheet, value: object, number_format: str | None = None, *,
          font: Font | None = None, fill: PatternFill | None = None,
          border: Border | None = None, alignment: Alignment | None = None) -> object:
    """A value as a cell of a write-only sheet; text stays text, local times lose their
    zone (Excel has none), styles only where asked."""
    if isinstance(value, datetime):
        value = value.astimezone().replace(tzinfo=None)
        number_format = number_format or DATETIME
    if isinstance(value, str):
        value = text(sheet, value)
    if not (number_format or font or fill or border or alignment):
        return value
    cell = value if isinstance(value, Cell) else WriteOnlyCell(sheet, value=value)
    return restyle(cell, _style(sheet, number_format, font, fill, border, alignment))


def _style(sheet: WriteOnlyWorksheet, number_format: str | None, font: Font | None,
           fill: PatternFill | None, border: Border | None,
           alignment: Alignment | None) -> StyleArray:
    """The style of that combination in this workbook, made once: setting each style on
    every cell looks it up in the workbook's tables again, a third of a detail row's time.
    Keyed by identity; the cache holds the style objects, so no id is reused meanwhile."""
    book = sheet.parent
    cache: dict[tuple[object, ...], tuple[tuple[object, ...], StyleArray]] = \
        book.__dict__.setdefault("_calldesk_styles", {})
    parts = (font, fill, border, alignment)
    key = (number_format, *map(id, parts))
    if key not in cache:
        template = WriteOnlyCell(sheet)
        if number_format:
            template.number_format = number_format
        if font:
            template.font = font
        if fill:
            template.fill = fill
        if border:
            template.border = border
        if alignment:
            template.alignment = alignment
        cache[key] = (parts, template._style)
    return cache[key][1]


def _header(sheet: WriteOnlyWorksheet, texts: Iterable[str]) -> None:
    sheet.append([_cell(sheet, text, font=BOLD, fill=HEADER_FILL, border=BOX,
                        alignment=HEADER_ALIGNMENT)
                  for text in texts])


def _widths(sheet: WriteOnlyWorksheet, widths: Sequence[float]) -> Sequence[float]:
    set_widths(sheet, widths)
    return widths


def _yes_no(value: bool | None) -> str:
    if value is None:
        return ""
    return translate("MonthlyWorkbook", "Yes") if value else translate("MonthlyWorkbook", "No")


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _print_setup(sheet: WriteOnlyWorksheet, widths: Sequence[float],
                 title_rows: str = "1:1") -> None:
    print_on_a4(sheet, widths, title_rows, FOOTER)


# -- 汇总 ------------------------------------------------------------------------------------

def _summary(sheet: WriteOnlyWorksheet, report: MonthlyReport) -> None:
    # Fixed widths: the charts are laid out on these columns. Title rows 1:2, not row 3:
    # the first chart starts there.
    _print_setup(sheet, _widths(sheet, (34, 14, 14, 16, 3, 10, 12)), "1:2")
    sheet.freeze_panes = "A4"
    title = month_title(report)
    sheet.merged_cells.add("A1:D1")
    sheet.row_dimensions[1].height = 30
    sheet.append([_cell(sheet, title, font=Font(name=FONT, bold=True, size=16),
                        alignment=Alignment(vertical="center"))])
    previous = report.month.previous
    sheet.append([_cell(sheet, translate(
        "MonthlyWorkbook", "Complaints registered, callbacks due and calls received in "
                           "the month; the previous month ({previous}) beside them.").format(
        previous=f"{previous.year}年{previous.month}月"), font=Font(name=FONT, size=9, color="666666"))])
    _header(sheet, (translate("MonthlyWorkbook", "Figure"),
                    translate("MonthlyWorkbook", "This month"),
                    translate("MonthlyWorkbook", "Previous month"),
                    translate("MonthlyWorkbook", "Change")))
    right = Alignment(horizontal="right")
    for name, label, now, before, change in kpi_rows(report):
        number_format = kpi_format(name)
        sheet.append([_cell(sheet, label, border=BOX)] + [
            _cell(sheet, "-", border=BOX, alignment=right) if value is None
            else _cell(sheet, value, value_format, border=BOX)
            for value, value_format in ((now, number_format), (before, number_format),
                                        (change, _change_format(number_format)))])
    # Under the figures, the calls per day chart; the charts' data after it, on page 2.
    blank = LINE_CHART_ROWS + 2
    for _ in range(blank):
        sheet.append([])
    tables = 4 + len(fields(Kpis)) + blank
    sheet.row_breaks.append(Break(id=tables - 1))
    _chart_tables(sheet, report, tables)


def _chart_tables(sheet: WriteOnlyWorksheet, report: MonthlyReport, row: int) -> None:
    """The charts' data in small tables from ``row`` on (complaints by category and
    satisfaction in columns A to C, calls per day in F and G), and the charts."""
    def header(texts: Sequence[str]) -> list[object]:
        return [_cell(sheet, text, font=BOLD, fill=HEADER_FILL, border=BOX) for text in texts]

    left: list[list[object]] = [header((translate("MonthlyWorkbook", "Category"),
                                        translate("MonthlyWorkbook", "Received"),
                                        translate("MonthlyWorkbook", "Resolved")))]
    left += [[_cell(sheet, line.category.label, border=BOX),
              _cell(sheet, line.received, INTEGER, border=BOX),
              _cell(sheet, line.resolved, INTEGER, border=BOX)] for line in report.by_category]
    satisfaction_row = row + len(left) + 1
    left += [[], header((translate("MonthlyWorkbook", "Satisfaction"),
                         translate("MonthlyWorkbook", "Callbacks")))]
    left += [[_cell(sheet, satisfaction.label, border=BOX), _cell(sheet, count, INTEGER,
                                                                  border=BOX)]
             for satisfaction, count in ((Satisfaction.SATISFIED, report.kpis.satisfied),
                                         (Satisfaction.FAIRLY, report.kpis.fairly_satisfied),
                                         (Satisfaction.UNSATISFIED, report.kpis.unsatisfied))]
    right: list[list[object]] = [header((translate("MonthlyWorkbook", "Day"),
                                         translate("MonthlyWorkbook", "Inbound calls")))]
    right += [[_cell(sheet, day, "m-d", border=BOX), _cell(sheet, calls, INTEGER, border=BOX)]
              for day, calls in report.daily_calls]
    for index in range(max(len(left), len(right))):
        cells = left[index] if index < len(left) else []
        if index < len(right):
            cells = [*cells, *[None] * (5 - len(cells)), *right[index]]
        sheet.append(cells)

    bar = BarChart()
    bar.type = "col"
    bar.title = translate("MonthlyWorkbook", "Complaints by category")
    bar.y_axis.title = translate("MonthlyWorkbook", "Complaints")
    bar.y_axis.majorGridlines = None
    if report.by_category:
        last = row + len(report.by_category)
        bar.add_data(Reference(sheet, min_col=2, max_col=3, min_row=row, max_row=last),
                     titles_from_data=True)
        bar.set_categories(Reference(sheet, min_col=1, min_row=row + 1, max_row=last))
    _axes(bar)
    bar.width, bar.height = 16, 7

    pie = PieChart()
    pie.title = translate("MonthlyWorkbook", "Satisfaction of the callbacks")
    pie.add_data(Reference(sheet, min_col=2, min_row=satisfaction_row,
                           max_row=satisfaction_row + 3), titles_from_data=True)
    pie.set_categories(Reference(sheet, min_col=1, min_row=satisfaction_row + 1,
                                 max_row=satisfaction_row + 3))
    pie.dataLabels = DataLabelList()
    pie.dataLabels.showPercent = True
    for flag in ("showVal", "showCatName", "showSerName", "showLeaderLines", "showLegendKey"):
        setattr(pie.dataLabels, flag, False)
    pie.width, pie.height = 16, 7

    line = LineChart()
    line.title = translate("MonthlyWorkbook", "Inbound calls per day")
    line.y_axis.title = translate("MonthlyWorkbook", "Calls")
    line.legend = None
    if report.daily_calls:
        last = row + len(report.daily_calls)
        line.add_data(Reference(sheet, min_col=7, min_row=row, max_row=last),
                      titles_from_data=True)
        line.set_categories(Reference(sheet, min_col=6, min_row=row + 1, max_row=last))
    line.x_axis.number_format = "d"
    line.x_axis.majorTickMark = "out"
    _axes(line)
    line.width, line.height = 15.5, 7
    for series in line.series:
        series.smooth = False

    # Beside the figures one under the other (not from row 3: rows 1 and 2 repeat on every
    # printed page, and a chart touching them would show there), the calls under them.
    sheet.add_chart(bar, "F4")
    sheet.add_chart(pie, f"F{4 + CHART_ROWS}")
    sheet.add_chart(line, f"A{5 + len(fields(Kpis))}")


def _axes(chart: BarChart | LineChart) -> None:
    # openpyxl 3.1 marks axes as deleted unless told; Excel then draws none.
    chart.x_axis.delete = False
    chart.y_axis.delete = False


# -- 按类别, 按部门, 按客服 -----------------------------------------------------------------------

def _table(sheet: WriteOnlyWorksheet, headers: Sequence[str], widths: Sequence[float],
           rows: Iterable[Sequence[object]], formats: Sequence[str | None],
           total: Sequence[object]) -> None:
    """A small table with a total row; the first column is text; ``widths`` are the least
    each column gets, content may widen it."""
    rows = [list(values) for values in rows]
    fitter = ColumnFitter(headers)
    fitter.add_all([*rows, list(total)])
    fitted = [max(least, got) for least, got in zip(widths, fitter.widths(), strict=True)]
    _print_setup(sheet, _widths(sheet, fitted))
    fit_header_row(sheet, headers, fitted)
    sheet.freeze_panes = "B2"
    _header(sheet, headers)
    count = 0
    for values in rows:
        sheet.append([_cell(sheet, value, number_format, border=BOX)
                      for value, number_format in zip(values, formats, strict=True)])
        count += 1
    sheet.append([_cell(sheet, value, number_format, font=BOLD, fill=TOTAL_FILL, border=BOX)
                  for value, number_format in zip(total, formats, strict=True)])
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{count + 1}"


def _by_category(sheet: WriteOnlyWorksheet, report: MonthlyReport) -> None:
    rows = report.by_category
    sums = [sum(getattr(r, name) for r in rows) for name in
            ("received", "resolved", "resolved_on_time", "reopened", "satisfied",
             "unsatisfied")]
    _table(sheet, (translate("MonthlyWorkbook", "Category"),
                   translate("MonthlyWorkbook", "Received"),
                   translate("MonthlyWorkbook", "Resolved"),
                   translate("MonthlyWorkbook", "Resolved on time"),
                   translate("MonthlyWorkbook", "On-time rate"),
                   translate("MonthlyWorkbook", "Reopened"),
                   translate("MonthlyWorkbook", "Satisfied callbacks"),
                   translate("MonthlyWorkbook", "Unsatisfied callbacks")),
           (16, 10, 10, 12, 12, 10, 12, 12),
           ([r.category.label, r.received, r.resolved, r.resolved_on_time,
             _ratio(r.resolved_on_time, r.resolved), r.reopened, r.satisfied, r.unsatisfied]
            for r in rows),
           (None, INTEGER, INTEGER, INTEGER, RATE, INTEGER, INTEGER, INTEGER),
           [translate("MonthlyWorkbook", "Total"), *sums[:3], _ratio(sums[2], sums[1]),
            *sums[3:]])


def _by_department(sheet: WriteOnlyWorksheet, report: MonthlyReport) -> None:
    rows = report.by_department
    sums = [sum(getattr(r, name) for r in rows) for name in
            ("dispatched", "resolved", "resolved_on_time", "overdue_open")]
    timed = [r for r in rows if r.average_resolve_hours is not None and r.resolved]
    weight = sum(r.resolved for r in timed)
    average = sum(r.average_resolve_hours * r.resolved for r in timed) / weight \
        if weight else None  # weighted by the complaints each department resolved
    _table(sheet, (translate("MonthlyWorkbook", "Department"),
                   translate("MonthlyWorkbook", "Dispatched"),
                   translate("MonthlyWorkbook", "Resolved"),
                   translate("MonthlyWorkbook", "Resolved on time"),
                   translate("MonthlyWorkbook", "On-time rate"),
                   translate("MonthlyWorkbook", "Open and overdue"),
                   translate("MonthlyWorkbook", "Average time to resolve (working hours)")),
           (16, 10, 10, 12, 12, 12, 16),
           ([r.department, r.dispatched, r.resolved, r.resolved_on_time,
             _ratio(r.resolved_on_time, r.resolved), r.overdue_open, r.average_resolve_hours]
            for r in rows),
           (None, INTEGER, INTEGER, INTEGER, RATE, INTEGER, HOURS),
           [translate("MonthlyWorkbook", "Total"), *sums[:3], _ratio(sums[2], sums[1]),
            sums[3], average])


def _by_operator(sheet: WriteOnlyWorksheet, report: MonthlyReport) -> None:
    rows = report.by_operator
    names = ("calls_received", "complaints_registered", "callbacks_done", "callbacks_failed",
             "satisfied")
    _table(sheet, (translate("MonthlyWorkbook", "Operator"),
                   translate("MonthlyWorkbook", "Calls received"),
                   translate("MonthlyWorkbook", "Complaints registered"),
                   translate("MonthlyWorkbook", "Callbacks done"),
                   translate("MonthlyWorkbook", "Callbacks failed"),
                   translate("MonthlyWorkbook", "Satisfied callbacks")),
           (14, 12, 12, 12, 12, 12),
           ([r.operator, *(getattr(r, name) for name in names)] for r in rows),
           (None, *(INTEGER,) * len(names)),
           [translate("MonthlyWorkbook", "Total"),
            *(sum(getattr(r, name) for r in rows) for name in names)])


# -- detail sheets ---------------------------------------------------------------------------

def _detail(sheet: WriteOnlyWorksheet, headers: Sequence[str], rows: list[list[object]],
            wrapped: Iterable[int]) -> None:
    """Widths from the rows about to be written (already in memory), then the header."""
    fitter = ColumnFitter(headers, wrapped)
    fitter.add_all(rows)
    _print_setup(sheet, fitter.apply(sheet))
    sheet.freeze_panes = "A2"
    _header(sheet, headers)


class _RowCells:
    """Cell makers for a detail sheet's rows: the styles are looked up and the labels
    translated once per sheet, not once per cell (a month at size L is 80,000 cells)."""

    def __init__(self, sheet: WriteOnlyWorksheet) -> None:
        self.sheet = sheet
        self._date = _style(sheet, DATETIME, None, None, None, None)
        self._hours = _style(sheet, HOURS, None, None, None, None)
        self._wrap = _style(sheet, None, None, None, None, WRAP)
        self._labels: dict[object, str] = {None: ""}
        self.yes, self.no = _yes_no(True), _yes_no(False)

    def text(self, value: str) -> object:
        return text(self.sheet, value)

    def wrapped(self, value: str) -> object:
        return self._styled(self.text(value), self._wrap)

    def date(self, value: datetime | None) -> object:
        if value is None:
            return None
        return self._styled(value.astimezone().replace(tzinfo=None), self._date)

    def hours(self, value: float | None) -> object:
        return None if value is None else self._styled(value, self._hours)

    def label(self, value: object) -> str:
        if value not in self._labels:
            self._labels[value] = value.label  # type: ignore[attr-defined]
        return self._labels[value]

    def yes_no(self, value: bool | None) -> str:
        return "" if value is None else self.yes if value else self.no

    def _styled(self, value: object, style: StyleArray) -> Cell:
        cell = value if isinstance(value, Cell) else WriteOnlyCell(self.sheet, value=value)
        return restyle(cell, style)


def _callback_sheet(sheet: WriteOnlyWorksheet,
                    lines: Sequence[CallbackLine]) -> Generator[None, None, None]:
    headers = (translate("MonthlyWorkbook", "Complaint no."),
               translate("MonthlyWorkbook", "Customer"),
               translate("MonthlyWorkbook", "Phone"),
               translate("MonthlyWorkbook", "Category"),
               translate("MonthlyWorkbook", "Due"),
               translate("MonthlyWorkbook", "Done"),
               translate("MonthlyWorkbook", "Operator"),
               translate("MonthlyWorkbook", "Attempts"),
               translate("MonthlyWorkbook", "Status"),
               translate("MonthlyWorkbook", "Reached"),
               translate("MonthlyWorkbook", "Callback failed"),
               translate("MonthlyWorkbook", "Satisfaction"),
               translate("MonthlyWorkbook", "What the customer said"),
               translate("MonthlyWorkbook", "Reviewed by"),
               translate("MonthlyWorkbook", "Review comment"))
    cells = _RowCells(sheet)
    rows = [[
            cells.text(c.complaint_number), cells.text(c.customer), cells.text(c.phone),
            cells.label(c.category), cells.date(c.due_at), cells.date(c.done_at),
            cells.text(c.operator), c.attempts, cells.text(c.status),
            cells.yes_no(c.reached), cells.yes_no(c.failed) if c.failed else "",
            cells.label(c.satisfaction), cells.wrapped(c.comment), cells.text(c.reviewed_by),
            cells.wrapped(c.review_comment)] for c in lines]
    _detail(sheet, headers, rows, wrapped=(12, 14))
    for row in rows:
        sheet.append(row)
        yield
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{len(lines) + 1}"


def _complaint_sheet(sheet: WriteOnlyWorksheet,
                     lines: Sequence[ComplaintLine]) -> Generator[None, None, None]:
    headers = (translate("MonthlyWorkbook", "Complaint no."),
               translate("MonthlyWorkbook", "Registered"),
               translate("MonthlyWorkbook", "Source"),
               translate("MonthlyWorkbook", "Customer"),
               translate("MonthlyWorkbook", "Unit"),
               translate("MonthlyWorkbook", "Phone"),
               translate("MonthlyWorkbook", "Category"),
               translate("MonthlyWorkbook", "Severity"),
               translate("MonthlyWorkbook", "Description"),
               translate("MonthlyWorkbook", "Department"),
               translate("MonthlyWorkbook", "Status"),
               translate("MonthlyWorkbook", "Resolve by"),
               translate("MonthlyWorkbook", "Resolved"),
               translate("MonthlyWorkbook", "On time"),
               translate("MonthlyWorkbook", "Hours to resolve"),
               translate("MonthlyWorkbook", "Times reopened"),
               translate("MonthlyWorkbook", "Satisfaction"))
    cells = _RowCells(sheet)
    rows = [[
            cells.text(c.number), cells.date(c.registered_at), cells.text(c.source),
            cells.text(c.customer), cells.text(c.unit), cells.text(c.phone),
            cells.label(c.category), cells.label(c.severity), cells.wrapped(c.description),
            cells.text(c.department), cells.label(c.status), cells.date(c.resolve_due_at),
            cells.date(c.resolved_at), cells.yes_no(c.on_time), cells.hours(c.resolve_hours),
            c.reopened, cells.label(c.satisfaction)] for c in lines]
    _detail(sheet, headers, rows, wrapped=(8,))
    for row in rows:
        sheet.append(row)
        yield
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{len(lines) + 1}"


# -- 说明 ------------------------------------------------------------------------------------

def _notes(sheet: WriteOnlyWorksheet, definitions: Sequence[tuple[str, str]]) -> None:
    _print_setup(sheet, _widths(sheet, (30, 90)))
    sheet.freeze_panes = "A2"
    _header(sheet, (translate("MonthlyWorkbook", "Figure"),
                    translate("MonthlyWorkbook", "How it is computed")))
    for figure, meaning in definitions:
        sheet.append([_cell(sheet, figure, alignment=TOP, border=BOX),
                      _cell(sheet, meaning, alignment=WRAP, border=BOX)])

