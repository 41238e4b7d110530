"""Rosters nobody should have to import (issue 14): a zip bomb, a giant cell, junk rows and
broken XML are refused with a message in the user's language, before they are parsed, and
never as an unexpected error. Every file is made here, in the test's folder."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from app import cli, i18n
from app.importers import roster as roster_module
from app.importers.roster import RosterError, preview_roster, read_roster

NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
SHEET = "xl/worksheets/sheet1.xml"
UNREADABLE = "不是本程序能读取的 Excel 工作簿"


def small_roster(path: Path, rows: int = 1) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.append(["姓名", "联系电话", "房号"])
    for index in range(rows):
        sheet.append([f"业主{index}", f"1380013{index % 10000:04d}", f"3-2-{101 + index}"])
    book.save(path)
    return path


def with_part(source: Path, target: Path, member: str, data: bytes | str) -> Path:
    """A copy of ``source`` with one part of the zip replaced (or added)."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w",
                                                         zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            if info.filename != member:
                new.writestr(info.filename, old.read(info.filename))
        new.writestr(member, data)
    return target


def inline_row(number: int, *texts: str) -> str:
    cells = "".join(f'<c r="{chr(65 + i)}{number}" t="inlineStr"><is><t>{text}</t></is></c>'
                    for i, text in enumerate(texts))
    return f'<row r="{number}">{cells}</row>'


def sheet_xml(*rows: str) -> str:
    return f'<worksheet {NS}><sheetData>{"".join(rows)}</sheetData></worksheet>'


def refused(path: Path) -> str:
    """The message of the RosterError both the preview and the full read give."""
    with pytest.raises(RosterError) as preview:
        preview_roster(path)
    with pytest.raises(RosterError) as read:
        read_roster(path, "Sheet", 1, {"name": 0, "phone": 1, "room": 2})
    assert str(preview.value) == str(read.value)
    return str(preview.value)


def test_a_zip_bomb_is_refused_from_the_sizes_the_zip_declares(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch,
                                                               ) -> None:
    ok = small_roster(tmp_path / "ok.xlsx")
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(ok) as old, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            if info.filename != SHEET:
                new.writestr(info.filename, old.read(info.filename))
        with new.open(SHEET, "w", force_zip64=True) as member:
            member.write(f"<worksheet {NS}><sheetData>".encode())
            chunk = b"<row/>" * (2**20 // 6)
            for _ in range(220):  # 220 MB of rows, a few hundred KB packed
                member.write(chunk)
            member.write(b"</sheetData></worksheet>")
    assert bomb.stat().st_size < 1_000_000
    unpacked: list[str] = []
    real_open = zipfile.ZipFile.open
    monkeypatch.setattr(zipfile.ZipFile, "open", lambda self, name, *a, **k: (
        unpacked.append(getattr(name, "filename", name)), real_open(self, name, *a, **k))[1])
    message = refused(bomb)
    assert "bomb.xlsx" in message and "220 MB" in message and "200 MB" in message, message
    assert SHEET not in unpacked  # refused from the zip's directory, nothing unpacked
    i18n.set_language("en")
    assert "would unpack to 220 MB, more than the 200 MB" in refused(bomb)


def test_a_cell_longer_than_excel_allows_is_refused_before_parsing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ok = small_roster(tmp_path / "ok.xlsx")
    giant = with_part(ok, tmp_path / "giant.xlsx", SHEET, sheet_xml(
        inline_row(1, "姓名", "联系电话"), inline_row(2, "张三" + "漏" * 2_000_000,
                                                    "13800138000")))

    def no_parsing(*args: object, **kwargs: object) -> None:
        raise AssertionError("the workbook was parsed")

    monkeypatch.setattr(roster_module, "load_workbook", no_parsing)
    message = refused(giant)
    assert "32,767" in message and "giant.xlsx" in message


def test_a_long_cell_under_the_byte_scan_is_refused_after_reading_it(tmp_path: Path) -> None:
    ok = small_roster(tmp_path / "ok.xlsx")
    long_cell = with_part(ok, tmp_path / "long.xlsx", SHEET, sheet_xml(
        inline_row(1, "姓名", "联系电话"), inline_row(2, "张" * 40_000, "13800138000")))
    assert "32,767" in refused(long_cell)


def test_too_many_rows_are_refused_while_reading(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(roster_module, "MAX_ROWS", 100)  # the same check as at 100,000
    path = small_roster(tmp_path / "junk.xlsx", rows=120)
    preview = preview_roster(path)  # the preview reads the first rows only
    with pytest.raises(RosterError, match="超过 100 行"):
        read_roster(path, preview.sheet, preview.header_row, preview.mapping)
    fine = small_roster(tmp_path / "fine.xlsx", rows=99)  # with its header, 100 rows
    result = read_roster(fine, "Sheet", 1, preview.mapping)
    assert len(result.people) == 99


@pytest.mark.parametrize(("case", "member", "data"), [
    ("broken tags", SHEET, f'<worksheet {NS}><sheetData><row r="1"><c r="A1" t="inlineStr">'),
    ("a shared string that is not there", SHEET,
     sheet_xml('<row r="1"><c r="A1" t="s"><v>99</v></c></row>')),
    ("a cell reference past the last column", SHEET,
     sheet_xml(inline_row(1, "姓名", "电话"), '<row r="2"><c r="ZZZZ2"><v>1</v></c></row>')),
    ("a broken workbook part", "xl/workbook.xml", "<workbook><sheets><sheet"),
    ("a sheet that is not in the file", "xl/_rels/workbook.xml.rels",
     '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
     '<Relationship Id="rId1" Target="/xl/worksheets/nothere.xml" Type="http://schemas.'
     'openxmlformats.org/officeDocument/2006/relationships/worksheet"/></Relationships>'),
    ("a style that is no style", "xl/styles.xml",
     '<styleSheet><cellXfs count="1"><xf numFmtId="abc"/></cellXfs></styleSheet>'),
])
def test_invalid_xml_is_not_a_readable_workbook(tmp_path: Path, case: str, member: str,
                                               data: str) -> None:
    path = with_part(small_roster(tmp_path / "ok.xlsx"), tmp_path / "broken.xlsx", member, data)
    with pytest.raises(RosterError) as preview:
        preview_roster(path)
    assert UNREADABLE in str(preview.value), case
    with pytest.raises(RosterError) as read:
        read_roster(path, "Sheet", 1, {"name": 0, "phone": 1})
    assert UNREADABLE in str(read.value) or "没有名为" in str(read.value), case


def test_the_command_line_says_why_in_one_line(capsys: pytest.CaptureFixture[str],
                                               tmp_path: Path) -> None:
    ok = small_roster(tmp_path / "ok.xlsx")
    broken = with_part(ok, tmp_path / "broken.xlsx", SHEET, "<worksheet><sheetData><row>")
    assert cli.main(["import-customers", str(broken), "--json"]) == 1
    out, err = capsys.readouterr()
    assert out == "" and UNREADABLE in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_a_long_name_is_not_echoed_whole(capsys: pytest.CaptureFixture[str],
                                         tmp_path: Path) -> None:
    ok = small_roster(tmp_path / "ok.xlsx")
    path = with_part(ok, tmp_path / "names.xlsx", SHEET, sheet_xml(
        inline_row(1, "姓名", "联系电话"), inline_row(2, "王" * 30_000, "13800138000"),
        inline_row(3, "张三", "13900139000")))
    assert cli.main(["import-customers", str(path), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["created"] == 1 and [e["row"] for e in out["errors"]] == [2]
    assert len(out["errors"][0]["message"]) < 200
