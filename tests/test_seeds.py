"""The seed parser: the reference file and the variants real seed folders contain."""

from __future__ import annotations

from pathlib import Path

import pytest

from aiwatch.feeds.sources.seeds import (
    SeedError,
    bundled_seed_dir,
    load_seed_dir,
    load_seed_file,
    parse_insights,
    parse_seed_text,
)

REFERENCE = bundled_seed_dir() / "000_54de52ff19631516.txt"


def test_reference_seed_title_sections_and_insights() -> None:
    record = load_seed_file(REFERENCE)
    assert record.title == "Meta Teams Up With Midjourney for Future Creative AI Models"
    assert [s.name for s in record.sections] == ["News Summary", "Background"]
    assert record.summary.startswith("Meta has announced a partnership with Midjourney AI")
    assert record.source == "seed:000_54de52ff19631516.txt"
    questions = [i.question for i in record.insights]
    assert questions == [
        "What are the core strategic drivers behind Meta's move, beyond simply catching up to competitors?",
        "Why did Midjourney choose to partner with Meta, and what are the implicit impacts on its own development?",
        "What ripple effects will this partnership have on the broader generative AI industry, "
        "particularly concerning AI model training data copyright issues?",
    ]
    assert [len(i.points) for i in record.insights] == [3, 3, 3]
    for insight in record.insights:
        for point in insight.points:
            assert not any(q in point for q in questions), point
            assert not point.startswith("-")
    assert record.insights[0].points[2].endswith("pave the way for commercializing AI content.")
    assert (
        record.insights[2].points[2].endswith("the Trump administration's stance on AI regulation.")
    )


def test_seed_is_shipped_with_the_package() -> None:
    assert REFERENCE.is_file()
    assert [a.entry_key for a in load_seed_dir(bundled_seed_dir()).articles] == [REFERENCE.name]


def test_crlf_and_bom_give_the_same_article(tmp_path: Path) -> None:
    raw = REFERENCE.read_bytes()
    variant = tmp_path / REFERENCE.name
    variant.write_bytes(b"\xef\xbb\xbf" + raw.replace(b"\n", b"\r\n"))
    original, crlf = load_seed_file(REFERENCE), load_seed_file(variant)
    assert crlf == original
    assert crlf.content_hash == original.content_hash


def test_missing_sections_and_no_insights(tmp_path: Path) -> None:
    path = tmp_path / "plain.txt"
    path.write_text("OpenAI ships a thing\nOpenAI released a new model today. It is fast.\n")
    record = load_seed_file(path)
    assert record.title == "OpenAI ships a thing"
    assert record.insights == ()
    assert record.summary == "OpenAI released a new model today. It is fast."


def test_markdown_seed_with_multiline_insights(tmp_path: Path) -> None:
    path = tmp_path / "note.md"
    path.write_text(
        "# Anthropic and Amazon deepen ties\n\n## News Summary\nAmazon invested in Anthropic.\n\n"
        "## In-Depth AI Insights\nWhy does it matter?\n- Compute is scarce.\n- Distribution matters.\n"
        "What next?\n- More deals.\n"
    )
    record = load_seed_file(path)
    assert record.title == "Anthropic and Amazon deepen ties"
    assert [(i.question, i.points) for i in record.insights] == [
        ("Why does it matter?", ("Compute is scarce.", "Distribution matters.")),
        ("What next?", ("More deals.",)),
    ]


def test_bad_files_are_reported_and_the_rest_still_load(tmp_path: Path) -> None:
    (tmp_path / "a_good.txt").write_text("A title\nBackground\nSome text.")
    (tmp_path / "b_latin1.txt").write_bytes("Caf\xe9 title\n".encode("latin-1"))
    (tmp_path / "c_empty.md").write_text("\n\n")
    (tmp_path / "d_ignored.pdf").write_bytes(b"%PDF")
    unreadable = tmp_path / "e_dir.txt"
    unreadable.mkdir()
    result = load_seed_dir(tmp_path)
    assert [a.title for a in result.articles] == ["A title"]
    assert len(result.errors) == 3
    assert any("b_latin1.txt: not UTF-8 text (byte 0xe9 at offset 3)" in e for e in result.errors)
    assert any("c_empty.md: empty file" in e for e in result.errors)
    assert any(e.startswith("e_dir.txt: cannot read") for e in result.errors)


def test_hostile_title_is_plain_text(tmp_path: Path) -> None:
    record = parse_seed_text(
        "[bold]x[/] \x1b[2J\x1b]0;pwned\x07 [@click=app.quit]y\u202e\nBody text.", name="h.txt"
    )
    assert record.title == "[bold]x[/] [@click=app.quit]y"


def test_oversized_seed_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_bytes(b"x" * (2 * 1024 * 1024 + 10))
    with pytest.raises(SeedError, match=r"big\.txt: larger than 2 MiB"):
        load_seed_file(path)


def test_question_with_hyphenated_words_in_points() -> None:
    insights = parse_insights(
        "Is it state-of-the-art? - Yes, a Meta-Midjourney tie-up. - Maybe. Who wins? - Users."
    )
    assert [(i.question, len(i.points)) for i in insights] == [
        ("Is it state-of-the-art?", 2),
        ("Who wins?", 1),
    ]
