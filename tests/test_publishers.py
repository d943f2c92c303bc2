"""The publisher as a party: each feed speaks for an organisation, detected or chosen."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from sqlmodel import select

from aiwatch.feeds.records import ArticleRecord, Extraction
from aiwatch.feeds.sources.opml import read_opml, write_opml
from aiwatch.feeds.sources.seeds import bundled_seed_dir, load_seed_dir
from aiwatch.feeds.work import KnowledgeExtractor, process_body
from aiwatch.store.db import make_engine, session
from aiwatch.store.models import Article, Feed
from aiwatch.tui.cli import main
from tests.feed_server import FeedServer, Reply, item, rss

CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
NEWSROOM = rss([item(1, title="Introducing our newest model")], title="Anthropic News")
OUTLET = rss([item(3, title="Anthropic introduces a model")], title="Ars Technica - All content")


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):
    config = tmp_path / "config.toml"
    config.write_text("[refresh]\ntimeout = 2\nworkers = 0\n")
    monkeypatch.setenv("AIWATCH_CONFIG", str(config))
    db = f"sqlite:///{tmp_path / 'cli.db'}"

    def run(*argv: str) -> tuple[int, str, str]:
        status = main(["--db", db, *argv])
        out, err = capsys.readouterr()
        assert not CONTROL.search(out + err), "control characters reached the terminal"
        return status, out, err

    run.db = db  # type: ignore[attr-defined]
    return run


def _publishers(db: str) -> dict[str, str]:
    engine = make_engine(db)
    with session(engine) as stored:
        found = {a.title: a.publisher for a in stored.exec(select(Article))}
    engine.dispose()
    return found


def test_process_body_uses_the_choice_else_the_detection() -> None:
    seen: list[ArticleRecord] = []

    def extractor(record: ArticleRecord) -> Extraction:
        seen.append(record)
        return Extraction()

    calls: list[tuple[str, str]] = []

    def detect(title: str, link: str) -> str:
        calls.append((title, link))
        return "Anthropic"

    url = "https://www.anthropic.com/news/rss.xml"
    parsed, _ = process_body(
        NEWSROOM, url=url, source=url, extractor=extractor, detect_publisher=detect
    )
    assert parsed.publisher == "Anthropic" and seen[-1].publisher == "Anthropic"
    assert calls == [("Anthropic News", "https://example.com/")]  # the channel's site link
    parsed, _ = process_body(
        NEWSROOM, url=url, source=url, extractor=extractor, publisher="Acme", detect_publisher=None
    )
    assert parsed.publisher == "" and seen[-1].publisher == "Acme"


def test_the_knowledge_extractor_detects_newsrooms_not_outlets() -> None:
    detect = KnowledgeExtractor().publisher_of
    assert detect("Anthropic News", "https://www.anthropic.com/news") == "Anthropic"
    assert detect("Ars Technica - All content", "https://arstechnica.com") == ""


def test_refresh_detects_the_publisher_and_the_choice_overrides_it(cli, server: FeedServer) -> None:
    newsroom = server.add("/anthropic", Reply(NEWSROOM))
    outlet = server.add("/ars", Reply(OUTLET))
    chosen = server.add(
        "/chosen", Reply(rss([item(2, title="We partner with a lab")], title="Dev notes"))
    )
    assert cli("feeds", "add", newsroom)[0] == 0
    assert cli("feeds", "add", outlet)[0] == 0
    status, out, _ = cli("feeds", "add", chosen, "--publisher", "Groq")
    assert status == 0 and "it speaks for Groq" in out
    assert cli("refresh")[0] == 0
    assert _publishers(cli.db) == {
        "Introducing our newest model": "Anthropic",
        "Anthropic introduces a model": "",
        "We partner with a lab": "Groq",
    }
    listing = cli("feeds", "list")[1]
    assert "publisher: Anthropic (detected)" in listing and "publisher: Groq\n" in listing
    rows = {r["url"]: r for r in json.loads(cli("feeds", "list", "--json")[1])}
    assert (rows[newsroom]["publisher"], rows[newsroom]["detected_publisher"]) == ("", "Anthropic")
    assert rows[chosen]["publisher"] == "Groq"


def test_changing_the_publisher_rereads_the_feeds_articles(cli, server: FeedServer) -> None:
    newsroom = server.add("/anthropic", Reply(NEWSROOM))
    assert cli("feeds", "add", newsroom)[0] == 0
    assert cli("refresh")[0] == 0
    status, out, _ = cli("feeds", "publisher", "1", "Google")
    assert status == 0 and "speaks for Google" in out and "Re-extracted 1 article(s)" in out
    assert _publishers(cli.db) == {"Introducing our newest model": "Google"}
    status, out, _ = cli("feeds", "publisher", newsroom, "")
    assert status == 0 and "detected from its title" in out
    assert _publishers(cli.db) == {"Introducing our newest model": "Anthropic"}
    assert cli("reextract")[0] == 0  # reextract reads "we" as the feed speaks now
    assert _publishers(cli.db) == {"Introducing our newest model": "Anthropic"}
    status, _, err = cli("feeds", "publisher", "99", "X")
    assert status == 1 and "No such feed: 99" in err


def test_opml_carries_the_publisher_both_ways(cli, server: FeedServer, tmp_path: Path) -> None:
    document = write_opml(
        [
            *read_opml(
                b'<opml version="2.0"><body><outline type="rss" text="A" '
                b'xmlUrl="https://a.example/feed" publisher="Anthropic"/></body></opml>'
            ).feeds
        ]
    )
    assert 'publisher="Anthropic"' in document
    path = tmp_path / "subs.opml"
    path.write_text(document)
    assert cli("feeds", "import", str(path))[0] == 0
    engine = make_engine(cli.db)
    with session(engine) as stored:
        assert stored.exec(select(Feed.publisher)).one() == "Anthropic"
    engine.dispose()
    assert 'publisher="Anthropic"' in cli("feeds", "export")[1]


def test_seeds_have_no_publisher() -> None:
    assert {r.publisher for r in load_seed_dir(bundled_seed_dir()).articles} == {""}
