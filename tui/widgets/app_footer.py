"""The key footer, compacted on small terminals so that every main key fits."""

from __future__ import annotations

from textual import events
from textual.widgets import Footer

COMPACT_BELOW = 120
"""Terminal width under which keys are packed tighter."""
PALETTE_HINT_FROM = 100
"""Terminal width from which the ``^p palette`` hint is shown (Ctrl+P works at any size)."""


class AppFooter(Footer):
    """A `Footer` that packs keys tighter and drops the palette hint when narrow."""

    def on_mount(self) -> None:
        """Fit the current size."""
        self._fit(self.app.size.width)

    def on_resize(self, event: events.Resize) -> None:
        """Fit the new size."""
        self._fit(self.app.size.width)

    def _fit(self, width: int) -> None:
        self.compact = width < COMPACT_BELOW
        self.show_command_palette = width >= PALETTE_HINT_FROM
