"""A saved call, opened from the list: read it, or change it where the rules allow (its
operator on the same day, a supervisor always)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.calls import CallType, Direction, Outcome
from app.domain.roles import Actor
from app.domain.texts import NOTE_MAX
from app.services import Services
from app.services.calls import CallInput, CallRow
from ui.call_model import duration_text
from ui.forms import FieldErrors, error_label, name, save_keys
from ui.operations import Op
from ui.text import local_time


class CallDialog(QDialog):
    open_card = Signal(int)

    def __init__(self, services: Services, actor: Actor, call: CallRow,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services, self.actor, self.call = services, actor, call
        self.saved: CallRow | None = None
        self.editable = services.calls.may_edit(actor, call)
        self.setObjectName("callDialog")
        self.setWindowTitle(self.tr("Call of {time}").format(time=local_time(call.received_at)))
        self.setAccessibleName(self.windowTitle())
        self.setMinimumWidth(520)

        who = QLabel(f"{call.phone}  {call.customer_name}  {call.unit_label}".strip())
        who.setObjectName("callWhoLabel")
        facts = QLabel(self.tr("{direction}, {duration}, taken by {operator}").format(
            direction=call.direction.label, duration=duration_text(call.duration_seconds),
            operator=call.operator_name or "-"))
        facts.setObjectName("callFactsLabel")
        self.call_type = name(QComboBox(), "editCallTypeCombo", self.tr("Call type"))
        for kind in CallType:
            self.call_type.addItem(kind.label, kind.value)
        self.outcome = name(QComboBox(), "editCallOutcomeCombo", self.tr("Outcome"))
        # A callback's call keeps its own outcomes (已回访, 未接通); a call taken at the desk
        # offers only what an operator chooses for one.
        for outcome in Outcome.for_inbound() if call.direction == Direction.INBOUND \
                else tuple(Outcome):
            self.outcome.addItem(outcome.label, outcome.value)
        self.department = name(QComboBox(), "editCallDepartmentCombo", self.tr("Department"))
        self.department.addItem(self.tr("(none)"), None)
        self.summary = name(QPlainTextEdit(call.summary), "editCallSummaryEdit",
                            self.tr("Summary"))
        self.summary.setTabChangesFocus(True)
        if call.call_type:
            self.call_type.setCurrentIndex(self.call_type.findData(call.call_type.value))
        if call.outcome:
            self.outcome.setCurrentIndex(self.outcome.findData(call.outcome.value))
        labels = {key: error_label(f"edit_{key}Error")
                  for key in ("call_type", "summary", "outcome", "department")}
        self.errors = FieldErrors(labels, error_label("editCallError"), {
            "summary": self.summary, "department": self.department})
        self.summary_counter = self.errors.counter("summary", self.summary, NOTE_MAX)

        form = QFormLayout()
        form.addRow(self.tr("Caller:"), who)
        form.addRow("", facts)
        if not call.missed:
            form.addRow(self.tr("&Type:"), self.call_type)
            form.addRow(self.tr("&Outcome:"), self.outcome)
            form.addRow(self.tr("&Department:"), self.department)
            form.addRow("", labels["department"])
            form.addRow(self.tr("&Summary:"), self.summary)
            form.addRow("", self.summary_counter)
            form.addRow("", labels["summary"])
        else:
            form.addRow("", QLabel(self.tr("Missed call: it waits in the callbacks.")))
        self.card_button = name(QPushButton(self.tr("Open &card")), "openCallerCardButton",
                                self.tr("Open the caller's card"))
        self.card_button.setEnabled(call.customer_id is not None)
        self.card_button.clicked.connect(self._open_card)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Close)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        name(self.save_button, "saveEditedCallButton", self.tr("Save"))
        self.save_button.setText(self.tr("Save (Ctrl+Enter)"))
        buttons.addButton(self.card_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.accepted.connect(self.submit)
        save_keys(self, self.submit)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.errors.general)
        if not self.editable:
            note = QLabel(self.tr("You can change your own calls on the day they were taken."))
            note.setObjectName("callReadOnlyNote")
            layout.addWidget(note)
        layout.addWidget(buttons)
        for widget in (self.call_type, self.outcome, self.department):
            widget.setEnabled(self.editable)
        self.summary.setReadOnly(not self.editable)
        self.save_button.setVisible(self.editable and not call.missed)
        Op(self, services.departments.list).success(self._departments).run()

    def _departments(self, departments: list) -> None:  # noqa: ANN001
        for department in departments:
            self.department.addItem(department.name, department.id)
        if self.call.department_id is not None:
            index = self.department.findData(self.call.department_id)
            if index < 0:
                self.department.addItem(self.call.department_name, self.call.department_id)
                index = self.department.count() - 1
            self.department.setCurrentIndex(index)

    def _open_card(self) -> None:
        if self.call.customer_id is not None:
            self.open_card.emit(self.call.customer_id)

    def submit(self) -> None:
        call = self.call
        data = CallInput(
            phone=call.phone, direction=call.direction, customer_id=call.customer_id,
            unit_id=call.unit_id, call_type=CallType(self.call_type.currentData()),
            summary=self.summary.toPlainText(), outcome=Outcome(self.outcome.currentData()),
            department_id=self.department.currentData(),
            duration_seconds=call.duration_seconds, received_at=call.received_at)
        self.errors.submit(self, self.save_button,
                           lambda: self.services.calls.update(self.actor, call.id, data),
                           self._saved)

    def _saved(self, row: CallRow) -> None:
        self.saved = row
        self.accept()
