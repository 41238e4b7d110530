"""The search box beside the tabs (Ctrl+K from anywhere): type a complaint number, a phone
number however written, a name or its pinyin initials, a unit or words of a call, and the
hits come up under the box grouped by kind; Enter opens the chosen one (or the first) where
it lives."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QModelIndex, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QCompleter, QLineEdit, QWidget

from app.services.global_search import MIN_LENGTH, Hit
from ui.forms import name
from ui.operations import Op

HIT_ROLE = Qt.ItemDataRole.UserRole + 1
# Typing pauses this long before asking: one search per word, not per key.
DEBOUNCE_MS = 150
POPUP_WIDTH = 520
BOX_WIDTH = 250  # beside the tabs, at 1024 pixels wide too


class GlobalSearchBox(QLineEdit):
    chosen = Signal(object)  # the Hit to open

    def __init__(self, search: Callable[[str], list[Hit]],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._search = search
        name(self, "globalSearchEdit", self.tr("Search everything"))
        self.setPlaceholderText(self.tr("Number, phone, name, unit (Ctrl+K)"))
        self.setClearButtonEnabled(True)
        self.setFixedWidth(BOX_WIDTH)
        self.results = QStandardItemModel(self)
        self.completer = QCompleter(self.results, self)
        self.completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.completer.setMaxVisibleItems(16)
        # Not setCompleter: the box keeps what was typed; choosing opens, never replaces.
        self.completer.setWidget(self)
        self.completer.popup().setObjectName("globalSearchResults")
        self.completer.popup().setAccessibleName(self.tr("Search results"))
        self.completer.activated[QModelIndex].connect(self._activated)
        self.hits: list[Hit] = []
        self.hits_for: str | None = None  # the text the shown hits answer
        self._generation = 0
        self._open_when_found = False
        self._chose_now = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.run)
        self.textEdited.connect(lambda _text: self._timer.start())
        self.returnPressed.connect(self.open_first)

    def sizeHint(self) -> QSize:  # noqa: N802 - the tab bar's corner is laid out by it
        return QSize(BOX_WIDTH, super().sizeHint().height())

    def focus(self) -> None:
        """Ctrl+K: to the box, with what was there selected to type over."""
        self.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.selectAll()
        if self.hits_for == self.text().strip() and self.results.rowCount():
            self._show_popup()

    def run(self) -> None:
        text = self.text().strip()
        self._generation += 1
        generation = self._generation
        if len(text) < MIN_LENGTH:
            self._show([], text)
            return
        Op(self, lambda: self._search(text)) \
            .success(lambda hits: generation == self._generation and self._show(hits, text)) \
            .run()

    def _show(self, hits: list[Hit], text: str) -> None:
        self.hits, self.hits_for = hits, text
        self.results.clear()
        if self._open_when_found:
            self._open_when_found = False
            if hits:
                self._choose(hits[0])
                return
        kind = None
        for hit in hits:
            if hit.kind != kind:  # a heading for each kind, not choosable
                kind = hit.kind
                heading = QStandardItem(kind.label)
                heading.setFlags(Qt.ItemFlag.NoItemFlags)
                font = QFont(self.font())
                font.setBold(True)
                heading.setFont(font)
                self.results.appendRow(heading)
            item = QStandardItem(f"    {hit.title}    {hit.subtitle}".rstrip())
            item.setData(hit, HIT_ROLE)
            item.setToolTip(hit.subtitle)
            self.results.appendRow(item)
        if not hits and len(text) >= MIN_LENGTH:
            nothing = QStandardItem(self.tr("Nothing found for “{text}”").format(text=text))
            nothing.setFlags(Qt.ItemFlag.NoItemFlags)
            self.results.appendRow(nothing)
        if self.results.rowCount() and self.hasFocus():
            self._show_popup()
        else:
            self.completer.popup().hide()

    def _show_popup(self) -> None:
        self.completer.complete(QRect(0, 0, max(self.width(), POPUP_WIDTH), self.height()))
        popup = self.completer.popup()
        first = next((r for r in range(self.results.rowCount())
                      if self.results.item(r).data(HIT_ROLE) is not None), None)
        if first is not None:
            popup.setCurrentIndex(self.results.index(first, 0))

    def open_first(self) -> None:
        """Enter in the box: the first hit, once the search for what is typed is in."""
        text = self.text().strip()
        if self.hits_for == text and not self._timer.isActive():
            if self.hits:
                self._choose(self.hits[0])
            return
        self._timer.stop()
        self._open_when_found = True
        self.run()

    def _activated(self, index: QModelIndex) -> None:
        hit = index.data(HIT_ROLE)
        if isinstance(hit, Hit):
            self._choose(hit)

    def _choose(self, hit: Hit) -> None:
        # Enter in the list reaches the box as well (the completer passes the key on):
        # one key, one hit opened.
        if self._chose_now:
            return
        self._chose_now = True
        QTimer.singleShot(0, self._chosen_done)
        self.completer.popup().hide()
        self.chosen.emit(hit)

    def _chosen_done(self) -> None:
        self._chose_now = False
