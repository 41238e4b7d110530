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
