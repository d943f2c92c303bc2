"""The part of the app that guards the knowledge base and carries out corrections.

`AiwatchApp` builds on it: screens post requests (confirm a record, set a feed's
publisher), workers here write the store and reply; a knowledge base that cannot
load is said once, refreshes are refused, and the exit status says so.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work
from textual.message_pump import MessagePump

from aiwatch.feeds.knowledge.base import KnowledgeBase, KnowledgeBaseError
from aiwatch.store.corrections import confirm
from aiwatch.store.db import session
from aiwatch.store.feed_repo import set_feed_publisher
from aiwatch.tui.config import Settings
from aiwatch.tui.knowledge import knowledge_for
from aiwatch.tui.messages import (
    DashboardRequested,
    FeedPublisherChanged,
    FeedPublisherRequested,
    KnowledgeBaseFailed,
    RecordConfirmed,
    RecordConfirmRequested,
)
from aiwatch.tui.reextraction import feed_article_ids, reextract_articles
from aiwatch.tui.store_worker import StoreApp

if TYPE_CHECKING:
    from aiwatch.tui.screens.dashboard import DashboardScreen


class RecordsApp(StoreApp):
    """Knowledge-base guard and record corrections (see the module docstring)."""

    settings: Settings
    kb: KnowledgeBase | None
    dashboard: DashboardScreen
    knowledge_error = ""
    """Why the knowledge base cannot load (then nothing is extracted or refreshed)."""

    def _knowledge(self) -> KnowledgeBase | None:
        """The knowledge base (loaded once, in a worker); ``None`` after saying why it failed."""
        if self.kb is None:
            try:
                self.kb = knowledge_for(self.settings)
            except KnowledgeBaseError as exc:
                self.post_message(KnowledgeBaseFailed(str(exc)))
                return None
        return self.kb

    def on_knowledge_base_failed(self, message: KnowledgeBaseFailed) -> None:
        """Say so where the user looks first; refreshes are refused until it is fixed."""
        self.knowledge_error = message.error
        self.notify(
            message.error, title="Knowledge base", severity="error", markup=False, timeout=30
        )
        self.dashboard.set_status(f"Nothing can be extracted: {message.error}", "error")

    async def action_quit(self) -> None:
        """Quit; the exit status says whether the knowledge base was broken."""
        self.exit(return_code=2 if self.knowledge_error else 0)

    def _records_changed(self) -> None:
        """Read the panels again (they mark unverified records and show publishers' facts)."""
        self.data_written()  # (a publisher's articles are re-extracted in a session of their own)
        self.post_message(DashboardRequested(self.dashboard.filter))

    def on_record_confirm_requested(self, message: RecordConfirmRequested) -> None:
        """Mark a discovered record verified, for the screen that asked."""
        self._confirm(message.reply_to, message.entity_type, message.entity_id)

    def _confirm(self, reply_to: MessagePump, entity_type: str, entity_id: int) -> None:
        self.store_call(
            lambda db: confirm(db, entity_type, entity_id),
            lambda name: RecordConfirmed(entity_type, entity_id, name),
            to=reply_to,
            group="edit",
            description="Confirming the record",
            commit=True,
        )

    def on_record_confirmed(self, _message: RecordConfirmed) -> None:
        """It bubbles up from the screen that asked."""
        self._records_changed()

    def on_feed_publisher_requested(self, message: FeedPublisherRequested) -> None:
        """Set who a feed speaks for and re-read its articles."""
        self._set_publisher(message.reply_to, message.feed_id, message.publisher)

    @work(thread=True, group="feeds", exit_on_error=False, description="Changing the publisher")
    def _set_publisher(self, reply_to: MessagePump, feed_id: int, publisher: str) -> None:
        kb = self._knowledge()
        if kb is None:
            return
        with session(self.engine) as db:
            feed = set_feed_publisher(db, feed_id, publisher)
            db.commit()
        ids = feed_article_ids(self.engine, feed_id)
        report = reextract_articles(self.engine, kb, article_ids=ids)
        reply_to.post_message(FeedPublisherChanged(feed_id, feed.publisher, report.describe()))

    def on_feed_publisher_changed(self, _message: FeedPublisherChanged) -> None:
        """It bubbles up from the feeds screen: what the feed's articles say may have changed."""
        self._records_changed()
