"""An extractor that raises marks the article, is reported, and the article is retried."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import col, select

import aiwatch.feeds.extract
from aiwatch.feeds.knowledge.base import load_knowledge_base
from aiwatch.feeds.records import ArticleRecord, Extraction
from aiwatch.store.db import session
from aiwatch.store.models import Article
from aiwatch.tui.cli import main
from aiwatch.tui.screens.article import ArticleScreen
from aiwatch.tui.seeding import load_seeds
from aiwatch.tui.widgets.panel_rows import ERROR_MARK
from tests.feed_server import FeedServer, Reply, item, rss
from tests.tui_support import press, running, screen_text

REAL = aiwatch.feeds.extract.extract_article


def _fragile(record: ArticleRecord, kb: object) -> Extraction:
    if "boom" in record.title.lower():
        raise IndexError("list index out of range")
    return REAL(record, kb)  # type: ignore[arg-type]


@pytest.fixture
def fragile(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    monkeypatch.setattr(aiwatch.feeds.extract, "extract_article", _fragile)
    yield monkeypatch


def _errors(engine: Engine) -> dict[str, str]:
    with session(engine) as db:
        return {a.title: a.extraction_error for a in db.exec(select(Article))}


def test_seeding_marks_the_article_and_keeps_the_others(
    fragile: pytest.MonkeyPatch, tmp_path: Path, engine: Engine
) -> None:
    (tmp_path / "a.txt").write_text(
        "Boom: Meta and Midjourney\n\nNews Summary\nMeta partners with Midjourney.\n"
    )
    (tmp_path / "b.txt").write_text("Fine story\n\nNews Summary\nMeta partners with Midjourney.\n")
    report = load_seeds(engine, tmp_path, load_knowledge_base())
    assert (report.files, report.new) == (2, 2)
    assert report.errors == ("a.txt: extraction failed: IndexError: list index out of range",)
    assert _errors(engine) == {
        "Boom: Meta and Midjourney": "extraction failed: IndexError: list index out of range",
        "Fine story": "",
    }


def test_seeds_stored_unchanged_are_not_extracted_again(
    fragile: pytest.MonkeyPatch, tmp_path: Path, engine: Engine
) -> None:
    """Every start of the dashboard loads the seeds: only a new, changed or failed one is
    extracted again (the rules are not even imported for an unchanged folder)."""
    (tmp_path / "a.txt").write_text("Boom: Meta\n\nNews Summary\nMeta partners with Midjourney.\n")
    (tmp_path / "b.txt").write_text("Fine story\n\nNews Summary\nMeta partners with Midjourney.\n")
    kb = load_knowledge_base()
    assert load_seeds(engine, tmp_path, kb).new == 2
    seen: list[str] = []

    def counting(record: ArticleRecord, kb: object) -> Extraction:
        seen.append(record.title)
        return _fragile(record, kb)

    fragile.setattr(aiwatch.feeds.extract, "extract_article", counting)
    report = load_seeds(engine, tmp_path, kb)
    assert seen == ["Boom: Meta"]  # the failed one is retried, the fine one left alone
    assert (report.files, report.new) == (2, 0) and len(report.errors) == 1
    (tmp_path / "b.txt").write_text("Fine story\n\nNews Summary\nMeta partners with OpenAI.\n")
    (tmp_path / "a.txt").write_text("Fixed: Meta\n\nNews Summary\nMeta partners with Midjourney.\n")
    seen.clear()
    report = load_seeds(engine, tmp_path, kb)
    assert sorted(seen) == ["Fine story", "Fixed: Meta"] and report.changed == 2
    seen.clear()
    assert load_seeds(engine, tmp_path, kb).errors == () and seen == []
    assert _errors(engine) == {"Fixed: Meta": "", "Fine story": ""}


def test_refresh_reports_and_reextract_failed_retries_only_the_marked(
    fragile: pytest.MonkeyPatch,
    server: FeedServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    config = tmp_path / "config.toml"
    config.write_text("[refresh]\ntimeout = 2\nworkers = 0\n")
    monkeypatch.setenv("AIWATCH_CONFIG", str(config))
    db = f"sqlite:///{tmp_path / 'x.db'}"
    url = server.add("/feed", Reply(rss([item(1, title="Boom story"), item(2), item(3)])))
    assert main(["--db", db, "feeds", "add", url]) == 0
    capsys.readouterr()
    assert main(["--db", db, "refresh", "--json"]) == 0
    out, _ = capsys.readouterr()
    assert json.loads(out)["failed_extractions"] == 1
    assert main(["--db", db, "reextract", "--failed"]) == 1  # every one it tried failed
    out, err = capsys.readouterr()
    assert "Re-extracted 1 article(s): 1 failed" in out
    assert "failed: article 1: extraction failed: IndexError: list index out of range" in err
    monkeypatch.setattr(aiwatch.feeds.extract, "extract_article", REAL)
    assert main(["--db", db, "reextract", "--failed"]) == 0
    assert "Re-extracted 1 article(s): 0 failed" in capsys.readouterr().out
    assert main(["--db", db, "reextract", "--failed"]) == 0
    assert "Re-extracted 0 article(s)" in capsys.readouterr().out


def test_refresh_summary_line_counts_what_was_not_extracted(
    fragile: pytest.MonkeyPatch,
    server: FeedServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    config = tmp_path / "config.toml"
    config.write_text("[refresh]\ntimeout = 2\nworkers = 0\n")
    monkeypatch.setenv("AIWATCH_CONFIG", str(config))
    db = f"sqlite:///{tmp_path / 'y.db'}"
    url = server.add("/feed", Reply(rss([item(1, title="Boom story"), item(2)])))
    assert main(["--db", db, "feeds", "add", url]) == 0
    capsys.readouterr()
    assert main(["--db", db, "refresh"]) == 0
    out, err = capsys.readouterr()
    assert "1 not extracted (reextract --failed retries)" in out
    assert f"not extracted: {url}: 1 article(s)" in err


async def test_the_dashboard_marks_the_article_and_its_screen_shows_the_error(
    sqlite_engine: Engine, fragile: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / "a.txt").write_text(
        "Boom: a story\n\nNews Summary\nMeta partners with Midjourney.\n"
    )
    load_seeds(sqlite_engine, tmp_path, load_knowledge_base())
    with session(sqlite_engine) as db:
        assert db.exec(select(col(Article.extraction_error))).one()
    async with running(sqlite_engine) as (app, pilot):
        await press(app, pilot, "4")
        assert f"{ERROR_MARK}Boom: a story" in screen_text(app)
        await press(app, pilot, "enter")
        assert isinstance(app.screen, ArticleScreen)
        assert "Extraction failed: extraction failed: IndexError" in screen_text(app)
