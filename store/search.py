"""A `Filter` (and the search language in it) as SQL over ``article``: conditions, rank, highlights.

`article_condition` turns the whole filter — company, topic, dates and the
text query (`store.search_query`) — into one condition on ``article.id``,
run by the database with its indexes: the full-text index
(`store.search_index`) for words, mentions for companies and products,
topics, sources and the publication date. Every value is a bound parameter.

Words are ranked (bm25 on SQLite, ``ts_rank_cd`` on PostgreSQL) and the words
that matched are marked in titles (`title_marks`), by the same index, so what
is highlighted is what was found.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime, time
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    and_,
    column,
    func,
    literal_column,
    not_,
    or_,
    table,
    text,
)
from sqlalchemy.sql.elements import TextClause
from sqlmodel import Session, col, select

from aiwatch.store.consolidate import name_key
from aiwatch.store.models import (
    Article,
    ArticleSource,
    ArticleTopic,
    Company,
    CompanyAlias,
    Feed,
    Mention,
    Product,
)
from aiwatch.store.read_models import Filter
from aiwatch.store.search_index import FTS_TABLE, TSVECTOR_COLUMN, WEIGHTS
from aiwatch.store.search_query import (
    And,
    FieldTerm,
    Node,
    Not,
    Or,
    QueryError,
    Word,
    parse_query,
    positive_words,
)

_FTS = table(FTS_TABLE, column("rowid", Integer))
_VECTORS = table(FTS_TABLE, column("id", Integer), column(TSVECTOR_COLUMN))
"""PostgreSQL's ``article_search``: each article's ``tsvector`` by its id."""
_VECTOR = _VECTORS.c[TSVECTOR_COLUMN]
START, STOP = "\x02", "\x03"
"""Highlight markers: control characters, which stored text never holds."""
_CONFIG = "english"


def filter_query(filt: Filter) -> Node | None:
    """The filter's text as an expression (``None``: no text); `QueryError` if it cannot parse."""
    return parse_query(filt.text) if filt.text else None


def article_condition(session: Session, filt: Filter) -> ColumnElement[bool] | None:
    """One condition on ``article`` for everything ``filt`` narrows (``None``: nothing)."""
    parts: list[ColumnElement[bool]] = []
    if filt.company:
        parts.append(_mentions(session, "company", filt.company))
    if filt.topic:
        parts.append(_topic(filt.topic))
    if filt.after:
        parts.append(_published_from(filt.after))
    if filt.before:
        parts.append(not_(_published_from(filt.before)))
    node = filter_query(filt)
    if node is not None:
        parts.append(_condition(session, node))
    return and_(*parts) if parts else None


def article_ids(session: Session, filt: Filter) -> Any:
    """A query of the ids of the articles ``filt`` lets through (``None``: it narrows nothing).

    Where each narrowing is itself a list of ids (a company's mentions, a topic's
    tags, a full-text match), the lists are intersected directly, without going
    through ``article``: what the panels and counts join with is then an index
    lookup, not a scan.
    """
    lists: list[Any] = []
    parts: list[ColumnElement[bool]] = []
    if filt.company:
        lists.append(_mentioned(session, "company", filt.company))
    if filt.topic:
        lists.append(_tagged(filt.topic))
    if filt.after:
        parts.append(_published_from(filt.after))
    if filt.before:
        parts.append(not_(_published_from(filt.before)))
    node = filter_query(filt)
    if node is not None:
        found = _fts_ids(session, node) if _text_only(node) else None
        if found is not None:
            lists.append(found)
        else:
            parts.append(_condition(session, node))
    if not lists and not parts:
        return None
    if parts or len(lists) > 1:
        conditions = [*parts, *(col(Article.id).in_(ids) for ids in lists)]
        return select(Article.id).where(*conditions)
    return lists[0]


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


def _condition(session: Session, node: Node) -> ColumnElement[bool]:
    if _text_only(node):
        matched = _text_match(session, node)
        if matched is not None:
            return matched
    if isinstance(node, Word):
        raise AssertionError("a word is always one full-text query")
    if isinstance(node, FieldTerm):
        return _field(session, node)
    if isinstance(node, Not):
        return not_(_condition(session, node.term))
    if isinstance(node, And):
        return and_(*(_condition(session, term) for term in node.terms))
    return or_(*(_condition(session, term) for term in node.terms))


def _text_only(node: Node) -> bool:
    if isinstance(node, Word):
        return True
    if isinstance(node, FieldTerm):
        return False
    if isinstance(node, Not):
        return _text_only(node.term)
    return all(_text_only(term) for term in node.terms)


# -- words -----------------------------------------------------------------------------


def _text_match(session: Session, node: Node) -> ColumnElement[bool] | None:
    """Articles the index finds for a words-only expression (``None``: not one FTS query)."""
    if _dialect(session) == "postgresql":  # (a term among others: no CTE, whose names clash)
        return col(Article.id).in_(_vector_ids(node))
    matches = _fts_ids(session, node)
    return None if matches is None else col(Article.id).in_(matches)


def _fts_ids(session: Session, node: Node) -> Any:
    """The ids the full-text index finds for a words-only expression (``None``: it cannot)."""
    if _dialect(session) == "postgresql":
        # Materialised: the GIN index finds the matches once. Inlined, the planner walks
        # a panel's every record and tests the vector of each of its articles in turn:
        # 1.3 s instead of 0.2 s for "midjourney OR sora" at 100,000 articles while the
        # vectors were TOASTed in `article`; in their own table, faster for some panels
        # and twice as slow for others.
        once = _vector_ids(node).cte("text_match").prefix_with("MATERIALIZED")
        return select(once.c.id)
    query = _fts5(node)
    if query is None:
        return None
    matches = text(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :q").bindparams(q=query)
    return matches.columns(column("rowid", Integer))


def _vector_ids(node: Node) -> Any:
    return select(_VECTORS.c.id).where(_VECTOR.op("@@")(_tsquery(node)))


def _fts5(node: Node) -> str | None:
    """The FTS5 query for ``node``, or ``None`` where FTS5 cannot say it (a NOT alone)."""
    if isinstance(node, Word):
        quoted = '"' + node.text.replace('"', '""') + '"'
        return quoted + "*" if node.prefix else quoted
    if isinstance(node, (Not, FieldTerm)):
        return None
    if isinstance(node, Or):
        parts = [_fts5(term) for term in node.terms]
        if any(part is None for part in parts):
            return None
        return " OR ".join(f"({part})" for part in parts)
    positives = [_fts5(t) for t in node.terms if not isinstance(t, Not)]
    negatives = [_fts5(t.term) for t in node.terms if isinstance(t, Not)]
    if not positives or None in positives or None in negatives:
        return None
    query = " AND ".join(f"({part})" for part in positives)
    for negative in negatives:
        query = f"({query}) NOT ({negative})"
    return query


_PREFIX = re.compile(r"[^\W_]+")


def _tsquery(node: Node) -> ColumnElement[object]:
    """A PostgreSQL ``tsquery`` for a words-only expression, built from bound values."""
    if isinstance(node, Word):
        if node.phrase:
            return func.phraseto_tsquery(_CONFIG, node.text)
        if node.prefix:
            stem = "".join(_PREFIX.findall(node.text)[:1])
            return func.to_tsquery(_CONFIG, stem + ":*") if stem else func.plainto_tsquery("")
        return func.plainto_tsquery(_CONFIG, node.text)
    if isinstance(node, Not):
        return func.tsquery_not(_tsquery(node.term))
    if isinstance(node, FieldTerm):
        raise AssertionError("fields are not words")
    combine = func.tsquery_and if isinstance(node, And) else func.tsquery_or
    terms = [_tsquery(term) for term in node.terms]
    query = terms[0]
    for term in terms[1:]:
        query = combine(query, term)
    return query


# -- fields ----------------------------------------------------------------------------


def _field(session: Session, term: FieldTerm) -> ColumnElement[bool]:
    if term.field in ("company", "product"):
        return _mentions(session, term.field, term.value)
    if term.field == "topic":
        return _topic(term.value)
    if term.field == "source":
        return _source(term.value)
    start = _published_from(term.value)
    return start if term.field == "after" else not_(start)


def _mentions(session: Session, kind: str, typed: str) -> ColumnElement[bool]:
    """Articles that mention the company (by name or alias) or product ``typed``, in any case."""
    return col(Article.id).in_(_mentioned(session, kind, typed))


def _mentioned(session: Session, kind: str, typed: str) -> Any:
    """The ids of the articles that mention the company or product ``typed``."""
    ids = company_ids(session, typed) if kind == "company" else _product_ids(session, typed)
    return select(Mention.article_id).where(
        Mention.entity_type == kind, col(Mention.entity_id).in_(ids or [-1])
    )


_HELD = "aiwatch.company_ids"
"""The `Session.info` key of what `company_ids` found for each name, inside `names_held`."""


@contextmanager
def names_held(session: Session) -> Iterator[None]:
    """Inside this block `company_ids` asks ``session`` once per name: for a read made in one
    snapshot, where the companies cannot change (`store.queries.load_panel`: the articles
    panel looked the filter's company up three times, for its count, its list and its walk)."""
    if _HELD in session.info:
        yield
        return
    session.info[_HELD] = {}
    try:
        yield
    finally:
        del session.info[_HELD]


def company_ids(session: Session, typed: str) -> list[int]:
    """Companies named ``typed``: exactly, or by name or alias compared as `name_key` does."""
    held: dict[str, tuple[int, ...]] | None = session.info.get(_HELD)
    if held is None:
        return _company_ids(session, typed)
    if typed not in held:
        held[typed] = tuple(_company_ids(session, typed))
    return list(held[typed])


def _company_ids(session: Session, typed: str) -> list[int]:
    exact = session.exec(select(Company.id).where(Company.name == typed)).all()
    if exact:
        return [i for i in exact if i is not None]
    wanted = name_key(typed)
    ids = {
        company_id
        for company_id, name in session.exec(select(Company.id, Company.name)).all()
        if company_id is not None and name_key(name) == wanted
    }
    ids.update(
        company_id
        for company_id, alias in session.exec(
            select(CompanyAlias.company_id, CompanyAlias.alias)
        ).all()
        if name_key(alias) == wanted
    )
    return sorted(ids)


def _product_ids(session: Session, typed: str) -> list[int]:
    """Products named ``typed`` (their key is the name's `name_key`)."""
    found = session.exec(select(Product.id).where(Product.key == name_key(typed))).all()
    return [i for i in found if i is not None]


def _topic(typed: str) -> ColumnElement[bool]:
    """Articles tagged ``typed``."""
    return col(Article.id).in_(_tagged(typed))


def _tagged(typed: str) -> Any:
    """The ids of the articles tagged ``typed`` (topics are stored in lower case)."""
    wanted = sorted({typed.strip(), typed.strip().lower()})
    return select(ArticleTopic.article_id).where(col(ArticleTopic.topic).in_(wanted))


def _source(typed: str) -> ColumnElement[bool]:
    """Articles from a source whose feed title, URL or seed file contains ``typed``."""
    pattern = (
        "%" + typed.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    )
    carried = (
        select(ArticleSource.article_id)
        .outerjoin(Feed, col(Feed.id) == col(ArticleSource.feed_id))
        .where(
            or_(
                func.lower(ArticleSource.source).like(pattern, escape="\\"),
                func.lower(func.coalesce(Feed.title, "")).like(pattern, escape="\\"),
            )
        )
    )
    return col(Article.id).in_(carried)


def _published_from(day: str | date) -> ColumnElement[bool]:
    """Published (or, undated, fetched) on or after the start of ``day`` (UTC).

    ``after:D`` is this; ``before:D`` its negation, so D itself is not before D.
    """
    start = datetime.combine(
        day if isinstance(day, date) else date.fromisoformat(day), time(), tzinfo=UTC
    )
    return func.coalesce(Article.published, Article.fetched) >= start


# -- rank and highlights ---------------------------------------------------------------


def rank_query(filt: Filter) -> Node | None:
    """Every word and phrase a result may contain, as one OR (``None``: nothing to rank by)."""
    try:
        words = positive_words(filter_query(filt))
    except QueryError:
        return None
    if not words:
        return None
    return words[0] if len(words) == 1 else Or(tuple(words))


def ranked(
    session: Session,
    filt: Filter,
    condition: ColumnElement[bool] | None,
    limit: int | None,
    *,
    offset: int = 0,
) -> list[int] | None:
    """The ids of the best-ranked articles passing ``condition`` (``None``: no words to rank),
    ``limit`` of them (``None``: all) from ``offset``."""
    node = rank_query(filt)
    if node is None:
        return None
    recent = func.coalesce(Article.published, Article.fetched)
    order: list[ColumnElement[Any]]
    if _dialect(session) == "postgresql":
        score: ColumnElement[Any] = func.ts_rank_cd(_VECTOR, _tsquery(node))
        query = (
            select(Article.id)
            .select_from(_VECTORS)
            .join(Article, col(Article.id) == _VECTORS.c.id)
            .where(_VECTOR.op("@@")(_tsquery(node)))
        )
        order = [score.desc(), recent.desc(), col(Article.id).desc()]
    else:
        fts = _fts5(node)
        assert fts is not None  # positive words only
        score = literal_column(f"bm25({FTS_TABLE}, {', '.join(map(str, WEIGHTS))})")
        query = (
            select(Article.id)
            .select_from(_FTS)
            .join(Article, col(Article.id) == _FTS.c.rowid)
            .where(text(f"{FTS_TABLE} MATCH :rank_q").bindparams(rank_q=fts))
        )
        order = [score.asc(), recent.desc(), col(Article.id).desc()]
    if condition is not None:
        query = query.where(condition)
    query = query.order_by(*order).offset(offset)
    if limit is not None:
        query = query.limit(limit)
    return [i for i in session.exec(query).all() if i is not None]


Marks = tuple[tuple[int, int], ...]


def title_marks(session: Session, filt: Filter, ids: Sequence[int]) -> dict[int, Marks]:
    """Where the words searched for are in each title: ``(start, end)`` spans by article id."""
    node = rank_query(filt)
    if node is None or not ids:
        return {}
    if _dialect(session) == "postgresql":
        options = f"StartSel={START}, StopSel={STOP}, HighlightAll=TRUE"
        marked = func.ts_headline(_CONFIG, Article.title, _tsquery(node), options)
        rows = session.exec(
            select(Article.id, Article.title, marked).where(col(Article.id).in_(list(ids)))
        ).all()
    else:
        fts = _fts5(node)
        statement = _fts_highlight()
        rows = session.execute(statement, {"q": fts, "ids": _json_ids(ids)}).all()
    found: dict[int, Marks] = {}
    for article_id, title, highlighted in rows:
        spans = _spans(title or "", highlighted or "")
        if spans and article_id is not None:
            found[int(article_id)] = spans
    return found


@lru_cache(maxsize=1)
def _fts_highlight() -> TextClause:
    return text(
        f"SELECT a.id, a.title, highlight({FTS_TABLE}, 0, char(2), char(3)) FROM {FTS_TABLE} "
        f"JOIN article a ON a.id = {FTS_TABLE}.rowid WHERE {FTS_TABLE} MATCH :q "
        f"AND {FTS_TABLE}.rowid IN (SELECT value FROM json_each(:ids))"
    )


def _json_ids(ids: Iterable[int]) -> str:
    return "[" + ",".join(str(int(i)) for i in ids) + "]"


def _spans(title: str, highlighted: str) -> Marks:
    """The marked spans of ``highlighted``, if it is ``title`` with markers inserted."""
    spans: list[tuple[int, int]] = []
    plain: list[str] = []
    start = None
    for char in highlighted:
        if char == START:
            start = len(plain)
        elif char == STOP:
            if start is not None and len(plain) > start:
                spans.append((start, len(plain)))
            start = None
        else:
            plain.append(char)
    return tuple(spans) if "".join(plain) == title else ()
