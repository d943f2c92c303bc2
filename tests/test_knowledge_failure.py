"""A broken knowledge base fails loudly: one line, a non-zero exit, nothing stored bare."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import func, select

from aiwatch.feeds.sources.seeds import bundled_seed_dir
from aiwatch.store.db import make_engine, session
from aiwatch.store.models import Article
from aiwatch.tui.cli import main
from aiwatch.tui.config import Settings
from tests.feed_server import FeedServer, Reply, item, rss
from tests.tui_support import notified, press, running, screen_text

BROKEN = {
    "missing": (None, "does not exist"),
    "not TOML": ("[[organisation]\nname = 'x'\n", "at the end of an array declaration"),
    "contradicts": (  # valid TOML, but the base cannot be built from it
        "[[product]]\nname = 'Zeta'\nmaker = 'Nobody Inc'\nmodality = 'text'\n",
        "unknown maker 'Nobody Inc'",
    ),
}


def _config(tmp_path: Path, case: str) -> Path:
    text, _ = BROKEN[case]
    extra = tmp_path / "extra.toml"
    if text is not None:
        extra.write_text(text)
    config = tmp_path / "config.toml"
    config.write_text(
        f'[refresh]\ntimeout = 2\nworkers = 0\n[knowledge]\nextra_files = ["{extra}"]\n'
    )
    return config


Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Run:
    def run(*argv: str) -> tuple[int, str, str]:
        status = main(list(argv))
        out, err = capsys.readouterr()
        assert "Traceback" not in out + err
        return status, out, err

    return run


def _stored(db: str) -> int:
    engine = make_engine(db)
    with session(engine) as stored:
        count = int(stored.exec(select(func.count()).select_from(Article)).one())
    engine.dispose()
    return count


@pytest.mark.parametrize("case", list(BROKEN))
def test_every_extracting_command_stops_with_one_line(
    case: str, tmp_path: Path, cli: Run, server: FeedServer
) -> None:
    db = f"sqlite:///{tmp_path / 'kb.db'}"
    url = server.add("/feed", Reply(rss([item(1, body="Meta partners with Midjourney.")])))
    good = tmp_path / "good.toml"
    good.write_text("[refresh]\ntimeout = 2\nworkers = 0\n")
    assert cli("--config", str(good), "--db", db, "feeds", "add", url)[0] == 0
    config = str(_config(tmp_path, case))
    expected = BROKEN[case][1]
    for argv in (
        ("refresh",),
        ("reextract",),
        ("seeds", "load", str(bundled_seed_dir())),
        ("feeds", "publisher", "1", "Meta"),
    ):
        status, _, err = cli("--config", config, "--db", db, *argv)
        assert status == 2, argv
        assert err.count("\n") == 1 and expected in err and "knowledge base" in err, (argv, err)
    assert _stored(db) == 0  # nothing stored without extraction
    status, _, err = cli("--config", config, "--db", db, "export")  # export needs no KB
    assert status == 0 and err == ""


@pytest.mark.parametrize("case", ["missing", "not TOML"])
def test_the_dashboard_command_refuses_to_start(case: str, tmp_path: Path, cli: Run) -> None:
    config = str(_config(tmp_path, case))
    status, _, err = cli("--config", config, "--db", f"sqlite:///{tmp_path / 'd.db'}")
    assert status == 2 and err.count("\n") == 1 and BROKEN[case][1] in err


def test_refresh_of_unchanged_feeds_still_checks_the_files(tmp_path: Path, cli: Run) -> None:
    config = str(_config(tmp_path, "missing"))
    status, _, err = cli("--config", config, "--db", f"sqlite:///{tmp_path / 'e.db'}", "refresh")
    assert status == 2 and "does not exist" in err


async def test_the_dashboard_says_so_and_refuses_to_refresh(
    sqlite_engine: Engine, tmp_path: Path
) -> None:
    _config(tmp_path, "contradicts")
    settings = Settings(knowledge_files=(tmp_path / "extra.toml",))
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "a.txt").write_text("A headline\n\nNews Summary\nMeta partners with Midjourney.\n")
    async with running(
        sqlite_engine, settings=settings, seed_dir=seeds, load_bundled_seeds=True
    ) as (app, pilot):
        assert any("unknown maker" in n for n in notified(app))
        assert "Nothing can be extracted" in screen_text(app)
        await press(app, pilot, "r")
        assert app.refresh_state is None
        assert sum("unknown maker" in n for n in notified(app)) == 2
        await pilot.press("q")
    assert app.return_code == 2
    with session(sqlite_engine) as db:  # the seed was not stored without extraction
        assert db.exec(select(func.count()).select_from(Article)).one() == 0
    assert re.search("unknown maker", app.knowledge_error)


async def test_the_dashboard_without_seeds_checks_the_files_on_start(
    sqlite_engine: Engine, tmp_path: Path
) -> None:
    settings = Settings(knowledge_files=(tmp_path / "missing.toml",))
    async with running(sqlite_engine, settings=settings) as (app, pilot):
        assert any("does not exist" in n for n in notified(app))
        await pilot.press("q")
    assert app.return_code == 2
