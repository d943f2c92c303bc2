"""``aiwatch refresh``: refresh every due feed headless (cron, systemd timers)."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
import sys
from collections.abc import Coroutine
from datetime import UTC, datetime
from typing import Any, TextIO

from aiwatch.feeds.parse.sanitize import clean_line
from aiwatch.store.errors import StoreError
from aiwatch.store.refresh_state import NoSuchFeed
from aiwatch.store.refresh_store import RefreshStore
from aiwatch.tui.commands.common import fail, say
from aiwatch.tui.config import ConfigError, Settings, database_for, load_settings
from aiwatch.tui.jobs import RefreshProgress, RefreshSummary, run_refresh

BAR_WIDTH = 24


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``refresh``."""
    parser = subparsers.add_parser("refresh", help="refresh feeds now (for cron)")
    parser.add_argument("--json", action="store_true", help="print a JSON summary on stdout")
    parser.add_argument(
        "--progress",
        action="store_true",
        help="print a line per feed as it is stored, also when stderr is not a terminal",
    )
    parser.add_argument(
        "--feed",
        type=int,
        action="append",
        metavar="ID",
        help="refresh only this feed (repeatable; ignores back-off and disabled)",
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="also refresh feeds that are backing off after errors",
    )
    parser.set_defaults(func=run)


class Progress:
    """Refresh progress on stderr: a one-line bar on a terminal.

    Elsewhere (cron) nothing, unless ``lines`` asks for a plain line per feed.
    """

    def __init__(self, stream: TextIO, *, lines: bool = False) -> None:
        self.stream = stream
        self.tty = stream.isatty()
        self.lines = lines
        self.last: RefreshProgress | None = None  # shown on the terminal's bar
        self.seen: RefreshProgress | None = None

    def __call__(self, p: RefreshProgress) -> None:
        self.last = self.seen = p
        url = clean_line(p.current_url, limit=50)
        if self.tty:
            filled = BAR_WIDTH * p.done // max(p.total, 1)
            bar = "█" * filled + "·" * (BAR_WIDTH - filled)
            errors = f" {p.errors} failed" if p.errors else ""
            line = f"\r[{bar}] {p.done}/{p.total}{errors} {p.new_articles} new  {url}"
            self.stream.write(line[:120].ljust(120))
        elif self.lines:
            self.stream.write(f"{p.done}/{p.total} {url}\n")
        self.stream.flush()

    def close(self) -> None:
        """End the bar's line."""
        if self.tty and self.last is not None:
            self.stream.write("\r" + " " * 120 + "\r")
            self.stream.flush()
            self.last = None

    def describe_done(self) -> str:
        """What was stored before the refresh stopped: ``12 of 200 feeds, 340 new articles``."""
        p = self.last or self.seen
        if p is None:
            return "no feed was stored yet"
        return f"{p.done} of {p.total} feeds stored, {p.new_articles} new articles"


def run(args: argparse.Namespace) -> int:
    """Refresh, print one summary line (or JSON); non-zero when nothing could be refreshed.

    SIGTERM (``timeout``, systemd) and Ctrl+C end the refresh cleanly: feeds
    already stored stay stored, nothing is half-written, the parse workers
    stop, and the status is the signal's (143 or 130).
    """
    try:
        settings = load_settings(getattr(args, "config", None))
        url = database_for(getattr(args, "db", None), settings)
    except ConfigError as exc:
        return fail(exc)
    progress = Progress(sys.stderr, lines=args.progress)
    store = RefreshStore.for_url(url)
    started = datetime.now(UTC)
    try:
        summary = asyncio.run(
            _until_signalled(
                run_refresh(
                    store, settings, feed_ids=args.feed, force=args.force, on_progress=progress
                )
            )
        )
    except Interrupted as stop:
        progress.close()
        say(f"aiwatch: refresh stopped by {stop.name}: {progress.describe_done()}", err=True)
        return 128 + stop.signum
    except (StoreError, NoSuchFeed) as exc:
        return fail(exc)
    except ValueError as exc:
        if not _knowledge_base_error(exc):
            raise
        return fail(exc)
    else:
        if settings.notify.program and summary.new_articles:
            notify_watchers(store, settings, started)
    finally:
        progress.close()
        store.close()
    report(summary, as_json=args.json)
    return 1 if summary.nothing_refreshed else 0


def _knowledge_base_error(exc: BaseException) -> bool:
    """A broken ``[knowledge]`` file (`feeds.knowledge.base.KnowledgeBaseError`), without importing it first."""
    kb = sys.modules.get("aiwatch.feeds.knowledge.base")
    return kb is not None and isinstance(exc, kb.KnowledgeBaseError)


def notify_watchers(store: RefreshStore, settings: Settings, since: datetime) -> None:
    """Run ``[notify] program`` for each new event of what this user watches (cron's alerts)."""
    from aiwatch.store.db import session
    from aiwatch.store.watchlist import watch_events
    from aiwatch.tui.launch import run_notify

    user = settings.username
    with session(store.engine()) as db:
        events = [e.as_dict(user) for e in reversed(watch_events(db, user, since=since))]
    for problem in run_notify(settings.notify.program, events):
        say(f"aiwatch: {problem}", err=True)


class Interrupted(Exception):
    """The refresh was stopped by a signal."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum
        self.name = signal.Signals(signum).name


async def _until_signalled(work: Coroutine[Any, Any, RefreshSummary]) -> RefreshSummary:
    """Run ``work``; SIGTERM or SIGINT cancel it (so it cleans up) and raise `Interrupted`."""
    task = asyncio.ensure_future(work)
    loop = asyncio.get_running_loop()
    received: list[int] = []

    def stop(signum: int) -> None:
        received.append(signum)
        task.cancel()

    handled = []
    for signum in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError, RuntimeError):  # no signals on Windows
            loop.add_signal_handler(signum, stop, signum)
            handled.append(signum)
    try:
        return await task
    except asyncio.CancelledError:
        if received:
            raise Interrupted(received[0]) from None
        raise
    finally:
        for signum in handled:
            loop.remove_signal_handler(signum)


def report(summary: RefreshSummary, *, as_json: bool) -> None:
    """Print the failures (stderr) and the summary line or JSON document (stdout)."""
    if as_json:
        import json

        sys.stdout.write(json.dumps(summary.as_dict(), indent=2, ensure_ascii=True) + "\n")
        return
    for feed in summary.feeds:
        if feed.error:
            say(f"failed: {clean_line(feed.url, limit=120)}: {feed.error}", err=True)
        if feed.failed_extractions:
            say(
                f"not extracted: {clean_line(feed.url, limit=120)}: {feed.failed_extractions}"
                " article(s) (an extractor error, shown on each article)",
                err=True,
            )
    say(summary.describe())
