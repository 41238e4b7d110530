"""A callback's call says what happened — 已回访 or 未接通, never 当场解决 — and the daily
figures for answering and first-call resolution count inbound calls only (issue 16 item 4)."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest

from app import clock
from app.db import default_sqlite_url, migrate
from app.db.engine import Database
from app.domain.calls import CallType, Direction, Outcome, Satisfaction
from app.domain.complaints import Category
from app.domain.roles import Actor
from app.reports.daily import daily_report
from app.services import Services
from app.services.callbacks import Outcome_
from app.services.calls import CallFilter, CallInput
from app.services.complaints import ComplaintInput
from app.services.customers import CustomerInput, PhoneInput, UnitInput

DATA = Path(__file__).parent / "data" / "databases"


def test_callback_calls_have_their_own_outcome_and_stay_out_of_the_desk_figures(
        services: Services, admin: Actor, monkeypatch: pytest.MonkeyPatch) -> None:
    card = services.customers.create(admin, CustomerInput(
        name="王秀英", phones=[PhoneInput("13912345678")], units=[UnitInput("3-2-1502")]))
    complaint = services.complaints.create(admin, ComplaintInput(
        category=Category.NOISE, description="楼上夜间装修噪音", customer_id=card.id,
        unit_id=card.units[0].id, department_id=2))
    services.complaints.resolve(admin, complaint.row.id, "已约谈装修户")
    # One inbound call handed to a department: the desk solved none of its calls itself.
    services.calls.log(admin, CallInput(phone="13800138000", call_type=CallType.REPAIR,
                                        outcome=Outcome.DISPATCHED, department_id=2,
                                        summary="水管漏水", duration_seconds=60))
    later = clock.utcnow() + timedelta(days=3)
    monkeypatch.setattr(clock, "utcnow", lambda: later)
    task = services.callbacks.pending_for_complaint(complaint.row.id)
    services.callbacks.record(admin, task, Outcome_(reached=False, duration_seconds=20))
    services.callbacks.record(admin, task, Outcome_(
        reached=True, satisfaction=Satisfaction.SATISFIED, duration_seconds=90))

    outbound = [c for c in services.calls.list(CallFilter(), 0, 10).rows
                if c.direction == Direction.OUTBOUND]
    assert sorted(c.outcome for c in outbound) == [Outcome.CALLED_BACK, Outcome.NOT_REACHED]
    report = daily_report(services.db, admin, later.astimezone().date())
    assert report.answered == 0 and report.first_call_resolution is None
    assert Outcome.SOLVED not in report.by_outcome
    assert report.outbound == 2 and report.callbacks_done == 1


def test_the_upgrade_relabels_past_callback_calls(tmp_path: Path) -> None:
    target = tmp_path / "calldesk.db"
    shutil.copy(DATA / "schema-0006.db", target)
    with sqlite3.connect(target) as connection:
        before = dict(connection.execute(
            "SELECT a.reached, count(*) FROM callback_attempts a JOIN calls c ON c.id = a.call_id "
            "WHERE c.outcome = 'solved' GROUP BY a.reached").fetchall())
    assert before.get(1) and before.get(0)  # the old database logged both as 当场解决
    db = Database(default_sqlite_url(target))
    migrate.upgrade(db)
    db.dispose()
    with sqlite3.connect(target) as connection:
        after = connection.execute(
            "SELECT a.reached, c.outcome, count(*) FROM callback_attempts a "
            "JOIN calls c ON c.id = a.call_id GROUP BY a.reached, c.outcome").fetchall()
        assert sorted(after) == [(0, "not_reached", before[0]), (1, "called_back", before[1])]
        with pytest.raises(sqlite3.IntegrityError):  # the column still checks its values
            connection.execute("UPDATE calls SET outcome = 'bogus' WHERE id = 1")
