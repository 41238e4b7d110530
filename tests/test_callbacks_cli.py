"""``calldesk callbacks due``: the callbacks to make now, on a database the test fills
through the services, with the desk's clock in Shanghai and "now" set by hand."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from app import clock
from app.bootstrap import database_url, open_database
from app.domain.calls import Satisfaction
from app.domain.complaints import Category, Severity
from app.domain.customers import Title
from app.paths import AppPaths
from app.services import Services
from app.services.callbacks import Outcome_
from app.services.calls import CallInput
from app.services.complaints import ComplaintInput
from app.services.customers import CustomerInput, PhoneInput, UnitInput
from tests.test_cli import run_cli

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=SHANGHAI)  # type: ignore[misc]


@pytest.fixture(autouse=True)
def shanghai(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def set_now(monkeypatch: pytest.MonkeyPatch, local: datetime) -> None:
    instant = local.astimezone(ZoneInfo("UTC"))
    monkeypatch.setattr(clock, "utcnow", lambda: instant)


@pytest.fixture
def filled(paths: AppPaths, monkeypatch: pytest.MonkeyPatch) -> dict[str, object]:
    """On Monday 23 Nov 2026 at 09:00: a missed call (due 09:30), 王秀英's urgent complaint
    resolved (its callback due 13:00), a callback set for tomorrow and one already made.
    The commands then run at 10:00."""
    set_now(monkeypatch, at(2026, 11, 23, 9, 0))
    db = open_database(database_url(paths), paths).db
    services = Services.open(db)
    admin = services.users.complete_setup("阳光花园物业服务中心", "admin", "李主任", "admin-pass-1")
    card = services.customers.create(admin, CustomerInput(
        name="王秀英", title=Title.MS, phones=[PhoneInput("13912345678")],
        units=[UnitInput("3-2-1502")]))
    missed = services.calls.log(admin, CallInput(phone="13600002222", missed=True))
    complaint = services.complaints.create(admin, ComplaintInput(
        category=Category.REPAIRS, severity=Severity.URGENT, description="厨房天花板漏水\n已两天",
        customer_id=card.id, unit_id=card.units[0].id, department_id=1))
    services.complaints.resolve(admin, complaint.row.id, "已更换水管")
    callback = services.callbacks.pending_for_complaint(complaint.row.id)
    tomorrow = services.callbacks.schedule(admin, due_at=at(2026, 11, 24, 10, 0),
                                           phone="0571-87654321", note="约好明早回电")
    done = services.callbacks.schedule(admin, due_at=at(2026, 11, 23, 9, 30),
                                       phone="13700001111")
    services.callbacks.record(admin, done.id, Outcome_(reached=True))
    set_now(monkeypatch, at(2026, 11, 23, 9, 50))
    services.callbacks.record(admin, callback, Outcome_(reached=False, comment="占线"))
    db.dispose()
    set_now(monkeypatch, at(2026, 11, 23, 10, 0))
    return {"number": complaint.row.number, "callback": callback, "tomorrow": tomorrow.id,
            "missed_phone": "136 0000 2222", "call": missed.id}


def test_due_as_json_lists_overdue_and_today_most_overdue_first(
        capsys: pytest.CaptureFixture[str], filled: dict[str, object]) -> None:
    code, out, err = run_cli(capsys, "callbacks", "due", "--json")
    assert (code, err) == (0, "")
    listed = json.loads(out)
    assert listed["total"] == 2
    missed, complaint = listed["callbacks"]
    assert (missed["reason"], missed["phone"], missed["overdue"], missed["customer"],
            missed["complaint"], missed["attempts"], missed["max_attempts"]) == (
        "missed_call", filled["missed_phone"], True, None, None, 0, 3)
    # Due by the missed-call rule: 30 working minutes after it rang.
    assert datetime.fromisoformat(missed["due_at"]) == at(2026, 11, 23, 9, 30)
    # Not reached at 09:50: due again 120 working minutes later, 11:50.
    assert (complaint["id"], complaint["reason"], complaint["overdue"], complaint["customer"],
            complaint["greeting"], complaint["complaint"], complaint["complaint_summary"],
            complaint["severity"], complaint["attempts"], complaint["max_attempts"]) == (
        filled["callback"], "complaint", False, "王秀英", "王女士", filled["number"],
        "厨房天花板漏水", "urgent", 1, 3)
    assert datetime.fromisoformat(complaint["due_at"]) == at(2026, 11, 23, 11, 50)
    assert datetime.fromisoformat(complaint["last_attempt_at"]) == at(2026, 11, 23, 9, 50)

    code, out, _ = run_cli(capsys, "callbacks", "due", "--all", "--json")
    every = json.loads(out)
    assert every["total"] == 3
    assert [c["id"] for c in every["callbacks"]][1:] == [filled["callback"], filled["tomorrow"]]
    assert (every["callbacks"][2]["phone"], every["callbacks"][2]["note"],
            every["callbacks"][2]["overdue"]) == ("0571-8765 4321", "约好明早回电", False)


def test_due_as_text_one_line_each(capsys: pytest.CaptureFixture[str],
                                   filled: dict[str, object]) -> None:
    code, out, _ = run_cli(capsys, "callbacks", "due", "--lang", "en")
    assert code == 0
    lines = out.strip().splitlines()
    assert len(lines) == 3
    assert lines[0].split("  ") == ["2026-11-23 09:30", "[overdue]", "Missed call",
                                    filled["missed_phone"], "attempts 0/3"]
    assert lines[1].split("  ") == ["2026-11-23 11:50", "Complaint callback", "王女士",
                                    "139 1234 5678", f"{filled['number']} 厨房天花板漏水",
                                    "attempts 1/3"]
    assert lines[2] == "2 callback(s), 1 overdue."
    code, out, _ = run_cli(capsys, "callbacks", "due", "--all", "--lang", "en")
    assert out.splitlines()[2].split("  ") == ["2026-11-24 10:00", "Call back as agreed",
                                               "0571-8765 4321", "约好明早回电", "attempts 0/3"]
    code, out, _ = run_cli(capsys, "callbacks", "due")  # Chinese, the default
    assert code == 0 and filled["number"] in out and "王女士" in out


def test_nothing_due_says_so(capsys: pytest.CaptureFixture[str], paths: AppPaths) -> None:
    open_database(database_url(paths), paths).db.dispose()  # a new, empty desk
    code, out, _ = run_cli(capsys, "callbacks", "due", "--json")
    assert (code, json.loads(out)) == (0, {"total": 0, "callbacks": []})
    code, out, _ = run_cli(capsys, "callbacks", "due", "--lang", "en")
    assert (code, out) == (0, "No callbacks are due.\n")


def test_a_satisfied_callback_leaves_the_list(
        capsys: pytest.CaptureFixture[str], filled: dict[str, object], paths: AppPaths) -> None:
    db = open_database(database_url(paths), paths).db
    services = Services.open(db)
    admin = services.users.authenticate("admin", "admin-pass-1")
    callback_id = filled["callback"]
    assert isinstance(callback_id, int)
    services.callbacks.record(admin, callback_id,
                              Outcome_(reached=True, satisfaction=Satisfaction.SATISFIED))
    db.dispose()
    code, out, _ = run_cli(capsys, "callbacks", "due", "--json")
    assert [c["reason"] for c in json.loads(out)["callbacks"]] == ["missed_call"]


def test_a_wrong_command_line_exits_2(capsys: pytest.CaptureFixture[str],
                                      paths: AppPaths) -> None:
    code, _, err = run_cli(capsys, "callbacks")
    assert code == 2 and err.strip()
    code, _, err = run_cli(capsys, "callbacks", "due", "--overdue")
    assert code == 2 and "--overdue" in err
