"""Read and write OPML 2.0 subscription lists, with categories.

Reading never expands entities: a document with a DTD or entity declaration is
refused before expat sees it. Every feed URL is checked with
`validate_feed_url`; refused ones are reported with the reason, never fetched.
The category of a feed is its ``category`` attribute, else the titles of the
folders (outlines without ``xmlUrl``) it sits in, joined by ``/``.

Exports from real readers are often not well-formed. A document expat refuses
is repaired where that is safe (`feeds.sources.opml_repair`: bare ampersands, stray
byte-order marks, a wrong declared encoding) and parsed again; what was
repaired is reported. Anything else is still refused.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path

from aiwatch.feeds.fetch.urls import FeedURLError, validate_feed_url
from aiwatch.feeds.parse.sanitize import clean_line
from aiwatch.feeds.parse.xmlguard import as_text
from aiwatch.feeds.sources.opml_repair import repair_opml

MAX_OPML_BYTES = 5 * 1024 * 1024
DEFAULT_FEEDS = Path(__file__).resolve().parent / "data" / "default_feeds.opml"


class OpmlError(ValueError):
    """An OPML document that cannot be read; the message says why."""


@dataclass(frozen=True, slots=True)
class OpmlFeed:
    """One subscription: URL, title, category (``a/b`` for nested folders), site."""

    url: str
    title: str = ""
    category: str = ""
    site_url: str = ""
    publisher: str = ""  # the organisation the feed speaks for (``publisher`` attribute)


@dataclass(frozen=True, slots=True)
class RefusedFeed:
    """An outline whose feed URL was refused, and why."""

    url: str
    title: str
    reason: str


@dataclass(frozen=True, slots=True)
class OpmlImport:
    """What an OPML file holds: accepted feeds (deduplicated) and refused ones.

    ``repairs`` says what had to be repaired before the file could be read (empty
    for a well-formed file); ``repaired_outlines`` counts the outlines it touched
    and ``duplicates`` the outlines skipped because an earlier one had the same URL.
    """

    title: str
    feeds: tuple[OpmlFeed, ...]
    refused: tuple[RefusedFeed, ...]
    repairs: tuple[str, ...] = ()
    repaired_outlines: int = 0
    duplicates: int = 0


def _attr(elem: ET.Element, name: str) -> str:
    wanted = name.lower()
    for key, value in elem.attrib.items():
        if key.lower() == wanted:
            return value
    return ""


def read_opml(data: bytes) -> OpmlImport:
    """Parse an OPML document; raise `OpmlError` when it is not one."""
    if len(data) > MAX_OPML_BYTES:
        raise OpmlError(f"OPML file is larger than {MAX_OPML_BYTES // (1024 * 1024)} MiB")
    text = as_text(data)
    if "<!DOCTYPE" in text.upper() or "<!ENTITY" in text.upper():
        raise OpmlError("refused: the OPML file declares a DTD or XML entities")
    repairs: tuple[str, ...] = ()
    repaired_outlines = 0
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        repair = repair_opml(data)
        if not repair.changes:
            raise OpmlError(f"not a valid OPML file: {exc}") from None
        try:
            root = ET.fromstring(repair.data)
        except ET.ParseError:
            raise OpmlError(f"not a valid OPML file (even after repairs): {exc}") from None
        repairs, repaired_outlines = repair.changes, repair.outlines
    if root.tag.lower() != "opml":
        raise OpmlError(
            f"not an OPML file (the root element is <{clean_line(root.tag, limit=40)}>)"
        )
    head_title = root.find("head/title")
    body = root.find("body")
    if body is None:
        raise OpmlError("not a valid OPML file: it has no <body>")
    feeds: dict[str, OpmlFeed] = {}
    refused: list[RefusedFeed] = []
    duplicates = _walk(body, (), feeds, refused)
    title = clean_line(head_title.text if head_title is not None else "", limit=200)
    return OpmlImport(
        title=title,
        feeds=tuple(feeds.values()),
        refused=tuple(refused),
        repairs=repairs,
        repaired_outlines=repaired_outlines,
        duplicates=duplicates,
    )


def read_opml_file(path: Path) -> OpmlImport:
    """`read_opml` on a file; `OpmlError` when it cannot be read."""
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_OPML_BYTES + 1)
    except OSError as exc:
        raise OpmlError(f"cannot read {path}: {exc.strerror or exc}") from None
    return read_opml(data)


def _walk(
    parent: ET.Element,
    folders: tuple[str, ...],
    feeds: dict[str, OpmlFeed],
    refused: list[RefusedFeed],
) -> int:
    """Collect the feeds under ``parent``; returns how many outlines repeated a URL."""
    duplicates = 0
    for outline in parent:
        if not isinstance(outline.tag, str) or outline.tag.lower() != "outline":
            continue
        title = clean_line(_attr(outline, "title") or _attr(outline, "text"), limit=300)
        raw_url = _attr(outline, "xmlUrl")
        if not raw_url and _attr(outline, "type").lower() not in ("rss", "atom"):
            duplicates += _walk(outline, (*folders, title) if title else folders, feeds, refused)
            continue
        if title == raw_url.strip():
            title = ""  # exporters put the URL in text= when there is no title
        try:
            url = validate_feed_url(raw_url)
        except FeedURLError as exc:
            refused.append(RefusedFeed(clean_line(raw_url, limit=200), title, str(exc)))
            continue
        category = _attr(outline, "category").split(",")[0].strip().strip("/")
        category = clean_line(category or "/".join(folders), limit=200)
        site = _attr(outline, "htmlUrl")
        if url in feeds:
            duplicates += 1
            continue
        publisher = clean_line(_attr(outline, "publisher"), limit=300)
        feeds[url] = OpmlFeed(url, title, category, clean_line(site, limit=2048), publisher)
    return duplicates


def write_opml(feeds: Iterable[OpmlFeed], *, title: str = "aiwatch subscriptions") -> str:
    """An OPML 2.0 document with one folder per category."""
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = title
    ET.SubElement(head, "dateCreated").text = format_datetime(datetime.now(UTC), usegmt=True)
    body = ET.SubElement(root, "body")
    folders: dict[str, ET.Element] = {}
    clean = [  # XML cannot carry control characters, and the document may be printed
        OpmlFeed(
            clean_line(f.url, limit=2048),
            clean_line(f.title, limit=300),
            clean_line(f.category, limit=200),
            clean_line(f.site_url, limit=2048),
            clean_line(f.publisher, limit=300),
        )
        for f in feeds
    ]
    for feed in sorted(clean, key=lambda f: (f.category.lower(), f.title.lower(), f.url)):
        parent = body
        if feed.category:
            parent = folders.get(feed.category) or ET.SubElement(
                body, "outline", text=feed.category, title=feed.category
            )
            folders[feed.category] = parent
        attrs = {"type": "rss", "text": feed.title or feed.url, "xmlUrl": feed.url}
        if feed.title:
            attrs["title"] = feed.title
        if feed.site_url:
            attrs["htmlUrl"] = feed.site_url
        if feed.category:
            attrs["category"] = "/" + feed.category
        if feed.publisher:
            attrs["publisher"] = feed.publisher
        ET.SubElement(parent, "outline", attrs)
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def default_feeds() -> OpmlImport:
    """The curated list of AI-news feeds shipped with aiwatch."""
    return read_opml_file(DEFAULT_FEEDS)
