"""`aiwatch export` tells you: names in any case, empty results said, a closed pipe is quiet."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime

import pytest
from sqlalchemy.engine import Engine

from aiwatch.store.db import session
from aiwatch.store.export import export_document, to_markdown
from aiwatch.store.read_models import Filter
from aiwatch.tui.cli import main
from tests.factories import article, deal, extraction, save


def _data(engine: Engine) -> None:
    save(
        engine,
        article("a", "Meta and Midjourney team up - a state-of-the-art deal"),
        extraction(
            "Meta",
            "Midjourney",
            partnerships=[deal("Meta", "Midjourney", "Meta partners with Midjourney.")],
            topics=["partnership"],
        ),
    )
    save(engine, article("b", "Getty Images files suit"), extraction("Getty Images"))


def test_company_and_topic_match_in_any_case(
    sqlite_engine: Engine, sqlite_url: str, capsys
) -> None:  # type: ignore[no-untyped-def]
    _data(sqlite_engine)
    assert (
        main(["--db", sqlite_url, "export", "--company", "midJOURNEY", "--topic", "PARTNERSHIP"])
        == 0
    )
    out = capsys.readouterr()
    assert '"Meta",\n        "Midjourney"' in out.out and out.err == ""


def test_unknown_company_is_said_with_suggestions(
    sqlite_engine: Engine, sqlite_url: str, capsys
) -> None:  # type: ignore[no-untyped-def]
    _data(sqlite_engine)
    assert main(["--db", sqlite_url, "export", "--company", "Midjurney"]) == 1
    out = capsys.readouterr()
    assert out.out == ""
    assert "no company matches 'Midjurney'" in out.err and "'Midjourney'" in out.err


def test_a_filter_that_leaves_nothing_is_said(
    sqlite_engine: Engine, sqlite_url: str, capsys
) -> None:  # type: ignore[no-untyped-def]
    _data(sqlite_engine)
    assert (
        main(["--db", sqlite_url, "export", "--company", "getty images", "--topic", "partnership"])
        == 0
    )
    assert (
        "nothing matches company 'Getty Images' and topic 'partnership'" in capsys.readouterr().err
    )


def test_markdown_brief_has_a_date_and_filter_header_and_keeps_hyphens(
    sqlite_engine: Engine,
) -> None:
    _data(sqlite_engine)
    with session(sqlite_engine) as db:
        filt = Filter(company="Meta")
        brief = to_markdown(
            export_document(db, filt), filt=filt, generated=datetime(2026, 1, 5, tzinfo=UTC)
        )
    header = brief.splitlines()[2]
    assert header.startswith("*2026-01-05 · Only company Meta · 1 partnerships")
    assert "Meta and Midjourney team up - a state-of-the-art deal" in brief
    assert "\\-" not in brief


@pytest.mark.parametrize("fmt", ["json", "md", "csv"])
def test_a_reader_that_closes_the_pipe_ends_the_export_quietly(
    sqlite_engine: Engine, sqlite_url: str, fmt: str
) -> None:
    _data(sqlite_engine)
    command = [
        sys.executable,
        "-m",
        "aiwatch",
        "--db",
        sqlite_url,
        "export",
        "--format",
        fmt,
    ]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None
    process.stdout.close()  # `| true`: the reader is gone before anything is written
    _, errors = process.communicate(timeout=60)
    assert process.returncode == 141 and errors == b"", errors


def test_a_query_exports_what_the_dashboards_search_shows(engine: Engine, capsys) -> None:  # type: ignore[no-untyped-def]
    """``--query`` is the ``/`` language: fields, a phrase, OR and negation, on both databases."""
    _data(engine)
    url = engine.url.render_as_string(hide_password=False)

    def titles(query: str) -> list[str]:
        assert main(["--db", url, "export", "--query", query]) == 0
        return sorted(a["title"] for a in json.loads(capsys.readouterr().out)["articles"])

    deal_title = "Meta and Midjourney team up - a state-of-the-art deal"
    assert titles('company:meta topic:partnership "team up"') == [deal_title]
    assert titles("getty OR midjourney") == sorted([deal_title, "Getty Images files suit"])
    assert titles("(suit OR deal) -getty") == [deal_title]
    assert titles("suit OR deal -getty") == sorted([deal_title, "Getty Images files suit"])
    [partnership] = json.loads(
        (main(["--db", url, "export", "--query", "company:midjourney"]), capsys.readouterr())[1].out
    )["partnerships"]
    assert partnership["parties"] == ["Meta", "Midjourney"]
    assert main(["--db", url, "export", "--query", "after:yesterday"]) == 2
    out = capsys.readouterr()
    assert out.out == "" and "cannot read --query: Not a date: 'yesterday'" in out.err
