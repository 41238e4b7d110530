"""Entering a year's holiday schedule (放假安排) as the State Council's notice sets it out:
for each holiday the first and last day off and the make-up working days (调休上班).

The rows start from the statutory holidays the libraries know for the year (by rule, for a
year whose schedule is not published yet), so the administrator only corrects the dates and
types the make-up days. The result is a list of calendar days for the calendar dialog's table;
nothing is saved here.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.working_time import Holiday, HolidayBlock
from app.errors import ValidationError
from app.services import Services
from app.services.deadlines import CalendarOverride, parse_days, schedule_overrides
from ui.forms import error_label, name
from ui.operations import Op

HOLIDAY, FIRST, LAST, MAKE_UP = range(4)


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _date(day: QDate) -> date:
    return date(day.year(), day.month(), day.day())


class YearScheduleDialog(QDialog):
    def __init__(self, services: Services, year: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.loaded = False
        self.overrides: list[CalendarOverride] = []
        self.setObjectName("yearScheduleDialog")
        self.setWindowTitle(self.tr("Enter a year's holiday schedule"))
        self.setAccessibleName(self.windowTitle())
        self.resize(760, 470)

        intro = QLabel(self.tr(
            "Copy the State Council's notice: for each holiday the first and last day off and "
            "the make-up working days, e.g. 2-14, 2-20, or as the notice writes them. The "
            "dates start from the statutory holidays; check each against the notice."))
        intro.setObjectName("yearScheduleIntroLabel")
        intro.setWordWrap(True)
        self.year_spin = name(QSpinBox(), "scheduleYearSpin", self.tr("Year"))
        self.year_spin.setRange(2000, 2099)
        self.year_spin.setValue(year)
        self.year_spin.setGroupSeparatorShown(False)
        self.year_spin.valueChanged.connect(self._load)
        year_label = QLabel(self.tr("&Year:"))
        year_label.setBuddy(self.year_spin)
        year_row = QHBoxLayout()
        year_row.addWidget(year_label)
        year_row.addWidget(self.year_spin)
        year_row.addStretch(1)

        self.table = name(QTableWidget(len(Holiday), 4), "yearScheduleTable",
                          self.tr("The year's holidays"))
        self.table.setHorizontalHeaderLabels([
            self.tr("Holiday"), self.tr("First day off"), self.tr("Last day off"),
            self.tr("Make-up working days")])
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(MAKE_UP, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab walks through the fields
        self.rows: list[tuple[Holiday, QDateEdit, QDateEdit, QLineEdit]] = []
        for row, holiday in enumerate(Holiday):
            item = QTableWidgetItem(holiday.label)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.table.setItem(row, HOLIDAY, item)
            first = self._date_edit("scheduleFirstDayEdit",
                                    self.tr("First day off, {holiday}").format(
                                        holiday=holiday.label))
            last = self._date_edit("scheduleLastDayEdit",
                                   self.tr("Last day off, {holiday}").format(
                                       holiday=holiday.label))
            make_up = name(QLineEdit(), "scheduleMakeUpEdit",
                           self.tr("Make-up working days, {holiday}").format(
                               holiday=holiday.label))
            make_up.setPlaceholderText(self.tr("none, or e.g. 2-14, 2-20"))
            make_up.textChanged.connect(lambda _text: self._update_summary())
            for column, widget in ((FIRST, first), (LAST, last), (MAKE_UP, make_up)):
                self.table.setCellWidget(row, column, widget)
            self.rows.append((holiday, first, last, make_up))

        self.summary = name(QLabel(), "yearScheduleSummaryLabel", self.tr("What will be added"))
        self.summary.setWordWrap(True)
        self.error = error_label("yearScheduleError")
        self.error.setAccessibleName(self.tr("Why the schedule cannot be added"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        name(self.ok_button, "addScheduleButton", self.tr("Add the days to the calendar"))
        self.ok_button.setText(self.tr("&Add to the calendar"))
        self.ok_button.setEnabled(False)
        cancel = buttons.button(QDialogButtonBox.StandardButton.Cancel)
        name(cancel, "cancelScheduleButton", self.tr("Cancel"))
        buttons.accepted.connect(self.add)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(year_row)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        chain: list[QWidget] = [self.year_spin]
        for _holiday, first, last, make_up in self.rows:
            chain += [first, last, make_up]
        chain += [self.ok_button, cancel]
        for before, after in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(before, after)
        self._load(year)

    def _date_edit(self, object_name: str, accessible: str) -> QDateEdit:
        edit = name(QDateEdit(), object_name, accessible)
        edit.setDisplayFormat("yyyy-MM-dd")
        edit.setCalendarPopup(True)
        edit.setDateRange(QDate(1999, 12, 1), QDate(2100, 1, 31))
        edit.dateChanged.connect(lambda _day: self._update_summary())
        return edit

    # -- loading -------------------------------------------------------------------------
    def _load(self, year: int) -> None:
        self.loaded = False
        self.ok_button.setEnabled(False)
        deadlines = self.services.deadlines
        Op(self, lambda: deadlines.statutory_schedule(year)) \
            .success(lambda blocks: self._show(year, blocks)).run()

    def _show(self, year: int, blocks: list[HolidayBlock]) -> None:
        if year != self.year_spin.value():  # the year changed again meanwhile
            return
        known = {block.holiday: block for block in blocks}
        for holiday, first, last, make_up in self.rows:
            block = known.get(holiday)
            start = block.first if block else date(year, 1, 1)
            first.setDate(_qdate(start))
            last.setDate(_qdate(block.last if block else start))
            make_up.setText(", ".join(f"{d.month}-{d.day}" if d.year == year else d.isoformat()
                                      for d in (block.make_up_days if block else ())))
        self.loaded = True
        self.ok_button.setEnabled(True)
        self._update_summary()
        self.rows[0][1].setFocus()

    # -- reading -------------------------------------------------------------------------
    def blocks(self) -> list[HolidayBlock]:
        """The rows as the schedule's holidays; ValidationError (``makeup<row>``) for a
        make-up day that is not a date."""
        blocks = []
        for holiday, first, last, make_up in self.rows:
            start = _date(first.date())
            try:
                days = parse_days(make_up.text(), start)
            except ValueError as error:
                raise ValidationError(self.tr(
                    "{holiday}: “{text}” is not a date; write the make-up working days as "
                    "2-14, 2-20.").format(holiday=holiday.label, text=str(error)),
                    {f"makeup{len(blocks)}": str(error)}) from None
            blocks.append(HolidayBlock(holiday, start, _date(last.date()), tuple(days)))
        return blocks

    def _collect(self) -> list[CalendarOverride]:
        return schedule_overrides(self.blocks())

    def _update_summary(self) -> list[CalendarOverride] | None:
        """What the rows add, or why they cannot be added (in red, in one place)."""
        if not self.loaded:
            return None
        try:
            days = self._collect()
        except ValidationError as error:
            self.summary.clear()
            self.error.setText(str(error))
            self.error.show()
            return None
        self.error.hide()
        off = sum(1 for d in days if not d.workday)
        self.summary.setText(self.tr(
            "Adds {off} days off and {working} make-up working days; days already listed are "
            "replaced. Save the calendar afterwards.").format(
            off=off, working=len(days) - off))
        return days

    def add(self) -> None:
        if not self.loaded:
            return
        days = self._update_summary()
        if days is None:
            try:
                self._collect()
            except ValidationError as error:
                field = next(iter(error.fields), "")
                for prefix, column in (("makeup", MAKE_UP), ("holiday", FIRST)):
                    if field.startswith(prefix) and field[len(prefix):].isdigit():
                        self.table.cellWidget(int(field[len(prefix):]), column).setFocus()
            return
        self.overrides = days
        self.accept()
