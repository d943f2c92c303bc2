"""The dashboard: partnerships, products, cases and articles under one filter."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any, ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Container
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import DataTable

from aiwatch.store.panels import PAGE
from aiwatch.store.queries import PANELS
from aiwatch.store.read_models import SORT_LABELS, SORTS, Dashboard, Filter, PanelPage
from aiwatch.store.search_query import with_query
from aiwatch.tui.dashboard_actions import ENTITY_OF_PANEL, DashboardActions
from aiwatch.tui.messages import (
    DashboardReadAheadRequested,
    PanelPageRequested,
)
from aiwatch.tui.read_ahead import ReadAhead
from aiwatch.tui.screens.article import ArticleScreen
from aiwatch.tui.screens.entity import EntityScreen
from aiwatch.tui.screens.picker import PickerScreen
from aiwatch.tui.screens.search import SearchScreen
from aiwatch.tui.screens.story import StoryScreen
from aiwatch.tui.widgets.app_footer import AppFooter
from aiwatch.tui.widgets.dashboard_header import DashboardHeader
from aiwatch.tui.widgets.panel import Panel
from aiwatch.tui.widgets.panel_rows import (
    ARTICLE_COLUMNS,
    CASE_COLUMNS,
    PARTNERSHIP_COLUMNS,
    PRODUCT_COLUMNS,
    article_rows,
    case_rows,
    partnership_rows,
    product_rows,
)
from aiwatch.tui.widgets.record_table import MORE_MARGIN, RecordTable
from aiwatch.tui.widgets.refresh_indicator import RefreshIndicator
from aiwatch.tui.widgets.status_line import Severity, StatusLine

NARROW_WIDTH, WIDE_WIDTH, SHORT_HEIGHT = 100, 200, 30


class DashboardScreen(DashboardActions, Screen[None]):
    """Four live panels narrowed by one filter, with a header and a status line.

    Layout by size: a 2×2 grid when wide (``-wide``), panels stacked in rows
    (``-stacked``), or, when small (``-narrow``), the active panel large and the
    other three showing their first rows.
    """

    AUTO_FOCUS = "#partnerships"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "c",
            "pick('company')",
            "Company",
            tooltip="Filter every panel by a company",
            id="company-filter",
        ),
        Binding(
            "t",
            "pick('topic')",
            "Topic",
            tooltip="Filter every panel by a topic",
            id="topic-filter",
        ),
        Binding(
            "slash",
            "search",
            "Search",
            tooltip="Search: words, phrases, -word, OR, company: topic: after: before:",
            id="search",
        ),
        Binding("x", "clear_filters", "Clear", tooltip="Clear every filter", id="clear-filters"),
        Binding(
            "n",
            "next_new(1)",
            "New",
            tooltip="Jump to the next new or changed row (any panel)",
            id="next-new",
        ),
        Binding(
            "N",
            "next_new(-1)",
            "Previous new",
            show=False,
            tooltip="Jump to the previous new or changed row",
            id="previous-new",
        ),
        Binding(
            "s",
            "cycle_sort",
            "Sort",
            tooltip="Order panels: newest first, most reported, by name",
            id="cycle-sort",
        ),
        Binding(
            "m",
            "toggle_read",
            "Mark read",
            show=False,
            tooltip="Mark the highlighted row read (or new again)",
            id="toggle-read",
        ),
        Binding(
            "M",
            "mark_all_read",
            "All read",
            show=False,
            tooltip="Mark everything in this view read",
            id="mark-all-read",
        ),
        Binding(
            "w",
            "toggle_watch",
            "Watch",
            show=False,
            tooltip="Watch the highlighted partnership, product or case (or stop)",
            id="toggle-watch",
        ),
        Binding(
            "W",
            "watchlist",
            "Watchlist",
            show=False,
            tooltip="Watched records and their news",
            id="show-watchlist",
        ),
        Binding("v", "views", "Views", show=False, tooltip="Recall a saved view", id="show-views"),
        Binding(
            "V",
            "save_view",
            "Save view",
            show=False,
            tooltip="Save this filter as a view",
            id="save-view",
        ),
        Binding(
            "g",
            "trends",
            "Trends",
            show=False,
            tooltip="Articles per week by topic and company",
            id="show-trends",
        ),
        Binding(
            "o",
            "open_link",
            "Open link",
            show=False,
            tooltip="Open the highlighted article's link in the browser",
            id="open-link",
        ),
        Binding(
            "y",
            "copy_link",
            "Copy link",
            show=False,
            tooltip="Copy the highlighted article's link",
            id="copy-link",
        ),
        Binding(
            "vertical_line",
            "pipe_article",
            "Pipe",
            show=False,
            tooltip="Pipe the highlighted article to a command and show its output",
            id="pipe-article",
        ),
        Binding(
            "e",
            "export_view",
            "Export",
            show=False,
            tooltip="Export this view to a file",
            id="export-view",
        ),
        Binding(
            "1", "focus_panel('partnerships')", "Partnerships", show=False, id="focus-partnerships"
        ),
        Binding("2", "focus_panel('products')", "Products", show=False, id="focus-products"),
        Binding("3", "focus_panel('cases')", "Cases", show=False, id="focus-cases"),
        Binding("4", "focus_panel('articles')", "Articles", show=False, id="focus-articles"),
    ]

    filter: reactive[Filter] = reactive(Filter, init=False)
    """What every panel is narrowed to."""

    def __init__(
        self,
        *,
        read: Callable[[Filter], None],
        first_load: Callable[[Filter], bool] | None = None,
    ) -> None:
        """``read(filter)`` starts reading a filter's dashboard (the app's
        `AiwatchApp._request_dashboard`): the first one when ``first_load(filter)``, which
        shows it at once, does not have it at hand, and each filter chosen here."""
        super().__init__(id="dashboard")
        self._first_load = first_load
        self._read = read
        self.dashboard: Dashboard | None = None
        self.arrived: frozenset[int] = frozenset()
        """Articles another process stored while this dashboard was open (marked +)."""
        self.read_ahead = ReadAhead()
        """Dashboards of the filters the open dialog is about to choose (`tui.read_ahead`)."""

    def compose(self) -> ComposeResult:
        """Header, the four panels, the refresh indicator, the status line and the footer.

        The layout classes for the terminal's size and the first panel's ``-active`` are set
        here, before anything is styled: set once mounted, each restyled the whole screen.
        """
        self._fit_layout(self.app.size.width, self.app.size.height, update=False)
        yield DashboardHeader(id="header")
        with Container(id="panels"):
            yield Panel(
                "Partnerships",
                1,
                RecordTable(PARTNERSHIP_COLUMNS, id="partnerships"),
                empty="No partnerships match.",
            ).add_class("-active", update=False)
            yield Panel(
                "Competitor products",
                2,
                RecordTable(PRODUCT_COLUMNS, id="products"),
                empty="No products match.",
            )
            yield Panel(
                "Copyright cases", 3, RecordTable(CASE_COLUMNS, id="cases"), empty="No cases match."
            )
            yield Panel(
                "Articles",
                4,
                RecordTable(ARTICLE_COLUMNS, id="articles"),
                empty="No articles match.",
            )
        yield RefreshIndicator(id="refresh")
        yield StatusLine("Loading…", id="status")
        yield AppFooter()

    def on_mount(self) -> None:
        """Show the first dashboard if it is at hand (the first frame has it), else ask for it."""
        if self._first_load is None or not self._first_load(self.filter):
            self._read(self.filter)

    def on_resize(self, event: events.Resize) -> None:
        """Pick the layout for the new size."""
        self._fit_layout(*event.size)
        self._fit_headers()

    def _fit_layout(self, width: int, height: int, *, update: bool = True) -> None:
        """``-narrow`` (the active panel large), ``-stacked`` or ``-wide`` (a 2×2 grid)."""
        narrow = width < NARROW_WIDTH or height < SHORT_HEIGHT
        self.set_class(narrow, "-narrow", update=update)
        self.set_class(not narrow and width >= WIDE_WIDTH, "-wide", update=update)
        self.set_class(not narrow and width < WIDE_WIDTH, "-stacked", update=update)

    def watch_filter(self, filt: Filter) -> None:
        """Show the new filter's panels: at once if they were read ahead, else once read."""
        ready = self.read_ahead.get(filt)
        if ready is not None:
            self.show(ready)
            return
        # Called now, not posted: the app's queue holds the frames that close the dialog (the
        # whole screen drawn again, 13-18 ms), and the read in the child runs beside them.
        self._read(filt)
        self.query_one(DashboardHeader).show(filt, None)

    def read_ahead_for(self, filt: Filter) -> None:
        """A dialog is about to choose ``filt``: have its dashboard read ahead.

        Posted to the app, not through this screen: a message this screen handles while a
        dialog covers it wakes it, and Textual then draws the whole screen again, this one
        blended under the dialog's translucent background, for each letter typed."""
        if filt != self.filter and self.read_ahead.get(filt) is None:
            self.app.post_message(DashboardReadAheadRequested(filt))

    @property
    def torn_down(self) -> bool:
        """True once quitting has begun removing the screen, or a panel's table is gone: a
        read that lands then is dropped. (Quitting marks every widget of the screen as being
        pruned at once, then removes the innermost first: tables went while the screen still
        had children.)"""
        return self._pruning or len(self.query(RecordTable)) < len(PANELS)

    def show(self, dashboard: Dashboard) -> None:
        """Put a freshly loaded dashboard on screen, keeping each cursor on its record."""
        if self.torn_down:
            return
        first_load, self.dashboard = self.dashboard is None, dashboard
        with self.app.batch_update():
            for name in PANELS:
                self.show_panel(name)
            self.query_one(DashboardHeader).show(self.filter, dashboard)
            self.refresh_bindings()  # ``x Clear`` comes or goes with the filter
            if first_load and self.query_one(StatusLine).message == "Loading…":
                self.set_status(
                    "Ready. Enter opens a row · 1–4 or Tab switch panels · ? lists every key."
                )

    def show_panel(self, name: str) -> None:
        """Put panel ``name``'s loaded rows and its count on screen."""
        assert self.dashboard is not None
        self.query_one(f"#{name}", RecordTable).sync(
            self._cells(name), more=self.dashboard.has_more(name)
        )
        self._count(name)

    def extend(self, page: PanelPage) -> None:
        """Add a panel's next rows (read because its cursor came near the end)."""
        if self.dashboard is None or self.torn_down:
            return
        self.dashboard = self.dashboard.extended(page)
        table = self.query_one(f"#{page.panel}", RecordTable)
        keys = set(table.keys)
        rows = [row for row in self._cells(page.panel) if row[0] not in keys]
        table.extend(rows, more=page.more)
        self._count(page.panel)

    def _cells(self, name: str) -> list[Any]:
        """The loaded rows of panel ``name`` as table cells (marks for what is new)."""
        assert self.dashboard is not None
        board, news = self.dashboard, self.dashboard.whats_new
        watched = {t: {i for tt, i in news.watched if tt == t} for t in ENTITY_OF_PANEL.values()}
        if name == "partnerships":
            return partnership_rows(board.partnerships, news.partnerships, watched["partnership"])
        if name == "products":
            return product_rows(board.products, news.products, watched["product"])
        if name == "cases":
            return case_rows(board.cases, news.cases, watched["case"])
        return article_rows(board.articles, news.unread, self.arrived)

    def _count(self, name: str) -> None:
        """Panel ``name``'s title: records shown of how many pass, how many are new, the
        order. The articles panel counts articles (those its stories were read from), and
        says how many stories they make when that is fewer."""
        assert self.dashboard is not None
        rows = len(getattr(self.dashboard, name))
        self.query_one(f"#panel-{name}", Panel).show_count(
            self.dashboard.next_offset(name) if name == "articles" else rows,
            total=self.dashboard.count(name),
            new=len(self.new_keys(name)),
            order=SORT_LABELS.get(self.dashboard.filter.sort, ""),
            stories=rows if name == "articles" else None,
        )

    def rows_to_read(self, filt: Filter) -> dict[str, int]:
        """Rows of each panel a read of ``filt`` asks for: none before the first dashboard
        (the default page, as the child read it at start), as many as are shown for the
        filter on screen (a reload, up to 1,000), else `page_rows`."""
        board = self.dashboard
        if board is None:
            return {}
        if board.filter == filt:
            return {name: max(PAGE, min(1_000, board.next_offset(name))) for name in PANELS}
        return self.page_rows()

    def page_rows(self) -> dict[str, int]:
        """How many rows of each panel a new filter reads: for the three record panels what
        the tallest table shows and `MORE_MARGIN` more (a table asks for its next rows that
        near its end), at most `PAGE`; `PAGE` before the tables are laid out, and always for
        the articles, whose rows are stories of one or more of the articles read (fewer
        rows than `MORE_MARGIN` would have the table ask for the next page at once).

        Every record read costs the read and the frame that shows it (their counts, parties
        and marks are read per row): at 120×40 a table shows six rows, and reading fifty
        instead of 27 took the read alone 2–6 ms longer at 100,000 articles. The tallest,
        because on a small terminal any panel may become the large one.
        """
        tallest = max(
            (t.scrollable_content_region.height for t in self.query(RecordTable)), default=0
        )
        rows = min(PAGE, tallest + MORE_MARGIN + 1) if tallest else PAGE
        return {name: PAGE if name == "articles" else rows for name in PANELS}

    def arrive(self, article_ids: Sequence[int]) -> None:
        """Mark articles another process just stored (shown once the panels are read again)."""
        self.arrived = frozenset(article_ids) | (
            self.arrived if len(self.arrived) < 5_000 else set()
        )
        count = len(article_ids)
        self.set_status(f"{count} new article{'s' if count != 1 else ''} arrived (+ marks them).")

    @on(RecordTable.MoreWanted)
    def _more_rows(self, event: RecordTable.MoreWanted) -> None:
        """A panel's cursor came near its last row: ask for the next ones."""
        name = event.table.id or ""
        if self.dashboard is not None and name in PANELS:
            offset = self.dashboard.next_offset(name)
            self.post_message(PanelPageRequested(self.filter, name, offset))

    def set_status(self, message: str, severity: Severity = "information") -> None:
        """Show ``message`` in the status line."""
        self.query_one(StatusLine).show(message, severity)

    @property
    def progress(self) -> RefreshIndicator:
        """The refresh indicator."""
        return self.query_one(RefreshIndicator)

    def action_pick(self, kind: str) -> None:
        """Open the company or topic picker and filter by the choice."""
        current = self.filter.company if kind == "company" else self.filter.topic

        def narrowed(name: str) -> Filter:  # "" is "any": the filter goes
            if kind == "company":
                return replace(self.filter, company=name or None)
            return replace(self.filter, topic=name or None)

        def chosen(name: str | None) -> None:
            if name is not None:
                self.filter = narrowed(name)

        self.app.push_screen(
            PickerScreen(
                kind, current=current, preview=lambda name: self.read_ahead_for(narrowed(name))
            ),
            chosen,
        )

    def action_search(self) -> None:
        """Ask for search text and filter by it."""

        def chosen(text: str | None) -> None:
            if text is not None:
                self.filter = with_query(self.filter, text)

        def typed(text: str) -> None:
            self.read_ahead_for(with_query(self.filter, text))

        self.app.push_screen(SearchScreen(self.filter.text or "", preview=typed), chosen)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """``x Clear`` is shown dimmed while no filter narrows the view (its place in the
        footer stays put: a key coming and going recomposed the footer on every filter)."""
        return action != "clear_filters" or self.filter.active or None

    def action_clear_filters(self) -> None:
        """Show everything again."""
        if self.filter.active:
            self.filter = Filter(sort=self.filter.sort)
        self.set_status("Filters cleared.")

    def action_cycle_sort(self) -> None:
        """Order every panel the next way: newest first → most reported → by name."""
        following = SORTS[(SORTS.index(self.filter.sort) + 1) % len(SORTS)]
        self.filter = replace(self.filter, sort=following)
        self.set_status(f"Panels ordered {SORT_LABELS[following]} (s changes it).")

    def action_focus_panel(self, name: str) -> None:
        """Focus one panel's table (keys 1–4) at once, so keys typed right after go to it
        (`Widget.focus` defers the change until the keys already queued are handled)."""
        self.set_focus(self.query_one(f"#{name}", RecordTable))

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """Mark the panel holding the focus as active (the large one on a small terminal)."""
        for panel in self.query(Panel):
            panel.set_class(panel in event.widget.ancestors, "-active")
        self._fit_headers()

    def _fit_headers(self) -> None:
        """On a small terminal only the active panel shows column headers (rows matter more)."""
        narrow = self.has_class("-narrow")
        for panel in self.query(Panel):
            panel.table.show_header = not narrow or panel.has_class("-active")

    @on(DataTable.RowSelected)
    def open_row(self, event: DataTable.RowSelected) -> None:
        """Drill down: an article opens the article screen, any other row its entity screen."""
        table_id, key = event.data_table.id or "", event.row_key.value
        if key is None:
            return
        if table_id == "articles":
            story = self.story(key)
            versions = story.versions if story is not None else ()
            if len(versions) > 1:
                self.mark_read([int(v) for v in versions])
                self.app.push_screen(StoryScreen(versions))
            else:
                self.app.push_screen(ArticleScreen(int(key)))  # (it marks itself read)
        elif table_id in ENTITY_OF_PANEL:
            self.app.push_screen(EntityScreen(ENTITY_OF_PANEL[table_id], int(key)))
