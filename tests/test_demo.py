from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from app import clock, demo
from app.db import Database, default_sqlite_url, migrate
from app.domain.calls import Satisfaction
from app.domain.roles import Actor, Role
from app.errors import ValidationError
from app.services import Services
from app.services.calls import CallFilter


def _fresh(tmp_path: Path, name: str) -> Database:
    db = Database(default_sqlite_url(tmp_path / name))
    migrate.upgrade(db)
    return db


def _people(db: Database) -> list[tuple[str, str, Role, str | None]]:
    admin = Services.open(db).users.authenticate("admin", demo.DEMO_PASSWORD)
    return [(u.login, u.display_name, u.role, u.department_name)
            for u in Services.open(db).users.list_users(admin)]


def test_same_seed_same_data_other_seed_other_data(tmp_path: Path) -> None:
    one, two, other = (_fresh(tmp_path, n) for n in ("a.db", "b.db", "c.db"))
    first = demo.fill(one, seed=5, customers=80, months=0)
    assert demo.fill(two, seed=5, customers=80, months=0) == first
    assert _people(one) == _people(two)
    demo.fill(other, seed=6, customers=80, months=0)
    assert _people(one) != _people(other)
    for db in (one, two, other):
        db.dispose()


def test_demo_has_a_centre_staff_in_every_role_and_a_demo_supervisor(tmp_path: Path) -> None:
    db = _fresh(tmp_path, "demo.db")
    summary = demo.fill(db, customers=120, months=1)
    people = _people(db)
    assert summary.users == len(people)
    assert {role for _, _, role, _ in people} == set(Role)
    assert summary.centre_name.endswith("物业服务中心")
    actor: Actor = demo.demo_actor(db)
    assert actor.role == Role.SUPERVISOR and actor.login == demo.DEMO_LOGIN
    # Names are realistic Chinese names, not placeholders.
    assert all(2 <= len(name) <= 4 and not name.isascii() for _, name, _, _ in people)
    # A month of calls up to today, with missed ones waiting as callback tasks.
    calls = Services.open(db).calls
    assert summary.calls == calls.list().total > 100
    newest = calls.list(CallFilter(), 0, 1).rows[0].received_at
    assert newest <= clock.utcnow() and clock.utcnow() - newest < timedelta(days=2)
    # Every missed call waits as a callback; resolved complaints wait for theirs too.
    from app.services.callbacks import CallbackFilter, Queue

    services_callbacks = Services.open(db).callbacks
    pending = services_callbacks.list(CallbackFilter(Queue.UPCOMING)).total + \
        services_callbacks.list(CallbackFilter(Queue.DUE)).total
    assert calls.pending_callbacks() == pending
    assert calls.list(CallFilter(missed=True)).total > 0
    finished = services_callbacks.list(CallbackFilter(Queue.FINISHED), limit=1000).rows
    assert {r.satisfaction for r in finished if r.satisfaction} >= {Satisfaction.SATISFIED}
    # Most missed calls of earlier days were returned; the last hours' still wait.
    assert any(r.reason.value == "missed_call" for r in finished)
    db.dispose()


def test_demo_never_writes_into_a_database_in_use(services: Services, admin: Actor) -> None:
    with pytest.raises(ValidationError, match="已有用户"):
        demo.fill(services.db)


def test_demo_work_happens_in_business_hours_and_in_order(tmp_path: Path) -> None:
    """Issue 16 item 15: no resolution at 00:31, no callback at 05:35, none done before
    the day it comes up or before the work it follows."""
    from sqlalchemy import select

    from app.db.models import Call, CallbackTask, Complaint
    from app.domain.calls import CallbackReason
    from app.services.deadlines import load_calendar

    db = _fresh(tmp_path, "order.db")
    demo.fill(db, seed=3, customers=120, months=2)
    with db.read() as session:
        calendar = load_calendar(session)
        complaints = {c.id: c for c in session.scalars(select(Complaint))}
        tasks = list(session.scalars(select(CallbackTask).where(
            CallbackTask.done_at.is_not(None))))
        session.expunge_all()  # plain values from here on
        rang = dict(session.execute(select(Call.id, Call.received_at)).all())
    db.dispose()

    def in_business_hours(moment) -> bool:  # noqa: ANN001
        local = moment.astimezone(calendar.tz)
        return calendar.is_workday(local.date()) and \
            calendar.hours.start <= local.time() <= calendar.hours.end

    resolved = [c for c in complaints.values() if c.resolved_at]
    assert len(resolved) > 20 and len(tasks) > 20
    for c in complaints.values():
        steps = [c.created_at, c.dispatched_at, c.responded_at, c.resolved_at]
        done = [s for s in steps if s is not None]
        assert done == sorted(done), c.number
        assert all(in_business_hours(s) for s in done[1:]), (c.number, done)
    complaint_callbacks = 0
    for task in tasks:
        if not task.attempts:  # skipped at once (a do-not-call customer): nobody dialled
            continue
        assert in_business_hours(task.done_at), (task.id, task.done_at)
        due_day = calendar.local_date(task.first_due_at or task.due_at)
        if task.reason == CallbackReason.COMPLAINT:
            complaint_callbacks += 1
            resolved_at = complaints[task.complaint_id].resolved_at  # None once reworked
            assert resolved_at is None or task.done_at >= resolved_at, task.id
            assert calendar.local_date(task.done_at) >= due_day, task.id
        elif task.call_id is not None:
            assert task.done_at > rang[task.call_id], task.id
    assert complaint_callbacks > 10
