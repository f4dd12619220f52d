"""Chinese for Qt's own texts: standard buttons (是/否/取消), file dialogs, context menus.

The program's own texts are written in Chinese; these come from Qt, which otherwise follows
the system locale, and an office PC set to English would show "Yes"/"Cancel". The bundle
ships Qt's ``qtbase_zh_CN.qm`` (see installer/fazhi-desktop.spec).
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QLibraryInfo, Qt, QTranslator
from PySide6.QtWidgets import QApplication

QT_CATALOGUE = "qtbase_zh_CN"


def install_qt_chinese(app: QApplication) -> bool:
    """Load Qt's Chinese catalogue into ``app``; False if it is missing (texts stay English)."""
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if not translator.load(QT_CATALOGUE, folder):
        return False
    if not sys.platform.startswith(("win", "darwin")):
        # A Linux desktop's own file chooser follows its own locale, not this program's, and
        # was half English: Qt's dialog speaks the Chinese just installed.
        app.setAttribute(Qt.ApplicationAttribute.AA_DontUseNativeDialogs, True)
    return app.installTranslator(translator)
