"""``aiwatch refresh``: refresh every due feed headless (cron, systemd timers)."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from typing import TextIO

from sqlalchemy.exc import SQLAlchemyError

from feeds.sanitize import clean_line
from store.db import StoreError, describe_db_error, make_engine
from tui.commands.common import fail, say
from tui.config import ConfigError, database_for, load_settings
from tui.jobs import RefreshProgress, RefreshSummary, run_refresh

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
    parser.set_defaults(func=run)


class Progress:
    """Refresh progress on stderr: a one-line bar on a terminal.

    Elsewhere (cron) nothing, unless ``lines`` asks for a plain line per feed.
    """

    def __init__(self, stream: TextIO, *, lines: bool = False) -> None:
        self.stream = stream
        self.tty = stream.isatty()
        self.lines = lines

    def __call__(self, p: RefreshProgress) -> None:
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
        if self.tty:
            self.stream.write("\r" + " " * 120 + "\r")
            self.stream.flush()


def run(args: argparse.Namespace) -> int:
    """Refresh, print one summary line (or JSON); non-zero when nothing could be refreshed."""
    try:
        settings = load_settings(getattr(args, "config", None))
        engine = make_engine(database_for(getattr(args, "db", None), settings))
    except (ConfigError, StoreError) as exc:
        return fail(exc)
    progress = Progress(sys.stderr, lines=args.progress)
    try:
        summary = asyncio.run(
            run_refresh(engine, settings, feed_ids=args.feed, on_progress=progress)
        )
    except StoreError as exc:
        return fail(exc)
    except SQLAlchemyError as exc:  # reading the feeds failed: one line, not a traceback
        return fail(StoreError(describe_db_error(exc, engine)))
    finally:
        progress.close()
        engine.dispose()
    report(summary, as_json=args.json)
    return 1 if summary.nothing_refreshed else 0


def report(summary: RefreshSummary, *, as_json: bool) -> None:
    """Print the failures (stderr) and the summary line or JSON document (stdout)."""
    if as_json:
        sys.stdout.write(json.dumps(summary.as_dict(), indent=2, ensure_ascii=True) + "\n")
        return
    for feed in summary.feeds:
        if feed.error:
            say(f"failed: {clean_line(feed.url, limit=120)}: {feed.error}", err=True)
    say(summary.describe())
