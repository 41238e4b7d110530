"""The benchmark's start-up baseline (scenario 4): a bare PySide6 main window with five tabs.

``bench.py`` runs it from source (``_child bare-window``); ``bare_window.spec`` freezes it the
way ``calldesk.spec`` freezes CallDesk, for the frozen start (4d). Times are from
``BENCH_T0_NS`` (``time.time_ns()`` just before the parent started the process) to the
window shown and the event loop turned once.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

RESULT_FILE_ENV = "BENCH_RESULT_FILE"


def since_start_ms() -> float:
    return (time.time_ns() - int(os.environ["BENCH_T0_NS"])) / 1e6


def run(report: Callable[[dict[str, Any]], None]) -> None:
    marks: dict[str, float] = {}
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow, QTabWidget, QWidget

    marks["imports"] = since_start_ms()
    app = QApplication(["bare-window"])
    window = QMainWindow()
    tabs = QTabWidget()
    for number in range(1, 6):
        tabs.addTab(QWidget(), f"Tab {number}")
    window.setCentralWidget(tabs)
    window.resize(1200, 760)
    window.show()
    marks["window_built"] = since_start_ms()

    def shown() -> None:
        marks["shown"] = since_start_ms()
        report({"shown_ms": marks["shown"], "marks": marks})

    QTimer.singleShot(0, shown)
    app.exec()


def _write_result(result: dict[str, Any]) -> None:
    """Frozen: the result into a file (a windowed program has no stdout on Windows)."""
    Path(os.environ[RESULT_FILE_ENV]).write_text(json.dumps(result))
    os._exit(0)


if __name__ == "__main__":
    run(_write_result)
