"""`store.bulk.in_list` passes a whole list as one parameter: it must match exactly what ``IN`` does."""

from __future__ import annotations

from sqlalchemy.engine import Engine

from aiwatch.store.bulk import add_rows, delete_in, select_in
from aiwatch.store.db import session
from aiwatch.store.models import Company, table_of

COMPANIES = table_of(Company)
NAMES = [
    "OpenAI",
    "openai",  # a different name: the match is exact, not case-insensitive
    "Société Générale",
    'Quote "Labs"',
    "O'Brien & Co",
    "[1, 2]",
    "emoji 🎉",
    "  padded  ",
    *(f"company {n}" for n in range(700)),  # more than one old 500-value chunk
]


def test_select_in_finds_exactly_the_listed_values(engine: Engine) -> None:
    with session(engine) as db:
        add_rows(
            db,
            Company,
            [{"name": name, "kind": "", "verified": True, "found_by": ""} for name in NAMES],
        )
        wanted = [*NAMES[::2], "absent", "OPENAI", "emoji"]
        found = select_in(db, COMPANIES, "name", wanted, "name")
        assert sorted(name for (name,) in found) == sorted(NAMES[::2])
        ids = [row_id for (row_id,) in select_in(db, COMPANIES, "name", NAMES, "id")]
        by_id = select_in(db, COMPANIES, "id", [*ids[:600], -1], "name")
        assert len(by_id) == 600
        assert select_in(db, COMPANIES, "name", [], "name") == []


def test_delete_in_deletes_only_the_listed_rows(engine: Engine) -> None:
    with session(engine) as db:
        add_rows(
            db,
            Company,
            [{"name": name, "kind": "", "verified": True, "found_by": ""} for name in NAMES],
        )
        delete_in(db, COMPANIES, "name", NAMES[1:])
        delete_in(db, COMPANIES, "name", [])
        left = select_in(db, COMPANIES, "name", NAMES, "name")
        assert [name for (name,) in left] == ["OpenAI"]


def test_a_nul_character_is_matched_exactly_on_sqlite(sqlite_engine: Engine) -> None:
    """SQLite's JSON functions cut a string at NUL: such a list is bound value by value."""
    names = ["nul", "nul\x00byte", "nul\x00other", "plain"]
    with session(sqlite_engine) as db:
        add_rows(
            db,
            Company,
            [{"name": name, "kind": "", "verified": True, "found_by": ""} for name in names],
        )
        found = select_in(db, COMPANIES, "name", ["nul\x00byte", "plain"], "name")
        assert sorted(name for (name,) in found) == ["nul\x00byte", "plain"]
        delete_in(db, COMPANIES, "name", ["nul\x00other"])
        left = select_in(db, COMPANIES, "name", names, "name")
        assert sorted(name for (name,) in left) == ["nul", "nul\x00byte", "plain"]
