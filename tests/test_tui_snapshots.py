"""SVG snapshots of the dashboard and the article screen at 120×40, from fixed data.

Every date shown comes from the fixed data in `tests.tui_support`, the
seeds are not loaded, and background reloads are off: the pictures only change
when the UI does. Review a changed snapshot before ``--snapshot-update``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import suppress
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from textual.pilot import Pilot
from textual.worker import WorkerFailed

from store.db import make_engine
from tests.tui_support import populate
from tui.app import make_app

SIZE = (120, 40)


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    engine = make_engine(f"sqlite:///{tmp_path / 'snap.db'}")
    populate(engine)
    yield engine
    engine.dispose()


async def _settled(pilot: Pilot[Any]) -> None:
    for _ in range(5):  # until no worker is left running (each round lets results land)
        with suppress(WorkerFailed):
            await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        if all(w.is_finished for w in pilot.app.workers):
            break


def test_dashboard_snapshot(engine: Engine, snap_compare: Any) -> None:
    app = make_app(engine=engine, load_bundled_seeds=False, live_reload=0)
    assert snap_compare(app, terminal_size=SIZE, run_before=_settled)


def test_article_screen_snapshot(engine: Engine, snap_compare: Any) -> None:
    app = make_app(engine=engine, load_bundled_seeds=False, live_reload=0)

    async def open_article(pilot: Pilot[Any]) -> None:
        await _settled(pilot)
        await pilot.press("4", "enter")
        await _settled(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=open_article)


def test_entity_screen_snapshot(engine: Engine, snap_compare: Any) -> None:
    app = make_app(engine=engine, load_bundled_seeds=False, live_reload=0)

    async def open_partnership(pilot: Pilot[Any]) -> None:
        await _settled(pilot)
        await pilot.press("1", "down", "enter")
        await _settled(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=open_partnership)
