"""Alembic migrations build exactly the schema the models describe, on both backends."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect
from sqlmodel import SQLModel

from aiwatch.store.db import HEAD_REVISION, _alembic_config, _migrations, make_engine
from aiwatch.store.search_index import compared_by_alembic
from tests.factories import empty_postgresql


def _schema_diff(url: str) -> list[object]:
    engine = create_engine(url)
    with engine.begin() as connection:
        command.upgrade(_alembic_config(connection), "head")
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_object": compared_by_alembic}
        )
        diff = compare_metadata(context, SQLModel.metadata)
    engine.dispose()
    return diff


def test_migrations_match_models_on_sqlite(sqlite_url: str) -> None:
    assert _schema_diff(sqlite_url) == []


def test_migrations_match_models_on_postgresql(pg_database_url: str) -> None:
    empty_postgresql(pg_database_url)
    assert _schema_diff(pg_database_url) == []


def test_new_database_is_stamped_at_head(sqlite_url: str) -> None:
    engine = make_engine(sqlite_url)
    with engine.connect() as connection:
        assert (
            MigrationContext.configure(connection).get_current_revision()
            == _migrations().get_current_head()
        )
        assert "article" in inspect(connection).get_table_names()
    engine.dispose()


def test_database_made_before_migrations_is_adopted(sqlite_url: str) -> None:
    """Tables from before Alembic (the 0001 schema, no version table) are stamped, then upgraded."""
    bare = create_engine(sqlite_url)
    with bare.begin() as connection:
        command.upgrade(_alembic_config(connection), "0001")
        connection.exec_driver_sql("DROP TABLE alembic_version")
    bare.dispose()
    engine = make_engine(sqlite_url)
    with engine.connect() as connection:
        assert (
            MigrationContext.configure(connection).get_current_revision()
            == _migrations().get_current_head()
        )
        indexes = {i["name"] for i in inspect(connection).get_indexes("article")}
        assert "ix_article_content_hash" in indexes
    engine.dispose()


def test_head_revision_constant_names_the_newest_migration() -> None:
    """`make_engine` trusts HEAD_REVISION to skip Alembic on an up-to-date database."""
    assert _migrations().get_current_head() == HEAD_REVISION


def test_database_at_an_older_revision_is_upgraded(sqlite_url: str) -> None:
    old = create_engine(sqlite_url)
    with old.begin() as connection:
        command.upgrade(_alembic_config(connection), "0001")
    old.dispose()
    engine = make_engine(sqlite_url)
    with engine.connect() as connection:
        assert MigrationContext.configure(connection).get_current_revision() == HEAD_REVISION
        indexes = {i["name"] for i in inspect(connection).get_indexes("article")}
        assert "ix_article_content_hash" in indexes
    engine.dispose()


def _upgrade_0002_data_to_head(url: str) -> dict[tuple[str, int], bool]:
    """Mentions stored before 0003 get ``reported`` from what the extractor of the time meant."""
    engine = create_engine(url)
    with engine.begin() as connection:
        command.upgrade(_alembic_config(connection), "0002")
        connection.exec_driver_sql(
            "INSERT INTO article (id, identity, title, author, summary, body, content_hash,"
            " extraction_error) VALUES (1, 'a', 't', '', '', '', 'h', '')"
        )
        for entity_type, entity_id in (
            ("partnership", 1),
            ("case", 1),
            ("product", 1),
            ("product", 2),
            ("company", 1),
        ):
            connection.exec_driver_sql(
                "INSERT INTO mention (article_id, entity_type, entity_id, evidence, evidence_key,"
                f" certainty) VALUES (1, '{entity_type}', {entity_id}, '', '{entity_type}{entity_id}', 'fact')"
            )
        connection.exec_driver_sql(
            "INSERT INTO statuschange (entity_type, entity_id, status, article_id)"
            " VALUES ('product', 2, 'released', 1)"
        )
        command.upgrade(_alembic_config(connection), "head")
    with engine.connect() as connection:
        rows = connection.exec_driver_sql(
            "SELECT entity_type, entity_id, reported FROM mention"
        ).all()
    engine.dispose()
    return {(t, i): bool(r) for t, i, r in rows}


_EXPECTED_REPORTED = {
    ("partnership", 1): True,
    ("case", 1): True,
    ("product", 1): False,  # named, no launch on its timeline
    ("product", 2): True,
    ("company", 1): False,
}


def test_old_mentions_are_marked_reported_on_sqlite(sqlite_url: str) -> None:
    assert _upgrade_0002_data_to_head(sqlite_url) == _EXPECTED_REPORTED


def test_old_mentions_are_marked_reported_on_postgresql(pg_database_url: str) -> None:
    empty_postgresql(pg_database_url)
    try:
        assert _upgrade_0002_data_to_head(pg_database_url) == _EXPECTED_REPORTED
    finally:  # later tests share this database
        engine = create_engine(pg_database_url)
        with engine.begin() as connection:
            connection.exec_driver_sql("TRUNCATE mention, statuschange, article CASCADE")
        engine.dispose()
