"""今日: the home tab's board of what the day needs next. Each line opens its item (Enter or
double-click); each part's button opens the whole list in its tab. It reads itself again
when work is done anywhere in the window, and every minute (for another desk's work)."""

from __future__ import annotations

import html
from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app import clock
from app.domain.complaints import Urgency
from app.services.callbacks import CallbackRow
from app.services.complaints import ComplaintRow
from app.services.today import Part, TodayBoard
from ui.complaint_model import complaint_item
from ui.forms import name
from ui.operations import Op
from ui.text import local_time

REFRESH_MS = 60_000
ID_ROLE = Qt.ItemDataRole.UserRole


class _PartBox(QGroupBox):
    """One part: a title with its count, the first lines, and a button to see them all."""

    def __init__(self, key: str, title: str, all_text: str, parent: QWidget | None = None
                 ) -> None:
        super().__init__(parent)
        self.title_text = title
        self.setObjectName(f"today{key}Box")
        self.list = name(QListWidget(), f"today{key}List", title)
        self.list.setMinimumHeight(90)
        self.list.setMaximumHeight(150)  # its eight lines; the scripts stay in view
        self.empty = QLabel()
        self.empty.setObjectName(f"today{key}Empty")
        self.empty.setStyleSheet("color: palette(mid);")
        self.all_button = name(QPushButton(all_text), f"today{key}AllButton", all_text)
        self.all_button.setAutoDefault(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list)
        layout.addWidget(self.empty)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.all_button)
        layout.addLayout(row)

    def show_part(self, part: Part, item: Callable[[object], QListWidgetItem],
                  nothing: str) -> None:
        current = self.list.currentItem().data(ID_ROLE) if self.list.currentItem() else None
        self.list.clear()
        for row in part.rows:
            self.list.addItem(item(row))
        self.setTitle(f"{self.title_text}（{part.total}）")
        self.list.setVisible(part.total > 0)
        self.empty.setText(nothing)
        self.empty.setVisible(part.total == 0)
        self.all_button.setVisible(part.total > len(part.rows))
        for index in range(self.list.count()):  # the user's place survives a refresh
            if self.list.item(index).data(ID_ROLE) == current:
                self.list.setCurrentRow(index)


class TodayBoardView(QWidget):
    open_callback = Signal(int)
    open_complaint = Signal(int)
    show_callbacks = Signal()  # the 回访 tab's 待办 queue
    show_complaints = Signal(str)  # the complaints tab, open ones of this Urgency
    handover_wanted = Signal(object)  # the last shift's handover (a HandoverRow), to read

    def __init__(self, load: Callable[[], TodayBoard], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("todayBoard")
        self.setAccessibleName(self.tr("Today"))
        self._load = load
        self.board: TodayBoard | None = None
        self.figures = name(QLabel(), "todayFigures", self.tr("Today's calls"))
        self.figures.setTextFormat(Qt.TextFormat.RichText)
        self.incidents = name(QLabel(), "todayIncidents", self.tr("Active incidents"))
        self.incidents.setWordWrap(True)
        self.incidents.setStyleSheet("background: #fde7c8; color: #7a3b00; padding: 3px;")
        self.incidents.hide()
        self.departments = name(QLabel(), "todayOverdueByDepartment",
                                self.tr("Overdue complaints by department"))
        self.departments.setWordWrap(True)
        self.departments.setStyleSheet("color: #b3261e;")
        self.callbacks = _PartBox("Callbacks", self.tr("Callbacks due"),
                                  self.tr("All callbacks due…"))
        self.missed = _PartBox("Missed", self.tr("Missed calls to return"),
                               self.tr("All in the callbacks…"))
        self.overdue = _PartBox("Overdue", self.tr("Overdue complaints"),
                                self.tr("All overdue…"))
        self.due_soon = _PartBox("DueSoon", self.tr("Complaints due soon"),
                                 self.tr("All due soon…"))
        for part in (self.callbacks, self.missed):
            part.list.itemActivated.connect(
                lambda item: self.open_callback.emit(item.data(ID_ROLE)))
            part.all_button.clicked.connect(self.show_callbacks)
        for part in (self.overdue, self.due_soon):
            part.list.itemActivated.connect(
                lambda item: self.open_complaint.emit(item.data(ID_ROLE)))
        self.overdue.all_button.clicked.connect(
            lambda: self.show_complaints.emit(Urgency.OVERDUE.value))
        self.due_soon.all_button.clicked.connect(
            lambda: self.show_complaints.emit(Urgency.DUE_SOON.value))

        # The last shift's handover, until someone takes it over.
        self.handover_box = QWidget()
        self.handover_box.setObjectName("todayHandoverBanner")
        self.handover_box.setStyleSheet(
            "#todayHandoverBanner { background: #e8f1fd; border: 1px solid #9cc0ee; }")
        self.handover_label = name(QLabel(), "todayHandoverLabel",
                                   self.tr("The last shift's handover"))
        self.handover_label.setWordWrap(True)
        self.handover_button = name(QPushButton(self.tr("Read and ta&ke over…")),
                                    "todayHandoverButton", self.tr("Read the handover"))
        self.handover_button.clicked.connect(
            lambda: self.handover is not None and self.handover_wanted.emit(self.handover))
        banner = QHBoxLayout(self.handover_box)
        banner.addWidget(self.handover_label, 1)
        banner.addWidget(self.handover_button)
        self.handover_box.hide()
        self.handover = None

        grid = QGridLayout()
        grid.addWidget(self.callbacks, 0, 0)
        grid.addWidget(self.missed, 0, 1)
        grid.addWidget(self.overdue, 1, 0)
        grid.addWidget(self.due_soon, 1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.handover_box)
        layout.addWidget(self.incidents)
        layout.addWidget(self.figures)
        layout.addWidget(self.departments)
        layout.addLayout(grid)
        self._timer = QTimer(self)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self.refresh)
        self._timer.start()
        self._loading = False
        self._again = False

    def show_handover(self, row) -> None:  # noqa: ANN001 - a HandoverRow or None
        self.handover = row
        if row is not None:
            notes = " ".join(row.notes.split())
            self.handover_label.setText(self.tr(
                "{name} handed over the shift {shift} at {at}: {n} item(s) to take over. "
                "{notes}").format(name=row.from_user or "-", shift=row.shift.label,
                                  at=local_time(row.handed_over_at),
                                  n=sum(len(v) for v in row.sections.values()),
                                  notes=notes[:80]).strip())
        self.handover_box.setVisible(row is not None)

    def refresh(self) -> None:
        """Reads the board again; asked again while reading, it reads once more after."""
        if self._loading:
            self._again = True
            return
        self._loading = True
        Op(self, self._load).success(self._show).failure(self._failed).run()

    def _failed(self, _error: BaseException) -> None:
        # The board is a summary: a failed read (the server away a moment) waits for the
        # next refresh rather than interrupting the desk with a dialog.
        self._loading = False

    def _show(self, board: TodayBoard) -> None:
        self._loading = False
        self.board = board
        now = clock.utcnow()
        rate = "—" if board.first_call_resolution is None else \
            f"{board.first_call_resolution:.0%}"
        self.figures.setText(self.tr(
            "<b>Today</b>: {answered} call(s) answered, {rate} solved on the call, "
            "{missed} missed.").format(answered=board.calls_answered, rate=html.escape(rate),
                                       missed=board.calls_missed))
        if board.overdue_by_department:
            undispatched = self.tr("not dispatched")
            parts = [f"{department or undispatched} {count}"
                     for department, count in board.overdue_by_department.items()]
            self.departments.setText(self.tr("Overdue by department: {parts}").format(
                parts=" · ".join(parts)))
        self.departments.setVisible(bool(board.overdue_by_department))
        self.incidents.setText("\n".join(
            self.tr("⚠ {notice} ({n} call(s) so far)").format(notice=i.notice(), n=i.calls)
            for i in board.incidents))
        self.incidents.setVisible(bool(board.incidents))
        self.callbacks.title_text = self.tr("My callbacks due") if board.mine_only \
            else self.tr("Callbacks due")
        self.callbacks.show_part(board.callbacks_due, lambda r: self._callback_item(r, now),
                                 self.tr("No callback is due."))
        self.missed.show_part(board.missed_calls, lambda r: self._callback_item(r, now),
                              self.tr("Every missed call has been returned."))
        self.overdue.show_part(board.complaints_overdue, lambda r: self._complaint(r, now),
                               self.tr("No complaint is overdue."))
        self.due_soon.show_part(board.complaints_due_soon, lambda r: self._complaint(r, now),
                                self.tr("No complaint is due soon."))
        if self._again:
            self._again = False
            self.refresh()

    def _callback_item(self, row: CallbackRow, now) -> QListWidgetItem:  # noqa: ANN001
        who = row.greeting_name or row.customer_name or row.phone
        late = self.tr("overdue") if row.is_overdue(now) else ""
        about = row.complaint_number or row.phone
        item = QListWidgetItem("  ".join(p for p in (
            local_time(row.due_at), late, who, about) if p))
        item.setData(ID_ROLE, row.id)
        if late:
            item.setForeground(Qt.GlobalColor.darkRed)
        return item

    @staticmethod
    def _complaint(row: ComplaintRow, now) -> QListWidgetItem:  # noqa: ANN001
        return complaint_item(row, now)  # its id in ID_ROLE, red when overdue
