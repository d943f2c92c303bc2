"""One article: its text, insights or key points, and the entities found in it."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Static

from aiwatch.store.read_models import ArticleDetail
from aiwatch.tui.messages import (
    ArticleActionRequested,
    ArticleLoaded,
    ArticleRequested,
    LinkOpenRequested,
    ReadMarkRequested,
)
from aiwatch.tui.text import assemble
from aiwatch.tui.widgets.app_footer import AppFooter
from aiwatch.tui.widgets.article_body import ArticleBody
from aiwatch.tui.widgets.mention_list import MentionList


class ArticleScreen(Screen[None]):
    """Reads an article in a worker and shows it; Enter on an entity opens the entity screen."""

    AUTO_FOCUS = "#article-body"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="back"),
        Binding(
            "o", "open_link", "Open", tooltip="Open the article in the browser", id="open-link"
        ),
        Binding("y", "copy_link", "Copy link", tooltip="Copy the article's link", id="copy-link"),
        Binding(
            "vertical_line",
            "pipe_article",
            "Pipe",
            tooltip="Pipe the article to a command and show its output",
            id="pipe-article",
        ),
        Binding("e", "focus_entities", "Entities", id="focus-entities"),
        Binding(
            "m",
            "mark_unread",
            "Unread",
            show=False,
            tooltip="Mark the article unread again",
            id="toggle-read",
        ),
    ]

    def __init__(self, article_id: int) -> None:
        super().__init__(classes="detail-screen")
        self.article_id = article_id
        self.detail: ArticleDetail | None = None

    def compose(self) -> ComposeResult:
        """Title bar, the scrollable body, the entity list and the footer."""
        yield Static("Loading article…", id="detail-title", markup=False)
        yield ArticleBody(id="article-body")
        yield MentionList(id="mentions")
        yield AppFooter()

    def on_mount(self) -> None:
        """Ask for the article."""
        self.query_one(MentionList).border_title = "Entities found · Enter opens"
        self.post_message(ArticleRequested(self, self.article_id))
        self._mark(read=True)

    def _mark(self, *, read: bool) -> None:
        self.post_message(ReadMarkRequested([self.article_id], read))

    def on_article_loaded(self, message: ArticleLoaded) -> None:
        """Show the article, or say it is gone."""
        title = self.query_one("#detail-title", Static)
        if message.detail is None:
            title.update(assemble(("This article no longer exists.", "bold $error")))
            return
        self.detail = message.detail
        title.update(assemble(("Article  ", "$text-muted"), (message.detail.row.title, "bold")))
        self.query_one(ArticleBody).show(message.detail)
        self.query_one(MentionList).show(message.detail.mentions)

    @on(MentionList.EntityChosen)
    def open_entity(self, event: MentionList.EntityChosen) -> None:
        """Drill down to the chosen entity."""
        from aiwatch.tui.screens.entity import EntityScreen

        self.app.push_screen(EntityScreen(event.entity_type, event.entity_id))

    def action_focus_entities(self) -> None:
        """Move to the entity list."""
        self.set_focus(self.query_one(MentionList))

    def action_open_link(self) -> None:
        """Open the article's link in the browser."""
        self.post_message(LinkOpenRequested(self.detail.row.url if self.detail else None))

    def action_copy_link(self) -> None:
        """Copy the article's link."""
        url = self.detail.row.url if self.detail else None
        self.post_message(ArticleActionRequested("copy-link", self.article_id, url))

    def action_pipe_article(self) -> None:
        """Pipe the article to a command."""
        self.post_message(ArticleActionRequested("pipe", self.article_id))

    def action_mark_unread(self) -> None:
        """Mark it unread again (it stays new on the dashboard)."""
        self._mark(read=False)
        self.notify("Marked unread.", title="Article")

    def action_back(self) -> None:
        """Return to the previous screen."""
        self.dismiss()
