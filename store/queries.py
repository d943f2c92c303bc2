"""Read-model queries for the UI and exporters: filter in, plain rows out.

A `Filter` narrows every panel at once: by company (a party, maker or article
mention), by topic (entities supported by an article with that topic) and by
text (the entity's own fields, or any article that supports it).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import and_, func
from sqlmodel import Session, col, select

from store.models import (
    Article,
    ArticleSource,
    ArticleTopic,
    CaseParty,
    Company,
    CopyrightCase,
    Feed,
    Mention,
    Partnership,
    PartnershipParty,
    Product,
    StatusChange,
    Watch,
    as_utc,
)
from store.read_models import (
    ArticleRow,
    CaseRow,
    CountRow,
    Dashboard,
    Filter,
    PartnershipRow,
    ProductRow,
    WhatsNew,
)
from store.search import Marks, article_condition, ranked, title_marks
from store.stories import story_versions
from store.whats_new import changes, latest_launches, unread_ids

ARTICLE_LIMIT = 500
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


def latest_events(session: Session, entity_type: str) -> dict[int, datetime]:
    """When an article last reported an event of each entity of ``entity_type``."""
    return {
        entity_id: when
        for entity_id, at in session.exec(
            select(StatusChange.entity_id, func.max(StatusChange.at))
            .where(StatusChange.entity_type == entity_type)
            .group_by(col(StatusChange.entity_id))
        ).all()
        if (when := as_utc(at)) is not None
    }


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _matches(needle: str | None, *haystack: str) -> bool:
    return not needle or any(needle.lower() in value.lower() for value in haystack)


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


def _passes(
    filt: Filter, support: set[int], sets: _ArticleSets, involves_company: bool, *text: str
) -> bool:
    """Whether an entity survives the filter (see the module docstring)."""
    topic_articles, text_articles = sets
    if filt.company and not involves_company:
        return False
    if topic_articles is not None and not support & topic_articles:
        return False
    return text_articles is None or bool(support & text_articles)


_ArticleSets = tuple[set[int] | None, set[int] | None]


def _article_sets(session: Session, filt: Filter) -> _ArticleSets:
    """Articles with the filter's topic, and articles containing its text (``None``: no such filter)."""
    topic = matching_article_ids(session, Filter(topic=filt.topic)) if filt.topic else None
    searched = Filter(text=filt.text, after=filt.after, before=filt.before)
    text = matching_article_ids(session, searched) if searched.active else None
    return topic, text


def list_partnerships(
    session: Session, filt: Filter = Filter(), *, article_sets: _ArticleSets | None = None
) -> list[PartnershipRow]:
    """Partnerships passing ``filt``, most recently seen first."""
    parties: dict[int, list[str]] = defaultdict(list)
    for partnership_id, name in session.exec(
        select(PartnershipParty.partnership_id, Company.name).join(
            Company, col(Company.id) == col(PartnershipParty.company_id)
        )
    ).all():
        parties[partnership_id].append(name)
    support = supporting_articles(session, "partnership")
    sets = article_sets or _article_sets(session, filt)
    unverified = unverified_companies(session)
    rows = []
    for deal in session.exec(select(Partnership)).all():
        assert deal.id is not None
        names = tuple(sorted(parties[deal.id]))
        if not _passes(filt, support[deal.id], sets, filt.company in names, *names, deal.focus):
            continue
        rows.append(
            PartnershipRow(
                deal.id,
                names,
                deal.focus,
                deal.kind,
                deal.status,
                deal.certainty,
                len(support[deal.id]),
                as_utc(deal.first_seen),
                as_utc(deal.last_seen),
                tuple(name for name in names if name in unverified),
            )
        )
    return ordered(
        rows,
        filt.sort,
        newest=lambda r: _newest(r.last_seen),
        reported=lambda r: r.articles,
        name=lambda r: " × ".join(r.parties),
    )


def list_products(
    session: Session, filt: Filter = Filter(), *, article_sets: _ArticleSets | None = None
) -> list[ProductRow]:
    """Products passing ``filt`` (company = maker), in ``filt.sort`` order.

    Newest first means by the latest launch or update an article reported; products
    never reported launched follow, by when they were last mentioned.
    """
    makers = dict(session.exec(select(Company.id, Company.name)).all())
    unverified = unverified_companies(session)
    support = supporting_articles(session, "product")
    launches = latest_launches(session, None)
    sets = article_sets or _article_sets(session, filt)
    rows = []
    for product in session.exec(select(Product)).all():
        assert product.id is not None
        maker = makers.get(product.company_id, "") if product.company_id else ""
        if not _passes(
            filt,
            support[product.id],
            sets,
            maker == filt.company,
            product.name,
            maker,
            product.modality,
        ):
            continue
        rows.append(
            ProductRow(
                product.id,
                product.name,
                maker,
                product.modality,
                product.status,
                len(support[product.id]),
                as_utc(product.last_seen),
                product.verified,
                product.found_by,
                maker not in unverified,
                latest=launches[product.id][0] if product.id in launches else None,
            )
        )
    return ordered(
        rows,
        filt.sort,
        newest=lambda r: (r.latest is None, _newest(r.latest), _newest(r.last_seen)),
        reported=lambda r: r.articles,
        name=lambda r: r.name,
    )


def list_cases(
    session: Session, filt: Filter = Filter(), *, article_sets: _ArticleSets | None = None
) -> list[CaseRow]:
    """Cases passing ``filt`` (company = a party), in ``filt.sort`` order (newest: latest event)."""
    roles: dict[int, dict[str, list[str]]] = defaultdict(lambda: {"plaintiff": [], "defendant": []})
    for case_id, role, name in session.exec(
        select(CaseParty.case_id, CaseParty.role, Company.name).join(
            Company, col(Company.id) == col(CaseParty.company_id)
        )
    ).all():
        roles[case_id][role].append(name)
    support = supporting_articles(session, "case")
    events = latest_events(session, "case")
    sets = article_sets or _article_sets(session, filt)
    unverified = unverified_companies(session)
    rows = []
    for case in session.exec(select(CopyrightCase)).all():
        assert case.id is not None
        plaintiffs = tuple(sorted(roles[case.id]["plaintiff"]))
        defendants = tuple(sorted(roles[case.id]["defendant"]))
        involves = filt.company in plaintiffs + defendants
        claims = tuple(case.claims or ())
        if not _passes(
            filt,
            support[case.id],
            sets,
            involves,
            case.caption,
            *plaintiffs,
            *defendants,
            *claims,
            case.ruling,
        ):
            continue
        rows.append(
            CaseRow(
                case.id,
                case.caption,
                plaintiffs,
                defendants,
                case.court,
                case.docket,
                claims,
                case.kind,
                case.stage,
                case.ruling,
                case.certainty,
                len(support[case.id]),
                as_utc(case.last_seen),
                tuple(name for name in plaintiffs + defendants if name in unverified),
                latest=events.get(case.id),
            )
        )
    return ordered(
        rows,
        filt.sort,
        newest=lambda r: _newest(r.latest or r.last_seen),
        reported=lambda r: r.articles,
        name=lambda r: r.title,
    )


def _article_labels(
    session: Session, article_ids: Iterable[int]
) -> tuple[dict[int, str], dict[int, list[str]], dict[int, list[str]]]:
    ids = list(article_ids)
    sources: dict[int, str] = {}
    companies: dict[int, list[str]] = defaultdict(list)
    topics: dict[int, list[str]] = defaultdict(list)
    if not ids:
        return sources, companies, topics
    for article_id, source, feed_title in session.exec(
        select(ArticleSource.article_id, ArticleSource.source, Feed.title)
        .outerjoin(Feed, col(Feed.id) == col(ArticleSource.feed_id))
        .where(col(ArticleSource.article_id).in_(ids))
        .order_by(col(ArticleSource.id))
    ).all():
        sources.setdefault(article_id, feed_title or source.removeprefix("seed:"))
    for article_id, name in session.exec(
        select(Mention.article_id, Company.name)
        .join(Company, col(Company.id) == col(Mention.entity_id))
        .where(Mention.entity_type == "company", col(Mention.article_id).in_(ids))
        .distinct()
    ).all():
        companies[article_id].append(name)
    for article_id, topic in session.exec(
        select(ArticleTopic.article_id, ArticleTopic.topic).where(
            col(ArticleTopic.article_id).in_(ids)
        )
    ).all():
        topics[article_id].append(topic)
    return sources, companies, topics


def list_articles(
    session: Session, filt: Filter = Filter(), *, limit: int = ARTICLE_LIMIT
) -> list[ArticleRow]:
    """Articles passing ``filt``: best match first when it searches for words, else newest
    first (undated ones by when they were fetched); searched words are marked in titles."""
    condition = article_condition(session, filt)
    best = ranked(session, filt, condition, limit)
    if best is not None:
        found = {a.id: a for a in session.exec(select(Article).where(col(Article.id).in_(best)))}
        articles = [found[i] for i in best if i in found]
        return article_rows(session, articles, marks=title_marks(session, filt, best))
    query = select(Article).order_by(
        func.coalesce(Article.published, Article.fetched).desc(), col(Article.id).desc()
    )
    if condition is not None:
        query = query.where(condition)
    return article_rows(session, session.exec(query.limit(limit)).all())


def article_rows(
    session: Session, articles: Sequence[Article], *, marks: Mapping[int, Marks] | None = None
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
    session: Session, filt: Filter = Filter(), *, limit: int = ARTICLE_LIMIT
) -> list[ArticleRow]:
    """The articles panel: each story once (see `store.stories`), shown by its first report.

    A story passes when any of its versions passes ``filt``; its row is the first
    outlet's article, with every version's id and the number of outlets. Of the
    ``limit`` newest (or best) matching articles, in their order (or by outlets, or
    title, as ``filt.sort`` says).
    """
    matching = list_articles(session, filt, limit=limit)
    versions = story_versions(session, [a.id for a in matching])
    firsts = list(dict.fromkeys(versions[a.id][0] for a in matching))
    rows = {a.id: a for a in matching}
    missing = [i for i in firsts if i not in rows]
    if missing:
        found = session.exec(select(Article).where(col(Article.id).in_(missing))).all()
        rows.update((r.id, r) for r in article_rows(session, found))
    members = {versions[a.id][0]: versions[a.id] for a in matching}
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


def _outlets(session: Session, article_ids: set[int]) -> dict[int, set[str]]:
    outlets: dict[int, set[str]] = defaultdict(set)
    if article_ids:
        for article_id, source in session.exec(
            select(ArticleSource.article_id, ArticleSource.source).where(
                col(ArticleSource.article_id).in_(article_ids)
            )
        ).all():
            outlets[article_id].add(source)
    return outlets


def load_dashboard(
    session: Session,
    filt: Filter = Filter(),
    *,
    article_limit: int = ARTICLE_LIMIT,
    user: str | None = None,
) -> Dashboard:
    """Every panel for ``filt``, read in one session; with ``user``, what is new for them."""
    total = session.exec(select(func.count()).select_from(Article)).one()
    sets = _article_sets(session, filt)  # read once, shared by every panel
    partnerships = tuple(list_partnerships(session, filt, article_sets=sets))
    products = tuple(list_products(session, filt, article_sets=sets))
    cases = tuple(list_cases(session, filt, article_sets=sets))
    articles = tuple(list_stories(session, filt, limit=article_limit))
    whats_new = WhatsNew()
    if user is not None:
        versions = {i for a in articles for i in (a.versions or (a.id,))}
        whats_new = WhatsNew(
            partnerships=changes(session, user, "partnership", [r.id for r in partnerships]),
            products=changes(session, user, "product", [r.id for r in products]),
            cases=changes(session, user, "case", [r.id for r in cases]),
            unread=unread_ids(session, user, versions),
            watched=frozenset(
                session.exec(
                    select(Watch.entity_type, Watch.entity_id).where(Watch.username == user)
                ).all()
            ),
        )
    return Dashboard(
        filter=filt,
        partnerships=partnerships,
        products=products,
        cases=cases,
        articles=articles,
        total_articles=int(total),
        whats_new=whats_new,
    )


def company_counts(session: Session) -> list[CountRow]:
    """Every company with the number of articles that mention it, most first."""
    rows = session.exec(
        select(Company.name, func.count(func.distinct(Mention.article_id)))
        .join(
            Mention,
            and_(col(Mention.entity_type) == "company", col(Mention.entity_id) == col(Company.id)),
        )
        .group_by(Company.name)
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
