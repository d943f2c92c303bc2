"""Fetching from real loopback servers: validators, statuses, redirects, encodings, limits."""

from __future__ import annotations

import asyncio
import ssl
import zlib
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import certifi
import pytest

from aiwatch.feeds.fetch.fetcher import Fetcher, FetchOptions, FetchResult, default_user_agent
from aiwatch.feeds.fetch.http import request_target, tls_context
from aiwatch.feeds.fetch.limits import backoff_delay, parse_retry_after
from tests.feed_server import FeedServer, Reply, fixture

RSS = fixture("rss20.xml")
OPTIONS = FetchOptions(timeout=1.5, max_bytes=1024 * 1024)


def fetch(url: str, options: FetchOptions = OPTIONS, **validators: str | None) -> FetchResult:
    async def go() -> FetchResult:
        async with Fetcher(options) as fetcher:
            return await fetcher.fetch(url, **validators)

    return asyncio.run(go())


def test_ok_returns_body_validators_and_hash(server: FeedServer) -> None:
    url = server.add(
        "/feed",
        Reply(RSS, headers={"ETag": 'W/"v1"', "Last-Modified": "Mon, 02 Jun 2025 10:00:00 GMT"}),
    )
    result = fetch(url)
    assert result.status == "ok" and result.body == RSS and result.http_status == 200
    assert result.etag == 'W/"v1"' and result.last_modified == "Mon, 02 Jun 2025 10:00:00 GMT"
    assert result.body_hash and len(result.body_hash) == 64
    assert result.final_url == url and result.permanent_url is None
    sent = server.requests("/feed")[0]
    assert sent["user-agent"] == default_user_agent()
    assert (
        sent["user-agent"].startswith("aiwatch/")
        and "+https://github.com/aiwatch" in sent["user-agent"]
    )


def test_conditional_get_sends_validators_verbatim_and_304_is_not_modified(
    server: FeedServer,
) -> None:
    url = server.add("/feed", Reply(RSS, headers={"ETag": 'W/"v1"'}))
    result = fetch(url, etag='W/"v1"', last_modified="Mon, 02 Jun 2025 10:00:00 GMT")
    assert result.status == "not-modified" and result.http_status == 304 and result.body == b""
    sent = server.requests("/feed")[0]
    assert sent["if-none-match"] == 'W/"v1"'
    assert sent["if-modified-since"] == "Mon, 02 Jun 2025 10:00:00 GMT"


def test_8_bit_validators_go_back_byte_for_byte(server: FeedServer) -> None:
    url = server.add(
        "/feed", Reply(RSS, headers={"ETag": '"caf\xe9"', "Last-Modified": "l\xfcndi"})
    )
    first = fetch(url)
    second = fetch(url, etag=first.etag, last_modified=first.last_modified)
    assert second.status == "not-modified", second.error
    sent = server.requests("/feed")[1]
    assert (sent["if-none-match"], sent["if-modified-since"]) == ('"caf\xe9"', "l\xfcndi")


def test_identical_body_is_unchanged(server: FeedServer) -> None:
    url = server.add("/feed", Reply(RSS))
    first = fetch(url)
    second = fetch(url, body_hash=first.body_hash)
    assert second.status == "unchanged" and second.body == b""
    assert second.body_hash == first.body_hash


@pytest.mark.parametrize(
    ("status", "kind", "message"),
    [
        (500, "error", "HTTP 500 Internal Server Error"),
        (404, "error", "HTTP 404 Not Found"),
        (410, "gone", "HTTP 410 Gone"),
        (204, "error", "no content (HTTP 204)"),
    ],
)
def test_error_statuses(server: FeedServer, status: int, kind: str, message: str) -> None:
    result = fetch(server.add("/x", Reply(b"", status=status)))
    assert (result.status, result.http_status) == (kind, status)
    assert message in result.error


@pytest.mark.parametrize(
    ("header", "expected"),
    [("120", 120.0), ("5", 60.0), ("9999999", 86400.0), (None, None), ("soon", None)],
)
def test_429_and_503_honour_retry_after(
    server: FeedServer, header: str | None, expected: float | None
) -> None:
    headers = {"Retry-After": header} if header else {}
    for status in (429, 503):
        result = fetch(server.add(f"/{status}", Reply(b"", status=status, headers=headers)))
        assert result.status == "error" and result.http_status == status
        assert result.retry_after == expected


def test_retry_after_http_date_and_backoff() -> None:
    now = datetime(2025, 6, 2, 10, 0, tzinfo=UTC)
    later = format_datetime(now + timedelta(minutes=30), usegmt=True)
    assert parse_retry_after(later, now=now) == 1800.0
    assert parse_retry_after(format_datetime(now - timedelta(days=1), usegmt=True), now=now) == 60.0
    assert [backoff_delay(n) for n in (0, 1, 2, 3, 4)] == [0.0, 0.0, 300.0, 600.0, 1200.0]
    assert backoff_delay(40) == 86400.0


def test_permanent_and_temporary_redirects(server: FeedServer) -> None:
    final = server.add("/final", Reply(RSS))
    server.add("/moved", Reply(status=301, headers={"Location": "/final"}))
    server.add("/perm308", Reply(status=308, headers={"Location": final}))
    server.add("/temp", Reply(status=302, headers={"Location": "/final"}))
    server.add("/mixed", Reply(status=301, headers={"Location": "/temp"}))
    moved = fetch(server.url("/moved"))
    assert moved.status == "ok" and moved.final_url == final and moved.permanent_url == final
    assert fetch(server.url("/perm308")).permanent_url == final
    temp = fetch(server.url("/temp"))
    assert temp.status == "ok" and temp.final_url == final and temp.permanent_url is None
    assert fetch(server.url("/mixed")).permanent_url is None  # only all-permanent chains move


def test_a_raw_utf8_location_is_read_as_utf8(server: FeedServer) -> None:
    def moved(h: object) -> None:
        raw = b"HTTP/1.1 301 Moved\r\nLocation: /caf\xc3\xa9.xml\r\nContent-Length: 0\r\n\r\n"
        h.wfile.write(raw)  # type: ignore[attr-defined]

    server.add("/caf%C3%A9.xml", Reply(RSS))
    result = fetch(server.add("/old", moved))
    assert result.status == "ok", result.error
    assert result.final_url == server.url("/café.xml")


def test_redirect_loop_and_too_many_redirects(server: FeedServer) -> None:
    server.add("/a", Reply(status=302, headers={"Location": "/b"}))
    server.add("/b", Reply(status=302, headers={"Location": "/a"}))
    loop = fetch(server.url("/a"))
    assert loop.error == f"redirect loop starting at {server.url('/a')}"
    for i in range(12):
        server.add(f"/hop{i}", Reply(status=307, headers={"Location": f"/hop{i + 1}"}))
    server.add("/hop12", Reply(RSS))
    long = fetch(server.url("/hop0"))
    assert long.error == f"more than 10 redirects starting at {server.url('/hop0')}"
    assert fetch(server.url("/hop2")).status == "ok"  # exactly 10 redirects is fine
    server.add("/nowhere", Reply(status=301))
    assert "without a Location" in fetch(server.url("/nowhere")).error


def _consent_wall(server: FeedServer, *, domain: str = "") -> str:
    """``/feed`` serves RSS only with the cookie that ``/consent`` sets before leading back."""

    def feed(h: Any) -> None:
        if "consent=yes" in h.headers.get("Cookie", ""):
            h.reply(Reply(RSS))
        else:
            h.reply(Reply(status=302, headers={"Location": "/consent"}))

    cookie = "consent=yes; Path=/" + (f"; Domain={domain}" if domain else "")
    server.add("/consent", Reply(status=302, headers={"Location": "/feed", "Set-Cookie": cookie}))
    return server.add("/feed", feed)


def test_a_cookie_set_on_a_redirect_is_sent_on_the_next_hops(server: FeedServer) -> None:
    url = _consent_wall(server)
    result = fetch(url)
    assert result.status == "ok", result.error
    assert result.final_url == url and result.permanent_url is None
    assert [h.get("cookie") for h in server.requests("/feed")] == [None, "consent=yes"]
    assert "cookie" not in server.requests("/consent")[0]


def test_redirect_cookies_last_one_fetch_and_stay_with_their_host(server: FeedServer) -> None:
    url = _consent_wall(server)

    async def twice() -> list[FetchResult]:
        async with Fetcher(OPTIONS) as fetcher:
            return [await fetcher.fetch(url), await fetcher.fetch(url)]

    assert [r.status for r in asyncio.run(twice())] == ["ok", "ok"]
    sent = [h.get("cookie") for h in server.requests("/feed")]
    assert sent == [None, "consent=yes", None, "consent=yes"]  # the second fetch starts afresh
    # A cookie from 127.0.0.1 is not sent when the chain moves on to another host.
    elsewhere = f"http://localhost:{server.port}/other"
    server.add("/other", Reply(RSS))
    server.add("/hop", Reply(status=302, headers={"Location": elsewhere, "Set-Cookie": "k=v"}))
    assert fetch(server.url("/hop")).status == "ok"
    assert "cookie" not in server.requests("/other")[0]


def test_a_redirect_loop_that_keeps_setting_the_same_cookie_is_still_a_loop(
    server: FeedServer,
) -> None:
    server.add("/a", Reply(status=302, headers={"Location": "/b", "Set-Cookie": "s=1"}))
    server.add("/b", Reply(status=302, headers={"Location": "/a", "Set-Cookie": "s=1"}))
    assert fetch(server.url("/a")).error == f"redirect loop starting at {server.url('/a')}"


def test_redirect_to_a_refused_scheme(server: FeedServer) -> None:
    server.add("/file", Reply(status=302, headers={"Location": "file:///etc/passwd"}))
    result = fetch(server.url("/file"))
    assert result.status == "error" and "refused URL" in result.error


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "/etc/passwd",
        "ftp://example.com/x",
        "javascript:alert(1)",
        "data:,x",
        "",
        "http://" + "a" * 10_000,
    ],
)
def test_bad_urls_fail_without_io(url: str) -> None:
    result = fetch(url)
    assert result.status == "error" and result.error and result.http_status is None


def test_gzip_and_deflate_bodies_are_decoded(server: FeedServer) -> None:
    assert fetch(server.add("/gz", Reply(RSS, gzip=True))).body == RSS

    def deflate(raw: bool):
        def handler(h: object) -> None:
            data = zlib.compress(RSS)
            if raw:
                data = data[2:-4]  # headerless deflate, as some servers send
            h.send_response(200)  # type: ignore[attr-defined]
            h.send_header("Content-Encoding", "deflate")  # type: ignore[attr-defined]
            h.send_header("Content-Length", str(len(data)))  # type: ignore[attr-defined]
            h.end_headers()  # type: ignore[attr-defined]
            h.wfile.write(data)  # type: ignore[attr-defined]

        return handler

    assert fetch(server.add("/zlib", deflate(False))).body == RSS
    assert fetch(server.add("/rawdeflate", deflate(True))).body == RSS
    server.add("/br", Reply(RSS, headers={"Content-Encoding": "br"}))
    assert "unsupported content encoding" in fetch(server.url("/br")).error


@pytest.mark.parametrize(
    ("body", "content_type", "message"),
    [
        (
            b"<!DOCTYPE html><html><body>Login</body></html>",
            "text/html; charset=utf-8",
            "not a feed: text/html page",
        ),
        (b"\n<html><head></head></html>", "application/rss+xml", "not a feed: an HTML page"),
        (b"", "application/rss+xml", "empty response"),
        (b"   \n", "text/xml", "empty response"),
    ],
)
def test_html_and_empty_200_are_errors(
    server: FeedServer, body: bytes, content_type: str, message: str
) -> None:
    result = fetch(server.add("/page", Reply(body, content_type=content_type)))
    assert result.status == "error" and message in result.error


def test_tls_error_is_one_clear_sentence(server: FeedServer) -> None:
    server.add("/feed", Reply(RSS))
    result = fetch(f"https://127.0.0.1:{server.port}/feed")  # plain HTTP behind https://
    assert result.status == "error" and result.error.startswith("TLS error")


def test_tls_context_verifies_and_loads_its_roots_at_the_first_handshake() -> None:
    context = tls_context()
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
    fresh = type(context)(ssl.PROTOCOL_TLS_CLIENT)
    assert fresh.cert_store_stats()["x509_ca"] == 0
    fresh.wrap_bio(ssl.MemoryBIO(), ssl.MemoryBIO(), server_hostname="example.com")
    assert fresh.cert_store_stats()["x509_ca"] > 50


def test_ssl_cert_file_replaces_the_bundled_roots(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bundle = Path(certifi.where()).read_text()
    first = bundle[bundle.index("-----BEGIN") : bundle.index("-----END CERTIFICATE-----") + 25]
    (tmp_path / "company-ca.pem").write_text(first + "\n")
    monkeypatch.setenv("SSL_CERT_FILE", str(tmp_path / "company-ca.pem"))
    context = type(tls_context())(ssl.PROTOCOL_TLS_CLIENT)
    context.wrap_bio(ssl.MemoryBIO(), ssl.MemoryBIO(), server_hostname="example.com")
    assert context.cert_store_stats()["x509_ca"] == 1


def test_non_ascii_hosts_and_paths_are_encoded_for_the_wire() -> None:
    url, host = request_target("https://bücher.example:8443/ä?q=ü")
    assert (url.scheme, url.host, url.port, url.target, host) == (
        b"https",
        b"xn--bcher-kva.example",
        8443,
        b"/%C3%A4?q=%C3%BC",
        b"xn--bcher-kva.example:8443",
    )


def test_an_ipv6_literal_keeps_its_brackets_in_the_host_header() -> None:
    with FeedServer("::1") as v6:
        result = fetch(v6.add("/feed", Reply(RSS)))
        assert result.status == "ok", result.error
        assert v6.requests("/feed")[0]["host"] == f"[::1]:{v6.port}"


def test_concurrency_is_bounded(server: FeedServer) -> None:
    import threading
    import time

    active = {"now": 0, "peak": 0}
    lock = threading.Lock()

    def slow(h: object) -> None:
        with lock:
            active["now"] += 1
            active["peak"] = max(active["peak"], active["now"])
        time.sleep(0.1)
        with lock:
            active["now"] -= 1
        h.reply(Reply(RSS))  # type: ignore[attr-defined]

    urls = [server.add(f"/s{i}", slow) for i in range(6)]

    async def go() -> list[FetchResult]:
        async with Fetcher(FetchOptions(timeout=3, concurrency=2)) as fetcher:
            return await asyncio.gather(*(fetcher.fetch(u) for u in urls))

    results = asyncio.run(go())
    assert all(r.status == "ok" for r in results)
    assert active["peak"] == 2


def test_reason_phrase_from_the_server_is_cleaned(server: FeedServer) -> None:
    def handler(h: object) -> None:
        h.send_response(500, "Oops\x9b31m\x85!")  # type: ignore[attr-defined]
        h.send_header("Content-Length", "0")  # type: ignore[attr-defined]
        h.end_headers()  # type: ignore[attr-defined]

    result = fetch(server.add("/evil", handler))
    assert result.error == "HTTP 500 Oops!"  # the 8-bit CSI sequence goes with its parameters
