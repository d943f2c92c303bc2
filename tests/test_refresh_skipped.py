"""What a refresh leaves out, said out loud: back-off, disabled feeds, ``--force``, unknown ids.

Also: an explicit ``--db`` path whose folder is missing is an error (a typo
must not look like an empty database), and a feed's error history survives
disabling and enabling it.
"""

from __future__ import annotations

import json
import re
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from aiwatch.store.db import default_database_path, make_engine, session
from aiwatch.store.feed_repo import set_feed_enabled
from aiwatch.store.models import Feed
from aiwatch.store.refresh_state import SkippedFeed
from aiwatch.tui.app import make_app
from aiwatch.tui.cli import main
from aiwatch.tui.config import RefreshSettings, Settings
from aiwatch.tui.jobs import describe_skipped
from tests.feed_server import FeedServer, Reply, item, rss
from tests.tui_support import notified, wait_for

RETRY = datetime.now(UTC) + timedelta(hours=2)


@pytest.fixture
def db(scratch_db_url: str) -> str:
    """A new database for the commands to open, on SQLite and on PostgreSQL."""
    return scratch_db_url


@pytest.fixture
def cli(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], db: str
):
    config = tmp_path / "config.toml"
    config.write_text("[refresh]\ntimeout = 2\nworkers = 0\n")
    monkeypatch.setenv("AIWATCH_CONFIG", str(config))

    def run(*argv: str, database: str = db) -> tuple[int, str, str]:
        status = main(["--db", database, *argv])
        out, err = capsys.readouterr()
        return status, out, err

    return run


def three_feeds(cli, server: FeedServer, db: str) -> None:
    """Feed 1 is fine, feed 2 backs off after errors until RETRY, feed 3 is disabled."""
    for n in (1, 2, 3):
        assert cli("feeds", "add", server.add(f"/f{n}", Reply(rss([item(n)]))))[0] == 0
    engine = make_engine(db)
    with session(engine) as s:
        failing = s.get(Feed, 2)
        assert failing is not None
        failing.status, failing.error, failing.error_count = "error", "HTTP 503", 3
        failing.retry_after = RETRY
        s.add(failing)
        set_feed_enabled(s, 3, False)
        s.commit()
    engine.dispose()


def test_the_summary_counts_skipped_feeds_with_their_next_retry(
    cli, server: FeedServer, db: str
) -> None:
    three_feeds(cli, server, db)
    status, out, _ = cli("refresh")
    retry = RETRY.astimezone().strftime("%H:%M")
    assert status == 0
    assert re.fullmatch(
        rf"1 feed: 1 ok, 0 unchanged, 0 failed · 1 new article · [\d.]+ s"
        rf" · skipped 2: 1 disabled, 1 backing off \(next retry ({retry}|\w+ \d+ {retry})\)\n",
        out,
    ), out
    data = json.loads(cli("refresh", "--json")[1])
    assert data["feeds_skipped"] == 2
    assert {(f["id"], f["reason"]) for f in data["skipped"]} == {
        (2, "backing-off"),
        (3, "disabled"),
    }
    [backing_off] = [f for f in data["skipped"] if f["id"] == 2]
    assert datetime.fromisoformat(backing_off["retry_after"]) == RETRY
    assert server.requests("/f2") == []


def test_force_refreshes_feeds_backing_off_but_not_disabled_ones(
    cli, server: FeedServer, db: str
) -> None:
    three_feeds(cli, server, db)
    status, out, _ = cli("refresh", "--force")
    assert status == 0 and out.startswith("2 feeds: 2 ok") and "skipped 1: 1 disabled" in out
    assert len(server.requests("/f2")) == 1 and server.requests("/f3") == []


def test_nothing_due_says_why(cli, server: FeedServer, db: str) -> None:
    three_feeds(cli, server, db)
    assert cli("feeds", "disable", "1")[0] == 0
    status, out, _ = cli("refresh")
    assert status == 0
    assert out.startswith("Nothing to refresh: all 3 feeds skipped: 2 disabled, 1 backing off")


def test_an_unknown_feed_is_an_error(cli, server: FeedServer, db: str) -> None:
    three_feeds(cli, server, db)
    status, out, err = cli("refresh", "--feed", "999", "--feed", "1")
    assert (status, out) == (2, "")
    assert err == "aiwatch: No such feed: 999 (see `aiwatch feeds list`).\n"
    assert server.requests("/f1") == []  # nothing refreshed


def test_disabling_and_enabling_keeps_the_error_history(cli, server: FeedServer, db: str) -> None:
    three_feeds(cli, server, db)
    assert cli("feeds", "disable", "2")[0] == 0
    assert cli("feeds", "enable", "2")[0] == 0
    engine = make_engine(db)
    with session(engine) as s:
        feed = s.exec(select(Feed).where(Feed.id == 2)).one()
    engine.dispose()
    assert (feed.status, feed.error, feed.error_count) == ("error", "HTTP 503", 3)
    assert feed.retry_after is None and feed.enabled  # tried again at the next refresh
    status, out, _ = cli("refresh", "--feed", "2")
    assert status == 0 and out.startswith("1 feed: 1 ok")


async def test_refresh_all_in_the_feeds_screen_ignores_back_off(
    server: FeedServer, cli, db: str
) -> None:
    three_feeds(cli, server, db)
    engine = make_engine(db)
    settings = Settings(refresh=RefreshSettings(timeout=2, workers=0))
    app = make_app(engine=engine, settings=settings, load_bundled_seeds=False, live_reload=0)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("f")
            await pilot.pause()
            await pilot.press("a")
            await wait_for(pilot, lambda: any("2 feeds: 2 ok" in m for m in notified(app)))
            assert len(server.requests("/f2")) == 1
            assert any("skipped 1: 1 disabled" in m for m in notified(app)), notified(app)
    finally:
        engine.dispose()


@pytest.mark.parametrize("db", ["sqlite"], indirect=True)  # a folder is SQLite's alone
def test_an_explicit_database_in_a_missing_folder_is_an_error(cli, tmp_path: Path) -> None:
    missing = tmp_path / "no" / "such" / "dir" / "x.db"
    status, out, err = cli("feeds", "list", database=f"sqlite:///{missing}")
    assert (status, out) == (2, "")
    assert f"No folder {missing.parent} for the database x.db" in err and "--db" in err
    assert not (tmp_path / "no").exists()
    status, _, _ = cli("refresh", database=f"sqlite:///{missing}")
    assert status == 2 and not (tmp_path / "no").exists()


def test_the_default_database_folder_is_created(tmp_path: Path) -> None:
    path = default_database_path()  # under this test's own XDG_DATA_HOME
    assert not path.parent.exists()
    engine = make_engine(f"sqlite:///{path}")
    engine.dispose()
    assert path.is_file()


def test_skipped_feeds_are_described_with_the_earliest_retry(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TZ", "Europe/Paris")  # retry times are the reader's local time
    time.tzset()
    try:
        now = datetime(2025, 6, 2, 8, 0, tzinfo=UTC)
        skipped = [
            SkippedFeed(1, "a", "backing-off", now + timedelta(days=2)),
            SkippedFeed(2, "b", "backing-off", now + timedelta(minutes=30)),
            SkippedFeed(3, "c", "busy"),
            SkippedFeed(4, "d", "disabled"),
        ]
        assert describe_skipped(skipped, now=now) == (
            "1 disabled, 2 backing off (next retry 10:30), 1 being refreshed by another aiwatch"
        )
        later = [SkippedFeed(1, "a", "backing-off", now + timedelta(days=2))]
        assert describe_skipped(later, now=now) == "1 backing off (next retry Jun 04 10:00)"
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()
