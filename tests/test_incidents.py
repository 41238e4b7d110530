"""突发事件: a supervisor opens one for an estate's buildings; callers whose units it touches
are told in the pop-up and the call panel, a call is linked to it in one key (Ctrl+I); when
it ends, its callers get one callback each."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app import clock
from app.domain.calls import CallbackReason, CallType, Outcome
from app.domain.incidents import IncidentKind, parse_buildings, touches
from app.domain.roles import Actor
from app.errors import CallDeskError, PermissionDenied, ValidationError
from app.paths import AppPaths
from app.services import Services
from app.services.callbacks import CallbackFilter, Queue
from app.services.calls import CallInput, caller_view
from app.services.customers import CustomerInput, PhoneInput, UnitInput
from app.services.incidents import IncidentInput
from tests.test_complaints_gui import back_to, key, no_failures_in_dialogs, open_window  # noqa: F401

WATER = IncidentInput(kind=IncidentKind.WATER, title="3栋停水", estate="阳光花园",
                      buildings="3栋, 5号楼", message="水管抢修中，预计14:00恢复")


@pytest.fixture
def residents(services: Services, admin: Actor) -> dict[str, int]:
    """张三 in building 3, 李四 in building 7 of the same estate."""
    zhang = services.customers.create(admin, CustomerInput(
        name="张三", phones=[PhoneInput("13800138000")], units=[UnitInput("3-2-1502")]),
        default_estate="阳光花园")
    li = services.customers.create(admin, CustomerInput(
        name="李四", phones=[PhoneInput("13700001111")], units=[UnitInput("7-1-301")]),
        default_estate="阳光花园")
    return {"zhang": zhang.id, "li": li.id}


def test_buildings_are_read_as_typed_and_matched_by_estate_and_building() -> None:
    assert parse_buildings("3栋, 5号楼，7、9幢") == ["3", "5", "7", "9"]
    assert parse_buildings("  ") == []
    assert touches("阳光花园", ["3"], "阳光花园", "3")
    assert not touches("阳光花园", ["3"], "阳光花园", "7")
    assert not touches("阳光花园", ["3"], "翠湖华庭", "3")
    assert touches("阳光花园", [], "阳光花园", "7")  # the whole estate
    assert touches("", [], "翠湖华庭", "1")  # everyone


def test_only_supervisors_open_and_end_and_bad_input_changes_nothing(
        services: Services, admin: Actor, operator: Actor) -> None:
    with pytest.raises(PermissionDenied):
        services.incidents.open(operator, WATER)
    for bad, field in ((IncidentInput(kind=IncidentKind.POWER, title="  "), "title"),
                       (IncidentInput(kind=IncidentKind.POWER, title="停电",
                                      expected_end_at=clock.utcnow() - timedelta(hours=1)),
                        "expected_end_at")):
        with pytest.raises(ValidationError) as refused:
            services.incidents.open(admin, bad)
        assert field in refused.value.fields
    assert services.incidents.active() == []
    incident = services.incidents.open(admin, WATER)
    assert incident.buildings == ["3", "5"] and incident.active
    with pytest.raises(PermissionDenied):
        services.incidents.end(operator, incident.id)


def test_callers_it_touches_are_told_and_linked_calls_get_callbacks_when_it_ends(
        services: Services, admin: Actor, operator: Actor, residents: dict[str, int]) -> None:
    incident = services.incidents.open(admin, WATER)
    zhang = caller_view(services.db, "13800138000")
    assert [i.id for i in zhang.incidents[residents["zhang"]]] == [incident.id]
    assert "3栋停水" in zhang.incidents[residents["zhang"]][0].notice()
    li = caller_view(services.db, "13700001111")
    assert li.incidents[residents["li"]] == []  # building 7: not touched
    unknown = caller_view(services.db, "13900000000")
    assert unknown.incidents == {None: []}  # not everyone's incident
    for phone, customer in (("13800138000", residents["zhang"]),
                            ("13800138000", residents["zhang"]),  # rang twice
                            ("13600002222", None)):
        services.calls.log(operator, CallInput(
            phone=phone, customer_id=customer, call_type=CallType.INQUIRY,
            outcome=Outcome.SOLVED, summary="停水", incident_id=incident.id))
    assert services.incidents.active()[0].calls == 3
    ended, callbacks = services.incidents.end(admin, incident.id, call_back=True)
    assert not ended.active and callbacks == 2  # one per number
    tasks = [r for r in services.callbacks.list(CallbackFilter(Queue.ALL)).rows
             if r.reason == CallbackReason.REQUESTED]
    assert sorted(t.phone for t in tasks) == ["136 0000 2222", "138 0013 8000"]
    assert all("3栋停水" in t.note for t in tasks)
    with pytest.raises(CallDeskError):
        services.incidents.end(admin, incident.id)
    assert services.incidents.active() == []
    assert caller_view(services.db, "13800138000").incidents[residents["zhang"]] == []


def test_an_incident_for_everyone_is_told_to_unknown_callers(services: Services,
                                                            admin: Actor) -> None:
    services.incidents.open(admin, IncidentInput(kind=IncidentKind.POWER, title="全小区停电"))
    view = caller_view(services.db, "13900000000")
    assert [i.title for i in view.incidents[None]] == ["全小区停电"]


@pytest.mark.gui
@pytest.mark.usefixtures("chinese_ui")
def test_the_pop_up_and_the_panel_say_so_and_ctrl_i_links_the_call(
        qtbot: QtBot, paths: AppPaths, services: Services, admin: Actor, operator: Actor,
        residents: dict[str, int]) -> None:
    incident = services.incidents.open(admin, WATER)
    window = open_window(qtbot, paths, services, operator)
    board = window.home.board
    qtbot.waitUntil(lambda: board.incidents.isVisible())
    assert "3栋停水" in board.incidents.text()
    window.show_incoming("13800138000")
    qtbot.waitUntil(lambda: window.popup is not None and window.popup.isVisible())
    popup = window.popup
    assert popup.incident.isVisible() and "3栋停水" in popup.incident.text()
    assert "水管抢修中" in popup.incident.text()
    popup.activateWindow()
    qtbot.waitUntil(lambda: popup.isActiveWindow())
    qtbot.keyClick(popup.start_button, Qt.Key.Key_Return)
    panel = window.calls.panel
    qtbot.waitUntil(lambda: panel.incident_row.isVisible())
    back_to(qtbot, window)  # offscreen, the closed pop-up does not give the focus back
    panel.call_type.setFocus()
    key(qtbot, "Ctrl+I")
    assert panel.incident_button.isChecked() and panel.incident_id == incident.id
    assert "3栋停水" in panel.summary.toPlainText()
    key(qtbot, "Ctrl+Return")
    qtbot.waitUntil(lambda: services.incidents.active()[0].calls == 1)


def test_the_months_figures_count_incidents_and_their_calls(
        services: Services, admin: Actor, operator: Actor, residents: dict[str, int]) -> None:
    from app.reports.monthly import Month, monthly_report

    water = services.incidents.open(admin, WATER)
    services.incidents.open(admin, IncidentInput(kind=IncidentKind.POWER, title="全小区停电"))
    services.incidents.open(admin, IncidentInput(kind=IncidentKind.LIFT, title="电梯故障",
                                                 estate="翠湖华庭"))
    for linked in (True, True, False):
        services.calls.log(operator, CallInput(
            phone="13800138000", customer_id=residents["zhang"], call_type=CallType.INQUIRY,
            outcome=Outcome.SOLVED, summary="停水", incident_id=water.id if linked else None))
    services.calls.log(operator, CallInput(phone="13800138000", missed=True))
    today = clock.utcnow().astimezone()
    month = Month(today.year, today.month)
    kpis = monthly_report(services.db, admin, month).kpis
    assert (kpis.incidents, kpis.incident_calls, kpis.calls_received) == (3, 2, 3)
    # One estate: its own incidents and those of every estate, not another estate's.
    assert monthly_report(services.db, admin, month, estate="阳光花园").kpis.incidents == 2
