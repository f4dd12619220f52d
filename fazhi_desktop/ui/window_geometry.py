"""Where windows appear and how big they are, on the 1366×768 screens offices still have.

The first start fills 90 % of the screen, centred: a 879×268 window showing 3½ rows is no way
to meet a program. Later starts restore the saved geometry, but never larger than the screen the
window is on (a geometry saved on a docked 1920×1080 monitor must not open off a laptop's
screen). Every other top-level window — each dialog sets a comfortable size of its own — is
shrunk to the available screen when it is shown, so its buttons are never below the task bar.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QEvent, QObject, QRect, QSize
from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import QApplication, QWidget

FIRST_START_SHARE = 0.9
# Title bar and borders a window manager adds around the client area (frameGeometry is only
# known once the window is mapped; this is the allowance before that).
FRAME_ALLOWANCE = QSize(16, 40)


def _screen_of(widget: QWidget) -> QScreen | None:
    return widget.screen() or QGuiApplication.primaryScreen()


def available_rect(widget: QWidget) -> QRect | None:
    screen = _screen_of(widget)
    return screen.availableGeometry() if screen is not None else None


def place_main_window(window: QWidget, saved: object) -> None:
    """Restore ``saved`` (from ``saveGeometry``) within the screen, or size a first start."""
    if isinstance(saved, QByteArray) and window.restoreGeometry(saved):
        fit_into_screen(window)
        return
    area = available_rect(window)
    if area is None:
        return
    size = QSize(
        int(area.width() * FIRST_START_SHARE) - FRAME_ALLOWANCE.width(),
        int(area.height() * FIRST_START_SHARE) - FRAME_ALLOWANCE.height(),
    )
    window.resize(size)
    window.move(
        area.x() + (area.width() - size.width()) // 2,
        area.y() + (area.height() - size.height() - FRAME_ALLOWANCE.height()) // 2,
    )


def fit_into_screen(window: QWidget) -> None:
    """Shrink ``window`` to the available screen and move it fully onto it."""
    area = available_rect(window)
    if area is None:
        return
    frame = window.frameGeometry()
    extra = frame.size() - window.geometry().size()
    if extra.width() <= 0 and extra.height() <= 0:
        extra = FRAME_ALLOWANCE  # not mapped yet: assume the window manager's decoration
    width = min(window.width(), area.width() - extra.width())
    height = min(window.height(), area.height() - extra.height())
    if (width, height) != (window.width(), window.height()):
        window.resize(max(width, 1), max(height, 1))
    x = min(max(frame.x(), area.x()), area.right() + 1 - width - extra.width())
    y = min(max(frame.y(), area.y()), area.bottom() + 1 - height - extra.height())
    if (x, y) != (frame.x(), frame.y()):
        window.move(x, y)


class ScreenFit(QObject):
    """Application-wide: every top-level window that is shown fits the available screen."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.Show
            and isinstance(watched, QWidget)
            and watched.isWindow()
            and not watched.isMaximized()
            and not watched.isFullScreen()
        ):
            fit_into_screen(watched)
        return False


def install_screen_fit(app: QApplication) -> ScreenFit:
    """Install :class:`ScreenFit`; keep the returned object alive as long as ``app``."""
    fit = ScreenFit(app)
    app.installEventFilter(fit)
    return fit
