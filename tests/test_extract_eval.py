"""Regression gate: relation F1 on the labelled evaluation set stays at or above 0.85."""

from __future__ import annotations

import pytest

from aiwatch.feeds.knowledge.base import load_knowledge_base
from tests.extraction_data.scoring import RELATIONS, Report, load_items, score


@pytest.fixture(scope="module")
def report() -> Report:
    return score(load_knowledge_base())


def test_the_set_is_large_and_varied() -> None:
    items = load_items()
    assert len(items) >= 150
    assert len({item["id"] for item in items}) == len(items)
    kinds = {item["kind"] for item in items}
    assert {
        "partnership",
        "launch",
        "lawsuit",
        "acquisition",
        "rumour",
        "negation",
        "non-ai-deal",
        "non-ai-lawsuit",
        "no-event",
    } <= kinds


@pytest.mark.parametrize("relation", RELATIONS)
def test_relation_f1(report: Report, relation: str) -> None:
    counts = report.by_relation[relation]
    assert counts.tp >= 50, "too few labelled relations to mean anything"
    assert counts.f1 >= 0.85, "\n".join(e for e in report.errors if relation in e)


def test_non_ai_items_stay_silent(report: Report) -> None:
    assert report.non_ai_items >= 25
    assert report.non_ai_share >= 0.97


def test_case_stages_mostly_right(report: Report) -> None:
    assert report.stage_total >= 30
    assert report.stage_matches / report.stage_total >= 0.85
