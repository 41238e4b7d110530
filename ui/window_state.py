"""Window geometry, kept apart from settings (as Picard does) in ``window-state.ini``."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMainWindow, QTabWidget

# Room for the title bar and borders the window manager adds around the window (the frame is
# not known before the window is first shown).
FRAME_ALLOWANCE = (16, 40)


def fit_to_screen(window: QMainWindow) -> None:
    """Keeps the window within the screen's available area — the screen less the taskbar —
    so nothing hides behind the taskbar at 1366×768 or off the edge at 1024×768."""
    screen = window.screen() or QGuiApplication.primaryScreen()
    if screen is None:
        return
    available = screen.availableGeometry()
    width = min(window.width(), available.width() - FRAME_ALLOWANCE[0])
    height = min(window.height(), available.height() - FRAME_ALLOWANCE[1])
    if (width, height) != (window.width(), window.height()):
        window.resize(width, height)
    x = min(max(window.x(), available.left()), available.right() - width - FRAME_ALLOWANCE[0])
    y = min(max(window.y(), available.top()), available.bottom() - height - FRAME_ALLOWANCE[1])
    if (x, y) != (window.x(), window.y()):
        window.move(max(x, available.left()), max(y, available.top()))


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
        fit_to_screen(window)  # a size saved on a bigger screen, or the first-start size
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
