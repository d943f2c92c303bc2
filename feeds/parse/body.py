"""Turn a fetched body into clean `ArticleRecord`s: never raises, always bounded.

Order of work: refuse entity bombs (`feeds.parse.xmlguard`); try the expat fast path
(`feeds.parse.fastfeed`) for ordinary well-formed feeds; otherwise run feedparser on
the *bytes* (wrapped in ``BytesIO``, so a body that happens to be a file path or
URL is content, never opened). Both paths produce the same `RawEntry` values,
and one function turns those into records, so results do not depend on the
path taken.

Bozo policy: a feed that is not well-formed but yields entries is kept, with a
warning; one that yields none gets an error. A feed served with a non-XML
content type or a charset that had to be overridden is not worth a warning.
"""

from __future__ import annotations

import hashlib
import io
import time
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any
from xml.sax import SAXParseException

import feedparser

from aiwatch.feeds.fetch.limits import MAX_ITEMS
from aiwatch.feeds.parse.fastfeed import parse_fast
from aiwatch.feeds.parse.fastparse import HTML_TYPES, Decline, RawEntry, RawFeed, Text
from aiwatch.feeds.parse.sanitize import (
    MAX_AUTHOR,
    MAX_TEXT,
    MAX_TITLE,
    clean_line,
    clean_text,
    html_to_text,
    safe_url,
)
from aiwatch.feeds.parse.xmlguard import entity_problem, repair_char_refs, repair_utf8
from aiwatch.feeds.records import ArticleRecord, Section, pickled_as_call

MAX_SUMMARY = 4_000
MAX_KEY = 500
EARLIEST = datetime(1990, 1, 1, tzinfo=UTC)
FUTURE_SLACK = timedelta(days=2)
_BENIGN_BOZO = ("NonXMLContentType", "CharacterEncodingOverride")


@pickled_as_call
@dataclass(frozen=True, slots=True)
class ParsedFeed:
    """The outcome of parsing one body.

    ``error`` is set (and ``entries`` empty) when nothing usable came out;
    ``warning`` when entries were kept despite a problem. ``parser`` says which
    path ran (``fast`` or ``feedparser``), for diagnostics and tests.
    """

    title: str
    site_url: str | None
    entries: tuple[ArticleRecord, ...]
    warning: str = ""
    error: str = ""
    parser: str = ""
    publisher: str = ""
    """The organisation the feed was found to speak for (set by `feeds.work.process_body`)."""


def parse_feed(
    body: bytes,
    *,
    url: str,
    source: str | None = None,
    content_type: str = "",
    max_items: int = MAX_ITEMS,
    fast: bool = True,
    now: datetime | None = None,
) -> ParsedFeed:
    """Parse ``body`` fetched from ``url``; every failure becomes ``ParsedFeed.error``.

    ``url`` is where the body came from (relative links resolve against it);
    ``source`` is the feed URL recorded on each article (default: ``url``).
    """
    try:
        raw, warning, parser = read_raw(
            body, url=url, content_type=content_type, fast=fast, limit=max_items
        )
    except _ParseFailure as exc:
        return ParsedFeed("", None, (), error=str(exc))
    except Exception as exc:  # noqa: BLE001 - feedparser raising on hostile input must not escape
        return ParsedFeed("", None, (), error=f"could not parse the feed ({_one_line(exc)})")
    try:
        return build(
            raw,
            source=source or url,
            max_items=max_items,
            warning=warning,
            parser=parser,
            now=now,
        )
    except Exception as exc:  # noqa: BLE001 - one bad feed must not stop the refresh
        return ParsedFeed(
            "", None, (), error=f"could not read the feed's entries ({_one_line(exc)})"
        )


class _ParseFailure(Exception):
    """A body that yields no feed; the message is the per-feed error."""


def read_raw(
    body: bytes, *, url: str, content_type: str = "", fast: bool = True, limit: int = 1 << 30
) -> tuple[RawFeed, str, str]:
    """``(raw feed, warning, parser)`` for ``body``; raises `_ParseFailure` when unusable."""
    if isinstance(body, str):
        body = body.encode("utf-8", "surrogatepass")
    if not isinstance(body, bytes | bytearray | memoryview):
        raise _ParseFailure("not a feed: the body is not bytes")
    body = bytes(body)
    if not body.strip():
        raise _ParseFailure("not a feed: the body is empty")
    problem = entity_problem(body)
    if problem:
        raise _ParseFailure(problem)
    body = repair_utf8(repair_char_refs(body), content_type)
    if fast:
        try:
            return parse_fast(body, url, content_type, limit), "", "fast"
        except Decline:
            pass
    raw, warning = _with_feedparser(body, url, content_type)
    return raw, warning, "feedparser"


def _with_feedparser(body: bytes, url: str, content_type: str) -> tuple[RawFeed, str]:
    headers = {"content-location": url, "content-type": content_type or "application/xml"}
    result = feedparser.parse(
        io.BytesIO(body), response_headers=headers, sanitize_html=False, resolve_relative_uris=False
    )
    entries = tuple(_raw_entry(e) for e in result.get("entries", []) if isinstance(e, dict))
    feed = dict(result.get("feed") or {})
    raw = RawFeed(
        title=_text(feed.get("title"), feed.get("title_detail")),
        link=_str(feed.get("link")),
        entries=entries,
        version=str(result.get("version") or ""),
    )
    exc = result.get("bozo_exception")
    serious = bool(result.get("bozo")) and type(exc).__name__ not in _BENIGN_BOZO
    if not entries:
        if serious:
            raise _ParseFailure(f"not a valid RSS or Atom feed ({_one_line(exc)})")
        if not raw.version:
            raise _ParseFailure("not a feed: no RSS or Atom structure found")
        return raw, ""
    warning = (
        f"feed is not well-formed ({_one_line(exc)}); its entries were read anyway"
        if serious
        else ""
    )
    return raw, warning


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _text(value: Any, detail: Any, *, fallback_html: bool = False) -> Text | None:
    if not isinstance(value, str):
        return None
    ctype = detail.get("type") if isinstance(detail, dict) else None
    return Text(value, ctype in HTML_TYPES if isinstance(ctype, str) else fallback_html)


def _date(value: Any) -> tuple[int, ...] | None:
    return tuple(value) if isinstance(value, time.struct_time | tuple) and len(value) >= 6 else None


def _raw_entry(fp_entry: dict[str, Any]) -> RawEntry:
    e = dict(fp_entry)  # plain dict: no FeedParserDict key aliases or fallbacks
    contents = [
        c
        for c in e.get("content") or []
        if isinstance(c, dict)
        and isinstance(c.get("value"), str)
        and (c.get("type") == "text/plain" or c.get("type") in HTML_TYPES)
    ]
    content = (
        Text(contents[0]["value"], contents[0].get("type") in HTML_TYPES) if contents else None
    )
    summary = _text(e.get("summary"), e.get("summary_detail"))
    if summary is not None and not isinstance(e.get("summary_detail"), dict):
        source = next((c for c in contents if c["value"] == summary.value), None)
        summary = Text(summary.value, source is None or source.get("type") in HTML_TYPES)
    detail = e.get("author_detail")
    author = detail.get("name") if isinstance(detail, dict) else None
    return RawEntry(
        title=_text(e.get("title"), e.get("title_detail")),
        link=_str(e.get("link")),
        guid=_str(e.get("id")),
        summary=summary,
        content=content,
        author=author if isinstance(author, str) else "",
        published=_date(e.get("published_parsed")),
        updated=_date(e.get("updated_parsed")),
        created=_date(e.get("created_parsed")),
    )


def _plain(text: Text | None, limit: int) -> str:
    if text is None or not text.value:
        return ""
    return (
        html_to_text(text.value, limit=limit) if text.html else clean_text(text.value, limit=limit)
    )


def _when(parts: tuple[int, ...] | None, now: datetime) -> datetime | None:
    if not parts:
        return None
    try:
        year, month, day, hour, minute, second = parts[:6]
        when = datetime(year, month, day, hour, minute, min(second, 59), tzinfo=UTC)
    except (ValueError, OverflowError, TypeError):
        return None
    return when if EARLIEST <= when <= now + FUTURE_SLACK else None


def _key(value: str) -> str:
    return (
        value if len(value) <= MAX_KEY else "sha256:" + hashlib.sha256(value.encode()).hexdigest()
    )


def to_record(raw: RawEntry, *, source: str, now: datetime) -> ArticleRecord:
    """One clean, bounded `ArticleRecord` from a raw entry."""
    title = clean_line(_plain(raw.title, MAX_TITLE * 4), limit=MAX_TITLE)
    summary = _plain(raw.summary, MAX_SUMMARY)
    content = _plain(raw.content, MAX_TEXT)
    sections = (Section("Content", content),) if content and content != summary else ()
    url = safe_url(raw.link) if raw.link else None
    if not title:
        title = clean_line(summary or content, limit=120) or url or "(untitled)"
    published = _when(raw.published, now) or _when(raw.updated, now) or _when(raw.created, now)
    key = clean_line(raw.guid or "", limit=MAX_TEXT) or clean_line(raw.link or "", limit=MAX_TEXT)
    record = ArticleRecord(
        source=source,
        entry_key=_key(key) if key else "-",
        url=url,
        title=title,
        published=published,
        summary=summary,
        sections=sections,
        author=clean_line(raw.author, limit=MAX_AUTHOR),
    )
    return record if key else replace(record, entry_key="hash:" + record.content_hash)


def build(
    raw: RawFeed,
    *,
    source: str,
    max_items: int = MAX_ITEMS,
    warning: str = "",
    parser: str = "",
    now: datetime | None = None,
) -> ParsedFeed:
    """A `ParsedFeed` from raw values: caps, sanitising, identity, de-duplication."""
    now = now or datetime.now(UTC)
    records = _unique(to_record(e, source=source, now=now) for e in raw.entries[:max_items])
    notes = [warning] if warning else []
    total = max(raw.total, len(raw.entries))
    if total > max_items:
        notes.append(f"the feed has {total:,} entries; kept the first {max_items:,}")
    return ParsedFeed(
        title=clean_line(_plain(raw.title, MAX_TITLE * 4), limit=MAX_TITLE),
        site_url=safe_url(raw.link) if raw.link else None,
        entries=records,
        warning="; ".join(notes),
        parser=parser,
    )


def _unique(records: Iterable[ArticleRecord]) -> tuple[ArticleRecord, ...]:
    seen: set[str] = set()
    out: list[ArticleRecord] = []
    for record in records:
        if record.entry_key not in seen:
            seen.add(record.entry_key)
            out.append(record)
    return tuple(out)


def _one_line(exc: object) -> str:
    if isinstance(exc, SAXParseException):
        where = f"line {exc.getLineNumber()}, column {exc.getColumnNumber()}"
        return f"XML error: {clean_line(exc.getMessage(), limit=120)} at {where}"
    text = clean_line(str(exc), limit=200) if exc is not None else ""
    name = type(exc).__name__ if exc is not None else "unknown error"
    return f"{name}: {text}" if text else name
