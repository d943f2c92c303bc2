"""Saved views: recall a filter saved under a name, or delete one."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from aiwatch.store.read_models import SORT_LABELS, Filter
from aiwatch.store.saved_views import ViewRow, delete_view, list_views
from aiwatch.tui.messages import StoreJobDone, StoreJobRequested
from aiwatch.tui.text import assemble, line


def describe(filt: Filter) -> str:
    """``company: Meta · search: lawsuit · newest first``."""
    parts = [
        f"company: {filt.company}" if filt.company else "",
        f"topic: {filt.topic}" if filt.topic else "",
        f"search: {filt.text}" if filt.text else "",
        f"after: {filt.after}" if filt.after else "",
        f"before: {filt.before}" if filt.before else "",
        SORT_LABELS.get(filt.sort, ""),
    ]
    return " · ".join(line(p, limit=60) for p in parts if p)


class ViewsScreen(ModalScreen[Filter | None]):
    """A list of the user's saved views; Enter recalls one, d deletes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="cancel"),
        Binding("d", "delete", "Delete", tooltip="Delete the highlighted view", id="delete-view"),
    ]

    def __init__(self) -> None:
        super().__init__(classes="dialog")
        self.views: dict[str, ViewRow] = {}

    def compose(self) -> ComposeResult:
        """Title, the views and a hint."""
        with Vertical(id="views-dialog", classes="prompt-dialog"):
            yield Label("Saved views", classes="dialog-title")
            yield OptionList(Option("Loading…", disabled=True), id="views-options")
            yield Label(
                "Enter recall · d delete · Esc cancel · V on the dashboard saves",
                classes="dialog-hint",
            )

    def on_mount(self) -> None:
        """Read the views."""
        self._reload()

    def _reload(self) -> None:
        user = str(getattr(self.app, "user", "default"))
        self.post_message(
            StoreJobRequested(self, "views", lambda db: list_views(db, user), reload=False)
        )

    def on_store_job_done(self, message: StoreJobDone) -> None:
        """List the views (again, after a delete)."""
        if message.tag == "deleted":
            self._reload()
            return
        views: list[ViewRow] = message.result  # type: ignore[assignment]
        self.views = {v.name: v for v in views}
        options = self.query_one(OptionList)
        options.clear_options()
        for view in views:
            options.add_option(
                Option(
                    assemble(
                        (line(view.name, limit=60), "bold"), "\n", (describe(view.filter), "dim")
                    ),
                    id=view.name,
                )
            )
        if not views:
            options.add_option(
                Option("No saved views yet: narrow the dashboard, then press V.", disabled=True)
            )
        options.highlighted = 0 if views else None

    @on(OptionList.OptionSelected)
    def recall(self, event: OptionList.OptionSelected) -> None:
        """Recall the chosen view."""
        view = self.views.get(event.option.id or "")
        if view is not None:
            self.dismiss(view.filter)

    def action_delete(self) -> None:
        """Delete the highlighted view."""
        options = self.query_one(OptionList)
        if options.highlighted is None:
            return
        name = options.get_option_at_index(options.highlighted).id
        if name not in self.views:
            return
        user = str(getattr(self.app, "user", "default"))
        self.post_message(
            StoreJobRequested(self, "deleted", lambda db: delete_view(db, user, name), reload=False)
        )

    def action_cancel(self) -> None:
        """Close without recalling."""
        self.dismiss(None)
