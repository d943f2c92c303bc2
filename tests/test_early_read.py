"""The first dashboard, read by a child process while the app starts (`tui.early_read`).

Real forks over real SQLite and PostgreSQL: the child's read is the read the app would
make, it is taken only for the first dashboard of the same user, a child that fails is
an answer of "read it yourself" at once, and no child is ever left behind.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Engine

import aiwatch.tui.app as app_module
from aiwatch.store.changes import data_mark
from aiwatch.store.db import make_engine, session
from aiwatch.store.queries import read_dashboard
from aiwatch.store.read_models import Filter
from aiwatch.tui.app import AiwatchApp, make_app
from aiwatch.tui.config import Settings
from aiwatch.tui.early_read import FIRST_FILTER, EarlyRead
from tests.test_tui_read_ahead import Reads
from tests.tui_support import populate, running, screen_text

USER = "ana"


def reaped(early: EarlyRead) -> bool:
    """True when the child is gone and waited for (no zombie left)."""
    try:
        os.waitpid(early._pid, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


def test_the_child_reads_what_the_app_would_read(engine: Engine) -> None:
    populate(engine)
    early = EarlyRead.start(engine, USER)
    assert early is not None
    first = early.take(FIRST_FILTER, USER)
    assert first is not None
    assert first.dashboard == read_dashboard(engine, Filter(), user=USER)
    assert first.dashboard.total_articles == 2
    with session(engine) as db:
        assert first.mark == data_mark(db)
    assert reaped(early)
    assert early.take(FIRST_FILTER, USER) is None  # taken once


@pytest.mark.parametrize("filt, user", [(Filter(company="Meta"), USER), (FIRST_FILTER, "bo")])
def test_another_filter_or_user_is_not_taken(
    populated_engine: Engine, filt: Filter, user: str
) -> None:
    early = EarlyRead.start(populated_engine, USER)
    assert early is not None
    assert early.take(filt, user) is None
    assert reaped(early)


def test_a_failed_read_answers_at_once(tmp_path: Path) -> None:
    bare = make_engine(f"sqlite:///{tmp_path / 'no-tables.db'}", create=False)
    early = EarlyRead.start(bare, USER)
    assert early is not None
    started = time.monotonic()
    assert early.take(FIRST_FILTER, USER) is None  # no tables: the child's read raised
    assert time.monotonic() - started < 5
    assert reaped(early)
    bare.dispose()


def test_a_discarded_read_leaves_no_child(populated_engine: Engine) -> None:
    early = EarlyRead.start(populated_engine, USER)
    assert early is not None
    early.discard()
    assert reaped(early)
    assert early.take(FIRST_FILTER, USER) is None


async def test_the_app_shows_the_early_read_without_reading(
    populated_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads = Reads()
    monkeypatch.setattr(app_module, "read_dashboard", reads)
    early = EarlyRead.start(populated_engine, Settings().username)
    async with running(populated_engine, early_read=early, live_reload=60) as (app, _pilot):
        assert reads.filters == []
        assert "2 articles" in screen_text(app)
        with session(populated_engine) as db:
            assert app._mark == data_mark(db)  # the child's mark, noted before its read
    assert early is not None and reaped(early)


async def test_the_app_reads_for_itself_when_the_child_fails(
    tmp_path: Path, populated_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads = Reads()
    monkeypatch.setattr(app_module, "read_dashboard", reads)
    bare = make_engine(f"sqlite:///{tmp_path / 'no-tables.db'}", create=False)
    early = EarlyRead.start(bare, Settings().username)
    async with running(populated_engine, early_read=early) as (app, _pilot):
        assert reads.filters == [Filter()]
        assert "2 articles" in screen_text(app)
    bare.dispose()


async def test_an_answer_already_there_is_in_the_first_frame(
    populated_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The child answered while the app started: no worker reads, the first frame has it."""
    workers: list[str | None] = []
    in_worker = AiwatchApp.in_worker

    def counted(self: AiwatchApp, *args: Any, **kwargs: Any) -> Any:
        workers.append(kwargs.get("group"))
        return in_worker(self, *args, **kwargs)

    monkeypatch.setattr(AiwatchApp, "in_worker", counted)
    early = EarlyRead.start(populated_engine, Settings().username)
    assert early is not None
    deadline = time.monotonic() + 10
    while not early.answered() and time.monotonic() < deadline:
        time.sleep(0.01)
    app = make_app(
        engine=populated_engine, load_bundled_seeds=False, live_reload=0, early_read=early
    )
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()  # the first frame, nothing settled
        assert "dashboard" not in workers
        header = screen_text(app).splitlines()[0]
        assert "2 partnerships · 6 products · 2 cases · 2/2 articles" in header, header
    assert reaped(early)


def test_a_read_ahead_leaves_the_first_read_to_the_first_load(populated_engine: Engine) -> None:
    """A dialog's read ahead (another filter) before the first load must not use it up."""
    early = EarlyRead.start(populated_engine, Settings().username)
    app = make_app(engine=populated_engine, load_bundled_seeds=False, early_read=early)
    ahead = app._read_dashboard(Filter(company="Meta"))
    assert ahead.filter == Filter(company="Meta")
    assert app.early_read is early
    assert early is not None and early.take(FIRST_FILTER, app.user) is not None
