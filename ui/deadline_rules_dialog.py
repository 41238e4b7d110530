"""The administrator's deadline rules (处理时限) and working calendar.

The first page holds the business hours and one rule per category and severity, in working
hours; the second lists the days the administrator sets against the holiday libraries (public
holidays and make-up working days of years they do not know yet, or local arrangements), warns
when this year's or, from December, next year's official schedule is not known, and takes a
whole year's schedule at once (ui.year_schedule_dialog). Both pages are saved together.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStyle,
    QTableWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.complaints import Category, Severity
from app.domain.roles import Actor, Permission
from app.domain.working_time import BusinessHours, WorkingCalendar, YearStatus
from app.errors import ValidationError
from app.services import Services
from app.services.deadlines import (
    MAX_MINUTES,
    CalendarOverride,
    CalendarStatus,
    Rule,
    parse_hhmm,
)
from ui.errors import show_error
from ui.forms import error_label, name, save_keys
from ui.operations import Op

# Columns of the rules table.
RULE_CATEGORY, RULE_SEVERITY, RULE_RESPONSE, RULE_RESOLVE, RULE_CLOCK = range(5)
# Columns of the calendar table.
DAY_DATE, DAY_KIND, DAY_NOTE = range(3)

EVERY_CATEGORY = ""  # the category combo's data for "every category" (a rule's None)
DAY_OFF, WORKING_DAY = "day_off", "working_day"
_ORIGINAL_MINUTES = "originalMinutes"  # a time box's minutes as loaded, kept when untouched
_FALLBACK = {Severity.URGENT: (30, 240), Severity.SERIOUS: (120, 540),
             Severity.NORMAL: (240, 1620)}  # only for a database that lost a default rule


def _hours_text(minutes: float) -> str:
    return f"{round(minutes / 60, 2):g}"


class DeadlineRulesDialog(QDialog):
    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None,
                 *, calendar_page: bool = False) -> None:
        super().__init__(parent)
        self.services, self.actor = services, actor
        self.can_edit = actor.can(Permission.EDIT_DEADLINE_RULES)
        self.loaded = False
        self.setObjectName("deadlineRulesDialog")
        self.setWindowTitle(self.tr("Deadline rules and working calendar"))
        self.setAccessibleName(self.windowTitle())
        self.resize(860, 560)
        self.pages = name(QTabWidget(), "deadlineRulesPages", self.tr("Deadline rules pages"))
        self.pages.addTab(self._rules_page(), self.tr("Deadline rules"))
        self.pages.addTab(self._calendar_page(), self.tr("Working calendar"))
        if calendar_page:  # opened from the calendar warning
            self.pages.setCurrentIndex(1)
        self.status: CalendarStatus | None = None

        self.error = error_label("deadlineRulesError")
        self.error.setAccessibleName(self.tr("Why the rules were not saved"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        name(self.save_button, "saveDeadlineRulesButton",
             self.tr("Save the deadline rules and the working calendar"))
        self.save_button.setText(self.tr("Save (Ctrl+Enter)"))
        self.save_button.setEnabled(False)  # until the rules are in: never save an empty table
        self.cancel_button = buttons.button(QDialogButtonBox.StandardButton.Cancel)
        name(self.cancel_button, "cancelDeadlineRulesButton", self.tr("Cancel"))
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        if not self.can_edit:
            self.save_button.hide()
            self.cancel_button.setText(self.tr("Close"))
            self.cancel_button.setAccessibleName(self.tr("Close"))
        save_keys(self, self.save)

        layout = QVBoxLayout(self)
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self._set_read_only()
        self._update_buttons()
        self._update_tab_order()

        deadlines = services.deadlines
        Op(self, lambda: (deadlines.rules(), deadlines.hours(), deadlines.overrides(),
                          deadlines.calendar_status())) \
            .success(self._show).run()

    # -- the pages -----------------------------------------------------------------------
    def _rules_page(self) -> QWidget:
        self.start_edit = name(QLineEdit(), "workdayStartEdit", self.tr("Opening time"))
        self.end_edit = name(QLineEdit(), "workdayEndEdit", self.tr("Closing time"))
        for edit in (self.start_edit, self.end_edit):
            edit.setMaxLength(5)
            edit.setPlaceholderText(self.tr("HH:MM"))
            edit.setFixedWidth(edit.fontMetrics().horizontalAdvance("00:00") * 2 + 16)
            edit.textChanged.connect(lambda _text: self._update_day_length())
        start_label = QLabel(self.tr("&Opening time:"))
        start_label.setBuddy(self.start_edit)
        end_label = QLabel(self.tr("&Closing time:"))
        end_label.setBuddy(self.end_edit)
        hours_row = QHBoxLayout()
        hours_row.addWidget(start_label)
        hours_row.addWidget(self.start_edit)
        hours_row.addSpacing(16)
        hours_row.addWidget(end_label)
        hours_row.addWidget(self.end_edit)
        hours_row.addStretch(1)
        self.day_length = name(QLabel(), "workingDayLabel", self.tr("Length of a working day"))
        self.day_length.setWordWrap(True)

        self.rules_table = self._table("deadlineRulesTable", self.tr("Deadline rules"), [
            self.tr("Category"), self.tr("Severity"), self.tr("Response time (hours)"),
            self.tr("Resolution time (hours)"), self.tr("Around the clock")], RULE_CATEGORY)
        self.add_rule_button = name(QPushButton(self.tr("&Add rule")), "addRuleButton",
                                    self.tr("Add rule"))
        self.remove_rule_button = name(QPushButton(self.tr("&Remove rule")), "removeRuleButton",
                                       self.tr("Remove rule"))
        self.add_rule_button.clicked.connect(self.add_rule)
        self.remove_rule_button.clicked.connect(self.remove_rule)
        rule_buttons = QHBoxLayout()
        rule_buttons.addWidget(self.add_rule_button)
        rule_buttons.addWidget(self.remove_rule_button)
        rule_buttons.addStretch(1)
        defaults = QLabel(self.tr("The rules for every category apply to each category without "
                                  "a rule of its own, so they cannot be removed. Around the "
                                  "clock counts nights, weekends and holidays too, e.g. for "
                                  "urgent leaks."))
        defaults.setObjectName("defaultRulesLabel")
        defaults.setWordWrap(True)

        page = QWidget()
        page.setObjectName("deadlineRulesPage")
        layout = QVBoxLayout(page)
        layout.addLayout(hours_row)
        layout.addWidget(self.day_length)
        layout.addWidget(self.rules_table, 1)
        layout.addLayout(rule_buttons)
        layout.addWidget(defaults)
        self._update_day_length()
        return page

    def _calendar_page(self) -> QWidget:
        explanation = QLabel(self.tr(
            "Public holidays and make-up working days come from the Chinese holiday calendar "
            "for the years whose schedule is published, and the statutory holidays by rule for "
            "later years. List here the days that differ: a year's schedule once it is "
            "published, or a local arrangement. A day listed here always wins."))
        explanation.setObjectName("calendarExplanationLabel")
        explanation.setWordWrap(True)
        self.calendar_warning = name(QLabel(), "calendarWarningLabel",
                                     self.tr("Years without public holidays"))
        self.calendar_warning.setWordWrap(True)
        self.calendar_warning.setStyleSheet(
            "color: #7a4b00; background: #fff4d6; border: 1px solid #e8c36a; padding: 6px;")
        self.calendar_warning.hide()

        self.days_table = self._table("calendarOverridesTable", self.tr("Working calendar"), [
            self.tr("Date"), self.tr("Kind of day"), self.tr("Note")], DAY_NOTE)
        self.add_day_button = name(QPushButton(self.tr("A&dd day")), "addOverrideButton",
                                   self.tr("Add day"))
        self.remove_day_button = name(QPushButton(self.tr("Re&move day")),
                                      "removeOverrideButton", self.tr("Remove day"))
        self.schedule_button = name(QPushButton(self.tr("Enter a &year's schedule…")),
                                    "enterScheduleButton",
                                    self.tr("Enter a year's holiday schedule"))
        self.add_day_button.clicked.connect(self.add_day)
        self.remove_day_button.clicked.connect(self.remove_day)
        self.schedule_button.clicked.connect(self.enter_schedule)
        day_buttons = QHBoxLayout()
        day_buttons.addWidget(self.add_day_button)
        day_buttons.addWidget(self.remove_day_button)
        day_buttons.addStretch(1)
        day_buttons.addWidget(self.schedule_button)

        page = QWidget()
        page.setObjectName("workingCalendarPage")
        layout = QVBoxLayout(page)
        layout.addWidget(explanation)
        layout.addWidget(self.calendar_warning)
        layout.addWidget(self.days_table, 1)
        layout.addLayout(day_buttons)
        return page

    def _table(self, object_name: str, accessible: str, headers: list[str],
               stretch: int) -> QTableWidget:
        table = name(QTableWidget(0, len(headers)), object_name, accessible)
        table.setHorizontalHeaderLabels(headers)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
        table.setProperty("stretchColumn", stretch)
        table.verticalHeader().hide()
        table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setTabKeyNavigation(False)
        # Tab walks through the fields in the rows; the table itself takes no focus.
        table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        table.currentCellChanged.connect(lambda *_: self._update_buttons())
        return table

    # -- loading -------------------------------------------------------------------------
    def _show(self, loaded: tuple[list[Rule], BusinessHours, list[CalendarOverride],
                                  CalendarStatus]) -> None:
        rules, hours, overrides, status = loaded
        self.start_edit.setText(f"{hours.start:%H:%M}")
        self.end_edit.setText(f"{hours.end:%H:%M}")
        self.rules_table.setRowCount(0)
        defaults = [r for r in rules if r.category is None]
        for severity in sorted(Severity, key=lambda s: -s.rank):
            if not any(r.severity == severity for r in defaults):
                response, resolve = _FALLBACK[severity]
                defaults.append(Rule(None, severity, response, resolve))
        for rule in sorted(defaults, key=lambda r: -r.severity.rank):
            self._add_rule_row(rule)
        for rule in rules:
            if rule.category is not None:
                self._add_rule_row(rule)
        self.days_table.setRowCount(0)
        for override in overrides:
            self._add_day_row(override)
        self._show_calendar_status(status)
        self.loaded = True
        self.save_button.setEnabled(self.can_edit)
        self._set_read_only()
        self._update_buttons()
        self._update_tab_order()

    def _show_calendar_status(self, status: CalendarStatus) -> None:
        self.status = status
        lines = []
        for year in status.warned_years:
            if status.years[year] is YearStatus.RULE_ONLY:
                lines.append(self.tr(
                    "The official holiday schedule for {year} is not known yet: deadlines in "
                    "{year} count the statutory public holidays by rule, but no make-up working "
                    "day. When the State Council publishes it, press “Enter a year's schedule…” "
                    "and copy it in.").format(year=year))
            else:
                lines.append(self.tr(
                    "No public holidays are known for {year}: deadlines in {year} count Monday "
                    "to Friday as working days. Press “Enter a year's schedule…” and enter "
                    "{year}'s holidays and make-up working days.").format(year=year))
        warned = bool(lines)
        self.calendar_warning.setText("\n".join(lines))
        self.calendar_warning.setVisible(warned)
        icon = self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning) \
            if warned else QIcon()
        self.pages.setTabIcon(1, icon)
        self.pages.setTabToolTip(1, "\n".join(lines))

    def _update_day_length(self) -> None:
        start, end = parse_hhmm(self.start_edit.text()), parse_hhmm(self.end_edit.text())
        if start is None or end is None or not start < end:
            self.day_length.setText(self.tr(
                "Times are in working hours. Enter the opening and closing times as HH:MM, "
                "e.g. 08:30 and 17:30."))
            return
        self.day_length.setText(self.tr(
            "Times are in working hours, one decimal allowed (0.5 is half an hour): a working "
            "day has {hours} hours, from {start} to {end}.").format(
            hours=_hours_text(BusinessHours(start, end).minutes_per_day),
            start=f"{start:%H:%M}", end=f"{end:%H:%M}"))

    # -- rules ---------------------------------------------------------------------------
    def _time_box(self, object_name: str, accessible: str, minutes: int | None) -> QDoubleSpinBox:
        box = name(QDoubleSpinBox(), object_name, accessible)
        box.setDecimals(1)
        box.setRange(0.1, MAX_MINUTES / 60)
        box.setSingleStep(0.5)
        box.setAlignment(Qt.AlignmentFlag.AlignRight)
        if minutes is not None:
            box.setValue(minutes / 60)
            box.setProperty(_ORIGINAL_MINUTES, minutes)
        return box

    @staticmethod
    def _minutes(box: QDoubleSpinBox) -> int:
        """The box's time in minutes; a time shown rounded (e.g. 25 minutes as 0.4 h) stays
        exactly as loaded unless the administrator changed it."""
        original = box.property(_ORIGINAL_MINUTES)
        if original is not None and abs(round(int(original) / 60, 1) - box.value()) < 1e-6:
            return int(original)
        return round(box.value() * 60)

    def _add_rule_row(self, rule: Rule) -> int:
        table = self.rules_table
        row = table.rowCount()
        table.insertRow(row)
        category = name(QComboBox(), "ruleCategoryCombo", self.tr("Category"))
        category.addItem(self.tr("Every category"), EVERY_CATEGORY)
        for item in Category:
            category.addItem(item.label, item.value)
        category.setCurrentIndex(category.findData(
            rule.category.value if rule.category else EVERY_CATEGORY))
        severity = name(QComboBox(), "ruleSeverityCombo", self.tr("Severity"))
        for item in sorted(Severity, key=lambda s: -s.rank):
            severity.addItem(item.label, item.value)
        severity.setCurrentIndex(severity.findData(rule.severity.value))
        if rule.category is None:  # a default row keeps its place: one per severity
            category.setEnabled(False)
            severity.setEnabled(False)
            category.setProperty("default", True)
            tip = self.tr("Applies to every category without a rule of its own; it cannot be "
                          "removed.")
            category.setToolTip(tip)
            severity.setToolTip(tip)
        response = self._time_box("ruleResponseSpin", self.tr("Response time in hours"),
                                  rule.response_minutes)
        resolve = self._time_box("ruleResolveSpin", self.tr("Resolution time in hours"),
                                 rule.resolve_minutes)
        clock = name(QCheckBox(), "ruleAroundTheClockCheck", self.tr("Counted around the clock"))
        clock.setChecked(rule.around_the_clock)
        # Filled like the other fields, not in the colour of the row's selection.
        clock.setStyleSheet("QCheckBox { padding-left: 12px; background-color: palette(base); }")
        for column, widget in ((RULE_CATEGORY, category), (RULE_SEVERITY, severity),
                               (RULE_RESPONSE, response), (RULE_RESOLVE, resolve),
                               (RULE_CLOCK, clock)):
            table.setCellWidget(row, column, widget)
        return row

    def _is_default_row(self, row: int) -> bool:
        widget = self.rules_table.cellWidget(row, RULE_CATEGORY)
        return bool(widget is not None and widget.property("default"))

    def collect_rules(self) -> list[Rule]:
        rules = []
        table = self.rules_table
        for row in range(table.rowCount()):
            category = table.cellWidget(row, RULE_CATEGORY).currentData()
            rules.append(Rule(
                category=Category(category) if category else None,
                severity=Severity(table.cellWidget(row, RULE_SEVERITY).currentData()),
                response_minutes=self._minutes(table.cellWidget(row, RULE_RESPONSE)),
                resolve_minutes=self._minutes(table.cellWidget(row, RULE_RESOLVE)),
                around_the_clock=table.cellWidget(row, RULE_CLOCK).isChecked()))
        return rules

    def add_rule(self) -> None:
        normal = next((r for r in self.collect_rules()
                       if r.category is None and r.severity == Severity.NORMAL), None)
        response, resolve = (normal.response_minutes, normal.resolve_minutes) if normal \
            else _FALLBACK[Severity.NORMAL]
        rule = Rule(list(Category)[0], Severity.NORMAL, response, resolve)
        row = self._add_rule_row(rule)
        for column in (RULE_RESPONSE, RULE_RESOLVE):  # a new rule has nothing to keep
            self.rules_table.cellWidget(row, column).setProperty(_ORIGINAL_MINUTES, None)
        self._update_tab_order()
        self._focus_row(self.rules_table, row, RULE_CATEGORY)

    def remove_rule(self) -> None:
        row = self.rules_table.currentRow()
        if row < 0 or self._is_default_row(row):
            return
        self.rules_table.removeRow(row)
        self._after_removal(self.rules_table, row, self.add_rule_button)

    # -- the working calendar ------------------------------------------------------------
    def _add_day_row(self, override: CalendarOverride) -> int:
        table = self.days_table
        row = table.rowCount()
        table.insertRow(row)
        day = name(QDateEdit(), "overrideDateEdit", self.tr("Date"))
        day.setDisplayFormat("yyyy-MM-dd")
        day.setCalendarPopup(True)
        day.setDateRange(QDate(2000, 1, 1), QDate(2099, 12, 31))
        day.setDate(QDate(override.day.year, override.day.month, override.day.day))
        kind = name(QComboBox(), "overrideKindCombo", self.tr("Kind of day"))
        kind.addItem(self.tr("Day off"), DAY_OFF)
        kind.addItem(self.tr("Working day"), WORKING_DAY)
        kind.setCurrentIndex(kind.findData(WORKING_DAY if override.workday else DAY_OFF))
        note = name(QLineEdit(override.note), "overrideNoteEdit", self.tr("Note"))
        note.setMaxLength(60)
        note.setPlaceholderText(self.tr("e.g. New Year's Day, or a make-up working day"))
        for column, widget in ((DAY_DATE, day), (DAY_KIND, kind), (DAY_NOTE, note)):
            table.setCellWidget(row, column, widget)
        return row

    def collect_overrides(self) -> list[CalendarOverride]:
        overrides = []
        table = self.days_table
        for row in range(table.rowCount()):
            day = table.cellWidget(row, DAY_DATE).date()
            overrides.append(CalendarOverride(
                day=date(day.year(), day.month(), day.day()),
                workday=table.cellWidget(row, DAY_KIND).currentData() == WORKING_DAY,
                note=table.cellWidget(row, DAY_NOTE).text().strip()))
        return overrides

    def add_day(self) -> None:
        days = [o.day for o in self.collect_overrides()]
        if days:
            latest = max(days)
            start = QDate(latest.year, latest.month, latest.day).addDays(1)
        else:
            start = QDate.currentDate()
        row = self._add_day_row(CalendarOverride(date(start.year(), start.month(), start.day()),
                                                 workday=False))
        self._update_tab_order()
        self._focus_row(self.days_table, row, DAY_DATE)

    def remove_day(self) -> None:
        row = self.days_table.currentRow()
        if row < 0:
            return
        self.days_table.removeRow(row)
        self._after_removal(self.days_table, row, self.add_day_button)

    def schedule_year(self) -> int:
        """The year to enter first: the first one warned about, else next year."""
        if self.status is not None and self.status.warned_years:
            return self.status.warned_years[0]
        today = self.status.today if self.status is not None else date.today()
        return today.year + 1

    def enter_schedule(self) -> None:
        from ui.year_schedule_dialog import YearScheduleDialog

        if not (self.can_edit and self.loaded):
            return
        dialog = YearScheduleDialog(self.services, self.schedule_year(), self)
        if dialog.exec():
            self.merge_days(dialog.overrides)
        dialog.deleteLater()

    def merge_days(self, days: list[CalendarOverride]) -> None:
        """A year's schedule into the table: its days replace rows of the same date, the rest
        stay; the table is shown in date order, the first new day current."""
        if not days:
            return
        merged = {o.day: o for o in self.collect_overrides()}
        merged.update({o.day: o for o in days})
        self.days_table.setRowCount(0)
        ordered = sorted(merged.values(), key=lambda o: o.day)
        for override in ordered:
            self._add_day_row(override)
        self._update_tab_order()
        self._update_buttons()
        self.pages.setCurrentIndex(1)
        self._focus_row(self.days_table, ordered.index(merged[days[0].day]), DAY_DATE)
        if self.status is not None:  # the warning goes as soon as the table has the schedule
            listed = WorkingCalendar(overrides={o.day: o.workday for o in ordered})
            self._show_calendar_status(CalendarStatus(self.status.today, {
                year: listed.year_status(year) for year in self.status.years}))

    # -- both tables ---------------------------------------------------------------------
    def _focus_row(self, table: QTableWidget, row: int, column: int) -> None:
        table.setCurrentCell(row, column)
        table.scrollTo(table.model().index(row, column))
        table.cellWidget(row, column).setFocus()

    def _after_removal(self, table: QTableWidget, row: int, fallback: QWidget) -> None:
        self._update_tab_order()
        if table.rowCount():
            self._focus_row(table, min(row, table.rowCount() - 1), 0)
        else:
            fallback.setFocus()
        self._update_buttons()

    def _update_buttons(self) -> None:
        rule_row = self.rules_table.currentRow()
        self.add_rule_button.setEnabled(self.can_edit and self.loaded)
        self.remove_rule_button.setEnabled(
            self.can_edit and rule_row >= 0 and not self._is_default_row(rule_row))
        self.add_day_button.setEnabled(self.can_edit and self.loaded)
        self.schedule_button.setEnabled(self.can_edit and self.loaded)
        self.remove_day_button.setEnabled(self.can_edit and self.days_table.currentRow() >= 0)

    def _set_read_only(self) -> None:
        if self.can_edit:
            return
        for edit in (self.start_edit, self.end_edit):
            edit.setReadOnly(True)
        for table in (self.rules_table, self.days_table):
            for row in range(table.rowCount()):
                for column in range(table.columnCount()):
                    widget = table.cellWidget(row, column)
                    if widget is not None:
                        widget.setEnabled(False)
        for button in (self.add_rule_button, self.remove_rule_button, self.add_day_button,
                       self.remove_day_button, self.schedule_button):
            button.hide()

    def _update_tab_order(self) -> None:
        """After rows come or go. Rows added after the dialog was built would come after Save:
        put every field back in the order of the layout, and fit the columns to the fields."""
        chain: list[QWidget] = [self.pages.tabBar(), self.start_edit, self.end_edit]
        chain += self._row_widgets(self.rules_table)
        chain += [self.add_rule_button, self.remove_rule_button]
        chain += self._row_widgets(self.days_table)
        chain += [self.add_day_button, self.remove_day_button, self.schedule_button,
                  self.save_button,
                  self.cancel_button]
        for first, second in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(first, second)
        for table in (self.rules_table, self.days_table):
            self._fit_columns(table)

    @staticmethod
    def _fit_columns(table: QTableWidget) -> None:
        """Wide enough for the header and every field in the column (the header's own
        fitting does not see the fields, only the empty cells under them)."""
        header = table.horizontalHeader()
        for column in range(table.columnCount()):
            if column == table.property("stretchColumn"):
                continue
            width = header.sectionSizeFromContents(column).width()
            for row in range(table.rowCount()):
                widget = table.cellWidget(row, column)
                if widget is not None:
                    width = max(width, widget.sizeHint().width())
            header.resizeSection(column, width + 8)

    @staticmethod
    def _row_widgets(table: QTableWidget) -> list[QWidget]:
        return [widget for row in range(table.rowCount()) for column in
                range(table.columnCount()) if (widget := table.cellWidget(row, column))]

    # -- saving --------------------------------------------------------------------------
    def save(self) -> None:
        if not (self.can_edit and self.loaded and self.save_button.isEnabled()):
            return
        self.error.clear()
        self.error.hide()
        rules, overrides = self.collect_rules(), self.collect_overrides()
        start, end = self.start_edit.text().strip(), self.end_edit.text().strip()
        deadlines, actor = self.services.deadlines, self.actor

        def write() -> None:
            deadlines.save(actor, rules, start, end, overrides)

        Op(self, write).disabling(self.save_button).success(lambda _result: self.accept()) \
            .failure(self._failed).run()

    def _failed(self, error: BaseException) -> None:
        if isinstance(error, ValidationError):
            self._show_error(error)
        else:
            show_error(self, error)

    def _show_error(self, error: ValidationError) -> None:
        messages = list(dict.fromkeys(error.fields.values())) or [str(error)]
        self.error.setText("\n".join(messages))
        self.error.show()
        fields = list(error.fields)
        if not fields:
            return
        first = fields[0]
        if first == "day":
            self.pages.setCurrentIndex(1)
            for row, override in enumerate(self.collect_overrides()):
                if override.day.isoformat() == error.fields.get("day"):
                    self._focus_row(self.days_table, row, DAY_DATE)
                    break
            return
        self.pages.setCurrentIndex(0)
        if first == "start":
            self.start_edit.setFocus()
            self.start_edit.selectAll()
        elif first == "end":
            self.end_edit.setFocus()
            self.end_edit.selectAll()
        elif first.startswith("rule") and first[4:].isdigit() \
                and int(first[4:]) < self.rules_table.rowCount():
            self._focus_row(self.rules_table, int(first[4:]), RULE_RESPONSE)
