"""The 来电登记 tab driven by keyboard, as an operator works."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox
from pytestqt.qtbot import QtBot

from app.domain.calls import CallType, Outcome
from app.domain.roles import Actor, Role
from app.paths import AppPaths
from app.services import Services
from app.services.customers import CustomerInput, PhoneInput, UnitInput
from app.settings import LocalSettings
from ui.context import UiContext
from ui.main_window import MainWindow

pytestmark = [pytest.mark.gui, pytest.mark.usefixtures("chinese_ui")]

MAX_KEYS_FOR_A_REPAIR = 10  # plus the summary text




@pytest.fixture
def operator(services: Services, admin: Actor) -> Actor:
    services.users.add_user(admin, "kf01", "王芳", Role.OPERATOR, "secret1")
    return services.users.authenticate("kf01", "secret1")


@pytest.fixture
def window(qtbot: QtBot, paths: AppPaths, services: Services, operator: Actor) -> MainWindow:
    window = MainWindow(UiContext(paths, LocalSettings(paths.settings_file), services), operator)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    panel = window.calls.panel
    qtbot.waitUntil(lambda: panel.department.count() > 1)  # departments loaded
    return window


class Keyboard:
    """Presses keys into the focused widget and counts them."""

    def __init__(self, qtbot: QtBot) -> None:
        self.qtbot = qtbot
        self.count = 0

    def press(self, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
              ) -> None:
        self.qtbot.keyClick(QApplication.focusWidget(), key, modifier)
        self.count += 1

    def type(self, text: str) -> None:
        for char in text:
            self.qtbot.keyClicks(QApplication.focusWidget(), char)
            self.count += 1


def test_a_repair_from_a_known_caller_takes_8_keys_plus_the_summary(
        qtbot: QtBot, window: MainWindow, services: Services, admin: Actor) -> None:
    customer_id = services.customers.create(admin, CustomerInput(
        name="张三", phones=[PhoneInput("13800138000")], units=[UnitInput("3-2-1502")])).id
    panel = window.calls.panel
    keys = Keyboard(qtbot)

    window.tabs.setCurrentWidget(window.customers)  # F2 works from any tab
    keys.press(Qt.Key.Key_F2)
    assert window.tabs.currentWidget() is window.calls
    assert QApplication.focusWidget() is panel.phone
    assert panel.clock.isValid()  # the call timer runs
    assert "请问有什么可以帮您" in panel.greeting.text()
    keys.type("8000")  # the last four digits are enough
    qtbot.waitUntil(lambda: panel.matches.isVisible() and panel.matches.count() == 1)
    keys.press(Qt.Key.Key_Return)  # take the card
    qtbot.waitUntil(lambda: panel.customer is not None)
    assert "张先生" not in panel.caller.text() and "张三" in panel.caller.text()
    assert panel.unit.currentText() == "3栋2单元1502"  # the only unit, filled in
    assert QApplication.focusWidget() is panel.call_type
    keys.type("2")  # 2 = 报修, and on to the summary
    assert QApplication.focusWidget() is panel.summary
    panel.summary.insertPlainText("厨房水管漏水")  # the summary, as an input method commits it
    assert panel.outcome.currentData() == Outcome.DISPATCHED.value  # what repairs lead to
    assert panel.department.currentText() == "工程部"
    keys.press(Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # save
    qtbot.waitUntil(lambda: window.calls.model.total == 1)

    assert keys.count <= MAX_KEYS_FOR_A_REPAIR, f"{keys.count} keys for a repair request"
    assert keys.count == 8, f"{keys.count} keys for a repair request"
    call = services.calls.list().rows[0]
    assert (call.customer_id, call.unit_label, call.call_type, call.summary,
            call.department_name, call.phone) == \
        (customer_id, "3栋2单元1502", CallType.REPAIR, "厨房水管漏水", "工程部", "138 0013 8000")
    assert panel.phone.text() == "" and not panel.clock.isValid()  # ready for the next call


def test_an_unknown_caller_gets_a_card_without_leaving_the_call(
        qtbot: QtBot, window: MainWindow, services: Services,
        monkeypatch: pytest.MonkeyPatch) -> None:
    panel = window.calls.panel
    window.start_call()
    qtbot.keyClicks(panel.phone, "13912345678")
    qtbot.waitUntil(lambda: panel.new_card_button.isEnabled())
    assert not panel.matches.isVisible()

    def fill_and_save(dialog) -> int:  # noqa: ANN001
        dialog.name_edit.insert("李四")
        saved = services.customers.create(window.actor, dialog.collect())
        dialog.saved = saved
        return 1

    monkeypatch.setattr("ui.customer_dialog.CustomerDialog.exec", fill_and_save)
    qtbot.mouseClick(panel.new_card_button, Qt.MouseButton.LeftButton)
    assert panel.customer is not None and panel.customer.name == "李四"
    assert services.customers.lookup_phone("13912345678")[0].name == "李四"
    panel.call_type.setCurrentIndex(0)
    panel.summary.insertPlainText("咨询停车位")
    panel.outcome.setCurrentIndex(panel.outcome.findData(Outcome.SOLVED.value))
    qtbot.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.calls.model.total == 1)
    assert services.calls.list().rows[0].customer_name == "李四"


def test_a_missed_call_by_hand_makes_a_callback_task(qtbot: QtBot, window: MainWindow,
                                                     services: Services) -> None:
    panel = window.calls.panel
    window.start_call()
    qtbot.keyClicks(panel.phone, "13700001111")
    panel.missed.setChecked(True)
    assert not panel.summary.isEnabled()
    qtbot.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.calls.model.total == 1)
    assert services.calls.pending_callbacks() == 1
    assert window.calls.model.index(0, 5).data() == "未接"


def test_save_comes_back_after_a_call_is_saved_and_after_a_refused_one(
        qtbot: QtBot, window: MainWindow, services: Services) -> None:
    """The button greyed while saving is live again for the next call, and after an error."""
    panel = window.calls.panel
    for number in ("13700001111", "13700002222"):
        window.start_call()
        qtbot.keyClicks(panel.phone, number)
        panel.missed.setChecked(True)
        qtbot.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: panel.phone.text() == "")
        assert panel.save_button.isEnabled()
    assert services.calls.list().total == 2
    window.start_call()
    qtbot.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)  # nothing typed: refused
    label = panel.findChild(QLabel, "call_phoneError")
    qtbot.waitUntil(lambda: label.isVisibleTo(panel))
    assert panel.save_button.isEnabled()


def test_saving_an_empty_call_says_what_is_missing(qtbot: QtBot, window: MainWindow,
                                                   services: Services) -> None:
    panel = window.calls.panel
    window.start_call()
    qtbot.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)
    label = panel.findChild(QLabel, "call_phoneError")
    qtbot.waitUntil(lambda: label.isVisibleTo(panel))
    assert "号码" in label.text()
    assert panel.findChild(QLabel, "call_summaryError").isVisibleTo(panel)
    assert services.calls.list().total == 0


def test_the_call_list_pages_on_from_the_last_row(qtbot: QtBot, services: Services,
                                                  operator: Actor, qtmodeltester,  # noqa: ANN001
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from app.services.calls import CallFilter, CallInput
    from ui.call_model import CallTableModel

    monkeypatch.setattr("ui.call_model.PAGE_SIZE", 4)
    for number in range(10):
        services.calls.log(operator, CallInput(
            phone="13800138000", call_type=CallType.INQUIRY, summary=f"第{number}个",
            outcome=Outcome.SOLVED))
    asked: list[object] = []

    def fetch(query, offset, limit, count=True, after=None):  # noqa: ANN001, ANN202
        asked.append(after)
        return services.calls.list(query, offset, limit, count, after=after)

    model = CallTableModel(fetch)
    model.search(CallFilter())
    qtbot.waitUntil(lambda: model.total == 10)
    assert model.rowCount() == 4
    while model.canFetchMore() or model.is_loading():
        if model.canFetchMore():
            model.fetchMore()
        qtbot.wait(10)
    assert [model.index(r, 6).data() for r in range(10)] == [f"第{n}个" for n in range(9, -1, -1)]
    assert asked[0] is None and asked[1] == (model.rows[3].received_at, model.rows[3].id)
    qtmodeltester.check(model)


def test_the_call_list_filters(qtbot: QtBot, window: MainWindow, services: Services,
                               operator: Actor, qtmodeltester) -> None:  # noqa: ANN001
    from app.services.calls import CallInput

    for summary, kind in (("物业费怎么交", CallType.INQUIRY), ("电梯坏了", CallType.REPAIR)):
        services.calls.log(operator, CallInput(
            phone="13800138000", call_type=kind, summary=summary,
            outcome=kind.usual_outcome, department_id=1))
    tab = window.calls
    tab.reload()
    qtbot.waitUntil(lambda: tab.model.total == 2)
    qtmodeltester.check(tab.model)
    tab.type_filter.setCurrentIndex(tab.type_filter.findData(CallType.REPAIR.value))
    qtbot.waitUntil(lambda: tab.model.total == 1)
    assert tab.model.index(0, 6).data() == "电梯坏了"
    tab.type_filter.setCurrentIndex(0)
    tab.outcome_filter.setCurrentIndex(tab.outcome_filter.findData(Outcome.DISPATCHED.value))
    qtbot.waitUntil(lambda: tab.model.total == 1 and tab.model.index(0, 6).data() == "电梯坏了")
    tab.outcome_filter.setCurrentIndex(0)
    tab.operator_filter.setCurrentIndex(tab.operator_filter.findText("只看我的"))
    qtbot.waitUntil(lambda: tab.model.total == 2)  # both were logged by this operator
    tab.text_filter.setText("物业费")
    qtbot.waitUntil(lambda: tab.model.total == 1 and
                    tab.model.index(0, 6).data() == "物业费怎么交")


def test_the_daily_report_dialog_shows_the_day(qtbot: QtBot, window: MainWindow,
                                               services: Services, operator: Actor,
                                               tmp_path, monkeypatch: pytest.MonkeyPatch  # noqa: ANN001
                                               ) -> None:
    from app.services.calls import CallInput
    from ui.daily_report_dialog import DailyReportDialog

    services.calls.log(operator, CallInput(phone="13800138000", call_type=CallType.INQUIRY,
                                           summary="咨询停车费", outcome=Outcome.SOLVED,
                                           duration_seconds=75))
    dialog = DailyReportDialog(services, operator)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.report is not None)
    assert dialog.operator.count() == 1  # an operator sees their own day only
    text = dialog.view.toPlainText()
    assert "每日工作报表" in text and "咨询停车费" in text and "100.0%" in text
    target = tmp_path / "day.xlsx"
    monkeypatch.setattr("ui.file_dialogs.QFileDialog.getSaveFileName",
                        lambda *a, **k: (str(target), ""))
    dialog.export()
    qtbot.waitUntil(lambda: dialog.findChild(QMessageBox, "exportDoneMessage") is not None)
    assert target.exists()
    assert str(target) in dialog.findChild(QMessageBox, "exportDoneMessage").text()


def test_a_saved_call_opens_and_its_operator_corrects_it(qtbot: QtBot, window: MainWindow,
                                                         services: Services, admin: Actor,
                                                         operator: Actor) -> None:
    from app.services.calls import CallInput
    from ui.call_dialog import CallDialog

    row = services.calls.log(operator, CallInput(
        phone="13800138000", call_type=CallType.INQUIRY, summary="问物业费",
        outcome=Outcome.SOLVED))
    mine = CallDialog(services, operator, row)
    qtbot.addWidget(mine)
    assert mine.editable and mine.save_button.isVisibleTo(mine)
    mine.summary.setPlainText("问物业费和停车费")
    qtbot.mouseClick(mine.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: mine.saved is not None)
    assert services.calls.get(row.id).summary == "问物业费和停车费"
    services.users.add_user(admin, "kf02", "李娜", Role.OPERATOR, "secret1")
    colleague = services.users.authenticate("kf02", "secret1")
    theirs = CallDialog(services, colleague, services.calls.get(row.id))
    qtbot.addWidget(theirs)
    assert not theirs.editable and theirs.summary.isReadOnly()
    assert not theirs.save_button.isVisibleTo(theirs)
