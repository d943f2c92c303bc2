"""Database faults: a read-only file, a lock held past the timeout, a full disk.

Each gives a one-sentence `StoreError` and leaves what was stored intact: a
batch is committed whole or not at all.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import func, select

from aiwatch.store.db import StoreError, describe_db_error, make_engine, session
from aiwatch.store.ingest import NewArticle, save_articles
from aiwatch.store.models import Article
from tests.factories import article, extraction, save


def _articles(engine: Engine) -> int:
    with session(engine) as db:
        return int(db.exec(select(func.count()).select_from(Article)).one())


def _save_batch(engine: Engine, keys: list[str]) -> None:
    """Save several articles in one transaction, as a feed refresh does."""
    try:
        with session(engine) as db:
            for key in keys:
                record = article(key, f"Title {key}", text="x" * 20_000)
                save_articles(db, [NewArticle(record, extraction("Meta"))])
            db.commit()
    except SQLAlchemyError as exc:
        raise StoreError(describe_db_error(exc, engine)) from exc


def test_read_only_database_is_reported_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / "ro.db"
    writable = make_engine(f"sqlite:///{path}")
    save(writable, article("kept", "Kept"), extraction("Meta"))
    writable.dispose()
    read_only = make_engine(f"sqlite:///file:{path}?mode=ro&uri=true")
    with pytest.raises(StoreError, match="read-only"):
        _save_batch(read_only, ["a", "b"])
    assert _articles(read_only) == 1


def test_lock_held_past_the_timeout(tmp_path: Path) -> None:
    path = tmp_path / "locked.db"
    engine = make_engine(f"sqlite:///{path}", busy_timeout_ms=200)
    holder = sqlite3.connect(path)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(StoreError, match="locked by another process"):
            _save_batch(engine, ["a"])
    finally:
        holder.rollback()
        holder.close()
    _save_batch(engine, ["a"])  # the next attempt succeeds
    assert _articles(engine) == 1


def test_disk_full_keeps_no_partial_batch(tmp_path: Path) -> None:
    path = tmp_path / "full.db"
    engine = make_engine(f"sqlite:///{path}")
    _save_batch(engine, ["first"])
    with engine.connect() as connection:
        pages = connection.exec_driver_sql("PRAGMA page_count").scalar()

    @event.listens_for(engine, "connect")
    def _cap(dbapi_connection, _record):  # type: ignore[no-untyped-def]
        dbapi_connection.execute(f"PRAGMA max_page_count = {int(pages or 0) + 3}")

    engine.dispose()
    with pytest.raises(StoreError, match="Disk full"):
        _save_batch(engine, [f"k{i}" for i in range(50)])
    assert _articles(engine) == 1


def test_unreachable_postgresql_is_one_clear_sentence() -> None:
    with pytest.raises(StoreError, match="Cannot use postgresql"):
        make_engine("postgresql://nobody@127.0.0.1:1/none")
