"""HTTPS end to end over the fetcher's own asyncio network backend: a real TLS handshake.

A loopback HTTPS server with a certificate made for this test (by ``openssl``)
answers a feed, a 304 and a wrong host name; the fetcher trusts only that
certificate. Skipped where no ``openssl`` command exists.
"""

from __future__ import annotations

import asyncio
import shutil
import ssl
import subprocess
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

import aiwatch.feeds.fetch.http
from aiwatch.feeds.fetch.fetcher import Fetcher, FetchOptions, FetchResult

BODY = b"<?xml version='1.0'?><rss version='2.0'><channel><title>T</title></channel></rss>"


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    if shutil.which("openssl") is None:
        pytest.skip("no openssl command to make a test certificate")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=localhost",
            "-addext",
            "subjectAltName=DNS:localhost,IP:127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""

    def do_GET(self) -> None:
        if self.headers.get("If-None-Match") == '"v1"':
            self.send_response(304)
            self.send_header("ETag", '"v1"')
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("ETag", '"v1"')
        self.send_header("Content-Length", str(len(BODY)))
        self.end_headers()
        self.wfile.write(BODY)


@pytest.fixture
def https(certificate: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> Iterator[int]:
    cert, key = certificate
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    trusting = ssl.create_default_context(cafile=str(cert))  # this certificate only
    monkeypatch.setattr(aiwatch.feeds.fetch.http, "tls_context", lambda: trusting)
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def fetch(url: str, **validators: str | None) -> FetchResult:
    async def go() -> FetchResult:
        async with Fetcher(FetchOptions(timeout=5)) as fetcher:
            return await fetcher.fetch(url, **validators)

    return asyncio.run(go())


def test_a_feed_over_https_and_its_304(https: int) -> None:
    first = fetch(f"https://localhost:{https}/feed")
    assert (first.status, first.body, first.etag) == ("ok", BODY, '"v1"'), first.error
    again = fetch(f"https://127.0.0.1:{https}/feed", etag='"v1"')
    assert again.status == "not-modified", again.error


def test_a_certificate_the_fetcher_does_not_trust_is_refused(
    https: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    untrusting = ssl.create_default_context()  # the system's roots: not this certificate
    monkeypatch.setattr(aiwatch.feeds.fetch.http, "tls_context", lambda: untrusting)
    result = fetch(f"https://localhost:{https}/feed")
    assert result.status == "error" and result.error.startswith("TLS error"), result.error
