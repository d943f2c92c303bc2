"""The expat fast path and feedparser must produce identical results wherever both run."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from aiwatch.feeds.parse.body import ParsedFeed, parse_feed
from benchmarks.corpus import build_corpus
from tests.conftest import SHARED_CORPORA, required
from tests.feed_server import FIXTURES

CORPORA = SHARED_CORPORA
NOW = datetime(2026, 1, 1, tzinfo=UTC)
CONTENT_TYPES = [
    "",
    "application/rss+xml",
    "text/xml",
    "application/xml; charset=utf-8",
    "text/html",
]


def both(body: bytes, url: str, content_type: str) -> tuple[ParsedFeed, ParsedFeed]:
    fast = parse_feed(body, url=url, content_type=content_type, now=NOW)
    slow = parse_feed(body, url=url, content_type=content_type, now=NOW, fast=False)
    return fast, slow


def same(fast: ParsedFeed, slow: ParsedFeed) -> bool:
    return replace(fast, parser="") == replace(slow, parser="")


def test_generated_ai_news_feeds_take_the_fast_path_and_agree() -> None:
    corpus = build_corpus(feeds=24, items=50)
    for path, body in corpus.items():
        fast, slow = both(body, f"https://news.example.com{path}", "application/rss+xml")
        assert fast.parser == "fast" and slow.parser == "feedparser"
        assert len(fast.entries) == 50
        assert same(fast, slow), path


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.glob("*.xml")))
def test_fixtures_agree(name: str) -> None:
    for content_type in CONTENT_TYPES:
        assert same(
            *both((FIXTURES / name).read_bytes(), "http://cafe.example.net/news/rss", content_type)
        )


def test_corpus_files_agree_on_both_paths() -> None:
    required(CORPORA, what="the shared test corpora")
    files = sorted(p for p in CORPORA.rglob("*.xml") if "defusedxml" not in p.parts)
    fast_count = 0
    differ = []
    for path in files:
        body = path.read_bytes()
        for content_type in ("", "text/xml"):  # the fixtures above cover the other types
            fast, slow = both(body, f"http://example.org/base/{path.name}", content_type)
            if fast.parser != "fast":
                continue
            fast_count += 1
            if not same(fast, slow):
                differ.append(f"{path.relative_to(CORPORA)} ({content_type or 'no type'})")
    assert fast_count > 2000  # the fast path handles most well-formed files...
    assert differ == []  # ...and gives exactly feedparser's answer on every one


def test_fast_path_declines_what_it_does_not_model() -> None:
    cases = {
        "doctype": b'<!DOCTYPE rss [<!ENTITY a "b">]><rss version="2.0"><channel><item><title>&a;</title></item></channel></rss>',
        "utf-16": '<?xml version="1.0" encoding="utf-16"?><rss version="2.0"><channel/></rss>'.encode(
            "utf-16"
        ),
        "latin-1": b'<?xml version="1.0" encoding="iso-8859-1"?><rss version="2.0"><channel><title>\xe9</title></channel></rss>',
        "inline xhtml": b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><b>x</b></div></title></entry></feed>',
        "two titles": b'<rss version="2.0"><channel><title>a</title><title>b</title></channel></rss>',
        "media title": b'<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"><channel><item><media:title>m</media:title></item></channel></rss>',
        "malformed": b'<rss version="2.0"><channel><item><title>a & b</title></item></channel></rss>',
        "unknown root": b"<note><to>x</to></note>",
    }
    for label, body in cases.items():
        fast, slow = both(body, "http://example.org/f", "")
        assert fast.parser in ("feedparser", ""), label
        assert same(fast, slow), label
