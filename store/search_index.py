"""The full-text index of articles: SQLite FTS5, PostgreSQL ``tsvector`` with a GIN index.

The database keeps the index in step with the ``article`` table itself, so no
code path that writes articles (batched inserts, updates, deletes by cascade)
can forget it:

- SQLite: ``article_search``, an FTS5 table over ``article``'s own columns
  (external content, through the view ``article_search_document``: the text is
  not stored twice), updated by triggers.
- PostgreSQL: ``article_search``, a table of each article's ``tsvector`` with a
  GIN index, written by a trigger on ``article`` (deleted with it by cascade).
  It is a table of its own, not a generated column of ``article``, so that a
  scan of it reads the vectors in line: beside an article's body they were
  TOASTed, and a search for a word in half the articles (which the planner
  answers with a scan) read each one's vector from the TOAST table, 7x slower
  (0008).

Indexed: the title and the names of the companies and products the article
mentions (``article.search_names``, written with the article by
`store.ingest`) weigh most, then the summary (where the body does not hold it
already, as a feed item's does), then the body. Both use
English stemming ("rulings" finds "ruling"). None of this is in the SQLModel
tables (neither database has a portable form of it): `create_search_index`
adds it after ``create_all`` (0005 added SQLite's, and PostgreSQL's as a generated column,
which 0008 moves into a table), and `is_search_object`
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
_TSVECTOR_TRIGGER = "article_search_sync"
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
    "setweight(to_tsvector('english'::regconfig, {t}.title), 'A') || "
    "setweight(to_tsvector('english'::regconfig, {t}.search_names), 'A') || "
    "setweight(to_tsvector('english'::regconfig, "
    "CASE WHEN strpos({t}.body, {t}.summary) > 0 THEN '' ELSE {t}.summary END), 'B') || "
    "setweight(to_tsvector('english'::regconfig, {t}.body), 'C')"
)


def _postgresql_ddl() -> list[str]:
    return [
        f"CREATE TABLE IF NOT EXISTS {FTS_TABLE} (id integer PRIMARY KEY "
        f"REFERENCES article (id) ON DELETE CASCADE, {TSVECTOR_COLUMN} tsvector NOT NULL)",
        f"CREATE INDEX IF NOT EXISTS {TSVECTOR_INDEX} ON {FTS_TABLE} USING gin ({TSVECTOR_COLUMN})",
        f"CREATE OR REPLACE FUNCTION {_TSVECTOR_TRIGGER}() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN INSERT INTO {FTS_TABLE} (id, {TSVECTOR_COLUMN}) "
        f"VALUES (NEW.id, {_TSVECTOR.format(t='NEW')}) ON CONFLICT (id) DO UPDATE "
        f"SET {TSVECTOR_COLUMN} = EXCLUDED.{TSVECTOR_COLUMN}; RETURN NULL; END $$",
        f"DROP TRIGGER IF EXISTS {_TSVECTOR_TRIGGER} ON article",
        f"CREATE TRIGGER {_TSVECTOR_TRIGGER} AFTER INSERT OR UPDATE OF title, search_names, "
        f"summary, body ON article FOR EACH ROW EXECUTE FUNCTION {_TSVECTOR_TRIGGER}()",
    ]


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


def create_search_index(connection: Connection) -> None:
    """Add the index (and what keeps it in step) to a database that lacks it, indexing
    the articles already stored (SQLite: migration 0005; a new database has none)."""
    if connection.dialect.name == "sqlite":
        for statement in _sqlite_ddl():
            connection.exec_driver_sql(statement)
        connection.exec_driver_sql(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")
    elif connection.dialect.name == "postgresql":
        for statement in _postgresql_ddl():
            connection.exec_driver_sql(statement)


def add_search_column(connection: Connection) -> None:
    """PostgreSQL's index as migrations 0005–0007 left it: a generated column of ``article``
    (0005 adds it, 0008's downgrade restores it)."""
    connection.exec_driver_sql(
        f"ALTER TABLE article ADD COLUMN {TSVECTOR_COLUMN} tsvector "
        f"GENERATED ALWAYS AS ({_TSVECTOR.format(t='article')}) STORED"
    )
    connection.exec_driver_sql(
        f"CREATE INDEX {TSVECTOR_INDEX} ON article USING gin ({TSVECTOR_COLUMN})"
    )


def move_search_vectors(connection: Connection) -> None:
    """PostgreSQL: the vectors from ``article``'s generated column into `FTS_TABLE`,
    copied, not computed again (migration 0008)."""
    connection.exec_driver_sql(f"DROP INDEX {TSVECTOR_INDEX}")
    for statement in _postgresql_ddl():
        connection.exec_driver_sql(statement)
    connection.exec_driver_sql(
        f"INSERT INTO {FTS_TABLE} (id, {TSVECTOR_COLUMN}) SELECT id, {TSVECTOR_COLUMN} "
        f"FROM article WHERE {TSVECTOR_COLUMN} IS NOT NULL"
    )
    connection.exec_driver_sql(f"ALTER TABLE article DROP COLUMN {TSVECTOR_COLUMN}")


def drop_search_index(connection: Connection) -> None:
    """Remove the index, in either of PostgreSQL's forms (the downgrades of 0005 and 0008)."""
    if connection.dialect.name == "sqlite":
        for trigger in _TRIGGERS:
            connection.exec_driver_sql(f"DROP TRIGGER IF EXISTS {trigger}")
        connection.exec_driver_sql(f"DROP TABLE IF EXISTS {FTS_TABLE}")
        connection.exec_driver_sql(f"DROP VIEW IF EXISTS {DOCUMENTS}")
    elif connection.dialect.name == "postgresql":
        # (the function's CASCADE drops its trigger; `article` itself may be gone already)
        connection.exec_driver_sql(f"DROP FUNCTION IF EXISTS {_TSVECTOR_TRIGGER}() CASCADE")
        connection.exec_driver_sql(f"DROP TABLE IF EXISTS {FTS_TABLE}")
        connection.exec_driver_sql(f"DROP INDEX IF EXISTS {TSVECTOR_INDEX}")
        connection.exec_driver_sql(
            f"ALTER TABLE IF EXISTS article DROP COLUMN IF EXISTS {TSVECTOR_COLUMN}"
        )


def is_search_object(name: str | None, type_: str) -> bool:
    """True for the index's tables and index (neither is part of the SQLModel tables)."""
    if type_ == "table":
        return bool(name) and (name == FTS_TABLE or str(name).startswith(f"{FTS_TABLE}_"))
    if type_ == "index":
        return name == TSVECTOR_INDEX
    return False


def compared_by_alembic(obj: Any, name: str | None, type_: str, *_: Any) -> bool:
    """Alembic's ``include_object``: leave the search index out of model comparisons."""
    return not is_search_object(name, type_)
