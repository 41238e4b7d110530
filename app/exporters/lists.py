"""Any list on screen (calls, complaints, callbacks) as an Excel workbook, with the filters
the list has. One generic writer, ``write_list``, and an exporter per list built on it.

The workbook is written in openpyxl's write-only mode and the rows are read a page at a
time, so memory stays flat however long the list; it is saved beside the target and moved
into place at the end, so a cancelled or failed export leaves no file."""

from __future__ import annotations

import itertools
from collections.abc import Generator, Iterable
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from app.domain.calls import CallbackStatus
from app.domain.roles import Actor, Permission
from app.exporters.cells import discard, save_replacing, text
from app.exporters.layout import HEADER_ALIGNMENT, ColumnFitter, print_on_a4
from app.i18n import translate
from app.services.callbacks import CallbackFilter, CallbackRow, CallbackService
from app.services.calls import CallFilter, CallRow, CallService
from app.services.complaints import ComplaintFilter, ComplaintRow, ComplaintService

PROGRESS_EVERY = 200  # rows between two progress reports
DATETIME = "yyyy-mm-dd hh:mm"
FOOTER = "&P / &N"
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")
SAMPLE_ROWS = 500  # rows measured for the column widths (write-only: set before row 1)

Progress = Generator[tuple[int, int, str], None, Path]


def write_list(path: str | Path, title: str, headers: list[str],
               rows: Iterable[list[object]], total: int,
               wrapped: Iterable[int] = ()) -> Progress:
    """Writes ``rows`` under ``headers`` on one sheet called ``title``, yielding (done,
    total, text) every few hundred rows; returns the path. Closing the generator cancels:
    nothing is left at ``path``. Times are written as local times, text stays text.
    Columns are as wide as the first rows need; ``wrapped`` columns hold long text."""
    target = Path(path)
    book = Workbook(write_only=True)
    book.properties.title = title
    book.properties.creator = "CallDesk"
    sheet = book.create_sheet(_sheet_name(title))
    sheet.freeze_panes = "A2"
    rows = iter(rows)
    sample = list(itertools.islice(rows, SAMPLE_ROWS))
    fitter = ColumnFitter(headers, wrapped)
    fitter.add_all(sample)
    print_on_a4(sheet, fitter.apply(sheet), "1:1", FOOTER)
    wrap = fitter.wrapped
    sheet.append([_header_cell(sheet, text) for text in headers])
    saved = False
    try:
        yield 0, total, translate("Export", "Writing the list…")
        done = 0
        for row in itertools.chain(sample, rows):
            sheet.append([_cell(sheet, value, column in wrap)
                          for column, value in enumerate(row)])
            done += 1
            if done % PROGRESS_EVERY == 0:
                yield done, max(total, done), translate(
                    "Export", "{n} of {total} rows").format(n=done, total=max(total, done))
        last = get_column_letter(max(len(headers), 1))
        sheet.auto_filter.ref = f"A1:{last}{done + 1}"
        yield done, max(total, done), translate("Export", "Saving…")
        save_replacing(book, target)
        saved = True
    finally:
        if not saved:
            discard(book)
    return target


def _sheet_name(title: str) -> str:
    for forbidden in "[]:*?/\\":
        title = title.replace(forbidden, " ")
    return title[:31] or "Sheet"


def _header_cell(sheet: WriteOnlyWorksheet, text: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=text)
    cell.font, cell.fill = BOLD, HEADER_FILL
    cell.alignment = HEADER_ALIGNMENT
    return cell


def _cell(sheet: WriteOnlyWorksheet, value: object, wrapped: bool = False) -> object:
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone().replace(tzinfo=None)  # Excel has no time zones
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = DATETIME
        return cell
    if isinstance(value, str):
        made = text(sheet, value)
        if wrapped and value:  # long text wraps in its column instead of running across
            cell = made if isinstance(made, Cell) else WriteOnlyCell(sheet, value=made)
            cell.alignment = WRAP
            return cell
        return made
    return value


def _label(value: Any) -> str:
    return value.label if value is not None else ""


# -- calls ----------------------------------------------------------------------------------

def call_headers() -> list[str]:
    return [translate("ListExport", "Time"), translate("ListExport", "Direction"),
            translate("ListExport", "Number"), translate("ListExport", "Caller"),
            translate("ListExport", "Unit"), translate("ListExport", "Type"),
            translate("ListExport", "Summary"), translate("ListExport", "Outcome"),
            translate("ListExport", "Duration"), translate("ListExport", "Operator")]


def call_cells(row: CallRow) -> list[object]:
    if row.missed:
        kind, outcome = translate("ListExport", "Missed"), ""
    else:
        kind, outcome = _label(row.call_type), _label(row.outcome)
        if row.department_name:
            outcome = f"{outcome}（{row.department_name}）"
    duration = f"{row.duration_seconds // 60:02d}:{row.duration_seconds % 60:02d}"
    return [row.received_at, row.direction.label, row.phone, row.customer_name,
            row.unit_label, kind, row.summary, outcome, duration, row.operator_name]


def calls_filter_for(actor: Actor, filters: CallFilter) -> CallFilter:
    """Operators export their own calls only, whatever the list shows."""
    if actor.can(Permission.EXPORT_ALL_CALLS):
        return filters
    return replace(filters, operator_id=actor.user_id)


def export_calls(calls: CallService, actor: Actor, filters: CallFilter,
                 path: str | Path) -> Progress:
    filters = calls_filter_for(actor, filters)
    total = calls.list(filters, 0, 1).total
    return (yield from write_list(
        path, translate("ListExport", "Calls"), call_headers(),
        map(call_cells, calls.iter_rows(filters)), total, wrapped=(6,)))


# -- complaints -----------------------------------------------------------------------------

def complaint_headers() -> list[str]:
    return [translate("ListExport", "Number"), translate("ListExport", "Status"),
            translate("ListExport", "Severity"), translate("ListExport", "Category"),
            translate("ListExport", "Customer"), translate("ListExport", "Unit"),
            translate("ListExport", "Department"), translate("ListExport", "Response due"),
            translate("ListExport", "Resolution due"), translate("ListExport", "What happened"),
            translate("ListExport", "Registered")]


def complaint_cells(row: ComplaintRow) -> list[object]:
    status = row.status.label
    if row.reopen_count:
        status += f" ×{row.reopen_count}"
    return [row.number, status, row.severity.label, row.category.label,
            row.customer_name or row.phone, row.unit_label,
            " ".join(p for p in (row.department_name, row.assignee) if p),
            row.response.due_at, row.resolve.due_at, row.description.replace("\n", " "),
            row.created_at]


def export_complaints(complaints: ComplaintService, actor: Actor, filters: ComplaintFilter,
                      path: str | Path) -> Progress:
    """Every signed-in user sees the complaint list, so every one may export it."""
    del actor  # the list is everyone's; kept for the same call as the other exports
    total = complaints.list(filters, 0, 1).total
    return (yield from write_list(
        path, translate("ListExport", "Complaints"), complaint_headers(),
        map(complaint_cells, complaints.iter_rows(filters)), total, wrapped=(9,)))


# -- callbacks ------------------------------------------------------------------------------

def callback_headers() -> list[str]:
    return [translate("ListExport", "Due"), translate("ListExport", "Kind"),
            translate("ListExport", "Customer"), translate("ListExport", "Number"),
            translate("ListExport", "Complaint"), translate("ListExport", "Tries"),
            translate("ListExport", "Status"), translate("ListExport", "Result"),
            translate("ListExport", "Reviewed"), translate("ListExport", "Reviewed by")]


def callback_cells(row: CallbackRow) -> list[object]:
    complaint = " ".join(p for p in (row.complaint_number, row.complaint_summary) if p)
    result = _label(row.satisfaction)
    if row.status in (CallbackStatus.FAILED, CallbackStatus.SKIPPED) and row.note:
        result = row.note
    elif row.comment:
        result = f"{result} {row.comment}".strip()
    name = row.greeting_name or row.customer_name
    if row.do_not_call:
        name += " " + translate("ListExport", "(do not call)")
    return [row.due_at, row.reason.label, name, row.phone, complaint, row.attempts,
            row.status.label, result, row.reviewed_at, row.reviewed_by]


def export_callbacks(callbacks: CallbackService, actor: Actor, filters: CallbackFilter,
                     path: str | Path) -> Progress:
    """Every signed-in user sees the callback queues, so every one may export them."""
    del actor
    total = callbacks.list(filters, 0, 1).total
    return (yield from write_list(
        path, translate("ListExport", "Callbacks"), callback_headers(),
        map(callback_cells, callbacks.iter_rows(filters)), total, wrapped=(4, 7)))
