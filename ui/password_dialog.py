"""Changing one's own password."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLineEdit, QVBoxLayout

from app.domain.roles import Actor
from app.errors import ValidationError
from app.services.users import MIN_PASSWORD_LENGTH, UserService
from ui.forms import FieldErrors, error_label, name


class ChangePasswordDialog(QDialog):
    def __init__(self, users: UserService, actor: Actor, parent=None) -> None:  # noqa: ANN001
        super().__init__(parent)
        self.users, self.actor = users, actor
        self.setObjectName("changePasswordDialog")
        self.setWindowTitle(self.tr("Change my password"))
        self.setAccessibleName(self.windowTitle())
        self.old = name(QLineEdit(), "oldPasswordEdit", self.tr("Current password"))
        self.new = name(QLineEdit(), "newPasswordEdit", self.tr("New password"))
        self.new.setPlaceholderText(self.tr("at least {n} characters").format(n=MIN_PASSWORD_LENGTH))
        self.confirm = name(QLineEdit(), "confirmPasswordEdit", self.tr("Repeat new password"))
        for edit in (self.old, self.new, self.confirm):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        labels = {key: error_label(f"{key}Error")
                  for key in ("old_password", "new_password", "confirm")}
        self.errors = FieldErrors(labels, error_label("changePasswordError"),
                                  {"old_password": self.old, "new_password": self.new,
                                   "confirm": self.confirm})
        form = QFormLayout()
        form.addRow(self.tr("&Current password:"), self.old)
        form.addRow("", labels["old_password"])
        form.addRow(self.tr("&New password:"), self.new)
        form.addRow("", labels["new_password"])
        form.addRow(self.tr("&Repeat new password:"), self.confirm)
        form.addRow("", labels["confirm"])
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        name(self.ok_button, "changePasswordOkButton", self.tr("Change password"))
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.errors.general)
        layout.addWidget(buttons)

    def submit(self) -> None:
        self.errors.clear()
        if self.new.text() != self.confirm.text():
            message = self.tr("The two new passwords differ. Type the same password twice.")
            self.errors.show(ValidationError(message, {"confirm": message}))
            return
        old, new = self.old.text(), self.new.text()
        self.errors.submit(self, self.ok_button,
                           lambda: self.users.change_own_password(self.actor, old, new),
                           lambda _: self.accept())

