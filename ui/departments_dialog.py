"""The administrator's list of departments complaints are dispatched to."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QInputDialog,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.roles import Actor
from app.services import Services
from app.services.departments import DepartmentInfo
from ui.forms import name
from ui.operations import Op


class DepartmentsDialog(QDialog):
    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services, self.actor = services, actor
        self.setObjectName("departmentsDialog")
        self.setWindowTitle(self.tr("Departments"))
        self.setAccessibleName(self.windowTitle())
        self.resize(420, 380)
        self.list = name(QListWidget(), "departmentsList", self.tr("Departments"))
        self.list.itemDoubleClicked.connect(lambda _item: self.rename())
        self.add_button = name(QPushButton(self.tr("&Add…")), "addDepartmentButton",
                               self.tr("Add department"))
        self.add_button.setShortcut(QKeySequence("Ctrl+N"))
        self.rename_button = name(QPushButton(self.tr("&Rename…")), "renameDepartmentButton",
                                  self.tr("Rename department"))
        self.toggle_button = name(QPushButton(self.tr("&Deactivate")),
                                  "toggleDepartmentButton", self.tr("Deactivate or activate"))
        close = name(QPushButton(self.tr("Close")), "closeDepartmentsButton", self.tr("Close"))
        self.add_button.clicked.connect(self.add)
        self.rename_button.clicked.connect(self.rename)
        self.toggle_button.clicked.connect(self.toggle_active)
        close.clicked.connect(self.accept)
        buttons = QVBoxLayout()
        for button in (self.add_button, self.rename_button, self.toggle_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QHBoxLayout(self)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        self.list.currentItemChanged.connect(lambda *_: self._update_buttons())
        self.reload()

    def reload(self, select_id: int | None = None) -> None:
        Op(self, lambda: self.services.departments.list(include_inactive=True)) \
            .success(lambda departments: self._show(departments, select_id)).run()

    def _show(self, departments: list[DepartmentInfo], select_id: int | None) -> None:
        self.list.clear()
        for department in departments:
            text = department.name if department.active else self.tr("{name} (deactivated)") \
                .format(name=department.name)
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, department)
            if not department.active:
                item.setForeground(Qt.GlobalColor.gray)
            self.list.addItem(item)
            if department.id == select_id:
                self.list.setCurrentItem(item)
        self._update_buttons()

    def _selected(self) -> DepartmentInfo | None:
        item = self.list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def _update_buttons(self) -> None:
        department = self._selected()
        self.rename_button.setEnabled(department is not None)
        self.toggle_button.setEnabled(department is not None)
        self.toggle_button.setText(self.tr("&Activate") if department and not department.active
                                   else self.tr("&Deactivate"))

    def _ask_name(self, title: str, current: str = "") -> str | None:
        text, ok = QInputDialog.getText(self, title, self.tr("Department name:"),
                                        QLineEdit.EchoMode.Normal, current)
        return text if ok else None

    def add(self) -> None:
        text = self._ask_name(self.tr("Add department"))
        if text is None:
            return
        Op(self, lambda: self.services.departments.add(self.actor, text)) \
            .success(lambda department: self.reload(department.id)).run()

    def rename(self) -> None:
        department = self._selected()
        if department is None:
            return
        text = self._ask_name(self.tr("Rename department"), department.name)
        if text is None:
            return
        Op(self, lambda: self.services.departments.update(self.actor, department.id, name=text)) \
            .success(lambda d: self.reload(d.id)).run()

    def toggle_active(self) -> None:
        department = self._selected()
        if department is None:
            return
        Op(self, lambda: self.services.departments.update(
            self.actor, department.id, active=not department.active)) \
            .success(lambda d: self.reload(d.id)).run()
