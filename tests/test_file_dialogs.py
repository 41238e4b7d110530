"""The file dialogs: in the user's language, each kind of file in its own last folder
(Documents the first time), and after an export an offer to open the file or its folder."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QFileSystemModel,
    QLabel,
    QMessageBox,
    QPushButton,
    QWidget,
)
from pytestqt.qtbot import QtBot

from ui import file_dialogs
from ui.file_dialogs import FileKind
from ui.window_state import WindowState

ROOT = Path(__file__).resolve().parent.parent
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")

pytestmark = [pytest.mark.gui]


@pytest.fixture
def documents(isolated_user_folders, monkeypatch: pytest.MonkeyPatch) -> Path:  # noqa: ANN001
    folder = Path.home() / "Documents"
    folder.mkdir(exist_ok=True)
    monkeypatch.setattr(file_dialogs, "_store", None)
    return folder


class Recorded(list):
    answers: list[str]


@pytest.fixture
def asked_dialogs(monkeypatch: pytest.MonkeyPatch) -> Recorded:
    """Stands in for the user at the file dialog: records (kind of dialog, start) and answers
    with the next of ``.answers`` ("" is Cancel)."""
    recorded = Recorded()
    recorded.answers = []

    def stand_in(how: str):  # noqa: ANN202
        def dialog(parent, caption, start, file_filter, *a, **k):  # noqa: ANN001, ANN202
            recorded.append((how, start))
            return (recorded.answers.pop(0) if recorded.answers else "", "")
        return dialog

    monkeypatch.setattr(QFileDialog, "getSaveFileName", stand_in("save"))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", stand_in("open"))
    return recorded


# -- Qt's own labels in Chinese --------------------------------------------------------------
def test_the_qt_file_dialog_speaks_chinese(qtbot: QtBot, chinese_ui: None) -> None:
    """The qtbase_zh_CN.qm PySide6 ships misses the labels Qt 6 gave mnemonics; the dialog
    shows no English word in the Chinese UI."""
    assert QCoreApplication.translate("QFileDialog", "&Look in:") == "查找范围(&L)："
    assert QCoreApplication.translate("QFileDialog", "Files of &type:") == "文件类型(&T)："
    assert QCoreApplication.translate("QFileDialog", "File &name:") != "File &name:"  # Qt's own
    assert QCoreApplication.translate("QAbstractFileIconProvider", "Folder") == "文件夹"
    (Path.home() / "子目录").mkdir()
    model = QFileSystemModel()
    assert model.type(model.index(str(Path.home() / "子目录"))) == "文件夹"  # the 类型 column
    for mode in (QFileDialog.AcceptMode.AcceptSave, QFileDialog.AcceptMode.AcceptOpen):
        dialog = QFileDialog(None, "保存", str(Path.home()), "Excel (*.xlsx)")
        qtbot.addWidget(dialog)
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
        dialog.setAcceptMode(mode)
        dialog.show()
        QApplication.processEvents()
        english = [label.text() for label in dialog.findChildren(QLabel)
                   if LATIN_WORD.search(label.text().replace("xlsx", "").replace("Excel", ""))]
        english += [button.text() for button in dialog.findChildren(QPushButton)
                    if button.isVisible() and LATIN_WORD.search(button.text())]
        assert english == []
        dialog.close()


# -- the last folder of each kind --------------------------------------------------------------
def test_each_kind_of_file_remembers_its_folder(tmp_path: Path, documents: Path,
                                                asked_dialogs: Recorded) -> None:
    file_dialogs.remember_in(WindowState(tmp_path / "window-state.ini"))
    exports, rosters = tmp_path / "导出", tmp_path / "花名册"
    exports.mkdir()
    rosters.mkdir()
    asked_dialogs.answers += [str(exports / "投诉"), str(rosters / "名单.xlsx"), "", "", ""]
    # The first time, every kind starts in Documents.
    assert file_dialogs.save_path(None, FileKind.COMPLAINT_LIST, "导出", "投诉.xlsx",
                                  "Excel (*.xlsx)", ".xlsx") == str(exports / "投诉.xlsx")
    assert file_dialogs.open_path(None, FileKind.ROSTER_IMPORT, "花名册", "Excel (*.xlsx)") \
        == str(rosters / "名单.xlsx")
    assert asked_dialogs[:2] == [("save", str(documents / "投诉.xlsx")),
                                 ("open", str(documents))]
    # Then each in its own last folder; a kind not used yet still in Documents.
    assert file_dialogs.save_path(None, FileKind.COMPLAINT_LIST, "导出", "b.xlsx", "") == ""
    assert file_dialogs.open_path(None, FileKind.ROSTER_IMPORT, "花名册", "") == ""
    assert file_dialogs.save_path(None, FileKind.MONTHLY_WORKBOOK, "月报", "m.xlsx", "") == ""
    assert asked_dialogs[2:] == [("save", str(exports / "b.xlsx")), ("open", str(rosters)),
                                 ("save", str(documents / "m.xlsx"))]
    # Kept on disk for the next session; a folder deleted since falls back to Documents.
    file_dialogs.remember_in(WindowState(tmp_path / "window-state.ini"))
    assert file_dialogs.last_folder(FileKind.COMPLAINT_LIST) == str(exports)
    rosters.rmdir()
    assert file_dialogs.last_folder(FileKind.ROSTER_IMPORT) == str(documents)
    file_dialogs.remember_in(None)


def test_cancel_changes_no_folder(tmp_path: Path, documents: Path,
                                  asked_dialogs: Recorded) -> None:
    file_dialogs.remember_in(WindowState(tmp_path / "window-state.ini"))
    assert file_dialogs.save_path(None, FileKind.DAILY_REPORT, "日报", "d.xlsx", "") == ""
    assert file_dialogs.last_folder(FileKind.DAILY_REPORT) == str(documents)
    file_dialogs.remember_in(None)


def test_no_ui_module_calls_qfiledialog_but_the_helper() -> None:
    callers = sorted(str(path.relative_to(ROOT)) for path in (ROOT / "ui").rglob("*.py")
                     if "QFileDialog" in path.read_text(encoding="utf-8")
                     and path.name != "file_dialogs.py")
    assert callers == []


# -- after an export -------------------------------------------------------------------------------
def test_after_an_export_the_file_or_its_folder_opens(qtbot: QtBot, tmp_path: Path,
                                                      chinese_ui: None,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    saved = tmp_path / "导出" / "投诉 2026-12-04.xlsx"
    parent = QWidget()
    qtbot.addWidget(parent)
    expected = {"openFileButton": ("打开文件(&O)", saved),
                "openFolderButton": ("打开所在文件夹(&F)", saved.parent),
                "closeButton": ("关闭(&C)", None)}
    for button_name, (_text, target) in expected.items():
        opened.clear()
        box = file_dialogs.offer_to_open(parent, "导出投诉", f"已保存到 {saved}。", saved)
        assert box.isVisible() and box.objectName() == "exportDoneMessage"
        names = {b.objectName(): b.text() for b in box.findChildren(QPushButton)}
        assert names == {name: t for name, (t, _target) in expected.items()}
        keys = [re.search(r"&(\w)", t).group(1) for t in names.values()]
        assert len(set(keys)) == len(keys)  # Alt+O, Alt+F, Alt+C
        button = box.findChild(QPushButton, button_name)
        assert button.accessibleName()
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        assert opened == ([QUrl.fromLocalFile(str(target))] if target else [])
        qtbot.waitUntil(lambda: not parent.findChildren(QMessageBox))  # closed and deleted
