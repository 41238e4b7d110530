"""The text message (短信/微信) a desk sends after registering a complaint: filled from the
administrator's template, offered with the number only when the desk has one, copied in a
key, and set in 设置."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QPlainTextEdit
from pytestqt.qtbot import QtBot

from app.domain.complaints import Category
from app.domain.roles import Actor
from app.paths import AppPaths
from app.services import Services
from app.services.complaint_notice import complaint_notice
from app.services.complaints import ComplaintInput
from app.services.customers import CustomerInput, PhoneInput
from app.settings import CENTRE_NAME, NOTICE_COMPLAINT, LocalSettings
from ui import operations
from ui.complaint_saved_dialog import ComplaintSavedDialog
from ui.context import UiContext
from ui.settings_dialog import SettingsDialog


@pytest.fixture
def context(paths: AppPaths, services: Services) -> UiContext:
    return UiContext(paths, LocalSettings(paths.settings_file), services)


TEMPLATE = "【{centre}】{name}您好，单号{number}，{due}前回复。{未知}"


def _complaint(services: Services, admin: Actor):  # noqa: ANN202
    card = services.customers.create(admin, CustomerInput(
        name="王芳", phones=[PhoneInput("13800138000")]))
    return services.complaints.create(admin, ComplaintInput(
        category=Category.NOISE, description="楼上装修噪音", phone="13800138000",
        customer_id=card.id))


def test_the_template_is_filled_and_an_empty_one_means_no_message(
        services: Services, admin: Actor) -> None:
    detail = _complaint(services, admin)
    row = detail.row
    assert complaint_notice("", "阳光花园", row) == ""
    assert complaint_notice("  \n", "阳光花园", row) == ""
    text = complaint_notice(TEMPLATE, "阳光花园", row)
    due = row.resolve.due_at.astimezone()
    assert text.startswith("【阳光花园】王芳您好，")
    assert f"单号{row.number}，" in text
    assert f"{due.month}月{due.day}日{due:%H:%M}前回复" in text
    assert text.endswith("{未知}")  # a brace the administrator typed stays as it is


def test_a_fixed_deadline_reads_in_the_callers_words(services: Services, admin: Actor) -> None:
    from dataclasses import replace

    row = _complaint(services, admin).row
    due = datetime(2026, 12, 7, 9, 30, tzinfo=UTC)
    row = replace(row, resolve=replace(row.resolve, due_at=due))
    local = due.astimezone()
    assert complaint_notice("{due}", "", row) == f"{local.month}月{local.day}日{local:%H:%M}"
    row = replace(row, resolve=replace(row.resolve, due_at=None))
    assert complaint_notice("到{due}为止", "", row) == "到为止"


@pytest.mark.gui
@pytest.mark.usefixtures("chinese_ui")
def test_the_saved_number_offers_the_message_and_copies_it(
        qtbot: QtBot, services: Services, admin: Actor) -> None:
    services.settings.set_many(admin, {NOTICE_COMPLAINT: TEMPLATE, CENTRE_NAME: "阳光花园"})
    detail = _complaint(services, admin)
    dialog = ComplaintSavedDialog(detail, settings=services.settings.all)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.notice.isVisible())
    text = dialog.findChild(QPlainTextEdit, "complaintNoticeText").toPlainText()
    assert text == complaint_notice(TEMPLATE, "阳光花园", detail.row)
    assert dialog.copy_notice_button.isVisible()
    QGuiApplication.clipboard().setText("")
    qtbot.keyClick(dialog, Qt.Key.Key_M, Qt.KeyboardModifier.AltModifier)  # 复制短信(&M)
    qtbot.waitUntil(lambda: QGuiApplication.clipboard().text() != "")
    assert QGuiApplication.clipboard().text() == text
    assert "短信" in dialog.copied.text() or "微信" in dialog.copied.text()
    dialog.copy()  # the number's own copy still copies only the number
    assert QGuiApplication.clipboard().text() == detail.row.number


@pytest.mark.gui
@pytest.mark.usefixtures("chinese_ui")
def test_a_desk_without_a_message_sees_only_the_number(
        qtbot: QtBot, services: Services, admin: Actor) -> None:
    dialog = ComplaintSavedDialog(_complaint(services, admin), settings=services.settings.all)
    qtbot.addWidget(dialog)
    dialog.show()
    operations.wait_for_all()
    qtbot.wait(20)
    assert not dialog.notice.isVisible() and not dialog.copy_notice_button.isVisible()
    assert dialog.number_label.isVisible()


@pytest.mark.gui
@pytest.mark.usefixtures("chinese_ui")
def test_the_administrator_sets_the_message_in_settings(
        qtbot: QtBot, context: UiContext, admin: Actor) -> None:
    dialog = SettingsDialog(context, admin)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.centre.text() != "")
    edit = dialog.findChild(QPlainTextEdit, f"{NOTICE_COMPLAINT.key}Edit")
    assert edit.toPlainText() == "" and "{number}" in edit.placeholderText()
    edit.setPlainText("  单号{number}  ")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.result() == QDialog.DialogCode.Accepted)
    assert context.services.settings.get(NOTICE_COMPLAINT) == "单号{number}"
