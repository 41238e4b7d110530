"""The card's 往来记录: the customer's calls, complaints and callbacks as one paged table."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from app.services.customer_activity import ActivityKind, ActivityRow
from ui.paged_model import PagedTableModel
from ui.text import local_time

PAGE_SIZE = 50


class ActivityTableModel(PagedTableModel[ActivityRow]):
    def __init__(self, fetch, parent=None) -> None:  # noqa: ANN001
        """``fetch(customer_id, offset, limit, count)``, e.g. CustomerActivityService.page."""
        super().__init__(fetch, PAGE_SIZE, parent)

    def row_id(self, row: ActivityRow) -> Any:
        return row.kind, row.id  # a call and a complaint may share a number

    def headers(self) -> list[str]:
        return [self.tr("When"), self.tr("Kind"), self.tr("What"), self.tr("Details"),
                self.tr("Result"), self.tr("By")]

    def cell(self, row: ActivityRow, column: int, role: int) -> Any:
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            detail = row.detail if role == Qt.ItemDataRole.ToolTipRole \
                else " ".join(row.detail.split())
            return (local_time(row.at), row.kind.label, row.subject, detail, row.state,
                    row.user_name)[column]
        if role == Qt.ItemDataRole.UserRole:
            return row.complaint_id
        if role == Qt.ItemDataRole.FontRole and row.kind == ActivityKind.COMPLAINT \
                and column == 2:
            from PySide6.QtGui import QFont

            font = QFont()
            font.setBold(True)
            return font
        return None
