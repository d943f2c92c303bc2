"""The dashboard's daily-loop keys: what's new, marking read, watching, views, sharing.

`DashboardActions` is mixed into `tui.screens.dashboard.DashboardScreen`; it
works on the loaded `Dashboard` and the panels' tables, and asks the app to
write through `StoreJobRequested` (the store is never touched on the event loop).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from functools import partial
from typing import TYPE_CHECKING

from sqlmodel import Session
from textual.screen import Screen

from aiwatch.store.read_models import ArticleRow, Dashboard, Filter
from aiwatch.store.saved_views import save_view
from aiwatch.store.watchlist import set_watched
from aiwatch.store.whats_new import mark_read, mark_seen
from aiwatch.tui.messages import (
    ArticleActionRequested,
    LinkOpenRequested,
    ReadMarkRequested,
    StoreJobDone,
    StoreJobRequested,
)
from aiwatch.tui.text import line
from aiwatch.tui.widgets.panel_rows import story_unread
from aiwatch.tui.widgets.record_table import RecordTable

if TYPE_CHECKING:
    from aiwatch.tui.widgets.status_line import Severity

PANELS = ("partnerships", "products", "cases", "articles")
ENTITY_OF_PANEL = {"partnerships": "partnership", "products": "product", "cases": "case"}


class DashboardActions(Screen[None]):
    """Keys n/N, m/M, w/W, v/V, g, o, y, | and e of the dashboard."""

    dashboard: Dashboard | None
    filter: Filter

    def set_status(self, message: str, severity: Severity = "information") -> None:
        """Show ``message`` in the status line (the screen defines it)."""
        raise NotImplementedError

    @property
    def user(self) -> str:
        """Whose read state, watchlist and views these are."""
        return str(getattr(self.app, "user", "default"))

    # What is new -----------------------------------------------------------------------

    def new_keys(self, panel: str) -> set[str]:
        """Row keys of ``panel`` that are new or changed (unread, for articles)."""
        board = self.dashboard
        if board is None:
            return set()
        news = board.whats_new
        if panel == "articles":
            return {str(a.id) for a in board.articles if story_unread(a, news.unread)}
        changed = {
            "partnerships": news.partnerships,
            "products": news.products,
            "cases": news.cases,
        }
        return {str(i) for i in changed[panel]}

    def story(self, key: str | None) -> ArticleRow | None:
        """The loaded story row with ``key``."""
        if self.dashboard is None or key is None:
            return None
        return next((a for a in self.dashboard.articles if str(a.id) == key), None)

    def _focused_panel(self) -> str:
        for name in PANELS:
            if self.query_one(f"#{name}", RecordTable).has_focus:
                return name
        return "partnerships"

    def action_next_new(self, step: int) -> None:
        """Move to the next (``step=1``) or previous new row, across panels, wrapping."""
        rows = [
            (name, index, key)
            for name in PANELS
            for index, key in enumerate(self.query_one(f"#{name}", RecordTable).keys)
        ]
        fresh = {name: self.new_keys(name) for name in PANELS}
        focused = self._focused_panel()
        here = (focused, self.query_one(f"#{focused}", RecordTable).cursor_row)
        at = next((i for i, (n, r, _) in enumerate(rows) if (n, r) == here), -1 if step > 0 else 0)
        for offset in range(1, len(rows) + 1):
            name, index, key = rows[(at + step * offset) % len(rows)]
            if key in fresh[name]:
                table = self.query_one(f"#{name}", RecordTable)
                self.set_focus(table)
                table.move_cursor(row=index, animate=False)
                what = line(
                    table.cell_text(key, table.spec_keys[2 if name == "articles" else 1]), limit=70
                )
                change = self._change(name, key)
                self.set_status(f"New: {what} ({change})" if change else f"Unread: {what}")
                return
        self.set_status("Nothing new: you have seen everything here (m marks a row new again).")

    def _change(self, panel: str, key: str) -> str:
        board = self.dashboard
        if board is None or panel == "articles":
            return ""
        news = board.whats_new
        changed = {
            "partnerships": news.partnerships,
            "products": news.products,
            "cases": news.cases,
        }
        return changed[panel].get(int(key), "")

    def mark_read(self, article_ids: list[int], read: bool = True) -> None:
        """Mark articles read (or unread) for this user."""
        self.post_message(ReadMarkRequested(article_ids, read))

    def reflect_read(self, article_ids: Sequence[int], read: bool) -> None:
        """Show articles as read (or unread) without reading the panels again."""
        board = self.dashboard
        if board is None:
            return
        news = board.whats_new
        ids = frozenset(article_ids)
        unread = news.unread - ids if read else news.unread | ids
        if unread != news.unread:
            self.dashboard = replace(board, whats_new=replace(news, unread=unread))
            self.show_panel("articles")

    def show_panel(self, name: str) -> None:
        """Put panel ``name``'s loaded rows on screen again (the screen defines it)."""
        raise NotImplementedError

    def action_toggle_read(self) -> None:
        """``m``: the highlighted row read if new, new again if read."""
        name = self._focused_panel()
        table = self.query_one(f"#{name}", RecordTable)
        key = table.selected_key
        if key is None:
            return
        fresh = key in self.new_keys(name)
        if name == "articles":
            story = self.story(key)
            ids = list(story.versions) if story and story.versions else [int(key)]
            self.mark_read(ids, read=fresh)
        else:
            kind = ENTITY_OF_PANEL[name]
            user = self.user
            self.post_message(
                StoreJobRequested(
                    self, "seen", lambda db: mark_seen(db, user, kind, [int(key)], seen=fresh)
                )
            )
        self.set_status("Marked read." if fresh else "Marked new again.")

    def action_mark_all_read(self) -> None:
        """``M``: everything this view shows read and seen."""
        board = self.dashboard
        if board is None:
            return
        user = self.user
        articles = [i for a in board.articles for i in (a.versions or (a.id,))]
        entities = {
            "partnership": [r.id for r in board.partnerships],
            "product": [r.id for r in board.products],
            "case": [r.id for r in board.cases],
        }

        def everything(db: Session) -> None:
            mark_read(db, user, articles)
            for kind, ids in entities.items():
                mark_seen(db, user, kind, ids)

        self.post_message(StoreJobRequested(self, "all-read", everything))
        self.set_status("Everything in this view is marked read.")

    # Watching --------------------------------------------------------------------------

    def action_toggle_watch(self) -> None:
        """``w``: watch the highlighted partnership, product or case, or stop watching it."""
        name = self._focused_panel()
        if name == "articles":
            self.set_status(
                "Watch a partnership, product or case (1–3), or a company from its screen.",
                "warning",
            )
            return
        key = self.query_one(f"#{name}", RecordTable).selected_key
        if key is None or self.dashboard is None:
            return
        kind = ENTITY_OF_PANEL[name]
        now = (kind, int(key)) not in self.dashboard.whats_new.watched
        user = self.user
        self.post_message(
            StoreJobRequested(self, "watch", lambda db: set_watched(db, user, kind, int(key), now))
        )
        table = self.query_one(f"#{name}", RecordTable)
        label = line(table.cell_text(key, table.spec_keys[1]), limit=60)
        self.set_status(
            f"Watching {label}: its news pops up during refreshes (W: watchlist)."
            if now
            else f"Stopped watching {label}."
        )

    def action_watchlist(self) -> None:
        """``W``: the watched records and their new events."""
        from aiwatch.tui.screens.watchlist import WatchlistScreen

        self.app.push_screen(WatchlistScreen())

    # Views -----------------------------------------------------------------------------

    def action_views(self) -> None:
        """``v``: recall a saved view."""
        from aiwatch.tui.screens.views import ViewsScreen

        def chosen(filt: Filter | None) -> None:
            if filt is not None:
                self.filter = filt

        self.app.push_screen(ViewsScreen(), chosen)

    def action_save_view(self) -> None:
        """``V``: save the current filter and order under a name."""
        from aiwatch.tui.screens.prompt import PromptScreen

        filt = self.filter
        if not filt.active:
            self.set_status("Narrow the view first (c, t or /), then V saves it.", "warning")
            return
        user = self.user

        def named(name: str | None) -> None:
            if name and name.strip():
                self.post_message(
                    StoreJobRequested(
                        self,
                        "view-saved",
                        partial(save_view, user=user, name=name, filt=filt),
                        reload=False,
                    )
                )

        self.app.push_screen(
            PromptScreen("Save this view as", placeholder="e.g. Midjourney litigation"), named
        )

    def on_store_job_done(self, message: StoreJobDone) -> None:
        """Say what a write did, when it has something to say."""
        if message.tag == "view-saved":
            self.set_status(
                f"Saved view {line(getattr(message.result, 'name', ''), limit=60)}: v recalls it."
            )

    def action_trends(self) -> None:
        """``g``: articles per week by topic and company, for this view."""
        from aiwatch.tui.screens.trends import TrendsScreen

        self.app.push_screen(TrendsScreen(self.filter))

    # Reading and sharing ---------------------------------------------------------------

    def _article(self, verb: str) -> ArticleRow | None:
        table = self.query_one("#articles", RecordTable)
        if not table.has_focus:
            self.set_status(
                f"{verb} works on articles: press 4, pick one, then press it again.", "warning"
            )
            return None
        return self.story(table.selected_key)

    def action_open_link(self) -> None:
        """``o``: open the highlighted article in the browser."""
        article = self._article("Opening a link")
        if article is not None:
            self.post_message(LinkOpenRequested(article.url))

    def action_copy_link(self) -> None:
        """``y``: copy the highlighted article's link."""
        article = self._article("Copying a link")
        if article is not None:
            self.post_message(ArticleActionRequested("copy-link", article.id, article.url))

    def action_pipe_article(self) -> None:
        """``|``: pipe the highlighted article to a command and show its output."""
        article = self._article("Piping")
        if article is not None:
            self.post_message(ArticleActionRequested("pipe", article.id, article.url))

    def action_export_view(self) -> None:
        """``e``: export what this view shows to a file."""
        from aiwatch.tui.screens.export import ExportScreen

        self.app.push_screen(ExportScreen(self.filter))
