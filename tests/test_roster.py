"""Reading the customer rosters front desks keep in Excel (app/importers/roster.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from app import i18n
from app.domain.units import from_columns, parse_unit
from app.importers.roster import (
    FIELDS,
    RosterError,
    guess_mapping,
    preview_roster,
    read_roster,
    save_rejected,
)

HEADER = ["序号", "业主姓名", "楼栋", "单元", "房号", "联系电话", "备用电话", "身份", "备注"]


@pytest.fixture(autouse=True)
def english() -> None:
    # Messages are asserted in their English source form.
    i18n.set_language("en")


def messy_roster(path: Path) -> Path:
    """What a service centre really keeps: titles, floats, full-width digits, repeats."""
    workbook = Workbook()
    ws = workbook.active
    ws.title = "业主信息"
    ws.append(["阳光花园业主信息登记表"])
    ws.merge_cells("A1:I1")
    ws.append(["制表日期：2024年3月1日", None, None, None, None, None, "制表：客服中心"])
    ws.append(HEADER)
    rows = [
        # 4, 5: the same row pasted twice
        [1, "张三", "3栋", "2单元", 1502.0, 13800138000.0, None, "业主", None],
        [1, "张三", "3栋", "2单元", 1502.0, 13800138000.0, None, "业主", None],
        # 6, 7: one owner of two units; full-width digits on one row
        [2, "李四", 5.0, 1.0, 301.0, "１３９００１３９０００", None, "业主", "老人独居"],
        [3, "李 四", 6, 2, 802, 13900139000.0, None, "租户", None],
        # 8: the only number is a digit short
        [4, "王五", 7, 1, 101, "1380013800", None, "业主", None],
        # 9: nobody's name
        [5, None, 7, 1, 102, 13600136000.0, None, "业主", None],
        # 10: two numbers in one cell; same mobile as 张三 but another person
        [6, "赵六", 8, 3, 1201, "13800138000/010-88886666", None, "配偶", None],
        # 11: blank
        [None] * 9,
        # 12: a good mobile and a broken landline
        [7, "钱七", 9, 1, 501, 13500135000.0, "12345", None, None],
        # 13: a local landline and a padded name
        [8, "孙  八", "10号楼", "2", "601室", None, "８８８８６６６６", "家属", None],
        # 14: a building nobody can read
        [9, "周九", "东边那栋", 1, 101, 13700137000.0, None, "业主", None],
        # 15: a template row with only its 序号
        [10, None, None, None, None, None, None, None, None],
        # 16: the footer
        ["合计", "10户", None, None, None, None, None, None, None],
    ]
    for row in rows:
        ws.append(row)
    notes = workbook.create_sheet("填表说明")
    notes.append(["本表由客服中心维护，请勿改动表头。"])
    workbook.save(path)
    return path


@pytest.fixture
def roster(tmp_path: Path) -> Path:
    return messy_roster(tmp_path / "阳光花园业主花名册.xlsx")


def unit_keys(person) -> list[tuple[str, str]]:
    return [(unit.key(), role) for unit, role in person.units]


def test_preview_finds_the_header_below_the_titles(roster: Path) -> None:
    preview = preview_roster(roster)
    assert preview.sheet_names == ["业主信息", "填表说明"]
    assert preview.sheet == "业主信息"
    assert preview.header_row == 3
    assert preview.headers == HEADER
    assert preview.mapping == {"name": 1, "building": 2, "unit": 3, "room": 4, "phone": 5,
                               "phone2": 6, "role": 7, "customer_type": 7, "notes": 8}
    assert set(preview.mapping) <= set(FIELDS)
    assert preview.sample[0] == ["1", "张三", "3栋", "2单元", "1502", "13800138000", "", "业主", ""]
    assert preview.sample[2][5] == "１３９００１３９０００"
    assert all(len(row) == len(HEADER) for row in preview.sample)


def test_preview_of_a_sheet_without_a_header(roster: Path) -> None:
    preview = preview_roster(roster, sheet="填表说明")
    assert (preview.sheet, preview.header_row, preview.mapping) == ("填表说明", 1, {})


def test_read_roster_merges_and_rejects(roster: Path) -> None:
    preview = preview_roster(roster)
    result = read_roster(roster, preview.sheet, preview.header_row, preview.mapping,
                         default_estate="阳光花园", default_area_code="010")
    assert result.headers == HEADER
    people = {person.name: person for person in result.people}
    assert [person.name for person in result.people] == ["张三", "李四", "赵六", "钱七", "孙八"]

    zhang = people["张三"]
    assert zhang.rows == (4, 5)   # the pasted twice row is one person, silently
    assert [p.normalized for p in zhang.phones] == ["+8613800138000"]
    assert unit_keys(zhang) == [("阳光花园|3|2|1502", "owner")]
    assert zhang.units[0][0].label() == "阳光花园 3栋2单元1502"
    assert (zhang.customer_type, zhang.title) == ("owner", "")

    li = people["李四"]   # "李 四" on row 7 is the same name; they share the mobile
    assert li.rows == (6, 7)
    assert [p.normalized for p in li.phones] == ["+8613900139000"]
    assert unit_keys(li) == [("阳光花园|5|1|301", "owner"), ("阳光花园|6|2|802", "tenant")]
    assert li.customer_type == "owner"
    assert li.notes == "老人独居"

    zhao = people["赵六"]   # shares 张三's mobile, but another name: another person
    assert zhao.rows == (10,)
    assert [p.normalized for p in zhao.phones] == ["+8613800138000", "+861088886666"]
    assert zhao.customer_type == "family"

    qian = people["钱七"]
    assert [p.normalized for p in qian.phones] == ["+8613500135000"]
    assert unit_keys(qian) == [("阳光花园|9|1|501", "owner")]

    sun = people["孙八"]
    assert [p.normalized for p in sun.phones] == ["+861088886666"]   # the default area code
    assert unit_keys(sun) == [("阳光花园|10|2|601", "family")]

    rejected = {error.row: error for error in result.errors if error.rejected}
    assert sorted(rejected) == [8, 9, 14]
    assert "Row 8" in rejected[8].message and "1380013800" in rejected[8].message
    assert "11 digits" in rejected[8].message
    assert "no name" in rejected[9].message.lower()
    assert "东边那栋" in rejected[14].message
    assert "building" in rejected[14].message
    assert rejected[9].values == ("5", "", "7", "1", "102", "13600136000", "", "业主", "")
    notes = [error for error in result.errors if not error.rejected]
    assert [error.row for error in notes] == [12]
    assert "12345" in notes[0].message and "imported" in notes[0].message
    assert result.rejected == [rejected[8], rejected[9], rejected[14]]
    assert result.skipped_rows == 3   # blank, template row, 合计


def test_progress_and_a_single_address_column(tmp_path: Path) -> None:
    workbook = Workbook()
    ws = workbook.active
    ws.append(["姓名", "手机", "房屋", "性别"])
    ws.append(["张三", 13800138000, "3-2-1502", "男"])
    ws.append(["张三", "138 0013 8000", "3栋2单元1503", "男"])
    ws.append(["王女士", 13900139000, "A座1201", None])
    ws.append(["刘一", 13700137000, "三楼那间", "女"])
    for n in range(450):
        ws.append([f"住户{n}", 13500000000 + n, f"1-1-{1000 + n}", "女"])
    path = tmp_path / "花名册.xlsx"
    workbook.save(path)

    preview = preview_roster(path)
    assert (preview.header_row, preview.headers) == (1, ["姓名", "手机", "房屋", "性别"])
    assert preview.mapping == {"name": 0, "phone": 1, "address": 2, "title": 3}
    calls: list[tuple[int, int]] = []
    result = read_roster(path, preview.sheet, 1, preview.mapping, default_estate="阳光花园",
                         progress=lambda done, total: calls.append((done, total)))
    assert calls[:2] == [(200, 455), (400, 455)] and calls[-1] == (455, 455)

    zhang, wang = result.people[:2]
    assert (zhang.name, zhang.title, zhang.rows) == ("张三", "先生", (2, 3))
    assert [unit.label() for unit, _ in zhang.units] == ["阳光花园 3栋2单元1502",
                                                         "阳光花园 3栋2单元1503"]
    assert (wang.title, [unit.key() for unit, _ in wang.units]) == ("女士", ["阳光花园|A||1201"])
    assert len(result.people) == 2 + 450
    assert [(error.row, error.rejected) for error in result.errors] == [(5, True)]
    assert "三楼那间" in result.errors[0].message


def test_merged_building_cells_and_a_two_line_header(tmp_path: Path) -> None:
    workbook = Workbook()
    ws = workbook.active
    ws.append(["姓名", "房屋信息", None, None, "联系方式"])
    ws.append([None, "楼栋", "单元", "房号", None])
    ws.merge_cells("B1:D1")
    ws.merge_cells("A1:A2")
    ws.merge_cells("E1:E2")
    ws.append(["张三", "3栋", 1, 101, 13800138000])
    ws.append(["李四", None, 1, 102, 13900139000])
    ws.append(["王五", None, 2, 201, 13700137000])
    ws.merge_cells("B3:B5")   # 楼栋 written once for its three rows
    ws.append(["姓名", "楼栋", "单元", "房号", "联系方式"])   # the header again, on page 2
    ws.append(["赵六", "4栋", 1, 101, 13600136000])
    path = tmp_path / "两行表头.xlsx"
    workbook.save(path)

    preview = preview_roster(path)
    assert preview.header_row == 2
    assert preview.headers == ["姓名", "楼栋", "单元", "房号", "联系方式"]
    assert preview.mapping == {"name": 0, "building": 1, "unit": 2, "room": 3, "phone": 4}
    result = read_roster(path, preview.sheet, preview.header_row, preview.mapping)
    assert (result.errors, result.skipped_rows) == ([], 1)
    assert [person.units[0][0].key() for person in result.people] == [
        "|3|1|101", "|3|1|102", "|3|2|201", "|4|1|101"]


def test_header_guessing() -> None:
    mapping = guess_mapping(["客户姓名", "联系电话(手机)", "座机", "身份证号", "紧急联系人电话",
                             "楼栋单元房号", "客户类型", "关系", "称谓", "说明"])
    assert mapping == {"name": 0, "phone": 1, "phone2": 2, "address": 5, "customer_type": 6,
                       "role": 7, "title": 8, "notes": 9}
    # A second phone column without a word for "spare" is the spare one.
    assert guess_mapping(["姓名", "手机", "电话", "小区名称"]) == {
        "name": 0, "phone": 1, "phone2": 2, "estate": 3}
    assert guess_mapping(["ＮＯ", "住户姓名", "手机号码", "房号"]) == {
        "name": 1, "phone": 2, "room": 3}


def test_units_are_what_the_domain_makes_of_the_columns(roster: Path) -> None:
    preview = preview_roster(roster)
    result = read_roster(roster, preview.sheet, preview.header_row, preview.mapping)
    assert result.people[0].units[0][0] == from_columns("3栋", "2单元", 1502.0)
    assert result.people[0].units[0][0] == parse_unit("3-2-1502")


def test_save_rejected_round_trip(roster: Path, tmp_path: Path) -> None:
    preview = preview_roster(roster)
    result = read_roster(roster, preview.sheet, preview.header_row, preview.mapping,
                         default_area_code="010")
    out = tmp_path / "未导入.xlsx"
    save_rejected(result, out)

    ws = load_workbook(out).active
    rows = [[("" if value is None else value) for value in row]
            for row in ws.iter_rows(values_only=True)]
    assert rows[0] == ["Excel row", *HEADER, "Reason"]
    assert [row[0] for row in rows[1:]] == [8, 9, 14]   # not the note on row 12
    assert rows[1][1:10] == ["4", "王五", "7", "1", "101", "1380013800", "", "业主", ""]
    assert "1380013800" in rows[1][10]
    assert rows[2][6] == "13600136000"   # kept as text, not 1.36E+10
    assert "no name" in rows[2][10].lower()

    # What comes back can be read again once fixed.
    again = preview_roster(out)
    assert again.header_row == 1 and again.mapping["name"] == 2


def test_files_that_cannot_be_read(tmp_path: Path, roster: Path) -> None:
    old = tmp_path / "花名册.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0 not a zip")
    with pytest.raises(RosterError, match="xlsx"):
        preview_roster(old)
    with pytest.raises(RosterError, match="not found"):
        preview_roster(tmp_path / "missing.xlsx")
    with pytest.raises(RosterError, match="汇总"):
        read_roster(roster, "汇总", 3, {"name": 1, "phone": 5})
    with pytest.raises(RosterError, match="names"):
        read_roster(roster, "业主信息", 3, {"phone": 5})


def test_columns_matched_wrong_and_cancelling(roster: Path) -> None:
    result = read_roster(roster, "业主信息", 3, {"name": 5, "phone": 6})
    assert result.people == []
    assert "looks like a number" in result.errors[0].message

    class Cancelled(Exception):
        pass

    def cancel(done: int, total: int) -> None:
        raise Cancelled

    with pytest.raises(Cancelled):   # the way to stop a long import
        read_roster(roster, "业主信息", 3, {"name": 1, "phone": 5}, progress=cancel)


def test_reading_works_in_the_chinese_ui(roster: Path) -> None:
    i18n.set_language("zh_CN")
    preview = preview_roster(roster)
    result = read_roster(roster, preview.sheet, preview.header_row, preview.mapping)
    assert all(error.message for error in result.errors)


def test_a_name_longer_than_the_card_allows_is_a_row_error(tmp_path: Path) -> None:
    from openpyxl import Workbook

    from app.importers.roster import preview_roster, read_roster

    book = Workbook()
    book.active.append(["姓名", "手机"])
    book.active.append(["某" * 45 + "有限公司", "13800138000"])
    book.save(tmp_path / "long.xlsx")
    preview = preview_roster(tmp_path / "long.xlsx")
    result = read_roster(tmp_path / "long.xlsx", preview.sheet, preview.header_row,
                         preview.mapping)
    assert result.people == []
    assert [e.row for e in result.rejected] == [2]
