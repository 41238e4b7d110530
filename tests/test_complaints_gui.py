"""投诉处理 driven as the front desk works: a call becomes a complaint, which is dispatched,
started and resolved from the tab with its shortcuts."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from app.domain.calls import Outcome
from app.domain.complaints import Action, Category, Status, Urgency
from app.domain.roles import Actor, Role
from app.paths import AppPaths
from app.services import Services
from app.services.calls import CallFilter
from app.services.complaints import ComplaintFilter, ComplaintInput
from app.services.customers import CustomerInput, PhoneInput, UnitInput
from app.settings import LocalSettings
from ui.complaint_model import ComplaintTableModel
from ui.context import UiContext
from ui.main_window import MainWindow

pytestmark = [pytest.mark.gui, pytest.mark.usefixtures("chinese_ui")]


@pytest.fixture
def operator(services: Services, admin: Actor) -> Actor:
    services.users.add_user(admin, "kf01", "王芳", Role.OPERATOR, "secret1")
    return services.users.authenticate("kf01", "secret1")


@pytest.fixture
def zhang(services: Services, admin: Actor) -> int:
    return services.customers.create(admin, CustomerInput(
        name="张三", phones=[PhoneInput("13800138000")], units=[UnitInput("3-2-1502")])).id


def open_window(qtbot: QtBot, paths: AppPaths, services: Services, actor: Actor) -> MainWindow:
    window = MainWindow(UiContext(paths, LocalSettings(paths.settings_file), services), actor)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.waitUntil(lambda: window.calls.panel.department.count() > 1)
    return window


def _modal() -> QWidget | None:
    return QApplication.activeModalWidget() or next(
        (w for w in QApplication.topLevelWidgets() if isinstance(w, QDialog) and w.isVisible()
         and w.isModal()), None)


def in_modal(qtbot: QtBot, act: Callable[[QWidget], None]) -> list[str]:
    """Runs ``act`` on the next modal dialog once it is up; returns its objectName. Polls
    with timers: waiting inside a timer would sit under the dialog's own event loop."""
    seen: list[str] = []

    def run() -> None:
        dialog = _modal()
        if dialog is None:
            QTimer.singleShot(20, run)
            return
        try:
            seen.append(dialog.objectName())
            dialog.activateWindow()  # offscreen, a new window is not activated by itself
            qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
            act(dialog)
        except BaseException as error:  # a failed check must not leave the dialog blocking
            failures.append(error)
            for widget in QApplication.topLevelWidgets():
                if isinstance(widget, QDialog) and widget.isVisible():
                    widget.reject()
            raise

    QTimer.singleShot(0, run)
    return seen


def in_modal_after(qtbot: QtBot, first: QWidget, act: Callable[[QWidget], None],
                   seen: list[str]) -> None:
    """Like ``in_modal``, for the modal dialog that comes up once ``first`` is gone."""
    tries = [250]  # ~5 s: a dialog that never comes must not act on a later test's

    def run() -> None:
        dialog = _modal()
        if dialog is None or dialog is first:
            tries[0] -= 1
            if tries[0] > 0:
                QTimer.singleShot(20, run)
            return
        try:
            seen.append(dialog.objectName())
            dialog.activateWindow()
            qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
            act(dialog)
        except BaseException as error:
            failures.append(error)
            dialog.reject()
            raise

    QTimer.singleShot(0, run)


failures: list[BaseException] = []


@pytest.fixture(autouse=True)
def no_failures_in_dialogs() -> None:
    failures.clear()
    yield
    assert failures == [], failures


def back_to(qtbot: QtBot, window: QWidget) -> None:
    """Offscreen, closing a dialog does not give the focus back to the window by itself."""
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)


def key(qtbot: QtBot, keys: str) -> None:
    """A shortcut as the user presses it, into whatever has the focus."""
    from PySide6.QtGui import QKeySequence

    combo = QKeySequence(keys)[0]
    target = QApplication.focusWidget() or QApplication.activeWindow()
    assert target is not None, f"nothing has the focus for {keys}"
    qtbot.keyClick(target, combo.key(), combo.keyboardModifiers())


def test_from_a_call_to_a_resolved_complaint_with_the_keyboard(
        qtbot: QtBot, paths: AppPaths, services: Services, operator: Actor,
        zhang: int) -> None:
    window = open_window(qtbot, paths, services, operator)
    panel = window.calls.panel
    key(qtbot, "F2")
    qtbot.keyClicks(panel.phone, "8000")
    qtbot.waitUntil(lambda: panel.matches.isVisible())
    qtbot.keyClick(panel.phone, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: panel.customer is not None)
    panel.summary.setFocus()
    panel.summary.insertPlainText("楼上漏水到卫生间，第三次了")

    def fill_the_form(dialog: QWidget) -> None:
        assert dialog.objectName() == "complaintDialog"
        qtbot.waitUntil(lambda: dialog.card is not None)
        assert "张" in dialog.customer_label.text()
        assert dialog.unit.currentText() == "3栋2单元1502"
        assert dialog.description.toPlainText() == "楼上漏水到卫生间，第三次了"
        assert dialog.phone.text() == "138 0013 8000"
        dialog.findChild(QWidget, "complaintFromCallLabel")  # says the call goes with it
        dialog.category.setFocus()
        dialog.category.setCurrentIndex(dialog.category.findData(Category.REPAIRS.value))
        dialog.demand.setFocus()
        dialog.demand.insertPlainText("彻底修好")
        in_modal_after(qtbot, dialog, lambda shown: key(qtbot, "Return"), seen)
        key(qtbot, "Ctrl+Return")

    seen = in_modal(qtbot, fill_the_form)
    key(qtbot, "Ctrl+T")  # from the call panel: the complaint form
    qtbot.waitUntil(lambda: len(seen) == 2)
    assert seen == ["complaintDialog", "complaintSavedDialog"]  # then its number
    qtbot.waitUntil(lambda: panel.summary.toPlainText() == "")  # the call went in with it
    back_to(qtbot, window)
    complaint = services.complaints.list().rows[0]
    assert (complaint.status, complaint.customer_name, complaint.category) == (
        Status.REGISTERED, "张三", Category.REPAIRS)
    calls = services.calls.list(CallFilter()).rows
    assert [(c.outcome, c.customer_id) for c in calls] == [(Outcome.COMPLAINT, zhang)]
    assert services.complaints.get(complaint.id).call_id == calls[0].id

    key(qtbot, "Ctrl+3")
    tab = window.complaints
    assert window.tabs.currentWidget() is tab
    qtbot.waitUntil(lambda: tab.detail is not None and tab.detail.row.id == complaint.id)
    assert complaint.number in tab.form_view.toPlainText()
    assert "已登记" in tab.form_view.toPlainText()
    tab.table.setFocus()

    def dispatch(dialog: QWidget) -> None:
        qtbot.waitUntil(lambda: dialog.department.count() > 1)
        dialog.department.setCurrentIndex(dialog.department.findText("工程部"))
        dialog.assignee.setEditText("李师傅")
        key(qtbot, "Ctrl+Return")

    assert in_modal(qtbot, dispatch) == []  # nothing up until the key is pressed
    key(qtbot, "Ctrl+D")
    qtbot.waitUntil(lambda: tab.detail.row.status == Status.DISPATCHED)
    back_to(qtbot, window)
    tab.table.setFocus()
    assert (tab.detail.row.department_name, tab.detail.row.assignee) == ("工程部", "李师傅")

    in_modal(qtbot, lambda dialog: key(qtbot, "Ctrl+Return"))
    key(qtbot, "Ctrl+G")  # start
    qtbot.waitUntil(lambda: tab.detail.row.status == Status.IN_PROGRESS)
    back_to(qtbot, window)
    tab.table.setFocus()

    def resolve(dialog: QWidget) -> None:
        assert dialog.objectName() == "resolveDialog"
        key(qtbot, "Ctrl+Return")  # without a resolution: refused, the dialog stays
        qtbot.waitUntil(lambda: dialog.error.isVisible())
        assert dialog.isVisible()
        dialog.resolution.setFocus()
        dialog.resolution.insertPlainText("更换楼上防水层")
        key(qtbot, "Ctrl+Return")

    in_modal(qtbot, resolve)
    key(qtbot, "Ctrl+R")
    qtbot.waitUntil(lambda: tab.detail.row.status == Status.AWAITING_CALLBACK)
    timeline = tab.timeline.toPlainText()
    for label in ("登记", "派单", "开始处理", "处理完毕"):
        assert label in timeline, label
    detail = services.complaints.get(complaint.id)
    assert [e.action for e in detail.timeline] == [
        Action.REGISTER, Action.DISPATCH, Action.START, Action.RESOLVE]
    assert {e.user_name for e in detail.timeline} == {"王芳"}
    assert detail.resolution == "更换楼上防水层"
    # An operator may not cancel: the button is off and the step is not offered.
    assert not tab.buttons[Action.CANCEL].isEnabled()


def test_a_new_complaint_shows_its_number_large_and_copies_it(
        qtbot: QtBot, paths: AppPaths, services: Services, operator: Actor,
        zhang: int) -> None:
    from PySide6.QtGui import QGuiApplication

    window = open_window(qtbot, paths, services, operator)
    tab = window.complaints
    window.tabs.setCurrentWidget(tab)
    QGuiApplication.clipboard().setText("something else")
    shown: dict[str, object] = {}
    seen: list[str] = []

    def read_and_copy(dialog: QWidget) -> None:
        number = dialog.findChild(QWidget, "complaintSavedNumber")
        shown["number"] = number.text()
        shown["size"] = number.font().pointSize()
        shown["normal"] = dialog.font().pointSize()
        key(qtbot, "Ctrl+C")
        shown["after Ctrl+C"] = QGuiApplication.clipboard().text()
        QGuiApplication.clipboard().setText("")
        key(qtbot, "Alt+C")  # the button's mnemonic does the same (an animated click)
        qtbot.waitUntil(lambda: QGuiApplication.clipboard().text() != "")
        shown["after Alt+C"] = QGuiApplication.clipboard().text()
        key(qtbot, "Return")  # closes

    def fill(dialog: QWidget) -> None:
        qtbot.waitUntil(lambda: dialog.card is not None)
        dialog.category.setCurrentIndex(dialog.category.findData(Category.REPAIRS.value))
        dialog.description.setFocus()
        dialog.description.insertPlainText("厨房水管漏水")
        in_modal_after(qtbot, dialog, read_and_copy, seen)
        key(qtbot, "Ctrl+Return")

    in_modal(qtbot, fill)
    saved = tab.new_complaint(ComplaintInput(customer_id=zhang), services.customers.get(zhang))
    assert saved is not None
    assert seen == ["complaintSavedDialog"]
    number = services.complaints.get(saved.row.id).row.number
    assert number and shown["number"] == number
    assert shown["after Ctrl+C"] == number and shown["after Alt+C"] == number
    assert shown["size"] >= 2 * shown["normal"]  # large enough to read out
    assert _modal() is None  # Return closed it


def test_a_repeat_is_shown_and_the_existing_one_can_be_opened(
        qtbot: QtBot, paths: AppPaths, services: Services, operator: Actor, admin: Actor,
        zhang: int) -> None:
    card = services.customers.get(zhang)
    first = services.complaints.create(admin, ComplaintInput(
        category=Category.NOISE, description="楼上装修噪音", customer_id=zhang,
        unit_id=card.units[0].id))
    window = open_window(qtbot, paths, services, operator)
    tab = window.complaints
    window.tabs.setCurrentWidget(tab)
    answers: list[str] = []

    def repeat(dialog: QWidget) -> None:
        qtbot.waitUntil(lambda: dialog.card is not None)
        dialog.category.setCurrentIndex(dialog.category.findData(Category.NOISE.value))
        dialog.description.setFocus()
        dialog.description.insertPlainText("又在装修")

        def answer() -> None:  # polls: waiting here would block the box's own loop
            box = QApplication.activeModalWidget()
            if not isinstance(box, QMessageBox):
                QTimer.singleShot(50, answer)
                return
            answers.append(box.text())
            box.findChild(QWidget, "openExistingComplaintButton").click()

        QTimer.singleShot(50, answer)
        dialog.save()

    in_modal(qtbot, repeat)
    tab.new_complaint(ComplaintInput(customer_id=zhang), card)
    assert first.row.number in answers[0]
    assert services.complaints.list(ComplaintFilter()).total == 1  # nothing new saved
    qtbot.waitUntil(lambda: tab.detail is not None and tab.detail.row.id == first.row.id)


def test_overdue_complaints_stand_out_in_the_list_and_the_status_bar(
        qtbot: QtBot, paths: AppPaths, services: Services, admin: Actor,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from datetime import timedelta

    from app import clock

    late = services.complaints.create(admin, ComplaintInput(
        category=Category.FEES, description="账单有误", phone="13800138000"))
    later = clock.utcnow() + timedelta(days=30)
    monkeypatch.setattr(clock, "utcnow", lambda: later)
    window = open_window(qtbot, paths, services, admin)
    qtbot.waitUntil(lambda: window.overdue_label.isVisible())
    assert "1" in window.overdue_label.text()
    window.overdue_label.click()
    tab = window.complaints
    assert tab.urgency_filter.currentData() == Urgency.OVERDUE.value
    qtbot.waitUntil(lambda: tab.model.rowCount() == 1)
    model: ComplaintTableModel = tab.model
    assert model.rows[0].number == late.row.number
    response = model.index(0, 7)
    assert "超时" in model.data(response)
    assert model.data(response, Qt.ItemDataRole.BackgroundRole) is not None
    assert model.data(model.index(0, 10), Qt.ItemDataRole.BackgroundRole) is not None


def test_the_complaint_model_passes_the_model_tester(
        qtmodeltester, qtbot: QtBot, services: Services, admin: Actor) -> None:  # noqa: ANN001
    for n in range(3):
        services.complaints.create(admin, ComplaintInput(
            category=Category.OTHER, description=f"第{n}件", phone="13800138000"),
            allow_duplicate=True)
    model = ComplaintTableModel(services.complaints.list)
    model.search(ComplaintFilter())
    qtbot.waitUntil(lambda: model.rowCount() == 3)
    qtmodeltester.check(model)


def test_a_step_the_role_does_not_allow_is_not_offered(
        qtbot: QtBot, paths: AppPaths, services: Services, operator: Actor, admin: Actor) -> None:
    done = services.complaints.create(admin, ComplaintInput(
        category=Category.OTHER, description="已处理", phone="13800138000", department_id=1))
    services.complaints.resolve(admin, done.row.id, "好了")
    from tests.test_complaints import call_back

    call_back(services, admin, done.row.id, satisfied=True)
    window = open_window(qtbot, paths, services, operator)
    tab = window.complaints
    tab.status_filter.setCurrentIndex(tab.status_filter.findData("all"))
    qtbot.waitUntil(lambda: tab.detail is not None and tab.detail.row.id == done.row.id)
    enabled = {action for action, button in tab.buttons.items() if button.isEnabled()}
    assert enabled == {Action.NOTE, Action.SLIP_PRINTED}  # closed: archiving is a supervisor's
    opened: list[QDialog] = []
    monkeypatch_exec = QDialog.exec
    try:
        QDialog.exec = lambda self: opened.append(self) or 0  # type: ignore[method-assign]
        tab.step(Action.ARCHIVE)
        tab.resolve()
    finally:
        QDialog.exec = monkeypatch_exec  # type: ignore[method-assign]
    assert opened == []


# -- the complaint form keeps what it was not asked to change ---------------------------------
@pytest.fixture
def li(services: Services, admin: Actor) -> int:
    return services.customers.create(admin, CustomerInput(
        name="李四", phones=[PhoneInput("13900139000")], units=[UnitInput("5-1-101")])).id


def _edit_form(qtbot: QtBot, services: Services, actor: Actor, complaint_id: int) -> QWidget:
    from ui.complaint_dialog import ComplaintDialog

    dialog = ComplaintDialog(services, actor, detail=services.complaints.get(complaint_id))
    qtbot.addWidget(dialog)
    return dialog


def test_editing_keeps_no_unit(qtbot: QtBot, services: Services, admin: Actor,
                               zhang: int) -> None:
    complaint = services.complaints.create(admin, ComplaintInput(
        category=Category.FEES, description="物业费", customer_id=zhang, unit_id=None))
    dialog = _edit_form(qtbot, services, admin, complaint.row.id)
    assert not dialog.save_button.isEnabled()  # not before the card is there
    qtbot.waitUntil(lambda: dialog.card is not None)
    assert dialog.save_button.isEnabled()
    assert dialog.unit.currentData() is None  # not the card's first unit
    dialog.save()
    qtbot.waitUntil(lambda: dialog.saved is not None)
    assert services.complaints.get(complaint.row.id).row.unit_id is None


def test_editing_keeps_a_unit_the_card_does_not_have(
        qtbot: QtBot, services: Services, admin: Actor, zhang: int, li: int) -> None:
    elsewhere = services.customers.get(li).units[0]
    complaint = services.complaints.create(admin, ComplaintInput(
        category=Category.NOISE, description="噪音", customer_id=zhang,
        unit_id=elsewhere.id))
    dialog = _edit_form(qtbot, services, admin, complaint.row.id)
    qtbot.waitUntil(lambda: dialog.card is not None)
    assert dialog.unit.currentData() == elsewhere.id
    assert dialog.unit.currentText() == complaint.row.unit_label
    assert dialog.unit.count() == 3  # the card's unit, the complaint's, "(no unit)"
    dialog.save()
    qtbot.waitUntil(lambda: dialog.saved is not None)
    saved = services.complaints.get(complaint.row.id).row
    assert (saved.customer_id, saved.unit_id) == (zhang, elsewhere.id)


def test_a_card_that_cannot_be_loaded_keeps_the_complaints_customer(
        qtbot: QtBot, services: Services, admin: Actor, zhang: int,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from app.errors import NotFound

    unit_id = services.customers.get(zhang).units[0].id
    complaint = services.complaints.create(admin, ComplaintInput(
        category=Category.NOISE, description="噪音", customer_id=zhang, unit_id=unit_id))

    def gone(customer_id: int) -> None:
        raise NotFound("那张客户档案已不存在")

    monkeypatch.setattr(services.customers, "get", gone)
    dialog = _edit_form(qtbot, services, admin, complaint.row.id)
    qtbot.waitUntil(lambda: dialog.save_button.isEnabled())
    assert dialog.card is None
    assert "那张客户档案已不存在" in dialog.customer_label.text()
    data = dialog.collect()
    assert (data.customer_id, data.unit_id) == (zhang, unit_id)
    assert dialog.unit.currentText() == "3栋2单元1502"


# -- a step is done once, however fast the keys are pressed -----------------------------------
def test_ctrl_enter_twice_adds_one_note(qtbot: QtBot, services: Services,
                                         admin: Actor) -> None:
    from tests.conftest import drain_operations
    from ui.complaint_actions import ReasonDialog, reason_for

    complaint = services.complaints.create(admin, ComplaintInput(
        category=Category.OTHER, description="催办", phone="13800138000"))
    prompt, required = reason_for(Action.NOTE)
    dialog = ReasonDialog("备注", prompt, required, lambda text: services.complaints.add_note(
        admin, complaint.row.id, text))
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    dialog.text.setFocus()
    dialog.text.insertPlainText("已催工程部")
    qtbot.keyClick(dialog.text, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(dialog.text, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    drain_operations()
    notes = [e for e in services.complaints.get(complaint.row.id).timeline
             if e.action == Action.NOTE]
    assert len(notes) == 1


# -- the slip as PDF ----------------------------------------------------------------------------
@pytest.mark.qt_log_ignore(r"QPainter::begin\(\): Returned false")
def test_a_slip_pdf_that_cannot_be_written_is_explained(
        qtbot: QtBot, paths: AppPaths, services: Services, admin: Actor, tmp_path,  # noqa: ANN001
        monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtWidgets import QFileDialog

    from app.errors import CallDeskError
    from ui import complaints_tab

    complaint = services.complaints.create(admin, ComplaintInput(
        category=Category.OTHER, description="单据", phone="13800138000"))
    window = open_window(qtbot, paths, services, admin)
    tab = window.complaints
    tab.open_complaint(complaint.row.id)
    qtbot.waitUntil(lambda: tab.detail is not None)
    shown: list[BaseException] = []
    monkeypatch.setattr(complaints_tab, "show_error", lambda parent, error: shown.append(error))
    a_file = tmp_path / "a-file"
    a_file.write_text("x")
    a_folder = tmp_path / "a-folder.pdf"
    a_folder.mkdir()
    # A folder where the file should go (as a file locked by another program: nothing can
    # be painted), and a folder that cannot be made (under a file).
    for count, target in enumerate((a_folder, a_file / "sub" / "slip.pdf"), start=1):
        monkeypatch.setattr(QFileDialog, "getSaveFileName",
                            lambda *a, target=target, **k: (str(target), ""))
        tab.save_slip_pdf()
        qtbot.waitUntil(lambda count=count: len(shown) == count)
    assert all(isinstance(error, CallDeskError) for error in shown)
    assert str(a_folder) in str(shown[0]) and str(a_file) in str(shown[1])
    written = tmp_path / "out" / "slip.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(written), ""))
    tab.save_slip_pdf()
    qtbot.waitUntil(lambda: written.is_file() and written.stat().st_size > 0)
    assert len(shown) == 2
