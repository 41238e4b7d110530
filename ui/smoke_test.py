"""``calldesk --smoke-test``: does this CallDesk (a frozen build above all) work end to end?

Offscreen, on a demo database in a temporary folder (nothing of the user's is touched), it
checks that the bundled files and the libraries' data are there, opens the main window, logs
a call through the call panel, opens and dispatches a complaint, prints its slip to PDF,
exports the monthly workbook, and hands itself an incoming call through the softphone hook
(``incoming-call``, run as its own process the way a softphone runs it) until the caller's
card pops up. It prints each step as it passes and exits 0; the first failure exits 1 with
the reason. The frozen build's CI test and ``python run.py build`` run it.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

HOOK_TIMEOUT_S = 60.0
WAIT_TIMEOUT_S = 60.0
# A folder to save the main window and the pop-up to as PNG, to look at what the (frozen)
# build renders.
SCREENSHOTS_ENV = "CALLDESK_SMOKE_SCREENSHOTS"


class SmokeFailure(RuntimeError):
    """A step did not do what it should; the message says what."""


def hook_command(data_dir: Path, phone: str) -> list[str]:
    """The softphone hook as MicroSIP runs it: the frozen executable itself, or from source
    ``python -m app``."""
    program = [sys.executable] if getattr(sys, "frozen", False) else [sys.executable, "-m", "app"]
    return [*program, "incoming-call", phone, "--data-dir", str(data_dir)]


class _Report:
    def __init__(self) -> None:
        self.started = time.monotonic()
        self.steps = 0

    @contextmanager
    def step(self, name: str) -> Iterator[list[str]]:
        details: list[str] = []
        began = time.monotonic()
        try:
            yield details
        except SmokeFailure:
            raise
        except Exception as error:
            raise SmokeFailure(f"{name}: {type(error).__name__}: {error}") from error
        self.steps += 1
        said = f" — {'; '.join(details)}" if details else ""
        print(f"ok   {name}{said} ({time.monotonic() - began:.2f} s)", flush=True)


def _check(condition: object, message: str) -> None:
    if not condition:
        raise SmokeFailure(message)


def _wait(condition: Callable[[], object], what: str, timeout: float = WAIT_TIMEOUT_S) -> None:
    from PySide6.QtWidgets import QApplication

    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise SmokeFailure(f"timed out after {timeout:.0f} s waiting for {what}")
        QApplication.processEvents()
        time.sleep(0.005)


def run(args: argparse.Namespace | None = None) -> int:
    """Runs the smoke test; the exit code for the command line."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    home = Path(tempfile.mkdtemp(prefix="calldesk-smoke-")).resolve()
    print(f"CallDesk smoke test ({'frozen' if getattr(sys, 'frozen', False) else 'source'}, "
          f"{sys.platform}) in {home}", flush=True)
    report = _Report()
    try:
        _run(home, report)
    except SmokeFailure as failure:
        print(f"FAIL {failure}", file=sys.stderr, flush=True)
        return 1
    except BaseException as error:  # noqa: BLE001 - the reason is the point
        traceback.print_exc()
        print(f"FAIL unexpected {type(error).__name__}: {error}", file=sys.stderr, flush=True)
        return 1
    finally:
        shutil.rmtree(home, ignore_errors=True)
    print(f"CallDesk smoke test passed: {report.steps} steps in "
          f"{time.monotonic() - report.started:.1f} s", flush=True)
    return 0


def _run(home: Path, report: _Report) -> None:
    from app import demo
    from app.bootstrap import open_database
    from app.paths import is_frozen, migrations_dir, resolve_paths, resource
    from app.services import Services
    from app.settings import CENTRE_NAME, LocalSettings
    from ui import operations, translations
    from ui.application import create_application

    paths = resolve_paths(home).ensure()
    app = create_application()
    with report.step("bundled files") as said:
        for parts in (("translations", "calldesk_zh_CN.qm"), ("translations", "calldesk_zh_CN.ts"),
                      ("fonts", "NotoSansSC-Subset.otf"), ("icons", "calldesk.svg")):
            _check(resource(*parts).is_file(), f"{resource(*parts)} is missing")
        versions = sorted((migrations_dir() / "versions").glob("0*.py"))
        _check(versions, f"no migrations in {migrations_dir()}")
        installed = translations.install(app, "zh_CN")
        _check(len(installed) == 2, "Qt's qtbase_zh_CN and CallDesk's translations should "
                                    f"both load; {len(installed)} did")
        qt_string = ("QPlatformTheme", "Cancel")  # not a literal call: lupdate would take it
        _check(app.translate(*qt_string) == "取消",
               "Qt's own strings are not in Chinese (qtbase_zh_CN)")
        _check(not app.windowIcon().isNull(), "the window icon did not load")
        from PySide6.QtCore import QCollator, QLocale

        _check(QCollator(QLocale("zh_CN")).compare("李", "张") < 0,
               "Chinese collation is missing (ICU data): 李 (lǐ) should sort before 张 (zhāng)")
        said += [f"{len(versions)} migrations", "translations zh_CN",
                 "frozen" if is_frozen() else "from source"]

    with report.step("libraries' data") as said:
        from app.domain.customers import name_keys
        from app.domain.phones import parse_phone
        from app.domain.working_time import YearStatus, national_year

        _check(name_keys("张三") == ("zhangsan", "zs"), f"pypinyin: 张三 → {name_keys('张三')}")
        phone = parse_phone("+86 138-0013-8000")
        _check(phone.kind == "mobile" and phone.display == "138 0013 8000",
               f"phonenumbers: {phone}")
        this_year = national_year(date.today().year)
        _check(this_year.status != YearStatus.UNKNOWN,
               f"holiday calendars: nothing known about {date.today().year}")
        _check(not national_year(2026).is_workday(date(2026, 10, 1)),
               "chinesecalendar: 2026-10-01 (国庆节) should be a day off")
        later = national_year(date.today().year + 3)  # beyond chinesecalendar: by rule
        _check(later.source == "holidays" and later.weekdays_off,
               f"holidays: nothing known about {date.today().year + 3} ({later})")
        said += ["pypinyin", "phonenumbers", f"calendars ({this_year.source}, {later.source})"]

    with report.step("demo database") as said:
        opened = open_database(f"sqlite:///{paths.database_file}", paths)
        db = opened.db
        summary = demo.fill(db, customers=40, months=1)
        actor = demo.demo_actor(db)
        services = Services.open(db)
        said.append(f"{summary.customers} customers, {summary.calls} calls, "
                    f"{summary.complaints} complaints")

    try:
        window = _main_window(report, paths, LocalSettings(paths.settings_file), services, actor)
        try:
            _log_call(report, window, services)
            complaint_id, number = _complaint(report, window, services, actor)
            centre = services.settings.get(CENTRE_NAME)
            _slip(report, home, services, complaint_id, number, centre)
            _workbook(report, home, db, actor, centre)
            _incoming_call(report, home, paths, window, services)
        finally:
            window.close()
            operations.wait_for_all()
            window.deleteLater()
            app.processEvents()
    finally:
        operations.wait_for_all()
        db.dispose()


def _main_window(report: _Report, paths, local, services, actor):  # noqa: ANN001, ANN202
    from ui.context import UiContext
    from ui.main_window import MainWindow

    with report.step("main window") as said:
        window = MainWindow(UiContext(paths, local, services, demo=True), actor)
        window.show()
        panel = window.calls.panel
        _wait(lambda: panel.department.count() > 1, "the call panel's departments")
        _wait(lambda: window.calls.model.total > 0, "today's calls in the call list")
        said.append(f"{window.tabs.count()} tabs, signed in as {actor.login}")
    return window


def _log_call(report: _Report, window, services) -> None:  # noqa: ANN001
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication

    from app.domain.calls import CallType

    with report.step("log a call") as said:
        customer_id, name, phone = _known_caller(services)
        panel = window.calls.panel
        before = window.calls.model.total
        window.start_call()
        panel.phone.insert(phone)
        _wait(lambda: panel.matches.isVisible() and panel.matches.count() >= 1,
              f"the cards matching {phone}")
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):  # Enter takes the card
            QApplication.sendEvent(panel.phone, QKeyEvent(kind, Qt.Key.Key_Return,
                                                          Qt.KeyboardModifier.NoModifier))
        _wait(lambda: panel.customer is not None, "the caller's card in the call panel")
        panel.call_type.setCurrentIndex(panel.call_type.findData(CallType.REPAIR.value))
        panel.summary.insertPlainText("冒烟测试：厨房水管漏水")
        panel.save()
        _wait(lambda: window.calls.model.total == before + 1, "the saved call in the list")
        latest = services.calls.list(limit=1).rows[0]
        _check(latest.summary == "冒烟测试：厨房水管漏水" and latest.customer_id == customer_id,
               f"the call saved is not the one logged: {latest}")
        said.append(f"{latest.phone} {latest.customer_name}, {latest.department_name}")


def _complaint(report: _Report, window, services, actor) -> tuple[int, str]:  # noqa: ANN001
    from app.domain.complaints import Category, Severity, Status
    from app.services.complaints import ComplaintInput

    with report.step("open and dispatch a complaint") as said:
        customer_id, _name, phone = _known_caller(services)
        created = services.complaints.create(actor, ComplaintInput(
            category=next(iter(Category)), severity=Severity.NORMAL,
            description="冒烟测试：楼道灯坏了三天无人修", demand="尽快修好",
            customer_id=customer_id, phone=phone))
        department = services.departments.list()[0]
        detail = services.complaints.dispatch(actor, created.row.id, department.id,
                                              assignee_name="李师傅")
        _check(detail.row.status == Status.DISPATCHED, f"not dispatched: {detail.row.status}")
        tab = window.complaints
        window.tabs.setCurrentWidget(tab)
        tab.reload()
        _wait(lambda: any(r.number == detail.row.number for r in tab.model.rows),
              f"{detail.row.number} in the complaints list")
        said.append(f"{detail.row.number} → {department.name}")
    return detail.row.id, detail.row.number


def _slip(report: _Report, home: Path, services, complaint_id: int, number: str,  # noqa: ANN001
          centre: str) -> None:
    from ui.complaint_slip import SlipLayout, load_slip_font, write_pdf

    with report.step("print the slip to PDF") as said:
        family = load_slip_font()
        _check("Noto" in family, f"the bundled font did not load (got {family!r})")
        target = Path(write_pdf([services.complaints.slip(complaint_id, centre)],
                                SlipLayout.A4, str(home / "处理单 slips" / f"{number}.pdf")))
        data = target.read_bytes()
        _check(data.startswith(b"%PDF") and len(data) > 2000, f"{target} is not a PDF")
        said.append(f"{target.name}, {len(data) // 1024} KB, font {family}")


def _workbook(report: _Report, home: Path, db, actor, centre: str) -> None:  # noqa: ANN001
    from app.exporters.monthly_callbacks import export_monthly_callbacks
    from app.reports.monthly import Month, definitions, monthly_report

    with report.step("export the monthly workbook") as said:
        today = date.today()
        workbook = monthly_report(db, actor, Month(today.year, today.month), centre)
        target = Path(export_monthly_callbacks(workbook, home / "回访客户月统计表.xlsx",
                                               definitions()))
        with zipfile.ZipFile(target) as archive:
            sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
            charts = [n for n in archive.namelist() if n.startswith("xl/charts/")]
        _check(len(sheets) >= 3, f"{target} has {len(sheets)} sheets")
        said.append(f"{len(sheets)} sheets, {len(charts)} charts, "
                    f"{workbook.kpis.complaints_received} complaints")


def _incoming_call(report: _Report, home: Path, paths, window, services) -> None:  # noqa: ANN001
    from ui.single_instance import InstanceServer

    with report.step("incoming call through the hook") as said:
        _customer_id, name, phone = _known_caller(services)
        server = InstanceServer(paths)
        server.incoming_call.connect(window.show_incoming)
        _check(server.listen(), f"cannot listen on {server.name}")
        try:
            started = time.monotonic()
            hook = subprocess.Popen(hook_command(home, phone),
                                    stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
            _wait(lambda: window.popup is not None and window.popup.isVisible()
                  and name in window.popup.windowTitle() + _texts(window.popup),
                  f"the pop-up for {phone} ({name})", HOOK_TIMEOUT_S)
            shown = time.monotonic() - started
            _screenshot(window, "smoke-main-window")
            _screenshot(window.popup, "smoke-caller-popup")
            output, _ = hook.communicate(timeout=HOOK_TIMEOUT_S)
            _check(hook.returncode == 0, f"the hook exited {hook.returncode}: "
                                         f"{output.decode(errors='replace').strip()}")
            said.append(f"{phone} → {name}'s card {shown * 1000:.0f} ms after the hook started")
        finally:
            server.close()
            if window.popup is not None:
                window.popup.close()


def _screenshot(widget, name: str) -> None:  # noqa: ANN001
    folder = os.environ.get(SCREENSHOTS_ENV)
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        widget.grab().save(str(Path(folder) / f"{name}.png"))


def _known_caller(services) -> tuple[int, str, str]:  # noqa: ANN001
    """A demo customer who has called: (id, name, number as digits)."""
    call = next(r for r in services.calls.list(limit=200).rows
                if r.customer_id is not None and not r.missed and r.phone)
    return call.customer_id, call.customer_name, re.sub(r"\D", "", call.phone)


def _texts(widget) -> str:  # noqa: ANN001
    from PySide6.QtWidgets import QLabel

    return " ".join(label.text() for label in widget.findChildren(QLabel))
