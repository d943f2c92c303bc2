"""A one-line question: type a value, Enter gives it back, Esc cancels."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from aiwatch.tui.text import plain


class PromptScreen(ModalScreen[str | None]):
    """Dismisses with the typed text (possibly empty) or ``None`` on Esc."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel", id="cancel")]

    def __init__(
        self, title: str, value: str = "", *, placeholder: str = "", hint: str = ""
    ) -> None:
        super().__init__(classes="dialog")
        self.title_text = title
        self.value = value
        self.placeholder = placeholder
        self.hint = hint or "Enter saves · Esc cancels"

    def compose(self) -> ComposeResult:
        """Title (may hold data: shown literally), input and hint."""
        with Vertical(id="prompt-dialog"):
            yield Label(plain(self.title_text), classes="dialog-title")
            yield Input(self.value, placeholder=self.placeholder, id="prompt-input")
            yield Label(plain(self.hint), classes="dialog-hint")

    @on(Input.Submitted)
    def submit(self, event: Input.Submitted) -> None:
        """Give back what was typed."""
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        """Close without an answer."""
        self.dismiss(None)
