"""The callback queue, a page at a time (see ``ui.paged_model``): the most overdue first."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor

from app import clock
from app.domain.calls import CallbackStatus
from app.services.callbacks import PAGE_SIZE, CallbackRow
from ui.paged_model import PagedTableModel
from ui.text import local_time

OVERDUE_BACKGROUND = QColor("#fde7e9")
OVERDUE_FOREGROUND = QColor("#b3261e")
FAILED_FOREGROUND = QColor("#8a5a00")


class CallbackTableModel(PagedTableModel[CallbackRow]):
    def __init__(self, fetch, parent=None) -> None:  # noqa: ANN001
        super().__init__(fetch, PAGE_SIZE, parent)

    def headers(self) -> list[str]:
        return [self.tr("Due"), self.tr("Kind"), self.tr("Customer"), self.tr("Number"),
                self.tr("Complaint"), self.tr("Tries"), self.tr("Status"), self.tr("Result"),
                self.tr("Reviewed")]

    def cell(self, row: CallbackRow, column: int, role: int) -> Any:
        now = clock.utcnow()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            due = local_time(row.due_at)
            if row.is_overdue(now):
                due += " " + self.tr("overdue")
            complaint = " ".join(p for p in (row.complaint_number, row.complaint_summary) if p)
            result = row.satisfaction.label if row.satisfaction else ""
            if row.status in (CallbackStatus.FAILED, CallbackStatus.SKIPPED) and row.note:
                result = row.note
            elif row.comment:
                result = f"{result} {row.comment}".strip()
            reviewed = (f"{local_time(row.reviewed_at)} {row.reviewed_by}"
                        if row.reviewed_at else "")
            name = row.greeting_name or row.customer_name
            if row.do_not_call:
                name += " " + self.tr("(do not call)")
            return (due, row.reason.label, name, row.phone, complaint, str(row.attempts),
                    row.status.label, result, reviewed)[column]
        if role == Qt.ItemDataRole.BackgroundRole and row.is_overdue(now):
            return QBrush(OVERDUE_BACKGROUND)
        if role == Qt.ItemDataRole.ForegroundRole:
            if row.is_overdue(now) and column == 0:
                return QBrush(OVERDUE_FOREGROUND)
            if row.status == CallbackStatus.FAILED:
                return QBrush(FAILED_FOREGROUND)
        if role == Qt.ItemDataRole.UserRole:
            return row.id
        return None
