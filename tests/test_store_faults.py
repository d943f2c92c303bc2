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
from sqlmodel import func, select

from aiwatch.feeds.knowledge.base import load_knowledge_base
from aiwatch.store.db import StoreError, make_engine, session
from aiwatch.store.models import Article
from aiwatch.tui.seeding import load_seeds
from tests.factories import article, extraction, save


def _articles(engine: Engine) -> int:
    with session(engine) as db:
        return int(db.exec(select(func.count()).select_from(Article)).one())


def _save_batch(engine: Engine, folder: Path, keys: list[str]) -> None:
    """Load several seed files in one transaction, as the app does (`tui.seeding.load_seeds`).

    The `StoreError` the tests expect is the one the app raises and shows.
    """
    folder.mkdir(exist_ok=True)
    for old in folder.iterdir():
        old.unlink()
    for key in keys:
        text = "Meta said more. " * 1_250  # 20,000 characters
        (folder / f"{key}.txt").write_text(f"Title {key}\n\nNews Summary\n{text}\n")
    load_seeds(engine, folder, load_knowledge_base())


def test_read_only_database_is_reported_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / "ro.db"
    writable = make_engine(f"sqlite:///{path}")
    save(writable, article("kept", "Kept"), extraction("Meta"))
    writable.dispose()
    read_only = make_engine(f"sqlite:///file:{path}?mode=ro&uri=true")
    with pytest.raises(StoreError) as raised:
        _save_batch(read_only, tmp_path / "seeds", ["a", "b"])
    message = str(raised.value)  # names the database and says what went wrong, in one line
    assert str(path) in message and "\n" not in message
    assert message.endswith(" is read-only: attempt to write a readonly database")
    assert _articles(read_only) == 1


def test_lock_held_past_the_timeout(tmp_path: Path) -> None:
    path = tmp_path / "locked.db"
    engine = make_engine(f"sqlite:///{path}", busy_timeout_ms=200)
    holder = sqlite3.connect(path)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(StoreError) as raised:
            _save_batch(engine, tmp_path / "seeds", ["a"])
    finally:
        holder.rollback()
        holder.close()
    assert str(raised.value).startswith(f"sqlite:///{path} is locked by another process")
    assert str(raised.value).endswith(": database is locked")
    _save_batch(engine, tmp_path / "seeds", ["a"])  # the next attempt succeeds
    assert _articles(engine) == 1


def test_disk_full_keeps_no_partial_batch(tmp_path: Path) -> None:
    path = tmp_path / "full.db"
    engine = make_engine(f"sqlite:///{path}")
    _save_batch(engine, tmp_path / "seeds", ["first"])
    with engine.connect() as connection:
        pages = connection.exec_driver_sql("PRAGMA page_count").scalar()

    @event.listens_for(engine, "connect")
    def _cap(dbapi_connection, _record):  # type: ignore[no-untyped-def]
        dbapi_connection.execute(f"PRAGMA max_page_count = {int(pages or 0) + 3}")

    engine.dispose()
    with pytest.raises(StoreError) as raised:
        _save_batch(engine, tmp_path / "seeds", [f"k{i}" for i in range(50)])
    assert str(raised.value) == (
        f"Disk full while writing sqlite:///{path}: database or disk is full"
    )
    assert _articles(engine) == 1


def test_unreachable_postgresql_is_one_clear_sentence() -> None:
    with pytest.raises(StoreError, match="Cannot use postgresql"):
        make_engine("postgresql://nobody@127.0.0.1:1/none")
