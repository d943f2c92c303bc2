"""Pick a company or topic to filter by: names with article counts, type to narrow."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from aiwatch.store.read_models import CountRow
from aiwatch.tui.messages import CountsLoaded, CountsRequested
from aiwatch.tui.text import assemble, line

HINT = "Enter pick · ↑↓ move · Esc cancel"
ANY = "\x00any"
"""Option id of the "any" entry (no real name contains NUL)."""
SHOWN = 200
"""Names listed at most (the most written about first); typing narrows to the rest. Each
option is laid out as it is added: all 1,900 companies of a year took 0.2 s a keystroke."""


class PickerScreen(ModalScreen[str | None]):
    """A dialog listing names with their article counts.

    Dismisses with the chosen name, ``""`` for "any" (drop this filter), or
    ``None`` when cancelled.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss_none", "Cancel", id="cancel"),
        Binding("down", "move(1)", "Next", show=False, id="next-option"),
        Binding("up", "move(-1)", "Previous", show=False, id="previous-option"),
    ]

    def __init__(
        self,
        kind: str,
        *,
        current: str | None = None,
        preview: Callable[[str], None] | None = None,
    ) -> None:
        """``preview`` is told each name highlighted (``""`` for "any"), to read ahead."""
        super().__init__(classes="dialog")
        self.kind = kind
        self.current = current
        self.preview = preview
        self.rows: tuple[CountRow, ...] | None = None  # (None: the counts are on their way)
        self._folded: list[str] = []  # each row's name as shown, case-folded, to narrow by

    def compose(self) -> ComposeResult:
        """Title, the narrowing input, the list and a hint."""
        with Vertical(id="picker-dialog"):
            yield Label(f"Filter by {self.kind}", classes="dialog-title")
            yield Input(placeholder="Type to narrow…", id="picker-input")
            yield OptionList(id="picker-options")
            yield Label(HINT, id="picker-hint", classes="dialog-hint", markup=False)

    def on_mount(self) -> None:
        """Ask for the counts."""
        self.query_one(OptionList).add_option(Option("Loading…", disabled=True))
        self.post_message(CountsRequested(self, self.kind))

    def on_counts_loaded(self, message: CountsLoaded) -> None:
        """Fill the list."""
        self.rows = message.rows
        self._folded = [line(row.name).casefold() for row in self.rows]
        self._fill(self.query_one(Input).value)

    @on(Input.Changed)
    def narrow(self, event: Input.Changed) -> None:
        """Keep only names containing the typed text (once typing has caught up: a change
        the input has moved past is followed by the change for its value)."""
        if event.value == event.input.value:
            self._fill(event.value)

    def _fill(self, text: str) -> None:
        """List the rows whose name contains ``text``, added in one call (OptionList lays
        itself out again after each add: one by one, 1,900 companies took half a second).
        Typed before the counts came, it waits for them: the list says it is loading."""
        if self.rows is None:
            return
        needle = text.strip().casefold()
        batch: list[Option] = []
        if not needle:
            batch.append(Option(assemble((f"Any {self.kind}", "italic")), id=ANY))
        highlight = 0
        matches = [row for row, name in zip(self.rows, self._folded, strict=True) if needle in name]
        shown = matches[:SHOWN] + [row for row in matches[SHOWN:] if row.name == self.current]
        for row in shown:
            if row.name == self.current:
                highlight = len(batch)
            label = assemble(
                line(row.name),
                (f"  {row.articles:,} article{'s' if row.articles != 1 else ''}", "dim"),
            )
            batch.append(Option(label, id=row.name))
        if not self.rows:
            batch.append(Option(f"No {self.kind} found yet", disabled=True))
        elif not matches:
            batch.append(Option("No match", disabled=True))
        more = len(matches) - len(shown)
        self.query_one("#picker-hint", Label).update(
            f"{len(shown):,} of {len(matches):,} listed · type to narrow · Esc cancel"
            if more
            else HINT
        )
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_options(batch)
        options.highlighted = highlight

    def action_move(self, step: int) -> None:
        """Move the highlight while typing."""
        options = self.query_one(OptionList)
        (options.action_cursor_down if step > 0 else options.action_cursor_up)()

    @on(OptionList.OptionHighlighted)
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        option = event.option
        if self.preview is not None and not option.disabled and option.id is not None:
            self.preview("" if option.id == ANY else option.id)

    @on(Input.Submitted)
    def pick_highlighted(self) -> None:
        """Enter in the input picks the highlighted name."""
        options = self.query_one(OptionList)
        if options.highlighted is not None:
            self._pick(options.get_option_at_index(options.highlighted))

    @on(OptionList.OptionSelected)
    def pick_selected(self, event: OptionList.OptionSelected) -> None:
        """Enter or click on a name picks it."""
        self._pick(event.option)

    def _pick(self, option: Option) -> None:
        if option.disabled or option.id is None:
            return
        self.dismiss("" if option.id == ANY else option.id)

    def action_dismiss_none(self) -> None:
        """Close without changing the filter."""
        self.dismiss(None)
