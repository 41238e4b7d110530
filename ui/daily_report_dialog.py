"""每日工作报表 in the app: choose the day and the operator; print it or save it to Excel."""

from __future__ import annotations

import html
from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtGui import QPageLayout, QTextDocument
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.domain.calls import CallType
from app.domain.roles import Actor, Permission
from app.exporters.daily_report import export_daily_report, summary_rows
from app.reports.daily import DailyReport, daily_report
from app.services import Services
from app.settings import CENTRE_NAME
from ui.call_model import duration_text
from ui.file_dialogs import FileKind, offer_to_open, save_path
from ui.forms import name
from ui.operations import Op
from ui.text import local_time


def _value(value: object) -> str:
    return f"{value:.1%}" if isinstance(value, float) else "-" if value is None else str(value)


def report_html(report: DailyReport, centre: str, title: str, headers: list[str],
                groups: tuple[str, str, str]) -> str:
    e = html.escape
    rows = summary_rows(report)
    # Overall figures, then calls by type, then by outcome: side by side.
    parts = (rows[:9], rows[9:9 + len(CallType)], rows[9 + len(CallType):])
    columns = "".join(
        f"<td valign='top'><table border='1' cellspacing='0' cellpadding='4'>"
        f"<tr style='background:#ddebf7'><th colspan='2'>{e(group)}</th></tr>"
        + "".join(f"<tr><td>{e(label)}</td><td align='right'>{e(_value(value))}</td></tr>"
                  for label, value in part)
        + "</table></td>" for group, part in zip(groups, parts, strict=True))
    figures = f"<table cellspacing='12'><tr>{columns}</tr></table>"
    calls = "".join(
        "<tr>" + "".join(f"<td>{e(str(v))}</td>" for v in (
            local_time(c.received_at)[11:], c.direction.label, c.phone, c.customer_name,
            "" if c.missed else (c.call_type.label if c.call_type else ""), c.summary,
            c.outcome.label if c.outcome else "", duration_text(c.duration_seconds),
            c.operator_name)) + "</tr>" for c in report.calls)
    head = "".join(f"<th>{e(h)}</th>" for h in headers)
    return (f"<h2 align='center'>{e(centre)} {e(title)}</h2>"
            f"<p align='center'>{e(report.day.isoformat())} · {e(report.operator_name)}</p>"
            f"{figures}"
            f"<table border='1' cellspacing='0' cellpadding='3' width='100%'>"
            f"<tr style='background:#ddebf7'>{head}</tr>{calls}</table>")


class DailyReportDialog(QDialog):
    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services, self.actor = services, actor
        self.report: DailyReport | None = None
        self.centre = ""
        self.setObjectName("dailyReportDialog")
        self.setWindowTitle(self.tr("Daily work report"))
        self.setAccessibleName(self.windowTitle())
        self.resize(900, 640)
        self.day = name(QDateEdit(QDate.currentDate()), "reportDayEdit", self.tr("Day"))
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("yyyy-MM-dd")
        self.operator = name(QComboBox(), "reportOperatorCombo", self.tr("Operator"))
        self.view = name(QTextBrowser(), "reportView", self.tr("Report"))
        self.print_button = name(QPushButton(self.tr("&Print…")), "printReportButton",
                                 self.tr("Print the report"))
        self.export_button = name(QPushButton(self.tr("&Excel…")), "exportReportButton",
                                  self.tr("Save the report as an Excel workbook"))
        close = name(QPushButton(self.tr("Close")), "closeReportButton", self.tr("Close"))
        self.print_button.clicked.connect(self.print_report)
        self.export_button.clicked.connect(self.export)
        close.clicked.connect(self.accept)
        top = QHBoxLayout()
        for widget in (QLabel(self.tr("&Day:")), self.day, QLabel(self.tr("&Operator:")),
                       self.operator):
            top.addWidget(widget)
        top.itemAt(0).widget().setBuddy(self.day)  # type: ignore[union-attr]
        top.itemAt(2).widget().setBuddy(self.operator)  # type: ignore[union-attr]
        top.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (self.print_button, self.export_button, close):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)
        if actor.can(Permission.EDIT_ANY_CALL):  # supervisors: anyone, or everyone
            self.operator.addItem(self.tr("All operators"), None)
            Op(self, services.users.list_active_users).success(self._fill_operators).run()
        else:
            self.operator.addItem(actor.display_name, actor.user_id)
        self.day.dateChanged.connect(lambda _d: self.reload())
        self.operator.currentIndexChanged.connect(lambda _i: self.reload())
        self.reload()

    def _fill_operators(self, users: list) -> None:  # noqa: ANN001
        for user in users:
            self.operator.addItem(user.display_name, user.id)

    def headers(self) -> list[str]:
        return [self.tr("Time"), self.tr("Direction"), self.tr("Number"), self.tr("Caller"),
                self.tr("Type"), self.tr("Summary"), self.tr("Outcome"), self.tr("Duration"),
                self.tr("Operator")]

    def html(self) -> str:
        assert self.report is not None
        return report_html(self.report, self.centre, self.tr("Daily work report"),
                           self.headers(),
                           (self.tr("Overall"), self.tr("By type"), self.tr("By outcome")))

    def reload(self) -> None:
        day: date = self.day.date().toPython()
        operator_id = self.operator.currentData()
        services, actor = self.services, self.actor

        def load() -> tuple[DailyReport, str]:
            return (daily_report(services.db, actor, day, operator_id),
                    services.settings.get(CENTRE_NAME))

        Op(self, load).success(self._show).run()

    def _show(self, result: tuple[DailyReport, str]) -> None:
        self.report, self.centre = result
        self.view.setHtml(self.html())

    def print_report(self) -> None:
        if self.report is None:
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setPageOrientation(QPageLayout.Orientation.Landscape)
        preview = QPrintPreviewDialog(printer, self)
        preview.printer_ = printer  # keep it alive as long as the dialog
        document = QTextDocument()
        document.setHtml(self.html())
        preview.paintRequested.connect(lambda target: document.print_(target))
        preview.exec()
        preview.deleteLater()

    def export(self) -> None:
        if self.report is None:
            return
        suggested = self.tr("daily-report-{day}.xlsx").format(day=self.report.day.isoformat())
        path = save_path(self, FileKind.DAILY_REPORT, self.tr("Save the report"), suggested,
                         self.tr("Excel workbook (*.xlsx)"), ".xlsx")
        if not path:
            return
        report, centre = self.report, self.centre
        Op(self, lambda: export_daily_report(report, centre, path)) \
            .success(lambda target: offer_to_open(
                self, self.windowTitle(), self.tr("Saved to {path}.").format(path=target),
                target)) \
            .run()
