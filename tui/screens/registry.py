"""Every screen and widget class with key bindings (what ``[keys]`` may remap)."""

from __future__ import annotations

from textual.dom import DOMNode

from tui.screens.article import ArticleScreen
from tui.screens.dashboard import DashboardScreen
from tui.screens.entity import EntityScreen
from tui.screens.export import ExportScreen
from tui.screens.feeds import FeedsScreen
from tui.screens.help import HelpScreen
from tui.screens.picker import PickerScreen
from tui.screens.pipe import PipeScreen
from tui.screens.prompt import PromptScreen
from tui.screens.search import SearchScreen
from tui.screens.story import StoryScreen
from tui.screens.trends import TrendsScreen
from tui.screens.views import ViewsScreen
from tui.screens.watchlist import WatchlistScreen
from tui.widgets.record_table import RecordTable

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
