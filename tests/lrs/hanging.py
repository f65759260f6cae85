"""HangingServer: a TCP endpoint that accepts connections and never answers (an LRS or a cmi5
fetch URL that hangs), for the launch time-out tests of xapi.js and cmi5.js.

    with HangingServer(target="http://127.0.0.1:8000") as h:
        h.origin            "http://127.0.0.1:PORT"
        h.held              first line of each request received while hanging, in order
                            ("POST /fetch/… HTTP/1.1"; a CORS preflight shows as "OPTIONS …")
        h.release()         the platform answers again: held connections (those the browser has
                            not given up) and new ones are piped to ``target``, byte for byte;
                            without a target they are closed

Bounded: a connection is held ``hold`` seconds at most (then closed, unanswered), and
``close()`` (or leaving the ``with`` block) closes every socket and ends every thread.
"""

from __future__ import annotations

import select
import socket
import threading
import time
import urllib.parse
from typing import Self


class HangingServer:
    def __init__(self, target: str | None = None, *, hold: float = 60.0) -> None:
        self.target = None
        if target:
            parts = urllib.parse.urlsplit(target)
            self.target = (parts.hostname, parts.port)
        self.hold = hold
        self.held: list[str] = []
        self._lock = threading.Lock()
        self._released = threading.Event()
        self._closed = threading.Event()
        self._sockets: list[socket.socket] = []
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.2)
        self.port = self._listener.getsockname()[1]
        self._threads = [threading.Thread(target=self._accept, daemon=True)]
        self._threads[0].start()

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def release(self) -> None:
        self._released.set()

    def close(self) -> None:
        self._closed.set()
        self._listener.close()
        with self._lock:
            sockets = list(self._sockets)
        for s in sockets:
            try:
                s.close()
            except OSError:
                pass
        for t in list(self._threads):
            t.join(timeout=5)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- internals ----------------------------------------------------------------------
    def _track(self, s: socket.socket) -> socket.socket:
        with self._lock:
            self._sockets.append(s)
        return s

    def _accept(self) -> None:
        while not self._closed.is_set():
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            conn.settimeout(0.2)
            t = threading.Thread(target=self._serve, args=(self._track(conn),), daemon=True)
            with self._lock:
                self._threads.append(t)
            t.start()

    def _serve(self, conn: socket.socket) -> None:
        buf = b""
        logged = False
        deadline = time.monotonic() + self.hold
        try:
            while not self._released.is_set():
                if self._closed.is_set() or time.monotonic() > deadline:
                    return
                try:
                    chunk = conn.recv(65536)
                except TimeoutError:
                    continue
                if not chunk:  # the client gave up (an aborted fetch closes its socket)
                    return
                buf += chunk
                if not logged and b"\r\n" in buf:
                    logged = True
                    with self._lock:
                        self.held.append(buf.split(b"\r\n", 1)[0].decode("latin-1"))
            if self.target is not None:
                conn.settimeout(5)
                self._pipe(conn, buf)
        except OSError:
            return
        finally:
            conn.close()

    def _pipe(self, conn: socket.socket, buf: bytes) -> None:
        up = self._track(socket.create_connection(self.target, timeout=5))
        try:
            if buf:
                up.sendall(buf)
            while not self._closed.is_set():
                ready, _, _ = select.select([conn, up], [], [], 0.2)
                for s in ready:
                    data = s.recv(65536)
                    if not data:
                        return
                    (up if s is conn else conn).sendall(data)
        finally:
            up.close()
