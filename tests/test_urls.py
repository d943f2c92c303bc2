"""Feed URL validation and the connect-time address policy."""

from __future__ import annotations

import asyncio
import ipaddress
from typing import Any

import httpcore
import pytest

from aiwatch.feeds.fetch.guard import BlockedAddressError, GuardedBackend
from aiwatch.feeds.fetch.urls import FeedURLError, is_public_address, validate_feed_url


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("file:///etc/passwd", "Only http and https"),
        ("/etc/passwd", "looks like a file path"),
        ("~/feeds.xml", "looks like a file path"),
        ("ftp://example.com/feed.xml", "Only http and https"),
        ("javascript:alert(1)", "Only http and https"),
        ("data:text/xml,<rss/>", "Only http and https"),
        ("", "empty"),
        ("   ", "empty"),
        ("http://" + "a" * 10_000 + ".com/", "too long"),
        ("http://user:secret@example.com/feed", "user name or password"),
        ("http://exa mple.com/feed", "spaces or control"),
        ("http://example.com/\x1b[2J", "spaces or control"),
        ("http:///feed", "no host"),
        ("example.com/feed", "Only http and https"),
        ("http://example.com:99999/", "malformed"),
    ],
)
def test_refused_urls(url: str, message: str) -> None:
    with pytest.raises(FeedURLError, match=message):
        validate_feed_url(url)


def test_accepted_urls_are_normalised() -> None:
    assert (
        validate_feed_url("  HTTPS://Example.COM/Feed.xml?a=B ")
        == "https://example.com/Feed.xml?a=B"
    )
    assert validate_feed_url("http://127.0.0.1:8080/rss") == "http://127.0.0.1:8080/rss"
    assert validate_feed_url("http://[::1]/rss") == "http://[::1]/rss"
    assert (
        validate_feed_url("https://news.example.org/ai/feed/")
        == "https://news.example.org/ai/feed/"
    )


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("93.184.216.34", True),
        ("2606:4700:4700::1111", True),
        ("127.0.0.1", False),
        ("10.1.2.3", False),
        ("172.16.0.1", False),
        ("192.168.1.1", False),
        ("169.254.169.254", False),
        ("100.64.0.1", False),
        ("0.0.0.0", False),
        ("::1", False),
        ("fe80::1", False),
        ("fd00::1", False),
        ("::ffff:127.0.0.1", False),
        ("224.0.0.1", False),
    ],
)
def test_public_addresses(address: str, public: bool) -> None:
    assert is_public_address(ipaddress.ip_address(address)) is public


class _Stream(httpcore.AsyncNetworkStream):
    def __init__(self, peer: str) -> None:
        self.peer = peer
        self.closed = False

    def get_extra_info(self, info: str) -> Any:
        return (self.peer, 80) if info == "server_addr" else None

    async def aclose(self) -> None:
        self.closed = True


class _Recorder(httpcore.AsyncNetworkBackend):
    """Records connect calls instead of touching the network."""

    def __init__(self, peer: str | None = None) -> None:
        self.calls: list[str] = []
        self.peer = peer
        self.stream: _Stream | None = None

    async def connect_tcp(
        self, host: str, port: int, **_kwargs: Any
    ) -> httpcore.AsyncNetworkStream:
        self.calls.append(host)
        self.stream = _Stream(self.peer or host)
        return self.stream


def connect(backend: GuardedBackend, host: str) -> httpcore.AsyncNetworkStream:
    return asyncio.run(backend.connect_tcp(host, 80))


@pytest.mark.parametrize("host", ["169.254.169.254", "127.0.0.1", "10.0.0.5", "::1", "localhost"])
def test_guarded_backend_refuses_private_targets_before_connecting(host: str) -> None:
    inner = _Recorder()
    with pytest.raises(BlockedAddressError, match="refused to connect"):
        connect(GuardedBackend(inner), host)
    assert inner.calls == []  # refused before any socket was opened


def test_guarded_backend_connects_by_checked_ip_and_rechecks_the_peer() -> None:
    inner = _Recorder()
    stream = connect(GuardedBackend(inner), "93.184.216.34")
    assert inner.calls == ["93.184.216.34"]
    assert stream.get_extra_info("server_addr") == ("93.184.216.34", 80)
    # A peer that turns out private (e.g. a rebinding trick below us) is closed and refused.
    rebinding = _Recorder(peer="10.0.0.1")
    with pytest.raises(BlockedAddressError):
        connect(GuardedBackend(rebinding), "93.184.216.34")
    assert rebinding.stream is not None and rebinding.stream.closed


def test_guarded_backend_never_opens_unix_sockets() -> None:
    with pytest.raises(BlockedAddressError):
        asyncio.run(GuardedBackend(_Recorder()).connect_unix_socket("/var/run/docker.sock"))
