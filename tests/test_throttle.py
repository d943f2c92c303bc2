"""`tui.throttle.Throttle`: at once, then at most once per interval, never dropping the last call."""

from __future__ import annotations

from textual.app import App

from aiwatch.tui.throttle import Throttle


async def test_a_call_runs_at_once_and_calls_too_soon_fold_into_one_deferred_run() -> None:
    app: App[None] = App()
    async with app.run_test() as pilot:
        runs: list[int] = []
        throttle = Throttle(app, 0.2, lambda: runs.append(len(runs)))
        throttle()
        assert runs == [0]
        for _ in range(5):
            throttle()
        assert runs == [0]  # deferred, not dropped
        await pilot.pause(0.4)
        assert runs == [0, 1]  # the five calls ran once, at the end of the interval
        await pilot.pause(0.3)
        throttle()
        assert runs == [0, 1, 2]  # a quiet interval later: at once again


async def test_cancel_drops_the_deferred_run() -> None:
    app: App[None] = App()
    async with app.run_test() as pilot:
        runs: list[int] = []
        throttle = Throttle(app, 0.2, lambda: runs.append(len(runs)))
        throttle()
        throttle()
        throttle.cancel()
        await pilot.pause(0.4)
        assert runs == [0]
