"""User edits survive new articles, re-extraction and pruning."""

from __future__ import annotations

import re

import pytest
from sqlalchemy.engine import Engine

from aiwatch.store.db import session
from aiwatch.store.edits import EditError, apply_edit
from aiwatch.store.queries import load_dashboard
from aiwatch.store.reextract import finish_reextract, replace_extractions
from aiwatch.tui.cli import main
from tests.factories import ProductFact, article, deal, extraction, lawsuit, save


def test_edited_partnership_keeps_its_fields(engine: Engine) -> None:
    first = save(
        engine,
        article("a", "A"),
        extraction(partnerships=[deal("Meta", "Midjourney", "They partner.")]),
    )
    with session(engine) as db:
        (row,) = load_dashboard(db).partnerships
        apply_edit(db, "partnership", row.id, {"status": "ended", "focus": "video models"})
        db.commit()
    save(
        engine,
        article("b", "B"),
        extraction(partnerships=[deal("Meta", "Midjourney", "They expand.", status="expanded")]),
    )
    with session(engine) as db:
        replace_extractions(
            db, [(first.article_id, extraction(), "")]
        )  # the rules no longer find it here
        finish_reextract(db)
        db.commit()
        (row,) = load_dashboard(db).partnerships
    assert (row.status, row.focus, row.articles) == ("ended", "video models", 1)


def test_edited_record_is_not_pruned_when_unsupported(sqlite_engine: Engine) -> None:
    saved = save(
        sqlite_engine,
        article("a", "A"),
        extraction(partnerships=[deal("Meta", "Midjourney", "x.")]),
    )
    with session(sqlite_engine) as db:
        (row,) = load_dashboard(db).partnerships
        apply_edit(db, "partnership", row.id, {"kind": "content"})
        replace_extractions(db, [(saved.article_id, extraction(), "")])
        finish_reextract(db)
        db.commit()
        assert [p.kind for p in load_dashboard(db).partnerships] == ["content"]


@pytest.mark.parametrize(
    ("kind", "changes", "message"),
    [
        (
            "partnership",
            {"status": "maybe"},
            "'maybe' is not a partnership status; valid values: announced, expanded",
        ),
        ("partnership", {"kind": "friendship"}, "valid values: licensing, distribution, compute"),
        (
            "product",
            {"modality": "holographic"},
            "'holographic' is not a product modality; valid values: audio, code, image, multimodal, robotics, science, text, video",
        ),
        (
            "product",
            {"status": "rumoured"},
            "valid values: mentioned, hinted, announced, preview, released",
        ),
        ("case", {"stage": "pondering"}, "valid values: accusation, filed, motion-to-dismiss"),
        ("case", {"kind": "feud"}, "valid values: lawsuit, cease-and-desist, accusation"),
        ("partnership", {"colour": "red"}, "no editable field 'colour'"),
        ("widget", {"status": "x"}, "cannot edit 'widget'"),
        ("case", {"stage": "settled"}, "no case with id 99"),
    ],
)
def test_bad_edits_are_explained(
    sqlite_engine: Engine, kind: str, changes: dict[str, str], message: str
) -> None:
    save(
        sqlite_engine,
        article("a", "A"),
        extraction(
            partnerships=[deal("Meta", "Midjourney", "x.")],
            products=[ProductFact("Sora", "OpenAI", "video", "released", True, "Sora.")],
            cases=[lawsuit(("OpenAI",), "Sued.")],
        ),
    )
    with session(sqlite_engine) as db, pytest.raises(EditError, match=re.escape(message)):
        apply_edit(db, kind, 99 if changes == {"stage": "settled"} else 1, changes)


def test_cli_edit(
    sqlite_engine: Engine, sqlite_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    save(
        sqlite_engine,
        article("a", "A"),
        extraction(partnerships=[deal("Meta", "Midjourney", "x.")]),
    )
    assert main(["--db", sqlite_url, "edit", "partnership", "1", "status=ended"]) == 0
    assert "Updated partnership 1: status=ended" in capsys.readouterr().out
    assert main(["--db", sqlite_url, "edit", "partnership", "1", "status"]) == 2
    assert "expected FIELD=VALUE" in capsys.readouterr().err
