"""Python's cyclic garbage collector, run on the UI thread only.

Left automatic, the collector runs in whichever thread happens to allocate when a threshold
is crossed, the database worker included; a widget caught in a reference cycle is then
destroyed off the UI thread, and Qt crashes later at an unrelated line. (qutebrowser does the
same for the same reason.) A timer on the UI thread collects instead, by generation, when
the counts say so."""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 1000

_guard: QObject | None = None


class _Collector(QObject):
    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self.setObjectName("garbageCollector")
        self.timer = QTimer(self)
        self.timer.setInterval(INTERVAL_MS)
        self.timer.timeout.connect(self.collect)
        self.timer.start()

    @staticmethod
    def collect() -> None:
        first, second, third = gc.get_threshold()
        count0, count1, count2 = gc.get_count()
        if count0 > first:
            generation = 2 if count2 > third else 1 if count1 > second else 0
            gc.collect(generation)


def install(app: QObject) -> None:
    """Once per application: switches automatic collection off and collects from a timer."""
    global _guard
    if _guard is None or _guard.parent() is not app:
        gc.disable()
        _guard = _Collector(app)
