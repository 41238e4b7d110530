"""A list's detail pane and the buttons acting on its chosen row follow the selection: a
search that finds nothing leaves nothing shown and nothing to act on."""

from __future__ import annotations

from datetime import timedelta

import pytest
from pytestqt.qtbot import QtBot

from app import clock
from app.domain.complaints import Action, Category
from app.domain.roles import Actor
from app.services import Services
from app.services.complaints import ComplaintInput
from app.services.customers import CustomerInput, PhoneInput, UnitInput
from ui.callbacks_tab import CallbacksTab
from ui.complaints_tab import ComplaintsTab
from ui.customers_tab import CustomersTab

pytestmark = [pytest.mark.gui, pytest.mark.usefixtures("chinese_ui")]

NOTHING = "查无此单zzz"


def test_a_search_that_finds_nothing_empties_the_complaint_pane(
        qtbot: QtBot, services: Services, admin: Actor) -> None:
    complaint = services.complaints.create(admin, ComplaintInput(
        category=Category.CLEANING, description="楼道垃圾三天没人清", phone="13800138000"))
    tab = ComplaintsTab(services, admin)
    qtbot.addWidget(tab)
    qtbot.waitUntil(lambda: tab.detail is not None and tab.detail.row.id == complaint.row.id)
    assert tab.buttons[Action.DISPATCH].isEnabled()
    assert complaint.row.number in tab.form_view.toPlainText()

    tab.text_filter.setText(NOTHING)
    qtbot.waitUntil(lambda: tab.model.query.text == NOTHING and not tab.model.is_loading()
                    and tab.model.total == 0)
    qtbot.waitUntil(lambda: tab.detail is None)
    assert complaint.row.number not in tab.form_view.toPlainText()
    assert [a for a, b in tab.buttons.items() if b.isEnabled()] == []
    assert not tab.pdf_button.isEnabled()
    # The keys do nothing either: no dialog opens for a complaint no longer shown.
    assert not tab._may(Action.DISPATCH)

    tab.text_filter.clear()  # found again: chosen and shown again
    qtbot.waitUntil(lambda: tab.detail is not None and tab.detail.row.id == complaint.row.id)
    assert tab.buttons[Action.DISPATCH].isEnabled()


def test_a_complaint_opened_from_elsewhere_is_the_one_chosen_in_the_list(
        qtbot: QtBot, services: Services, admin: Actor) -> None:
    first = services.complaints.create(admin, ComplaintInput(
        category=Category.CLEANING, description="楼道垃圾", phone="13800138000"))
    other = services.complaints.create(admin, ComplaintInput(
        category=Category.NOISE, description="夜里装修", phone="13900139000"))
    services.complaints.cancel(admin, other.row.id, "重复登记")  # not in the open list
    tab = ComplaintsTab(services, admin)
    qtbot.addWidget(tab)
    qtbot.waitUntil(lambda: tab.detail is not None and tab.detail.row.id == first.row.id)
    tab.open_complaint(other.row.id)
    qtbot.waitUntil(lambda: tab.detail is not None and tab.detail.row.id == other.row.id)
    assert tab.follower.row().id == other.row.id
    assert tab.text_filter.text() == other.row.number


def test_customer_buttons_need_a_chosen_card(qtbot: QtBot, services: Services,
                                             admin: Actor) -> None:
    services.customers.create(admin, CustomerInput(
        name="张三", phones=[PhoneInput("13800138000")], units=[UnitInput("3-2-1502")]))
    tab = CustomersTab(services, admin)
    qtbot.addWidget(tab)
    qtbot.waitUntil(lambda: tab.model.total == 1 and tab.open_button.isEnabled())
    assert tab.print_button.isEnabled()
    tab.search.setText(NOTHING)
    qtbot.waitUntil(lambda: tab.model.query == NOTHING and not tab.model.is_loading()
                    and tab.model.total == 0)
    assert not tab.open_button.isEnabled()
    assert not tab.print_button.isEnabled()


def test_callback_buttons_need_a_chosen_callback(qtbot: QtBot, services: Services,
                                                 admin: Actor) -> None:
    services.callbacks.schedule(admin, due_at=clock.utcnow() + timedelta(minutes=5),
                                phone="13800138000", note="回电问车位")
    tab = CallbacksTab(services, admin)
    qtbot.addWidget(tab)
    qtbot.waitUntil(lambda: tab.model.total == 1 and tab.open_button.isEnabled())
    buttons = (tab.open_button, tab.review_button, tab.again_button, tab.close_button)
    assert all(b.isEnabled() for b in buttons)
    tab.text_filter.setText(NOTHING)
    qtbot.waitUntil(lambda: tab.model.query.text == NOTHING and not tab.model.is_loading()
                    and tab.model.total == 0)
    assert [b.objectName() for b in buttons if b.isEnabled()] == []
