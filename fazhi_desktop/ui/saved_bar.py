"""The bar that appears over the table after a file was written: what was saved, where, and
打开文件 / 打开所在文件夹 in one click. Non-modal: work goes on, × or the next file replaces it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QBoxLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QWidget,
)

from fazhi_desktop.ui.dialogs import close_button

OPEN_FILE = "打开文件"
OPEN_FOLDER = "打开所在文件夹"


def open_path(path: Path) -> None:
    """Hand a file or folder to the system's program for it; tests replace this."""
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


class SavedBar(QFrame):
    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("savedBar")
        self.setStyleSheet("#savedBar {background:#E2EFDA; border:1px solid #70AD47;}")
        self.path: Path | None = None
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 4, 4)
        self.label = QLabel(self)
        self.label.setObjectName("savedText")
        self.label.setWordWrap(True)
        layout.addWidget(self.label, 1)
        self.open_file = QPushButton(OPEN_FILE, self)
        self.open_file.setObjectName("openFileButton")
        self.open_file.clicked.connect(lambda *_: self._open(folder=False))
        layout.addWidget(self.open_file)
        self.open_folder = QPushButton(OPEN_FOLDER, self)
        self.open_folder.setObjectName("openFolderButton")
        self.open_folder.clicked.connect(lambda *_: self._open(folder=True))
        layout.addWidget(self.open_folder)
        layout.addWidget(close_button(self, "关闭", self.hide))

    def show_saved(self, text: str, path: Path) -> None:
        self.path = path
        self.label.setText(f"{text}<br><span style='color:#555'>{path}</span>")
        self.label.setToolTip(str(path))
        self.show()

    def _open(self, *, folder: bool) -> None:
        if self.path is not None:
            open_path(self.path.parent if folder else self.path)


def show_saved(window: QWidget, text: str, path: Path) -> SavedBar:
    """Show ``text`` and ``path`` with the two buttons at the top of ``window``'s central area."""
    bar = window.findChild(SavedBar)
    if bar is None:
        bar = SavedBar(window)
        central = window.centralWidget() if isinstance(window, QMainWindow) else None
        layout = central.layout() if central is not None else window.layout()
        if isinstance(layout, QBoxLayout):
            layout.insertWidget(0, bar)
    bar.show_saved(text, path)
    return bar
