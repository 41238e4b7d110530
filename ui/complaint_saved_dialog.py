"""After a new complaint is saved: its number, large, for the operator to read to the
caller, with a button (Ctrl+C / Alt+C) that puts it on the clipboard."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.services.complaints import ComplaintDetail
from ui.forms import name, shortcut


class ComplaintSavedDialog(QDialog):
    def __init__(self, detail: ComplaintDetail, parent: QWidget | None = None) -> None:
        super().__init__(parent)
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

        buttons = QDialogButtonBox()
        self.copy_button: QPushButton = name(QPushButton(self.tr("&Copy number")),
                                             "copyComplaintNumberButton",
                                             self.tr("Copy the complaint number"))
        self.copy_button.setAutoDefault(False)
        self.copy_button.setToolTip(self.tr("Copy the number (Ctrl+C)"))
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
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
        layout.addWidget(self.copied)
        layout.addSpacing(8)
        layout.addWidget(buttons)
        self.setTabOrder(self.close_button, self.copy_button)
        self.close_button.setFocus()

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.number)
        self.copied.setText(self.tr("Number {number} copied: paste it where it is "
                                    "needed.").format(number=self.number))
