"""工具 → 备份与恢复: the embedded database's backups, a backup now, and a restore.

A restore checks the backup, copies the database as it is into the backups folder, puts the
backup in its place and then CallDesk opens it afresh (everyone signs in again). On a
PostgreSQL server the backups are the server's: the dialog says so and shows the command.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.backups import server
from app.backups.copies import Backup
from app.backups.describe import reason_text, records_summary, size_text
from app.backups.restore import Restored
from app.backups.service import MANUAL, BackupService, Taken
from app.domain.roles import Actor
from app.settings import BACKUP_SECOND_LOCATION
from ui import file_dialogs
from ui.context import UiContext
from ui.file_dialogs import FileKind
from ui.forms import name
from ui.operations import Op

COLUMNS = 4


class BackupsDialog(QDialog):
    def __init__(self, context: UiContext, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context, self.actor = context, actor
        self.backups: BackupService | None = context.backups
        self.restored: Restored | None = None
        self.setObjectName("backupsDialog")
        self.setWindowTitle(self.tr("Backup and restore"))
        self.setAccessibleName(self.windowTitle())
        self.resize(860, 520)
        layout = QVBoxLayout(self)
        self.close_button = name(QPushButton(self.tr("Close")), "closeBackupsButton",
                                 self.tr("Close"))
        self.close_button.clicked.connect(self.reject)
        if self.backups is None:
            self._explain_server(layout)
        else:
            self._build(layout, self.backups)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.close_button)
        layout.addLayout(bottom)

    # -- a server, or the demo -----------------------------------------------------------
    def _explain_server(self, layout: QVBoxLayout) -> None:
        db = self.context.services.db
        self.resize(760, 240)
        if self.context.demo:
            text = self.tr("The demo database is thrown away on exit, so it has no backups.")
        else:
            text = self.tr(
                "This database is on a PostgreSQL server ({server}), shared by every front "
                "desk. Its backups are the server's, not this PC's: ask the administrator to "
                "back it up on the server regularly with pg_dump, for example with the "
                "command below, and to restore with pg_restore.").format(
                server=f"{db.url.host or 'localhost'}:{db.url.port or 5432}/{db.url.database}")
        self.server_label = name(QLabel(text), "backupsServerLabel", self.tr("Backups"))
        self.server_label.setWordWrap(True)
        layout.addWidget(self.server_label)
        if not self.context.demo:
            self.command = name(QLineEdit(server.shown_command(db.url)), "pgDumpCommandEdit",
                                self.tr("pg_dump command"))
            self.command.setReadOnly(True)
            layout.addWidget(self.command)
        layout.addStretch(1)

    # -- the embedded database -----------------------------------------------------------
    def _build(self, layout: QVBoxLayout, backups: BackupService) -> None:
        intro = name(QLabel(self.tr(
            "CallDesk backs up the database at the first start of each day, every four hours "
            "while it runs and on quit, and checks each backup after writing it. It keeps "
            "the last 7 days, 4 weeks and 12 months; copies taken before an upgrade or a "
            "restore are kept apart. Folder: {folder}").format(folder=backups.folder)),
            "backupsIntroLabel", self.tr("About the backups"))
        intro.setWordWrap(True)
        intro.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(intro)
        self.table = name(QTableWidget(0, COLUMNS), "backupsTable", self.tr("Backups"))
        self.table.setHorizontalHeaderLabels(
            [self.tr("Taken"), self.tr("Why"), self.tr("Size"), self.tr("Records")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        for column in range(COLUMNS - 1):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COLUMNS - 1, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.itemDoubleClicked.connect(lambda _item: self.restore_selected())
        layout.addWidget(self.table, 1)

        self.status = name(QLabel(), "backupsStatusLabel", self.tr("What happened"))
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        buttons = QHBoxLayout()
        self.backup_button = name(QPushButton(self.tr("&Back up now")), "backupNowButton",
                                  self.tr("Back up now"))
        self.restore_button = name(QPushButton(self.tr("&Restore…")), "restoreBackupButton",
                                   self.tr("Restore the selected backup"))
        self.restore_file_button = name(QPushButton(self.tr("Restore from a &file…")),
                                        "restoreFromFileButton",
                                        self.tr("Restore a backup file from elsewhere"))
        self.folder_button = name(QPushButton(self.tr("&Open backups folder")),
                                  "openBackupsFolderButton", self.tr("Open backups folder"))
        self.backup_button.clicked.connect(self.back_up_now)
        self.restore_button.clicked.connect(self.restore_selected)
        self.restore_file_button.clicked.connect(self.restore_from_file)
        self.folder_button.clicked.connect(self._open_folder)
        for button in (self.backup_button, self.restore_button, self.restore_file_button,
                       self.folder_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)

        second = QGroupBox(self.tr("Second location (a USB drive or another PC's share)"))
        second.setObjectName("secondLocationBox")
        second.setAccessibleName(second.title())
        row = QHBoxLayout(second)
        self.second_location = name(QLineEdit(), "secondLocationEdit",
                                    self.tr("Second backup location"))
        self.second_location.setReadOnly(True)
        self.second_location.setPlaceholderText(self.tr("(none: backups stay on this PC only)"))
        self.second_location.setText(str(backups.second_location or ""))
        self.choose_button = name(QPushButton(self.tr("&Choose folder…")),
                                  "chooseSecondLocationButton",
                                  self.tr("Choose the second backup location"))
        self.clear_button = name(QPushButton(self.tr("No &second copy")),
                                 "clearSecondLocationButton",
                                 self.tr("Stop copying backups to a second location"))
        self.choose_button.clicked.connect(self.choose_second_location)
        self.clear_button.clicked.connect(lambda: self.set_second_location(""))
        row.addWidget(self.second_location, 1)
        row.addWidget(self.choose_button)
        row.addWidget(self.clear_button)
        layout.addWidget(second)
        self.setTabOrder(self.table, self.backup_button)
        self.reload()

    def reload(self, select: Path | None = None) -> None:
        assert self.backups is not None
        Op(self, self.backups.list).success(lambda found: self._show(found, select)).run()

    def _show(self, found: list[Backup], select: Path | None) -> None:
        self.table.setRowCount(0)
        for backup in found:
            row = self.table.rowCount()
            self.table.insertRow(row)
            cells = (backup.taken_at.strftime("%Y-%m-%d %H:%M"),
                     reason_text(backup.reason, backup.label), size_text(backup.size),
                     records_summary(backup.records))
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, backup)
                item.setToolTip(self._details(backup))
                if column == 2:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, column, item)
            if select is not None and backup.path == select or select is None and row == 0:
                self.table.selectRow(row)
        if not found:
            self.status.setText(self.tr("No backups yet. Back up now, or let CallDesk take "
                                        "the first one at its next start."))
        self._update_buttons()

    def _details(self, backup: Backup) -> str:
        lines = [str(backup.path)]
        if backup.integrity_ok is False:
            lines.append(self.tr("Failed its check after writing."))
        if backup.records:
            lines.append(self.tr("{n} records in all (every table counted when it was "
                                 "written)").format(n=f"{backup.total_records:,}"))
        return "\n".join(lines)

    def selected(self) -> Backup | None:
        items = self.table.selectedItems()
        return items[0].data(Qt.ItemDataRole.UserRole) if items else None

    def _update_buttons(self) -> None:
        self.restore_button.setEnabled(self.selected() is not None)

    # -- actions -----------------------------------------------------------------------
    def back_up_now(self) -> None:
        assert self.backups is not None
        backups = self.backups
        self.status.setText("")
        Op(self, lambda: backups.take(MANUAL)).with_progress(self.tr("Backing up…")) \
            .disabling(self.backup_button, self.restore_button, self.restore_file_button) \
            .success(self._backed_up).failure(self._failed).run()

    def _backed_up(self, taken: Taken) -> None:
        text = self.tr("Backed up and checked: {name} ({records}).").format(
            name=taken.backup.path.name, records=records_summary(taken.backup.records))
        if taken.copied_to is not None:
            text += " " + self.tr("Copied to {folder}.").format(folder=taken.copied_to.parent)
        if taken.copy_problem:
            text += " " + taken.copy_problem
        self.status.setText(text)
        self.reload(taken.backup.path)

    def _failed(self, error: BaseException) -> None:
        from ui.errors import show_error

        self.status.setText(str(error))
        show_error(self, error)

    def restore_selected(self) -> None:
        backup = self.selected()
        if backup is not None:
            self.restore(backup.path, backup.taken_at.strftime("%Y-%m-%d %H:%M"),
                         records_summary(backup.records))

    def restore_from_file(self) -> None:
        path = file_dialogs.open_path(self, FileKind.BACKUP_FILE, self.tr("Restore a backup"),
                                      self.tr("CallDesk backups (*.db);;All files (*)"))
        if path:
            self.restore(Path(path), Path(path).name, "")

    def confirm(self, when: str, records: str) -> bool:
        """Asks before restoring; the answer that changes nothing is the default."""
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Restore a backup"), self.tr(
            "Restore the backup of {when}{records} in place of the database?").format(
            when=when, records=f" ({records})" if records else ""),
            QMessageBox.StandardButton.Cancel, self)
        box.setObjectName("confirmRestoreBox")
        box.setAccessibleName(box.windowTitle())
        box.setInformativeText(self.tr(
            "The database as it is now is copied to the backups folder first and kept. "
            "Whatever was entered after this backup is then only in that copy. CallDesk "
            "opens again on the restored database and everyone signs in again."))
        restore = box.addButton(self.tr("Restore"), QMessageBox.ButtonRole.DestructiveRole)
        restore.setObjectName("confirmRestoreButton")
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        return box.clickedButton() is restore

    def restore(self, path: Path, when: str, records: str) -> None:
        assert self.backups is not None
        if not self.confirm(when, records):
            return
        backups, actor = self.backups, self.actor
        Op(self, lambda: backups.restore(actor, path)).with_progress(self.tr("Restoring…")) \
            .disabling(self.backup_button, self.restore_button, self.restore_file_button) \
            .success(self._restored).failure(self._failed).run()

    def _restored(self, restored: Restored) -> None:
        self.restored = restored
        box = QMessageBox(QMessageBox.Icon.Information, self.tr("Backup restored"), self.tr(
            "Restored: {records}. CallDesk now opens again on the restored database; please "
            "sign in again.").format(records=records_summary(restored.records)),
            QMessageBox.StandardButton.Ok, self)
        box.setObjectName("restoredBox")
        box.setAccessibleName(box.windowTitle())
        if restored.safety_copy is not None:
            box.setInformativeText(self.tr("The database as it was: {path}").format(
                path=restored.safety_copy))
        box.exec()
        self.accept()

    def choose_second_location(self) -> None:
        folder = file_dialogs.folder_path(self, FileKind.BACKUP_LOCATION,
                                          self.tr("Second backup location"),
                                          self.second_location.text())
        if folder:
            self.set_second_location(folder)

    def set_second_location(self, folder: str) -> None:
        assert self.backups is not None
        local = self.context.local
        local.set(BACKUP_SECOND_LOCATION, folder)
        local.save()
        self.backups.second_location = Path(folder) if folder else None
        self.second_location.setText(folder)
        self.status.setText(self.tr("From the next backup on, a copy goes to {folder}.")
                            .format(folder=folder) if folder else
                            self.tr("Backups are no longer copied to a second location."))

    def _open_folder(self) -> None:
        assert self.backups is not None
        self.backups.folder.mkdir(parents=True, exist_ok=True)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.backups.folder)))
