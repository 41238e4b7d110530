"""The usual start of a callback test: 王秀英's noise complaint, resolved, and the clock moved
on until its 回访 is due."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app import clock
from app.domain.complaints import Category
from app.domain.customers import Title
from app.domain.roles import Actor
from app.services import Services
from app.services.complaints import ComplaintInput
from app.services.customers import CustomerInput, PhoneInput, UnitInput


def resolved_complaint(services: Services, admin: Actor, monkeypatch: pytest.MonkeyPatch,
                       days_later: int = 10) -> int:
    """The complaint's id; ``clock.utcnow`` stands ``days_later`` days after its resolution."""
    card = services.customers.create(admin, CustomerInput(
        name="王秀英", title=Title.MS, phones=[PhoneInput("13912345678")],
        units=[UnitInput("3-2-1502")]))
    complaint = services.complaints.create(admin, ComplaintInput(
        category=Category.NOISE, description="楼上夜间装修噪音", customer_id=card.id,
        unit_id=card.units[0].id, department_id=2))
    services.complaints.resolve(admin, complaint.row.id, "已约谈装修户，夜间停工")
    later = clock.utcnow() + timedelta(days=days_later)
    monkeypatch.setattr(clock, "utcnow", lambda: later)
    return complaint.row.id
