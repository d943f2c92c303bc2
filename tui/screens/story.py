"""One story, every version: the same event as each outlet reported it."""

from __future__ import annotations

from typing import ClassVar

from sqlmodel import Session, col, select
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Static

from aiwatch.store.models import Article
from aiwatch.store.queries import article_rows
from aiwatch.store.read_models import ArticleRow
from aiwatch.tui.messages import StoreJobDone, StoreJobRequested
from aiwatch.tui.text import assemble, cell, date
from aiwatch.tui.widgets.app_footer import AppFooter
from aiwatch.tui.widgets.record_table import ColumnSpec, RecordTable

VERSION_COLUMNS = (
    ColumnSpec("date", "Date", 10),
    ColumnSpec("source", "Outlet", min_width=14),
    ColumnSpec("title", "Title", min_width=20, weight=3),
)


def load_versions(db: Session, ids: tuple[int, ...]) -> list[ArticleRow]:
    """The story's articles, in the order given (first report first)."""
    rows = article_rows(db, db.exec(select(Article).where(col(Article.id).in_(ids))).all())
    by_id = {r.id: r for r in rows}
    return [by_id[i] for i in ids if i in by_id]


class StoryScreen(Screen[None]):
    """Every outlet's version of one story; Enter opens that article."""

    AUTO_FOCUS = "#versions"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "back", "Back", id="back")]

    def __init__(self, versions: tuple[int, ...]) -> None:
        super().__init__(classes="detail-screen")
        self.versions = versions

    def compose(self) -> ComposeResult:
        """Title, the versions and the footer."""
        yield Static("Loading the story…", id="detail-title", markup=False)
        yield RecordTable(VERSION_COLUMNS, id="versions")
        yield AppFooter()

    def on_mount(self) -> None:
        """Read the versions."""
        ids = self.versions
        self.post_message(
            StoreJobRequested(self, "versions", lambda db: load_versions(db, ids), reload=False)
        )

    def on_store_job_done(self, message: StoreJobDone) -> None:
        """Show every version, the first report first."""
        rows: list[ArticleRow] = message.result  # type: ignore[assignment]
        title = self.query_one("#detail-title", Static)
        if not rows:
            title.update(assemble(("This story no longer exists.", "bold $error")))
            return
        outlets = len({r.source for r in rows})
        title.update(
            assemble(
                ("Story  ", "$text-muted"),
                (rows[0].title, "bold"),
                (
                    f"  {len(rows)} versions from {outlets} outlets · first: {rows[0].source}",
                    "$text-muted",
                ),
            )
        )
        table = self.query_one(RecordTable)
        table.border_title = "Every version · Enter opens"
        table.sync(
            [
                (
                    str(r.id),
                    (
                        cell(date(r.published or r.fetched)),
                        cell(r.source or "—", "bold"),
                        cell(r.title),
                    ),
                )
                for r in rows
            ]
        )

    @on(DataTable.RowSelected)
    def open_version(self, event: DataTable.RowSelected) -> None:
        """Open the chosen version."""
        from aiwatch.tui.screens.article import ArticleScreen

        if event.row_key.value:
            self.app.push_screen(ArticleScreen(int(event.row_key.value)))

    def action_back(self) -> None:
        """Return to the dashboard."""
        self.dismiss()
