"""One line at the bottom of the dashboard saying what last happened."""

from __future__ import annotations

from typing import Literal

from textual.widgets import Static

from aiwatch.tui.text import plain

Severity = Literal["information", "warning", "error"]


class StatusLine(Static):
    """The latest status message; errors and warnings are coloured by class."""

    def show(self, message: str, severity: Severity = "information") -> None:
        """Replace the message (``message`` may contain data: it is shown literally)."""
        self.set_class(severity == "error", "-error")
        self.set_class(severity == "warning", "-warning")
        self.update(plain(message))

    @property
    def message(self) -> str:
        """The text currently shown."""
        return str(self.content)
