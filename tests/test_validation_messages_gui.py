"""No code word ever reaches a user: every form that validates is made to refuse its input,
in Chinese and in English, and each message it shows under a field (or above its buttons)
must be a sentence in the user's language: never "required", "too long" or "past", and no
English in the Chinese UI."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import QCoreApplication, QDateTime
from PySide6.QtWidgets import QLabel, QWidget
from pytestqt.qtbot import QtBot

from app.domain.calls import CallType, Outcome, Satisfaction
from app.domain.complaints import Category
from app.domain.roles import Actor, Role
from app.errors import ValidationError
from app.paths import AppPaths
from app.services import Services
from app.services.calls import CallInput
from app.services.complaints import ComplaintInput
from app.settings import LocalSettings
from tests.callback_setup import resolved_complaint
from tests.ui_texts import cjk, latin_words

pytestmark = pytest.mark.gui

CODE_WORD = re.compile(r"[a-z_ ]+")


@pytest.fixture(params=["zh_CN", "en"])
def language(request: pytest.FixtureRequest, qapp) -> Iterator[str]:  # noqa: ANN001
    from ui import operations, translations

    installed = translations.install(qapp, request.param)
    yield request.param
    operations.wait_for_all()
    QCoreApplication.processEvents()
    for translator in installed:
        qapp.removeTranslator(translator)


@pytest.fixture(autouse=True)
def no_message_boxes(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[BaseException]]:
    """A refusal belongs in the form: one going to a message box fails the test (instead of
    blocking it on the box)."""
    boxed: list[BaseException] = []
    monkeypatch.setattr("ui.errors.show_error", lambda parent, error: boxed.append(error))
    yield boxed
    assert boxed == []


def check_sentence(language: str, where: str, text: str) -> None:
    text = text.strip()
    assert text, f"{where}: an empty message"
    assert not CODE_WORD.fullmatch(text), f"{where}: the code word {text!r} reached the user"
    if language == "zh_CN":
        assert cjk(text), f"{where}: {text!r} is not in Chinese"
        assert latin_words(text) == [], f"{where}: English in the Chinese UI: {text!r}"
    else:
        assert not cjk(text), f"{where}: {text!r} is not in English"
        assert len(re.findall(r"[A-Za-z]{2,}", text)) >= 2, f"{where}: {text!r} is not a sentence"


def shown_errors(dialog: QWidget) -> list[tuple[str, str]]:
    """The error labels a form shows now (every form's labels are named "…Error")."""
    return [(label.objectName(), label.text()) for label in dialog.findChildren(QLabel)
            if label.objectName().endswith("Error") and label.isVisibleTo(dialog)
            and label.text()]


def refused(qtbot: QtBot, language: str, dialog: QWidget, submit: Callable[[], None],
            *expected_fields: str) -> list[str]:
    """Submits ``dialog`` and checks every message it then shows; returns the label names."""
    from tests.conftest import drain_operations

    for label in dialog.findChildren(QLabel):
        if label.objectName().endswith("Error"):
            label.clear()
            label.hide()
    submit()
    qtbot.waitUntil(lambda: shown_errors(dialog) != [])
    drain_operations()
    shown = shown_errors(dialog)
    for where, text in shown:
        check_sentence(language, f"{dialog.objectName()}.{where}", text)
    names = [where for where, _text in shown]
    for field in expected_fields:
        assert any(field in where for where in names), (field, names)
    return names


@pytest.fixture
def operator(services: Services, admin: Actor) -> Actor:
    services.users.add_user(admin, "kf01", "王芳", Role.OPERATOR, "secret1")
    return services.users.authenticate("kf01", "secret1")


@pytest.fixture
def resolved(services: Services, admin: Actor, monkeypatch: pytest.MonkeyPatch) -> int:
    return resolved_complaint(services, admin, monkeypatch)


def add(qtbot: QtBot, dialog: QWidget) -> QWidget:
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_the_callback_dialog_says_what_is_missing_in_sentences(
        qtbot: QtBot, language: str, services: Services, operator: Actor,
        resolved: int) -> None:
    from ui.callback_dialog import CallbackDialog

    pending = services.callbacks.pending_for_complaint(resolved)
    dialog = add(qtbot, CallbackDialog(services, operator, services.callbacks.get(pending)))
    refused(qtbot, language, dialog, dialog.save)  # reached or not: not chosen
    dialog.reached.click()
    refused(qtbot, language, dialog, dialog.save, "satisfaction")
    dialog.satisfaction_buttons[Satisfaction.UNSATISFIED].click()
    refused(qtbot, language, dialog, dialog.save, "next_step")
    dialog.rework.click()
    refused(qtbot, language, dialog, dialog.save, "comment")
    dialog.comment.setPlainText("还是很吵" if language == "zh_CN" else "still loud")
    dialog.call_again.click()
    dialog.call_again_at.setDateTime(QDateTime.currentDateTime().addDays(-30))
    refused(qtbot, language, dialog, dialog.save, "call_again_at")
    dialog.comment.setPlainText("x" * 2001)
    refused(qtbot, language, dialog, dialog.save)


def test_the_schedule_dialog_refuses_in_sentences(
        qtbot: QtBot, language: str, services: Services, operator: Actor) -> None:
    from ui.callback_dialog import ScheduleCallbackDialog

    dialog = add(qtbot, ScheduleCallbackDialog(services, operator, phone="12", customer_id=None,
                                               call_id=None))
    dialog.when.setDateTime(QDateTime.currentDateTime().addDays(-2))
    refused(qtbot, language, dialog, dialog.save, "phone", "due_at")


def test_the_call_panel_and_the_call_dialog_refuse_in_sentences(
        qtbot: QtBot, language: str, services: Services, operator: Actor) -> None:
    from ui.call_dialog import CallDialog
    from ui.calls_tab import CallPanel

    panel = add(qtbot, CallPanel(services, operator))
    refused(qtbot, language, panel, panel.save, "phone")
    row = services.calls.log(operator, CallInput(
        phone="13800138000", call_type=CallType.INQUIRY, outcome=Outcome.SOLVED,
        summary="问停车费"))
    dialog = add(qtbot, CallDialog(services, operator, row))
    dialog.summary.clear()
    refused(qtbot, language, dialog, dialog.submit, "summary")


def test_cards_and_complaints_refuse_in_sentences(
        qtbot: QtBot, language: str, services: Services, operator: Actor,
        admin: Actor) -> None:
    from ui.complaint_actions import DispatchDialog, ReasonDialog, ResolveDialog
    from ui.complaint_dialog import ComplaintDialog
    from ui.customer_dialog import CustomerDialog

    card = add(qtbot, CustomerDialog(services, operator))
    refused(qtbot, language, card, card.submit, "name")
    complaint = add(qtbot, ComplaintDialog(services, operator))
    refused(qtbot, language, complaint, complaint.save, "category", "description")

    registered = services.complaints.create(operator, ComplaintInput(
        category=Category.CLEANING, description="楼道垃圾没人清", phone="13912345678"))
    dispatch = add(qtbot, DispatchDialog(services, operator, registered, redispatch=False))
    refused(qtbot, language, dispatch, dispatch.submit)  # the department list has not loaded
    started = services.complaints.create(operator, ComplaintInput(
        category=Category.REPAIRS, description="电梯异响", phone="13912345678", department_id=2))
    started = services.complaints.start(operator, started.row.id)
    resolve = add(qtbot, ResolveDialog(services, operator, started))
    refused(qtbot, language, resolve, resolve.submit)
    cancel = add(qtbot, ReasonDialog(
        "Cancel", "Why?", True,
        lambda note: services.complaints.cancel(admin, registered.row.id, note)))
    refused(qtbot, language, cancel, cancel.submit)


def test_administration_forms_refuse_in_sentences(
        qtbot: QtBot, language: str, paths: AppPaths, services: Services,
        admin: Actor) -> None:
    from ui.context import UiContext
    from ui.password_dialog import ChangePasswordDialog
    from ui.settings_dialog import SettingsDialog
    from ui.setup_dialog import SetupDialog
    from ui.users_dialog import PasswordResetDialog, UserEditDialog

    user = add(qtbot, UserEditDialog(services, admin, services.departments.list()))
    refused(qtbot, language, user, user.submit, "login", "display_name")
    user.login.setText("kf03")
    user.display_name.setText("钱七")
    refused(qtbot, language, user, user.submit, "password")
    someone = services.users.add_user(admin, "kf02", "赵敏", Role.OPERATOR, "secret12")
    reset = add(qtbot, PasswordResetDialog(services, admin, someone))
    refused(qtbot, language, reset, reset.submit, "resetPassword")
    password = add(qtbot, ChangePasswordDialog(services.users, admin))
    password.old.setText("wrong-password")
    password.new.setText("new-password-1")
    password.confirm.setText("new-password-1")
    refused(qtbot, language, password, password.submit, "old_password")
    setup = add(qtbot, SetupDialog(services.users, "calldesk.db"))
    refused(qtbot, language, setup, setup.submit)
    settings = add(qtbot, SettingsDialog(UiContext(paths, LocalSettings(paths.settings_file),
                                                   services), admin))
    from tests.conftest import drain_operations

    drain_operations()
    settings.centre.clear()
    refused(qtbot, language, settings, settings.submit)


def test_a_code_word_given_to_a_validation_error_becomes_its_sentence() -> None:
    """The guard at the source: whatever a service passes, a field gets a sentence."""
    error = ValidationError("Write why the customer is not satisfied.",
                            {"comment": "required", "due_at": "past", "note": "too long"})
    assert error.fields == dict.fromkeys(("comment", "due_at", "note"),
                                         "Write why the customer is not satisfied.")
    named = ValidationError("Choose the department.", ("department",))
    assert named.fields == {"department": "Choose the department."}
    assert ValidationError("x", {"name": "Enter the name."}).fields == {
        "name": "Enter the name."}

