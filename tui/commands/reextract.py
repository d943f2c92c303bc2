"""``aiwatch reextract``: re-run extraction over every stored article."""

from __future__ import annotations

import argparse

from sqlalchemy.exc import SQLAlchemyError

from store.db import StoreError, describe_db_error, session
from store.reextract import finish_reextract, replace_extractions, stored_records
from tui.commands.common import USER_ERRORS, fail, open_engine, open_knowledge_base, say


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``reextract``."""
    parser = subparsers.add_parser(
        "reextract",
        help="re-run extraction on every article (after the knowledge base or rules change)",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Re-extract in one transaction; articles whose extraction fails are marked, not skipped."""
    from feeds.extract import extract_article  # the rules load only when this command runs

    done = failed = 0
    try:
        kb = open_knowledge_base(args)
        engine = open_engine(args)
        with session(engine) as db:
            for batch in stored_records(db):
                rederived = []
                for article_id, record in batch:
                    try:
                        extraction, error = extract_article(record, kb), ""
                    except Exception as exc:  # noqa: BLE001 - marked on the article, retried next time
                        extraction, error = None, f"{type(exc).__name__}: {exc}"
                        failed += 1
                    rederived.append((article_id, extraction, error))
                replace_extractions(db, rederived)
                done += len(rederived)
            removed = finish_reextract(db)
            db.commit()
    except USER_ERRORS as exc:
        return fail(exc)
    except SQLAlchemyError as exc:
        return fail(StoreError(describe_db_error(exc)))
    say(f"Re-extracted {done} article(s): {failed} failed, {removed} unsupported record(s) removed")
    return 1 if failed and failed == done else 0
