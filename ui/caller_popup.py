"""来电弹屏: who is calling, so the operator greets them by name, and what is open for them."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app import clock
from app.domain.customers import Tier
from app.services.calls import CallerView
from app.services.customers import CustomerCard
from ui.call_model import duration_text
from ui.complaint_model import complaint_item
from ui.forms import name
from ui.text import local_time


class CallerPopup(QDialog):
    start_call = Signal(str, object)  # phone, the chosen card (or None)
    open_card = Signal(int)
    new_card = Signal(str)
    open_complaint = Signal(int)
    do_callback = Signal(int)  # a pending callback, done on this call

    def __init__(self, view: CallerView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view = view
        self.setObjectName("callerPopup")
        self.setWindowTitle(self.tr("Incoming call {phone}").format(phone=view.phone))
        self.setAccessibleName(self.windowTitle())
        self.setWindowFlag(Qt.WindowType.WindowStaysOnTopHint)
        self.setMinimumWidth(460)

        self.choice = name(QComboBox(), "callerChoiceCombo", self.tr("Which caller"))
        for card in view.cards:
            self.choice.addItem(f"{card.name} {card.title.label}".strip(), card.id)
        self.choice.setVisible(len(view.cards) > 1)  # e.g. a family sharing one landline
        # An incident touching the caller (3栋停水 …): said first, it is likely why they call.
        self.incident = name(QLabel(), "callerIncidentBanner", self.tr("Incident"))
        self.incident.setWordWrap(True)
        self.incident.setStyleSheet("background: #fde7c8; color: #7a3b00; padding: 4px;"
                                    " font-weight: bold;")
        self.incident.hide()
        self.heading = name(QLabel(), "callerHeading", self.tr("Caller"))
        self.heading.setTextFormat(Qt.TextFormat.RichText)
        self.warning = name(QLabel(), "callerWarning", self.tr("Warning"))
        self.warning.setWordWrap(True)
        self.units = name(QLabel(), "callerUnits", self.tr("Units"))
        self.units.setWordWrap(True)
        self.pending = name(QListWidget(), "callerPendingList", self.tr("Callbacks to do"))
        self.pending.setMaximumHeight(70)
        self.pending.itemActivated.connect(self._callback)
        self.callback_button = name(QPushButton(self.tr("Do the callback on t&his call")),
                                    "callbackOnCallButton",
                                    self.tr("Do the callback on this call"))
        self.callback_button.setAutoDefault(False)
        self.callback_button.clicked.connect(self._callback)
        self.complaints = name(QListWidget(), "callerComplaintsList",
                               self.tr("Open complaints"))
        self.complaints.setMaximumHeight(90)
        self.complaints.itemActivated.connect(self._complaint)
        self.recent = name(QListWidget(), "callerRecentList", self.tr("Last calls"))
        self.recent.setMaximumHeight(120)

        self.start_button = name(QPushButton(self.tr("&Log this call (Enter)")),
                                 "startCallFromPopupButton", self.tr("Log this call"))
        self.start_button.setDefault(True)
        self.card_button = name(QPushButton(self.tr("Open &card")), "openCardFromPopupButton",
                                self.tr("Open the card"))
        close = name(QPushButton(self.tr("Close (Esc)")), "closePopupButton", self.tr("Close"))
        self.start_button.clicked.connect(self._start)
        self.card_button.clicked.connect(self._card)
        close.clicked.connect(self.reject)

        buttons = QHBoxLayout()
        buttons.addWidget(self.card_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        buttons.addWidget(self.start_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.choice)
        layout.addWidget(self.incident)
        layout.addWidget(self.heading)
        layout.addWidget(self.warning)
        layout.addWidget(self.units)
        self.complaints_label = QLabel()
        self.complaints_label.setObjectName("callerComplaintsLabel")
        self.complaints_label.setStyleSheet("font-weight: bold; color: #8a5a00;")
        layout.addWidget(self.complaints_label)
        layout.addWidget(self.complaints)
        self.pending_label = QLabel(self.tr("Callbacks to do:"))
        self.pending_label.setObjectName("callerPendingLabel")
        self.pending_label.setStyleSheet("font-weight: bold; color: #1f6feb;")
        pending_row = QHBoxLayout()
        pending_row.addWidget(self.pending_label)
        pending_row.addStretch(1)
        pending_row.addWidget(self.callback_button)
        layout.addLayout(pending_row)
        layout.addWidget(self.pending)
        self.recent_label = QLabel(self.tr("Last calls:"))
        layout.addWidget(self.recent_label)
        layout.addWidget(self.recent)
        layout.addLayout(buttons)
        self.choice.currentIndexChanged.connect(self._show)
        self._show()
        self.start_button.setFocus()

    def card(self) -> CustomerCard | None:
        if not self.view.cards:
            return None
        wanted = self.choice.currentData()
        return next((c for c in self.view.cards if c.id == wanted), self.view.cards[0])

    def _show(self) -> None:
        card = self.card()
        incidents = self.view.incidents.get(card.id if card else None, [])
        self.incident.setText("\n".join(self.tr("⚠ {notice}").format(notice=i.notice())
                                         for i in incidents))
        self.incident.setVisible(bool(incidents))
        phone = html.escape(self.view.phone)
        self.pending.clear()
        self.recent.clear()
        self.complaints.clear()
        if card is None:
            self.heading.setText(self.tr("<h2>Unknown number</h2>{phone}").format(phone=phone))
            self.warning.setText(self.tr("No card has this number. Log the call and make a "
                                         "card for the caller."))
            self.warning.setStyleSheet("")
            self.units.clear()
            self.card_button.setText(self.tr("New &card…"))
            for widget in (self.pending, self.recent, self.pending_label, self.recent_label,
                           self.complaints, self.complaints_label, self.callback_button):
                widget.hide()
            return
        mark = ""
        if card.tier == Tier.VIP:
            mark = (" <span style='background:#f5c451; padding:2px'>"
                    f"&nbsp;{html.escape(card.tier.label)}&nbsp;</span>")
        elif card.tier == Tier.BLACKLIST:
            mark = (" <span style='background:#b3261e; color:white'>"
                    f"&nbsp;{html.escape(card.tier.label)}&nbsp;</span>")
        self.heading.setText(f"<h2>{html.escape(card.greeting_name)}{mark}</h2>"
                             f"{html.escape(card.name)} · {html.escape(card.customer_type.label)}"
                             f" · {phone}")
        notes = []
        if card.tier == Tier.BLACKLIST:
            notes.append(self.tr("Blacklisted caller: stay polite, take the call as usual and "
                                 "follow the rules agreed for this customer."))
        if card.do_not_call:
            notes.append(self.tr("Do not call this customer back."))
        if card.notes:
            notes.append(card.notes)
        self.warning.setText("\n".join(notes))
        self.warning.setStyleSheet("color: #b3261e;" if card.tier == Tier.BLACKLIST else "")
        self.units.setText(self.tr("Units: {units}").format(
            units="、".join(f"{u.label}（{u.role.label}）" for u in card.units) or "-"))
        for task in self.view.pending_callbacks.get(card.id, []):
            item = QListWidgetItem(f"{local_time(task.due_at)}  {task.reason.label}  "
                                   f"{task.about}".rstrip())
            item.setData(Qt.ItemDataRole.UserRole, task.id)
            self.pending.addItem(item)
        if self.pending.count():
            self.pending.setCurrentRow(0)
        now = clock.utcnow()
        for complaint in self.view.open_complaints.get(card.id, []):
            self.complaints.addItem(complaint_item(complaint, now))
        self.complaints_label.setText(self.tr("{n} open complaint(s):").format(
            n=self.complaints.count()))
        self.complaints_label.setVisible(self.complaints.count() > 0)
        self.complaints.setVisible(self.complaints.count() > 0)
        for call in self.view.recent_calls.get(card.id, []):
            kind = self.tr("Missed") if call.missed else \
                (call.call_type.label if call.call_type else "")
            self.recent.addItem(f"{local_time(call.received_at)}  {kind}  {call.summary}  "
                                f"{duration_text(call.duration_seconds)}")
        self.pending_label.setVisible(self.pending.count() > 0)
        self.pending.setVisible(self.pending.count() > 0)
        self.callback_button.setVisible(self.pending.count() > 0)
        self.recent_label.setVisible(self.recent.count() > 0)
        self.recent.setVisible(self.recent.count() > 0)

    def _start(self) -> None:
        self.start_call.emit(self.view.phone, self.card())
        self.accept()

    def _callback(self) -> None:
        item = self.pending.currentItem() or self.pending.item(0)
        if item is not None:
            self.do_callback.emit(item.data(Qt.ItemDataRole.UserRole))

    def _complaint(self, item: QListWidgetItem) -> None:
        self.open_complaint.emit(item.data(Qt.ItemDataRole.UserRole))

    def _card(self) -> None:
        card = self.card()
        if card is None:
            self.new_card.emit(self.view.phone)
        else:
            self.open_card.emit(card.id)
