"""SQLModel tables: the one place the schema is defined.

Times are UTC-aware on every backend (`UTCDateTime`). Unique keys never include a nullable
column: identities are explicit non-null ``*_key`` strings.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Column,
    DateTime,
    Dialect,
    Index,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
    func,
)
from sqlmodel import Field, SQLModel
from sqlmodel.main import SQLModelConfig


def utcnow() -> datetime:
    """The current time, UTC-aware."""
    return datetime.now(UTC)


def as_utc(value: datetime | None) -> datetime | None:
    """Attach UTC to a naive datetime read back from SQLite."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware datetime stored as UTC on every backend.

    SQLite keeps no offset, so values are converted to UTC before they are
    written and marked UTC when read back.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return as_utc(value)


def table_of(model: type[SQLModel]) -> Table:
    """The Core table behind a model, for multi-row statements that skip the ORM."""
    table: Table = model.__table__  # type: ignore[attr-defined]
    return table


def _when() -> Any:
    return Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))


def _json() -> Any:
    return Field(default_factory=list, sa_column=Column(JSON, nullable=False))


class TableModel(SQLModel):
    """The base of every table.

    Pydantic builds a model's validator and serializer when one is first used rather than
    when the class is made (``defer_build``): aiwatch never validates or serialises a table
    row through pydantic, and building them was a third of importing this module (~35 ms of
    every start).
    """

    model_config = SQLModelConfig(defer_build=True)


class Feed(TableModel, table=True):
    """A subscribed RSS/Atom feed and its health."""

    id: int | None = Field(default=None, primary_key=True)
    url: str = Field(unique=True, max_length=2048)
    title: str = ""
    site_url: str = ""
    category: str = ""
    enabled: bool = True
    etag: str | None = None
    last_modified: str | None = None
    body_hash: str | None = None
    last_checked: datetime | None = _when()
    last_ok: datetime | None = _when()
    retry_after: datetime | None = _when()
    http_status: int | None = None
    status: str = "new"  # new | ok | unchanged | warning | error | gone | disabled
    error: str = ""
    warning: str = ""
    error_count: int = 0
    created: datetime | None = _when()
    publisher: str = Field(default="", max_length=300)  # the user's choice; empty: detect it
    detected_publisher: str = Field(default="", max_length=300)  # what the last refresh found


class FeedLease(TableModel, table=True):
    """A refresh's claim on a feed, so a second refresh leaves it alone (SQLite).

    PostgreSQL uses advisory locks instead (`store.feed_claims`); a lease ends
    when its refresh releases it, when ``expires`` passes without renewal, or
    at once when its owner is a process on this host that no longer runs.
    """

    feed_id: int = Field(foreign_key="feed.id", primary_key=True, ondelete="CASCADE")
    owner: str = Field(max_length=300)  # "host pid token"
    expires: datetime | None = _when()


class Article(TableModel, table=True):
    """One story, stored once however many sources carried it."""

    __table_args__ = (Index("ix_article_published", "published"),)

    id: int | None = Field(default=None, primary_key=True)
    identity: str = Field(unique=True, max_length=512)
    url: str | None = Field(default=None, max_length=2048)
    title: str = ""
    author: str = ""
    summary: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    body: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    published: datetime | None = _when()
    fetched: datetime | None = _when()
    content_hash: str = Field(default="", index=True, max_length=64)
    extraction_error: str = ""
    # the companies and products it mentions, for full-text search (store.search_index)
    search_names: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    publisher: str = Field(default="", max_length=300)  # who "we" meant when it was extracted


class ArticleSource(TableModel, table=True):
    """Which seed file or feed carried an article, under which entry key."""

    __table_args__ = (UniqueConstraint("source", "entry_key"),)

    id: int | None = Field(default=None, primary_key=True)
    article_id: int = Field(foreign_key="article.id", index=True, ondelete="CASCADE")
    source: str = Field(max_length=2048)
    entry_key: str = Field(max_length=512)
    feed_id: int | None = Field(
        default=None, foreign_key="feed.id", ondelete="SET NULL", index=True
    )


class ArticleSection(TableModel, table=True):
    """A named section of an article's body."""

    id: int | None = Field(default=None, primary_key=True)
    article_id: int = Field(foreign_key="article.id", index=True, ondelete="CASCADE")
    position: int
    name: str
    text: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))


class ArticleInsight(TableModel, table=True):
    """A question with its answer points, or an extracted key point (`feeds.records.Insight`, stored)."""

    __tablename__ = "insight"

    id: int | None = Field(default=None, primary_key=True)
    article_id: int = Field(foreign_key="article.id", index=True, ondelete="CASCADE")
    position: int
    question: str
    points: list[str] = _json()


class ArticleTopic(TableModel, table=True):
    """A tag such as partnership, product, litigation or video-generation."""

    __table_args__ = (Index("ix_articletopic_topic", "topic", "article_id"),)

    article_id: int = Field(foreign_key="article.id", primary_key=True, ondelete="CASCADE")
    topic: str = Field(primary_key=True, max_length=64)


class Company(TableModel, table=True):
    """An organisation, by canonical name."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True, max_length=300)
    kind: str = ""
    verified: bool = True
    found_by: str = ""  # how an unverified name was found (suffix, descriptor, caption ...)


class CompanyAlias(TableModel, table=True):
    """Another name a company goes by (from the knowledge base or the user)."""

    id: int | None = Field(default=None, primary_key=True)
    company_id: int = Field(foreign_key="company.id", index=True, ondelete="CASCADE")
    alias: str = Field(unique=True, max_length=300)


class Product(TableModel, table=True):
    """A product or model and its latest known status."""

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, max_length=300)
    name: str
    company_id: int | None = Field(
        default=None, foreign_key="company.id", ondelete="SET NULL", index=True
    )
    modality: str = ""
    status: str = "mentioned"
    first_seen: datetime | None = _when()
    last_seen: datetime | None = _when()
    user_edited: bool = False
    verified: bool = True  # false: discovered in the text, not in the knowledge base
    found_by: str = ""  # how an unverified product was found (called, introducing, version ...)


class Partnership(TableModel, table=True):
    """One real-world deal between organisations, however many articles report it."""

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, max_length=600)
    focus: str = ""
    kind: str = ""
    status: str = "announced"
    certainty: str = "fact"
    first_seen: datetime | None = _when()
    last_seen: datetime | None = Field(
        default=None, sa_column=Column(UTCDateTime(), nullable=True, index=True)
    )
    user_edited: bool = False


class PartnershipParty(TableModel, table=True):
    """Links a partnership to each of its parties."""

    partnership_id: int = Field(foreign_key="partnership.id", primary_key=True, ondelete="CASCADE")
    company_id: int = Field(
        foreign_key="company.id", primary_key=True, ondelete="CASCADE", index=True
    )


class CopyrightCase(TableModel, table=True):
    """A lawsuit or legal action about AI, with its stage and latest ruling."""

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, max_length=600)
    caption: str = ""
    court: str = ""
    docket: str = ""
    claims: list[str] = _json()
    kind: str = "lawsuit"
    stage: str = "filed"
    ruling: str = ""
    ruling_date: datetime | None = _when()  # when that ruling was reported, not decided
    certainty: str = "fact"
    first_seen: datetime | None = _when()
    last_seen: datetime | None = _when()
    user_edited: bool = False


class CaseParty(TableModel, table=True):
    """A plaintiff or defendant of a case."""

    case_id: int = Field(foreign_key="copyrightcase.id", primary_key=True, ondelete="CASCADE")
    company_id: int = Field(
        foreign_key="company.id", primary_key=True, ondelete="CASCADE", index=True
    )
    role: str = Field(primary_key=True, max_length=16)  # plaintiff | defendant


class StatusChange(TableModel, table=True):
    """A point on a partnership's or case's timeline: what an article reported, when."""

    __table_args__ = (Index("ix_statuschange_entity", "entity_type", "entity_id", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    entity_type: str = Field(max_length=16)  # partnership | case | product
    entity_id: int
    status: str
    article_id: int = Field(foreign_key="article.id", ondelete="CASCADE", index=True)
    at: datetime | None = _when()


class RecordEdit(TableModel, table=True):
    """One correction an analyst made to a record: a field edit, a rename, a merge, a
    deletion or a confirmation (`store.edits`, `store.corrections`).

    Open dashboards poll the newest id (`store.changes.data_mark`), so a correction
    made from the command line or another dashboard shows on every screen within moments.
    """

    id: int | None = Field(default=None, primary_key=True)
    entity_type: str = Field(max_length=16)  # company | product | partnership | case
    entity_id: int
    verb: str = Field(max_length=16)  # edit | rename | merge | delete | confirm
    at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))


class Mention(TableModel, table=True):
    """Article ↔ entity, with the sentence that supports it."""

    __table_args__ = (
        # (its index also finds an article's mentions)
        UniqueConstraint("article_id", "entity_type", "entity_id", "evidence_key"),
        # an entity's articles, read from the index alone (the panels count them)
        Index("ix_mention_entity", "entity_type", "entity_id", "article_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    article_id: int = Field(foreign_key="article.id", ondelete="CASCADE")
    entity_type: str = Field(max_length=16)  # company | product | partnership | case
    entity_id: int
    evidence: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    evidence_key: str = Field(default="", max_length=64)
    certainty: str = "fact"
    reported: bool = False  # the article reports it as news (a deal, launch, filing, ruling)


class RetiredKey(TableModel, table=True):
    """A record identity no longer in use: deleted by the user, or merged or renamed.

    Consolidation looks every key up here first, so a deleted record stays
    deleted and a merged or renamed one keeps receiving what is reported under
    its old name. ``target_id`` is the surviving record (same ``entity_type``),
    ``None`` for a deletion.
    """

    __table_args__ = (UniqueConstraint("entity_type", "key"),)

    id: int | None = Field(default=None, primary_key=True)
    entity_type: str = Field(max_length=16)  # company | product | partnership | case
    key: str = Field(max_length=600)
    target_id: int | None = Field(default=None, index=True)


Index(  # the articles panel, newest first (undated articles by when they were fetched)
    "ix_article_recent",
    func.coalesce(table_of(Article).c.published, table_of(Article).c.fetched),
    table_of(Article).c.id,
)


# Per-user state: what each analyst has read, seen, watches and saved. ----------------
# ``username`` is the name `tui.config.Settings.user` resolves (config ``user``, else
# $AIWATCH_USER, else the OS login), so people sharing one PostgreSQL database
# each keep their own.


class ArticleRead(TableModel, table=True):
    """An article one user has read."""

    username: str = Field(primary_key=True, max_length=128)
    article_id: int = Field(foreign_key="article.id", primary_key=True, ondelete="CASCADE")
    at: datetime | None = _when()


class EntitySeen(TableModel, table=True):
    """The state of a partnership, product or case when one user last looked at it.

    ``state`` is `store.whats_new.entity_state` at that moment: a different state
    now means the entity moved (a case's stage, a product's latest launch …).
    """

    username: str = Field(primary_key=True, max_length=128)
    entity_type: str = Field(primary_key=True, max_length=16)
    entity_id: int = Field(primary_key=True)
    state: str = Field(default="", max_length=300)
    at: datetime | None = _when()


class Watch(TableModel, table=True):
    """A company, product, case or partnership one user watches."""

    username: str = Field(primary_key=True, max_length=128)
    entity_type: str = Field(primary_key=True, max_length=16)
    entity_id: int = Field(primary_key=True)
    created: datetime | None = _when()


class SavedView(TableModel, table=True):
    """A filter or search one user saved under a name."""

    __table_args__ = (UniqueConstraint("username", "name"),)

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=128)
    name: str = Field(max_length=100)
    company: str = Field(default="", max_length=300)
    topic: str = Field(default="", max_length=64)
    text: str = Field(default="", max_length=500)
    sort: str = Field(default="", max_length=16)


class UserPreference(TableModel, table=True):
    """One user's setting chosen in the app (the theme …), kept across sessions."""

    username: str = Field(primary_key=True, max_length=128)
    name: str = Field(primary_key=True, max_length=64)
    value: str = Field(default="", max_length=300)


class ArticleStory(TableModel, table=True):
    """Which story an article belongs to: the same event reported by several outlets.

    ``story_id`` is the id of the story's first article; an article without a row
    has not been grouped yet (it is a story of its own).
    """

    article_id: int = Field(foreign_key="article.id", primary_key=True, ondelete="CASCADE")
    story_id: int = Field(index=True)
    lead_key: str = Field(default="", max_length=16, index=True)
    """A hash of the lead's first words (`store.stories.lead_key`), "" when it is too short."""
