"""Settings: this PC's (language, database) and the centre's (name, scripts; admin only)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app import bootstrap
from app.db import migrate
from app.domain.roles import Actor, Permission
from app.errors import ValidationError
from app.services.handover import parse_shift_changes
from app.settings import (
    CALLBACK_DUE_MISSED,
    CALLBACK_DUE_NORMAL,
    CALLBACK_DUE_SERIOUS,
    CALLBACK_DUE_URGENT,
    CALLBACK_MAX_ATTEMPTS,
    CALLBACK_RETRY_MINUTES,
    CENTRE_NAME,
    DATABASE_URL,
    LANGUAGE,
    NOTICE_COMPLAINT,
    NOTICE_COMPLAINT_EXAMPLE,
    SCRIPT_CALLBACK,
    SCRIPT_CLOSING,
    SCRIPT_GREETING,
    SCRIPT_MISSED_CALL,
    SHIFT_CHANGES,
    SOFTPHONE_COMMAND,
)
from ui.context import UiContext
from ui.errors import show_error
from ui.forms import FieldErrors, error_label, name, plain_text
from ui.operations import Op

LANGUAGE_NAMES = {"zh_CN": "简体中文", "en": "English"}


class SettingsDialog(QDialog):
    def __init__(self, context: UiContext, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context, self.actor = context, actor
        self.setObjectName("settingsDialog")
        self.setWindowTitle(self.tr("Settings"))
        self.setAccessibleName(self.windowTitle())
        self.resize(620, 460)
        self.is_admin = actor.can(Permission.EDIT_SHARED_SETTINGS)
        local = context.local

        # -- this PC --
        self.language = name(QComboBox(), "languageCombo", self.tr("Language"))
        for code, label in LANGUAGE_NAMES.items():
            self.language.addItem(label, code)
        self.language.setCurrentIndex(self.language.findData(local.get(LANGUAGE)))
        self.database_url = name(QLineEdit(local.get(DATABASE_URL)), "databaseUrlEdit",
                                 self.tr("Database address"))
        self.database_url.setPlaceholderText(
            self.tr("empty: this PC's own database; shared: postgresql://user:password@server/calldesk"))
        self.database_url.setEnabled(self.is_admin)
        self.test_button = name(QPushButton(self.tr("&Test connection")), "testDatabaseButton",
                                self.tr("Test connection"))
        self.test_button.setEnabled(self.is_admin)
        self.test_button.clicked.connect(self.test_connection)
        url_row = QHBoxLayout()
        url_row.addWidget(self.database_url, 1)
        url_row.addWidget(self.test_button)
        self.softphone = name(QLineEdit(local.get(SOFTPHONE_COMMAND)), "softphoneCommandEdit",
                              self.tr("Softphone command"))
        self.softphone.setPlaceholderText(
            self.tr("the softphone program, then {number}; empty: the number is copied"))
        restart = QLabel(self.tr("Language and database take effect the next time CallDesk "
                                 "starts."))
        restart.setWordWrap(True)
        restart.setObjectName("restartNote")
        local_page = QWidget()
        local_page.setObjectName("localSettingsPage")
        local_form = QFormLayout(local_page)
        local_form.addRow(self.tr("&Language:"), self.language)
        database_label = QLabel(self.tr("&Database:"))
        database_label.setBuddy(self.database_url)  # a row of widgets has no buddy by itself
        local_form.addRow(database_label, url_row)
        softphone_label = QLabel(self.tr("&Softphone:"))
        softphone_label.setBuddy(self.softphone)
        local_form.addRow(softphone_label, self.softphone)
        local_form.addRow("", restart)

        # -- the centre (shared) --
        self.centre = name(QLineEdit(), "settingsCentreNameEdit", self.tr("Service centre name"))
        self.centre.setMaxLength(CENTRE_NAME.max_length or 60)
        self.scripts: dict[str, QPlainTextEdit] = {}
        labels = {CENTRE_NAME.key: error_label("centreNameSettingError")}
        shared_page = QWidget()
        shared_page.setObjectName("sharedSettingsPage")
        shared_form = QFormLayout(shared_page)
        shared_form.addRow(self.tr("Service centre &name:"), self.centre)
        shared_form.addRow("", labels[CENTRE_NAME.key])
        for option, label in ((SCRIPT_GREETING, self.tr("&Greeting script:")),
                              (SCRIPT_CLOSING, self.tr("&Closing script:")),
                              (SCRIPT_CALLBACK, self.tr("Call&back script:")),
                              (SCRIPT_MISSED_CALL, self.tr("&Missed-call script:"))):
            edit = QPlainTextEdit()
            edit.setTabChangesFocus(True)
            name(edit, f"{option.key}Edit", plain_text(label).rstrip(":："))
            edit.setMaximumHeight(80)
            self.scripts[option.key] = edit
            labels[option.key] = error_label(f"{option.key}Error")
            shared_form.addRow(label, edit)
            shared_form.addRow("", labels[option.key])
        hint = QLabel(self.tr("{centre} in a script is replaced by the centre's name."))
        hint.setObjectName("scriptHint")
        shared_form.addRow("", hint)
        # The message a desk that texts its callers sends after a complaint is registered.
        notice_label = self.tr("Complaint te&xt message:")
        notice = QPlainTextEdit()
        notice.setTabChangesFocus(True)
        name(notice, f"{NOTICE_COMPLAINT.key}Edit", plain_text(notice_label).rstrip(":："))
        notice.setMaximumHeight(70)
        notice.setPlaceholderText(NOTICE_COMPLAINT_EXAMPLE)
        self.scripts[NOTICE_COMPLAINT.key] = notice
        labels[NOTICE_COMPLAINT.key] = error_label(f"{NOTICE_COMPLAINT.key}Error")
        shared_form.addRow(notice_label, notice)
        shared_form.addRow("", labels[NOTICE_COMPLAINT.key])
        notice_hint = QLabel(self.tr("Leave empty if the desk sends no text message. {number} "
                                     "is the complaint number, {due} its resolution deadline, "
                                     "{name} the customer."))
        notice_hint.setObjectName("noticeHint")
        notice_hint.setWordWrap(True)
        shared_form.addRow("", notice_hint)
        # When shifts change, for the handover (交接班).
        self.shifts = name(QLineEdit(), "settingsShiftChangesEdit", self.tr("Shift changes"))
        self.shifts.setMaxLength(SHIFT_CHANGES.max_length or 60)
        self.shifts.setPlaceholderText("08:00,16:00")
        labels[SHIFT_CHANGES.key] = error_label(f"{SHIFT_CHANGES.key}Error")
        shared_form.addRow(self.tr("Shi&fts change at:"), self.shifts)
        shared_form.addRow("", labels[SHIFT_CHANGES.key])
        for widget in (self.centre, self.shifts, *self.scripts.values()):
            widget.setEnabled(self.is_admin)
        if not self.is_admin:
            shared_form.addRow("", QLabel(self.tr("Only an administrator changes these.")))
        self.errors = FieldErrors(labels, error_label("settingsError"),
                                  {CENTRE_NAME.key: self.centre,
                                   SHIFT_CHANGES.key: self.shifts, **self.scripts})

        # -- callbacks (shared): how soon after a complaint is resolved, and retries --
        callback_page = QWidget()
        callback_page.setObjectName("callbackSettingsPage")
        callback_form = QFormLayout(callback_page)
        self.callback_hours: dict[str, QDoubleSpinBox] = {}
        for option, label in ((CALLBACK_DUE_URGENT, self.tr("Urgent complaints: within")),
                              (CALLBACK_DUE_SERIOUS, self.tr("Serious complaints: within")),
                              (CALLBACK_DUE_NORMAL, self.tr("Normal complaints: within")),
                              (CALLBACK_DUE_MISSED, self.tr("Missed calls: call back within")),
                              (CALLBACK_RETRY_MINUTES, self.tr("Not reached: try again after"))):
            spin = name(QDoubleSpinBox(), f"{option.key}Spin", plain_text(label))
            spin.setRange(0.5, 720)
            spin.setDecimals(1)
            spin.setSingleStep(0.5)
            spin.setSuffix(self.tr(" working hours"))
            spin.setEnabled(self.is_admin)
            self.callback_hours[option.key] = spin
            callback_form.addRow(label, spin)
        self.callback_attempts = name(QSpinBox(), "callbackMaxAttemptsSpin",
                                      self.tr("Tries before the callback fails"))
        self.callback_attempts.setRange(1, 10)
        self.callback_attempts.setEnabled(self.is_admin)
        callback_form.addRow(self.tr("Tries before it counts as failed:"),
                             self.callback_attempts)
        callback_hint = QLabel(self.tr("Counted in working hours on the working calendar (Tools "
                                       "→ Deadline rules and calendar)."))
        callback_hint.setWordWrap(True)
        callback_form.addRow("", callback_hint)

        self.pages = name(QTabWidget(), "settingsPages", self.tr("Settings pages"))
        self.pages.addTab(local_page, self.tr("This PC"))
        self.pages.addTab(shared_page, self.tr("Service centre"))
        self.pages.addTab(callback_page, self.tr("Callbacks"))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        name(self.save_button, "settingsSaveButton", self.tr("Save"))
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages)
        layout.addWidget(self.errors.general)
        layout.addWidget(buttons)
        Op(self, context.services.settings.all).success(self._show_shared).run()

    def _show_shared(self, shared: dict[str, object]) -> None:
        self.centre.setText(str(shared.get(CENTRE_NAME.key) or ""))
        self.shifts.setText(str(shared.get(SHIFT_CHANGES.key) or SHIFT_CHANGES.default))
        for key, edit in self.scripts.items():
            edit.setPlainText(str(shared.get(key) or ""))
        for key, spin in self.callback_hours.items():
            spin.setValue(int(shared.get(key) or 0) / 60)
        self.callback_attempts.setValue(int(shared.get(CALLBACK_MAX_ATTEMPTS.key) or 3))

    def test_connection(self) -> None:
        url = self.database_url.text().strip() or bootstrap.database_url(self.context.paths)
        Op(self, lambda: bootstrap.probe(url)).disabling(self.test_button).success(self._tested) \
            .failure(self._test_failed).with_progress(self.tr("Connecting…")).run()

    def _tested(self, state: migrate.SchemaState) -> None:
        status = {
            migrate.EMPTY: self.tr("The database is empty; CallDesk will set it up."),
            migrate.CURRENT: self.tr("The database is ready."),
            migrate.BEHIND: self.tr("The database is older; CallDesk will upgrade it after a "
                                    "backup."),
            migrate.NEWER: self.tr("The database was written by a newer CallDesk; install the "
                                   "latest version first."),
        }[state.status]
        QMessageBox.information(self, self.tr("Test connection"),
                                self.tr("Connected. {status}").format(status=status))

    def _test_failed(self, error: BaseException) -> None:
        show_error(self, error)

    def _save_local(self) -> None:
        local = self.context.local
        local.set(LANGUAGE, self.language.currentData())
        local.set(SOFTPHONE_COMMAND, self.softphone.text().strip())
        if self.is_admin:
            local.set(DATABASE_URL, self.database_url.text().strip())
        local.save()

    def submit(self) -> None:
        self.errors.clear()
        if not self.is_admin:
            self._save_local()
            self.accept()
            return
        values = {CENTRE_NAME: self.centre.text().strip()}
        for option in (SCRIPT_GREETING, SCRIPT_CLOSING, SCRIPT_CALLBACK, SCRIPT_MISSED_CALL,
                       NOTICE_COMPLAINT):
            values[option] = self.scripts[option.key].toPlainText().strip()
        for option in (CALLBACK_DUE_URGENT, CALLBACK_DUE_SERIOUS, CALLBACK_DUE_NORMAL,
                       CALLBACK_DUE_MISSED, CALLBACK_RETRY_MINUTES):
            values[option] = round(self.callback_hours[option.key].value() * 60)
        values[CALLBACK_MAX_ATTEMPTS] = self.callback_attempts.value()
        shifts = self.shifts.text().strip()
        try:
            parse_shift_changes(shifts)
        except ValidationError as error:
            self.pages.setCurrentIndex(1)
            self.errors.show(ValidationError(str(error), {SHIFT_CHANGES.key: str(error)}))
            return
        values[SHIFT_CHANGES] = shifts
        if not values[CENTRE_NAME]:
            message = self.tr("Enter the service centre's name; it heads every slip and report.")
            self.pages.setCurrentIndex(1)
            self.errors.show(ValidationError(message, {CENTRE_NAME.key: message}))
            return
        self.errors.submit(
            self, self.save_button,
            lambda: self.context.services.settings.set_many(self.actor, values), self._saved,
            before_showing=lambda: self.pages.setCurrentIndex(1))

    def _saved(self, _result: object) -> None:
        self._save_local()  # only once the shared part is in: all or nothing
        self.accept()

