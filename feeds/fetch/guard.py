"""The connect-time half of the address policy of `feeds.fetch.urls`: an httpcore backend.

Kept apart from the URL checks so that what only validates URLs (the store, the
dashboard) does not import httpcore.
"""

from __future__ import annotations

import asyncio
import socket
import ssl
from collections.abc import Iterable
from typing import Any

import httpcore

from aiwatch.feeds.fetch.net import AsyncioBackend, AsyncioStream, idle_readable
from aiwatch.feeds.fetch.urls import AddressCheck, IPAddress, is_public_address, parse_ip


class BlockedAddressError(httpcore.ConnectError):
    """A connection refused by the address policy (private address after a public hop)."""


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
