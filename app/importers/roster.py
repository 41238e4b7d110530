"""Reading a customer roster (业主花名册) from the .xlsx front desks really keep.

Real rosters start with title lines (a merged "阳光花园业主信息登记表", "制表日期：…"),
store phone numbers as floats, mix full-width digits in, put two numbers in one cell,
repeat people on several rows (one row per unit) and end with a 合计 line. This module
finds the header, guesses which column holds what (the UI lets the user correct it),
reads every row and merges rows that are the same person. Pure functions: no database,
no Qt.

Decisions worth knowing:

- A row with one good and one bad number is imported with the good number; the bad
  piece comes back as a ``RowError`` with ``rejected=False`` (a note the user sees, not a
  rejected row), so ``save_rejected`` leaves it out and re-importing cannot duplicate it.
- A row whose mapped columns are all empty is blank (a template row that only has its
  序号 filled in), and is skipped like a footer, not rejected.
- An empty role means owner: this is the owners' roster.
- Vertically merged cells (a 楼栋 merged over the rows of its building) count for every
  row they cover; single-row merges (titles) are left alone.
- To cancel a long read, raise from ``progress``; the exception reaches the caller.
"""

from __future__ import annotations

import re
import unicodedata
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.cell import Cell
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import range_boundaries

from app.domain.phones import Phone, PhoneError, parse_phones
from app.domain.texts import NOTE_MAX
from app.domain.units import (
    MAX_BUILDING,
    MAX_ESTATE,
    MAX_ROOM,
    MAX_UNIT,
    UnitAddress,
    UnitError,
    fits,
    from_columns,
    parse_unit,
)
from app.errors import CallDeskError
from app.i18n import translate

FIELDS = ("name", "title", "customer_type", "phone", "phone2", "estate", "building", "unit",
          "room", "address", "role", "notes")

ROLES = ("owner", "tenant", "family", "merchant", "other")

MAX_NAME = 40  # the card's name field
# Limits for a workbook from anywhere (issue 14): checked before anything is parsed, so a
# zip bomb or a junk file is refused in a moment instead of taking gigabytes and minutes.
MAX_UNPACKED_BYTES = 200 * 2**20   # all the parts of the .xlsx together, unpacked
MAX_ROWS = 100_000                 # filled rows of the sheet
MAX_CELL = 32_767                  # Excel's own limit for the text of one cell
MAX_TEXT_BYTES = MAX_CELL * 6      # a cell in the XML: at most 6 bytes a character (&quot;)
SCAN_CHUNK = 2**20
HEADER_SCAN_ROWS = 15
SAMPLE_ROWS = 20
PROGRESS_EVERY = 200

# Normalised (see _norm) header texts per field. Several fields share words ("备用电话"
# contains "电话"), so matching prefers an exact text, then the alias the header ends
# with (Chinese puts the head noun last: 紧急联系人电话 is a phone), then any substring.
ALIASES: dict[str, tuple[str, ...]] = {
    "name": ("姓名", "业主姓名", "客户姓名", "住户姓名", "租户姓名", "户主姓名", "联系人",
             "业主", "户主", "客户名称"),
    "phone": ("联系电话", "手机", "手机号", "电话", "联系方式", "手机号码", "移动电话",
              "业主电话", "电话1", "手机1", "联系电话1"),
    "phone2": ("备用电话", "其他电话", "其它电话", "固定电话", "座机", "电话2", "手机2",
               "联系电话2", "家庭电话", "办公电话"),
    "estate": ("项目", "小区", "项目名称", "小区名称", "楼盘"),
    "building": ("楼栋", "栋号", "楼号", "幢", "栋", "幢号", "楼栋号"),
    "unit": ("单元", "单元号"),
    "room": ("房号", "室号", "门牌号", "房间号"),
    "address": ("房屋", "房屋地址", "地址", "房产", "楼栋单元房号", "房屋信息", "住址",
                "房号地址", "房屋编号"),
    "role": ("身份", "类型", "关系", "住户身份", "客户身份", "与业主关系"),
    "customer_type": ("客户类型", "住户类型"),
    "title": ("称谓", "性别", "称呼"),
    "notes": ("备注", "说明"),
}

# Headers that contain an alias but mean something else (身份证号 is not a 身份).
NOT_HEADERS = ("身份证", "证件", "面积", "房屋类型", "房屋性质", "房屋状态", "户型", "紧急",
               "日期", "时间", "序号")

ROLE_WORDS: dict[str, tuple[str, ...]] = {
    "owner": ("业主", "业主本人", "本人", "户主", "产权人", "房主", "owner"),
    "tenant": ("租户", "租客", "承租人", "租住", "tenant"),
    "family": ("家属", "亲属", "配偶", "子女", "父母", "父亲", "母亲", "儿子", "女儿", "妻子",
               "丈夫", "家人", "爱人", "老公", "老婆", "儿媳", "女婿", "孙子", "孙女", "之子",
               "之女", "之妻", "之夫", "family"),
    "merchant": ("商户", "商家", "商铺", "店主", "merchant"),
    "other": ("其他", "其它", "other"),
}
# When one person's rows disagree, the strongest tie to the property wins.
TYPE_RANK = {"owner": 0, "merchant": 1, "tenant": 2, "family": 3, "other": 4}

TITLE_WORDS = {"先生": "先生", "男": "先生", "男士": "先生", "m": "先生", "mr": "先生",
               "女士": "女士", "女": "女士", "小姐": "女士", "f": "女士", "ms": "女士"}

FOOTER_PREFIXES = ("合计", "总计", "小计", "共计", "制表人", "填表人", "审核人")

# What people write into a phone cell to say "none".
NO_PHONE = {"无", "暂无", "没有", "空", "-", "--", "/", "—", "——", "0", "不详", "未知", "n/a"}

_PARENTHESES = re.compile(r"\([^)]*\)|\[[^\]]*\]|【[^】]*】")
_SPACES = re.compile(r"\s+")
_CJK = r"\u3400-\u9fff"
_SPACE_NEAR_CJK = re.compile(rf"(?<=[{_CJK}])\s+|\s+(?=[{_CJK}])")


class RosterError(CallDeskError):
    """The workbook cannot be read at all (not an .xlsx, missing sheet, wrong mapping)."""


@dataclass(frozen=True)
class RosterPreview:
    sheet_names: list[str]
    sheet: str
    header_row: int                 # 1-based Excel row of the header
    headers: list[str]              # header cell texts, column order
    mapping: dict[str, int]         # field -> 0-based column index, as guessed
    sample: list[list[str]]         # up to 20 data rows after the header, as display text


@dataclass(frozen=True)
class RosterPerson:
    name: str
    title: str                                   # "先生", "女士" or ""
    customer_type: str                           # one of ROLES
    phones: tuple[Phone, ...]
    units: tuple[tuple[UnitAddress, str], ...]   # (unit, role), role one of ROLES
    notes: str
    rows: tuple[int, ...]                        # Excel rows merged into this person


@dataclass(frozen=True)
class RowError:
    row: int
    message: str
    values: tuple[str, ...]   # the row's cells as text, for the rejected-rows workbook
    # False for a note on a row that was imported anyway (one of its numbers was bad).
    rejected: bool = True
    # A warning on a row imported as it is (a mobile number in a range not known yet).
    warning: bool = False


@dataclass(frozen=True)
class RosterResult:
    people: list[RosterPerson]
    errors: list[RowError]
    skipped_rows: int
    headers: list[str]

    @property
    def rejected(self) -> list[RowError]:
        """The rows that were not imported (``errors`` also holds notes on imported rows)."""
        return [error for error in self.errors if error.rejected]


# -- reading cells ----------------------------------------------------------------------------

def cell_text(value: Any) -> str:
    """A cell as the text a person sees: 13800138000.0 → "13800138000", dates as 2024-01-05."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        # Excel stores every number as a float; phone numbers and room numbers are integers.
        if value.is_integer() and abs(value) < 1e16:
            return str(int(value))
        return repr(value)
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d" if value.time() == time() else "%Y-%m-%d %H:%M")
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value).strip()


def _norm(text: str) -> str:
    """For comparing: full-width → half-width, no spaces, lower case."""
    return _SPACES.sub("", unicodedata.normalize("NFKC", text)).lower()


def _clean(text: str) -> str:
    """For parsing values: full-width digits and punctuation → ASCII, trimmed."""
    return unicodedata.normalize("NFKC", text).strip()


def _unreadable(path: Path) -> RosterError:
    # .xls (Excel 97-2003), .csv, password-protected or damaged workbooks all end here.
    return RosterError(translate(
        "Roster", "{name} is not an Excel workbook CallDesk can read. Open it in Excel, "
        "save it as .xlsx (Excel Workbook) and try again.").format(name=path.name))


def _too_long_cell(path: Path) -> RosterError:
    return RosterError(translate(
        "Roster", "A cell in {name} holds more than {n} characters, more than Excel itself "
        "allows in a cell. This is not a roster CallDesk can import; check that it is the "
        "file you meant.").format(name=path.name, n=f"{MAX_CELL:,}"))


def _check_archive(path: Path) -> None:
    """Refuses a workbook too big to read safely before anything is parsed: an .xlsx is a
    zip, and a few hundred KB of it can unpack to gigabytes (a zip bomb). The sizes come
    from the zip's directory, nothing is unpacked for them; zipfile never unpacks more
    than a member declares. Then the worksheets and the shared strings are scanned, as
    bytes, for a text run longer than any cell may be: the XML parser would hold it whole."""
    with zipfile.ZipFile(path) as archive:
        members = archive.infolist()
        declared = sum(member.file_size for member in members)
        if declared > MAX_UNPACKED_BYTES:
            raise RosterError(translate(
                "Roster", "{name} would unpack to {size} MB, more than the {limit} MB a "
                "roster may take. Check that this is the roster you meant; a very large "
                "roster can be split into several files.").format(
                name=path.name, size=f"{declared / 2**20:,.0f}",
                limit=f"{MAX_UNPACKED_BYTES // 2**20:,}"))
        for member in members:
            name = member.filename
            cells = name.startswith("xl/worksheets/") or name == "xl/sharedStrings.xml"
            if cells and name.endswith(".xml") \
                    and _longest_text_run(archive, member) > MAX_TEXT_BYTES:
                raise _too_long_cell(path)


def _longest_text_run(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> int:
    """The longest run of bytes between two ``<`` of the member, stopping past the limit."""
    longest = run = 0
    with archive.open(member) as source:
        while chunk := source.read(SCAN_CHUNK):
            pieces = chunk.split(b"<")
            if len(pieces) == 1:
                run += len(chunk)
            else:
                longest = max(longest, run + len(pieces[0]),
                              max(map(len, pieces[1:-1]), default=0))
                run = len(pieces[-1])
            if max(longest, run) > MAX_TEXT_BYTES:
                break
    return max(longest, run)


def _open(path: str | Path):
    path = Path(path)
    try:
        _check_archive(path)
        workbook = load_workbook(path, read_only=True, data_only=True)
    except RosterError:
        raise
    except FileNotFoundError:
        raise RosterError(translate("Roster", "The file {name} was not found. Choose it again.")
                          .format(name=path.name)) from None
    except PermissionError:
        raise RosterError(translate(
            "Roster", "The file {name} cannot be opened. Close it in Excel and try again.")
            .format(name=path.name)) from None
    except Exception:
        # Not a zip, not a workbook, or XML openpyxl cannot follow (broken tags, a
        # reference to a part that is not there, a style that is no style).
        raise _unreadable(path) from None
    return workbook


def _worksheet(workbook, sheet: str, path: Path):
    if sheet not in workbook.sheetnames:
        raise RosterError(translate("Roster", "The workbook has no sheet called {sheet}.")
                          .format(sheet=sheet))
    try:
        return workbook[sheet]
    except Exception:
        raise _unreadable(path) from None


def _vertical_merges(ws) -> list[tuple[int, int, int, int]]:
    """(min_col, min_row, max_col, max_row) of merged ranges spanning several rows.

    Read-only worksheets do not report merged cells, so they are read from the sheet's XML
    (they sit after the data). Failing here only loses the fill-down, never the import.
    """
    ranges = []
    try:
        with ws._get_source() as source:
            for _, element in ET.iterparse(source):
                if element.tag.endswith("}mergeCell") or element.tag == "mergeCell":
                    min_col, min_row, max_col, max_row = range_boundaries(element.get("ref"))
                    if max_row > min_row:
                        ranges.append((min_col, min_row, max_col, max_row))
                element.clear()
    except Exception:  # a private API or odd XML must not block the import
        return []
    return ranges


def _rows(ws, path: Path, max_row: int | None = None) -> Iterator[tuple[int, list[str], set[int]]]:
    """(Excel row number, cell texts, 0-based columns filled from a merged cell above)."""
    merges = _vertical_merges(ws)
    starts: dict[int, list[tuple[int, int, int, int]]] = {}
    for merge in merges:
        starts.setdefault(merge[1], []).append(merge)
    active: list[tuple[int, int, int, str]] = []   # (min_col, max_col, max_row, text)
    # Some writers record a wrong sheet size, which would cut rows short.
    ws.reset_dimensions()
    source = ws.iter_rows(values_only=True)
    filled_rows = 0
    number = 0
    while max_row is None or number < max_row:
        try:
            values = next(source)
        except StopIteration:
            break
        except Exception:   # the sheet's XML breaks off or says what cannot be
            raise _unreadable(path) from None
        number += 1
        texts = [cell_text(value) for value in values]
        if any(len(text) > MAX_CELL for text in texts):
            raise _too_long_cell(path)
        if any(texts):
            filled_rows += 1
            if filled_rows > MAX_ROWS:
                raise RosterError(translate(
                    "Roster", "The sheet {sheet} has more than {n} filled rows. CallDesk "
                    "imports at most {n} rows at a time: split the roster into several files "
                    "and import them one after another.").format(sheet=ws.title,
                                                                 n=f"{MAX_ROWS:,}"))
        for min_col, _, max_col, last in starts.get(number, ()):
            top_left = texts[min_col - 1] if len(texts) >= min_col else ""
            active.append((min_col, max_col, last, top_left))
        active = [fill for fill in active if fill[2] >= number]
        filled: set[int] = set()
        for min_col, max_col, _, text in active:
            if len(texts) < max_col:
                texts += [""] * (max_col - len(texts))
            for column in range(min_col - 1, max_col):
                if not texts[column] and text:
                    texts[column] = text
                    filled.add(column)
        while texts and not texts[-1]:
            texts.pop()
        yield number, texts, filled


# -- guessing the header ----------------------------------------------------------------------

def _match_header(text: str) -> tuple[str, int] | None:
    """(field, strength) a header cell names, strength 3 exact, 2 ends with, 1 contains."""
    full = _norm(text)
    if not full or len(full) > 20 or any(word in full for word in NOT_HEADERS):
        return None
    # "联系电话(手机)" is a 联系电话; the parentheses only explain.
    head = _PARENTHESES.sub("", full) or full
    best: tuple[int, int, str] | None = None
    for field, aliases in ALIASES.items():
        for alias in aliases:
            if head == alias:
                strength = 3
            elif head.endswith(alias):
                strength = 2
            elif alias in head:
                strength = 1
            else:
                continue
            # "3栋" and "2单元" are data, not headers: a header has no digits beside its word.
            if re.search(r"\d", head.replace(alias, "", 1)):
                continue
            if best is None or (strength, len(alias)) > best[:2]:
                best = (strength, len(alias), field)
    return (best[2], best[0]) if best else None


def _header_fields(texts: list[str], exact_only: bool = False) -> set[str]:
    fields = set()
    for text in texts:
        match = _match_header(text)
        if match and (match[1] == 3 or not exact_only):
            fields.add(match[0])
    return fields


def _is_header(texts: list[str]) -> bool:
    # Distinct fields, not cells: a title merged over several rows fills many cells but
    # is still one thing.
    return len(_header_fields(texts)) >= 2


def _is_sub_header(texts: list[str]) -> bool:
    """The second line of a two-line header (房屋信息 over 楼栋 / 单元 / 房号)."""
    if any(sum(ch.isdigit() for ch in text) >= 5 for text in texts):
        return False   # a phone number: this is a data row
    return len(_header_fields(texts, exact_only=True)) >= 2


def _combine(upper: list[str], lower: list[str]) -> list[str]:
    width = max(len(upper), len(lower))
    upper, lower = upper + [""] * (width - len(upper)), lower + [""] * (width - len(lower))
    return [low or up for up, low in zip(upper, lower, strict=True)]


def guess_mapping(headers: list[str]) -> dict[str, int]:
    """field -> 0-based column for the header texts; unknown columns are left out."""
    candidates = []
    for column, text in enumerate(headers):
        match = _match_header(text)
        if match:
            candidates.append((-match[1], column, match[0]))
    mapping: dict[str, int] = {}
    # Strongest match first; for equal strength the leftmost column is the main one.
    for _, column, field in sorted(candidates):
        if field not in mapping:
            mapping[field] = column
        elif field == "phone" and "phone2" not in mapping:
            mapping["phone2"] = column
    # One 身份 column usually says both the person's type and their role at the unit.
    if "role" in mapping and "customer_type" not in mapping:
        mapping["customer_type"] = mapping["role"]
    elif "customer_type" in mapping and "role" not in mapping:
        mapping["role"] = mapping["customer_type"]
    return mapping


def _find_header(rows: list[tuple[int, list[str], set[int]]]) -> tuple[int, list[str]] | None:
    """(index into rows, header texts) of the header, or None."""
    for index, (_, texts, _) in enumerate(rows[:HEADER_SCAN_ROWS]):
        if _is_header(texts):
            following = rows[index + 1][1] if index + 1 < len(rows) else []
            if following and _is_sub_header(following):
                return index + 1, _combine(texts, following)
            return index, texts
    return None


def preview_roster(path: str | Path, sheet: str | None = None) -> RosterPreview:
    """The header, a guessed column mapping and a sample, for the import dialog.

    Without ``sheet``, the first sheet whose header can be found (the first sheet when none).
    When no header is found the first non-blank row is taken and the mapping is empty.
    """
    path = Path(path)
    workbook = _open(path)
    try:
        names = list(workbook.sheetnames)
        if not names:
            raise _unreadable(path)
        candidates = [sheet] if sheet is not None else names
        chosen = None
        for name in candidates:
            ws = _worksheet(workbook, name, path)
            rows = list(_rows(ws, path, max_row=HEADER_SCAN_ROWS + 1 + SAMPLE_ROWS * 3))
            found = _find_header(rows)
            if found or chosen is None:
                chosen = (name, rows, found)
            if found:
                break
        assert chosen is not None
        name, rows, found = chosen
        if found:
            index, headers = found
        else:
            index = next((i for i, (_, texts, _) in enumerate(rows) if any(texts)), 0)
            headers = rows[index][1] if rows else []
        header_row = rows[index][0] if rows else 1
        sample = [texts for _, texts, _ in rows[index + 1:] if any(texts)][:SAMPLE_ROWS]
        width = max([len(headers), *(len(texts) for texts in sample)])
        headers = headers + [""] * (width - len(headers))
        sample = [texts + [""] * (width - len(texts)) for texts in sample]
        return RosterPreview(sheet_names=names, sheet=name, header_row=header_row,
                             headers=headers, mapping=guess_mapping(headers) if found else {},
                             sample=sample)
    finally:
        workbook.close()


# -- reading rows -----------------------------------------------------------------------------

def _role(text: str) -> str:
    word = _PARENTHESES.sub("", _norm(text)) or _norm(text)
    if not word:
        return "owner"
    for role, words in ROLE_WORDS.items():
        if word in words:
            return role
    # "业主配偶" is the owner's spouse: as with headers, the word written last decides.
    best: tuple[int, int, str] | None = None
    for role, words in ROLE_WORDS.items():
        for w in words:
            if len(w) > 1 and w in word:
                found = (word.rfind(w) + len(w), len(w), role)
                if best is None or found[:2] > best[:2]:
                    best = found
    return best[2] if best else "other"


def _title(text: str, name: str) -> str:
    title = TITLE_WORDS.get(_norm(text), "")
    if not title and name.endswith(("先生", "女士", "小姐")):
        # Rosters often hold just "王先生"; keep the name as written, learn the title.
        title = "女士" if name.endswith(("女士", "小姐")) else "先生"
    return title


def _name(text: str) -> str:
    # "张  三" is padded to line up with three-character names; "John Smith" keeps its space.
    return _SPACE_NEAR_CJK.sub("", _SPACES.sub(" ", _clean(text)))


@dataclass
class _Row:
    number: int
    name: str
    title: str
    customer_type: str
    phones: list[Phone]
    unit: tuple[UnitAddress, str] | None
    notes: str


def _unit(get: Callable[[str], str], estate: str) -> tuple[UnitAddress | None, str | None]:
    """(unit or None, the problem that rejects the row or None). No unit at all is fine:
    a customer card may have phones only."""
    building, unit, room = get("building"), get("unit"), get("room")
    address = get("address")
    if building or unit or room:
        try:
            return from_columns(building, unit, room, estate=estate), None
        except UnitError as error:
            columns_error = error
        if not (building or unit):
            # A 房号 column that holds the whole "3-2-1502".
            try:
                return parse_unit(room, default_estate=estate), None
            except UnitError:
                pass
        if not address:
            if not room:
                return None, translate("Roster", "The room number is missing; fill in the "
                                       "room column.")
            return None, translate("Roster", "Unit: {reason} Check the building, unit and "
                                   "room columns.").format(reason=_sentence(str(columns_error)))
    if address:
        try:
            return parse_unit(address, default_estate=estate), None
        except UnitError as error:
            return None, translate("Roster", "Unit: {reason}").format(
                reason=_sentence(str(error)))
    return None, None


def read_roster(path: str | Path, sheet: str, header_row: int, mapping: dict[str, int],
                default_estate: str = "", default_area_code: str | None = None,
                progress: Callable[[int, int], object] | None = None) -> RosterResult:
    """Every row below ``header_row`` read with ``mapping``, rows of one person merged."""
    unknown = set(mapping) - set(FIELDS)
    if unknown:
        raise ValueError(f"unknown roster fields: {', '.join(sorted(unknown))}")
    if "name" not in mapping:
        raise RosterError(translate("Roster", "Choose the column that holds the names."))
    if "phone" not in mapping and "phone2" not in mapping:
        raise RosterError(translate("Roster", "Choose the column that holds the phone numbers."))
    path = Path(path)
    workbook = _open(path)
    try:
        ws = _worksheet(workbook, sheet, path)
        try:
            total = ws.max_row or 0   # the sheet's recorded size; only for the progress bar
        except Exception:
            raise _unreadable(path) from None
        rows = _rows(ws, path)
        return _read_rows(rows, header_row, mapping, default_estate, default_area_code,
                          progress, total)
    finally:
        workbook.close()


def _read_rows(rows: Iterable[tuple[int, list[str], set[int]]], header_row: int, mapping: dict[str, int],
               default_estate: str, default_area_code: str | None,
               progress: Callable[[int, int], object] | None, total: int) -> RosterResult:
    headers: list[str] = []
    above: list[str] = []
    parsed: list[_Row] = []
    errors: list[RowError] = []
    skipped = 0
    mapped_columns = set(mapping.values())
    notes_column = mapping.get("notes")
    header_keys: list[str] = []
    done = 0
    for number, texts, filled in rows:
        done = number
        if progress is not None and number % PROGRESS_EVERY == 0:
            progress(number, max(total, number))
        if number < header_row:
            above = texts
            continue
        if number == header_row:
            # The line above completes a two-line header (房屋信息 over 楼栋/单元/房号).
            headers = _combine(above, texts) if _is_header(above) else list(texts)
            header_keys = [_norm(text) for text in headers]
            continue

        def get(field: str, texts: list[str] = texts) -> str:
            column = mapping.get(field)
            if column is None or column >= len(texts):
                return ""
            return _clean(texts[column])

        # Blank: nothing typed in a mapped column (a template row with only its 序号, or a
        # row that only shows a 楼栋 merged over it).
        if not any(texts[c] for c in mapped_columns - filled if c < len(texts)):
            skipped += 1
            continue
        if any(_norm(text).startswith(FOOTER_PREFIXES)
               for column, text in enumerate(texts) if column != notes_column):
            skipped += 1
            continue
        repeats = sum(1 for column, text in enumerate(texts)
                      if text and column < len(header_keys) and _norm(text) == header_keys[column])
        if repeats >= 2:
            skipped += 1   # the header repeated on every printed page
            continue
        values = tuple(texts + [""] * (len(headers) - len(texts)))
        row, problems, notes = _read_row(number, get, default_estate, default_area_code)
        if problems:
            message = translate("Roster", "Row {row}: {problems}").format(
                row=number, problems=" ".join(problems))
            errors.append(RowError(number, message, values))
            continue
        assert row is not None
        parsed.append(row)
        for note in notes:
            message = translate("Roster", "Row {row}: {problems}").format(row=number,
                                                                          problems=note)
            errors.append(RowError(number, message, values, rejected=False))
        for phone in row.phones:
            if not phone.known_range:
                errors.append(RowError(number, translate(
                    "Roster", "Row {row}: the mobile number {number} is in a range CallDesk "
                    "does not know yet (new ranges open every few years); it was kept as "
                    "typed. Check it with the customer when they call.").format(
                    row=number, number=phone.display), values, rejected=False, warning=True))
    if progress is not None:
        progress(done, max(total, done))
    return RosterResult(people=_merge(parsed), errors=errors, skipped_rows=skipped,
                        headers=headers)


def _read_row(number: int, get: Callable[[str], str], default_estate: str,
              default_area_code: str | None) -> tuple[_Row | None, list[str], list[str]]:
    """(row, problems that reject it, notes on an accepted row)."""
    problems: list[str] = []
    name = _name(get("name"))
    if not name:
        problems.append(translate("Roster", "No name; fill in the name column."))
    elif re.fullmatch(r"[\d\s+\-()./]+", name):
        # A phone or room number in the name column: the columns are matched wrong.
        problems.append(translate(
            "Roster", "The name {name} looks like a number; check which column holds the "
            "names.").format(name=_shown(name)))
    elif len(name) > MAX_NAME:
        problems.append(translate("Roster", "The name {name} is longer than {n} characters.")
                        .format(name=_shown(name), n=MAX_NAME))

    phones: list[Phone] = []
    bad: list[tuple[str, str]] = []
    for field in ("phone", "phone2"):
        text = get(field)
        if not text or _norm(text) in NO_PHONE:
            continue
        try:
            good, wrong = parse_phones(text, default_area_code)
        except PhoneError as error:   # parse_phones reports pieces, but be safe
            good, wrong = [], [(text, str(error))]
        phones += good
        bad += wrong
    if not phones:
        if bad:
            problems += [translate("Roster", "Phone number {piece}: {reason}").format(
                piece=_shown(piece), reason=_sentence(reason)) for piece, reason in bad]
        else:
            problems.append(translate("Roster", "No phone number; fill in the phone column."))

    unit, unit_problem = _unit(get, get("estate") or default_estate)
    if unit_problem:
        problems.append(unit_problem)
    elif unit is not None and not fits(unit):
        # What the card form refuses, the import refuses too (on PostgreSQL the database
        # would, and the whole import with it).
        problems.append(translate(
            "Roster", "Unit {unit}: too long; an estate has at most {estate} characters, a "
            "building {building}, a unit {unit_part} and a room {room}.").format(
            unit=_shown(unit.label(), 40), estate=MAX_ESTATE, building=MAX_BUILDING,
            unit_part=MAX_UNIT, room=MAX_ROOM))
    row_notes = get("notes")
    if len(row_notes) > NOTE_MAX:
        problems.append(translate(
            "Roster", "The notes have {count} characters; a card's notes can have at most "
            "{n}. Shorten them.").format(count=f"{len(row_notes):,}", n=f"{NOTE_MAX:,}"))
    if problems:
        return None, problems, []

    notes = [translate("Roster", "Phone number {piece} was left out: {reason} The rest of the "
                       "row was imported.").format(piece=_shown(piece), reason=_sentence(reason))
             for piece, reason in bad]
    role = _role(get("role"))
    customer_type = _role(get("customer_type") or get("role"))
    row = _Row(number=number, name=name, title=_title(get("title"), name),
               customer_type=customer_type, phones=phones,
               unit=(unit, role) if unit else None, notes=row_notes)
    return row, [], notes


def _shown(text: str, most: int = 24) -> str:
    """A cell's text quoted in a message: a long one is cut, so a junk cell is not echoed
    whole into the JSON and the dialog."""
    return text if len(text) <= most else text[:most] + "…"


def _sentence(reason: str) -> str:
    """A reason from the domain as a sentence of its own (they end with a full stop)."""
    reason = reason.strip()
    return reason if reason.endswith((".", "。", "!", "?")) else reason + "."


def _merge(rows: list[_Row]) -> list[RosterPerson]:
    """Rows with the same name that share a phone number are one person."""
    by_name: dict[str, list[_Row]] = {}
    for row in rows:
        by_name.setdefault(_norm(row.name), []).append(row)
    people = [_person(component) for group in by_name.values()
              for component in _linked_by_phone(group)]
    people.sort(key=lambda person: person.rows[0])
    return people


def _linked_by_phone(group: list[_Row]) -> list[list[_Row]]:
    """The rows split into sets joined by shared normalised numbers (union-find), so
    A–B sharing one number and B–C another make one person."""
    parent = list(range(len(group)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first_with: dict[str, int] = {}
    for index, row in enumerate(group):
        for phone in row.phones:
            if phone.normalized in first_with:
                parent[find(index)] = find(first_with[phone.normalized])
            else:
                first_with[phone.normalized] = index
    components: dict[int, list[_Row]] = {}
    for index, row in enumerate(group):
        components.setdefault(find(index), []).append(row)
    return list(components.values())


def _person(rows: list[_Row]) -> RosterPerson:
    phones: dict[str, Phone] = {}
    units: dict[str, tuple[UnitAddress, str]] = {}
    notes: list[str] = []
    for row in rows:
        for phone in row.phones:
            phones.setdefault(phone.normalized, phone)
        if row.unit:
            units.setdefault(row.unit[0].key(), row.unit)
        if row.notes and row.notes not in notes:
            notes.append(row.notes)
    return RosterPerson(
        name=rows[0].name,
        title=next((row.title for row in rows if row.title), ""),
        customer_type=min((row.customer_type for row in rows), key=TYPE_RANK.__getitem__),
        phones=tuple(phones.values()),
        units=tuple(units.values()),
        notes="；".join(notes),
        rows=tuple(sorted(row.number for row in rows)),
    )


# -- the rejected rows ------------------------------------------------------------------------

def save_rejected(result: RosterResult, out_path: str | Path) -> None:
    """The rejected rows as an .xlsx to fix and import again: Excel row, the roster's own
    columns, then the reason. Notes on imported rows are left out. Streamed (write-only),
    so memory stays flat however many rows were rejected; every text goes through the
    exports' one cell writer, so a cell typed as a formula comes back as that text."""
    from app.exporters.cells import discard, save_replacing, text_cell

    workbook = Workbook(write_only=True)
    ws = workbook.create_sheet(translate("Roster", "Rejected rows")[:31])
    rejected = result.rejected
    width = max([len(result.headers), *(len(error.values) for error in rejected)])
    headers = list(result.headers) + [""] * (width - len(result.headers))
    ws.freeze_panes = "B2"
    ws.column_dimensions["A"].width = 10
    for column in range(2, width + 2):
        ws.column_dimensions[get_column_letter(column)].width = 16
    ws.column_dimensions[get_column_letter(width + 2)].width = 60

    def as_text(value: str) -> Cell:
        # Text format, so numbers stay as typed (no 1.38E+10) when the file is edited.
        cell = text_cell(ws, value)
        cell.number_format = "@"
        return cell

    ws.append([text_cell(ws, translate("Roster", "Excel row")),
               *(text_cell(ws, header) for header in headers),
               text_cell(ws, translate("Roster", "Reason"))])
    saved = False
    try:
        for error in rejected:
            values = list(error.values) + [""] * (width - len(error.values))
            ws.append([error.row, *(as_text(value) for value in values),
                       text_cell(ws, error.message)])
        save_replacing(workbook, Path(out_path))
        saved = True
    finally:
        if not saved:
            discard(workbook)


__all__ = ["FIELDS", "RosterError", "RosterPerson", "RosterPreview", "RosterResult", "RowError",
           "guess_mapping", "preview_roster", "read_roster", "save_rejected"]
