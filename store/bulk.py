"""Multi-row statements that skip the ORM: what makes storing a feed's batch cheap.

A batch of a few hundred rows costs more in SQLAlchemy than in the database:
the ORM's unit of work, and for an ``executemany`` Core's per-row parameter
handling. These helpers compile each statement once per dialect, convert each
row with the columns' own bind processors (so the stored values are exactly
what Core would store) and hand the rows to the driver's ``executemany``.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from functools import cache, lru_cache
from operator import itemgetter
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import (
    ARRAY,
    JSON,
    ColumnElement,
    Connection,
    Delete,
    Dialect,
    Row,
    Select,
    Table,
    any_,
    bindparam,
    delete,
    func,
    insert,
    select,
)
from sqlalchemy.sql.dml import ValuesBase
from sqlalchemy.types import TypeEngine
from sqlmodel import Session, SQLModel

from store.models import UTCDateTime, table_of

CHUNK = 500
"""Rows per batch for callers that page through a table (`store.reextract`)."""


def in_list(column: ColumnElement[Any], name: str, dialect: str) -> ColumnElement[bool]:
    """``column IN`` the list bound to ``name``, as one parameter however long the list.

    An expanding ``IN (…)`` renders one placeholder per value (on PostgreSQL each
    with a cast) at every execution, which costs more than running the query. One
    array parameter (PostgreSQL) or JSON one (SQLite's ``json_each``) keeps the SQL
    the same for every list: it is compiled once, and no list needs splitting to
    stay under a parameter limit.
    """
    if dialect == "postgresql":
        return column == any_(bindparam(name, type_=ARRAY(column.type)))
    values = func.json_each(bindparam(name, type_=JSON())).table_valued("value")
    return column.in_(select(values.c.value))


def select_in(
    session: Session, table: Table, column: str, values: Collection[Any], *names: str
) -> list[Row[*tuple[Any, ...]]]:
    """The ``names`` columns (default: all) of the rows whose ``column`` is in ``values``.

    One query, with a statement built once per dialect: a call costs SQLAlchemy
    a cache lookup instead of building and hashing a new query.
    """
    if not values:
        return []
    connection = session.connection()
    query = _select_in(table, column, names, connection.dialect.name)
    return list(connection.execute(query, {"values": list(values)}).all())


def delete_in(session: Session, table: Table, column: str, values: Collection[Any]) -> None:
    """``DELETE`` the rows whose ``column`` is in ``values``."""
    if values:
        connection = session.connection()
        statement = _delete_in(table, column, connection.dialect.name)
        connection.execute(statement, {"values": list(values)})


@cache
def _select_in(table: Table, column: str, names: tuple[str, ...], dialect: str) -> Select[Any]:
    columns = [table.c[name] for name in names] if names else [table]
    return select(*columns).where(in_list(table.c[column], "values", dialect))


@cache
def _delete_in(table: Table, column: str, dialect: str) -> Delete:
    return delete(table).where(in_list(table.c[column], "values", dialect))


@dataclass(frozen=True, slots=True)
class _DriverStatement:
    """An INSERT or UPDATE compiled once for a dialect, and how to bind a row to it.

    Each value goes through its column type's bind processor, as Core's own
    ``executemany`` would do (UTC datetimes, JSON, booleans), but without
    Core's per-row bookkeeping.
    """

    sql: str
    keys: tuple[str, ...]  # the row key behind each parameter, in the statement's order
    names: tuple[str, ...]  # the parameters' names, for a driver with named parameters
    processors: tuple[Callable[[Any], Any] | None, ...]
    positional: bool

    @classmethod
    def compile(
        cls, statement: ValuesBase, dialect: Dialect, columns: tuple[str, ...]
    ) -> _DriverStatement:
        # for_executemany: no RETURNING of the new id, as Core's own executemany
        compiled = statement.compile(
            dialect=dialect, column_keys=list(columns), for_executemany=True
        )
        names = tuple(compiled.positiontup or compiled.binds)
        defaulted = set(names) - {*columns, "row_id"}
        if defaulted:  # Core would fill in their defaults for every row; we do not
            raise ValueError(f"rows must give every column; missing {sorted(defaulted)}")
        binds = [compiled.binds[name] for name in names]
        return cls(
            sql=compiled.string,
            keys=tuple("id" if name == "row_id" else name for name in names),
            names=names,
            processors=tuple(_bind_processor(b.type, dialect) for b in binds),
            positional=compiled.positional,
        )

    def execute(self, connection: Connection, rows: list[dict[str, Any]]) -> None:
        """Run the statement for every row, as one ``executemany``."""
        params: list[Any]
        if self.positional and len(self.keys) > 1 and not any(self.processors):
            values = itemgetter(*self.keys)  # a tuple per row (of one key, the bare value)
            params = [values(row) for row in rows]
        elif self.positional:
            pairs = tuple(zip(self.keys, self.processors, strict=True))
            params = [tuple([p(row[k]) if p else row[k] for k, p in pairs]) for row in rows]
        else:
            named = tuple(zip(self.names, self.keys, self.processors, strict=True))
            params = [{n: p(row[k]) if p else row[k] for n, k, p in named} for row in rows]
        connection.exec_driver_sql(self.sql, params)


def _bind_processor(type_: TypeEngine[Any], dialect: Dialect) -> Callable[[Any], Any] | None:
    """The type's own bind processor, memoised for times: a batch repeats the same few."""
    process = type_.dialect_impl(dialect).bind_processor(dialect)
    if process is not None and isinstance(type_, UTCDateTime):
        return lru_cache(maxsize=1024)(process)
    return process


_COMPILED: WeakKeyDictionary[Dialect, dict[tuple[Table, bool, tuple[str, ...]], _DriverStatement]]
_COMPILED = WeakKeyDictionary()


def _execute_many(
    session: Session, table: Table, rows: list[dict[str, Any]], *, update: bool = False
) -> None:
    """One ``executemany`` of an INSERT (or an UPDATE by ``id``) of rows shaped like the first."""
    connection = session.connection()
    columns = tuple(key for key in rows[0] if not (update and key == "id"))
    compiled = _COMPILED.setdefault(connection.dialect, {})
    key = (table, update, columns)
    if key not in compiled:
        statement = (
            table.update().where(table.c.id == bindparam("row_id")) if update else insert(table)
        )
        compiled[key] = _DriverStatement.compile(statement, connection.dialect, columns)
    compiled[key].execute(connection, rows)


def insert_rows(
    session: Session, model: type[SQLModel], rows: list[dict[str, Any]], *, unique: str
) -> dict[Any, int]:
    """``INSERT`` many rows in one executemany; returns their ids by the ``unique`` column.

    ``INSERT … RETURNING`` would do, but SQLite cannot promise the order of the
    returned rows, so SQLAlchemy falls back to one statement per row: reading
    the ids back by a unique column is one query instead.
    """
    table = table_of(model)
    _execute_many(session, table, rows)
    keys = {row[unique] for row in rows}
    return {key: row_id for row_id, key in select_in(session, table, unique, keys, "id", unique)}


def update_rows(session: Session, model: type[SQLModel], rows: list[dict[str, Any]]) -> None:
    """``UPDATE`` many rows by their ``id`` key in one executemany.

    (The ORM's bulk update runs one statement per row on SQLite, to check row counts.)
    """
    _execute_many(session, table_of(model), rows, update=True)


def add_rows(session: Session, model: type[SQLModel], rows: list[dict[str, Any]]) -> None:
    """``INSERT`` many rows whose ids nobody needs back."""
    if rows:
        _execute_many(session, table_of(model), rows)
