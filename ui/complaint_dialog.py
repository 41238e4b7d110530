"""The complaint form (投诉处理单): new, from a call (customer, unit, summary and the call
carried over), or editing an open one. Validated by the service before anything is saved;
a likely repeat of an open complaint is shown and asked about first."""

from __future__ import annotations

import html
from dataclasses import replace

from PySide6.QtCore import QElapsedTimer, Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.domain.complaints import Category, Severity, Source
from app.domain.roles import Actor
from app.domain.texts import LONG_TEXT_MAX
from app.errors import CallDeskError, ValidationError
from app.services import Services
from app.services.calls import CallInput
from app.services.complaints import ComplaintDetail, ComplaintInput, DuplicateSuspected
from app.services.customers import CustomerCard, CustomerRow
from ui.complaint_actions import fault_combo
from ui.errors import show_error
from ui.forms import (
    DigitKeys,
    FieldErrors,
    customer_match_items,
    error_label,
    name,
    save_keys,
    shortcut,
)
from ui.operations import Op

MAX_MATCHES = 6


class ComplaintDialog(QDialog):
    def __init__(self, services: Services, actor: Actor, *,
                 detail: ComplaintDetail | None = None,
                 prefill: ComplaintInput | None = None, card: CustomerCard | None = None,
                 call: CallInput | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services, self.actor, self.detail, self.call = services, actor, detail, call
        # The caller is still on the line while the form is filled: the call's duration
        # goes on until the complaint (and the call with it) is saved.
        self.call_clock = QElapsedTimer()
        self.call_clock.start()
        self.saved: ComplaintDetail | None = None
        self.open_existing: int | None = None  # the user chose the existing complaint
        self.card: CustomerCard | None = None
        self._generation = 0
        self.setObjectName("complaintDialog")
        self.setWindowTitle(self.tr("Complaint {number}").format(number=detail.row.number)
                            if detail else self.tr("New complaint"))
        self.setAccessibleName(self.windowTitle())
        self.setMinimumWidth(620)

        self.customer_search = name(QLineEdit(), "complaintCustomerSearch",
                                    self.tr("Find the customer"))
        self.customer_search.setPlaceholderText(self.tr("name, pinyin, 4+ digits or unit"))
        self.customer_label = name(QLabel(), "complaintCustomerLabel", self.tr("Customer"))
        self.customer_label.setTextFormat(Qt.TextFormat.RichText)
        self.matches = name(QListWidget(), "complaintCustomerMatches",
                            self.tr("Matching cards"))
        self.matches.setMaximumHeight(100)
        self.matches.hide()
        self.unit = name(QComboBox(), "complaintUnitCombo", self.tr("Unit"))
        self.phone = name(QLineEdit(), "complaintPhoneEdit", self.tr("Phone to call back"))
        self.source = name(QComboBox(), "complaintSourceCombo", self.tr("Source"))
        for source in Source:
            self.source.addItem(source.label, source.value)
        self.category = name(QComboBox(), "complaintCategoryCombo", self.tr("Category"))
        self.category.addItem(self.tr("(choose)"), None)
        for position, category in enumerate(Category, start=1):
            self.category.addItem(DigitKeys.prefix(position) + category.label, category.value)
        self.severity = name(QComboBox(), "complaintSeverityCombo", self.tr("Severity"))
        for severity in Severity:
            self.severity.addItem(severity.label, severity.value)
        self.description = name(QPlainTextEdit(), "complaintDescriptionEdit",
                                self.tr("What happened"))
        self.demand = name(QPlainTextEdit(), "complaintDemandEdit",
                           self.tr("What the customer asks for"))
        for edit in (self.description, self.demand):
            edit.setTabChangesFocus(True)
        self.description.setMinimumHeight(90)
        self.demand.setMaximumHeight(70)
        self.department = name(QComboBox(), "complaintDepartmentCombo",
                               self.tr("Responsible department"))
        self.department.addItem(self.tr("(dispatch later)"), None)
        self.assignee = name(QLineEdit(), "complaintAssigneeEdit", self.tr("Assignee"))
        self.assignee.setPlaceholderText(self.tr("optional"))
        self.fault = fault_combo("complaintFaultCombo", self.tr("Company at fault"), None)

        labels = {key: error_label(f"complaint_{key}Error") for key in (
            "customer", "unit", "phone", "category", "description", "demand", "department",
            "assignee")}
        self.errors = FieldErrors(labels, error_label("complaintError"), {
            "customer": self.customer_search, "phone": self.phone, "category": self.category,
            "description": self.description, "demand": self.demand,
            "department": self.department, "assignee": self.assignee})
        counters = {field: self.errors.counter(field, edit, LONG_TEXT_MAX)
                    for field, edit in (("description", self.description),
                                        ("demand", self.demand))}

        who = QHBoxLayout()
        who.addWidget(self.customer_search, 1)
        who.addWidget(self.customer_label, 2)
        form = QFormLayout()

        def row(label: str, widget: QWidget, error: str | None = None) -> None:
            caption = QLabel(label)
            caption.setBuddy(widget)
            form.addRow(caption, widget)
            if error in counters:
                form.addRow("", counters[error])
            if error:
                form.addRow("", labels[error])

        customer_caption = QLabel(self.tr("C&ustomer:"))
        customer_caption.setBuddy(self.customer_search)
        form.addRow(customer_caption, who)
        form.addRow("", self.matches)
        form.addRow("", labels["customer"])
        row(self.tr("U&nit:"), self.unit, "unit")
        row(self.tr("&Phone:"), self.phone, "phone")
        kinds = QHBoxLayout()
        for caption_text, widget in ((self.tr("&Source:"), self.source),
                                     (self.tr("Ca&tegory:"), self.category),
                                     (self.tr("Se&verity:"), self.severity)):
            caption = QLabel(caption_text)
            caption.setBuddy(widget)
            kinds.addWidget(caption)
            kinds.addWidget(widget, 1)
        form.addRow(kinds)
        form.addRow("", labels["category"])
        row(self.tr("&What happened:"), self.description, "description")
        row(self.tr("Customer's de&mand:"), self.demand, "demand")
        if detail is None:  # later, department and assignee change through dispatch
            row(self.tr("&Department:"), self.department, "department")
            row(self.tr("&Assignee:"), self.assignee, "assignee")
        else:
            self.department.hide()
            self.assignee.hide()
        row(self.tr("Company at &fault:"), self.fault)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        name(self.save_button, "saveComplaintButton", self.tr("Save the complaint"))
        self.save_button.setText(self.tr("Save (Ctrl+Enter)"))
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        if call is not None:
            linked = QLabel(self.tr("The call is saved together with the complaint."))
            linked.setObjectName("complaintFromCallLabel")
            linked.setStyleSheet("color: #1f6feb;")
            layout.addWidget(linked)
        layout.addLayout(form)
        layout.addWidget(self.errors.general)
        layout.addWidget(buttons)

        chain: list[QWidget] = [self.customer_search, self.unit, self.phone, self.source,
                                self.category, self.severity, self.description, self.demand]
        if detail is None:
            chain += [self.department, self.assignee]
        chain += [self.fault, self.save_button]
        for first, second in zip(chain, chain[1:], strict=False):
            self.setTabOrder(first, second)
        save_keys(self, self.save)
        shortcut(Qt.Key.Key_Down, self.customer_search, self._into_matches)
        # As in the call panel: a digit picks the category and goes on to the description.
        DigitKeys(self.category, self.description, first=1)
        self._match_timer = QTimer(self)
        self._match_timer.setSingleShot(True)
        self._match_timer.setInterval(150)
        self._match_timer.timeout.connect(self._find_matches)
        self.customer_search.textEdited.connect(lambda _t: self._match_timer.start())
        self.customer_search.returnPressed.connect(self._take_match)
        self.matches.itemActivated.connect(lambda _item: self._take_match())

        Op(self, services.departments.list).success(self._departments).run()
        data = detail.as_input() if detail else (prefill or ComplaintInput())
        # A complaint that follows a call already logged (a callback's) is of that call.
        self._prefilled_call = data.call_id if detail is None else None
        self._fill(data)
        # The complaint's own customer and unit, kept as they are unless the user changes
        # them: saving must not move the complaint to another unit or drop its customer.
        self._wanted_customer = data.customer_id
        self._wanted_unit = data.unit_id
        self._wanted_unit_label = detail.row.unit_label if detail else ""
        self._card_generation = 0
        if card is not None:
            self._show_card(card, keep_unit=True)
        elif data.customer_id is not None:
            self._load_card(data.customer_id, keep_unit=True)
        else:
            self._show_card(None, keep_unit=True)
        (self.category if card is not None or data.customer_id else self.customer_search) \
            .setFocus()

    # -- filling ---------------------------------------------------------------------------
    def _fill(self, data: ComplaintInput) -> None:
        self.phone.setText(data.phone)
        self.source.setCurrentIndex(self.source.findData(Source(data.source).value))
        if data.category is not None:
            self.category.setCurrentIndex(self.category.findData(data.category.value))
        self.severity.setCurrentIndex(self.severity.findData(Severity(data.severity).value))
        self.description.setPlainText(data.description)
        self.demand.setPlainText(data.demand)
        self.assignee.setText(data.assignee_name)
        self.fault.setCurrentIndex(self.fault.findData(data.company_at_fault)
                                   if data.company_at_fault is not None else 0)
        self._wanted_department = data.department_id

    def _departments(self, departments: list) -> None:  # noqa: ANN001
        for department in departments:
            self.department.addItem(department.name, department.id)
        if self._wanted_department is not None:
            self.department.setCurrentIndex(max(0, self.department.findData(
                self._wanted_department)))

    def _load_card(self, customer_id: int, *, keep_unit: bool) -> None:
        """Fetches the card; Save waits for it, so the complaint never loses its customer."""
        self._card_generation += 1
        generation = self._card_generation

        def arrived(card: CustomerCard) -> None:
            if generation == self._card_generation:
                self._show_card(card, keep_unit=keep_unit)

        def failed(error: BaseException) -> None:
            if generation != self._card_generation:
                return
            if not keep_unit or not isinstance(error, CallDeskError):
                show_error(self, error)  # a card chosen by hand: the one shown stays
                return
            # The complaint's own card is gone (e.g. merged into another): the complaint
            # keeps its customer and unit unless the user chooses another card.
            self._show_card(None, keep_unit=True)
            self.customer_label.setText(f"<i>{html.escape(str(error))}</i>")

        Op(self, lambda: self.services.customers.get(customer_id)) \
            .disabling(self.save_button).success(arrived).failure(failed).run()

    def _show_card(self, card: CustomerCard | None, *, keep_unit: bool = False) -> None:
        """Shows the card and its units. With ``keep_unit`` (the complaint as it came) the
        complaint's unit is chosen, added when the card no longer has it, and "(no unit)"
        when it had none; otherwise (a card chosen by hand) its first unit."""
        self.card = card
        self.unit.clear()
        if card is None:
            self.customer_label.setText(self.tr("<i>No card: write the number to call "
                                                "back</i>"))
        else:
            self.customer_label.setText(f"<b>{html.escape(card.greeting_name)}</b>")
            for unit in card.units:
                self.unit.addItem(unit.label, unit.id)
        self.unit.addItem(self.tr("(no unit)"), None)
        if keep_unit:
            unit_id = self._wanted_unit
            if unit_id is not None and self.unit.findData(unit_id) < 0:
                self.unit.insertItem(self.unit.count() - 1, self._wanted_unit_label
                                     or self.tr("(the complaint's unit)"), unit_id)
            self.unit.setCurrentIndex(self.unit.findData(unit_id))
        if card is not None and not self.phone.text().strip() and card.phones:
            self.phone.setText(card.phones[0].display)

    # -- finding the customer ---------------------------------------------------------------
    def _find_matches(self) -> None:
        text = self.customer_search.text().strip()
        self._generation += 1
        generation = self._generation
        if len(text) < 1:
            self.matches.hide()
            return
        Op(self, lambda: self.services.customers.search(text, 0, MAX_MATCHES)) \
            .success(lambda page: self._show_matches(generation, page.rows)).run()

    def _show_matches(self, generation: int, rows: list[CustomerRow]) -> None:
        if generation != self._generation:
            return
        self.matches.clear()
        for item in customer_match_items(rows):
            self.matches.addItem(item)
        self.matches.setVisible(bool(rows))
        if rows:
            self.matches.setCurrentRow(0)

    def _into_matches(self) -> None:
        if self.matches.isVisible():
            self.matches.setFocus()

    def _take_match(self) -> None:
        item = self.matches.currentItem() if self.matches.isVisible() else None
        if item is None:
            return
        customer_id = item.data(Qt.ItemDataRole.UserRole)
        self.matches.hide()
        self.customer_search.clear()
        self._load_card(customer_id, keep_unit=False)
        self.unit.setFocus()

    # -- saving ----------------------------------------------------------------------------
    def collect(self) -> ComplaintInput:
        category = self.category.currentData()
        return ComplaintInput(
            category=Category(category) if category else None,
            severity=Severity(self.severity.currentData()),
            description=self.description.toPlainText(), demand=self.demand.toPlainText(),
            source=Source(self.source.currentData()),
            customer_id=self.card.id if self.card else self._wanted_customer,
            unit_id=self.unit.currentData(),
            phone=self.phone.text(),
            department_id=self.department.currentData() if self.detail is None else None,
            assignee_name=self.assignee.text() if self.detail is None else "",
            company_at_fault=self.fault.currentData(),
            call_id=self.detail.call_id if self.detail else self._prefilled_call)

    def save(self, allow_duplicate: bool = False) -> None:
        if not self.save_button.isEnabled():
            return
        data = self.collect()
        complaints, actor, detail, call = (self.services.complaints, self.actor, self.detail,
                                           self.call)
        if call is not None:
            call = replace(call, duration_seconds=call.duration_seconds
                           + int(self.call_clock.elapsed() / 1000))
        if detail is not None:
            data = replace(data, department_id=detail.row.department_id)

            def work() -> ComplaintDetail:
                return complaints.update(actor, detail.row.id, data,
                                         expected_updated_at=detail.updated_at)
        else:
            def work() -> ComplaintDetail:
                return complaints.create(actor, data, call=call,
                                         allow_duplicate=allow_duplicate)

        self.errors.clear()
        too_long = self.errors.too_long()
        if too_long is not None:
            self.errors.show(too_long)
            return
        Op(self, work).disabling(self.save_button).success(self._saved) \
            .failure(self._refused).run()

    def _refused(self, error: BaseException) -> None:
        if isinstance(error, DuplicateSuspected):
            self._ask_about_duplicate(error)
        elif isinstance(error, ValidationError):
            self.errors.show(error)
        else:
            show_error(self, error)

    def _ask_about_duplicate(self, error: DuplicateSuspected) -> None:
        lines = "\n".join(f"{r.number}  {r.status.label}  {r.unit_label or r.customer_name}  "
                          f"{r.description[:40]}" for r in error.existing)
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Possibly a repeat"),
                          self.tr("There is already a complaint about the same place and "
                                  "category:") + "\n\n" + lines, parent=self)
        box.setObjectName("duplicateComplaintBox")
        box.setAccessibleName(box.windowTitle())
        open_button = box.addButton(self.tr("Open the existing one"),
                                    QMessageBox.ButtonRole.AcceptRole)
        open_button.setObjectName("openExistingComplaintButton")
        new_button = box.addButton(self.tr("Save as a new complaint"),
                                   QMessageBox.ButtonRole.YesRole)
        new_button.setObjectName("saveDuplicateComplaintButton")
        back = box.addButton(self.tr("Back to the form"), QMessageBox.ButtonRole.RejectRole)
        back.setObjectName("backToComplaintButton")
        box.setDefaultButton(back)
        box.exec()
        clicked = box.clickedButton()
        box.deleteLater()
        if clicked is new_button:
            self.save(allow_duplicate=True)
        elif clicked is open_button:
            self.open_existing = error.existing[0].id
            self.reject()

    def _saved(self, detail: ComplaintDetail) -> None:
        self.saved = detail
        self.accept()
