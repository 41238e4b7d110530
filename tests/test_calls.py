"""The call log on both databases: logging, missed calls, editing rules, the list."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from app import clock
from app.db.models import CallbackTask
from app.domain.calls import CallbackReason, CallbackStatus, CallType, Direction, Outcome
from app.domain.roles import Actor, Role
from app.errors import PermissionDenied, ValidationError
from app.services import Services
from app.services.calls import CallFilter, CallInput, list_position
from app.services.customers import CustomerInput, PhoneInput, UnitInput


@pytest.fixture
def zhang(services: Services, admin: Actor) -> int:
    return services.customers.create(admin, CustomerInput(
        name="张三", phones=[PhoneInput("13800138000")], units=[UnitInput("3-2-1502")])).id


@pytest.fixture
def operator(services: Services, admin: Actor) -> Actor:
    services.users.add_user(admin, "kf01", "王芳", Role.OPERATOR, "secret1")
    return services.users.authenticate("kf01", "secret1")


def repair(**extra: object) -> CallInput:
    values: dict[str, object] = dict(phone="138-0013-8000", call_type=CallType.REPAIR,
                                     summary="厨房水管漏水", outcome=Outcome.DISPATCHED,
                                     department_id=1, duration_seconds=95)
    values.update(extra)
    return CallInput(**values)  # type: ignore[arg-type]


def test_a_call_from_a_known_number_is_linked_to_the_card(services: Services, zhang: int,
                                                          operator: Actor) -> None:
    row = services.calls.log(operator, repair())
    assert (row.customer_id, row.customer_name, row.phone) == (zhang, "张三", "138 0013 8000")
    assert (row.call_type, row.outcome, row.department_name) == \
        (CallType.REPAIR, Outcome.DISPATCHED, "工程部")
    assert row.operator_name == "王芳" and row.duration_seconds == 95
    assert clock.utcnow() - row.received_at >= timedelta(seconds=94)  # began before it ended
    assert services.calls.recent_for_customer(zhang)[0].id == row.id


def test_a_call_needs_type_summary_outcome_and_department(services: Services,
                                                          operator: Actor) -> None:
    with pytest.raises(ValidationError) as caught:
        services.calls.log(operator, CallInput(phone="12345"))
    assert set(caught.value.fields) == {"phone", "call_type", "summary", "outcome"}
    with pytest.raises(ValidationError) as caught:
        services.calls.log(operator, repair(department_id=None))
    assert set(caught.value.fields) == {"department"}
    assert services.calls.list().total == 0


def test_a_missed_call_becomes_a_callback_task(services: Services, zhang: int,
                                               operator: Actor) -> None:
    row = services.calls.log(operator, CallInput(phone="13800138000", missed=True))
    assert row.missed and row.call_type is None and row.customer_id == zhang
    with services.db.read() as session:
        task = session.execute(select(CallbackTask.reason, CallbackTask.status,
                                      CallbackTask.call_id, CallbackTask.phone)).one()
    assert tuple(task) == (CallbackReason.MISSED_CALL, CallbackStatus.PENDING, row.id,
                           "138 0013 8000")
    assert services.calls.pending_callbacks() == 1
    with pytest.raises(ValidationError):
        services.calls.log(operator, CallInput(missed=True))  # no number, no callback


def test_operators_edit_their_own_calls_the_same_day(services: Services, admin: Actor,
                                                     operator: Actor,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    row = services.calls.log(operator, repair())
    edited = services.calls.update(operator, row.id, repair(summary="厨房和卫生间都漏水"))
    assert edited.summary == "厨房和卫生间都漏水"
    services.users.add_user(admin, "kf02", "李娜", Role.OPERATOR, "secret1")
    other = services.users.authenticate("kf02", "secret1")
    with pytest.raises(PermissionDenied):
        services.calls.update(other, row.id, repair(summary="改"))
    tomorrow = clock.utcnow() + timedelta(days=1)
    monkeypatch.setattr(clock, "utcnow", lambda: tomorrow)
    with pytest.raises(PermissionDenied, match="当天"):
        services.calls.update(operator, row.id, repair(summary="第二天再改"))
    services.calls.update(admin, row.id, repair(summary="主管更正"))  # a supervisor may
    trail = services.audit.entries_for(admin, "call", row.id)
    assert [t.action for t in trail] == ["update", "update", "create"]
    assert trail[0].changes["summary"] == ["厨房和卫生间都漏水", "主管更正"]


def test_the_list_filters_and_puts_the_newest_first(services: Services, zhang: int,
                                                    admin: Actor, operator: Actor) -> None:
    first = services.calls.log(operator, repair())
    second = services.calls.log(admin, repair(call_type=CallType.INQUIRY, outcome=Outcome.SOLVED,
                                              summary="咨询物业费缴纳方式"))
    outbound = services.calls.log(operator, repair(direction=Direction.OUTBOUND,
                                                   call_type=CallType.OTHER,
                                                   outcome=Outcome.SOLVED, summary="回访"))
    assert [r.id for r in services.calls.list().rows] == [outbound.id, second.id, first.id]
    assert [r.id for r in services.calls.list(CallFilter(call_type=CallType.REPAIR)).rows] == \
        [first.id]
    assert services.calls.list(CallFilter(operator_id=operator.user_id)).total == 2
    assert services.calls.list(CallFilter(direction=Direction.OUTBOUND)).total == 1
    assert services.calls.list(CallFilter(text="物业费")).total == 1
    assert services.calls.list(CallFilter(text="张三")).total == 3
    assert services.calls.list(CallFilter(text="0013 8000")).total == 3
    today = clock.utcnow().astimezone().date()
    assert services.calls.list(CallFilter(start=today, end=today)).total == 3
    assert services.calls.list(CallFilter(end=today - timedelta(days=1))).total == 0


def test_later_pages_continue_after_the_last_row_shown(services: Services, zhang: int,
                                                      operator: Actor) -> None:
    """Keyset paging gives the offset pages' rows, calls at the same second included, and
    a call logged while the user scrolls neither repeats nor hides a row."""
    moment = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)
    for index in range(7):  # pairs of calls in the same second
        services.calls.log(operator, repair(
            received_at=moment - timedelta(seconds=index // 2), summary=f"第{index}个"))
    by_offset = [r.id for offset in (0, 3, 6)
                 for r in services.calls.list(CallFilter(), offset, 3).rows]
    first = services.calls.list(CallFilter(), 0, 3)
    services.calls.log(operator, repair(summary="翻页时新来的电话"))  # newest: tops the list
    pages = [first.rows]
    while len(pages[-1]) == 3:
        pages.append(services.calls.list(CallFilter(), 3 * len(pages), 3, False,
                                         after=list_position(pages[-1][-1])).rows)
    assert [r.id for page in pages for r in page] == by_offset
    # an export reads by position too: every call once, the new one included
    exported = [r.id for r in services.calls.iter_rows(CallFilter())]
    assert len(exported) == len(set(exported)) == 8


def test_merging_cards_brings_the_calls_along(services: Services, zhang: int, admin: Actor,
                                              operator: Actor) -> None:
    other = services.customers.create(admin, CustomerInput(
        name="张三", phones=[PhoneInput("13700001111")])).id
    call = services.calls.log(operator, repair(phone="13700001111"))
    assert call.customer_id == other
    services.customers.merge(admin, zhang, other)
    assert services.calls.get(call.id).customer_id == zhang
