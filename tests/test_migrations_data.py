"""Upgrading a database full of data keeps every row, on SQLite and PostgreSQL.

A database is made at the first schema (revision 0001) and filled: rows in
every table, linked by their foreign keys. Opening it with this aiwatch
upgrades it to the head revision; every row is still there with every value
it had, and the upgraded database takes new articles. On SQLite a copy of the
file at its old revision is kept beside it. A database written by a newer
aiwatch (a revision this one does not know) is refused, untouched.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Integer,
    MetaData,
    String,
    Text,
    create_engine,
    select,
    text,
)
from sqlalchemy.engine import Engine

from aiwatch.store.db import HEAD_REVISION, StoreError, _alembic_config, backup_path, make_engine
from tests.factories import article, empty_postgresql, extraction, save

ROWS = 6
T0 = datetime(2025, 1, 1, tzinfo=UTC)


def value(table: str, column: Any, i: int) -> Any:
    """A distinct, valid value for row ``i`` of a column (foreign keys point at row i)."""
    if column.foreign_keys:
        return i % ROWS + 1
    kind = column.type
    if isinstance(kind, Boolean):
        return i % 2 == 0
    if isinstance(kind, DateTime):
        return T0 + timedelta(hours=i)
    if isinstance(kind, JSON):
        return [f"{column.name}-{i}", i]
    if isinstance(kind, Integer):
        return i
    if isinstance(kind, Text):
        return f"{table} {column.name} text {i} " * 3
    if isinstance(kind, String):
        return f"{table[:8]}-{column.name[:8]}-{i}"[: kind.length or 200]
    raise AssertionError(f"no test value for {table}.{column.name}: {kind!r}")


def at_first_schema_with_data(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Make the 0001 schema at ``url``, fill every table; returns each table's rows."""
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            command.upgrade(_alembic_config(connection), "0001")
        old = MetaData()
        old.reflect(engine)
        with engine.begin() as connection:
            for table in old.sorted_tables:
                if table.name == "alembic_version":
                    continue
                columns = [
                    c
                    for c in table.columns
                    if not (c.primary_key and c.name == "id")  # ids come from the database
                ]
                rows = [{c.name: value(table.name, c, i) for c in columns} for i in range(ROWS)]
                connection.execute(table.insert(), rows)
        return dump(engine, old)
    finally:
        engine.dispose()


def dump(engine: Engine, tables: MetaData) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of ``tables`` (only their columns), in a stable order."""
    current = MetaData()
    current.reflect(engine)
    found = {}
    with engine.connect() as connection:
        for table in tables.sorted_tables:
            if table.name == "alembic_version":
                continue
            now = current.tables[table.name]
            columns = [now.c[c.name] for c in table.columns]
            rows = connection.execute(select(*columns)).all()
            found[table.name] = sorted((tuple(row) for row in rows), key=repr)
    return found


def first_tables(url: str) -> MetaData:
    engine = create_engine(url)
    try:
        meta = MetaData()
        meta.reflect(engine)
        return meta
    finally:
        engine.dispose()


def check_upgrade_keeps_every_row(url: str) -> Engine:
    before = at_first_schema_with_data(url)
    tables = first_tables(url)
    assert all(len(rows) == ROWS for rows in before.values())
    engine = make_engine(url)  # what any aiwatch command does on start
    with engine.connect() as connection:
        revision = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    assert revision == HEAD_REVISION
    assert dump(engine, tables) == before
    save(engine, article("new", "A new article after the upgrade"), extraction("Meta"))
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM article")).scalar() == ROWS + 1
    return engine


def test_upgrading_sqlite_keeps_every_row_and_a_backup(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    engine = check_upgrade_keeps_every_row(f"sqlite:///{path}")
    engine.dispose()
    backup = backup_path(path, "0001")
    assert backup.is_file()
    with sqlite3.connect(backup) as copy:
        assert copy.execute("SELECT version_num FROM alembic_version").fetchall() == [("0001",)]
        assert copy.execute("SELECT count(*) FROM article").fetchone() == (ROWS,)
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_upgrading_postgresql_keeps_every_row(pg_database_url: str) -> None:
    empty_postgresql(pg_database_url)
    engine = check_upgrade_keeps_every_row(pg_database_url)
    engine.dispose()


def test_a_database_from_a_newer_aiwatch_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "newer.db"
    make_engine(f"sqlite:///{path}").dispose()
    with sqlite3.connect(path) as db:
        db.execute("UPDATE alembic_version SET version_num = '9999'")
    before = path.read_bytes()
    with pytest.raises(StoreError, match="written by a newer aiwatch") as refused:
        make_engine(f"sqlite:///{path}")
    assert "9999" in str(refused.value) and HEAD_REVISION in str(refused.value)
    assert path.read_bytes() == before
    assert not list(tmp_path.glob("*.bak"))


def test_a_postgresql_database_from_a_newer_aiwatch_is_refused(pg_engine: Engine) -> None:
    url = pg_engine.url.render_as_string(hide_password=False)
    with pg_engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    try:
        with pytest.raises(StoreError, match="written by a newer aiwatch"):
            make_engine(url)
    finally:
        with pg_engine.begin() as connection:
            connection.execute(
                text("UPDATE alembic_version SET version_num = :head"), {"head": HEAD_REVISION}
            )
