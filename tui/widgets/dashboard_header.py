"""The dashboard's top line: the active filters and what each panel holds."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from store.read_models import Dashboard, Filter
from tui.text import assemble, line


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


class DashboardHeader(Static):
    """Shows ``aiwatch``, each active filter, and the counts of the loaded dashboard."""

    def on_mount(self) -> None:
        """Show the empty filter until the first load."""
        self.show(Filter(), None)

    def show(self, filt: Filter, dashboard: Dashboard | None) -> None:
        """Render ``filt`` and the counts of ``dashboard`` (``None`` while loading)."""
        self.update(render_header(filt, dashboard))


def render_header(filt: Filter, dashboard: Dashboard | None) -> Content:
    """The header line as literal `Content` (filter values come from data)."""
    parts: list[str | Content | tuple[str, str]] = [("aiwatch", "bold"), "  "]
    chips = [("company", filt.company), ("topic", filt.topic), ("search", filt.text)]
    active = [(name, value) for name, value in chips if value]
    if not active:
        parts.append(("all articles", "dim"))
    for name, value in active:
        parts += [(f"{name}: ", "dim"), (f"{line(value, limit=40)}", "bold $accent"), "  "]
    if dashboard is None:
        parts.append(("  loading…", "dim"))
        return assemble(*parts)
    counts = (
        f"  {_plural(len(dashboard.partnerships), 'partnership')} · "
        f"{_plural(len(dashboard.products), 'product')} · "
        f"{_plural(len(dashboard.cases), 'case')} · "
        f"{len(dashboard.articles)}/{dashboard.total_articles} articles"
    )
    parts.append((counts, "$text-muted"))
    return assemble(*parts)
