"""Parsing fixture feeds into clean records: formats, identity, dates, caps, bozo policy."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from aiwatch.feeds.parse.body import MAX_SUMMARY, parse_feed
from tests.feed_server import fixture

NOW = datetime(2026, 1, 1, tzinfo=UTC)
FEED = "https://feeds.example.com/ai.xml"


def parse(body: bytes, **kwargs: object) -> object:
    return parse_feed(body, url=kwargs.pop("url", FEED), now=NOW, **kwargs)  # type: ignore[arg-type]


def test_rss20_entries_fields_and_identity() -> None:
    feed = parse_feed(fixture("rss20.xml"), url=FEED, now=NOW)
    assert (feed.error, feed.warning, feed.parser) == ("", "", "fast")
    assert feed.title == "AI Wire"
    assert feed.site_url == "https://aiwire.example.com/"
    first, second, third = feed.entries
    assert first.entry_key == "aiwire-1001"  # guid, even when not a permalink
    assert first.url == "https://aiwire.example.com/2025/meta-midjourney?utm_source=rss&id=7"
    assert first.published == datetime(2025, 8, 22, 12, 30, tzinfo=UTC)  # +0200 → UTC
    assert first.author == "Jane Reporter"
    assert first.summary == "Meta will license Midjourney's technology."  # script dropped
    assert first.sections[0].text.startswith("Meta will license Midjourney's technology for")
    assert second.author == "Sam Editor"  # e-mail stripped from <author>
    assert third.entry_key == "https://aiwire.example.com/2025/authors-v-anthropic"  # link
    assert third.published is None
    assert all(record.source == FEED for record in feed.entries)


def test_rss10_and_atom() -> None:
    rdf = parse_feed(fixture("rss10.xml"), url=FEED, now=NOW)
    assert [e.title for e in rdf.entries] == [
        "Getty Images v. Stability AI: ruling on motion to dismiss",
        "The New York Times v. OpenAI: discovery order",
    ]
    assert rdf.entries[1].published == datetime(2025, 6, 4, 15, 30, tzinfo=UTC)
    atom = parse_feed(fixture("atom10.xml"), url=FEED, now=NOW)
    veo, llama = atom.entries
    assert veo.title == "Introducing Veo 3"  # type="html" title rendered as text
    assert veo.url == "https://lab.example.com/blog/posts/veo-3"  # xml:base
    assert veo.published == datetime(2025, 5, 20, 17, 0, tzinfo=UTC)
    assert veo.summary == "Google's Veo 3 generates video & audio."
    assert veo.author == "Lab Team"
    assert llama.url == "https://lab.example.com/other/llama-update"  # entry's own xml:base
    assert llama.published == datetime(2025, 4, 2, 11, 0, tzinfo=UTC)  # updated as fallback
    assert llama.summary == "Plain text summary with <angle brackets> kept."  # type=text
    assert atom.site_url == "https://lab.example.com/"


def test_html_entities_and_relative_links() -> None:
    feed = parse_feed(fixture("entities.xml"), url="http://cafe.example.net/news/rss", now=NOW)
    assert feed.title == "Café & AI News"
    first, second = feed.entries
    assert first.title == "Mistral – new model «Large»"
    assert first.url == "http://cafe.example.net/news/mistral-large?a=1&b=2"
    assert first.summary == "Résumé of the launch"
    assert second.url == "http://cafe.example.net/news/story/2"
    assert "not well-formed" in feed.warning  # &eacute; is not XML: loose parse, with a warning


def test_malformed_feed_with_entries_is_kept_with_a_warning() -> None:
    feed = parse_feed(fixture("malformed.xml"), url=FEED, now=NOW)
    assert feed.error == ""
    assert feed.entries and feed.entries[0].title == "First story & friends"
    assert feed.warning.startswith("feed is not well-formed")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"Just text, not XML.", "not a valid RSS or Atom feed"),
        (b"<html><body>hello</body></html>", "not a"),
        (b"<?xml version='1.0'?><note><to>x</to></note>", "no RSS or Atom structure"),
        (b"", "empty"),
        (b"   \n", "empty"),
    ],
)
def test_unusable_bodies_get_a_clear_error(body: bytes, message: str) -> None:
    feed = parse_feed(body, url=FEED, now=NOW)
    assert feed.entries == ()
    assert message in feed.error


def test_empty_but_valid_feed_is_not_an_error() -> None:
    feed = parse_feed(b'<rss version="2.0"><channel><title>t</title></channel></rss>', url=FEED)
    assert (feed.error, feed.entries, feed.title) == ("", (), "t")


@pytest.mark.parametrize(
    ("date", "expected"),
    [
        ("Mon, 02 Jun 2025 10:00:00 GMT", datetime(2025, 6, 2, 10, tzinfo=UTC)),
        ("Thu, 01 Jan 1970 00:00:00 GMT", None),  # epoch: treated as unknown
        ("Sat, 01 Jan 1983 00:00:00 GMT", None),  # before 1990
        ("Wed, 01 Jan 2099 00:00:00 GMT", None),  # far future must not pin to the top
        ("Fri, 02 Jan 2026 12:00:00 GMT", datetime(2026, 1, 2, 12, tzinfo=UTC)),  # within 2 days
        ("next Tuesday-ish", None),
        ("", None),
    ],
)
def test_dates_are_utc_and_sane(date: str, expected: datetime | None) -> None:
    body = (
        '<rss version="2.0"><channel><title>t</title><item><title>x</title>'
        f"<link>https://e.com/1</link><pubDate>{date}</pubDate></item></channel></rss>"
    ).encode()
    for fast in (True, False):
        [record] = parse_feed(body, url=FEED, now=NOW, fast=fast).entries
        assert record.published == expected


def test_entry_without_guid_or_link_gets_a_content_hash_key() -> None:
    body = b'<rss version="2.0"><channel><item><title>Only a title</title></item></channel></rss>'
    [record] = parse_feed(body, url=FEED).entries
    assert record.entry_key.startswith("hash:") and record.url is None


def test_duplicate_guids_in_one_feed_are_kept_once() -> None:
    item = "<item><guid>same</guid><title>{}</title></item>"
    body = f'<rss version="2.0"><channel>{item.format("a")}{item.format("b")}</channel></rss>'
    feed = parse_feed(body.encode(), url=FEED)
    assert [e.title for e in feed.entries] == ["a"]


def test_untitled_entry_falls_back_to_summary() -> None:
    body = (
        b'<rss version="2.0"><channel><item><link>https://e.com/1</link>'
        b"<description>Nvidia ships a new chip.</description></item></channel></rss>"
    )
    [record] = parse_feed(body, url=FEED).entries
    assert record.title == "Nvidia ships a new chip."


def test_control_characters_and_escapes_never_survive() -> None:
    title = "Evil &#x1b;[2J&#x1b;]0;pwned&#x7;title &#x9b;31m\u202e txt"
    body = (
        '<rss version="2.0"><channel><item><title>' + title + "</title>"
        "<link>https://e.com/\u200bx</link><description>a&#x0;b</description></item></channel></rss>"
    ).encode()
    for fast in (True, False):
        [record] = parse_feed(body, url=FEED, fast=fast).entries
        text = record.title + record.summary + (record.url or "")
        assert not any((ord(c) < 32 and c != "\n") or 0x7F <= ord(c) <= 0x9F for c in text)
        assert "\u202e" not in text and "\x1b" not in text  # inert leftovers only
        assert record.url is None  # zero-width character in the link: refused, not shown


def test_item_and_field_caps() -> None:
    items = "".join(
        f"<item><title>t{i}</title><link>https://e.com/{i}</link></item>" for i in range(100_000)
    )
    body = f'<rss version="2.0"><channel><title>big</title>{items}</channel></rss>'.encode()
    feed = parse_feed(body, url=FEED, max_items=500)
    assert len(feed.entries) == 500 and feed.entries[0].title == "t0"
    assert "100,000 entries; kept the first 500" in feed.warning
    huge = "A" * 10_000_000
    body = (
        f'<rss version="2.0"><channel><item><title>{huge}</title><link>https://e.com/</link>'
        f"<description>{huge}</description></item></channel></rss>"
    ).encode()
    [record] = parse_feed(body, url=FEED).entries
    assert len(record.title) <= 500 and len(record.summary) <= MAX_SUMMARY


def test_body_that_is_a_path_is_content_not_a_file(tmp_path: object) -> None:
    from pathlib import Path

    secret = Path(str(tmp_path)) / "secret.xml"
    secret.write_text(
        '<rss version="2.0"><channel><item><title>SECRET</title></item></channel></rss>'
    )
    for body in (str(secret).encode(), b"/etc/passwd", b"file:///etc/passwd"):
        feed = parse_feed(body, url=FEED)
        assert feed.entries == () and feed.error
        assert "SECRET" not in repr(feed) and "root:" not in repr(feed)


def test_non_bytes_bodies_are_handled() -> None:
    feed = parse_feed(
        '<rss version="2.0"><channel><item><title>é</title></item></channel></rss>',  # type: ignore[arg-type]
        url=FEED,
    )
    assert feed.entries[0].title == "é"
    assert parse_feed(12345, url=FEED).error  # type: ignore[arg-type]


def test_summary_cap_and_content_section() -> None:
    body = (
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
        "<item><title>t</title><link>https://e.com/1</link>"
        f"<content:encoded>&lt;p&gt;{'word ' * 3000}&lt;/p&gt;</content:encoded></item>"
        "</channel></rss>"
    ).encode()
    [record] = parse_feed(body, url=FEED).entries
    assert len(record.summary) <= MAX_SUMMARY  # summary copied from content, then capped
    assert record.sections and len(record.sections[0].text) > MAX_SUMMARY  # full text kept


def test_one_bad_utf8_sequence_does_not_turn_the_feed_into_mojibake() -> None:
    body = (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Café 🦜</title>'
        "<item><title>Résumé \udcff of the 🧠 deal</title><link>https://e.com/1</link></item>"
        "</channel></rss>"
    ).encode("utf-8", "surrogateescape")  # \udcff → one raw 0xFF byte, invalid UTF-8
    feed = parse_feed(body, url=FEED)
    assert feed.title == "Café 🦜"
    assert feed.entries[0].title == "Résumé \ufffd of the 🧠 deal"


def test_a_legacy_encoded_feed_labelled_utf8_is_still_read_as_legacy() -> None:
    body = (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        "<title>Café crème</title><item><title>Résumé</title><link>https://e.com/1</link></item>"
        "</channel></rss>"
    ).encode("cp1252")
    feed = parse_feed(body, url=FEED)
    assert (feed.title, feed.entries[0].title) == ("Café crème", "Résumé")
