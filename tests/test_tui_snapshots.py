"""SVG snapshots of the dashboard (80×24, 120×40, 160×48) and drill-down screens.

The data is what the real extractor finds in the reference seed and a second
article (`tests.tui_support.populate`); every date shown is fixed there, the
seeds are not loaded, and background reloads are off: the pictures only change
when the UI does. Review a changed snapshot before ``--snapshot-update``.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.engine import Engine
from textual.pilot import Pilot

from aiwatch.tui.app import make_app
from aiwatch.tui.config import Settings
from tests.tui_support import settle

SIZE = (120, 40)
SETTINGS = Settings(user="analyst")  # the same user on every machine: read state is per user


@pytest.fixture
def engine(populated_engine: Engine) -> Engine:
    """The reference seed and one other article, as the pipeline stores them."""
    return populated_engine


async def _settled(pilot: Pilot[Any]) -> None:
    await settle(pilot.app, pilot)


def test_dashboard_snapshot(engine: Engine, snap_compare: Any) -> None:
    app = make_app(engine=engine, settings=SETTINGS, load_bundled_seeds=False, live_reload=0)
    assert snap_compare(app, terminal_size=SIZE, run_before=_settled)


@pytest.mark.parametrize("size", [(80, 24), (160, 48)], ids=["80x24", "160x48"])
def test_dashboard_snapshot_at_small_and_large_sizes(
    engine: Engine, snap_compare: Any, size: tuple[int, int]
) -> None:
    """80×24: the active panel large, the others' first rows; 160×48: every panel stacked.

    The Articles panel is read, so read and unread rows both show.
    """
    app = make_app(engine=engine, settings=SETTINGS, load_bundled_seeds=False, live_reload=0)

    async def read_one(pilot: Pilot[Any]) -> None:
        await _settled(pilot)
        await pilot.press("4", "m", "1")
        await _settled(pilot)

    assert snap_compare(app, terminal_size=size, run_before=read_one)


def test_article_screen_snapshot(engine: Engine, snap_compare: Any) -> None:
    app = make_app(engine=engine, settings=SETTINGS, load_bundled_seeds=False, live_reload=0)

    async def open_article(pilot: Pilot[Any]) -> None:
        await _settled(pilot)
        await pilot.press("4", "enter")
        await _settled(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=open_article)


def test_entity_screen_snapshot(engine: Engine, snap_compare: Any) -> None:
    app = make_app(engine=engine, settings=SETTINGS, load_bundled_seeds=False, live_reload=0)

    async def open_partnership(pilot: Pilot[Any]) -> None:
        await _settled(pilot)
        await pilot.press("1", "down", "enter")
        await _settled(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=open_partnership)
