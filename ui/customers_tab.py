"""客户档案: one search box and a results table that pages from the database."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.roles import Actor, Permission
from app.services import Services
from app.services.customers import CustomerCard
from ui.customer_dialog import CustomerDialog
from ui.customer_model import CustomerTableModel
from ui.forms import name, shortcut
from ui.operations import Op
from ui.paged_model import keep_place
from ui.selection import SelectionFollower

SEARCH_DELAY_MS = 150  # results follow typing without a query per keystroke


class CustomersTab(QWidget):
    card_saved = Signal(int)
    complaint_wanted = Signal(int)  # from the card's complaints page

    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services, self.actor = services, actor
        self.setObjectName("customersTab")
        self.setAccessibleName(self.tr("Customer cards"))

        self.search = name(QLineEdit(), "customerSearchEdit", self.tr("Search customers"))
        self.search.setPlaceholderText(self.tr(
            "Name, pinyin (zs / zhangsan), 4+ digits of a phone number, or a unit (3-2-1502)"))
        self.search.setClearButtonEnabled(True)
        self.count_label = name(QLabel(), "customerCountLabel", self.tr("Matching cards"))

        self.model = CustomerTableModel(services.customers.search, self)
        self.table = name(QTableView(), "customersTable", self.tr("Customer cards"))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(26)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        for column, width in enumerate((130, 60, 80, 70, 230, 260, 130)):
            self.table.setColumnWidth(column, width)
        header.setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(lambda _index: self.open_selected())
        keep_place(self.table)

        self.new_button = name(QPushButton(self.tr("Ne&w card")), "newCustomerButton",
                               self.tr("New card"))
        self.new_button.setShortcut(QKeySequence("Ctrl+N"))
        self.open_button = name(QPushButton(self.tr("Ope&n")), "openCustomerButton",
                                self.tr("Open card"))
        self.merge_button = name(QPushButton(self.tr("&Merge…")), "mergeCustomersButton",
                                 self.tr("Merge two cards"))
        self.export_button = name(QPushButton(self.tr("E&xport…")), "exportCustomersButton",
                                  self.tr("Export to Excel"))
        self.new_button.clicked.connect(lambda: self.new_card())
        self.open_button.clicked.connect(self.open_selected)
        self.merge_button.clicked.connect(self.merge_selected)
        self.export_button.clicked.connect(self.export)
        self.print_button = name(QPushButton(self.tr("Pr&int…")), "printCustomerButton",
                                 self.tr("Print the customer card"))
        self.print_button.setShortcut(QKeySequence("Ctrl+P"))
        self.print_button.clicked.connect(self.print_selected)
        self.import_button = name(QPushButton(self.tr("Import ro&ster…")),
                                  "importRosterButton", self.tr("Import a roster"))
        self.import_button.clicked.connect(self.import_roster)
        self.import_button.setVisible(actor.can(Permission.IMPORT_CUSTOMERS))
        self.merge_button.setVisible(actor.can(Permission.MERGE_CUSTOMERS))
        self.export_button.setVisible(actor.can(Permission.EXPORT_CUSTOMERS))

        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.count_label)
        buttons = QHBoxLayout()
        for button in (self.new_button, self.open_button, self.merge_button,
                       self.print_button, self.import_button, self.export_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(lambda: self.model.search(self.search.text()))
        self.search.textChanged.connect(lambda _text: self._timer.start())
        self.search.returnPressed.connect(self._enter_in_search)
        self.model.loaded.connect(self._show_count)
        # Open and print act on the chosen card: without one they are off.
        self.follower = SelectionFollower(self.table, (self.open_button, self.print_button))
        shortcut("Ctrl+F", self, self.focus_search, Qt.ShortcutContext.WindowShortcut)
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):  # the keypad's Enter too
            shortcut(key, self.table, self.open_selected, Qt.ShortcutContext.WidgetShortcut)
        shortcut(Qt.Key.Key_Down, self.search, self._into_table, Qt.ShortcutContext.WidgetShortcut)
        self.model.search("")

    # -- searching -------------------------------------------------------------------------
    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def _show_count(self, total: int) -> None:
        self.count_label.setText(self.tr("{n} card(s)").format(n=total))
        if total and not self.table.selectionModel().hasSelection():
            self.table.selectRow(0)

    def _into_table(self) -> None:
        self.table.setFocus()
        if self.model.rowCount():
            self.table.selectRow(0)

    def _enter_in_search(self) -> None:
        # Enter searches at once; with exactly one result it opens the card.
        self._timer.stop()
        query = self.search.text()
        if self.model.query == query and self.model.total == 1 and not self.model.is_loading():
            self.table.selectRow(0)
            self.open_selected()
        else:
            self.model.search(query)

    def _selected_ids(self) -> list[int]:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [i for i in (self.model.customer_id(r) for r in rows) if i is not None]

    # -- actions ---------------------------------------------------------------------------
    def new_card(self, prefill_phone: str = "") -> CustomerCard | None:
        dialog = CustomerDialog(self.services, self.actor, None, prefill_phone, self)
        saved = dialog.saved if dialog.exec() else None
        dialog.deleteLater()  # a front desk opens hundreds of cards a day
        if saved is not None:
            self.model.refresh()
            self.card_saved.emit(saved.id)
        return saved

    def open_selected(self) -> None:
        ids = self._selected_ids()
        if ids:
            self.open_card(ids[0])

    def open_card(self, customer_id: int) -> None:
        Op(self, lambda: self.services.customers.get(customer_id)) \
            .success(self._edit).run()

    def _edit(self, card: CustomerCard) -> None:
        dialog = CustomerDialog(self.services, self.actor, card, parent=self)
        saved = dialog.saved if dialog.exec() else None
        wanted_complaint = dialog.wanted_complaint
        dialog.deleteLater()
        if saved is not None:
            self.model.refresh()
            self.card_saved.emit(saved.id)
        if wanted_complaint is not None:
            self.complaint_wanted.emit(wanted_complaint)

    def merge_selected(self) -> None:
        ids = self._selected_ids()
        if len(ids) != 2:
            QMessageBox.information(self, self.tr("Merge cards"), self.tr(
                "Select exactly two cards of the same person (Ctrl+click), then merge."))
            return
        rows = {r.id: r for r in self.model.rows}
        choices = [f"{n}. {rows[i].name}  {rows[i].phones}  {rows[i].units}"
                   for n, i in enumerate(ids, start=1)]
        choice, ok = QInputDialog.getItem(
            self, self.tr("Merge cards"),
            self.tr("Keep which card? The other one's numbers, units and history move to it."),
            choices, 0, False)
        if not ok:
            return
        keep = ids[choices.index(choice)]
        gone = ids[1 - choices.index(choice)]
        Op(self, lambda: self.services.customers.merge(self.actor, keep, gone)) \
            .success(lambda card: (self.model.refresh(), self.card_saved.emit(card.id))).run()

    def print_selected(self) -> None:
        ids = self._selected_ids()
        if not ids:
            return
        from app.settings import CENTRE_NAME
        from ui import customer_print

        customers, settings = self.services.customers, self.services.settings
        Op(self, lambda: (customers.get(ids[0]), settings.get(CENTRE_NAME))) \
            .success(lambda result: customer_print.preview(result[0], result[1], self)).run()

    def import_roster(self) -> None:
        from ui.import_wizard import ImportWizard

        wizard = ImportWizard(self.services, self.actor, self)
        wizard.exec()
        wizard.deleteLater()
        self.model.refresh()

    def export(self) -> None:
        from app.exporters.customers import export_customers
        from ui.file_dialogs import FileKind, offer_to_open, save_path

        path = save_path(self, FileKind.CUSTOMER_LIST, self.tr("Export customer cards"),
                         self.tr("customers.xlsx"), self.tr("Excel workbook (*.xlsx)"), ".xlsx")
        if not path:
            return
        query = self.search.text()
        Op(self, lambda: export_customers(self.services.customers, self.actor, query, path)) \
            .with_progress(self.tr("Exporting customer cards…"), cancellable=True) \
            .success(lambda count: offer_to_open(
                self, self.tr("Export customer cards"),
                self.tr("Exported {n} card(s) to {path}.").format(n=count, path=path), path)) \
            .run()
