"""HTTP plumbing for `feeds.fetch.fetcher`: connection pools, TLS, headers, and failures as sentences.

Kept apart from the fetch logic so `feeds.fetch.fetcher` reads as the policy (what to
send, follow, accept and refuse) and this module as the mechanics.
"""

from __future__ import annotations

import os
import re
import ssl
import sys
from email.message import Message
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import certifi
import httpcore

if TYPE_CHECKING:
    from http.cookiejar import CookieJar

from aiwatch.feeds.fetch.guard import BlockedAddressError, GuardedBackend
from aiwatch.feeds.parse.sanitize import clean_line
from aiwatch.feeds.version import VERSION


class _LazyTrustContext(ssl.SSLContext):
    """A client TLS context that loads its certificate store on the first handshake.

    Loading certifi's bundle costs ~20 ms, which a refresh of plain-http feeds
    (a local RSS bridge, say) never needs; curl defers it the same way. As
    httpx does, ``SSL_CERT_FILE`` or ``SSL_CERT_DIR`` replace certifi's roots
    (a company's own CA behind an inspecting proxy).
    """

    _trusting = False

    def _trust(self) -> None:
        if not self._trusting:
            if os.environ.get("SSL_CERT_FILE"):
                self.load_verify_locations(cafile=os.environ["SSL_CERT_FILE"])
            elif os.environ.get("SSL_CERT_DIR"):
                self.load_verify_locations(capath=os.environ["SSL_CERT_DIR"])
            else:
                self.load_verify_locations(cafile=certifi.where())
            self._trusting = True

    def wrap_bio(self, *args: Any, **kwargs: Any) -> ssl.SSLObject:
        """Load the certificate store, then wrap as usual (anyio's TLS streams)."""
        self._trust()
        return super().wrap_bio(*args, **kwargs)

    def wrap_socket(self, *args: Any, **kwargs: Any) -> ssl.SSLSocket:
        """Load the certificate store, then wrap as usual."""
        self._trust()
        return super().wrap_socket(*args, **kwargs)


@lru_cache(maxsize=1)
def tls_context() -> ssl.SSLContext:
    """One verifying client context for every pool: certifi's roots, hostname checks."""
    return _LazyTrustContext(ssl.PROTOCOL_TLS_CLIENT)


def default_user_agent() -> str:
    """``aiwatch/<version> (+https://github.com/aiwatch)``."""
    return f"aiwatch/{VERSION} (+https://github.com/aiwatch)"


def looks_like_html_page(body: bytes) -> bool:
    """True when ``body`` starts like an HTML document rather than a feed."""
    head = body[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<!doctype html", b"<html")):
        return True
    marks = [head.find(tag) for tag in (b"<rss", b"<feed", b"<rdf:rdf", b"<channel")]
    first_feed = min((m for m in marks if m >= 0), default=-1)
    html_at = head.find(b"<html")
    return html_at >= 0 and (first_feed < 0 or html_at < first_feed)


def make_pool(backend: GuardedBackend, size: int) -> httpcore.AsyncConnectionPool:
    """A keep-alive pool of at most ``size`` connections, each made through ``backend``.

    httpcore directly rather than an httpx client: the fetcher does its own
    redirects, decoding and deadlines, so the client layer (cookies, auth,
    event hooks) was a third of the CPU of a request answered 304.
    """
    return httpcore.AsyncConnectionPool(
        ssl_context=tls_context(),
        max_connections=size,
        max_keepalive_connections=size,
        network_backend=backend,
    )


_PLAIN_URL = re.compile(
    r"(?P<scheme>https?)://(?P<host>[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*)(?::(?P<port>[0-9]{1,5}))?"
    r"(?P<target>[/?][A-Za-z0-9\-._~!$&'()*+,;=:@/?]*)?"
)
"""A URL httpx's model would leave as it is: a lower-case scheme, an ASCII name host
(no IDNA, no IPv6 brackets, no user info), a port, and a path and query with nothing
to percent-encode (nor a ``%`` to check, nor a fragment to drop); dot segments
(``/./``, ``/../``), which httpx resolves, are checked in `request_target`."""
_DEFAULT_PORTS = {"http": 80, "https": 443}


def request_target(url: str) -> tuple[httpcore.URL, bytes]:
    """``url`` as httpcore wants it, with its ``Host`` header (httpx's URL model).

    The host is IDNA-encoded and the path percent-encoded; the header keeps an
    IPv6 literal's brackets, which httpcore's own default would drop. A plain
    URL (`_PLAIN_URL`, most feeds) is split directly, exactly as httpx would,
    so a refresh need not import httpx (tests/test_http_targets.py compares).
    """
    plain = _PLAIN_URL.fullmatch(url)
    if (
        plain is not None
        and (plain["port"] is None or int(plain["port"]) <= 65535)
        and "/." not in (plain["target"] or "").partition("?")[0]
    ):
        scheme, host = plain["scheme"], plain["host"].lower()
        port = int(plain["port"]) if plain["port"] is not None else None
        if port == _DEFAULT_PORTS[scheme]:
            port = None
        path = plain["target"] or "/"
        if path.startswith("?"):
            path = "/" + path
        netloc = host if port is None else f"{host}:{port}"
        target = httpcore.URL(scheme=scheme, host=host, port=port, target=path)
        return target, netloc.encode("ascii")
    import httpx  # the rest: IDNA, IPv6 literals, percent-encoding (loaded on first need)

    parsed = httpx.URL(url)
    target = httpcore.URL(
        scheme=parsed.raw_scheme, host=parsed.raw_host, port=parsed.port, target=parsed.raw_path
    )
    return target, parsed.netloc


def response_headers(response: httpcore.Response) -> dict[str, str]:
    """The response's headers by lower-case name; repeated ones joined with ``, ``.

    Values are read as Latin-1, which maps every byte to one character, so a
    validator goes back to the server exactly as it came (see `header_text`).
    """
    headers: dict[str, str] = {}
    for raw_name, raw_value in response.headers:
        name = raw_name.decode("latin-1").lower()
        value = raw_value.decode("latin-1")
        headers[name] = f"{headers[name]}, {value}" if name in headers else value
    return headers


class RedirectCookies:
    """Cookies set on a fetch's redirects, sent back on its later hops; kept for one fetch.

    Some sites answer a feed URL with a redirect that sets a cookie (a consent
    or session check) and lead back to the feed, which they serve only with
    that cookie. Browsers, curl and httpx follow such chains, so the fetcher
    does too. The standard library's cookie policy decides which host may
    receive which cookie; nothing is kept between fetches or refreshes.
    """

    def __init__(self) -> None:
        self._jar: CookieJar | None = None

    def learn(self, url: str, response: httpcore.Response) -> None:
        """Remember the cookies that ``response`` (a redirect from ``url``) sets."""
        values = [v.decode("latin-1") for n, v in response.headers if n.lower() == b"set-cookie"]
        if values:
            from http.cookiejar import CookieJar  # (loaded by the first cookie, not by every fetch)
            from urllib.request import Request

            jar = self._jar = self._jar or CookieJar()
            # `_SetCookies` has all of an http.client response that CookieJar reads.
            jar.extract_cookies(_SetCookies(values), Request(url))  # type: ignore[arg-type]

    def header(self, url: str) -> str:
        """The ``Cookie`` header value for a request to ``url`` (``""`` for none)."""
        if self._jar is None:
            return ""
        from urllib.request import Request

        request = Request(url)
        self._jar.add_cookie_header(request)
        return str(request.get_header("Cookie", ""))


class _SetCookies:
    """The one method of an `http.client.HTTPResponse` that `CookieJar` reads."""

    def __init__(self, values: list[str]) -> None:
        self._headers = Message()
        for value in values:
            self._headers["Set-Cookie"] = value

    def info(self) -> Message:
        return self._headers


def header_text(value: str) -> str:
    """A header value read as Latin-1, as text: UTF-8 where its bytes are UTF-8.

    For headers read as words, such as a ``Location`` with raw non-ASCII bytes.
    """
    try:
        return value.encode("latin-1").decode("utf-8")
    except UnicodeDecodeError:
        return value


async def drain(response: httpcore.Response, limit: int = 64 * 1024) -> None:
    """Read a small unused body so the connection can be reused; give up past ``limit``."""
    seen = 0
    async for chunk in response.aiter_stream():
        seen += len(chunk)
        if seen > limit:
            return


def reason(response: httpcore.Response) -> str:
    """The server's reason phrase, as one clean line (it is text from a stranger)."""
    phrase = response.extensions.get("reason_phrase", b"")
    text = header_text(phrase.decode("latin-1")) if isinstance(phrase, bytes) else ""
    return clean_line(text, limit=80)


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
    httpx = sys.modules.get("httpx")  # an httpx error means httpx was loaded
    if httpx is not None and isinstance(exc, httpx.InvalidURL):
        return f"invalid URL: {text}"
    if isinstance(exc, httpcore.RemoteProtocolError):
        return f"the server broke off the response ({text})"
    if isinstance(exc, httpcore.ConnectError | httpcore.ConnectTimeout):
        return f"could not connect: {text}"
    if isinstance(exc, httpcore.TimeoutException):
        return f"timed out ({text})"
    if isinstance(exc, httpcore.ProtocolError | httpcore.NetworkError):
        return f"network error: {text}"
    return f"unexpected error: {type(exc).__name__}: {text}"
