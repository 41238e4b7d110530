"""A call's duration is the whole call, from its start to its save (issue 16 item 11): the
complaint form opened during a call keeps the call's clock running, and a callback's call is
timed from the dialog's opening when the operator dials by hand."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from app.domain.calls import Direction
from app.domain.complaints import Category
from app.domain.roles import Actor, Role
from app.services import Services
from app.services.calls import CallFilter, CallInput
from app.services.complaints import ComplaintInput
from tests.callback_setup import resolved_complaint
from ui.callback_dialog import CallbackDialog
from ui.complaint_dialog import ComplaintDialog

pytestmark = [pytest.mark.gui, pytest.mark.usefixtures("chinese_ui")]


class RunningFor:
    """Stands in for a QElapsedTimer that was started `seconds` ago."""

    def __init__(self, seconds: int) -> None:
        self.ms = seconds * 1000

    def isValid(self) -> bool:  # noqa: N802 (Qt's name)
        return True

    def elapsed(self) -> int:
        return self.ms

    def start(self) -> None:
        self.ms = 0


@pytest.fixture
def operator(services: Services, admin: Actor) -> Actor:
    services.users.add_user(admin, "kf01", "王芳", Role.OPERATOR, "secret1")
    return services.users.authenticate("kf01", "secret1")


def test_the_complaint_form_keeps_the_call_timer_running(
        qtbot: QtBot, services: Services, operator: Actor) -> None:
    # 40 s of talk before the form opened, 95 s filling it in with the caller on the line.
    call = CallInput(phone="13912345678", summary="楼上装修噪音", duration_seconds=40)
    dialog = ComplaintDialog(services, operator, prefill=ComplaintInput(
        phone="13912345678", description="楼上装修噪音"), call=call)
    qtbot.addWidget(dialog)
    dialog.call_clock = RunningFor(95)
    dialog.category.setCurrentIndex(dialog.category.findData(Category.NOISE.value))
    dialog.save()
    qtbot.waitUntil(lambda: dialog.saved is not None)
    logged = services.calls.list(CallFilter(), 0, 10).rows
    assert [(c.outcome.value, c.duration_seconds) for c in logged] == [("complaint", 135)]


def test_a_callback_dialled_by_hand_is_timed_from_the_dialog(
        qtbot: QtBot, services: Services, admin: Actor, operator: Actor,
        monkeypatch: pytest.MonkeyPatch) -> None:
    complaint_id = resolved_complaint(services, admin, monkeypatch)
    pending = services.callbacks.pending_for_complaint(complaint_id)
    dialog = CallbackDialog(services, operator, services.callbacks.get(pending), "")
    qtbot.addWidget(dialog)
    assert dialog.clock.isValid()  # running before any dial button is pressed
    dialog.clock = RunningFor(75)
    dialog.not_reached.setChecked(True)
    dialog.save()
    qtbot.waitUntil(lambda: dialog.saved is not None)
    outbound = [c for c in services.calls.list(CallFilter(), 0, 10).rows
                if c.direction == Direction.OUTBOUND]
    assert [c.duration_seconds for c in outbound] == [75]
