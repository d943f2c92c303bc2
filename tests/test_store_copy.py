"""On PostgreSQL `store.bulk.add_rows` COPYs its rows: they must be stored exactly as Core's INSERT stores them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from sqlalchemy import Text, cast, event, insert, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DataError, IntegrityError
from sqlmodel import Session, SQLModel

from aiwatch.store.bulk import add_rows
from aiwatch.store.db import session
from aiwatch.store.models import (
    Article,
    ArticleInsight,
    ArticleSection,
    ArticleSource,
    ArticleTopic,
    Feed,
    Mention,
    StatusChange,
    table_of,
)

TEXTS = [
    "",
    "plain",
    "back\\slash \\\\ \\t",
    "\\N",  # COPY's NULL marker, as text
    "\\.",  # COPY's end-of-data marker, as text
    "tab\there",
    "new\nline",
    "cr\rand\r\ncrlf",
    "Zürich 東京 🤖 \u202e\u200b",
    "'single' \"double\" ,;|",
    "\x7f\x1b[31mred\x1b[0m\x9b",
    "x" * 1_000_000,
]
TIMES = [
    None,
    datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=UTC),
    datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone(timedelta(hours=5, minutes=30))),
    datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone(timedelta(hours=-9))),
    datetime(2026, 1, 2, 3, 4, 5),  # naive: taken as UTC
    datetime(1970, 1, 1, tzinfo=UTC),
    datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
]
POINTS: list[list[str]] = [[], [""], ["one"], TEXTS[:-1], ["nul \x00 inside JSON"]]
ARTICLE = 7


def _rows(model: type[SQLModel]) -> list[dict[str, Any]]:
    if model is ArticleSource:
        return [
            {"article_id": ARTICLE, "source": text[:2048], "entry_key": str(n), "feed_id": feed}
            for n, text in enumerate(TEXTS)
            for feed in [1 if n % 2 else None]
        ]
    if model is ArticleSection:
        return [
            {"article_id": ARTICLE, "position": n, "name": text[:200], "text": text}
            for n, text in enumerate(TEXTS)
        ]
    if model is ArticleInsight:
        return [
            {"article_id": ARTICLE, "position": n, "question": TEXTS[n], "points": points}
            for n, points in enumerate(POINTS)
        ]
    if model is ArticleTopic:
        return [{"article_id": ARTICLE, "topic": text[:64]} for text in TEXTS[:-1]]
    if model is StatusChange:
        return [
            {
                "entity_type": "case",
                "entity_id": n,
                "status": TEXTS[n],
                "article_id": ARTICLE,
                "at": at,
            }
            for n, at in enumerate(TIMES)
        ]
    assert model is Mention
    return [
        {
            "article_id": ARTICLE,
            "entity_type": "company",
            "entity_id": n,
            "evidence": text,
            "evidence_key": str(n),
            "certainty": "fact",
            "reported": n % 2 == 0,
        }
        for n, text in enumerate(TEXTS)
    ]


MODELS = [ArticleSource, ArticleSection, ArticleInsight, ArticleTopic, StatusChange, Mention]


def _parents(db: Session) -> None:
    db.execute(insert(table_of(Feed)).values(id=1, url="https://example.com/feed"))
    db.execute(insert(table_of(Article)).values(id=ARTICLE, identity="a"))


def _stored(
    engine: Engine, model: type[SQLModel], store: Callable[[Session, list[dict[str, Any]]], None]
) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]], list[str]]:
    """The rows ``store`` stored (all but their new ids), as values and as PostgreSQL's text."""
    table = table_of(model)
    columns = [column for column in table.c if column.name != "id"]
    order = [table.c.id] if "id" in table.c else list(table.primary_key.columns)
    statements: list[str] = []

    def seen(*args: Any) -> None:
        statements.append(args[2])

    event.listen(engine, "before_cursor_execute", seen)
    try:
        with session(engine) as db:
            _parents(db)
            statements.clear()
            store(db, _rows(model))
            written = list(statements)
            values = [tuple(row) for row in db.execute(select(*columns).order_by(*order))]
            texts = [
                tuple(row)
                for row in db.execute(select(*[cast(c, Text) for c in columns]).order_by(*order))
            ]
            db.rollback()
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    return values, texts, written


def _core(db: Session, rows: list[dict[str, Any]], model: type[SQLModel]) -> None:
    db.execute(insert(table_of(model)), rows)


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
def test_copied_rows_are_stored_as_core_inserts_them(
    pg_engine: Engine, model: type[SQLModel]
) -> None:
    copied, copied_text, statements = _stored(
        pg_engine, model, lambda db, rows: add_rows(db, model, rows)
    )
    inserted, inserted_text, _ = _stored(pg_engine, model, lambda db, rows: _core(db, rows, model))
    assert not any("INSERT" in statement.upper() for statement in statements)  # COPY did it
    assert len(copied) == len(_rows(model))
    assert copied == inserted
    assert copied_text == inserted_text


def test_a_copy_keeps_the_ids_in_row_order(pg_engine: Engine) -> None:
    with session(pg_engine) as db:
        _parents(db)
        add_rows(db, Mention, _rows(Mention))
        stored = db.execute(select(table_of(Mention).c.id, table_of(Mention).c.entity_id)).all()
        assert [entity for _, entity in sorted(stored)] == list(range(len(TEXTS)))


@pytest.mark.parametrize(
    ("bad", "error"),
    [
        ({"evidence": "nul \x00 byte"}, DataError),
        ({"entity_id": 0, "evidence_key": "0"}, IntegrityError),
    ],
    ids=["nul", "duplicate"],
)
def test_a_failing_copy_fails_as_the_insert_does_and_stores_nothing(
    pg_engine: Engine, bad: dict[str, Any], error: type[Exception]
) -> None:
    rows = _rows(Mention)
    rows.append({**rows[1], **bad})
    messages = []
    for store in (lambda db: add_rows(db, Mention, rows), lambda db: _core(db, rows, Mention)):
        with session(pg_engine) as db:
            _parents(db)
            db.commit()
            with pytest.raises(error) as raised:
                store(db)
            messages.append(str(raised.value.orig).splitlines()[0])  # type: ignore[attr-defined]
            db.rollback()
            assert db.execute(select(table_of(Mention))).all() == []
            db.execute(table_of(Article).delete())
            db.execute(table_of(Feed).delete())
            db.commit()
    assert messages[0] == messages[1]
