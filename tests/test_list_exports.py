"""Exports of the call, complaint and callback lists to Excel, with the list's filters."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pytestqt.qtbot import QtBot

from app import clock
from app.domain.calls import CallType, Outcome
from app.domain.complaints import Category
from app.domain.roles import Actor, Role
from app.exporters.lists import (
    call_headers,
    callback_headers,
    complaint_headers,
    export_callbacks,
    export_calls,
    export_complaints,
    write_list,
)
from app.jobs import finish
from app.services import Services
from app.services.callbacks import CallbackFilter, Queue
from app.services.calls import CallFilter, CallInput
from app.services.complaints import ComplaintFilter, ComplaintInput
from app.services.paging import iter_pages
from tests.workbook_layout import assert_fits_and_prints


@pytest.fixture
def operator(services: Services, admin: Actor) -> Actor:
    services.users.add_user(admin, "kf01", "王芳", Role.OPERATOR, "secret1")
    return services.users.authenticate("kf01", "secret1")


def rows_of(path: Path) -> list[tuple]:
    return list(load_workbook(path).active.iter_rows(values_only=True))


def log_call(services: Services, actor: Actor, summary: str,
             phone: str = "13800138000") -> None:
    services.calls.log(actor, CallInput(phone=phone, call_type=CallType.INQUIRY,
                                        outcome=Outcome.SOLVED, summary=summary,
                                        duration_seconds=65))


def test_calls_export_has_the_filtered_rows_and_the_headers(
        services: Services, admin: Actor, tmp_path: Path) -> None:
    for summary in ("问物业费", "=HYPERLINK(\"http://x\")", "问停车位", "报修水管"):
        log_call(services, admin, summary)
    target = tmp_path / "calls.xlsx"
    path = finish(export_calls(services.calls, admin, CallFilter(text="问"), target))
    assert path == target
    rows = rows_of(target)
    assert list(rows[0]) == call_headers()
    assert sorted(r[6] for r in rows[1:]) == sorted(["问物业费", "问停车位"])
    assert all(isinstance(r[0], datetime) for r in rows[1:])
    sheet = load_workbook(target).active
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:J3"
    assert_fits_and_prints(sheet)
    assert sheet.print_title_rows == "$1:$1"
    assert sheet.cell(2, 1).number_format == "yyyy-mm-dd hh:mm"
    assert not list(tmp_path.glob("*.part.xlsx")) and not list(tmp_path.glob(".*"))


def test_formula_looking_text_stays_text(services: Services, admin: Actor,
                                         tmp_path: Path) -> None:
    log_call(services, admin, "=1+2")
    target = tmp_path / "calls.xlsx"
    finish(export_calls(services.calls, admin, CallFilter(), target))
    sheet = load_workbook(target).active
    assert sheet.cell(2, 7).value == "=1+2" and sheet.cell(2, 7).data_type == "s"


def test_an_operator_exports_only_their_own_calls(services: Services, admin: Actor,
                                                  operator: Actor, tmp_path: Path) -> None:
    log_call(services, admin, "主任的电话")
    log_call(services, operator, "王芳的电话")
    target = tmp_path / "calls.xlsx"
    finish(export_calls(services.calls, operator, CallFilter(), target))  # asks for everyone's
    assert [r[6] for r in rows_of(target)[1:]] == ["王芳的电话"]
    finish(export_calls(services.calls, admin, CallFilter(), target))
    assert sorted(r[6] for r in rows_of(target)[1:]) == sorted(["主任的电话", "王芳的电话"])


def test_complaints_export_has_the_filtered_rows(services: Services, admin: Actor,
                                                 tmp_path: Path) -> None:
    for text in ("楼上漏水", "电梯停运", "楼道漏水"):
        services.complaints.create(admin, ComplaintInput(
            category=Category.REPAIRS, description=text, phone="13800138000"))
    target = tmp_path / "complaints.xlsx"
    finish(export_complaints(services.complaints, admin, ComplaintFilter(text="漏水"), target))
    rows = rows_of(target)
    assert list(rows[0]) == complaint_headers()
    assert sorted(r[9] for r in rows[1:]) == sorted(["楼上漏水", "楼道漏水"])
    assert all(isinstance(r[10], datetime) for r in rows[1:])


def test_callbacks_export_has_the_filtered_rows(services: Services, admin: Actor,
                                                tmp_path: Path) -> None:
    due = clock.utcnow() + timedelta(hours=2)
    services.callbacks.schedule(admin, due_at=due, phone="13800138000", note="a")
    services.callbacks.schedule(admin, due_at=due, phone="13912345678", note="b")
    target = tmp_path / "callbacks.xlsx"
    finish(export_callbacks(services.callbacks, admin,
                         CallbackFilter(queue=Queue.ALL, text="139"), target))
    rows = rows_of(target)
    assert list(rows[0]) == callback_headers()
    assert len(rows) == 2 and "139" in rows[1][3].replace(" ", "")


def test_the_rows_are_read_a_page_at_a_time(services: Services, admin: Actor) -> None:
    for index in range(7):
        log_call(services, admin, f"电话{index}")
    asked: list[tuple[int, int]] = []

    def fetch(filters, offset, limit, count):  # noqa: ANN001, ANN202
        asked.append((offset, limit))
        return services.calls.list(filters, offset, limit, count)

    rows = list(iter_pages(fetch, CallFilter(), page_size=3))
    assert len(rows) == 7 and len({r.id for r in rows}) == 7
    assert asked == [(0, 3), (3, 3), (6, 3)]
    assert len(list(services.calls.iter_rows(CallFilter()))) == 7


def test_cancelling_leaves_no_file(tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "big.xlsx"
    rows = ([f"row {n}", n, datetime(2026, 11, 22, 9, 0)] for n in range(5000))
    job = write_list(target, "Big", ["Text", "Number", "When"], rows, 5000)
    next(job)
    next(job)  # some rows written
    job.close()
    assert list(folder.iterdir()) == []


def test_a_failed_save_leaves_no_file(tmp_path: Path) -> None:
    def rows():  # noqa: ANN202
        yield ["one"]
        raise RuntimeError("database went away")

    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "broken.xlsx"
    with pytest.raises(RuntimeError):
        finish(write_list(target, "Broken", ["Text"], rows(), 2))
    assert list(folder.iterdir()) == []


# -- the tabs -------------------------------------------------------------------------------

def click_export(qtbot: QtBot, tab, button_name: str, target: Path,  # noqa: ANN001
                 monkeypatch: pytest.MonkeyPatch) -> list[tuple]:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QPushButton

    monkeypatch.setattr("ui.file_dialogs.QFileDialog.getSaveFileName",
                        lambda *a, **k: (str(target), ""))
    button = tab.findChild(QPushButton, button_name)
    assert button is not None and "&" in button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.property("lastExport") == str(target), timeout=10_000)
    return rows_of(target)


@pytest.mark.gui
def test_the_calls_tab_exports_what_it_shows(qtbot: QtBot, services: Services, admin: Actor,
                                             tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    from ui.calls_tab import CallsTab

    log_call(services, admin, "问物业费")
    log_call(services, admin, "报修水管")
    tab = CallsTab(services, admin)
    qtbot.addWidget(tab)
    tab.text_filter.setText("报修")
    qtbot.waitUntil(lambda: tab.model.total == 1)
    rows = click_export(qtbot, tab, "exportCallsButton", tmp_path / "calls.xlsx", monkeypatch)
    assert [r[6] for r in rows[1:]] == ["报修水管"]


@pytest.mark.gui
def test_the_complaints_tab_exports_what_it_shows(qtbot: QtBot, services: Services,
                                                  admin: Actor, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from ui.complaints_tab import ComplaintsTab

    for text in ("楼上漏水", "电梯停运"):
        services.complaints.create(admin, ComplaintInput(
            category=Category.REPAIRS, description=text, phone="13800138000"))
    tab = ComplaintsTab(services, admin)
    qtbot.addWidget(tab)
    tab.text_filter.setText("电梯")
    qtbot.waitUntil(lambda: tab.model.total == 1)
    rows = click_export(qtbot, tab, "exportComplaintsButton", tmp_path / "c.xlsx", monkeypatch)
    assert [r[9] for r in rows[1:]] == ["电梯停运"]


@pytest.mark.gui
def test_the_callbacks_tab_exports_what_it_shows(qtbot: QtBot, services: Services,
                                                 admin: Actor, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from ui.callbacks_tab import CallbacksTab

    due = clock.utcnow() + timedelta(hours=2)
    services.callbacks.schedule(admin, due_at=due, phone="13800138000")
    services.callbacks.schedule(admin, due_at=due, phone="13912345678")
    tab = CallbacksTab(services, admin)
    qtbot.addWidget(tab)
    tab.show_queue(Queue.ALL)
    tab.text_filter.setText("139")
    qtbot.waitUntil(lambda: tab.model.total == 1)
    rows = click_export(qtbot, tab, "exportCallbacksButton", tmp_path / "cb.xlsx", monkeypatch)
    assert len(rows) == 2 and "139" in rows[1][3].replace(" ", "")
