"""Trends: articles per week, for everything in view and by topic and company (sparklines)."""

from __future__ import annotations

from dataclasses import replace
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Label, Sparkline, Static

from aiwatch.store.read_models import Filter
from aiwatch.store.trends import Series, Trends, weekly_trends
from aiwatch.tui.messages import StoreJobDone, StoreJobRequested
from aiwatch.tui.screens.views import describe
from aiwatch.tui.text import assemble, line
from aiwatch.tui.widgets.app_footer import AppFooter

PERIODS = (12, 26, 52, 0)
"""Weeks shown, cycled by ``p``; 0 is every week from the first article to the last."""


def series_row(series: Series, peak: int) -> Horizontal:
    """One line of the chart: name, a sparkline over the weeks, and the total."""
    spark = Sparkline(
        [float(c) for c in series.counts], summary_function=max, classes="trend-spark"
    )
    return Horizontal(
        Label(line(series.name, limit=40), classes="trend-name", markup=False),
        spark,
        Label(f"{series.total:>5}", classes="trend-total", markup=False),
        classes="trend-row",
    )


class TrendsScreen(Screen[None]):
    """Articles per week by topic and by company for a filter; c/t/x narrow it like the dashboard."""

    AUTO_FOCUS = "#trends"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="back"),
        Binding(
            "c",
            "pick('company')",
            "Company",
            tooltip="Chart one company's articles",
            id="company-filter",
        ),
        Binding(
            "t", "pick('topic')", "Topic", tooltip="Chart one topic's articles", id="topic-filter"
        ),
        Binding("x", "clear_filters", "Clear", tooltip="Chart every article", id="clear-filters"),
        Binding(
            "p",
            "period",
            "Weeks",
            tooltip="Show 12, 26 or 52 weeks, or every week",
            id="trend-period",
        ),
    ]

    def __init__(self, filt: Filter) -> None:
        super().__init__(classes="detail-screen")
        self.filter = filt
        self.weeks = PERIODS[0]
        self.trends: Trends | None = None

    def compose(self) -> ComposeResult:
        """Title, the chart and the footer."""
        yield Static("Counting articles per week…", id="detail-title", markup=False)
        yield VerticalScroll(id="trends", can_focus=True)
        yield AppFooter()

    def on_mount(self) -> None:
        """Count."""
        self.reload()

    def reload(self) -> None:
        """Count again for the current filter and period."""
        filt, weeks = self.filter, self.weeks
        self.post_message(
            StoreJobRequested(
                self,
                "trends",
                lambda db: weekly_trends(db, filt, weeks=weeks),
                reload=False,
                description="Counting articles",
            )
        )

    async def on_store_job_done(self, message: StoreJobDone) -> None:
        """Draw the chart."""
        trends: Trends = message.result  # type: ignore[assignment]
        self.trends = trends
        first, last = trends.weeks[0], trends.weeks[-1]
        scope = describe(replace(self.filter, sort="")) or "every article"
        self.query_one("#detail-title", Static).update(
            assemble(
                ("Trends  ", "$text-muted"),
                (f"articles per week, {first:%Y-%m-%d} – week of {last:%Y-%m-%d}", "bold"),
                (f"  {scope}", "$text-muted"),
            )
        )
        body = self.query_one("#trends", VerticalScroll)
        await body.remove_children()
        peak = max(trends.total.counts, default=0)
        widgets = [
            Label(f"Weekly articles (peak {peak})", classes="trend-heading"),
            series_row(trends.total, peak),
        ]
        for heading, group in (("By topic", trends.by_topic), ("By company", trends.by_company)):
            widgets.append(Label(heading, classes="trend-heading"))
            if not group:
                widgets.append(Label("No articles in these weeks.", classes="trend-empty"))
            widgets += [series_row(s, peak) for s in group]
        await body.mount_all(widgets)

    def action_pick(self, kind: str) -> None:
        """Narrow the chart to a company or topic."""
        from aiwatch.tui.screens.picker import PickerScreen

        current = self.filter.company if kind == "company" else self.filter.topic

        def chosen(name: str | None) -> None:
            if name is None:
                return
            if kind == "company":
                self.filter = replace(self.filter, company=name or None)
            else:
                self.filter = replace(self.filter, topic=name or None)
            self.reload()

        self.app.push_screen(PickerScreen(kind, current=current), chosen)

    def action_clear_filters(self) -> None:
        """Chart everything."""
        self.filter = Filter(sort=self.filter.sort)
        self.reload()

    def action_period(self) -> None:
        """Cycle 12 → 26 → 52 weeks → every week."""
        self.weeks = PERIODS[(PERIODS.index(self.weeks) + 1) % len(PERIODS)]
        self.reload()

    def action_back(self) -> None:
        """Return to the dashboard."""
        self.dismiss()
