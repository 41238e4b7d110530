"""Phone numbers however staff and rosters spell them: one canonical key each."""

from __future__ import annotations

import pytest

from app import i18n
from app.domain.phones import (
    Phone,
    PhoneError,
    parse_phone,
    parse_phones,
    search_digits,
    split_phones,
)

MOBILE = Phone("+8613800138000", "13800138000", "mobile", None, "138 0013 8000")
MOBILE_2 = Phone("+8613900139000", "13900139000", "mobile", None, "139 0013 9000")
BEIJING = Phone("+861088886666", "01088886666", "landline", None, "010-8888 6666")
BEIJING_EXT = Phone(
    "+861088886666;ext=8001", "01088886666", "landline", "8001", "010-8888 6666 转8001"
)
SHENZHEN = Phone("+8675512345678", "075512345678", "landline", None, "0755-1234 5678")
SHENZHEN_2 = Phone("+8675588886666", "075588886666", "landline", None, "0755-8888 6666")
HOTLINE_400 = Phone("+864008123123", "4008123123", "other", None, "400-812-3123")


@pytest.fixture(autouse=True)
def english_messages() -> None:
    """The reasons are asserted in their English source form."""
    i18n.set_language("en")


@pytest.mark.parametrize(
    "text",
    [
        "13800138000",
        "  13800138000  ",
        "138 0013 8000",
        "138-0013-8000",
        "138.0013.8000",
        "(138)00138000",
        "+8613800138000",
        "+86 138 0013 8000",
        "+86-138-0013-8000",
        "008613800138000",
        "0086 138 0013 8000",
        "86-13800138000",
        "8613800138000",
        "１３８００１３８０００",  # full-width digits
        "１３８－００１３－８０００",  # full-width dash
        "＋８６　１３８　００１３　８０００",  # full-width plus and ideographic spaces
        "138—0013—8000",  # em dash
        "138–0013–8000",  # en dash
        "13800138000.0",  # Excel float written out
        "1.3800138E10",  # Excel scientific notation
        "1.3800138e+10",
        "1.38001380E+10",
        "手机：13800138000",
        "Tel: 13800138000",
    ],
)
def test_mobile_spellings_give_one_number(text: str) -> None:
    assert parse_phone(text) == MOBILE


@pytest.mark.parametrize("value", [13800138000, 13800138000.0])
def test_numbers_straight_from_a_spreadsheet(value: int | float) -> None:
    assert parse_phone(value) == MOBILE  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "text",
    [
        "01088886666",
        "010-88886666",
        "010-8888-6666",
        "010 8888 6666",
        "(010)88886666",
        "(010) 8888 6666",
        "（０１０）８８８８６６６６",
        "０１０－８８８８６６６６",
        "+86 10 8888 6666",
        "+86 (0)10 8888 6666",
        "+86 010 8888 6666",
        "0086 10 88886666",
        "861088886666",
        "1088886666",  # Excel dropped the leading 0
        "1088886666.0",
        "电话:010-88886666",
    ],
)
def test_landline_spellings_give_one_number(text: str) -> None:
    assert parse_phone(text) == BEIJING


@pytest.mark.parametrize(
    "text",
    [
        "010-88886666-8001",
        "010-88886666转8001",
        "010-88886666 转 8001",
        "010-88886666转分机8001",
        "010-88886666分机8001",
        "010-88886666 ext 8001",
        "010-88886666 ext. 8001",
        "010-88886666 EXT8001",
        "010-88886666 x8001",
        "010-88886666X8001",
        "010-88886666#8001",
        "(010)88886666-8001",
        "０１０－８８８８６６６６转８００１",
        "+86 10 8888 6666 ext 8001",
    ],
)
def test_extensions(text: str) -> None:
    assert parse_phone(text) == BEIJING_EXT


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("075512345678", SHENZHEN),
        ("0755-1234 5678", SHENZHEN),
        ("86 755 1234 5678", SHENZHEN),
        ("75512345678", SHENZHEN),
        (
            "0998-1234567",
            Phone("+869981234567", "09981234567", "landline", None, "0998-123 4567"),
        ),
        ("021-12345678", Phone("+862112345678", "02112345678", "landline", None, "021-1234 5678")),
        ("4008123123", HOTLINE_400),
        ("400-812-3123", HOTLINE_400),
        ("400 812 3123", HOTLINE_400),
        ("+86 400 812 3123", HOTLINE_400),
        (
            "400-812-3123 转 2",
            Phone("+864008123123;ext=2", "4008123123", "other", "2", "400-812-3123 转2"),
        ),
        ("800-810-1234", Phone("+868008101234", "8008101234", "other", None, "800-810-1234")),
        ("95588", Phone("+8695588", "95588", "other", None, "95588")),
        ("95 588", Phone("+8695588", "95588", "other", None, "95588")),
        ("17012345678", Phone("+8617012345678", "17012345678", "mobile", None, "170 1234 5678")),
        ("19912345678", Phone("+8619912345678", "19912345678", "mobile", None, "199 1234 5678")),
        ("+852 9123 4567", Phone("+85291234567", "85291234567", "mobile", None, "+852 9123 4567")),
        (
            "001 650 253 0000",
            Phone("+16502530000", "16502530000", "landline", None, "+1 650-253-0000"),
        ),
    ],
)
def test_other_numbers(text: str, expected: Phone) -> None:
    assert parse_phone(text) == expected


@pytest.mark.parametrize(
    ("text", "area", "expected"),
    [
        ("88886666", "010", BEIJING),
        ("8888 6666", "10", BEIJING),
        ("8888-6666", "（０１０）", BEIJING),
        ("88886666转8001", "010", BEIJING_EXT),
        ("88886666-8001", "010", BEIJING_EXT),
        ("88886666", "0755", SHENZHEN_2),
        ("88886666", "755", SHENZHEN_2),
        (
            "8888666",
            "0998",
            Phone("+869988888666", "09988888666", "landline", None, "0998-888 8666"),
        ),
        # A number with its own area code keeps it.
        ("0755-12345678", "010", SHENZHEN),
        ("13800138000", "010", MOBILE),
    ],
)
def test_default_area_code_completes_local_landlines(text: str, area: str, expected: Phone) -> None:
    assert parse_phone(text, default_area_code=area) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "The phone number is empty."),
        ("   ", "The phone number is empty."),
        ("abc", "This is not a phone number."),
        ("无", "This is not a phone number."),
        ("12345", "The number has too few digits."),
        ("110", "The number has too few digits."),
        ("138001380001234", "A mobile number has 11 digits; this one has 15."),
        ("1380013800", "A mobile number has 11 digits; this one has 10."),
        ("138 0013 800", "A mobile number has 11 digits; this one has 10."),
        ("88886666", "A landline number needs its area code, e.g. 010."),
        ("8888-6666转8001", "A landline number needs its area code, e.g. 010."),
        ("07551234", "A landline number with its area code has 11 or 12 digits; this one has 8."),
        (
            "0108888666",
            "A landline number with its area code has 11 or 12 digits; this one has 10.",
        ),
        ("0755-8888-666", "This is not a valid phone number in mainland China."),
        ("13800138000转8001", "A mobile number cannot have an extension."),
        ("13800138000-8001", "A mobile number cannot have an extension."),
        ("010-88886666转1234567", "An extension has at most 6 digits."),
        ("138abc00138000", "The number contains letters or signs that are not part of a number."),
        (
            "13800138000（张先生）",
            "The number contains letters or signs that are not part of a number.",
        ),
        (
            "1.38001E+10",
            "Excel shortened this number to scientific notation and some digits are lost; "
            "type the number in full.",
        ),
        (
            "13800138000/13900139000",
            "This holds more than one phone number; enter them one at a time.",
        ),
        (
            "13800138000 13900139000",
            "This holds more than one phone number; enter them one at a time.",
        ),
        ("+1 650 253", "The number has too few digits."),
    ],
)
def test_rejected_with_a_reason(text: str, reason: str) -> None:
    with pytest.raises(PhoneError) as caught:
        parse_phone(text)
    assert str(caught.value) == reason


def test_phone_error_is_a_value_error() -> None:
    assert issubclass(PhoneError, ValueError)


@pytest.mark.parametrize(
    ("text", "area", "reason"),
    [
        # Local numbers never start with 0 or 1, so these are not completed.
        ("1234567", "010", "This is not a valid phone number in mainland China."),
        (
            "0108888",
            "010",
            "A landline number with its area code has 11 or 12 digits; this one has 7.",
        ),
        # Beijing numbers have eight digits.
        (
            "8888666",
            "010",
            "A landline number with its area code has 11 or 12 digits; this one has 10.",
        ),
    ],
)
def test_rejected_even_with_an_area_code(text: str, area: str, reason: str) -> None:
    with pytest.raises(PhoneError) as caught:
        parse_phone(text, default_area_code=area)
    assert str(caught.value) == reason


def test_a_bad_default_area_code_is_reported() -> None:
    with pytest.raises(PhoneError, match="is not an area code"):
        parse_phone("88886666", default_area_code="abc")


@pytest.mark.parametrize(
    ("text", "pieces"),
    [
        ("13800138000/13900139000", ["13800138000", "13900139000"]),
        ("13800138000／13900139000", ["13800138000", "13900139000"]),
        ("13800138000、13900139000", ["13800138000", "13900139000"]),
        ("13800138000,13900139000", ["13800138000", "13900139000"]),
        ("13800138000，13900139000", ["13800138000", "13900139000"]),
        ("13800138000;13900139000", ["13800138000", "13900139000"]),
        ("13800138000；13900139000", ["13800138000", "13900139000"]),
        ("13800138000或13900139000", ["13800138000", "13900139000"]),
        ("13800138000 或 13900139000", ["13800138000", "13900139000"]),
        ("13800138000\n13900139000", ["13800138000", "13900139000"]),
        ("13800138000 13900139000", ["13800138000", "13900139000"]),
        ("13800138000　13900139000", ["13800138000", "13900139000"]),
        ("13800138000-13900139000", ["13800138000", "13900139000"]),
        ("138 0013 8000", ["138 0013 8000"]),
        ("138 0013 8000 139 0013 9000", ["138 0013 8000", "139 0013 9000"]),
        ("010 8888 6666", ["010 8888 6666"]),
        ("010-8888-6666", ["010-8888-6666"]),
        ("010 8888 6666 13800138000", ["010 8888 6666", "13800138000"]),
        ("010-88886666-8001 13800138000", ["010-88886666-8001", "13800138000"]),
        ("010-88886666 转 8001, 13800138000", ["010-88886666 转 8001", "13800138000"]),
        ("88886666 13800138000", ["88886666", "13800138000"]),
        (
            "８８８８６６６６　１３８００１３８０００",
            ["８８８８６６６６", "１３８００１３８０００"],
        ),
        ("400 812 3123", ["400 812 3123"]),
        # A part that is no number keeps its whole cell together, to be rejected as typed.
        ("13800138000 abc", ["13800138000 abc"]),
        ("13800138000 8001", ["13800138000 8001"]),
        ("13800138000 / / ", ["13800138000"]),
        ("", []),
        ("  ", []),
    ],
)
def test_split_phones(text: str, pieces: list[str]) -> None:
    assert split_phones(text) == pieces


def test_parse_phones_returns_parsed_and_rejected() -> None:
    parsed, rejected = parse_phones("13800138000、010-88886666转8001；12345/无")
    assert parsed == [MOBILE, BEIJING_EXT]
    assert rejected == [
        ("12345", "The number has too few digits."),
        ("无", "This is not a phone number."),
    ]


def test_parse_phones_drops_repeats_of_one_number() -> None:
    parsed, rejected = parse_phones("138 0013 8000 / +8613800138000 / 13900139000")
    assert parsed == [MOBILE, MOBILE_2]
    assert rejected == []


def test_parse_phones_uses_the_default_area_code() -> None:
    assert parse_phones("88886666 13800138000", default_area_code="010") == ([BEIJING, MOBILE], [])
    assert parse_phones("88886666 13800138000") == (
        [MOBILE],
        [("88886666", "A landline number needs its area code, e.g. 010.")],
    )


def test_parse_phones_of_an_empty_cell() -> None:
    assert parse_phones("") == ([], [])


@pytest.mark.parametrize(
    "text",
    [
        "13800138000",
        "138 0013 8000",
        "+86 138-0013-8000",
        "008613800138000",
        "１３８００１３８０００",
        "1.3800138E10",
        "13800138000.0",
    ],
)
def test_same_number_same_key(text: str) -> None:
    assert parse_phone(text).normalized == "+8613800138000"


@pytest.mark.parametrize(
    ("text", "digits"),
    [
        ("138 0013", "1380013"),
        ("138-0013-8000", "13800138000"),
        ("１３８", "138"),
        ("(010) 8888", "0108888"),
        ("+86 138", "138"),
        ("+86 13800138000", "13800138000"),
        ("0086 138", "138"),
        ("8888", "8888"),
        ("张三", ""),
        ("", ""),
    ],
)
def test_search_digits(text: str, digits: str) -> None:
    assert search_digits(text) == digits


def test_search_digits_find_the_stored_digits() -> None:
    assert search_digits("8888 6666") in parse_phone("010-88886666").digits
    assert search_digits("+86 138 0013") in parse_phone("13800138000").digits
