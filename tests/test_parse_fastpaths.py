"""The shortcuts that make parsing cheap give exactly what the general code gives."""

from __future__ import annotations

import random
import sys

import pytest
from feedparser.datetimes import _parse_date
from feedparser.html import _cp1252
from feedparser.mixin import _FeedParserMixin
from feedparser.urls import _urljoin

from aiwatch.feeds.parse.fastparse import (
    CP1252,
    HANDLED,
    Decline,
    join_url,
    parse_date,
    urljoin,
)
from aiwatch.feeds.parse.sanitize import (
    _BLANK_LINES,
    _ESCAPES,
    _INVISIBLE,
    _SPACES,
    PLAIN_URL,
    _checked_url,
    _truncate,
    clean_line,
    clean_text,
    safe_url,
)


def test_printable_text_has_nothing_clean_text_removes_or_rewrites() -> None:
    """`clean_text` trusts ``str.isprintable()``: check that trust for every code point."""
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        if char.isprintable() and char != " ":
            assert not _INVISIBLE.match(char), hex(code)
            assert not _ESCAPES.match(char), hex(code)
            assert not _SPACES.match(char), hex(code)
            assert not char.isspace(), hex(code)


def reference_clean_text(text: str, limit: int) -> str:
    """`clean_text` before its shortcuts, for comparison."""
    text = text[: limit * 4].replace("\r\n", "\n").replace("\r", "\n")
    text = _INVISIBLE.sub("", _ESCAPES.sub("", text))
    text = _BLANK_LINES.sub("\n\n", _SPACES.sub(" ", text))
    return _truncate("\n".join(line.strip() for line in text.split("\n")).strip(), limit)


def test_clean_text_and_clean_line_shortcuts_agree_with_the_general_case() -> None:
    rng = random.Random(3)
    pieces = ["a", "é", " ", "  ", "\t", "\n", "\r", "\r\n", "\n \n", "\u00a0", "\u2003", "\u3000"]
    pieces += ["\x00", "\x1b[1m", "\x1b]0;t\x07", "\x9b2J", "\u202e", "\u200b", "\ufeff", "\u2028"]
    samples = [
        "",
        " ",
        "x" * 600,
        *("".join(rng.choices(pieces, k=rng.randint(1, 12))) for _ in range(5000)),
    ]
    for text in samples:
        for limit in (1, 3, 10, 500):
            assert clean_text(text, limit=limit) == reference_clean_text(text, limit), text
            line = _truncate(" ".join(reference_clean_text(text, limit * 2).split()), limit)
            assert clean_line(text, limit=limit) == line, text


def date_strings() -> list[str]:
    """Everyday and edge-case dates in both formats, valid or not."""
    rng = random.Random(7)
    days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    rfc_zones = ["GMT", "UTC", "UT", "Z", "+0000", "-0000", "+0530", "-0700", "+1400", "-0099"]
    rfc_zones += ["EST", "EDT", "CST", "CDT", "MST", "MDT", "PST", "PDT", "est", "CET", "BST"]
    w3c_zones = ["Z", "+00:00", "-00:00", "+05:30", "-07:00", "+14:00", "-00:99"]
    fractions = ["", "", ".0", ".5", ".999", ".9999999999999999999", ".123456789"]
    years = ["0001", "0002", "1969", "1970", "1999", "2000", "2025", "2038", "9998", "9999"]
    out = []
    for _ in range(3000):
        year = rng.choice(years)
        month = rng.randint(0, 13)
        day = rng.choice([0, 1, 9, 10, 28, 29, 30, 31, 32])
        clock = f"{rng.choice([0, 12, 23, 24]):02}:{rng.choice([0, 59, 60]):02}:{rng.choice([0, 59, 60, 61]):02}"
        name = months[(month - 1) % 12]
        out.append(
            f"{rng.choice(days)}, {day:0{rng.choice([1, 2])}} {name} {year} {clock} {rng.choice(rfc_zones)}"
        )
        fraction = rng.choice(fractions)
        out.append(f"{year}-{month:02}-{day:02}T{clock}{fraction}{rng.choice(w3c_zones)}")
    return [*out, "", "Mon, 01 Sep 2025 12:00:00 EST", "2025-09-01", "2025-09-01T12:00:00.5Z"]


def test_fast_dates_are_feedparsers_dates() -> None:
    """Every date the fast path reads is feedparser's; the rest send the feed to feedparser."""
    read = 0
    for text in date_strings():
        parsed = _parse_date(text)
        try:
            fast = parse_date(text)
        except Decline:
            continue
        read += 1
        assert fast == (tuple(parsed) if parsed else None), text
    assert read > 800  # every valid date in the two formats (most generated ones are not)


@pytest.mark.parametrize(
    "text",
    ["Mon, 01 Sep 2025 12:00:00 CET", "2025-09-01", "Mon, 31 Feb 2025 12:00:00 GMT", "1 Sep 2025"],
)
def test_other_dates_decline(text: str) -> None:
    with pytest.raises(Decline):
        parse_date(text)


def test_owned_feedparser_rules_are_feedparsers() -> None:
    """The few private feedparser helpers the fast path needs are copied, and still the same."""
    assert _cp1252 == CP1252
    handled = {n[7:] for n in dir(_FeedParserMixin) if n.startswith("_start_")}
    assert handled | {n[5:] for n in dir(_FeedParserMixin) if n.startswith("_end_")} == HANDLED
    bases = ["", "http://example.org/feeds/", "http://[::1", "feed:"]
    for url in url_strings()[:3_000]:
        for base in bases:
            assert urljoin(base, url) == _urljoin(base, url), (base, url)


def url_strings() -> list[str]:
    """Mostly URL-shaped strings built from the characters urllib treats specially."""
    rng = random.Random(11)
    starts = ["http://", "https://", "HTTP://", "http:///", "ftp://", "//", "", "http:"]
    starts += ["tag:", "urn:uuid:", "Mailto:", "x-y.z+1:", "svn+ssh:", "tag:/", "1a:", "é:"]
    hosts = ["a.example", "b-c.d", "x", ".", "", "u:p@x", "x:80", "[::1]", "é.x", "a b"]
    pieces = ["a", "/", "//", "?", "#", ";", "=", "&", "%20", ":", "..", "@", "[", "\\", "~"]
    pieces += [" ", "\t", "\x00", "\x7f", "é", "\u200b"]
    return [
        rng.choice(starts[:2] * 3 + starts)
        + rng.choice(hosts[:3] * 3 + hosts)
        + "".join(rng.choices(pieces[:15] * 3 + pieces, k=rng.randint(0, 6)))
        for _ in range(20_000)
    ]


def test_plain_urls_are_safe_urls_as_they_are() -> None:
    urls = url_strings()
    assert sum(bool(PLAIN_URL.fullmatch(u)) for u in urls) > 1_000
    for url in urls:
        assert safe_url(url) == _checked_url(url.strip()), url


def test_plain_urls_resolve_to_themselves_as_feedparser_resolves_them() -> None:
    bases = ["", "http://example.org/feeds/", "https://x.com/a/b?c#d", "http://[::1", "feed:"]
    for url in url_strings()[:5_000]:
        for base in bases:
            assert join_url(base, url) == _urljoin(base, url), (base, url)
