"""OPML 2.0 import/export: categories, URL checks, refusing DTDs, the default list."""

from __future__ import annotations

from pathlib import Path

import pytest

from aiwatch.feeds.fetch.urls import validate_feed_url
from aiwatch.feeds.sources.opml import (
    OpmlError,
    OpmlFeed,
    default_feeds,
    read_opml,
    read_opml_file,
    write_opml,
)

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
    assert all(
        validate_feed_url(f.url) == f.url and f.url.startswith("https://") for f in defaults.feeds
    )
    assert {f.category for f in defaults.feeds} == {"Company blogs", "News", "Legal and policy"}
    assert len({f.url for f in defaults.feeds}) == len(defaults.feeds)


# Exports from real readers ------------------------------------------------------------

REAL_READER = (
    b"\xef\xbb\xbf<?xml version='1.0' encoding='ISO-8859-1'?>\n"
    b'<opml version="1.0"><head><title>Subscriptions from Caf\xc3\xa9 & Reader</title></head><body>\n'
    b'<outline text="Tech & Science" title="Tech & Science">\n'
    b'  <outline type="rss" text="Law & AI" xmlUrl="https://law.example.com/rss?x=1&y=2"/>\n'
    b'  <outline type="rss" text="Nice&nbsp;Feed &amp; more" xmlUrl="https://nice.example.com/feed"/>\n'
    b'  <outline type="rss" text="Dup" xmlUrl="https://nice.example.com/feed"/>\n'
    b'  <outline type="rss" text="Bad" xmlUrl="ftp://bad.example.com/feed"/>\n'
    b"</outline></body></opml>\n"
)


def test_a_real_readers_export_is_repaired_and_says_so() -> None:
    result = read_opml(REAL_READER)
    assert [(f.url, f.title, f.category) for f in result.feeds] == [
        ("https://law.example.com/rss?x=1&y=2", "Law & AI", "Tech & Science"),
        ("https://nice.example.com/feed", "Nice Feed & more", "Tech & Science"),
    ]
    assert result.title == "Subscriptions from Café & Reader"
    assert result.repairs == (
        "the encoding (declared iso-8859-1 but written in UTF-8)",
        "1 stray byte-order mark",
        "6 bare ampersands or HTML entities",
    )
    assert result.repaired_outlines == 3 and result.duplicates == 1
    assert [r.title for r in result.refused] == ["Bad"]


def test_a_well_formed_file_reports_no_repairs() -> None:
    result = read_opml(OPML)
    assert result.repairs == () and result.repaired_outlines == 0


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (
            b'<opml><body><outline type="rss" text="a\xe9" xmlUrl="https://e.example.com/f"/></body></opml>',
            "a\u00e9",
        ),  # undeclared (so UTF-8) but windows-1252
        (
            b'<?xml version="1.0" encoding="utf-8"?><opml><body><outline type="rss" text="\x93q\x94" xmlUrl="https://e.example.com/f"/></body></opml>',
            "\u201cq\u201d",
        ),
        (
            b'\n\n  <?xml version="1.0"?><opml><body><outline type="rss" text="x" xmlUrl="https://e.example.com/f"/></body></opml>',
            "x",
        ),
    ],
)
def test_encoding_and_leading_junk_are_repaired(data: bytes, expected: str) -> None:
    result = read_opml(data)
    assert [f.title for f in result.feeds] == [expected] and result.repairs


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<html><body>&nbsp; not a reader's export</body></html>", "not an OPML file"),
        (b"<opml><body><outline text='a & b'>", "even after repairs"),
        (b"Just & text", "even after repairs"),
        (b'<!DOCTYPE opml [<!ENTITY x "y">]><opml><body a="&x; & b"/></opml>', "refused"),
    ],
)
def test_what_is_not_opml_is_still_refused(data: bytes, message: str) -> None:
    with pytest.raises(OpmlError, match=message):
        read_opml(data)


def test_cli_import_says_what_it_repaired(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    from aiwatch.tui.cli import main

    path = tmp_path / "export.opml"
    path.write_bytes(REAL_READER)
    assert main(["--db", f"sqlite:///{tmp_path / 'a.db'}", "feeds", "import", str(path)]) == 0
    out = capsys.readouterr()
    assert "Subscribed to 2 feeds (0 already subscribed, 1 refused, 1 repeated)." in out.out
    assert (
        "repaired the encoding (declared iso-8859-1 but written in UTF-8), 1 stray byte-order mark, 6 bare ampersands or HTML entities in 3 outlines."
        in out.out
    )
