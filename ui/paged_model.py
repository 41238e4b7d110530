"""A table model that fetches its rows a page at a time from a service, off the UI thread.

Rows are fetched only as the view scrolls (``canFetchMore``/``fetchMore``); a new query bumps a
generation number so late pages of an old query are dropped. Subclasses say which columns
there are and how a row shows.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any, Generic, Protocol, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from ui.operations import Op

_Index = QModelIndex | QPersistentModelIndex
Row = TypeVar("Row")


class Page(Protocol[Row]):  # type: ignore[misc]
    rows: list[Any]
    total: int
    offset: int


class PagedTableModel(QAbstractTableModel, Generic[Row]):
    loaded = Signal(int)  # total matching rows, after each new query

    def __init__(self, fetch: Callable[..., Page], page_size: int,
                 parent=None, position: Callable[[Row], Any] | None = None,  # noqa: ANN001
                 ) -> None:
        """``fetch(query, offset, limit, count)`` returns a page; with count False its total
        is -1 (counting once per query is enough). With ``position`` (a row's place in the
        list's order), later pages are fetched with ``after=position(last row)``: keyset
        paging, each page as quick as the first however far the user scrolls."""
        super().__init__(parent)
        self._fetch = fetch
        self._position = position
        self._headers: list[str] | None = None
        self.page_size = page_size
        self.rows: list[Row] = []
        self.total = 0
        self.query: Any = None
        self._generation = 0
        self._loading = False

    # -- subclasses ------------------------------------------------------------------------
    def headers(self) -> list[str]:
        raise NotImplementedError

    def cell(self, row: Row, column: int, role: int) -> Any:
        raise NotImplementedError

    # -- loading ---------------------------------------------------------------------------
    def search(self, query: Any) -> None:
        self._generation += 1
        generation, size = self._generation, self.page_size
        self.query = query
        self._loading = True
        Op(self, lambda: self._fetch(query, 0, size)) \
            .success(lambda page: self._first_page(generation, page)) \
            .failure(lambda error: self._failed(generation, error)).run()

    def refresh(self) -> None:
        self.search(self.query)

    def _first_page(self, generation: int, page: Page) -> None:
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
        generation, query, offset, size = (self._generation, self.query, len(self.rows),
                                           self.page_size)
        fetch = partial(self._fetch, query, offset, size, False)
        if self._position is not None and self.rows:
            fetch = partial(fetch, after=self._position(self.rows[-1]))
        Op(self, fetch) \
            .success(lambda page: self._more(generation, page)) \
            .failure(lambda error: self._failed(generation, error)).run()

    def _more(self, generation: int, page: Page) -> None:
        if generation != self._generation or page.offset != len(self.rows):
            return
        self._loading = False
        if not page.rows:
            self.total = len(self.rows)
            return
        first = len(self.rows)
        self.beginInsertRows(QModelIndex(), first, first + len(page.rows) - 1)
        self.rows.extend(page.rows)
        if page.total >= 0:
            self.total = page.total
        self.endInsertRows()

    def is_loading(self) -> bool:
        return self._loading

    # -- the model -------------------------------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.rows)

    def _columns(self) -> list[str]:
        if self._headers is None:  # asked for every cell: translate once
            self._headers = self.headers()
        return self._headers

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._columns())

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole):  # noqa: ANN201
        headers = self._columns()
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole \
                or not 0 <= section < len(headers):
            return None
        return headers[section]

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: ANN201
        if not index.isValid() or not 0 <= index.row() < len(self.rows) \
                or not 0 <= index.column() < len(self._columns()):
            return None
        return self.cell(self.rows[index.row()], index.column(), role)

    def row_at(self, row: int) -> Row | None:
        return self.rows[row] if 0 <= row < len(self.rows) else None
