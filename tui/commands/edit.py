"""``aiwatch edit``: correct a partnership, product or case by hand."""

from __future__ import annotations

import argparse

from sqlalchemy.exc import SQLAlchemyError

from store.db import StoreError, describe_db_error, session
from store.edits import EDITABLE, EditError, apply_edit
from tui.commands.common import USER_ERRORS, fail, open_engine, say


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``edit KIND ID FIELD=VALUE...``."""
    fields = "; ".join(
        f"{kind}: {', '.join(f.name for f in spec[1])}" for kind, spec in EDITABLE.items()
    )
    parser = subparsers.add_parser(
        "edit",
        help="correct a record by hand (kept across reextract)",
        description=f"Editable fields — {fields}.",
    )
    parser.add_argument("kind", choices=tuple(EDITABLE))
    parser.add_argument("id", type=int)
    parser.add_argument("changes", nargs="+", metavar="FIELD=VALUE")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Apply the edit in one transaction."""
    changes = {}
    for change in args.changes:
        name, sep, value = change.partition("=")
        if not sep:
            return fail(EditError(f"expected FIELD=VALUE, got {change!r}"))
        changes[name.strip()] = value.strip()
    try:
        with session(open_engine(args)) as db:
            apply_edit(db, args.kind, args.id, changes)
            db.commit()
    except (EditError, *USER_ERRORS) as exc:
        return fail(exc)
    except SQLAlchemyError as exc:
        return fail(StoreError(describe_db_error(exc)))
    say(f"Updated {args.kind} {args.id}: " + ", ".join(f"{k}={v}" for k, v in changes.items()))
    return 0
