"""Make Chinese render on any machine: register the bundled CJK font with Qt."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from fazhi_desktop.paths import resource_path

BUNDLED_FONT = ("fonts", "wqy-microhei.ttc")
# Office PCs have these; they look native there. The bundled font covers every other machine.
PREFERRED_FAMILIES = ("Microsoft YaHei UI", "Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC")


def install_fonts(app: QApplication) -> str:
    """Register the bundled font and set the application font; returns the family used."""
    families: list[str] = []
    font_id = QFontDatabase.addApplicationFont(str(resource_path(*BUNDLED_FONT)))
    if font_id >= 0:
        families = QFontDatabase.applicationFontFamilies(font_id)
    available = set(QFontDatabase.families())
    chosen = [f for f in PREFERRED_FAMILIES if f in available] + families[:1]
    font = QFont(app.font())
    if chosen:
        font.setFamilies(chosen)
    font.setPointSize(10)
    app.setFont(font)
    return chosen[0] if chosen else font.family()
