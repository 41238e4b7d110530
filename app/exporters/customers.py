"""The customer file (or the current search) as an Excel workbook."""

from __future__ import annotations

from collections.abc import Generator
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill

from app.domain.roles import Actor, Permission, require
from app.exporters.cells import save_replacing, text
from app.exporters.layout import HEADER_ALIGNMENT, ColumnFitter, print_on_a4, set_widths
from app.i18n import translate
from app.services.customers import CustomerService

BATCH = 500


def export_customers(customers: CustomerService, actor: Actor, query: str,
                     path: str | Path) -> Generator[tuple[int, int, str], None, int]:
    """Writes the cards matching ``query`` and yields (done, total, text) as it goes;
    returns how many cards were written. Supervisors and admins only."""
    require(actor, Permission.EXPORT_CUSTOMERS)
    total = customers.search(query, 0, 1).total
    workbook = Workbook(write_only=True)  # streams: memory stays flat however many cards
    sheet = workbook.create_sheet(translate("Export", "Customers"))
    sheet.freeze_panes = "A2"
    headers = [translate("Export", "Name"), translate("Export", "Title"),
               translate("Export", "Type"), translate("Export", "Tier"),
               translate("Export", "Do not call"), translate("Export", "Phones"),
               translate("Export", "Units"), translate("Export", "Updated")]
    # Streamed cards are not measured: phones and units are lists, given room for a few.
    widths = [max(least, fitted) for least, fitted in
              zip((14, 8, 10, 10, 10, 32, 40, 18), ColumnFitter(headers).widths(), strict=True)]
    set_widths(sheet, widths)
    print_on_a4(sheet, widths)
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=header)
        cell.font, cell.fill, cell.alignment = bold, fill, HEADER_ALIGNMENT
        header_cells.append(cell)
    sheet.append(header_cells)
    written = 0
    yes = translate("Export", "yes")
    for row in customers.iter_rows(actor, query, batch=BATCH):
        sheet.append([text(sheet, row.name), row.title.label, row.customer_type.label,
                      row.tier.label, yes if row.do_not_call else "", text(sheet, row.phones),
                      text(sheet, row.units), row.updated_at.astimezone().replace(tzinfo=None)])
        written += 1
        if written % BATCH == 0:
            yield written, total, translate("Export", "{n} of {total} cards").format(
                n=written, total=total)
    sheet.auto_filter.ref = f"A1:H{written + 1}"
    save_replacing(workbook, Path(path))  # a cancelled or failed export leaves no half file
    yield written, total, ""
    return written

