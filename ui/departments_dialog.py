"""The administrator's list of departments complaints are dispatched to."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.complaints import Category
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
        self.resize(460, 640)
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
        top = QHBoxLayout()
        top.addWidget(self.list, 1)
        top.addLayout(buttons)

        # Where each kind of complaint goes unless the desk picks another department.
        self.defaults_box = QGroupBox(self.tr("Default department by complaint category"))
        self.defaults_box.setObjectName("categoryDefaultsBox")
        self.defaults_box.setAccessibleName(self.defaults_box.title())
        defaults_form = QFormLayout(self.defaults_box)
        self.category_combos: dict[Category, QComboBox] = {}
        for category in Category:
            combo = name(QComboBox(), f"categoryDefault_{category.value}", self.tr(
                "Default department for {category}").format(category=category.label))
            self.category_combos[category] = combo
            defaults_form.addRow(category.label, combo)
        self.save_defaults_button = name(QPushButton(self.tr("&Save defaults")),
                                         "saveCategoryDefaultsButton",
                                         self.tr("Save the default departments"))
        self.save_defaults_button.clicked.connect(self.save_defaults)
        self.defaults_saved = name(QLabel(), "categoryDefaultsSavedLabel",
                                   self.tr("Default departments saved"))
        defaults_form.addRow(self.defaults_saved, self.save_defaults_button)

        layout = QVBoxLayout(self)
        layout.addLayout(top, 1)
        layout.addWidget(self.defaults_box)
        self.list.currentItemChanged.connect(lambda *_: self._update_buttons())
        self.reload()

    def reload(self, select_id: int | None = None) -> None:
        departments = self.services.departments
        Op(self, lambda: (departments.list(include_inactive=True),
                          departments.category_defaults())) \
            .success(lambda found: self._show(found[0], select_id, found[1])).run()

    def _show_defaults(self, departments: list[DepartmentInfo],
                       defaults: dict[Category, int]) -> None:
        for category, combo in self.category_combos.items():
            combo.clear()
            combo.addItem(self.tr("(dispatch by hand)"), None)
            for department in departments:
                if department.active:
                    combo.addItem(department.name, department.id)
            combo.setCurrentIndex(max(0, combo.findData(defaults.get(category))))

    def save_defaults(self) -> None:
        chosen = {c: combo.currentData() for c, combo in self.category_combos.items()}
        self.defaults_saved.setText("")
        Op(self, lambda: self.services.departments.set_category_defaults(self.actor, chosen)) \
            .disabling(self.save_defaults_button) \
            .success(lambda _: self.defaults_saved.setText(self.tr("Saved."))).run()

    def _show(self, departments: list[DepartmentInfo], select_id: int | None,
              defaults: dict[Category, int]) -> None:
        self._show_defaults(departments, defaults)
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
