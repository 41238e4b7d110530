"""One key rule everywhere (issue 16, friction): Ctrl+Enter saves a form — no form keeps
Ctrl+S — digits pick a choice while a choice list has focus, and 帮助 → 快捷键 lists the
rules and every key of the main window."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QAbstractButton, QApplication, QWidget
from pytestqt.qtbot import QtBot

from app.domain.calls import CallType, Outcome, Satisfaction
from app.domain.roles import Actor
from app.paths import AppPaths
from app.services import Services
from app.services.calls import CallFilter, CallInput
from app.settings import LocalSettings
from tests.test_gui import _all_dialogs, _callback_dialog
from tests.ui_texts import cjk
from ui import operations
from ui.call_dialog import CallDialog
from ui.context import UiContext
from ui.main_window import MainWindow
from ui.shortcuts_dialog import ShortcutsDialog

pytestmark = [pytest.mark.gui]

@pytest.fixture
def context(paths: AppPaths, services: Services) -> UiContext:
    return UiContext(paths, LocalSettings(paths.settings_file), services)


SAVE = {QKeySequence("Ctrl+Return").toString(), QKeySequence("Ctrl+Enter").toString()}


def _keys(widget: QWidget) -> set[str]:
    found = {s.key().toString() for s in widget.findChildren(QShortcut)
             if s.context() == Qt.ShortcutContext.WindowShortcut}
    found |= {b.shortcut().toString() for b in widget.findChildren(QAbstractButton)}
    return found


@pytest.mark.usefixtures("chinese_ui")
def test_every_form_saves_with_ctrl_enter_and_none_with_ctrl_s(
        qtbot: QtBot, context: UiContext, admin: Actor) -> None:
    forms = [w for w in _all_dialogs(context, admin) if w.objectName() in {
        "complaintDialog", "callbackDialog", "deadlineRulesDialog", "customerDialog"}]
    call = context.services.calls.log(admin, CallInput(phone="13800138000", summary="咨询",
                                                           call_type=CallType.INQUIRY, outcome=Outcome.SOLVED))
    forms.append(CallDialog(context.services, admin, context.services.calls.get(call.id)))
    assert len(forms) == 6
    for form in forms:
        qtbot.addWidget(form)
        keys = _keys(form)
        assert keys >= SAVE, form.objectName()
        assert QKeySequence("Ctrl+S").toString() not in keys, form.objectName()


@pytest.mark.usefixtures("chinese_ui")
def test_ctrl_enter_saves_an_edited_call(qtbot: QtBot, services: Services,
                                         admin: Actor) -> None:
    call = services.calls.log(admin, CallInput(phone="13800138000", summary="咨询停车",
                                               call_type=CallType.INQUIRY, outcome=Outcome.SOLVED))
    dialog = CallDialog(services, admin, services.calls.get(call.id))
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    dialog.summary.setFocus()
    dialog.summary.selectAll()
    dialog.summary.insertPlainText("咨询停车月卡")
    qtbot.keyClick(dialog.summary, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: services.calls.list(CallFilter()).rows[0].summary == "咨询停车月卡")


@pytest.mark.usefixtures("chinese_ui")
def test_digits_pick_the_satisfaction_while_it_has_focus(
        qtbot: QtBot, services: Services, admin: Actor) -> None:
    dialog = _callback_dialog(services, admin)
    qtbot.addWidget(dialog)
    buttons = list(dialog.satisfaction_buttons.values())
    buttons[0].setFocus()
    qtbot.keyClick(buttons[0], "3")
    assert dialog.satisfaction_buttons[Satisfaction.UNSATISFIED].isChecked()
    qtbot.keyClick(buttons[2], "2")
    assert dialog.satisfaction_buttons[Satisfaction.FAIRLY].isChecked()


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_help_lists_the_rules_and_every_key_of_the_window(
        qtbot: QtBot, context: UiContext, admin: Actor, language: str, qapp) -> None:  # noqa: ANN001
    from ui import translations

    def switch(to: str) -> None:
        for translator in qapp.findChildren(type(translations.QTranslator())):
            qapp.removeTranslator(translator)
        translations.install(qapp, to)

    switch(language)
    try:
        window = MainWindow(context, admin)
        qtbot.addWidget(window)
        help_menu = window.findChild(QWidget, "helpMenu")
        assert any(a.objectName() == "shortcutsAction" for a in help_menu.actions())
        dialog = ShortcutsDialog(window)
        qtbot.addWidget(dialog)
        rows = [(dialog.table.item(r, 0).text(), dialog.table.item(r, 1).text())
                for r in range(dialog.table.rowCount())]
        keys = [k for k, _ in rows]
        assert rows[0][0] == "Ctrl+Enter"
        assert any(k.startswith(("数字", "Digits")) for k in keys)
        for wanted in ("F2", "Ctrl+F1"):
            assert wanted in keys
        wrong = [row for row in rows if cjk(row[1]) != (language == "zh_CN")]
        assert wrong == []
        window.close()
    finally:
        switch("zh_CN")
        # The window's first loads (and the calendar check after them) end before the
        # database goes away.
        for _round in range(3):
            operations.wait_for_all()
            QApplication.processEvents()
