"""Bounded decompression, Retry-After parsing and failure backoff for `feeds.fetch.fetcher`.

The decoder inflates gzip/deflate bodies itself, a bounded slice at a time
(``decompressobj.decompress(data, max_length)``), so a bomb stops when the
decoded size passes the cap instead of after inflating a whole network chunk —
httpx's own decoders inflate each chunk completely.
"""

from __future__ import annotations

import zlib
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

MAX_ITEMS = 500
"""Entries kept per feed per refresh (the config's ``max_items`` default)."""

MIN_RETRY_AFTER = 60.0
MAX_RETRY_AFTER = 24 * 3600.0
BACKOFF_BASE = 300.0


class DecodeError(Exception):
    """A body that cannot be decoded (unknown encoding, corrupt or truncated stream)."""


class BoundedDecoder:
    """Decode a ``Content-Encoding`` incrementally, never producing more than asked for."""

    def __init__(self, content_encoding: str) -> None:
        codings = [c.strip().lower() for c in content_encoding.split(",") if c.strip()]
        codings = [c for c in codings if c != "identity"]
        if len(codings) > 1:
            raise DecodeError(f"unsupported content encoding {content_encoding!r}")
        self._kind = codings[0] if codings else "identity"
        if self._kind == "x-gzip":
            self._kind = "gzip"
        if self._kind not in ("identity", "gzip", "deflate"):
            raise DecodeError(f"unsupported content encoding {self._kind!r}")
        self._obj = self._new()
        self._started = False
        self._done = False

    def _new(self) -> zlib._Decompress | None:
        if self._kind == "gzip":
            return zlib.decompressobj(16 + zlib.MAX_WBITS)
        if self._kind == "deflate":
            return zlib.decompressobj(zlib.MAX_WBITS)
        return None

    def decode(self, data: bytes, room: int) -> bytes:
        """Decode ``data``; return at most ``room + 1`` bytes (``room + 1`` means "too big")."""
        obj = self._obj
        if obj is None:
            return data[: room + 1]
        out: list[bytes] = []
        produced = 0
        pending = data
        while pending and produced <= room and not self._done:
            try:
                chunk = obj.decompress(pending, room + 1 - produced)
            except zlib.error as exc:
                if self._kind == "deflate" and not self._started:
                    # Many servers send raw deflate without the zlib header.
                    obj = self._obj = zlib.decompressobj(-zlib.MAX_WBITS)
                    self._started = True
                    continue
                raise DecodeError(f"corrupt {self._kind} data ({exc})") from exc
            self._started = True
            out.append(chunk)
            produced += len(chunk)
            pending = obj.unconsumed_tail
            if obj.eof:
                rest = obj.unused_data
                if self._kind == "gzip" and rest.lstrip(b"\x00"):
                    obj = self._obj = zlib.decompressobj(16 + zlib.MAX_WBITS)  # next gzip member
                    pending = rest
                else:
                    self._done = True
        return b"".join(out)

    def finish(self) -> None:
        """Raise `DecodeError` when a compressed stream ended before its end marker."""
        if self._obj is not None and self._started and not self._done and not self._obj.eof:
            raise DecodeError(f"{self._kind} stream was cut short")


def clamp_retry(seconds: float) -> float:
    """Clamp a server-requested delay to one minute .. one day."""
    return max(MIN_RETRY_AFTER, min(MAX_RETRY_AFTER, seconds))


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or HTTP date), clamped.

    Returns ``None`` when the header is absent or unreadable.
    """
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return clamp_retry(float(int(value[:12])))
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    now = now or datetime.now(UTC)
    return clamp_retry((when - now).total_seconds())


def backoff_delay(failures: int) -> float:
    """Seconds to wait after ``failures`` consecutive failed refreshes.

    The first failure is retried at the next refresh; after that the wait doubles
    from five minutes up to a day.
    """
    if failures <= 1:
        return 0.0
    return min(MAX_RETRY_AFTER, BACKOFF_BASE * 2 ** min(failures - 2, 20))
