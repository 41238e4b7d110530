"""回访 driven as the front desk works: the due counter and the notice at sign-in, the queue,
the callback dialog with its filled script, dialling, and the result closing the complaint."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from PySide6.QtCore import QProcess
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QInputDialog, QWidget
from pytestqt.qtbot import QtBot

from app import clock
from app.domain.calls import CallbackStatus, Satisfaction
from app.domain.complaints import Status
from app.domain.roles import Actor, Role
from app.paths import AppPaths
from app.services import Services
from app.services.callbacks import CallbackFilter, Queue
from app.services.calls import CallInput
from app.services.customers import CustomerInput, UnitInput
from app.settings import SOFTPHONE_COMMAND, LocalSettings
from tests.callback_setup import resolved_complaint
from tests.test_complaints_gui import back_to, in_modal, key, no_failures_in_dialogs  # noqa: F401
from ui.callback_dialog import CallbackDialog, softphone_arguments
from ui.context import UiContext
from ui.main_window import MainWindow

pytestmark = [pytest.mark.gui, pytest.mark.usefixtures("chinese_ui")]


@pytest.fixture
def operator(services: Services, admin: Actor) -> Actor:
    services.users.add_user(admin, "kf01", "王芳", Role.OPERATOR, "secret1")
    return services.users.authenticate("kf01", "secret1")


@pytest.fixture
def resolved(services: Services, admin: Actor, monkeypatch: pytest.MonkeyPatch) -> int:
    """A resolved complaint of 王秀英 whose callback is due (the clock moved past it)."""
    return resolved_complaint(services, admin, monkeypatch)


def missed_a_week_ago(services: Services, operator: Actor) -> None:
    """A missed call whose callback (due by the missed-call rule) is overdue by now."""
    services.calls.log(operator, CallInput(phone="13800138000", missed=True,
                                           received_at=clock.utcnow() - timedelta(days=7)))


def open_window(qtbot: QtBot, paths: AppPaths, services: Services, actor: Actor,
                softphone: str = "") -> MainWindow:
    local = LocalSettings(paths.settings_file)
    local.set(SOFTPHONE_COMMAND, softphone)
    window = MainWindow(UiContext(paths, local, services), actor)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    return window


def test_the_sign_in_notice_stands_beside_the_status_labels(
        qtbot: QtBot, paths: AppPaths, services: Services, operator: Actor,
        resolved: int) -> None:
    """The notice has a label of its own: it never covers (or is drawn over by) who is
    signed in, and it goes after its time."""
    missed_a_week_ago(services, operator)
    window = open_window(qtbot, paths, services, operator)
    qtbot.waitUntil(lambda: window.notice_label.isVisible())
    assert window.notice_label.text() == "今天有 2 个回访到期或已超时。"
    assert window.user_label.isVisible() and window.database_label.isVisible()
    label_box = window.user_label.geometry()
    assert not label_box.intersects(window.notice_label.geometry())
    window.show_status("已保存", 50)
    assert window.notice_label.text() == "已保存"
    qtbot.waitUntil(lambda: not window.notice_label.isVisible())


def test_from_the_queue_through_the_dialog_to_a_closed_complaint(
        qtbot: QtBot, paths: AppPaths, services: Services, operator: Actor, resolved: int,
        monkeypatch: pytest.MonkeyPatch) -> None:
    missed_a_week_ago(services, operator)
    notices: list[str] = []
    monkeypatch.setattr(MainWindow, "notify", lambda self, title, text: notices.append(text))
    window = open_window(qtbot, paths, services, operator)
    qtbot.waitUntil(lambda: window.due_callbacks_button.isVisible())
    assert window.due_callbacks_button.text() == "2 个回访待办"
    assert notices == ["今天有 2 个回访到期或已超时。"]  # said once, at sign-in

    window.due_callbacks_button.click()  # the status bar opens the queue
    tab = window.callbacks
    assert window.tabs.currentWidget() is tab and tab.queue == Queue.DUE
    qtbot.waitUntil(lambda: tab.model.rowCount() == 2)
    assert tab.queue_buttons[Queue.DUE].text() == "待办（2）"
    row = next(i for i, r in enumerate(tab.model.rows) if r.complaint_id == resolved)
    tab.table.selectRow(row)
    tab.table.setFocus()

    def call_back(dialog: QWidget) -> None:
        assert isinstance(dialog, CallbackDialog)
        qtbot.waitUntil(lambda: dialog.script.text() != "")
        script = dialog.script.text()
        assert "王女士" in script and "楼上夜间装修噪音" in script and "阳光花园物业服务中心" in script
        assert "已约谈装修户" in dialog.summary.toPlainText()
        key(qtbot, "F5")  # no softphone here: the number is copied
        assert QGuiApplication.clipboard().text() == "139 1234 5678"
        assert QApplication.focusWidget() is dialog.reached  # dialled: the result is next
        key(qtbot, "Space")
        assert dialog.reached.isChecked() and dialog.satisfaction_box.isVisibleTo(dialog)
        key(qtbot, "Ctrl+Return")  # no satisfaction chosen: refused, stays open
        qtbot.waitUntil(lambda: dialog.errors.labels["satisfaction"].isVisible())
        dialog.satisfaction_buttons[Satisfaction.FAIRLY].setFocus()
        dialog.satisfaction_buttons[Satisfaction.FAIRLY].click()
        dialog.comment.setFocus()
        dialog.comment.insertPlainText("晚上安静多了")
        key(qtbot, "Ctrl+Return")

    in_modal(qtbot, call_back)
    key(qtbot, "Return")
    qtbot.waitUntil(lambda: tab.model.rowCount() == 1)  # the missed call is left
    complaint = services.complaints.get(resolved)
    assert complaint.row.status == Status.CLOSED
    assert complaint.timeline[-1].user_name == "王芳"
    done = services.callbacks.list(CallbackFilter(Queue.FINISHED)).rows
    assert [(r.satisfaction, r.comment, r.attempts) for r in done] == [
        (Satisfaction.FAIRLY, "晚上安静多了", 1)]
    qtbot.waitUntil(lambda: window.due_callbacks_button.text() == "1 个回访待办")


def test_the_softphone_command_gets_the_number(
        qtbot: QtBot, paths: AppPaths, services: Services, operator: Actor, resolved: int,
        monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[tuple[str, list[str]]] = []
    monkeypatch.setattr(QProcess, "startDetached",
                        lambda program, arguments: started.append((program, arguments))
                        or (True, 1))
    pending = services.callbacks.pending_for_complaint(resolved)
    dialog = CallbackDialog(services, operator, services.callbacks.get(pending),
                            '"C:\\Program Files\\MicroSIP\\microsip.exe" {number}')
    qtbot.addWidget(dialog)
    dialog.dial()
    assert started == [("C:\\Program Files\\MicroSIP\\microsip.exe", ["13912345678"])]
    assert softphone_arguments("linphone-cli --call", "+86 139 1234 5678") == [
        "linphone-cli", "--call", "+8613912345678"]


def test_a_do_not_call_customer_is_never_dialled(
        qtbot: QtBot, services: Services, operator: Actor, admin: Actor, resolved: int,
        monkeypatch: pytest.MonkeyPatch) -> None:
    pending = services.callbacks.pending_for_complaint(resolved)
    card = services.customers.lookup_phone("13912345678")[0]
    from app.services.customers import PhoneInput as Phone

    services.customers.update(admin, card.id, CustomerInput(
        name=card.name, title=card.title, do_not_call=True,
        phones=[Phone(p.display, p.label) for p in card.phones],
        units=[UnitInput(u.label, u.role) for u in card.units]),
        expected_updated_at=card.updated_at)
    dialog = CallbackDialog(services, operator, services.callbacks.get(pending))
    qtbot.addWidget(dialog)
    assert dialog.warning.isVisibleTo(dialog)
    assert not dialog.dial_button.isEnabled() and not dialog.save_button.isEnabled()
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("客户要求不回访", True))
    dialog.skip()
    qtbot.waitUntil(lambda: dialog.saved is not None)
    assert dialog.saved.row.status == CallbackStatus.SKIPPED
    assert services.complaints.get(resolved).row.status == Status.CLOSED


def test_a_supervisor_reviews_from_the_queue(
        qtbot: QtBot, paths: AppPaths, services: Services, admin: Actor, operator: Actor,
        resolved: int, monkeypatch: pytest.MonkeyPatch) -> None:
    from app.services.callbacks import Outcome_

    pending = services.callbacks.pending_for_complaint(resolved)
    services.callbacks.record(operator, pending, Outcome_(reached=True,
                                                          satisfaction=Satisfaction.SATISFIED))
    services.users.add_user(admin, "zg01", "赵主管", Role.SUPERVISOR, "secret1")
    supervisor = services.users.authenticate("zg01", "secret1")
    window = open_window(qtbot, paths, services, supervisor)
    tab = window.callbacks
    window.tabs.setCurrentWidget(tab)
    tab.unreviewed_check.setChecked(True)
    tab.show_queue(Queue.FINISHED)
    qtbot.waitUntil(lambda: tab.model.rowCount() == 1)
    tab.table.selectRow(0)
    monkeypatch.setattr(QInputDialog, "getMultiLineText", lambda *a, **k: ("回访及时", True))
    tab.review_selected()
    qtbot.waitUntil(lambda: tab.model.rowCount() == 0)  # reviewed: off the unreviewed list
    reviewed = services.callbacks.get(pending).row
    assert (reviewed.reviewed_by, reviewed.review_comment) == ("赵主管", "回访及时")
    # Operators neither see the review button nor the failed list.
    other = open_window(qtbot, paths, services, operator)
    assert not other.callbacks.review_button.isVisibleTo(other)
    assert Queue.FAILED not in other.callbacks.queue_buttons


def test_a_mistyped_softphone_command_copies_the_number(
        qtbot: QtBot, services: Services, operator: Actor, resolved: int,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from ui import callback_dialog

    started: list[object] = []
    shown: list[BaseException] = []
    monkeypatch.setattr(QProcess, "startDetached", lambda *a: started.append(a) or (True, 1))
    monkeypatch.setattr(callback_dialog, "show_error", lambda parent, error: shown.append(error))
    pending = services.callbacks.pending_for_complaint(resolved)
    dialog = CallbackDialog(services, operator, services.callbacks.get(pending),
                            '"C:\\Program Files\\MicroSIP\\microsip.exe {number}')  # no "
    qtbot.addWidget(dialog)
    dialog.dial()
    assert started == []
    assert len(shown) == 1 and "C:\\Program Files\\MicroSIP" in str(shown[0])
    assert QGuiApplication.clipboard().text() == "139 1234 5678"


def test_ctrl_enter_twice_schedules_one_callback(qtbot: QtBot, services: Services,
                                                  operator: Actor) -> None:
    from tests.conftest import drain_operations
    from ui.callback_dialog import ScheduleCallbackDialog

    dialog = ScheduleCallbackDialog(services, operator, phone="13800138000", customer_id=None,
                                    call_id=None)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    dialog.note.setFocus()
    dialog.note.insertPlainText("下午一点后再打")
    key(qtbot, "Ctrl+Return")
    key(qtbot, "Ctrl+Return")
    drain_operations()
    assert dialog.saved is not None
    assert services.callbacks.list(CallbackFilter(Queue.ALL)).total == 1


def test_a_supervisor_closes_the_complaint_of_a_failed_callback(
        qtbot: QtBot, paths: AppPaths, services: Services, admin: Actor, operator: Actor,
        resolved: int, monkeypatch: pytest.MonkeyPatch) -> None:
    from app.services.callbacks import Outcome_

    pending = services.callbacks.pending_for_complaint(resolved)
    for _ in range(3):
        services.callbacks.record(operator, pending, Outcome_(reached=False))
    window = open_window(qtbot, paths, services, admin)
    tab = window.callbacks
    window.tabs.setCurrentWidget(tab)
    tab.show_queue(Queue.FAILED)
    qtbot.waitUntil(lambda: tab.model.rowCount() == 1)
    tab.table.selectRow(0)
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("三次未接通", True))
    tab.close_unreached_selected()
    qtbot.waitUntil(lambda: services.complaints.get(resolved).row.status == Status.CLOSED)


def test_the_queue_learns_of_missed_calls_with_the_status_bar(
        qtbot: QtBot, paths: AppPaths, services: Services, operator: Actor,
        office_hours: datetime) -> None:
    """Logged on the panel, handed over by the softphone, or on another desk: the 回访 tab's
    list and counts follow without a click on a filter."""
    window = open_window(qtbot, paths, services, operator)
    tab, panel = window.callbacks, window.calls.panel
    qtbot.waitUntil(lambda: not tab.model.is_loading())
    assert tab.model.total == 0
    window.start_call()
    qtbot.keyClicks(panel.phone, "13700001111")
    panel.missed.setChecked(True)
    panel.save()
    qtbot.waitUntil(lambda: tab.model.total == 1)
    qtbot.waitUntil(lambda: tab.queue_buttons[Queue.DUE].text() == "待办（1）")
    window.show_incoming("13700002222", missed=True)
    qtbot.waitUntil(lambda: tab.model.total == 2)
    services.calls.log(operator, CallInput(phone="13700003333", missed=True))  # another desk
    window._counter_timer.timeout.emit()  # the minute's look at the counters
    qtbot.waitUntil(lambda: tab.model.total == 3)
    qtbot.waitUntil(lambda: window.due_callbacks_button.text() == "3 个回访待办")


def test_the_queue_keeps_its_place_across_refreshes(
        qtbot: QtBot, paths: AppPaths, services: Services, operator: Actor,
        office_hours: datetime) -> None:
    """The chosen callback stays chosen; when it is done, the one that took its place is
    chosen (not the top row); and the list stays scrolled where it was."""
    for number in range(40):
        services.calls.log(operator, CallInput(phone=f"137000{number:05d}", missed=True))
    window = open_window(qtbot, paths, services, operator)
    window.resize(1024, 768)
    tab = window.callbacks
    window.tabs.setCurrentWidget(tab)
    qtbot.waitUntil(lambda: tab.model.rowCount() == 40)

    def refreshed() -> None:
        tab.reload()
        qtbot.waitUntil(lambda: not tab.model.is_loading())

    tab.table.selectRow(2)
    chosen = tab._selected_id()
    refreshed()
    assert tab._selected_id() == chosen
    services.callbacks.skip(operator, chosen, "号码是空号")
    refreshed()
    assert tab.model.rowCount() == 39 and tab._selected_id() == tab.model.rows[2].id

    tab.table.selectRow(30)
    bar = tab.table.verticalScrollBar()
    assert bar.maximum() > 5
    bar.setValue(bar.maximum() - 2)
    scrolled = bar.value()
    refreshed()
    assert bar.value() == scrolled and tab._selected_id() == tab.model.rows[30].id


def test_every_list_keeps_its_place(qtbot: QtBot, paths: AppPaths, services: Services,
                                    operator: Actor) -> None:
    from PySide6.QtWidgets import QTableView

    from ui.paged_model import PagedTableModel

    window = open_window(qtbot, paths, services, operator)
    tables = [t for t in window.findChildren(QTableView)
              if isinstance(t.model(), PagedTableModel)]
    assert len(tables) >= 4
    assert all(t.property("calldeskKeepsPlace") for t in tables), \
        [t.objectName() for t in tables if not t.property("calldeskKeepsPlace")]
