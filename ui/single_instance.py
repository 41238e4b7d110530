"""One CallDesk per user and data folder, and the way softphones reach it.

The running app listens on a local socket (a named pipe on Windows). ``calldesk
incoming-call PHONE`` connects, hands over the number and exits; the app comes to the
front with the caller's card. Softphones such as MicroSIP run that command on every
incoming call (``cmdIncomingCall``).

A demo window (``--demo``) listens under a name of its own: ``incoming-call --demo PHONE``
reaches it, so a newcomer can try the pop-up on demo data, and the desk's softphone hook
(without ``--demo``) never does.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import logging

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from app.paths import AppPaths

log = logging.getLogger(__name__)

CONNECT_TIMEOUT_MS = 1500


def server_name(paths: AppPaths, *, demo: bool = False) -> str:
    """Per user and data folder, so two users (or a test) never reach each other's app; the
    demo apart from the real desk."""
    key = f"{getpass.getuser()}|{paths.data_dir}{'|demo' if demo else ''}".encode()
    return ("calldesk-demo-" if demo else "calldesk-") + hashlib.sha1(key).hexdigest()[:16]


def _connect(paths: AppPaths, demo: bool) -> QLocalSocket | None:
    socket = QLocalSocket()
    socket.connectToServer(server_name(paths, demo=demo))
    return socket if socket.waitForConnected(CONNECT_TIMEOUT_MS) else None


def running(paths: AppPaths, *, demo: bool = False) -> bool:
    """Whether a CallDesk (or, with ``demo``, a demo window) listens; tells it nothing."""
    socket = _connect(paths, demo)
    if socket is None:
        return False
    socket.disconnectFromServer()
    return True


def send(paths: AppPaths, message: dict[str, object], *, demo: bool = False) -> bool:
    """Hands ``message`` to the running app (or demo); False when none runs."""
    socket = _connect(paths, demo)
    if socket is None:
        return False
    socket.write((json.dumps(message, ensure_ascii=False) + "\n").encode("utf-8"))
    socket.flush()
    socket.waitForBytesWritten(CONNECT_TIMEOUT_MS)
    socket.disconnectFromServer()
    if socket.state() != QLocalSocket.LocalSocketState.UnconnectedState:
        socket.waitForDisconnected(CONNECT_TIMEOUT_MS)
    return True


class InstanceServer(QObject):
    incoming_call = Signal(str, bool)  # phone, missed
    activate = Signal()

    def __init__(self, paths: AppPaths, parent: QObject | None = None, *,
                 demo: bool = False) -> None:
        super().__init__(parent)
        self.server = QLocalServer(self)
        self.name = server_name(paths, demo=demo)
        self.server.newConnection.connect(self._accept)
        self._buffers: dict[QLocalSocket, bytes] = {}

    def listen(self) -> bool:
        if self.server.listen(self.name):
            return True
        # A crashed CallDesk can leave the name behind (Unix); take it over.
        QLocalServer.removeServer(self.name)
        ok = self.server.listen(self.name)
        if not ok:
            log.warning("cannot listen on %s: %s", self.name, self.server.errorString())
        return ok

    def close(self) -> None:
        self.server.close()

    def _accept(self) -> None:
        while self.server.hasPendingConnections():
            socket = self.server.nextPendingConnection()
            self._buffers[socket] = b""
            socket.readyRead.connect(lambda s=socket: self._read(s))
            socket.disconnected.connect(lambda s=socket: self._done(s))

    def _read(self, socket: QLocalSocket) -> None:
        self._buffers[socket] = self._buffers.get(socket, b"") + bytes(socket.readAll().data())
        while b"\n" in self._buffers[socket]:
            line, self._buffers[socket] = self._buffers[socket].split(b"\n", 1)
            self._handle(line)

    def _done(self, socket: QLocalSocket) -> None:
        rest = self._buffers.pop(socket, b"")
        if rest.strip():
            self._handle(rest)
        socket.deleteLater()

    def _handle(self, line: bytes) -> None:
        try:
            message = json.loads(line.decode("utf-8"))
        except ValueError:
            log.warning("ignoring a message that is not JSON: %r", line[:200])
            return
        if not isinstance(message, dict):
            return
        phone = message.get("incoming_call")
        if isinstance(phone, str) and phone.strip():
            self.incoming_call.emit(phone.strip(), bool(message.get("missed")))
        elif message.get("activate"):
            self.activate.emit()
