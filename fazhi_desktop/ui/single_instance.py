"""One window per database: a second start brings the first window forward instead.

A lock file (``QLockFile`` in the temp folder, keyed by a hash of the database path) decides
who is first: the OS releases it with the process, and Qt recognises the file a crashed
process left behind by its PID. The first instance also listens on a local socket
(a named pipe on Windows) of the same key; a second start connects, asks it to raise its
window, and exits. If the first does not answer (still starting, or hung), the second says
clearly that the database is already open.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCryptographicHash, QDir, QLockFile, QObject, Qt, Signal
from PySide6.QtWidgets import QWidget

from fazhi_desktop import APP_NAME

if TYPE_CHECKING:
    # QtNetwork is imported where used: loading it costs ~15 ms of start-up, and only after
    # the window is painted (or on a second start) is it needed.
    from PySide6.QtNetwork import QLocalServer, QLocalSocket

log = logging.getLogger(__name__)

RAISE = b"raise\n"
OK = b"ok\n"


def instance_key(db_path: Path) -> str:
    """The same for every spelling of one database file (relative, different case on Windows)."""
    absolute = os.path.normcase(os.path.abspath(Path(db_path).expanduser()))
    with contextlib.suppress(OSError):
        absolute = os.path.normcase(str(Path(absolute).resolve()))
    # Qt's hash, not hashlib: that would load OpenSSL before the window is painted.
    digest = QCryptographicHash.hash(absolute.encode("utf-8"), QCryptographicHash.Algorithm.Sha256)
    return f"{APP_NAME}-{bytes(digest.toHex().data()).decode()[:24]}"


class InstanceGuard(QObject):
    """Held by the first instance for its whole life; emits ``raise_requested``."""

    raise_requested = Signal()

    def __init__(self, key: str, lock: QLockFile) -> None:
        super().__init__()
        self.key = key
        self._lock = lock
        self._server: QLocalServer | None = None

    def listen(self) -> bool:
        """Start answering second starts (after the window is painted: see the import note)."""
        from PySide6.QtNetwork import QLocalServer

        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        # A socket file left by a crashed run (Unix) would make listen() fail; we hold the
        # lock, so nobody else is using the name.
        QLocalServer.removeServer(self.key)
        if not server.listen(self.key):
            log.warning("无法监听本地连接 %s：%s", self.key, server.errorString())
            return False
        server.newConnection.connect(lambda: self._answer(server))
        self._server = server
        return True

    def _answer(self, server: QLocalServer) -> None:
        while server.hasPendingConnections():
            conn = server.nextPendingConnection()
            # Our PID first: on Windows the newcomer, which owns the foreground, lets us take it.
            conn.write(f"{os.getpid()}\n".encode())
            conn.flush()

            def on_ready(conn: QLocalSocket = conn) -> None:
                if conn.canReadLine() and bytes(conn.readLine().data()) == RAISE:
                    log.info("另一次启动请求显示窗口")
                    self.raise_requested.emit()
                    conn.write(OK)
                    conn.flush()
                    conn.disconnectFromServer()

            conn.readyRead.connect(on_ready)
            conn.disconnected.connect(conn.deleteLater)

    def release(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None
        self._lock.unlock()


def claim(db_path: Path) -> InstanceGuard | None:
    """Become the database's instance, or None when another process already is."""
    key = instance_key(db_path)
    lock = QLockFile(QDir(QDir.tempPath()).filePath(f"{key}.lock"))
    # 0: a lock is stale only when its process is gone, never merely because it is old.
    lock.setStaleLockTime(0)
    if not lock.tryLock(0):
        return None
    return InstanceGuard(key, lock)


def ask_first_to_raise(db_path: Path, timeout: float = 4.0) -> bool:
    """Ask the running instance to show its window; True once it confirmed."""
    from PySide6.QtNetwork import QLocalSocket

    key = instance_key(db_path)
    deadline = time.monotonic() + timeout
    # The first instance listens only after its window is painted: retry for a while.
    while time.monotonic() < deadline:
        sock = QLocalSocket()
        sock.connectToServer(key)
        if sock.waitForConnected(300):
            try:
                return _handshake(sock, deadline)
            finally:
                sock.abort()
        time.sleep(0.1)
    return False


def _handshake(sock: QLocalSocket, deadline: float) -> bool:
    def read_line() -> bytes | None:
        while not sock.canReadLine():
            left = int((deadline - time.monotonic()) * 1000)
            if left <= 0 or not sock.waitForReadyRead(left):
                return None
        return bytes(sock.readLine().data())

    pid_line = read_line()
    if pid_line is None:
        return False
    _allow_foreground(pid_line)
    sock.write(RAISE)
    sock.flush()
    sock.waitForBytesWritten(1000)
    return read_line() == OK


def _allow_foreground(pid_line: bytes) -> None:
    """Windows only lets the foreground process hand focus on; we are it, so pass it along."""
    if sys.platform != "win32":
        return
    try:
        import ctypes

        ctypes.windll.user32.AllowSetForegroundWindow(int(pid_line.strip()))
    except (ValueError, OSError, AttributeError):
        pass


def bring_to_front(window: QWidget) -> None:
    if window.isMinimized():
        window.setWindowState(window.windowState() & ~Qt.WindowState.WindowMinimized)
    window.show()
    window.raise_()
    window.activateWindow()
