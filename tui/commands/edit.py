"""``aiwatch edit``: correct a record by hand — set fields, rename, merge, delete, confirm."""

from __future__ import annotations

import argparse

from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from aiwatch.store.corrections import (
    RECORD_TYPES,
    CorrectionError,
    confirm,
    delete_record,
    merge,
    rename,
)
from aiwatch.store.db import StoreError, describe_db_error, session
from aiwatch.store.edits import EDITABLE, EditError, apply_edit
from aiwatch.tui.commands.common import USER_ERRORS, fail, open_engine, say

VERBS = ("rename", "merge-into", "delete", "confirm")
USAGE = """\
  aiwatch edit KIND ID FIELD=VALUE ...     set fields (kept across reextract)
  aiwatch edit KIND ID rename NEW NAME     rename a company, product or case
  aiwatch edit KIND ID merge-into OTHER    fold record ID into record OTHER (OTHER survives)
  aiwatch edit KIND ID delete              delete it; it stays deleted across reextract and refreshes
  aiwatch edit KIND ID confirm             mark a discovered company or product verified
"""


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``edit KIND ID (FIELD=VALUE... | rename NAME | merge-into ID | delete | confirm)``."""
    fields = "; ".join(
        f"{kind}: {', '.join(f.name for f in spec[1])}" for kind, spec in EDITABLE.items()
    )
    parser = subparsers.add_parser(
        "edit",
        help="correct a record by hand: fields, rename, merge-into, delete, confirm",
        description=f"{USAGE}\nEditable fields — {fields}. Record ids are shown on each "
        "record's screen in the dashboard (and in `aiwatch export`).",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("kind", choices=RECORD_TYPES)
    parser.add_argument("id", type=int)
    parser.add_argument("changes", nargs="+", metavar="FIELD=VALUE|VERB")
    parser.set_defaults(func=run)


def _correct(db: Session, kind: str, record_id: int, verb: str, rest: list[str]) -> str:
    """Carry out one verb; returns the line to print."""
    if verb == "rename":
        if not rest:
            raise CorrectionError("rename needs the new name: aiwatch edit KIND ID rename NAME")
        new = " ".join(rest)
        old = rename(db, kind, record_id, new)
        return f"Renamed {kind} {record_id}: {old} → {new.strip()}"
    if verb == "merge-into":
        if len(rest) != 1 or not rest[0].isdigit():
            raise CorrectionError(
                "merge-into needs one record id: aiwatch edit KIND ID merge-into OTHER"
            )
        moved = merge(db, kind, record_id, int(rest[0]))
        return f"Merged {kind} {record_id} into {rest[0]} ({moved} mention(s) moved)"
    if rest:
        raise CorrectionError(f"{verb} takes no value, got {' '.join(rest)!r}")
    if verb == "delete":
        name = delete_record(db, kind, record_id)
        return f"Deleted {kind} {record_id} ({name}); it stays deleted across reextract"
    return f"Confirmed {kind} {record_id} ({confirm(db, kind, record_id)}) as verified"


def run(args: argparse.Namespace) -> int:
    """Apply the edit or correction in one transaction."""
    verb, rest = args.changes[0], args.changes[1:]
    changes = {}
    if verb not in VERBS:
        if args.kind not in EDITABLE:
            return fail(
                EditError(f"a {args.kind} has no editable fields; use one of {', '.join(VERBS)}")
            )
        for change in args.changes:
            name, sep, value = change.partition("=")
            if not sep:
                return fail(
                    EditError(f"expected FIELD=VALUE or one of {', '.join(VERBS)}, got {change!r}")
                )
            changes[name.strip()] = value.strip()
    try:
        with session(open_engine(args)) as db:
            if verb in VERBS:
                line = _correct(db, args.kind, args.id, verb, rest)
            else:
                apply_edit(db, args.kind, args.id, changes)
                line = f"Updated {args.kind} {args.id}: " + ", ".join(
                    f"{k}={v}" for k, v in changes.items()
                )
            db.commit()
    except (EditError, CorrectionError, *USER_ERRORS) as exc:
        return fail(exc)
    except SQLAlchemyError as exc:
        return fail(StoreError(describe_db_error(exc)))
    say(line)
    return 0
