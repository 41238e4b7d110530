"""Pieces every Excel export shares: the one writer of text cells, and saving a workbook
next to its target and moving it into place, so a cancelled or failed export leaves no file.

Every export writes its text through ``text`` (or ``text_cell``): a caller's name, a summary
or a roster cell typed as ``=cmd|' /C calc'!A0`` stays that text. openpyxl would store a
string starting with ``=`` as a live formula and one like ``#N/A`` as an error value; Excel
itself turns a cell starting with ``+``, ``-`` or ``@`` into a formula as soon as someone
edits it. Such text is written as a text cell with Excel's quote prefix (what typing ``'``
before it does), so it shows exactly as typed and stays text when edited."""

from __future__ import annotations

import contextlib
import os
import uuid
from copy import copy
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
from openpyxl.styles.cell_style import StyleArray

from app.errors import CallDeskError
from app.i18n import translate

# What makes Excel (or LibreOffice, or a CSV made from the sheet) read text as a formula.
FORMULA_STARTS = frozenset("=+-@\t\r")


def needs_quote(value: str) -> bool:
    """Whether ``value`` would become a formula or an error value if written as it is."""
    return bool(value) and (value[0] in FORMULA_STARTS or value in ERROR_CODES)


def text(sheet, value: str) -> Cell | str:  # noqa: ANN001
    """``value`` for ``sheet.append``: the plain string when it is safe as it is (most
    text: no cell object made), else a quoted text cell. Characters an .xlsx cannot hold
    (control characters other than tab and line breaks) are left out; openpyxl would
    refuse the whole workbook for one of them."""
    if ILLEGAL_CHARACTERS_RE.search(value):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if not needs_quote(value):
        return value
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    cell.quotePrefix = True
    return cell


def text_cell(sheet, value: str) -> Cell:  # noqa: ANN001
    """As ``text``, always a cell (to be styled)."""
    made = text(sheet, value)
    return made if isinstance(made, Cell) else WriteOnlyCell(sheet, value=made)


def value(sheet, item: object) -> object:  # noqa: ANN001
    """Any value for ``sheet.append``: text through ``text``, the rest as it is."""
    return text(sheet, item) if isinstance(item, str) else item


def restyle(cell: Cell, style: StyleArray) -> Cell:
    """Gives ``cell`` a prepared style, keeping the quote prefix ``text`` set."""
    quoted = cell.quotePrefix
    cell._style = copy(style)
    if quoted:
        cell.quotePrefix = True
    return cell


def save_replacing(book: Workbook, target: Path) -> None:
    """Saves to a temporary file beside ``target`` (same disk, so the move is atomic) and
    moves it into place; a failure leaves neither the temporary file nor half a target."""
    partial = target.with_name(f".{target.stem}.{uuid.uuid4().hex[:8]}.part.xlsx")
    try:
        book.save(partial)
        os.replace(partial, target)
    except PermissionError as error:
        raise CallDeskError(translate(
            "Export", "{name} cannot be written. Close it in Excel, or choose another "
                      "name.").format(name=target.name)) from error
    finally:
        partial.unlink(missing_ok=True)


def discard(book: Workbook) -> None:
    """Closes and deletes the rows openpyxl has streamed to its temporary files."""
    for sheet in book.worksheets:
        with contextlib.suppress(Exception):
            if sheet._rows is not None:
                sheet._rows.close()
            if sheet._writer is not None:
                sheet._writer.xf.close()
                sheet._writer.cleanup()
