"""Small helpers every form uses: accessible names and messages next to the field."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QListWidgetItem,
    QTableView,
    QWidget,
)

from app.errors import ValidationError


def name(widget: QWidget, object_name: str, accessible: str) -> QWidget:
    """Gives a widget the names tests and screen readers use."""
    widget.setObjectName(object_name)
    widget.setAccessibleName(accessible)
    return widget


def shortcut(keys: QKeySequence | str | Qt.Key, widget: QWidget, slot: Callable[[], Any],
             context: Qt.ShortcutContext = Qt.ShortcutContext.WidgetShortcut) -> QShortcut:
    """A shortcut that fires only in ``context``. (PySide6 drops a ``context=`` keyword given
    to QShortcut's constructor, leaving a window-wide shortcut that steals the key.)"""
    sequence = keys if isinstance(keys, QKeySequence) else QKeySequence(keys)
    result = QShortcut(sequence, widget)
    result.setContext(context)
    result.activated.connect(slot)
    return result


def announce(widget: QWidget, text: str, milliseconds: int = 10_000) -> None:
    """A passing message at the foot of ``widget``'s main window."""
    window = widget.window()
    show_status = getattr(window, "show_status", None)
    if show_status is not None:
        show_status(text, milliseconds)


def plain_text(text: str) -> str:
    """A label's text without its keyboard mnemonic: "用户管理(&U)…" → "用户管理…"."""
    return re.sub(r"\(&\w\)", "", text).replace("&", "")


def error_label(object_name: str) -> QLabel:
    label = QLabel()
    label.setObjectName(object_name)
    label.setStyleSheet("color: #b3261e;")
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.hide()
    return label


class FieldErrors:
    """Shows a ``ValidationError``'s per-field messages under their fields."""

    def __init__(self, labels: dict[str, QLabel], general: QLabel,
                 inputs: dict[str, QWidget] | None = None) -> None:
        self.labels = labels
        self.general = general
        self.inputs = inputs or {}

    def clear(self) -> None:
        for label in (*self.labels.values(), self.general):
            label.clear()
            label.hide()

    def show(self, error: BaseException | str) -> None:
        self.clear()
        fields = error.fields if isinstance(error, ValidationError) else {}
        shown = False
        first_input: QWidget | None = None
        for field, message in fields.items():
            label = self.labels.get(field)
            if label is None:
                continue
            label.setText(message)
            label.show()
            shown = True
            if first_input is None:
                first_input = self.inputs.get(field)
        if not shown:
            self.general.setText(str(error))
            self.general.show()
        if first_input is not None:
            first_input.setFocus()

    def submit(self, parent: QWidget, button: QWidget, call: Callable[[], Any],
               on_success: Callable[[Any], None], *,
               before_showing: Callable[[], None] | None = None) -> None:
        """Saves through ``call`` off the UI thread with ``button`` disabled meanwhile (and
        back afterwards, saved or not). A ValidationError is shown next to its fields (after
        ``before_showing``, e.g. turning to the right page); any other error goes to the
        error dialog."""
        from ui.errors import show_error
        from ui.operations import Op

        self.clear()

        def failed(error: BaseException) -> None:
            if isinstance(error, ValidationError):
                if before_showing is not None:
                    before_showing()
                self.show(error)
            else:
                show_error(parent, error)

        Op(parent, call).disabling(button).success(on_success).failure(failed).run()


def list_table(object_name: str, accessible: str, model, widths: tuple[int, ...],  # noqa: ANN001
               stretch: int) -> QTableView:
    """A read-only list of rows from a paged model: whole rows selected, one at a time."""
    table = QTableView()
    name(table, object_name, accessible)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(24)
    for column, width in enumerate(widths):
        table.setColumnWidth(column, width)
    table.horizontalHeader().setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    from ui.paged_model import PagedTableModel, keep_place

    if isinstance(model, PagedTableModel):
        keep_place(table)
    return table


def customer_match_items(rows) -> list[QListWidgetItem]:  # noqa: ANN001
    """The cards found while typing a caller's number or name, as list items."""
    items = []
    for row in rows:
        item = QListWidgetItem(f"{row.name} {row.title.label}  {row.phones}  {row.units}")
        item.setData(Qt.ItemDataRole.UserRole, row.id)
        items.append(item)
    return items
