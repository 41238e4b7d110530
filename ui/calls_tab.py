"""来电登记: the quick-entry panel on top, the call list below.

The flow for a known caller: F2, a few digits of the number, Enter (the card and its unit
are taken), one digit key for the type, the summary, Ctrl+Enter. The usual outcome and
department follow from the type, so they rarely need a key.
"""

from __future__ import annotations

import html
from dataclasses import replace

from PySide6.QtCore import QDate, QElapsedTimer, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.calls import CallType, Direction, Outcome
from app.domain.complaints import Source
from app.domain.customers import Tier
from app.domain.roles import Actor, Permission
from app.domain.texts import NOTE_MAX
from app.services import Services
from app.services.calls import CallFilter, CallInput, CallRow
from app.services.complaints import ComplaintInput
from app.services.customers import CustomerCard, CustomerRow
from app.settings import CENTRE_NAME, SCRIPT_GREETING
from ui.call_model import CallTableModel, duration_text
from ui.file_dialogs import FileKind
from ui.forms import (
    DateRange,
    DigitKeys,
    FieldErrors,
    customer_match_items,
    error_label,
    name,
    shortcut,
)
from ui.operations import Op
from ui.paged_model import keep_place

MATCH_DELAY_MS = 120
MAX_MATCHES = 6
# A repair goes to the works department unless the operator picks another.
USUAL_DEPARTMENT = {CallType.REPAIR: "工程部"}


class CallPanel(QGroupBox):
    """The quick-entry panel for one call at a time."""

    saved = Signal(object)  # CallRow
    new_card_wanted = Signal(str)  # the unknown caller's number
    # The call turns into a complaint: (CallInput, ComplaintInput prefill, CustomerCard|None)
    complaint_wanted = Signal(object, object, object)

    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services, self.actor = services, actor
        self.setObjectName("callPanel")
        self.setTitle(self.tr("Log a call"))
        self.customer: CustomerCard | None = None
        self.departments: dict[str, int] = {}
        self.clock = QElapsedTimer()
        self._generation = 0

        self.start_button = name(QPushButton(self.tr("New call (F2)")), "newCallButton",
                                 self.tr("New call"))
        self.timer_label = name(QLabel("00:00"), "callTimerLabel", self.tr("Call duration"))
        self.timer_label.setStyleSheet("font-size: 16px; font-weight: bold;")
        self.direction = name(QComboBox(), "callDirectionCombo", self.tr("Direction"))
        for direction in Direction:
            self.direction.addItem(direction.label, direction.value)
        self.missed = name(QCheckBox(self.tr("Misse&d")), "missedCallCheck",
                           self.tr("Missed call"))
        self.greeting = name(QLabel(), "greetingLabel", self.tr("Greeting script"))
        self.greeting.setWordWrap(True)
        self.greeting.setStyleSheet("color: #1f6feb;")

        self.phone = name(QLineEdit(), "callPhoneEdit", self.tr("Caller's number"))
        self.phone.setPlaceholderText(self.tr("number, or 4+ digits of it"))
        self.caller = name(QLabel(), "callerLabel", self.tr("Caller"))
        self.caller.setTextFormat(Qt.TextFormat.RichText)
        self.new_card_button = name(QPushButton(self.tr("Ne&w card…")), "newCardFromCallButton",
                                    self.tr("New card for this caller"))
        self.new_card_button.clicked.connect(
            lambda: self.new_card_wanted.emit(self.phone.text().strip()))
        # An active incident touching the caller: said, and the call linked in one key.
        self.incidents: list = []  # IncidentRow, touching the caller
        self.incident_id: int | None = None  # the one this call is linked to
        self.incident_label = name(QLabel(), "callIncidentLabel", self.tr("Incident"))
        self.incident_label.setWordWrap(True)
        self.incident_label.setStyleSheet("background: #fde7c8; color: #7a3b00; padding: 3px;")
        self.incident_button = name(QPushButton(self.tr("About this incident (Ctrl+I)")),
                                    "linkIncidentButton",
                                    self.tr("The call is about this incident"))
        self.incident_button.setCheckable(True)
        self.incident_button.toggled.connect(self._link_incident)
        self.incident_row = QWidget()
        self.incident_row.setObjectName("callIncidentRow")
        incident_layout = QHBoxLayout(self.incident_row)
        incident_layout.setContentsMargins(0, 0, 0, 0)
        incident_layout.addWidget(self.incident_label, 1)
        incident_layout.addWidget(self.incident_button)
        self.incident_row.hide()
        self.matches = name(QListWidget(), "callerMatchesList", self.tr("Matching cards"))
        self.matches.setMaximumHeight(110)
        self.matches.hide()
        self.matches.itemActivated.connect(lambda _item: self.take_match())

        self.unit = name(QComboBox(), "callUnitCombo", self.tr("Unit"))
        self.call_type = name(QComboBox(), "callTypeCombo", self.tr("Call type"))
        for number, kind in enumerate(CallType, start=1):
            self.call_type.addItem(f"{number} {kind.label}", kind.value)
        self.summary = name(QPlainTextEdit(), "callSummaryEdit", self.tr("Summary"))
        self.summary.setTabChangesFocus(True)
        self.summary.setMaximumHeight(70)
        self.outcome = name(QComboBox(), "callOutcomeCombo", self.tr("Outcome"))
        for number, outcome in enumerate(Outcome.for_inbound(), start=1):
            self.outcome.addItem(f"{number} {outcome.label}", outcome.value)
        self.department = name(QComboBox(), "callDepartmentCombo", self.tr("Department"))
        self.save_button = name(QPushButton(self.tr("Save (Ctrl+Enter)")), "saveCallButton",
                                self.tr("Save the call"))
        self.clear_button = name(QPushButton(self.tr("Clear")), "clearCallButton",
                                 self.tr("Clear the panel"))
        self.complaint_button = name(QPushButton(self.tr("Comp&laint form… (Ctrl+T)")),
                                     "complaintFromCallButton",
                                     self.tr("Open a complaint form from this call"))
        self.complaint_button.clicked.connect(self.open_complaint)

        labels = {key: error_label(f"call_{key}Error") for key in
                  ("phone", "call_type", "summary", "outcome", "department", "customer",
                   "unit", "duration")}
        self.errors = FieldErrors(labels, error_label("callError"), {
            "phone": self.phone, "call_type": self.call_type, "summary": self.summary,
            "outcome": self.outcome, "department": self.department})
        self.summary_counter = self.errors.counter("summary", self.summary, NOTE_MAX)

        top = QHBoxLayout()
        top.addWidget(self.start_button)
        top.addWidget(self.timer_label)
        top.addWidget(self.direction)
        top.addWidget(self.missed)
        top.addWidget(self.greeting, 1)
        who = QHBoxLayout()
        who.addWidget(self.phone, 1)
        who.addWidget(self.caller, 2)
        who.addWidget(self.new_card_button)
        grid = QGridLayout()
        for column, (label, widget) in enumerate((
                (self.tr("Un&it:"), self.unit), (self.tr("T&ype:"), self.call_type),
                (self.tr("Outco&me:"), self.outcome), (self.tr("Dep&artment:"),
                                                      self.department))):
            caption = QLabel(label)
            caption.setBuddy(widget)
            grid.addWidget(caption, 0, column * 2)
            grid.addWidget(widget, 0, column * 2 + 1)
        grid.setColumnStretch(1, 2)
        form = QFormLayout()
        phone_label = QLabel(self.tr("&Number:"))
        phone_label.setBuddy(self.phone)
        form.addRow(phone_label, who)
        form.addRow("", self.matches)
        summary_label = QLabel(self.tr("&Summary:"))
        summary_label.setBuddy(self.summary)
        buttons = QHBoxLayout()
        buttons.addWidget(self.complaint_button)
        buttons.addStretch(1)
        buttons.addWidget(self.clear_button)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.incident_row)
        layout.addLayout(form)
        layout.addLayout(grid)
        layout.addWidget(summary_label)
        layout.addWidget(self.summary)
        layout.addWidget(self.summary_counter)
        for label in labels.values():
            layout.addWidget(label)
        layout.addWidget(self.errors.general)
        layout.addLayout(buttons)

        # Tab follows the form: number → type → summary → outcome → department → save.
        for first, second in ((self.phone, self.unit), (self.unit, self.call_type),
                              (self.call_type, self.summary), (self.summary, self.outcome),
                              (self.outcome, self.department),
                              (self.department, self.save_button)):
            self.setTabOrder(first, second)
        DigitKeys(self.call_type, self.summary)
        DigitKeys(self.outcome, self.department)

        self.call_type.currentIndexChanged.connect(self._type_changed)
        self.outcome.currentIndexChanged.connect(self._outcome_changed)
        self.missed.toggled.connect(self._missed_changed)
        self.start_button.clicked.connect(self.start)
        self.save_button.clicked.connect(self.save)
        self.clear_button.clicked.connect(self.clear)
        self.phone.returnPressed.connect(self.take_match)
        self._match_timer = QTimer(self)
        self._match_timer.setSingleShot(True)
        self._match_timer.setInterval(MATCH_DELAY_MS)
        self._match_timer.timeout.connect(self._find_matches)
        self.phone.textEdited.connect(lambda _text: self._match_timer.start())
        self._tick = QTimer(self)
        self._tick.setInterval(1000)
        self._tick.timeout.connect(self._show_time)
        for key in ("Ctrl+Return", "Ctrl+Enter"):
            shortcut(key, self, self.save, Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut("Ctrl+T", self, self.open_complaint,
                 Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut("Ctrl+I", self, self.incident_button.toggle,
                 Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut(Qt.Key.Key_Down, self.phone, self._into_matches, Qt.ShortcutContext.WidgetShortcut)
        Op(self, self._load_lists).success(self._show_lists).run()
        self.clear()

    # -- lists -----------------------------------------------------------------------------
    def _load_lists(self) -> tuple[list, dict]:
        return self.services.departments.list(), self.services.settings.all()

    def _show_lists(self, result: tuple[list, dict]) -> None:
        departments, shared = result
        self.department.clear()
        self.department.addItem(self.tr("(none)"), None)
        for department in departments:
            self.department.addItem(department.name, department.id)
            self.departments[department.name] = department.id
        centre = str(shared.get(CENTRE_NAME.key) or "")
        self.greeting.setText(str(shared.get(SCRIPT_GREETING.key) or "")
                              .replace("{centre}", centre))
        self._type_changed()

    # -- the call --------------------------------------------------------------------------
    def start(self, phone: str = "", direction: Direction = Direction.INBOUND,
              card: CustomerCard | None = None) -> None:
        """A new call: the timer runs from now and the cursor waits in the number field, or,
        when the caller is known already (the pop-up), in the type field."""
        self.clear()
        self.direction.setCurrentIndex(self.direction.findData(direction.value))
        self.clock.start()
        self._tick.start()
        self.greeting.show()
        if phone:
            self.phone.setText(phone)
        if card is not None:
            self._show_caller(card)
            self.call_type.setFocus()
            return
        if phone:
            self._find_matches()
        self.phone.setFocus()

    def clear(self) -> None:
        self._generation += 1
        self.errors.clear()
        self.customer = None
        self.phone.clear()
        self.caller.setText("")
        self.matches.clear()
        self.matches.hide()
        self.unit.clear()
        self.summary.clear()
        self.missed.setChecked(False)
        self.call_type.setCurrentIndex(0)
        self._type_changed()
        self.clock.invalidate()
        self._tick.stop()
        self.timer_label.setText("00:00")
        self.greeting.hide()
        self.new_card_button.setEnabled(False)
        self._show_incidents([])

    def elapsed_seconds(self) -> int:
        return int(self.clock.elapsed() / 1000) if self.clock.isValid() else 0

    def _show_time(self) -> None:
        self.timer_label.setText(duration_text(self.elapsed_seconds()))

    def _type_changed(self) -> None:
        kind = CallType(self.call_type.currentData())
        self.outcome.setCurrentIndex(self.outcome.findData(kind.usual_outcome.value))
        usual = USUAL_DEPARTMENT.get(kind)
        if usual in self.departments:
            self.department.setCurrentIndex(self.department.findData(self.departments[usual]))
        self._outcome_changed()

    def _outcome_changed(self) -> None:
        dispatched = self.outcome.currentData() == Outcome.DISPATCHED.value
        self.department.setEnabled(dispatched)

    def _missed_changed(self, missed: bool) -> None:
        for widget in (self.call_type, self.summary, self.outcome, self.department):
            widget.setEnabled(not missed)
        if not missed:
            self._outcome_changed()

    # -- finding the caller ----------------------------------------------------------------
    def _find_matches(self) -> None:
        text = self.phone.text().strip()
        generation = self._generation
        digits = "".join(ch for ch in text if ch.isdigit())
        if len(digits) < 4:
            self.matches.hide()
            self._show_caller(None)
            return
        customers = self.services.customers
        Op(self, lambda: customers.search(digits, 0, MAX_MATCHES)) \
            .success(lambda page: self._show_matches(generation, text, page.rows)).run()

    def _show_matches(self, generation: int, text: str, rows: list[CustomerRow]) -> None:
        if generation != self._generation or text != self.phone.text().strip():
            return  # typed on since
        self.matches.clear()
        for item in customer_match_items(rows):
            self.matches.addItem(item)
        self.matches.setVisible(bool(rows))
        if rows:
            self.matches.setCurrentRow(0)
        self.new_card_button.setEnabled(not rows)
        if not rows:
            self._show_caller(None)

    def _into_matches(self) -> None:
        if self.matches.isVisible():
            self.matches.setFocus()

    def take_match(self) -> None:
        """Enter: the selected card becomes the caller; the cursor moves on to the type."""
        item = self.matches.currentItem() if self.matches.isVisible() else None
        if item is None:
            self.call_type.setFocus()
            return
        customer_id = item.data(Qt.ItemDataRole.UserRole)
        generation = self._generation
        Op(self, lambda: self.services.customers.get(customer_id)) \
            .success(lambda card: self._took(generation, card)).run()
        self.call_type.setFocus()

    def _took(self, generation: int, card: CustomerCard) -> None:
        if generation != self._generation:
            return
        if len("".join(c for c in self.phone.text() if c.isdigit())) < 11 and card.phones:
            self.phone.setText(card.phones[0].display)  # the whole number for the record
        self.matches.hide()
        self._show_caller(card)

    def _show_caller(self, card: CustomerCard | None) -> None:
        self.customer = card
        self.unit.clear()
        incidents, generation = self.services.incidents, self._generation
        Op(self, lambda: incidents.touching_customer(card.id if card else None)) \
            .success(lambda rows: generation == self._generation
                     and self._show_incidents(rows)).run()
        if card is None:
            self.caller.setText(self.tr("<i>Unknown caller</i>") if self.phone.text() else "")
            self.unit.addItem(self.tr("(no unit)"), None)
            return
        marks = ""
        if card.tier == Tier.VIP:
            marks = f" <span style='background:#fff4d6'>{html.escape(card.tier.label)}</span>"
        elif card.tier == Tier.BLACKLIST:
            marks = f" <span style='color:#b3261e'><b>{html.escape(card.tier.label)}</b></span>"
        self.caller.setText(f"<b>{html.escape(card.greeting_name)}</b>{marks}")
        for unit in card.units:
            self.unit.addItem(unit.label, unit.id)
        self.unit.addItem(self.tr("(no unit)"), None)
        self.new_card_button.setEnabled(False)

    def take_card(self, card: CustomerCard) -> None:
        """A card made for the unknown caller during the call."""
        self._show_caller(card)

    def _show_incidents(self, rows: list) -> None:  # of IncidentRow
        self.incidents = rows
        if self.incident_button.isChecked():
            self.incident_button.setChecked(False)
        self.incident_id = None
        self.incident_label.setText("\n".join(self.tr("⚠ {notice}").format(notice=r.notice())
                                               for r in rows))
        self.incident_row.setVisible(bool(rows))

    def _link_incident(self, linked: bool) -> None:
        """Ctrl+I: the call is about the (first) incident: its summary and a solved outcome
        are filled in when empty (the caller was told), and the call is linked to it."""
        if linked and not self.incidents:
            self.incident_button.setChecked(False)
            return
        self.incident_id = self.incidents[0].id if linked else None
        if linked:
            incident = self.incidents[0]
            if not self.summary.toPlainText().strip():
                self.summary.setPlainText(self.tr("About {title}: told the caller").format(
                    title=incident.title))
            solved = self.outcome.findData(Outcome.SOLVED.value)
            if solved >= 0:
                self.outcome.setCurrentIndex(solved)
            self.summary.setFocus()

    # -- saving ----------------------------------------------------------------------------
    def collect(self) -> CallInput:
        missed = self.missed.isChecked()
        return CallInput(
            phone=self.phone.text(), direction=Direction(self.direction.currentData()),
            customer_id=self.customer.id if self.customer else None,
            unit_id=self.unit.currentData(), missed=missed,
            call_type=None if missed else CallType(self.call_type.currentData()),
            summary=self.summary.toPlainText(),
            outcome=None if missed else Outcome(self.outcome.currentData()),
            department_id=self.department.currentData() if self.department.isEnabled() else None,
            duration_seconds=self.elapsed_seconds(),
            incident_id=None if missed else self.incident_id)

    def save(self) -> None:
        if not self.save_button.isEnabled():  # saving already: Ctrl+Enter pressed twice
            return
        data = self.collect()
        self.errors.submit(self, self.save_button,
                           lambda: self.services.calls.log(self.actor, data), self._saved)

    def _saved(self, row: CallRow) -> None:
        self.clear()
        self.saved.emit(row)

    def open_complaint(self) -> None:
        """One key: the complaint form with the caller, unit and summary carried over; the
        call is saved with the complaint (or stays here, typed, if the form is cancelled)."""
        call = replace(self.collect(), missed=False, outcome=Outcome.COMPLAINT,
                       department_id=None)
        prefill = ComplaintInput(source=Source.PHONE, customer_id=call.customer_id,
                                 unit_id=call.unit_id, phone=self.phone.text().strip(),
                                 description=call.summary.strip())
        self.complaint_wanted.emit(call, prefill, self.customer)

    def complaint_saved(self) -> None:
        """The call went in with its complaint: the panel is free for the next call."""
        self.clear()


class CallsTab(QWidget):
    callback_scheduled = Signal()
    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services, self.actor = services, actor
        self.setObjectName("callsTab")
        self.setAccessibleName(self.tr("Calls"))
        self.panel = CallPanel(services, actor, self)
        self.panel.saved.connect(self._saved)
        self.panel.new_card_wanted.connect(self.new_card_for_caller)

        today = QDate.currentDate()
        self.start_date = name(QDateEdit(today), "callsFromDate", self.tr("From"))
        self.end_date = name(QDateEdit(today), "callsToDate", self.tr("To"))
        for edit in (self.start_date, self.end_date):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.dates = DateRange(self.start_date, self.end_date, "callsDatesError")
        self.type_filter = name(QComboBox(), "callsTypeFilter", self.tr("Type"))
        self.type_filter.addItem(self.tr("All types"), None)
        self.type_filter.addItem(self.tr("Missed"), "missed")
        for kind in CallType:
            self.type_filter.addItem(kind.label, kind.value)
        self.direction_filter = name(QComboBox(), "callsDirectionFilter", self.tr("Direction"))
        self.direction_filter.addItem(self.tr("In and out"), None)
        for direction in Direction:
            self.direction_filter.addItem(direction.label, direction.value)
        self.outcome_filter = name(QComboBox(), "callsOutcomeFilter", self.tr("Outcome"))
        self.outcome_filter.addItem(self.tr("All outcomes"), None)
        for outcome in Outcome:
            self.outcome_filter.addItem(outcome.label, outcome.value)
        # Supervisors look at anyone's calls; operators at everyone's or their own.
        self.operator_filter = name(QComboBox(), "callsOperatorFilter", self.tr("Operator"))
        self.operator_filter.addItem(self.tr("All operators"), None)
        self.operator_filter.addItem(self.tr("Only mine"), actor.user_id)
        if actor.can(Permission.EDIT_ANY_CALL):
            Op(self, services.users.list_active_users).success(self._fill_operators).run()
        self.text_filter = name(QLineEdit(), "callsTextFilter", self.tr("Search calls"))
        self.text_filter.setPlaceholderText(self.tr("caller, number or words of the summary"))
        self.text_filter.setClearButtonEnabled(True)
        self.count_label = name(QLabel(), "callsCountLabel", self.tr("Calls shown"))
        self.report_button = name(QPushButton(self.tr("Daily lo&g…")), "dailyReportButton",
                                  self.tr("Daily work report"))
        self.report_button.clicked.connect(self.show_daily_report)
        self.schedule_button = name(QPushButton(self.tr("Call bac&k later… (Ctrl+K)")),
                                    "scheduleCallbackButton",
                                    self.tr("Schedule a callback for the chosen call"))
        self.schedule_button.clicked.connect(self.schedule_callback)
        shortcut("Ctrl+K", self, self.schedule_callback,
                 Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.export_button = name(QPushButton(self.tr("E&xport…")), "exportCallsButton",
                                  self.tr("Export the calls shown to Excel"))
        if not actor.can(Permission.EXPORT_ALL_CALLS):
            self.export_button.setToolTip(self.tr("Exports your own calls among those shown"))
        self.export_button.clicked.connect(self.export)

        self.model = CallTableModel(services.calls.list, self)
        self.table = name(QTableView(), "callsTable", self.tr("Calls"))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(24)
        # Narrow enough that 摘要 (stretched) keeps a readable width at 1024×768.
        for column, width in enumerate((118, 52, 104, 80, 110, 72, 240, 104, 52, 64)):
            self.table.setColumnWidth(column, width)
        # Direction and duration are as wide as their words in the language shown
        # ("Inbound", "Duration" are wider than 来电, 时长).
        metrics = self.table.fontMetrics()
        for column, samples in ((1, [d.label for d in Direction]), (8, [duration_text(3599)])):
            header = str(self.model.headerData(column, Qt.Orientation.Horizontal))
            needed = max(metrics.horizontalAdvance(text) for text in [header, *samples]) + 18
            self.table.setColumnWidth(column, max(self.table.columnWidth(column), needed))
        self.table.horizontalHeader().setSectionResizeMode(6, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(lambda _index: self.open_call())
        keep_place(self.table)
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            shortcut(key, self.table, self.open_call, Qt.ShortcutContext.WidgetShortcut)

        filters = QHBoxLayout()
        for widget in (QLabel(self.tr("From")), self.start_date, QLabel(self.tr("to")),
                       self.end_date, self.type_filter, self.outcome_filter,
                       self.direction_filter, self.operator_filter):
            filters.addWidget(widget)
        filters.addWidget(self.text_filter, 1)
        # Below the list, so the window still fits a small screen (800 pixels wide).
        tools = QHBoxLayout()
        tools.addWidget(self.count_label, 1)
        tools.addWidget(self.schedule_button)
        tools.addWidget(self.report_button)
        tools.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.panel)
        layout.addLayout(filters)
        layout.addWidget(self.dates.message)
        layout.addWidget(self.table, 1)
        layout.addLayout(tools)

        self._filter_timer = QTimer(self)
        self._filter_timer.setSingleShot(True)
        self._filter_timer.setInterval(200)
        self._filter_timer.timeout.connect(self.reload)
        for signal in (self.start_date.dateChanged, self.end_date.dateChanged,
                       self.type_filter.currentIndexChanged,
                       self.direction_filter.currentIndexChanged,
                       self.outcome_filter.currentIndexChanged,
                       self.operator_filter.currentIndexChanged,
                       self.text_filter.textChanged):
            signal.connect(lambda *_: self._filter_timer.start())
        self.model.loaded.connect(
            lambda total: self.count_label.setText(self.tr("{n} call(s)").format(n=total)))
        self.reload()

    def _fill_operators(self, users: list) -> None:  # noqa: ANN001
        for user in users:
            if user.id != self.actor.user_id:
                self.operator_filter.addItem(user.display_name, user.id)

    def filters(self) -> CallFilter:
        kind = self.type_filter.currentData()
        direction = self.direction_filter.currentData()
        outcome = self.outcome_filter.currentData()
        return CallFilter(
            start=self.start_date.date().toPython(), end=self.end_date.date().toPython(),
            call_type=CallType(kind) if kind not in (None, "missed") else None,
            missed=True if kind == "missed" else None,
            direction=Direction(direction) if direction else None,
            outcome=Outcome(outcome) if outcome else None,
            operator_id=self.operator_filter.currentData(),
            text=self.text_filter.text())

    def reload(self) -> None:
        if self.dates.in_order():
            self.model.search(self.filters())
        else:  # the message says why the list is empty
            self.model.clear()

    def export(self) -> None:
        from app.exporters.lists import export_calls
        from ui.list_export import export_list

        if not self.dates.in_order():
            self.start_date.setFocus()
            return
        filters = self.filters()
        export_list(
            self, FileKind.CALL_LIST, self.tr("Export calls"),
            self.tr("Calls {date}.xlsx").format(date=QDate.currentDate().toString("yyyy-MM-dd")),
            self.tr("Exporting calls…"), self.tr("Calls saved: {path}"),
            lambda path: export_calls(self.services.calls, self.actor, filters, path))

    def start_call(self, phone: str = "") -> None:
        self.panel.start(phone)

    def _saved(self, _row: CallRow) -> None:
        self.reload()

    def show_daily_report(self) -> None:
        from ui.daily_report_dialog import DailyReportDialog

        dialog = DailyReportDialog(self.services, self.actor, self)
        dialog.exec()
        dialog.deleteLater()

    def new_card_for_caller(self, phone: str) -> None:
        from ui.customer_dialog import CustomerDialog

        dialog = CustomerDialog(self.services, self.actor, None, phone, self)
        saved = dialog.saved if dialog.exec() else None
        dialog.deleteLater()
        if saved is not None:
            self.panel.take_card(saved)
            self.panel.call_type.setFocus()

    def open_call(self) -> None:
        """Double-click or Enter: the call itself; the caller's card opens from there."""

        rows = self.table.selectionModel().selectedRows()
        row = self.model.row_at(rows[0].row()) if rows else None
        if row is not None:
            self._show_call(row)

    def show_call(self, call_id: int) -> None:
        """A call found elsewhere (the search box): the same dialog as from the list."""
        Op(self, lambda: self.services.calls.get(call_id)).success(self._show_call).run()

    def _show_call(self, row) -> None:  # noqa: ANN001 - a CallRow
        from ui.call_dialog import CallDialog

        dialog = CallDialog(self.services, self.actor, row, self)
        dialog.open_card.connect(self.open_caller_card)
        saved = dialog.saved if dialog.exec() else None
        dialog.deleteLater()
        if saved is not None:
            self.reload()

    def schedule_callback(self) -> None:
        """Call back later, for the chosen call (or the caller in the panel)."""
        from ui.callback_dialog import ScheduleCallbackDialog

        rows = self.table.selectionModel().selectedRows()
        row = self.model.row_at(rows[0].row()) if rows else None
        if row is not None:
            phone, customer_id, call_id = row.phone, row.customer_id, row.id
        else:
            card = self.panel.customer
            phone, customer_id, call_id = (self.panel.phone.text().strip(),
                                           card.id if card else None, None)
        dialog = ScheduleCallbackDialog(self.services, self.actor, phone=phone,
                                        customer_id=customer_id, call_id=call_id, parent=self)
        saved = dialog.saved if dialog.exec() else None
        dialog.deleteLater()
        if saved is not None:
            self.callback_scheduled.emit()

    def open_caller_card(self, customer_id: int) -> None:
        customers_tab = getattr(self.window(), "customers", None)
        if customers_tab is not None:
            customers_tab.open_card(customer_id)
