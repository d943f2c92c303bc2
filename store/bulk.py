"""Multi-row statements that skip the ORM: what makes storing a feed's batch cheap.

A batch of a few hundred rows costs more in the ORM's unit of work than in the
database; these helpers send each table's rows as one ``executemany``.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from typing import Any, TypeVar

from sqlalchemy import bindparam, insert, select
from sqlmodel import Session, SQLModel

from store.models import table_of

CHUNK = 500
"""Values per ``IN (...)`` list, well under every backend's parameter limit."""
_T = TypeVar("_T")


def chunks(values: Collection[_T]) -> Iterator[list[_T]]:
    """``values`` in lists of at most `CHUNK`."""
    items = list(values)
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


def insert_rows(
    session: Session, model: type[SQLModel], rows: list[dict[str, Any]], *, unique: str
) -> dict[Any, int]:
    """``INSERT`` many rows in one executemany; returns their ids by the ``unique`` column.

    ``INSERT … RETURNING`` would do, but SQLite cannot promise the order of the
    returned rows, so SQLAlchemy falls back to one statement per row: reading
    the ids back by a unique column is one query instead.
    """
    table = table_of(model)
    session.execute(insert(table), rows)
    ids: dict[Any, int] = {}
    for chunk in chunks({row[unique] for row in rows}):
        query = select(table.c.id, table.c[unique]).where(table.c[unique].in_(chunk))
        ids.update((key, row_id) for row_id, key in session.execute(query))
    return ids


def update_rows(session: Session, model: type[SQLModel], rows: list[dict[str, Any]]) -> None:
    """``UPDATE`` many rows by their ``id`` key in one executemany.

    (The ORM's bulk update runs one statement per row on SQLite, to check row counts.)
    """
    table = table_of(model)
    statement = table.update().where(table.c.id == bindparam("row_id"))
    params = [{"row_id": row["id"], **{k: v for k, v in row.items() if k != "id"}} for row in rows]
    session.execute(statement, params)


def add_rows(session: Session, model: type[SQLModel], rows: list[dict[str, Any]]) -> None:
    """``INSERT`` many rows whose ids nobody needs back."""
    if rows:
        session.execute(insert(table_of(model)), rows)
