"""Merge one article's extraction into the long-lived records.

The same deal reported by ten articles is one `Partnership` with ten mentions;
the same lawsuit under different descriptions is one `CopyrightCase`. Statuses
and stages only move forward, and records a user edited keep their fields.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from feeds.records import CaseFact, Extraction, PartnershipFact, ProductFact
from store.models import (
    CaseParty,
    Company,
    CopyrightCase,
    Mention,
    Partnership,
    PartnershipParty,
    Product,
    StatusChange,
    as_utc,
)

PRODUCT_STATUS_RANK = {"mentioned": 0, "hinted": 1, "announced": 2, "preview": 3, "released": 4}
CASE_STAGE_RANK = {
    "accusation": 0,
    "filed": 1,
    "motion-to-dismiss": 2,
    "discovery": 3,
    "summary-judgment": 4,
    "ruling": 5,
    "appeal": 6,
    "settled": 7,
    "dismissed": 7,
}
_ADDED = "mentions_added"
CERTAINTY_RANK = {"negated": 0, "rumour": 1, "fact": 2}


def name_key(name: str) -> str:
    """A case-, accent- and punctuation-insensitive key for a name."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", " ", folded).strip() or name.strip().lower()


def _evidence_key(evidence: str) -> str:
    return hashlib.sha1(evidence.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def _later(a: datetime | None, b: datetime | None) -> datetime | None:
    a, b = as_utc(a), as_utc(b)
    return max(a, b) if a and b else a or b


def _earlier(a: datetime | None, b: datetime | None) -> datetime | None:
    a, b = as_utc(a), as_utc(b)
    return min(a, b) if a and b else a or b


def apply_extraction(
    session: Session, article_id: int, extraction: Extraction, *, seen: datetime
) -> None:
    """Upsert every entity in ``extraction`` and link it to the article."""
    # An article's mentions were all cleared before this call, so duplicates can
    # only come from this extraction: remember what it added instead of querying.
    session.info[_ADDED] = set()
    cache: dict[str, Company] = session.info.setdefault("company_cache", {})
    for mention in extraction.companies:
        company = company_for(
            session, mention.name, verified=mention.verified, kind=mention.kind, cache=cache
        )
        _mention(session, article_id, "company", company.id, mention.evidence, "fact")
    for product in extraction.products:
        _apply_product(session, article_id, product, seen, cache)
    for deal in extraction.partnerships:
        _apply_partnership(session, article_id, deal, seen, cache)
    for case in extraction.cases:
        _apply_case(session, article_id, case, seen, cache)


def company_for(
    session: Session,
    name: str,
    *,
    verified: bool = True,
    kind: str = "",
    cache: dict[str, Company] | None = None,
) -> Company:
    """The company row named ``name``, created if new."""
    key = name.strip()[:300]
    if cache is not None and key in cache:
        return cache[key]
    company = session.exec(select(Company).where(Company.name == key)).first()
    if company is None:
        company = Company(name=key, verified=verified, kind=kind)
        session.add(company)
        session.flush()
    elif verified and not company.verified:
        company.verified = True
        session.add(company)
    if cache is not None:
        cache[key] = company
    return company


def _mention(
    session: Session,
    article_id: int,
    entity_type: str,
    entity_id: int | None,
    evidence: str,
    certainty: str,
) -> None:
    assert entity_id is not None
    key = _evidence_key(evidence)
    identity = (article_id, entity_type, entity_id, key)
    added: set[tuple[int, str, int, str]] = session.info.setdefault(_ADDED, set())
    if identity not in added:
        added.add(identity)
        session.add(
            Mention(
                article_id=article_id,
                entity_type=entity_type,
                entity_id=entity_id,
                evidence=evidence,
                evidence_key=key,
                certainty=certainty,
            )
        )


def _timeline(
    session: Session,
    entity_type: str,
    entity_id: int | None,
    status: str,
    article_id: int,
    at: datetime,
) -> None:
    assert entity_id is not None
    session.add(
        StatusChange(
            entity_type=entity_type,
            entity_id=entity_id,
            status=status,
            article_id=article_id,
            at=at,
        )
    )


def _apply_product(
    session: Session, article_id: int, fact: ProductFact, seen: datetime, cache: dict[str, Company]
) -> None:
    key = name_key(fact.name)
    product = session.exec(select(Product).where(Product.key == key)).first()
    maker = company_for(session, fact.maker, cache=cache) if fact.maker else None
    if product is None:
        product = Product(key=key, name=fact.name, first_seen=seen, last_seen=seen)
    if not product.user_edited:
        if maker is not None and product.company_id is None:
            product.company_id = maker.id
        product.modality = product.modality or fact.modality
        if PRODUCT_STATUS_RANK.get(fact.status, 0) > PRODUCT_STATUS_RANK.get(product.status, 0):
            product.status = fact.status
    product.first_seen = _earlier(product.first_seen, seen)
    product.last_seen = _later(product.last_seen, seen)
    session.add(product)
    session.flush()
    if fact.is_launch:
        _timeline(session, "product", product.id, fact.status, article_id, seen)
    _mention(session, article_id, "product", product.id, fact.evidence, "fact")


def _apply_partnership(
    session: Session,
    article_id: int,
    fact: PartnershipFact,
    seen: datetime,
    cache: dict[str, Company],
) -> None:
    companies = {
        c.name: c for c in (company_for(session, name, cache=cache) for name in fact.parties)
    }
    if len(companies) < 2:
        return
    key = "|".join(name_key(name) for name in sorted(companies))[:600]
    deal = session.exec(select(Partnership).where(Partnership.key == key)).first()
    if deal is None:
        deal = Partnership(
            key=key,
            focus=fact.focus,
            kind=fact.kind,
            status=fact.status,
            certainty=fact.certainty,
            first_seen=seen,
            last_seen=seen,
        )
        session.add(deal)
        session.flush()
        assert deal.id is not None
        for company in companies.values():
            assert company.id is not None
            session.add(PartnershipParty(partnership_id=deal.id, company_id=company.id))
    elif not deal.user_edited:
        deal.focus = deal.focus or fact.focus
        deal.kind = deal.kind if deal.kind not in ("", "general") else fact.kind
        newer = as_utc(seen) >= (as_utc(deal.last_seen) or as_utc(seen))  # type: ignore[operator]
        if CERTAINTY_RANK[fact.certainty] > CERTAINTY_RANK.get(deal.certainty, 0):
            deal.certainty, deal.status = fact.certainty, fact.status
        elif newer and fact.certainty == "fact" and fact.status != deal.status:
            deal.status = fact.status
    deal.first_seen = _earlier(deal.first_seen, seen)
    deal.last_seen = _later(deal.last_seen, seen)
    session.add(deal)
    session.flush()
    _timeline(
        session,
        "partnership",
        deal.id,
        fact.status if fact.certainty == "fact" else fact.certainty,
        article_id,
        seen,
    )
    _mention(session, article_id, "partnership", deal.id, fact.evidence, fact.certainty)


def _case_key(fact: CaseFact) -> str:
    if fact.docket:
        return "docket:" + name_key(fact.docket)
    plaintiffs = ",".join(sorted(name_key(p) for p in fact.plaintiffs))
    defendants = ",".join(sorted(name_key(d) for d in fact.defendants))
    return f"{fact.kind}:{plaintiffs}|{defendants}"[:600]


def _find_case(session: Session, fact: CaseFact, cache: dict[str, Company]) -> CopyrightCase | None:
    """An existing case this fact describes: same docket, same key, or compatible parties.

    Parties are compatible when they share a defendant and, if both name
    plaintiffs, share a plaintiff too; a fact without plaintiffs joins the only
    case against those defendants.
    """
    exact = session.exec(select(CopyrightCase).where(CopyrightCase.key == _case_key(fact))).first()
    if exact is not None or not fact.defendants:
        return exact
    defendant_ids = [company_for(session, d, cache=cache).id for d in fact.defendants]
    case_ids = select(CaseParty.case_id).where(
        col(CaseParty.company_id).in_(defendant_ids), CaseParty.role == "defendant"
    )
    candidates = session.exec(
        select(CopyrightCase).where(
            col(CopyrightCase.id).in_(case_ids), CopyrightCase.kind == fact.kind
        )
    ).all()
    if fact.docket:
        candidates = [c for c in candidates if not c.docket]
    wanted = {company_for(session, p, cache=cache).id for p in fact.plaintiffs}
    matches = []
    for case in candidates:
        plaintiffs = set(
            session.exec(
                select(CaseParty.company_id).where(
                    CaseParty.case_id == case.id, CaseParty.role == "plaintiff"
                )
            ).all()
        )
        if (
            (wanted and plaintiffs and wanted & plaintiffs)
            or (not wanted and len(candidates) == 1)
            or (wanted and not plaintiffs)
        ):
            matches.append(case)
    return matches[0] if len(matches) == 1 else None


def _apply_case(
    session: Session, article_id: int, fact: CaseFact, seen: datetime, cache: dict[str, Company]
) -> None:
    case = _find_case(session, fact, cache)
    if case is None:
        case = CopyrightCase(
            key=_case_key(fact),
            kind=fact.kind,
            stage=fact.stage,
            certainty=fact.certainty,
            first_seen=seen,
            last_seen=seen,
        )
    if not case.user_edited:
        case.caption = case.caption or (fact.caption or "")
        case.court = case.court or (fact.court or "")
        case.docket = case.docket or (fact.docket or "")
        case.claims = sorted(set(case.claims or []) | set(fact.claims))
        if CASE_STAGE_RANK.get(fact.stage, 0) >= CASE_STAGE_RANK.get(case.stage, 0):
            case.stage = fact.stage
        if fact.ruling and (as_utc(seen) >= (as_utc(case.ruling_date) or as_utc(seen))):  # type: ignore[operator]
            case.ruling, case.ruling_date = fact.ruling, seen
        if CERTAINTY_RANK[fact.certainty] > CERTAINTY_RANK.get(case.certainty, 0):
            case.certainty = fact.certainty
    case.first_seen = _earlier(case.first_seen, seen)
    case.last_seen = _later(case.last_seen, seen)
    session.add(case)
    session.flush()
    for role, names in (("plaintiff", fact.plaintiffs), ("defendant", fact.defendants)):
        for name in names:
            company = company_for(session, name, cache=cache)
            assert case.id is not None and company.id is not None
            if session.get(CaseParty, (case.id, company.id, role)) is None:
                session.add(CaseParty(case_id=case.id, company_id=company.id, role=role))
    _timeline(session, "case", case.id, fact.stage, article_id, seen)
    _mention(session, article_id, "case", case.id, fact.evidence, fact.certainty)


def prune_orphans(session: Session, only: dict[str, set[int]] | None = None) -> int:
    """Delete partnerships, products and cases no article mentions any more (unless user-edited).

    ``only`` limits the check to those entity ids per type (what one article
    used to mention), so re-saving a changed article does not scan every table.
    """
    removed = 0
    for entity_type, table in (
        ("partnership", Partnership),
        ("product", Product),
        ("case", CopyrightCase),
    ):
        if only is not None and not only.get(entity_type):
            continue
        mentioned = select(Mention.entity_id).where(Mention.entity_type == entity_type)
        query = select(table).where(
            col(table.id).not_in(mentioned), col(table.user_edited).is_(False)
        )
        if only is not None:
            query = query.where(col(table.id).in_(only[entity_type]))
        orphans = session.exec(query).all()
        for row in orphans:
            session.delete(row)
            removed += 1
    if only is not None and not only.get("company"):
        return removed
    company_query = select(Company)
    if only is not None:
        company_query = company_query.where(col(Company.id).in_(only["company"]))
    companies = session.exec(
        company_query.where(
            col(Company.id).not_in(
                select(Mention.entity_id).where(Mention.entity_type == "company")
            ),
            col(Company.id).not_in(select(PartnershipParty.company_id)),
            col(Company.id).not_in(select(CaseParty.company_id)),
            col(Company.id).not_in(select(func.coalesce(Product.company_id, -1))),
        )
    ).all()
    for company in companies:
        session.delete(company)
    return removed
