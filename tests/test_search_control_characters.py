"""Control characters in search text never reach the database (issue 14): a NUL gave a
raw DataError on PostgreSQL and matched every row on SQLite (LIKE ends the pattern at it)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app import clock
from app.domain.calls import CallType, Outcome
from app.domain.complaints import Category
from app.domain.roles import Actor
from app.domain.texts import search_text
from app.services import Services
from app.services.callbacks import CallbackFilter, Queue
from app.services.calls import CallFilter, CallInput
from app.services.complaints import ComplaintFilter, ComplaintInput
from app.services.customers import CustomerInput, PhoneInput

TYPED = ["漏\x00水", "\x00", "漏水\x00\x1b", "\x00漏水", "\t漏水\r\n"]


@pytest.fixture
def filled(services: Services, admin: Actor) -> Services:
    for summary, phone in (("楼上漏水", "13800138000"), ("问物业费", "13900139000"),
                           ("停车位", "13700137000")):
        services.calls.log(admin, CallInput(phone=phone, call_type=CallType.INQUIRY,
                                            outcome=Outcome.SOLVED, summary=summary))
        services.complaints.create(admin, ComplaintInput(
            category=Category.REPAIRS, description=summary, phone=phone))
        services.callbacks.schedule(admin, due_at=clock.utcnow() + timedelta(hours=1),
                                    phone=phone, note=summary)
        services.customers.create(admin, CustomerInput(name=summary[:2] + "先生",
                                                       phones=[PhoneInput(phone)]))
    return services


def test_the_helper() -> None:
    assert search_text(" 漏\x00水\x1b ") == "漏水"
    assert search_text("138\t0013\n8000") == "138 0013 8000"
    assert search_text("\x00\x07") == ""


@pytest.mark.parametrize("typed", TYPED)
def test_the_call_list(filled: Services, typed: str) -> None:
    rows = filled.calls.list(CallFilter(text=typed), 0, 50).rows
    expected = 3 if typed == "\x00" else 1  # a NUL alone is no search text at all
    assert len(rows) == expected, typed
    if expected == 1:
        assert rows[0].summary == "楼上漏水"


@pytest.mark.parametrize("typed", TYPED)
def test_the_complaint_list(filled: Services, typed: str) -> None:
    page = filled.complaints.list(ComplaintFilter(text=typed), 0, 50)
    assert page.total == (3 if typed == "\x00" else 1), typed


@pytest.mark.parametrize("typed", ["\x001380", "1380\x00", "13\x0080"])
def test_the_callback_list_customers_and_global_search(filled: Services, typed: str) -> None:
    assert filled.callbacks.list(CallbackFilter(queue=Queue.ALL, text=typed), 0, 50).total == 1
    assert filled.customers.search(typed, 0, 50).total == 1
    assert filled.customers.search("楼上\x00", 0, 50).total == 1
    assert len(filled.search.search(typed)) >= 1
