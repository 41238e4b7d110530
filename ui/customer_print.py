"""Printing a customer card (客户资料卡): print preview, printer or PDF, laid out in millimetres
so it prints the same at any DPI."""

from __future__ import annotations

import html

from PySide6.QtCore import QCoreApplication, QMarginsF
from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter, QTextDocument
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QWidget

from app.services.customers import CustomerCard
from ui.text import local_time


def card_html(card: CustomerCard, centre: str) -> str:
    e = html.escape
    rows = [
        (QCoreApplication.translate("CustomerPrint", "Name"), f"{card.name} {card.title.label}".strip()),
        (QCoreApplication.translate("CustomerPrint", "Type"), card.customer_type.label),
        (QCoreApplication.translate("CustomerPrint", "Tier"), card.tier.label),
        (QCoreApplication.translate("CustomerPrint", "Do not call back"), QCoreApplication.translate("CustomerPrint", "yes") if card.do_not_call else QCoreApplication.translate("CustomerPrint", "no")),
        (QCoreApplication.translate("CustomerPrint", "Phones"), "、".join(f"{p.display} {p.label}".strip() for p in card.phones)),
        (QCoreApplication.translate("CustomerPrint", "Units"), "、".join(f"{u.label}（{u.role.label}）" for u in card.units)),
        (QCoreApplication.translate("CustomerPrint", "Notes"), card.notes),
        (QCoreApplication.translate("CustomerPrint", "Created"), f"{local_time(card.created_at)} {card.created_by}"),
        (QCoreApplication.translate("CustomerPrint", "Last changed"), f"{local_time(card.updated_at)} {card.updated_by}"),
    ]
    body = "".join(
        f"<tr><td width='22%' style='background:#eef3f8'><b>{e(k)}</b></td>"
        f"<td>{e(v).replace(chr(10), '<br>')}</td></tr>" for k, v in rows)
    title = QCoreApplication.translate("CustomerPrint", "Customer card")
    printed = QCoreApplication.translate("CustomerPrint", "Printed {when}").format(
        when=local_time(_now()))
    return (f"<h2 align='center'>{e(centre)}</h2><h3 align='center'>{e(title)}</h3>"
            f"<table width='100%' border='1' cellspacing='0' cellpadding='6'>{body}</table>"
            f"<p align='right'>{e(printed)}</p>")


def _now():  # noqa: ANN202
    from app.clock import utcnow

    return utcnow()


def _document(card: CustomerCard, centre: str) -> QTextDocument:
    document = QTextDocument()
    document.setDocumentMargin(0)
    font = document.defaultFont()
    # Simplified Chinese glyph forms where the machine has them (Windows: Microsoft YaHei).
    font.setFamilies(["Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC",
                      *font.families()])
    font.setPointSizeF(11)
    document.setDefaultFont(font)
    document.setHtml(card_html(card, centre))
    return document


def _a4(layout_owner: QPrinter | QPdfWriter) -> None:
    layout_owner.setPageLayout(QPageLayout(
        QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
        QMarginsF(18, 18, 18, 18), QPageLayout.Unit.Millimeter))


def save_pdf(card: CustomerCard, centre: str, path: str) -> None:
    writer = QPdfWriter(path)
    writer.setTitle(QCoreApplication.translate("CustomerPrint", "Customer card") + " " + card.name)
    writer.setResolution(300)
    _a4(writer)
    _document(card, centre).print_(writer)  # print_ lays the text out on the device's pages


def preview(card: CustomerCard, centre: str, parent: QWidget | None) -> None:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    _a4(printer)
    dialog = QPrintPreviewDialog(printer, parent)
    dialog.printer_ = printer  # the dialog keeps a pointer to it: it must live as long
    dialog.setObjectName("customerPrintPreview")
    dialog.setWindowTitle(QCoreApplication.translate("CustomerPrint", "Print customer card"))
    document = _document(card, centre)
    dialog.paintRequested.connect(lambda target: document.print_(target))
    dialog.exec()
    dialog.deleteLater()
