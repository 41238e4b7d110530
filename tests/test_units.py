"""Units (房屋) however property staff write them: one canonical address each."""

from __future__ import annotations

import pytest

from app import i18n
from app.domain.units import (
    UnitAddress,
    UnitError,
    UnitPrefix,
    from_columns,
    meant_units,
    parse_unit,
    unit_prefix,
    unit_search_key,
)

B3_U2_1502 = UnitAddress("", "3", "2", "1502")
B3_1502 = UnitAddress("", "3", "", "1502")
SUNSHINE = UnitAddress("阳光花园", "3", "2", "1502")


@pytest.fixture(autouse=True)
def english_messages() -> None:
    """The reasons are asserted in their English source form."""
    i18n.set_language("en")


@pytest.mark.parametrize(
    "text",
    [
        "3-2-1502",
        "3 - 2 - 1502",
        "3—2—1502",  # em dash
        "3–2–1502",  # en dash
        "3－2－1502",  # full-width hyphen
        "3/2/1502",
        "3／2／1502",
        "3栋2单元1502",
        "3栋2单元1502室",
        "3栋2单元1502号",
        "3号楼2单元1502",
        "3幢2单元1502号",
        "3座2单元1502",
        "3#2单元1502",
        "3#楼2单元1502室",
        "3 栋 2 单元 1502",
        "3栋-2单元-1502",
        "3-2单元-1502",
        "3栋2-1502",
        "３栋２单元１５０２",
        "　３－２－１５０２　",
        "3栋二单元1502",
        "三栋二单元1502",
        "三号楼两单元1502",
        "03栋02单元1502",
        "03-2-1502",
    ],
)
def test_building_unit_room(text: str) -> None:
    assert parse_unit(text) == B3_U2_1502


@pytest.mark.parametrize(
    "text", ["3栋1502", "3栋1502室", "3号楼1502", "3-1502", "3/1502", "3#1502"]
)
def test_building_without_units(text: str) -> None:
    assert parse_unit(text) == B3_1502


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("A座1502", UnitAddress("", "A", "", "1502")),
        ("a座1502", UnitAddress("", "A", "", "1502")),
        ("A座2单元B201", UnitAddress("", "A", "2", "B201")),
        ("A座b201", UnitAddress("", "A", "", "B201")),
        ("B1-201", UnitAddress("", "B1", "", "201")),
        ("b1-201", UnitAddress("", "B1", "", "201")),
        ("B01-201", UnitAddress("", "B1", "", "201")),
        ("X3-2-1502", UnitAddress("", "X3", "2", "1502")),
        ("12-3-0801", UnitAddress("", "12", "3", "0801")),
        ("12栋3单元0801室", UnitAddress("", "12", "3", "0801")),
        ("十二栋1502", UnitAddress("", "12", "", "1502")),
        ("二十一栋十单元301", UnitAddress("", "21", "10", "301")),
        ("3栋2单元1502a", UnitAddress("", "3", "2", "1502A")),
        ("5栋A单元101", UnitAddress("", "5", "A", "101")),
        ("阳光花园3栋2单元1502", SUNSHINE),
        ("阳光花园 3栋2单元1502", SUNSHINE),
        ("阳光花园3-2-1502", SUNSHINE),
        ("阳光花园 3-2-1502", SUNSHINE),
        ("阳光花园　３－２－１５０２", SUNSHINE),
        ("阳光花园3号楼2单元1502室", SUNSHINE),
        ("阳光花园二期3栋2单元1502", UnitAddress("阳光花园二期", "3", "2", "1502")),
        ("万科城2期 3-2-1502", UnitAddress("万科城2期", "3", "2", "1502")),
        ("Sunshine Garden 3-2-1502", UnitAddress("Sunshine Garden", "3", "2", "1502")),
    ],
)
def test_other_forms(text: str, expected: UnitAddress) -> None:
    assert parse_unit(text) == expected


def test_default_estate_fills_a_missing_estate_only() -> None:
    assert parse_unit("3-2-1502", default_estate="阳光花园") == SUNSHINE
    assert parse_unit("翠湖苑 3-2-1502", default_estate="阳光花园").estate == "翠湖苑"


@pytest.mark.parametrize(
    ("unit", "label", "key"),
    [
        (B3_U2_1502, "3栋2单元1502", "|3|2|1502"),
        (B3_1502, "3栋1502", "|3||1502"),
        (SUNSHINE, "阳光花园 3栋2单元1502", "阳光花园|3|2|1502"),
        (UnitAddress("阳光花园", "A", "", "B201"), "阳光花园 A栋B201", "阳光花园|A||B201"),
    ],
)
def test_label_and_key(unit: UnitAddress, label: str, key: str) -> None:
    assert unit.label() == label
    assert unit.key() == key


def test_every_spelling_gives_the_same_key() -> None:
    spellings = ["阳光花园 3-2-1502", "阳光花园3栋2单元1502室", "阳光花园 03幢二单元1502号"]
    assert {parse_unit(text).key() for text in spellings} == {"阳光花园|3|2|1502"}


def test_room_digits_are_kept_as_written() -> None:
    assert parse_unit("3-2-0801").room == "0801"
    assert parse_unit("3-2-0801") != parse_unit("3-2-801")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "The unit is empty."),
        ("   ", "The unit is empty."),
        ("abc", "'abc' is not a unit; write it like 3栋2单元1502 or 3-2-1502."),
        ("阳光花园", "'阳光花园' is not a unit; write it like 3栋2单元1502 or 3-2-1502."),
        ("1502", "'1502' has no building; write it like 3栋2单元1502 or 3-2-1502."),
        ("1502室", "'1502室' has no building; write it like 3栋2单元1502 or 3-2-1502."),
        ("3栋2单元", "'3栋2单元' has no room number; write it like 3栋2单元1502 or 3-2-1502."),
        ("3栋", "'3栋' has no room number; write it like 3栋2单元1502 or 3-2-1502."),
    ],
)
def test_rejected_with_a_reason(text: str, reason: str) -> None:
    with pytest.raises(UnitError) as caught:
        parse_unit(text)
    assert str(caught.value) == reason


@pytest.mark.parametrize(
    "text",
    [
        "3楼1502",  # the third floor, not building 3
        "3-2",  # too short to be sure it is a unit
        "12-05",
        "2024-01-05",
        "13800138000",
        "138-0013-8000",
        "010-8888-6666",
        "TS202611-0001",
        "3-2-1502-1",
        "1234栋1502",
        "ABC3-2-1502",  # a letter glued to building BC3 is no estate
        "1 3-2-1502",
        "3栋2单元1502 张三",
        "3栋2单元十五零二",
    ],
)
def test_garbage_is_rejected(text: str) -> None:
    with pytest.raises(UnitError, match="write it like 3栋2单元1502 or 3-2-1502"):
        parse_unit(text)


def test_unit_error_is_a_value_error() -> None:
    assert issubclass(UnitError, ValueError)


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("3-2-1502", ("3", "2", "1502")),
        ("3栋2单元1502", ("3", "2", "1502")),
        ("３－２－１５０２", ("3", "2", "1502")),
        ("3栋1502", ("3", "", "1502")),
        ("a座b201", ("A", "", "B201")),
        ("阳光花园 3-2-1502", ("3", "2", "1502")),
        ("张三", None),
        ("13800138000", None),
        ("138-0013-8000", None),
        ("TS202611-0001", None),
        ("1502", None),
        ("3-2", None),
        ("", None),
    ],
)
def test_unit_search_key(text: str, key: tuple[str, str, str] | None) -> None:
    assert unit_search_key(text) == key


@pytest.mark.parametrize(
    ("columns", "expected"),
    [
        (("3", "2", "1502"), B3_U2_1502),
        (("3栋", "2单元", "1502室"), B3_U2_1502),
        (("3号楼", "2单元", "1502号"), B3_U2_1502),
        (("3幢", "二单元", "1502"), B3_U2_1502),
        ((3, 2, 1502), B3_U2_1502),
        ((3.0, 2.0, 1502.0), B3_U2_1502),
        (("3.0", "2.0", "1502.0"), B3_U2_1502),
        (("03", "02", "1502"), B3_U2_1502),
        (("３栋", "２单元", "１５０２"), B3_U2_1502),
        (("3", "", "1502"), B3_1502),
        (("3", None, "1502"), B3_1502),
        ((3, "", 1502), B3_1502),
        (("A座", "", "b201"), UnitAddress("", "A", "", "B201")),
        (("3", "2", "0801"), UnitAddress("", "3", "2", "0801")),
        ((3, 2, 801.0), UnitAddress("", "3", "2", "801")),  # Excel already lost the 0
    ],
)
def test_from_columns(columns: tuple[object, object, object], expected: UnitAddress) -> None:
    assert from_columns(*columns) == expected


def test_from_columns_with_an_estate() -> None:
    assert from_columns("3栋", "2单元", "1502", estate=" 阳光花园 ") == SUNSHINE
    assert from_columns(3, 2, 1502, "阳光花园").label() == "阳光花园 3栋2单元1502"


@pytest.mark.parametrize(
    ("columns", "reason"),
    [
        (("", "2", "1502"), "The building is missing."),
        ((None, "2", "1502"), "The building is missing."),
        (("3", "2", ""), "The room number is missing."),
        (("3", "2", None), "The room number is missing."),
        (("3", 2.5, "1502"), "2.5 is not a building, unit or room number."),
        (("3楼", "2", "1502"), "'3楼' is not a building number."),
        (("3", "2单元3", "1502"), "'2单元3' is not a unit number."),
        (("3", "2", "十五零二"), "'十五零二' is not a room number."),
        (("3", "2", "1502-1"), "'1502-1' is not a room number."),
    ],
)
def test_from_columns_rejects(columns: tuple[object, object, object], reason: str) -> None:
    with pytest.raises(UnitError) as caught:
        from_columns(*columns)
    assert str(caught.value) == reason


def test_a_unit_without_an_estate_means_the_estates_unit() -> None:
    fenglin, sunny, bare = (parse_unit("枫林新城 9-1-1404"), parse_unit("阳光花园 9-1-1404"),
                            parse_unit("9-1-1404"))
    assert meant_units(bare, [fenglin]) == [fenglin]
    assert meant_units(bare, [bare, fenglin]) == [fenglin]  # an old estate-less copy aside
    assert meant_units(bare, [sunny, fenglin]) == [fenglin, sunny]  # which one: ask
    assert meant_units(bare, [bare]) == [bare]
    assert meant_units(fenglin, [sunny, bare]) == []  # an estate said is that estate's
    assert meant_units(bare, [parse_unit("枫林新城 9-1-1405")]) == []


@pytest.mark.parametrize(("text", "expected"), [
    ("9-1-14", UnitPrefix("", "9", "1", "14")),
    ("9栋1单元", UnitPrefix("", "9", "1", "")),
    ("9-1-", UnitPrefix("", "9", "1", "")),
    ("9-1", UnitPrefix("", "9", None, "1")),  # unit 1, or room 1… without units
    ("枫林 09-1-1404", UnitPrefix("枫林", "9", "1", "1404")),
    ("枫林", UnitPrefix("枫林", "", None, "")),
    ("", None), ("--", None),
])
def test_unit_prefix_while_typing(text: str, expected: UnitPrefix | None) -> None:
    assert unit_prefix(text) == expected
