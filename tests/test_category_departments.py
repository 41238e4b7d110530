"""A complaint category has a default department, set by the administrator: dispatching
starts there; and the category takes digit keys as the
call panel's choices do (issue 16, friction)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.domain.complaints import Category
from app.domain.roles import Actor, Role
from app.errors import PermissionDenied, ValidationError
from app.services import Services
from app.services.complaints import ComplaintInput
from ui.complaint_actions import DispatchDialog
from ui.complaint_dialog import ComplaintDialog
from ui.departments_dialog import DepartmentsDialog


def _ids(services: Services) -> dict[str, int]:
    return {d.name: d.id for d in services.departments.list()}


def test_each_category_starts_at_its_usual_department_until_the_admin_sets_another(
        services: Services, admin: Actor) -> None:
    ids = _ids(services)
    defaults = services.departments.category_defaults()
    assert defaults[Category.REPAIRS] == ids["工程部"]
    assert defaults[Category.CLEANING] == ids["环境部"]
    assert defaults[Category.FEES] == ids["财务部"]
    services.departments.set_category_defaults(admin, {
        Category.CLEANING: ids["客服中心"], Category.FEES: None})
    defaults = services.departments.category_defaults()
    assert defaults == {Category.CLEANING: ids["客服中心"]}  # the admin's word is the whole map
    # A deactivated department is no one's default.
    services.departments.update(admin, ids["客服中心"], active=False)
    assert services.departments.category_defaults() == {}
    with pytest.raises(ValidationError, match="Cleaning|清洁|保洁"):
        services.departments.set_category_defaults(admin, {Category.CLEANING: ids["客服中心"]})


def test_only_an_administrator_sets_the_defaults(services: Services, admin: Actor) -> None:
    services.users.add_user(admin, "kf01", "王芳", Role.OPERATOR, "secret1")
    operator = services.users.authenticate("kf01", "secret1")
    with pytest.raises(PermissionDenied):
        services.departments.set_category_defaults(operator, {Category.REPAIRS: None})


@pytest.mark.gui
@pytest.mark.usefixtures("chinese_ui")
def test_digit_keys_pick_the_category(qtbot: QtBot, services: Services, admin: Actor) -> None:
    dialog = ComplaintDialog(services, admin, prefill=ComplaintInput(phone="13912345678"))
    qtbot.addWidget(dialog)
    dialog.category.setFocus()
    # 1 = the first after "(choose)", shown before each name; 0 = the tenth.
    position = list(Category).index(Category.CLEANING) + 1
    assert dialog.category.itemText(position) == f"{position} {Category.CLEANING.label}"
    qtbot.keyClick(dialog.category, str(position))
    assert dialog.category.currentData() == Category.CLEANING.value
    assert dialog.focusWidget() is dialog.description  # and on to what happened
    dialog.category.setFocus()
    qtbot.keyClick(dialog.category, "0")
    assert dialog.category.currentData() == list(Category)[9].value


@pytest.mark.gui
@pytest.mark.usefixtures("chinese_ui")
def test_dispatch_starts_at_the_categorys_department(
        qtbot: QtBot, services: Services, admin: Actor) -> None:
    ids = _ids(services)
    complaint = services.complaints.create(admin, ComplaintInput(
        category=Category.FEES, description="物业费账单有误", phone="13912345678"))
    dialog = DispatchDialog(services, admin, complaint, redispatch=False)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.department.count() > 1)
    assert dialog.department.currentData() == ids["财务部"]


@pytest.mark.gui
@pytest.mark.usefixtures("chinese_ui")
def test_the_administrator_sets_them_in_the_departments_dialog(
        qtbot: QtBot, services: Services, admin: Actor) -> None:
    ids = _ids(services)
    dialog = DepartmentsDialog(services, admin)
    qtbot.addWidget(dialog)
    combo = dialog.category_combos[Category.PARKING]
    qtbot.waitUntil(lambda: combo.count() > 1)
    assert combo.currentData() == ids["秩序部"]
    combo.setCurrentIndex(combo.findData(ids["客服中心"]))
    qtbot.mouseClick(dialog.save_defaults_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.defaults_saved.text() != "")
    assert services.departments.category_defaults()[Category.PARKING] == ids["客服中心"]
