"""The roster import wizard: choose the workbook, check the columns, see what would happen,
then import everything or nothing."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from app.domain.roles import Actor
from app.errors import ValidationError
from app.importers.roster import RosterPreview, RosterResult, preview_roster, read_roster
from app.importers.roster import save_rejected as write_rejected
from app.services import Services
from app.services.customer_import import ImportSummary, import_roster
from ui.errors import show_error
from ui.file_dialogs import FileKind, offer_to_open, open_path, save_path
from ui.forms import name
from ui.operations import Op


class ImportWizard(QWizard):
    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services, self.actor = services, actor
        self.preview: RosterPreview | None = None
        self.roster: RosterResult | None = None
        self.summary: ImportSummary | None = None
        self.setObjectName("importWizard")
        self.setWindowTitle(self.tr("Import a customer roster"))
        self.setAccessibleName(self.windowTitle())
        self.resize(860, 600)
        self.file_page = FilePage(self)
        self.mapping_page = MappingPage(self)
        self.result_page = ResultPage(self)
        for page in (self.file_page, self.mapping_page, self.result_page):
            self.addPage(page)

    def reject(self) -> None:
        # Closing the wizard stops a check or an import still running; nothing is kept.
        self.result_page.stop()
        super().reject()

    def field_labels(self) -> dict[str, str]:
        return {"name": self.tr("Name"), "title": self.tr("Title"),
                "customer_type": self.tr("Customer type"), "phone": self.tr("Phone"),
                "phone2": self.tr("Second phone"), "estate": self.tr("Estate"),
                "building": self.tr("Building"), "unit": self.tr("Unit"),
                "room": self.tr("Room"), "address": self.tr("Unit in one cell"),
                "role": self.tr("Role at the unit"), "notes": self.tr("Notes")}


class FilePage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.w = wizard
        self.setTitle(self.tr("Choose the workbook"))
        self.setSubTitle(self.tr("An Excel roster (.xlsx) with a name and a phone column; title "
                                 "rows above the header are fine."))
        self.path = name(QLineEdit(), "rosterPathEdit", self.tr("Workbook"))
        self.path.setReadOnly(True)
        self.browse = name(QPushButton(self.tr("&Browse…")), "rosterBrowseButton",
                           self.tr("Choose the workbook"))
        self.browse.clicked.connect(self.choose)
        self.sheet = name(QComboBox(), "rosterSheetCombo", self.tr("Sheet"))
        self.sheet.activated.connect(lambda _i: self.load(self.sheet.currentText()))
        self.status = QLabel()
        self.status.setObjectName("rosterFileStatus")
        self.status.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(self.browse)
        form = QFormLayout(self)
        form.addRow(self.tr("&Workbook:"), row)
        form.addRow(self.tr("&Sheet:"), self.sheet)
        form.addRow("", self.status)

    def choose(self) -> None:
        path = open_path(self, FileKind.ROSTER_IMPORT, self.tr("Choose the roster"),
                         self.tr("Excel workbook (*.xlsx)"))
        if path:
            self.path.setText(path)
            self.load(None)

    def load(self, sheet: str | None) -> None:
        path = self.path.text()
        self.w.preview = None
        self.status.setText(self.tr("Reading…"))
        self.completeChanged.emit()
        Op(self, lambda: preview_roster(path, sheet)).success(self._loaded) \
            .failure(self._failed).run()

    def _loaded(self, preview: RosterPreview) -> None:
        self.w.preview = preview
        self.sheet.clear()
        self.sheet.addItems(preview.sheet_names)
        self.sheet.setCurrentText(preview.sheet)
        self.status.setText(self.tr("Header found in row {row}: {headers}").format(
            row=preview.header_row, headers="、".join(h for h in preview.headers if h)))
        self.completeChanged.emit()

    def _failed(self, error: BaseException) -> None:
        self.status.setText(str(error))
        self.completeChanged.emit()

    def isComplete(self) -> bool:  # noqa: N802
        return self.w.preview is not None


class MappingPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.w = wizard
        self.setTitle(self.tr("Check the columns"))
        self.setSubTitle(self.tr("CallDesk guessed which column holds what. Correct any guess; "
                                 "the sample shows the first rows."))
        self.combos: dict[str, QComboBox] = {}
        grid = QGridLayout()
        for index, (field, label) in enumerate(wizard.field_labels().items()):
            combo = name(QComboBox(), f"map_{field}Combo", label)
            self.combos[field] = combo
            grid.addWidget(QLabel(label), index // 3, (index % 3) * 2)
            grid.addWidget(combo, index // 3, (index % 3) * 2 + 1)
        self.sample = name(QTableWidget(), "rosterSampleTable", self.tr("Sample rows"))
        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addWidget(self.sample, 1)

    def initializePage(self) -> None:  # noqa: N802
        preview = self.w.preview
        assert preview is not None
        for field, combo in self.combos.items():
            combo.clear()
            combo.addItem(self.tr("(not in the roster)"), -1)
            for column, header in enumerate(preview.headers):
                combo.addItem(header or self.tr("column {n}").format(n=column + 1), column)
            combo.setCurrentIndex(combo.findData(preview.mapping.get(field, -1)))
        self.sample.clear()
        self.sample.setColumnCount(len(preview.headers))
        self.sample.setHorizontalHeaderLabels(preview.headers)
        self.sample.setRowCount(len(preview.sample))
        for r, values in enumerate(preview.sample):
            for c, value in enumerate(values[:len(preview.headers)]):
                self.sample.setItem(r, c, QTableWidgetItem(value))

    def mapping(self) -> dict[str, int]:
        return {field: combo.currentData() for field, combo in self.combos.items()
                if combo.currentData() is not None and combo.currentData() >= 0}

    def validatePage(self) -> bool:  # noqa: N802
        if "name" not in self.mapping() or not {"phone", "phone2"} & set(self.mapping()):
            show_error(self, ValidationError(self.tr(
                "Choose the column with the names and at least one column with phone "
                "numbers.")))
            return False
        return True


class ResultPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.w = wizard
        self.imported = False
        self.running: Op | None = None
        self.setTitle(self.tr("Check and import"))
        self.summary = QLabel()
        self.summary.setObjectName("importSummaryLabel")
        self.summary.setWordWrap(True)
        self.errors = name(QListWidget(), "importErrorsList", self.tr("Row problems"))
        self.save_rejected = name(QPushButton(self.tr("Save problem &rows…")),
                                  "saveRejectedButton", self.tr("Save problem rows"))
        self.save_rejected.clicked.connect(self.save)
        self.import_button = name(QPushButton(self.tr("&Import")), "runImportButton",
                                  self.tr("Import"))
        self.import_button.clicked.connect(self.run_import)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_rejected)
        buttons.addStretch(1)
        buttons.addWidget(self.import_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.errors, 1)
        layout.addLayout(buttons)

    def initializePage(self) -> None:  # noqa: N802
        self.imported = False
        self.errors.clear()
        self.import_button.setEnabled(False)
        self.save_rejected.setEnabled(False)
        self.summary.setText(self.tr("Checking every row…"))
        preview = self.w.preview
        assert preview is not None
        path, sheet, header = self.w.file_page.path.text(), preview.sheet, preview.header_row
        mapping = self.w.mapping_page.mapping()
        services, actor = self.w.services, self.w.actor

        def check():  # noqa: ANN202 - generator: read, then a dry run counting outcomes
            roster = read_roster(path, sheet, header, mapping)
            summary = yield from import_roster(services.db, actor, roster, dry_run=True)
            return roster, summary

        self.running = Op(self, check) \
            .with_progress(self.tr("Checking the roster…"), cancellable=True) \
            .success(self._checked).failure(self._failed) \
            .cancelled(lambda: self.summary.setText(self.tr(
                "Check stopped. Go back and press Next to check again."))).run()

    def stop(self) -> None:
        if self.running is not None:
            self.running.cancel()

    def _checked(self, result: tuple[RosterResult, ImportSummary]) -> None:
        self.w.roster, summary = result
        self.summary.setText(self.tr(
            "Ready to import: {created} new card(s), {updated} card(s) to complete, "
            "{unchanged} already up to date. {rejected} row(s) cannot be imported (listed "
            "below); nothing is written until you press Import.").format(
            created=summary.created, updated=summary.updated, unchanged=summary.unchanged,
            rejected=len(self.w.roster.rejected)))
        # each message starts with its Excel row; the check adds what only the card file
        # can tell (a unit several estates have)
        for error in summary.errors:
            self.errors.addItem(error.message)
        self.import_button.setEnabled(summary.created + summary.updated > 0)
        self.save_rejected.setEnabled(bool(self.w.roster.rejected))

    def _failed(self, error: BaseException) -> None:
        self.summary.setText(str(error))
        show_error(self, error)

    def run_import(self) -> None:
        roster = self.w.roster
        assert roster is not None
        services, actor = self.w.services, self.w.actor
        self.running = Op(self, lambda: import_roster(services.db, actor, roster)) \
            .disabling(self.import_button).with_progress(self.tr("Importing…"), cancellable=True) \
            .success(self._imported).failure(self._import_failed) \
            .cancelled(self._import_cancelled).run()

    def _import_cancelled(self) -> None:
        self.summary.setText(self.tr("Import stopped; nothing was written. Press Import to "
                                     "start again."))

    def _imported(self, summary: ImportSummary) -> None:
        self.w.summary = summary
        self.imported = True
        self.import_button.setEnabled(False)  # done: a second press would import it twice
        self.summary.setText(self.tr("Imported: {created} new card(s), {updated} completed, "
                                     "{unchanged} unchanged.").format(
            created=summary.created, updated=summary.updated, unchanged=summary.unchanged))
        self.completeChanged.emit()

    def _import_failed(self, error: BaseException) -> None:
        show_error(self, error)

    def isComplete(self) -> bool:  # noqa: N802
        return self.imported

    def save(self) -> None:
        roster = self.w.roster
        if roster is None:
            return
        path = save_path(self, FileKind.IMPORT_PROBLEMS, self.tr("Save problem rows"),
                         self.tr("problem-rows.xlsx"), self.tr("Excel workbook (*.xlsx)"), ".xlsx")
        if path:
            title = self.tr("Save problem rows")
            Op(self, lambda: write_rejected(roster, path)).success(
                lambda _result: offer_to_open(self, title, self.tr("Saved to {path}.").format(
                    path=path), path)).run()
