"""Read-model queries for the UI and exporters: filter in, plain rows out.

A `Filter` narrows every panel at once: by company (a party, maker or article
mention), by topic (entities supported by an article with that topic) and by
text (the entity's own fields, or any article that supports it).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import datetime
from functools import cache
from typing import Any, Protocol, TypeVar

from sqlalchemy import Select, exists, func
from sqlalchemy import select as select_columns
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from aiwatch.store.bulk import in_list, rows_in
from aiwatch.store.db import read_snapshot
from aiwatch.store.models import (
    Article,
    ArticleSource,
    ArticleTopic,
    CaseParty,
    Company,
    CopyrightCase,
    Feed,
    Mention,
    PartnershipParty,
    Product,
    Watch,
    as_utc,
    table_of,
)
from aiwatch.store.panels import PAGE, Page, case_page, partnership_page, product_page
from aiwatch.store.read_models import (
    ArticleRow,
    CaseRow,
    CountRow,
    Dashboard,
    Filter,
    NamedRecord,
    PanelPage,
    PartnershipRow,
    ProductRow,
    WhatsNew,
    case_title,
    merged_news,
    with_certainty,
)
from aiwatch.store.search import (
    Marks,
    article_condition,
    article_ids,
    names_held,
    ranked,
    title_marks,
)
from aiwatch.store.stories import story_versions
from aiwatch.store.whats_new import case_state, changes, unread_ids

ARTICLE_LIMIT = 500
_SOURCE, _FEED, _TOPIC = table_of(ArticleSource), table_of(Feed), table_of(ArticleTopic)
_MENTION, _COMPANY, _ARTICLE = table_of(Mention), table_of(Company), table_of(Article)
_Row = TypeVar("_Row")


def _newest(when: datetime | None) -> float:
    """A sort key putting the latest first and the undated last."""
    return -when.timestamp() if when is not None else float("inf")


def ordered(
    rows: Iterable[_Row],
    sort: str,
    *,
    newest: Callable[[_Row], Any],
    reported: Callable[[_Row], int],
    name: Callable[[_Row], str],
) -> list[_Row]:
    """``rows`` in the panel order ``sort`` (see `store.read_models.SORTS`); ties by name."""
    if sort == "reported":
        return sorted(rows, key=lambda r: (-reported(r), name(r).lower()))
    if sort == "name":
        return sorted(rows, key=lambda r: name(r).lower())
    return sorted(rows, key=lambda r: (newest(r), name(r).lower()))


def matching_article_ids(session: Session, filt: Filter) -> set[int] | None:
    """Ids of articles that pass the filter, or ``None`` when nothing narrows them.

    The filter's text is a search (`store.search`: the full-text index, fields,
    NOT and OR); `store.search_query.QueryError` when it cannot be read.
    """
    condition = article_condition(session, filt)
    if condition is None:
        return None
    query = select(Article.id).where(condition)
    return {article_id for article_id in session.exec(query).all() if article_id is not None}


def supporting_articles(
    session: Session, entity_type: str, *, reported: bool = False
) -> dict[int, set[int]]:
    """For each entity of ``entity_type``, the ids of the articles that mention it
    (``reported``: only those that report it as news)."""
    support: dict[int, set[int]] = defaultdict(set)
    query = select(Mention.entity_id, Mention.article_id).where(Mention.entity_type == entity_type)
    if reported:
        query = query.where(col(Mention.reported).is_(True))
    for entity_id, article_id in session.exec(query).all():
        support[entity_id].add(article_id)
    return support


def unverified_companies(session: Session) -> set[str]:
    """Names of the companies found from context only (not in the knowledge base)."""
    return set(session.exec(select(Company.name).where(col(Company.verified).is_(False))).all())


def list_partnerships(session: Session, filt: Filter = Filter()) -> list[PartnershipRow]:
    """Every partnership passing ``filt``, in ``filt.sort`` order (see `store.panels`)."""
    return list(partnership_page(session, filt, limit=None).rows)


def list_products(session: Session, filt: Filter = Filter()) -> list[ProductRow]:
    """Every product passing ``filt`` (company = maker), in ``filt.sort`` order.

    Newest first means by the latest launch or update an article reported; products
    never reported launched follow, by when they were last mentioned.
    """
    return list(product_page(session, filt, limit=None).rows)


def list_cases(session: Session, filt: Filter = Filter()) -> list[CaseRow]:
    """Every case passing ``filt`` (company = a party), in ``filt.sort`` order (newest: latest event)."""
    return list(case_page(session, filt, limit=None).rows)


@cache
def _sources_of(style: str) -> Select[Any]:
    link, feed = _SOURCE.c, _FEED.c
    return (
        select(link.article_id, link.source, feed.title)
        .outerjoin_from(_SOURCE, _FEED, feed.id == link.feed_id)
        .where(in_list(link.article_id, "values", style))
        .order_by(link.id)
    )


@cache
def _companies_of(style: str) -> Select[Any]:
    mention, company = _MENTION.c, _COMPANY.c
    return (
        select(mention.article_id, company.name)
        .join_from(_MENTION, _COMPANY, company.id == mention.entity_id)
        .where(mention.entity_type == "company", in_list(mention.article_id, "values", style))
        .distinct()
    )


@cache
def _topics_of(style: str) -> Select[Any]:
    tag = _TOPIC.c
    return select(tag.article_id, tag.topic).where(in_list(tag.article_id, "values", style))


def _article_labels(
    session: Session, article_ids: Iterable[int]
) -> tuple[dict[int, str], dict[int, list[str]], dict[int, list[str]]]:
    """Each article's first source (its feed's title), companies and topics, each read by a
    statement built once (`store.bulk.rows_in`)."""
    ids = list(article_ids)
    sources: dict[int, str] = {}
    companies: dict[int, list[str]] = defaultdict(list)
    topics: dict[int, list[str]] = defaultdict(list)
    if not ids:
        return sources, companies, topics
    for article_id, source, feed_title in rows_in(session, _sources_of, ids):
        sources.setdefault(article_id, feed_title or source.removeprefix("seed:"))
    for article_id, name in rows_in(session, _companies_of, ids):
        companies[article_id].append(name)
    for article_id, topic in rows_in(session, _topics_of, ids):
        topics[article_id].append(topic)
    return sources, companies, topics


class Listed(Protocol):
    """What `article_rows` reads of an article (an `Article`, or a row of `_LISTED`)."""

    id: int | None
    title: str
    url: str | None
    published: datetime | None
    fetched: datetime | None
    extraction_error: str


_LISTED = [
    _ARTICLE.c[name] for name in ("id", "title", "url", "published", "fetched", "extraction_error")
]
"""What a listing reads of an article: a page of 50 bodies is most of what it would
otherwise fetch, and none of it is shown."""


@cache
def _listed_by_id(style: str) -> Select[Any]:
    return select_columns(*_LISTED).where(in_list(_ARTICLE.c.id, "values", style))


WALK_FROM = 2_000
"""Matching articles above which SQLite lists them by walking the recency index (each
probed for the filter) rather than sorting all of them: a page is found within a few
hundred probes, where sorting would read every match."""


def list_articles(
    session: Session,
    filt: Filter = Filter(),
    *,
    limit: int | None = ARTICLE_LIMIT,
    offset: int = 0,
    matching: int | None = None,
) -> list[ArticleRow]:
    """Articles passing ``filt``: best match first when it searches for words, else newest
    first (undated ones by when they were fetched); searched words are marked in titles.
    ``limit`` of them (``None``: all) from ``offset``; ``matching`` (how many pass, when
    known) lets SQLite pick the cheaper way to find them."""
    articles, marks = _listed(session, filt, limit=limit, offset=offset, matching=matching)
    return article_rows(session, articles, marks=marks)


def _listed(
    session: Session, filt: Filter, *, limit: int | None, offset: int, matching: int | None
) -> tuple[Sequence[Listed], Mapping[int, Marks] | None]:
    """`list_articles`'s articles, in order, and the marks of their titles (``None``: no
    words searched), before their labels are read."""
    condition = article_condition(session, filt)
    best = ranked(session, filt, condition, limit, offset=offset)
    if best is not None:
        found = {row.id: row for row in rows_in(session, _listed_by_id, best)}
        return [found[i] for i in best if i in found], title_marks(session, filt, best)
    recent = func.coalesce(Article.published, Article.fetched)
    query = select_columns(*_LISTED).order_by(recent.desc(), col(Article.id).desc())
    walk = (
        condition is not None
        and limit is not None
        and session.get_bind().dialect.name == "sqlite"
        and not filt.text  # (a full-text match cannot be probed row by row)
        and (matching if matching is not None else count_articles(session, filt)) > WALK_FROM
    )
    if walk:
        listed = article_ids(session, filt).subquery()
        query = query.where(exists(select(1).select_from(listed).where(listed.c[0] == Article.id)))
    elif condition is not None:
        query = query.where(condition)
    query = query.offset(offset)
    if limit is not None:
        query = query.limit(limit)
    return session.execute(query).all(), None


def count_articles(session: Session, filt: Filter = Filter()) -> int:
    """How many articles pass ``filt``."""
    ids = article_ids(session, filt)
    if ids is None:
        return int(session.exec(select(func.count()).select_from(Article)).one())
    listed = ids.subquery()
    return int(session.exec(select(func.count(func.distinct(listed.c[0])))).one())


def article_rows(
    session: Session, articles: Sequence[Listed], *, marks: Mapping[int, Marks] | None = None
) -> list[ArticleRow]:
    """Read models for ``articles``, with their source, companies, topics and title ``marks``."""
    sources, companies, topics = _article_labels(
        session, (a.id for a in articles if a.id is not None)
    )
    return [
        ArticleRow(
            a.id,
            a.title,
            sources.get(a.id, ""),
            a.url,
            as_utc(a.published),
            as_utc(a.fetched),
            tuple(sorted(companies[a.id])),
            tuple(sorted(topics[a.id])),
            a.extraction_error,
            (marks or {}).get(a.id, ()),
        )
        for a in articles
        if a.id is not None
    ]


def list_stories(
    session: Session,
    filt: Filter = Filter(),
    *,
    limit: int | None = ARTICLE_LIMIT,
    offset: int = 0,
    count: int | None = None,
) -> list[ArticleRow]:
    """The articles panel: each story once (see `store.stories`), shown by its first report.

    A story passes when any of its versions passes ``filt``; its row is the first
    outlet's article, with every version's id and the number of outlets. Of the
    ``limit`` newest (or best) matching articles from ``offset``, in their order (or
    by outlets, or title, as ``filt.sort`` says). ``count``: how many articles pass,
    when known.
    """
    matching, marks = _listed(session, filt, limit=limit, offset=offset, matching=count)
    page = [a.id for a in matching if a.id is not None]
    versions = story_versions(session, page)
    firsts = list(dict.fromkeys(versions[i][0] for i in page))
    missing = set(firsts).difference(page)
    # first reports outside this page: labelled with it, in one read
    found = rows_in(session, _listed_by_id, sorted(missing)) if missing else []
    rows = {r.id: r for r in article_rows(session, [*matching, *found], marks=marks)}
    members = {versions[i][0]: versions[i] for i in page}
    outlets = _outlets(session, {i for ids in members.values() if len(ids) > 1 for i in ids})
    stories = []
    for first in firsts:
        ids = members[first]
        many = len(ids) > 1
        sources = len(set().union(*(outlets.get(i, set()) for i in ids))) if many else 1
        stories.append(
            replace(rows[first], sources=max(sources, 1), versions=tuple(ids) if many else ())
        )
    if filt.sort == "newest":  # as `list_articles` ranked them: newest, or best match first
        return stories
    return ordered(
        stories,
        filt.sort,
        newest=lambda r: _newest(r.published or r.fetched),
        reported=lambda r: r.sources,
        name=lambda r: r.title,
    )


@cache
def _outlets_of(style: str) -> Select[Any]:
    link = _SOURCE.c
    return select(link.article_id, link.source).where(in_list(link.article_id, "values", style))


def _outlets(session: Session, article_ids: set[int]) -> dict[int, set[str]]:
    outlets: dict[int, set[str]] = defaultdict(set)
    if article_ids:
        for article_id, source in rows_in(session, _outlets_of, article_ids):
            outlets[article_id].add(source)
    return outlets


PANELS = ("partnerships", "products", "cases", "articles")


def load_panel(
    session: Session,
    filt: Filter,
    panel: str,
    *,
    offset: int = 0,
    limit: int = PAGE,
    user: str | None = None,
) -> PanelPage:
    """``limit`` rows of one panel from ``offset`` (one of `PANELS`), with how many pass
    ``filt`` and, with ``user``, what is new for them among these rows; the count and the
    rows come from one snapshot, so a refresh committing between them cannot make them differ."""
    read_snapshot(session)
    with names_held(session):  # (one snapshot: the filter's company is looked up once)
        return _load_panel(session, filt, panel, offset=offset, limit=limit, user=user)


def _states(panel: str, rows: Sequence[Any]) -> dict[int, str] | None:
    """What "changed" compares for the rows of a record panel, from the rows themselves
    (``None`` for products, whose state is the latest launch's status: read again)."""
    if panel == "partnerships":
        return {row.id: with_certainty(row.status, row.certainty) for row in rows}
    if panel == "cases":
        return {row.id: case_state(row.stage, row.ruling) for row in rows}
    return None


def _load_panel(
    session: Session, filt: Filter, panel: str, *, offset: int, limit: int, user: str | None
) -> PanelPage:
    news = WhatsNew()
    read: int | None = None
    if panel == "articles":
        total = count_articles(session, filt)
        rows: tuple[Any, ...] = tuple(
            list_stories(session, filt, limit=limit, offset=offset, count=total)
        )
        read = max(0, min(limit, total - offset))  # articles, grouped into these stories
        if user is not None:
            versions = {i for a in rows for i in (a.versions or (a.id,))}
            news = WhatsNew(unread=unread_ids(session, user, versions))
    else:
        page: Page[Any]
        if panel == "partnerships":
            page = partnership_page(session, filt, offset=offset, limit=limit)
        elif panel == "products":
            page = product_page(session, filt, offset=offset, limit=limit)
        else:
            page = case_page(session, filt, offset=offset, limit=limit)
        rows, total = page.rows, page.total
        if user is not None:
            kind = {"partnerships": "partnership", "products": "product", "cases": "case"}[panel]
            found = changes(session, user, kind, [r.id for r in rows], _states(panel, rows))
            news = WhatsNew(
                partnerships=found if panel == "partnerships" else {},
                products=found if panel == "products" else {},
                cases=found if panel == "cases" else {},
            )
    return PanelPage(panel, rows, total, offset, news, read)


def load_dashboard(
    session: Session,
    filt: Filter = Filter(),
    *,
    article_limit: int = PAGE,
    limit: int = PAGE,
    user: str | None = None,
) -> Dashboard:
    """The first ``limit`` rows of every panel for ``filt`` (``article_limit`` articles), how
    many pass in each, read in one session; with ``user``, what is new for them."""
    pages = [
        load_panel(
            session, filt, panel, limit=article_limit if panel == "articles" else limit, user=user
        )
        for panel in PANELS
    ]
    return _assembled(filt, pages, _totals(session, user), user)


def read_dashboard(
    engine: Engine,
    filt: Filter = Filter(),
    *,
    limits: Mapping[str, int] | None = None,
    user: str | None = None,
) -> Dashboard:
    """`load_dashboard`, with the four panels and the totals read side by side, each in a
    session of its own.

    The database does most of the work with the GIL released, so on two cores the
    panels take about as long as the slowest one (PostgreSQL counts every article in 5–10
    ms at 100,000: read after the panels, that was added to every read).
    ``limits``: rows per panel (default `PAGE`; a reload asks for as many as are shown).
    """

    def one(panel: str) -> PanelPage:
        with Session(engine, expire_on_commit=False) as db:
            return load_panel(db, filt, panel, limit=(limits or {}).get(panel, PAGE), user=user)

    def totals() -> _Totals:
        with Session(engine, expire_on_commit=False) as db:
            return _totals(db, user)

    with ThreadPoolExecutor(
        max_workers=len(PANELS) + 1, thread_name_prefix="aiwatch-panel"
    ) as pool:
        counted = pool.submit(totals)
        pages = list(pool.map(one, PANELS))
        return _assembled(filt, pages, counted.result(), user)


_Totals = tuple[int, frozenset[tuple[str, int]]]
"""Every article stored, and what the user watches (``(entity type, id)``)."""


def _totals(session: Session, user: str | None) -> _Totals:
    total = session.exec(select(func.count()).select_from(Article)).one()
    watched: frozenset[tuple[str, int]] = frozenset()
    if user is not None:
        watched = frozenset(
            session.exec(
                select(Watch.entity_type, Watch.entity_id).where(Watch.username == user)
            ).all()
        )
    return int(total), watched


def _assembled(
    filt: Filter, pages: Sequence[PanelPage], totals: _Totals, user: str | None
) -> Dashboard:
    """The `Dashboard` of ``pages`` (one per panel), with the total and the user's watchlist."""
    total, watched = totals
    by_panel = {page.panel: page for page in pages}
    whats_new = WhatsNew()
    if user is not None:
        whats_new = merged_news(*(page.whats_new for page in pages), WhatsNew(watched=watched))
    return Dashboard(
        filter=filt,
        partnerships=by_panel["partnerships"].rows,
        products=by_panel["products"].rows,
        cases=by_panel["cases"].rows,
        articles=by_panel["articles"].rows,
        total_articles=total,
        whats_new=whats_new,
        matching={panel: page.total for panel, page in by_panel.items()},
        offsets={panel: page.next_offset for panel, page in by_panel.items()},
    )


def company_counts(session: Session) -> list[CountRow]:
    """Every company with the number of articles that mention it, most first.

    Counted per company id from the mention index alone, then named: grouping the
    joined rows by name sorted half a million mentions and took three times as long.
    """
    counts = (
        select(
            col(Mention.entity_id).label("company_id"),
            func.count(func.distinct(Mention.article_id)).label("articles"),
        )
        .where(Mention.entity_type == "company")
        .group_by(col(Mention.entity_id))
        .subquery()
    )
    rows = session.exec(
        select(Company.name, counts.c.articles).join(counts, counts.c.company_id == Company.id)
    ).all()
    return sorted(
        (CountRow(name, int(count)) for name, count in rows),
        key=lambda r: (-r.articles, r.name.lower()),
    )


def topic_counts(session: Session) -> list[CountRow]:
    """Every topic with its number of articles, most first."""
    rows = session.exec(select(ArticleTopic.topic, func.count()).group_by(ArticleTopic.topic)).all()
    return sorted(
        (CountRow(topic, int(count)) for topic, count in rows), key=lambda r: (-r.articles, r.name)
    )


def record_names(session: Session) -> list[NamedRecord]:
    """Every partnership, product, case and company by name, and the newest articles by title.

    What the command palette searches: names only, read in a few joins (no counts
    or orders), so even a year of records is ready in a moment.
    """
    unverified = unverified_companies(session)
    parties: dict[int, list[str]] = defaultdict(list)
    for deal_id, name in session.exec(
        select(PartnershipParty.partnership_id, Company.name).join(
            Company, col(Company.id) == col(PartnershipParty.company_id)
        )
    ).all():
        parties[deal_id].append(name)
    found = [
        NamedRecord(
            "partnership", " × ".join(sorted(names)), deal_id, bool(set(names) & unverified)
        )
        for deal_id, names in parties.items()
    ]
    for product_id, name, maker, verified in session.exec(
        select(Product.id, Product.name, Company.name, Product.verified).outerjoin(
            Company, col(Company.id) == col(Product.company_id)
        )
    ).all():
        label = f"{name} ({maker})" if maker else name
        found.append(NamedRecord("product", label, int(product_id or 0), not verified))
    roles: dict[int, dict[str, list[str]]] = defaultdict(lambda: {"plaintiff": [], "defendant": []})
    for case_id, role, name in session.exec(
        select(CaseParty.case_id, CaseParty.role, Company.name).join(
            Company, col(Company.id) == col(CaseParty.company_id)
        )
    ).all():
        roles[case_id][role].append(name)
    for case, caption in session.exec(select(CopyrightCase.id, CopyrightCase.caption)).all():
        case_id = int(case or 0)
        named = roles[case_id]
        title = case_title(caption, sorted(named["plaintiff"]), sorted(named["defendant"]))
        involved = set(named["plaintiff"]) | set(named["defendant"])
        found.append(NamedRecord("case", title, case_id, bool(involved & unverified)))
    for (name,) in session.execute(select(Company.name).order_by(Company.name)).all():
        found.append(NamedRecord("company", name, 0, name in unverified))
    newest = session.exec(
        select(Article.id, Article.title)
        .order_by(func.coalesce(Article.published, Article.fetched).desc(), col(Article.id).desc())
        .limit(ARTICLE_LIMIT)
    ).all()
    found += [
        NamedRecord("article", title, int(article_id or 0), False) for article_id, title in newest
    ]
    return found
