"""The GUI driven as a person would: keyboard and clicks, offscreen."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QCoreApplication, QSize, Qt
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from app import demo
from app.domain.roles import Actor, Role
from app.errors import DatabaseProblem, ValidationError
from app.paths import AppPaths
from app.services import Services
from app.settings import CENTRE_NAME, LANGUAGE, SCRIPT_GREETING, LocalSettings
from tests.conftest import ADMIN_PASSWORD
from tests.ui_texts import cjk, latin_words, shown_texts
from ui import errors, operations, translations
from ui.about_dialog import AboutDialog
from ui.application import AppController
from ui.context import UiContext
from ui.customer_dialog import CustomerDialog
from ui.departments_dialog import DepartmentsDialog
from ui.import_wizard import ImportWizard
from ui.login_dialog import LoginDialog
from ui.main_window import MainWindow
from ui.password_dialog import ChangePasswordDialog
from ui.settings_dialog import SettingsDialog
from ui.setup_dialog import SetupDialog
from ui.users_dialog import PasswordResetDialog, UserEditDialog, UsersDialog, UsersTableModel

pytestmark = [pytest.mark.gui, pytest.mark.usefixtures("chinese_ui")]
REAL_SHOW_UNEXPECTED = errors.show_unexpected  # before the suite's guard replaces it




@pytest.fixture
def no_quit(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Records instead of ending the test run's QApplication."""
    calls: list[str] = []
    monkeypatch.setattr(QApplication, "quit", lambda *a: calls.append("quit"))
    monkeypatch.setattr(QApplication, "exit", lambda *a: calls.append("exit"))
    return calls


@pytest.fixture
def message_boxes(monkeypatch: pytest.MonkeyPatch) -> list[QMessageBox]:
    """Message boxes are recorded and answered at once instead of blocking the test."""
    shown: list[QMessageBox] = []

    def fake_exec(box: QMessageBox) -> int:
        shown.append(box)
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "exec", fake_exec)
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: QMessageBox.StandardButton.Ok)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    return shown


def controller_for(paths: AppPaths, **kwargs: object) -> AppController:
    return AppController(paths, LocalSettings(paths.settings_file), **kwargs)  # type: ignore[arg-type]


def enter(qtbot: QtBot, widget: QWidget, text: str) -> None:
    """Types ``text`` as a person would: keys for ASCII, an input-method commit for Chinese
    (QTest can only press keys that exist on the keyboard)."""
    widget.setFocus()
    if text.isascii():
        qtbot.keyClicks(widget, text)
    else:
        widget.insert(text)  # type: ignore[attr-defined]


def type_into(qtbot: QtBot, widget: QWidget, text: str) -> None:
    widget.clear()  # type: ignore[attr-defined]
    enter(qtbot, widget, text)


def first_start(qtbot: QtBot, paths: AppPaths) -> AppController:
    controller = controller_for(paths)
    controller.start()
    qtbot.waitUntil(lambda: isinstance(controller.dialog, SetupDialog), timeout=10_000)
    dialog = controller.dialog
    assert isinstance(dialog, SetupDialog)
    enter(qtbot, dialog.centre, "阳光花园物业服务中心")
    qtbot.keyClick(dialog.centre, Qt.Key.Key_Tab)
    assert dialog.login.hasFocus() or QApplication.focusWidget() is dialog.login
    type_into(qtbot, dialog.login, "admin")
    enter(qtbot, dialog.display_name, "李主任")
    qtbot.keyClicks(dialog.password, ADMIN_PASSWORD)
    qtbot.keyClicks(dialog.confirm, ADMIN_PASSWORD)
    qtbot.keyClick(dialog.confirm, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: controller.window is not None and controller.window.isVisible(),
                    timeout=10_000)
    return controller


def close_for_good(controller: AppController) -> None:
    if controller.window is not None:
        controller.window.close()
    controller.shutdown()


def test_first_start_sets_up_the_centre_and_opens_the_main_window(
        qtbot: QtBot, paths: AppPaths, no_quit: list[str]) -> None:
    controller = first_start(qtbot, paths)
    window = controller.window
    assert window is not None
    qtbot.waitUntil(lambda: window.windowTitle().startswith("阳光花园物业服务中心 — "))
    assert window.user_label.text() == "李主任（系统管理员）"
    assert str(paths.database_file) in window.database_label.text()
    assert [a.text() for a in window.menuBar().actions()] == \
        ["文件(&F)", "编辑(&E)", "视图(&V)", "工具(&T)", "帮助(&H)"]
    qtbot.waitUntil(lambda: "阳光花园物业服务中心" in window.home.script_views[
        SCRIPT_GREETING.key].toPlainText())
    close_for_good(controller)
    assert no_quit == ["quit"]


def test_setup_shows_what_is_wrong_next_to_the_field_and_saves_nothing(
        qtbot: QtBot, paths: AppPaths, no_quit: list[str]) -> None:
    controller = controller_for(paths)
    controller.start()
    qtbot.waitUntil(lambda: isinstance(controller.dialog, SetupDialog), timeout=10_000)
    dialog = controller.dialog
    assert isinstance(dialog, SetupDialog)
    enter(qtbot, dialog.display_name, "李主任")
    qtbot.keyClicks(dialog.password, "123")
    qtbot.keyClicks(dialog.confirm, "123")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    centre_error = dialog.findChild(QLabel, "centre_nameError")
    qtbot.waitUntil(lambda: centre_error.isVisible())
    assert "服务中心名称" in centre_error.text()
    assert dialog.findChild(QLabel, "passwordError").text() == "密码至少需要 6 个字符。"
    assert dialog.isVisible()
    assert controller.context is not None and controller.context.services.users.needs_setup()

    dialog.confirm.clear()
    qtbot.keyClicks(dialog.confirm, "1234")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert "不一致" in dialog.findChild(QLabel, "confirmError").text()
    dialog.reject()
    assert no_quit == ["quit"]  # cancelling the setup ends CallDesk
    controller.shutdown()


def test_sign_in_lockout_message_sign_out_and_remembered_window(
        qtbot: QtBot, paths: AppPaths, no_quit: list[str]) -> None:
    first = first_start(qtbot, paths)
    assert first.window is not None
    # A size the offscreen screen (800×600) can hold and the window's layout allows.
    wanted = QSize(min(800, max(760, first.window.minimumSizeHint().width())), 540)
    first.window.resize(wanted)
    close_for_good(first)

    controller = controller_for(paths)
    controller.start()
    qtbot.waitUntil(lambda: isinstance(controller.dialog, LoginDialog), timeout=10_000)
    login = controller.dialog
    assert isinstance(login, LoginDialog)
    assert login.login.text() == "admin"  # the last login is remembered
    assert "阳光花园物业服务中心" in login.findChild(QLabel, "loginCentreLabel").text()
    qtbot.keyClicks(login.password, "wrong")
    qtbot.keyClick(login.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: login.message.isVisible())
    assert "再输错 4 次" in login.message.text()
    assert login.password.text() == ""
    qtbot.keyClicks(login.password, ADMIN_PASSWORD)
    qtbot.keyClick(login.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: controller.window is not None and controller.window.isVisible())
    window = controller.window
    assert window is not None
    assert window.size() == wanted

    window.sign_out_action.trigger()  # Ctrl+Shift+L
    qtbot.waitUntil(lambda: isinstance(controller.dialog, LoginDialog))
    assert controller.window is None
    assert no_quit.count("quit") == 1  # only the first session's close
    controller.dialog.reject()  # type: ignore[union-attr]
    assert no_quit.count("quit") == 2
    controller.shutdown()


def test_a_damaged_database_at_start_gets_its_own_message_and_ends_calmly(
        qtbot: QtBot, paths: AppPaths, no_quit: list[str],
        message_boxes: list[QMessageBox]) -> None:
    """No error box and no traceback: the way out (tests/test_backups_gui.py restores)."""
    paths.database_file.write_bytes(b"not a database " * 200)
    controller = controller_for(paths)
    controller.start()
    qtbot.waitUntil(lambda: controller.damaged_dialog is not None, timeout=10_000)
    dialog = controller.damaged_dialog
    assert dialog.objectName() == "damagedDatabaseDialog" and message_boxes == []
    assert "损坏" in dialog.message.text()
    dialog.reject()
    assert no_quit == ["exit"]
    assert controller.window is None and controller.dialog is None
    controller.shutdown()


def test_demo_mode_opens_signed_in_and_cleans_up(qtbot: QtBot, paths: AppPaths,
                                                 no_quit: list[str]) -> None:
    controller = controller_for(paths, demo_mode=True)
    controller.start()
    qtbot.waitUntil(lambda: controller.window is not None, timeout=20_000)
    window = controller.window
    assert window is not None
    assert window.actor.login == demo.DEMO_LOGIN and window.actor.role == Role.SUPERVISOR
    qtbot.waitUntil(lambda: "【演示】" in window.windowTitle())
    assert window.database_label.text() == "演示数据库（退出时删除）"
    assert not window.users_action.isEnabled()  # a supervisor, not an admin
    demo_dir = controller.demo_dir
    assert demo_dir is not None and (demo_dir / "demo.db").exists()
    assert not paths.database_file.exists()  # the real database is never touched
    close_for_good(controller)
    assert not demo_dir.exists()


# -- dialogs on a prepared database --------------------------------------------------------

@pytest.fixture
def context(paths: AppPaths, services: Services) -> UiContext:
    return UiContext(paths, LocalSettings(paths.settings_file), services)


def test_users_table_model_is_a_proper_model(qtmodeltester, services: Services,  # noqa: ANN001
                                             admin: Actor) -> None:
    services.users.add_user(admin, "kf01", "王芳", Role.OPERATOR, "secret1")
    model = UsersTableModel()
    model.set_users(services.users.list_users(admin))
    qtmodeltester.check(model)
    assert model.rowCount() == 2
    assert model.index(1, 2).data() == "客服专员"
    assert model.index(1, 4).data() == "正常"


def test_admin_adds_a_user_and_deactivates_them(qtbot: QtBot, services: Services, admin: Actor,
                                                message_boxes: list[QMessageBox]) -> None:
    dialog = UsersDialog(services, admin)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 1)
    editor = UserEditDialog(services, admin, services.departments.list(), None, dialog)
    qtbot.keyClicks(editor.login, "kf09")
    enter(qtbot, editor.display_name, "孙丽")
    editor.role.setCurrentIndex(editor.role.findData(Role.OPERATOR.value))
    editor.department.setCurrentIndex(editor.department.findText("客服中心"))
    qtbot.keyClicks(editor.password, "12")
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: editor.findChild(QLabel, "user_passwordError").isVisibleTo(editor))
    qtbot.keyClicks(editor.password, "3456")
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: editor.result() == QDialog.DialogCode.Accepted)

    dialog.reload()
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 2)
    row = [u.login for u in dialog.model.users].index("kf09")
    dialog.table.selectRow(row)
    assert dialog.toggle_button.text() == "停用(&D)"
    qtbot.mouseClick(dialog.toggle_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not [u for u in dialog.model.users if u.login == "kf09"][0].active)
    assert dialog.model.index(row, 4).data() == "已停用"
    assert dialog.toggle_button.text() == "启用(&A)"


def test_password_reset_dialog_validates_before_closing(qtbot: QtBot, services: Services,
                                                        admin: Actor) -> None:
    user = services.users.add_user(admin, "kf01", "王芳", Role.OPERATOR, "secret1")
    dialog = PasswordResetDialog(services, admin, user)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.password, "abc")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.error.isVisibleTo(dialog))
    assert dialog.result() != QDialog.DialogCode.Accepted
    qtbot.keyClicks(dialog.password, "defgh")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.result() == QDialog.DialogCode.Accepted)
    assert services.users.authenticate("kf01", "abcdefgh").login == "kf01"


def test_change_my_password(qtbot: QtBot, services: Services, admin: Actor) -> None:
    dialog = ChangePasswordDialog(services.users, admin)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.old, "not-it")
    qtbot.keyClicks(dialog.new, "brand-new-1")
    qtbot.keyClicks(dialog.confirm, "brand-new-1")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.findChild(QLabel, "old_passwordError").isVisibleTo(dialog))
    type_into(qtbot, dialog.old, ADMIN_PASSWORD)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.result() == QDialog.DialogCode.Accepted)
    assert services.users.authenticate("admin", "brand-new-1") == admin


def test_departments_dialog_lists_the_managed_departments(qtbot: QtBot, services: Services,
                                                          admin: Actor) -> None:
    services.departments.add(admin, "绿化组")
    dialog = DepartmentsDialog(services, admin)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.list.count() == 6)
    assert [dialog.list.item(i).text() for i in range(6)] == \
        ["工程部", "秩序部", "环境部", "客服中心", "财务部", "绿化组"]
    dialog.list.setCurrentRow(5)
    qtbot.mouseClick(dialog.toggle_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.list.count() == 6 and "已停用" in dialog.list.item(5).text())


def test_admin_edits_the_centre_settings(qtbot: QtBot, context: UiContext, admin: Actor) -> None:
    dialog = SettingsDialog(context, admin)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.centre.text() == "阳光花园物业服务中心")
    dialog.language.setCurrentIndex(dialog.language.findData("en"))
    dialog.centre.clear()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.findChild(QLabel, "centreNameSettingError").isVisibleTo(dialog)
    assert LocalSettings(context.paths.settings_file).get(LANGUAGE) == "zh_CN"  # nothing saved
    enter(qtbot, dialog.centre, "翠湖华庭物业服务中心")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.result() == QDialog.DialogCode.Accepted)
    assert context.services.settings.get(CENTRE_NAME) == "翠湖华庭物业服务中心"
    assert LocalSettings(context.paths.settings_file).get(LANGUAGE) == "en"


def test_operators_see_the_centre_settings_but_cannot_change_them(
        qtbot: QtBot, context: UiContext, admin: Actor) -> None:
    context.services.users.add_user(admin, "kf01", "王芳", Role.OPERATOR, "secret1")
    operator = context.services.users.authenticate("kf01", "secret1")
    dialog = SettingsDialog(context, operator)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.centre.text() == "阳光花园物业服务中心")
    assert not dialog.centre.isEnabled() and not dialog.database_url.isEnabled()
    assert dialog.language.isEnabled()
    window = MainWindow(context, operator)
    qtbot.addWidget(window)
    assert not window.users_action.isEnabled() and not window.departments_action.isEnabled()


def test_about_shows_version_database_and_folders(qtbot: QtBot, context: UiContext) -> None:
    dialog = AboutDialog(context)
    qtbot.addWidget(dialog)
    text = dialog.findChild(QLabel, "aboutText").text()
    from app import __version__

    for expected in (__version__, str(context.paths.data_dir), str(context.paths.log_dir),
                     context.services.db.describe()):
        assert expected in text


def test_unexpected_errors_get_a_calm_dialog_and_the_log(
        qtbot: QtBot, paths: AppPaths, message_boxes: list[QMessageBox],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(errors, "show_unexpected", REAL_SHOW_UNEXPECTED)
    errors.set_log_file(str(paths.log_file))
    try:
        raise KeyError("boom")
    except KeyError as error:
        errors.show_error(None, error)
    box = message_boxes[-1]
    assert box.objectName() == "unexpectedErrorDialog"
    assert "没有丢失" in box.text() and str(paths.log_file) in box.informativeText()
    assert "KeyError" in box.detailedText()

    errors.show_error(None, DatabaseProblem("full", "磁盘已满"))
    assert message_boxes[-1].objectName() == "databaseProblemDialog"
    errors.show_error(None, ValidationError("请输入姓名。"))
    assert message_boxes[-1].text() == "请输入姓名。"


def _callback_dialog(services: Services, admin: Actor) -> QWidget:
    from app.services.callbacks import CallbackFilter, Queue
    from app.services.calls import CallInput
    from ui.callback_dialog import CallbackDialog

    services.calls.log(admin, CallInput(phone="13800138000", missed=True))
    # Due by the missed-call rule: after hours, that is tomorrow, not in today's queue.
    pending = services.callbacks.list(CallbackFilter(Queue.ALL)).rows[0].id
    return CallbackDialog(services, admin, services.callbacks.get(pending))


def _all_dialogs(context: UiContext, admin: Actor, centre: str = "中心") -> list[QWidget]:
    from app.domain.complaints import Action, Category
    from app.services.complaints import ComplaintInput
    from ui.complaint_actions import (
        DispatchDialog,
        ReasonDialog,
        ResolveDialog,
        reason_for,
    )
    from ui.complaint_dialog import ComplaintDialog
    from ui.complaint_saved_dialog import ComplaintSavedDialog
    from ui.deadline_rules_dialog import DeadlineRulesDialog
    from ui.handover_dialog import HandoverDialog, HandoverReadDialog
    from ui.incidents_dialog import IncidentsDialog

    services = context.services
    user = services.users.list_users(admin)[0]
    # Digits only, so the data reads the same in either language.
    complaint = services.complaints.create(admin, ComplaintInput(
        category=Category.NOISE, description="3-2-1502", phone="13800138000"))
    prompt, required = reason_for(Action.CANCEL)
    return [
        ComplaintDialog(services, admin),
        ComplaintDialog(services, admin, detail=complaint),
        ComplaintSavedDialog(complaint),
        DispatchDialog(services, admin, complaint, False),
        DispatchDialog(services, admin, complaint, True),
        ResolveDialog(services, admin, complaint),
        _callback_dialog(services, admin),
        ReasonDialog(Action.CANCEL.label, prompt, required, lambda text: complaint),
        DeadlineRulesDialog(services, admin),
        SetupDialog(services.users, "x"),
        LoginDialog(services.users, centre, "x"),
        MainWindow(context, admin),
        UsersDialog(services, admin),
        UserEditDialog(services, admin, services.departments.list(), None),
        PasswordResetDialog(services, admin, user),
        DepartmentsDialog(services, admin),
        SettingsDialog(context, admin),
        ChangePasswordDialog(services.users, admin),
        AboutDialog(context),
        ImportWizard(services, admin),
        CustomerDialog(services, admin, None, "13800138000"),
        HandoverDialog(services, admin),
        HandoverReadDialog(services, admin, services.handovers.hand_over(admin, "3-2-1502")),
        IncidentsDialog(services, admin),
    ]


def test_every_shown_string_is_chinese(qtbot: QtBot, context: UiContext, admin: Actor) -> None:
    leftovers = []
    for widget in _all_dialogs(context, admin):
        qtbot.addWidget(widget)
        operations.wait_for_all()
        QCoreApplication.processEvents()
        for where, text in shown_texts(widget):
            if where.endswith("DatabaseLabel") or where.startswith("statusDatabase"):
                continue  # the database's address, shown as it is
            if latin_words(text):
                leftovers.append(f"{type(widget).__name__}/{where}: {text!r}")
    assert leftovers == []


def test_every_shown_string_is_english_when_switched(qtbot: QtBot, qapp: QApplication,
                                                     paths: AppPaths,
                                                     services: Services) -> None:
    for translator in qapp.findChildren(type(translations.QTranslator())):
        qapp.removeTranslator(translator)
    translations.install(qapp, "en")
    admin = services.users.complete_setup("Sunshine Garden", "admin", "Li Wei", ADMIN_PASSWORD)
    context = UiContext(paths, LocalSettings(paths.settings_file), services)
    leftovers = []
    for widget in _all_dialogs(context, admin, "Sunshine Garden"):
        qtbot.addWidget(widget)
        operations.wait_for_all()
        QCoreApplication.processEvents()
        for where, text in shown_texts(widget):
            if where.startswith("languageCombo"):
                continue  # 简体中文 is written in its own language on purpose
            if where.startswith(("userDepartmentCombo", "callDepartmentCombo",
                                 "complaintsDepartmentFilter", "dispatchDepartmentCombo",
                                 "complaintDepartmentCombo", "categoryDefault_")):
                continue  # department names are the centre's data (seeded in Chinese)
            if where.startswith(("greetingLabel", "callbackScriptLabel")):
                continue  # the script is what the operator says to callers, in Chinese
            if cjk(text):
                leftovers.append(f"{type(widget).__name__}/{where}: {text!r}")
    assert leftovers == []
    assert MainWindow(context, admin).menuBar().actions()[0].text() == "&File"


def test_the_view_menu_and_ctrl_digits_switch_tabs(qtbot: QtBot, context: UiContext,
                                                   admin: Actor) -> None:
    window = MainWindow(context, admin)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    window.view_menu.aboutToShow.emit()  # the menu fills itself with the tabs
    assert [a.text() for a in window.view_menu.actions()] == [
        "首页", "来电登记", "投诉处理", "回访", "客户档案", "统计报表"]
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.currentWidget() is window.complaints  # no ambiguous shortcut
    qtbot.keyClick(window, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.currentWidget() is window.callbacks
    qtbot.keyClick(window, Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.currentWidget() is window.customers
    window.view_menu.actions()[1].trigger()
    assert window.tabs.currentWidget() is window.calls


def test_shortcuts_fire_only_where_they_belong(qtbot: QtBot) -> None:
    """PySide6 ignores QShortcut(context=…); ui.forms.shortcut sets it for real."""
    from PySide6.QtWidgets import QLineEdit, QVBoxLayout, QWidget

    from ui.forms import shortcut

    window = QWidget()
    table, field = QLineEdit(), QLineEdit()
    layout = QVBoxLayout(window)
    layout.addWidget(table)
    layout.addWidget(field)
    qtbot.addWidget(window)
    fired: list[str] = []
    made = shortcut(Qt.Key.Key_Return, table, lambda: fired.append("table"))
    assert made.context() == Qt.ShortcutContext.WidgetShortcut
    window.show()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    field.setFocus()
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert fired == []
