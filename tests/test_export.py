"""The export contract (DESIGN.md): JSON keys, CSV per kind, a Markdown brief with citations."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from sqlalchemy.engine import Engine

from aiwatch.store.db import session
from aiwatch.store.export import export_document, to_csv, to_json, to_markdown
from aiwatch.store.read_models import Filter
from aiwatch.tui.cli import main
from tests.factories import ProductFact, article, deal, extraction, lawsuit, save


def _data(engine: Engine) -> None:
    save(
        engine,
        article("a", "Meta and Midjourney team up", url="https://news.example/a"),
        extraction(
            "Meta",
            "Midjourney",
            partnerships=[deal("Meta", "Midjourney", "Meta partners with Midjourney.")],
            products=[ProductFact("Sora", "OpenAI", "video", "released", True, "OpenAI's Sora.")],
            cases=[lawsuit(("Midjourney",), "Midjourney was sued.", plaintiffs=("Disney",))],
            topics=["partnership"],
        ),
    )
    save(
        engine,
        article("b", '=HYPERLINK("http://evil") [x](javascript:alert(1))'),
        extraction("Getty Images"),
    )


def test_json_document_follows_the_contract(engine: Engine) -> None:
    _data(engine)
    with session(engine) as db:
        document = json.loads(to_json(export_document(db)))
    assert set(document) == {"articles", "partnerships", "products", "cases"}
    by_title = {a["title"]: a for a in document["articles"]}
    first = by_title["Meta and Midjourney team up"]
    assert set(first) >= {"id", "title", "url", "source", "published", "companies", "topics"}
    assert first["companies"] == ["Meta", "Midjourney"] and first["topics"] == ["partnership"]
    (partnership,) = document["partnerships"]
    assert set(partnership) >= {"parties", "focus", "status", "first_seen", "last_seen", "articles"}
    assert partnership["parties"] == ["Meta", "Midjourney"] and partnership["articles"] == [
        first["id"]
    ]
    (product,) = document["products"]
    assert (product["name"], product["company"], product["modality"], product["status"]) == (
        "Sora",
        "OpenAI",
        "video",
        "released",
    )
    (case,) = document["cases"]
    assert set(case) >= {
        "caption",
        "plaintiffs",
        "defendants",
        "court",
        "docket",
        "claims",
        "status",
        "articles",
    }
    assert (case["plaintiffs"], case["defendants"], case["claims"], case["status"]) == (
        ["Disney"],
        ["Midjourney"],
        ["copyright"],
        "filed",
    )


def test_export_respects_a_filter(engine: Engine) -> None:
    _data(engine)
    with session(engine) as db:
        document = export_document(db, Filter(company="Getty Images"))
    assert [a["companies"] for a in document["articles"]] == [["Getty Images"]]
    assert document["partnerships"] == [] and document["cases"] == []


def test_csv_one_file_per_kind_and_no_formulas(sqlite_engine: Engine) -> None:
    _data(sqlite_engine)
    with session(sqlite_engine) as db:
        files = to_csv(export_document(db))
    assert set(files) == {"articles.csv", "partnerships.csv", "products.csv", "cases.csv"}
    rows = list(csv.DictReader(io.StringIO(files["articles.csv"])))
    titles = {r["title"] for r in rows}
    assert '\'=HYPERLINK("http://evil") [x](javascript:alert(1))' in titles
    (deal_row,) = csv.DictReader(io.StringIO(files["partnerships.csv"]))
    assert deal_row["parties"] == "Meta; Midjourney"


def test_markdown_brief_cites_sources_and_escapes_data(sqlite_engine: Engine) -> None:
    _data(sqlite_engine)
    with session(sqlite_engine) as db:
        brief = to_markdown(export_document(db))
    assert "## Partnerships" in brief and "**Meta × Midjourney**" in brief
    assert (
        "[1]" in brief and "1. Meta and Midjourney team up (test) <https://news.example/a>" in brief
    )
    assert "[x](javascript:" not in brief


def test_cli_export_writes_each_format(
    tmp_path: Path, sqlite_engine: Engine, sqlite_url: str, capsys
) -> None:  # type: ignore[no-untyped-def]
    _data(sqlite_engine)
    assert main(["--db", sqlite_url, "export", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["partnerships"][0]["parties"] == [
        "Meta",
        "Midjourney",
    ]
    assert main(["--db", sqlite_url, "export", "--format", "csv", "-o", str(tmp_path / "out")]) == 0
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "articles.csv",
        "cases.csv",
        "partnerships.csv",
        "products.csv",
    ]
    assert (
        main(["--db", sqlite_url, "export", "--format", "md", "-o", str(tmp_path / "brief.md")])
        == 0
    )
    assert (tmp_path / "brief.md").read_text().startswith("# AI industry brief")
