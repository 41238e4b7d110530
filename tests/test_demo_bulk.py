"""Demo data at scale holds what the services would have written: they read it back as
their own, and a desk can go on working in it."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app import clock, demo_bulk
from app.db import Database, default_sqlite_url, migrate
from app.db.models import (
    Call,
    CallbackAttempt,
    CallbackTask,
    Complaint,
    ComplaintEvent,
    Customer,
    CustomerNameGram,
    CustomerPhone,
    FormSequence,
    name_grams,
)
from app.domain.calls import CallbackReason, CallbackStatus, Direction
from app.domain.complaints import WORKING_STATUSES, Status
from app.reports.monthly import Month, month_bounds, monthly_report
from app.services import Services
from app.services.callbacks import CallbackFilter, Queue
from app.services.calls import CallInput
from app.services.complaints import ComplaintFilter, ComplaintInput
from tests.conftest import _backends, make_database

NOW = datetime(2025, 12, 17, 7, tzinfo=UTC)  # a Wednesday afternoon in Shanghai
# Enough calls a day that the last days' complaints are still open whatever the time zone.
CUSTOMERS, MONTHS = 3_000, 2


@pytest.fixture(scope="module", params=_backends())
def filled(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
           ) -> Iterator[tuple[Database, demo_bulk.BulkSummary]]:
    """One generated database per backend for the reading tests (they change nothing)."""
    for db in make_database(request.param, tmp_path_factory.mktemp("bulk")):
        yield db, demo_bulk.fill(db, seed=11, customers=CUSTOMERS, months=MONTHS, now=NOW)


def _count(db: Database, model: type, *where: object) -> int:
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(model).where(*where)) or 0


def test_the_rows_are_what_the_summary_says(
        filled: tuple[Database, demo_bulk.BulkSummary]) -> None:
    db, summary = filled
    assert _count(db, Customer) == summary.customers == CUSTOMERS
    assert _count(db, CustomerPhone) == summary.phones
    assert _count(db, Call) == summary.calls
    assert _count(db, Call, Call.missed.is_(True)) == summary.missed > 0
    assert _count(db, Complaint) == summary.complaints > 20
    assert _count(db, ComplaintEvent) == summary.events
    assert _count(db, CallbackTask) == summary.callbacks
    assert _count(db, CallbackAttempt) == summary.attempts
    # about 1 % of the customers call on a working day, fewer at weekends
    days = MONTHS * 365.25 / 12
    expected = CUSTOMERS * demo_bulk.CALLS_PER_CUSTOMER_DAY * days \
        * (5 + 2 * demo_bulk.WEEKEND_SHARE) / 7
    assert 0.8 * expected < summary.calls - summary.attempts < 1.2 * expected
    with db.read() as session:
        first, last = session.execute(select(func.min(Call.received_at),
                                             func.max(Call.received_at))).one()
    assert NOW - timedelta(days=MONTHS * 31 + 1) < first < NOW - timedelta(days=MONTHS * 30 - 1)
    assert NOW - timedelta(days=2) < last <= NOW


def test_cards_are_found_by_name_as_if_a_service_saved_them(
        filled: tuple[Database, demo_bulk.BulkSummary]) -> None:
    db, _ = filled
    with db.read() as session:
        names = dict(session.execute(select(Customer.id, Customer.name)).all())
        grams: dict[int, set[str]] = {}
        for gram, customer_id in session.execute(select(CustomerNameGram.gram,
                                                        CustomerNameGram.customer_id)):
            grams.setdefault(customer_id, set()).add(gram)
        live = set(session.scalars(select(Customer.id).where(
            Customer.merged_into_id.is_(None))))
    assert grams == {cid: set(name_grams(name)) for cid, name in names.items()}
    services = Services.open(db)
    for cid in sorted(live)[::300]:
        assert cid in [r.id for r in services.customers.search(names[cid], 0, 500).rows]


def test_every_complaint_stands_where_its_timeline_ends(
        filled: tuple[Database, demo_bulk.BulkSummary]) -> None:
    db, _ = filled
    with db.read() as session:
        complaints = session.scalars(select(Complaint)).all()
        states = Counter(c.status for c in complaints)
        for complaint in complaints:
            events = complaint.events
            assert events[0].action == "register" and events[0].at == complaint.created_at
            assert [e.at for e in events] == sorted(e.at for e in events), complaint.number
            moves = [e for e in events if e.to_status is not None]
            for before, after in zip(moves, moves[1:], strict=False):
                assert after.from_status == before.to_status, complaint.number
            assert moves[-1].to_status == complaint.status.value, complaint.number
            assert complaint.updated_at == events[-1].at
            working = complaint.status in WORKING_STATUSES
            expected = (complaint.response_due_at if complaint.responded_at is None
                        else complaint.resolve_due_at) if working else None
            assert complaint.next_due_at == expected, complaint.number
            assert (complaint.closed_at is not None) == (complaint.status in (
                Status.CLOSED, Status.CANCELLED)), complaint.number
    # a quarter's complaints are at every stage of their life
    assert states[Status.CLOSED] > states[Status.AWAITING_CALLBACK] > 0


def test_callbacks_and_their_attempts_agree(
        filled: tuple[Database, demo_bulk.BulkSummary]) -> None:
    db, _ = filled
    with db.read() as session:
        tasks = session.scalars(select(CallbackTask)).all()
        attempts = Counter(session.scalars(select(CallbackAttempt.callback_id)))
        outbound = {c.id: c for c in session.scalars(
            select(Call).where(Call.direction == Direction.OUTBOUND,
                               Call.id.in_(select(CallbackAttempt.call_id))))}
        for task in tasks:
            assert task.attempts == attempts[task.id], task.id
            assert task.first_due_at is not None and task.first_due_at >= task.created_at
            assert (task.done_at is None) == (task.status == CallbackStatus.PENDING)
            if task.status == CallbackStatus.DONE:
                assert task.result_call_id in outbound
                if task.reason == CallbackReason.COMPLAINT:
                    assert task.satisfaction is not None
            if task.reason == CallbackReason.MISSED_CALL:
                assert task.call_id is not None and task.due_at >= task.created_at
        statuses = {t.status for t in tasks}
    assert len(outbound) == sum(attempts.values())
    assert statuses >= {CallbackStatus.DONE, CallbackStatus.PENDING}


def test_the_services_read_it_as_their_own(
        filled: tuple[Database, demo_bulk.BulkSummary]) -> None:
    db, summary = filled
    services = Services.open(db)
    supervisor = services.users.authenticate("demo", demo_bulk.DEMO_PASSWORD)
    assert services.calls.list(limit=1).total == summary.calls
    assert services.complaints.list(ComplaintFilter()).total == summary.complaints
    with clock.at(NOW):
        counts = services.callbacks.counts()
        assert counts[Queue.DUE] == services.callbacks.list(
            CallbackFilter(queue=Queue.DUE)).total
    month = Month(2025, 11)
    report = monthly_report(db, supervisor, month, summary.centre_name)
    start, end = month_bounds(month)
    assert report.kpis.complaints_received == _count(
        db, Complaint, Complaint.created_at >= start, Complaint.created_at < end) > 0
    assert report.kpis.calls_received > report.kpis.calls_missed > 0
    assert report.kpis.callbacks_done > 0 and report.kpis.satisfied > 0
    with db.read() as session:
        reworked = session.scalar(select(Complaint.number).where(Complaint.reopen_count > 0)
                                  .limit(1))
    detail = services.complaints.by_number(reworked)
    assert [e.action for e in detail.timeline].count("callback_unsatisfied") == 1
    assert detail.call_id is not None


def test_a_desk_goes_on_working_in_it(db: Database) -> None:
    """Numbers continue each month's sequence; new rows get new ids (PostgreSQL's
    sequences were moved past the generated ids)."""
    summary = demo_bulk.fill(db, seed=12, customers=600, months=1, now=NOW)
    services = Services.open(db)
    operator = services.users.authenticate("kf01", demo_bulk.DEMO_PASSWORD)
    with db.read() as session:
        last_number, last_at = session.execute(select(Complaint.number, Complaint.created_at)
                                               .order_by(Complaint.id.desc()).limit(1)).one()
        sequence = session.scalar(select(FormSequence.last).where(
            FormSequence.key == last_number[:8]))
    assert last_number.endswith(f"-{sequence:04d}")
    with clock.at(last_at + timedelta(minutes=1)):
        detail = services.complaints.create(operator, ComplaintInput(
            category=services.complaints.list(ComplaintFilter()).rows[0].category,
            description="电梯停运", phone="13800001111"),
            call=CallInput(phone="13800001111"), allow_duplicate=True)
    assert detail.row.number == f"{last_number[:8]}-{sequence + 1:04d}"
    assert services.calls.list(limit=1).total == summary.calls + 1


def test_a_form_goes_back_at_most_twice(sqlite_db: Database,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """Even if every customer reached were unsatisfied, the third answer is taken: no form
    is left reopened with nobody to handle it."""
    monkeypatch.setattr(demo_bulk, "UNSATISFIED_SHARE", 1.0)
    demo_bulk.fill(sqlite_db, seed=13, customers=1_500, months=2, now=NOW)
    with sqlite_db.read() as session:
        forms = session.execute(select(Complaint.number, Complaint.status,
                                       Complaint.reopen_count, Complaint.updated_at)).all()
    assert max(f.reopen_count for f in forms) == 2
    assert not [f.number for f in forms if f.status == Status.REOPENED
                and f.updated_at < NOW - timedelta(days=10)]
    assert any(f.status == Status.CLOSED and f.reopen_count == 2 for f in forms)


def test_same_seed_same_rows(tmp_path: Path) -> None:
    def fill(name: str, seed: int) -> list[tuple[object, ...]]:
        db = Database(default_sqlite_url(tmp_path / name))
        migrate.upgrade(db)
        demo_bulk.fill(db, seed=seed, customers=150, months=1, now=NOW)
        with db.read() as session:
            rows = session.execute(select(Complaint.number, Complaint.status,
                                          Complaint.resolve_due_at)
                                   .order_by(Complaint.id)).all()
        db.dispose()
        return [tuple(r) for r in rows]

    assert fill("one.db", 3) == fill("two.db", 3) != fill("three.db", 4)


def test_follow_up_work_happens_in_business_hours(
        filled: tuple[Database, demo_bulk.BulkSummary]) -> None:
    """Issue 16 item 15, for the benchmark's data too: dispatch, handling, resolution and
    callbacks in business hours and in order; callback calls say what came of them."""
    from app.domain.calls import Outcome
    from app.services.deadlines import load_calendar

    db, _ = filled
    with db.read() as session:
        calendar = load_calendar(session)
        forms = session.execute(select(Complaint.number, Complaint.created_at,
                                       Complaint.dispatched_at, Complaint.responded_at,
                                       Complaint.resolved_at)).all()
        done = session.execute(select(CallbackTask.id, CallbackTask.done_at).where(
            CallbackTask.done_at.is_not(None), CallbackTask.attempts > 0)).all()
        callback_outcomes = set(session.scalars(select(Call.outcome).where(
            Call.id.in_(select(CallbackAttempt.call_id)))))

    def in_business_hours(moment: datetime) -> bool:
        local = moment.astimezone(calendar.tz)
        return calendar.is_workday(local.date()) and \
            calendar.hours.start <= local.time() <= calendar.hours.end

    assert len(forms) > 50 and len(done) > 50
    for number, *steps in forms:
        happened = [s for s in steps if s is not None]
        assert happened == sorted(happened), number
        assert all(in_business_hours(s) for s in happened[1:]), (number, happened)
    assert all(in_business_hours(at) for _id, at in done)
    assert callback_outcomes == {Outcome.CALLED_BACK, Outcome.NOT_REACHED}
