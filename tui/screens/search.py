"""Ask for the text to search every panel for."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label


class SearchScreen(ModalScreen[str | None]):
    """A one-line dialog; dismisses with the text (empty clears the search) or ``None``."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel", id="cancel")]

    def __init__(self, text: str = "") -> None:
        super().__init__(classes="dialog")
        self.text = text

    def compose(self) -> ComposeResult:
        """Title, input and hint."""
        with Vertical(id="search-dialog"):
            yield Label("Search titles, text and records", classes="dialog-title")
            yield Input(
                self.text, placeholder="e.g. video, fair use, licensing…", id="search-input"
            )
            yield Label("Enter search · empty Enter clears · Esc cancel", classes="dialog-hint")

    @on(Input.Submitted)
    def submit(self, event: Input.Submitted) -> None:
        """Search for the typed text."""
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        """Close without changing the search."""
        self.dismiss(None)
