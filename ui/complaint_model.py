"""The complaint list, a page at a time (see ``ui.paged_model``), most urgent first. Every
deadline has its own column, coloured by how it stands."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QListWidgetItem

from app import clock
from app.domain.complaints import Deadline, Severity, Urgency
from app.services.complaints import PAGE_SIZE, ComplaintRow
from ui.paged_model import PagedTableModel
from ui.text import local_time

URGENCY_BACKGROUND = {Urgency.OVERDUE: QColor("#fde7e9"), Urgency.DUE_SOON: QColor("#fff4d6")}
URGENCY_FOREGROUND = {Urgency.OVERDUE: QColor("#b3261e"), Urgency.DUE_SOON: QColor("#8a5a00"),
                      Urgency.LATE: QColor("#b3261e")}
SEVERITY_FOREGROUND = {Severity.URGENT: QColor("#b3261e"), Severity.SERIOUS: QColor("#8a5a00")}

DEADLINE_COLUMNS = {7: 0, 8: 1}  # column → index in ComplaintRow.deadlines


def deadline_text(deadline: Deadline, now) -> str:  # noqa: ANN001
    """"11-23 12:00 overdue": the due time, and its state when it matters."""
    if deadline.due_at is None:
        return ""
    state = deadline.urgency(now)
    due = local_time(deadline.due_at)[5:]  # the year is clear from the list's dates
    if state == Urgency.MET:
        return f"{due} ✓"  # met: a tick is enough, the late ones need the words
    if state in (Urgency.OVERDUE, Urgency.DUE_SOON, Urgency.LATE):
        return f"{due} {state.label}"
    return due


class ComplaintTableModel(PagedTableModel[ComplaintRow]):
    def __init__(self, fetch, parent=None) -> None:  # noqa: ANN001
        super().__init__(fetch, PAGE_SIZE, parent)

    def headers(self) -> list[str]:
        return [self.tr("Number"), self.tr("Status"), self.tr("Severity"), self.tr("Category"),
                self.tr("Customer"), self.tr("Unit"), self.tr("Department"),
                self.tr("Response due"), self.tr("Resolution due"), self.tr("What happened"),
                self.tr("Registered")]

    def cell(self, row: ComplaintRow, column: int, role: int) -> Any:
        now = clock.utcnow()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if column in DEADLINE_COLUMNS:
                return deadline_text(row.deadlines[DEADLINE_COLUMNS[column]], now)
            status = row.status.label
            if row.reopen_count:
                status += f" ×{row.reopen_count}" if role == Qt.ItemDataRole.DisplayRole \
                    else " " + self.tr("(reworked {n} time(s))").format(n=row.reopen_count)
            return (row.number, status, row.severity.label, row.category.label,
                    row.customer_name or row.phone, row.unit_label,
                    " ".join(p for p in (row.department_name, row.assignee) if p), "", "",
                    row.description.replace("\n", " "), local_time(row.created_at))[column]
        if role == Qt.ItemDataRole.BackgroundRole:
            urgency = row.urgency(now)
            if column in DEADLINE_COLUMNS:
                urgency = row.deadlines[DEADLINE_COLUMNS[column]].urgency(now) \
                    if row.status.is_open else Urgency.NONE
            return QBrush(URGENCY_BACKGROUND[urgency]) if urgency in URGENCY_BACKGROUND \
                else None
        if role == Qt.ItemDataRole.ForegroundRole:
            if column in DEADLINE_COLUMNS:
                urgency = row.deadlines[DEADLINE_COLUMNS[column]].urgency(now)
                return QBrush(URGENCY_FOREGROUND[urgency]) if urgency in URGENCY_FOREGROUND \
                    else None
            if column == 2 and row.severity in SEVERITY_FOREGROUND:
                return QBrush(SEVERITY_FOREGROUND[row.severity])
            return None
        if role == Qt.ItemDataRole.FontRole and column == 0 and row.urgency(now) == \
                Urgency.OVERDUE:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.UserRole:
            return row.id
        return None


def complaint_item(row: ComplaintRow, now, with_date: bool = False) -> QListWidgetItem:  # noqa: ANN001
    """One complaint in a short list (the pop-up, the card): number, state, what, and the
    deadline's state when it matters; red when overdue."""
    urgency = row.urgency(now)
    late = f"  [{urgency.label}]" if urgency in (Urgency.OVERDUE, Urgency.DUE_SOON) else ""
    date = f"{local_time(row.created_at)}  " if with_date else ""
    item = QListWidgetItem(f"{date}{row.number}  {row.status.label}  {row.category.label}  "
                           f"{row.description[:40]}{late}")
    item.setData(Qt.ItemDataRole.UserRole, row.id)
    if urgency == Urgency.OVERDUE:
        item.setForeground(QBrush(URGENCY_FOREGROUND[Urgency.OVERDUE]))
    return item
