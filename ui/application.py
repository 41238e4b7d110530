"""Starting the GUI: translations, error handling, the database, setup or sign-in, the window."""

from __future__ import annotations

import argparse
import logging
import shutil
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QDialog

from app import APP_NAME, __version__
from app.backups.commands import second_location
from app.backups.service import PERIODIC, QUIT, START, BackupService, Taken
from app.bootstrap import Opened, database_url, open_database
from app.domain.roles import Actor
from app.errors import DatabaseProblem
from app.logging_setup import configure_logging
from app.paths import AppPaths, resolve_paths, resource
from app.services import Services
from app.settings import CENTRE_NAME, LANGUAGE, LocalSettings
from ui import errors, gc_guard, operations, single_instance, translations
from ui.context import UiContext
from ui.login_dialog import LoginDialog
from ui.main_window import MainWindow
from ui.setup_dialog import SetupDialog
from ui.window_state import WindowState

log = logging.getLogger(__name__)

LAST_LOGIN_KEY = "login/last"
# How often a running CallDesk looks whether a backup is due (one is every few hours).
BACKUP_CHECK_MS = 10 * 60_000


class AppController(QObject):
    """Walks a person from start to the main window, and back to sign-in on sign-out."""

    def __init__(self, paths: AppPaths, local: LocalSettings, *, database: str | None = None,
                 demo_mode: bool = False) -> None:
        super().__init__()
        self.paths = paths
        self.local = local
        self.database = database
        self.demo_mode = demo_mode
        self.demo_dir: Path | None = None
        self.context: UiContext | None = None
        self.window: MainWindow | None = None
        self.dialog: SetupDialog | LoginDialog | None = None
        self.window_state = WindowState(paths.window_state_file)
        self.pending_calls: list[tuple[str, bool]] = []  # handed over before sign-in
        self.url = ""
        self.damaged_dialog: QDialog | None = None
        self.backups: BackupService | None = None
        self.backup_timer = QTimer(self)
        self.backup_timer.setInterval(BACKUP_CHECK_MS)
        self.backup_timer.timeout.connect(lambda: self.back_up_if_due(PERIODIC))

    def incoming_call(self, phone: str, missed: bool) -> None:
        if self.window is not None:
            self.window.show_incoming(phone, missed)
        else:
            self.pending_calls.append((phone, missed))
            if self.dialog is not None:
                self.dialog.raise_()
                self.dialog.activateWindow()

    def bring_to_front(self) -> None:
        target = self.window or self.dialog
        if target is not None:
            target.showNormal()
            target.raise_()
            target.activateWindow()

    # -- start -----------------------------------------------------------------------------
    def start(self) -> None:
        if self.demo_mode:
            self.demo_dir = Path(tempfile.mkdtemp(prefix="calldesk-demo-"))
            url = f"sqlite:///{self.demo_dir / 'demo.db'}"
            label = self.tr("Making the demo database…")
        else:
            url = database_url(self.paths, self.database, self.local)
            label = self.tr("Opening the database…")
        self.url = url

        def work() -> tuple[Opened, Actor | None]:
            opened = open_database(url, self.paths)
            if not self.demo_mode:
                return opened, None
            from app import demo  # Faker is for the demo only: not on every start

            demo.fill(opened.db)
            return opened, demo.demo_actor(opened.db)

        operations.Op(None, work).success(self._opened).failure(self._could_not_open) \
            .with_progress(label).run()

    def _could_not_open(self, error: BaseException) -> None:
        damaged = self._damaged_file(error)
        if damaged is not None:
            self.offer_restore(damaged)
            return
        errors.show_error(None, error)
        QApplication.exit(1)

    def _damaged_file(self, error: BaseException) -> Path | None:
        if self.demo_mode or not isinstance(error, DatabaseProblem) or error.kind != "corrupt":
            return None
        from app.db.engine import normalise_url

        url = normalise_url(self.url)
        if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
            return None
        return Path(url.database)

    def offer_restore(self, database_file: Path) -> None:
        """A damaged database at start: the way out is a backup, the damaged file kept."""
        from ui.damaged_database_dialog import DamagedDatabaseDialog

        dialog = DamagedDatabaseDialog(database_file, self.paths.backup_dir)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.restored.connect(self.start)
        dialog.rejected.connect(lambda: QApplication.exit(1))
        self.damaged_dialog = dialog
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()

    def _opened(self, result: tuple[Opened, Actor | None]) -> None:
        opened, actor = result
        if opened.backup is not None:
            log.info("schema upgraded; backup at %s", opened.backup)
        services = Services.open(opened.db)
        if opened.db.sqlite_file is not None and not self.demo_mode:
            self.backups = BackupService(opened.db, self.paths.backup_dir,
                                         second_location(self.local))
        self.context = UiContext(self.paths, self.local, services, demo=self.demo_mode,
                                 backups=self.backups)
        if self.backups is not None:
            self.backup_timer.start()
        if actor is not None:
            self.show_main_window(actor)
            return
        self.ask_who()
        # After the question who signs in, on the same worker: the sign-in dialog is up
        # while the day's first backup is written.
        self.back_up_if_due(START)

    # -- backups -----------------------------------------------------------------------------
    def back_up_if_due(self, reason: str) -> None:
        """At the first start of the day and every few hours: off the UI thread, quietly;
        a problem is logged and said in the status bar, never a box in the way."""
        backups = self.backups
        if backups is None:
            return
        operations.Op(None, lambda: backups.take_if_due(reason)).success(self._backed_up) \
            .failure(self._backup_failed).run()

    def _backed_up(self, taken: Taken | None) -> None:
        if taken is not None and taken.copy_problem and self.window is not None:
            self.window.show_status(taken.copy_problem, 60_000)

    def _backup_failed(self, error: BaseException) -> None:
        log.warning("automatic backup failed: %s", error)
        if self.window is not None:
            self.window.show_status(str(error), 60_000)

    def restart(self) -> None:
        """CallDesk again on the database as it now is (after a restore): it is opened
        afresh (brought up to date if the backup was older) and everyone signs in again."""
        log.info("restarting on the restored database")
        self.window = None
        self.backup_timer.stop()
        operations.wait_for_all()
        if self.context is not None:
            self.context.services.db.dispose()
        self.context, self.backups = None, None
        self.start()

    def ask_who(self) -> None:
        """Setup on the very first start, sign-in after that."""
        assert self.context is not None
        services = self.context.services
        operations.Op(None, lambda: (services.users.needs_setup(),
                                     services.settings.get(CENTRE_NAME))) \
            .success(self._ask_who).run()

    def _ask_who(self, result: tuple[bool, str]) -> None:
        needs_setup, centre_name = result
        if needs_setup:
            self.show_setup()
        else:
            self.show_login(centre_name)

    def show_setup(self) -> None:
        assert self.context is not None
        dialog = SetupDialog(self.context.services.users, self.context.services.db.describe())
        self._open_dialog(dialog)

    def show_login(self, centre_name: str) -> None:
        assert self.context is not None
        dialog = LoginDialog(self.context.services.users, centre_name,
                             self.context.services.db.describe(),
                             self.window_state.value(LAST_LOGIN_KEY))
        self._open_dialog(dialog)

    def _open_dialog(self, dialog: SetupDialog | LoginDialog) -> None:
        self.dialog = dialog
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._signed_in(dialog.actor))
        dialog.rejected.connect(self._gave_up)
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()
        # Once the event loop has turned (the dialog is painted): the benchmark times the
        # start, from source and frozen, to this line (build_scripts/bench.py, 4c and 4d).
        which = "setup" if isinstance(dialog, SetupDialog) else "sign-in"
        QTimer.singleShot(0, lambda: log.info("%s window shown", which))

    def _gave_up(self) -> None:
        self.dialog = None
        if self.window is None:
            QApplication.quit()

    def _signed_in(self, actor: Actor | None) -> None:
        self.dialog = None
        assert actor is not None
        if not self.demo_mode:
            self.window_state.set_value(LAST_LOGIN_KEY, actor.login)
        self.show_main_window(actor)

    def show_main_window(self, actor: Actor) -> None:
        assert self.context is not None
        log.info("signed in: %s (%s)", actor.login, actor.role.value)
        window = MainWindow(self.context, actor)
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        window.sign_out_requested.connect(self._signed_out)
        window.restart_requested.connect(self.restart)
        window.closed.connect(QApplication.quit)
        self.window = window
        window.show()
        window.raise_()
        window.activateWindow()
        for phone, missed in self.pending_calls:
            window.show_incoming(phone, missed)
        self.pending_calls.clear()

    def _signed_out(self) -> None:
        self.window = None
        self.ask_who()

    # -- end -------------------------------------------------------------------------------
    def shutdown(self) -> None:
        self.backup_timer.stop()
        operations.wait_for_all()
        if self.backups is not None:
            try:  # on quit: the day's work, after the last save
                self.backups.take(QUIT)
            except Exception:  # noqa: BLE001 - never in the way of quitting; logged
                log.exception("backup on quit failed")
        if self.context is not None:
            self.context.services.db.dispose()
        if self.demo_dir is not None:
            shutil.rmtree(self.demo_dir, ignore_errors=True)


def create_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv or [sys.argv[0]])
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    # The frozen build ships the icon as .ico (drawn from the SVG when it was built) and no
    # SVG support; from source the SVG itself.
    ico = resource("icons", "calldesk.ico")
    app.setWindowIcon(QIcon(str(ico if ico.is_file() else resource("icons", "calldesk.svg"))))
    gc_guard.install(app)
    return app  # type: ignore[return-value]


def run(args: argparse.Namespace, paths: AppPaths | None = None) -> int:
    paths = (paths or resolve_paths(getattr(args, "data_dir", None))).ensure()
    configure_logging(paths.log_file)
    log.info("CallDesk %s starting", __version__)
    local = LocalSettings(paths.settings_file)
    app = create_application()
    translations.install(app, getattr(args, "lang", None) or local.get(LANGUAGE))
    errors.set_log_file(str(paths.log_file))
    errors.install_excepthook()
    # The sign-in dialog closes before the main window opens, and the main window closes on
    # sign-out; the controller decides when CallDesk ends.
    app.setQuitOnLastWindowClosed(False)
    demo_mode = getattr(args, "demo", False)
    incoming = getattr(args, "phone", None)
    if single_instance.send(paths, {"activate": True}, demo=demo_mode):
        log.info("CallDesk runs already; brought it to the front")
        return 0
    controller = AppController(paths, local, database=getattr(args, "database", None),
                               demo_mode=demo_mode)
    # The demo listens under its own name: `incoming-call --demo` reaches it, the desk's
    # softphone hook never does.
    server = single_instance.InstanceServer(paths, demo=demo_mode)
    server.incoming_call.connect(controller.incoming_call)
    server.activate.connect(controller.bring_to_front)
    server.listen()
    if incoming:
        controller.pending_calls.append((incoming, bool(getattr(args, "missed", False))))
    controller.start()
    code = app.exec()
    server.close()
    controller.shutdown()
    log.info("CallDesk stopped (%s)", code)
    return code
