"""After a new complaint is saved: its number, large, for the operator to read to the
caller, with a button (Ctrl+C / Alt+C) that puts it on the clipboard; and, for a desk that
texts its callers, the message to send with its own copy button."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.services.complaint_notice import complaint_notice
from app.services.complaints import ComplaintDetail
from app.settings import CENTRE_NAME, NOTICE_COMPLAINT
from ui.forms import name, shortcut
from ui.operations import Op


class ComplaintSavedDialog(QDialog):
    def __init__(self, detail: ComplaintDetail, parent: QWidget | None = None, *,
                 settings: Callable[[], dict[str, object]] | None = None) -> None:
        """``settings`` reads the centre's settings (off the UI thread) for the message."""
        super().__init__(parent)
        self.detail = detail
        self.number = detail.row.number
        self.setObjectName("complaintSavedDialog")
        self.setWindowTitle(self.tr("Complaint saved"))
        self.setAccessibleName(self.windowTitle())
        self.setMinimumWidth(420)

        prompt = QLabel(self.tr("Read the complaint number to the caller:"))
        prompt.setObjectName("complaintSavedPrompt")
        self.number_label = name(QLabel(self.number), "complaintSavedNumber",
                                 self.tr("Complaint number"))
        font = QFont(self.number_label.font())
        font.setPointSize(max(28, font.pointSize() * 3))
        font.setBold(True)
        font.setLetterSpacing(QFont.SpacingType.PercentageSpacing, 108)
        self.number_label.setFont(font)
        self.number_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.number_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.number_label.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        row = detail.row
        place = row.unit_label or row.customer_name or row.phone
        about = name(QLabel(" · ".join(p for p in (row.category.label, place) if p)),
                     "complaintSavedAbout", self.tr("What the complaint is about"))
        about.setAlignment(Qt.AlignmentFlag.AlignCenter)
        about.setWordWrap(True)
        self.copied = name(QLabel(), "complaintSavedCopied", self.tr("Copied"))
        self.copied.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.copied.setStyleSheet("color: #1b6e3a;")

        # The text message, shown once the settings say there is one.
        self.notice_label = QLabel(self.tr("Text message to send the caller:"))
        self.notice_label.setObjectName("complaintNoticeLabel")
        self.notice = name(QPlainTextEdit(), "complaintNoticeText",
                           self.tr("Text message to send the caller"))
        self.notice.setReadOnly(True)
        self.notice.setTabChangesFocus(True)
        self.notice.setMaximumHeight(72)
        self.notice_label.setBuddy(self.notice)
        self.copy_notice_button: QPushButton = name(
            QPushButton(self.tr("Copy &message")), "copyComplaintNoticeButton",
            self.tr("Copy the text message"))
        self.copy_notice_button.setAutoDefault(False)
        self.copy_notice_button.clicked.connect(self.copy_notice)
        for widget in (self.notice_label, self.notice, self.copy_notice_button):
            widget.hide()

        buttons = QDialogButtonBox()
        self.copy_button: QPushButton = name(QPushButton(self.tr("&Copy number")),
                                             "copyComplaintNumberButton",
                                             self.tr("Copy the complaint number"))
        self.copy_button.setAutoDefault(False)
        self.copy_button.setToolTip(self.tr("Copy the number (Ctrl+C)"))
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.copy_notice_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.close_button: QPushButton = name(QPushButton(self.tr("Close")),
                                              "closeComplaintSavedButton", self.tr("Close"))
        buttons.addButton(self.close_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.close_button.setDefault(True)
        self.copy_button.clicked.connect(self.copy)
        buttons.accepted.connect(self.accept)
        shortcut("Ctrl+C", self, self.copy, Qt.ShortcutContext.WindowShortcut)

        layout = QVBoxLayout(self)
        layout.addWidget(prompt)
        layout.addSpacing(8)
        layout.addWidget(self.number_label)
        layout.addWidget(about)
        layout.addWidget(self.notice_label)
        layout.addWidget(self.notice)
        layout.addWidget(self.copied)
        layout.addSpacing(8)
        layout.addWidget(buttons)
        self.setTabOrder(self.close_button, self.copy_button)
        self.setTabOrder(self.copy_button, self.copy_notice_button)
        self.close_button.setFocus()
        if settings is not None:
            Op(self, settings).success(self._show_notice).run()

    def _show_notice(self, shared: dict[str, object]) -> None:
        text = complaint_notice(str(shared.get(NOTICE_COMPLAINT.key) or ""),
                                str(shared.get(CENTRE_NAME.key) or ""), self.detail.row)
        self.notice.setPlainText(text)
        for widget in (self.notice_label, self.notice, self.copy_notice_button):
            widget.setVisible(bool(text))
        self.adjustSize()

    def copy_notice(self) -> None:
        text = self.notice.toPlainText()
        if not text:
            return
        QGuiApplication.clipboard().setText(text)
        self.copied.setText(self.tr("Message copied: paste it into the text message or "
                                    "WeChat."))

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.number)
        self.copied.setText(self.tr("Number {number} copied: paste it where it is "
                                    "needed.").format(number=self.number))
