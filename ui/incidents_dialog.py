"""突发事件 (supervisors): open an incident many callers will report (3栋停水), with whom it
touches, when it should end and what to tell callers; end it, calling its callers back."""

from __future__ import annotations

from PySide6.QtCore import QDateTime, Qt, QTime
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.incidents import IncidentKind
from app.domain.roles import Actor
from app.domain.texts import NOTE_MAX
from app.services import Services
from app.services.incidents import TITLE_MAX, IncidentInput, IncidentRow
from ui.errors import show_error
from ui.forms import FieldErrors, error_label, name, save_keys
from ui.operations import Op
from ui.text import local_time


class IncidentsDialog(QDialog):
    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None
                 ) -> None:
        super().__init__(parent)
        self.services, self.actor = services, actor
        self.changed = False
        self.setObjectName("incidentsDialog")
        self.setWindowTitle(self.tr("Incidents"))
        self.setAccessibleName(self.windowTitle())
        self.resize(640, 600)

        self.list = name(QListWidget(), "incidentsList", self.tr("Incidents"))
        self.end_button = name(QPushButton(self.tr("&End the chosen incident…")),
                               "endIncidentButton", self.tr("End the chosen incident"))
        self.end_button.clicked.connect(self.end_chosen)
        self.list.currentRowChanged.connect(lambda _row: self._update())

        box = QGroupBox(self.tr("New incident"))
        box.setObjectName("newIncidentBox")
        self.kind = name(QComboBox(), "incidentKindCombo", self.tr("Kind"))
        for kind in IncidentKind:
            self.kind.addItem(kind.label, kind.value)
        self.title_edit = name(QLineEdit(), "incidentTitleEdit", self.tr("What happened"))
        self.title_edit.setMaxLength(TITLE_MAX)
        self.title_edit.setPlaceholderText(self.tr("e.g. water cut in building 3"))
        self.estate = name(QLineEdit(), "incidentEstateEdit", self.tr("Estate"))
        self.estate.setPlaceholderText(self.tr("empty: every estate"))
        self.buildings = name(QLineEdit(), "incidentBuildingsEdit", self.tr("Buildings"))
        self.buildings.setPlaceholderText(self.tr("e.g. 3, 5 (empty: all of them)"))
        self.expected = name(QDateTimeEdit(), "incidentExpectedEdit", self.tr("Expected end"))
        self.expected.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.expected.setCalendarPopup(True)
        in_two_hours = QDateTime.currentDateTime().addSecs(2 * 3600)
        in_two_hours.setTime(QTime(in_two_hours.time().hour(), 0))
        self.expected.setDateTime(in_two_hours)
        self.no_end = name(QCheckBox(self.tr("&Not known yet")), "incidentNoEndCheck",
                           self.tr("Expected end not known"))
        self.no_end.toggled.connect(lambda on: self.expected.setEnabled(not on))
        self.message = name(QPlainTextEdit(), "incidentMessageEdit",
                            self.tr("What to tell callers"))
        self.message.setTabChangesFocus(True)
        self.message.setMaximumHeight(70)
        self.message.setPlaceholderText(self.tr("e.g. the main is being mended; water is back by 14:00, please store "
                                                "some"))
        labels = {key: error_label(f"incident_{key}Error")
                  for key in ("title", "buildings", "expected_end_at", "message")}
        self.errors = FieldErrors(labels, error_label("incidentError"), {
            "title": self.title_edit, "buildings": self.buildings,
            "expected_end_at": self.expected, "message": self.message})
        form = QFormLayout(box)
        form.addRow(self.tr("&Kind:"), self.kind)
        form.addRow(self.tr("&What happened:"), self.title_edit)
        form.addRow("", labels["title"])
        form.addRow(self.tr("E&state:"), self.estate)
        form.addRow(self.tr("&Buildings:"), self.buildings)
        form.addRow("", labels["buildings"])
        expected_row = QHBoxLayout()
        expected_row.addWidget(self.expected, 1)
        expected_row.addWidget(self.no_end)
        expected_label = QLabel(self.tr("E&xpected end:"))
        expected_label.setBuddy(self.expected)
        form.addRow(expected_label, expected_row)
        form.addRow("", labels["expected_end_at"])
        form.addRow(self.tr("Tell &callers:"), self.message)
        form.addRow("", self.errors.counter("message", self.message, NOTE_MAX))
        form.addRow("", labels["message"])
        self.open_button = name(QPushButton(self.tr("&Open the incident (Ctrl+Enter)")),
                                "openIncidentButton", self.tr("Open the incident"))
        self.open_button.clicked.connect(self.open_incident)
        form.addRow("", self.open_button)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        ends = QHBoxLayout()
        ends.addStretch(1)
        ends.addWidget(self.end_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list, 1)
        layout.addLayout(ends)
        layout.addWidget(box)
        layout.addWidget(self.errors.general)
        layout.addWidget(buttons)
        save_keys(self, self.open_incident)
        self.title_edit.setFocus()
        self.reload()

    def reload(self) -> None:
        Op(self, self.services.incidents.recent).success(self._show).run()

    def _show(self, rows: list[IncidentRow]) -> None:
        self.list.clear()
        for row in rows:
            state = self.tr("active") if row.active else self.tr("ended {at}").format(
                at=local_time(row.ended_at))
            text = self.tr("{title} ({kind}) · since {since} · {state} · {n} call(s)").format(
                title=row.title, kind=row.kind.label, since=local_time(row.started_at),
                state=state, n=row.calls)
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, row)
            if not row.active:
                item.setForeground(Qt.GlobalColor.gray)
            self.list.addItem(item)
        self._update()

    def _chosen(self) -> IncidentRow | None:
        item = self.list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def _update(self) -> None:
        chosen = self._chosen()
        self.end_button.setEnabled(chosen is not None and chosen.active)

    def open_incident(self) -> None:
        if not self.open_button.isEnabled():
            return
        expected = None if self.no_end.isChecked() else \
            self.expected.dateTime().toPython().astimezone()
        data = IncidentInput(kind=IncidentKind(self.kind.currentData()),
                             title=self.title_edit.text(), estate=self.estate.text(),
                             buildings=self.buildings.text(),
                             message=self.message.toPlainText(), expected_end_at=expected)
        incidents, actor = self.services.incidents, self.actor
        self.errors.submit(self, self.open_button, lambda: incidents.open(actor, data),
                           self._opened)

    def _opened(self, _row: IncidentRow) -> None:
        self.changed = True
        for edit in (self.title_edit, self.estate, self.buildings):
            edit.clear()
        self.message.clear()
        self.reload()

    def end_chosen(self) -> None:
        chosen = self._chosen()
        if chosen is None or not chosen.active:
            return
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("End the incident"),
                          self.tr("End “{title}”? {n} call(s) were about it.").format(
                              title=chosen.title, n=chosen.calls),
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
        box.setObjectName("endIncidentBox")
        call_back = QCheckBox(self.tr("Call the callers back to tell them it is over"))
        call_back.setObjectName("incidentCallBackCheck")
        call_back.setChecked(chosen.calls > 0)
        box.setCheckBox(call_back)
        answer = box.exec()
        wanted = call_back.isChecked()
        box.deleteLater()
        if answer != QMessageBox.StandardButton.Yes:
            return
        incidents, actor = self.services.incidents, self.actor
        Op(self, lambda: incidents.end(actor, chosen.id, call_back=wanted)) \
            .success(self._ended).failure(lambda e: show_error(self, e)).run()

    def _ended(self, result: tuple[IncidentRow, int]) -> None:
        self.changed = True
        _row, callbacks = result
        self.errors.general.setText(self.tr("Ended; {n} callback(s) added to the queue.")
                                    .format(n=callbacks) if callbacks else self.tr("Ended."))
        self.errors.general.setStyleSheet("color: #1b6e3a;")
        self.errors.general.show()
        self.reload()
