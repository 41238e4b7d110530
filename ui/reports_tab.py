"""统计报表: a month's figures with the previous month beside them, the charts leadership
asks about, and the monthly callback workbook (回访客户月统计表) to export."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.domain.calls import CallType
from app.domain.roles import Actor, Permission
from app.services import Services
from app.settings import CENTRE_NAME
from ui.file_dialogs import FileKind, offer_to_open, save_path
from ui.forms import name, shortcut
from ui.operations import Op

if TYPE_CHECKING:
    from PySide6.QtCharts import QChart, QChartView

    from app.reports.monthly import Kpis, Month, MonthlyReport, OwnFigures, OwnReport

MONTHS_BACK = 24
# The tiles: (Kpis field, kind) — kind says how to show the value; which way is better is
# the figure's own (app.reports.monthly.better). A row each: complaints, complaint callbacks
# (回访), calls and the missed-call callbacks (回拨), which are counted apart.
TILES = [
    ("complaints_received", "count"), ("resolved_on_time_rate", "rate"),
    ("average_resolve_hours", "hours"), ("complaints_reopened", "count"),
    ("complaints_closed", "count"), ("satisfaction_rate", "rate"),
    ("callbacks_due", "count"), ("callbacks_done", "count"),
    ("callbacks_on_time_rate", "rate"), ("callbacks_failed", "count"),
    ("callbacks_overdue", "count"), ("callbacks_reviewed", "count"),
    ("calls_received", "count"), ("average_handle_seconds", "seconds"),
    ("first_call_resolution", "rate"), ("missed_callbacks_due", "count"),
    ("missed_callbacks_on_time_rate", "rate"), ("missed_callbacks_overdue", "count"),
]
GOOD, BAD = QColor("#1a7f37"), QColor("#b3261e")
CHARTS = ("daily_calls", "categories", "satisfaction", "callbacks", "overdue")


def _value_text(value: float | int | None, kind: str) -> str:
    if value is None:
        return "—"
    if kind == "rate":
        return f"{value * 100:.1f}%"
    if kind == "hours":
        return f"{value:.1f}"
    if kind == "seconds":
        return f"{value:.0f}"
    return str(value)


class KpiTile(QFrame):
    """One figure, large, with last month's beside it and the change coloured by whether
    it is better or worse."""

    def __init__(self, field: str, label: str, kind: str, definition: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field, self.kind = field, kind
        self.good: bool | None = None  # whether the change from last month is for the better
        self.setObjectName(f"kpi_{field}")
        self.setAccessibleName(label)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.title = QLabel(label)
        self.title.setWordWrap(True)
        self.setToolTip(definition)  # how the figure is computed, as on the 说明 sheet
        self.setAccessibleDescription(definition)
        self.note = QLabel(self._note(field))
        self.note.setObjectName(f"kpi_{field}_note")
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #555; font-size: 11px;")
        self.note.setVisible(bool(self.note.text()))
        self.value = QLabel("—")
        self.value.setObjectName(f"kpi_{field}_value")
        self.value.setStyleSheet("font-size: 22px; font-weight: bold;")
        self.previous = QLabel("")
        self.previous.setObjectName(f"kpi_{field}_previous")
        self.previous.setWordWrap(True)  # six tiles a row must fit 1024 px, in English too
        self.previous.setStyleSheet("color: #555;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addWidget(self.title)
        layout.addWidget(self.note)
        layout.addWidget(self.value)
        layout.addWidget(self.previous)

    def _note(self, field: str) -> str:
        """A line under the title of a figure whose name alone does not say which callbacks
        it covers."""
        if field == "callbacks_on_time_rate":
            return self.tr("Complaint callbacks only, not missed-call callbacks")
        if field == "missed_callbacks_on_time_rate":
            return self.tr("Callbacks to missed calls only")
        return ""

    def show_values(self, now: Kpis, before: Kpis, to_date: bool = False) -> None:
        """The figure, and last month's beside it: the same days of last month when this
        month is not over (``to_date``). The change is green when it is for the better and
        red when for the worse, by the figure's own direction (fewer complaints is better);
        a volume that is neither stays grey."""
        from app.reports.monthly import change_is_good

        current, previous = getattr(now, self.field), getattr(before, self.field)
        self.value.setText(_value_text(current, self.kind))
        change = ""
        self.good = None
        if current is not None and previous is not None:
            difference = current - previous
            if self.kind == "rate":
                change = f"{difference * 100:+.1f}"
            elif self.kind in ("hours", "seconds"):
                change = f"{difference:+.1f}"
            else:
                change = f"{difference:+d}"
            self.good = change_is_good(self.field, difference)
        shown = _value_text(previous, self.kind)
        text = (self.tr("same days last month {value}") if to_date
                else self.tr("last month {value}")).format(value=shown)
        if change:
            text += f"  ({change})"
        self.previous.setText(text)
        color = None if self.good is None else (GOOD if self.good else BAD)
        self.previous.setStyleSheet(f"color: {color.name()};" if color else "color: #555;")


# An operator's own figures (app.reports.monthly.OwnFigures field, kind).
OWN_TILES = [
    ("calls_received", "count"), ("average_handle_seconds", "seconds"),
    ("first_call_resolution", "rate"), ("complaints_registered", "count"),
    ("callbacks_done", "count"),
]


class OwnTile(QFrame):
    """One of the signed-in person's own figures: today's, large, and the month's so far."""

    def __init__(self, field: str, label: str, kind: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field, self.kind = field, kind
        self.setObjectName(f"own_{field}")
        self.setAccessibleName(label)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        title = QLabel(label)
        title.setWordWrap(True)
        today = QLabel(self.tr("today"))
        today.setStyleSheet("color: #555;")
        self.value = QLabel("—")
        self.value.setObjectName(f"own_{field}_today")
        self.value.setStyleSheet("font-size: 22px; font-weight: bold;")
        self.month = QLabel("")
        self.month.setObjectName(f"own_{field}_month")
        self.month.setStyleSheet("color: #555;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addWidget(title)
        layout.addWidget(today)
        layout.addWidget(self.value)
        layout.addWidget(self.month)

    def show_values(self, today: OwnFigures, month: OwnFigures) -> None:
        self.value.setText(_value_text(getattr(today, self.field), self.kind))
        self.month.setText(self.tr("this month {value}").format(
            value=_value_text(getattr(month, self.field), self.kind)))
        self.setAccessibleDescription(self.value.text() + " " + self.month.text())


class ReportsTab(QWidget):
    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services, self.actor = services, actor
        self.report: MonthlyReport | None = None
        self.own: OwnReport | None = None  # an operator's own day and month
        self.own_tiles: list[OwnTile] = []
        self.setObjectName("reportsTab")
        self.setAccessibleName(self.tr("Reports"))

        self.month = name(QComboBox(), "reportMonthCombo", self.tr("Month"))
        today = QDate.currentDate()
        for back in range(MONTHS_BACK):
            day = today.addMonths(-back)
            self.month.addItem(day.toString("yyyy-MM"), f"{day.year()}-{day.month():02d}")
        self.export_button = name(QPushButton(self.tr("E&xport the monthly workbook… "
                                                      "(Ctrl+E)")),
                                  "exportMonthlyButton",
                                  self.tr("Export the monthly callback statistics"))
        self.export_button.clicked.connect(self.export)
        # Filled (and refreshed) with each report; the data is None for "all".
        self.estate = name(QComboBox(), "reportEstateCombo", self.tr("Estate"))
        self.estate.addItem(self.tr("All estates"), None)
        self.estate.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.department = name(QComboBox(), "reportDepartmentCombo", self.tr("Department"))
        self.department.addItem(self.tr("All departments"), None)
        self.department.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.status = name(QLabel(), "reportStatusLabel", self.tr("Report status"))
        self.status.setWordWrap(True)
        top = QHBoxLayout()
        caption = QLabel(self.tr("&Month:"))
        caption.setBuddy(self.month)
        top.addWidget(caption)
        top.addWidget(self.month)
        caption = QLabel(self.tr("E&state:"))
        caption.setBuddy(self.estate)
        top.addWidget(caption)
        top.addWidget(self.estate)
        caption = QLabel(self.tr("&Department:"))
        caption.setBuddy(self.department)
        top.addWidget(caption)
        top.addWidget(self.department)
        top.addWidget(self.status, 1)
        top.addWidget(self.export_button)

        # The tiles and charts are made when the tab is first shown (see _build_body): the
        # report module and Qt Charts then load, not at sign-in.
        self.tiles: list[KpiTile] = []
        self.charts: dict[str, QChartView] = {}
        self._tile_grid = QGridLayout()
        self._chart_grid = QGridLayout()
        # Equal columns: the views arrive while the tab is first shown, with their charts'
        # own size hints, which would otherwise set the widths.
        for column in range(6):
            self._tile_grid.setColumnStretch(column, 1)
        for column in range(3):
            self._chart_grid.setColumnStretch(column, 1)

        body = QWidget()
        self._body_layout = body_layout = QVBoxLayout(body)
        body_layout.addLayout(self._tile_grid)
        body_layout.addLayout(self._chart_grid, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(scroll, 1)

        allowed = actor.can(Permission.VIEW_MONTHLY_REPORT)
        # An operator sees their own day and month (never a screen of "—"): the centre's
        # month, its filters and its workbook are for supervisors.
        for widget in (self.month, self.estate, self.department, self.export_button):
            widget.setEnabled(allowed)
            widget.setVisible(allowed)
        for index in range(top.count()):
            caption = top.itemAt(index).widget()
            if isinstance(caption, QLabel) and caption is not self.status:
                caption.setVisible(allowed)
        if not allowed:
            self.status.setText(self.tr("Your own figures: today, and this month so far. The "
                                        "centre's monthly statistics are for supervisors."))
        shortcut("Ctrl+E", self, self.export, Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.month.currentIndexChanged.connect(lambda _i: self.reload())
        self.estate.currentIndexChanged.connect(lambda _i: self.reload())
        self.department.currentIndexChanged.connect(lambda _i: self.reload())
        self._loaded_once = False
        self._asked = 0  # reloads asked for: only the latest one's answer is shown

    def showEvent(self, event) -> None:  # noqa: ANN001, N802
        # Computed when first looked at, not at sign-in: most desks never open this tab.
        super().showEvent(event)
        if not self._loaded_once:
            self._loaded_once = True
            self._build_body()
            self.reload()

    def _build_body(self) -> None:
        """The figure tiles and the chart views, made once; an operator's own tiles."""
        if self.tiles or self.own_tiles:
            return
        if not self.actor.can(Permission.VIEW_MONTHLY_REPORT):
            from app.reports.monthly import own_labels

            labels = own_labels()
            self.own_tiles = [OwnTile(field, labels[field], kind) for field, kind in OWN_TILES]
            for index, tile in enumerate(self.own_tiles):
                self._tile_grid.addWidget(tile, 0, index)
            self._body_layout.setStretch(1, 0)  # no charts: the tiles keep their height
            self._body_layout.addStretch(1)
            return
        from app.reports.monthly import kpi_definitions, kpi_labels
        from ui.report_charts import chart_view

        labels, definitions = kpi_labels(), kpi_definitions()
        self.tiles = [KpiTile(field, labels.get(field, field), kind, definitions.get(field, ""))
                      for field, kind in TILES]
        for index, tile in enumerate(self.tiles):
            self._tile_grid.addWidget(tile, index // 6, index % 6)
        for index, key in enumerate(CHARTS):
            self.charts[key] = chart_view(key)
            self._chart_grid.addWidget(self.charts[key], index // 3, index % 3)

    def selected_month(self) -> Month:
        from app.reports.monthly import Month

        return Month.parse(self.month.currentData())

    def selected_estate(self) -> str | None:
        return self.estate.currentData()

    def selected_department(self) -> int | None:
        return self.department.currentData()

    def reload(self) -> None:
        if not self.actor.can(Permission.VIEW_MONTHLY_REPORT):
            self._reload_own()
            return
        from app.reports.monthly import estates, monthly_report

        services, actor, month = self.services, self.actor, self.selected_month()
        estate, department_id = self.selected_estate(), self.selected_department()
        self.status.setText(self.tr("Counting…"))
        self._asked += 1
        asked = self._asked

        def compute() -> tuple[MonthlyReport, list[str], list[tuple[int, str]]]:
            report = monthly_report(services.db, actor, month,
                                    services.settings.get(CENTRE_NAME), estate=estate,
                                    department_id=department_id)
            departments = [(d.id, d.name) for d in services.departments.list()]
            return report, estates(services.db), departments

        Op(self, compute).success(lambda result: self._computed(asked, result)).run()

    def _reload_own(self) -> None:
        from app.reports.monthly import own_report

        services, actor = self.services, self.actor
        self._asked += 1
        asked = self._asked
        Op(self, lambda: own_report(services.db, actor)) \
            .success(lambda own: self.show_own(own) if asked == self._asked else None).run()

    def show_own(self, own: OwnReport) -> None:
        self.own = own
        self._build_body()
        for tile in self.own_tiles:
            tile.show_values(own.today, own.month)
        self.status.setText(self.tr("{name}, your own figures: today ({day}), and this month "
                                    "so far. The centre's monthly statistics are for "
                                    "supervisors.").format(name=own.name,
                                                           day=own.day.strftime("%m-%d")))

    def _computed(self, asked: int,
                  result: tuple[MonthlyReport, list[str], list[tuple[int, str]]]) -> None:
        report, estates, departments = result
        self._fill(self.estate, [(e, e) for e in estates])
        self._fill(self.department, [(name_, id_) for id_, name_ in departments])
        if asked == self._asked:  # an older answer arriving late is dropped
            self.show_report(report)

    @staticmethod
    def _fill(combo: QComboBox, choices: list[tuple[str, object]]) -> None:
        """The choices after "All …", keeping the current one (even if it has gone)."""
        current = combo.currentData()
        if current is not None and all(data != current for _t, data in choices):
            choices = [(combo.currentText(), current), *choices]
        combo.blockSignals(True)
        try:
            while combo.count() > 1:
                combo.removeItem(1)
            for text, data in choices:
                combo.addItem(text, data)
            index = combo.findData(current) if current is not None else 0
            combo.setCurrentIndex(max(0, index))
        finally:
            combo.blockSignals(False)

    def show_report(self, report: MonthlyReport) -> None:
        self.report = report
        self.status.setText(self.status_text(report))
        self._build_body()
        for tile in self.tiles:
            tile.show_values(report.kpis, report.previous, report.to_date)
        self._charts(report)

    def status_text(self, report: MonthlyReport) -> str:
        """Which stretch the figures cover and what they are compared with: a closed month
        with the whole month before it; the month so far with the same days of the month
        before (to the same day and time)."""
        previous = str(report.month.previous)
        if report.to_date and report.as_of is not None and report.previous_end is not None:
            text = self.tr("{month} to date ({now}), compared with the same days of {previous} "
                           "(to {then})").format(
                month=str(report.month), previous=previous,
                now=report.as_of.astimezone().strftime("%m-%d %H:%M"),
                then=report.previous_end.astimezone().strftime("%m-%d %H:%M"))
        else:
            text = self.tr("{month}, the whole month, compared with {previous}").format(
                month=str(report.month), previous=previous)
        narrowed = " / ".join(part for part in (report.estate, report.department) if part)
        if narrowed:
            text += " " + self.tr("Only {filters} (calls are not filtered by department).") \
                .format(filters=narrowed)
        return text

    def _charts(self, report: MonthlyReport) -> None:
        from PySide6.QtCharts import QPieSeries

        from ui.report_charts import bar_chart, new_chart

        self.charts["daily_calls"].setChart(self._daily_chart(report))

        rows = report.by_category
        self.charts["categories"].setChart(bar_chart(
            self.tr("Complaints by category"),
            [(self.tr("Received"), [r.received for r in rows])],
            [r.category.label for r in rows], horizontal=True))

        satisfaction = new_chart(self.tr("Satisfaction"))
        pie = QPieSeries()
        k = report.kpis
        for label, value in ((self.tr("Satisfied"), k.satisfied),
                             (self.tr("Fairly satisfied"), k.fairly_satisfied),
                             (self.tr("Unsatisfied"), k.unsatisfied)):
            if value:
                pie.append(f"{label} {value}", value)
        satisfaction.addSeries(pie)
        self.charts["satisfaction"].setChart(satisfaction)

        self.charts["callbacks"].setChart(bar_chart(
            self.tr("Callbacks due and done"),
            [(self.tr("This month"), [k.callbacks_due, k.callbacks_done, k.callbacks_failed,
                                      k.callbacks_pending])],
            [self.tr("Due"), self.tr("Done"), self.tr("Failed"), self.tr("Pending")]))

        # The backlog now, whenever the complaints were registered, undispatched ones too:
        # the month's own complaints are rarely overdue yet (it used to show only those).
        overdue = report.overdue_now
        self.charts["overdue"].setChart(bar_chart(
            self.tr("Open complaints overdue now, by department"),
            [(self.tr("Overdue"), [count for _d, count in overdue])],
            [department or self.tr("Not dispatched yet") for department, _c in overdue],
            horizontal=True))

    def _daily_chart(self, report: MonthlyReport) -> QChart:
        """Answered calls per day, stacked by call type: one bar set per type the month has."""
        from PySide6.QtCharts import QBarSet, QCategoryAxis, QStackedBarSeries

        from ui.report_charts import count_axis, new_chart

        daily = new_chart(self.tr("Calls per day by type"))
        series = QStackedBarSeries()
        series.setBarWidth(0.8)
        per_day = report.daily_calls_by_type
        for kind in CallType:
            if not any(kinds.get(kind) for _d, kinds in per_day):
                continue
            bar = QBarSet(kind.label)
            bar.append([float(kinds.get(kind, 0)) for _d, kinds in per_day])
            series.append(bar)
        daily.addSeries(series)
        # The bars stand at 0, 1, 2 …: the day numbers are written under every 5th one (and
        # the 1st), 31 numbers would not fit a third of the window.
        days = QCategoryAxis()
        days.setLabelsPosition(QCategoryAxis.AxisLabelsPosition.AxisLabelsPositionOnValue)
        days.setRange(-0.5, max(1, len(per_day)) - 0.5)
        for index, (day, _kinds) in enumerate(per_day):
            if day.day == 1 or day.day % 5 == 0:
                days.append(str(day.day), index)
        days.setGridLineVisible(False)
        daily.addAxis(days, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(days)
        counts = count_axis(max([c for _d, c in report.daily_calls] + [1]))
        daily.addAxis(counts, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(counts)
        daily.legend().setVisible(bool(series.barSets()))
        return daily

    # -- the workbook ----------------------------------------------------------------------
    def export(self) -> None:
        if not self.export_button.isEnabled():
            return
        month = self.selected_month()
        estate, department_id = self.selected_estate(), self.selected_department()
        path = save_path(
            self, FileKind.MONTHLY_WORKBOOK, self.tr("Export the monthly workbook"),
            self.tr("Monthly callback statistics {month}.xlsx").format(month=str(month)),
            self.tr("Excel workbook (*.xlsx)"), ".xlsx")
        if not path:
            return
        from app.exporters.monthly_callbacks import write_monthly_callbacks
        from app.reports.monthly import definitions, monthly_report

        services, actor = self.services, self.actor
        counting = self.tr("Counting the month…")

        def job():  # noqa: ANN202 - a generator: progress, and cancel between steps
            yield 0, 0, counting
            report = monthly_report(services.db, actor, month, services.settings.get(CENTRE_NAME),
                                    estate=estate, department_id=department_id)
            return (yield from write_monthly_callbacks(report, path, definitions()))

        Op(self, job).disabling(self.export_button).success(self._exported) \
            .failure(self._export_failed).with_progress(self.tr("Exporting {month}…").format(month=str(month)),
                           cancellable=True).run()

    def _exported(self, path) -> None:  # noqa: ANN001
        self.status.setText(self.tr("Saved: {path}").format(path=str(path)))
        offer_to_open(self, self.tr("Export the monthly workbook"),
                      self.tr("Saved: {path}").format(path=str(path)), path)

    def _export_failed(self, error: BaseException) -> None:
        from ui.errors import show_error

        show_error(self, error)
