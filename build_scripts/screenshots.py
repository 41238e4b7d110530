"""Screenshots of every screen, for the README and for looking at what users see.

    python run.py cli ...  (not needed)   .venv/bin/python build_scripts/screenshots.py OUT_DIR [--lang en]

Runs offscreen on a throw-away data folder; nothing touches the real one.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication, QDialog, QWidget  # noqa: E402

from app import demo  # noqa: E402
from app.bootstrap import open_database  # noqa: E402
from app.paths import resolve_paths  # noqa: E402
from app.services import Services  # noqa: E402
from app.settings import LocalSettings  # noqa: E402
from ui import operations, translations  # noqa: E402
from ui.application import create_application  # noqa: E402
from ui.context import UiContext  # noqa: E402
from ui.login_dialog import LoginDialog  # noqa: E402
from ui.main_window import MainWindow  # noqa: E402
from ui.setup_dialog import SetupDialog  # noqa: E402


def settle(app: QApplication, ms: int = 300) -> None:
    operations.wait_for_all()
    end = QTimer()
    end.setSingleShot(True)
    end.start(ms)
    while end.isActive():
        app.processEvents()


def shoot(widget: QWidget, out: Path, name: str, app: QApplication) -> None:
    widget.show()
    settle(app)
    path = out / f"{name}.png"
    widget.grab().save(str(path))
    print(path)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path)
    parser.add_argument("--lang", default="zh_CN")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    home = Path(tempfile.mkdtemp(prefix="calldesk-shots-"))
    paths = resolve_paths(home).ensure()
    app = create_application()
    translations.install(app, args.lang)

    empty = open_database(f"sqlite:///{home / 'empty.db'}", paths).db
    setup = SetupDialog(Services.open(empty).users, empty.describe())
    shoot(setup, args.out, "setup", app)

    db = open_database(f"sqlite:///{home / 'demo.db'}", paths).db
    summary = demo.fill(db)
    services = Services.open(db)
    login = LoginDialog(services.users, summary.centre_name, db.describe(), "demo")
    shoot(login, args.out, "login", app)

    context = UiContext(paths, LocalSettings(paths.settings_file), services)
    admin = services.users.authenticate("admin", demo.DEMO_PASSWORD)
    window = MainWindow(context, admin)
    window.resize(1100, 640)
    shoot(window, args.out, "main-window", app)
    # 今日 at 1024×768 (the screen less the taskbar), with the last shift's handover on it,
    # and the search box's hits under it.
    from ui.handover_dialog import HandoverDialog, HandoverReadDialog

    supervisor = services.users.authenticate(summary.supervisor_login, demo.DEMO_PASSWORD)
    handover = HandoverDialog(services, supervisor, window)
    handover.notes.setPlainText("3栋电梯维保到 15:00；陈先生下午会再来电，问投诉处理进度。")
    shoot(handover, args.out, "handover", app)
    handover.close()
    left = services.handovers.hand_over(supervisor, handover.notes.toPlainText())
    reading = HandoverReadDialog(services, admin, left, window)
    shoot(reading, args.out, "handover-read", app)
    reading.close()
    # An incident many callers report: its dialog, then on 今日 and in the pop-up.
    from app.db.models import Unit
    from app.domain.incidents import IncidentKind
    from app.services.calls import caller_view
    from app.services.incidents import IncidentInput
    from ui.caller_popup import CallerPopup
    from ui.incidents_dialog import IncidentsDialog

    touched = services.customers.get(services.complaints.list().rows[0].customer_id
                                     or services.customers.search("", 0, 1).rows[0].id)
    with services.db.read() as session:  # the estate and building of their first unit
        unit = session.get(Unit, touched.units[0].id) if touched.units else None
        estate, building = (unit.estate, unit.building) if unit else ("", "")
    services.incidents.open(admin, IncidentInput(
        kind=IncidentKind.WATER, title=f"{building}栋停水" if building else "停水",
        estate=estate, buildings=building, message="水管抢修中，预计14:00恢复供水，请提前储水",
        expected_end_at=None))
    incidents = IncidentsDialog(services, admin, window)
    shoot(incidents, args.out, "incidents", app)
    incidents.close()
    if touched.phones:
        popup = CallerPopup(caller_view(services.db, touched.phones[0].display), window)
        shoot(popup, args.out, "popup-incident", app)
        popup.close()
    window.resize(1024, 728 - 40)
    window.check_handover()
    window.home.board.refresh()
    settle(app, 600)
    shoot(window, args.out, "home-today", app)
    window.activateWindow()
    window.search_box.focus()
    window.search_box.setText("8319")
    window.search_box.run()
    settle(app, 600)
    window.search_box._show_popup()
    settle(app, 200)
    shoot(window.search_box.completer.popup(), args.out, "search-popup", app)
    window.search_box.completer.popup().hide()
    window.search_box.clear()

    # The calls tab mid-call: a few digits typed, the caller found.
    operator = services.users.authenticate("kf01", demo.DEMO_PASSWORD)
    desk = MainWindow(context, operator)
    desk.resize(1200, 760)
    desk.show()
    settle(app)
    some = services.customers.search("", 0, 1).rows[0]
    digits = "".join(ch for ch in some.phones if ch.isdigit())[-4:]
    desk.start_call()
    desk.calls.panel.phone.setText(digits)
    desk.calls.panel._find_matches()
    settle(app, 600)
    shoot(desk, args.out, "calls-typing", app)
    desk.calls.panel.take_match()
    settle(app, 600)
    desk.calls.panel.call_type.setCurrentIndex(1)
    desk.calls.panel.summary.setPlainText("厨房水管漏水，楼下天花板有水渍")
    shoot(desk, args.out, "calls-mid-call", app)

    # The pop-up for a VIP and for a blacklisted caller.
    from app.domain.customers import Tier
    from app.services.calls import caller_view
    from app.services.customers import CustomerInput, PhoneInput, UnitInput
    from ui.caller_popup import CallerPopup

    for tier, phone, file_name in ((Tier.VIP, "13912340001", "popup-vip"),
                                   (Tier.BLACKLIST, "13912340002", "popup-blacklist")):
        services.customers.create(admin, CustomerInput(
            name="欧阳娜娜" if tier == Tier.VIP else "钱多多", phones=[PhoneInput(phone)],
            units=[UnitInput("8-2-1201")], tier=tier,
            notes="业委会成员" if tier == Tier.VIP else "多次无理投诉，来电请录音"))
        popup = CallerPopup(caller_view(services.db, phone), desk)
        shoot(popup, args.out, file_name, app)
        popup.close()

    from ui.daily_report_dialog import DailyReportDialog

    report = DailyReportDialog(services, admin, desk)
    settle(app, 800)
    shoot(report, args.out, "daily-report", app)
    report.close()

    # A new complaint's number, as the operator reads it to the caller.
    from ui.complaint_saved_dialog import ComplaintSavedDialog

    newest = services.complaints.list().rows[0]
    number = ComplaintSavedDialog(services.complaints.get(newest.id), desk)
    shoot(number, args.out, "complaint-saved", app)
    number.close()
    # … and for a desk that texts its callers, the message to send with it.
    from app.settings import NOTICE_COMPLAINT, NOTICE_COMPLAINT_EXAMPLE

    services.settings.set_many(admin, {NOTICE_COMPLAINT: NOTICE_COMPLAINT_EXAMPLE})
    number = ComplaintSavedDialog(services.complaints.get(newest.id), desk,
                                  settings=services.settings.all)
    shoot(number, args.out, "complaint-saved-message", app)
    number.close()
    services.settings.set_many(admin, {NOTICE_COMPLAINT: ""})
    desk.close()

    # Complaints: the list with its deadlines, the form, a step, the pop-up with open ones.
    window.resize(1280, 800)
    window.tabs.setCurrentWidget(window.complaints)
    settle(app, 800)
    shoot(window, args.out, "complaints-tab", app)
    from ui.complaint_actions import DispatchDialog, ResolveDialog
    from ui.complaint_dialog import ComplaintDialog

    chosen = window.complaints.detail
    if chosen is not None:
        for file_name, dialog in (
                ("complaint-form", ComplaintDialog(services, admin, detail=chosen,
                                                   parent=window)),
                ("complaint-dispatch", DispatchDialog(services, admin, chosen, False, window)),
                ("complaint-resolve", ResolveDialog(services, admin, chosen, window))):
            shoot(dialog, args.out, file_name, app)
            dialog.close()
        popup = CallerPopup(caller_view(services.db, chosen.row.phone), window)
        shoot(popup, args.out, "popup-open-complaints", app)
        popup.close()
    new_form = ComplaintDialog(services, admin, parent=window)
    shoot(new_form, args.out, "complaint-new", app)
    new_form.close()
    window.complaints.department_view(services.departments.list()[0].id)
    settle(app, 600)
    shoot(window, args.out, "complaints-department", app)

    # Callbacks: the queue, the dialog with its filled script, scheduling by hand.
    from app.services.callbacks import CallbackFilter, Queue
    from ui.callback_dialog import CallbackDialog, ScheduleCallbackDialog

    window.tabs.setCurrentWidget(window.callbacks)
    window.callbacks.show_queue(Queue.ALL)
    settle(app, 800)
    shoot(window, args.out, "callbacks-queue", app)
    pending = [r for r in services.callbacks.list(CallbackFilter(Queue.ALL), limit=500).rows
               if r.complaint_id and r.status.value == "pending"]
    if pending:
        dialog = CallbackDialog(services, admin, services.callbacks.get(pending[0].id), "",
                                window)
        dialog.reached.setChecked(True)
        from app.domain.calls import Satisfaction

        dialog.satisfaction_buttons[Satisfaction.UNSATISFIED].setChecked(True)
        dialog.call_again.setChecked(True)
        dialog.comment.setPlainText("还是有噪音，希望物业再去沟通")
        shoot(dialog, args.out, "callback-dialog", app)
        dialog.close()
        # The customer rang in with the callback waiting: 回访待办 in the pop-up, done on
        # the call.
        waiting = services.callbacks.get(pending[0].id)
        popup = CallerPopup(caller_view(services.db, waiting.row.phone), window)
        shoot(popup, args.out, "popup-callback-waiting", app)
        popup.close()
        dialog = CallbackDialog(services, admin, waiting, "", window, on_call=True)
        shoot(dialog, args.out, "callback-on-call", app)
        dialog.close()
    # A missed call from a number no card has: make a card, or turn it into a complaint.
    from app.services.calls import CallInput

    services.calls.log(admin, CallInput(phone="13700001111", missed=True))
    unknown = next(r for r in services.callbacks.list(CallbackFilter(Queue.ALL), limit=500).rows
                   if r.phone.replace(" ", "") == "13700001111")
    dialog = CallbackDialog(services, admin, services.callbacks.get(unknown.id), "", window)
    dialog.reached.setChecked(True)
    shoot(dialog, args.out, "callback-missed-unknown", app)
    dialog.close()
    schedule = ScheduleCallbackDialog(services, admin, phone="139 1234 5678", customer_id=None,
                                      call_id=None, parent=window)
    shoot(schedule, args.out, "callback-schedule", app)
    schedule.close()

    window.tabs.setCurrentWidget(window.reports)
    settle(app, 1500)
    shoot(window, args.out, "reports-tab", app)

    window.tabs.setCurrentWidget(window.customers)
    shoot(window, args.out, "customers-tab", app)
    window.customers.search.setText("3-2")
    settle(app, 500)
    window.customers.search.setText("zh")
    settle(app, 500)
    shoot(window, args.out, "customers-search", app)

    from ui.about_dialog import AboutDialog
    from ui.customer_dialog import CustomerDialog
    from ui.deadline_rules_dialog import DeadlineRulesDialog
    from ui.departments_dialog import DepartmentsDialog
    from ui.settings_dialog import SettingsDialog
    from ui.shortcuts_dialog import ShortcutsDialog
    from ui.users_dialog import UserEditDialog, UsersDialog

    dialogs: list[tuple[str, QDialog]] = [
        ("users", UsersDialog(services, admin, window)),
        ("user-edit", UserEditDialog(services, admin, services.departments.list(), None, window)),
        ("departments", DepartmentsDialog(services, admin, window)),
        ("settings", SettingsDialog(context, admin, window)),
        ("deadline-rules", DeadlineRulesDialog(services, admin, window)),
        ("about", AboutDialog(context, window)),
        ("shortcuts", ShortcutsDialog(window, window)),
        ("customer-card", CustomerDialog(services, admin, services.customers.get(
            newest.customer_id or services.customers.search("", 0, 1).rows[0].id),
            parent=window)),
        ("customer-new", CustomerDialog(services, admin, None, "13912345678", window)),
    ]
    for name, dialog in dialogs:
        shoot(dialog, args.out, name, app)
        if name == "settings":
            dialog.pages.setCurrentIndex(1)  # type: ignore[attr-defined]
            shoot(dialog, args.out, "settings-centre", app)
            dialog.pages.setCurrentIndex(2)  # type: ignore[attr-defined]
            shoot(dialog, args.out, "settings-callbacks", app)
        if name == "customer-card":  # everything the customer did, paged
            dialog.pages.setCurrentIndex(1)  # type: ignore[attr-defined]
            shoot(dialog, args.out, "customer-activity", app)
        if name == "deadline-rules":  # the working calendar, with its warning in December
            dialog.pages.setCurrentIndex(1)  # type: ignore[attr-defined]
            shoot(dialog, args.out, "deadline-calendar", app)
        dialog.close()
    # The roster import wizard on a messy roster, page by page.
    from tests.test_customer_import import messy_roster
    from ui.import_wizard import ImportWizard

    roster = messy_roster(home / "花名册.xlsx")
    wizard = ImportWizard(services, admin, window)
    wizard.show()
    wizard.file_page.path.setText(str(roster))
    wizard.file_page.load(None)
    settle(app, 500)
    shoot(wizard, args.out, "import-1-file", app)
    wizard.next()
    shoot(wizard, args.out, "import-2-columns", app)
    wizard.next()
    settle(app, 1500)
    shoot(wizard, args.out, "import-3-check", app)
    wizard.close()
    operations.wait_for_all()
    return 0


if __name__ == "__main__":
    sys.exit(main())
