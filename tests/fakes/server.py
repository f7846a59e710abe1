"""A small threaded loopback HTTP server on which each network's fake is built.

Every request is recorded (method, path, query, headers, raw body, parsed JSON/form/multipart).
Faults can be queued for the next request whose path contains a string:

- ``status``: answer with a status, body and headers *without* creating anything (429, 500...);
- ``slow``: create the post, then wait ``seconds`` before answering (past the client's timeout);
- ``malformed``: create the post, then answer 200 with a body that is not JSON;
- ``drop``: create the post, then close the connection without an answer;
- ``hang``: create the post, then never answer (until the server stops).

``delay(path_contains, seconds)`` slows every answer to matching requests (the post is created
first), and ``in_flight`` counts requests being answered: a test kills a worker while one is.
"""

from __future__ import annotations

import email.parser
import email.policy
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass
class Recorded:
    """One request as the fake server received it."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes
    json: Any = None
    form: dict[str, str] = field(default_factory=dict)
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)  # name -> (type, bytes)

    def header(self, name: str) -> str | None:
        """A header, case-insensitively."""
        for key, value in self.headers.items():
            if key.lower() == name.lower():
                return value
        return None


@dataclass
class Fault:
    path_contains: str
    kind: str
    status: int = 500
    body: Any = None
    headers: dict = field(default_factory=dict)
    seconds: float = 0.0


@dataclass
class Reply:
    status: int = 200
    body: Any = None  # dict/list -> JSON; bytes/str as is
    headers: dict = field(default_factory=dict)


def parse_multipart(content_type: str, body: bytes) -> tuple[dict, dict]:
    """(form fields, files) of a multipart/form-data body, parsed by the email package."""
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        f"Content-Type: {content_type}\r\n\r\n".encode() + body
    )
    form, files = {}, {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True) or b""
        if part.get_filename():
            files[name] = (part.get_content_type(), payload)
        else:
            form[name] = payload.decode()
    return form, files


class FakeServer:
    """Start with ``with FakeX() as fake:``; ``fake.url`` is the API root."""

    def __init__(self) -> None:
        self.requests: list[Recorded] = []
        self.faults: list[Fault] = []
        self.delays: dict[str, float] = {}
        self.in_flight = 0
        self.lock = threading.RLock()
        self._stop = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # keep test output clean
                pass

            def handle_any(self):
                server._handle(self)

            do_GET = do_POST = do_PUT = do_DELETE = handle_any

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        # shutdown() waits for serve_forever's next poll: 0.5 s by default, for every fake of
        # every test (the admin's token test alone starts nine).
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True,
                                       kwargs={"poll_interval": 0.05})

    @property
    def url(self) -> str:
        """http://127.0.0.1:PORT"""
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self.httpd.shutdown()
        self.httpd.server_close()

    def add_fault(self, path_contains: str, kind: str, **kwargs) -> None:
        """Apply a fault to the next request whose path contains ``path_contains``."""
        with self.lock:
            self.faults.append(Fault(path_contains, kind, **kwargs))

    def delay(self, path_contains: str, seconds: float) -> None:
        """Answer every request whose path contains ``path_contains`` ``seconds`` late."""
        with self.lock:
            self.delays[path_contains] = seconds

    def requests_to(self, path_contains: str, method: str | None = None) -> list[Recorded]:
        """Recorded requests whose path contains ``path_contains``."""
        return [r for r in self.requests if path_contains in r.path
                and (method is None or r.method == method)]

    # -- request handling ---------------------------------------------------------------------

    def _record(self, handler) -> Recorded:
        parts = urlsplit(handler.path)
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length) if length else b""
        content_type = handler.headers.get("Content-Type", "")
        recorded = Recorded(handler.command, parts.path, parse_qs(parts.query),
                            dict(handler.headers.items()), body)
        if content_type.startswith("application/json") and body:
            recorded.json = json.loads(body)
        elif content_type.startswith("application/x-www-form-urlencoded"):
            recorded.form = {k: v[0] for k, v in parse_qs(body.decode()).items()}
        elif content_type.startswith("multipart/form-data"):
            recorded.form, recorded.files = parse_multipart(content_type, body)
        return recorded

    def _take_fault(self, path: str) -> Fault | None:
        with self.lock:
            for fault in self.faults:
                if fault.path_contains in path:
                    self.faults.remove(fault)
                    return fault
        return None

    def _handle(self, handler) -> None:
        request = self._record(handler)
        with self.lock:
            self.requests.append(request)
        fault = self._take_fault(request.path)
        if fault and fault.kind == "status":
            return self._send(handler, Reply(fault.status, fault.body, fault.headers))
        with self.lock:
            reply = self.route(request)
        if fault is None:
            wait = max((seconds for part, seconds in self.delays.items() if part in request.path),
                       default=0.0)
            if wait:
                with self.lock:
                    self.in_flight += 1
                try:
                    time.sleep(wait)
                    return self._send(handler, reply)
                finally:
                    with self.lock:
                        self.in_flight -= 1
            return self._send(handler, reply)
        if fault.kind == "slow":
            time.sleep(fault.seconds)
            return self._send(handler, reply)
        if fault.kind == "malformed":
            return self._send(handler, Reply(200, b'{"id": "12', {"Content-Type": "application/json"}))
        if fault.kind == "hang":
            self._stop.wait(fault.seconds or 3600)
        # "drop" (and "hang" at the end): close without answering.
        handler.close_connection = True
        try:
            handler.connection.shutdown(2)
        except OSError:
            pass

    def _send(self, handler, reply: Reply) -> None:
        body = reply.body
        headers = dict(reply.headers)
        if isinstance(body, (dict, list)):
            body = json.dumps(body).encode()
            headers.setdefault("Content-Type", "application/json; charset=utf-8")
        elif isinstance(body, str):
            body = body.encode()
        body = body or b""
        try:
            handler.send_response(reply.status)
            for key, value in headers.items():
                handler.send_header(key, str(value))
            handler.send_header("Content-Length", str(len(body)))
            handler.end_headers()
            handler.wfile.write(body)
        except OSError:  # the client gave up (timeout): nothing to do
            pass

    def route(self, request: Recorded) -> Reply:
        """The network's answer to ``request``; subclasses implement their endpoints."""
        return Reply(404, {"error": "Not found"})
