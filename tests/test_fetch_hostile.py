"""Hostile servers: trickle, hang, bombs, lying lengths, and redirects into private space."""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import tracemalloc
import zlib
from functools import cache

import pytest

from aiwatch.feeds.fetch.fetcher import Fetcher, FetchOptions, FetchResult
from aiwatch.feeds.fetch.urls import IPAddress, is_public_address
from tests.feed_server import FeedServer, Reply, fixture

RSS = fixture("rss20.xml")
CAP = 1024 * 1024
OPTIONS = FetchOptions(timeout=1.0, max_bytes=CAP)
PUBLIC_IN_TESTS = ipaddress.ip_address("127.0.0.2")


def pretend_public(ip: IPAddress) -> bool:
    """127.0.0.2 plays a public host; everything else follows the real policy."""
    return ip == PUBLIC_IN_TESTS or is_public_address(ip)


def fetch(url: str, options: FetchOptions = OPTIONS) -> FetchResult:
    async def go() -> FetchResult:
        async with Fetcher(options, allowed=pretend_public) as fetcher:
            return await fetcher.fetch(url)

    return asyncio.run(go())


def headers(h: object, status: int = 200, **extra: str) -> None:
    h.send_response(status)  # type: ignore[attr-defined]
    for key, value in extra.items():
        h.send_header(key.replace("_", "-"), value)  # type: ignore[attr-defined]
    h.end_headers()  # type: ignore[attr-defined]


def trickle(server: FeedServer):
    def handler(h: object) -> None:
        headers(h, Content_Type="application/rss+xml", Content_Length=str(len(RSS)))
        for byte in RSS:
            if server.stopping.wait(0.2):
                return
            try:
                h.wfile.write(bytes([byte]))  # type: ignore[attr-defined]
                h.wfile.flush()  # type: ignore[attr-defined]
            except OSError:
                return

    return handler


def test_trickle_fails_at_the_total_deadline(server: FeedServer) -> None:
    # A byte every 0.2 s never trips a per-read timeout: only the total deadline stops it.
    result = fetch(server.add("/trickle", trickle(server)))
    assert result.status == "error" and result.error == "timed out after 1 s"


def test_server_that_accepts_and_hangs(server: FeedServer) -> None:
    server.add("/hang", lambda h: server.stopping.wait(10))
    result = fetch(server.url("/hang"))
    assert result.error == "timed out after 1 s"


def test_listener_that_never_accepts() -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        result = fetch(f"http://127.0.0.1:{listener.getsockname()[1]}/feed")
    assert result.error == "timed out after 1 s"


@cache
def bomb(kind: str) -> bytes:
    """Zero bytes compressed: a few hundred KiB that inflate to 256 MiB (deflate: 64 MiB).

    The gzip bomb is 16 concatenated members of 16 MiB each (quick to build);
    deflate has no members, so that one is built in one go, smaller.
    """
    if kind == "gzip":
        packer = zlib.compressobj(9, zlib.DEFLATED, 31)
        member = b"".join(packer.compress(b"\0" * CAP) for _ in range(16)) + packer.flush()
        return member * 16
    packer = zlib.compressobj(9, zlib.DEFLATED, 15 if kind == "deflate" else -15)
    return b"".join(packer.compress(b"\0" * CAP) for _ in range(64)) + packer.flush()


@pytest.mark.parametrize("kind", ["gzip", "deflate", "rawdeflate"])
def test_compression_bomb_stops_near_the_cap(server: FeedServer, kind: str) -> None:
    data = bomb(kind)
    assert len(data) < 300 * 1024
    encoding = "gzip" if kind == "gzip" else "deflate"

    def handler(h: object) -> None:
        headers(h, Content_Encoding=encoding, Content_Length=str(len(data)))
        h.wfile.write(data)  # type: ignore[attr-defined]

    url = server.add("/bomb", handler)
    tracemalloc.start()
    try:
        result = fetch(url)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert result.status == "error" and result.error == "response larger than 1 MiB"
    assert result.body == b""
    assert peak < 6 * CAP, f"peak {peak / CAP:.1f} MiB while decoding a bomb"


def huge(server: FeedServer, *, declared: int | None, send: int):
    def handler(h: object) -> None:
        extra = (
            {"Content_Length": str(declared)} if declared is not None else {"Connection": "close"}
        )
        headers(h, Content_Type="application/rss+xml", **extra)
        block = b"<!-- " + b"x" * 65_000 + b" -->"
        sent = 0
        try:
            while sent < send and not server.stopping.is_set():
                h.wfile.write(block)  # type: ignore[attr-defined]
                sent += len(block)
        except OSError:
            return
        h.close_connection = True  # type: ignore[attr-defined]

    return handler


@pytest.mark.parametrize(
    "declared", [None, 100 * CAP, 200], ids=["no-length", "honest-huge", "lying-small"]
)
def test_huge_plain_body_is_capped_on_bytes_read(server: FeedServer, declared: int | None) -> None:
    result = fetch(server.add("/huge", huge(server, declared=declared, send=20 * CAP)))
    if declared == 200:
        # HTTP/1.1 framing ends the body after 200 bytes; what arrives is not a feed.
        assert result.status == "ok" and len(result.body) == 200
    else:
        assert result.error == "response larger than 1 MiB" and result.body == b""


def test_body_shorter_than_content_length_is_not_used(server: FeedServer) -> None:
    result = fetch(server.add("/short", huge(server, declared=CAP // 2, send=100_000)))
    assert result.status == "error" and result.body == b""
    assert "broke off" in result.error


def test_public_host_redirecting_to_private_space_is_refused() -> None:
    with FeedServer("127.0.0.2") as public, FeedServer("127.0.0.1") as private:
        private.add("/admin", Reply(RSS))
        public.add("/to-private", Reply(status=302, headers={"Location": private.url("/admin")}))
        public.add(
            "/to-metadata",
            Reply(status=301, headers={"Location": "http://169.254.169.254/latest/"}),
        )
        public.add(
            "/to-localhost",
            Reply(status=302, headers={"Location": f"http://localhost:{private.port}/admin"}),
        )
        public.add("/hop", Reply(status=302, headers={"Location": "/to-private"}))
        for path, target in [
            ("/to-private", "127.0.0.1"),
            ("/to-metadata", "169.254.169.254"),
            ("/to-localhost", "localhost"),
            ("/hop", "127.0.0.1"),
        ]:
            result = fetch(public.url(path))
            assert result.status == "error", path
            assert result.error.startswith(f"refused to connect to {target}"), result.error
        assert private.requests() == []  # the private server never saw a request


def test_user_typed_private_urls_are_allowed_and_may_redirect_privately() -> None:
    with FeedServer("127.0.0.1") as lan:
        lan.add("/feed", Reply(RSS))
        lan.add("/old", Reply(status=301, headers={"Location": "/feed"}))
        assert fetch(lan.url("/feed")).status == "ok"
        assert fetch(f"http://localhost:{lan.port}/old").status == "ok"


def test_private_host_redirecting_to_public_then_back_is_refused() -> None:
    with FeedServer("127.0.0.2") as public, FeedServer("127.0.0.1") as private:
        private.add("/secret", Reply(RSS))
        public.add("/bounce", Reply(status=302, headers={"Location": private.url("/secret")}))
        private.add("/start", Reply(status=302, headers={"Location": public.url("/bounce")}))
        result = fetch(private.url("/start"))
        assert result.error.startswith("refused to connect to 127.0.0.1")
        assert private.requests("/secret") == []


HOSTILE_COOKIES = [
    "",
    "=",
    ";;;",
    "a=b; expires=Thu, 99 Foo 99999 99:99:99 GMT",
    "a=b; max-age=-1e309",
    "a=b; Domain=..",
    "a=b; Domain=.com",
    'a="unterminated',
    "a=b; version=abc",
    "\u00ff\u00fe=1",
    "x=" + "y" * 8000,
]


@pytest.mark.parametrize("cookie", HOSTILE_COOKIES, ids=range(len(HOSTILE_COOKIES)))
def test_malformed_cookies_on_a_redirect_never_fail_the_fetch(
    server: FeedServer, cookie: str
) -> None:
    def hop(h: object) -> None:
        raw = f"HTTP/1.1 302 Found\r\nLocation: /feed\r\nSet-Cookie: {cookie}\r\n"
        h.wfile.write(raw.encode("latin-1") + b"Content-Length: 0\r\n\r\n")  # type: ignore[attr-defined]

    server.add("/feed", Reply(RSS))
    assert fetch(server.add("/hop", hop)).status == "ok"
