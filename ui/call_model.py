"""The call list, a page at a time (see ``ui.paged_model``); newest first."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor

from app.services.calls import PAGE_SIZE, CallRow, list_position
from ui.paged_model import PagedTableModel
from ui.text import local_time

MISSED_FOREGROUND = QColor("#b3261e")


def duration_text(seconds: int) -> str:
    return f"{seconds // 60:02d}:{seconds % 60:02d}"


class CallTableModel(PagedTableModel[CallRow]):
    def __init__(self, fetch, parent=None) -> None:  # noqa: ANN001
        super().__init__(fetch, PAGE_SIZE, parent, position=list_position)

    def headers(self) -> list[str]:
        return [self.tr("Time"), self.tr("Direction"), self.tr("Number"), self.tr("Caller"),
                self.tr("Unit"), self.tr("Type"), self.tr("Summary"), self.tr("Outcome"),
                self.tr("Duration"), self.tr("Operator")]

    def cell(self, row: CallRow, column: int, role: int) -> Any:
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if row.missed:
                kind, outcome = self.tr("Missed"), ""
            else:
                kind = row.call_type.label if row.call_type else ""
                outcome = row.outcome.label if row.outcome else ""
                if row.department_name:
                    outcome = f"{outcome}（{row.department_name}）"
            return (local_time(row.received_at), row.direction.label, row.phone,
                    row.customer_name, row.unit_label, kind, row.summary, outcome,
                    duration_text(row.duration_seconds), row.operator_name)[column]
        if role == Qt.ItemDataRole.ForegroundRole and row.missed:
            return QBrush(MISSED_FOREGROUND)
        if role == Qt.ItemDataRole.UserRole:
            return row.id
        return None
