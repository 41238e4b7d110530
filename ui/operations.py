"""Running service calls off the UI thread, the way Anki's ``CollectionOp`` does.

    Op(parent, lambda: services.users.authenticate(login, password)) \\
        .success(self._signed_in).failure(self._show_error).run()

Database work runs on one worker thread, so calls never race each other on the same
database. The result comes back on the UI thread. A progress dialog appears only when the
call takes longer than ``PROGRESS_DELAY_MS`` (short calls never flash a dialog). A generator
function (or a function returning a generator) reports progress by yielding ``(done, total)``
or ``(done, total, text)`` and can be cancelled between yields; its return value is the
result. Errors go to the failure callback,
or to the error dialog when none is given.
"""

from __future__ import annotations

import inspect
import itertools
import logging
import threading
import traceback
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

log = logging.getLogger(__name__)

PROGRESS_DELAY_MS = 500

_database_pool: QThreadPool | None = None


def database_pool() -> QThreadPool:
    global _database_pool
    if _database_pool is None:
        _database_pool = QThreadPool()
        _database_pool.setObjectName("databaseWorker")
        _database_pool.setMaxThreadCount(1)
    return _database_pool


def wait_for_all(timeout_ms: int = 30_000) -> bool:
    """Blocks until every queued operation has run (at shutdown and in tests)."""
    return database_pool().waitForDone(timeout_ms)


def pending() -> int:
    """Operations started and not yet handled on the UI thread."""
    return len(_ops)


_HOLDS = "calldeskOperationHolds"  # how many running operations hold a widget disabled
_WAS_ENABLED = "calldeskEnabledBeforeOperation"


def _hold(widget: QWidget) -> None:
    holds = widget.property(_HOLDS) or 0
    if not holds:
        widget.setProperty(_WAS_ENABLED, widget.isEnabled())
    widget.setProperty(_HOLDS, holds + 1)
    widget.setEnabled(False)


def _release(widget: QWidget) -> None:
    if not shiboken6.isValid(widget):  # its dialog closed meanwhile
        return
    holds = (widget.property(_HOLDS) or 1) - 1
    widget.setProperty(_HOLDS, holds)
    if not holds:
        widget.setEnabled(bool(widget.property(_WAS_ENABLED)))


def is_held(widget: QWidget) -> bool:
    """Disabled by a running operation (rather than by the form's own rules)."""
    return bool(widget.property(_HOLDS))


class Cancelled(Exception):
    """Raised inside a generator operation when the user pressed Cancel."""


class _Dispatcher(QObject):
    """Carries results from the worker to the UI thread. One for the whole application and
    never deleted, so no Qt object is ever destroyed from the worker thread."""

    finished = Signal(int, object)
    failed = Signal(int, object)
    progressed = Signal(int, int, int, str)

    def __init__(self) -> None:
        super().__init__()
        queued = Qt.ConnectionType.QueuedConnection
        self.finished.connect(lambda token, result: _call(token, "_finished", result), queued)
        self.failed.connect(lambda token, error: _call(token, "_failed", error), queued)
        self.progressed.connect(
            lambda token, done, total, text: _call(token, "_progressed", done, total, text),
            queued)


_dispatcher: _Dispatcher | None = None
_ops: dict[int, Op] = {}
_tokens = itertools.count(1)


def _call(token: int, method: str, *args: Any) -> None:
    op = _ops.get(token)
    if op is not None:
        getattr(op, method)(*args)


class _Job(QRunnable):
    def __init__(self, token: int, fn: Callable[[], Any], cancel: threading.Event,
                 dispatcher: _Dispatcher) -> None:
        super().__init__()
        self.token = token
        self.fn: Callable[[], Any] | None = fn
        self.cancel = cancel
        self.dispatcher = dispatcher

    def run(self) -> None:
        fn, self.fn = self.fn, None
        assert fn is not None
        try:
            result = fn()
            if inspect.isgenerator(result):  # a job reporting progress as it goes
                result = self._drive(result)
        except BaseException as error:  # noqa: BLE001 - handed to the UI thread
            # Drop our references first: the closure may hold widgets, and the last
            # reference to a widget must never go away on this thread.
            del fn
            traceback.clear_frames(error.__traceback__)  # their locals may hold widgets
            self.dispatcher.failed.emit(self.token, error)
        else:
            del fn
            self.dispatcher.finished.emit(self.token, result)

    def _drive(self, generator: Any) -> Any:
        try:
            while True:
                step = next(generator)
                if self.cancel.is_set():
                    generator.throw(Cancelled())
                done, total, *text = step
                self.dispatcher.progressed.emit(self.token, int(done), int(total),
                                                text[0] if text else "")
        except StopIteration as stop:
            return stop.value
        finally:
            generator.close()


class Op(QObject):
    """One background call. Chain ``success``/``failure``/``with_progress``, then ``run``."""

    def __init__(self, parent: QObject | None, fn: Callable[[], Any]) -> None:
        """``parent`` is the widget (or model) the result belongs to: when it is gone by the
        time the call ends, the callbacks are skipped."""
        # No Qt parent: the op must outlive a dialog closed while it runs.
        super().__init__(None)
        self._fn = fn
        self._parent = parent
        self._on_success: Callable[[Any], None] | None = None
        self._on_failure: Callable[[BaseException], None] | None = None
        self._on_cancel: Callable[[], None] | None = None
        self._label: str | None = None
        self._cancellable = False
        self._dialog: QProgressDialog | None = None
        self._cancel = threading.Event()
        self._token = next(_tokens)
        self._done = False
        self._last_progress: tuple[int, int, str] | None = None
        self._held: list[QWidget] = []

    def success(self, callback: Callable[[Any], None]) -> Op:
        self._on_success = callback
        return self

    def failure(self, callback: Callable[[BaseException], None]) -> Op:
        self._on_failure = callback
        return self

    def cancelled(self, callback: Callable[[], None]) -> Op:
        """Called when the user stopped the operation (nothing of it was kept)."""
        self._on_cancel = callback
        return self

    def with_progress(self, label: str, *, cancellable: bool = False) -> Op:
        self._label = label
        self._cancellable = cancellable
        return self

    def disabling(self, *widgets: QWidget) -> Op:
        """``widgets`` (a Save button, say) are disabled while the call runs and given back
        their state when it ends, whatever the outcome: success, failure, cancel, or the
        window gone. The only place a button is greyed for an operation, so none stays grey."""
        self._held.extend(widgets)
        return self

    def cancel(self) -> None:
        self._cancel.set()

    def run(self) -> Op:
        global _dispatcher
        if _dispatcher is None:
            _dispatcher = _Dispatcher()
        # Kept here until the UI thread has handled the outcome: the op (and the function it
        # holds) is released on the UI thread, never on the worker.
        _ops[self._token] = self
        for widget in self._held:
            _hold(widget)
        if self._label is not None:
            QTimer.singleShot(PROGRESS_DELAY_MS, self._show_progress)
        database_pool().start(_Job(self._token, self._fn, self._cancel, _dispatcher))
        return self

    # -- on the UI thread ----------------------------------------------------------------
    def _window(self) -> QWidget | None:
        return self._parent if isinstance(self._parent, QWidget) else None

    def _parent_alive(self) -> bool:
        return self._parent is None or shiboken6.isValid(self._parent)

    def _show_progress(self) -> None:
        if self._done or self._label is None or not self._parent_alive():
            return
        dialog = QProgressDialog(self._label, self.tr("Cancel") if self._cancellable else "",
                                 0, 0, self._window())
        dialog.setObjectName("operationProgress")
        dialog.setAccessibleName(self._label)
        dialog.setWindowTitle(self.tr("Please wait"))
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(0)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        if not self._cancellable:
            dialog.setCancelButton(None)
        dialog.canceled.connect(self.cancel)
        if self._last_progress:
            self._apply_progress(dialog, *self._last_progress)
        dialog.show()
        self._dialog = dialog

    def _progressed(self, done: int, total: int, text: str) -> None:
        self._last_progress = (done, total, text)
        if self._dialog is not None:
            self._apply_progress(self._dialog, done, total, text)

    @staticmethod
    def _apply_progress(dialog: QProgressDialog, done: int, total: int, text: str) -> None:
        dialog.setMaximum(max(total, 0))
        dialog.setValue(min(done, total) if total else 0)
        if text:
            dialog.setLabelText(text)

    def _close(self) -> None:
        self._done = True
        if self._dialog is not None:
            self._dialog.close()
            self._dialog.deleteLater()
            self._dialog = None
        _ops.pop(self._token, None)
        # Before the callbacks: they may disable the widget again on purpose.
        held, self._held = self._held, []
        for widget in held:
            _release(widget)

    def _finished(self, result: Any) -> None:
        self._close()
        if not self._parent_alive():
            log.info("operation finished after its window closed; result dropped")
            return
        if self._on_success is not None:
            self._on_success(result)

    def _failed(self, error: BaseException) -> None:
        self._close()
        if isinstance(error, Cancelled):
            log.info("operation cancelled by the user")
            if self._on_cancel is not None and self._parent_alive():
                self._on_cancel()
            return
        if not self._parent_alive():
            log.error("operation failed after its window closed", exc_info=error)
            return
        if self._on_failure is not None:
            self._on_failure(error)
        else:
            from ui.errors import show_error

            show_error(self._window(), error)
