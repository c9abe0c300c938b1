"""A small HTTP proxy in front of the Stripe emulator: it forwards every request, records what was asked
(method, path, idempotency key), and can SIGKILL a process right after forwarding a chosen response."""

from __future__ import annotations

import http.client
import os
import signal
import threading
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "host"}


@dataclass(frozen=True, slots=True)
class Seen:
    """One request that went through the proxy."""

    method: str
    path: str
    idempotency_key: str | None
    body: bytes


class StripeProxy:
    """Forwards to `upstream`; `kill_after(pid, match)` arms one SIGKILL for the first request matching."""

    def __init__(self, upstream: str) -> None:
        parts = urlsplit(upstream)
        self.upstream = (parts.hostname, parts.port)
        self.seen: list[Seen] = []
        self.killed = threading.Event()
        self._lock = threading.Lock()
        self._pid: int | None = None
        self._match: Callable[[str, str], bool] | None = None
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        """Where to point a Stripe client."""
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> StripeProxy:
        """Serve in a background thread."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving."""
        self._server.shutdown()
        self._server.server_close()

    def kill_after(self, pid: int, match: Callable[[str, str], bool]) -> None:
        """SIGKILL pid once, right after forwarding the response to the first request match(method, path)."""
        with self._lock:
            self._pid, self._match = pid, match
            self.killed.clear()

    def forwarded(self, method: str, path: str, headers: dict[str, str], body: bytes) -> tuple:
        """Send the request upstream; return (status, headers, body)."""
        with self._lock:
            self.seen.append(Seen(method, path, headers.get("Idempotency-Key"), body))
        connection = http.client.HTTPConnection(*self.upstream, timeout=30)
        try:
            connection.request(method, path, body=body or None, headers=headers)
            response = connection.getresponse()
            return response.status, response.getheaders(), response.read()
        finally:
            connection.close()

    def after(self, method: str, path: str) -> None:
        """The response has gone back: kill the armed process if this was the request it waits for."""
        with self._lock:
            if self._pid is None or self._match is None or not self._match(method, path):
                return
            pid, self._pid, self._match = self._pid, None, None
        os.kill(pid, signal.SIGKILL)
        self.killed.set()


def _handler(proxy: StripeProxy) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _forward(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
            status, response_headers, data = proxy.forwarded(self.command, self.path, headers, body)
            self.send_response(status)
            for name, value in response_headers:
                if name.lower() not in HOP_BY_HOP:
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            self.wfile.flush()
            proxy.after(self.command, self.path)

        do_GET = do_POST = do_DELETE = _forward

        def log_message(self, format: str, *args) -> None:
            return

    return Handler
