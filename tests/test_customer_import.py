"""Importing a roster into the card file: counts, idempotence, all or nothing, roles, CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from app import cli
from app.domain.roles import Actor, Role
from app.errors import PermissionDenied
from app.importers.roster import preview_roster, read_roster
from app.jobs import finish
from app.services import Services
from app.services.customer_import import ImportSummary, import_roster


def messy_roster(path: Path) -> Path:
    """A roster as front desks keep them: a title, a date line, floats, full-width digits,
    a duplicate, one person with two units, a bad number, a nameless row, a total line."""
    book = Workbook()
    sheet = book.active
    sheet.title = "业主名单"
    sheet.append(["阳光花园业主信息登记表"])
    sheet.merge_cells("A1:H1")
    sheet.append(["制表日期：2026年11月1日"])
    sheet.append(["序号", "业主姓名", "楼栋", "单元", "房号", "联系电话", "身份", "备注"])
    rows = [
        [1, "张三", "3栋", 2, 1502, 13800138000.0, "业主", ""],
        [2, "李四", 3, "2单元", "1501", "１３９１２３４５６７８", "租户", "晚上联系"],
        [3, "张三", 5, 1, 301, "13800138000", "业主", ""],  # a second unit of 张三
        [4, "王五", 6, 1, 101, "12345", "业主", ""],  # no usable number
        [5, "", 6, 1, 102, "13700001111", "业主", ""],  # no name
        [6, "赵六", 7, 1, 201, "15000001111/010-88886666", "家属", ""],
        [7, "李四", 3, "2单元", "1501", "13912345678", "租户", "晚上联系"],  # duplicate row
        [None, None, None, None, None, None, None, None],
        ["合计", "6户", None, None, None, None, None, None],
    ]
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def read(path: Path):  # noqa: ANN201
    preview = preview_roster(path)
    return read_roster(path, preview.sheet, preview.header_row, preview.mapping)


def run(services: Services, actor: Actor, roster, dry_run: bool = False) -> ImportSummary:  # noqa: ANN001
    return finish(import_roster(services.db, actor, roster, dry_run=dry_run))


def test_import_counts_and_rejects_row_by_row(services: Services, admin: Actor,
                                              tmp_path: Path) -> None:
    summary = run(services, admin, read(messy_roster(tmp_path / "roster.xlsx")))
    assert (summary.created, summary.updated, summary.unchanged) == (3, 0, 0)
    assert sorted(e.row for e in summary.errors if e.rejected) == [7, 8]
    zhang = services.customers.lookup_phone("13800138000")
    assert [c.name for c in zhang] == ["张三"]
    assert sorted(u.label for u in zhang[0].units) == ["3栋2单元1502", "5栋1单元301"]
    zhao = services.customers.lookup_phone("010-88886666")[0]
    assert zhao.name == "赵六" and len(zhao.phones) == 2
    history = services.customers.history(zhang[0].id)
    assert history[0].action == "import" and history[0].user_login == "admin"


def test_importing_the_same_file_again_creates_no_duplicates(services: Services, admin: Actor,
                                                             tmp_path: Path) -> None:
    roster = read(messy_roster(tmp_path / "roster.xlsx"))
    run(services, admin, roster)
    again = run(services, admin, roster)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert services.customers.search("").total == 3


def test_a_later_roster_completes_existing_cards(services: Services, admin: Actor,
                                                 tmp_path: Path) -> None:
    run(services, admin, read(messy_roster(tmp_path / "roster.xlsx")))
    book = Workbook()
    book.active.append(["姓名", "手机", "房屋"])
    book.active.append(["张三", "13800138000", "8-1-808"])
    book.save(tmp_path / "more.xlsx")
    summary = run(services, admin, read(tmp_path / "more.xlsx"))
    assert (summary.created, summary.updated, summary.unchanged) == (0, 1, 0)
    units = services.customers.lookup_phone("13800138000")[0].units
    assert "8栋1单元808" in {u.label for u in units}


def test_a_dry_run_writes_nothing(services: Services, admin: Actor, tmp_path: Path) -> None:
    summary = run(services, admin, read(messy_roster(tmp_path / "r.xlsx")), dry_run=True)
    assert summary.created == 3 and summary.dry_run
    assert services.customers.search("").total == 0


def test_an_error_midway_leaves_nothing_behind(services: Services, admin: Actor,
                                              tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    roster = read(messy_roster(tmp_path / "r.xlsx"))
    import app.services.customer_import as module

    job = import_roster(services.db, admin, roster)

    calls = {"n": 0}
    real = module._import_person

    def failing(session, actor, person, notes):  # noqa: ANN001, ANN202
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("disk unplugged")
        return real(session, actor, person, notes)

    monkeypatch.setattr(module, "_import_person", failing)
    with pytest.raises(RuntimeError):
        list(job)
    assert calls["n"] == 3
    assert services.customers.search("").total == 0  # the first two are rolled back too


def test_only_supervisors_and_admins_import(services: Services, admin: Actor,
                                            tmp_path: Path) -> None:
    services.users.add_user(admin, "kf01", "王小", Role.OPERATOR, "secret1")
    operator = services.users.authenticate("kf01", "secret1")
    with pytest.raises(PermissionDenied):
        run(services, operator, read(messy_roster(tmp_path / "r.xlsx")))


def test_cli_import_json_and_rejected_rows(capsys: pytest.CaptureFixture[str],
                                           tmp_path: Path) -> None:
    path = messy_roster(tmp_path / "roster.xlsx")
    rejected = tmp_path / "rejected.xlsx"
    code = cli.main(["import-customers", str(path), "--json", "--rejected-out", str(rejected)])
    out = json.loads(capsys.readouterr().out)
    assert code == 0
    assert (out["created"], out["updated"], out["unchanged"]) == (3, 0, 0)
    assert {e["row"] for e in out["errors"]} >= {7, 8}
    sheet = load_workbook(rejected).active
    assert sheet.max_row == 3  # the header and the two rejected rows
    cli.main(["import-customers", str(path), "--json"])
    assert json.loads(capsys.readouterr().out)["unchanged"] == 3


def test_cli_lookup(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    cli.main(["import-customers", str(messy_roster(tmp_path / "r.xlsx"))])
    capsys.readouterr()
    assert cli.main(["lookup", "+86 138 0013 8000", "--json"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert [(c["name"], c["greeting"]) for c in found] == [("张三", "张三")]
    assert sorted(u["unit"] for u in found[0]["units"]) == ["3栋2单元1502", "5栋1单元301"]
    cli.main(["lookup", "13000000000"])
    assert "没有客户" in capsys.readouterr().out


def test_cancel_at_the_last_progress_step_still_writes_nothing(services: Services, admin: Actor,
                                                               tmp_path: Path) -> None:
    """The GUI cancels by throwing into the job at a progress step; even at the very last
    step, before the commit, nothing may be written."""
    from ui.operations import Cancelled

    job = import_roster(services.db, admin, read(messy_roster(tmp_path / "r.xlsx")))
    done, total, _ = next(job)
    assert done == total == 3
    with pytest.raises(Cancelled):
        job.throw(Cancelled())
    assert services.customers.search("").total == 0


def test_roster_units_without_an_estate_are_the_units_on_file(services: Services, admin: Actor,
                                                              tmp_path: Path) -> None:
    from app.services.customers import CustomerInput, PhoneInput, UnitInput

    c = services.customers
    c.create(admin, CustomerInput(name="周敏", phones=[PhoneInput("13800000001")],
                                  units=[UnitInput("枫林新城 9栋1单元1404")]))
    for n, estate in enumerate(("枫林新城", "阳光花园")):
        c.create(admin, CustomerInput(name=f"{estate}业主", phones=[PhoneInput(f"1380000001{n}")],
                                      units=[UnitInput(f"{estate} 3-2-501")]))
    book = Workbook()
    book.active.append(["姓名", "房屋", "联系电话"])
    book.active.append(["吴刚", "9-1-1404", "13900000001"])
    book.active.append(["郑洁", "3-2-501", "13900000002"])
    book.save(tmp_path / "roster.xlsx")
    summary = run(services, admin, read(tmp_path / "roster.xlsx"))
    assert summary.created == 2
    wu = c.lookup_phone("13900000001")[0]
    assert [u.label for u in wu.units] == ["枫林新城 9栋1单元1404"]
    assert wu.units[0].id == c.lookup_phone("13800000001")[0].units[0].id
    # which estate's 3-2-501 a roster cannot say: the card comes in, the unit with a note
    assert c.lookup_phone("13900000002")[0].units == ()
    assert [(e.row, e.rejected) for e in summary.errors] == [(3, False)]
    assert "枫林新城" in summary.errors[0].message and "阳光花园" in summary.errors[0].message
