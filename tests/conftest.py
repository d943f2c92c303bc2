"""Shared fixtures: isolated user dirs, and real SQLite and PostgreSQL engines."""

from __future__ import annotations

import gc
import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

from aiwatch.store.db import make_engine
from aiwatch.tui.logs import reset_logging
from tests.feed_server import FeedServer

PG_ADMIN_URL = os.environ.get(
    "AIWATCH_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
SHARED_CORPORA = Path(__file__).resolve().parents[2] / "shared" / "corpora"


def required(*paths: Path, what: str) -> None:
    """Skip the test when one of ``paths`` is missing — but fail it under CI, where the
    shared corpora are required as PostgreSQL is (see ``pg_database_url``)."""
    missing = [path for path in paths if not path.exists()]
    if not missing:
        return
    message = f"{what} not found at {missing[0]} (see ../shared/corpora/SOURCES.md)"
    if os.environ.get("CI"):
        pytest.fail(f"{message}; it is required under CI", pytrace=False)
    pytest.skip(message)


@pytest.fixture(autouse=True)
def _isolated_user_dirs(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    """Keep the developer's own database, config and log out of every test."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.delenv("AIWATCH_DB", raising=False)
    monkeypatch.delenv("AIWATCH_CONFIG", raising=False)
    monkeypatch.delenv("AIWATCH_LOG", raising=False)
    yield
    reset_logging()  # a command run in the test pointed the log into its folders
    gc.unfreeze()  # a dashboard set its objects aside: let this test's garbage go


@pytest.fixture
def server() -> Iterator[FeedServer]:
    """A programmable HTTP server on loopback (`tests.feed_server`), stopped after the test."""
    with FeedServer() as served:
        yield served


@pytest.fixture(scope="session")
def _populated_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.tui_support import populate  # the TUI's helpers load Textual: only when asked

    path = tmp_path_factory.mktemp("populated") / "aiwatch.db"
    engine = make_engine(f"sqlite:///{path}")
    populate(engine)
    engine.dispose()
    return path


@pytest.fixture
def populated_engine(_populated_template: Path, tmp_path: Path) -> Iterator[Engine]:
    """A SQLite store of its own holding `tests.tui_support.populate`'s two articles
    (extracted and stored once per session, copied for each test)."""
    path = tmp_path / "populated.db"
    shutil.copyfile(_populated_template, path)
    engine = make_engine(f"sqlite:///{path}")
    yield engine
    engine.dispose()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'aiwatch.db'}"


@pytest.fixture
def sqlite_engine(sqlite_url: str) -> Iterator[Engine]:
    engine = make_engine(sqlite_url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def pg_database_url() -> Iterator[str]:
    """A fresh PostgreSQL database for this test session, dropped at the end.

    Skipped when no server answers, except under CI, where PostgreSQL is required.
    """
    admin = create_engine(
        PG_ADMIN_URL, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 5}
    )
    name = f"aiwatch_test_{uuid.uuid4().hex[:10]}"
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # noqa: BLE001 - any failure means "no server"
        admin.dispose()
        if os.environ.get("CI"):
            pytest.fail(
                f"PostgreSQL is required under CI but not reachable at {PG_ADMIN_URL}: {exc}"
            )
        pytest.skip(f"PostgreSQL not reachable at {PG_ADMIN_URL}")
    url = admin.url.set(database=name).render_as_string(hide_password=False)
    yield url
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def pg_engine(pg_database_url: str) -> Iterator[Engine]:
    engine = make_engine(pg_database_url)
    yield engine
    truncate_all(engine)
    engine.dispose()


def truncate_all(engine: Engine) -> None:
    """Empty every table of the session's PostgreSQL database for the next test."""
    with engine.begin() as connection:
        tables = ", ".join(f'"{t.name}"' for t in SQLModel.metadata.sorted_tables)
        connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


@pytest.fixture(params=["sqlite", "pg"])
def engine(request: pytest.FixtureRequest) -> Engine:
    """The same test on real SQLite and real PostgreSQL."""
    return request.getfixturevalue(f"{request.param}_engine")


@pytest.fixture(params=["sqlite", "pg"])
def scratch_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A new database of the test's own, SQLite or PostgreSQL, for processes to share."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'shared.db'}"
        return
    from tests.processes import scratch_pg_database

    request.getfixturevalue("pg_database_url")  # skips (or fails under CI) without a server
    with scratch_pg_database(PG_ADMIN_URL) as url:
        yield url
