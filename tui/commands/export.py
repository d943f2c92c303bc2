"""``aiwatch export``: JSON, CSV or a Markdown brief of what is stored."""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from aiwatch.store.db import StoreError, describe_db_error, session
from aiwatch.store.export import EXPORT_FORMATS, export_document, to_csv, to_json, to_markdown
from aiwatch.store.lookup import close_names, resolve_company, resolve_topic
from aiwatch.store.read_models import Filter
from aiwatch.store.search_query import QueryError, query_text, with_query
from aiwatch.tui.commands.common import USER_ERRORS, fail, open_engine, say


class NoMatch(Exception):
    """A ``--company`` or ``--topic`` that names nothing stored."""


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``export``."""
    parser = subparsers.add_parser(
        "export", help="export articles, partnerships, products and cases"
    )
    parser.add_argument("--format", choices=EXPORT_FORMATS, default="json")
    parser.add_argument(
        "--output", "-o", type=Path, help="file (json, md) or folder (csv); default: stdout"
    )
    parser.add_argument("--company", help="only what involves this company (any case, or an alias)")
    parser.add_argument("--topic", help="only what articles with this topic support (any case)")
    parser.add_argument(
        "--query",
        metavar="QUERY",
        help="only what matching articles support: the dashboard's / search language "
        "(e.g. 'company:Meta topic:litigation after:2025-06-01 \"fair use\"')",
    )
    parser.set_defaults(func=run)


def _resolve(db: Session, kind: str, typed: str | None) -> str | None:
    """The stored name ``typed`` means; `NoMatch` (with suggestions) when there is none."""
    if typed is None:
        return None
    found = resolve_company(db, typed) if kind == "company" else resolve_topic(db, typed)
    if found is None:
        close = close_names(db, kind, typed)
        hint = f" (did you mean {' or '.join(repr(c) for c in close)}?)" if close else ""
        raise NoMatch(f"no {kind} matches {typed!r}{hint}")
    return found


def run(args: argparse.Namespace) -> int:
    """Write the export; CSV writes one file per record kind into ``--output``.

    ``--company`` and ``--topic`` match stored names in any case; one that matches
    nothing is an error (exit 1), and a filter that leaves nothing is said on stderr.
    """
    try:
        engine = open_engine(args)
        with session(engine) as db:
            filt = with_query(Filter(), args.query) if args.query else Filter()
            filt = replace(
                filt,
                company=_resolve(db, "company", args.company or filt.company),
                topic=_resolve(db, "topic", args.topic or filt.topic),
            )
            document = export_document(db, filt)
    except QueryError as exc:
        say(f"aiwatch: cannot read --query: {exc}", err=True)
        return 2
    except NoMatch as exc:
        say(f"aiwatch: {exc}", err=True)
        return 1
    except USER_ERRORS as exc:
        return fail(exc)
    except SQLAlchemyError as exc:
        return fail(StoreError(describe_db_error(exc)))
    if filt.active and not any(document.values()):
        say(f"aiwatch: nothing matches {_describe(filt)}; the export is empty.", err=True)
    try:
        if args.format == "csv":
            files = to_csv(document)
            if args.output is None:
                for name, text in files.items():
                    sys.stdout.write(f"# {name}\n{text}\n")
                sys.stdout.flush()
                return 0
            args.output.mkdir(parents=True, exist_ok=True)
            for name, text in files.items():
                (args.output / name).write_text(text, encoding="utf-8")
            say(f"Wrote {', '.join(files)} to {args.output}", err=True)
            return 0
        text = to_json(document) if args.format == "json" else to_markdown(document, filt=filt)
        if args.output is None:
            sys.stdout.write(text)
            sys.stdout.flush()  # a closed pipe is noticed here, not at exit
        else:
            args.output.write_text(text, encoding="utf-8")
    except BrokenPipeError:
        raise  # the reader closed the pipe: `tui.cli.main` ends quietly
    except OSError as exc:
        return fail(Exception(f"cannot write {args.output}: {exc.strerror or exc}"))
    return 0


def _describe(filt: Filter) -> str:
    parts = [
        f"company {filt.company!r}" if filt.company else "",
        f"topic {filt.topic!r}" if filt.topic else "",
        f"the search {query_text(replace(filt, company=None, topic=None))!r}"
        if filt.text or filt.after or filt.before
        else "",
    ]
    return " and ".join(p for p in parts if p)
