"""Every screen and widget class with key bindings (what ``[keys]`` may remap)."""

from __future__ import annotations

from textual.dom import DOMNode

from aiwatch.tui.screens.article import ArticleScreen
from aiwatch.tui.screens.dashboard import DashboardScreen
from aiwatch.tui.screens.entity import EntityScreen
from aiwatch.tui.screens.export import ExportScreen
from aiwatch.tui.screens.feeds import FeedsScreen
from aiwatch.tui.screens.help import HelpScreen
from aiwatch.tui.screens.picker import PickerScreen
from aiwatch.tui.screens.pipe import PipeScreen
from aiwatch.tui.screens.prompt import PromptScreen
from aiwatch.tui.screens.search import SearchScreen
from aiwatch.tui.screens.story import StoryScreen
from aiwatch.tui.screens.trends import TrendsScreen
from aiwatch.tui.screens.views import ViewsScreen
from aiwatch.tui.screens.watchlist import WatchlistScreen
from aiwatch.tui.widgets.record_table import RecordTable

SCREENS_WITH_KEYS: tuple[type[DOMNode], ...] = (
    DashboardScreen,
    ArticleScreen,
    EntityScreen,
    StoryScreen,
    WatchlistScreen,
    TrendsScreen,
    FeedsScreen,
    HelpScreen,
    PickerScreen,
    SearchScreen,
    PromptScreen,
    ViewsScreen,
    ExportScreen,
    PipeScreen,
    RecordTable,
)
