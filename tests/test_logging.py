"""The log: a file in the data folder for warnings and the dashboard's errors, stderr with --verbose."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest

import aiwatch.tui.app_reads as reads
from aiwatch.store.db import make_engine
from aiwatch.store.location import app_dir
from aiwatch.tui.app import make_app
from aiwatch.tui.cli import main
from aiwatch.tui.config import Settings
from aiwatch.tui.logs import log_path, setup_logging
from aiwatch.tui.messages import ArticleRequested
from tests.feed_server import FeedServer, Reply, item, rss


def test_the_log_file_is_in_the_data_folder() -> None:
    assert log_path() == app_dir("data") / "aiwatch.log"


def test_verbose_logs_the_refresh_to_stderr_and_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = f"sqlite:///{tmp_path / 'v.db'}"
    with FeedServer() as server:
        url = server.add("/feed", Reply(rss([item(1), item(2)])))
        assert main(["--db", db, "feeds", "add", url]) == 0
        capsys.readouterr()
        assert main(["--db", db, "--verbose", "refresh"]) == 0
    err = capsys.readouterr().err
    assert "aiwatch: INFO aiwatch.refresh: refreshing 1 of 1 subscribed feeds" in err
    assert f"aiwatch: INFO aiwatch.refresh: {url}: ok, 2 new, 0 changed articles" in err
    assert f"{url}: ok, 2 new" in log_path().read_text(encoding="utf-8")


def test_without_verbose_stderr_has_no_log_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = f"sqlite:///{tmp_path / 'q.db'}"
    with FeedServer() as server:
        url = server.add("/feed", Reply(rss([item(1)])))
        assert main(["--db", db, "feeds", "add", url]) == 0
        assert main(["--db", db, "refresh"]) == 0
    assert "aiwatch.refresh" not in capsys.readouterr().err
    assert not log_path().exists()  # nothing worth a warning: no file at all


async def test_a_dashboard_error_lands_in_the_log_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_args: Any) -> Any:
        raise RuntimeError("the article table \x1b[2Jfell over")

    monkeypatch.setattr(reads, "get_article", broken)
    setup_logging(verbose=0, to_stderr=False)  # as `aiwatch` sets it up for the dashboard
    engine = make_engine(f"sqlite:///{tmp_path / 'd.db'}")
    app = make_app(engine=engine, settings=Settings(), load_bundled_seeds=False, live_reload=0)
    async with app.run_test() as pilot:
        await app.workers.wait_for_complete()
        app.post_message(ArticleRequested(app, 1))
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
    engine.dispose()
    logging.getLogger("aiwatch").handlers[-1].flush()
    text = log_path().read_text(encoding="utf-8")
    assert "ERROR aiwatch.tui: Loading the article failed: RuntimeError" in text
    assert "Traceback (most recent call last)" in text and "in broken" in text
    assert "\x1b" not in text and "?[2Jfell over" in text  # no terminal escapes from data
