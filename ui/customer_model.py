"""The customer list, a page at a time (see ``ui.paged_model``)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont

from app.domain.customers import Tier
from app.services.customers import PAGE_SIZE, CustomerRow, list_position
from ui.paged_model import PagedTableModel
from ui.text import local_time

VIP_BACKGROUND = QColor("#fff4d6")
BLACKLIST_FOREGROUND = QColor("#b3261e")


class CustomerTableModel(PagedTableModel[CustomerRow]):
    def __init__(self, fetch, parent=None) -> None:  # noqa: ANN001
        super().__init__(fetch, PAGE_SIZE, parent, position=list_position)

    def headers(self) -> list[str]:
        return [self.tr("Name"), self.tr("Title"), self.tr("Type"), self.tr("Tier"),
                self.tr("Phones"), self.tr("Units"), self.tr("Updated")]

    def cell(self, row: CustomerRow, column: int, role: int) -> Any:
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return (
                row.name + (self.tr(" (do not call)") if row.do_not_call else ""),
                row.title.label, row.customer_type.label, row.tier.label, row.phones,
                row.units, local_time(row.updated_at),
            )[column]
        if role == Qt.ItemDataRole.BackgroundRole and row.tier == Tier.VIP:
            return QBrush(VIP_BACKGROUND)
        if role == Qt.ItemDataRole.ForegroundRole and row.tier == Tier.BLACKLIST:
            return QBrush(BLACKLIST_FOREGROUND)
        if role == Qt.ItemDataRole.FontRole and column == 0 and row.tier != Tier.NORMAL:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.UserRole:
            return row.id
        return None

    def customer_id(self, row: int) -> int | None:
        found = self.row_at(row)
        return found.id if found else None
