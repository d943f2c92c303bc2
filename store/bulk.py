"""Multi-row statements that skip the ORM: what makes storing a feed's batch cheap.

A batch of a few hundred rows costs more in SQLAlchemy than in the database:
the ORM's unit of work, and for an ``executemany`` Core's per-row parameter
handling. These helpers compile each statement once per dialect, convert each
row with the columns' own bind processors (so the stored values are exactly
what Core would store) and hand the rows to the driver's ``executemany``, or
on PostgreSQL, for rows whose ids nobody reads back, to ``COPY`` (`add_rows`).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache, partial
from operator import itemgetter
from typing import TYPE_CHECKING, Any, TypeVar, cast
from weakref import WeakKeyDictionary

from sqlalchemy import (
    ARRAY,
    JSON,
    ColumnElement,
    Connection,
    Delete,
    Dialect,
    Executable,
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
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql.dml import ValuesBase
from sqlalchemy.types import TypeEngine
from sqlmodel import Session, SQLModel

from aiwatch.store.models import UTCDateTime, table_of

if TYPE_CHECKING:
    import psycopg

CHUNK = 500
"""Values per ``IN`` list (and rows per batch for callers that page through a table)."""
_T = TypeVar("_T")


def chunks(values: Collection[_T], size: int = CHUNK) -> Iterator[list[_T]]:
    """``values`` in lists of at most ``size``."""
    items = list(values)
    for start in range(0, len(items), size):
        yield items[start : start + size]


def in_list(column: ColumnElement[Any], name: str, style: str) -> ColumnElement[bool]:
    """``column IN`` the list bound to ``name``, bound as `list_style` says.

    An expanding ``IN (…)`` renders one placeholder per value (on PostgreSQL each
    with a cast) at every execution, which costs more than running the query. One
    array parameter (PostgreSQL) or JSON one (SQLite's ``json_each``) keeps the SQL
    the same for every list, so it is compiled once.
    """
    if style == "array":
        return column == any_(bindparam(name, type_=ARRAY(column.type)))
    if style == "json":
        values = func.json_each(bindparam(name, type_=JSON())).table_valued("value")
        return column.in_(select(values.c.value))
    return column.in_(bindparam(name, expanding=True))


def list_style(connection: Connection, *lists: Collection[Any]) -> str:
    """How `in_list` binds these lists on this connection: ``array``, ``json`` or ``expanding``.

    SQLite's JSON functions end a string at a NUL character (``"a\\u0000b"`` is
    read as ``"a"``), so a list holding one is bound value by value instead.
    """
    if connection.dialect.name == "postgresql":
        return "array"
    if any(isinstance(value, str) and "\x00" in value for values in lists for value in values):
        return "expanding"
    return "json"


def select_in(
    session: Session, table: Table, column: str, values: Collection[Any], *names: str
) -> list[Row[*tuple[Any, ...]]]:
    """The ``names`` columns (default: all) of the rows whose ``column`` is in ``values``.

    One query per `CHUNK` of values, with a statement built once per list style:
    a call costs SQLAlchemy a cache lookup instead of building and hashing a new query.
    """
    return rows_in(session, partial(_select_in, table, column, names), values)


def rows_in(
    session: Session,
    statement: Callable[[str], Executable],
    values: Collection[Any],
    **params: Any,
) -> list[Row[*tuple[Any, ...]]]:
    """The rows ``statement`` reads for ``values`` bound as ``values`` (with ``params``), a
    `CHUNK` at a time; ``statement(style)`` builds it for a list style (`in_list`), once
    when it is cached: a read then costs SQLAlchemy a cache lookup, not a new query to
    build, hash and expand."""
    connection = session.connection()
    style = list_style(connection, values)
    rows: list[Row[*tuple[Any, ...]]] = []
    for chunk in chunks(values):
        rows += connection.execute(statement(style), {**params, "values": chunk}).all()
    return rows


def delete_in(session: Session, table: Table, column: str, values: Collection[Any]) -> None:
    """``DELETE`` the rows whose ``column`` is in ``values``, a `CHUNK` per statement."""
    connection = session.connection()
    for chunk in chunks(values):
        statement = _delete_in(table, column, list_style(connection, chunk))
        connection.execute(statement, {"values": chunk})


@cache
def _select_in(table: Table, column: str, names: tuple[str, ...], style: str) -> Select[Any]:
    columns = [table.c[name] for name in names] if names else [table]
    return select(*columns).where(in_list(table.c[column], "values", style))


@cache
def _delete_in(table: Table, column: str, style: str) -> Delete:
    return delete(table).where(in_list(table.c[column], "values", style))


@dataclass(frozen=True, slots=True)
class _DriverStatement:
    """An INSERT or UPDATE compiled once for a dialect, and how to bind a row to it.

    Each value goes through its column type's bind processor, as Core's own
    ``executemany`` would do (UTC datetimes, JSON, booleans), but without
    Core's per-row bookkeeping.
    """

    sql: str
    values: Callable[[dict[str, Any]], tuple[Any, ...]]  # a row's values, in parameter order
    converters: tuple[tuple[int, Callable[[Any], Any]], ...]  # (position, bind processor)
    names: tuple[str, ...] | None  # the parameters' names, for a driver with named parameters

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
        keys = ["id" if name == "row_id" else name for name in names]
        processors = [_bind_processor(compiled.binds[name].type, dialect) for name in names]
        return cls(
            sql=compiled.string,
            values=itemgetter(*keys) if len(keys) > 1 else lambda row: (row[keys[0]],),
            converters=tuple((i, p) for i, p in enumerate(processors) if p is not None),
            names=None if compiled.positional else names,
        )

    def bound(self, rows: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
        """Each row's values in parameter order, through the bind processors."""
        if not self.converters:
            return [self.values(row) for row in rows]
        params = []
        for row in rows:
            values = list(self.values(row))
            for position, process in self.converters:
                values[position] = process(values[position])
            params.append(tuple(values))
        return params

    def execute(self, connection: Connection, rows: list[dict[str, Any]]) -> None:
        """Run the statement for every row, as one ``executemany``."""
        params: list[Any] = self.bound(rows)
        if self.names is not None:
            params = [dict(zip(self.names, values, strict=True)) for values in params]
        connection.exec_driver_sql(self.sql, params)


def _bind_processor(type_: TypeEngine[Any], dialect: Dialect) -> Callable[[Any], Any] | None:
    """The type's own bind processor; for times, one memoised processor per dialect.

    A batch repeats the same few times across columns (an article's publication
    time is also its timeline points' time and its entities' first or last
    seen), and formatting a time costs more than looking it up.
    """
    if isinstance(type_, UTCDateTime):
        if dialect not in _TIME_PROCESSORS:
            process = type_.dialect_impl(dialect).bind_processor(dialect)
            _TIME_PROCESSORS[dialect] = lru_cache(maxsize=4096)(process) if process else None
        return _TIME_PROCESSORS[dialect]
    return type_.dialect_impl(dialect).bind_processor(dialect)


_TIME_PROCESSORS: WeakKeyDictionary[Dialect, Callable[[Any], Any] | None] = WeakKeyDictionary()

_COMPILED: WeakKeyDictionary[
    Dialect, dict[tuple[Table, bool, bool, tuple[str, ...]], _DriverStatement]
]
_COMPILED = WeakKeyDictionary()


def _execute_many(
    session: Session,
    table: Table,
    rows: list[dict[str, Any]],
    *,
    update: bool = False,
    skip_existing: bool = False,
) -> None:
    """One ``executemany`` of an INSERT (or an UPDATE by ``id``) of rows shaped like the first."""
    connection = session.connection()
    statement = _compiled(connection, table, rows, update=update, skip_existing=skip_existing)
    statement.execute(connection, rows)


def _compiled(
    connection: Connection,
    table: Table,
    rows: list[dict[str, Any]],
    *,
    update: bool = False,
    skip_existing: bool = False,
) -> _DriverStatement:
    """The INSERT (or UPDATE by ``id``) of rows shaped like the first, compiled once per dialect.

    ``skip_existing``: ``INSERT … ON CONFLICT DO NOTHING``, so a row another
    transaction committed first is kept rather than failing the batch.
    """
    columns = tuple(key for key in rows[0] if not (update and key == "id"))
    compiled = _COMPILED.setdefault(connection.dialect, {})
    key = (table, update, skip_existing, columns)
    if key not in compiled:
        statement: ValuesBase
        if update:
            statement = table.update().where(table.c.id == bindparam("row_id"))
        elif skip_existing:
            statement = _insert_or_skip(table, connection.dialect.name)
        else:
            statement = insert(table)
        compiled[key] = _DriverStatement.compile(statement, connection.dialect, columns)
    return compiled[key]


def upsert_insert(table: Table, dialect: str) -> Any:
    """The dialect's own ``INSERT`` construct, the one with ``ON CONFLICT`` clauses.

    Imported on first use: the dialects' modules are not needed by what only reads (a
    SQLite dashboard loaded PostgreSQL's, 30 ms of its start-up).
    """
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert(table)
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert(table)


def _insert_or_skip(table: Table, dialect: str) -> ValuesBase:
    """``INSERT … ON CONFLICT DO NOTHING`` in the dialect's own construct."""
    return cast(ValuesBase, upsert_insert(table, dialect).on_conflict_do_nothing())


def _copy(connection: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """``COPY`` the rows into the table (PostgreSQL), bound as the INSERT binds them.

    The values are the INSERT's bind-processed ones, adapted by psycopg as its
    ``executemany`` would; a failure is raised as SQLAlchemy's error for the
    driver's, as Core raises it, and leaves the transaction to roll back.
    """
    statement = _compiled(connection, table, rows)
    assert statement.names is not None  # psycopg binds by name
    quote = connection.dialect.identifier_preparer.quote
    columns = ", ".join(quote(table.c[name].name) for name in statement.names)
    sql = f"COPY {quote(table.name)} ({columns}) FROM STDIN"
    driver = cast("psycopg.Connection[Any]", connection.connection.driver_connection)
    try:
        with driver.cursor() as cursor, cursor.copy(sql) as copy:
            for values in statement.bound(rows):
                copy.write_row(values)
    except connection.dialect.loaded_dbapi.Error as error:
        raise DBAPIError.instance(
            sql, None, error, connection.dialect.loaded_dbapi.Error, dialect=connection.dialect
        ) from error


def insert_rows(
    session: Session, model: type[SQLModel], rows: list[dict[str, Any]], *, unique: str
) -> dict[Any, int]:
    """``INSERT`` many rows in one executemany; returns their ids by the ``unique`` column.

    A row whose ``unique`` value is already stored is skipped (``ON CONFLICT DO
    NOTHING``) and the stored row's id returned: a batch racing another writer
    links to the row that won instead of failing.

    ``INSERT … RETURNING`` would do, but SQLite cannot promise the order of the
    returned rows, so SQLAlchemy falls back to one statement per row: reading
    the ids back by a unique column is one query instead.
    """
    table = table_of(model)
    _execute_many(session, table, rows, skip_existing=True)
    keys = {row[unique] for row in rows}
    return {key: row_id for row_id, key in select_in(session, table, unique, keys, "id", unique)}


def update_rows(session: Session, model: type[SQLModel], rows: list[dict[str, Any]]) -> None:
    """``UPDATE`` many rows by their ``id`` key in one executemany.

    (The ORM's bulk update runs one statement per row on SQLite, to check row counts.)
    """
    _execute_many(session, table_of(model), rows, update=True)


def add_rows(
    session: Session,
    model: type[SQLModel],
    rows: list[dict[str, Any]],
    *,
    skip_existing: bool = False,
) -> None:
    """``INSERT`` many rows whose ids nobody needs back.

    On PostgreSQL they are ``COPY``-ed: the driver streams the rows instead of
    binding every one as a statement, about a fifth of ``executemany``'s client
    CPU (a batch's mentions, timeline points, topics, sections and insights are
    most of the rows a refresh stores). The ids come from the same sequence, in
    the same order. ``skip_existing`` keeps rows that would break a unique key
    out (``ON CONFLICT DO NOTHING``, never ``COPY``).
    """
    if not rows:
        return
    connection = session.connection()
    if connection.dialect.name == "postgresql" and not skip_existing:
        _copy(connection, table_of(model), rows)
    else:
        _execute_many(session, table_of(model), rows, skip_existing=skip_existing)
