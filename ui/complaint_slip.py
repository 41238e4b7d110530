"""Printing complaint slips (投诉处理单): print preview, printer or PDF.

A slip is drawn with QPainter, every position and size in millimetres converted to the
device's pixels with its logical DPI, so it prints the same at any resolution. Every text is
drawn in the bundled font (``resources/fonts``, family "CallDesk Noto Sans SC"), so a slip
looks the same, and its PDF's text reads the same, on every PC. Text that does not fit its box
is wrapped, then made smaller step by step down to a minimum; a one-line field is then cut
short with "…", while the long texts (description, demand, rework reason, result, measures)
never go below ``FLOWING_FLOOR_PT`` and continue on a next page of the same slip. Nothing is
ever drawn outside its box.

Layouts: one slip on an A4 or an A5 page (portrait), or two copies of one slip on an A4 page,
each on an A5-sized half: the stub copy (存根联) above the dashed cut line, the work copy
(派工联) below it. A slip starts on a new page in every layout.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass

import segno
from PySide6.QtCore import QCoreApplication, QMarginsF, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QFontMetricsF,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPainterPath,
    QPdfWriter,
    QPen,
    QTextLayout,
    QTextOption,
)
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QDialog, QWidget

from app.errors import CallDeskError
from app.paths import resources_dir
from app.reports.complaint_slip import SlipData

FONT_FILE = "NotoSansSC-Subset.otf"
ELLIPSIS = "…"
FLOWING_FLOOR_PT = 9.0  # long texts never smaller: what does not fit goes on a next page
LINE_SPACING = 1.12  # of the font's height, between the lines of wrapped text
PAGE_MARGIN_MM = 5.0  # asked of the printer; every slip keeps well inside it
CUT_LINE_Y_MM = 297 / 2

_BLACK = QColor(0, 0, 0)
_LABEL_FILL = QColor(236, 236, 236)
_RULE = QColor(150, 150, 150)

_family: str | None = None


class SlipLayout(enum.Enum):
    A4 = "a4"
    A5 = "a5"
    TWO_ON_A4 = "two_on_a4"


@dataclass(frozen=True)
class _Style:
    """Sizes of one slip, in millimetres and (fonts) points."""

    header_h: float
    qr: float  # the QR code's side, quiet zone included
    gap: float  # between header and table, table and callback section
    label_w: float
    pairs_per_row: int  # short fields side by side
    row_h: float  # a row of short fields
    sign_h: float
    callback_h: float
    ruled: float  # spacing of the lines to write on
    pad: float
    centre_pt: float
    title_pt: float
    meta_pt: float
    label_pt: float
    value_pt: float
    min_pt: float


_STYLES = {
    SlipLayout.A4: _Style(header_h=22, qr=20, gap=3, label_w=27, pairs_per_row=2, row_h=9,
                          sign_h=22, callback_h=34, ruled=8, pad=1.6, centre_pt=13,
                          title_pt=18, meta_pt=9.5, label_pt=9.5, value_pt=10.5, min_pt=6),
    SlipLayout.A5: _Style(header_h=18, qr=16, gap=2, label_w=20, pairs_per_row=2, row_h=7,
                          sign_h=16, callback_h=25, ruled=6.5, pad=1.2, centre_pt=10.5,
                          title_pt=14.5, meta_pt=8, label_pt=7.5, value_pt=8.5, min_pt=5.5),
    SlipLayout.TWO_ON_A4: _Style(header_h=16, qr=15, gap=2, label_w=21, pairs_per_row=3,
                                 row_h=6.5, sign_h=13, callback_h=20, ruled=6, pad=1.1,
                                 centre_pt=10, title_pt=13.5, meta_pt=7.5, label_pt=7.5,
                                 value_pt=8.5, min_pt=5.5),
}


def load_slip_font() -> str:
    """Registers the bundled font with Qt (once) and returns its family name."""
    global _family
    if _family is None:
        path = resources_dir() / "fonts" / FONT_FILE
        font_id = QFontDatabase.addApplicationFont(str(path))
        families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
        if not families:
            raise RuntimeError(f"the slip font {path} could not be loaded")
        _family = families[0]
    return _family


def _texts() -> dict[str, str]:
    return {
        "title": QCoreApplication.translate("ComplaintSlip", "Complaint form"),
        "stub": QCoreApplication.translate("ComplaintSlip", "Stub copy"),
        "work": QCoreApplication.translate("ComplaintSlip", "Work copy"),
        "number": QCoreApplication.translate("ComplaintSlip", "No. {number}"),
        "registered": QCoreApplication.translate("ComplaintSlip", "Registered: {when}"),
        "customer": QCoreApplication.translate("ComplaintSlip", "Customer"),
        "unit": QCoreApplication.translate("ComplaintSlip", "Unit"),
        "phone": QCoreApplication.translate("ComplaintSlip", "Phone"),
        "source": QCoreApplication.translate("ComplaintSlip", "Source"),
        "category": QCoreApplication.translate("ComplaintSlip", "Category"),
        "severity": QCoreApplication.translate("ComplaintSlip", "Severity"),
        "description": QCoreApplication.translate("ComplaintSlip", "Description"),
        "demand": QCoreApplication.translate("ComplaintSlip", "Customer's demand"),
        "department": QCoreApplication.translate("ComplaintSlip", "Department"),
        "assignee": QCoreApplication.translate("ComplaintSlip", "Assignee"),
        "response_due": QCoreApplication.translate("ComplaintSlip", "Respond by"),
        "resolve_due": QCoreApplication.translate("ComplaintSlip", "Resolve by"),
        "at_fault": QCoreApplication.translate("ComplaintSlip", "Company at fault"),
        "result": QCoreApplication.translate("ComplaintSlip", "Handling result"),
        "measures": QCoreApplication.translate("ComplaintSlip", "Measures taken"),
        "dispatched_by": QCoreApplication.translate("ComplaintSlip", "Dispatched by"),
        "handled_by": QCoreApplication.translate("ComplaintSlip", "Handled by"),
        "confirmed_by": QCoreApplication.translate("ComplaintSlip", "Customer's confirmation"),
        "date": QCoreApplication.translate("ComplaintSlip", "Date"),
        "callback": QCoreApplication.translate("ComplaintSlip", "Callback record"),
        "callback_date": QCoreApplication.translate("ComplaintSlip", "Callback date"),
        "callback_by": QCoreApplication.translate("ComplaintSlip", "Callback by"),
        "satisfaction": QCoreApplication.translate("ComplaintSlip", "Satisfaction"),
        "satisfied": QCoreApplication.translate("ComplaintSlip", "Satisfied"),
        "fairly": QCoreApplication.translate("ComplaintSlip", "Fairly satisfied"),
        "dissatisfied": QCoreApplication.translate("ComplaintSlip", "Dissatisfied"),
        "comments": QCoreApplication.translate("ComplaintSlip", "Comments"),
        "continued": QCoreApplication.translate(
            "ComplaintSlip", "No. {number}, continued (page {page})"),
        "rework_title": QCoreApplication.translate(
            "ComplaintSlip", "Complaint form, rework {count}"),
        "rework_reason": QCoreApplication.translate("ComplaintSlip", "Rework reason"),
        "continues": QCoreApplication.translate("ComplaintSlip", "See page 2"),
    }


def _clean(text: str) -> str:
    """Line breaks as Qt's text layout wants them; no trailing blank lines."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return "\u2028".join(lines).strip("\u2028 ")


def _sizes(largest: float, smallest: float) -> list[float]:
    sizes = []
    size = largest
    while size > smallest + 1e-6:
        sizes.append(size)
        size -= 0.5
    return [*sizes, smallest]


class _Canvas:
    """Draws on a painter in millimetres (the painter's own origin is 0 mm, 0 mm)."""

    def __init__(self, painter: QPainter, style: _Style) -> None:
        self.painter = painter
        self.device = painter.device()
        self.kx = self.device.logicalDpiX() / 25.4
        self.ky = self.device.logicalDpiY() / 25.4
        self.style = style
        self.family = load_slip_font()
        self.flowing_sizes: list[float] = []  # sizes the long texts were drawn at

    # geometry -----------------------------------------------------------------------------

    def px(self, rect: QRectF) -> QRectF:
        return QRectF(rect.x() * self.kx, rect.y() * self.ky,
                      rect.width() * self.kx, rect.height() * self.ky)

    def pen(self, width_mm: float, color: QColor = _BLACK,
            style: Qt.PenStyle = Qt.PenStyle.SolidLine) -> QPen:
        pen = QPen(color, max(width_mm * self.kx, 1.0))
        pen.setStyle(style)
        pen.setCapStyle(Qt.PenCapStyle.FlatCap)
        pen.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
        return pen

    def box(self, rect: QRectF, width_mm: float = 0.2, fill: QColor | None = None) -> None:
        r = self.px(rect)
        if fill is not None:
            self.painter.fillRect(r, fill)
        self.painter.setBrush(Qt.BrushStyle.NoBrush)
        self.painter.setPen(self.pen(width_mm))
        self.painter.drawRect(r)

    def line(self, x1: float, y1: float, x2: float, y2: float, width_mm: float = 0.2,
             color: QColor = _BLACK, pen: QPen | None = None) -> None:
        self.painter.setPen(pen or self.pen(width_mm, color))
        self.painter.drawLine(QPointF(x1 * self.kx, y1 * self.ky),
                              QPointF(x2 * self.kx, y2 * self.ky))

    # text ---------------------------------------------------------------------------------

    def font(self, size_pt: float, bold: bool = False) -> QFont:
        font = QFont(self.family)
        font.setPointSizeF(size_pt)
        font.setBold(bold)
        return font

    def width_mm(self, text: str, size_pt: float, bold: bool = False) -> float:
        return QFontMetricsF(self.font(size_pt, bold), self.device).horizontalAdvance(text) \
            / self.kx

    def _layout(self, text: str, font: QFont, width: float, align: Qt.AlignmentFlag,
                wrap: bool) -> tuple[QTextLayout, float, float]:
        """The text laid out in lines of ``width`` pixels: (layout, height, widest line)."""
        layout = QTextLayout(text, font, self.device)
        option = QTextOption(align)
        option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere if wrap
                           else QTextOption.WrapMode.NoWrap)
        layout.setTextOption(option)
        height = QFontMetricsF(font, self.device).height()
        y = widest = 0.0
        count = 0
        layout.beginLayout()
        while True:
            line = layout.createLine()
            if not line.isValid():
                break
            line.setLineWidth(width)
            line.setPosition(QPointF(0, y))
            widest = max(widest, line.naturalTextWidth())
            y += height * LINE_SPACING
            count += 1
        layout.endLayout()
        total = (count - 1) * height * LINE_SPACING + height if count else 0.0
        return layout, total, widest

    def text(self, rect: QRectF, text: str, size_pt: float, *,
             align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft, top: bool = False,
             one_line: bool = False, bold: bool = False, min_pt: float | None = None,
             rest: list[str] | None = None) -> None:
        """Draws ``text`` inside ``rect`` (mm): on one line if ``one_line`` and it fits, else
        wrapped; smaller step by step down to ``min_pt``; then cut short with "…" — or, given
        ``rest``, the lines that fit are drawn and what does not fit is appended to it, to
        be continued on the next page."""
        text = _clean(text)
        if not text:
            return
        if rest is not None:
            self._flowing(rect, text, size_pt, min_pt or self.style.min_pt, rest)
            return
        box = self.px(rect)
        sizes = _sizes(size_pt, min(min_pt or self.style.min_pt, size_pt))
        # One line, a little smaller if need be; then wrapped, smaller step by step.
        tries = [(s, False) for s in sizes if s >= size_pt * 0.85] \
            if one_line and "\u2028" not in text else []
        tries += [(s, True) for s in sizes]
        for size, wrap in tries:
            font = self.font(size, bold)
            layout, height, widest = self._layout(text, font, box.width(), align, wrap)
            if height <= box.height() + 0.01 and widest <= box.width() + 0.01:
                self._draw(layout, height, box, top)
                return
        # Too long even at the smallest size: keep what fits, end it with "…".
        font = self.font(sizes[-1], bold)
        low, high = 0, len(text)
        while low < high:
            middle = (low + high + 1) // 2
            candidate = text[:middle].rstrip(" \u2028") + ELLIPSIS
            _layout, height, _widest = self._layout(candidate, font, box.width(), align, True)
            if height <= box.height() + 0.01:
                low = middle
            else:
                high = middle - 1
        layout, height, _widest = self._layout(text[:low].rstrip(" \u2028") + ELLIPSIS, font,
                                               box.width(), align, True)
        self._draw(layout, min(height, box.height()), box, top)

    def _flowing(self, rect: QRectF, text: str, size_pt: float, min_pt: float,
                 rest: list[str]) -> None:
        """Long text that may go on to another page: smaller step by step, never below
        ``min_pt``; at ``min_pt`` the lines that fit are drawn (at least one, so a text
        always moves on) and the rest is appended to ``rest``."""
        box = self.px(rect)
        sizes = _sizes(size_pt, min(min_pt, size_pt))
        for size in sizes:
            layout, height, _widest = self._layout(text, self.font(size), box.width(),
                                                   Qt.AlignmentFlag.AlignLeft, True)
            if height <= box.height() + 0.01:
                self.flowing_sizes.append(size)
                self._draw(layout, height, box, True)
                return
        size = sizes[-1]
        font = self.font(size)
        layout, _height, _widest = self._layout(text, font, box.width(),
                                                Qt.AlignmentFlag.AlignLeft, True)
        line_h = QFontMetricsF(font, self.device).height()
        fit = max(1, int((box.height() - line_h) // (line_h * LINE_SPACING)) + 1
                  if box.height() >= line_h else 1)
        cut = layout.lineAt(fit).textStart() if fit < layout.lineCount() else len(text)
        head, tail = text[:cut].rstrip(" \u2028"), text[cut:].lstrip(" \u2028")
        layout, height, _widest = self._layout(head, font, box.width(),
                                               Qt.AlignmentFlag.AlignLeft, True)
        self.flowing_sizes.append(size)
        self._draw(layout, min(height, box.height()), box, True)
        if tail:
            rest.append(tail)

    def needed_mm(self, text: str, width_mm: float, size_pt: float) -> float:
        """The height (mm) ``text`` takes wrapped in ``width_mm`` at ``size_pt``."""
        _layout, height, _widest = self._layout(_clean(text), self.font(size_pt),
                                                width_mm * self.kx,
                                                Qt.AlignmentFlag.AlignLeft, True)
        return height / self.ky

    def _draw(self, layout: QTextLayout, height: float, box: QRectF, top: bool) -> None:
        y = box.top() if top else box.top() + (box.height() - height) / 2
        self.painter.setPen(_BLACK)
        layout.draw(self.painter, QPointF(box.left(), y))

    def run(self, rect: QRectF, items: list[tuple[str, object]], size_pt: float,
            gap: float = 1.5) -> list[QRectF]:
        """One line of labels (``("text", str)``), blanks to write on (``("blank", mm)``,
        drawn as an underline; the last one reaches the right edge) and tick boxes
        (``("box", None)``), smaller until it fits ``rect`` (mm). Returns the blanks (mm),
        each from the line's top down to its underline."""
        style = self.style
        fits = False
        for size in _sizes(size_pt, min(style.min_pt, size_pt)):
            box_side = min(rect.height() * 0.55, size * 0.36)
            widths = [self.width_mm(value, size) if kind == "text" else
                      box_side if kind == "box" else float(value)
                      for kind, value in items]
            if sum(widths) + gap * (len(items) - 1) <= rect.width():
                fits = True
                break
        blanks = sum(w for (kind, _v), w in zip(items, widths, strict=True) if kind == "blank")
        if not fits and blanks:  # the blanks give way
            over = sum(widths) + gap * (len(items) - 1) - rect.width()
            factor = max(0.0, (blanks - over) / blanks)
            widths = [w * factor if kind == "blank" else w
                      for (kind, _v), w in zip(items, widths, strict=True)]
        last_blank = max((i for i, (kind, _v) in enumerate(items) if kind == "blank"),
                         default=-1)
        x = rect.left()
        baseline = rect.bottom() - rect.height() * 0.22
        spans = []
        for index, ((kind, value), width) in enumerate(zip(items, widths, strict=True)):
            if kind == "text":
                self.text(QRectF(x, rect.top(), width + 0.5, rect.height()), str(value), size,
                          one_line=True, min_pt=size)
            elif kind == "box":
                side = width
                self.box(QRectF(x, rect.center().y() - side / 2, side, side), 0.2)
            else:
                end = rect.right() if index == last_blank else x + width
                self.line(x, baseline, end, baseline, 0.15)
                spans.append(QRectF(x, rect.top(), end - x, baseline - rect.top()))
            x += width + gap
        return spans

    # QR code ------------------------------------------------------------------------------

    def qr(self, rect: QRectF, data: str) -> None:
        """``data`` as a QR code (error correction M, quiet zone of 4 modules) filling
        ``rect`` (mm)."""
        code = segno.make_qr(data, error="m")
        rows = [list(row) for row in code.matrix_iter(scale=1, border=4)]
        count = len(rows)
        r = self.px(rect)
        mx, my = r.width() / count, r.height() / count
        self.painter.fillRect(r, QColor(255, 255, 255))
        path = QPainterPath()
        path.setFillRule(Qt.FillRule.WindingFill)
        for y, row in enumerate(rows):
            x = 0
            while x < count:
                if not row[x]:
                    x += 1
                    continue
                start = x
                while x < count and row[x]:
                    x += 1
                path.addRect(QRectF(r.left() + start * mx, r.top() + y * my,
                                    (x - start) * mx, my))
        # One outline, so no hairline seams between neighbouring modules when it is printed.
        self.painter.fillPath(path.simplified(), _BLACK)


def _chunks(pairs: list[tuple[str, str]], size: int) -> list[list[tuple[str, str]]]:
    return [pairs[i:i + size] for i in range(0, len(pairs), size)]


def paint_slip(painter: QPainter, slip: SlipData, frame_mm: QRectF,
               layout: SlipLayout = SlipLayout.A4, copy_label: str = "",
               leftovers: list[tuple[str, str]] | None = None,
               sizes: list[float] | None = None) -> QRectF:
    """Draws one slip inside ``frame_mm`` (millimetres from the painter's origin, converted
    to pixels with the painter device's DPI) in ``layout``'s sizes. Returns where the QR code
    went (mm, quiet zone included). The long texts' ends that do not fit are appended to
    ``leftovers`` as (label, text), for ``paint_continuation``; the sizes (pt) the long
    texts were drawn at to ``sizes``."""
    c = _Canvas(painter, _STYLES[layout])
    s = c.style
    t = _texts()
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
    try:
        qr_rect = _header(c, t, slip, frame_mm, copy_label)
        top = frame_mm.top() + s.header_h + s.gap
        table = QRectF(frame_mm.left(), top, frame_mm.width(), frame_mm.bottom() - top)
        _table(c, t, slip, table, [] if leftovers is None else leftovers)
    finally:
        painter.restore()
    if sizes is not None:
        sizes.extend(c.flowing_sizes)
    return qr_rect


def _flowing_pt(style: _Style) -> float:
    return max(style.value_pt, FLOWING_FLOOR_PT)


def paint_continuation(painter: QPainter, slip: SlipData, frame_mm: QRectF,
                       layout: SlipLayout, page: int, parts: list[tuple[str, str]],
                       sizes: list[float] | None = None) -> list[tuple[str, str]]:
    """A next page of a slip whose long texts did not fit: the number and page, then each
    text's continuation under its label, at ``FLOWING_FLOOR_PT``. Returns what still does
    not fit (for the page after)."""
    c = _Canvas(painter, _STYLES[layout])
    s, t = c.style, _texts()
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
    left: list[tuple[str, str]] = []
    try:
        head_h = s.row_h
        c.text(QRectF(frame_mm.left(), frame_mm.top(), frame_mm.width(), head_h),
               t["continued"].format(number=slip.number, page=page), s.meta_pt + 1.5,
               one_line=True, bold=True)
        y = frame_mm.top() + head_h + s.gap
        value_w = frame_mm.width() - s.label_w
        size = FLOWING_FLOOR_PT
        for index, (label, text) in enumerate(parts):
            room = frame_mm.bottom() - y
            if room < s.row_h * 1.5:
                left.extend(parts[index:])
                break
            needed = c.needed_mm(text, value_w - 2 * s.pad, size) + 1.4 * s.pad + 0.5
            height = min(room, max(needed, s.row_h))
            _label_cell(c, QRectF(frame_mm.left(), y, s.label_w, height), label, True)
            cell = QRectF(frame_mm.left() + s.label_w, y, value_w, height)
            c.box(cell)
            rest: list[str] = []
            c.text(cell.adjusted(s.pad, s.pad * 0.7, -s.pad, -s.pad * 0.7), text, size,
                   min_pt=size, rest=rest)
            if rest:
                left.append((label, rest[0]))
                left.extend(parts[index + 1:])
                break
            y += height
    finally:
        painter.restore()
    if sizes is not None:
        sizes.extend(c.flowing_sizes)
    return left


def _header(c: _Canvas, t: dict[str, str], slip: SlipData, frame: QRectF,
            copy_label: str) -> QRectF:
    s = c.style
    qr_rect = QRectF(frame.right() - s.qr, frame.top(), s.qr, s.qr)
    c.qr(qr_rect, slip.number)
    side = s.qr + 2
    h = s.header_h
    middle = QRectF(frame.left() + side, frame.top(), frame.width() - 2 * side, h)
    centre = Qt.AlignmentFlag.AlignHCenter
    c.text(QRectF(middle.left(), middle.top(), middle.width(), h * 0.32), slip.centre_name,
           s.centre_pt, align=centre, one_line=True)
    title = t["rework_title"].format(count=slip.rework_count) if slip.rework_count \
        else t["title"]
    c.text(QRectF(middle.left(), middle.top() + h * 0.31, middle.width(), h * 0.42), title,
           s.title_pt, align=centre, one_line=True, bold=True)
    meta = QRectF(frame.left(), frame.top() + h * 0.74, frame.width() - side, h * 0.26)
    half = meta.width() / 2
    c.text(QRectF(meta.left(), meta.top(), half, meta.height()),
           t["registered"].format(when=slip.registered_at), s.meta_pt, one_line=True)
    c.text(QRectF(meta.left() + half, meta.top(), half, meta.height()),
           t["number"].format(number=slip.number), s.meta_pt + 1.5, one_line=True,
           align=Qt.AlignmentFlag.AlignRight, bold=True)
    if copy_label:
        tag = QRectF(frame.left(), frame.top() + h * 0.04, side - 4, h * 0.36)
        c.box(tag, 0.35)
        c.text(tag.adjusted(s.pad, 0.3, -s.pad, -0.3), copy_label, s.meta_pt + 1,
               align=centre, one_line=True, bold=True)
    return qr_rect


def _label_cell(c: _Canvas, rect: QRectF, label: str, tall: bool) -> None:
    s = c.style
    c.box(rect, 0.2, _LABEL_FILL)
    inner = rect.adjusted(s.pad, s.pad * 0.5, -s.pad, -s.pad * 0.5)
    if tall:  # at the top, beside the text's first lines; two lines at most
        inner.setHeight(min(inner.height(), s.label_pt * 0.511 * (1 + LINE_SPACING) + 0.2))
    c.text(inner, label, s.label_pt, one_line=True, top=tall)


def _table(c: _Canvas, t: dict[str, str], slip: SlipData, area: QRectF,
           leftovers: list[tuple[str, str]]) -> None:
    s = c.style
    pad = s.pad
    first = [(t["customer"], slip.customer), (t["phone"], slip.phone), (t["unit"], slip.unit),
             (t["source"], slip.source), (t["category"], slip.category),
             (t["severity"], slip.severity)]
    second = [(t["department"], slip.department), (t["assignee"], slip.assignee),
              (t["response_due"], slip.response_due), (t["resolve_due"], slip.resolve_due),
              (t["at_fault"], slip.company_at_fault), *slip.extra.items()]
    first_rows = _chunks(first, s.pairs_per_row)
    second_rows = _chunks(second, s.pairs_per_row)
    callback_top = area.bottom() - s.callback_h
    table_bottom = callback_top - s.gap
    fixed = (len(first_rows) + len(second_rows)) * s.row_h + s.sign_h
    flexible = max(0.0, table_bottom - area.top() - fixed)
    weights = {"description": 3.2, "demand": 1.8, "result": 3.0, "measures": 2.0}
    if slip.rework_count:
        weights = {"description": 2.8, "demand": 1.4, "rework": 1.2, "result": 2.6,
                   "measures": 2.0}
    heights = {k: flexible * w / sum(weights.values()) for k, w in weights.items()}
    x0, width = area.left(), area.width()
    value_w = width - s.label_w
    y = area.top()

    def grid(rows: list[list[tuple[str, str]]]) -> None:
        nonlocal y
        pair_w = width / s.pairs_per_row
        for row in rows:
            x = x0
            for index, (label, value) in enumerate(row):
                _label_cell(c, QRectF(x, y, s.label_w, s.row_h), label, False)
                last = index == len(row) - 1
                cell_w = (x0 + width - x - s.label_w) if last else pair_w - s.label_w
                cell = QRectF(x + s.label_w, y, cell_w, s.row_h)
                c.box(cell)
                c.text(cell.adjusted(pad, pad * 0.4, -pad, -pad * 0.4), value, s.value_pt,
                       one_line=True)
                x += pair_w
            y += s.row_h

    def text_row(label: str, value: str, height: float, ruled: bool) -> None:
        nonlocal y
        _label_cell(c, QRectF(x0, y, s.label_w, height), label, True)
        cell = QRectF(x0 + s.label_w, y, value_w, height)
        c.box(cell)
        if value.strip() or not ruled:
            rest: list[str] = []
            c.text(cell.adjusted(pad, pad * 0.7, -pad, -pad * 0.7), value, _flowing_pt(s),
                   min_pt=FLOWING_FLOOR_PT, rest=rest)
            leftovers.extend((label, tail) for tail in rest)
            if rest and height >= 2 * s.row_h:  # under the label: where the rest is
                c.text(QRectF(x0 + pad, y + height - s.row_h, s.label_w - 2 * pad,
                              s.row_h * 0.8), t["continues"], s.label_pt, one_line=True,
                       bold=True)
        else:
            line_y = y + s.ruled
            while line_y <= y + height - s.ruled * 0.35:
                c.line(cell.left() + pad, line_y, cell.right() - pad, line_y, 0.15, _RULE)
                line_y += s.ruled
        y += height

    grid(first_rows)
    text_row(t["description"], slip.description, heights["description"], False)
    text_row(t["demand"], slip.demand, heights["demand"], False)
    if slip.rework_count:
        text_row(t["rework_reason"], slip.rework_reason, heights["rework"], False)
    grid(second_rows)
    text_row(t["result"], slip.resolution, heights["result"], True)
    text_row(t["measures"], slip.measures, heights["measures"], True)
    _signatures(c, t, slip, QRectF(x0, y, width, s.sign_h))
    y += s.sign_h
    c.box(QRectF(x0, area.top(), width, y - area.top()), 0.45)
    _callback(c, t, QRectF(x0, callback_top, width, s.callback_h))


def _signatures(c: _Canvas, t: dict[str, str], slip: SlipData, rect: QRectF) -> None:
    """Three boxes side by side, each a line to sign on (the dispatcher's name printed on
    it) and a line for the date."""
    s = c.style
    pad = s.pad
    cell_w = rect.width() / 3
    line_h = (rect.height() - pad) / 2
    for index, (label, name) in enumerate(((t["dispatched_by"], slip.dispatcher),
                                           (t["handled_by"], ""), (t["confirmed_by"], ""))):
        cell = QRectF(rect.left() + index * cell_w, rect.top(), cell_w, rect.height())
        c.box(cell)
        sign = QRectF(cell.left() + pad, cell.top() + pad * 0.5, cell_w - 2 * pad, line_h)
        blank = c.run(sign, [("text", label), ("blank", 12.0)], s.label_pt)[0]
        if name:
            high = min(blank.height(), s.value_pt * 0.511 + 0.6)  # one line, on the rule
            c.text(QRectF(blank.left() + 0.5, blank.bottom() - high, blank.width() - 1, high),
                   name, s.value_pt, one_line=True, align=Qt.AlignmentFlag.AlignHCenter)
        c.run(QRectF(sign.left(), sign.bottom(), sign.width(), line_h),
              [("text", t["date"]), ("blank", 12.0)], s.label_pt)


def _callback(c: _Canvas, t: dict[str, str], rect: QRectF) -> None:
    s = c.style
    pad = s.pad
    _label_cell(c, QRectF(rect.left(), rect.top(), s.label_w, rect.height()), t["callback"], True)
    content = QRectF(rect.left() + s.label_w, rect.top(), rect.width() - s.label_w,
                     rect.height())
    c.box(content)
    c.box(rect, 0.45)
    rows = max(3, round(rect.height() / s.ruled))
    row_h = (rect.height() - pad) / rows
    inner_w = content.width() - 2 * pad

    def row(index: int) -> QRectF:
        return QRectF(content.left() + pad, content.top() + pad * 0.5 + index * row_h, inner_w,
                      row_h)

    half = inner_w / 2
    first = row(0)
    c.run(QRectF(first.left(), first.top(), half - 2, row_h),
          [("text", t["callback_date"]), ("blank", 20.0)], s.label_pt)
    c.run(QRectF(first.left() + half, first.top(), half, row_h),
          [("text", t["callback_by"]), ("blank", 20.0)], s.label_pt)
    c.run(row(1), [("text", t["satisfaction"]), ("text", ""),
                   ("box", None), ("text", t["satisfied"]), ("text", " "),
                   ("box", None), ("text", t["fairly"]), ("text", " "),
                   ("box", None), ("text", t["dissatisfied"])], s.label_pt)
    c.run(row(2), [("text", t["comments"]), ("blank", 20.0)], s.label_pt)
    for index in range(3, rows):
        r = row(index)
        baseline = r.bottom() - r.height() * 0.22
        c.line(r.left(), baseline, r.right(), baseline, 0.15)


# pages ------------------------------------------------------------------------------------


def _page_layout(layout: SlipLayout) -> QPageLayout:
    size = QPageSize.PageSizeId.A5 if layout is SlipLayout.A5 else QPageSize.PageSizeId.A4
    margin = PAGE_MARGIN_MM
    return QPageLayout(QPageSize(size), QPageLayout.Orientation.Portrait,
                       QMarginsF(margin, margin, margin, margin), QPageLayout.Unit.Millimeter)


def _frames(layout: SlipLayout) -> list[tuple[QRectF, str]]:
    """Where each copy goes on the page, in mm from the page's top-left corner."""
    if layout is SlipLayout.A4:
        return [(QRectF(14, 12, 210 - 28, 297 - 24), "")]
    if layout is SlipLayout.A5:
        return [(QRectF(10, 9, 148 - 20, 210 - 18), "")]
    t = _texts()
    half = CUT_LINE_Y_MM
    return [(QRectF(10, 7, 190, half - 14), t["stub"]),
            (QRectF(10, half + 7, 190, half - 14), t["work"])]


def _apply_page_layout(device: QPagedPaintDevice, layout: SlipLayout) -> None:
    wanted = _page_layout(layout)
    if not device.setPageLayout(wanted):  # a printer that needs wider margins keeps its own
        device.setPageSize(wanted.pageSize())
        device.setPageOrientation(QPageLayout.Orientation.Portrait)


class CannotPaint(RuntimeError):
    """The printer or PDF file could not be opened for painting (a PDF file open in another
    program, a read-only folder, a path that is a folder)."""


@dataclass(frozen=True)
class Painted:
    pages: int
    flowing_sizes: list[float]  # the sizes (pt) the long texts were drawn at


def paint_slips(painter_device: QPagedPaintDevice, slips: Sequence[SlipData],
                layout: SlipLayout) -> Painted:
    """Paints ``slips`` on ``painter_device`` (a QPdfWriter or QPrinter), a page each (in
    ``TWO_ON_A4``, both copies of a slip on one page), after setting its page layout; a
    slip whose long texts do not fit at ``FLOWING_FLOOR_PT`` goes on to further pages."""
    pages, drawn = 0, list[float]()
    slips = list(slips)
    if not slips:
        raise ValueError("no complaint slips to print")
    load_slip_font()
    _apply_page_layout(painter_device, layout)
    origin = painter_device.pageLayout().paintRect(QPageLayout.Unit.Millimeter).topLeft()
    painter = QPainter()
    if not painter.begin(painter_device):
        raise CannotPaint("cannot paint on the printer")
    try:
        for index, slip in enumerate(slips):
            if index:
                painter_device.newPage()
            frames = [(frame.translated(-origin), label) for frame, label in _frames(layout)]
            rests: list[list[tuple[str, str]]] = []
            for frame, copy_label in frames:
                rests.append([])
                paint_slip(painter, slip, frame, layout, copy_label, rests[-1], drawn)
            if layout is SlipLayout.TWO_ON_A4:
                _cut_line(painter, origin)
            page = 2
            while any(rests):  # each page takes at least a line of each text left
                painter_device.newPage()
                rests = [paint_continuation(painter, slip, frame, layout, page, rest, drawn)
                         if rest else [] for (frame, _label), rest in zip(frames, rests,
                                                                          strict=True)]
                if layout is SlipLayout.TWO_ON_A4:
                    _cut_line(painter, origin)
                page += 1
            pages += page - 1
    finally:
        painter.end()
    return Painted(pages, drawn)


def _cut_line(painter: QPainter, origin: QPointF) -> None:
    c = _Canvas(painter, _STYLES[SlipLayout.TWO_ON_A4])
    pen = c.pen(0.25, QColor(90, 90, 90))
    pen.setDashPattern([12, 8])  # 3 mm dashes, 2 mm gaps (in pen widths)
    y = CUT_LINE_Y_MM - origin.y()
    c.line(PAGE_MARGIN_MM - origin.x(), y, 210 - PAGE_MARGIN_MM - origin.x(), y, pen=pen)


def save_pdf(slips: Sequence[SlipData], layout: SlipLayout, path: str) -> None:
    slips = list(slips)
    writer = QPdfWriter(path)
    writer.setTitle(", ".join(slip.number for slip in slips))
    writer.setCreator("CallDesk")
    writer.setResolution(300)
    paint_slips(writer, slips, layout)


def preview(slips: Sequence[SlipData], layout: SlipLayout, parent: QWidget | None) -> bool:
    """Print preview; True when the pages went to the printer (the dialog accepts only
    then), so the caller can record the slips as printed."""
    slips = list(slips)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    _apply_page_layout(printer, layout)
    printer.setDocName(", ".join(slip.number for slip in slips))
    dialog = QPrintPreviewDialog(printer, parent)
    dialog.printer_ = printer  # the dialog keeps a pointer to it: it must live as long
    dialog.setObjectName("complaintSlipPreview")
    dialog.setWindowTitle(QCoreApplication.translate("ComplaintSlip", "Print complaint form"))
    dialog.paintRequested.connect(lambda target: paint_slips(target, slips, layout))
    printed = dialog.exec() == QDialog.DialogCode.Accepted
    dialog.deleteLater()
    return printed


def save_pdf_headless(slips: Sequence[SlipData], layout: str, path: str) -> str:
    """For ``calldesk print-slip``: Qt draws the slips, so it needs an application object,
    but no screen (offscreen on a server without one)."""
    import os
    import sys

    from PySide6.QtGui import QGuiApplication

    if QGuiApplication.instance() is None:
        if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY")
                                                     or os.environ.get("WAYLAND_DISPLAY")):
            os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        app = QGuiApplication(["calldesk"])
        from app import i18n
        from ui import translations

        translations.install(app, i18n.current_language())  # the labels in the CLI's language
    return write_pdf(slips, SlipLayout(layout), path)


def write_pdf(slips: Sequence[SlipData], layout: SlipLayout, path: str) -> str:
    """Saves the slips as a PDF at ``path`` (its folder made when missing) and checks the file
    was written; returns the absolute path. Raises a CallDeskError, for the user, when the
    folder cannot be made or the file cannot be written."""
    import os

    target = os.path.abspath(path)
    cannot_write = QCoreApplication.translate(
        "ComplaintSlip", "Could not write {path}. Is it open in another program, or is "
                         "the folder read-only?").format(path=target)
    try:
        os.makedirs(os.path.dirname(target), exist_ok=True)
    except OSError as error:
        raise CallDeskError(QCoreApplication.translate(
            "ComplaintSlip", "Cannot create the folder for {path}: {reason}").format(
            path=target, reason=error.strerror)) from error
    try:
        save_pdf(slips, layout, target)
    except CannotPaint as error:
        raise CallDeskError(cannot_write) from error
    if not os.path.isfile(target) or os.path.getsize(target) == 0:
        raise CallDeskError(cannot_write)
    return target
