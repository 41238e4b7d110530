"""The administrator's deadline rules and working calendar dialog, driven through pytest-qt."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDoubleSpinBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QWidget,
)
from pytestqt.qtbot import QtBot

from app import clock
from app.domain.complaints import Category, Severity
from app.domain.roles import Actor, Role
from app.domain.working_time import BusinessHours, Holiday
from app.i18n import translate
from app.paths import AppPaths
from app.services import Services
from app.services.deadlines import CalendarOverride, Rule
from app.settings import LocalSettings
from tests.conftest import drain_operations
from ui.context import UiContext
from ui.deadline_rules_dialog import (
    DAY_DATE,
    DAY_KIND,
    DAY_NOTE,
    RULE_CATEGORY,
    RULE_CLOCK,
    RULE_RESOLVE,
    RULE_RESPONSE,
    RULE_SEVERITY,
    WORKING_DAY,
    DeadlineRulesDialog,
)
from ui.main_window import MainWindow
from ui.year_schedule_dialog import FIRST, LAST, MAKE_UP, YearScheduleDialog

pytestmark = [pytest.mark.gui, pytest.mark.usefixtures("chinese_ui")]

DEFAULT_RULES = [Rule(None, Severity.URGENT, 30, 240), Rule(None, Severity.SERIOUS, 120, 540),
                 Rule(None, Severity.NORMAL, 240, 1620)]


def open_dialog(qtbot: QtBot, services: Services, actor: Actor,
                calendar_page: bool = False) -> DeadlineRulesDialog:
    dialog = DeadlineRulesDialog(services, actor, calendar_page=calendar_page)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.loaded)
    return dialog


def child(dialog: QWidget, kind: type, object_name: str):  # noqa: ANN201
    widget = dialog.findChild(kind, object_name)
    assert widget is not None, object_name
    assert widget.accessibleName(), f"{object_name} has no accessible name"
    return widget


def rule_row(table: QTableWidget, category: Category | None, severity: Severity) -> int:
    for row in range(table.rowCount()):
        if table.cellWidget(row, RULE_CATEGORY).currentData() == (category or "") and \
                table.cellWidget(row, RULE_SEVERITY).currentData() == severity.value:
            return row
    raise AssertionError(f"no rule row for {category} / {severity}")


def choose(combo: QComboBox, data: object) -> None:
    index = combo.findData(data)
    assert index >= 0, data
    combo.setCurrentIndex(index)


def set_hours(dialog: QWidget, start: str, end: str) -> None:
    for object_name, text in (("workdayStartEdit", start), ("workdayEndEdit", end)):
        edit = child(dialog, QLineEdit, object_name)
        edit.selectAll()
        edit.insert(text)


def save(qtbot: QtBot, dialog: QWidget) -> None:
    qtbot.mouseClick(child(dialog, QPushButton, "saveDeadlineRulesButton"),
                     Qt.MouseButton.LeftButton)


def error_shown(dialog: QWidget) -> QLabel:
    label = child(dialog, QLabel, "deadlineRulesError")
    return label if label.isVisibleTo(dialog) and label.text() else None


def test_the_administrator_changes_rules_hours_and_calendar(qtbot: QtBot, services: Services,
                                                             admin: Actor) -> None:
    dialog = open_dialog(qtbot, services, admin)
    assert dialog.objectName() == "deadlineRulesDialog"
    assert dialog.windowTitle() == "处理时限与工作日历"
    rules = child(dialog, QTableWidget, "deadlineRulesTable")
    assert rules.rowCount() == 3
    assert dialog.collect_rules() == DEFAULT_RULES
    assert child(dialog, QLineEdit, "workdayStartEdit").text() == "08:30"
    assert child(dialog, QLineEdit, "workdayEndEdit").text() == "17:30"
    assert "9" in child(dialog, QLabel, "workingDayLabel").text()
    # Half an hour shows as 0.5 working hours, 27 hours (three 9-hour days) as 27.
    urgent = rule_row(rules, None, Severity.URGENT)
    assert rules.cellWidget(urgent, RULE_RESPONSE).value() == 0.5
    assert rules.cellWidget(rule_row(rules, None, Severity.NORMAL), RULE_RESOLVE).value() == 27

    rules.cellWidget(urgent, RULE_RESPONSE).setValue(1.0)
    qtbot.mouseClick(child(dialog, QPushButton, "addRuleButton"), Qt.MouseButton.LeftButton)
    assert rules.rowCount() == 4
    row = 3
    choose(rules.cellWidget(row, RULE_CATEGORY), Category.FEES.value)
    choose(rules.cellWidget(row, RULE_SEVERITY), Severity.NORMAL.value)
    rules.cellWidget(row, RULE_RESPONSE).setValue(2)
    rules.cellWidget(row, RULE_RESOLVE).setValue(8)
    assert not rules.cellWidget(row, RULE_CLOCK).isChecked()
    set_hours(dialog, "09:00", "18:00")
    assert "9" in child(dialog, QLabel, "workingDayLabel").text()

    dialog.pages.setCurrentIndex(1)
    days = child(dialog, QTableWidget, "calendarOverridesTable")
    assert days.rowCount() == 0
    qtbot.mouseClick(child(dialog, QPushButton, "addOverrideButton"), Qt.MouseButton.LeftButton)
    assert days.rowCount() == 1
    day_edit = days.cellWidget(0, DAY_DATE)
    assert isinstance(day_edit, QDateEdit) and day_edit.displayFormat() == "yyyy-MM-dd"
    day_edit.setDate(QDate(2027, 1, 1))
    assert days.cellWidget(0, DAY_KIND).currentText() == "休息日"  # the default
    days.cellWidget(0, DAY_NOTE).setText("元旦")

    save(qtbot, dialog)
    qtbot.waitUntil(lambda: dialog.result() == QDialog.DialogCode.Accepted)
    assert services.deadlines.rules() == [
        Rule(None, Severity.URGENT, 60, 240), Rule(None, Severity.SERIOUS, 120, 540),
        Rule(None, Severity.NORMAL, 240, 1620), Rule(Category.FEES, Severity.NORMAL, 120, 480)]
    assert services.deadlines.hours() == BusinessHours(time(9, 0), time(18, 0))
    assert services.deadlines.overrides() == [CalendarOverride(date(2027, 1, 1), False, "元旦")]


def test_times_shown_rounded_are_kept_as_they_were(qtbot: QtBot, services: Services,
                                                   admin: Actor) -> None:
    services.deadlines.save_rules(admin, [*DEFAULT_RULES, Rule(
        Category.NOISE, Severity.URGENT, 25, 100, around_the_clock=True)], "08:30", "17:30")
    dialog = open_dialog(qtbot, services, admin)
    rules = child(dialog, QTableWidget, "deadlineRulesTable")
    noise = rule_row(rules, Category.NOISE, Severity.URGENT)
    assert rules.cellWidget(noise, RULE_RESPONSE).value() == pytest.approx(0.4)
    assert rules.cellWidget(noise, RULE_CLOCK).isChecked()
    rules.cellWidget(noise, RULE_RESOLVE).setValue(2)
    assert dialog.collect_rules()[noise] == Rule(Category.NOISE, Severity.URGENT, 25, 120,
                                                 around_the_clock=True)


def test_a_bad_closing_time_is_shown_and_nothing_is_saved(qtbot: QtBot, services: Services,
                                                          admin: Actor) -> None:
    dialog = open_dialog(qtbot, services, admin)
    qtbot.mouseClick(child(dialog, QPushButton, "addOverrideButton"), Qt.MouseButton.LeftButton)
    rules = child(dialog, QTableWidget, "deadlineRulesTable")
    rules.cellWidget(rule_row(rules, None, Severity.URGENT), RULE_RESPONSE).setValue(1)
    set_hours(dialog, "08:30", "25:00")
    save(qtbot, dialog)
    qtbot.waitUntil(lambda: error_shown(dialog) is not None)
    assert error_shown(dialog).text() == translate(
        "Deadlines", "Write the closing time as HH:MM, e.g. 17:30.")
    assert dialog.isVisible() and dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.pages.currentIndex() == 0
    assert child(dialog, QPushButton, "saveDeadlineRulesButton").isEnabled()  # try again
    assert services.deadlines.rules() == DEFAULT_RULES
    assert services.deadlines.hours() == BusinessHours()
    assert services.deadlines.overrides() == []


def test_a_response_longer_than_the_resolution_is_refused(qtbot: QtBot, services: Services,
                                                          admin: Actor) -> None:
    dialog = open_dialog(qtbot, services, admin)
    rules = child(dialog, QTableWidget, "deadlineRulesTable")
    normal = rule_row(rules, None, Severity.NORMAL)
    rules.cellWidget(normal, RULE_RESPONSE).setValue(30)  # resolution stays 27 h
    save(qtbot, dialog)
    qtbot.waitUntil(lambda: error_shown(dialog) is not None)
    assert error_shown(dialog).text() == translate(
        "Deadlines", "The response time cannot be longer than the resolution time "
                     "({category} / {severity}).").format(
        category=translate("Deadlines", "every category"), severity=Severity.NORMAL.label)
    assert rules.currentRow() == normal  # the rule in question is the current one
    assert dialog.isVisible()
    assert services.deadlines.rules() == DEFAULT_RULES


def test_a_day_listed_twice_is_refused_and_nothing_is_saved(
        qtbot: QtBot, services: Services, admin: Actor) -> None:
    dialog = open_dialog(qtbot, services, admin)
    set_hours(dialog, "09:00", "18:00")
    add_day = child(dialog, QPushButton, "addOverrideButton")
    days = child(dialog, QTableWidget, "calendarOverridesTable")
    for _ in range(2):
        qtbot.mouseClick(add_day, Qt.MouseButton.LeftButton)
        days.cellWidget(days.rowCount() - 1, DAY_DATE).setDate(QDate(2027, 2, 7))
    choose(days.cellWidget(1, DAY_KIND), WORKING_DAY)
    save(qtbot, dialog)
    qtbot.waitUntil(lambda: error_shown(dialog) is not None)
    assert "2027-02-07" in error_shown(dialog).text()
    assert dialog.pages.currentIndex() == 1
    drain_operations()
    assert services.deadlines.hours() == BusinessHours()
    assert services.deadlines.overrides() == []


def test_default_rules_cannot_be_removed_added_ones_can(qtbot: QtBot, services: Services,
                                                        admin: Actor) -> None:
    dialog = open_dialog(qtbot, services, admin)
    rules = child(dialog, QTableWidget, "deadlineRulesTable")
    remove = child(dialog, QPushButton, "removeRuleButton")
    for row in range(3):
        rules.setCurrentCell(row, RULE_RESPONSE)
        assert not remove.isEnabled()
        assert not rules.cellWidget(row, RULE_CATEGORY).isEnabled()  # stays "every category"
    qtbot.mouseClick(child(dialog, QPushButton, "addRuleButton"), Qt.MouseButton.LeftButton)
    assert rules.currentRow() == 3 and remove.isEnabled()
    qtbot.mouseClick(remove, Qt.MouseButton.LeftButton)
    assert rules.rowCount() == 3
    # Removing a day works the same way.
    days = child(dialog, QTableWidget, "calendarOverridesTable")
    remove_day = child(dialog, QPushButton, "removeOverrideButton")
    assert not remove_day.isEnabled()
    qtbot.mouseClick(child(dialog, QPushButton, "addOverrideButton"), Qt.MouseButton.LeftButton)
    assert remove_day.isEnabled()
    qtbot.mouseClick(remove_day, Qt.MouseButton.LeftButton)
    assert days.rowCount() == 0


DECEMBER = datetime(2026, 12, 3, 4, 0, tzinfo=UTC)  # the day issue 15 was worked on


def test_from_december_the_calendar_warns_that_next_years_schedule_is_not_known(
        qtbot: QtBot, services: Services, admin: Actor) -> None:
    with clock.at(datetime(2026, 11, 22, 4, 0, tzinfo=UTC)):
        november = open_dialog(qtbot, services, admin)
    assert not child(november, QLabel, "calendarWarningLabel").isVisibleTo(november)
    assert november.pages.tabIcon(1).isNull()
    with clock.at(DECEMBER):
        dialog = open_dialog(qtbot, services, admin)
    dialog.pages.setCurrentIndex(1)
    warning = child(dialog, QLabel, "calendarWarningLabel")
    assert warning.isVisibleTo(dialog)
    assert "2027" in warning.text() and "2026" not in warning.text()
    assert warning.text().startswith("2027 年的官方放假安排（调休）尚未知晓")
    assert not dialog.pages.tabIcon(1).isNull()  # seen from the rules page too
    assert dialog.schedule_year() == 2027


def test_entering_a_years_schedule_fills_the_calendar_and_ends_the_warning(
        qtbot: QtBot, services: Services, admin: Actor) -> None:
    services.deadlines.save_overrides(admin, [CalendarOverride(date(2027, 2, 11), False, "本地"),
                                              CalendarOverride(date(2027, 3, 8), False, "")])
    with clock.at(DECEMBER):
        dialog = open_dialog(qtbot, services, admin, calendar_page=True)
    assert dialog.pages.currentIndex() == 1
    button = child(dialog, QPushButton, "enterScheduleButton")
    assert button.isEnabled()
    schedule = YearScheduleDialog(services, dialog.schedule_year(), dialog)
    qtbot.addWidget(schedule)
    schedule.show()
    qtbot.waitUntil(lambda: schedule.loaded)
    assert child(schedule, QSpinBox, "scheduleYearSpin").value() == 2027
    table = child(schedule, QTableWidget, "yearScheduleTable")
    spring = list(Holiday).index(Holiday.SPRING_FESTIVAL)
    # Started from the statutory holidays by rule: Feb 5–10.
    assert table.cellWidget(spring, FIRST).date() == QDate(2027, 2, 5)
    assert table.cellWidget(spring, LAST).date() == QDate(2027, 2, 10)
    # As a notice might read: 2月5日至13日放假，2月20日（星期六）上班.
    table.cellWidget(spring, LAST).setDate(QDate(2027, 2, 13))
    make_up = table.cellWidget(spring, MAKE_UP)
    assert isinstance(make_up, QLineEdit) and make_up.accessibleName()
    make_up.setText("2月20日（星期六）")
    assert "1 " in child(schedule, QLabel, "yearScheduleSummaryLabel").text()
    qtbot.mouseClick(child(schedule, QPushButton, "addScheduleButton"),
                     Qt.MouseButton.LeftButton)
    assert schedule.result() == QDialog.DialogCode.Accepted
    dialog.merge_days(schedule.overrides)
    assert not child(dialog, QLabel, "calendarWarningLabel").isVisibleTo(dialog)
    days = dialog.collect_overrides()
    assert [d.day for d in days] == sorted(d.day for d in days)
    by_day = {d.day: d for d in days}
    assert by_day[date(2027, 2, 11)] == CalendarOverride(date(2027, 2, 11), False, "春节")
    assert by_day[date(2027, 2, 20)].workday
    assert by_day[date(2027, 3, 8)].note == ""  # a day of its own stays
    assert not by_day[date(2027, 1, 1)].workday
    save(qtbot, dialog)
    qtbot.waitUntil(lambda: dialog.result() == QDialog.DialogCode.Accepted)
    with clock.at(DECEMBER):
        assert services.deadlines.calendar_status().warned_years == []
        again = open_dialog(qtbot, services, admin)
    assert not child(again, QLabel, "calendarWarningLabel").isVisibleTo(again)


def test_a_make_up_day_that_is_not_a_date_is_refused(qtbot: QtBot, services: Services) -> None:
    schedule = YearScheduleDialog(services, 2027)
    qtbot.addWidget(schedule)
    schedule.show()
    qtbot.waitUntil(lambda: schedule.loaded)
    table = child(schedule, QTableWidget, "yearScheduleTable")
    national = list(Holiday).index(Holiday.NATIONAL_DAY)
    table.cellWidget(national, MAKE_UP).setText("9-26, 周六")
    qtbot.mouseClick(child(schedule, QPushButton, "addScheduleButton"),
                     Qt.MouseButton.LeftButton)
    error = child(schedule, QLabel, "yearScheduleError")
    assert error.isVisibleTo(schedule) and "国庆节" in error.text() and "周六" in error.text()
    assert schedule.result() != QDialog.DialogCode.Accepted and schedule.overrides == []


def test_ctrl_enter_saves_and_tab_follows_the_layout(qtbot: QtBot, services: Services,
                                                 admin: Actor) -> None:
    dialog = open_dialog(qtbot, services, admin)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    qtbot.mouseClick(child(dialog, QPushButton, "addRuleButton"), Qt.MouseButton.LeftButton)
    rules = child(dialog, QTableWidget, "deadlineRulesTable")
    assert QApplication.focusWidget() is rules.cellWidget(3, RULE_CATEGORY)

    start = child(dialog, QLineEdit, "workdayStartEdit")
    start.setFocus()
    order = [QApplication.focusWidget()]
    for _ in range(4 * 5 + 3):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        order.append(QApplication.focusWidget())
    expected = [start, child(dialog, QLineEdit, "workdayEndEdit")]
    for row in range(4):  # the default rows' category and severity are locked
        expected += [rules.cellWidget(row, column) for column in
                     (RULE_CATEGORY, RULE_SEVERITY, RULE_RESPONSE, RULE_RESOLVE, RULE_CLOCK)
                     if rules.cellWidget(row, column).isEnabled()]
    expected += [child(dialog, QPushButton, "addRuleButton"),
                 child(dialog, QPushButton, "removeRuleButton"),
                 child(dialog, QPushButton, "saveDeadlineRulesButton")]
    assert order[:len(expected)] == expected
    assert isinstance(expected[2], QDoubleSpinBox) and isinstance(expected[4], QCheckBox)

    choose(rules.cellWidget(3, RULE_CATEGORY), Category.PARKING.value)
    qtbot.keyClick(dialog, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: dialog.result() == QDialog.DialogCode.Accepted)
    assert services.deadlines.rules()[-1] == Rule(Category.PARKING, Severity.NORMAL, 240, 1620)


def test_cancel_keeps_everything(qtbot: QtBot, services: Services, admin: Actor) -> None:
    dialog = open_dialog(qtbot, services, admin)
    set_hours(dialog, "07:00", "19:00")
    qtbot.mouseClick(child(dialog, QPushButton, "cancelDeadlineRulesButton"),
                     Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Rejected
    assert services.deadlines.hours() == BusinessHours()


def test_without_the_permission_everything_is_read_only(qtbot: QtBot, services: Services,
                                                        admin: Actor) -> None:
    services.users.add_user(admin, "kf01", "王芳", Role.SUPERVISOR, "secret1")
    supervisor = services.users.authenticate("kf01", "secret1")
    services.deadlines.save_overrides(admin, [CalendarOverride(date(2027, 1, 1), False, "元旦")])
    dialog = open_dialog(qtbot, services, supervisor)
    assert not child(dialog, QPushButton, "saveDeadlineRulesButton").isVisibleTo(dialog)
    assert child(dialog, QLineEdit, "workdayStartEdit").isReadOnly()
    for object_name in ("addRuleButton", "removeRuleButton", "addOverrideButton",
                        "removeOverrideButton"):
        assert not child(dialog, QPushButton, object_name).isVisibleTo(dialog)
    for table, columns in ((child(dialog, QTableWidget, "deadlineRulesTable"), 5),
                           (child(dialog, QTableWidget, "calendarOverridesTable"), 3)):
        assert table.rowCount() > 0
        assert not any(table.cellWidget(row, column).isEnabled()
                       for row in range(table.rowCount()) for column in range(columns))
    qtbot.keyClick(dialog, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # does nothing
    assert dialog.isVisible()


def signed_in(qtbot: QtBot, paths: AppPaths, services: Services, actor: Actor) -> MainWindow:
    window = MainWindow(UiContext(paths, LocalSettings(paths.settings_file), services), actor)
    qtbot.addWidget(window)
    window.show()
    return window


def test_the_administrator_is_warned_at_sign_in_on_the_home_tab(
        qtbot: QtBot, paths: AppPaths, services: Services, admin: Actor) -> None:
    with clock.at(DECEMBER):
        window = signed_in(qtbot, paths, services, admin)
        banner = window.home.calendar_box
        qtbot.waitUntil(lambda: banner.isVisibleTo(window), timeout=10_000)
    text = child(window, QLabel, "homeCalendarWarningLabel").text()
    assert text.startswith("2027 年的官方放假安排（调休）尚未知晓")
    assert window.notice_label.text() == "缺少 2027 年放假安排，详见首页。"  # the bar
    assert child(window, QPushButton, "homeCalendarButton").isVisibleTo(window)


def test_no_calendar_warning_before_december_or_for_an_operator(
        qtbot: QtBot, paths: AppPaths, services: Services, admin: Actor) -> None:
    services.users.add_user(admin, "kf02", "李娜", Role.OPERATOR, "secret1")
    operator = services.users.authenticate("kf02", "secret1")
    with clock.at(datetime(2026, 11, 30, 4, 0, tzinfo=UTC)):
        november = signed_in(qtbot, paths, services, admin)
        november.check_calendar()  # what the sign-in check does, without waiting for it
        drain_operations()
    assert not november.home.calendar_box.isVisibleTo(november)
    assert november.home.calendar_warning.text() == ""
    with clock.at(DECEMBER):
        desk = signed_in(qtbot, paths, services, operator)
        desk.check_calendar()
        drain_operations()
    assert not desk.home.calendar_box.isVisibleTo(desk)
    assert desk.home.calendar_warning.text() == ""


def test_the_schedule_button_opens_next_years_schedule_and_merges_it(
        qtbot: QtBot, services: Services, admin: Actor, monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[YearScheduleDialog] = []

    def accept_as_started(self: YearScheduleDialog) -> int:  # instead of the modal loop
        opened.append(self)
        qtbot.waitUntil(lambda: self.loaded)
        self.add()
        return int(self.result() == QDialog.DialogCode.Accepted)

    monkeypatch.setattr(YearScheduleDialog, "exec", accept_as_started)
    with clock.at(DECEMBER):
        dialog = open_dialog(qtbot, services, admin)
    qtbot.mouseClick(child(dialog, QPushButton, "enterScheduleButton"),
                     Qt.MouseButton.LeftButton)
    assert [d.year_spin.value() for d in opened] == [2027]
    days = {o.day: o for o in dialog.collect_overrides()}
    assert days[date(2027, 1, 1)] == CalendarOverride(date(2027, 1, 1), False, "元旦")
    assert dialog.pages.currentIndex() == 1
    # Holidays by rule only, no make-up day entered: the warning stays.
    assert child(dialog, QLabel, "calendarWarningLabel").isVisibleTo(dialog)
