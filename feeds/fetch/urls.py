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
  `feeds.fetch.guard.GuardedBackend` enforces that at connect time: it resolves the host itself,
  refuses when a forbidden address is among the results, connects to the
  checked IP (so DNS cannot change between check and connect), and verifies the
  peer address of the socket it actually got. `feeds.fetch.fetcher` uses one connection
  pool with an open backend for the typed URL and a guarded one for every hop
  after a public address was seen, so a pooled connection never crosses policies.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from functools import lru_cache
from urllib.parse import urlsplit, urlunsplit

MAX_FEED_URL = 2_048
_SCHEMES = ("http", "https")

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
AddressCheck = Callable[[IPAddress], bool]


class FeedURLError(ValueError):
    """A feed URL that aiwatch refuses; the message says why."""


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
