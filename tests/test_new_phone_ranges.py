"""A mobile number in a range the number metadata does not know yet is kept as typed, with a
warning on its roster row; only impossible numbers are row errors (issue 14)."""

from __future__ import annotations

import json
from pathlib import Path

import phonenumbers
import pytest
from openpyxl import Workbook

from app import cli
from app.domain.phones import PhoneError, parse_phone


def unknown_range_mobile() -> str:
    """An 11-digit 1[3-9]x number the installed metadata rejects (194… in 2026)."""
    for prefix in range(130, 200):
        number = f"{prefix}00001234"
        if not phonenumbers.is_valid_number(phonenumbers.parse(number, "CN")):
            return number
    pytest.skip("the metadata knows every 1[3-9]x range")


def test_an_unknown_range_is_a_mobile_number_kept_as_typed() -> None:
    number = unknown_range_mobile()
    spaced = f"{number[:3]} {number[3:7]} {number[7:]}"
    for typed in (number, spaced, f"+86 {number[:3]}-{number[3:7]}-{number[7:]}", f"{number}.0"):
        phone = parse_phone(typed)
        assert (phone.normalized, phone.digits, phone.kind, phone.display) == \
            (f"+86{number}", number, "mobile", spaced), typed
        assert not phone.known_range
    assert parse_phone("13800138000").known_range


@pytest.mark.parametrize("impossible", [
    "1380013800",        # 10 digits
    "138001380001",      # 12 digits
    "12000001234",       # 12x is no mobile range
    "1380013800a",       # a letter
    "",
])
def test_impossible_numbers_are_still_refused(impossible: str) -> None:
    with pytest.raises(PhoneError):
        parse_phone(impossible)


def test_the_import_keeps_the_owner_and_warns(capsys: pytest.CaptureFixture[str],
                                             tmp_path: Path) -> None:
    number = unknown_range_mobile()
    book = Workbook()
    sheet = book.active
    sheet.append(["业主姓名", "房号", "联系电话"])
    sheet.append(["张三", "3-2-1502", int(number)])
    sheet.append(["李四", "3-2-1503", "13900139000"])
    sheet.append(["王五", "3-2-1504", "1380013800"])  # one digit short: an error
    path = tmp_path / "roster.xlsx"
    book.save(path)
    assert cli.main(["import-customers", str(path), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["created"] == 2
    assert [e["row"] for e in out["errors"]] == [4]
    assert [w["row"] for w in out["warnings"]] == [2]
    assert number[:3] in out["warnings"][0]["message"]
    assert cli.main(["lookup", number, "--json"]) == 0  # the caller pop-up finds the owner
    assert [card["name"] for card in json.loads(capsys.readouterr().out)] == ["张三"]
