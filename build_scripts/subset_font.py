"""Build the font the printed slips use: a Simplified Chinese subset of Noto Sans CJK SC.

    python build_scripts/subset_font.py [--source TTC] [--out FILE]

Printing must not depend on the fonts of the PC it runs on (a Windows PC without a CJK font
prints boxes), so CallDesk bundles ``resources/fonts/NotoSansSC-Subset.otf`` and draws every
slip with it. This script makes that file from the system's Noto Sans CJK (Debian/Ubuntu:
``apt-get install fonts-noto-cjk``), face "Noto Sans CJK SC" of
``NotoSansCJK-Regular.ttc``. Needs fontTools (a build tool only, not a runtime dependency).

What is kept: ASCII, Latin-1, General Punctuation, CJK Symbols and Punctuation
(U+3000–303F), half- and full-width forms (U+FF00–FFEF), every character GB2312 encodes
(its 6,763 hanzi plus its symbols, Greek, Cyrillic, kana, box drawing) and ``EXTRA`` below.

What is left out on purpose: the Kangxi radicals (U+2F00–2FDF) and the CJK radicals
supplement (U+2E80–2EFF). In the source font they share their glyphs with the ordinary
ideographs (U+2F08 ⼈ is drawn by the glyph of U+4EBA 人), and Qt's PDF writer maps each
glyph back to the *lowest* code point that uses it, so a PDF's text layer would say ⼈ where
the slip shows 人 and pdftotext / copy-and-paste / search would not find the text. The
script checks that no kept glyph is reachable from two code points where that matters.

The family is renamed "CallDesk Noto Sans SC" (PostScript name CallDeskNotoSansSC-Regular)
so it never clashes with, or is mistaken for, a Noto Sans CJK SC installed on the PC. The
Noto CJK licence (SIL OFL 1.1) reserves the name "Source", which the new name avoids.
Hinting is dropped (the slips are printed or written to PDF, never shown small on screen).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont

ROOT = Path(__file__).resolve().parent.parent
SOURCE = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
OUT = ROOT / "resources" / "fonts" / "NotoSansSC-Subset.otf"
SOURCE_FACE = "Noto Sans CJK SC"

FAMILY = "CallDesk Noto Sans SC"
POSTSCRIPT = "CallDeskNotoSansSC-Regular"

# Characters outside GB2312 that people's names, streets and estates in mainland China use
# often (all in 通用规范汉字表, which is not available offline), and a few signs the slips
# print. Add to this list when a customer's name prints as a box.
EXTRA = (
    "堃喆玥珺昇琇瑀赟镕昀旻珏璟琛琨瑄瑭瑾璇璐玮炜烨煜熠晞晟晖暄暐曦淼森溢澍"
    "祎祺禛筠翀翊翾蕤蓥桦楠槿樾栎榕邨垚堉埕塬墉峣崧嵘钰铖锟镓铧锴锶颢颉颙骞骐"
    "婕婧婵嫣妍姝娅缇绮缃缙绯珂琪琦琰琳瑛璞瓒玙珩珅珈琬玳琊"
    "啰咔咚噢嗯呗氹凼冇㐂䶮"  # 䶮 (U+4DAE) is in Ext A, as in 刘䶮
    "…‧·•※√×÷±≤≥℃№✓✔"
)
EXCLUDED = [
    (0x2E80, 0x2EFF),  # CJK Radicals Supplement   (see the module docstring)
    (0x2F00, 0x2FDF),  # Kangxi Radicals
    # Glyphs shared with a character people type far more often, which a PDF's text layer
    # would otherwise turn into this one: FIGURE DASH for EN DASH –, WAVE DASH 〜 for the
    # FULLWIDTH TILDE ～ that Chinese input methods type (9:00～18:00).
    (0x2012, 0x2012),
    (0x301C, 0x301C),
]


def _ranges() -> set[int]:
    codes: set[int] = set()
    for first, last in [
        (0x0020, 0x007E),  # ASCII
        (0x00A0, 0x00FF),  # Latin-1
        (0x2000, 0x206F),  # General Punctuation
        (0x3000, 0x303F),  # CJK Symbols and Punctuation
        (0xFF00, 0xFFEF),  # Halfwidth and Fullwidth Forms
    ]:
        codes.update(range(first, last + 1))
    for code in range(0x80, 0x10000):
        if 0xD800 <= code <= 0xDFFF:
            continue
        try:
            chr(code).encode("gb2312")
        except UnicodeEncodeError:
            continue
        codes.add(code)
    codes.update(ord(c) for c in EXTRA)
    return {c for c in codes if not any(lo <= c <= hi for lo, hi in EXCLUDED)}


def _face_number(source: Path) -> int:
    collection = TTCollection(str(source), lazy=True)
    for number, font in enumerate(collection.fonts):
        if font["name"].getDebugName(1) == SOURCE_FACE:
            return number
    raise SystemExit(f"{source} has no face named {SOURCE_FACE!r}")


def _rename(font: TTFont) -> None:
    name = font["name"]
    version = font["head"].fontRevision
    for name_id in (1, 2, 3, 4, 6, 16, 17, 21, 22):
        name.removeNames(nameID=name_id)
    values = {
        1: FAMILY,
        2: "Regular",
        3: f"{version:.3f};CallDesk;{POSTSCRIPT}",
        4: FAMILY,
        6: POSTSCRIPT,
    }
    for name_id, value in values.items():
        name.setName(value, name_id, 3, 1, 0x409)
        name.setName(value, name_id, 1, 0, 0)
    name.removeNames(nameID=10)
    name.setName(
        "A subset of Noto Sans CJK SC Regular (Simplified Chinese: GB2312 and punctuation) "
        "made for CallDesk by build_scripts/subset_font.py; renamed as the SIL OFL 1.1 asks "
        "of Modified Versions.", 10, 3, 1, 0x409)
    cff = font["CFF "].cff
    cff.fontNames = [POSTSCRIPT]
    top = cff.topDictIndex[0]
    top.FullName = FAMILY
    top.FamilyName = FAMILY


def _shared_glyphs(font: TTFont) -> list[str]:
    """Code points that reach a glyph a lower code point also reaches, where the lower one
    would then be what a PDF's text layer says (only ideographs matter here)."""
    by_glyph: dict[str, list[int]] = {}
    for code, glyph in font.getBestCmap().items():
        by_glyph.setdefault(glyph, []).append(code)
    problems = []
    for codes in by_glyph.values():
        codes.sort()
        if len(codes) > 1 and any(0x3400 <= c <= 0x9FFF for c in codes[1:]):
            problems.append(" ".join(f"U+{c:04X} {chr(c)}" for c in codes))
    return problems


def build(source: Path, out: Path) -> Path:
    number = _face_number(source)
    font = TTFont(str(source), fontNumber=number, lazy=False)
    options = subset.Options()
    options.hinting = False
    options.desubroutinize = False
    options.name_IDs = ["*"]  # keep copyright, trademark, licence; _rename rewrites the rest
    options.name_languages = [0x409, 0x804]
    options.name_legacy = True
    options.notdef_outline = True
    options.glyph_names = False
    # The default features, less locl: in this face locl only reaches the Japanese, Korean and
    # Traditional Chinese forms, which would double the glyph count for nothing. Less liga and
    # clig too: a ligature glyph (fi in "Satisfied") has no code point of its own, so a PDF's
    # text layer would lose those letters ("Satis ed").
    options.layout_features = [f for f in options.layout_features
                               if f not in ("locl", "liga", "clig")]
    subsetter = subset.Subsetter(options)
    codes = _ranges() & set(font.getBestCmap())
    subsetter.populate(unicodes=sorted(codes))
    subsetter.subset(font)
    _rename(font)
    problems = _shared_glyphs(font)
    if problems:
        raise SystemExit("glyphs shared with a lower code point:\n" + "\n".join(problems))
    out.parent.mkdir(parents=True, exist_ok=True)
    font.recalcTimestamp = False  # the same source gives the same bytes
    font.save(str(out))
    return out


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=SOURCE,
                        help=f"the Noto Sans CJK collection (default {SOURCE})")
    parser.add_argument("--out", type=Path, default=OUT, help=f"default {OUT}")
    args = parser.parse_args(argv)
    if not args.source.exists():
        print(f"{args.source} not found; install it: apt-get install fonts-noto-cjk",
              file=sys.stderr)
        return 1
    out = build(args.source, args.out)
    font = TTFont(str(out), lazy=True)
    print(f"{out}: {out.stat().st_size / 1024 / 1024:.2f} MiB, "
          f"{len(font.getBestCmap())} characters, {len(font.getGlyphOrder())} glyphs, "
          f"family {font['name'].getDebugName(1)!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
