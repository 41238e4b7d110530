"""The customer card (客户资料卡): edit one customer, with their numbers, units and history."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QStringListModel, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app import clock
from app.domain.customers import CustomerType, Tier, Title
from app.domain.roles import Actor
from app.domain.texts import NOTE_MAX
from app.errors import ValidationError
from app.services import Services
from app.services.audit import AuditRow
from app.services.callbacks import CallbackRow
from app.services.complaints import ComplaintRow
from app.services.customers import (
    CustomerCard,
    CustomerInput,
    NumberOnOtherCard,
    PhoneInput,
    UnitInput,
    UnitMatch,
)
from ui.complaint_model import complaint_item
from ui.customer_activity_model import ActivityTableModel
from ui.forms import FieldErrors, error_label, list_table, name, save_keys
from ui.operations import Op
from ui.text import local_time

UNIT_COMPLETION_DELAY_MS = 150  # completions follow typing without a query per keystroke


class CustomerDialog(QDialog):
    """A new card (``card`` None) or an existing one. ``prefill_phone`` is the number of an
    unknown caller, so the card can be made without leaving the call."""

    def __init__(self, services: Services, actor: Actor, card: CustomerCard | None = None,
                 prefill_phone: str = "", parent: QWidget | None = None, *,
                 may_leave: bool = True) -> None:
        """``may_leave`` False for a card opened over another card: it does not close to
        show a complaint elsewhere (the card beneath would be lost)."""
        super().__init__(parent)
        self.services, self.actor, self.card = services, actor, card
        self.may_leave = may_leave
        self.saved: CustomerCard | None = None
        self.setObjectName("customerDialog")
        self.setWindowTitle(self.tr("Customer card: {name}").format(name=card.name)
                            if card else self.tr("New customer card"))
        self.setAccessibleName(self.windowTitle())
        self.resize(760, 560)

        self.name_edit = name(QLineEdit(), "customerNameEdit", self.tr("Name"))
        self.name_edit.setMaxLength(40)
        self.title = name(QComboBox(), "customerTitleCombo", self.tr("Title"))
        self.title.addItem(self.tr("(none)"), Title.NONE.value)
        for title in (Title.MR, Title.MS):
            self.title.addItem(title.label, title.value)
        self.type = name(QComboBox(), "customerTypeCombo", self.tr("Customer type"))
        for kind in CustomerType:
            self.type.addItem(kind.label, kind.value)
        self.tier = name(QComboBox(), "customerTierCombo", self.tr("Tier"))
        for tier in (Tier.NORMAL, Tier.VIP, Tier.BLACKLIST):
            self.tier.addItem(tier.label, tier.value)
        self.do_not_call = name(QCheckBox(self.tr("Do not call bac&k")), "doNotCallCheck",
                                self.tr("Do not call back"))
        self.notes = name(QPlainTextEdit(), "customerNotesEdit", self.tr("Notes"))
        self.notes.setTabChangesFocus(True)
        self.notes.setMaximumHeight(70)

        # phones: number + label, one per row
        self.phones = name(QTableWidget(0, 2), "customerPhonesTable", self.tr("Phone numbers"))
        self.phones.setHorizontalHeaderLabels([self.tr("Number"), self.tr("Label")])
        self.phones.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.phones.verticalHeader().hide()
        self.phones.setTabKeyNavigation(False)
        self.add_phone_button = name(QPushButton(self.tr("Add nu&mber")), "addPhoneButton",
                                     self.tr("Add number"))
        self.remove_phone_button = name(QPushButton(self.tr("Remove number")),
                                        "removePhoneButton", self.tr("Remove number"))
        self.add_phone_button.clicked.connect(lambda: self._add_phone_row("", "", edit=True))
        self.remove_phone_button.clicked.connect(
            lambda: self._remove_current(self.phones))

        # units: typed in one field, the usual ways (3-2-1502, 3栋2单元1502)
        self.unit_edit = name(QLineEdit(), "unitEdit", self.tr("Unit"))
        self.unit_edit.setPlaceholderText(self.tr("e.g. 3-2-1502 or 3栋2单元1502"))
        # The units on file that the text so far can become, asked of the database as one
        # types (a few at a time, never the whole file): the service reads 9-1-14 as
        # building 9, unit 1, room 14…, so the popup shows them unfiltered.
        self.unit_completions = QStringListModel(self)
        self.unit_completer = QCompleter(self.unit_completions, self)
        self.unit_completer.setCompletionMode(
            QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.unit_completer.popup().setObjectName("unitCompletionsPopup")
        self.unit_completer.popup().setAccessibleName(self.tr("Units on file"))
        self.unit_edit.setCompleter(self.unit_completer)
        self._unit_timer = QTimer(self)
        self._unit_timer.setSingleShot(True)
        self._unit_timer.setInterval(UNIT_COMPLETION_DELAY_MS)
        self._unit_timer.timeout.connect(self._complete_unit)
        self.unit_edit.textEdited.connect(lambda _text: self._unit_timer.start())
        self.unit_role = name(QComboBox(), "unitRoleCombo", self.tr("Role at the unit"))
        for kind in CustomerType:
            self.unit_role.addItem(kind.label, kind.value)
        self.add_unit_button = name(QPushButton(self.tr("Add &unit")), "addUnitButton",
                                    self.tr("Add unit"))
        self.add_unit_button.clicked.connect(lambda: self._add_unit_from_edit())
        self.unit_edit.returnPressed.connect(lambda: self._add_unit_from_edit())
        self.units = name(QTableWidget(0, 2), "customerUnitsTable", self.tr("Units"))
        self.units.setHorizontalHeaderLabels([self.tr("Unit"), self.tr("Role")])
        self.units.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.units.verticalHeader().hide()
        self.units.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.units.setTabKeyNavigation(False)
        self.remove_unit_button = name(QPushButton(self.tr("Remove unit")), "removeUnitButton",
                                       self.tr("Remove unit"))
        self.remove_unit_button.clicked.connect(lambda: self._remove_current(self.units))

        labels = {key: error_label(f"customer_{key}Error")
                  for key in ("name", "phones", "units", "notes")}
        self.errors = FieldErrors(labels, error_label("customerError"), {
            "name": self.name_edit, "phones": self.phones, "units": self.unit_edit,
            "notes": self.notes})
        self.notes_counter = self.errors.counter("notes", self.notes, NOTE_MAX)

        form = QFormLayout()
        form.addRow(self.tr("&Name:"), self.name_edit)
        form.addRow("", labels["name"])
        kinds = QHBoxLayout()
        for widget in (self.title, self.type, self.tier, self.do_not_call):
            kinds.addWidget(widget)
        kinds.addStretch(1)
        kinds_label = QLabel(self.tr("&Title, type, tier:"))
        kinds_label.setBuddy(self.title)
        form.addRow(kinds_label, kinds)

        phones_box = QGroupBox(self.tr("Phone numbers"))
        phones_layout = QVBoxLayout(phones_box)
        phones_layout.addWidget(self.phones)
        phone_buttons = QHBoxLayout()
        phone_buttons.addWidget(self.add_phone_button)
        phone_buttons.addWidget(self.remove_phone_button)
        phone_buttons.addStretch(1)
        phones_layout.addLayout(phone_buttons)
        phones_layout.addWidget(labels["phones"])

        units_box = QGroupBox(self.tr("Units"))
        units_layout = QVBoxLayout(units_box)
        unit_row = QHBoxLayout()
        unit_row.addWidget(self.unit_edit, 1)
        unit_row.addWidget(self.unit_role)
        unit_row.addWidget(self.add_unit_button)
        units_layout.addLayout(unit_row)
        units_layout.addWidget(self.units)
        units_layout.addWidget(self.remove_unit_button, 0, Qt.AlignmentFlag.AlignLeft)
        units_layout.addWidget(labels["units"])

        lists = QHBoxLayout()
        lists.addWidget(phones_box, 1)
        lists.addWidget(units_box, 1)

        card_page = QWidget()
        card_layout = QVBoxLayout(card_page)
        card_layout.addLayout(form)
        card_layout.addLayout(lists)
        notes_label = QLabel(self.tr("N&otes:"))
        notes_label.setBuddy(self.notes)
        card_layout.addWidget(notes_label)
        card_layout.addWidget(self.notes)
        card_layout.addWidget(self.notes_counter)
        card_layout.addWidget(labels["notes"])
        self.stamp = QLabel()
        self.stamp.setObjectName("customerStamp")
        self.stamp.setStyleSheet("color: palette(mid);")
        card_layout.addWidget(self.stamp)

        self.history = name(QListWidget(), "customerHistoryList", self.tr("History"))
        self.pages = name(QTabWidget(), "customerPages", self.tr("Customer card pages"))
        self.pages.addTab(card_page, self.tr("&Card"))
        # Everything the customer did, newest first, fetched a page at a time as it scrolls.
        self.activity_model = ActivityTableModel(services.activity.page, self)
        self.activity = list_table("customerActivityTable",
                                   self.tr("Calls, complaints and callbacks"),
                                   self.activity_model, (118, 72, 180, 170, 140, 64), 3)
        self.activity.activated.connect(self._activity_chosen)
        self.activity_model.loaded.connect(self._activity_loaded)
        self.pages.addTab(self.activity, self.tr("&All activity"))
        self.pages.addTab(self.history, self.tr("&History"))
        # The customer's complaints, open ones with their deadline state; Enter opens one.
        self.complaints = name(QListWidget(), "customerComplaintsList", self.tr("Complaints"))
        self.complaints.itemActivated.connect(self._complaint_chosen)
        self.pages.addTab(self.complaints, self.tr("Com&plaints"))
        self.callbacks = name(QListWidget(), "customerCallbacksList", self.tr("Callbacks"))
        self.pages.addTab(self.callbacks, self.tr("Call&backs"))
        self.wanted_complaint: int | None = None

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        name(self.save_button, "customerSaveButton", self.tr("Save"))
        self.save_button.setText(self.tr("Save (Ctrl+Enter)"))
        buttons.accepted.connect(self.submit)
        save_keys(self, self.submit)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages)
        layout.addWidget(self.errors.general)
        layout.addWidget(buttons)

        if card is not None:
            self._show_card(card)
            self.activity_model.search(card.id)
            Op(self, lambda: services.customers.history(card.id)) \
                .success(self._show_history).run()
            Op(self, lambda: services.complaints.for_customer(card.id)) \
                .success(self._show_complaints).run()
            Op(self, lambda: services.callbacks.for_customer(card.id)) \
                .success(self._show_callbacks).run()
        else:
            for page in range(1, self.pages.count()):
                self.pages.setTabEnabled(page, False)
            self._add_phone_row(prefill_phone, "")
        self.name_edit.setFocus()

    # -- filling -------------------------------------------------------------------------
    def _show_card(self, card: CustomerCard) -> None:
        self.name_edit.setText(card.name)
        self.title.setCurrentIndex(self.title.findData(card.title.value))
        self.type.setCurrentIndex(self.type.findData(card.customer_type.value))
        self.tier.setCurrentIndex(self.tier.findData(card.tier.value))
        self.do_not_call.setChecked(card.do_not_call)
        self.notes.setPlainText(card.notes)
        for phone in card.phones:
            self._add_phone_row(phone.display, phone.label)
        for unit in card.units:
            self._add_unit_row(unit.label, unit.role)
        self.stamp.setText(self.tr("Created {created} by {creator}; last changed {updated} by "
                                   "{updater}.").format(
            created=local_time(card.created_at), creator=card.created_by or "-",
            updated=local_time(card.updated_at), updater=card.updated_by or "-"))

    def _show_history(self, rows: list[AuditRow]) -> None:
        actions = {"create": self.tr("created the card"), "update": self.tr("changed"),
                   "merge": self.tr("merged another card into this one"),
                   "import": self.tr("imported from a roster"),
                   "merged_into": self.tr("merged this card into another")}
        field_names = {"name": self.tr("name"), "title": self.tr("title"),
                       "customer_type": self.tr("type"), "tier": self.tr("tier"),
                       "do_not_call": self.tr("do-not-call"), "notes": self.tr("notes"),
                       "phones": self.tr("phone numbers"), "units": self.tr("units")}
        for row in rows:
            fields = "、".join(field_names.get(f, f) for f in row.changes) \
                if row.action in ("update", "import") else ""
            self.history.addItem(f"{local_time(row.at)}  {row.user_name or '-'}  "
                                 f"{actions.get(row.action, self.tr('changed'))} {fields}"
                                 .rstrip())

    def _show_complaints(self, rows: list[ComplaintRow]) -> None:
        now = clock.utcnow()
        for row in rows:
            self.complaints.addItem(complaint_item(row, now, with_date=True))
        self.pages.setTabText(self.pages.indexOf(self.complaints),
                              self.tr("Com&plaints ({n})").format(n=len(rows)))

    def _show_callbacks(self, rows: list[CallbackRow]) -> None:
        for row in rows:
            when = local_time(row.done_at or row.due_at)
            result = row.satisfaction.label if row.satisfaction else ""
            self.callbacks.addItem("  ".join(p for p in (
                when, row.reason.label, row.status.label, row.complaint_number, result,
                row.comment or row.note) if p))
        self.pages.setTabText(self.pages.indexOf(self.callbacks),
                              self.tr("Call&backs ({n})").format(n=len(rows)))

    def _activity_loaded(self, total: int) -> None:
        self.pages.setTabText(self.pages.indexOf(self.activity),
                              self.tr("&All activity ({n})").format(n=total))

    def _activity_chosen(self, index) -> None:  # noqa: ANN001 - a QModelIndex
        complaint_id = self.activity_model.data(index, Qt.ItemDataRole.UserRole)
        if complaint_id is not None:
            self._show_complaint(complaint_id)

    def _complaint_chosen(self, item: QListWidgetItem) -> None:
        """Closes the card and shows the complaint in its tab, after asking: changes to the
        card not saved yet would be lost."""
        self._show_complaint(item.data(Qt.ItemDataRole.UserRole))

    def _show_complaint(self, complaint_id: int) -> None:
        answer = QMessageBox.question(
            self, self.tr("Show the complaint"),
            self.tr("Close the card and show this complaint? Changes to the card that are not "
                    "saved yet are lost."))
        if answer == QMessageBox.StandardButton.Yes:
            self.wanted_complaint = complaint_id
            self.reject()

    def _add_phone_row(self, number: str, label: str, edit: bool = False) -> None:
        row = self.phones.rowCount()
        self.phones.insertRow(row)
        self.phones.setItem(row, 0, QTableWidgetItem(number))
        self.phones.setItem(row, 1, QTableWidgetItem(label))
        if edit:
            self.phones.setCurrentCell(row, 0)
            self.phones.editItem(self.phones.item(row, 0))

    def _add_unit_row(self, label: str, role: CustomerType) -> None:
        row = self.units.rowCount()
        self.units.insertRow(row)
        item = QTableWidgetItem(label)
        self.units.setItem(row, 0, item)
        role_item = QTableWidgetItem(role.label)
        role_item.setData(Qt.ItemDataRole.UserRole, role.value)
        self.units.setItem(row, 1, role_item)

    def _complete_unit(self) -> None:
        text = self.unit_edit.text()
        Op(self, lambda: self.services.customers.unit_completions(text)) \
            .success(lambda labels: self._show_unit_completions(text, labels)).run()

    def _show_unit_completions(self, text: str, labels: list[str]) -> None:
        if text != self.unit_edit.text():
            return  # typed on meanwhile: the next answer is on its way
        self.unit_completions.setStringList(labels)
        if labels and self.unit_edit.hasFocus():
            self.unit_completer.complete()
        else:
            self.unit_completer.popup().hide()

    def _add_unit_from_edit(self, then: Callable[[], None] | None = None) -> None:
        """Adds the typed unit as the unit it is: the one on file (9-1-1404 is 枫林新城
        9栋1单元1404), a new one, or, when several estates have it, the one the user
        chooses. ``then`` runs once it is added (saving the card)."""
        text = self.unit_edit.text().strip()
        if not text:
            if then is not None:
                then()
            return
        self._unit_timer.stop()
        self.unit_completer.popup().hide()
        role = CustomerType(self.unit_role.currentData())
        Op(self, lambda: self.services.customers.match_unit(text)) \
            .success(lambda match: self._unit_matched(match, role, then)) \
            .failure(self._unit_refused).run()

    def _unit_matched(self, match: UnitMatch, role: CustomerType,
                      then: Callable[[], None] | None) -> None:
        if self.unit_edit.text().strip() != match.typed:
            return  # changed while it was looked up: Enter again adds what is there now
        label = match.label or self._choose_unit(match)
        if not label:
            self.unit_edit.setFocus()
            return
        shown = [self.units.item(row, 0).text() for row in range(self.units.rowCount())]
        if label not in shown:
            self._add_unit_row(label, role)
        self.unit_edit.clear()
        self.errors.labels["units"].hide()
        if then is not None:
            then()

    def _choose_unit(self, match: UnitMatch) -> str:
        """Which of the units in several estates is meant; "" when the user cancels."""
        dialog = QInputDialog(self)
        name(dialog, "unitChoiceDialog", self.tr("Which unit"))
        dialog.setWindowTitle(self.tr("Which unit?"))
        dialog.setLabelText(self.tr("{text} is in more than one estate. Which unit is it?")
                            .format(text=match.typed))
        dialog.setComboBoxItems(list(match.choices))
        dialog.setComboBoxEditable(False)
        chosen = dialog.textValue() if dialog.exec() else ""
        dialog.deleteLater()
        return chosen

    def _unit_refused(self, error: BaseException) -> None:
        if isinstance(error, ValidationError):
            self.pages.setCurrentIndex(0)
            self.errors.show(error)
        else:
            from ui.errors import show_error

            show_error(self, error)

    @staticmethod
    def _remove_current(table: QTableWidget) -> None:
        row = table.currentRow()
        if row >= 0:
            table.removeRow(row)

    # -- saving --------------------------------------------------------------------------
    def collect(self) -> CustomerInput:
        phones = []
        for row in range(self.phones.rowCount()):
            number = self.phones.item(row, 0)
            label = self.phones.item(row, 1)
            phones.append(PhoneInput(number.text() if number else "",
                                     label.text() if label else ""))
        units = [UnitInput(self.units.item(row, 0).text(),
                           CustomerType(self.units.item(row, 1).data(Qt.ItemDataRole.UserRole)))
                 for row in range(self.units.rowCount())]
        if self.unit_edit.text().strip():  # typed but not added yet: nothing typed is lost
            units.append(UnitInput(self.unit_edit.text(),
                                   CustomerType(self.unit_role.currentData())))
        return CustomerInput(
            name=self.name_edit.text(), title=Title(self.title.currentData()),
            customer_type=CustomerType(self.type.currentData()),
            tier=Tier(self.tier.currentData()), do_not_call=self.do_not_call.isChecked(),
            notes=self.notes.toPlainText(), phones=phones, units=units)

    def submit(self) -> None:
        # A number still being typed in a cell is handed to the table first (Ctrl+S while
        # editing would otherwise save the card without it).
        for table in (self.phones, self.units):
            editor = QApplication.focusWidget()
            if editor is not None and table.isAncestorOf(editor):
                table.setFocus()
        # A unit typed but not added yet is added first, as the unit it is.
        self._add_unit_from_edit(then=self._save)

    def _save(self, shared_numbers: frozenset[str] = frozenset()) -> None:
        data = self.collect()
        customers = self.services.customers
        if self.card is None:
            def call() -> CustomerCard:
                return customers.create(self.actor, data, shared_numbers=shared_numbers)
        else:
            card_id, opened_at = self.card.id, self.card.updated_at

            def call() -> CustomerCard:
                return customers.update(self.actor, card_id, data,
                                        expected_updated_at=opened_at,
                                        shared_numbers=shared_numbers)

        def attempt() -> CustomerCard | NumberOnOtherCard:
            try:
                return call()
            except NumberOnOtherCard as question:  # a question for the user, not an error
                return question

        self.errors.submit(self, self.save_button, attempt, self._saved,
                           before_showing=lambda: self.pages.setCurrentIndex(0))

    def _saved(self, result: CustomerCard | NumberOnOtherCard) -> None:
        if isinstance(result, NumberOnOtherCard):
            self.save_button.setEnabled(True)
            self._number_elsewhere(result)
            return
        self.saved = result
        self.accept()

    def _number_elsewhere(self, question: NumberOnOtherCard) -> None:
        """Says which card has the number; the user opens it (on top of this one, so
        nothing typed here is lost) or keeps the number on both cards."""
        first = question.holders[0]
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Number on another card"),
                          question.message, QMessageBox.StandardButton.NoButton, self)
        name(box, "numberElsewhereBox", self.tr("Number on another card"))
        open_button = box.addButton(self.tr("&Open {name}'s card").format(name=first.name),
                                    QMessageBox.ButtonRole.ActionRole)
        name(open_button, "openOtherCardButton", open_button.text().replace("&", ""))
        keep_button = box.addButton(self.tr("&Keep on both cards"),
                                    QMessageBox.ButtonRole.AcceptRole)
        name(keep_button, "keepBothButton", self.tr("Keep on both cards"))
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(open_button)
        box.exec()
        clicked = box.clickedButton()
        box.deleteLater()
        if clicked is keep_button:
            self._save(frozenset(h.normalized for h in question.holders))
        elif clicked is open_button:
            Op(self, lambda: self.services.customers.get(first.customer_id)) \
                .success(self._open_other_card).run()
        else:
            self.phones.setFocus()

    def _open_other_card(self, card: CustomerCard) -> None:
        other = CustomerDialog(self.services, self.actor, card, may_leave=False, parent=self)
        other.exec()
        other.deleteLater()

