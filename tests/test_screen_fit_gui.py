"""The main window fits the screen's available area — the screen less the taskbar — at
1024×768 and at 1366×768, on first start and with a size remembered from a bigger screen
(issue 16 item 17)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QRect
from PySide6.QtGui import QScreen
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.domain.roles import Actor
from app.paths import AppPaths
from app.services import Services
from app.settings import LocalSettings
from ui import operations
from ui.context import UiContext
from ui.main_window import MainWindow
from ui.window_state import FRAME_ALLOWANCE

pytestmark = [pytest.mark.gui, pytest.mark.usefixtures("chinese_ui")]


@pytest.fixture(autouse=True)
def settled(services: Services) -> Iterator[None]:
    """The windows' first loads (and the calendar check after them) end in the test —
    before the database goes (hence ``services``: torn down after this), or on PostgreSQL
    they query a dropped schema and the error reaches the next test. The windows here are
    never shown, so closing them does not stop their calendar check's one-second timer."""
    yield
    for widget in QApplication.topLevelWidgets():
        timer = getattr(widget, "_calendar_timer", None)
        if timer is not None:
            timer.stop()
    for _round in range(3):
        operations.wait_for_all()
        QApplication.processEvents()


@pytest.mark.parametrize("available", [QRect(0, 0, 1024, 728), QRect(0, 0, 1366, 728)],
                         ids=["1024x768", "1366x768"])
def test_the_window_fits_the_available_screen(
        qtbot: QtBot, paths: AppPaths, services: Services, admin: Actor,
        monkeypatch: pytest.MonkeyPatch, available: QRect) -> None:
    monkeypatch.setattr(QScreen, "availableGeometry", lambda self: QRect(available))
    context = UiContext(paths, LocalSettings(paths.settings_file), services)
    for _start in ("first", "remembered"):
        window = MainWindow(context, admin)
        qtbot.addWidget(window)
        assert window.width() + FRAME_ALLOWANCE[0] <= available.width()
        assert window.height() + FRAME_ALLOWANCE[1] <= available.height()
        assert available.contains(window.geometry().topLeft())
        # Remembered as if from a 1920×1080 screen: the next start still fits.
        window.setGeometry(QRect(300, 200, 1800, 1000))
        window.window_state.save(window, window.tabs)
        window.close()


def test_the_call_summary_stays_readable_at_1024(
        qtbot: QtBot, paths: AppPaths, services: Services, admin: Actor,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(QScreen, "availableGeometry", lambda self: QRect(0, 0, 1024, 728))
    window = MainWindow(UiContext(paths, LocalSettings(paths.settings_file), services), admin)
    qtbot.addWidget(window)
    window.tabs.setCurrentWidget(window.calls)
    window.show()
    qtbot.waitExposed(window)
    table = window.calls.table
    # Once laid out: 摘要 keeps a readable width and the list needs no sideways scrolling.
    qtbot.waitUntil(lambda: table.horizontalHeader().sectionSize(6) >= 200
                    and not table.horizontalScrollBar().isVisible())


def test_direction_and_duration_show_their_english_words_at_1024(
        qtbot: QtBot, qapp: QApplication, paths: AppPaths, services: Services, admin: Actor,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from ui import translations

    monkeypatch.setattr(QScreen, "availableGeometry", lambda self: QRect(0, 0, 1024, 728))
    for translator in qapp.findChildren(type(translations.QTranslator())):
        qapp.removeTranslator(translator)  # the module's Chinese, for this test
    english = translations.install(qapp, "en")
    try:
        window = MainWindow(UiContext(paths, LocalSettings(paths.settings_file), services),
                            admin)
        qtbot.addWidget(window)
        window.tabs.setCurrentWidget(window.calls)
        window.show()
        qtbot.waitExposed(window)
        table = window.calls.table
        metrics = table.fontMetrics()
        header = table.horizontalHeader()
        assert header.sectionSize(1) > metrics.horizontalAdvance("Outbound")
        assert header.sectionSize(8) > metrics.horizontalAdvance("Duration")
        qtbot.waitUntil(lambda: not table.horizontalScrollBar().isVisible())
    finally:  # no translator left behind: the next test installs its own language
        for translator in english:
            qapp.removeTranslator(translator)
