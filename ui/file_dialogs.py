"""Every file dialog CallDesk shows, and the message after an export.

One place so that each kind of file (a complaint list, the monthly workbook, a roster to
import …) opens in the folder last used for that kind (the user's Documents folder the
first time), and every export ends the same way: 打开文件 / 打开所在文件夹 / 关闭.
No other ui module calls QFileDialog (tests/test_file_dialogs.py checks).
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QDir, QStandardPaths, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from ui.window_state import WindowState


class FileKind(StrEnum):
    """What a file is for; each kind remembers its own last folder."""

    COMPLAINT_LIST = "complaint-list"
    CALL_LIST = "call-list"
    CALLBACK_LIST = "callback-list"
    CUSTOMER_LIST = "customer-list"
    COMPLAINT_SLIP = "complaint-slip"
    MONTHLY_WORKBOOK = "monthly-workbook"
    DAILY_REPORT = "daily-report"
    ROSTER_IMPORT = "roster-import"
    IMPORT_PROBLEMS = "import-problems"
    BACKUP_FILE = "backup-file"
    BACKUP_LOCATION = "backup-location"


_store: WindowState | None = None


def remember_in(store: WindowState | None) -> None:
    """Where the last folders are kept (the main window's window-state.ini)."""
    global _store
    _store = store


def documents_folder() -> str:
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return folder if folder and Path(folder).is_dir() else QDir.homePath()


def _key(kind: FileKind) -> str:
    return f"folders/{kind.value}"


def last_folder(kind: FileKind) -> str:
    """The folder last used for ``kind`` while it still exists, else Documents."""
    folder = _store.value(_key(kind)) if _store is not None else ""
    return folder if folder and Path(folder).is_dir() else documents_folder()


def _remember(kind: FileKind, path: str) -> None:
    if _store is not None:
        _store.set_value(_key(kind), str(Path(path).parent))


def _translate_qt_gaps() -> None:
    """Qt 6 gave two labels of its file dialog a mnemonic and moved the file types to a new
    class; the qtbase_zh_CN.qm PySide6 ships still has the old strings, so these show in
    English. CallDesk's own catalogue (installed after Qt's, so asked first) translates them;
    this function is never called, it only lets lupdate find them."""
    QCoreApplication.translate("QFileDialog", "&Look in:")
    QCoreApplication.translate("QFileDialog", "Files of &type:")
    QCoreApplication.translate("QAbstractFileIconProvider", "Folder")
    QCoreApplication.translate("QAbstractFileIconProvider", "Drive")


def save_path(parent: QWidget | None, kind: FileKind, caption: str, file_name: str,
              file_filter: str, suffix: str = "") -> str:
    """Asks where to save a file of ``kind`` (``file_name`` in its last folder); returns the
    path chosen (with ``suffix`` added when missing) or "" when the user cancelled."""
    start = str(Path(last_folder(kind)) / file_name)
    path, _filter = QFileDialog.getSaveFileName(parent, caption, start, file_filter)
    if not path:
        return ""
    if suffix and not path.lower().endswith(suffix.lower()):
        path += suffix
    _remember(kind, path)
    return path


def open_path(parent: QWidget | None, kind: FileKind, caption: str, file_filter: str) -> str:
    """Asks which file of ``kind`` to open, starting in its last folder; "" when cancelled."""
    path, _filter = QFileDialog.getOpenFileName(parent, caption, last_folder(kind), file_filter)
    if path:
        _remember(kind, path)
    return path


def folder_path(parent: QWidget | None, kind: FileKind, caption: str, start: str = "") -> str:
    """Asks for a folder of ``kind`` (``start`` or its last one); "" when cancelled."""
    folder = start if start and Path(start).is_dir() else last_folder(kind)
    path = QFileDialog.getExistingDirectory(parent, caption, folder)
    if path:
        _remember(kind, str(Path(path) / "x"))
    return path


def offer_to_open(parent: QWidget | None, title: str, text: str, path: str | Path) -> QMessageBox:
    """Says the file is saved and offers to open it or its folder. The message does not
    block (it is window-modal and returns at once) and deletes itself when closed."""
    target = Path(path)
    box = QMessageBox(QMessageBox.Icon.Information, title, text,
                      QMessageBox.StandardButton.NoButton, parent)
    box.setObjectName("exportDoneMessage")
    box.setAccessibleName(title)
    translate = QCoreApplication.translate
    open_file = box.addButton(translate("FileDialogs", "&Open file"),
                              QMessageBox.ButtonRole.AcceptRole)
    open_file.setObjectName("openFileButton")
    open_file.setAccessibleName(translate("FileDialogs", "Open the file"))
    open_folder = box.addButton(translate("FileDialogs", "Open &folder"),
                                QMessageBox.ButtonRole.ActionRole)
    open_folder.setObjectName("openFolderButton")
    open_folder.setAccessibleName(translate("FileDialogs", "Open the folder it is in"))
    close = box.addButton(translate("FileDialogs", "&Close"), QMessageBox.ButtonRole.RejectRole)
    close.setObjectName("closeButton")
    close.setAccessibleName(translate("FileDialogs", "Close"))
    box.setDefaultButton(open_file)
    box.setEscapeButton(close)

    def clicked(button) -> None:  # noqa: ANN001
        if button is open_file:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(target)))
        elif button is open_folder:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(target.parent)))

    box.buttonClicked.connect(clicked)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
    box.open()
    return box

