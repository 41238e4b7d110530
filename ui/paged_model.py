"""A table model that fetches its rows a page at a time from a service, off the UI thread.

Rows are fetched only as the view scrolls (``canFetchMore``/``fetchMore``); a new query bumps a
generation number so late pages of an old query are dropped. Subclasses say which columns
there are and how a row shows.

A refresh (the same query again, after a save or when another desk changed something)
fetches as many rows as were shown, and a view given to ``keep_place`` keeps its selection
(by row id) and scroll position across it: the list stays where the user was.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any, Generic, Protocol, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtWidgets import QTableView

from ui.operations import Op

_Index = QModelIndex | QPersistentModelIndex
Row = TypeVar("Row")
# A refresh fetches the rows already shown, up to this many pages (beyond, the first page).
REFRESH_PAGES = 10


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
        self.refreshing = False  # the rows being replaced are those of the same query

    # -- subclasses ------------------------------------------------------------------------
    def headers(self) -> list[str]:
        raise NotImplementedError

    def cell(self, row: Row, column: int, role: int) -> Any:
        raise NotImplementedError

    # -- loading ---------------------------------------------------------------------------
    def row_id(self, row: Row) -> Any:
        """What identifies a row across queries (its database id)."""
        return getattr(row, "id", None)

    def search(self, query: Any) -> None:
        """Shows the rows ``query`` matches; the same query again is a refresh: as many
        rows as are shown now come back, so the view keeps its place."""
        self._generation += 1
        refresh = self.query is not None and query == self.query
        size = self.page_size
        if refresh:
            size = max(size, min(len(self.rows), size * REFRESH_PAGES))
        generation = self._generation
        self.query = query
        self._loading = True
        Op(self, lambda: self._fetch(query, 0, size)) \
            .success(lambda page: self._first_page(generation, page, refresh)) \
            .failure(lambda error: self._failed(generation, error)).run()

    def refresh(self) -> None:
        if self.query is not None:  # cleared: nothing to ask for again
            self.search(self.query)

    def clear(self) -> None:
        """No rows and no query (the filters cannot be asked, e.g. dates in the wrong
        order); an answer still on its way is dropped."""
        self._generation += 1
        self.beginResetModel()
        self.rows, self.total, self.query, self._loading = [], 0, None, False
        self.endResetModel()
        self.loaded.emit(0)

    def _first_page(self, generation: int, page: Page, refresh: bool = False) -> None:
        if generation != self._generation:
            return
        self.refreshing = refresh
        self.beginResetModel()
        self.rows = list(page.rows)
        self.total = page.total
        self._loading = False
        self.endResetModel()
        self.refreshing = False
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

    def find(self, row_id: Any) -> int:
        """The row number of the row with this id, or -1."""
        return next((n for n, row in enumerate(self.rows) if self.row_id(row) == row_id), -1)


class _Place:
    """Where the user is in a table: the chosen rows (by id) and how far it is scrolled."""

    def __init__(self, table: QTableView, model: PagedTableModel) -> None:
        self.table, self.model = table, model
        self.ids: list[Any] = []
        self.current: Any = None
        self.first_row = -1
        self.scroll = 0
        model.modelAboutToBeReset.connect(self.remember)
        model.modelReset.connect(self.restore)

    def remember(self) -> None:
        selection = self.table.selectionModel()
        rows = sorted(index.row() for index in selection.selectedRows()) if selection else []
        self.ids = [self.model.row_id(self.model.rows[r]) for r in rows
                    if 0 <= r < len(self.model.rows)]
        self.first_row = rows[0] if rows else -1
        current = selection.currentIndex() if selection else QModelIndex()
        row = self.model.row_at(current.row()) if current.isValid() else None
        self.current = self.model.row_id(row) if row is not None else None
        self.scroll = self.table.verticalScrollBar().value()

    def restore(self) -> None:
        selection = self.table.selectionModel()
        if selection is None:
            return
        rows = [r for r in (self.model.find(i) for i in self.ids) if r >= 0]
        if not rows and self.first_row >= 0 and self.model.refreshing and self.model.rows:
            # The chosen row left the list (a callback made leaves the queue): the one that
            # took its place is chosen, not the top row.
            rows = [min(self.first_row, len(self.model.rows) - 1)]
        if not rows:
            return
        chosen = QItemSelection()
        last = self.model.columnCount() - 1
        for row in rows:
            chosen.select(self.model.index(row, 0), self.model.index(row, last))
        current = self.model.find(self.current) if self.current is not None else -1
        current = current if current >= 0 else rows[0]
        flags = QItemSelectionModel.SelectionFlag
        selection.setCurrentIndex(self.model.index(current, 0), flags.NoUpdate)
        selection.select(chosen, flags.ClearAndSelect | flags.Rows)
        self.table.doItemsLayout()  # the scroll range of the new rows, now
        if self.model.refreshing:
            self.table.verticalScrollBar().setValue(self.scroll)
        else:
            self.table.scrollTo(self.model.index(current, 0))


def keep_place(table: QTableView) -> None:
    """``table`` (showing a PagedTableModel) keeps its chosen rows and, on a refresh, its
    scroll position when the model's rows are replaced."""
    model = table.model()
    assert isinstance(model, PagedTableModel)
    table.setProperty("calldeskKeepsPlace", True)
    table._calldesk_place = _Place(table, model)  # type: ignore[attr-defined]  # lives as long
