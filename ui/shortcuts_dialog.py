"""帮助 → 快捷键: the keyboard rules every form follows, and every key of the main window,
read from its actions so the list can never drift from what the keys do."""

from __future__ import annotations

import re

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.forms import name


def _plain(text: str) -> str:
    """A menu text without its mnemonic marker or trailing dots."""
    text = re.sub(r"\(&\w\)", "", text)  # the Chinese style: 全选(&A)
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip(".…")


class ShortcutsDialog(QDialog):
    def __init__(self, window: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("shortcutsDialog")
        self.setWindowTitle(self.tr("Keyboard shortcuts"))
        self.setAccessibleName(self.windowTitle())
        self.resize(560, 600)
        rules = [
            (self.tr("Ctrl+Enter"), self.tr("Save the form (in every form and dialog)")),
            (self.tr("Digits 1…9, 0"), self.tr(
                "Pick a choice while a choice list has focus (call type, outcome, complaint "
                "category, satisfaction); 0 is the tenth")),
            (self.tr("Alt+underlined letter"), self.tr("Go to that field or button")),
            (self.tr("Tab / Shift+Tab"), self.tr("Next / previous field, in the form's order")),
            (self.tr("Esc"), self.tr("Close the dialog without saving")),
            (self.tr("Keys on a button"), self.tr(
                "Work while that tab or dialog is open, e.g. the complaint form from a call "
                "(Ctrl+T), call back later (Ctrl+K), dial (F5)")),
        ]
        keys: list[tuple[str, str]] = []
        seen: set[str] = set()
        for action in window.findChildren(QAction):
            shortcuts = [s for s in action.shortcuts() if not s.isEmpty()]
            text = _plain(action.text())
            if not shortcuts or not text:
                continue
            shown = ", ".join(s.toString(QKeySequence.SequenceFormat.NativeText)
                              for s in shortcuts)
            if (shown, text) not in seen:
                seen.add((shown, text))
                keys.append((shown, text))
        self.table = name(QTableWidget(len(rules) + len(keys), 2), "shortcutsTable",
                          self.tr("Keyboard shortcuts"))
        self.table.setHorizontalHeaderLabels([self.tr("Keys"), self.tr("What they do")])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(
            0, QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setWordWrap(True)
        for row, (shown, what) in enumerate(rules + sorted(keys, key=lambda k: k[1])):
            self.table.setItem(row, 0, QTableWidgetItem(shown))
            self.table.setItem(row, 1, QTableWidgetItem(what))
        self.table.resizeRowsToContents()
        intro = QLabel(self.tr("The same keys work everywhere: the rules first, then the "
                               "keys of the main window."))
        intro.setObjectName("shortcutsIntroLabel")
        intro.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        name(buttons.button(QDialogButtonBox.StandardButton.Close), "closeShortcutsButton",
             self.tr("Close"))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.table.setFocus()
