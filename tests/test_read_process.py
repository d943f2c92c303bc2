"""The dashboard's reads, made by a child process (`tui.read_process`).

Real forks over real SQLite and PostgreSQL: the child's reads are the reads the app would
make, the first is taken only for the first dashboard of the same user, a child that
fails or is busy is an answer of "read it yourself" at once, the app's filters and
searches are read by the child, and no child is ever left behind.
"""

from __future__ import annotations

import os
import select
import shlex
import signal
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Engine, make_url

import aiwatch.tui.app as app_module
from aiwatch.store.changes import data_mark
from aiwatch.store.db import make_engine, session
from aiwatch.store.queries import read_dashboard
from aiwatch.store.read_models import Filter
from aiwatch.tui.app import AiwatchApp, make_app
from aiwatch.tui.config import Settings
from aiwatch.tui.read_process import FIRST_FILTER, ReadProcess
from benchmarks.dashboard import COUNTS, Terminal, terminal_env
from tests import processes
from tests.conftest import PG_ADMIN_URL
from tests.processes import descendants, parent_of, pg_sessions, wait_until
from tests.test_tui_read_ahead import Reads
from tests.tui_support import populate, press, running, screen_text

USER = "ana"


def child_of(reader: ReadProcess) -> int:
    pid = reader._pid
    assert pid is not None
    return pid


def reaped(pid: int) -> bool:
    """True when the child ``pid`` is gone and waited for (no zombie left)."""
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


def test_the_child_reads_what_the_app_would_read(engine: Engine) -> None:
    populate(engine)
    reader = ReadProcess.start(engine, USER)
    assert reader is not None
    pid = child_of(reader)
    first = reader.take(FIRST_FILTER, USER)
    assert first is not None
    assert first.dashboard == read_dashboard(engine, Filter(), user=USER)
    assert first.dashboard.total_articles == 2
    with session(engine) as db:
        assert first.mark == data_mark(db)
    assert reader.take(FIRST_FILTER, USER) is None  # taken once
    for filt in (Filter(company="Meta"), Filter(text="midjourney"), Filter(topic="litigation")):
        assert reader.read(filt) == read_dashboard(engine, filt, user=USER), filt
    limits = {"articles": 1, "partnerships": 1, "products": 2, "cases": 1}
    assert reader.read(Filter(), limits=limits) == read_dashboard(
        engine, Filter(), limits=limits, user=USER
    )
    reader.close()
    assert reaped(pid)
    assert reader.read(Filter()) is None


@pytest.mark.parametrize("filt, user", [(Filter(company="Meta"), USER), (FIRST_FILTER, "bo")])
def test_another_filter_or_user_is_not_taken_and_the_first_read_is_dropped(
    populated_engine: Engine, filt: Filter, user: str
) -> None:
    reader = ReadProcess.start(populated_engine, USER)
    assert reader is not None
    assert reader.take(filt, user) is None
    deadline = time.monotonic() + 10
    while not reader.answered() and time.monotonic() < deadline:
        time.sleep(0.01)
    # The first read, never taken, is dropped: the answer is this read's, not that one.
    meta = Filter(company="Meta")
    assert reader.read(meta) == read_dashboard(populated_engine, meta, user=USER)
    reader.close()


def test_until_the_first_read_is_taken_or_declined_the_app_reads_for_itself(
    populated_engine: Engine,
) -> None:
    reader = ReadProcess.start(populated_engine, USER)
    assert reader is not None
    deadline = time.monotonic() + 10
    while not reader.answered() and time.monotonic() < deadline:
        time.sleep(0.01)
    meta = Filter(company="Meta")
    assert reader.read(meta) is None  # (the first load may still take the first read)
    reader.decline()
    assert reader.read(meta) == read_dashboard(populated_engine, meta, user=USER)
    assert reader.take(FIRST_FILTER, USER) is None
    reader.close()


def test_a_read_that_fails_answers_at_once_and_the_child_stays(tmp_path: Path) -> None:
    bare = make_engine(f"sqlite:///{tmp_path / 'no-tables.db'}", create=False)
    reader = ReadProcess.start(bare, USER)
    assert reader is not None
    started = time.monotonic()
    assert reader.take(FIRST_FILTER, USER) is None  # no tables: the child's read raised
    assert reader.read(Filter(company="Meta")) is None  # and so does this one
    assert time.monotonic() - started < 5
    assert not reaped(child_of(reader))  # a failed read is an answer: the child goes on
    reader.close()
    bare.dispose()


def test_a_child_that_died_is_read_around_and_reaped(populated_engine: Engine) -> None:
    reader = ReadProcess.start(populated_engine, USER)
    assert reader is not None
    assert reader.take(FIRST_FILTER, USER) is not None
    pid = child_of(reader)
    os.kill(pid, signal.SIGKILL)
    started = time.monotonic()
    assert reader.read(Filter(company="Meta")) is None
    assert time.monotonic() - started < 5
    assert reaped(pid)
    assert reader.read(Filter()) is None  # gone for good: no wait, no error
    reader.close()


def test_a_busy_child_answers_none_at_once(populated_engine: Engine) -> None:
    """Two reads at once: the second is the app's own (the child reads one at a time)."""
    reader = ReadProcess.start(populated_engine, USER)
    assert reader is not None
    assert reader.take(FIRST_FILTER, USER) is not None
    os.kill(child_of(reader), signal.SIGSTOP)  # the child holds its first request
    try:
        first = threading.Thread(target=reader.read, args=(Filter(company="Meta"),))
        first.start()
        wait_until(reader._lock.locked, 10, "the first read to be in flight")
        started = time.monotonic()
        assert reader.read(Filter(text="midjourney")) is None
        assert time.monotonic() - started < 0.5
    finally:
        os.kill(child_of(reader), signal.SIGCONT)
    first.join(10)
    meta = Filter(company="Meta")
    assert reader.read(meta) == read_dashboard(populated_engine, meta, user=USER)
    reader.close()


def answer_waiting(reader: ReadProcess, within: float = 10) -> bool:
    """True once an answer is in the pipe, with no `read` waiting for it."""
    fd = reader._answers
    assert fd is not None
    return bool(select.select([fd], [], [], within)[0])


def test_an_asked_read_is_under_way_before_the_worker_reads_it(
    populated_engine: Engine,
) -> None:
    """`ask` sends the request at once: the answer is on its way before `read` is called,
    and `read` takes that answer instead of asking again."""
    reader = ReadProcess.start(populated_engine, USER)
    assert reader is not None
    assert reader.take(FIRST_FILTER, USER) is not None
    meta = Filter(company="Meta")
    reader.ask(meta)
    assert answer_waiting(reader)
    assert reader.read(meta) == read_dashboard(populated_engine, meta, user=USER)
    assert not answer_waiting(reader, within=0.2)  # (one request, one answer)
    reader.close()


def test_an_asked_read_no_one_came_for_is_dropped(populated_engine: Engine) -> None:
    """A read of another filter than the one asked for (its worker never ran) drops the
    asked-for answer and gets its own; the reads after it are answered in step."""
    reader = ReadProcess.start(populated_engine, USER)
    assert reader is not None
    assert reader.take(FIRST_FILTER, USER) is not None
    reader.ask(Filter(company="Meta"))
    search = Filter(text="midjourney")
    assert reader.read(search) == read_dashboard(populated_engine, search, user=USER)
    assert reader.read(FIRST_FILTER) == read_dashboard(populated_engine, FIRST_FILTER, user=USER)
    reader.close()


def test_nothing_is_asked_before_the_first_read_is_done_with(
    populated_engine: Engine,
) -> None:
    """Until the first load takes the first read, `ask` sends nothing: its answer would
    queue behind the first read's."""
    reader = ReadProcess.start(populated_engine, USER)
    assert reader is not None
    reader.ask(Filter(company="Meta"))
    assert reader._asked is None
    assert reader.take(FIRST_FILTER, USER) is not None
    assert not answer_waiting(reader, within=0.2)
    reader.close()


def test_a_closed_reader_leaves_no_child(populated_engine: Engine) -> None:
    reader = ReadProcess.start(populated_engine, USER)
    assert reader is not None
    pid = child_of(reader)
    reader.close()
    assert reaped(pid)
    assert reader.take(FIRST_FILTER, USER) is None


async def test_the_app_shows_the_first_read_without_reading(
    populated_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads = Reads()
    monkeypatch.setattr(app_module, "read_dashboard", reads)
    reader = ReadProcess.start(populated_engine, Settings().username)
    assert reader is not None
    async with running(populated_engine, reader=reader, live_reload=60) as (app, _pilot):
        assert reads.filters == []
        assert "2 articles" in screen_text(app)
        with session(populated_engine) as db:
            assert app._mark == data_mark(db)  # the child's mark, noted before its read
    reader.close()


async def test_the_apps_filters_and_searches_are_read_by_the_child(
    populated_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """This process's `read_dashboard` is never called: the child (forked before the
    patch) reads the first dashboard, the company filter and the search."""
    reader = ReadProcess.start(populated_engine, Settings().username)
    assert reader is not None
    reads = Reads()
    monkeypatch.setattr(app_module, "read_dashboard", reads)
    async with running(populated_engine, reader=reader) as (app, pilot):
        await press(app, pilot, "c")
        await pilot.press(*"Meta")
        await press(app, pilot, "enter")
        assert app.dashboard.filter.company == "Meta"
        assert "company: Meta" in screen_text(app)
        await press(app, pilot, "x", "slash")
        await pilot.press(*"midjourney")
        await press(app, pilot, "enter")
        assert "search: midjourney" in screen_text(app)
    assert reads.filters == []
    reader.close()


async def test_the_app_reads_for_itself_when_the_child_fails(
    tmp_path: Path, populated_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads = Reads()
    monkeypatch.setattr(app_module, "read_dashboard", reads)
    bare = make_engine(f"sqlite:///{tmp_path / 'no-tables.db'}", create=False)
    reader = ReadProcess.start(bare, Settings().username)
    async with running(populated_engine, reader=reader) as (app, pilot):
        assert reads.filters == [Filter()]
        assert "2 articles" in screen_text(app)
        await press(app, pilot, "c")
        await pilot.press(*"Meta")
        await press(app, pilot, "enter")
        assert "company: Meta" in screen_text(app)
        assert Filter(company="Meta") in reads.filters
    assert reader is not None
    reader.close()
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
    reader = ReadProcess.start(populated_engine, Settings().username)
    assert reader is not None
    deadline = time.monotonic() + 10
    while not reader.answered() and time.monotonic() < deadline:
        time.sleep(0.01)
    app = make_app(engine=populated_engine, load_bundled_seeds=False, live_reload=0, reader=reader)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()  # the first frame, nothing settled
        assert "dashboard" not in workers
        header = screen_text(app).splitlines()[0]
        assert "2 partnerships · 6 products · 2 cases · 2/2 articles" in header, header
    reader.close()


def test_a_read_ahead_leaves_the_first_read_to_the_first_load(populated_engine: Engine) -> None:
    """A dialog's read ahead (another filter) before the first load must not use it up."""
    reader = ReadProcess.start(populated_engine, Settings().username)
    assert reader is not None
    deadline = time.monotonic() + 10
    while not reader.answered() and time.monotonic() < deadline:
        time.sleep(0.01)
    app = make_app(engine=populated_engine, load_bundled_seeds=False, reader=reader)
    ahead = app._read_dashboard(Filter(company="Meta"))  # (the child's answer is there)
    assert ahead.filter == Filter(company="Meta")
    assert reader.take(FIRST_FILTER, app.user) is not None
    reader.close()


def test_killing_the_dashboard_alone_leaves_no_reader_and_no_session(scratch_db_url: str) -> None:
    """``kill -9`` of the dashboard alone, run from a shell that stays (so no hang-up
    signal reaches its group): the reading child goes with it, and on PostgreSQL so do the
    child's sessions."""
    engine = make_engine(scratch_db_url)
    populate(engine)
    engine.dispose()
    command = f"{shlex.quote(sys.executable)} -m aiwatch --db {shlex.quote(scratch_db_url)}"
    term = Terminal(["/bin/sh", "-c", f"{command}; sleep 60"], terminal_env())
    try:
        term.wait_for(COUNTS, 0, timeout=60)
        (dashboard,) = [pid for pid in descendants(term.pid) if parent_of(pid) == term.pid]
        children = descendants(dashboard)
        assert children, "no reading child"
        os.kill(dashboard, signal.SIGKILL)
        wait_until(
            lambda: not any(processes.running(pid) for pid in children), 10, "the child to exit"
        )
    finally:
        os.kill(term.pid, signal.SIGKILL)
        term.close()
    if scratch_db_url.startswith("postgresql"):
        name = make_url(scratch_db_url).database or ""
        wait_until(lambda: not pg_sessions(PG_ADMIN_URL, name), 10, "the sessions to end")
