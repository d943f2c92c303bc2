"""`tui.throttle.Throttle`: at once, then at most once per interval, never dropping the last call."""

from __future__ import annotations

import asyncio

from textual.app import App

from aiwatch.tui.throttle import Throttle
from tests.tui_support import wait_for

INTERVAL = 0.2


async def test_a_call_runs_at_once_and_calls_too_soon_fold_into_one_deferred_run() -> None:
    app: App[None] = App()
    async with app.run_test() as pilot:
        loop = asyncio.get_running_loop()
        runs: list[float] = []
        throttle = Throttle(app, INTERVAL, lambda: runs.append(loop.time()))
        throttle()
        assert len(runs) == 1
        for _ in range(5):
            throttle()
        assert len(runs) == 1  # deferred, not dropped
        await wait_for(pilot, lambda: len(runs) == 2, what="the deferred run")
        assert runs[1] - runs[0] >= INTERVAL * 0.9  # at the end of the interval, not before
        await wait_for(pilot, lambda: loop.time() - runs[1] > INTERVAL, what="a quiet interval")
        assert len(runs) == 2  # the five calls ran once
        throttle()
        assert len(runs) == 3  # a quiet interval later: at once again


async def test_cancel_drops_the_deferred_run() -> None:
    app: App[None] = App()
    async with app.run_test() as pilot:
        loop = asyncio.get_running_loop()
        runs: list[float] = []
        throttle = Throttle(app, INTERVAL, lambda: runs.append(loop.time()))
        throttle()
        throttle()
        throttle.cancel()
        await wait_for(pilot, lambda: loop.time() - runs[0] > 2 * INTERVAL, what="two intervals")
        assert len(runs) == 1
