"""A small programmable HTTP/1.1 server on loopback for the feed tests.

Hostile servers need byte-level control: trickling one byte at a time, hanging
after the request, lying about ``Content-Length``, streaming a compression
bomb. Each route is either a `Reply` or a function that writes to the raw
socket file. The ``server`` fixture (tests/conftest.py) starts one per test.
"""

from __future__ import annotations

import gzip
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / "feeds_fixtures"


@dataclass
class Reply:
    """A canned response; ``gzip=True`` compresses the body and sets the header."""

    body: bytes = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "application/rss+xml; charset=utf-8"
    gzip: bool = False
    delay: float = 0.0


Handler = Callable[["_Handler"], object]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    server: _Server

    def log_message(self, format: str, *args: object) -> None:
        """Keep test output quiet."""

    def do_GET(self) -> None:
        self.server.log.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
        route = self.server.routes.get(self.path.split("?", 1)[0])
        if route is None:
            self.send_error(404)
            return
        if callable(route):
            route(self)
            return
        self.reply(route)

    def reply(self, reply: Reply) -> None:
        """Send ``reply`` (304 when the request's validators match its ETag)."""
        if reply.delay:
            time.sleep(reply.delay)
        body = gzip.compress(reply.body) if reply.gzip else reply.body
        etag = reply.headers.get("ETag")
        if etag and self.headers.get("If-None-Match") == etag and reply.status == 200:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(reply.status)
        if reply.content_type and reply.status not in (204, 304):
            self.send_header("Content-Type", reply.content_type)
        if reply.gzip:
            self.send_header("Content-Encoding", "gzip")
        for key, value in reply.headers.items():
            self.send_header(key, value)
        if reply.status != 204:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if reply.status not in (204, 304):
            self.wfile.write(body)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, host: str) -> None:
        self.address_family = socket.AF_INET6 if ":" in host else socket.AF_INET
        super().__init__((host, 0), _Handler)
        self.routes: dict[str, Reply | Handler] = {}
        self.log: list[tuple[str, dict[str, str]]] = []
        self.stopping = threading.Event()

    def handle_error(self, request: object, client_address: object) -> None:
        """Clients that hang up mid-response (deadline, size cap) are expected here."""


class FeedServer:
    """A loopback server; use as a context manager. ``host``: any 127.x address, or ``::1``."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        self._server = _Server(host)
        self.host = host
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()

    def __enter__(self) -> FeedServer:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop serving and release every handler that is sleeping."""
        self._server.stopping.set()
        self._server.shutdown()
        self._server.server_close()

    @property
    def stopping(self) -> threading.Event:
        """Set when the server closes; long-running handlers poll it."""
        return self._server.stopping

    def url(self, path: str) -> str:
        """The absolute URL of ``path`` on this server."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}{path}"

    def add(self, path: str, route: Reply | Handler) -> str:
        """Serve ``route`` at ``path``; returns its URL."""
        self._server.routes[path] = route
        return self.url(path)

    def requests(self, path: str | None = None) -> list[dict[str, str]]:
        """Headers of every request received (for ``path`` only, if given)."""
        return [h for p, h in self._server.log if path is None or p.split("?", 1)[0] == path]


def fixture(name: str) -> bytes:
    """The bytes of ``tests/feeds_fixtures/<name>``."""
    return (FIXTURES / name).read_bytes()


def rss(items: Iterator[str] | list[str], *, title: str = "Test feed", extra: str = "") -> bytes:
    """A minimal RSS 2.0 document around ``items`` (already-serialised ``<item>`` strings)."""
    body = "".join(items)
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
        f"<title>{title}</title><link>https://example.com/</link>{extra}{body}</channel></rss>"
    ).encode()


def item(n: int, *, title: str | None = None, link: str | None = None, body: str = "") -> str:
    """One ``<item>`` with a guid, link and pubDate."""
    title = title if title is not None else f"Story {n}"
    link = link if link is not None else f"https://example.com/story/{n}"
    return (
        f"<item><title>{title}</title><link>{link}</link><guid>{link}</guid>"
        f"<pubDate>Mon, 02 Jun 2025 {n % 24:02d}:00:00 GMT</pubDate>"
        f"<description>{body or f'Body of story {n}.'}</description></item>"
    )
