"""Saving the list a tab shows, with its filters, as an Excel workbook: the file dialog,
then the export in the background with progress and cancel, then where it went."""

from __future__ import annotations

from collections.abc import Callable, Generator
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from ui.file_dialogs import FileKind, offer_to_open, save_path
from ui.forms import announce
from ui.operations import Op

Job = Callable[[str], Generator[tuple[int, int, str], None, Path]]


def export_list(tab: QWidget, kind: FileKind, caption: str, default_name: str, progress: str,
                saved_text: str, job: Job) -> None:
    """Asks where to save (``default_name`` in the folder last used), then runs
    ``job(path)`` off the UI thread. ``saved_text`` has a {path} for the status bar."""
    path = save_path(tab, kind, caption, default_name,
                     QCoreApplication.translate("ListExport", "Excel workbook (*.xlsx)"), ".xlsx")
    if not path:
        return

    def saved(result: Path) -> None:
        announce(tab, saved_text.format(path=result), 15_000)
        tab.setProperty("lastExport", str(result))
        offer_to_open(tab, caption, saved_text.format(path=result), result)

    Op(tab, lambda: job(path)).with_progress(progress, cancellable=True).success(saved).run()
