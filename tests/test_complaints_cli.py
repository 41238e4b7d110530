"""The complaint commands: ``complaints list``, ``print-slip`` and the open count in
``lookup``, on a database the test fills through the services."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from app import clock
from app.bootstrap import database_url, open_database
from app.domain.complaints import Category, Severity
from app.paths import AppPaths
from app.services import Services
from app.services.complaints import ComplaintInput
from app.services.customers import CustomerInput, PhoneInput, UnitInput
from tests.test_cli import ROOT, run_cli


@pytest.fixture
def filled(paths: AppPaths) -> dict[str, str]:
    """Two complaints for 王秀英 (one dispatched to 工程部), one closed, in the default
    database the commands open."""
    db = open_database(database_url(paths), paths).db
    services = Services.open(db)
    admin = services.users.complete_setup("阳光花园物业服务中心", "admin", "李主任", "admin-pass-1")
    card = services.customers.create(admin, CustomerInput(
        name="王秀英", phones=[PhoneInput("13912345678")], units=[UnitInput("3-2-1502")]))
    c = services.complaints
    leak = c.create(admin, ComplaintInput(
        category=Category.REPAIRS, severity=Severity.URGENT, description="厨房天花板漏水",
        demand="今天修好", customer_id=card.id, unit_id=card.units[0].id, department_id=1,
        assignee_name="李师傅"))
    noise = c.create(admin, ComplaintInput(
        category=Category.NOISE, description="楼上夜间装修", customer_id=card.id))
    done = c.create(admin, ComplaintInput(category=Category.FEES, description="多收物业费",
                                          phone="0571-87654321", department_id=5))
    c.resolve(admin, done.row.id, "已退还多收的费用")
    from tests.test_complaints import call_back

    call_back(services, admin, done.row.id, satisfied=True)
    db.dispose()
    return {"leak": leak.row.number, "noise": noise.row.number, "done": done.row.number}


def test_complaints_list_as_json_and_text(capsys: pytest.CaptureFixture[str],
                                          filled: dict[str, str]) -> None:
    code, out, _ = run_cli(capsys, "complaints", "list", "--json")
    assert code == 0
    listed = json.loads(out)
    assert listed["total"] == 3
    first = listed["complaints"][0]  # the urgent one comes first
    assert (first["number"], first["status"], first["department"], first["assignee"]) == (
        filled["leak"], "dispatched", "工程部", "李师傅")
    assert set(first["deadlines"]) == {"response", "resolve"}
    assert listed["complaints"][-1]["status"] == "closed"

    code, out, _ = run_cli(capsys, "complaints", "list", "--open")
    assert code == 0
    assert filled["leak"] in out and filled["noise"] in out and filled["done"] not in out
    assert "厨房天花板漏水" in out and "已派单" in out

    code, out, _ = run_cli(capsys, "complaints", "list", "--status", "closed", "--json")
    assert [r["number"] for r in json.loads(out)["complaints"]] == [filled["done"]]
    code, out, _ = run_cli(capsys, "complaints", "list", "--department", "工程部", "--json")
    assert [r["number"] for r in json.loads(out)["complaints"]] == [filled["leak"]]


def test_overdue_lists_only_what_is_late(capsys: pytest.CaptureFixture[str],
                                         filled: dict[str, str],
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, _ = run_cli(capsys, "complaints", "list", "--overdue", "--json")
    assert json.loads(out)["total"] == 0
    later = clock.utcnow() + timedelta(days=40)
    monkeypatch.setattr(clock, "utcnow", lambda: later)
    code, out, _ = run_cli(capsys, "complaints", "list", "--overdue", "--json")
    late = json.loads(out)["complaints"]
    assert {r["number"] for r in late} == {filled["leak"], filled["noise"]}
    assert all(r["urgency"] == "overdue" for r in late)


def test_bad_arguments_say_what_is_wrong(capsys: pytest.CaptureFixture[str],
                                         filled: dict[str, str]) -> None:
    code, _, err = run_cli(capsys, "complaints", "list", "--department", "保安部")
    assert code == 1 and "保安部" in err and len(err.strip().splitlines()) == 1
    code, _, err = run_cli(capsys, "complaints", "list", "--status", "done")
    assert code == 2
    code, _, err = run_cli(capsys, "print-slip", "TS209901-0001", "--pdf", "x.pdf")
    assert code == 1 and "TS209901-0001" in err


def test_lookup_tells_how_many_complaints_are_open(capsys: pytest.CaptureFixture[str],
                                                  filled: dict[str, str]) -> None:
    code, out, _ = run_cli(capsys, "lookup", "13912345678", "--json")
    assert code == 0
    assert [(c["name"], c["open_complaints"]) for c in json.loads(out)] == [("王秀英", 2)]
    code, out, _ = run_cli(capsys, "lookup", "13912345678")
    assert "2 张未结投诉" in out


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler's pdftotext")
@pytest.mark.parametrize("layout", ["a4", "a5", "two_on_a4"])
def test_print_slip_writes_a_pdf_holding_every_filled_field(
        filled: dict[str, str], tmp_path: Path, layout: str) -> None:
    """As a script runs it: a process of its own, with no Qt application yet."""
    target = tmp_path / "slips" / "today.pdf"  # the folder does not exist yet
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "QT_QPA_PLATFORM")}
    done = subprocess.run(
        [sys.executable, "-m", "app.cli", "print-slip", filled["leak"], filled["noise"],
         "--pdf", str(target), "--layout", layout], cwd=ROOT, env=env, capture_output=True,
        text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert str(target) in done.stdout
    text = subprocess.run(["pdftotext", "-layout", str(target), "-"], capture_output=True,
                          text=True, check=True).stdout
    flat = "".join(text.split())
    for value in (filled["leak"], filled["noise"], "阳光花园物业服务中心", "王秀英",
                  "3栋2单元1502", "13912345678", "工程维修", "紧急", "厨房天花板漏水", "今天修好",
                  "工程部", "李师傅", "李主任", "电话", "待定", "投诉处理单", "派单人", "客户确认",
                  "回访记录"):
        assert value in flat, value
    pages = subprocess.run(["pdfinfo", str(target)], capture_output=True, text=True,
                           check=True).stdout
    assert re.search(r"^Pages:\s+2$", pages, re.M), pages
    if layout == "two_on_a4":
        assert "存根联" in flat and "派工联" in flat
