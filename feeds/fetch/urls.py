"""Which feed URLs aiwatch accepts, and which addresses it will connect to.

Two separate questions:

* **Is this a feed URL at all?** `validate_feed_url` accepts only absolute
  ``http``/``https`` URLs with a host, no credentials, no whitespace or control
  characters and at most 2 KB. Everything else (``file:``, a bare path,
  ``ftp:``, ``javascript:``, ``data:``, empty, huge) is refused with a sentence
  a user can act on, before any I/O.
* **May we connect to this address?** (server-side request forgery policy.) The
  URL a user typed is trusted wherever it points: a self-hosted RSS bridge on
  ``localhost`` or the LAN is a legitimate choice. But once a fetch has talked
  to a *public* address, a redirect must not lead it to loopback, link-local
  (``169.254.169.254``), private or otherwise non-global space.
  `GuardedBackend` enforces that at connect time: it resolves the host itself,
  refuses when a forbidden address is among the results, connects to the
  checked IP (so DNS cannot change between check and connect), and verifies the
  peer address of the socket it actually got. `feeds.fetch.fetcher` uses one connection
  pool with an open backend for the typed URL and a guarded one for every hop
  after a public address was seen, so a pooled connection never crosses policies.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import ssl
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpcore

from aiwatch.feeds.fetch.net import AsyncioBackend, AsyncioStream, idle_readable

MAX_FEED_URL = 2_048
_SCHEMES = ("http", "https")

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
AddressCheck = Callable[[IPAddress], bool]


class FeedURLError(ValueError):
    """A feed URL that aiwatch refuses; the message says why."""


class BlockedAddressError(httpcore.ConnectError):
    """A connection refused by the address policy (private address after a public hop)."""


def validate_feed_url(url: object) -> str:
    """Return ``url`` normalised if it is an acceptable feed URL, else raise `FeedURLError`.

    Normalising strips surrounding space and lower-cases the scheme and host, so
    duplicates are recognised. No I/O happens here: the check is purely syntactic.
    """
    if not isinstance(url, str):
        raise FeedURLError("Feed URL must be text.")
    url = url.strip()
    if not url:
        raise FeedURLError("Feed URL is empty.")
    if len(url) > MAX_FEED_URL:
        raise FeedURLError(
            f"Feed URL is too long ({len(url):,} characters; at most {MAX_FEED_URL:,})."
        )
    if any(ch.isspace() or ord(ch) < 0x20 or 0x7F <= ord(ch) < 0xA0 for ch in url):
        raise FeedURLError("Feed URL contains spaces or control characters.")
    if url.startswith("/") or url.startswith("\\") or url.startswith("~"):
        raise FeedURLError(
            f"Not a web address: {url[:80]!r} looks like a file path; feeds must be http(s) URLs."
        )
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise FeedURLError(f"Feed URL is malformed: {exc}.") from exc
    scheme = parts.scheme.lower()
    if scheme not in _SCHEMES:
        shown = f"{scheme}:" if scheme else "no scheme"
        raise FeedURLError(f"Only http and https feeds are supported (got {shown}).")
    if not parts.hostname:
        raise FeedURLError("Feed URL has no host name.")
    if parts.username is not None or parts.password is not None:
        raise FeedURLError("Feed URLs with a user name or password are not supported.")
    if port == 0:
        raise FeedURLError("Feed URL has an invalid port.")
    return urlunsplit((scheme, parts.netloc.lower(), parts.path, parts.query, parts.fragment))


def is_public_address(ip: IPAddress) -> bool:
    """True for globally routable unicast addresses (not loopback, private, link-local ...)."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return bool(ip.is_global) and not ip.is_multicast


@lru_cache(maxsize=4096)
def parse_ip(host: str) -> IPAddress | None:
    """The address ``host`` spells, or ``None`` when it is a name."""
    try:
        return ipaddress.ip_address(host.strip("[]").split("%", 1)[0])
    except ValueError:
        return None


def peer_address(extra: Any) -> IPAddress | None:
    """The IP of a ``server_addr`` extra (``(host, port, ...)``), or ``None``."""
    if isinstance(extra, tuple) and extra and isinstance(extra[0], str):
        return parse_ip(extra[0])
    return None


class _Stream(httpcore.AsyncNetworkStream):
    """A network stream whose extra info is looked up once.

    httpcore asks every pooled connection "is_readable" before each request;
    a backend may answer it expensively (anyio built a fresh attribute table
    for every question, a third of a 200-feed refresh where every feed
    answered 304), so it is answered from the socket (or by `feeds.fetch.net`'s own
    cheap check).
    """

    def __init__(self, inner: httpcore.AsyncNetworkStream) -> None:
        self._inner = inner
        self._socket = inner.get_extra_info("socket")
        self._extra: dict[str, Any] = {}

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return await self._inner.read(max_bytes, timeout)

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        await self._inner.write(buffer, timeout)

    async def aclose(self) -> None:
        await self._inner.aclose()

    async def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.AsyncNetworkStream:
        return _Stream(await self._inner.start_tls(ssl_context, server_hostname, timeout))

    def get_extra_info(self, info: str) -> Any:
        if info == "is_readable":
            if isinstance(self._inner, AsyncioStream):
                return self._inner.get_extra_info(info)
            return idle_readable(self._socket)
        if info not in self._extra:
            self._extra[info] = self._inner.get_extra_info(info)
        return self._extra[info]


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """An httpcore network backend that connects only to allowed addresses.

    Args:
        inner: The backend that really connects (default: `feeds.fetch.net.AsyncioBackend`).
        allowed: Predicate for addresses this backend may connect to; default
            `is_public_address`; ``None`` allows every address (the pool for
            the URL the user typed). Tests substitute one that treats a second
            loopback address as "public".
    """

    def __init__(
        self,
        inner: httpcore.AsyncNetworkBackend | None = None,
        *,
        allowed: AddressCheck | None = is_public_address,
    ) -> None:
        self._inner = inner or AsyncioBackend()
        self._allowed = allowed

    async def _resolve(self, host: str, port: int) -> list[IPAddress]:
        literal = parse_ip(host)
        if literal is not None:
            return [literal]
        loop = asyncio.get_running_loop()
        try:
            infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except OSError as exc:
            raise httpcore.ConnectError(f"cannot resolve {host}: {exc.strerror or exc}") from exc
        seen: list[IPAddress] = []
        for info in infos:
            ip = parse_ip(str(info[4][0]))
            if ip is not None and ip not in seen:
                seen.append(ip)
        return seen

    def _refuse(self, host: str, ips: Iterable[IPAddress]) -> None:
        if self._allowed is None:
            return
        bad = [ip for ip in ips if not self._allowed(ip)]
        if bad:
            raise BlockedAddressError(
                f"refused to connect to {host} ({bad[0]}): a redirect from a public site "
                "may not lead to a private, loopback or link-local address"
            )

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        """Resolve ``host``, refuse forbidden addresses, connect by IP and re-check the peer."""
        ips = await self._resolve(host, port)
        if not ips:
            raise httpcore.ConnectError(f"cannot resolve {host}")
        self._refuse(host, ips)
        last: Exception | None = None
        for ip in ips:
            try:
                stream = await self._inner.connect_tcp(
                    str(ip),
                    port,
                    timeout=timeout,
                    local_address=local_address,
                    socket_options=socket_options,
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout, OSError) as exc:
                last = exc
                continue
            if self._allowed is not None:
                peer = peer_address(stream.get_extra_info("server_addr"))
                if peer is None or not self._allowed(peer):
                    await stream.aclose()
                    self._refuse(host, [peer] if peer is not None else [ip])
                    raise BlockedAddressError(f"refused to connect to {host}: unknown peer")
            return _Stream(stream)
        if isinstance(last, httpcore.ConnectTimeout):
            raise last
        raise httpcore.ConnectError(str(last) if last else f"cannot connect to {host}")

    async def connect_unix_socket(self, *args: Any, **kwargs: Any) -> httpcore.AsyncNetworkStream:
        """Unix sockets are never used for feeds."""
        raise BlockedAddressError("unix sockets are not allowed")

    async def sleep(self, seconds: float) -> None:
        """Delegate to the inner backend."""
        await self._inner.sleep(seconds)
