"""Hostile XML: entity bombs, external entities, bad character references — bounded and safe."""

from __future__ import annotations

import re
import tracemalloc
from pathlib import Path

import pytest

from aiwatch.feeds.parse.body import ParsedFeed, parse_feed
from tests.conftest import SHARED_CORPORA, required
from tests.feed_server import FeedServer

FEED = "https://feeds.example.com/ai.xml"
DEFUSED = SHARED_CORPORA / "defusedxml" / "xmltestdata"


@pytest.fixture
def defused() -> Path:
    required(DEFUSED, what="the defusedxml test corpus")
    return DEFUSED


def wrap_in_rss(document: str) -> str:
    """Keep a test file's DOCTYPE; put its body, with every entity reference, in an RSS item."""
    doctype = re.search(r"<!DOCTYPE.*?\]>", document, re.S)
    names = re.findall(r"<!ENTITY\s+(?:%\s*)?([\w.-]+)", document)
    refs = "".join(f"&{name};" for name in names if f"% {name}" not in document)
    prologue = re.sub(r"<!DOCTYPE\s+\w+", "<!DOCTYPE rss", doctype.group(0)) if doctype else ""
    original = document[doctype.end() :] if doctype else re.sub(r"<\?xml.*?\?>", "", document)
    original = re.sub(r"<!DOCTYPE[^>]*>", "", original)
    return (
        f'<?xml version="1.0"?>\n{prologue}\n<rss version="2.0"><channel><title>t {refs}</title>'
        f"<item><title>x {refs}</title><link>https://e.com/1</link>"
        f"<description>{original}</description></item></channel></rss>"
    )


def parse_bounded(body: bytes, *, mib: int = 64) -> ParsedFeed:
    """``parse_feed(body)``, failing if it held more than ``mib`` MiB at its peak.

    (How long hostile XML takes to parse is measured in `benchmarks/hostile_xml.py`.)
    """
    tracemalloc.start()
    try:
        result = parse_feed(body, url=FEED)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < mib * 1024 * 1024, f"peak memory {peak / 2**20:.0f} MiB"
    return result


def stored_text(feed: object) -> str:
    entries = getattr(feed, "entries", ())
    return getattr(feed, "title", "") + "".join(e.title + e.summary for e in entries)


@pytest.mark.usefixtures("defused")
@pytest.mark.parametrize(
    "name",
    [
        "xmlbomb.xml",
        "xmlbomb2.xml",
        "quadratic.xml",
        "cyclic.xml",
        "external.xml",
        "external_file.xml",
        "dtd.xml",
        "dtd_element.xml",
    ],
)
def test_defusedxml_bombs_wrapped_in_rss(name: str, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-FILE-CONTENT")
    with FeedServer() as server:
        server.add("/note.xml", lambda handler: handler.send_error(418))
        text = (DEFUSED / name).read_text(encoding="utf-8")
        text = text.replace("file:///PATH/TO/xmltestdata/simple.xml", secret.as_uri())
        text = text.replace("http://www.w3schools.com/xml/note.xml", server.url("/note.xml"))
        feed = parse_bounded(wrap_in_rss(text).encode())
        assert server.requests() == [], "an external entity was fetched"
    assert "TOP-SECRET" not in stored_text(feed)
    assert len(stored_text(feed)) < 100_000  # nothing expanded beyond a few bytes


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16", "utf-16-le"])
def test_quadratic_entity_blowup_is_refused(encoding: str) -> None:
    entity = "A" * 50_000
    refs = "&a;" * 20_000
    document = (
        f'<?xml version="1.0" encoding="{encoding}"?>\n<!DOCTYPE rss [<!ENTITY a "{entity}">]>\n'
        f'<rss version="2.0"><channel><item><title>t</title><link>https://e.com/1</link>'
        f"<description>{refs}</description></item></channel></rss>"
    )
    body = document.encode(encoding)
    feed = parse_bounded(body, mib=32)
    assert feed.entries == ()
    assert "refused" in feed.error


def test_billion_laughs_is_refused() -> None:
    lol = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + str(i - 1 if i > 1 else "") + ";") * 10}">'
        for i in range(1, 10)
    )
    body = (
        f'<?xml version="1.0"?><!DOCTYPE rss [{lol}]><rss version="2.0"><channel><item>'
        "<title>&lol9;</title></item></channel></rss>"
    ).encode()
    feed = parse_bounded(body)
    assert "entity bomb" in feed.error


def test_parameter_and_external_entities_are_refused() -> None:
    for decl in (
        '<!ENTITY % p SYSTEM "http://127.0.0.1:9/x">',
        '<!ENTITY e SYSTEM "file:///etc/passwd">',
        '<!ENTITY e PUBLIC "-//x//y" "http://127.0.0.1:9/y">',
    ):
        body = (
            f'<?xml version="1.0"?><!DOCTYPE rss [{decl}]><rss version="2.0"><channel>'
            "<item><title>&e;</title></item></channel></rss>"
        ).encode()
        assert "refused" in parse_feed(body, url=FEED).error


@pytest.mark.parametrize("ref", ["&#x110000;", "&#xD800;", "&#xFFFFFFFFFF;", "&#0;", "&#1;"])
def test_out_of_range_character_references_never_raise(ref: str) -> None:
    body = (
        f'<rss version="2.0"><channel><item><title>a{ref}b</title><link>https://e.com/1</link>'
        f"<description>x{ref}y</description></item></channel></rss>"
    ).encode()
    for fast in (True, False):
        feed = parse_feed(body, url=FEED, fast=fast)
        assert feed.error == ""
        assert feed.entries[0].title == "a\ufffdb"  # replaced, the rest of the feed is kept


def test_entity_value_with_a_backslash_never_raises() -> None:
    for extra in ("", "&nbsp;<unclosed>"):  # well-formed, and forcing feedparser's loose parser
        body = (
            '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY p "C:\\data\\new">]>'
            f'<rss version="2.0"><channel><item><title>&p; {extra}</title>'
            "<link>https://e.com/1</link></item></channel></rss>"
        ).encode()
        feed = parse_feed(body, url=FEED)
        assert feed.error or feed.entries  # a per-feed result, never an exception


def test_feedparser_exceptions_become_a_per_feed_error(monkeypatch: pytest.MonkeyPatch) -> None:
    import aiwatch.feeds.parse.body as parse_module

    def explode(*_args: object, **_kwargs: object) -> object:
        raise RuntimeError("boom")

    monkeypatch.setattr(parse_module.feedparser, "parse", explode)
    feed = parse_feed(b"<rss><channel><item><title>&nbsp;</title></item></channel></rss>", url=FEED)
    assert feed.error == "could not parse the feed (RuntimeError: boom)"
