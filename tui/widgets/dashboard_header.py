"""The dashboard's top line: the active filters and what each panel holds."""

from __future__ import annotations

from textual import events
from textual.content import Content
from textual.widgets import Static

from aiwatch.store.read_models import Dashboard, Filter
from aiwatch.tui.text import assemble, line


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


class DashboardHeader(Static):
    """Shows each active filter and the counts of the loaded dashboard."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._state: tuple[Filter, Dashboard | None] = (Filter(), None)

    def on_mount(self) -> None:
        """Show the empty filter until the first load."""
        self.show(Filter(), None)

    def show(self, filt: Filter, dashboard: Dashboard | None) -> None:
        """Render ``filt`` and the counts of ``dashboard`` (``None`` while loading)."""
        self._state = (filt, dashboard)
        room = (self.size.width or self.app.size.width) - 2  # (not laid out yet: the screen's)
        header = render_header(filt, dashboard)
        if header.cell_length > room:
            header = render_header(filt, dashboard, wide=False)
        if header.cell_length > room:  # the panels' titles count their rows themselves
            header = render_header(filt, dashboard, wide=False, panel_counts=False)
        self.update(header, layout=False)  # (one line, the width of the screen: its size is set)

    def on_resize(self, event: events.Resize) -> None:
        """Re-render for the new width."""
        self.show(*self._state)


def render_header(
    filt: Filter, dashboard: Dashboard | None, *, wide: bool = True, panel_counts: bool = True
) -> Content:
    """The header line as literal `Content` (filter values come from data).

    ``wide=False`` leaves out the app name and shortens long filter values;
    ``panel_counts=False`` (80 columns with two filters) leaves out the counts of
    partnerships, products and cases, which each panel's title shows, and keeps the
    articles' ``shown/all``.
    """
    parts: list[str | Content | tuple[str, str]] = [("aiwatch", "bold"), "  "] if wide else []
    chips = [
        ("company", filt.company),
        ("topic", filt.topic),
        ("after", filt.after),
        ("before", filt.before),
        ("search", filt.text),
    ]
    active = [(name, value) for name, value in chips if value]
    if not active:
        parts.append(("all articles", "$text-muted"))
    for index, (name, value) in enumerate(active):
        parts += [" " if index else "", (f"{name}: ", "$text-muted")]
        parts.append((line(value, limit=40 if wide else 24), "bold $accent"))
    if dashboard is None:
        parts.append(("  loading…", "$text-muted"))
        return assemble(*parts)
    counts = f"{dashboard.count('articles'):,}/{dashboard.total_articles:,} articles"
    if panel_counts:
        counts = (
            f"{_plural(dashboard.count('partnerships'), 'partnership')} · "
            f"{_plural(dashboard.count('products'), 'product')} · "
            f"{_plural(dashboard.count('cases'), 'case')} · {counts}"
        )
    counts = "  " + counts
    parts.append((counts, "$text-muted"))
    return assemble(*parts)
