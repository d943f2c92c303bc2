"""Fetch feed bodies politely and within hard limits.

One `Fetcher` holds the HTTP connection pools for a refresh. Each `Fetcher.fetch` call
sends a conditional GET (ETag and Last-Modified sent back verbatim), follows at
most ``max_redirects`` redirects by hand so every hop is checked, streams the
body through a bounded decoder (the size cap counts decoded bytes actually
read), and is bounded as a whole by ``timeout`` seconds — connect, redirects
and body together, because per-operation timeouts never fire on a server
that trickles a byte a second. Nothing raises out of `Fetcher.fetch`:
every failure is a `FetchResult` with ``status="error"`` and one sentence.
"""

from __future__ import annotations

import asyncio
import hashlib
import time
from dataclasses import dataclass, field, replace
from typing import Literal
from urllib.parse import urljoin

import httpcore

from aiwatch.feeds.fetch.guard import GuardedBackend, peer_address
from aiwatch.feeds.fetch.http import (
    RedirectCookies,
    default_user_agent,
    describe_error,
    drain,
    header_text,
    looks_like_html_page,
    make_pool,
    reason,
    request_target,
    response_headers,
)
from aiwatch.feeds.fetch.limits import BoundedDecoder, DecodeError, parse_retry_after
from aiwatch.feeds.fetch.urls import (
    AddressCheck,
    FeedURLError,
    is_public_address,
    validate_feed_url,
)

__all__ = ["FetchOptions", "FetchResult", "Fetcher", "default_user_agent"]

FetchStatus = Literal["ok", "not-modified", "unchanged", "error", "gone"]
MIB = 1024 * 1024
_REDIRECTS = (301, 302, 303, 307, 308)
_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/rdf+xml, "
    "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
)


@dataclass(frozen=True, slots=True)
class FetchOptions:
    """Limits for one refresh; the defaults are the documented config defaults."""

    concurrency: int = 8
    timeout: float = 30.0
    max_bytes: int = 15 * MIB
    max_redirects: int = 10
    user_agent: str = field(default_factory=default_user_agent)


@dataclass(frozen=True, slots=True)
class FetchResult:
    """What one fetch produced.

    ``status`` is ``ok`` (a new body to parse), ``not-modified`` (304),
    ``unchanged`` (200 with the same body hash as last time; not parsed),
    ``error`` (``error`` says why) or ``gone`` (410). ``permanent_url`` is set
    when every redirect on the way was permanent (301/308); ``retry_after`` is
    the server-requested delay in seconds, clamped.
    """

    url: str
    status: FetchStatus
    http_status: int | None = None
    body: bytes = b""
    content_type: str = ""
    etag: str | None = None
    last_modified: str | None = None
    body_hash: str | None = None
    final_url: str = ""
    permanent_url: str | None = None
    retry_after: float | None = None
    error: str = ""
    elapsed: float = 0.0


class _Failure(Exception):
    """A fetch failure carrying its user-facing sentence."""

    def __init__(
        self,
        message: str,
        *,
        http_status: int | None = None,
        retry_after: float | None = None,
        gone: bool = False,
    ) -> None:
        super().__init__(message)
        self.http_status = http_status
        self.retry_after = retry_after
        self.gone = gone


def _size(n: int) -> str:
    return f"{n / MIB:g} MiB" if n >= MIB else f"{n:,} bytes"


class Fetcher:
    """Async HTTP fetcher with bounded concurrency; use as ``async with Fetcher() as f``.

    Args:
        options: Limits and identity.
        allowed: Addresses a redirect may reach once a public address was seen
            (default: globally routable ones). Tests pass their own predicate.
    """

    def __init__(
        self, options: FetchOptions | None = None, *, allowed: AddressCheck = is_public_address
    ) -> None:
        self.options = options or FetchOptions()
        self._allowed = allowed
        self._slots = asyncio.Semaphore(max(1, self.options.concurrency))
        size = max(1, self.options.concurrency)
        self._extensions: dict[str, object] = {"timeout": _timeouts(self.options.timeout)}
        self._open = make_pool(GuardedBackend(allowed=None), size)
        self._guarded = make_pool(GuardedBackend(allowed=allowed), size)

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(self, *_exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close both connection pools."""
        await self._open.aclose()
        await self._guarded.aclose()

    async def fetch(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        body_hash: str | None = None,
    ) -> FetchResult:
        """Fetch ``url`` once, sending the validators from the last success."""
        async with self._slots:
            started = time.monotonic()
            try:
                async with asyncio.timeout(self.options.timeout):
                    result = await self._fetch(url, etag, last_modified, body_hash)
            except TimeoutError:
                result = FetchResult(
                    url, "error", error=f"timed out after {self.options.timeout:g} s"
                )
            except _Failure as exc:
                result = FetchResult(
                    url,
                    "gone" if exc.gone else "error",
                    http_status=exc.http_status,
                    retry_after=exc.retry_after,
                    error=str(exc),
                )
            except Exception as exc:  # noqa: BLE001 - a fetch must never take the refresh down
                result = FetchResult(url, "error", error=describe_error(exc))
            return _with_elapsed(result, time.monotonic() - started)

    def _headers(self, etag: str | None, last_modified: str | None) -> list[tuple[str, bytes]]:
        headers = [
            ("User-Agent", self.options.user_agent.encode("ascii", "replace")),
            ("Accept", _ACCEPT.encode()),
            ("Accept-Encoding", b"gzip, deflate"),
        ]
        if etag:
            headers.append(("If-None-Match", _verbatim(etag)))
        if last_modified:
            headers.append(("If-Modified-Since", _verbatim(last_modified)))
        return headers

    async def _fetch(
        self, start: str, etag: str | None, last_modified: str | None, body_hash: str | None
    ) -> FetchResult:
        try:
            url = validate_feed_url(start)
        except FeedURLError as exc:
            raise _Failure(str(exc)) from None
        headers = self._headers(etag, last_modified)
        cookies = RedirectCookies()
        cookie = ""
        seen = {(url, cookie)}
        permanent = True
        public_seen = False
        for _hop in range(self.options.max_redirects + 1):
            pool = self._guarded if public_seen else self._open
            target, host = request_target(url)
            sent = [("Host", host), *headers]
            if cookie:
                sent.append(("Cookie", cookie.encode("latin-1", "replace")))
            request = pool.stream("GET", target, headers=sent, extensions=self._extensions)
            async with request as response:
                stream = response.extensions.get("network_stream")
                peer = peer_address(stream.get_extra_info("server_addr")) if stream else None
                public_seen = public_seen or (peer is not None and self._allowed(peer))
                status = response.status
                if status not in _REDIRECTS:
                    moved = url if permanent and url != start else None
                    return await self._final(start, url, moved, response, body_hash)
                await drain(response)
                cookies.learn(url, response)
                location = header_text(response_headers(response).get("location", "")).strip()
                if not location:
                    raise _Failure(
                        f"HTTP {status} redirect without a Location header", http_status=status
                    )
                try:
                    url = validate_feed_url(urljoin(url, location))
                except FeedURLError as exc:
                    raise _Failure(
                        f"redirect to a refused URL: {exc}", http_status=status
                    ) from None
                # Coming back with a new cookie (a consent check) is progress, not a loop.
                cookie = cookies.header(url)
                if (url, cookie) in seen:
                    raise _Failure(f"redirect loop starting at {start}", http_status=status)
                seen.add((url, cookie))
                permanent = permanent and status in (301, 308)
        raise _Failure(f"more than {self.options.max_redirects} redirects starting at {start}")

    async def _final(
        self,
        start: str,
        url: str,
        moved: str | None,
        response: httpcore.Response,
        body_hash: str | None,
    ) -> FetchResult:
        status = response.status
        headers = response_headers(response)
        base = FetchResult(
            start, "not-modified", http_status=status, final_url=url, permanent_url=moved
        )
        if not 200 <= status < 300 or status == 204:
            await drain(response)
        if status == 304:
            return base
        if status == 410:
            raise _Failure(
                "HTTP 410 Gone: the server says this feed was removed", http_status=410, gone=True
            )
        if status in (429, 503):
            retry = parse_retry_after(headers.get("retry-after"))
            wait = f"; retry after {retry:g} s" if retry else ""
            raise _Failure(
                f"HTTP {status} {reason(response)}{wait}".strip(),
                http_status=status,
                retry_after=retry,
            )
        if status == 204:
            raise _Failure("server returned no content (HTTP 204)", http_status=204)
        if not 200 <= status < 300:
            raise _Failure(f"HTTP {status} {reason(response)}".strip(), http_status=status)
        body = await self._read_body(response, headers.get("content-encoding", ""))
        content_type = headers.get("content-type", "")
        if not body.strip():
            raise _Failure("empty response (HTTP 200 with no body)", http_status=status)
        if looks_like_html_page(body):
            kind = content_type.split(";")[0].strip().lower()
            kind = kind if "html" in kind else "an HTML"
            raise _Failure(f"not a feed: {kind} page", http_status=status)
        digest = hashlib.sha256(body).hexdigest()
        etag = headers.get("etag")
        modified = headers.get("last-modified")
        if body_hash and digest == body_hash:
            return replace(
                base, status="unchanged", etag=etag, last_modified=modified, body_hash=digest
            )
        return replace(
            base,
            status="ok",
            body=body,
            content_type=content_type,
            etag=etag,
            last_modified=modified,
            body_hash=digest,
        )

    async def _read_body(self, response: httpcore.Response, encoding: str) -> bytes:
        cap = self.options.max_bytes
        try:
            decoder = BoundedDecoder(encoding)
        except DecodeError as exc:
            raise _Failure(str(exc), http_status=response.status) from None
        body = bytearray()
        try:
            async for raw in response.aiter_stream():
                body += decoder.decode(raw, cap - len(body))
                if len(body) > cap:
                    raise _Failure(
                        f"response larger than {_size(cap)}", http_status=response.status
                    )
            decoder.finish()
        except DecodeError as exc:
            raise _Failure(
                f"could not decode the response: {exc}", http_status=response.status
            ) from None
        return bytes(body)


def _verbatim(validator: str) -> bytes:
    """A validator as the server sent it: headers are read as Latin-1, so this undoes that.

    (One saved before Latin-1 reading, with other characters, goes back as UTF-8.)
    """
    try:
        return validator.encode("latin-1")
    except UnicodeEncodeError:
        return validator.encode("utf-8")


def _timeouts(seconds: float) -> dict[str, float]:
    """httpcore's per-operation timeouts; the whole fetch is bounded by ``seconds`` as well."""
    return {"connect": min(10.0, seconds), "read": seconds, "write": seconds, "pool": seconds}


def _with_elapsed(result: FetchResult, elapsed: float) -> FetchResult:
    return replace(result, elapsed=round(elapsed, 3))
