"""What every exported sheet must be, on screen and on A4: shared by the export tests."""

from __future__ import annotations

from openpyxl.utils import get_column_letter

from app.exporters.layout import (
    A4_PORTRAIT_UNITS,
    MAX_WIDTH,
    PADDING,
    WRAPPED_WIDTH,
    header_width,
    print_scale,
    text_width,
    value_width,
)

LEGIBLE_SCALE = 0.6  # 11 pt at 60 % is a 6.6 pt print: the least a leader can still read


def column_widths(sheet) -> list[float]:  # noqa: ANN001
    return [sheet.column_dimensions[get_column_letter(c)].width
            for c in range(1, sheet.max_column + 1)]


def assert_fits_and_prints(sheet, header_row: int = 1) -> None:  # noqa: ANN001
    """Every column is as wide as its header on two lines and its values (long text
    wraps instead), headers wrap, and the sheet prints on A4 at a legible scale."""
    widths = column_widths(sheet)
    for column, width in enumerate(widths, start=1):
        header = sheet.cell(header_row, column)
        if header.value is None:
            continue
        assert header.alignment.wrap_text, (sheet.title, header.value)
        assert width >= header_width(str(header.value)), (sheet.title, header.value, width)
        if text_width(str(header.value)) > width - PADDING:  # wraps: the row shows 2 lines
            assert (sheet.row_dimensions[header_row].height or 15) >= 30, header.value
        cells = [sheet.cell(r, column) for r in range(header_row + 1, sheet.max_row + 1)]
        wrapped = any(c.alignment.wrap_text for c in cells if c.value)
        for cell in cells:
            need = min(value_width(cell.value), WRAPPED_WIDTH if wrapped else MAX_WIDTH)
            assert width >= need, (sheet.title, header.value, cell.value, width)
    setup = sheet.page_setup
    assert int(setup.paperSize) == 9, sheet.title
    assert (setup.fitToWidth, setup.fitToHeight) == (1, 0), sheet.title
    assert sheet.sheet_properties.pageSetUpPr.fitToPage, sheet.title
    narrow = sum(widths) <= A4_PORTRAIT_UNITS
    assert setup.orientation == ("portrait" if narrow else "landscape"), sheet.title
    assert print_scale(widths) >= LEGIBLE_SCALE, (sheet.title, print_scale(widths))
