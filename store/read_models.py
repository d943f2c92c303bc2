"""Plain, frozen rows the UI and exporters read: never live ORM objects.

Names say what a read model is: ``…Row`` is one item of a list (a panel's row, an
article's section or mention, a timeline entry), ``…Detail`` is one record read
whole for its screen (made of rows), and a few wholes have their own nouns
(`Dashboard`, `PanelPage`, `WhatsNew`). No ``…View``: a view is a saved filter
(`store.saved_views`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

SORTS = ("newest", "reported", "name")
"""Panel orders: by the latest report, by how many articles report it, by name."""
SORT_LABELS = {"newest": "newest first", "reported": "most reported", "name": "by name"}


@dataclass(frozen=True, slots=True)
class Filter:
    """What the user narrowed the dashboard to; empty fields mean "any".

    ``text`` is a query in the search language (`store.search_query`);
    ``after`` and ``before`` are ISO dates (``before`` excludes its own day).
    ``sort`` orders the panels (one of `SORTS`); it narrows nothing.
    """

    company: str | None = None
    topic: str | None = None
    text: str | None = None
    after: str | None = None
    before: str | None = None
    sort: str = "newest"

    @property
    def active(self) -> bool:
        """True when any narrowing applies."""
        return bool(self.company or self.topic or self.text or self.after or self.before)


@dataclass(frozen=True, slots=True)
class PartnershipRow:
    id: int
    parties: tuple[str, ...]
    focus: str
    kind: str
    status: str
    certainty: str
    articles: int
    first_seen: datetime | None
    last_seen: datetime | None
    unverified: tuple[str, ...] = ()
    """Parties found from context only, not in the knowledge base (until a user confirms them)."""


@dataclass(frozen=True, slots=True)
class ProductRow:
    id: int
    name: str
    company: str
    modality: str
    status: str
    articles: int
    last_seen: datetime | None
    verified: bool = True
    found_by: str = ""
    company_verified: bool = True
    latest: datetime | None = None
    """When an article last reported a launch or update of it (``None``: never)."""


def with_certainty(state: str, certainty: str) -> str:
    """A status or stage with how certain its report is, unless it is a plain fact:
    ``announced``, ``announced (rumour)``."""
    return state if certainty in ("", "fact") else f"{state} ({certainty})"


def case_title(caption: str, plaintiffs: Sequence[str], defendants: Sequence[str]) -> str:
    """A case's caption, or "plaintiffs v. defendants" when no caption was reported."""
    if caption:
        return caption
    named = ", ".join(plaintiffs) or "Unnamed plaintiffs"
    return f"{named} v. {', '.join(defendants) or 'unnamed defendants'}"


@dataclass(frozen=True, slots=True)
class CaseRow:
    id: int
    caption: str
    plaintiffs: tuple[str, ...]
    defendants: tuple[str, ...]
    court: str
    docket: str
    claims: tuple[str, ...]
    kind: str
    stage: str
    ruling: str
    certainty: str
    articles: int
    last_seen: datetime | None
    unverified: tuple[str, ...] = ()
    """Parties found from context only, not in the knowledge base."""
    latest: datetime | None = None
    """When an article last reported an event in the case (``None``: never)."""

    @property
    def title(self) -> str:
        """The caption, or a description built from the parties."""
        return case_title(self.caption, self.plaintiffs, self.defendants)


@dataclass(frozen=True, slots=True)
class ArticleRow:
    id: int
    title: str
    source: str
    url: str | None
    published: datetime | None
    fetched: datetime | None
    companies: tuple[str, ...]
    topics: tuple[str, ...]
    extraction_error: str = ""
    marks: tuple[tuple[int, int], ...] = ()  # where the searched words are in the title
    sources: int = 1
    """How many outlets carried this story (its versions' distinct sources)."""
    versions: tuple[int, ...] = ()
    """Every article of the story, this one first; empty when it is the only one."""


@dataclass(frozen=True, slots=True)
class SectionRow:
    """A named section of an article's body."""

    name: str
    text: str


@dataclass(frozen=True, slots=True)
class InsightRow:
    """A question with its answer points, or a key point."""

    question: str
    points: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class MentionRow:
    """An entity found in an article, with the sentence that supports it."""

    entity_type: str
    entity_id: int
    name: str
    evidence: str
    certainty: str
    reported: bool = False
    """The article reports it as news (any of its sentences does), not only names it."""
    verified: bool = True


@dataclass(frozen=True, slots=True)
class ArticleDetail:
    row: ArticleRow
    author: str
    summary: str
    sections: tuple[SectionRow, ...]
    insights: tuple[InsightRow, ...]
    key_points: tuple[str, ...]
    mentions: tuple[MentionRow, ...]
    extraction_error: str
    publisher: str = ""


@dataclass(frozen=True, slots=True)
class EvidenceRow:
    """One article's support for an entity."""

    article_id: int
    title: str
    published: datetime | None
    evidence: str
    certainty: str
    reported: bool = False


@dataclass(frozen=True, slots=True)
class TimelineRow:
    """One event: when, what (``status``, or ``event`` naming the record for a company),
    and the article and outlet that reported it."""

    at: datetime | None
    status: str
    article_id: int
    title: str
    event: str = ""
    source: str = ""


@dataclass(frozen=True, slots=True)
class EntityDetail:
    """A partnership, product, case or company with every article that mentions it."""

    entity_type: str
    entity_id: int
    name: str
    facts: tuple[tuple[str, str], ...]
    evidence: tuple[EvidenceRow, ...]
    timeline: tuple[TimelineRow, ...]
    verified: bool = True
    found_by: str = ""


@dataclass(frozen=True, slots=True)
class NamedRecord:
    """A record by its name, for searching everything (``entity_id`` 0 for a company)."""

    kind: str  # partnership | product | case | company | article
    name: str
    entity_id: int
    unverified: bool = False


@dataclass(frozen=True, slots=True)
class CountRow:
    """A name (company or topic) with how many articles carry it."""

    name: str
    articles: int


@dataclass(frozen=True, slots=True)
class WhatsNew:
    """What changed since one user last looked: entity id → what changed, unread articles."""

    partnerships: Mapping[int, str] = field(default_factory=dict)
    products: Mapping[int, str] = field(default_factory=dict)
    cases: Mapping[int, str] = field(default_factory=dict)
    unread: frozenset[int] = frozenset()
    watched: frozenset[tuple[str, int]] = frozenset()
    """(entity type, id) of everything the user watches."""


def merged_news(*parts: WhatsNew) -> WhatsNew:
    """One `WhatsNew` holding everything ``parts`` hold (rows read page by page)."""
    return WhatsNew(
        partnerships={k: v for part in parts for k, v in part.partnerships.items()},
        products={k: v for part in parts for k, v in part.products.items()},
        cases={k: v for part in parts for k, v in part.cases.items()},
        unread=frozenset().union(*(part.unread for part in parts)),
        watched=frozenset().union(*(part.watched for part in parts)),
    )


@dataclass(frozen=True, slots=True)
class Dashboard:
    """What the dashboard shows for one filter: each panel's first rows, read in one go.

    ``matching`` says how many records of each panel (``partnerships``,
    ``products``, ``cases``, ``articles``) pass the filter; the rows are the
    first of them, and `PanelPage` brings the next ones.
    """

    filter: Filter
    partnerships: tuple[PartnershipRow, ...]
    products: tuple[ProductRow, ...]
    cases: tuple[CaseRow, ...]
    articles: tuple[ArticleRow, ...]
    total_articles: int
    whats_new: WhatsNew = field(default_factory=WhatsNew)
    matching: Mapping[str, int] = field(default_factory=dict)
    offsets: Mapping[str, int] = field(default_factory=dict)
    """Where each panel's next page starts (`PanelPage.next_offset`; default: its rows)."""

    def count(self, panel: str) -> int:
        """How many records of ``panel`` pass the filter (at least the rows loaded)."""
        loaded = len(getattr(self, panel))
        return max(self.matching.get(panel, loaded), loaded)

    def next_offset(self, panel: str) -> int:
        """Where ``panel``'s next page starts: the stories panel counts articles read."""
        return self.offsets.get(panel, len(getattr(self, panel)))

    def has_more(self, panel: str) -> bool:
        """True when records of ``panel`` after those read pass the filter too."""
        return self.next_offset(panel) < self.matching.get(panel, 0)

    def extended(self, page: PanelPage) -> Dashboard:
        """This dashboard with ``page``'s rows after the ones of its panel already here."""
        shown: tuple[Any, ...] = getattr(self, page.panel)
        keys = {row.id for row in shown}
        rows = shown + tuple(row for row in page.rows if row.id not in keys)
        changed: dict[str, Any] = {
            page.panel: rows,
            "matching": {**self.matching, page.panel: page.total},
            "offsets": {**self.offsets, page.panel: page.next_offset},
            "whats_new": merged_news(self.whats_new, page.whats_new),
        }
        return replace(self, **changed)


@dataclass(frozen=True, slots=True)
class PanelPage:
    """More rows of one dashboard panel: ``rows`` from ``offset`` on, of ``total``."""

    panel: str
    rows: tuple[Any, ...]
    total: int
    offset: int = 0
    whats_new: WhatsNew = field(default_factory=WhatsNew)
    read: int | None = None
    """Records read for these rows (``None``: one per row); the stories panel reads
    articles, several of which may be one story's versions."""

    @property
    def next_offset(self) -> int:
        """Where the page after this one starts."""
        return self.offset + (len(self.rows) if self.read is None else self.read)

    @property
    def more(self) -> bool:
        """True when rows after these pass the filter too."""
        return self.next_offset < self.total
