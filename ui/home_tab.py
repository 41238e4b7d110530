"""The home tab (今日): who is signed in, the board of what the day needs next, the scripts
(话术) the operator reads to callers, and for the administrator a warning when the working
calendar lacks a year's official schedule."""

from __future__ import annotations

import html
from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.domain.roles import Actor
from app.services.today import TodayBoard
from app.settings import CENTRE_NAME, SCRIPT_CALLBACK, SCRIPT_CLOSING, SCRIPT_GREETING
from ui.forms import name
from ui.today_board import TodayBoardView


class HomeTab(QWidget):
    calendar_wanted = Signal()  # the warning's button: open the working calendar

    def __init__(self, actor: Actor, board: Callable[[], TodayBoard] | None = None,
                 parent: QWidget | None = None) -> None:
        """``board`` reads the 今日 board (off the UI thread); without it, none is shown."""
        super().__init__(parent)
        self.setObjectName("homeTab")
        self.setAccessibleName(self.tr("Home"))
        self.welcome = QLabel()
        self.welcome.setObjectName("welcomeLabel")
        self.welcome.setText(self.tr("<h2>Hello, {name}</h2>Signed in as {role}.").format(
            name=html.escape(actor.display_name), role=actor.role.label))

        scripts = QGroupBox(self.tr("Scripts"))
        scripts.setObjectName("scriptsBox")
        grid = QGridLayout(scripts)
        self.script_views: dict[str, QPlainTextEdit] = {}
        rows = ((SCRIPT_GREETING.key, self.tr("Greeting")),
                (SCRIPT_CLOSING.key, self.tr("Closing")),
                (SCRIPT_CALLBACK.key, self.tr("Callback")))
        for row, (key, title) in enumerate(rows):
            view = QPlainTextEdit()
            view.setReadOnly(True)
            view.setMaximumHeight(52)
            name(view, f"{key}View", title)
            copy = QPushButton(self.tr("Copy"))
            name(copy, f"{key}CopyButton", self.tr("Copy {script}").format(script=title))
            copy.clicked.connect(lambda _=False, v=view:
                                 QGuiApplication.clipboard().setText(v.toPlainText()))
            grid.addWidget(QLabel(title), row, 0)
            grid.addWidget(view, row, 1)
            grid.addWidget(copy, row, 2)
            self.script_views[key] = view

        self.actions_row = QHBoxLayout()
        self.actions_row.addStretch(1)

        self.calendar_box = QWidget()
        self.calendar_box.setObjectName("homeCalendarWarning")
        self.calendar_box.setStyleSheet(
            "#homeCalendarWarning { background: #fff4d6; border: 1px solid #e8c36a; }"
            "QLabel { color: #7a4b00; }")
        self.calendar_warning = name(QLabel(), "homeCalendarWarningLabel",
                                     self.tr("Working calendar warning"))
        self.calendar_warning.setWordWrap(True)
        open_calendar = name(QPushButton(self.tr("Open the &working calendar")),
                             "homeCalendarButton", self.tr("Open the working calendar"))
        open_calendar.clicked.connect(self.calendar_wanted)
        box = QHBoxLayout(self.calendar_box)
        box.addWidget(self.calendar_warning, 1)
        box.addWidget(open_calendar)
        self.calendar_box.hide()

        self.board = TodayBoardView(board) if board is not None else None
        # In a scroll area: the window may be made small (or remembered small) without the
        # board pushing it taller than the screen.
        content = QWidget()
        content.setObjectName("homeContent")
        scroller = QScrollArea()
        scroller.setObjectName("homeScroller")
        scroller.setWidgetResizable(True)
        scroller.setFrameShape(QFrame.Shape.NoFrame)
        scroller.setWidget(content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroller)
        layout = QVBoxLayout(content)
        layout.addWidget(self.welcome)
        layout.addWidget(self.calendar_box)
        if self.board is not None:
            layout.addWidget(self.board)
        layout.addWidget(scripts)
        layout.addLayout(self.actions_row)
        layout.addStretch(1)

    def show_scripts(self, shared: dict[str, object]) -> None:
        centre = str(shared.get(CENTRE_NAME.key) or "")
        for key, view in self.script_views.items():
            view.setPlainText(str(shared.get(key) or "").replace("{centre}", centre))

    def show_calendar_warning(self, lines: list[str]) -> None:
        self.calendar_warning.setText("\n".join(lines))
        self.calendar_box.setVisible(bool(lines))

    def add_action_button(self, button: QPushButton) -> None:
        self.actions_row.insertWidget(self.actions_row.count() - 1, button)
