"""Chinese for Qt's own texts: standard buttons (是/否/取消), file dialogs, context menus.

The program's own texts are written in Chinese; these come from Qt, which otherwise follows
the system locale, and an office PC set to English would show "Yes"/"Cancel". The bundle
ships Qt's ``qtbase_zh_CN.qm`` (see installer/fazhi-desktop.spec).
"""

from __future__ import annotations

from PySide6.QtCore import QLibraryInfo, QTranslator
from PySide6.QtWidgets import QApplication

QT_CATALOGUE = "qtbase_zh_CN"


def install_qt_chinese(app: QApplication) -> bool:
    """Load Qt's Chinese catalogue into ``app``; False if it is missing (texts stay English)."""
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if not translator.load(QT_CATALOGUE, folder):
        return False
    return app.installTranslator(translator)
