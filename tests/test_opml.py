"""OPML 2.0 import/export: categories, URL checks, refusing DTDs, the default list."""

from __future__ import annotations

from pathlib import Path

import pytest

from feeds.opml import OpmlError, OpmlFeed, default_feeds, read_opml, read_opml_file, write_opml
from feeds.urls import is_feed_url

OPML = b"""<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0">
  <head><title>My feeds</title></head>
  <body>
    <outline text="Tech">
      <outline text="AI">
        <outline type="rss" text="AI Wire" xmlUrl="https://aiwire.example.com/feed.xml"
                 htmlUrl="https://aiwire.example.com/"/>
      </outline>
      <outline type="rss" text="Dup" xmlUrl="HTTPS://AIWIRE.example.com/feed.xml"/>
    </outline>
    <outline type="rss" text="Tagged" category="/Legal/Cases,Other" xmlurl="http://docket.example.org/rss"/>
    <outline type="rss" text="Secrets" xmlUrl="file:///etc/passwd"/>
    <outline type="rss" text="Script" xmlUrl="javascript:alert(1)"/>
    <outline type="rss" text="Empty" xmlUrl=""/>
    <outline type="rss" text="Path" xmlUrl="/etc/passwd"/>
    <outline type="rss" text="Huge" xmlUrl="http://example.com/{huge}"/>
    <outline text="Just a folder"/>
  </body>
</opml>
""".replace(b"{huge}", b"a" * 10_000)


def test_import_keeps_categories_dedupes_and_reports_refused() -> None:
    result = read_opml(OPML)
    assert result.title == "My feeds"
    assert [(f.url, f.title, f.category) for f in result.feeds] == [
        ("https://aiwire.example.com/feed.xml", "AI Wire", "Tech/AI"),
        ("http://docket.example.org/rss", "Tagged", "Legal/Cases"),
    ]
    assert result.feeds[0].site_url == "https://aiwire.example.com/"
    reasons = {r.title: r.reason for r in result.refused}
    assert set(reasons) == {"Secrets", "Script", "Empty", "Path", "Huge"}
    assert "Only http and https" in reasons["Secrets"]
    assert "too long" in reasons["Huge"]


def test_export_round_trips() -> None:
    feeds = [
        OpmlFeed("https://a.example.com/rss", "A & B", "News"),
        OpmlFeed("https://b.example.com/atom", "", "Legal/Cases", "https://b.example.com/"),
        OpmlFeed("https://c.example.com/feed", "C"),
    ]
    document = write_opml(feeds)
    assert document.startswith('<?xml version="1.0" encoding="utf-8"?>\n<opml version="2.0">')
    assert set(read_opml(document.encode()).feeds) == set(feeds)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            b'<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY a "aaaa">]><opml><body/></opml>',
            "refused",
        ),
        (b"<opml><body><outline", "not a valid OPML"),
        (b"<rss version='2.0'/>", "not an OPML file"),
        (b"<opml version='2.0'><head/></opml>", "no <body>"),
        (
            "<?xml version='1.0' encoding='utf-16'?><!DOCTYPE x [<!ENTITY a 'b'>]><opml/>".encode(
                "utf-16"
            ),
            "refused",
        ),
    ],
)
def test_unreadable_or_hostile_opml(data: bytes, message: str) -> None:
    with pytest.raises(OpmlError, match=message):
        read_opml(data)


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(OpmlError, match="cannot read"):
        read_opml_file(tmp_path / "nope.opml")


def test_default_list_is_valid_without_fetching_anything() -> None:
    defaults = default_feeds()
    assert defaults.refused == ()
    assert len(defaults.feeds) >= 15
    assert all(is_feed_url(f.url) and f.url.startswith("https://") for f in defaults.feeds)
    assert {f.category for f in defaults.feeds} == {"Company blogs", "News", "Legal and policy"}
    assert len({f.url for f in defaults.feeds}) == len(defaults.feeds)
