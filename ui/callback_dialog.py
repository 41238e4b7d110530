"""One callback (回访): who to call and why, the script to read, the dial button, and what
came of it. Keys: F5 dials, Alt+Y reached / Alt+N not reached, Alt+1–3 the satisfaction,
Ctrl+Enter saves.

Done on the customer's own call (``on_call``, from the pop-up's 回访待办), there is nothing
to dial: the customer is on the line. A missed call's callback can make a card for an
unknown caller (Alt+K) and turn into a complaint (Ctrl+T)."""

from __future__ import annotations

import html
import shlex

from PySide6.QtCore import QDateTime, QElapsedTimer, QProcess, Qt, QTime
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QButtonGroup,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.domain.calls import CallbackStatus, Satisfaction
from app.domain.roles import Actor
from app.domain.texts import NOTE_MAX
from app.errors import CallDeskError
from app.services import Services
from app.services.callbacks import CallbackDetail, Next, Outcome_, callback_script
from app.settings import CENTRE_NAME, SCRIPT_CALLBACK, SCRIPT_MISSED_CALL
from ui.errors import show_error
from ui.forms import DigitRadios, FieldErrors, error_label, name, save_keys, shortcut
from ui.operations import Op
from ui.text import local_time


def softphone_arguments(command: str, number: str) -> list[str]:
    """The configured softphone command as program and arguments, {number} filled in (added
    at the end when the command does not say where)."""
    digits = "".join(ch for ch in number if ch.isdigit() or ch == "+")
    parts = shlex.split(command, posix=False)
    parts = [p.strip('"') for p in parts]
    if not any("{number}" in p for p in parts):
        parts.append("{number}")
    return [p.replace("{number}", digits) for p in parts]


class CallbackDialog(QDialog):
    def __init__(self, services: Services, actor: Actor, detail: CallbackDetail,
                 softphone: str = "", parent: QWidget | None = None, *,
                 on_call: bool = False) -> None:
        super().__init__(parent)
        self.services, self.actor, self.detail, self.softphone = (services, actor, detail,
                                                                  softphone)
        self.on_call = on_call
        self.saved: CallbackDetail | None = None
        self.wants_complaint = False  # saved as reached, and a complaint form is to follow
        # The call runs from the moment the dialog opens (the operator may dial by hand) and
        # restarts when CallDesk dials: its duration is the whole call, up to the save.
        self.clock = QElapsedTimer()
        self.clock.start()
        row = detail.row
        self.setObjectName("callbackDialog")
        who = row.greeting_name or row.phone
        self.setWindowTitle(self.tr("Callback on the customer's call: {who}").format(who=who)
                            if on_call else self.tr("Callback: {who}").format(who=who))
        self.setAccessibleName(self.windowTitle())
        self.setMinimumSize(620, 600)

        self.summary = name(QTextBrowser(), "callbackSummary", self.tr("Customer and complaint"))
        self.summary.setHtml(self._summary_html())
        self.summary.setMinimumHeight(140)
        self.summary.setMaximumHeight(180)
        self.script = name(QLabel(), "callbackScriptLabel", self.tr("Callback script"))
        self.script.setWordWrap(True)
        self.script.setStyleSheet("color: #1f6feb; font-size: 14px;")
        self.script.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.number = name(QLabel(f"<b style='font-size:18px'>{html.escape(row.phone)}</b>"),
                           "callbackNumberLabel", self.tr("Number to dial"))
        self.dial_button = name(QPushButton(self.tr("&Dial (F5)") if softphone
                                            else self.tr("&Copy the number (F5)")),
                                "dialButton", self.tr("Dial the number"))
        self.dial_button.clicked.connect(self.dial)
        self.warning = name(QLabel(), "callbackWarningLabel", self.tr("Warning"))
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet("color: #b3261e; font-weight: bold;")
        self.warning.setVisible(row.do_not_call)
        if row.do_not_call:
            self.warning.setText(self.tr("This customer does not want to be called. Do not "
                                         "dial; record the callback as skipped."))

        # -- the result ---------------------------------------------------------------------
        self.reached = name(QRadioButton(self.tr("&Yes, reached")), "reachedRadio",
                            self.tr("Reached"))
        self.not_reached = name(QRadioButton(self.tr("&No, not reached")), "notReachedRadio",
                                self.tr("Not reached"))
        self.reach_group = QButtonGroup(self)
        for button in (self.reached, self.not_reached):
            self.reach_group.addButton(button)
        self.satisfaction_box = QGroupBox(self.tr("Satisfaction"))
        self.satisfaction_box.setObjectName("satisfactionBox")
        self.satisfaction_group = QButtonGroup(self)
        self.satisfaction_buttons: dict[Satisfaction, QRadioButton] = {}
        satisfaction_row = QHBoxLayout(self.satisfaction_box)
        for number, satisfaction in enumerate(Satisfaction, start=1):
            button = name(QRadioButton(f"&{number} {satisfaction.label}"),
                          f"satisfaction{satisfaction.value.title()}Radio", satisfaction.label)
            self.satisfaction_group.addButton(button)
            self.satisfaction_buttons[satisfaction] = button
            satisfaction_row.addWidget(button)
        # Digits pick while a choice has focus, as everywhere; Alt+digit from anywhere.
        DigitRadios(list(self.satisfaction_buttons.values()))
        self.next_box = QGroupBox(self.tr("The customer is not satisfied: what next?"))
        self.next_box.setObjectName("nextStepBox")
        self.rework = name(QRadioButton(self.tr("Send back to the department for &rework "
                                                "with new deadlines")),
                           "reworkRadio", self.tr("Rework"))
        self.call_again = name(QRadioButton(self.tr("Explained; call &again at")),
                               "callAgainRadio", self.tr("Call again"))
        self.call_again_at = name(QDateTimeEdit(), "callAgainEdit", self.tr("Call again at"))
        self.call_again_at.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.call_again_at.setCalendarPopup(True)
        tomorrow = QDateTime(QDateTime.currentDateTime().date().addDays(1), QTime(10, 0))
        self.call_again_at.setDateTime(tomorrow)
        next_layout = QVBoxLayout(self.next_box)
        next_layout.addWidget(self.rework)
        again = QHBoxLayout()
        again.addWidget(self.call_again)
        again.addWidget(self.call_again_at, 1)
        next_layout.addLayout(again)
        self.comment = name(QPlainTextEdit(), "callbackCommentEdit",
                            self.tr("What the customer said"))
        self.comment.setPlaceholderText(self.tr("What the customer said (required when not "
                                                "satisfied)"))
        self.comment.setTabChangesFocus(True)
        self.comment.setMaximumHeight(80)

        labels = {key: error_label(f"callback_{key}Error") for key in (
            "satisfaction", "next_step", "comment", "call_again_at")}
        self.errors = FieldErrors(labels, error_label("callbackError"), {
            "comment": self.comment, "call_again_at": self.call_again_at})
        self.comment_counter = self.errors.counter("comment", self.comment, NOTE_MAX)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.save_button = name(buttons.addButton(self.tr("Save (Ctrl+Enter)"),
                                                  QDialogButtonBox.ButtonRole.AcceptRole),
                                "saveCallbackButton", self.tr("Save the callback"))
        self.skip_button = name(buttons.addButton(self.tr("&Skip: do not call…"),
                                                  QDialogButtonBox.ButtonRole.ActionRole),
                                "skipCallbackButton", self.tr("Record as skipped"))
        self.save_button.clicked.connect(self.save)
        self.skip_button.clicked.connect(self.skip)
        buttons.rejected.connect(self.reject)
        # A missed call's callback: the caller may be new, or may have a complaint.
        follows_call = row.complaint_id is None
        self.new_card_button = name(QPushButton(self.tr("Ma&ke a card…")),
                                    "newCardFromCallbackButton",
                                    self.tr("Make a card for the caller"))
        self.new_card_button.clicked.connect(self.new_card)
        self.new_card_button.setVisible(follows_call and row.customer_id is None)
        self.complaint_button = name(QPushButton(self.tr("Save, then complain&t (Ctrl+T)")),
                                     "complaintFromCallbackButton",
                                     self.tr("Save and open a complaint"))
        self.complaint_button.clicked.connect(self.save_then_complaint)
        self.complaint_button.setVisible(follows_call)
        for button in (self.new_card_button, self.complaint_button):
            button.setAutoDefault(False)

        dial_row = QHBoxLayout()
        dial_row.addWidget(self.number)
        dial_row.addStretch(1)
        dial_row.addWidget(self.dial_button)
        reach_row = QHBoxLayout()
        reach_row.addWidget(self.reached)
        reach_row.addWidget(self.not_reached)
        reach_row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.warning)
        layout.addWidget(self.script)
        layout.addLayout(dial_row)
        layout.addLayout(reach_row)
        layout.addWidget(self.satisfaction_box)
        layout.addWidget(labels["satisfaction"])
        layout.addWidget(self.next_box)
        layout.addWidget(labels["next_step"])
        layout.addWidget(labels["call_again_at"])
        layout.addWidget(self.comment)
        layout.addWidget(self.comment_counter)
        layout.addWidget(labels["comment"])
        layout.addWidget(self.errors.general)
        follow_ups = QHBoxLayout()
        follow_ups.addWidget(self.new_card_button)
        follow_ups.addWidget(self.complaint_button)
        follow_ups.addStretch(1)
        layout.addLayout(follow_ups)
        layout.addWidget(buttons)

        for button in (self.reached, self.not_reached, *self.satisfaction_buttons.values(),
                       self.rework, self.call_again):
            button.toggled.connect(self._update)
        save_keys(self, self.save)
        shortcut("F5", self, self.dial, Qt.ShortcutContext.WindowShortcut)
        shortcut("Ctrl+T", self, self.save_then_complaint, Qt.ShortcutContext.WindowShortcut)
        pending = row.status == CallbackStatus.PENDING
        for widget in (self.reached, self.not_reached, self.save_button, self.skip_button,
                       self.dial_button, self.comment):
            widget.setEnabled(pending)
        self.dial_button.setEnabled(pending and not row.do_not_call)
        self.reached.setEnabled(pending and not row.do_not_call)
        self.not_reached.setEnabled(pending and not row.do_not_call)
        self.save_button.setEnabled(pending and not row.do_not_call)
        self.new_card_button.setEnabled(pending)
        if on_call:  # the customer rang in: reached, nothing to dial or skip
            self.reached.setChecked(True)
            self.save_button.setEnabled(pending)
            for widget in (self.warning, self.reached, self.not_reached, self.dial_button,
                           self.skip_button):
                widget.hide()
            self.number.setText(self.tr("<b>The customer is on the line</b> (calling from "
                                        "{phone}): ask, then record the answer.").format(
                phone=html.escape(row.phone)))
        self._update()
        Op(self, services.settings.all).success(self._show_script).run()
        if on_call:
            first = next(iter(self.satisfaction_buttons.values()))
            (first if self.satisfaction_box.isVisibleTo(self) else self.comment).setFocus()
        else:
            (self.skip_button if row.do_not_call else self.dial_button).setFocus()

    # -- showing ---------------------------------------------------------------------------
    def _summary_html(self) -> str:
        e = html.escape
        d, row = self.detail, self.detail.row
        lines = [f"<h3>{e(row.greeting_name or row.customer_name or row.phone)}"
                 f" <small>{e(row.customer_name)}</small></h3>"]
        if d.units:
            lines.append(e("、".join(d.units)))
        if row.complaint_number:
            lines.append(f"<b>{e(row.complaint_number)}</b> "
                         f"{e(row.severity.label if row.severity else '')} "
                         f"{e(d.complaint_department)}")
            complained = self.tr("Complaint: {text}").format(text=d.complaint_description)
            asked = self.tr("Asked for: {text}").format(text=d.complaint_demand)
            resolved = self.tr("Resolution: {text}").format(text=d.complaint_resolution)
            lines.append(e(complained))
            if d.complaint_demand:
                lines.append(e(asked))
            lines.append(e(resolved))
        elif row.note:
            lines.append(e(row.note))
        lines.append(e(self.tr("Due {due}; tries so far: {n} of {max}").format(
            due=local_time(row.due_at), n=row.attempts, max=d.max_attempts)))
        for attempt in d.attempts:
            result = self.tr("reached") if attempt.reached else self.tr("not reached")
            lines.append(f"<span style='color:#555'>{e(local_time(attempt.at))} "
                         f"{e(attempt.user_name)} {e(result)} {e(attempt.note)}</span>")
        return "<br>".join(lines)

    def _show_script(self, shared: dict[str, object]) -> None:
        script = SCRIPT_CALLBACK if self.detail.row.complaint_id else SCRIPT_MISSED_CALL
        template = str(shared.get(script.key) or "")
        centre = str(shared.get(CENTRE_NAME.key) or "")
        self.script.setText(callback_script(template, centre, self.detail))

    def _update(self) -> None:
        reached = self.reached.isChecked()
        complaint = self.detail.row.complaint_id is not None
        self.complaint_button.setEnabled(
            reached and self.detail.row.status == CallbackStatus.PENDING)
        self.satisfaction_box.setVisible(reached and complaint)
        unsatisfied = self.satisfaction_buttons[Satisfaction.UNSATISFIED].isChecked()
        self.next_box.setVisible(reached and complaint and unsatisfied)
        self.call_again_at.setEnabled(self.call_again.isChecked())

    # -- acting ----------------------------------------------------------------------------
    def dial(self) -> None:
        """Runs the softphone with the number, or copies it for dialling by hand."""
        if not self.dial_button.isEnabled():
            return
        number = self.detail.row.phone
        self.clock.start()
        if self.softphone.strip():
            try:
                parts = softphone_arguments(self.softphone, number)
            except ValueError:  # e.g. an unbalanced quote in a mistyped path
                parts = []
            program = parts[0] if parts else self.softphone.strip()
            if parts and QProcess.startDetached(program, parts[1:])[0]:
                self.dial_button.setText(self.tr("Dialling…"))
                self.reached.setFocus()
                return
            show_error(self, CallDeskError(self.tr(
                "The softphone could not be started ({program}). Check the softphone "
                "command in Settings; the number was copied instead.").format(
                program=program)))
        QGuiApplication.clipboard().setText(number)
        self.dial_button.setText(self.tr("Number copied"))
        self.reached.setFocus()

    def collect(self) -> Outcome_:
        satisfaction = next((s for s, b in self.satisfaction_buttons.items() if b.isChecked()),
                            None)
        next_step = Next.REWORK if self.rework.isChecked() else \
            Next.CALL_AGAIN if self.call_again.isChecked() else None
        call_again_at = self.call_again_at.dateTime().toPython().astimezone() \
            if next_step == Next.CALL_AGAIN else None
        return Outcome_(reached=self.reached.isChecked(),
                        satisfaction=satisfaction if self.reached.isChecked() else None,
                        comment=self.comment.toPlainText(), next_step=next_step,
                        call_again_at=call_again_at,
                        duration_seconds=int(self.clock.elapsed() / 1000)
                        if self.clock.isValid() else 0)

    def save(self) -> None:
        self.wants_complaint = False
        self._submit()

    def _submit(self) -> None:
        if not self.save_button.isEnabled():
            return
        if not (self.reached.isChecked() or self.not_reached.isChecked()):
            self.errors.show(self.tr("Choose whether the customer was reached."))
            self.reached.setFocus()
            return
        outcome = self.collect()
        callbacks, actor, callback_id = self.services.callbacks, self.actor, self.detail.row.id
        on_call = self.on_call
        self.errors.submit(self, self.save_button,
                           lambda: callbacks.record(actor, callback_id, outcome,
                                                    on_inbound_call=on_call), self._saved)

    def save_then_complaint(self) -> None:
        """The caller of a missed call, reached, has a complaint: the callback is saved
        (reached), and the complaint form follows on the same call."""
        if not (self.complaint_button.isVisible() and self.complaint_button.isEnabled()
                and self.save_button.isEnabled()):
            if self.complaint_button.isVisible() and not self.reached.isChecked():
                self.errors.show(self.tr("A complaint follows a call that reached the "
                                         "customer: choose \"Yes, reached\" first."))
                self.reached.setFocus()
            return
        self.wants_complaint = True
        self._submit()

    def new_card(self) -> None:
        """A card for the unknown caller, with the number already in; the callback (and its
        missed call) then belong to the card."""
        from ui.customer_dialog import CustomerDialog

        dialog = CustomerDialog(self.services, self.actor, None, self.detail.row.phone, self)
        card = dialog.saved if dialog.exec() else None
        dialog.deleteLater()
        if card is None:
            return
        callbacks, actor, callback_id = self.services.callbacks, self.actor, self.detail.row.id
        Op(self, lambda: callbacks.attach_customer(actor, callback_id, card.id)) \
            .success(self._card_attached).failure(lambda e: show_error(self, e)).run()

    def _card_attached(self, detail: CallbackDetail) -> None:
        self.detail = detail
        self.summary.setHtml(self._summary_html())
        self.new_card_button.hide()
        self.setWindowTitle(self.tr("Callback: {who}").format(
            who=detail.row.greeting_name or detail.row.phone))
        if detail.row.do_not_call and not self.on_call:  # the new card says: do not call
            self.warning.setText(self.tr("This customer does not want to be called. Do not "
                                         "dial; record the callback as skipped."))
            self.warning.show()
            for widget in (self.dial_button, self.reached, self.not_reached, self.save_button):
                widget.setEnabled(False)
        Op(self, self.services.settings.all).success(self._show_script).run()

    def skip(self) -> None:
        from PySide6.QtWidgets import QInputDialog

        reason, ok = QInputDialog.getText(
            self, self.tr("Skip the callback"), self.tr("Why is the customer not called?"),
            text=self.tr("The customer does not want to be called back.")
            if self.detail.row.do_not_call else "")
        if not ok:
            return
        callbacks, actor, callback_id = self.services.callbacks, self.actor, self.detail.row.id
        self.errors.submit(self, self.skip_button,
                           lambda: callbacks.skip(actor, callback_id, reason), self._saved)

    def _saved(self, detail: CallbackDetail) -> None:
        self.saved = detail
        self.accept()

    def complaint_call_id(self) -> int | None:
        """The call the callback was saved on, which the complaint that follows is of."""
        attempts = self.saved.attempts if self.saved else []
        return attempts[-1].call_id if attempts else None



class ScheduleCallbackDialog(QDialog):
    """"Call back at 13:00": a callback set by hand for a call in the list."""

    def __init__(self, services: Services, actor: Actor, *, phone: str,
                 customer_id: int | None, call_id: int | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services, self.actor = services, actor
        self.customer_id, self.call_id = customer_id, call_id
        self.saved = None
        self.setObjectName("scheduleCallbackDialog")
        self.setWindowTitle(self.tr("Call back later"))
        self.setAccessibleName(self.windowTitle())
        self.setMinimumWidth(420)
        from PySide6.QtWidgets import QFormLayout, QLineEdit

        self.phone = name(QLineEdit(phone), "scheduleCallbackPhoneEdit", self.tr("Number"))
        self.when = name(QDateTimeEdit(), "scheduleCallbackWhenEdit", self.tr("Call back at"))
        self.when.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.when.setCalendarPopup(True)
        in_an_hour = QDateTime.currentDateTime().addSecs(3600)
        in_an_hour.setTime(QTime(in_an_hour.time().hour(), 0))
        self.when.setDateTime(in_an_hour)
        self.note = name(QPlainTextEdit(), "scheduleCallbackNoteEdit", self.tr("Note"))
        self.note.setTabChangesFocus(True)
        self.note.setMaximumHeight(70)
        self.note.setPlaceholderText(self.tr("e.g. the customer asked to be called after 13:00"))
        labels = {key: error_label(f"schedule_{key}Error") for key in ("phone", "due_at", "note")}
        self.errors = FieldErrors(labels, error_label("scheduleCallbackError"),
                                  {"phone": self.phone, "due_at": self.when, "note": self.note})
        form = QFormLayout()
        form.addRow(self.tr("&Number:"), self.phone)
        form.addRow("", labels["phone"])
        form.addRow(self.tr("Call back &at:"), self.when)
        form.addRow("", labels["due_at"])
        form.addRow(self.tr("N&ote:"), self.note)
        form.addRow("", self.errors.counter("note", self.note, NOTE_MAX))
        form.addRow("", labels["note"])
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        name(self.save_button, "saveScheduledCallbackButton", self.tr("Save the callback"))
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.errors.general)
        layout.addWidget(buttons)
        save_keys(self, self.save)
        self.when.setFocus()

    def save(self) -> None:
        if not self.save_button.isEnabled():  # already saving: Ctrl+Enter pressed twice
            return
        phone, note = self.phone.text(), self.note.toPlainText()
        due_at = self.when.dateTime().toPython().astimezone()
        callbacks, actor = self.services.callbacks, self.actor
        customer_id, call_id = self.customer_id, self.call_id
        self.errors.submit(self, self.save_button, lambda: callbacks.schedule(
            actor, due_at=due_at, phone=phone, customer_id=customer_id, call_id=call_id,
            note=note), self._saved)

    def _saved(self, row) -> None:  # noqa: ANN001
        self.saved = row
        self.accept()
