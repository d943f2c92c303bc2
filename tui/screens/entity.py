"""A partnership, product, case or company: facts, timeline and every article that mentions it."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Static

from store.read_models import EntityDetail
from tui.messages import EntityLoaded, EntityRequested, RecordConfirmed, RecordConfirmRequested
from tui.text import assemble, cell, date, join
from tui.widgets.app_footer import AppFooter
from tui.widgets.evidence_list import EvidenceList
from tui.widgets.mention_list import KIND_LABEL, UNVERIFIED
from tui.widgets.record_table import ColumnSpec, RecordTable

TIMELINE_COLUMNS = (
    ColumnSpec("date", "Date", 10),
    ColumnSpec("status", "Status", 18),
    ColumnSpec("article", "Reported by"),
)


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
    ]

    def __init__(self, entity_type: str, entity_id: int) -> None:
        super().__init__(classes="detail-screen")
        self.entity_type = entity_type
        self.entity_id = entity_id
        self.detail: EntityDetail | None = None

    def compose(self) -> ComposeResult:
        """Title bar, facts, timeline, the articles and the footer."""
        yield Static("Loading…", id="detail-title", markup=False)
        with VerticalScroll(id="entity-top"):
            yield Static(id="facts")
            yield RecordTable(TIMELINE_COLUMNS, id="timeline")
        yield EvidenceList(id="evidence")
        yield AppFooter()

    def on_mount(self) -> None:
        """Ask for the entity."""
        self.query_one("#timeline", RecordTable).border_title = "Timeline"
        self.query_one(EvidenceList).border_title = "Articles that mention it · Enter opens"
        self.post_message(EntityRequested(self, self.entity_type, self.entity_id))

    def on_entity_loaded(self, message: EntityLoaded) -> None:
        """Show the entity, or say it is gone."""
        title = self.query_one("#detail-title", Static)
        detail = message.detail
        if detail is None:
            title.update(assemble(("This record no longer exists.", "bold $error")))
            return
        self.detail = detail
        kind = KIND_LABEL.get(detail.entity_type, detail.entity_type)
        title.update(
            assemble(
                (f"{kind} #{detail.entity_id}  ", "$text-muted"),
                (detail.name, "bold"),
                ("" if detail.verified else f"  {UNVERIFIED} · c confirms", "bold $warning"),
            )
        )
        self.refresh_bindings()
        self.query_one("#facts", Static).update(render_facts(detail.facts))
        rows = [
            (f"{t.article_id}:{i}", (cell(date(t.at)), cell(t.status, "bold"), cell(t.title)))
            for i, t in enumerate(detail.timeline)
        ]
        timeline = self.query_one("#timeline", RecordTable)
        timeline.sync(rows)
        timeline.display = bool(rows)
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
        from tui.screens.article import ArticleScreen

        self.app.push_screen(ArticleScreen(article_id))

    def action_focus_timeline(self) -> None:
        """Move to the timeline."""
        self.query_one("#timeline", RecordTable).focus()

    def action_focus_evidence(self) -> None:
        """Move to the articles."""
        self.query_one(EvidenceList).focus()

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
