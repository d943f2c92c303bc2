"""The key footer, compacted on small terminals so that every main key fits."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

COMPACT_BELOW = 120
"""Terminal width under which keys are packed tighter."""
PALETTE_HINT_FROM = 100
"""Terminal width from which the ``^p palette`` hint is shown (Ctrl+P works at any size)."""
HIDDEN_WHEN_NARROW = frozenset({"enter"})
"""Keys left out of the footer below `PALETTE_HINT_FROM` columns (the status line and ``?``
name them), so that 80 columns hold the rest."""


Shown = tuple[tuple[tuple[str, str, bool, str], ...], bool, bool]
"""What a footer shows: (key, description, enabled, tooltip) of each key, narrow, palette hint."""


class AppFooter(Footer):
    """A `Footer` that packs keys tighter and drops the palette hint when narrow."""

    def __init__(self) -> None:
        compact, palette = _fitted(self.app.size.width)  # from the start: composed once
        super().__init__(compact=compact, show_command_palette=palette)

    def on_resize(self, event: events.Resize) -> None:
        """Fit the new size."""
        self._fit(self.app.size.width)

    _narrow: bool | None = None
    """Whether the keys were last composed for a narrow terminal."""

    _composed: Shown | None = None
    """What the keys were last composed from (see `_shown`)."""

    def _shown(self, screen: Screen[object]) -> Shown:
        """What the footer would show for ``screen``: its keys, their state, the width class."""
        keys = tuple(
            (binding.key, binding.description, enabled, tooltip)
            for _, binding, enabled, tooltip in screen.active_bindings.values()
            if binding.show
        )
        return keys, self.app.size.width < PALETTE_HINT_FROM, self.show_command_palette

    _queued: Shown | None = None
    """What a recompose already asked for will show (changes in one refresh come in bursts)."""

    def bindings_changed(self, screen: Screen[object]) -> None:
        """Compose the keys again only when what they show changed.

        Textual recomposes on every change of focus or bindings, restyling each key
        (a tenth of a second per filter key on the dashboard); most changes show the same keys.
        """
        if self.is_attached and screen is self.screen and screen.app.app_focus:
            shown = self._shown(screen)
            if shown in (self._composed, self._queued):
                return
            if self._queued is None and self._dim_in_place(screen, shown):
                return
            self._queued = shown
        super().bindings_changed(screen)

    def _dim_in_place(self, screen: Screen[object], shown: Shown) -> bool:
        """When only keys' enabled state changed, dim or light them without composing
        (``x Clear`` on the dashboard each time a filter comes or goes)."""
        if self._composed is None or not _same_keys(shown, self._composed):
            return False
        enabled = {
            binding.key: on for _, binding, on, _ in screen.active_bindings.values() if binding.show
        }
        for key in self.query(FooterKey):
            if key.key in enabled and key._disabled == enabled[key.key]:
                key._disabled = not enabled[key.key]  # (a click on a dim key rings the bell)
                key.set_class(key._disabled, "-disabled")
        self._composed = shown
        return True

    def compose(self) -> ComposeResult:
        """Textual's footer keys, without `HIDDEN_WHEN_NARROW` on a narrow terminal and
        without the keys the screen names in ``FOOTER_HIDDEN`` (``f Feeds`` on the feeds
        screen: the key is still bound, and ``?`` lists it)."""
        self._narrow = narrow = self.app.size.width < PALETTE_HINT_FROM
        self._composed = self._queued = None
        # The screen's and the app's keys are known before focus lands: show them at once
        # instead of composing nothing now and the same keys once focus has landed.
        self.set_reactive(Footer._bindings_ready, True)
        hidden: frozenset[str] = getattr(self.screen, "FOOTER_HIDDEN", frozenset())
        for widget in super().compose():
            if isinstance(widget, FooterKey) and (
                widget.key in hidden or (narrow and widget.key in HIDDEN_WHEN_NARROW)
            ):
                continue
            if self._composed is None:
                self._composed = self._shown(self.screen)
            if isinstance(widget, FooterKey):  # (the palette key is not bound: stays compact)
                _start_as(widget, compact=self.compact or widget.has_class("-command-palette"))
            yield widget

    def _fit(self, width: int) -> None:
        self.compact, self.show_command_palette = _fitted(width)
        if self._narrow is not None and self._narrow != (width < PALETTE_HINT_FROM):
            self.call_later(self.recompose)  # the terminal crossed the line: keys come or go


def _same_keys(shown: Shown, composed: Shown) -> bool:
    """Whether two footers differ at most in which keys are enabled."""
    keys, *rest = shown
    old_keys, *old_rest = composed
    return rest == old_rest and [(k, d, t) for k, d, _, t in keys] == [
        (k, d, t) for k, d, _, t in old_keys
    ]


def _fitted(width: int) -> tuple[bool, bool]:
    """The footer's ``compact`` and ``show_command_palette`` for a terminal ``width`` wide."""
    return width < COMPACT_BELOW, width >= PALETTE_HINT_FROM


def _start_as(key: FooterKey, *, compact: bool) -> None:
    """Give a new key the footer's ``compact`` before it mounts.

    A `FooterKey` starts compact and its data binding then copies the footer's value, so
    each key of a wide footer was restyled twice as it mounted (80 ms for a screen's footer).
    """
    key.set_reactive(FooterKey.compact, compact)
    key.set_class(compact, "-compact", update=False)
