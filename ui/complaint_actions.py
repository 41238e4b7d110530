"""The small dialogs of the complaint's steps: dispatch (派单), resolve, and a reason for the
steps that need one. Each runs its step through the service and keeps what was typed when
the service refuses."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.domain.complaints import WORKFLOW, Action
from app.domain.roles import Actor
from app.domain.texts import LONG_TEXT_MAX
from app.services import Services
from app.services.complaints import ComplaintDetail
from ui.forms import FieldErrors, error_label, name, shortcut
from ui.operations import Op


def fault_combo(object_name: str, accessible: str, value: bool | None) -> QComboBox:
    combo = name(QComboBox(), object_name, accessible)
    for text, data in ((QCoreApplication.translate("ComplaintActions", "To be determined"), None), (QCoreApplication.translate("ComplaintActions", "Yes"), True),
                       (QCoreApplication.translate("ComplaintActions", "No"), False)):
        combo.addItem(text, data)
    combo.setCurrentIndex(combo.findData(value) if value is not None else 0)
    return combo


class _StepDialog(QDialog):
    """A form, OK/Cancel, an error label; ``_submit`` reads the widgets on the UI thread and
    runs the step on the worker (called through ``submit``, which ignores a second press
    while the first is running)."""

    def __init__(self, title: str, object_name: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setObjectName(object_name)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.setMinimumWidth(460)
        self.result_detail: ComplaintDetail | None = None
        self.form = QFormLayout()
        self.error = error_label(f"{object_name}Error")
        self.errors = FieldErrors({}, self.error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        name(self.ok, f"{object_name}OkButton", title)
        self.ok.setText(QCoreApplication.translate("ComplaintActions", "OK (Ctrl+Enter)"))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        for key in ("Ctrl+Return", "Ctrl+Enter"):
            shortcut(key, self, self.submit, Qt.ShortcutContext.WindowShortcut)

    def submit(self) -> None:
        """OK or Ctrl+Enter. While the step runs the OK button is disabled: a second press
        (Ctrl+Enter twice in a row) does nothing, so the step is never done twice."""
        if not self.ok.isEnabled():
            return
        self._submit()

    def _submit(self) -> None:
        raise NotImplementedError

    def _done(self, detail: ComplaintDetail) -> None:
        self.result_detail = detail
        self.accept()


def _note_edit(object_name: str, accessible: str, placeholder: str) -> QPlainTextEdit:
    edit = name(QPlainTextEdit(), object_name, accessible)
    edit.setTabChangesFocus(True)
    edit.setPlaceholderText(placeholder)
    edit.setMaximumHeight(90)
    return edit


class DispatchDialog(_StepDialog):
    """派单 or 转派: a department and, when known, the person; staff without a login are
    typed in."""

    def __init__(self, services: Services, actor: Actor, detail: ComplaintDetail,
                 redispatch: bool, parent: QWidget | None = None) -> None:
        title = QCoreApplication.translate("DispatchDialog", "Re-dispatch {number}") \
            if redispatch else QCoreApplication.translate("DispatchDialog", "Dispatch {number}")
        super().__init__(title.format(number=detail.row.number), "dispatchDialog", parent)
        self.services, self.actor, self.detail, self.redispatch = (services, actor, detail,
                                                                   redispatch)
        self.users: list[Any] = []
        self.department = name(QComboBox(), "dispatchDepartmentCombo", self.tr("Department"))
        self.assignee = name(QComboBox(), "dispatchAssigneeCombo", self.tr("Assignee"))
        self.assignee.setEditable(True)  # staff without a CallDesk login are typed in
        self.assignee.lineEdit().setPlaceholderText(self.tr("optional: who will do it"))
        self.note = _note_edit("dispatchNoteEdit", self.tr("Note"),
                               self.tr("Why it moves to another department (required)")
                               if redispatch else self.tr("optional"))
        self.form.addRow(self.tr("&Department:"), self.department)
        self.form.addRow(self.tr("&Assignee:"), self.assignee)
        self.form.addRow(self.tr("&Note:") if not redispatch else self.tr("&Reason:"),
                         self.note)
        self.department.currentIndexChanged.connect(self._fill_assignees)
        Op(self, lambda: (services.departments.list(), services.users.list_active_users(),
                          services.departments.category_defaults())) \
            .success(self._lists).run()

    def _lists(self, lists: tuple[list, list, dict]) -> None:
        departments, self.users, defaults = lists
        for department in departments:
            self.department.addItem(department.name, department.id)
        # Not yet dispatched: the category's default department comes first.
        current = self.detail.row.department_id or defaults.get(self.detail.row.category)
        index = self.department.findData(current) if current is not None else -1
        if self.redispatch and index >= 0 and self.department.count() > 1:
            index = (index + 1) % self.department.count()  # moving on: not where it is now
        self.department.setCurrentIndex(max(index, 0))
        self._fill_assignees()
        self.department.setFocus()

    def _fill_assignees(self) -> None:
        department_id = self.department.currentData()
        self.assignee.clear()
        self.assignee.addItem("", None)
        for user in self.users:
            if user.department_id == department_id:
                self.assignee.addItem(user.display_name, user.id)

    def _assignee(self) -> tuple[int | None, str]:
        text = self.assignee.currentText().strip()
        index = self.assignee.findText(text)
        user_id = self.assignee.itemData(index) if index >= 0 else None
        return (user_id, "") if user_id is not None else (None, text)

    def _submit(self) -> None:
        # Read the widgets here, on the UI thread; the service runs on the worker.
        assignee_id, assignee_name = self._assignee()
        department_id, note = self.department.currentData(), self.note.toPlainText()
        step = self.services.complaints.redispatch if self.redispatch \
            else self.services.complaints.dispatch
        self.errors.submit(self, self.ok, lambda: step(
            self.actor, self.detail.row.id, department_id, assignee_id, assignee_name, note),
            self._done)


class ResolveDialog(_StepDialog):
    def __init__(self, services: Services, actor: Actor, detail: ComplaintDetail,
                 parent: QWidget | None = None) -> None:
        super().__init__(QCoreApplication.translate("ResolveDialog", "Resolve {number}").format(
            number=detail.row.number), "resolveDialog", parent)
        self.services, self.actor, self.detail = services, actor, detail
        self.resolution = _note_edit("resolutionEdit", self.tr("Resolution"),
                                     self.tr("What was done (required)"))
        self.resolution.setPlainText(detail.resolution)
        self.measures = _note_edit("measuresEdit", self.tr("Corrective and preventive measures"),
                                   self.tr("So it does not happen again (optional)"))
        self.measures.setPlainText(detail.measures)
        self.fault = fault_combo("resolveFaultCombo", self.tr("Company at fault"),
                                 detail.company_at_fault)
        self.note = _note_edit("resolveNoteEdit", self.tr("Note"), self.tr("optional"))
        self.form.addRow(self.tr("&Resolution:"), self.resolution)
        self.form.addRow("", self.errors.counter("resolution", self.resolution, LONG_TEXT_MAX))
        self.form.addRow(self.tr("&Measures:"), self.measures)
        self.form.addRow("", self.errors.counter("measures", self.measures, LONG_TEXT_MAX))
        self.form.addRow(self.tr("Company at &fault:"), self.fault)
        self.form.addRow(self.tr("&Note:"), self.note)
        self.resolution.setFocus()

    def _submit(self) -> None:
        resolution, measures = self.resolution.toPlainText(), self.measures.toPlainText()
        fault, note = self.fault.currentData(), self.note.toPlainText()
        self.errors.submit(self, self.ok, lambda: self.services.complaints.resolve(
            self.actor, self.detail.row.id, resolution, measures, fault, note), self._done)


class ReasonDialog(_StepDialog):
    """One text for a step: the reason to cancel or rework, a note, a callback's words."""

    def __init__(self, title: str, prompt: str, required: bool,
                 step: Callable[[str], ComplaintDetail], parent: QWidget | None = None) -> None:
        super().__init__(title, "reasonDialog", parent)
        self.step = step
        self.text = _note_edit("reasonEdit", prompt, self.tr("required") if required
                               else self.tr("optional"))
        self.text.setMaximumHeight(140)
        label = QLabel(prompt)
        label.setWordWrap(True)
        self.form.addRow(label)
        self.form.addRow(self.text)
        self.text.setFocus()

    def _submit(self) -> None:
        text = self.text.toPlainText()
        self.errors.submit(self, self.ok, lambda: self.step(text), self._done)


def reason_for(action: Action) -> tuple[str, bool]:
    """The prompt for a step's text, and whether the workflow requires one."""
    prompt = {
        Action.START: QCoreApplication.translate("ComplaintActions",
                                                 "Note on starting (optional):"),
        Action.CANCEL: QCoreApplication.translate("ComplaintActions",
                                                  "Why the complaint is cancelled:"),
        Action.ARCHIVE: QCoreApplication.translate("ComplaintActions", "Note (optional):"),
        Action.NOTE: QCoreApplication.translate(
            "ComplaintActions", "Note for the timeline, e.g. the department was chased:"),
    }[action]
    return prompt, WORKFLOW.steps[action].needs_note
