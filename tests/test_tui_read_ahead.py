"""The picker and the search dialog have the dashboard of their choice read before Enter.

Each read the app makes is counted (`read_dashboard` wrapped); a dashboard read ahead is
shown in the frame Enter closes the dialog, without another read, and is never shown once
something was written after it was read.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from textual.pilot import Pilot

import aiwatch.tui.app as app_module
from aiwatch.store.queries import read_dashboard
from aiwatch.store.read_models import Dashboard, Filter
from aiwatch.tui.app import AiwatchApp
from aiwatch.tui.messages import FeedPublisherChanged
from aiwatch.tui.screens.dashboard import DashboardScreen
from aiwatch.tui.screens.picker import PickerScreen
from aiwatch.tui.screens.search import SearchScreen
from aiwatch.tui.widgets.status_line import StatusLine
from tests.tui_support import cells, press, running, screen_text, settle, wait_for

OPENAI = Filter(company="OpenAI")


class Reads:
    """Every dashboard read, by filter; ``gate`` (when set) holds reads of ``held`` until opened."""

    def __init__(self) -> None:
        self.filters: list[Filter] = []
        self.held: Filter | None = None
        self.gate = threading.Event()
        self.fail: Filter | None = None

    def __call__(self, engine: Engine, filt: Filter = Filter(), **kwargs: Any) -> Dashboard:
        self.filters.append(filt)
        if filt == self.held:
            assert self.gate.wait(10)
        if filt == self.fail:
            self.fail = None
            raise RuntimeError("the read ahead broke")
        return read_dashboard(engine, filt, **kwargs)


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> Iterator[Reads]:
    counted = Reads()
    monkeypatch.setattr(app_module, "read_dashboard", counted)
    yield counted
    counted.gate.set()


def shown(app: AiwatchApp) -> Filter | None:
    """The filter of the dashboard on screen."""
    return app.dashboard.dashboard.filter if app.dashboard.dashboard else None


async def enter_once_read_ahead(
    app: AiwatchApp, pilot: Pilot[None], reads: Reads, wanted: Filter
) -> int:
    """Wait for ``wanted`` to be read ahead, then press Enter without settling (the panels
    must be there at once); how many reads were made before Enter."""
    await wait_for(pilot, lambda: app.dashboard.read_ahead.get(wanted), what="read ahead")
    before = len(reads.filters)
    await pilot.press("enter")
    return before


async def test_a_highlighted_company_is_shown_on_enter_without_another_read(
    populated_engine: Engine, reads: Reads
) -> None:
    async with running(populated_engine) as (app, pilot):
        await press(app, pilot, "c", *"openai")
        assert isinstance(app.screen, PickerScreen)
        before = await enter_once_read_ahead(app, pilot, reads, OPENAI)
        assert not isinstance(app.screen, PickerScreen)
        assert shown(app) == OPENAI
        assert sorted(cells(app, "products")) == ["ChatGPT", "Sora"]
        assert "company: OpenAI" in screen_text(app)
        await press(app, pilot)
        assert reads.filters[before:] == []


async def test_a_typed_search_is_read_ahead_with_the_filters_it_sets(
    populated_engine: Engine, reads: Reads
) -> None:
    async with running(populated_engine) as (app, pilot):
        await press(app, pilot, "slash", *"company:OpenAI video")
        assert isinstance(app.screen, SearchScreen)
        before = await enter_once_read_ahead(
            app, pilot, reads, Filter(company="OpenAI", text="video")
        )
        assert cells(app, "products") == ["Sora"]
        await press(app, pilot)
        assert reads.filters[before:] == []


async def test_a_write_after_the_read_ahead_makes_enter_read_again(
    populated_engine: Engine, reads: Reads
) -> None:
    """Marking an article read commits a write: the read ahead may be stale, so it goes."""
    async with running(populated_engine) as (app, pilot):
        await press(app, pilot, "c", *"openai")
        await wait_for(pilot, lambda: app.dashboard.read_ahead.get(OPENAI), what="read ahead")
        app.dashboard.mark_read([1])  # (what opening an article does, from the dialog's back)
        await wait_for(
            pilot, lambda: app.dashboard.read_ahead.get(OPENAI) is None, what="invalidated"
        )
        before = len(reads.filters)
        await press(app, pilot, "enter")
        assert reads.filters[before:] == [OPENAI]
        assert sorted(cells(app, "products")) == ["ChatGPT", "Sora"]


async def test_enter_during_the_read_ahead_waits_for_it_instead_of_reading_twice(
    populated_engine: Engine, reads: Reads
) -> None:
    async with running(populated_engine) as (app, pilot):
        reads.held = OPENAI
        await pilot.press("c", *"openai")  # (settling would wait for the held read)
        await wait_for(pilot, lambda: app.dashboard.read_ahead.in_flight == OPENAI, what="reading")
        await pilot.press("enter")
        assert "loading…" in screen_text(app)
        reads.gate.set()
        await wait_for(pilot, lambda: shown(app) == OPENAI, what="the panels")
        assert sorted(cells(app, "products")) == ["ChatGPT", "Sora"]
        await press(app, pilot)
        assert reads.filters.count(OPENAI) == 1


async def test_a_failed_read_ahead_leaves_the_dashboard_to_read_its_own(
    populated_engine: Engine, reads: Reads
) -> None:
    async with running(populated_engine) as (app, pilot):
        reads.held = reads.fail = OPENAI
        await pilot.press("c", *"openai")
        await wait_for(pilot, lambda: app.dashboard.read_ahead.in_flight == OPENAI, what="reading")
        await pilot.press("enter")
        reads.gate.set()
        await wait_for(pilot, lambda: shown(app) == OPENAI, what="the panels")
        assert sorted(cells(app, "products")) == ["ChatGPT", "Sora"]
        assert reads.filters.count(OPENAI) == 2  # the read ahead, then the dashboard's own
        assert "failed" not in app.dashboard.query_one(StatusLine).message  # (logged only)


async def test_enter_before_the_read_ahead_starts_reads_the_dashboard_once(
    populated_engine: Engine, reads: Reads
) -> None:
    """Typed and chosen faster than the read ahead waits: the dashboard's own read is the
    only one (the read ahead it asked for is not made as well)."""
    async with running(populated_engine) as (app, pilot):
        before = len(reads.filters)
        await pilot.press("c", *"openai", "enter")
        await wait_for(pilot, lambda: shown(app) == OPENAI, what="the panels")
        await pilot.pause(0.3)  # (longer than the read ahead waits)
        await press(app, pilot)
        assert reads.filters[before:].count(OPENAI) == 1  # (names typed on the way may be read)


async def test_records_changed_elsewhere_in_the_app_drop_what_was_read_ahead(
    populated_engine: Engine, reads: Reads
) -> None:
    """A feed's publisher set from the feeds screen re-extracts its articles in a session of
    its own (no store call): the panels are read again, and so is what was read ahead."""
    async with running(populated_engine) as (app, pilot):
        await press(app, pilot, "c", *"openai")
        await wait_for(pilot, lambda: app.dashboard.read_ahead.get(OPENAI), what="read ahead")
        app.post_message(FeedPublisherChanged(1, "OpenAI", "1 article re-extracted"))
        await wait_for(
            pilot, lambda: app.dashboard.read_ahead.get(OPENAI) is None, what="invalidated"
        )


async def test_a_chosen_filter_is_read_in_the_call_that_sets_it(
    populated_engine: Engine, reads: Reads
) -> None:
    """The dashboard starts the read as its filter changes, not in a message queued behind
    the frames that close the dialog (13-18 ms at 100,000 articles); the header says it
    is loading meanwhile, and the panels follow."""
    async with running(populated_engine) as (app, pilot):
        workers = len(app.workers)
        app.dashboard.filter = OPENAI  # what the picker's Enter does, no message handled yet
        assert len(app.workers) == workers + 1
        assert [w.group for w in app.workers][-1] == "dashboard"
        assert "company: OpenAI  loading…" in str(app.dashboard.query_one("#header").render())
        await wait_for(pilot, lambda: shown(app) == OPENAI, what="the panels")
        assert reads.filters.count(OPENAI) == 1


@pytest.mark.parametrize(("opener", "typed"), [("/", "sora"), ("c", "meta")])
async def test_typing_in_a_dialog_draws_no_frame_of_the_dashboard_under_it(
    populated_engine: Engine, reads: Reads, monkeypatch: pytest.MonkeyPatch, opener: str, typed: str
) -> None:
    """Each letter asks for a read ahead. Posted through the dashboard, whose dialog covers it,
    that message woke the dashboard, and Textual drew the whole screen again, the dashboard
    blended under the dialog's translucent background (10 ms a letter at 120×40), where
    the input's own line is all that changed."""
    frames: list[str] = []
    refresh = DashboardScreen._compositor_refresh

    def counted(screen: DashboardScreen) -> None:
        frames.append(type(screen.app.screen).__name__)
        refresh(screen)

    monkeypatch.setattr(DashboardScreen, "_compositor_refresh", counted)
    async with running(populated_engine) as (app, pilot):
        await press(app, pilot, opener)
        frames.clear()
        for letter in typed:
            await press(app, pilot, letter)
        await wait_for(pilot, lambda: len(reads.filters) > 1, what="a read ahead")
        await settle(app, pilot)
        assert isinstance(app.screen, SearchScreen | PickerScreen)
        assert frames == []
