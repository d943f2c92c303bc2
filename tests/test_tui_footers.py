"""Every screen's footer holds its keys and Quit, at 80 columns and at 120."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from textual.widget import Widget
from textual.widgets._footer import FooterKey

from aiwatch.store.db import make_engine
from aiwatch.tui.app import make_app
from aiwatch.tui.screens.article import ArticleScreen
from aiwatch.tui.screens.feeds import FeedsScreen
from aiwatch.tui.widgets.app_footer import COMPACT_BELOW, AppFooter
from aiwatch.tui.widgets.status_line import StatusLine
from tests.tui_support import press, running, wait_for


@pytest.mark.parametrize("width", [80, 120])
async def test_the_feeds_screen_footer_fits_with_quit(tmp_path: Path, width: int) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'footer.db'}")
    app = make_app(engine=engine, load_bundled_seeds=False, live_reload=0)
    async with app.run_test(size=(width, 24)) as pilot:
        await pilot.press("f")
        await wait_for(pilot, lambda: isinstance(app.screen, FeedsScreen), what="the feeds screen")
        await pilot.pause()
        footer = app.screen.query_one(AppFooter)
        keys = [child for child in footer.children if child.display]
        right = max(child.region.right for child in keys)
        assert right <= width, [str(k.key) for k in keys]
        shown = {str(getattr(k, "key", "")) for k in keys}
        assert {"escape", "r", "a", "d", "p", "s", "q"} <= shown
        assert "f" not in shown  # this is the feeds screen
    engine.dispose()


async def test_the_footer_composes_its_keys_again_only_when_they_change(
    populated_engine: Engine,
) -> None:
    """Moving between panels keeps the footer's key widgets; a filter lights ``x Clear``
    (dimmed while nothing is filtered) in place, without composing the keys again."""
    async with running(populated_engine) as (app, pilot):
        footer = app.screen.query_one(AppFooter)
        keys = list(footer.query(FooterKey))
        clear = next(k for k in keys if k.key == "x")
        assert clear.has_class("-disabled")
        await press(app, pilot, "2", "3", "4", "1")
        assert list(footer.query(FooterKey)) == keys  # the same widgets: nothing recomposed
        await press(app, pilot, "slash", *"meta", "enter")
        await wait_for(pilot, lambda: not clear.has_class("-disabled"), what="x Clear lit")
        assert list(footer.query(FooterKey)) == keys
        await press(app, pilot, "x")
        await wait_for(pilot, lambda: clear.has_class("-disabled"), what="x Clear dimmed")
        assert list(footer.query(FooterKey)) == keys
        assert app.screen.query_one(StatusLine).message == "Filters cleared."


@pytest.mark.parametrize("width", [80, 120])
async def test_a_new_screen_composes_its_footer_once_in_its_final_style(
    populated_engine: Engine, width: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Opening an article lays out its footer's keys once, each key already in the footer's
    compact or wide style (Textual composed them empty, then twice over, restyling each key)."""
    composed: list[tuple[str, ...]] = []
    restyled: list[FooterKey] = []
    compose = AppFooter.compose
    update = FooterKey.update_node_styles

    def counting_compose(self: AppFooter) -> Iterator[Widget]:
        widgets = list(compose(self))
        if isinstance(self.screen, ArticleScreen):
            composed.append(tuple(str(getattr(w, "key", "")) for w in widgets))
        return iter(widgets)

    def counting_update(self: FooterKey, animate: bool = True) -> None:
        restyled.append(self)
        update(self, animate)

    async with running(populated_engine, size=(width, 24)) as (app, pilot):
        monkeypatch.setattr(AppFooter, "compose", counting_compose)
        monkeypatch.setattr(FooterKey, "update_node_styles", counting_update)
        await press(app, pilot, "4", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ArticleScreen), what="the article")
        await pilot.pause()
        footer = app.screen.query_one(AppFooter)
        assert composed == [tuple(str(key.key) for key in footer.query(FooterKey))]
        assert "escape" in composed[0]
        assert [key for key in restyled if key.screen is app.screen] == []
        bound = [key for key in footer.query(FooterKey) if not key.has_class("-command-palette")]
        assert {key.has_class("-compact") for key in bound} == {width < COMPACT_BELOW}
