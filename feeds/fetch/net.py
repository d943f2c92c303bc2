"""httpcore's network backend on asyncio's own streams (what the fetcher connects with).

httpcore ships an anyio backend; aiwatch runs on asyncio alone, and anyio's
layer costs a refresh where every feed answers 304 about 25 ms of imports and
a share of every read and write. This backend maps httpcore's four operations
onto `asyncio.open_connection` and `asyncio.StreamWriter.start_tls`, with each
operation bounded by its timeout and every failure raised as httpcore's own
exception (what `feeds.fetch.http.describe_error` explains). `feeds.fetch.guard.GuardedBackend`
wraps it to check every address.
"""

from __future__ import annotations

import asyncio
import contextlib
import select
import socket
import ssl
from collections.abc import Iterable
from typing import Any

import httpcore

_FAILURES = (OSError, ssl.SSLError, EOFError)


def idle_readable(sock: Any) -> bool:
    """httpcore's keep-alive check on an idle socket: data or EOF waiting, or closed."""
    fd = -1 if sock is None else sock.fileno()
    if fd < 0:
        return True
    if getattr(select, "poll", None) is None:  # pragma: no cover - Windows
        return bool(select.select([fd], [], [], 0)[0])
    poller = select.poll()
    poller.register(fd, select.POLLIN)
    return bool(poller.poll(0))


class AsyncioStream(httpcore.AsyncNetworkStream):
    """One connection, plain or TLS, as a pair of asyncio streams."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._reader = reader
        self._writer = writer

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        """Up to ``max_bytes``; ``b""`` once the peer closed the connection."""
        try:
            async with asyncio.timeout(timeout):
                return await self._reader.read(max_bytes)
        except TimeoutError as exc:
            raise httpcore.ReadTimeout(f"no data for {timeout:g} s") from exc
        except _FAILURES as exc:
            raise httpcore.ReadError(str(exc) or type(exc).__name__) from exc

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        """Send all of ``buffer``."""
        if not buffer:
            return
        try:
            async with asyncio.timeout(timeout):
                self._writer.write(buffer)
                await self._writer.drain()
        except TimeoutError as exc:
            raise httpcore.WriteTimeout(f"could not send for {timeout:g} s") from exc
        except _FAILURES as exc:
            raise httpcore.WriteError(str(exc) or type(exc).__name__) from exc

    async def aclose(self) -> None:
        """Close the connection (without waiting for the peer to acknowledge)."""
        with contextlib.suppress(*_FAILURES, RuntimeError):
            self._writer.close()

    async def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.AsyncNetworkStream:
        """Upgrade this connection to TLS in place (certificate and host name checked)."""
        try:
            async with asyncio.timeout(timeout):
                await self._writer.start_tls(ssl_context, server_hostname=server_hostname)
        except TimeoutError as exc:
            raise httpcore.ConnectTimeout(f"TLS handshake took over {timeout:g} s") from exc
        except _FAILURES as exc:
            raise httpcore.ConnectError(str(exc) or type(exc).__name__) from exc
        return self

    def get_extra_info(self, info: str) -> Any:
        """``ssl_object``, ``client_addr``, ``server_addr``, ``socket``, ``is_readable``."""
        if info == "is_readable":
            return self._reader.at_eof() or idle_readable(self._writer.get_extra_info("socket"))
        name = {"client_addr": "sockname", "server_addr": "peername"}.get(info, info)
        if name in ("ssl_object", "sockname", "peername", "socket"):
            return self._writer.get_extra_info(name)
        return None


class AsyncioBackend(httpcore.AsyncNetworkBackend):
    """TCP connections on the running asyncio loop."""

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        """Connect to ``host`` (an address: `feeds.fetch.guard.GuardedBackend` resolves names)."""
        local = (local_address, 0) if local_address else None
        try:
            async with asyncio.timeout(timeout):
                reader, writer = await asyncio.open_connection(host, port, local_addr=local)
        except TimeoutError as exc:
            raise httpcore.ConnectTimeout(f"no connection within {timeout:g} s") from exc
        except _FAILURES as exc:
            raise httpcore.ConnectError(str(exc) or type(exc).__name__) from exc
        sock = writer.get_extra_info("socket")
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            for option in socket_options or ():
                sock.setsockopt(*option)
        return AsyncioStream(reader, writer)

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.AsyncNetworkStream:
        """Not used for feeds (`feeds.fetch.guard.GuardedBackend` refuses it first)."""
        raise httpcore.ConnectError("unix sockets are not allowed")

    async def sleep(self, seconds: float) -> None:
        """Wait on the loop."""
        await asyncio.sleep(seconds)
