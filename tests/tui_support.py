"""Deterministic data for the TUI tests, made the way the app makes it.

The articles go through the real pipeline: the bundled reference seed is parsed
by the seed parser, a second article is a feed item written as real news, and
both are extracted by the real extractor with the bundled knowledge base and
stored by `store.ingest.save_articles` and `store.stories.group_stories`, as
seeding and refreshing do. Only the dates are fixed (the seed has none; "now"
is pinned), so snapshots do not change from run to run.

What the extractor finds in the seed (DESIGN.md's reference article): one
partnership, Meta × Midjourney (announced); five products named in passing —
Sora, Veo 3, Midjourney Video and Llama "mentioned", MovieGen "hinted"; two
copyright cases, against Meta (ruling: fair use) and against Midjourney (filed).
The second article reports Axel Springer × OpenAI (licensing) and mentions ChatGPT.

This module also holds the pilot helpers every TUI test uses (`running`,
`settle`, `press`, `wait_for`, `cells`) and, in `_TextualPrivate`, the only reads
of Textual's private state in the tests.
"""

from __future__ import annotations

import asyncio
import io
from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import asynccontextmanager, suppress
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from rich.console import Console
from rich.segment import Segment
from sqlalchemy.engine import Engine
from textual.app import App
from textual.command import Command, CommandList, CommandPalette
from textual.notifications import Notification
from textual.pilot import Pilot
from textual.worker import WorkerFailed

from aiwatch.feeds.extract import extract_article
from aiwatch.feeds.knowledge.base import load_knowledge_base
from aiwatch.feeds.records import ArticleRecord, Section
from aiwatch.feeds.sources.seeds import bundled_seed_dir, load_seed_file
from aiwatch.store.db import session
from aiwatch.store.ingest import NewArticle, SavedArticle, save_articles
from aiwatch.store.stories import group_stories
from aiwatch.tui.app import AiwatchApp, make_app
from aiwatch.tui.widgets.record_table import RecordTable

SEED_DAY = datetime(2025, 6, 20, 9, 0, tzinfo=UTC)
OTHER_DAY = datetime(2025, 5, 12, 15, 30, tzinfo=UTC)
SEED_FILE = "000_54de52ff19631516.txt"
SEED_TITLE = "Meta Teams Up With Midjourney for Future Creative AI Models"
OTHER_TITLE = "OpenAI signs content licensing deal with Axel Springer"
OTHER_URL = "https://example.com/openai-axel-springer"
FEED = "https://example.com/feed.xml"
SIZE = (120, 40)
IDLE_WINDOW = 1 / 200  # seconds; Textual's default is 1/50 (see `_TextualPrivate`)


def seed_record() -> ArticleRecord:
    """The bundled reference seed, parsed by the real seed parser, with a fixed date."""
    record = load_seed_file(bundled_seed_dir() / SEED_FILE)
    return replace(record, published=SEED_DAY)


def news(
    key: str, title: str, text: str, *, published: datetime, author: str = "Jane Reporter"
) -> ArticleRecord:
    """A feed item as the feed parser records one: a link, a dek and the text as a section."""
    return ArticleRecord(
        source=FEED,
        entry_key=key,
        url=f"https://example.com/{key}",
        title=title,
        published=published,
        summary=text,
        sections=(Section("Summary", text),),
        author=author,
    )


def other_record() -> ArticleRecord:
    """A second, unrelated article so that filters have something to remove."""
    return news(
        "openai-axel-springer",
        OTHER_TITLE,
        "OpenAI and Axel Springer announced a licensing deal that brings the publisher's "
        "journalism into ChatGPT. The agreement covers Politico and Business Insider.",
        published=OTHER_DAY,
    )


def store(engine: Engine, records: Iterable[ArticleRecord], *, now: datetime) -> list[SavedArticle]:
    """Extract ``records`` with the real extractor and store them as seeding does."""
    kb = load_knowledge_base()
    items = [NewArticle(record, extract_article(record, kb)) for record in records]
    with session(engine) as db:
        saved = save_articles(db, items, now=now)
        group_stories(db)
        db.commit()
    return saved


def populate(engine: Engine, *, other: bool = True) -> None:
    """Store the seed (and, unless ``other`` is false, a second article), extracted."""
    store(engine, [seed_record()], now=SEED_DAY)
    if other:
        store(engine, [other_record()], now=OTHER_DAY)


@asynccontextmanager
async def running(
    engine: Engine, size: tuple[int, int] = SIZE, **kwargs: Any
) -> AsyncIterator[tuple[AiwatchApp, Pilot[None]]]:
    """The app over ``engine`` (no bundled seeds, no background reloads) with its first load done."""
    kwargs.setdefault("load_bundled_seeds", False)
    kwargs.setdefault("live_reload", 0)
    app = make_app(engine=engine, **kwargs)
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        yield app, pilot


async def settle(app: App[Any], pilot: Pilot[Any]) -> None:
    """Let workers finish and their messages be handled.

    A failed worker is not raised here: the app reports it itself, and the
    tests assert on that report.
    """
    for _ in range(5):  # until no worker is left running (each round lets results land)
        with suppress(WorkerFailed):
            await app.workers.wait_for_complete()
        await pilot.pause()
        if all(w.is_finished for w in app.workers):
            break


async def press(app: App[Any], pilot: Pilot[Any], *keys: str) -> None:
    """Press keys, then settle."""
    await pilot.press(*keys)
    await settle(app, pilot)


async def wait_for(
    pilot: Pilot[Any], predicate: Callable[[], object], *, timeout: float = 10, what: str = ""
) -> None:
    """Let the app run until ``predicate()`` is true; fail after ``timeout`` seconds.

    The timeout is a safety net for a broken app, not a measurement: the
    condition usually holds within a few frames.
    """
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        if loop.time() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what or predicate}")
        await pilot.pause(0.02)


async def palette_hits(app: AiwatchApp, pilot: Pilot[None], query: str) -> list[tuple[str, str]]:
    """Open the command palette, type ``query``, wait for its hits: [(text, help), …]."""
    await press(app, pilot, "ctrl+p")
    assert isinstance(app.screen, CommandPalette)
    await press(app, pilot, *query)
    hits = app.screen.query_one(CommandList)
    await wait_for(pilot, lambda: hits.option_count > 0, what=f"hits for {query!r}")
    await settle(app, pilot)
    found = [hits.get_option_at_index(n) for n in range(hits.option_count)]
    return [(str(o.hit.text), str(o.hit.help)) for o in found if isinstance(o, Command)]


async def choose(
    app: AiwatchApp, pilot: Pilot[None], hits: list[tuple[str, str]], wanted: tuple[str, str] | str
) -> None:
    """Move the palette's highlight (on the first hit) down to ``wanted`` — a (text, help)
    pair or a hit's text — and press Enter."""
    texts = [text for text, _help in hits]
    index = texts.index(wanted) if isinstance(wanted, str) else hits.index(wanted)
    await press(app, pilot, *["down"] * index)
    assert app.screen.query_one(CommandList).highlighted == index
    await press(app, pilot, "enter")


def cells(app: AiwatchApp, table_id: str, column: int = 0) -> list[str]:
    """The plain text of one column of a dashboard table, top to bottom (the mark column apart)."""
    table = app.dashboard.query_one(f"#{table_id}", RecordTable)
    columns = [k for k in table.spec_keys if k != "mark"]
    return [table.cell_text(key, columns[column]) for key in table.keys]


class _TextualPrivate:
    """The only reads (and the one write) of Textual's private state in the tests: Textual
    has no public API for the screen as text (`App.export_screenshot` renders the same
    update, as SVG), for the notifications on show, or for how long Pilot waits for an idle
    process. Pin these when Textual is upgraded."""

    @staticmethod
    def shorten_idle_window(seconds: float) -> None:
        """Pilot's key presses and pauses end with `textual._wait.wait_for_idle`: sleep for
        a window (1/50 s by default) until one passes in which the process used under a
        twentieth of it in CPU. Every press and pause lasts at least one window, two per
        key: most of the dashboard tests' time. What makes the tests deterministic is not
        that window but the waits around it: Pilot's own wait until the screen's widgets
        have handled every queued message, and `settle`'s wait for the workers."""
        import textual._wait

        textual._wait.SLEEP_GRANULARITY = seconds
        textual._wait.SLEEP_IDLE = seconds / 20

    @staticmethod
    def screen_update(app: App[Any]) -> Any:
        return app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)

    @staticmethod
    def notifications(app: App[Any]) -> list[Notification]:
        return list(app._notifications)


def segments(app: App[Any]) -> list[Segment]:
    """Every segment the current screen renders (what reaches the terminal)."""
    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), force_terminal=True)
    update = _TextualPrivate.screen_update(app)
    return list(console.render(update, console.options))


def screen_text(app: App[Any]) -> str:
    """The characters on screen right now (what a user would read), without styles."""
    width, height = app.size
    console = Console(
        width=width, height=height, file=io.StringIO(), force_terminal=True, record=True
    )
    console.print(_TextualPrivate.screen_update(app))
    return console.export_text(styles=False)


def notified(app: App[Any]) -> list[str]:
    """The messages of the notifications the app shows now."""
    return [notification.message for notification in _TextualPrivate.notifications(app)]


_TextualPrivate.shorten_idle_window(IDLE_WINDOW)  # for the session, once a TUI test is collected
