"""Walk an ElementTree feed the way feedparser 6.0 would, for the fields aiwatch reads.

See `feeds.parse.fastparse` for the rules and the reasons; every departure from what
is modelled raises `Decline`.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from aiwatch.feeds.parse.fastparse import (
    ATOM,
    AUTHORS,
    CREATED,
    HTML_TYPES,
    LINK_QUERY,
    PUBLISHED,
    RDF,
    TITLES,
    UPDATED,
    XMLNS,
    Decline,
    RawEntry,
    RawFeed,
    Text,
    attrs_of,
    author_name,
    base_of,
    check_encoding,
    check_ignorable,
    content_text,
    join_url,
    leaf_text,
    map_content_type,
    name_of,
    parse_date,
    repair,
)

RSS1 = "http://purl.org/rss/1.0/"
RSS090 = "http://my.netscape.com/rdf/simple/0.9/"
_FEED_DANGER = TITLES | {
    "media_title",
    "link",
    "item",
    "entry",
    "source",
    "channel",
    "feed",
    "image",
    "textinput",
    "rss",
}
_IMAGE_CHILDREN = {"title", "link", "description", "url", "width", "height"}
_TEXTINPUT_CHILDREN = {"title", "link", "description", "name"}
_MISSING = object()
_RDF_ABOUT = f"{{{RDF}}}about"


def _version(body: bytes) -> str:
    """The version feedparser derives from the first namespace declarations."""
    for prefix, dq, sq in XMLNS.findall(body):
        uri = (dq or sq).decode("utf-8", "replace").lower()
        if not prefix and uri == RSS090:
            return "rss090"
        if uri == RSS1:
            return "rss10"
        if uri == ATOM.lower():
            return "atom10"
    return ""


class _Entries(list[RawEntry]):
    """Entries read so far, plus a count of the ones past the limit."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit
        self.total = 0

    def add(self, item: ET.Element, base: str, atom: bool) -> None:
        self.total += 1
        if len(self) < self.limit:
            self.append(_entry(item, base, atom))


class _State:
    """Per-entry (or per-feed) values, updated in document order like feedparser's dict."""

    def __init__(self, guid: str | None = None) -> None:
        self.title: Text | None = None
        self.title_locked = False
        self.link: object = _MISSING
        self.guid = guid
        self.summary: Text | None = None
        self.content: Text | None = None
        self.has_content = False
        self.authors = 0
        self.author: str | None = None
        self.dates: dict[str, tuple[int, ...] | None] = {}

    def set_title(self, text: Text) -> None:
        if not self.title_locked:
            self.title = text
            self.title_locked = bool(text.value)

    def link_element(self, elem: ET.Element, base: str, entry: bool) -> None:
        attrs = attrs_of(elem)
        rel = attrs.setdefault("rel", "alternate")
        attrs.setdefault("type", "application/atom+xml" if rel == "self" else "text/html")
        href = attrs.get("url", attrs.get("uri", attrs.get("href")))
        if href:
            attrs["href"] = href
        if "href" in attrs:
            if len(elem):
                raise Decline("link with children")
            resolved = join_url(base or "", attrs["href"])
            if attrs["rel"] == "alternate" and map_content_type(attrs["type"]) in HTML_TYPES:
                self.link = resolved
            return
        value = leaf_text(elem)
        if value:
            value = join_url(base or "", value)
        value = repair(value)
        if entry:
            value = value.replace("&amp;", "&")
        self.link = LINK_QUERY.sub(r"&\g<1>", value) if "&" in value else value

    def guid_element(self, elem: ET.Element, base: str) -> None:
        is_link = attrs_of(elem).get("ispermalink", "true") == "true"
        value = leaf_text(elem)
        if value and is_link:
            value = join_url(base or "", value)
        value = repair(value)
        self.guid = value
        if is_link and self.link is _MISSING:
            self.link = value

    def author_element(self, elem: ET.Element) -> None:
        self.authors += 1
        if self.authors > 1:
            raise Decline("several authors")
        if not len(elem):
            self.author = author_name(repair(leaf_text(elem)))
            return
        if (elem.text or "").strip():
            raise Decline("author with text and children")
        name: str | None = None
        for sub in elem:
            sub_name = name_of(sub.tag)
            if len(sub) or sub_name not in ("name", "email", "uri", "url", "homepage"):
                raise Decline("unusual author")
            if sub_name == "name":
                name = (sub.text or "").strip()
        self.author = name

    def content_element(self, elem: ET.Element, default: str, atom: bool) -> None:
        text, ctype = content_text(elem, default, atom)
        self.has_content = True
        if self.content is None and (ctype == "text/plain" or ctype in HTML_TYPES):
            self.content = text
        if self.summary is None and (ctype == "text/plain" or ctype in HTML_TYPES):
            self.summary = text

    def summary_element(self, elem: ET.Element, default: str, atom: bool) -> None:
        if self.summary is not None and not self.has_content:
            raise Decline("second summary becomes content")
        self.summary = content_text(elem, default, atom)[0]

    def date_element(self, kind: str, elem: ET.Element) -> None:
        self.dates[kind] = parse_date(repair(leaf_text(elem)))


def _entry(item: ET.Element, base: str, atom: bool) -> RawEntry:
    attrs = attrs_of(item)
    if "href" in attrs or "lastmod" in attrs:
        raise Decline("CDF item attributes")
    base = base_of(base, item)
    state = _State(item.get(_RDF_ABOUT) or None)
    for child in item:
        name = name_of(child.tag)
        if name in TITLES:
            state.set_title(content_text(child, "text/plain", atom)[0])
        elif name == "link":
            state.link_element(child, base_of(base, child), entry=True)
        elif name in ("guid", "id"):
            state.guid_element(child, base_of(base, child))
        elif name in PUBLISHED:
            state.date_element("published", child)
        elif name in UPDATED:
            state.date_element("updated", child)
        elif name in CREATED:
            state.date_element("created", child)
        elif name == "description":
            state.summary_element(child, "text/html", atom)
        elif name == "summary":
            state.summary_element(child, "text/plain", atom)
        elif name == "content_encoded":
            state.content_element(child, "text/html", atom)
        elif name == "content":
            state.content_element(child, "text/plain", atom)
        elif name in AUTHORS:
            state.author_element(child)
        else:
            check_ignorable(child, name)
    link = None if state.link is _MISSING else str(state.link)
    return RawEntry(
        title=state.title,
        link=link,
        guid=state.guid,
        summary=state.summary,
        content=state.content,
        author=state.author or "",
        published=state.dates.get("published"),
        updated=state.dates.get("updated"),
        created=state.dates.get("created"),
    )


def _check_feed_child(elem: ET.Element) -> None:
    for sub in elem.iter():
        if name_of(sub.tag) in _FEED_DANGER:
            raise Decline("feed-level element not modelled")


def _check_children(elem: ET.Element, allowed: set[str]) -> None:
    for sub in elem:
        if len(sub) or name_of(sub.tag) not in allowed:
            raise Decline("unusual image/textinput")


def _walk(
    container: ET.Element, base: str, atom: bool, state: _State, entries: _Entries, entry_tag: str
) -> None:
    titles = 0
    for child in container:
        name = name_of(child.tag)
        if name == entry_tag:
            entries.add(child, base, atom)
        elif name in TITLES:
            titles += 1
            if titles > 1:
                raise Decline("several feed titles")
            state.set_title(content_text(child, "text/plain", atom)[0])
        elif name == "link":
            state.link_element(child, base_of(base, child), entry=False)
        elif name in ("guid", "id"):
            state.guid_element(child, base_of(base, child))
        elif name == "image":
            _check_children(child, _IMAGE_CHILDREN)
        elif name == "textinput":
            _check_children(child, _TEXTINPUT_CHILDREN)
        else:
            _check_feed_child(child)


def parse_fast(body: bytes, url: str, content_type: str, limit: int = 1 << 30) -> RawFeed:
    """Parse ``body`` the fast way or raise `Decline` (or a parse error for feedparser to judge)."""
    check_encoding(body, content_type)
    try:
        root = ET.fromstring(body)
    except ET.ParseError as exc:
        raise Decline(f"not well-formed: {exc}") from exc
    version = _version(body)
    base = base_of(url, root)
    entries = _Entries(limit)
    state = _State()
    if root.tag == "rss":
        version = version if version.startswith("rss") else "rss"
        channels = list(root)
        if len(channels) != 1 or name_of(channels[0].tag) != "channel":
            raise Decline("rss without exactly one channel")
        channel = channels[0]
        if "href" in channel.attrib or "lastmod" in channel.attrib:
            raise Decline("CDF channel")
        _walk(channel, base_of(base, channel), False, state, entries, "item")
    elif root.tag == f"{{{ATOM}}}feed":
        version = version or "atom"
        _walk(root, base, version.startswith("atom"), state, entries, "entry")
    elif root.tag == f"{{{RDF}}}RDF":
        atom = version.startswith("atom")
        for child in root:
            name = name_of(child.tag)
            if name == "channel":
                _walk(child, base_of(base, child), atom, state, entries, "item")
            elif name == "item":
                entries.add(child, base, atom)
            elif name == "image":
                _check_children(child, _IMAGE_CHILDREN)
            elif name == "textinput":
                _check_children(child, _TEXTINPUT_CHILDREN)
            else:
                _check_feed_child(child)
        if not version:
            raise Decline("RDF without an RSS namespace")
    else:
        raise Decline("not RSS 2.0, RSS 1.0 or Atom 1.0")
    link = None if state.link is _MISSING else str(state.link)
    return RawFeed(
        title=state.title, link=link, entries=tuple(entries), version=version, total=entries.total
    )
