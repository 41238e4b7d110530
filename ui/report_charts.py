"""The reports tab's chart helpers. Imported when the tab is first shown, so Qt Charts
loads then and not at every sign-in (most desks never open the tab)."""

from __future__ import annotations

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QSizePolicy


def chart_view(key: str) -> QChartView:
    view = QChartView()
    view.setObjectName(f"chart_{key}")
    view.setRenderHint(QPainter.RenderHint.Antialiasing)
    view.setMinimumHeight(300)
    # The chart's own size would set the row height (a view shows its scene whole): the
    # rows take 300 px each and share what else there is.
    view.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Ignored)
    return view


def new_chart(title: str) -> QChart:
    chart = QChart()
    chart.setTitle(title)
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    chart.setMargins(QMargins(4, 4, 4, 4))
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    return chart


def count_axis(top: float) -> QValueAxis:
    """A count axis with whole-number ticks (0, 2, 4 …), never 0.5 or a repeated label."""
    top = max(1, int(top + 0.999))
    step = max(1, -(-top // 5))
    axis = QValueAxis()
    axis.setLabelFormat("%d")
    axis.setRange(0, step * (-(-top // step)))
    axis.setTickCount(int(-(-top // step)) + 1)
    return axis


def bar_chart(title: str, sets: list[tuple[str, list[float]]], categories: list[str],
              horizontal: bool = False) -> QChart:
    """Bars per category; horizontal when the names are long (categories, departments), so
    every name can be read in full."""
    chart = new_chart(title)
    series = QHorizontalBarSeries() if horizontal else QBarSeries()
    for label, values in sets:
        bar = QBarSet(label)
        bar.append(values)
        series.append(bar)
    chart.addSeries(series)
    names = QBarCategoryAxis()
    names.append(list(reversed(categories)) if horizontal else categories)
    font = names.labelsFont()
    font.setPointSizeF(8)  # ten categories must each have room for their name
    names.setLabelsFont(font)
    names.setTruncateLabels(False)
    top = max([max(v) for _l, v in sets if v] + [1])
    counts = count_axis(top)
    if horizontal:
        for bar in series.barSets():  # the first category on top, as in a table
            values = [bar.at(i) for i in range(bar.count())]
            bar.remove(0, bar.count())
            bar.append(list(reversed(values)))
        chart.addAxis(names, Qt.AlignmentFlag.AlignLeft)
        chart.addAxis(counts, Qt.AlignmentFlag.AlignBottom)
    else:
        chart.addAxis(names, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(counts, Qt.AlignmentFlag.AlignLeft)
    series.attachAxis(names)
    series.attachAxis(counts)
    chart.legend().setVisible(len(sets) > 1)
    return chart
