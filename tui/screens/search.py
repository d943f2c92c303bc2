"""Ask for a search in the query language (`store.search_query`) and check it before closing."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from aiwatch.store.search_query import QueryError, parse_query
from aiwatch.tui.text import assemble, line

HINT = (
    'words, "a phrase", -word, a OR b, company:Meta topic:litigation product:Sora '
    "source:wired after:2025-06-01 before:2026"
)


class SearchScreen(ModalScreen[str | None]):
    """A one-line dialog; dismisses with the query (empty clears the search) or ``None``.

    A query that cannot be read (a bad date, too many terms) keeps the dialog
    open with the reason under the input.
    """

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel", id="cancel")]

    def __init__(self, text: str = "", *, preview: Callable[[str], None] | None = None) -> None:
        """``preview`` is told each query typed that reads, to read ahead."""
        super().__init__(classes="dialog")
        self.text = text
        self.preview = preview

    def compose(self) -> ComposeResult:
        """Title, input, the language in brief, and a line for errors."""
        with Vertical(id="search-dialog"):
            yield Label("Search articles and records", classes="dialog-title")
            yield Input(
                self.text, placeholder='e.g. midjourney -lawsuit "fair use"', id="search-input"
            )
            yield Static(HINT, classes="dialog-hint", markup=False)
            yield Static("", id="search-error", markup=False)
            yield Label("Enter search · empty Enter clears · Esc cancel", classes="dialog-hint")

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        try:
            parse_query(event.value)
        except QueryError:
            return
        if self.preview is not None:
            self.preview(event.value)

    @on(Input.Submitted)
    def submit(self, event: Input.Submitted) -> None:
        """Search for the typed query, if it can be read."""
        try:
            parse_query(event.value)
        except QueryError as exc:
            self.query_one("#search-error", Static).update(assemble((line(str(exc)), "$error")))
            return
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        """Close without changing the search."""
        self.dismiss(None)
