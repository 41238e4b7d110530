"""工具 → 备份与恢复, the automatic backups of a running CallDesk, and a damaged database
at start-up with its way out."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from app import clock
from app.backups import copies
from app.backups.service import BackupService
from app.db import Database, default_sqlite_url
from app.domain.roles import Actor, Role
from app.paths import AppPaths
from app.services import Services
from app.settings import BACKUP_SECOND_LOCATION, LocalSettings
from tests.backup_helpers import checksums, damage, filled_database
from ui import operations
from ui.application import AppController
from ui.backups_dialog import BackupsDialog
from ui.context import UiContext
from ui.damaged_database_dialog import DamagedDatabaseDialog
from ui.login_dialog import LoginDialog
from ui.main_window import MainWindow

pytestmark = [pytest.mark.gui, pytest.mark.usefixtures("chinese_ui")]

ADMIN = Actor(user_id=1, login="admin", display_name="李主任", role=Role.ADMIN)


@pytest.fixture
def desk(paths: AppPaths) -> UiContext:
    filled_database(paths.database_file)
    db = Database(default_sqlite_url(paths.database_file))
    yield UiContext(paths, LocalSettings(paths.settings_file), Services.open(db),
                    backups=BackupService(db, paths.backup_dir))
    operations.wait_for_all()
    db.dispose()


@pytest.fixture
def no_quit(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []
    monkeypatch.setattr(QApplication, "quit", lambda *a: calls.append("quit"))
    monkeypatch.setattr(QApplication, "exit", lambda *a: calls.append("exit"))
    return calls


def _rows(dialog: BackupsDialog) -> list[list[str]]:
    return [[dialog.table.item(row, column).text() for column in range(4)]
            for row in range(dialog.table.rowCount())]


def test_the_dialog_lists_backups_backs_up_now_and_is_for_administrators_only(
        qtbot: QtBot, desk: UiContext, tmp_path: Path) -> None:
    assert desk.backups is not None
    desk.backups.take("start")
    dialog = BackupsDialog(desk, ADMIN)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 1)
    assert dialog.windowTitle() == "备份与恢复"
    assert _rows(dialog)[0][1:] == ["启动时", _rows(dialog)[0][2],
                                    "10 客户 · 20 来电 · 3 投诉 · 1 回访"]
    tip = dialog.table.item(0, 3).toolTip()
    assert str(desk.paths.backup_dir) in tip and "条记录" in tip
    for widget in (dialog.table, dialog.backup_button, dialog.restore_button,
                   dialog.second_location, dialog.choose_button):
        assert widget.objectName() and widget.accessibleName()
    dialog.set_second_location(str(tmp_path / "usb"))
    assert LocalSettings(desk.paths.settings_file).get(BACKUP_SECOND_LOCATION) == \
        str(tmp_path / "usb")
    qtbot.mouseClick(dialog.backup_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 2)
    assert "已备份并校验" in dialog.status.text() and "已复制到" in dialog.status.text()
    assert len(list((tmp_path / "usb").glob("calldesk-*.db"))) == 1
    assert _rows(dialog)[0][1] == "手动" and dialog.table.currentRow() == 0

    operator = Actor(user_id=2, login="kf01", display_name="王芳", role=Role.OPERATOR)
    window = MainWindow(desk, operator)
    qtbot.addWidget(window)
    assert window.backups_action.text() == "备份与恢复(&B)…"
    assert not window.backups_action.isEnabled()
    admin_window = MainWindow(desk, ADMIN)
    qtbot.addWidget(admin_window)
    assert admin_window.backups_action.isEnabled()


def test_restore_asks_takes_a_safety_copy_and_gives_the_backups_records(
        qtbot: QtBot, desk: UiContext, monkeypatch: pytest.MonkeyPatch) -> None:
    assert desk.backups is not None
    database = desk.paths.database_file
    before = checksums(database)
    desk.backups.take("manual")
    with desk.services.db.write() as session:
        session.connection().exec_driver_sql("DELETE FROM customer_phones")
    changed = checksums(database)
    dialog = BackupsDialog(desk, ADMIN)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 1)
    asked: list[tuple[str, str]] = []
    monkeypatch.setattr(dialog, "confirm", lambda when, records: asked.append(
        (when, records)) or False)
    dialog.restore_selected()
    assert checksums(database) == changed and dialog.restored is None  # "no" changes nothing
    monkeypatch.setattr(dialog, "confirm", lambda when, records: True)
    monkeypatch.setattr("ui.backups_dialog.QMessageBox.exec", lambda box: 0)
    with qtbot.waitSignal(dialog.accepted, timeout=10_000):
        dialog.restore_selected()
    assert asked and asked[0][1] == "10 客户 · 20 来电 · 3 投诉 · 1 回访"
    assert checksums(database) == before
    assert dialog.restored is not None and dialog.restored.safety_copy is not None
    assert checksums(dialog.restored.safety_copy) == changed


def test_on_postgresql_the_dialog_says_backups_are_the_servers_and_shows_pg_dump(
        qtbot: QtBot, paths: AppPaths) -> None:
    db = Database("postgresql://calldesk:s3cret@192.168.1.10:5432/calldesk")
    context = UiContext(paths, LocalSettings(paths.settings_file), Services.open(db))
    dialog = BackupsDialog(context, ADMIN)
    qtbot.addWidget(dialog)
    assert "备份由服务器负责" in dialog.server_label.text()
    assert dialog.command.text().startswith("pg_dump --format=custom")
    assert "calldesk@192.168.1.10:5432/calldesk" in dialog.command.text()
    assert "s3cret" not in dialog.command.text() + dialog.server_label.text()
    assert dialog.findChild(QWidget, "backupsTable") is None
    db.dispose()


def test_a_running_desk_backs_up_at_start_and_on_quit(qtbot: QtBot, paths: AppPaths,
                                                     no_quit: list[str]) -> None:
    filled_database(paths.database_file)
    controller = AppController(paths, LocalSettings(paths.settings_file))
    controller.start()
    qtbot.waitUntil(lambda: isinstance(controller.dialog, LoginDialog), timeout=10_000)
    operations.wait_for_all()
    assert [b.reason for b in copies.in_folder(paths.backup_dir)] == ["start"]
    assert controller.backup_timer.isActive()
    controller.back_up_if_due("periodic")  # not four hours yet: nothing
    operations.wait_for_all()
    assert len(copies.in_folder(paths.backup_dir)) == 1
    with clock.running_from(clock.utcnow() + timedelta(hours=4, minutes=1)):
        controller.backup_timer.timeout.emit()  # what the timer does every ten minutes
        operations.wait_for_all()
        QApplication.processEvents()
        assert [b.reason for b in copies.in_folder(paths.backup_dir)] == ["periodic", "start"]
        controller.dialog.close()
        controller.shutdown()
    assert [b.reason for b in copies.in_folder(paths.backup_dir)] == ["quit", "periodic",
                                                                      "start"]
    assert not controller.backup_timer.isActive()


@pytest.mark.parametrize("how", ["truncated", "zeroed", "random bytes"])
def test_a_damaged_database_at_start_offers_the_latest_backup_and_keeps_the_file(
        qtbot: QtBot, paths: AppPaths, no_quit: list[str], how: str) -> None:
    filled_database(paths.database_file)
    good = checksums(paths.database_file)
    db = Database(default_sqlite_url(paths.database_file))
    BackupService(db, paths.backup_dir).take("quit")
    db.dispose()
    damaged = damage(paths.database_file, how)
    controller = AppController(paths, LocalSettings(paths.settings_file))
    controller.start()
    qtbot.waitUntil(lambda: isinstance(controller.damaged_dialog, DamagedDatabaseDialog),
                    timeout=10_000)
    dialog = controller.damaged_dialog
    assert str(paths.database_file) in dialog.message.text()
    assert "已损坏" in dialog.message.text() and "不会被覆盖" in dialog.message.text()
    assert dialog.list.topLevelItemCount() == 1
    assert dialog.list.topLevelItem(0).text(2) == "10 客户 · 20 来电 · 3 投诉 · 1 回访"
    assert dialog.list.currentItem() is dialog.list.topLevelItem(0) and no_quit == []
    dialog.restore_button.click()
    qtbot.waitUntil(lambda: isinstance(controller.dialog, LoginDialog), timeout=10_000)
    assert checksums(paths.database_file) == good
    aside = list(paths.data_dir.glob("calldesk-damaged-*.db"))
    assert len(aside) == 1 and aside[0].read_bytes() == damaged
    controller.dialog.close()
    controller.shutdown()


def test_without_a_backup_the_damaged_start_says_so_and_quits(
        qtbot: QtBot, paths: AppPaths, no_quit: list[str]) -> None:
    filled_database(paths.database_file)
    damaged = damage(paths.database_file, "zeroed")
    controller = AppController(paths, LocalSettings(paths.settings_file))
    controller.start()
    qtbot.waitUntil(lambda: controller.damaged_dialog is not None, timeout=10_000)
    dialog = controller.damaged_dialog
    assert "没有可恢复的备份" in dialog.message.text()
    assert not dialog.restore_button.isVisible() or not dialog.isVisible()
    dialog.quit_button.click()
    assert no_quit == ["exit"] and paths.database_file.read_bytes() == damaged


def test_after_a_restore_the_main_window_gives_way_to_a_fresh_start_on_the_database(
        qtbot: QtBot, paths: AppPaths, no_quit: list[str]) -> None:
    from tests.test_gui import first_start

    controller = first_start(qtbot, paths)
    window = controller.window
    assert window is not None and controller.context is not None
    old_db = controller.context.services.db
    window.restarting = True  # what 备份与恢复 sets once a backup is restored
    window.close()
    qtbot.waitUntil(lambda: isinstance(controller.dialog, LoginDialog), timeout=10_000)
    assert controller.window is None and no_quit == []
    assert controller.context is not None and controller.context.services.db is not old_db
    assert controller.backup_timer.isActive()
    controller.dialog.close()
    controller.shutdown()
