"""The app's part of the screens' reads and writes: each request is one store call in a worker.

`ReadsApp` is a base of `tui.app.AiwatchApp`. Each handler names the store
function, the result message and who gets it (`tui.store_worker.StoreApp.store_call`).
"""

from __future__ import annotations

from aiwatch.feeds.sources.opml import default_feeds
from aiwatch.store.details import get_article, get_entity
from aiwatch.store.feed_repo import import_feeds, list_feed_health, set_feed_enabled
from aiwatch.store.queries import company_counts, topic_counts
from aiwatch.tui.messages import (
    ArticleLoaded,
    ArticleRequested,
    CountsLoaded,
    CountsRequested,
    CuratedFeedsRequested,
    EntityLoaded,
    EntityRequested,
    FeedChanged,
    FeedHealthLoaded,
    FeedHealthRequested,
    FeedsSubscribed,
    FeedToggleRequested,
)
from aiwatch.tui.store_worker import StoreApp


class ReadsApp(StoreApp):
    """Articles, entities, counts and feeds, read and written for the screens that ask."""

    def on_article_requested(self, message: ArticleRequested) -> None:
        """Read an article for the screen that asked."""
        aid = message.article_id
        self.store_call(
            lambda db: get_article(db, aid),
            lambda detail: ArticleLoaded(aid, detail),
            to=message.reply_to,
            group="article",
            description="Loading the article",
        )

    def on_entity_requested(self, message: EntityRequested) -> None:
        """Read an entity for the screen that asked."""
        kind, eid = message.entity_type, message.entity_id
        self.store_call(
            lambda db: get_entity(db, kind, eid),
            lambda detail: EntityLoaded(kind, eid, detail),
            to=message.reply_to,
            group="entity",
            description="Loading the record",
        )

    def on_counts_requested(self, message: CountsRequested) -> None:
        """Count companies or topics for a picker."""
        kind = message.kind
        self.store_call(
            company_counts if kind == "company" else topic_counts,
            lambda rows: CountsLoaded(kind, rows),
            to=message.reply_to,
            group="counts",
            description="Counting articles",
        )

    def on_feed_health_requested(self, message: FeedHealthRequested) -> None:
        """Read the feeds' health for the feeds screen."""
        self.store_call(
            list_feed_health,
            FeedHealthLoaded,
            to=message.reply_to,
            group="feeds",
            description="Loading feeds",
        )

    def on_feed_toggle_requested(self, message: FeedToggleRequested) -> None:
        """Enable or disable a feed."""
        fid, enabled = message.feed_id, message.enabled
        self.store_call(
            lambda db: set_feed_enabled(db, fid, enabled),
            lambda _: FeedChanged(fid, enabled),
            to=message.reply_to,
            group="feeds",
            description="Changing the feed",
            commit=True,
        )

    def on_curated_feeds_requested(self, message: CuratedFeedsRequested) -> None:
        """Subscribe to the curated AI-news feeds shipped with aiwatch."""
        self.store_call(
            lambda db: import_feeds(db, default_feeds().feeds),
            lambda result: FeedsSubscribed(len(result[0]), len(result[1])),
            to=message.reply_to,
            group="feeds",
            description="Subscribing",
            commit=True,
        )
