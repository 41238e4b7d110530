"""交接班: the end-of-shift handover, drafted from the live work, with the operator's notes
(Ctrl+Enter hands over); and a handover left by the last shift, read and acknowledged by the
next operator. Either prints (A4) through the print preview."""

from __future__ import annotations

import html

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.domain.roles import Actor
from app.domain.texts import LONG_TEXT_MAX
from app.services import Services
from app.services.handover import HandoverDraft, HandoverRow, Line, Section, Shift
from ui.forms import FieldErrors, error_label, name, save_keys
from ui.operations import Op
from ui.text import local_time


def handover_html(shift: Shift, sections: dict[Section, list[Line]], *, notes: str = "",
                  heading: str, byline: str = "") -> str:
    e = html.escape
    notes_title = QCoreApplication.translate("Handover", "Notes")
    none = QCoreApplication.translate("Handover", "None.")
    parts = [f"<h2>{e(heading)}</h2><p>{e(shift.label)}{' · ' + e(byline) if byline else ''}"
             "</p>"]
    if notes:
        parts.append(f"<h3>{e(notes_title)}</h3><p>{e(notes).replace(chr(10), '<br>')}"
                     "</p>")
    for section in Section:
        lines = sections.get(section, [])
        parts.append(f"<h3>{e(section.label)}（{len(lines)}）</h3>")
        if lines:
            parts.append("<ul>" + "".join(f"<li>{e(line.text)}</li>" for line in lines)
                         + "</ul>")
        else:
            parts.append(f"<p style='color:#777'>{e(none)}</p>")
    return "".join(parts)


class HandoverDialog(QDialog):
    """The end of a shift: the draft, the notes, 交班."""

    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None
                 ) -> None:
        super().__init__(parent)
        self.services, self.actor = services, actor
        self.saved: HandoverRow | None = None
        self.draft: HandoverDraft | None = None
        self.setObjectName("handoverDialog")
        self.setWindowTitle(self.tr("Shift handover"))
        self.setAccessibleName(self.windowTitle())
        self.resize(640, 600)
        self.view = name(QTextBrowser(), "handoverDraftView", self.tr("What the next shift "
                                                                     "takes over"))
        notes_label = QLabel(self.tr("&Notes for the next shift:"))
        self.notes = name(QPlainTextEdit(), "handoverNotesEdit", self.tr("Notes for the next "
                                                                        "shift"))
        self.notes.setTabChangesFocus(True)
        self.notes.setPlaceholderText(self.tr("e.g. the lift of building 3 is serviced until 15:00; Ms Wang calls "
                                         "back this afternoon"))
        self.notes.setMaximumHeight(110)
        notes_label.setBuddy(self.notes)
        labels = {"notes": error_label("handover_notesError")}
        self.errors = FieldErrors(labels, error_label("handoverError"), {"notes": self.notes})
        counter = self.errors.counter("notes", self.notes, LONG_TEXT_MAX)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.save_button = name(buttons.addButton(self.tr("Hand over (Ctrl+Enter)"),
                                                  QDialogButtonBox.ButtonRole.AcceptRole),
                                "handOverButton", self.tr("Hand over"))
        self.print_button = name(buttons.addButton(self.tr("&Print…"),
                                                   QDialogButtonBox.ButtonRole.ActionRole),
                                 "printHandoverButton", self.tr("Print the handover"))
        self.save_button.clicked.connect(self.save)
        self.print_button.clicked.connect(self.print_)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addWidget(notes_label)
        layout.addWidget(self.notes)
        layout.addWidget(counter)
        layout.addWidget(labels["notes"])
        layout.addWidget(self.errors.general)
        layout.addWidget(buttons)
        save_keys(self, self.save)
        self.save_button.setEnabled(False)  # until the draft is in
        self.notes.setFocus()
        Op(self, lambda: services.handovers.draft(actor)).success(self._show).run()

    def _show(self, draft: HandoverDraft) -> None:
        self.draft = draft
        self.view.setHtml(handover_html(draft.shift, draft.sections,
                                        heading=self.tr("Handover of the shift"),
                                        byline=self.actor.display_name))
        self.save_button.setEnabled(True)

    def save(self) -> None:
        if not self.save_button.isEnabled():
            return
        notes = self.notes.toPlainText()
        handovers, actor = self.services.handovers, self.actor
        self.errors.submit(self, self.save_button, lambda: handovers.hand_over(actor, notes),
                           self._saved)

    def _saved(self, row: HandoverRow) -> None:
        self.saved = row
        self.accept()

    def print_(self) -> None:
        if self.draft is not None:
            print_html(self, self.view.toHtml(), self.tr("Shift handover"))


class HandoverReadDialog(QDialog):
    """The handover the last shift left: read it, then take over (接班)."""

    def __init__(self, services: Services, actor: Actor, row: HandoverRow,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services, self.actor, self.row = services, actor, row
        self.acknowledged: HandoverRow | None = None
        self.setObjectName("handoverReadDialog")
        self.setWindowTitle(self.tr("Handover from {name}").format(name=row.from_user or "-"))
        self.setAccessibleName(self.windowTitle())
        self.resize(640, 560)
        self.view = name(QTextBrowser(), "handoverView", self.tr("The last shift's handover"))
        self.view.setHtml(handover_html(
            row.shift, row.sections, notes=row.notes, heading=self.tr("Handover of the shift"),
            byline=self.tr("{name}, handed over {at}").format(
                name=row.from_user or "-", at=local_time(row.handed_over_at))))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.take_button: QPushButton = name(buttons.addButton(
            self.tr("&Take over (Ctrl+Enter)"), QDialogButtonBox.ButtonRole.AcceptRole),
            "takeOverButton", self.tr("Take over the shift"))
        self.take_button.setEnabled(row.acknowledged_at is None)
        print_button = name(buttons.addButton(self.tr("&Print…"),
                                              QDialogButtonBox.ButtonRole.ActionRole),
                            "printHandoverButton", self.tr("Print the handover"))
        self.take_button.clicked.connect(self.take_over)
        print_button.clicked.connect(
            lambda: print_html(self, self.view.toHtml(), self.windowTitle()))
        buttons.rejected.connect(self.reject)
        self.error = error_label("handoverReadError")
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        save_keys(self, self.take_over)
        self.take_button.setFocus()

    def take_over(self) -> None:
        if not self.take_button.isEnabled():
            return
        handovers, actor, handover_id = self.services.handovers, self.actor, self.row.id
        Op(self, lambda: handovers.acknowledge(actor, handover_id)).disabling(
            self.take_button).success(self._taken).failure(self._refused).run()

    def _taken(self, row: HandoverRow) -> None:
        self.acknowledged = row
        self.accept()

    def _refused(self, error: BaseException) -> None:
        self.error.setText(str(error))
        self.error.show()


def print_html(parent: QWidget, text: str, title: str) -> None:
    """A4 print preview of a handover (the printer, or 另存为 PDF, from there)."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setDocName(title)
    document = QTextDocument()
    document.setHtml(text)
    dialog = QPrintPreviewDialog(printer, parent)
    dialog.printer_ = printer  # the dialog keeps a pointer to it: it must live as long
    dialog.setObjectName("handoverPreview")
    dialog.setWindowTitle(title)
    dialog.paintRequested.connect(document.print_)
    dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
    dialog.exec()
    dialog.deleteLater()
