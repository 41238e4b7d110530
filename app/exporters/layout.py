"""How an exported sheet looks on screen and on paper: columns as wide as what they hold
(a Chinese character is two Latin ones wide), headers that wrap instead of running into
each other, and A4 pages people can read.

Every workbook CallDesk writes goes through these helpers, so a new export inherits them."""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import date, datetime

from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter

# Excel's width unit is one "0" of the default font; a full-width character takes two.
PADDING = 2
MIN_WIDTH = 5
MAX_WIDTH = 40        # a column of short values never grows past this
WRAPPED_WIDTH = 36    # long text (descriptions, what the customer said) wraps at this width
LINE_HEIGHT = 14.5    # points per line of 11 pt text
HEADER_LINES = 2      # a header may wrap onto a second line before it widens its column
DATETIME_WIDTH = 16   # yyyy-mm-dd hh:mm
DATE_WIDTH = 10
# What one A4 page holds across at 100 %, in width units, with the margins below: 297 mm
# less 2 × 10 mm margins ≈ 1,045 px at 96 dpi, and a width unit is ~7 px of Calibri 11.
A4_LANDSCAPE_UNITS = 145
A4_PORTRAIT_UNITS = 100
MARGIN_INCHES = 0.4
HEADER_ALIGNMENT = Alignment(wrap_text=True, vertical="center")


def text_width(text: str) -> int:
    """Width of the longest line of ``text``: wide (CJK) characters count double."""
    return max((sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)
                for line in text.splitlines() or [""]), default=0)


def value_width(value: object) -> int:
    if value is None:
        return 0
    if isinstance(value, datetime):
        return DATETIME_WIDTH
    if isinstance(value, date):
        return DATE_WIDTH
    if isinstance(value, float):
        return len(f"{value:.1f}")
    inner = getattr(value, "value", value)  # a WriteOnlyCell
    if inner is not value:
        return value_width(inner)
    return text_width(str(value))


def header_width(header: str) -> int:
    """The narrowest column the header fits in on ``HEADER_LINES`` lines, never splitting a
    Latin word (English headers wrap at spaces)."""
    whole = text_width(header)
    latin_words = [w for w in header.split() if w.isascii()]
    longest_word = max(map(text_width, latin_words), default=0)
    return max(math.ceil(whole / HEADER_LINES), longest_word)


class ColumnFitter:
    """Measures rows as they are written and gives each column the width its widest value
    needs, within bounds; ``wrapped`` columns hold long text and wrap at a fixed width."""

    def __init__(self, headers: Sequence[str], wrapped: Iterable[int] = ()) -> None:
        self.headers = list(headers)
        self.wrapped = set(wrapped)
        self.content = [0] * len(self.headers)

    def add(self, row: Sequence[object]) -> None:
        for column, value in enumerate(row[:len(self.content)]):
            width = value_width(value)
            if width > self.content[column]:
                self.content[column] = width

    def add_all(self, rows: Iterable[Sequence[object]]) -> None:
        for row in rows:
            self.add(row)

    def widths(self) -> list[float]:
        result = []
        for column, header in enumerate(self.headers):
            if column in self.wrapped:
                content = min(self.content[column], WRAPPED_WIDTH)
            else:
                content = min(self.content[column], MAX_WIDTH)
            result.append(float(max(MIN_WIDTH, header_width(header), content) + PADDING))
        return result

    def apply(self, sheet, header_row: int = 1) -> list[float]:  # noqa: ANN001
        """Sets the widths on ``sheet`` (any openpyxl worksheet; a write-only one before its
        first row) and makes the header row tall enough for its wrapped headers."""
        widths = self.widths()
        set_widths(sheet, widths)
        fit_header_row(sheet, self.headers, widths, header_row)
        return widths


def fit_header_row(sheet, headers: Sequence[str], widths: Sequence[float],  # noqa: ANN001
                   row: int = 1) -> None:
    """Excel does not grow a row for wrapped text it did not wrap itself: a header on two
    lines gets a row of two lines, or its second line is hidden behind the first row."""
    if any(text_width(h) > w - PADDING for h, w in zip(headers, widths, strict=True)):
        sheet.row_dimensions[row].height = LINE_HEIGHT * HEADER_LINES + 4


def set_widths(sheet, widths: Sequence[float]) -> None:  # noqa: ANN001
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width


def print_on_a4(sheet, widths: Sequence[float] | None = None,  # noqa: ANN001
                title_rows: str | None = "1:1", footer: str = "&P / &N") -> None:
    """A4, as wide as the page, the header rows on every page, page numbers below. A sheet
    narrow enough for a portrait page prints portrait (larger print); else landscape."""
    total = sum(widths) if widths else A4_LANDSCAPE_UNITS
    portrait = total <= A4_PORTRAIT_UNITS
    sheet.page_setup.orientation = "portrait" if portrait else "landscape"
    sheet.page_setup.paperSize = 9  # A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # as many pages down as the rows need
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    margins = sheet.page_margins
    margins.left = margins.right = MARGIN_INCHES
    margins.top = margins.bottom = 0.6
    margins.header = margins.footer = 0.3
    sheet.print_options.horizontalCentered = True
    if title_rows:
        sheet.print_title_rows = title_rows
    sheet.oddFooter.center.text = footer
    sheet.oddFooter.center.size = 9


def print_scale(widths: Sequence[float]) -> float:
    """The scale a sheet of these column widths prints at when fitted to one page across."""
    total = sum(widths)
    page = A4_PORTRAIT_UNITS if total <= A4_PORTRAIT_UNITS else A4_LANDSCAPE_UNITS
    return min(1.0, page / total) if total else 1.0
