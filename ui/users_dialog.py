"""The administrator's user accounts: add, edit role and department, deactivate, reset password."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.roles import Actor, Role
from app.services import Services
from app.services.departments import DepartmentInfo
from app.services.users import MIN_PASSWORD_LENGTH, UserInfo
from ui.forms import FieldErrors, error_label, name, shortcut
from ui.operations import Op
from ui.text import local_time

_Index = QModelIndex | QPersistentModelIndex


class UsersTableModel(QAbstractTableModel):
    COLUMNS = ("login", "display_name", "role", "department", "status", "last_login")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.users: list[UserInfo] = []

    def set_users(self, users: list[UserInfo]) -> None:
        self.beginResetModel()
        self.users = list(users)
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.users)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole):  # noqa: ANN201
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        if not 0 <= section < len(self.COLUMNS):
            return None
        return (self.tr("Login"), self.tr("Name"), self.tr("Role"), self.tr("Department"),
                self.tr("Status"), self.tr("Last sign-in"))[section]

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: ANN201
        if not index.isValid() or not 0 <= index.row() < len(self.users):
            return None
        user = self.users[index.row()]
        column = self.COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            if column == "login":
                return user.login
            if column == "display_name":
                return user.display_name
            if column == "role":
                return user.role.label
            if column == "department":
                return user.department_name or ""
            if column == "status":
                if not user.active:
                    return self.tr("Deactivated")
                return self.tr("Locked") if user.is_locked else self.tr("Active")
            if column == "last_login":
                return local_time(user.last_login_at)
        if role == Qt.ItemDataRole.ForegroundRole and not user.active:
            return Qt.GlobalColor.gray
        if role == Qt.ItemDataRole.UserRole:
            return user.id
        return None

    def user_at(self, row: int) -> UserInfo | None:
        return self.users[row] if 0 <= row < len(self.users) else None


class UserEditDialog(QDialog):
    """Adding a user (with a first password) or editing one (name, role, department)."""

    def __init__(self, services: Services, actor: Actor, departments: list[DepartmentInfo],
                 user: UserInfo | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services, self.actor, self.user = services, actor, user
        self.setObjectName("userEditDialog")
        self.setWindowTitle(self.tr("Edit user") if user else self.tr("Add user"))
        self.setAccessibleName(self.windowTitle())
        self.login = name(QLineEdit(user.login if user else ""), "userLoginEdit",
                          self.tr("Login name"))
        self.login.setReadOnly(user is not None)
        self.display_name = name(QLineEdit(user.display_name if user else ""),
                                 "userNameEdit", self.tr("Display name"))
        self.role = name(QComboBox(), "userRoleCombo", self.tr("Role"))
        for role in Role:
            self.role.addItem(role.label, role.value)
        self.role.setCurrentIndex(self.role.findData((user.role if user else Role.OPERATOR).value))
        self.department = name(QComboBox(), "userDepartmentCombo", self.tr("Department"))
        self.department.addItem(self.tr("(none)"), None)
        for department in departments:
            self.department.addItem(department.name, department.id)
        if user and user.department_id is not None:
            index = self.department.findData(user.department_id)
            if index < 0:  # a deactivated department still shows for who is in it
                self.department.addItem(user.department_name or "?", user.department_id)
                index = self.department.count() - 1
            self.department.setCurrentIndex(index)
        self.password = name(QLineEdit(), "userPasswordEdit", self.tr("Password"))
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(
            self.tr("at least {n} characters").format(n=MIN_PASSWORD_LENGTH))

        labels = {key: error_label(f"user_{key}Error")
                  for key in ("login", "display_name", "department", "password")}
        self.errors = FieldErrors(labels, error_label("userEditError"), {
            "login": self.login, "display_name": self.display_name,
            "department": self.department, "password": self.password})
        form = QFormLayout()
        form.addRow(self.tr("&Login name:"), self.login)
        form.addRow("", labels["login"])
        form.addRow(self.tr("&Display name:"), self.display_name)
        form.addRow("", labels["display_name"])
        form.addRow(self.tr("&Role:"), self.role)
        form.addRow(self.tr("D&epartment:"), self.department)
        form.addRow("", labels["department"])
        if user is None:
            form.addRow(self.tr("&Password:"), self.password)
            form.addRow("", labels["password"])
        else:
            self.password.hide()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        name(self.save_button, "userSaveButton", self.tr("Save"))
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.errors.general)
        layout.addWidget(buttons)
        (self.display_name if user else self.login).setFocus()

    def submit(self) -> None:
        users = self.services.users
        role = Role(self.role.currentData())
        department_id = self.department.currentData()
        display = self.display_name.text()
        if self.user is None:
            login, password = self.login.text(), self.password.text()
            call = lambda: users.add_user(self.actor, login, display, role, password,  # noqa: E731
                                          department_id)
        else:
            user_id = self.user.id
            call = lambda: users.update_user(self.actor, user_id, display_name=display,  # noqa: E731
                                             role=role, department_id=department_id)
        self.errors.submit(self, self.save_button, call, lambda _user: self.accept())



class PasswordResetDialog(QDialog):
    def __init__(self, services: Services, actor: Actor, user: UserInfo,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services, self.actor, self.user = services, actor, user
        self.setObjectName("passwordResetDialog")
        self.setWindowTitle(self.tr("Reset password of {name}").format(name=user.display_name))
        self.setAccessibleName(self.windowTitle())
        self.password = name(QLineEdit(), "resetPasswordEdit", self.tr("New password"))
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(
            self.tr("at least {n} characters").format(n=MIN_PASSWORD_LENGTH))
        form = QFormLayout()
        form.addRow(self.tr("&New password:"), self.password)
        self.error = error_label("resetPasswordError")
        self.errors = FieldErrors({"password": self.error}, self.error,
                                  {"password": self.password})
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        name(self.ok_button, "resetPasswordOkButton", self.tr("Reset password"))
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def submit(self) -> None:
        password, user_id = self.password.text(), self.user.id
        self.errors.submit(
            self, self.ok_button,
            lambda: self.services.users.reset_password(self.actor, user_id, password),
            lambda _: self.accept())



class UsersDialog(QDialog):
    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services, self.actor = services, actor
        self.departments: list[DepartmentInfo] = []
        self.setObjectName("usersDialog")
        self.setWindowTitle(self.tr("User accounts"))
        self.setAccessibleName(self.windowTitle())
        self.resize(760, 420)

        self.model = UsersTableModel(self)
        self.table = name(QTableView(), "usersTable", self.tr("User accounts"))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(self.edit_user)

        self.add_button = name(QPushButton(self.tr("&Add…")), "addUserButton",
                               self.tr("Add user"))
        self.add_button.setShortcut(QKeySequence("Ctrl+N"))
        self.edit_button = name(QPushButton(self.tr("&Edit…")), "editUserButton",
                                self.tr("Edit user"))
        self.reset_button = name(QPushButton(self.tr("&Reset password…")),
                                 "resetPasswordButton", self.tr("Reset password"))
        self.toggle_button = name(QPushButton(self.tr("&Deactivate")), "toggleActiveButton",
                                  self.tr("Deactivate or activate"))
        close = name(QPushButton(self.tr("Close")), "closeUsersButton", self.tr("Close"))
        self.add_button.clicked.connect(self.add_user)
        self.edit_button.clicked.connect(self.edit_user)
        self.reset_button.clicked.connect(self.reset_password)
        self.toggle_button.clicked.connect(self.toggle_active)
        close.clicked.connect(self.accept)
        shortcut(Qt.Key.Key_Return, self.table, self.edit_user, Qt.ShortcutContext.WidgetShortcut)

        buttons = QHBoxLayout()
        for button in (self.add_button, self.edit_button, self.reset_button, self.toggle_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self._update_buttons()
        self.reload()

    def reload(self, select_id: int | None = None) -> None:
        def load() -> tuple[list[UserInfo], list[DepartmentInfo]]:
            return self.services.users.list_users(self.actor), self.services.departments.list()

        def show(result: tuple[list[UserInfo], list[DepartmentInfo]]) -> None:
            users, self.departments = result
            current = select_id if select_id is not None else self._selected_id()
            self.model.set_users(users)
            for row, user in enumerate(users):
                if user.id == current:
                    self.table.selectRow(row)
            self._update_buttons()

        Op(self, load).success(show).run()

    def _selected(self) -> UserInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.user_at(rows[0].row()) if rows else None

    def _selected_id(self) -> int | None:
        user = self._selected()
        return user.id if user else None

    def _update_buttons(self) -> None:
        user = self._selected()
        for button in (self.edit_button, self.reset_button, self.toggle_button):
            button.setEnabled(user is not None)
        self.toggle_button.setText(
            self.tr("&Activate") if user and not user.active else self.tr("&Deactivate"))

    def add_user(self) -> None:
        dialog = UserEditDialog(self.services, self.actor, self.departments, None, self)
        if dialog.exec():
            self.reload()

    def edit_user(self) -> None:
        user = self._selected()
        if user is None:
            return
        dialog = UserEditDialog(self.services, self.actor, self.departments, user, self)
        if dialog.exec():
            self.reload(user.id)

    def reset_password(self) -> None:
        user = self._selected()
        if user is None:
            return
        if PasswordResetDialog(self.services, self.actor, user, self).exec():
            QMessageBox.information(self, self.windowTitle(), self.tr(
                "The password of {name} was reset and the account unlocked. Tell them the new "
                "password.").format(name=user.display_name))
            self.reload(user.id)

    def toggle_active(self) -> None:
        user = self._selected()
        if user is None:
            return
        if user.active:
            answer = QMessageBox.question(
                self, self.tr("Deactivate user"),
                self.tr("Deactivate {name}? They can no longer sign in; their past work stays.")
                .format(name=user.display_name))
            if answer != QMessageBox.StandardButton.Yes:
                return
        Op(self, lambda: self.services.users.update_user(
            self.actor, user.id, active=not user.active)) \
            .success(lambda _: self.reload(user.id)).run()
