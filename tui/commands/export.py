"""``aiwatch export``: JSON, CSV or a Markdown brief of what is stored."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from store.db import StoreError, describe_db_error, session
from store.export import EXPORT_FORMATS, export_document, to_csv, to_json, to_markdown
from store.read_models import Filter
from tui.commands.common import USER_ERRORS, fail, open_engine, say


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``export``."""
    parser = subparsers.add_parser(
        "export", help="export articles, partnerships, products and cases"
    )
    parser.add_argument("--format", choices=EXPORT_FORMATS, default="json")
    parser.add_argument(
        "--output", "-o", type=Path, help="file (json, md) or folder (csv); default: stdout"
    )
    parser.add_argument("--company", help="only what involves this company")
    parser.add_argument("--topic", help="only what articles with this topic support")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Write the export; CSV writes one file per record kind into ``--output``."""
    try:
        engine = open_engine(args)
        with session(engine) as db:
            document = export_document(db, Filter(company=args.company, topic=args.topic))
    except USER_ERRORS as exc:
        return fail(exc)
    except SQLAlchemyError as exc:
        return fail(StoreError(describe_db_error(exc)))
    try:
        if args.format == "csv":
            files = to_csv(document)
            if args.output is None:
                for name, text in files.items():
                    sys.stdout.write(f"# {name}\n{text}\n")
                return 0
            args.output.mkdir(parents=True, exist_ok=True)
            for name, text in files.items():
                (args.output / name).write_text(text, encoding="utf-8")
            say(f"Wrote {', '.join(files)} to {args.output}", err=True)
            return 0
        text = to_json(document) if args.format == "json" else to_markdown(document)
        if args.output is None:
            sys.stdout.write(text)
        else:
            args.output.write_text(text, encoding="utf-8")
    except OSError as exc:
        return fail(Exception(f"cannot write {args.output}: {exc.strerror or exc}"))
    return 0
