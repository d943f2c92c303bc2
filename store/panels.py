"""The dashboard's panels a page at a time: filtered, counted and ordered by the database.

A year of collecting is about 100,000 articles, 600,000 mentions and thousands
of partnerships and products; reading them all to show a screenful took
seconds. Each function here asks the database which records of one panel pass
the filter, how many do, and which ``limit`` of them come first in the
panel's order — then reads the details of those rows only (parties, makers,
article counts: `store.page_rows`). What makes that cheap is in the models' indexes (0006):
mentions by entity with their article (counts from the index alone), parties
and makers by company, topics by name, timeline points by entity, articles by
recency.

A filter narrows a panel as `store.queries` always has: a company to the
records it is a party to or maker of (articles: that mention it); a topic to
the records an article with that topic supports, and words and dates to the
records some matching article supports. Orders
(``Filter.sort``): ``newest`` — partnerships by when last seen, products by
their latest reported launch or update (the others after them, by when last
seen), cases by their latest event; ``reported`` — most articles first;
``name``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import ColumnElement, func
from sqlmodel import Session, col, select

from aiwatch.store.models import (
    CaseParty,
    CopyrightCase,
    Mention,
    Partnership,
    PartnershipParty,
    Product,
)
from aiwatch.store.page_rows import article_count_of, case_rows, partnership_rows, product_rows
from aiwatch.store.read_models import CaseRow, Filter, PartnershipRow, ProductRow
from aiwatch.store.search import article_ids, company_ids
from aiwatch.store.whats_new import latest_event_of

PAGE = 50
"""Rows a panel reads at a time; it reads the next page when the cursor nears the end."""
_R = TypeVar("_R")


@dataclass(frozen=True, slots=True)
class Page(Generic[_R]):
    """Rows of one panel: ``rows`` from ``offset`` on, of ``total`` that pass the filter."""

    rows: tuple[_R, ...]
    total: int
    offset: int = 0

    @property
    def more(self) -> bool:
        """True when rows after these pass the filter too."""
        return self.offset + len(self.rows) < self.total


def _conditions(
    session: Session,
    filt: Filter,
    kind: str,
    entity_id: Any,
    involving: Callable[[list[int]], Any],
) -> list[ColumnElement[bool]]:
    """What an entity of ``kind`` must meet: involve the filter's company (``involving``
    selects, for some company ids, the entities they are part of), and be supported by
    an article passing the rest of the filter."""
    parts: list[ColumnElement[bool]] = []
    if filt.company:
        parts.append(entity_id.in_(involving(company_ids(session, filt.company))))
    by_topic = Filter(topic=filt.topic)
    by_words = Filter(text=filt.text, after=filt.after, before=filt.before)
    for narrowing in (by_topic, by_words):  # (each may be met by a different article)
        articles = article_ids(session, narrowing)
        if articles is not None:
            supported = select(Mention.entity_id).where(
                Mention.entity_type == kind, col(Mention.article_id).in_(articles)
            )
            parts.append(entity_id.in_(supported))
    return parts


def _page_ids(
    session: Session,
    query: Any,
    total_of: Any,
    *,
    offset: int,
    limit: int | None,
) -> tuple[list[int], int]:
    """The page's ids and how many pass in all (counted by the same query, as a window)."""
    if limit is None and not offset:
        ids = [int(i) for i in session.exec(query).all() if i is not None]
        return ids, len(ids)
    if query.whereclause is None:  # everything: the count is cheap, the order an index walk
        page = query.offset(offset).limit(limit) if limit is not None else query.offset(offset)
        ids = [int(i) for i in session.exec(page).all() if i is not None]
        return ids, int(session.exec(total_of).one())
    paged = query.add_columns(func.count().over()).offset(offset)
    rows = session.execute(paged.limit(limit) if limit is not None else paged).all()
    if rows:
        return [int(row[0]) for row in rows], int(rows[0][1])
    return [], int(session.exec(total_of).one())  # past the end: count them on their own


# -- partnerships ----------------------------------------------------------------------


def partnership_page(
    session: Session, filt: Filter = Filter(), *, offset: int = 0, limit: int | None = PAGE
) -> Page[PartnershipRow]:
    """Partnerships passing ``filt`` (company: a party), in ``filt.sort`` order."""
    deal = col(Partnership.id)

    def involving(companies: list[int]) -> Any:
        return select(PartnershipParty.partnership_id).where(
            col(PartnershipParty.company_id).in_(companies)
        )

    where = _conditions(session, filt, "partnership", deal, involving)
    query = select(deal).where(*where)
    if filt.sort == "reported":
        query = query.order_by(article_count_of("partnership", deal).desc(), col(Partnership.key))
    elif filt.sort == "name":
        query = query.order_by(col(Partnership.key))
    else:
        query = query.order_by(col(Partnership.last_seen).desc(), col(Partnership.key))
    total_of = select(func.count()).select_from(Partnership).where(*where)
    ids, total = _page_ids(session, query, total_of, offset=offset, limit=limit)
    return Page(tuple(partnership_rows(session, ids)), total, offset)


# -- products --------------------------------------------------------------------------


def product_page(
    session: Session, filt: Filter = Filter(), *, offset: int = 0, limit: int | None = PAGE
) -> Page[ProductRow]:
    """Products passing ``filt`` (company: the maker), in ``filt.sort`` order."""
    product = col(Product.id)

    def involving(companies: list[int]) -> Any:
        return select(Product.id).where(col(Product.company_id).in_(companies))

    where = _conditions(session, filt, "product", product, involving)
    query = select(product).where(*where)
    name = func.lower(Product.name)
    if filt.sort == "reported":
        query = query.order_by(article_count_of("product", product).desc(), name)
    elif filt.sort == "name":
        query = query.order_by(name, product)
    else:  # the latest reported launch or update first; never launched: by when last seen
        launched = latest_event_of("product", product)
        query = query.order_by(launched.desc().nulls_last(), col(Product.last_seen).desc(), name)
    total_of = select(func.count()).select_from(Product).where(*where)
    ids, total = _page_ids(session, query, total_of, offset=offset, limit=limit)
    return Page(tuple(product_rows(session, ids)), total, offset)


# -- cases -----------------------------------------------------------------------------


def case_page(
    session: Session, filt: Filter = Filter(), *, offset: int = 0, limit: int | None = PAGE
) -> Page[CaseRow]:
    """Cases passing ``filt`` (company: a party), in ``filt.sort`` order."""
    case_id = col(CopyrightCase.id)

    def involving(companies: list[int]) -> Any:
        return select(CaseParty.case_id).where(col(CaseParty.company_id).in_(companies))

    where = _conditions(session, filt, "case", case_id, involving)
    query = select(case_id).where(*where)
    title = func.lower(func.coalesce(func.nullif(CopyrightCase.caption, ""), CopyrightCase.key))
    if filt.sort == "reported":
        query = query.order_by(article_count_of("case", case_id).desc(), title)
    elif filt.sort == "name":
        query = query.order_by(title, case_id)
    else:
        latest = func.coalesce(latest_event_of("case", case_id), CopyrightCase.last_seen)
        query = query.order_by(latest.desc().nulls_last(), title)
    total_of = select(func.count()).select_from(CopyrightCase).where(*where)
    ids, total = _page_ids(session, query, total_of, offset=offset, limit=limit)
    return Page(tuple(case_rows(session, ids)), total, offset)
