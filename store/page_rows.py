"""The rows of one page of a record panel, read for the ids `store.panels` chose.

Which records pass a filter, and in what order, is a new query for every filter;
what is read for the page's ids is always the same: a record's columns, its
article count and its latest event in one statement, its parties (with whether
each is in the knowledge base) in another. These statements skip the ORM and are
built once per list style, binding the page's ids as one list
(`store.bulk.rows_in`): built, hashed and expanded anew for every page, with
an ORM object per row, the same reads cost SQLAlchemy more than the database
took to run them. With the articles' labels read the same way (`store.queries`),
a dashboard read at 100,000 articles took 14–20 ms less (SQLite 40 → 26 ms,
PostgreSQL 50 → 30 ms for a company).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from functools import cache
from typing import Any

from sqlalchemy import Row, Select, func, select
from sqlmodel import Session

from aiwatch.store.bulk import in_list, rows_in
from aiwatch.store.models import (
    CaseParty,
    Company,
    CopyrightCase,
    Mention,
    Partnership,
    PartnershipParty,
    Product,
    StatusChange,
    as_utc,
    table_of,
)
from aiwatch.store.read_models import CaseRow, PartnershipRow, ProductRow
from aiwatch.store.whats_new import latest_event_of

_PARTNERSHIP, _PRODUCT, _CASE = table_of(Partnership), table_of(Product), table_of(CopyrightCase)
_COMPANY, _MENTION, _TIMELINE = table_of(Company), table_of(Mention), table_of(StatusChange)
_DEAL_PARTY, _CASE_PARTY = table_of(PartnershipParty), table_of(CaseParty)


def article_count_of(kind: str, entity_id: Any) -> Any:
    """How many articles mention the entity of ``kind`` whose id is ``entity_id`` (a column of
    the query it is put in), read per row: ordering the few entities a filter leaves by it
    reads their mentions only, where a grouping of all mentions read every entity's."""
    return (
        select(func.count(func.distinct(_MENTION.c.article_id)))
        .where(_MENTION.c.entity_type == kind, _MENTION.c.entity_id == entity_id)
        .scalar_subquery()
    )


def _parties(
    session: Session, statement: Callable[[str], Select[Any]], ids: Sequence[int]
) -> tuple[list[Row[*tuple[Any, ...]]], set[str]]:
    """The parties of records ``ids`` (rows with the record's ``id``, ``name`` and ``verified``),
    and the names among them found from context only (not in the knowledge base)."""
    found = rows_in(session, statement, ids)
    return found, {party.name for party in found if not party.verified}


def _in_order(
    session: Session, statement: Callable[[str], Select[Any]], ids: Sequence[int]
) -> list[Row[*tuple[Any, ...]]]:
    """The rows ``statement`` reads for records ``ids``, in that order (a record gone since the
    page was chosen is left out)."""
    by_id = {int(row.id): row for row in rows_in(session, statement, ids)}
    return [by_id[i] for i in ids if i in by_id]


# -- partnerships ----------------------------------------------------------------------


@cache
def _partnerships(style: str) -> Select[Any]:
    deal = _PARTNERSHIP.c
    articles = article_count_of("partnership", deal.id).label("articles")
    columns = (deal.focus, deal.kind, deal.status, deal.certainty, deal.first_seen, deal.last_seen)
    return select(deal.id, articles, *columns).where(in_list(deal.id, "values", style))


@cache
def _deal_parties(style: str) -> Select[Any]:
    party, company = _DEAL_PARTY.c, _COMPANY.c
    return (
        select(party.partnership_id.label("id"), company.name, company.verified)
        .join_from(_DEAL_PARTY, _COMPANY, company.id == party.company_id)
        .where(in_list(party.partnership_id, "values", style))
    )


def partnership_rows(session: Session, ids: Sequence[int]) -> list[PartnershipRow]:
    """Read models of the partnerships ``ids``, in that order."""
    if not ids:
        return []
    parties: dict[int, list[str]] = defaultdict(list)
    found, unverified = _parties(session, _deal_parties, ids)
    for party in found:
        parties[party.id].append(party.name)
    rows = []
    for deal in _in_order(session, _partnerships, ids):
        names = tuple(sorted(parties[deal.id]))
        rows.append(
            PartnershipRow(
                deal.id,
                names,
                deal.focus,
                deal.kind,
                deal.status,
                deal.certainty,
                int(deal.articles),
                as_utc(deal.first_seen),
                as_utc(deal.last_seen),
                tuple(name for name in names if name in unverified),
            )
        )
    return rows


# -- products --------------------------------------------------------------------------


@cache
def _products(style: str) -> Select[Any]:
    product, maker = _PRODUCT.c, _COMPANY.c
    articles = article_count_of("product", product.id).label("articles")
    latest = latest_event_of("product", product.id, _TIMELINE.c).label("latest")  # launches
    return (
        select(product.id, articles, latest, maker.name.label("maker"))
        .add_columns(maker.verified.label("maker_verified"), product.name, product.modality)
        .add_columns(product.status, product.last_seen, product.verified, product.found_by)
        .outerjoin_from(_PRODUCT, _COMPANY, maker.id == product.company_id)
        .where(in_list(product.id, "values", style))
    )


def product_rows(session: Session, ids: Sequence[int]) -> list[ProductRow]:
    """Read models of the products ``ids``, in that order."""
    if not ids:
        return []
    rows = []
    for product in _in_order(session, _products, ids):
        rows.append(
            ProductRow(
                product.id,
                product.name,
                product.maker or "",
                product.modality,
                product.status,
                int(product.articles),
                as_utc(product.last_seen),
                product.verified,
                product.found_by,
                product.maker is None or product.maker_verified,
                latest=as_utc(product.latest),
            )
        )
    return rows


# -- cases -----------------------------------------------------------------------------


@cache
def _cases(style: str) -> Select[Any]:
    case = _CASE.c
    articles = article_count_of("case", case.id).label("articles")
    latest = latest_event_of("case", case.id, _TIMELINE.c).label("latest")
    return (
        select(case.id, articles, latest, case.caption, case.court, case.docket, case.claims)
        .add_columns(case.kind, case.stage, case.ruling, case.certainty, case.last_seen)
        .where(in_list(case.id, "values", style))
    )


@cache
def _case_parties(style: str) -> Select[Any]:
    party, company = _CASE_PARTY.c, _COMPANY.c
    return (
        select(party.case_id.label("id"), party.role, company.name, company.verified)
        .join_from(_CASE_PARTY, _COMPANY, company.id == party.company_id)
        .where(in_list(party.case_id, "values", style))
    )


def case_rows(session: Session, ids: Sequence[int]) -> list[CaseRow]:
    """Read models of the cases ``ids``, in that order."""
    if not ids:
        return []
    roles: dict[int, dict[str, list[str]]] = defaultdict(lambda: {"plaintiff": [], "defendant": []})
    found, unverified = _parties(session, _case_parties, ids)
    for party in found:
        roles[party.id][party.role].append(party.name)
    rows = []
    for case in _in_order(session, _cases, ids):
        plaintiffs = tuple(sorted(roles[case.id]["plaintiff"]))
        defendants = tuple(sorted(roles[case.id]["defendant"]))
        rows.append(
            CaseRow(
                case.id,
                case.caption,
                plaintiffs,
                defendants,
                case.court,
                case.docket,
                tuple(case.claims or ()),
                case.kind,
                case.stage,
                case.ruling,
                case.certainty,
                int(case.articles),
                as_utc(case.last_seen),
                tuple(name for name in plaintiffs + defendants if name in unverified),
                latest=as_utc(case.latest),
            )
        )
    return rows
