"""Loading CallDesk's and Qt's own translations for the chosen language."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from app import i18n
from app.paths import resource


def install(app: QCoreApplication, language: str) -> list[QTranslator]:
    """Installs the translators and returns them (they must outlive the application)."""
    i18n.set_language(language)
    QLocale.setDefault(QLocale(language))
    installed: list[QTranslator] = []
    if language == "en":
        return installed
    ours_dir = str(resource("translations"))
    # Qt's own strings: the OK/Cancel buttons, the file dialogs, context menus. The frozen
    # build ships qtbase_zh_CN beside ours (and none of Qt's other catalogues); from source
    # it is in PySide6's Qt.
    qt_translator = QTranslator(app)
    if qt_translator.load(f"qtbase_{language}", ours_dir) or qt_translator.load(
            f"qtbase_{language}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt_translator)
        installed.append(qt_translator)
    ours = QTranslator(app)
    if ours.load(f"calldesk_{language}", ours_dir):
        app.installTranslator(ours)
        installed.append(ours)
    return installed
