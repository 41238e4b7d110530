"""Window geometry, kept apart from settings (as Picard does) in ``window-state.ini``."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QMainWindow, QTabWidget


class WindowState:
    def __init__(self, path: Path) -> None:
        self._settings = QSettings(str(path), QSettings.Format.IniFormat)

    def restore(self, window: QMainWindow, tabs: QTabWidget) -> None:
        geometry = self._settings.value("main/geometry")
        if isinstance(geometry, QByteArray | bytes) and geometry:
            window.restoreGeometry(QByteArray(geometry))
        state = self._settings.value("main/state")
        if isinstance(state, QByteArray | bytes) and state:
            window.restoreState(QByteArray(state))
        tab = self._settings.value("main/tab")
        if isinstance(tab, str):  # remembered by name: tabs come and go between versions
            for index in range(tabs.count()):
                if tabs.widget(index).objectName() == tab:
                    tabs.setCurrentIndex(index)
                    break

    def save(self, window: QMainWindow, tabs: QTabWidget) -> None:
        self._settings.setValue("main/geometry", window.saveGeometry())
        self._settings.setValue("main/state", window.saveState())
        current = tabs.currentWidget()
        if current is not None:
            self._settings.setValue("main/tab", current.objectName())
        self._settings.sync()

    def value(self, key: str, default: str = "") -> str:
        value = self._settings.value(key, default)
        return value if isinstance(value, str) else default

    def set_value(self, key: str, value: str) -> None:
        self._settings.setValue(key, value)
        self._settings.sync()
