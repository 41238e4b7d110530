"""每日工作报表 as an Excel workbook: the figures, then every call of the day."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

from app.domain.calls import CallType, Outcome
from app.exporters.cells import save_replacing, text, value
from app.exporters.layout import HEADER_ALIGNMENT, ColumnFitter, print_on_a4
from app.i18n import translate
from app.reports.daily import DailyReport

HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
THIN = Side(style="thin", color="999999")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)



def summary_rows(report: DailyReport) -> list[tuple[str, object]]:
    """The figures in the order people read them; percentages as fractions."""
    rows: list[tuple[str, object]] = [
        (translate("DailyReport", "Calls in all"), report.total),
        (translate("DailyReport", "Inbound"), report.inbound),
        (translate("DailyReport", "Outbound"), report.outbound),
        (translate("DailyReport", "Missed"), report.missed),
        (translate("DailyReport", "Inbound answered"), report.answered),
        (translate("DailyReport", "Average handle time (min:s)"),
         _minutes(report.average_handle_seconds)),
        (translate("DailyReport", "First-call resolution"), report.first_call_resolution),
        (translate("DailyReport", "Complaints opened"), report.complaints_opened),
        (translate("DailyReport", "Callbacks done"), report.callbacks_done),
    ]
    rows += [(kind.label, report.by_type.get(kind, 0)) for kind in CallType]
    rows += [(outcome.label, report.by_outcome.get(outcome, 0)) for outcome in Outcome.for_inbound()]
    return rows


def _minutes(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    whole = round(seconds)
    return f"{whole // 60}:{whole % 60:02d}"


def export_daily_report(report: DailyReport, centre: str, path: str | Path) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.title = translate("DailyReport", "Overview")
    title = translate("DailyReport", "Daily work report")
    # Every text goes through the cells' one text writer: a centre, a caller or a summary
    # typed as a formula stays text.
    sheet.append([text(sheet, f"{centre} {title}".strip())])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([text(sheet, translate("DailyReport", "{day}, {operator}").format(
        day=report.day.isoformat(), operator=report.operator_name))])
    sheet.append([])
    sheet.append([translate("DailyReport", "Figure"), translate("DailyReport", "Value")])
    for cell in sheet[4]:
        cell.font, cell.fill, cell.border = Font(bold=True), HEADER_FILL, BOX
    for label, figure in summary_rows(report):
        sheet.append([value(sheet, label), value(sheet, figure)])
        row = sheet.max_row
        for cell in sheet[row]:
            cell.border = BOX
        if isinstance(figure, float):
            sheet.cell(row, 2).number_format = "0.0%"
        elif figure is None:
            sheet.cell(row, 2).value = "-"
    overview = ColumnFitter(["", ""])
    overview.add_all([list(pair) for pair in summary_rows(report)])
    overview_widths = overview.apply(sheet)

    detail = book.create_sheet(translate("DailyReport", "Call list"))
    headers = [translate("DailyReport", "Time"), translate("DailyReport", "Direction"),
               translate("DailyReport", "Number"), translate("DailyReport", "Caller"),
               translate("DailyReport", "Unit"), translate("DailyReport", "Type"),
               translate("DailyReport", "Summary"), translate("DailyReport", "Outcome"),
               translate("DailyReport", "Department"), translate("DailyReport", "Seconds"),
               translate("DailyReport", "Operator")]
    detail.append([text(detail, header) for header in headers])
    for cell in detail[1]:
        cell.font, cell.fill, cell.alignment = Font(bold=True), HEADER_FILL, HEADER_ALIGNMENT
    for call in report.calls:
        detail.append([value(detail, item) for item in (
            call.received_at.astimezone().replace(tzinfo=None), call.direction.label,
            call.phone, call.customer_name, call.unit_label,
            translate("DailyReport", "Missed") if call.missed else
            (call.call_type.label if call.call_type else ""),
            call.summary, call.outcome.label if call.outcome else "", call.department_name,
            call.duration_seconds, call.operator_name)])
        detail.cell(detail.max_row, 1).number_format = "yyyy-mm-dd hh:mm"
    fitter = ColumnFitter(headers, wrapped=(6,))
    fitter.add_all(detail.iter_rows(min_row=2, values_only=True))
    detail_widths = fitter.apply(detail)
    for row in detail.iter_rows(min_row=2, min_col=7, max_col=7):
        row[0].alignment = Alignment(wrap_text=True, vertical="top")
    detail.freeze_panes = "A2"
    detail.auto_filter.ref = f"A1:K{max(detail.max_row, 1)}"
    print_on_a4(sheet, overview_widths, title_rows=None)
    print_on_a4(detail, detail_widths)
    book.properties.title = f"{title} {report.day.isoformat()}"
    target = Path(path)
    save_replacing(book, target)  # a failed save leaves no half file
    return target
