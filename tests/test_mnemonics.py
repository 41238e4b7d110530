"""Alt+letter mnemonics are unambiguous: a letter pressed with Alt does one thing.

In the main window the menu bar and the tab bar are there whatever tab is shown, so their
letters may not be used again by anything in a tab; within one tab, no two widgets share a
letter. In a dialog, every letter is used once. English and Chinese use the same letters
("&Edit" / "编辑(&E)"), so checking the English texts checks both."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QCoreApplication, QTranslator
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QGroupBox,
    QLabel,
    QTabBar,
    QWidget,
)
from pytestqt.qtbot import QtBot

from app.domain.roles import Actor
from app.paths import AppPaths
from app.services import Services
from app.settings import LocalSettings
from ui import operations, translations
from ui.context import UiContext
from ui.main_window import MainWindow

pytestmark = [pytest.mark.gui]


@pytest.fixture(autouse=True)
def english_ui(qapp: QApplication) -> Iterator[None]:  # noqa: ANN001
    """The English source texts (the Chinese ones use the same letters)."""
    removed = list(qapp.findChildren(QTranslator))
    for translator in removed:
        qapp.removeTranslator(translator)
    translations.install(qapp, "en")
    yield
    operations.wait_for_all()
    QCoreApplication.processEvents()


def mnemonic(text: str) -> str | None:
    """The letter after a single "&" ("&&" is a literal ampersand), upper-cased."""
    found = re.search(r"&([^&\s])", text.replace("&&", ""))
    return found.group(1).upper() if found else None


def widget_mnemonics(root: QWidget) -> list[tuple[str, str]]:
    """(letter, where) of the buttons, labels with a buddy, group boxes and tab bars under
    ``root``, hidden ones too: what is hidden now (the satisfaction box before "reached",
    a button of another state) can show up beside the others later."""
    found: list[tuple[str, str]] = []

    def add(text: str, widget: QWidget) -> None:
        letter = mnemonic(text)
        if letter:
            found.append((letter, f"{type(widget).__name__} {widget.objectName()!r} {text!r}"))

    for widget in root.findChildren(QWidget):
        if isinstance(widget, QAbstractButton) or (
                isinstance(widget, QLabel) and widget.buddy() is not None):
            add(widget.text(), widget)
        elif isinstance(widget, QGroupBox):
            add(widget.title(), widget)
        elif isinstance(widget, QTabBar):
            for index in range(widget.count()):
                add(widget.tabText(index), widget)
    return found


def duplicates(letters: list[tuple[str, str]]) -> list[str]:
    counts = Counter(letter for letter, _where in letters)
    return [f"{letter}: {[w for other, w in letters if other == letter]}"
            for letter, n in sorted(counts.items()) if n > 1]


def test_every_tab_letter_is_unique_in_the_main_window(
        qtbot: QtBot, paths: AppPaths, services: Services, admin: Actor) -> None:
    window = MainWindow(UiContext(paths, LocalSettings(paths.settings_file), services), admin)
    qtbot.addWidget(window)
    window.show()
    operations.wait_for_all()
    QCoreApplication.processEvents()
    window_wide = [(mnemonic(a.text()), f"menu {a.text()!r}")
                   for a in window.menuBar().actions()]
    window_wide += [(mnemonic(window.tabs.tabText(i)), f"tab {window.tabs.tabText(i)!r}")
                    for i in range(window.tabs.count())]
    assert all(letter for letter, _where in window_wide), window_wide
    problems = duplicates(window_wide)
    assert window.tabs.count() == 6
    for index in range(window.tabs.count()):
        tab = window.tabs.widget(index)
        window.tabs.setCurrentIndex(index)
        QCoreApplication.processEvents()
        problems += [f"{window.tabs.tabText(index)} {p}"
                     for p in duplicates(window_wide + widget_mnemonics(tab))]
    status_bar = widget_mnemonics(window.statusBar())
    problems += [f"status bar {p}" for p in duplicates(window_wide + status_bar)]
    assert not problems, "\n".join(problems)


def _dialogs(context: UiContext, admin: Actor) -> list[QWidget]:
    from app.domain.complaints import Action, Category
    from app.services.callbacks import CallbackFilter, Queue
    from app.services.calls import CallInput
    from app.services.complaints import ComplaintInput
    from ui.callback_dialog import CallbackDialog, ScheduleCallbackDialog
    from ui.complaint_actions import DispatchDialog, ReasonDialog, ResolveDialog, reason_for
    from ui.complaint_dialog import ComplaintDialog
    from ui.complaint_saved_dialog import ComplaintSavedDialog
    from ui.customer_dialog import CustomerDialog
    from ui.deadline_rules_dialog import DeadlineRulesDialog
    from ui.handover_dialog import HandoverDialog, HandoverReadDialog
    from ui.incidents_dialog import IncidentsDialog
    from ui.settings_dialog import SettingsDialog

    services = context.services
    complaint = services.complaints.create(admin, ComplaintInput(
        category=Category.NOISE, description="3-2-1502", phone="13800138000"))
    services.calls.log(admin, CallInput(phone="13800138000", missed=True))
    # Due by the missed-call rule: after hours, that is tomorrow, not in today's queue.
    pending = services.callbacks.list(CallbackFilter(Queue.ALL)).rows[0].id
    prompt, required = reason_for(Action.CANCEL)
    return [
        ComplaintDialog(services, admin),
        ComplaintDialog(services, admin, detail=complaint),
        ComplaintSavedDialog(complaint),
        DispatchDialog(services, admin, complaint, False),
        DispatchDialog(services, admin, complaint, True),
        ResolveDialog(services, admin, complaint),
        ReasonDialog(Action.CANCEL.label, prompt, required, lambda text: complaint),
        CallbackDialog(services, admin, services.callbacks.get(pending)),
        CallbackDialog(services, admin, services.callbacks.get(pending), "softphone"),
        ScheduleCallbackDialog(services, admin, phone="13800138000", customer_id=None,
                               call_id=None),
        DeadlineRulesDialog(services, admin),
        SettingsDialog(context, admin),
        CustomerDialog(services, admin, None, "13800138000"),
        HandoverDialog(services, admin),
        HandoverReadDialog(services, admin, services.handovers.hand_over(admin, "3-2-1502")),
        IncidentsDialog(services, admin),
    ]


def test_every_letter_is_unique_in_each_dialog(
        qtbot: QtBot, paths: AppPaths, services: Services, admin: Actor) -> None:
    context = UiContext(paths, LocalSettings(paths.settings_file), services)
    problems = []
    for dialog in _dialogs(context, admin):
        qtbot.addWidget(dialog)
        operations.wait_for_all()
        QCoreApplication.processEvents()
        problems += [f"{dialog.objectName()} {p}" for p in duplicates(widget_mnemonics(dialog))]
    assert not problems, "\n".join(problems)


def test_mnemonic_reads_the_letter() -> None:
    assert mnemonic("Com&plaints") == "P"
    assert mnemonic("投诉处理(&P)") == "P"
    assert mnemonic("Tom && Jerry") is None
    assert mnemonic("Save") is None
