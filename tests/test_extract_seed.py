"""Golden test: the reference article yields exactly the records a careful reader gets."""

from __future__ import annotations

from pathlib import Path

import pytest

from aiwatch.feeds.extract import extract_article, extract_text
from aiwatch.feeds.knowledge.base import KnowledgeBase, load_knowledge_base
from aiwatch.feeds.records import ArticleRecord, Extraction
from aiwatch.feeds.sources.seeds import parse_seed_text

SEED = Path(__file__).resolve().parent.parent / "seeds" / "000_54de52ff19631516.txt"


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_knowledge_base()


@pytest.fixture(scope="module")
def article() -> ArticleRecord:
    return parse_seed_text(SEED.read_text(encoding="utf-8"), name=SEED.name)


@pytest.fixture(scope="module")
def extraction(article: ArticleRecord, kb: KnowledgeBase) -> Extraction:
    return extract_article(article, kb)


def test_the_seed_parses_into_sections_and_insights(article: ArticleRecord) -> None:
    assert [s.name for s in article.sections] == ["News Summary", "Background"]
    assert [len(i.points) for i in article.insights] == [3, 3, 3]


def test_exactly_one_partnership_meta_midjourney(extraction: Extraction) -> None:
    (partnership,) = extraction.partnerships
    assert partnership.parties == ("Meta", "Midjourney")
    assert partnership.certainty == "fact"
    assert partnership.status == "announced"
    assert partnership.kind == "research"
    assert "future creative AI models" in partnership.focus
    assert "video generation" in partnership.focus
    assert "insight" not in partnership.focus and "R&D" not in partnership.focus


def test_exactly_the_five_products(extraction: Extraction) -> None:
    found = {(p.name, p.maker, p.modality, p.status) for p in extraction.products}
    assert found == {
        ("Sora", "OpenAI", "video", "mentioned"),
        ("Veo 3", "Google", "video", "mentioned"),
        ("MovieGen", "Meta", "video", "hinted"),
        ("Llama", "Meta", "text", "mentioned"),
        ("Midjourney Video", "Midjourney", "video", "mentioned"),
    }
    assert not any(p.is_launch for p in extraction.products)


def test_two_cases_one_per_defendant(extraction: Extraction) -> None:
    cases = {case.defendants: case for case in extraction.cases}
    assert set(cases) == {("Meta",), ("Midjourney",)}
    meta, midjourney = cases[("Meta",)], cases[("Midjourney",)]
    assert (meta.stage, meta.ruling) == ("ruling", "fair use")
    assert (midjourney.stage, midjourney.ruling) == ("filed", None)
    for case in (meta, midjourney):
        assert case.claims == ("copyright",)
        assert case.kind == "lawsuit" and case.certainty == "fact"
        assert case.caption is None and case.plaintiffs == ()
        assert "embroiled in copyright infringement lawsuits" in case.evidence


def test_companies_resolve_aliases_and_twitter_is_x(extraction: Extraction) -> None:
    names = [c.name for c in extraction.companies]
    assert names[:2] == ["Meta", "Midjourney"]
    assert {"Meta", "Midjourney", "OpenAI", "Google", "X"} == set(names)
    assert "Twitter" not in names and "Midjourney AI" not in names
    assert all(c.verified for c in extraction.companies)
    assert {c.name: c.kind for c in extraction.companies}["Midjourney"] == "ai-lab"


def test_topics_people_and_key_points(extraction: Extraction) -> None:
    assert {"partnership", "product", "litigation", "video-generation", "copyright"} <= set(
        extraction.topics
    )
    assert "chips" not in extraction.topics and "music" not in extraction.topics
    assert extraction.people == ("Alexandr Wang", "Donald Trump")  # "the Trump administration"
    assert extraction.key_points[0].startswith("Meta has announced a partnership with Midjourney")
    assert len(extraction.key_points) == len(set(extraction.key_points)) <= 5
    assert not any("?" in point for point in extraction.key_points)


def test_insight_speculation_creates_no_partnership_between_unnamed_parties(
    kb: KnowledgeBase,
) -> None:
    text = (
        "The Meta-Midjourney partnership could prompt more AI giants and startups to consider "
        "strategic collaborations or licensing agreements to acquire advanced models."
    )
    found = extract_text(text, kb)
    assert [p.parties for p in found.partnerships] == [("Meta", "Midjourney")]


def test_embroiled_sentence_is_not_a_partnership(kb: KnowledgeBase) -> None:
    text = (
        "However, both Midjourney and Meta have been embroiled in copyright infringement lawsuits."
    )
    found = extract_text(text, kb)
    assert found.partnerships == ()
    assert sorted(c.defendants for c in found.cases) == [("Meta",), ("Midjourney",)]


def test_the_plain_seed_text_gives_the_same_events(
    kb: KnowledgeBase, extraction: Extraction
) -> None:
    lines = SEED.read_text(encoding="utf-8").split("\n")
    plain = extract_text("\n".join(lines[1:]), kb, title=lines[0])
    assert [p.parties for p in plain.partnerships] == [("Meta", "Midjourney")]
    assert {p.name for p in plain.products} == {p.name for p in extraction.products}
    assert {c.defendants for c in plain.cases} == {c.defendants for c in extraction.cases}
