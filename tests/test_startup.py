"""Each command imports only what it uses: ``aiwatch --help`` and an all-304 refresh stay light."""

from __future__ import annotations

import gc
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from aiwatch.store.db import make_engine
from aiwatch.store.location import app_dir
from aiwatch.tui.cli import build_parser, command_index
from tests.feed_server import FeedServer, Reply, item, rss
from tests.tui_support import running, screen_text

ROOT = Path(__file__).resolve().parents[1]
HEAVY = (
    "textual",
    "sqlalchemy",
    "sqlmodel",
    "feedparser",
    "aiwatch.feeds.extract",
    "httpx",
    "psycopg",
)


def loaded_after(code: str) -> set[str]:
    """The modules a fresh interpreter holds after running ``code``."""
    probe = f"{code}\nimport sys\nprint('\\n'.join(n for n, m in sys.modules.items() if m))"
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return set(result.stdout.split())


def test_the_command_index_names_every_subcommand_with_its_help() -> None:
    index = command_index()
    assert {"edit", "export", "feeds", "reextract", "refresh", "seeds"} <= set(index)
    assert index["refresh"] == ("refresh", "refresh feeds now (for cron)")
    parser = build_parser()  # every module imported: the index agrees with what they register
    [subcommands] = [a for a in parser._actions if a.dest == "command"]
    assert set(subcommands.choices or ()) == set(index)
    assert all(help_text for _, help_text in index.values())


def test_help_loads_no_heavy_library() -> None:
    code = (
        "from aiwatch.tui.cli import main\ntry:\n    main(['--help'])\nexcept SystemExit:\n    pass"
    )
    loaded = loaded_after(code)
    assert not {
        m for m in loaded if m.split(".")[0] in HEAVY or m.startswith("aiwatch.feeds.extract")
    }


def test_an_all_304_refresh_loads_neither_the_store_nor_the_extractor(tmp_path: Path) -> None:
    db = tmp_path / "light.db"
    with FeedServer() as server:
        url = server.add("/feed", Reply(rss([item(1)]), headers={"ETag": '"v1"'}))
        for argv in (["feeds", "add", url], ["refresh"]):
            subprocess.run(
                [sys.executable, "-m", "aiwatch", "--db", f"sqlite:///{db}", *argv],
                cwd=ROOT,
                check=True,
                capture_output=True,
            )
        code = (
            "import contextlib, io\nfrom aiwatch.tui.cli import run\n"  # as the command does
            "with contextlib.redirect_stdout(io.StringIO()) as out:\n"
            f"    assert run(['--db', 'sqlite:///{db}', 'refresh']) == 0\n"
            "assert '1 unchanged' in out.getvalue(), out.getvalue()"
        )
        loaded = loaded_after(code)
    heavy = sorted(  # trio: httpcore's probe for it (it is installed here, by the test extras)
        m
        for m in loaded
        if m.split(".")[0] in (*HEAVY, "trio") or m.startswith("aiwatch.feeds.extract")
    )
    assert heavy == [], heavy
    assert "aiwatch.store.db" not in loaded and "aiwatch.feeds.parse.body" not in loaded


def test_the_dashboard_loads_neither_the_fetcher_nor_the_extractor_to_start() -> None:
    """Opening the dashboard imports what it reads with; ``r`` brings the fetcher when pressed,
    and the engine its database's dialect."""
    loaded = loaded_after("import aiwatch.tui.app")
    assert "textual" in loaded and "sqlmodel" in loaded
    unwanted = sorted(
        m
        for m in loaded
        if m.split(".")[0] in ("httpcore", "httpx", "feedparser", "trio")
        or m.startswith(
            ("aiwatch.feeds.extract", "aiwatch.feeds.refresh", "aiwatch.feeds.fetch.fetcher")
        )
        # a database's dialect comes with its engine; the store's upserts import theirs
        or m.startswith(("sqlalchemy.dialects.postgresql", "sqlalchemy.dialects.sqlite"))
    )
    assert unwanted == [], unwanted


async def test_a_start_on_stored_seeds_does_not_load_the_knowledge_base(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "a.txt").write_text(
        "Meta partners with Midjourney\n\nMeta partners with Midjourney.\n"
    )
    engine = make_engine(f"sqlite:///{tmp_path / 'seeded.db'}")
    for first in (True, False):
        async with running(engine, seed_dir=seeds, load_bundled_seeds=True) as (app, _):
            assert (app.kb is not None) is first  # loaded to extract the new seed, then never
            assert ("1 new" if first else "0 new") in screen_text(app)
    engine.dispose()


@pytest.mark.parametrize("xdg", [None, "", "  ", "/tmp/elsewhere"])
def test_the_folders_are_where_platformdirs_puts_them(
    xdg: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    import platformdirs

    for variable in ("XDG_DATA_HOME", "XDG_CONFIG_HOME"):
        if xdg is None:
            monkeypatch.delenv(variable, raising=False)
        else:
            monkeypatch.setenv(variable, xdg)
    assert app_dir("data") == Path(platformdirs.user_data_dir("aiwatch", appauthor=False))
    assert app_dir("config") == Path(platformdirs.user_config_dir("aiwatch", appauthor=False))


async def test_what_exists_once_the_dashboard_is_up_is_set_aside_from_collection(
    populated_engine: Engine,
) -> None:
    gc.unfreeze()
    try:
        async with running(populated_engine) as (app, pilot):
            await pilot.pause()
            assert app.dashboard.dashboard is not None
            assert gc.get_freeze_count() > 10_000  # the modules, mappers, styles, widgets
    finally:
        gc.unfreeze()
