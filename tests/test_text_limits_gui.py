"""Every long text shows how much of its limit it uses once it nears it ("3712 / 4000", red
over it), and a form refuses an over-long text with a sentence before anything is saved."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QPlainTextEdit, QWidget
from pytestqt.qtbot import QtBot

from app.domain.calls import CallType, Outcome
from app.domain.complaints import Category
from app.domain.customers import Title
from app.domain.roles import Actor, Role
from app.domain.texts import LONG_TEXT_MAX, NOTE_MAX, counter_from
from app.services import Services
from app.services.calls import CallInput
from app.services.complaints import ComplaintInput
from app.services.customers import CustomerInput, PhoneInput, UnitInput
from tests.test_validation_messages_gui import check_sentence

pytestmark = pytest.mark.gui


@pytest.fixture(params=["zh_CN", "en"])
def language(request: pytest.FixtureRequest, qapp) -> Iterator[str]:  # noqa: ANN001
    from ui import operations, translations

    installed = translations.install(qapp, request.param)
    yield request.param
    operations.wait_for_all()
    QCoreApplication.processEvents()
    for translator in installed:
        qapp.removeTranslator(translator)


@pytest.fixture
def operator(services: Services, admin: Actor) -> Actor:
    services.users.add_user(admin, "kf01", "王芳", Role.OPERATOR, "secret1")
    return services.users.authenticate("kf01", "secret1")


def shown(qtbot: QtBot, dialog: QWidget) -> QWidget:
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_the_counter_appears_near_the_limit_and_turns_red_over_it(
        qtbot: QtBot, services: Services, operator: Actor) -> None:
    from ui.complaint_dialog import ComplaintDialog

    dialog = shown(qtbot, ComplaintDialog(services, operator))
    counter = dialog.errors.counters["description"]
    assert counter.objectName() == "complaintDescriptionEditCounter"
    assert counter.accessibleName()
    assert counter_from(LONG_TEXT_MAX) == 3600
    dialog.description.setPlainText("噪" * 3599)
    assert not counter.isVisible()
    dialog.description.setPlainText("噪" * 3712)
    assert counter.isVisible()
    assert counter.text() == "3712 / 4000"
    assert "b3261e" not in counter.styleSheet()
    dialog.description.setPlainText("噪" * 4001)
    assert counter.text() == "4001 / 4000"
    assert "b3261e" in counter.styleSheet()
    dialog.description.clear()
    assert not counter.isVisible()


def test_a_text_already_near_the_limit_shows_its_counter_when_the_form_opens(
        qtbot: QtBot, services: Services, operator: Actor) -> None:
    from ui.call_dialog import CallDialog

    row = services.calls.log(operator, CallInput(
        phone="13800138000", call_type=CallType.INQUIRY, outcome=Outcome.SOLVED,
        summary="问" * 1900))
    dialog = shown(qtbot, CallDialog(services, operator, row))
    assert dialog.summary_counter.isVisible()
    assert dialog.summary_counter.text() == f"1900 / {NOTE_MAX}"


def test_an_over_long_complaint_is_refused_before_the_database(
        qtbot: QtBot, services: Services, operator: Actor,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from ui.complaint_dialog import ComplaintDialog

    asked: list[object] = []
    monkeypatch.setattr(services.complaints, "create", lambda *a, **k: asked.append(a))
    dialog = shown(qtbot, ComplaintDialog(services, operator))
    dialog.category.setCurrentIndex(1)
    dialog.phone.setText("13912345678")
    dialog.description.setPlainText("楼上装修" * 1001)
    dialog.save()
    label = dialog.findChild(QWidget, "complaint_descriptionError")
    assert label.isVisibleTo(dialog)
    assert "4004" in label.text() and "4000" in label.text()
    assert asked == []
    assert dialog.save_button.isEnabled()


def _forms(services: Services, operator: Actor, admin: Actor
           ) -> Iterator[tuple[QWidget, QPlainTextEdit, int, Callable[[], None]]]:
    """Each form with a long text: the form, the text, its limit and how it is saved."""
    from ui.call_dialog import CallDialog
    from ui.callback_dialog import CallbackDialog, ScheduleCallbackDialog
    from ui.calls_tab import CallPanel
    from ui.complaint_actions import ResolveDialog
    from ui.complaint_dialog import ComplaintDialog
    from ui.customer_dialog import CustomerDialog

    panel = CallPanel(services, operator)
    yield panel, panel.summary, NOTE_MAX, panel.save
    row = services.calls.log(operator, CallInput(
        phone="13800138000", call_type=CallType.INQUIRY, outcome=Outcome.SOLVED,
        summary="问停车费"))
    call = CallDialog(services, operator, row)
    yield call, call.summary, NOTE_MAX, call.submit
    for field in ("description", "demand"):
        complaint = ComplaintDialog(services, operator)
        yield complaint, getattr(complaint, field), LONG_TEXT_MAX, complaint.save
    card = services.customers.create(admin, CustomerInput(
        name="王秀英", title=Title.MS, phones=[PhoneInput("13912345678")],
        units=[UnitInput("3-2-1502")]))
    started = services.complaints.create(operator, ComplaintInput(
        category=Category.REPAIRS, description="电梯异响", customer_id=card.id,
        unit_id=card.units[0].id, department_id=2))
    started = services.complaints.start(operator, started.row.id)
    for field in ("resolution", "measures"):
        resolve = ResolveDialog(services, operator, started)
        yield resolve, getattr(resolve, field), LONG_TEXT_MAX, resolve.submit
    services.complaints.resolve(admin, started.row.id, "已更换电梯导靴")
    schedule = ScheduleCallbackDialog(services, operator, phone="13912345678",
                                      customer_id=None, call_id=None)
    yield schedule, schedule.note, NOTE_MAX, schedule.save
    pending = services.callbacks.pending_for_complaint(started.row.id)
    callback = CallbackDialog(services, operator, services.callbacks.get(pending))
    callback.reached.click()
    yield callback, callback.comment, NOTE_MAX, callback.save
    customer = CustomerDialog(services, operator)
    customer.name_edit.setText("李四")
    yield customer, customer.notes, NOTE_MAX, customer.submit


def test_every_long_text_counts_and_refuses_over_its_limit_in_a_sentence(
        qtbot: QtBot, language: str, services: Services, operator: Actor,
        admin: Actor) -> None:
    from tests.conftest import drain_operations

    walked = []
    for form, edit, limit, save in _forms(services, operator, admin):
        shown(qtbot, form)
        edit.setPlainText("长" * (limit + 7))
        counter = next(c for c in form.errors.counters.values() if c.edit is edit)
        assert counter.isVisible(), edit.objectName()
        assert counter.text() == f"{limit + 7} / {limit}"
        save()
        drain_operations()
        messages = [label.text() for label in form.findChildren(QWidget)
                    if label.objectName().endswith("Error") and label.isVisibleTo(form)
                    and label.text()]
        assert messages, edit.objectName()
        for text in messages:
            check_sentence(language, edit.objectName(), text)
        assert any(str(limit + 7) in text for text in messages), (edit.objectName(), messages)
        walked.append(edit.objectName())
        form.close()
    assert len(walked) == 9
