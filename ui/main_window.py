"""The main window: menus, the tabs the features fill, and the status bar."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QAction, QCloseEvent, QDesktopServices, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QSystemTrayIcon,
    QTabWidget,
    QWidget,
)

from app.domain.roles import Actor, Permission
from app.services.calls import CallerView, CallInput, CallRow, caller_view
from app.services.customers import CustomerCard
from app.services.global_search import Hit, HitKind
from app.settings import CENTRE_NAME, SOFTPHONE_COMMAND
from ui import file_dialogs
from ui.callbacks_tab import CallbacksTab
from ui.caller_popup import CallerPopup
from ui.calls_tab import CallsTab
from ui.complaints_tab import ComplaintsTab
from ui.context import UiContext
from ui.customers_tab import CustomersTab
from ui.forms import name, plain_text
from ui.global_search import GlobalSearchBox
from ui.home_tab import HomeTab
from ui.operations import Op
from ui.reports_tab import ReportsTab
from ui.window_state import WindowState


class MainWindow(QMainWindow):
    sign_out_requested = Signal()
    restart_requested = Signal()  # a backup was restored: open CallDesk on it afresh
    closed = Signal()  # closed for good: CallDesk ends

    def __init__(self, context: UiContext, actor: Actor) -> None:
        super().__init__()
        self.context = context
        self.actor = actor
        self.signing_out = False
        self.restarting = False
        self.closed_for_now = False  # closed (signed out, quit, restarted): asks nothing more
        self.popup: CallerPopup | None = None
        self.setObjectName("mainWindow")
        self.setAccessibleName("CallDesk")
        self.resize(1200, 760)
        self.window_state = WindowState(context.paths.window_state_file)
        file_dialogs.remember_in(self.window_state)  # each kind of file: its last folder

        self.tabs = QTabWidget()
        name(self.tabs, "mainTabs", self.tr("Work areas"))
        self.tabs.setDocumentMode(True)
        self.setCentralWidget(self.tabs)
        self.home = HomeTab(actor, board=lambda: context.services.today.board(actor))
        self.add_tab(self.home, self.tr("H&ome"))
        self.calls = CallsTab(context.services, actor)
        self.add_tab(self.calls, self.tr("&Calls"))
        self.complaints = ComplaintsTab(context.services, actor)
        self.add_tab(self.complaints, self.tr("Com&plaints"))
        self.callbacks = CallbacksTab(context.services, actor,
                                      context.local.get(SOFTPHONE_COMMAND))
        self.add_tab(self.callbacks, self.tr("Call&backs"))
        self.customers = CustomersTab(context.services, actor)
        self.add_tab(self.customers, self.tr("C&ustomers"))
        self.reports = ReportsTab(context.services, actor)
        self.add_tab(self.reports, self.tr("&Reports"))
        self.calls.panel.complaint_wanted.connect(self._complaint_from_call)
        self.customers.complaint_wanted.connect(self.show_complaint)
        # Whatever adds or settles a callback refreshes the queue with the status bar, so
        # the 回访 tab never lags the counter.
        self.complaints.changed.connect(self.callbacks_changed)
        self.complaints.callback_wanted.connect(self.show_callback)
        self.callbacks.changed.connect(self.refresh_counters)
        self.calls.callback_scheduled.connect(self.callbacks_changed)
        self.calls.panel.saved.connect(self._call_saved)
        self.callbacks.changed.connect(self.complaints.reload)
        self.callbacks.complaint_wanted.connect(self._complaint_from_callback)
        self._wire_today_board()
        # Anything by number, phone, name or unit, from any tab.
        self.search_box = GlobalSearchBox(context.services.search.search, self)
        self.tabs.setCornerWidget(self.search_box, Qt.Corner.TopRightCorner)
        self.search_box.chosen.connect(self.open_hit)
        search = QAction(self.tr("Search everything"), self)
        search.setObjectName("searchAction")
        search.setShortcut(QKeySequence("Ctrl+K"))
        search.triggered.connect(self.search_box.focus)
        self.addAction(search)
        new_call = QAction(self.tr("New call"), self)
        new_call.setObjectName("newCallAction")
        new_call.setShortcut(QKeySequence("F2"))
        new_call.triggered.connect(self.start_call)
        self.addAction(new_call)

        self._build_status_bar()
        self._build_menus()
        self._add_admin_shortcuts()
        self.set_centre_name("")
        self.window_state.restore(self, self.tabs)
        self.refresh_shared_settings()
        self.home.calendar_wanted.connect(lambda: self.manage_deadline_rules(calendar_page=True))
        if self.actor.can(Permission.EDIT_DEADLINE_RULES):
            # The holiday libraries load for this (up to 0.1 s): after the first screen is up.
            self.customers.model.loaded.connect(self._check_calendar_once)

    def _wire_today_board(self) -> None:
        """今日 opens what it lists, and reads itself again whenever work is done here (and
        every minute, and on coming back to it, for other desks' work)."""
        board = self.home.board
        assert board is not None
        board.open_callback.connect(self.show_callback)
        board.open_complaint.connect(self.show_complaint)
        board.show_callbacks.connect(self.show_due_callbacks)
        board.show_complaints.connect(self._show_complaints_of)
        for changed in (self.complaints.changed, self.callbacks.changed,
                        self.calls.callback_scheduled, self.calls.panel.saved):
            changed.connect(board.refresh)
        self.tabs.currentChanged.connect(
            lambda index: self.tabs.widget(index) is self.home and board.refresh())
        board.refresh()
        board.handover_wanted.connect(self.read_handover)
        self.check_handover()

    def hand_over(self) -> None:
        """交接班: the draft from the live work, the notes, handed over."""
        from ui.handover_dialog import HandoverDialog

        dialog = HandoverDialog(self.context.services, self.actor, self)
        saved = dialog.saved if dialog.exec() else None
        dialog.deleteLater()
        if saved is not None:
            self.show_status(self.tr("Shift handed over: the next operator sees it when they "
                                     "sign in."))

    def manage_incidents(self) -> None:
        from ui.incidents_dialog import IncidentsDialog

        dialog = IncidentsDialog(self.context.services, self.actor, self)
        dialog.exec()
        changed = dialog.changed
        dialog.deleteLater()
        if changed:
            self.callbacks_changed()  # an ended incident may have added callbacks

    def check_handover(self) -> None:
        """At sign-in: the handover the last shift left, on the board until taken over."""
        handovers, actor = self.context.services.handovers, self.actor
        Op(self, lambda: handovers.waiting_for(actor)) \
            .success(lambda row: self.home.board.show_handover(row)).run()

    def read_handover(self, row) -> None:  # noqa: ANN001 - a HandoverRow
        from ui.handover_dialog import HandoverReadDialog

        dialog = HandoverReadDialog(self.context.services, self.actor, row, self)
        taken = dialog.acknowledged if dialog.exec() else None
        dialog.deleteLater()
        if taken is not None:
            self.home.board.show_handover(None)
            self.show_status(self.tr("Shift taken over from {name}.").format(
                name=taken.from_user or "-"))

    def _show_complaints_of(self, urgency: str) -> None:
        from app.domain.complaints import Urgency

        self.tabs.setCurrentWidget(self.complaints)
        self.complaints.show_urgency(Urgency(urgency))

    # -- layout --------------------------------------------------------------------------
    def add_tab(self, widget: QWidget, title: str) -> int:
        """Later features add their tab here; Ctrl+1…9 switch to the first nine."""
        return self.tabs.addTab(widget, title)

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        bar.setObjectName("statusBar")
        self.user_label = QLabel(self.tr("{name} ({role})").format(
            name=self.actor.display_name, role=self.actor.role.label))
        name(self.user_label, "statusUserLabel", self.tr("Signed-in user"))
        database = self.context.services.db.describe()
        if self.context.demo:
            database = self.tr("Demo database (thrown away on exit)")
        self.database_label = QLabel(database)
        name(self.database_label, "statusDatabaseLabel", self.tr("Database in use"))
        self.database_label.setToolTip(self.context.services.db.describe())
        # Counters (callbacks due, overdue complaints) are added here by their features.
        self.counters = QWidget()
        self.counters.setObjectName("statusCounters")
        self.counters_layout = QHBoxLayout(self.counters)
        self.counters_layout.setContentsMargins(0, 0, 0, 0)
        self.overdue_label = name(QPushButton(), "statusOverdueButton",
                                  self.tr("Overdue complaints"))
        self.overdue_label.setFlat(True)
        self.overdue_label.setStyleSheet("color: #b3261e; font-weight: bold;")
        self.overdue_label.clicked.connect(self.show_overdue_complaints)
        self.overdue_label.hide()
        self.due_callbacks_button = name(QPushButton(), "statusCallbacksButton",
                                         self.tr("Callbacks due"))
        self.due_callbacks_button.setFlat(True)
        self.due_callbacks_button.setStyleSheet("color: #1f6feb; font-weight: bold;")
        self.due_callbacks_button.clicked.connect(self.show_due_callbacks)
        self.due_callbacks_button.hide()
        self.counters_layout.addWidget(self.due_callbacks_button)
        self.counters_layout.addWidget(self.overdue_label)
        # Callbacks already past due when we looked; a new one coming due is announced.
        self._announced: set[int] | None = None
        self.tray: QSystemTrayIcon | None = None
        if QSystemTrayIcon.isSystemTrayAvailable():
            self.tray = QSystemTrayIcon(self.windowIcon(), self)
            self.tray.setObjectName("trayIcon")
            self.tray.setToolTip("CallDesk")
            self.tray.messageClicked.connect(self.show_due_callbacks)
            self.tray.activated.connect(lambda _reason: self.show_due_callbacks())
            self.tray.show()
        bar.addWidget(self.user_label)
        bar.addWidget(self.database_label, 1)
        # Passing messages get a label of their own: QStatusBar's own messages hide the
        # labels beside them, and a later show of the bar brought those back on top of the
        # message, the two texts drawn over each other.
        self.notice_label = name(QLabel(), "statusNoticeLabel", self.tr("Notice"))
        self.notice_label.hide()
        bar.addWidget(self.notice_label)
        self._notice_timer = QTimer(self)
        self._notice_timer.setSingleShot(True)
        self._notice_timer.timeout.connect(self.notice_label.hide)
        bar.addPermanentWidget(self.counters)
        # Deadlines pass while nobody touches anything: look again every minute.
        self._counter_timer = QTimer(self)
        self._counter_timer.setInterval(60_000)
        self._counter_timer.timeout.connect(self.callbacks_changed)  # other desks, too
        self.refresh_counters()

    def _action(self, text: str, object_name: str, slot, shortcut=None) -> QAction:  # noqa: ANN001
        action = QAction(text, self)
        action.setObjectName(object_name)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        return action

    def _build_menus(self) -> None:
        menus = self.menuBar()
        menus.setObjectName("menuBar")
        file_menu = menus.addMenu(self.tr("&File"))
        file_menu.setObjectName("fileMenu")
        self.change_password_action = self._action(
            self.tr("Change my &password…"), "changePasswordAction", self.change_password)
        self.sign_out_action = self._action(
            self.tr("&Switch user / sign out"), "signOutAction", self.sign_out,
            QKeySequence("Ctrl+Shift+L"))
        self.quit_action = self._action(self.tr("E&xit"), "quitAction", self.close,
                                        QKeySequence("Ctrl+Q"))
        file_menu.addAction(self.change_password_action)
        file_menu.addAction(self.sign_out_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)

        edit_menu = menus.addMenu(self.tr("&Edit"))
        edit_menu.setObjectName("editMenu")
        for text, object_name, slot_name, key in (
            (self.tr("&Undo"), "undoAction", "undo", QKeySequence.StandardKey.Undo),
            (self.tr("&Redo"), "redoAction", "redo", QKeySequence.StandardKey.Redo),
            (self.tr("Cu&t"), "cutAction", "cut", QKeySequence.StandardKey.Cut),
            (self.tr("&Copy"), "copyAction", "copy", QKeySequence.StandardKey.Copy),
            (self.tr("&Paste"), "pasteAction", "paste", QKeySequence.StandardKey.Paste),
            (self.tr("Select &all"), "selectAllAction", "selectAll",
             QKeySequence.StandardKey.SelectAll),
        ):
            action = QAction(text, self)
            action.setObjectName(object_name)
            # The text fields handle these keys themselves; the menu is for the mouse.
            action.setShortcut(key)
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            action.triggered.connect(lambda _=False, s=slot_name: self._edit(s))
            edit_menu.addAction(action)

        view_menu = menus.addMenu(self.tr("&View"))
        view_menu.setObjectName("viewMenu")
        self.view_menu = view_menu
        view_menu.aboutToShow.connect(self._fill_view_menu)
        self.tab_actions: list[QAction] = []
        for index in range(9):
            action = QAction(self)
            action.setObjectName(f"viewTab{index}Action")
            action.setShortcut(QKeySequence(f"Ctrl+{index + 1}"))
            action.setCheckable(True)
            action.triggered.connect(lambda _=False, i=index: self._switch_tab(i))
            self.addAction(action)
            self.tab_actions.append(action)

        tools_menu = menus.addMenu(self.tr("&Tools"))
        tools_menu.setObjectName("toolsMenu")
        self.users_action = self._action(self.tr("&Users…"), "usersAction", self.manage_users)
        self.departments_action = self._action(
            self.tr("&Departments…"), "departmentsAction", self.manage_departments)
        self.settings_action = self._action(
            self.tr("&Settings…"), "settingsAction", self.open_settings,
            QKeySequence("Ctrl+,"))
        can_manage = self.actor.can(Permission.MANAGE_USERS)
        self.users_action.setEnabled(can_manage)
        self.departments_action.setEnabled(self.actor.can(Permission.MANAGE_DEPARTMENTS))
        self.deadline_rules_action = self._action(
            self.tr("Deadline &rules and calendar…"), "deadlineRulesAction",
            self.manage_deadline_rules)
        self.deadline_rules_action.setEnabled(self.actor.can(Permission.EDIT_DEADLINE_RULES))
        self.backups_action = self._action(self.tr("&Backup and restore…"), "backupsAction",
                                           self.manage_backups)
        self.backups_action.setEnabled(self.actor.can(Permission.MANAGE_BACKUPS))
        self.handover_action = self._action(self.tr("Shift &handover…"), "handoverAction",
                                            self.hand_over, QKeySequence("Ctrl+Shift+H"))
        tools_menu.addAction(self.handover_action)
        self.incidents_action = self._action(self.tr("&Incidents…"), "incidentsAction",
                                             self.manage_incidents)
        self.incidents_action.setEnabled(self.actor.can(Permission.MANAGE_COMPLAINTS))
        tools_menu.addAction(self.incidents_action)
        tools_menu.addSeparator()
        tools_menu.addAction(self.users_action)
        tools_menu.addAction(self.departments_action)
        tools_menu.addAction(self.deadline_rules_action)
        tools_menu.addAction(self.backups_action)
        tools_menu.addSeparator()
        tools_menu.addAction(self.settings_action)

        help_menu = menus.addMenu(self.tr("&Help"))
        help_menu.setObjectName("helpMenu")
        self.about_action = self._action(self.tr("&About CallDesk"), "aboutAction",
                                         self.show_about, QKeySequence("F1"))
        help_menu.addAction(self._action(self.tr("Open &log folder"), "openLogFolderAction",
                                         lambda: self._open_folder(self.context.paths.log_dir)))
        help_menu.addAction(self._action(self.tr("Open &data folder"), "openDataFolderAction",
                                         lambda: self._open_folder(self.context.paths.data_dir)))
        help_menu.addAction(self._action(self.tr("&Keyboard shortcuts"), "shortcutsAction",
                                         self.show_shortcuts, QKeySequence("Ctrl+F1")))
        help_menu.addSeparator()
        help_menu.addAction(self.about_action)

    def _add_admin_shortcuts(self) -> None:
        if not self.actor.can(Permission.MANAGE_USERS):
            return
        for action, object_name in ((self.users_action, "homeUsersButton"),
                                    (self.departments_action, "homeDepartmentsButton"),
                                    (self.settings_action, "homeSettingsButton")):
            button = QPushButton(plain_text(action.text()).rstrip("…"))
            name(button, object_name, button.text())
            button.clicked.connect(action.trigger)
            self.home.add_action_button(button)

    def _fill_view_menu(self) -> None:
        # The menu shows the same actions that own Ctrl+1…9, so no shortcut is ambiguous.
        self.view_menu.clear()
        for index, action in enumerate(self.tab_actions[:self.tabs.count()]):
            action.setText(plain_text(self.tabs.tabText(index)))
            action.setChecked(index == self.tabs.currentIndex())
            self.view_menu.addAction(action)

    def _switch_tab(self, index: int) -> None:
        if 0 <= index < self.tabs.count():
            self.tabs.setCurrentIndex(index)

    def _edit(self, slot_name: str) -> None:
        widget = QApplication.focusWidget()
        if widget is not None and hasattr(widget, slot_name):
            getattr(widget, slot_name)()

    # -- shared settings -------------------------------------------------------------------
    def refresh_shared_settings(self) -> None:
        Op(self, self.context.services.settings.all).success(self._apply_shared).run()

    def _apply_shared(self, shared: dict[str, object]) -> None:
        self.set_centre_name(str(shared.get(CENTRE_NAME.key) or ""))
        self.home.show_scripts(shared)

    def set_centre_name(self, centre: str) -> None:
        title = self.tr("CallDesk property service desk")
        if self.context.demo:
            title += " " + self.tr("[demo]")
        self.setWindowTitle(f"{centre} — {title}" if centre else title)

    # -- actions ---------------------------------------------------------------------------
    def start_call(self, phone: str = "", card: CustomerCard | None = None) -> None:
        """F2 from anywhere: the calls tab, a fresh panel, the timer running."""
        self.tabs.setCurrentWidget(self.calls)
        self.calls.panel.start(phone if isinstance(phone, str) else "", card=card)

    def show_incoming(self, phone: str, missed: bool = False) -> None:
        """A softphone handed over a call: to the front, with the caller's card."""
        if self.isMinimized():
            self.showNormal()
        self.raise_()
        self.activateWindow()
        services = self.context.services
        if missed:
            Op(self, lambda: services.calls.log(self.actor, CallInput(phone=phone, missed=True))) \
                .success(self._missed_logged).run()
            return
        Op(self, lambda: caller_view(services.db, phone)).success(self._show_caller).run()

    def _missed_logged(self, row: CallRow) -> None:
        self.show_status(
            self.tr("Missed call from {phone}: added to the callbacks.").format(phone=row.phone))
        self.calls.reload()
        self.callbacks_changed()

    def _call_saved(self, row: CallRow) -> None:
        if row.missed:  # a missed call is a callback task
            self.callbacks_changed()

    def callbacks_changed(self) -> None:
        """Callbacks were added or settled (here or on another desk): the counters and the
        回访 tab learn of it together."""
        self.refresh_counters()
        self.callbacks.reload()
        if self.home.board is not None:
            self.home.board.refresh()

    def _show_caller(self, view: CallerView) -> None:
        if self.popup is not None:
            self.popup.close()
        popup = CallerPopup(view, self)
        popup.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        popup.start_call.connect(self.start_call)
        popup.open_card.connect(self.customers.open_card)
        popup.open_complaint.connect(self.show_complaint)
        popup.new_card.connect(self._new_card_for_incoming)
        popup.do_callback.connect(self._callback_on_call)
        popup.destroyed.connect(self._popup_gone)
        self.popup = popup
        popup.show()
        popup.raise_()
        popup.activateWindow()

    def _complaint_from_call(self, call: CallInput, prefill, card) -> None:  # noqa: ANN001
        if self.complaints.new_complaint(prefill, card, call) is not None:
            self.calls.panel.complaint_saved()
            self.calls.reload()

    def _complaint_from_callback(self, prefill) -> None:  # noqa: ANN001 - ComplaintInput
        self.tabs.setCurrentWidget(self.complaints)
        self.complaints.new_complaint(prefill)

    def _callback_on_call(self, callback_id: int) -> None:
        """回访待办 in the pop-up: the customer rang in, so the callback is done now."""
        if self.popup is not None:
            self.popup.close()
        self.tabs.setCurrentWidget(self.callbacks)
        self.callbacks.open_callback(callback_id, on_call=True)

    def open_hit(self, hit: Hit) -> None:
        """A search hit, opened where it lives: a card, a complaint in its tab, a call."""
        if hit.kind == HitKind.CUSTOMER:
            self.tabs.setCurrentWidget(self.customers)
            self.customers.open_card(hit.id)
        elif hit.kind == HitKind.COMPLAINT:
            self.show_complaint(hit.id)
        else:
            self.tabs.setCurrentWidget(self.calls)
            self.calls.show_call(hit.id)

    def show_complaint(self, complaint_id: int) -> None:
        self.tabs.setCurrentWidget(self.complaints)
        self.complaints.open_complaint(complaint_id)

    def show_overdue_complaints(self) -> None:
        self.tabs.setCurrentWidget(self.complaints)
        self.complaints.show_overdue()

    def refresh_counters(self) -> None:
        services = self.context.services
        Op(self, lambda: (services.complaints.overdue_count(), services.callbacks.due_count(),
                          services.callbacks.due_now())).success(self._show_counters).run()

    def _show_counters(self, counts: tuple[int, int, list[int]]) -> None:
        overdue, due, due_now = counts
        self._show_overdue(overdue)
        self.due_callbacks_button.setText(self.tr("{n} callback(s) due").format(n=due))
        self.due_callbacks_button.setVisible(due > 0)
        if self._announced is None:  # just signed in: say what is waiting
            if due:
                self.notify(self.tr("Callbacks due"),
                            self.tr("{n} callback(s) are due today or overdue.").format(n=due))
        else:
            new = set(due_now) - self._announced
            if new:
                self.notify(self.tr("Callbacks due"),
                            self.tr("{n} more callback(s) just came due.").format(n=len(new)))
        self._announced = set(due_now)

    def notify(self, title: str, text: str) -> None:
        """A tray message (clicking it opens the queue); the status bar where there is no
        tray."""
        if self.tray is not None and QSystemTrayIcon.supportsMessages():
            self.tray.showMessage(title, text, QSystemTrayIcon.MessageIcon.Information, 10_000)
        self.show_status(text)

    def show_status(self, text: str, milliseconds: int = 10_000) -> None:
        """A passing message in the status bar, beside who is signed in and where."""
        self.notice_label.setText(text)
        self.notice_label.show()
        self._notice_timer.start(milliseconds)

    def show_due_callbacks(self) -> None:
        from app.services.callbacks import Queue

        if self.isMinimized():
            self.showNormal()
        self.raise_()
        self.activateWindow()
        self.tabs.setCurrentWidget(self.callbacks)
        self.callbacks.show_queue(Queue.DUE)

    def show_callback(self, callback_id: int) -> None:
        self.tabs.setCurrentWidget(self.callbacks)
        self.callbacks.open_callback(callback_id)

    def _show_overdue(self, overdue: int) -> None:
        self.overdue_label.setText(self.tr("{n} overdue complaint(s)").format(n=overdue))
        self.overdue_label.setVisible(overdue > 0)

    def _popup_gone(self) -> None:
        self.popup = None

    def _new_card_for_incoming(self, phone: str) -> None:
        if self.popup is not None:
            self.popup.close()
        self.start_call(phone)
        self.calls.new_card_for_caller(phone)

    def manage_users(self) -> None:
        from ui.users_dialog import UsersDialog

        dialog = UsersDialog(self.context.services, self.actor, self)
        dialog.exec()
        dialog.deleteLater()

    def manage_deadline_rules(self, calendar_page: bool = False) -> None:
        from ui.deadline_rules_dialog import DeadlineRulesDialog

        dialog = DeadlineRulesDialog(self.context.services, self.actor, self,
                                     calendar_page=bool(calendar_page))
        if dialog.exec():
            self.complaints.reload()
            self.check_calendar()
        dialog.deleteLater()

    def _check_calendar_once(self, _total: int = 0) -> None:
        self.customers.model.loaded.disconnect(self._check_calendar_once)
        if self.closed_for_now:  # the first load ended after the window closed
            return
        # A child timer: closing the window stops it (closeEvent), so a window signed out
        # within the second never asks a database that is gone.
        self._calendar_timer = QTimer(self)
        self._calendar_timer.setSingleShot(True)
        self._calendar_timer.timeout.connect(lambda: self.check_calendar(at_sign_in=True))
        self._calendar_timer.start(1000)

    def check_calendar(self, at_sign_in: bool = False) -> None:
        """The administrator's warning when this year's or, from December, next year's
        official holiday schedule is not known: on the home tab, and once in the status bar
        at sign-in."""
        if not self.actor.can(Permission.EDIT_DEADLINE_RULES):  # only they can enter it
            return
        deadlines = self.context.services.deadlines
        Op(self, deadlines.calendar_status) \
            .success(lambda status: self._show_calendar_status(status, at_sign_in)).run()

    def _show_calendar_status(self, status, at_sign_in: bool) -> None:  # noqa: ANN001
        lines = status.warnings()
        self.home.show_calendar_warning(lines)
        if lines and at_sign_in:  # short: the status bar shares its line with the counters
            self.show_status(self.tr("{year}'s holiday schedule is missing: see Home.").format(
                year=status.warned_years[0]), 30_000)

    def manage_departments(self) -> None:
        from ui.departments_dialog import DepartmentsDialog

        dialog = DepartmentsDialog(self.context.services, self.actor, self)
        dialog.exec()
        dialog.deleteLater()

    def manage_backups(self) -> None:
        from ui.backups_dialog import BackupsDialog

        dialog = BackupsDialog(self.context, self.actor, self)
        dialog.exec()
        restored = dialog.restored is not None
        dialog.deleteLater()
        if restored:  # the data under this window is another now
            self.restarting = True
            self.close()

    def open_settings(self) -> None:
        from ui.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.context, self.actor, self)
        if dialog.exec():
            self.refresh_shared_settings()
        dialog.deleteLater()

    def change_password(self) -> None:
        from ui.password_dialog import ChangePasswordDialog

        dialog = ChangePasswordDialog(self.context.services.users, self.actor, self)
        dialog.exec()
        dialog.deleteLater()

    def show_shortcuts(self) -> None:
        from ui.shortcuts_dialog import ShortcutsDialog

        dialog = ShortcutsDialog(self, self)
        dialog.exec()
        dialog.deleteLater()

    def show_about(self) -> None:
        from ui.about_dialog import AboutDialog

        dialog = AboutDialog(self.context, self)
        dialog.exec()
        dialog.deleteLater()

    @staticmethod
    def _open_folder(path) -> None:  # noqa: ANN001
        path.mkdir(parents=True, exist_ok=True)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    def sign_out(self) -> None:
        self.signing_out = True
        self.close()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        # Counting only while the window is up: a window never shown (or closed) asks nothing.
        super().showEvent(event)
        self._counter_timer.start()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        self.window_state.save(self, self.tabs)
        self.closed_for_now = True
        # A closed window (signed out) must not go on refreshing counters and lists.
        for timer in self.findChildren(QTimer):
            timer.stop()
        super().closeEvent(event)
        if self.restarting:
            self.restart_requested.emit()
        elif self.signing_out:
            self.sign_out_requested.emit()
        else:
            self.closed.emit()
