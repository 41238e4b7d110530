"""Signing in (at start, and when switching user)."""

from __future__ import annotations

import html

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
)

from app.domain.roles import Actor
from app.errors import AuthenticationError, ValidationError
from app.services.users import UserService
from ui.errors import show_error
from ui.forms import error_label, name
from ui.operations import Op


class LoginDialog(QDialog):
    def __init__(self, users: UserService, centre_name: str, database: str,
                 last_login: str = "", parent=None) -> None:  # noqa: ANN001
        super().__init__(parent)
        self.users = users
        self.actor: Actor | None = None
        self.setObjectName("loginDialog")
        self.setWindowTitle(self.tr("Sign in to CallDesk"))
        self.setAccessibleName(self.windowTitle())
        self.setMinimumWidth(380)

        heading = QLabel(f"<h2>{html.escape(centre_name or 'CallDesk')}</h2>")
        heading.setObjectName("loginCentreLabel")
        subtitle = QLabel(self.tr("Property service front desk"))
        subtitle.setObjectName("loginSubtitle")

        self.login = name(QLineEdit(last_login), "loginEdit", self.tr("Login name"))
        self.password = name(QLineEdit(), "passwordEdit", self.tr("Password"))
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = error_label("loginError")

        form = QFormLayout()
        form.addRow(self.tr("&Login name:"), self.login)
        form.addRow(self.tr("&Password:"), self.password)

        where = QLabel(self.tr("Database: {database}").format(database=database))
        where.setObjectName("loginDatabaseLabel")
        where.setWordWrap(True)
        where.setStyleSheet("color: palette(mid);")

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("&Sign in"))
        name(self.ok_button, "signInButton", self.tr("Sign in"))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(subtitle)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(where)
        layout.addWidget(self.buttons)
        (self.password if last_login else self.login).setFocus()

    def submit(self) -> None:
        self.message.hide()
        if not self.login.text().strip() or not self.password.text():
            self._show_message(self.tr("Enter your login name and password."))
            return
        login, password = self.login.text(), self.password.text()
        Op(self, lambda: self.users.authenticate(login, password)) \
            .disabling(self.ok_button).success(self._signed_in).failure(self._failed).run()

    def _show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()

    def _signed_in(self, actor: Actor) -> None:
        self.actor = actor
        self.accept()

    def _failed(self, error: BaseException) -> None:
        if isinstance(error, AuthenticationError | ValidationError):
            self._show_message(str(error))
            self.password.clear()
            self.password.setFocus()
        else:
            show_error(self, error)
