"""The customer list as a Qt model that fetches a page at a time from the service.

Rows are fetched only as the view scrolls (``canFetchMore``/``fetchMore``), off the UI thread;
a new search bumps a generation number so late pages of an old search are dropped.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont

from app.domain.customers import Tier
from app.services.customers import PAGE_SIZE, CustomerRow, SearchPage
from ui.operations import Op
from ui.text import local_time

_Index = QModelIndex | QPersistentModelIndex
Fetch = Callable[[str, int, int], SearchPage]

VIP_BACKGROUND = QColor("#fff4d6")
BLACKLIST_FOREGROUND = QColor("#b3261e")


class CustomerTableModel(QAbstractTableModel):
    COLUMNS = ("name", "title", "type", "tier", "phones", "units", "updated")
    loaded = Signal(int)  # total matching cards, after each new search

    def __init__(self, fetch: Fetch, parent=None) -> None:  # noqa: ANN001
        super().__init__(parent)
        self._fetch = fetch
        self.rows: list[CustomerRow] = []
        self.total = 0
        self.query = ""
        self._generation = 0
        self._loading = False

    # -- loading ---------------------------------------------------------------------------
    def search(self, query: str) -> None:
        self._generation += 1
        generation = self._generation
        self.query = query
        self._loading = True
        Op(self, lambda: self._fetch(query, 0, PAGE_SIZE)) \
            .success(lambda page: self._first_page(generation, page)) \
            .failure(lambda error: self._failed(generation, error)).run()

    def refresh(self) -> None:
        self.search(self.query)

    def _first_page(self, generation: int, page: SearchPage) -> None:
        if generation != self._generation:
            return
        self.beginResetModel()
        self.rows = list(page.rows)
        self.total = page.total
        self._loading = False
        self.endResetModel()
        self.loaded.emit(self.total)

    def _failed(self, generation: int, error: BaseException) -> None:
        if generation == self._generation:
            self._loading = False
        from ui.errors import show_error

        show_error(None, error)

    def canFetchMore(self, parent: _Index = QModelIndex()) -> bool:  # noqa: N802, B008
        return not parent.isValid() and not self._loading and len(self.rows) < self.total

    def fetchMore(self, parent: _Index = QModelIndex()) -> None:  # noqa: N802, B008
        if not self.canFetchMore(parent):
            return
        self._loading = True
        generation, query, offset = self._generation, self.query, len(self.rows)
        Op(self, lambda: self._fetch(query, offset, PAGE_SIZE)) \
            .success(lambda page: self._more(generation, page)) \
            .failure(lambda error: self._failed(generation, error)).run()

    def _more(self, generation: int, page: SearchPage) -> None:
        if generation != self._generation or page.offset != len(self.rows):
            return
        self._loading = False
        if not page.rows:
            self.total = len(self.rows)
            return
        first = len(self.rows)
        self.beginInsertRows(QModelIndex(), first, first + len(page.rows) - 1)
        self.rows.extend(page.rows)
        self.total = page.total
        self.endInsertRows()

    def is_loading(self) -> bool:
        return self._loading

    # -- the model -------------------------------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole):  # noqa: ANN201
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole \
                or not 0 <= section < len(self.COLUMNS):
            return None
        return (self.tr("Name"), self.tr("Title"), self.tr("Type"), self.tr("Tier"),
                self.tr("Phones"), self.tr("Units"), self.tr("Updated"))[section]

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: ANN201
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row = self.rows[index.row()]
        column = self.COLUMNS[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if column == "name":
                return row.name + (self.tr(" (do not call)") if row.do_not_call else "")
            if column == "title":
                return row.title.label
            if column == "type":
                return row.customer_type.label
            if column == "tier":
                return row.tier.label
            if column == "phones":
                return row.phones
            if column == "units":
                return row.units
            if column == "updated":
                return local_time(row.updated_at)
        if role == Qt.ItemDataRole.BackgroundRole and row.tier == Tier.VIP:
            return QBrush(VIP_BACKGROUND)
        if role == Qt.ItemDataRole.ForegroundRole and row.tier == Tier.BLACKLIST:
            return QBrush(BLACKLIST_FOREGROUND)
        if role == Qt.ItemDataRole.FontRole and column == "name" and row.tier != Tier.NORMAL:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.UserRole:
            return row.id
        return None

    def customer_id(self, row: int) -> int | None:
        return self.rows[row].id if 0 <= row < len(self.rows) else None
