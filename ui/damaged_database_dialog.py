"""A damaged database at start: what happened in plain words, and the way out.

The good backups are listed (date, why, records), the latest chosen; restoring renames the
damaged file aside (kept beside it, never overwritten) and puts the backup in its place,
then CallDesk opens it. Without a backup, the dialog says where the damaged file is and who
to ask.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.backups import copies, restore
from app.backups.copies import Backup
from app.backups.describe import reason_text, records_summary
from app.db import migrate
from ui.forms import name
from ui.operations import Op


def restorable(backups: list[Backup]) -> list[Backup]:
    """The backups worth offering: checked sound when written, a schema this program knows."""
    known = migrate.revisions().known
    return [backup for backup in backups
            if backup.integrity_ok is not False and (backup.schema is None or
                                                     backup.schema in known)]


class DamagedDatabaseDialog(QDialog):
    restored = Signal()

    def __init__(self, database_file: Path, backup_dir: Path,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database_file, self.backup_dir = database_file, backup_dir
        self.setObjectName("damagedDatabaseDialog")
        self.setWindowTitle(self.tr("The database is damaged"))
        self.setAccessibleName(self.windowTitle())
        self.resize(720, 420)
        layout = QVBoxLayout(self)
        self.message = name(QLabel(), "damagedDatabaseLabel", self.tr("What happened"))
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.message)
        self.list = name(QTreeWidget(), "goodBackupsList", self.tr("Backups to restore"))
        self.list.setRootIsDecorated(False)
        self.list.setHeaderLabels([self.tr("Taken"), self.tr("Why"), self.tr("Records")])
        self.list.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.list.itemDoubleClicked.connect(lambda _item, _column: self.restore_selected())
        layout.addWidget(self.list, 1)
        self.problem = name(QLabel(), "restoreProblemLabel", self.tr("Restore problem"))
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #b3261e;")
        self.problem.hide()
        layout.addWidget(self.problem)
        buttons = QHBoxLayout()
        self.restore_button = name(QPushButton(self.tr("&Restore this backup")),
                                   "restoreLatestButton", self.tr("Restore the chosen backup"))
        self.restore_button.setDefault(True)
        self.quit_button = name(QPushButton(self.tr("&Quit CallDesk")), "quitDamagedButton",
                                self.tr("Quit CallDesk"))
        self.restore_button.clicked.connect(self.restore_selected)
        self.quit_button.clicked.connect(self.reject)
        buttons.addStretch(1)
        buttons.addWidget(self.restore_button)
        buttons.addWidget(self.quit_button)
        layout.addLayout(buttons)
        self._show(restorable(copies.in_folder(backup_dir)))

    def _show(self, backups: list[Backup]) -> None:
        intro = self.tr("The database file {path} is damaged, so CallDesk cannot open it. "
                        "Nothing has been changed.").format(path=self.database_file)
        if backups:
            self.message.setText(intro + "\n\n" + self.tr(
                "Restore a backup to go on working: the latest is chosen. The damaged file is "
                "kept beside it under a new name (for IT to look at), never overwritten; "
                "whatever was entered after the backup is only in the damaged file."))
        else:
            self.message.setText(intro + "\n\n" + self.tr(
                "There is no backup in {folder} to restore. Quit and ask IT or the "
                "administrator for help; keep the damaged file as it is.").format(
                folder=self.backup_dir))
        self.list.clear()
        for backup in backups:
            item = QTreeWidgetItem([backup.taken_at.strftime("%Y-%m-%d %H:%M"),
                                    reason_text(backup.reason, backup.label),
                                    records_summary(backup.records)])
            item.setData(0, Qt.ItemDataRole.UserRole, backup)
            self.list.addTopLevelItem(item)
        self.list.setVisible(bool(backups))
        self.restore_button.setVisible(bool(backups))
        if backups:
            self.list.setCurrentItem(self.list.topLevelItem(0))
            self.list.setFocus()

    def restore_selected(self) -> None:
        item = self.list.currentItem()
        if item is None:
            return
        backup: Backup = item.data(0, Qt.ItemDataRole.UserRole)
        database_file, backup_dir = self.database_file, self.backup_dir
        self.problem.hide()
        Op(self, lambda: restore.restore(backup.path, database_file, backup_dir)) \
            .with_progress(self.tr("Restoring…")) \
            .disabling(self.restore_button, self.quit_button, self.list) \
            .success(self._restored).failure(self._failed).run()

    def _restored(self, _restored: restore.Restored) -> None:
        self.restored.emit()
        self.accept()

    def _failed(self, error: BaseException) -> None:
        from app.errors import CallDeskError
        from ui.errors import show_error

        if not isinstance(error, CallDeskError):
            show_error(self, error)
            return
        self.problem.setText(str(error) + " " + self.tr("Choose another backup."))
        self.problem.show()
