"""投诉处理: the complaint list (most urgent first, filters, a department's view for the
morning dispatch) and the chosen complaint's form, timeline and steps."""

from __future__ import annotations

import html
from collections.abc import Callable

from PySide6.QtCore import QDate, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app import clock
from app.domain.complaints import OPEN_STATUSES, Action, Category, Severity, Status, Urgency
from app.domain.roles import Actor
from app.errors import CallDeskError
from app.reports.complaint_slip import SlipData
from app.services import Services
from app.services.calls import CallInput
from app.services.complaints import (
    ComplaintDetail,
    ComplaintFilter,
    ComplaintInput,
    ComplaintRow,
)
from app.services.customers import CustomerCard
from app.settings import CENTRE_NAME
from ui.complaint_actions import (
    DispatchDialog,
    ReasonDialog,
    ResolveDialog,
    reason_for,
)
from ui.complaint_model import URGENCY_FOREGROUND, ComplaintTableModel
from ui.errors import show_error
from ui.file_dialogs import FileKind, offer_to_open, save_path
from ui.forms import DateRange, announce, list_table, name, shortcut
from ui.operations import Op
from ui.selection import SelectionFollower
from ui.text import local_time

OPEN = "open"
ALL = "all"


class ComplaintsTab(QWidget):
    changed = Signal()  # a complaint was saved or moved on: counters elsewhere refresh
    callback_wanted = Signal(int)  # the complaint's pending callback, to make it

    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services, self.actor = services, actor
        self.detail: ComplaintDetail | None = None
        self._last_shown: ComplaintDetail | None = None
        self.setObjectName("complaintsTab")
        self.setAccessibleName(self.tr("Complaints"))

        # -- filters ----------------------------------------------------------------------
        self.status_filter = name(QComboBox(), "complaintsStatusFilter", self.tr("Status"))
        self.status_filter.addItem(self.tr("Open"), OPEN)
        self.status_filter.addItem(self.tr("All statuses"), ALL)
        for status in Status:
            self.status_filter.addItem(status.label, status.value)
        self.urgency_filter = name(QComboBox(), "complaintsUrgencyFilter", self.tr("Deadline"))
        self.urgency_filter.addItem(self.tr("Any deadline"), None)
        self.urgency_filter.addItem(Urgency.OVERDUE.label, Urgency.OVERDUE.value)
        self.urgency_filter.addItem(Urgency.DUE_SOON.label, Urgency.DUE_SOON.value)
        self.category_filter = name(QComboBox(), "complaintsCategoryFilter", self.tr("Category"))
        self.category_filter.addItem(self.tr("All categories"), None)
        for category in Category:
            self.category_filter.addItem(category.label, category.value)
        self.severity_filter = name(QComboBox(), "complaintsSeverityFilter", self.tr("Severity"))
        self.severity_filter.addItem(self.tr("Any severity"), None)
        for severity in Severity:
            self.severity_filter.addItem(severity.label, severity.value)
        self.department_filter = name(QComboBox(), "complaintsDepartmentFilter",
                                      self.tr("Department"))
        self.department_filter.addItem(self.tr("All departments"), None)
        self.dates_check = name(QCheckBox(self.tr("Registered")), "complaintsDatesCheck",
                                self.tr("Only complaints registered between two dates"))
        today = QDate.currentDate()
        self.start_date = name(QDateEdit(today.addDays(-30)), "complaintsFromDate",
                               self.tr("From"))
        self.end_date = name(QDateEdit(today), "complaintsToDate", self.tr("To"))
        for edit in (self.start_date, self.end_date):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setEnabled(False)
        self.dates = DateRange(self.start_date, self.end_date, "complaintsDatesError",
                               self.dates_check.isChecked)
        self.dates_check.toggled.connect(self.start_date.setEnabled)
        self.dates_check.toggled.connect(self.end_date.setEnabled)
        self.mine_check = name(QCheckBox(self.tr("&Just mine")), "complaintsMineCheck",
                               self.tr("Only complaints I registered, dispatched or handle"))
        self.text_filter = name(QLineEdit(), "complaintsTextFilter",
                                self.tr("Search complaints"))
        self.text_filter.setPlaceholderText(self.tr("number, customer or words (Ctrl+F)"))
        self.text_filter.setClearButtonEnabled(True)
        self.count_label = name(QLabel(), "complaintsCountLabel", self.tr("Complaints shown"))

        self.new_button = name(QPushButton(self.tr("Ne&w complaint (Ctrl+N)")),
                               "newComplaintButton", self.tr("New complaint"))
        self.new_button.clicked.connect(lambda: self.new_complaint())
        self.layout_combo = name(QComboBox(), "slipLayoutCombo", self.tr("Slip paper"))
        for value, text in (("a4", self.tr("A4")), ("a5", self.tr("A5")),
                            ("two_on_a4", self.tr("Two copies on A4"))):
            self.layout_combo.addItem(text, value)
        self.batch_button = name(QPushButton(self.tr("Print the department's new slips…")),
                                 "printDepartmentSlipsButton",
                                 self.tr("Print the slips of the department's new complaints"))
        self.batch_button.setEnabled(False)
        self.batch_button.clicked.connect(self.print_department_slips)
        self.export_button = name(QPushButton(self.tr("Export list… (&Q)")),
                                  "exportComplaintsButton",
                                  self.tr("Export the complaints shown to Excel"))
        self.export_button.clicked.connect(self.export)

        # -- list -------------------------------------------------------------------------
        self.model = ComplaintTableModel(services.complaints.list, self)
        self.table = list_table("complaintsTable", self.tr("Complaints"), self.model,
                                (128, 96, 64, 76, 80, 150, 96, 140, 140, 220, 120), 9)
        self.table.doubleClicked.connect(lambda _index: self.edit())

        # -- the chosen complaint ---------------------------------------------------------
        self.form_view = name(QTextBrowser(), "complaintFormView", self.tr("Complaint form"))
        self.form_view.setOpenLinks(False)
        self.timeline = name(QTextBrowser(), "complaintTimeline", self.tr("Timeline"))
        self.buttons: dict[Action, QPushButton] = {}
        steps: list[tuple[Action, str, str | None, Callable[[], None]]] = [
            (Action.EDIT, self.tr("Modif&y (Ctrl+E)"), "Ctrl+E", self.edit),
            (Action.DISPATCH, self.tr("&Dispatch (Ctrl+D)"), "Ctrl+D", self.dispatch),
            (Action.REDISPATCH, self.tr("Re-disp&atch…"), None, self.redispatch),
            (Action.START, self.tr("Start (Ctrl+&G)"), "Ctrl+G", lambda: self.step(Action.START)),
            (Action.RESOLVE, self.tr("Reso&lve (Ctrl+R)"), "Ctrl+R", self.resolve),
            (Action.CALLBACK_SATISFIED, self.tr("Callbac&k result (Ctrl+B)"), "Ctrl+B",
             self.callback_result),
            (Action.NOTE, self.tr("&Note (Ctrl+M)"), "Ctrl+M", lambda: self.step(Action.NOTE)),
            (Action.SLIP_PRINTED, self.tr("Print &slip (Ctrl+P)"), "Ctrl+P", self.print_slip),
            (Action.CANCEL, self.tr("Cancel co&mplaint…"), None,
             lambda: self.step(Action.CANCEL)),
            (Action.ARCHIVE, self.tr("Arch&ive"), None, lambda: self.step(Action.ARCHIVE)),
        ]
        actions = QGridLayout()
        for index, (action, text, key, slot) in enumerate(steps):
            button = name(QPushButton(text), f"complaint{action.value.title().replace('_', '')}"
                                             "Button", action.label)
            button.clicked.connect(slot)
            self.buttons[action] = button
            actions.addWidget(button, index // 5, index % 5)
            if key:
                shortcut(key, self, slot, Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.pdf_button = name(QPushButton(self.tr("E&xport slip as PDF…")), "complaintSlipPdfButton",
                               self.tr("Save the slip as PDF"))
        self.pdf_button.clicked.connect(self.save_slip_pdf)
        actions.addWidget(self.pdf_button, 2, 0)

        # -- layout -----------------------------------------------------------------------
        # Two rows, so the window still fits a small screen (800 pixels wide).
        filters = QHBoxLayout()
        for widget in (self.status_filter, self.urgency_filter, self.category_filter,
                       self.severity_filter, self.department_filter, self.mine_check):
            filters.addWidget(widget)
        filters.addStretch(1)
        more_filters = QHBoxLayout()
        for widget in (self.dates_check, self.start_date, self.end_date):
            more_filters.addWidget(widget)
        more_filters.addWidget(self.text_filter, 1)
        tools = QHBoxLayout()
        tools.addWidget(self.new_button)
        tools.addWidget(self.count_label, 1)
        tools.addWidget(QLabel(self.tr("Slip:")))
        tools.addWidget(self.layout_combo)
        tools.addWidget(self.batch_button)
        tools.addWidget(self.export_button)
        detail = QWidget()
        detail_layout = QVBoxLayout(detail)
        detail_layout.setContentsMargins(0, 0, 0, 0)
        views = QSplitter(Qt.Orientation.Horizontal)
        views.addWidget(self.form_view)
        views.addWidget(self.timeline)
        views.setSizes([600, 400])
        detail_layout.addWidget(views, 1)
        detail_layout.addLayout(actions)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setObjectName("complaintsSplitter")
        splitter.addWidget(self.table)
        splitter.addWidget(detail)
        splitter.setSizes([380, 320])
        layout = QVBoxLayout(self)
        layout.addLayout(tools)
        layout.addLayout(filters)
        layout.addLayout(more_filters)
        layout.addWidget(self.dates.message)
        layout.addWidget(splitter, 1)

        shortcut("Ctrl+N", self, self.new_complaint, Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut("Ctrl+F", self, self.text_filter.setFocus,
                 Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut("F5", self, self.reload, Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self._filter_timer = QTimer(self)
        self._filter_timer.setSingleShot(True)
        self._filter_timer.setInterval(200)
        self._filter_timer.timeout.connect(self.reload)
        for signal in (self.status_filter.currentIndexChanged,
                       self.urgency_filter.currentIndexChanged,
                       self.category_filter.currentIndexChanged,
                       self.severity_filter.currentIndexChanged,
                       self.department_filter.currentIndexChanged,
                       self.dates_check.toggled, self.start_date.dateChanged,
                       self.end_date.dateChanged, self.mine_check.toggled,
                       self.text_filter.textChanged):
            signal.connect(lambda *_: self._filter_timer.start())
        self.department_filter.currentIndexChanged.connect(self._department_chosen)
        self.model.loaded.connect(self._loaded)
        # The detail pane and its steps follow the list's selection: none chosen, none shown.
        self._chosen_id: int | None = None  # kept chosen across reloads while the list has it
        self.follower = SelectionFollower(self.table)
        self.follower.changed.connect(self._selection_changed)
        self.table.setFocus()
        # Deadlines turn "due soon" and "overdue" as time passes, not only on changes.
        self._tick = QTimer(self)
        self._tick.setInterval(60_000)
        self._tick.timeout.connect(self.model.layoutChanged.emit)
        self._tick.start()
        Op(self, services.departments.list).success(self._departments).run()
        self._show_detail(None)
        self.reload()

    # -- the list --------------------------------------------------------------------------
    def _departments(self, departments: list) -> None:  # noqa: ANN001
        for department in departments:
            self.department_filter.addItem(department.name, department.id)

    def export(self) -> None:
        from app.exporters.lists import export_complaints
        from ui.list_export import export_list

        if not self.dates.in_order():
            self.start_date.setFocus()
            return
        filters = self.filters()
        export_list(
            self, FileKind.COMPLAINT_LIST, self.tr("Export complaints"),
            self.tr("Complaints {date}.xlsx").format(
                date=QDate.currentDate().toString("yyyy-MM-dd")),
            self.tr("Exporting complaints…"), self.tr("Complaints saved: {path}"),
            lambda path: export_complaints(self.services.complaints, self.actor, filters, path))

    def filters(self) -> ComplaintFilter:
        status = self.status_filter.currentData()
        statuses = frozenset(OPEN_STATUSES) if status == OPEN else None if status == ALL \
            else frozenset({Status(status)})
        urgency = self.urgency_filter.currentData()
        category = self.category_filter.currentData()
        severity = self.severity_filter.currentData()
        dates = self.dates_check.isChecked()
        return ComplaintFilter(
            statuses=statuses, urgency=Urgency(urgency) if urgency else None,
            category=Category(category) if category else None,
            severity=Severity(severity) if severity else None,
            department_id=self.department_filter.currentData(),
            start=self.start_date.date().toPython() if dates else None,
            end=self.end_date.date().toPython() if dates else None,
            mine_user_id=self.actor.user_id if self.mine_check.isChecked() else None,
            text=self.text_filter.text())

    def reload(self) -> None:
        if self.dates.in_order():
            self.model.search(self.filters())
        else:  # the message says why the list is empty
            self.model.clear()

    def department_view(self, department_id: int) -> None:
        """A department's open complaints, most urgent first: the morning dispatch."""
        self.status_filter.setCurrentIndex(self.status_filter.findData(OPEN))
        index = self.department_filter.findData(department_id)
        if index >= 0:
            self.department_filter.setCurrentIndex(index)

    def show_overdue(self) -> None:
        self.show_urgency(Urgency.OVERDUE)

    def show_urgency(self, urgency: Urgency) -> None:
        """The open complaints overdue (or due soon), as the status bar and 今日 ask."""
        self.status_filter.setCurrentIndex(self.status_filter.findData(OPEN))
        self.urgency_filter.setCurrentIndex(self.urgency_filter.findData(urgency.value))

    def _department_chosen(self) -> None:
        self.batch_button.setEnabled(self.department_filter.currentData() is not None)

    def _loaded(self, total: int) -> None:
        self.count_label.setText(self.tr("{n} complaint(s)").format(n=total))
        if self._chosen_id is not None:  # keep the chosen complaint chosen after a reload
            for row_number, row in enumerate(self.model.rows):
                if row.id == self._chosen_id:
                    self.table.selectRow(row_number)
                    return
        if self.model.rows and not self.table.selectionModel().hasSelection():
            self.table.selectRow(0)

    def _selection_changed(self, row: ComplaintRow | None) -> None:
        if row is None:
            self._show_detail(None)
            return
        if self.detail is None and self._last_shown is not None \
                and self._last_shown.row.id == row.id:
            self._show_detail(self._last_shown)  # chosen again after a reload: no flicker
        self._chosen_id = complaint_id = row.id

        def arrived(detail: ComplaintDetail) -> None:
            if self._chosen_id == detail.row.id and self.follower.row() is not None:
                self._show_detail(detail)  # not one chosen before and answered late

        Op(self, lambda: self.services.complaints.get(complaint_id)).success(arrived).run()

    def open_complaint(self, complaint_id: int) -> None:
        """From elsewhere (the pop-up, a card, the search): find it in the list and choose
        it, so the detail pane still shows the list's chosen row."""
        for row_number, row in enumerate(self.model.rows):
            if row.id == complaint_id:
                self.table.selectRow(row_number)
                return
        Op(self, lambda: self.services.complaints.get(complaint_id)) \
            .success(self._search_for).run()

    def _search_for(self, detail: ComplaintDetail) -> None:
        """Shows just this complaint: its number in the search box, every other filter off."""
        self._chosen_id = detail.row.id
        widgets = (self.status_filter, self.urgency_filter, self.category_filter,
                   self.severity_filter, self.department_filter, self.dates_check,
                   self.mine_check, self.text_filter)
        for widget in widgets:
            widget.blockSignals(True)
        try:
            self.status_filter.setCurrentIndex(self.status_filter.findData(ALL))
            for combo in (self.urgency_filter, self.category_filter, self.severity_filter,
                          self.department_filter):
                combo.setCurrentIndex(0)
            self.dates_check.setChecked(False)
            self.mine_check.setChecked(False)
            self.text_filter.setText(detail.row.number)
        finally:
            for widget in widgets:
                widget.blockSignals(False)
        self.start_date.setEnabled(False)
        self.end_date.setEnabled(False)
        self._department_chosen()
        self.table.clearSelection()
        self.reload()

    # -- the chosen complaint --------------------------------------------------------------
    def _show_detail(self, detail: ComplaintDetail | None) -> None:
        self.detail = detail
        if detail is not None:
            self._last_shown = detail
        allowed = set(self.services.complaints.available(self.actor, detail.row.status)) \
            if detail else set()
        for action, button in self.buttons.items():
            if action == Action.CALLBACK_SATISFIED:
                button.setEnabled(detail is not None and detail.row.status ==
                                  Status.AWAITING_CALLBACK and action in allowed)
            elif action == Action.SLIP_PRINTED:
                button.setEnabled(detail is not None)
            else:
                button.setEnabled(action in allowed)
        self.pdf_button.setEnabled(detail is not None)
        if detail is None:
            hint = self.tr("Choose a complaint in the list.")
            self.form_view.setHtml(f"<p style='color:#666'>{html.escape(hint)}</p>")
            self.timeline.clear()
            return
        self.form_view.setHtml(self._form_html(detail))
        self.timeline.setHtml(self._timeline_html(detail))

    def _form_html(self, d: ComplaintDetail) -> str:
        e = html.escape
        row = d.row
        now = clock.utcnow()
        fault = {True: self.tr("Yes"), False: self.tr("No"),
                 None: self.tr("To be determined")}[d.company_at_fault]
        deadlines = []
        for deadline in row.deadlines:
            state = deadline.urgency(now) if row.status.is_open or deadline.done_at \
                else Urgency.NONE
            color = URGENCY_FOREGROUND.get(state)
            mark = f" <b style='color:{color.name()}'>{e(state.label)}</b>" if color else \
                (f" {e(state.label)}" if state != Urgency.NONE else "")
            done = "，" + e(self.tr("done {when}").format(when=local_time(deadline.done_at))) \
                if deadline.done_at else ""
            deadlines.append(f"{e(deadline.label)}: {e(local_time(deadline.due_at))}{done}"
                             f"{mark}")
        rows = [
            (self.tr("Status"), e(row.status.label) + (
                " " + e(self.tr("(reworked {n} time(s))").format(n=row.reopen_count))
                if row.reopen_count else "")),
            (self.tr("Customer"), e(" ".join(p for p in (row.customer_name, row.phone) if p))),
            (self.tr("Unit"), e(row.unit_label)),
            (self.tr("Source"), e(row.source.label)),
            (self.tr("Category"), e(f"{row.category.label} / {row.severity.label}")),
            (self.tr("What happened"), e(row.description).replace("\n", "<br>")),
            (self.tr("Customer's demand"), e(d.demand).replace("\n", "<br>")),
            (self.tr("Department"), e(" ".join(p for p in (row.department_name, row.assignee)
                                               if p))),
            (self.tr("Deadlines"), "<br>".join(deadlines)),
            (self.tr("Company at fault"), e(fault)),
            (self.tr("Resolution"), e(d.resolution).replace("\n", "<br>")),
            (self.tr("Measures"), e(d.measures).replace("\n", "<br>")),
            (self.tr("Registered"), e(f"{local_time(row.created_at)} {d.created_by}")),
        ]
        body = "".join(f"<tr><td style='color:#555;padding-right:8px' valign='top'>"
                       f"{e(label)}</td><td>{value}</td></tr>" for label, value in rows if value)
        return f"<h3>{e(row.number)}</h3><table cellspacing='2'>{body}</table>"

    def _timeline_html(self, d: ComplaintDetail) -> str:
        e = html.escape
        items = []
        for entry in reversed(d.timeline):  # newest first
            extra = ", ".join(f"{v}" for k, v in entry.details.items()
                              if k in ("department", "assignee", "resolution") and v)
            status = f" → {e(entry.to_status.label)}" if entry.to_status else ""
            note = f"<br>{e(entry.note)}" if entry.note else ""
            more = f"<br><span style='color:#555'>{e(extra)}</span>" if extra else ""
            items.append(f"<p><b>{e(entry.action.label)}</b>{status}<br>"
                         f"<span style='color:#555'>{e(local_time(entry.at))} "
                         f"{e(entry.user_name)}</span>{note}{more}</p>")
        heading = self.tr("Timeline")
        return f"<h4>{e(heading)}</h4>" + "".join(items)

    def _after_step(self, detail: ComplaintDetail | None) -> None:
        if detail is not None:
            self._show_detail(detail)
        self.reload()
        self.changed.emit()

    def _run_dialog(self, dialog: QDialog) -> None:
        accepted = dialog.exec()
        detail = getattr(dialog, "result_detail", None) or getattr(dialog, "saved", None)
        dialog.deleteLater()
        if accepted and detail is not None:
            self._after_step(detail)

    # -- steps -----------------------------------------------------------------------------
    def new_complaint(self, prefill: ComplaintInput | None = None,
                      card: CustomerCard | None = None,
                      call: CallInput | None = None) -> ComplaintDetail | None:
        from ui.complaint_dialog import ComplaintDialog

        dialog = ComplaintDialog(self.services, self.actor, prefill=prefill, card=card,
                                 call=call, parent=self)
        accepted = dialog.exec()
        saved, existing = dialog.saved, dialog.open_existing
        dialog.deleteLater()
        if accepted and saved is not None:
            self._chosen_id = saved.row.id
            self._after_step(saved)
            self._show_number(saved)
            return saved
        if existing is not None:
            self.window().show_complaint(existing) if hasattr(self.window(), "show_complaint") \
                else self.open_complaint(existing)
        return None

    def _show_number(self, saved: ComplaintDetail) -> None:
        """The new number, large, so the operator can read it to the caller."""
        from ui.complaint_saved_dialog import ComplaintSavedDialog

        dialog = ComplaintSavedDialog(saved, self, settings=self.services.settings.all)
        dialog.exec()
        dialog.deleteLater()

    def edit(self) -> None:
        from ui.complaint_dialog import ComplaintDialog

        if not self._may(Action.EDIT):
            return
        self._run_dialog(ComplaintDialog(self.services, self.actor, detail=self.detail,
                                         parent=self))

    def dispatch(self) -> None:
        if self._may(Action.DISPATCH):
            self._run_dialog(DispatchDialog(self.services, self.actor, self.detail, False, self))
        elif self._may(Action.REDISPATCH):
            self.redispatch()

    def redispatch(self) -> None:
        if self._may(Action.REDISPATCH):
            self._run_dialog(DispatchDialog(self.services, self.actor, self.detail, True, self))

    def resolve(self) -> None:
        if self._may(Action.RESOLVE):
            self._run_dialog(ResolveDialog(self.services, self.actor, self.detail, self))

    def callback_result(self) -> None:
        """The complaint's callback, made from the callback dialog like any other."""
        if not self._may(Action.CALLBACK_SATISFIED):
            return
        complaint_id = self.detail.row.id
        Op(self, lambda: self.services.callbacks.pending_for_complaint(complaint_id)) \
            .success(self._callback_found).run()

    def _callback_found(self, callback_id: int | None) -> None:
        if callback_id is None:
            from PySide6.QtWidgets import QMessageBox

            QMessageBox.information(self, self.tr("Callback"), self.tr(
                "This complaint has no callback waiting. Look in the callback queue."))
            return
        self.callback_wanted.emit(callback_id)

    def step(self, action: Action) -> None:
        """The steps that need at most a text: start, note, cancel, archive."""
        if not self._may(action):
            return
        assert self.detail is not None
        complaint_id, complaints, actor = self.detail.row.id, self.services.complaints, \
            self.actor
        run = {
            Action.START: lambda text: complaints.start(actor, complaint_id, text),
            Action.NOTE: lambda text: complaints.add_note(actor, complaint_id, text),
            Action.CANCEL: lambda text: complaints.cancel(actor, complaint_id, text),
            Action.ARCHIVE: lambda text: complaints.archive(actor, complaint_id, text),
        }[action]
        prompt, required = reason_for(action)
        title = f"{action.label} {self.detail.row.number}"
        self._run_dialog(ReasonDialog(title, prompt, required, run, self))

    def _may(self, action: Action) -> bool:
        """Keys work only where the button would; a disabled step does nothing."""
        if self.detail is None:
            return False
        return action in self.services.complaints.available(self.actor, self.detail.row.status)

    # -- slips -----------------------------------------------------------------------------
    def _layout(self):  # noqa: ANN202
        from ui.complaint_slip import SlipLayout

        return SlipLayout(self.layout_combo.currentData())

    def _slips(self, complaint_ids: list[int]) -> list[SlipData]:
        complaints, settings = self.services.complaints, self.services.settings
        centre = settings.get(CENTRE_NAME)
        return [complaints.slip(complaint_id, centre) for complaint_id in complaint_ids]

    def print_slip(self) -> None:
        if self.detail is None:
            return
        complaint_id = self.detail.row.id
        Op(self, lambda: self._slips([complaint_id])) \
            .success(lambda slips: self._preview(slips, [complaint_id])).run()

    def print_department_slips(self) -> None:
        department_id = self.department_filter.currentData()
        if department_id is None:
            return
        complaints = self.services.complaints

        def gather() -> tuple[list[int], list[SlipData]]:
            ids = complaints.new_for_department(department_id)
            return ids, self._slips(ids)

        Op(self, gather).success(lambda result: self._preview(result[1], result[0])).run()

    def _preview(self, slips: list[SlipData], complaint_ids: list[int]) -> None:
        from PySide6.QtWidgets import QMessageBox

        from ui.complaint_slip import preview

        if not slips:
            QMessageBox.information(self, self.tr("Print slips"),
                                    self.tr("The department has no new complaints to print."))
            return
        if preview(slips, self._layout(), self):
            complaints, actor = self.services.complaints, self.actor
            Op(self, lambda: complaints.mark_slips_printed(actor, complaint_ids)) \
                .success(lambda _none: self._after_step(None)).run()

    def save_slip_pdf(self) -> None:
        if self.detail is None:
            return
        number, complaint_id = self.detail.row.number, self.detail.row.id
        path = save_path(self, FileKind.COMPLAINT_SLIP, self.tr("Save the slip as PDF"),
                         f"{number}.pdf", self.tr("PDF (*.pdf)"), ".pdf")
        if not path:
            return
        layout = self._layout()

        def written(slips: list[SlipData]) -> None:
            from ui.complaint_slip import write_pdf

            try:
                saved = write_pdf(slips, layout, path)  # Qt paints on the UI thread
            except CallDeskError as error:  # open in another program, a read-only folder
                show_error(self, error)
                return
            announce(self, self.tr("Slip saved: {path}").format(path=saved))
            offer_to_open(self, self.tr("Save the slip as PDF"),
                          self.tr("Slip saved: {path}").format(path=saved), saved)

        Op(self, lambda: self._slips([complaint_id])).success(written).run()
