"""What a callback leads to, as a desk meets it: a customer with a callback waiting rings in
and it is done on their call (回访待办 in the pop-up); the unknown caller of a missed call gets
a card from the callback; a missed call's caller with a complaint gets the form on the same
call."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from app import clock
from app.db.models import Call
from app.domain.calls import CallbackStatus, CallType, Direction, Outcome, Satisfaction
from app.domain.complaints import Category, Status
from app.domain.roles import Actor
from app.errors import ValidationError
from app.paths import AppPaths
from app.services import Services
from app.services.callbacks import CallbackFilter, Outcome_, Queue
from app.services.calls import CallFilter, CallInput
from app.services.customers import CustomerInput, PhoneInput
from tests.callback_setup import resolved_complaint
from tests.test_callbacks_gui import open_window
from tests.test_complaints_gui import in_modal, in_modal_after, key, no_failures_in_dialogs  # noqa: F401
from ui.callback_dialog import CallbackDialog
from ui.main_window import MainWindow

PHONE = "13912345678"  # 王秀英's, in tests.callback_setup


def _pending(services: Services) -> int:
    return services.callbacks.list(CallbackFilter(Queue.ALL)).rows[0].id


def _calls(services: Services) -> list:  # noqa: ANN202 - rows of the calls table
    from sqlalchemy import select

    with services.db.read() as session:
        return list(session.execute(
            select(Call.id, Call.direction, Call.outcome, Call.call_type,
                   Call.duration_seconds).order_by(Call.id)))


def _missed_unknown(services: Services, operator: Actor) -> int:
    services.calls.log(operator, CallInput(phone="13700001111", missed=True,
                                           received_at=clock.utcnow() - timedelta(hours=2)))
    return _pending(services)


# -- the service ------------------------------------------------------------------------------
def test_a_callback_on_the_customers_own_call_logs_that_call_as_inbound(
        services: Services, admin: Actor, monkeypatch: pytest.MonkeyPatch) -> None:
    complaint_id = resolved_complaint(services, admin, monkeypatch)
    task = _pending(services)
    before = len(_calls(services))
    with pytest.raises(ValidationError):  # on the line: not reached is not a choice
        services.callbacks.record(admin, task, Outcome_(reached=False), on_inbound_call=True)
    assert len(_calls(services)) == before
    assert services.callbacks.get(task).row.status == CallbackStatus.PENDING
    done = services.callbacks.record(admin, task, Outcome_(
        reached=True, satisfaction=Satisfaction.SATISFIED, duration_seconds=75),
        on_inbound_call=True)
    assert done.row.status == CallbackStatus.DONE
    call = _calls(services)[-1]
    assert (call.direction, call.outcome, call.call_type, call.duration_seconds) == (
        Direction.INBOUND, Outcome.SOLVED, CallType.COMPLAINT, 75)
    assert done.attempts[-1].call_id == call.id
    assert services.complaints.get(complaint_id).row.status == Status.CLOSED


def test_a_do_not_call_customer_who_rings_in_can_have_the_callback_done(
        services: Services, admin: Actor, monkeypatch: pytest.MonkeyPatch) -> None:
    from app.domain.customers import Title
    from app.errors import CallDeskError
    from app.services.customers import UnitInput

    complaint_id = resolved_complaint(services, admin, monkeypatch)
    services.customers.update(admin, services.complaints.get(complaint_id).row.customer_id,
                              CustomerInput(name="王秀英", title=Title.MS,
                                            phones=[PhoneInput(PHONE)],
                                            units=[UnitInput("3-2-1502")], do_not_call=True))
    task = _pending(services)

    with pytest.raises(CallDeskError):  # we do not dial them …
        services.callbacks.record(admin, task, Outcome_(
            reached=True, satisfaction=Satisfaction.SATISFIED))
    services.callbacks.record(admin, task, Outcome_(  # … but they called us
        reached=True, satisfaction=Satisfaction.SATISFIED), on_inbound_call=True)
    assert services.callbacks.get(task).row.status == CallbackStatus.DONE


def test_a_card_made_from_a_missed_calls_callback_takes_the_callback_and_the_call(
        services: Services, operator: Actor, admin: Actor) -> None:
    task = _missed_unknown(services, operator)
    card = services.customers.create(operator, CustomerInput(
        name="李四", phones=[PhoneInput("13700001111")]))
    detail = services.callbacks.attach_customer(operator, task, card.id)
    assert detail.row.customer_id == card.id and detail.row.customer_name == "李四"
    missed = services.calls.list(CallFilter()).rows[0]
    assert missed.missed and missed.customer_id == card.id
    other = services.customers.create(admin, CustomerInput(
        name="王五", phones=[PhoneInput("13600002222")]))
    from app.errors import CallDeskError

    with pytest.raises(CallDeskError):  # already someone's: not moved silently
        services.callbacks.attach_customer(operator, task, other.id)
    assert services.callbacks.get(task).row.customer_id == card.id


# -- the desk -----------------------------------------------------------------------------------
@pytest.mark.gui
@pytest.mark.usefixtures("chinese_ui")
def test_the_pop_up_offers_the_waiting_callback_and_it_is_done_on_the_call(
        qtbot: QtBot, paths: AppPaths, services: Services, operator: Actor, admin: Actor,
        monkeypatch: pytest.MonkeyPatch) -> None:
    complaint_id = resolved_complaint(services, admin, monkeypatch)
    number = services.complaints.get(complaint_id).row.number
    window = open_window(qtbot, paths, services, operator)
    window.show_incoming(PHONE)
    qtbot.waitUntil(lambda: window.popup is not None and window.popup.isVisible())
    popup = window.popup
    assert popup.pending_label.text() == "回访待办："
    assert popup.callback_button.isVisible()
    assert number in popup.pending.item(0).text()
    seen: dict[str, object] = {}

    def do_it(dialog: QWidget) -> None:
        assert isinstance(dialog, CallbackDialog) and dialog.on_call
        seen["title"] = dialog.windowTitle()
        seen["dial shown"] = dialog.dial_button.isVisible()
        seen["not reached shown"] = dialog.not_reached.isVisible()
        assert dialog.reached.isChecked() and dialog.satisfaction_box.isVisible()
        key(qtbot, "1")  # digits pick the satisfaction while it has the focus
        assert dialog.satisfaction_buttons[Satisfaction.SATISFIED].isChecked()
        key(qtbot, "Ctrl+Return")

    in_modal(qtbot, do_it)
    popup.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is popup)
    qtbot.keyClick(popup, Qt.Key.Key_H, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: services.complaints.get(complaint_id).row.status == Status.CLOSED)
    assert seen == {"title": "在客户来电中回访：王女士", "dial shown": False,
                    "not reached shown": False}
    call = _calls(services)[-1]
    assert (call.direction, call.outcome) == (Direction.INBOUND, Outcome.SOLVED)
    assert window.popup is None  # done: the pop-up has gone
    qtbot.waitUntil(lambda: "回访已记录" in window.notice_label.text())


@pytest.mark.gui
@pytest.mark.usefixtures("chinese_ui")
def test_the_unknown_caller_of_a_missed_call_gets_a_card_from_the_callback(
        qtbot: QtBot, services: Services, operator: Actor) -> None:
    task = _missed_unknown(services, operator)
    dialog = CallbackDialog(services, operator, services.callbacks.get(task))
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.new_card_button.isVisible() and dialog.complaint_button.isVisible()

    def make_card(card_dialog: QWidget) -> None:
        assert card_dialog.objectName() == "customerDialog"
        phones = card_dialog.phones
        assert phones.item(0, 0).text().replace(" ", "") == "13700001111"
        card_dialog.name_edit.setText("李四")
        key(qtbot, "Ctrl+Return")

    in_modal(qtbot, make_card)
    dialog.new_card_button.click()
    qtbot.waitUntil(lambda: services.callbacks.get(task).row.customer_id is not None)
    qtbot.waitUntil(lambda: not dialog.new_card_button.isVisible())
    assert "李四" in dialog.summary.toPlainText()
    assert services.calls.list(CallFilter()).rows[0].customer_name == "李四"


@pytest.mark.gui
@pytest.mark.usefixtures("chinese_ui")
def test_a_missed_calls_caller_with_a_complaint_gets_the_form_on_the_same_call(
        qtbot: QtBot, paths: AppPaths, services: Services, operator: Actor) -> None:
    card = services.customers.create(operator, CustomerInput(
        name="张三", phones=[PhoneInput("13700001111")]))
    task = _missed_unknown(services, operator)
    window: MainWindow = open_window(qtbot, paths, services, operator)
    seen: list[str] = []
    refused: list[str] = []

    def close_number(saved: QWidget) -> None:
        key(qtbot, "Return")

    def fill(form: QWidget) -> None:
        qtbot.waitUntil(lambda: form.card is not None)
        assert form.card.id == card.id and form.phone.text() != ""
        form.category.setCurrentIndex(form.category.findData(Category.CLEANING.value))
        form.description.setFocus()
        form.description.insertPlainText("垃圾没人清")
        in_modal_after(qtbot, form, close_number, seen)
        key(qtbot, "Ctrl+Return")

    def turn_into_complaint(dialog: QWidget) -> None:
        key(qtbot, "Ctrl+T")  # not reached yet: said, nothing saved
        refused.append(dialog.errors.general.text())
        assert dialog.isVisible()
        dialog.reached.setFocus()
        key(qtbot, "Alt+Y")
        qtbot.waitUntil(lambda: dialog.reached.isChecked())
        in_modal_after(qtbot, dialog, fill, seen)
        key(qtbot, "Ctrl+T")

    in_modal(qtbot, turn_into_complaint)
    window.callbacks.open_callback(task)
    qtbot.waitUntil(lambda: seen == ["complaintDialog", "complaintSavedDialog"], timeout=10_000)
    qtbot.waitUntil(lambda: services.complaints.list().total == 1)
    assert refused and "已接通" in refused[0]
    callback = services.callbacks.get(task)
    assert callback.row.status == CallbackStatus.DONE
    complaint = services.complaints.list().rows[0]
    detail = services.complaints.get(complaint.id)
    assert detail.call_id == callback.attempts[-1].call_id is not None
    assert complaint.customer_id == card.id and complaint.category == Category.CLEANING
