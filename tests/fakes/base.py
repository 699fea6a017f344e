"""A threaded local HTTP server that records every request and plays scripted failures first."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self
from urllib.parse import parse_qs, urlsplit


@dataclass
class Recorded:
    """One request as the server saw it; ``at`` is the server's ``time.time()`` on arrival."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes
    at: float
    target: str = ""  # the raw request target (absolute URL when sent through a proxy)

    def json(self) -> Any:
        return json.loads(self.body or b"null")


@dataclass
class Reply:
    """A canned answer. ``delay`` seconds are slept before answering (to trigger client time-outs)."""

    status: int = 200
    body: Any = b""  # bytes, str, or anything JSON-serialisable
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    content_type: str | None = None

    def encoded(self) -> tuple[bytes, str]:
        if isinstance(self.body, bytes):
            return self.body, self.content_type or "application/octet-stream"
        if isinstance(self.body, str):
            return self.body.encode(), self.content_type or "text/html; charset=utf-8"
        return json.dumps(self.body).encode(), self.content_type or "application/json"


@dataclass
class _Script:
    method: str | None
    prefix: str
    replies: list[Reply]
    when: Callable[[Recorded], bool] | None = None


class FakeServer:
    """Subclasses implement ``handle(req) -> Reply``. ``script()`` queues replies that are served
    first, in order, to requests whose path starts with ``prefix`` (and method matches, if given)."""

    def __init__(self) -> None:
        self.requests: list[Recorded] = []
        self._scripts: list[_Script] = []
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- life cycle -----------------------------------------------------------------------

    def start(self) -> Self:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # Headers and body in one segment, sent at once: otherwise Nagle plus delayed ACKs
            # add ~40 ms to every keep-alive request.
            wbufsize = 1 << 16
            disable_nagle_algorithm = True

            def log_message(self, format: str, *args: Any) -> None:
                return

            def _serve(self) -> None:
                fake._dispatch(self)

            do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = _serve

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, name=type(self).__name__, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        assert self._server is not None, "server not started"
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # -- scripting and inspection ---------------------------------------------------------

    def script(
        self, prefix: str, *replies: Reply, method: str | None = None, when: Callable[[Recorded], bool] | None = None
    ) -> None:
        """Serve ``replies`` in order to matching requests (``when`` narrows further, e.g. on the query)."""
        with self._lock:
            self._scripts.append(_Script(method, prefix, list(replies), when))

    def requests_to(self, prefix: str, method: str | None = None) -> list[Recorded]:
        with self._lock:
            return [r for r in self.requests if r.path.startswith(prefix) and (method is None or r.method == method)]

    def handle(self, req: Recorded) -> Reply:
        return Reply(404, {"error": "no such route"})

    # -- plumbing -------------------------------------------------------------------------

    def _next_scripted(self, req: Recorded) -> Reply | None:
        with self._lock:
            for script in self._scripts:
                if (
                    script.replies
                    and req.path.startswith(script.prefix)
                    and script.method in (None, req.method)
                    and (script.when is None or script.when(req))
                ):
                    return script.replies.pop(0)
        return None

    def _dispatch(self, h: BaseHTTPRequestHandler) -> None:
        length = int(h.headers.get("Content-Length") or 0)
        body = h.rfile.read(length) if length else b""
        parts = urlsplit(h.path)
        req = Recorded(
            method=h.command,
            path=parts.path,
            query={k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()},
            headers={k.lower(): v for k, v in h.headers.items()},
            body=body,
            at=time.time(),
            target=h.path,
        )
        with self._lock:
            self.requests.append(req)
        reply = self._next_scripted(req)
        if reply is None:
            try:
                reply = self.handle(req)
            except Exception as exc:  # a bug in a fake must show up as a 500, not a hung client
                reply = Reply(500, {"error": {"type": "fake-crashed", "message": repr(exc)}})
        if reply.delay:
            time.sleep(reply.delay)
        data, content_type = reply.encoded()
        try:
            h.send_response(reply.status)
            h.send_header("Content-Type", content_type)
            h.send_header("Content-Length", str(len(data)))
            for key, value in reply.headers.items():
                h.send_header(key, value)
            h.end_headers()
            if h.command != "HEAD":
                h.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            return  # the client gave up (time-out test)
