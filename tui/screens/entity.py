"""A partnership, product, case or company: facts, timeline and every article that mentions it."""

from __future__ import annotations

from typing import ClassVar

from sqlmodel import Session
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Static

from aiwatch.store.read_models import EntityDetail, TimelineRow
from aiwatch.store.watchlist import is_watched, set_watched
from aiwatch.store.whats_new import mark_seen
from aiwatch.tui.messages import (
    EntityLoaded,
    EntityRequested,
    RecordConfirmed,
    RecordConfirmRequested,
    StoreJobDone,
    StoreJobRequested,
)
from aiwatch.tui.text import assemble, cell, date, join
from aiwatch.tui.widgets.app_footer import AppFooter
from aiwatch.tui.widgets.evidence_list import EvidenceList
from aiwatch.tui.widgets.mention_list import KIND_LABEL, UNVERIFIED
from aiwatch.tui.widgets.record_table import ColumnSpec, RecordTable

TIMELINE_COLUMNS = (
    ColumnSpec("date", "Date", 10),
    ColumnSpec("event", "Event", min_width=16, weight=2),
    ColumnSpec("source", "Source", min_width=12),
    ColumnSpec("article", "Article", min_width=16, weight=2, min_table=90),
)
SEEN_TYPES = ("partnership", "product", "case")


def event_label(point: TimelineRow) -> str:
    """``filed``, or for a company's timeline ``Case Authors v. Meta: filed``."""
    return f"{point.event}: {point.status}" if point.event else point.status


class EntityScreen(Screen[None]):
    """Reads an entity in a worker; Enter on an article opens the article screen."""

    AUTO_FOCUS = "#evidence"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="back"),
        Binding("t", "focus_timeline", "Timeline", id="focus-timeline"),
        Binding("a", "focus_evidence", "Articles", id="focus-articles"),
        Binding(
            "c",
            "confirm_record",
            "Confirm",
            tooltip="Mark this discovered company or product verified",
            id="confirm-record",
        ),
        Binding(
            "w", "toggle_watch", "Watch", tooltip="Watch this record (or stop)", id="toggle-watch"
        ),
    ]

    def __init__(self, entity_type: str, entity_id: int) -> None:
        super().__init__(classes="detail-screen")
        self.entity_type = entity_type
        self.entity_id = entity_id
        self.detail: EntityDetail | None = None
        self.watched: bool | None = None

    def compose(self) -> ComposeResult:
        """Title bar, facts, timeline, the articles and the footer."""
        yield Static("Loading…", id="detail-title", markup=False)
        with VerticalScroll(id="entity-top"):
            yield Static(id="facts")
            yield RecordTable(TIMELINE_COLUMNS, id="timeline")
            yield Static("No event reported yet.", id="timeline-empty", markup=False)
        yield EvidenceList(id="evidence")
        yield AppFooter()

    def on_mount(self) -> None:
        """Ask for the entity."""
        self.query_one("#timeline", RecordTable).border_title = "Timeline · Enter opens the report"
        self.query_one(EvidenceList).border_title = "Articles that mention it · Enter opens"
        self.post_message(EntityRequested(self, self.entity_type, self.entity_id))
        user, kind, entity_id = self._user(), self.entity_type, self.entity_id

        def look(db: Session) -> bool:
            if kind in SEEN_TYPES:
                mark_seen(db, user, kind, [entity_id])
            return is_watched(db, user, kind, entity_id)

        self.post_message(StoreJobRequested(self, "looked", look))

    def _user(self) -> str:
        return str(getattr(self.app, "user", "default"))

    def on_store_job_done(self, message: StoreJobDone) -> None:
        """Know whether it is watched (after looking, or after w)."""
        self.watched = bool(message.result)
        self._title()

    def _title(self) -> None:
        if self.detail is None:
            return
        detail = self.detail
        kind = KIND_LABEL.get(detail.entity_type, detail.entity_type)
        mark = ("  ★ watched", "bold $warning") if self.watched else ("", "")
        self.query_one("#detail-title", Static).update(
            assemble(
                (f"{kind} #{detail.entity_id}  ", "$text-muted"),
                (detail.name, "bold"),
                ("" if detail.verified else f"  {UNVERIFIED} · c confirms", "bold $warning"),
                mark,
            )
        )

    def action_toggle_watch(self) -> None:
        """Watch this record, or stop watching it."""
        user, kind, entity_id, now = (
            self._user(),
            self.entity_type,
            self.entity_id,
            not self.watched,
        )
        self.post_message(
            StoreJobRequested(self, "watch", lambda db: set_watched(db, user, kind, entity_id, now))
        )
        name = self.detail.name if self.detail else "it"
        self.notify(
            f"Watching {name}: new events are announced during refreshes."
            if now
            else f"Stopped watching {name}.",
            title="Watchlist",
            markup=False,
        )

    def on_entity_loaded(self, message: EntityLoaded) -> None:
        """Show the entity, or say it is gone."""
        title = self.query_one("#detail-title", Static)
        detail = message.detail
        if detail is None:
            title.update(assemble(("This record no longer exists.", "bold $error")))
            return
        self.detail = detail
        self._title()
        self.refresh_bindings()
        self.query_one("#facts", Static).update(render_facts(detail.facts))
        rows = [
            (
                f"{t.article_id}:{i}",
                (
                    cell(date(t.at)),
                    cell(event_label(t), "bold"),
                    cell(t.source or "—"),
                    cell(t.title),
                ),
            )
            for i, t in enumerate(reversed(detail.timeline))  # newest first
        ]
        timeline = self.query_one("#timeline", RecordTable)
        timeline.sync(rows)
        timeline.display = bool(rows)
        self.query_one("#timeline-empty", Static).display = not rows
        self.query_one(EvidenceList).show(detail.evidence)

    @on(EvidenceList.ArticleChosen)
    def open_article(self, event: EvidenceList.ArticleChosen) -> None:
        """Drill down to the chosen article."""
        self._open(event.article_id)

    @on(DataTable.RowSelected, "#timeline")
    def open_timeline_article(self, event: DataTable.RowSelected) -> None:
        """Enter on a timeline point opens the article that reported it."""
        if event.row_key.value:
            self._open(int(event.row_key.value.split(":")[0]))

    def _open(self, article_id: int) -> None:
        from aiwatch.tui.screens.article import ArticleScreen

        self.app.push_screen(ArticleScreen(article_id))

    def action_focus_timeline(self) -> None:
        """Move to the timeline (or say there is none yet)."""
        timeline = self.query_one("#timeline", RecordTable)
        if timeline.row_count:
            self.set_focus(timeline)
        else:
            self.notify("No event has been reported for it yet.", title="Timeline")

    def action_focus_evidence(self) -> None:
        """Move to the articles."""
        self.set_focus(self.query_one(EvidenceList))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Offer Confirm only on a record that is unverified."""
        if action == "confirm_record":
            return self.detail is not None and not self.detail.verified
        return True

    def action_confirm_record(self) -> None:
        """Mark the record verified (a discovered company or product)."""
        if self.detail is not None and not self.detail.verified:
            self.post_message(RecordConfirmRequested(self, self.entity_type, self.entity_id))

    def on_record_confirmed(self, message: RecordConfirmed) -> None:
        """Say so, and show the record again."""
        self.notify(f"Confirmed: {message.name} is verified.", markup=False)
        self.post_message(EntityRequested(self, self.entity_type, self.entity_id))

    def action_back(self) -> None:
        """Return to the previous screen."""
        self.dismiss()


def render_facts(facts: tuple[tuple[str, str], ...]) -> Content:
    """Known facts: long ones on their own line, short ones sharing lines, `` · `` between."""
    known = [(label, value) for label, value in facts if value]
    long = [(label, value) for label, value in known if len(value) > 30]
    short = [(label, value) for label, value in known if len(value) <= 30]
    lines = [assemble((f"{label}: ", "bold"), value) for label, value in long]
    if short:
        lines.append(
            join((assemble((f"{label}: ", "bold"), value or "—") for label, value in short), " · ")
        )
    return join(lines, "\n")
