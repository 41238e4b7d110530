"""The background-operation helper: one database worker, results on the UI thread, progress
only for slow work, cancel, and errors routed to a callback or the error dialog."""

from __future__ import annotations

import threading
import time

import pytest
from PySide6.QtCore import Qt, QThread
from PySide6.QtWidgets import QApplication, QProgressDialog, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from app.errors import ValidationError
from ui import operations
from ui.operations import Op

pytestmark = pytest.mark.gui


def test_result_arrives_on_the_ui_thread(qtbot: QtBot, qapp: QApplication) -> None:
    seen: dict[str, object] = {}

    def work() -> int:
        seen["worker"] = QThread.currentThread()
        return 42

    def done(result: int) -> None:
        seen["result"] = result
        seen["callback"] = QThread.currentThread()

    Op(None, work).success(done).run()
    qtbot.waitUntil(lambda: "result" in seen)
    assert seen["result"] == 42
    assert seen["callback"] is qapp.thread()
    assert seen["worker"] is not qapp.thread()


def test_one_worker_runs_database_calls_in_order(qtbot: QtBot) -> None:
    order: list[int] = []
    running = threading.Semaphore(1)
    overlapped: list[bool] = []

    def job(number: int) -> int:
        overlapped.append(not running.acquire(blocking=False))
        time.sleep(0.01)
        order.append(number)
        running.release()
        return number

    finished: list[int] = []
    for number in range(5):
        Op(None, lambda n=number: job(n)).success(finished.append).run()
    qtbot.waitUntil(lambda: len(finished) == 5)
    assert order == finished == [0, 1, 2, 3, 4]
    assert not any(overlapped)


def test_errors_go_to_the_failure_callback(qtbot: QtBot) -> None:
    failures: list[BaseException] = []

    def fail() -> None:
        raise ValidationError("请输入姓名。")

    Op(None, fail).success(lambda _: pytest.fail("no success")).failure(failures.append).run()
    qtbot.waitUntil(lambda: bool(failures))
    assert str(failures[0]) == "请输入姓名。"


def test_without_a_failure_callback_the_error_dialog_shows_it(
        qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    shown: list[BaseException] = []
    monkeypatch.setattr("ui.errors.show_error", lambda parent, error: shown.append(error))
    Op(None, lambda: 1 / 0).run()
    qtbot.waitUntil(lambda: bool(shown))
    assert isinstance(shown[0], ZeroDivisionError)


def _progress_dialogs(parent: QWidget) -> list[QProgressDialog]:
    return [d for d in parent.findChildren(QProgressDialog) if d.isVisible()]


def test_quick_work_never_flashes_a_progress_dialog(qtbot: QtBot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    done: list[int] = []
    Op(parent, lambda: 1).with_progress("工作中").success(done.append).run()
    qtbot.waitUntil(lambda: bool(done))
    qtbot.wait(operations.PROGRESS_DELAY_MS + 100)
    assert _progress_dialogs(parent) == []


def test_slow_work_shows_progress_and_can_be_cancelled(qtbot: QtBot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    steps_done: list[int] = []
    outcome: list[str] = []

    def slow_job():  # noqa: ANN202 - a generator reporting progress
        for step in range(200):
            time.sleep(0.02)
            steps_done.append(step)
            yield step, 200, f"第 {step} 条"
        return "finished"

    op = Op(parent, slow_job).with_progress("正在导出…", cancellable=True) \
        .success(outcome.append).failure(lambda e: outcome.append(type(e).__name__))
    op.run()
    qtbot.waitUntil(lambda: bool(_progress_dialogs(parent)), timeout=3000)
    dialog = _progress_dialogs(parent)[0]
    qtbot.waitUntil(lambda: dialog.value() > 0)
    assert dialog.maximum() == 200
    cancel = dialog.findChild(QPushButton)
    assert cancel is not None
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not _progress_dialogs(parent), timeout=3000)
    operations.wait_for_all()
    assert outcome == []  # neither success nor an error dialog: the user asked to stop
    assert len(steps_done) < 200


def test_a_window_held_only_by_an_op_is_released_on_the_ui_thread(qtbot: QtBot,
                                                                   qapp: QApplication) -> None:
    """Destroying a widget on the worker thread crashes Qt; the op must let go on the UI
    thread even when its closure holds the last reference (a dialog closed mid-call)."""
    threads: list[object] = []

    def start() -> None:
        dialog = QWidget()  # owned by Python alone, like a closed dialog
        dialog.destroyed.connect(lambda: threads.append(QThread.currentThread()),
                                 Qt.ConnectionType.DirectConnection)
        Op(None, lambda: (time.sleep(0.05), dialog.objectName())).run()

    for _ in range(20):
        start()
    qtbot.waitUntil(lambda: len(threads) == 20, timeout=5000)
    assert all(thread is qapp.thread() for thread in threads)


def test_a_button_held_by_an_operation_comes_back_whatever_the_outcome(qtbot: QtBot) -> None:
    """Success, failure and cancel all give the button back; one the form itself had
    disabled stays disabled; two operations holding one button release it once both end."""
    button, off = QPushButton(), QPushButton()
    qtbot.addWidget(button)
    qtbot.addWidget(off)
    off.setEnabled(False)  # disabled by the form's own rules, not by the operation
    ended: list[str] = []

    def fail() -> None:
        raise ValidationError("no")

    def cancelled():  # noqa: ANN202 - a generator cancelled at its first step
        yield 0, 1
        yield 1, 1

    for name, fn in (("success", lambda: 1), ("failure", fail)):
        op = Op(None, fn).disabling(button, off).success(lambda _r, n=name: ended.append(n)) \
            .failure(lambda _e, n=name: ended.append(n))
        op.run()
        assert not button.isEnabled() and operations.is_held(button)
        qtbot.waitUntil(lambda n=name: n in ended)
        assert button.isEnabled() and not operations.is_held(button)
        assert not off.isEnabled()

    gate = threading.Event()
    first = Op(None, lambda: gate.wait(5)).disabling(button).success(ended.append).run()
    second = Op(None, cancelled).disabling(button).cancelled(lambda: ended.append("cancel"))
    second.cancel()
    second.run()
    gate.set()
    qtbot.waitUntil(lambda: "cancel" in ended)
    assert first is not None and button.isEnabled()
