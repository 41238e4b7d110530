"""Telling people about errors calmly.

A ``CallDeskError`` (wrong input, no permission, a database problem of the environment) is
shown as its own message. Anything else is a bug: it is logged with its traceback and the
user sees that nothing was lost, where the log is, and that they can keep working.
"""

from __future__ import annotations

import logging
import sys
import traceback
from types import TracebackType

from PySide6.QtCore import QCoreApplication, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox, QWidget

from app.errors import CallDeskError, DatabaseProblem

log = logging.getLogger(__name__)

_log_file: str | None = None


def set_log_file(path: str) -> None:
    global _log_file
    _log_file = path


def show_error(parent: QWidget | None, error: BaseException) -> None:
    if isinstance(error, DatabaseProblem):
        log.warning("database problem (%s): %s", error.kind, error)
        box = QMessageBox(QMessageBox.Icon.Warning, QCoreApplication.translate("ErrorDialog", "Database problem"), str(error),
                          QMessageBox.StandardButton.Ok, parent)
        box.setObjectName("databaseProblemDialog")
    elif isinstance(error, CallDeskError):
        box = QMessageBox(QMessageBox.Icon.Information, QCoreApplication.translate("ErrorDialog", "CallDesk"), str(error),
                          QMessageBox.StandardButton.Ok, parent)
        box.setObjectName("userErrorDialog")
    else:
        show_unexpected(parent, type(error), error, error.__traceback__)
        return
    box.setAccessibleName(box.windowTitle())
    box.exec()


def show_unexpected(parent: QWidget | None, kind: type[BaseException], error: BaseException,
                    tb: TracebackType | None) -> None:
    log.error("unexpected error", exc_info=(kind, error, tb))
    text = QCoreApplication.translate("ErrorDialog", "Something unexpected went wrong. What you entered was not lost, and you can keep "
              "working. If it happens again, send the log file to the administrator.")
    box = QMessageBox(QMessageBox.Icon.Warning, QCoreApplication.translate("ErrorDialog", "Unexpected problem"), text,
                      QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("unexpectedErrorDialog")
    box.setAccessibleName(QCoreApplication.translate("ErrorDialog", "Unexpected problem"))
    if _log_file:
        box.setInformativeText(QCoreApplication.translate("ErrorDialog", "Log file: {path}").format(path=_log_file))
        open_logs = box.addButton(QCoreApplication.translate("ErrorDialog", "Open log folder"), QMessageBox.ButtonRole.ActionRole)
        open_logs.setObjectName("openLogFolderButton")
    else:
        open_logs = None
    box.setDetailedText("".join(traceback.format_exception(kind, error, tb)))
    box.exec()
    if open_logs is not None and box.clickedButton() is open_logs and _log_file:
        from pathlib import Path

        QDesktopServices.openUrl(QUrl.fromLocalFile(str(Path(_log_file).parent)))


def install_excepthook() -> None:
    """Uncaught exceptions in slots end up here instead of killing the app."""

    def hook(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, error, tb)
            return
        try:
            if isinstance(error, CallDeskError):
                show_error(None, error)
            else:
                show_unexpected(None, kind, error, tb)
        except Exception:  # the dialog itself failed: at least log it
            log.exception("could not show the error dialog")

    sys.excepthook = hook
