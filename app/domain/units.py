"""Units (房屋) as property staff write them: "3-2-1502", "3栋2单元1502室", "A座1502".

Every spelling of one unit reduces to one ``UnitAddress`` whose ``key()`` is what customers,
calls and complaints are matched on. Building and unit numbers lose leading zeros
("03栋" is building 3); room numbers keep every digit as written, because "0801" and "801"
are labelled differently on the door in some estates.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from app.i18n import translate


@dataclass(frozen=True)
class UnitAddress:
    estate: str  # 项目/小区, "" when not given
    building: str  # 楼栋: "3", "A", "B1"
    unit: str  # 单元, "" when the building has none
    room: str  # 房号: "1502", "0801", "B201"

    def label(self) -> str:
        """Canonical display: "阳光花园 3栋2单元1502", or "3栋1502" without a unit."""
        text = f"{self.building}栋"
        if self.unit:
            text += f"{self.unit}单元"
        text += self.room
        return f"{self.estate} {text}" if self.estate else text

    def key(self) -> str:
        """Canonical comparison key: "阳光花园|3|2|1502" ("|3|2|1502" without an estate)."""
        return f"{self.estate}|{self.building}|{self.unit}|{self.room}"


# What each part of a unit may hold (the columns of the units table): the card form and the
# roster import both refuse a longer one.
MAX_ESTATE, MAX_BUILDING, MAX_UNIT, MAX_ROOM = 40, 20, 10, 20


def fits(address: UnitAddress) -> bool:
    """Whether every part of ``address`` fits what a unit may hold."""
    return (len(address.estate) <= MAX_ESTATE and len(address.building) <= MAX_BUILDING
            and len(address.unit) <= MAX_UNIT and len(address.room) <= MAX_ROOM)


class UnitError(ValueError):
    """The text is not a unit address; the message says why, in English."""


_DASHES = str.maketrans({c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63~"})
_CN_DIGITS = dict(
    zip("零〇一二两三四五六七八九", (0, 0, 1, 2, 2, 3, 4, 5, 6, 7, 8, 9), strict=True)
)
_CN = "[零〇一二两三四五六七八九十]{1,3}"

_BUILDING = rf"(?:[A-Z]{{1,2}}\d{{1,3}}[A-Z]?|\d{{1,3}}[A-Z]?|[A-Z]{{1,2}}|{_CN})"
_UNIT = rf"(?:\d{{1,2}}|[A-Z]|{_CN})"
_ROOM = r"(?:[A-Z]?\d{1,5}[A-Z]?)"
# Not a bare "楼": "3楼" is the third floor, "3号楼" is building 3.
_BUILDING_WORD = r"(?:号楼|#楼|栋|幢|座|棟|#)"
_UNIT_WORD = r"单元"
_ROOM_WORD = r"(?:室|号|房)"
_SEP = r"\s*[-/]\s*"

# "3栋2单元1502室", "3号楼1502", "A座1502", "3栋2-1502": the words say what is what.
_WORDED = re.compile(
    rf"^(?P<estate>.*?)\s*(?P<building>{_BUILDING})\s*{_BUILDING_WORD}(?:{_SEP}|\s*)"
    rf"(?:(?P<unit>{_UNIT})(?:\s*{_UNIT_WORD}(?:{_SEP}|\s*)|{_SEP}))?"
    rf"(?P<room>{_ROOM})\s*{_ROOM_WORD}?$",
    re.IGNORECASE,
)
# "3-2-1502", "3/2/1502", "3-1502", "B1-201", optionally with the unit word: "3-2单元-1502".
_DASHED = re.compile(
    rf"^(?P<estate>.*?)\s*(?P<building>{_BUILDING}){_SEP}"
    rf"(?:(?P<unit>{_UNIT})(?:\s*{_UNIT_WORD})?{_SEP})?"
    rf"(?P<room>{_ROOM})\s*{_ROOM_WORD}?$",
    re.IGNORECASE,
)
# Without a word to anchor it, "3-2" or "12-05" is more likely a date or half a unit.
_MIN_DASHED_ROOM_DIGITS = 3

_EXCEL_FLOAT = re.compile(r"^(\d+)\.0+$")


def _normalize(text: object) -> str:
    if text is None:
        return ""
    if isinstance(text, float):
        if not text.is_integer():
            raise UnitError(translate("Units", "{text} is not a building, unit or room number.")
                            .format(text=repr(text)))
        text = int(text)
    if not isinstance(text, str):
        text = str(text)
    text = unicodedata.normalize("NFKC", text).translate(_DASHES)
    return re.sub(r"\s+", " ", text).strip()


def _chinese_number(text: str) -> int | None:
    if not text or any(c not in _CN_DIGITS and c != "十" for c in text):
        return None
    if "十" not in text:
        # "一〇" reads digit by digit, as on some building plaques
        return int("".join(str(_CN_DIGITS[c]) for c in text))
    tens, _, ones = text.partition("十")
    if "十" in ones or len(tens) > 1 or len(ones) > 1:
        return None
    return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)


def _number(text: str) -> str:
    """Building or unit: upper case, Chinese numerals as digits, no leading zeros."""
    value = _chinese_number(text)
    if value is not None:
        return str(value)
    # "03" is 3 and "B01" is B1: zeros that start a number only pad it.
    return re.sub(r"(?<!\d)0+(?=\d)", "", text.upper())


def _estate(text: str) -> str:
    return text.strip(" -/,，、:：")


def _build(match: re.Match[str], default_estate: str) -> UnitAddress:
    estate = _estate(match["estate"])
    glued = match.end("estate") == match.start("building")
    # "X3-2-1502", "138-0013-8000": a letter or digit glued to the building is no estate;
    # nor is a name without a letter or one that is a building itself ("1 3-2-1502").
    if estate and (
        (glued and re.search(r"[A-Za-z0-9]$", estate))
        or not re.search(r"[^\W\d_]", estate)
        or re.search(_BUILDING_WORD + "$", estate)
    ):
        raise UnitError(_reason(match.string))
    return UnitAddress(
        estate=estate or _normalize(default_estate),
        building=_number(match["building"]),
        unit=_number(match["unit"]) if match["unit"] else "",
        room=match["room"].upper(),
    )


def parse_unit(text: str, default_estate: str = "") -> UnitAddress:
    """One unit as typed; raises UnitError saying why it is not one."""
    cleaned = _normalize(text)
    if not cleaned:
        raise UnitError(translate("Units", "The unit is empty."))
    match = _WORDED.match(cleaned)
    if match is None:
        match = _DASHED.match(cleaned)
        if match is not None and len(re.sub(r"\D", "", match["room"])) < _MIN_DASHED_ROOM_DIGITS:
            match = None
    if match is None:
        raise UnitError(_reason(cleaned))
    return _build(match, default_estate)


def _reason(text: str) -> str:
    if not re.search(r"\d|" + _CN, text):
        return translate("Units", "{text} is not a unit; write it like 3栋2单元1502 or "
                                  "3-2-1502.").format(text=repr(text))
    if re.search(rf"(?:{_BUILDING_WORD}|{_UNIT_WORD})\s*$", text):
        return translate("Units", "{text} has no room number; write it like 3栋2单元1502 or "
                                  "3-2-1502.").format(text=repr(text))
    if re.fullmatch(_ROOM + r"\s*" + _ROOM_WORD + "?", text, re.IGNORECASE):
        return translate("Units", "{text} has no building; write it like 3栋2单元1502 or "
                                  "3-2-1502.").format(text=repr(text))
    return (
        f"Could not read {text!r} as building, unit and room; "
        "write it like 3栋2单元1502 or 3-2-1502."
    )


def unit_search_key(text: str) -> tuple[str, str, str] | None:
    """(building, unit, room) when a search-box entry reads as a unit, else None."""
    try:
        unit = parse_unit(text)
    except UnitError:
        return None
    return unit.building, unit.unit, unit.room


def _column(value: object, pattern: str, words: str, what: str) -> str:
    text = _normalize(value)
    match = _EXCEL_FLOAT.match(text)
    if match is not None:
        text = match[1]
    text = re.sub(rf"\s*{words}$", "", text)
    if not re.fullmatch(pattern, text, re.IGNORECASE):
        message = {
            "building": translate("Units", "{value} is not a building number."),
            "unit": translate("Units", "{value} is not a unit number."),
            "room": translate("Units", "{value} is not a room number."),
        }[what]
        raise UnitError(message.format(value=repr(_normalize(value))))
    return text


def from_columns(building: object, unit: object, room: object, estate: object = "") -> UnitAddress:
    """A unit from a roster's separate columns ("3栋" / 3 / 3.0, "2单元" / 2, "1502室").

    Spreadsheet numbers have lost any leading zero of a room: 801.0 gives "801".
    """
    if not _normalize(building):
        raise UnitError(translate("Units", "The building is missing."))
    if not _normalize(room):
        raise UnitError(translate("Units", "The room number is missing."))
    building_text = _column(building, _BUILDING, _BUILDING_WORD, "building")
    unit_text = _column(unit, f"(?:{_UNIT})?", _UNIT_WORD, "unit")
    room_text = _column(room, _ROOM, _ROOM_WORD, "room")
    return UnitAddress(
        estate=_estate(_normalize(estate)),
        building=_number(building_text),
        unit=_number(unit_text) if unit_text else "",
        room=room_text.upper(),
    )


def same_place(a: UnitAddress, b: UnitAddress) -> bool:
    """Building, unit and room agree (the estate aside)."""
    return (a.building, a.unit, a.room) == (b.building, b.unit, b.room)


def meant_units(typed: UnitAddress, existing: list[UnitAddress]) -> list[UnitAddress]:
    """Which of the ``existing`` units a typed unit is: none (a new unit), one, or several
    (it cannot be told which; the user must choose).

    Staff type the short way (9-1-1404) for a unit on file as 枫林新城 9栋1单元1404: a unit
    without an estate is the unit with the same building, unit and room in whatever estate
    holds one. Only when no estate has it is it the estate-less unit. With an estate it is
    that estate's unit and no other."""
    if typed.estate:
        return [unit for unit in existing if unit.key() == typed.key()]
    places = [unit for unit in existing if same_place(unit, typed)]
    in_estates = sorted((unit for unit in places if unit.estate), key=lambda u: u.estate)
    return in_estates or [unit for unit in places if unit.key() == typed.key()]


@dataclass(frozen=True)
class UnitPrefix:
    """A unit being typed, as far as it goes: "枫林 9-1-14" → estate 枫林, building 9,
    unit 1, a room starting 14."""
    estate: str  # part of the estate's name, "" for any
    building: str  # "" for any
    unit: str | None  # None: not typed yet (or cannot be told from a room)
    room: str  # how the room number starts, "" for any


_ESTATE_PART = re.compile(r"^(?P<estate>[^0-9A-Za-z]*)(?P<rest>.*)$")
_PIECE_WORDS = re.compile(rf"{_BUILDING_WORD}|{_UNIT_WORD}|{_ROOM_WORD}|[-/\s]+")


def unit_prefix(text: str) -> UnitPrefix | None:
    """What a unit field's text so far says, for completing it; None when it says nothing.
    After the building, a second number with the unit word (or a third one) settles the
    unit; a bare second one may be the unit or the start of a room."""
    cleaned = _normalize(text)
    match = _ESTATE_PART.match(cleaned)
    if not cleaned or match is None:
        return None
    estate = _estate(match["estate"])
    rest = match["rest"]
    pieces = [p for p in _PIECE_WORDS.split(rest) if p]
    if len(pieces) > 3:
        return None
    building = _number(pieces[0]) if pieces else ""
    unit: str | None = None
    room = ""
    if len(pieces) == 3:
        unit, room = _number(pieces[1]), pieces[2].upper()
    elif len(pieces) == 2:
        start = rest.find(pieces[1], len(pieces[0]))
        if re.match(rf"\s*(?:{_UNIT_WORD}|[-/])", rest[start + len(pieces[1]):]):
            unit = _number(pieces[1])  # "9-1-", "9栋1单元": the unit, the room to come
        else:
            room = pieces[1].upper()
    if not (estate or building):
        return None
    return UnitPrefix(estate=estate, building=building, unit=unit, room=room)
