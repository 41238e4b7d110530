"""Collecting every text a window shows, to check no string escaped translation."""

from __future__ import annotations

import re

from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMenu,
    QTabWidget,
    QWidget,
)

# Names and technical words that stay as they are in every language.
ALLOWED_LATIN = {"CallDesk", "SQLite", "PostgreSQL", "postgresql", "calldesk", "Python", "Qt",
                 "PySide", "English", "VIP", "demo", "admin", "db", "ok", "Excel", "xlsx",
                 "PDF", "pdf",  # a file format, called so in Chinese too
                 "TS",  # the complaint numbers, TS202611-0001
                 "zs", "zhangsan",  # pinyin, typed as examples of what to search
                 "Ctrl", "Enter", "Shift", "Tab", "Esc"}  # key names, the same in Chinese
TAG = re.compile(r"<[^>]+>|&nbsp;|&amp;|\{\w+\}")  # markup and {placeholders}


def shown_texts(root: QWidget) -> list[tuple[str, str]]:
    """(where, text) for window titles, labels, buttons, tabs, group boxes, placeholders,
    tooltips, menu actions and combo items under ``root``."""
    texts: list[tuple[str, str]] = [(root.objectName() + ".windowTitle", root.windowTitle())]
    widgets = [root, *root.findChildren(QWidget)]
    for widget in widgets:
        where = widget.objectName() or type(widget).__name__
        if isinstance(widget, (QLabel, QAbstractButton)):
            texts.append((where, widget.text()))
        elif isinstance(widget, QGroupBox):
            texts.append((where, widget.title()))
        elif isinstance(widget, QLineEdit):
            texts.append((where + ".placeholder", widget.placeholderText()))
        elif isinstance(widget, QComboBox):
            texts += [(where, widget.itemText(i)) for i in range(widget.count())]
        elif isinstance(widget, QTabWidget):
            texts += [(where, widget.tabText(i)) for i in range(widget.count())]
        elif isinstance(widget, QMenu):
            texts.append((where, widget.title()))
        if widget.toolTip():
            texts.append((where + ".toolTip", widget.toolTip()))
        if widget.accessibleName():
            texts.append((where + ".accessibleName", widget.accessibleName()))
    for action in root.findChildren(QAction):
        texts.append((action.objectName() or "action", action.text()))
    return [(w, t) for w, t in texts if t]


def latin_words(text: str) -> list[str]:
    text = TAG.sub(" ", text)
    words = []
    for token in text.split():
        if "/" in token or "\\" in token or "@" in token or "." in token.strip(".…"):
            continue  # a path, an address or a version
        words += [w for w in re.findall(r"[A-Za-z]{2,}", token) if w not in ALLOWED_LATIN]
    return words


UNIT_EXAMPLE = "3栋2单元1502"  # how people write a unit: the same example in both languages


def cjk(text: str) -> bool:
    return bool(re.search(r"[\u3400-\u9fff]", TAG.sub(" ", text).replace(UNIT_EXAMPLE, "")))
