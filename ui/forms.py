"""Small helpers every form uses: accessible names and messages next to the field."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QHeaderView,
    QLabel,
    QListWidgetItem,
    QPlainTextEdit,
    QTableView,
    QWidget,
)

from app.domain.texts import counter_from
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


# The one rule for forms: Ctrl+Enter saves (either Enter key), wherever the focus is.
SAVE_KEYS = ("Ctrl+Return", "Ctrl+Enter")


def save_keys(window: QWidget, slot: Callable[[], Any]) -> None:
    """Ctrl+Enter saves the form in ``window`` (shown in 帮助 → 快捷键)."""
    for keys in SAVE_KEYS:
        shortcut(keys, window, slot, Qt.ShortcutContext.WindowShortcut)


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


class LengthCounter(QLabel):
    """"3712 / 4000" under a long text once it nears its limit (from nine tenths), red over
    it. ``problem()`` is the sentence a form shows instead of saving an over-long text."""

    def __init__(self, edit: QPlainTextEdit, limit: int, object_name: str) -> None:
        super().__init__()
        self.edit, self.limit = edit, limit
        name(self, object_name, QCoreApplication.translate("LengthCounter",
                                                           "Characters used"))
        self.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.hide()
        edit.textChanged.connect(self.refresh)
        self.refresh()

    def count(self) -> int:
        return len(self.edit.toPlainText())

    def over(self) -> bool:
        return self.count() > self.limit

    def refresh(self) -> None:
        count = self.count()
        self.setText(f"{count} / {self.limit}")
        self.setToolTip(self.problem() or "")
        self.setStyleSheet("color: #b3261e; font-weight: bold;" if self.over()
                           else "color: #5f6368;")
        near = count >= counter_from(self.limit)
        if not near:
            self.hide()
        elif self.parentWidget() is not None:  # without a parent it would be a window
            self.show()

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ParentChange:
            self.refresh()
        return super().event(event)

    def problem(self) -> str | None:
        count = self.count()
        if count <= self.limit:
            return None
        return QCoreApplication.translate(
            "LengthCounter", "This text has {count} characters, {over} more than the {limit} "
            "allowed. Shorten it, then save again.").format(
            count=count, over=count - self.limit, limit=self.limit)


class DateRange:
    """A list's From and To dates. In the wrong order (From after To) the list would be
    silently empty: ``in_order()`` says so in a sentence next to the dates instead, and the
    list does not ask for its rows (nor an export for its file) until they are put right."""

    def __init__(self, start: QDateEdit, end: QDateEdit, object_name: str,
                 used: Callable[[], bool] = lambda: True) -> None:
        self.start, self.end, self.used = start, end, used
        self.message = error_label(object_name)
        self.message.setAccessibleName(QCoreApplication.translate("DateRange",
                                                                  "Date range problem"))

    def in_order(self) -> bool:
        start, end = self.start.date(), self.end.date()
        wrong = self.used() and start > end
        if wrong:
            self.message.setText(QCoreApplication.translate(
                "DateRange", "The start date {start} is after the end date {end}, so no "
                "day is in between. Choose a start date on or before the end date.").format(
                start=start.toString("yyyy-MM-dd"), end=end.toString("yyyy-MM-dd")))
            self.message.show()
        else:
            self.message.clear()
            self.message.hide()
        return not wrong


class FieldErrors:
    """Shows a ``ValidationError``'s per-field messages under their fields."""

    def __init__(self, labels: dict[str, QLabel], general: QLabel,
                 inputs: dict[str, QWidget] | None = None) -> None:
        self.labels = labels
        self.general = general
        self.inputs = inputs or {}
        self.counters: dict[str, LengthCounter] = {}

    def counter(self, field: str, edit: QPlainTextEdit, limit: int) -> LengthCounter:
        """A counter for a long text; saving is refused while it is over ``limit``."""
        counter = LengthCounter(edit, limit, f"{edit.objectName()}Counter")
        self.counters[field] = counter
        self.inputs.setdefault(field, edit)
        return counter

    def too_long(self) -> ValidationError | None:
        """The texts over their limit, said under each, before anything is saved."""
        fields = {field: problem for field, counter in self.counters.items()
                  if (problem := counter.problem()) is not None}
        if not fields:
            return None
        return ValidationError(next(iter(fields.values())), fields)

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
        too_long = self.too_long()
        if too_long is not None:
            if before_showing is not None:
                before_showing()
            self.show(too_long)
            return

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


class DigitKeys(QObject):
    """Digit keys choose a choice while its list has focus, and move on to the next field:
    1…9 the first nine, 0 the tenth. ``first`` skips leading items such as "(choose)"."""

    def __init__(self, combo: QComboBox, after: QWidget, first: int = 0) -> None:
        super().__init__(combo)
        self.combo, self.after, self.first = combo, after, first
        combo.installEventFilter(self)

    @staticmethod
    def prefix(position: int) -> str:
        """The key shown before the ``position``-th choice (1-based), or nothing past ten."""
        return str(position % 10) + " " if position <= 10 else ""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) \
                and event.modifiers() in (Qt.KeyboardModifier.NoModifier,
                                          Qt.KeyboardModifier.KeypadModifier):
            text = event.text()
            if len(text) == 1 and text.isdigit():
                position = int(text) or 10
                index = self.first + position - 1
                if index < self.combo.count():
                    self.combo.setCurrentIndex(index)
                    self.after.setFocus()
                    return True
        return False


class DigitRadios(QObject):
    """Digit keys 1…n check the n-th of a group of radio buttons while one of them has focus
    (the same rule as ``DigitKeys`` for a choice list)."""

    def __init__(self, buttons: list[QAbstractButton]) -> None:
        super().__init__(buttons[0])
        self.buttons = buttons
        for button in buttons:
            button.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) \
                and event.modifiers() in (Qt.KeyboardModifier.NoModifier,
                                          Qt.KeyboardModifier.KeypadModifier):
            text = event.text()
            if len(text) == 1 and text.isdigit() and 1 <= int(text) <= len(self.buttons):
                button = self.buttons[int(text) - 1]
                if button.isEnabled():
                    button.setFocus()
                    button.setChecked(True)
                return True
        return False
