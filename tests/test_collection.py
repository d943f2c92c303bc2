"""Full garbage collections: held through the dashboard's start-up, then run when input pauses."""

from __future__ import annotations

import argparse
import gc
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine
from sqlalchemy.engine import Engine
from textual.pilot import Pilot

import aiwatch.tui.commands.dashboard as dashboard_command
from aiwatch.store.read_models import Dashboard, Filter
from aiwatch.tui import collection
from aiwatch.tui.app import make_app
from aiwatch.tui.cli import main
from aiwatch.tui.collection import IdleCollections, hold_full_collections, resume_full_collections
from aiwatch.tui.widgets.status_line import StatusLine
from tests.tui_support import running

DEFAULT = gc.get_threshold()


@pytest.fixture(autouse=True)
def _thresholds_restored() -> Iterator[None]:
    yield
    gc.set_threshold(*DEFAULT)


@pytest.fixture
def full_collections() -> Iterator[list[int]]:
    """How many objects each full collection (generation 2) found, as it ran."""
    found: list[int] = []

    def record(phase: str, info: dict[str, int]) -> None:
        if phase == "stop" and info["generation"] == 2:
            found.append(info["collected"])

    gc.callbacks.append(record)
    yield found
    gc.callbacks.remove(record)


def young_collections(count: int) -> list[object]:
    """Allocate until ``count`` young collections have run since the last full one (the
    objects are returned, so they survive into the older generation as the app's do)."""
    kept: list[object] = []
    for _ in range(100_000_000):
        if gc.get_count()[2] >= count:
            return kept
        kept.append([])
    raise AssertionError("no young collection ran")


async def within(pilot: Pilot[None], condition: Callable[[], bool], seconds: float = 10) -> bool:
    """Whether ``condition`` holds within ``seconds`` (a loaded machine is slow to get there)."""
    for _ in range(int(seconds / 0.05)):
        if condition():
            return True
        await pilot.pause(0.05)
    return condition()


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_held_full_collections_leave_the_young_ones_running(full_collections: list[int]) -> None:
    gc.collect()
    full_collections.clear()
    hold_full_collections()
    young_collections(3 * DEFAULT[2])  # the interpreter would have collected in full by now
    assert full_collections == []
    assert gc.get_count()[2] >= 3 * DEFAULT[2]  # (the young ones ran: each counts here)
    resume_full_collections(set_aside=False)
    assert gc.get_threshold() == DEFAULT


def test_collections_wait_for_a_pause_in_input(full_collections: list[int]) -> None:
    clock = Clock()
    collections = IdleCollections(clock)
    collections.start()
    assert gc.get_freeze_count() > 1000 and gc.get_threshold()[2] > DEFAULT[2]
    full_collections.clear()
    kept = young_collections(DEFAULT[2])
    collections.input_seen()
    clock.now += collection.IDLE_SECONDS / 2
    assert not collections.tick() and full_collections == []  # a key was just pressed
    clock.now += collection.IDLE_SECONDS
    assert collections.tick() and len(full_collections) == 1  # the user paused
    assert gc.get_count()[2] == 0
    assert not collections.tick()  # nothing has moved up since
    del kept
    collections.stop()
    assert gc.get_threshold() == DEFAULT


def test_collections_wait_for_a_read_someone_waits_for(full_collections: list[int]) -> None:
    clock = Clock()
    collections = IdleCollections(clock)
    collections.start()
    full_collections.clear()
    kept = young_collections(DEFAULT[2])
    for _ in range(4):  # no key: the user waits for a slow search
        clock.now += collection.IDLE_SECONDS
        assert not collections.tick(busy=True)
    clock.now += collection.IDLE_SECONDS / 2
    assert not collections.tick() and full_collections == []  # (it has only just landed)
    clock.now += collection.IDLE_SECONDS
    assert collections.tick() and len(full_collections) == 1
    del kept
    collections.stop()


def test_a_collection_long_overdue_runs_during_input(full_collections: list[int]) -> None:
    clock = Clock()
    collections = IdleCollections(clock)
    collections.start()
    full_collections.clear()
    kept = young_collections(collection.OVERDUE * DEFAULT[2] - 1)
    collections.input_seen()
    assert not collections.tick()
    kept += young_collections(collection.OVERDUE * DEFAULT[2])
    collections.input_seen()
    assert collections.tick() and len(full_collections) == 1  # a key held down for long
    collections.stop()


def test_collections_that_never_started_are_not_run(full_collections: list[int]) -> None:
    collections = IdleCollections(Clock())
    young_collections(DEFAULT[2])
    assert not collections.tick()
    collections.stop()
    assert gc.get_threshold() == DEFAULT


async def test_the_dashboard_runs_them_from_its_first_load_to_its_end(
    populated_engine: Engine, full_collections: list[int]
) -> None:
    async with running(populated_engine) as (app, pilot):
        assert await within(pilot, lambda: app.collections.running)  # (after the first frame)
        assert gc.get_threshold()[2] > DEFAULT[2]  # (the interpreter's own are held)
        kept = young_collections(DEFAULT[2])
        await pilot.press("down")  # input: the next full collection waits for a pause
        full_collections.clear()
        await pilot.pause(collection.IDLE_SECONDS / 4)
        assert full_collections == []
        assert await within(pilot, lambda: full_collections != [])
        del kept
    assert gc.get_threshold() == DEFAULT


async def test_the_dashboard_holds_them_while_a_read_runs(
    populated_engine: Engine, full_collections: list[int]
) -> None:
    async with running(populated_engine) as (app, pilot):
        # (the schedule starts after the first load's frame; its `gc.freeze` zeroes the
        # counts `young_collections` raises, so it must have started before them)
        assert await within(pilot, lambda: app.collections.running)
        read, release = app._read_dashboard, threading.Event()

        def slow_read(*args: Any, **kwargs: Any) -> Dashboard:
            release.wait(10)
            return read(*args, **kwargs)

        app._read_dashboard = slow_read  # type: ignore[method-assign]
        kept = young_collections(DEFAULT[2])
        app.dashboard.filter = Filter(company="Meta")
        full_collections.clear()
        await pilot.pause(collection.IDLE_SECONDS * 3)
        assert full_collections == []  # no key, but the dashboard is being read
        release.set()
        assert await within(pilot, lambda: full_collections != [])
        assert app.dashboard.dashboard is not None
        assert app.dashboard.dashboard.filter.company == "Meta"
        del kept


def test_the_command_holds_them_only_while_the_dashboard_runs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[tuple[int, int, int]] = []

    def run_dashboard(_args: argparse.Namespace) -> int:
        seen.append(gc.get_threshold())
        raise RuntimeError("the dashboard failed")

    monkeypatch.setattr(dashboard_command, "run_dashboard", run_dashboard)
    with pytest.raises(RuntimeError):
        main([])
    assert seen[0][:2] == DEFAULT[:2] and seen[0][2] > DEFAULT[2]
    assert gc.get_threshold() == DEFAULT


async def test_a_first_load_that_fails_gives_them_back(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'no-tables.db'}")  # every read fails
    hold_full_collections()  # (as `aiwatch` does before the dashboard starts)
    app = make_app(engine=engine, load_bundled_seeds=False, live_reload=0)
    async with app.run_test() as pilot:
        for _ in range(50):
            await pilot.pause(0.02)
            if gc.get_threshold() == DEFAULT:
                break
        assert app.dashboard.dashboard is None
        assert gc.get_threshold() == DEFAULT
    engine.dispose()


async def test_a_later_load_that_fails_keeps_the_schedule(
    populated_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with running(populated_engine) as (app, pilot):
        assert await within(pilot, lambda: app.collections.running)  # (after the first frame)
        assert gc.get_threshold()[2] > DEFAULT[2]

        def failing(*_args: Any, **_kwargs: Any) -> Dashboard:
            raise RuntimeError("the database went away")

        monkeypatch.setattr(app, "_read_dashboard", failing)
        app.dashboard.filter = Filter(company="Meta")
        for _ in range(50):
            await pilot.pause(0.02)
            if "failed" in app.dashboard.query_one(StatusLine).message:
                break
        assert "the database went away" in app.dashboard.query_one(StatusLine).message
        assert gc.get_threshold()[2] > DEFAULT[2]  # (still ours: full collections wait for pauses)
