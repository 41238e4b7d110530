"""First start: the service centre's name and the first administrator account."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
)

from app.domain.roles import Actor
from app.errors import ValidationError
from app.services.users import MIN_PASSWORD_LENGTH, UserService
from ui.forms import FieldErrors, error_label, name


class SetupDialog(QDialog):
    def __init__(self, users: UserService, database: str, parent=None) -> None:  # noqa: ANN001
        super().__init__(parent)
        self.users = users
        self.actor: Actor | None = None
        self.setObjectName("setupDialog")
        self.setWindowTitle(self.tr("Welcome to CallDesk"))
        self.setAccessibleName(self.windowTitle())
        self.setMinimumWidth(480)

        intro = QLabel(self.tr(
            "<b>Set up CallDesk</b><br>Two things before the first sign-in: the name of your "
            "service centre and the administrator's account. You can change both later."))
        intro.setWordWrap(True)
        intro.setObjectName("setupIntro")

        self.centre = name(QLineEdit(), "centreNameEdit", self.tr("Service centre name"))
        self.centre.setPlaceholderText(self.tr("e.g. Sunshine Garden Property Service Centre"))
        self.centre.setMaxLength(60)
        self.login = name(QLineEdit("admin"), "adminLoginEdit", self.tr("Administrator login"))
        self.login.setMaxLength(40)
        self.display_name = name(QLineEdit(), "adminNameEdit", self.tr("Administrator name"))
        self.display_name.setMaxLength(40)
        self.password = name(QLineEdit(), "adminPasswordEdit", self.tr("Password"))
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(
            self.tr("at least {n} characters").format(n=MIN_PASSWORD_LENGTH))
        self.confirm = name(QLineEdit(), "adminConfirmEdit", self.tr("Repeat password"))
        self.confirm.setEchoMode(QLineEdit.EchoMode.Password)

        labels = {key: error_label(f"{key}Error") for key in
                  ("centre_name", "login", "display_name", "password", "confirm")}
        general = error_label("setupError")
        self.errors = FieldErrors(labels, general, {
            "centre_name": self.centre, "login": self.login, "display_name": self.display_name,
            "password": self.password, "confirm": self.confirm})

        centre_box = QGroupBox(self.tr("Service centre"))
        centre_form = QFormLayout(centre_box)
        centre_form.addRow(self.tr("&Name:"), self.centre)
        centre_form.addRow("", labels["centre_name"])
        admin_box = QGroupBox(self.tr("Administrator account"))
        admin_form = QFormLayout(admin_box)
        admin_form.addRow(self.tr("&Login name:"), self.login)
        admin_form.addRow("", labels["login"])
        admin_form.addRow(self.tr("&Display name:"), self.display_name)
        admin_form.addRow("", labels["display_name"])
        admin_form.addRow(self.tr("&Password:"), self.password)
        admin_form.addRow("", labels["password"])
        admin_form.addRow(self.tr("&Repeat password:"), self.confirm)
        admin_form.addRow("", labels["confirm"])

        where = QLabel(self.tr("Database: {database}").format(database=database))
        where.setObjectName("setupDatabaseLabel")
        where.setStyleSheet("color: palette(mid);")
        where.setWordWrap(True)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("&Start using CallDesk"))
        name(self.ok_button, "setupOkButton", self.tr("Start using CallDesk"))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(centre_box)
        layout.addWidget(admin_box)
        layout.addWidget(general)
        layout.addWidget(where)
        layout.addWidget(self.buttons)
        self.setTabOrder(self.centre, self.login)
        self.setTabOrder(self.login, self.display_name)
        self.setTabOrder(self.display_name, self.password)
        self.setTabOrder(self.password, self.confirm)
        self.centre.setFocus(Qt.FocusReason.OtherFocusReason)

    def submit(self) -> None:
        self.errors.clear()
        if self.password.text() != self.confirm.text():
            message = self.tr("The two passwords differ. Type the same password twice.")
            self.errors.show(ValidationError(message, {"confirm": message}))
            return
        centre, login, display, password = (self.centre.text(), self.login.text(),
                                             self.display_name.text(), self.password.text())
        self.errors.submit(self, self.ok_button,
                           lambda: self.users.complete_setup(centre, login, display, password),
                           self._done)

    def _done(self, actor: Actor) -> None:
        self.actor = actor
        self.accept()

