"""``aiwatch feeds add|list|publisher|remove|enable|disable|import|export|defaults``."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from aiwatch.feeds.parse.sanitize import clean_line
from aiwatch.feeds.sources.opml import (
    OpmlError,
    OpmlImport,
    default_feeds,
    read_opml_file,
    write_opml,
)
from aiwatch.store.db import StoreError, describe_db_error, make_engine, session
from aiwatch.store.feed_repo import (
    FeedError,
    add_feed,
    export_feeds,
    import_feeds,
    list_feed_health,
    remove_feed,
    set_feed_enabled,
    set_feed_publisher,
)
from aiwatch.tui.commands.common import USER_ERRORS, fail, open_knowledge_base, say
from aiwatch.tui.config import ConfigError, database_for, load_settings
from aiwatch.tui.reextraction import feed_article_ids, reextract_articles


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``feeds`` and its actions."""
    feeds = subparsers.add_parser("feeds", help="manage feed subscriptions")
    actions = feeds.add_subparsers(dest="feeds_command", metavar="ACTION", required=True)
    add = actions.add_parser("add", help="subscribe to an RSS/Atom feed")
    add.add_argument("url")
    add.add_argument("--title", default="")
    add.add_argument("--category", default="")
    add.add_argument(
        "--publisher",
        default="",
        metavar="NAME",
        help='the organisation the feed speaks for ("we"); default: detected from its title and site',
    )
    add.set_defaults(func=run_add)
    publisher = actions.add_parser(
        "publisher",
        help="set (or, with an empty NAME, clear) the organisation a feed speaks for; "
        "its stored articles are read again",
    )
    publisher.add_argument("feed", metavar="URL|ID")
    publisher.add_argument("name", metavar="NAME", help='"" to detect it again')
    publisher.set_defaults(func=run_publisher)
    listing = actions.add_parser("list", help="feeds with status, last fetch, articles, last error")
    listing.add_argument("--json", action="store_true", help="machine-readable output")
    listing.set_defaults(func=run_list)
    for name, helptext, func in (
        ("remove", "unsubscribe (stored articles stay)", run_remove),
        ("enable", "enable a feed and clear its back-off", run_enable),
        ("disable", "stop refreshing a feed", run_disable),
    ):
        action = actions.add_parser(name, help=helptext)
        action.add_argument("feed", metavar="URL|ID")
        action.set_defaults(func=func)
    imp = actions.add_parser("import", help="subscribe to every feed of an OPML file")
    imp.add_argument("file", type=Path)
    imp.set_defaults(func=run_import)
    exp = actions.add_parser("export", help="write the subscriptions as OPML 2.0")
    exp.add_argument("file", nargs="?", type=Path, help="output file (default: stdout)")
    exp.set_defaults(func=run_export)
    defaults = actions.add_parser("defaults", help="subscribe to the curated AI-news feeds")
    defaults.set_defaults(func=run_defaults)


def open_store(args: argparse.Namespace) -> Engine:
    """The engine for ``--db`` / ``AIWATCH_DB`` / the config's ``database`` / the default."""
    settings = load_settings(getattr(args, "config", None))
    return make_engine(database_for(getattr(args, "db", None), settings))


def _with_session(args: argparse.Namespace, work: Callable[[Session], int]) -> int:
    try:
        engine = open_store(args)
        with session(engine) as db:
            return work(db)
    except FeedError as exc:
        say(f"aiwatch: {exc}", err=True)
        return 1
    except (StoreError, ConfigError, OpmlError) as exc:
        return fail(exc)
    except SQLAlchemyError as exc:
        return fail(StoreError(describe_db_error(exc)))


def run_add(args: argparse.Namespace) -> int:
    """Subscribe to one feed."""

    def work(db: Session) -> int:
        feed = add_feed(
            db, args.url, title=args.title, category=args.category, publisher=args.publisher
        )
        db.commit()
        speaks = f"; it speaks for {feed.publisher}" if feed.publisher else ""
        say(f"Subscribed to {feed.url} (feed #{feed.id}){speaks}.")
        return 0

    return _with_session(args, work)


def run_publisher(args: argparse.Namespace) -> int:
    """Say which organisation a feed speaks for, then read its stored articles again."""
    try:
        kb = open_knowledge_base(args)  # before changing anything: it must load
        engine = open_store(args)
        with session(engine) as db:
            feed = set_feed_publisher(db, args.feed, args.name)
            db.commit()
        assert feed.id is not None
        speaks = feed.publisher or "the publisher detected from its title and site"
        say(f"Feed #{feed.id} ({feed.title or feed.url}) speaks for {speaks}.")
        report = reextract_articles(engine, kb, article_ids=feed_article_ids(engine, feed.id))
    except FeedError as exc:
        say(f"aiwatch: {exc}", err=True)
        return 1
    except USER_ERRORS as exc:
        return fail(exc)
    except SQLAlchemyError as exc:
        return fail(StoreError(describe_db_error(exc)))
    say(report.describe())
    return 0


def _row(ident: object, status: str, checked: str, articles: object, name: str) -> None:
    """One aligned line; every field is sanitised, only the padding is ours."""
    cells = [clean_line(str(v), limit=w) for v, w in ((ident, 6), (status, 9), (checked, 16))]
    name = clean_line(name, limit=80)
    sys.stdout.write(
        f"{cells[0]:>4}  {cells[1]:<9}  {cells[2]:<16}  {clean_line(str(articles)):>5}  {name}\n"
    )


def _detail(text: str) -> None:
    sys.stdout.write(" " * 42 + clean_line(text, limit=200) + "\n")


def _when(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else "never"


def run_list(args: argparse.Namespace) -> int:
    """Print every feed's health."""

    def work(db: Session) -> int:
        rows = list_feed_health(db)
        if args.json:
            out = [
                {
                    "id": r.id,
                    "url": r.url,
                    "title": r.title,
                    "category": r.category,
                    "enabled": r.enabled,
                    "status": r.status,
                    "last_checked": r.last_checked.isoformat() if r.last_checked else None,
                    "last_ok": r.last_ok.isoformat() if r.last_ok else None,
                    "http_status": r.http_status,
                    "error": r.error,
                    "warning": r.warning,
                    "error_count": r.error_count,
                    "articles": r.articles,
                    "publisher": r.publisher,
                    "detected_publisher": r.detected_publisher,
                }
                for r in rows
            ]
            sys.stdout.write(json.dumps(out, indent=2, ensure_ascii=True) + "\n")
            return 0
        if not rows:
            say("No feeds yet: `aiwatch feeds add URL` or `aiwatch feeds defaults`.")
            return 0
        _row("ID", "STATUS", "LAST CHECKED", "ARTS", "FEED")
        for r in rows:
            status = r.status if r.enabled else ("gone" if r.status == "gone" else "disabled")
            _row(r.id, status, _when(r.last_checked), r.articles, r.title or r.url)
            if r.title:
                _detail(r.url)
            if r.publisher:
                _detail(f"publisher: {r.publisher}")
            elif r.detected_publisher:
                _detail(f"publisher: {r.detected_publisher} (detected)")
            if r.error:
                _detail(f"error: {r.error}")
            elif r.warning:
                _detail(f"warning: {r.warning}")
        return 0

    return _with_session(args, work)


def _change(args: argparse.Namespace, verb: str, enabled: bool | None) -> int:
    def work(db: Session) -> int:
        if enabled is None:
            feed = remove_feed(db, args.feed)
        else:
            feed = set_feed_enabled(db, args.feed, enabled)
        db.commit()
        say(f"{verb} {feed.url} (feed #{feed.id}).")
        return 0

    return _with_session(args, work)


def run_remove(args: argparse.Namespace) -> int:
    """Unsubscribe by URL or id."""
    return _change(args, "Removed", None)


def run_enable(args: argparse.Namespace) -> int:
    """Enable a feed."""
    return _change(args, "Enabled", True)


def run_disable(args: argparse.Namespace) -> int:
    """Disable a feed."""
    return _change(args, "Disabled", False)


def _subscribe(args: argparse.Namespace, source: Callable[[], OpmlImport]) -> int:
    def work(db: Session) -> int:
        listing = source()
        added, skipped = import_feeds(db, listing.feeds)
        db.commit()
        for refused in listing.refused:
            shown = clean_line(refused.url or refused.title or "(no URL)", limit=100)
            say(f"refused: {shown}: {refused.reason}", err=True)
        duplicates = f", {listing.duplicates} repeated" if listing.duplicates else ""
        say(
            f"Subscribed to {len(added)} feed{'s' if len(added) != 1 else ''}"
            f" ({len(skipped)} already subscribed, {len(listing.refused)} refused{duplicates})."
        )
        if listing.repairs:
            touched = listing.repaired_outlines
            say(
                f"The file was not well-formed; repaired {', '.join(listing.repairs)}"
                + (f" in {touched} outline{'s' if touched != 1 else ''}" if touched else "")
                + "."
            )
        return 0

    return _with_session(args, work)


def run_import(args: argparse.Namespace) -> int:
    """Subscribe to the feeds of an OPML file."""
    return _subscribe(args, lambda: read_opml_file(args.file))


def run_defaults(args: argparse.Namespace) -> int:
    """Subscribe to the curated default feeds."""
    return _subscribe(args, default_feeds)


def run_export(args: argparse.Namespace) -> int:
    """Write OPML to a file or stdout."""

    def work(db: Session) -> int:
        document = write_opml(export_feeds(db))
        if args.file is None:
            sys.stdout.write(document)
            return 0
        try:
            args.file.write_text(document, encoding="utf-8")
        except OSError as exc:
            say(f"aiwatch: cannot write {args.file}: {exc.strerror or exc}", err=True)
            return 1
        say(f"Wrote {args.file}.")
        return 0

    return _with_session(args, work)
