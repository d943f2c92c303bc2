"""HTTP plumbing for `feeds.fetch`: clients, identity, and turning failures into sentences.

Kept apart from the fetch logic so `feeds.fetch` reads as the policy (what to
send, follow, accept and refuse) and this module as the mechanics.
"""

from __future__ import annotations

import ssl
from functools import lru_cache
from importlib import metadata

import httpx

from feeds.sanitize import clean_line
from feeds.urls import BlockedAddressError, GuardedBackend


@lru_cache(maxsize=1)
def tls_context() -> ssl.SSLContext:
    """One certificate store for every client (loading it costs ~20 ms)."""
    return httpx.create_ssl_context()


def default_user_agent() -> str:
    """``aiwatch/<version> (+https://github.com/aiwatch)``, version from package metadata."""
    try:
        version = metadata.version("aiwatch")
    except metadata.PackageNotFoundError:
        version = "0.1.0"
    return f"aiwatch/{version} (+https://github.com/aiwatch)"


def looks_like_html_page(body: bytes) -> bool:
    """True when ``body`` starts like an HTML document rather than a feed."""
    head = body[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<!doctype html", b"<html")):
        return True
    marks = [head.find(tag) for tag in (b"<rss", b"<feed", b"<rdf:rdf", b"<channel")]
    first_feed = min((m for m in marks if m >= 0), default=-1)
    html_at = head.find(b"<html")
    return html_at >= 0 and (first_feed < 0 or html_at < first_feed)


def make_client(
    backend: GuardedBackend, limits: httpx.Limits, timeout: httpx.Timeout
) -> httpx.AsyncClient:
    """An HTTP client whose connections go through ``backend`` (no proxies from the env)."""
    transport = httpx.AsyncHTTPTransport(limits=limits, trust_env=False, verify=tls_context())
    transport._pool._network_backend = backend  # httpx has no public hook for this
    return httpx.AsyncClient(transport=transport, timeout=timeout, trust_env=False)


async def drain(response: httpx.Response, limit: int = 64 * 1024) -> None:
    """Read a small unused body so the connection can be reused; give up past ``limit``."""
    seen = 0
    async for chunk in response.aiter_raw():
        seen += len(chunk)
        if seen > limit:
            return


def reason(response: httpx.Response) -> str:
    """The server's reason phrase, as one clean line (it is text from a stranger)."""
    return clean_line(response.reason_phrase, limit=80)


def describe_error(exc: BaseException) -> str:
    """One sentence for a transport failure."""
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, BlockedAddressError):
            return str(cause)
        if isinstance(cause, ssl.SSLError):
            return f"TLS error: {cause.reason or cause}"
        cause = cause.__cause__ or cause.__context__
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    if "CERTIFICATE_VERIFY_FAILED" in text or "SSL" in text:
        return f"TLS error: {text}"
    if isinstance(exc, httpx.RemoteProtocolError):
        return f"the server broke off the response ({text})"
    if isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout):
        return f"could not connect: {text}"
    if isinstance(exc, httpx.TimeoutException):
        return f"timed out ({text})"
    if isinstance(exc, httpx.HTTPError):
        return f"network error: {text}"
    return f"unexpected error: {type(exc).__name__}: {text}"
