"""帮助 → 关于: version, the database in use and where CallDesk keeps its files."""

from __future__ import annotations

import html
import platform

import PySide6
from PySide6.QtCore import Qt, qVersion
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from app import __version__
from ui.context import UiContext


class AboutDialog(QDialog):
    def __init__(self, context: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("aboutDialog")
        self.setWindowTitle(self.tr("About CallDesk"))
        self.setAccessibleName(self.windowTitle())
        paths = context.paths
        rows = [
            (self.tr("Version"), __version__),
            (self.tr("Database"), context.services.db.describe()),
            (self.tr("Data folder"), str(paths.data_dir)),
            (self.tr("Settings folder"), str(paths.config_dir)),
            (self.tr("Log folder"), str(paths.log_dir)),
            (self.tr("Backups"), str(paths.backup_dir)),
            (self.tr("Built with"), f"Python {platform.python_version()}, Qt {qVersion()}, "
                                    f"PySide6 {PySide6.__version__}"),
        ]
        table = "".join(f"<tr><td><b>{html.escape(k)}</b>&nbsp;&nbsp;</td>"
                        f"<td>{html.escape(v)}</td></tr>" for k, v in rows)
        title = self.tr("CallDesk property service desk")
        summary = self.tr("Front-desk workstation for property service centres: calls, "
                          "complaints, callbacks and monthly statistics.")
        text = QLabel(f"<h2>{html.escape(title)}</h2><p>{html.escape(summary)}</p>"
                      f"<table>{table}</table>")
        text.setObjectName("aboutText")
        text.setAccessibleName(self.windowTitle())
        text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(buttons)
