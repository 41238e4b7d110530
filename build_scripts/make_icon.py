"""The Windows application icon (.ico) drawn from resources/icons/calldesk.svg.

    .venv/bin/python build_scripts/make_icon.py OUT.ico

The build (build_scripts/calldesk.spec) runs this; nothing generated is kept in the
repository. Qt renders the SVG at each size Windows asks for (16 px in a list view up to
256 px on a large-icon desktop) and the sizes are written as PNG entries of one .ico file
(the format Windows Vista and later read), so neither Pillow nor a hand-made .ico is needed.
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

SIZES = (16, 20, 24, 32, 40, 48, 64, 128, 256)
SVG = Path(__file__).resolve().parent.parent / "resources" / "icons" / "calldesk.svg"


def render_png(svg: Path, size: int) -> bytes:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"make_icon: cannot read {svg}")
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())


def ico_bytes(pngs: dict[int, bytes]) -> bytes:
    """An ICONDIR header, one ICONDIRENTRY per size, then the PNG images themselves."""
    header = struct.pack("<HHH", 0, 1, len(pngs))
    offset = len(header) + 16 * len(pngs)
    entries, images = b"", b""
    for size, png in sorted(pngs.items()):
        dimension = 0 if size >= 256 else size  # 0 means 256 in an ICONDIRENTRY
        entries += struct.pack("<BBBBHHII", dimension, dimension, 0, 0, 1, 32, len(png),
                               offset + len(images))
        images += png
    return header + entries + images


def make_icon(out: Path, svg: Path = SVG, sizes: tuple[int, ...] = SIZES) -> Path:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    _app = QGuiApplication.instance() or QGuiApplication([sys.argv[0]])  # noqa: F841
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(ico_bytes({size: render_png(svg, size) for size in sizes}))
    return out


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit("usage: make_icon.py OUT.ico")
    print(make_icon(Path(sys.argv[1])))
