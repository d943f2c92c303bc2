"""The full-text index of articles: SQLite FTS5, PostgreSQL ``tsvector`` with a GIN index.

The database keeps the index in step with the ``article`` table itself, so no
code path that writes articles (batched inserts, updates, deletes by cascade)
can forget it:

- SQLite: ``article_search``, an FTS5 table over ``article``'s own columns
  (external content, through the view ``article_search_document``: the text is
  not stored twice), updated by triggers.
- PostgreSQL: ``article.search``, a stored generated ``tsvector`` column with a
  GIN index.

Indexed: the title and the names of the companies and products the article
mentions (``article.search_names``, written with the article by
`store.ingest`) weigh most, then the summary (where the body does not hold it
already, as a feed item's does), then the body. Both use
English stemming ("rulings" finds "ruling"). None of this is in the SQLModel
tables (neither database has a portable form of it): `create_search_index`
adds it after ``create_all`` and in migration 0005, and `is_search_object`
keeps Alembic's model comparison from reporting it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy.engine import Connection

if TYPE_CHECKING:
    from aiwatch.feeds.records import Extraction

FTS_TABLE = "article_search"
DOCUMENTS = "article_search_document"
"""The view the FTS5 table indexes (and reads highlights from)."""
TSVECTOR_COLUMN = "search"
TSVECTOR_INDEX = "ix_article_search"
WEIGHTS = (10.0, 8.0, 3.0, 1.0)
"""bm25 weights of title, names, summary and body (SQLite; PostgreSQL weighs A, A, B, C)."""
_TRIGGERS = ("article_search_insert", "article_search_delete", "article_search_update")
_FTS_COLUMNS = "title, search_names, summary, body"


_OWN_SUMMARY = "CASE WHEN instr({t}.body, {t}.summary) > 0 THEN '' ELSE {t}.summary END"
"""An article's summary where its body does not already hold it (a feed item's body is
its title and summary: indexing both would tokenize the text twice)."""


def _sqlite_ddl() -> list[str]:
    def values(row: str) -> str:
        return f"{row}.title, {row}.search_names, {_OWN_SUMMARY.format(t=row)}, {row}.body"

    return [
        f"CREATE VIEW IF NOT EXISTS {DOCUMENTS} AS SELECT id, title, search_names, "
        f"{_OWN_SUMMARY.format(t='article')} AS summary, body FROM article",
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5({_FTS_COLUMNS}, "
        f"content='{DOCUMENTS}', content_rowid='id', "
        "tokenize='porter unicode61 remove_diacritics 2')",
        f"CREATE TRIGGER IF NOT EXISTS article_search_insert AFTER INSERT ON article BEGIN "
        f"INSERT INTO {FTS_TABLE}(rowid, {_FTS_COLUMNS}) VALUES (new.id, {values('new')}); END",
        f"CREATE TRIGGER IF NOT EXISTS article_search_delete AFTER DELETE ON article BEGIN "
        f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, {_FTS_COLUMNS}) "
        f"VALUES ('delete', old.id, {values('old')}); END",
        "CREATE TRIGGER IF NOT EXISTS article_search_update "
        "AFTER UPDATE OF title, search_names, summary, body ON article BEGIN "
        f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, {_FTS_COLUMNS}) "
        f"VALUES ('delete', old.id, {values('old')}); "
        f"INSERT INTO {FTS_TABLE}(rowid, {_FTS_COLUMNS}) VALUES (new.id, {values('new')}); END",
    ]


_TSVECTOR = (
    "setweight(to_tsvector('english'::regconfig, title), 'A') || "
    "setweight(to_tsvector('english'::regconfig, search_names), 'A') || "
    "setweight(to_tsvector('english'::regconfig, "
    "CASE WHEN strpos(body, summary) > 0 THEN '' ELSE summary END), 'B') || "
    "setweight(to_tsvector('english'::regconfig, body), 'C')"
)


def names_for_search(extraction: Extraction | None) -> str:
    """The names an article's extraction found (companies, parties, products, makers), one a line."""
    if extraction is None:
        return ""
    names = {m.name for m in extraction.companies}
    for product in extraction.products:
        names.add(product.name)
        names.add(product.maker or "")
    for deal in extraction.partnerships:
        names.update(deal.parties)
    for case in extraction.cases:
        names.update(case.plaintiffs)
        names.update(case.defendants)
    return "\n".join(sorted(name for name in names if name))[:20_000]


def create_search_index(connection: Connection, *, populate: bool = True) -> None:
    """Add the index (and what keeps it in step) to a database that lacks it.

    ``populate``: index the articles already stored (PostgreSQL always does,
    when it adds the generated column).
    """
    if connection.dialect.name == "sqlite":
        for statement in _sqlite_ddl():
            connection.exec_driver_sql(statement)
        if populate:
            connection.exec_driver_sql(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")
    elif connection.dialect.name == "postgresql":
        connection.exec_driver_sql(
            f"ALTER TABLE article ADD COLUMN IF NOT EXISTS {TSVECTOR_COLUMN} tsvector "
            f"GENERATED ALWAYS AS ({_TSVECTOR}) STORED"
        )
        connection.exec_driver_sql(
            f"CREATE INDEX IF NOT EXISTS {TSVECTOR_INDEX} ON article USING gin ({TSVECTOR_COLUMN})"
        )


def drop_search_index(connection: Connection) -> None:
    """Remove the index (the downgrade of migration 0005)."""
    if connection.dialect.name == "sqlite":
        for trigger in _TRIGGERS:
            connection.exec_driver_sql(f"DROP TRIGGER IF EXISTS {trigger}")
        connection.exec_driver_sql(f"DROP TABLE IF EXISTS {FTS_TABLE}")
        connection.exec_driver_sql(f"DROP VIEW IF EXISTS {DOCUMENTS}")
    elif connection.dialect.name == "postgresql":
        connection.exec_driver_sql(f"DROP INDEX IF EXISTS {TSVECTOR_INDEX}")
        connection.exec_driver_sql(f"ALTER TABLE article DROP COLUMN IF EXISTS {TSVECTOR_COLUMN}")


def is_search_object(name: str | None, type_: str, table: str | None = None) -> bool:
    """True for the index's tables, column and index (none is part of the SQLModel tables)."""
    if type_ == "table":
        return bool(name) and (name == FTS_TABLE or str(name).startswith(f"{FTS_TABLE}_"))
    if type_ == "column":
        return name == TSVECTOR_COLUMN and table == "article"
    if type_ == "index":
        return name == TSVECTOR_INDEX
    return False


def compared_by_alembic(obj: Any, name: str | None, type_: str, *_: Any) -> bool:
    """Alembic's ``include_object``: leave the search index out of model comparisons."""
    table = getattr(getattr(obj, "table", None), "name", None)
    return not is_search_object(name, type_, table)
