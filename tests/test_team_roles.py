"""The README's team setup on a real PostgreSQL server: an owner role makes the schema and
grants what the README says; the team role then stores, updates, searches and deletes.

The search index is a table written by a trigger (`store.search_index`), so a team
role that may write ``article`` but not ``article_search`` could not store anything:
this runs the grants as written in the README, not a copy of them.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url

from aiwatch.store.db import make_engine, session
from aiwatch.store.queries import list_articles
from aiwatch.store.read_models import Filter
from tests.conftest import PG_ADMIN_URL
from tests.factories import article, extraction, save

README = Path(__file__).resolve().parent.parent / "README.md"


def readme_grants(owner: str, team: str) -> str:
    """The statements the README's owner runs to share the schema, for these role names."""
    found = re.search(r'-U aiwatch_owner -c "(GRANT.*?)"', README.read_text(), re.DOTALL)
    assert found, "the README's team setup has no GRANT block"
    return re.sub(r"\bTO aiwatch;", f"TO {team};", found.group(1)).replace("aiwatch_owner", owner)


@pytest.fixture
def team_database(pg_database_url: str) -> Iterator[tuple[str, str, str]]:
    """A new database's URL for an owner role and the names of that role and a team role
    (all dropped after; ``pg_database_url`` skips the test where no server answers)."""
    suffix = uuid.uuid4().hex[:8]
    owner, team, name = f"aw_owner_{suffix}", f"aw_team_{suffix}", f"aw_team_db_{suffix}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"CREATE ROLE {owner} LOGIN"))
        connection.execute(text(f"CREATE ROLE {team} LOGIN"))
        connection.execute(text(f"CREATE DATABASE {name} OWNER {owner}"))
    base = admin.url.set(database=name)
    try:
        yield base.set(username=owner).render_as_string(hide_password=False), owner, team
    finally:
        with admin.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            connection.execute(text(f"DROP ROLE IF EXISTS {team}"))
            connection.execute(text(f"DROP ROLE IF EXISTS {owner}"))
        admin.dispose()


def titles(engine: Engine, query: str) -> list[str]:
    with session(engine) as db:
        return [row.title for row in list_articles(db, Filter(text=query))]


def test_the_team_role_works_with_the_readme_grants(
    team_database: tuple[str, str, str],
) -> None:
    owner_url, owner_name, team_name = team_database
    owner = make_engine(owner_url)  # the owner creates the schema
    with owner.begin() as connection:
        connection.exec_driver_sql(readme_grants(owner_name, team_name))
    owner.dispose()
    team_url = make_url(owner_url).set(username=team_name)
    team = make_engine(team_url.render_as_string(hide_password=False))
    try:
        save(
            team,
            article("deal", "Meta teams up with Midjourney", text="A video deal."),
            extraction("Meta", "Midjourney"),
        )
        assert titles(team, "midjourney") == ["Meta teams up with Midjourney"]
        changed = article("deal", "Meta and Midjourney end talks", text="Talks collapsed.")
        save(team, changed, extraction("Meta"))
        assert titles(team, "collapsed") == ["Meta and Midjourney end talks"]
        with team.begin() as connection:
            connection.execute(text("DELETE FROM article"))
        assert titles(team, "collapsed") == []
    finally:
        team.dispose()
