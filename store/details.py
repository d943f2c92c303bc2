"""Drill-down queries: one article with everything found in it, one entity with its evidence."""

from __future__ import annotations

from dataclasses import replace

from sqlmodel import Session, col, select

from aiwatch.store.models import (
    Article,
    ArticleInsight,
    ArticleSection,
    ArticleSource,
    CaseParty,
    Company,
    CopyrightCase,
    Feed,
    Mention,
    Partnership,
    PartnershipParty,
    Product,
    StatusChange,
    as_utc,
)
from aiwatch.store.queries import article_rows
from aiwatch.store.read_models import (
    ArticleDetail,
    EntityDetail,
    EvidenceRow,
    InsightRow,
    MentionRow,
    SectionRow,
    TimelineRow,
    case_title,
)

ENTITY_TYPES = ("partnership", "product", "case", "company")
_KEY_POINT_TYPES = ("partnership", "product", "case")


def entity_names(session: Session, entity_type: str, ids: set[int]) -> dict[int, str]:
    """Display names for entities of one type."""
    if not ids:
        return {}
    named: dict[str, type[Company] | type[Product]] = {"company": Company, "product": Product}
    if entity_type in named:
        table = named[entity_type]
        rows = session.exec(select(table.id, table.name).where(col(table.id).in_(ids))).all()
        return {i: n for i, n in rows if i is not None}
    if entity_type == "partnership":
        names: dict[int, list[str]] = {}
        for pid, name in session.exec(
            select(PartnershipParty.partnership_id, Company.name)
            .join(Company, col(Company.id) == col(PartnershipParty.company_id))
            .where(col(PartnershipParty.partnership_id).in_(ids))
        ).all():
            names.setdefault(pid, []).append(name)
        return {pid: " × ".join(sorted(parties)) for pid, parties in names.items()}
    if entity_type == "case":
        return {
            case.id: _case_title(session, case)
            for case in session.exec(
                select(CopyrightCase).where(col(CopyrightCase.id).in_(ids))
            ).all()
            if case.id is not None
        }
    raise ValueError(f"unknown entity type {entity_type!r}")


def _case_parties(session: Session, case_id: int, role: str) -> list[str]:
    return sorted(
        session.exec(
            select(Company.name)
            .join(CaseParty, col(CaseParty.company_id) == col(Company.id))
            .where(CaseParty.case_id == case_id, CaseParty.role == role)
        ).all()
    )


def _case_title(session: Session, case: CopyrightCase) -> str:
    if case.caption:
        return case.caption
    assert case.id is not None
    return case_title(
        "",
        _case_parties(session, case.id, "plaintiff"),
        _case_parties(session, case.id, "defendant"),
    )


def get_article(session: Session, article_id: int) -> ArticleDetail | None:
    """One article with its sections, insights, key points and mentions."""
    article = session.get(Article, article_id)
    if article is None:
        return None
    (row,) = article_rows(session, [article])
    sections = session.exec(
        select(ArticleSection)
        .where(ArticleSection.article_id == article_id)
        .order_by(col(ArticleSection.position))
    ).all()
    insights = session.exec(
        select(ArticleInsight)
        .where(ArticleInsight.article_id == article_id)
        .order_by(col(ArticleInsight.position))
    ).all()
    mentions = session.exec(
        select(Mention).where(Mention.article_id == article_id).order_by(col(Mention.id))
    ).all()
    by_type: dict[str, set[int]] = {}
    for mention in mentions:
        by_type.setdefault(mention.entity_type, set()).add(mention.entity_id)
    names = {t: entity_names(session, t, ids) for t, ids in by_type.items()}
    reported = {(m.entity_type, m.entity_id) for m in mentions if m.reported}
    unverified = _unverified(session, by_type)
    views = tuple(
        MentionRow(
            m.entity_type,
            m.entity_id,
            names[m.entity_type].get(m.entity_id, "?"),
            m.evidence,
            m.certainty,
            (m.entity_type, m.entity_id) in reported,
            (m.entity_type, m.entity_id) not in unverified,
        )
        for m in mentions
    )
    key_points = tuple(
        dict.fromkeys(v.evidence for v in views if v.entity_type in _KEY_POINT_TYPES and v.evidence)
    )
    return ArticleDetail(
        row=row,
        author=article.author,
        summary=article.summary,
        sections=tuple(SectionRow(s.name, s.text) for s in sections),
        insights=tuple(InsightRow(i.question, tuple(i.points)) for i in insights),
        key_points=key_points,
        mentions=views,
        extraction_error=article.extraction_error,
        publisher=article.publisher,
    )


def _unverified(session: Session, by_type: dict[str, set[int]]) -> set[tuple[str, int]]:
    """Which of these companies and products are unverified (found from context only)."""
    found: set[tuple[str, int]] = set()
    for entity_type, table in (("company", Company), ("product", Product)):
        ids = by_type.get(entity_type)
        if ids:
            query = select(table.id).where(col(table.id).in_(ids), col(table.verified).is_(False))
            found.update((entity_type, i) for i in session.exec(query).all() if i is not None)
    return found


def get_entity(session: Session, entity_type: str, entity_id: int) -> EntityDetail | None:
    """An entity's facts, every article that mentions it with the sentence used, and its timeline."""
    if entity_type not in ENTITY_TYPES:
        raise ValueError(f"unknown entity type {entity_type!r}")
    name = entity_names(session, entity_type, {entity_id}).get(entity_id)
    if name is None:
        return None
    evidence = tuple(
        EvidenceRow(
            mention.article_id,
            article.title,
            as_utc(article.published or article.fetched),
            mention.evidence,
            mention.certainty,
            mention.reported,
        )
        for mention, article in session.exec(
            select(Mention, Article)
            .join(Article, col(Article.id) == col(Mention.article_id))
            .where(Mention.entity_type == entity_type, Mention.entity_id == entity_id)
            .order_by(col(Article.published).desc(), col(Mention.id))
        ).all()
    )
    timeline = entity_timeline(session, entity_type, entity_id)
    verified, found_by = True, ""
    if entity_type in ("company", "product"):
        record: Company | Product | None = (
            session.get(Company, entity_id)
            if entity_type == "company"
            else session.get(Product, entity_id)
        )
        assert record is not None
        verified, found_by = record.verified, record.found_by
    return EntityDetail(
        entity_type,
        entity_id,
        name,
        _facts(session, entity_type, entity_id),
        evidence,
        timeline,
        verified,
        found_by,
    )


_EVENT_KIND = {"partnership": "Partnership", "product": "Product", "case": "Case"}


def entity_timeline(session: Session, entity_type: str, entity_id: int) -> tuple[TimelineRow, ...]:
    """An entity's events, oldest first, each with the article and outlet that reported it.

    A company's timeline holds the events of the deals and cases it is a party to
    and of the products it makes, each named (``Partnership Meta × Midjourney``).
    """
    if entity_type == "company":
        targets = {
            "partnership": set(
                session.exec(
                    select(PartnershipParty.partnership_id).where(
                        PartnershipParty.company_id == entity_id
                    )
                ).all()
            ),
            "case": set(
                session.exec(
                    select(CaseParty.case_id).where(CaseParty.company_id == entity_id)
                ).all()
            ),
            "product": {
                i
                for i in session.exec(
                    select(Product.id).where(Product.company_id == entity_id)
                ).all()
                if i is not None
            },
        }
    else:
        targets = {entity_type: {entity_id}}
    rows: list[tuple[object, int, TimelineRow]] = []
    for kind, ids in targets.items():
        if not ids:
            continue
        names = entity_names(session, kind, ids) if entity_type == "company" else {}
        for point, title in session.exec(
            select(StatusChange, Article.title)
            .join(Article, col(Article.id) == col(StatusChange.article_id))
            .where(StatusChange.entity_type == kind, col(StatusChange.entity_id).in_(ids))
        ).all():
            event = f"{_EVENT_KIND[kind]} {names.get(point.entity_id, '?')}" if names else ""
            when = as_utc(point.at)
            rows.append(
                (
                    (when is None, when.timestamp() if when else 0.0),
                    point.id or 0,
                    TimelineRow(when, point.status, point.article_id, title, event),
                )
            )
    rows.sort(key=lambda r: (r[0], r[1]))
    outlets = _outlets(session, {r.article_id for _, _, r in rows})
    return tuple(replace(r, source=outlets.get(r.article_id, "")) for _, _, r in rows)


def _outlets(session: Session, article_ids: set[int]) -> dict[int, str]:
    found: dict[int, str] = {}
    if article_ids:
        for article_id, source, feed_title in session.exec(
            select(ArticleSource.article_id, ArticleSource.source, Feed.title)
            .outerjoin(Feed, col(Feed.id) == col(ArticleSource.feed_id))
            .where(col(ArticleSource.article_id).in_(article_ids))
            .order_by(col(ArticleSource.id))
        ).all():
            found.setdefault(article_id, feed_title or source.removeprefix("seed:"))
    return found


def _facts(session: Session, entity_type: str, entity_id: int) -> tuple[tuple[str, str], ...]:
    if entity_type == "partnership":
        deal = session.get(Partnership, entity_id)
        assert deal is not None
        return (
            ("Focus", deal.focus),
            ("Kind", deal.kind),
            ("Status", deal.status),
            ("Certainty", deal.certainty),
            ("First seen", _date(deal.first_seen)),
            ("Last seen", _date(deal.last_seen)),
        )
    if entity_type == "product":
        product = session.get(Product, entity_id)
        assert product is not None
        maker = session.get(Company, product.company_id).name if product.company_id else ""  # type: ignore[union-attr]
        return (
            ("Maker", maker),
            ("Modality", product.modality),
            ("Status", product.status),
            ("First seen", _date(product.first_seen)),
            ("Last seen", _date(product.last_seen)),
            ("Verified", _verified(product.verified, product.found_by)),
        )
    if entity_type == "case":
        case = session.get(CopyrightCase, entity_id)
        assert case is not None
        return (
            (
                "Plaintiffs",
                ", ".join(_case_parties(session, entity_id, "plaintiff")) or "not named",
            ),
            ("Defendants", ", ".join(_case_parties(session, entity_id, "defendant"))),
            ("Claims", ", ".join(case.claims or [])),
            ("Kind", case.kind),
            ("Stage", case.stage),
            (
                "Ruling",
                f"{case.ruling} (reported {_date(case.ruling_date)})" if case.ruling else "",
            ),
            ("Court", case.court),
            ("Docket", case.docket),
            ("Certainty", case.certainty),
        )
    company = session.get(Company, entity_id)
    assert company is not None
    return (
        ("Kind", company.kind),
        ("Verified", _verified(company.verified, company.found_by)),
    )


def _verified(verified: bool, found_by: str) -> str:
    if verified:
        return "yes"
    how = f", found by {found_by}" if found_by else ""
    return f"no: discovered in the text{how}, not in the knowledge base (c confirms)"


def _date(value: object) -> str:
    at = as_utc(value) if value is not None else None  # type: ignore[arg-type]
    return at.strftime("%Y-%m-%d") if at else ""
