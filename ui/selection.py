"""What acts on a list's chosen row follows the selection: no chosen row, no actions.

Qt clears a view's selection without a ``selectionChanged`` when its model is reset (a new
search, a refresh), so a detail pane or a button fed only by ``selectionChanged`` keeps
showing, and acting on, a row the list no longer has. ``SelectionFollower`` listens to both.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QAbstractItemView, QWidget


class SelectionFollower(QObject):
    """``changed(row)`` whenever the chosen row of ``table`` may have changed: the model's
    row object (``model.row_at``) of the first selected row, or None when none is chosen.
    ``actions`` (buttons acting on the chosen row) are enabled only while a row is chosen."""

    changed = Signal(object)

    def __init__(self, table: QAbstractItemView, actions: Iterable[QWidget] = ()) -> None:
        super().__init__(table)
        self.table = table
        self.actions = list(actions)
        model = table.model()
        table.selectionModel().selectionChanged.connect(lambda *_: self.update())
        # Connected after the selection model's own handlers: it has forgotten the rows.
        model.modelReset.connect(self.update)
        model.rowsRemoved.connect(lambda *_: self.update())
        self.update()

    def row(self) -> Any | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return self.table.model().row_at(min(index.row() for index in rows))

    def update(self) -> None:
        row = self.row()
        for action in self.actions:
            action.setEnabled(row is not None)
        self.changed.emit(row)
