"""回访: the callback queue — to do now (overdue and due today), upcoming, awaiting retry,
failed, finished — with counts, mine or everyone's, and the supervisor's review."""

from __future__ import annotations

from PySide6.QtCore import QDate, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QGridLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.calls import CallbackStatus
from app.domain.roles import Actor, Permission
from app.services import Services
from app.services.callbacks import CallbackDetail, CallbackFilter, Queue
from ui.callback_model import CallbackTableModel
from ui.file_dialogs import FileKind
from ui.forms import list_table, name, shortcut
from ui.operations import Op
from ui.selection import SelectionFollower

QUEUES = (Queue.DUE, Queue.OVERDUE, Queue.TODAY, Queue.UPCOMING, Queue.RETRY, Queue.FAILED,
          Queue.FINISHED, Queue.ALL)


class CallbacksTab(QWidget):
    changed = Signal()  # a callback was made, skipped or reviewed: counters refresh
    # A missed call's callback turned into a complaint: the form to open (a ComplaintInput).
    complaint_wanted = Signal(object)

    def __init__(self, services: Services, actor: Actor, softphone: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services, self.actor, self.softphone = services, actor, softphone
        self.setObjectName("callbacksTab")
        self.setAccessibleName(self.tr("Callbacks"))
        self.reviewer = actor.can(Permission.REVIEW_CALLBACKS)

        self.queue_buttons: dict[Queue, QPushButton] = {}
        self.queue_group = QButtonGroup(self)
        queues = QGridLayout()  # two rows of four: the window still fits 800 pixels
        for queue in QUEUES:
            if queue == Queue.FAILED and not self.reviewer:
                continue  # 回访失败 is the supervisor's list
            button = name(QPushButton(queue.label), f"queue{queue.value.title()}Button",
                          queue.label)
            button.setCheckable(True)
            button.clicked.connect(lambda _=False, q=queue: self.show_queue(q))
            self.queue_group.addButton(button)
            self.queue_buttons[queue] = button
            index = len(self.queue_buttons) - 1
            queues.addWidget(button, index // 4, index % 4)
        self.queue_buttons[Queue.DUE].setChecked(True)
        queues.setColumnStretch(4, 1)
        self.mine_check = name(QCheckBox(self.tr("&Mine only")), "callbacksMineCheck",
                               self.tr("Only the callbacks I am to make"))
        self.unreviewed_check = name(QCheckBox(self.tr("U&nreviewed")),
                                     "callbacksUnreviewedCheck",
                                     self.tr("Only finished callbacks nobody has reviewed"))
        self.unreviewed_check.setVisible(self.reviewer)
        self.text_filter = name(QLineEdit(), "callbacksTextFilter", self.tr("Search callbacks"))
        self.text_filter.setPlaceholderText(self.tr("customer, number or complaint (Ctrl+F)"))
        self.text_filter.setClearButtonEnabled(True)
        self.count_label = name(QLabel(), "callbacksCountLabel", self.tr("Callbacks shown"))
        filters = QHBoxLayout()
        filters.addWidget(self.mine_check)
        filters.addWidget(self.unreviewed_check)
        filters.addWidget(self.text_filter, 1)
        filters.addWidget(self.count_label)

        self.model = CallbackTableModel(services.callbacks.list, self)
        self.table = list_table("callbacksTable", self.tr("Callbacks"), self.model,
                                (150, 80, 110, 110, 220, 44, 64, 180, 120), 4)
        self.table.doubleClicked.connect(lambda _index: self.open_selected())
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            shortcut(key, self.table, self.open_selected, Qt.ShortcutContext.WidgetShortcut)

        self.open_button = name(QPushButton(self.tr("Ca&ll back (Enter)")),
                                "openCallbackButton", self.tr("Make the chosen callback"))
        self.open_button.clicked.connect(self.open_selected)
        self.review_button = name(QPushButton(self.tr("Rev&iew… (Ctrl+R)")),
                                  "reviewCallbackButton", self.tr("Review the chosen callback"))
        self.review_button.clicked.connect(self.review_selected)
        self.review_button.setVisible(self.reviewer)
        self.again_button = name(QPushButton(self.tr("Try &again…")), "tryAgainButton",
                                 self.tr("Try a failed callback again"))
        self.again_button.clicked.connect(self.try_again_selected)
        self.again_button.setVisible(self.reviewer)
        self.close_button = name(QPushButton(self.tr("Clo&se the complaint unreached…")),
                                 "closeUnreachedButton",
                                 self.tr("Close the complaint of a failed callback"))
        self.close_button.clicked.connect(self.close_unreached_selected)
        self.close_button.setVisible(self.reviewer)
        self.export_button = name(QPushButton(self.tr("E&xport…")), "exportCallbacksButton",
                                  self.tr("Export the callbacks shown to Excel"))
        self.export_button.clicked.connect(self.export)
        actions = QHBoxLayout()
        actions.addWidget(self.open_button)
        actions.addWidget(self.review_button)
        actions.addWidget(self.again_button)
        actions.addWidget(self.close_button)
        actions.addStretch(1)
        actions.addWidget(self.export_button)

        layout = QVBoxLayout(self)
        layout.addLayout(queues)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addLayout(actions)

        if self.reviewer:
            shortcut("Ctrl+R", self, self.review_selected,
                     Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut("Ctrl+F", self, self.text_filter.setFocus,
                 Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut("F5", self, self.reload, Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self._filter_timer = QTimer(self)
        self._filter_timer.setSingleShot(True)
        self._filter_timer.setInterval(200)
        self._filter_timer.timeout.connect(self.reload)
        for signal in (self.mine_check.toggled, self.unreviewed_check.toggled,
                       self.text_filter.textChanged):
            signal.connect(lambda *_: self._filter_timer.start())
        self.model.loaded.connect(self._loaded)
        # Every step here acts on the chosen callback: without one they are off.
        self.follower = SelectionFollower(self.table, (
            self.open_button, self.review_button, self.again_button, self.close_button))
        self.queue = Queue.DUE
        self.reload()

    # -- the queue -------------------------------------------------------------------------
    def show_queue(self, queue: Queue) -> None:
        self.queue = queue
        self.queue_buttons[queue].setChecked(True)
        self.reload()

    def filters(self) -> CallbackFilter:
        return CallbackFilter(
            queue=self.queue,
            mine_user_id=self.actor.user_id if self.mine_check.isChecked() else None,
            unreviewed=self.reviewer and self.unreviewed_check.isChecked(),
            text=self.text_filter.text())

    def export(self) -> None:
        from app.exporters.lists import export_callbacks
        from ui.list_export import export_list

        filters = self.filters()
        export_list(
            self, FileKind.CALLBACK_LIST, self.tr("Export callbacks"),
            self.tr("Callbacks {date}.xlsx").format(
                date=QDate.currentDate().toString("yyyy-MM-dd")),
            self.tr("Exporting callbacks…"), self.tr("Callbacks saved: {path}"),
            lambda path: export_callbacks(self.services.callbacks, self.actor, filters, path))

    def reload(self) -> None:
        self.model.search(self.filters())
        mine = self.actor.user_id if self.mine_check.isChecked() else None
        Op(self, lambda: self.services.callbacks.counts(mine)).success(self._counts).run()

    def _counts(self, counts: dict[Queue, int]) -> None:
        for queue, button in self.queue_buttons.items():
            if queue in counts:
                button.setText(self.tr("{queue} ({n})").format(queue=queue.label,
                                                               n=counts[queue]))
            else:
                button.setText(queue.label)

    def _loaded(self, total: int) -> None:
        self.count_label.setText(self.tr("{n} callback(s)").format(n=total))
        if self.model.rows and not self.table.selectionModel().hasSelection():
            self.table.selectRow(0)

    def _selected_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        row = self.model.row_at(rows[0].row()) if rows else None
        return row.id if row else None

    # -- acting ----------------------------------------------------------------------------
    def open_selected(self) -> None:
        callback_id = self._selected_id()
        if callback_id is not None:
            self.open_callback(callback_id)

    def open_callback(self, callback_id: int, on_call: bool = False) -> None:
        """``on_call``: done on the customer's own call (the pop-up's 回访待办)."""
        Op(self, lambda: self.services.callbacks.get(callback_id)) \
            .success(lambda detail: self._open(detail, on_call)).run()

    def _open(self, detail: CallbackDetail, on_call: bool = False) -> CallbackDetail | None:
        from app.services.complaints import ComplaintInput
        from ui.callback_dialog import CallbackDialog

        dialog = CallbackDialog(self.services, self.actor, detail, self.softphone, self,
                                on_call=on_call)
        saved = dialog.saved if dialog.exec() else None
        wants_complaint, call_id = dialog.wants_complaint, dialog.complaint_call_id()
        dialog.deleteLater()
        if saved is None:
            return None
        self.reload()
        self.changed.emit()
        if on_call:
            window = self.window()
            if hasattr(window, "show_status"):
                window.show_status(self.tr("Callback saved with the customer's call."))
        if wants_complaint:
            row = saved.row
            self.complaint_wanted.emit(ComplaintInput(
                customer_id=row.customer_id, phone=row.phone, call_id=call_id))
        return saved

    def review_selected(self) -> None:
        callback_id = self._selected_id()
        row = next((r for r in self.model.rows if r.id == callback_id), None)
        if row is None or not self.reviewer:
            return
        if row.status == CallbackStatus.PENDING:
            from PySide6.QtWidgets import QMessageBox

            QMessageBox.information(self, self.tr("Review"), self.tr(
                "A callback is reviewed once it has been made (or has failed or been "
                "skipped)."))
            return
        comment, ok = QInputDialog.getMultiLineText(
            self, self.tr("Review the callback"), self.tr("Your comment (optional):"),
            row.review_comment)
        if not ok:
            return
        callbacks, actor = self.services.callbacks, self.actor
        Op(self, lambda: callbacks.review(actor, row.id, comment)) \
            .success(lambda _detail: (self.reload(), self.changed.emit())).run()

    def try_again_selected(self) -> None:
        """回访失败: a supervisor sends it round once more, from a time they choose."""
        from PySide6.QtCore import QDateTime
        from PySide6.QtWidgets import QMessageBox

        callback_id = self._selected_id()
        row = next((r for r in self.model.rows if r.id == callback_id), None)
        if row is None or not self.reviewer:
            return
        if row.status != CallbackStatus.FAILED:
            QMessageBox.information(self, self.tr("Try again"), self.tr(
                "Only a failed callback is tried again."))
            return
        text, ok = QInputDialog.getText(
            self, self.tr("Try again"), self.tr("Try again from (yyyy-MM-dd HH:mm):"),
            text=QDateTime.currentDateTime().addSecs(3600).toString("yyyy-MM-dd HH:mm"))
        if not ok:
            return
        when = QDateTime.fromString(text.strip(), "yyyy-MM-dd HH:mm")
        if not when.isValid():
            QMessageBox.information(self, self.tr("Try again"), self.tr(
                "Write the time as yyyy-MM-dd HH:mm, e.g. 2026-11-23 10:00."))
            return
        due_at = when.toPython().astimezone()
        callbacks, actor = self.services.callbacks, self.actor
        Op(self, lambda: callbacks.try_again(actor, row.id, due_at)) \
            .success(lambda _row: (self.reload(), self.changed.emit())).run()

    def close_unreached_selected(self) -> None:
        """回访失败: the supervisor closes the complaint, saying why, instead of another round."""
        from PySide6.QtWidgets import QMessageBox

        callback_id = self._selected_id()
        row = next((r for r in self.model.rows if r.id == callback_id), None)
        if row is None or not self.reviewer:
            return
        if row.status != CallbackStatus.FAILED or row.complaint_id is None:
            QMessageBox.information(self, self.tr("Close the complaint"), self.tr(
                "Choose a failed complaint callback."))
            return
        reason, ok = QInputDialog.getText(
            self, self.tr("Close the complaint"),
            self.tr("Why is {number} closed without a callback?").format(
                number=row.complaint_number))
        if not ok:
            return
        callbacks, actor = self.services.callbacks, self.actor
        Op(self, lambda: callbacks.close_unreached(actor, row.id, reason)) \
            .success(lambda _detail: (self.reload(), self.changed.emit())).run()
