"""Command palette entries for the daily loop: saved views, the watchlist, trends, marking read."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from functools import partial

from sqlalchemy.exc import SQLAlchemyError
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

from aiwatch.store.db import StoreError, session
from aiwatch.store.read_models import Filter
from aiwatch.store.saved_views import ViewRow, list_views
from aiwatch.tui.screens.search_anything import highlight
from aiwatch.tui.screens.views import describe
from aiwatch.tui.text import line


def _views(app: object) -> list[ViewRow]:
    engine, user = getattr(app, "engine", None), str(getattr(app, "user", "default"))
    if engine is None:
        return []
    with session(engine) as db:
        return list_views(db, user)


class LoopCommands(Provider):
    """Recall a saved view by name; open the watchlist or trends; mark everything read."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._commands: list[tuple[str, str, Callable[[], object]]] = []

    async def startup(self) -> None:
        """Read the saved views off the event loop."""
        try:
            views = await asyncio.to_thread(_views, self.app)
        except (SQLAlchemyError, StoreError):
            views = []
        dashboard = getattr(self.app, "dashboard", None)
        commands: list[tuple[str, str, Callable[[], object]]] = [
            (f"View: {line(v.name, limit=80)}", describe(v.filter), partial(self._recall, v.filter))
            for v in views
        ]
        if dashboard is not None:
            commands += [
                ("Watchlist", "what you watch and its news (W)", dashboard.action_watchlist),
                ("Trends", "articles per week by topic and company (g)", dashboard.action_trends),
                ("Save this view…", "name the current filter (V)", dashboard.action_save_view),
                ("Saved views", "recall or delete a saved view (v)", dashboard.action_views),
                ("Mark everything read", "in the current view (M)", dashboard.action_mark_all_read),
                (
                    "Export this view…",
                    "a Markdown brief, JSON or CSV (e)",
                    dashboard.action_export_view,
                ),
            ]
        self._commands = commands

    def _recall(self, filt: Filter) -> None:
        dashboard = getattr(self.app, "dashboard", None)
        if dashboard is None:
            return
        while len(self.app.screen_stack) > 1:
            self.app.pop_screen()
        dashboard.filter = filt

    async def search(self, query: str) -> Hits:
        """Commands whose name fuzzily matches ``query``."""
        matcher = self.matcher(query)
        for name, help_text, command in self._commands:
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, highlight(matcher, name), command, text=name, help=help_text)

    async def discover(self) -> Hits:
        """With no query: every command and saved view."""
        for name, help_text, command in self._commands:
            yield DiscoveryHit(Content(name), command, text=name, help=help_text)
