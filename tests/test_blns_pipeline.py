"""The Big List of Naughty Strings through fetch → parse → extract → store → render.

Every string of ``blns.json``, and every string of ``blns.base64.json`` that
holds control characters (decoded; the ones that are not UTF-8 go out as raw
bytes), is served on loopback as an entry's title and summary, and a few as feed
names. The refresh job behind the dashboard's `r` stores them with the real
extractor; then the dashboard (every article, 500 at a time), the feeds screen
and article screens are rendered: no crash, no control character, link or click
action in any segment, and every title shown exactly as stored (markup-like text
included).
"""

from __future__ import annotations

import base64
import json
import unicodedata
from collections.abc import Iterable, Iterator
from html import escape
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import col, delete, func, select
from textual.pilot import Pilot

from aiwatch.store.db import make_engine, session
from aiwatch.store.feed_repo import add_feed
from aiwatch.store.models import Article, ArticleSource, Feed
from aiwatch.tui.app import AiwatchApp, make_app
from aiwatch.tui.config import RefreshSettings, Settings
from aiwatch.tui.jobs import run_refresh
from aiwatch.tui.messages import DashboardRequested
from aiwatch.tui.screens.article import ArticleScreen
from aiwatch.tui.screens.feeds import FeedsScreen
from aiwatch.tui.widgets.record_table import RecordTable
from tests.conftest import SHARED_CORPORA, required
from tests.feed_server import FeedServer, Reply
from tests.hostile import assert_inert
from tests.tui_support import screen_text, settle, wait_for

BLNS = SHARED_CORPORA / "blns"
HIDDEN = set(  # bidi controls and marks, zero-width characters, the BOM (format characters
    # such as a soft hyphen may stay: they cannot reorder or hide what is shown)
    "\u061c\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
    "\u2060\u2066\u2067\u2068\u2069\ufeff"
)
CHUNK = 400  # entries per feed (below the 500-item cap)
SETTINGS = Settings(refresh=RefreshSettings(timeout=10, max_items=CHUNK))


@pytest.fixture(autouse=True)
def _corpus() -> None:
    required(BLNS / "blns.json", BLNS / "blns.base64.json", what="the BLNS corpus")


def naughty_strings() -> tuple[list[str], list[str], list[bytes]]:
    """``blns.json``; the decodable control strings of ``blns.base64.json``; the undecodable."""
    plain = json.loads((BLNS / "blns.json").read_text(encoding="utf-8"))
    decoded = [base64.b64decode(s) for s in json.loads((BLNS / "blns.base64.json").read_bytes())]
    controls = [d for d in decoded if any(b < 32 or 0x7F <= b < 0xA0 for b in d)]
    text, raw = [], []
    for data in controls:
        try:
            text.append(data.decode("utf-8"))
        except UnicodeDecodeError:
            raw.append(data)
    return plain, text, raw


def entry(feed: str, n: int, value: bytes) -> bytes:
    link = f"https://example.com/{feed}/{n}".encode()
    return (
        b"<item><title>" + value + b"</title><link>" + link + b"</link><guid>" + link + b"</guid>"
        b"<pubDate>Mon, 02 Jun 2025 10:00:00 GMT</pubDate>"
        b"<description>" + value + b"</description></item>"
    )


def feed_body(name: str, title: bytes, values: list[bytes]) -> bytes:
    items = b"".join(entry(name, n, v) for n, v in enumerate(values))
    return (
        b'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>'
        + title
        + b"</title><link>https://example.com/</link>"
        + items
        + b"</channel></rss>"
    )


def xml_text(value: str) -> bytes:
    """``value`` escaped for XML text; control characters are left raw, as a careless feed would."""
    return escape(value, quote=False).encode("utf-8", "surrogatepass")


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Engine, dict[str, int]]]:
    """Feeds of naughty strings on loopback, subscribed in a new database; URL → entries."""
    plain, text, raw = naughty_strings()
    values = [xml_text(s) for s in plain + text]
    feeds = {  # feed name → (its title, its entries)
        "blns": (values[CHUNK // 2], values[:CHUNK]),
        "blns-and-controls": (values[-1], values[CHUNK:]),
        "bytes": (raw[0].replace(b"<", b"&lt;"), [r.replace(b"<", b"&lt;") for r in raw]),
    }
    engine = make_engine(f"sqlite:///{tmp_path / 'blns.db'}")
    with FeedServer() as server, session(engine) as db:
        counts = {}
        for name, (title, values) in feeds.items():
            url = server.add(f"/{name}.xml", Reply(feed_body(name, title, values)))
            add_feed(db, url)
            counts[url] = len(values)
        db.commit()
        yield engine, counts
    engine.dispose()


def assert_clean(texts: Iterable[str]) -> None:
    """Each of ``texts`` is one printable line: what the parser must store for a title."""
    for text in texts:
        odd = [
            c for c in text if unicodedata.category(c) in ("Cc", "Cs", "Zl", "Zp") or c in HIDDEN
        ]
        assert not odd, (text, odd)
        assert text == " ".join(text.split()), text  # no runs of spaces, tabs or newlines


def stored_titles(engine: Engine) -> dict[int, str]:
    with session(engine) as db:
        return {int(a.id or 0): a.title for a in db.exec(select(Article))}


async def check_dashboard(
    app: AiwatchApp, pilot: Pilot[None], engine: Engine, titles: dict[int, str]
) -> None:
    """Every article row holds its stored title literally; every page renders inert.

    The dashboard lists 500 articles; those checked are then deleted, so the
    next load lists the rest.
    """
    table = app.dashboard.query_one("#articles", RecordTable)
    app.dashboard.maximize(table)
    table.focus()
    remaining = dict(titles)
    while remaining:
        assert app.dashboard.dashboard is not None
        stories = {str(a.id): a for a in app.dashboard.dashboard.articles}
        assert 0 < table.row_count == len(stories) <= 500
        shown = []
        for key in table.keys:  # a story is listed once, by its first version's title
            assert table.cell_text(key, "title") == remaining.pop(int(key)), key
            shown += [int(key), *stories[key].versions]
            for version in stories[key].versions:
                remaining.pop(version, None)
        for _ in range(table.row_count // (app.size.height - 4) + 1):
            await pilot.pause()
            assert_inert(app)
            table.action_page_down()
        with session(engine) as db:
            db.exec(delete(Article).where(col(Article.id).in_(shown)))
            db.commit()
        app.post_message(DashboardRequested(app.dashboard.filter))
        await settle(app, pilot)
    app.dashboard.minimize()


async def test_naughty_strings_through_the_whole_pipeline(
    served: tuple[Engine, dict[str, int]],
) -> None:
    engine, counts = served
    summary = await run_refresh(engine, SETTINGS)  # the dashboard's `r`: real extractor
    assert (summary.ok, summary.failed) == (len(counts), 0), summary.describe()
    with session(engine) as db:
        for url, entries in counts.items():
            stored = db.exec(
                select(func.count()).select_from(ArticleSource).where(ArticleSource.source == url)
            ).one()
            assert stored == entries, url  # every entry stored (equal strings share an article)
        assert not db.exec(select(Article).where(col(Article.extraction_error) != "")).first()
    titles = stored_titles(engine)
    assert_clean(titles.values())  # so each is shown exactly as stored
    app = make_app(engine=engine, settings=SETTINGS, load_bundled_seeds=False, live_reload=0)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        markup_like = {t: i for i, t in sorted(titles.items(), reverse=True) if "[" in t}
        chosen = sorted(markup_like.values())[:8]
        assert len(chosen) == 8
        for article_id in chosen:
            screen = ArticleScreen(article_id)
            await app.push_screen(screen)
            await wait_for(pilot, lambda: screen.detail is not None)  # noqa: B023
            await pilot.pause()
            head = titles[article_id][:60]
            assert head in screen_text(app), (article_id, head)
            assert_inert(app)
            app.pop_screen()

        await pilot.press("f")
        await settle(app, pilot)
        assert isinstance(app.screen, FeedsScreen)
        table = app.screen.query_one(RecordTable)
        with session(engine) as db:
            names = {str(f.id): f.title for f in db.exec(select(Feed))}
        assert_clean(names.values())
        assert {k: table.cell_text(k, "feed") for k in table.keys} == names
        assert_inert(app)
        await pilot.press("escape")
        await settle(app, pilot)

        await pilot.resize_terminal(200, 100)
        await check_dashboard(app, pilot, engine, titles)  # deletes the articles as it goes
        assert app.is_running
