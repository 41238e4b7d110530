"""Pieces every Excel export shares: formula-safe text, and saving a write-only workbook
next to its target and moving it into place, so a cancelled or failed export leaves no file."""

from __future__ import annotations

import contextlib
import os
import uuid
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from app.errors import CallDeskError
from app.i18n import translate


def _text(sheet, value: str) -> WriteOnlyCell | str:  # noqa: ANN001
    """Text stays text: a name typed as =HYPERLINK(…) must not become a live formula."""
    if not value.startswith("="):
        return value
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    return cell


formula_safe = _text


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
