"""Parties to cases and deals that are no AI company: people, governments, classes, unnamed
defendants, and sources that are no party at all."""

from __future__ import annotations

import pytest

from aiwatch.feeds.extract import extract_text
from aiwatch.feeds.knowledge.base import KnowledgeBase, load_knowledge_base


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_knowledge_base()


def cases(
    kb: KnowledgeBase, text: str, title: str = ""
) -> list[tuple[tuple[str, ...], tuple[str, ...], bool]]:
    found = extract_text(text, kb, title=title)
    return [(c.plaintiffs, c.defendants, c.reported) for c in found.cases]


@pytest.mark.parametrize(
    ("text", "plaintiffs", "defendants"),
    [
        (
            "Elon Musk sued OpenAI and Microsoft over its for-profit turn.",
            ("Elon Musk",),
            ("Microsoft", "OpenAI"),
        ),
        (
            "Texas sues Meta over AI chatbots that posed as therapists.",
            ("State of Texas",),
            ("Meta",),
        ),
        (
            "Girls accuse xAI of building nudify tools in a class action lawsuit.",
            ("girls",),
            ("xAI",),
        ),
        (
            "Microsoft sues individuals who ran a scheme to abuse its AI services.",
            ("Microsoft",),
            ("unnamed defendants",),
        ),
    ],
)
def test_plaintiffs_who_are_no_company(
    kb: KnowledgeBase, text: str, plaintiffs: tuple[str, ...], defendants: tuple[str, ...]
) -> None:
    assert cases(kb, text) == [(plaintiffs, defendants, True)]


def test_a_place_is_no_party(kb: KnowledgeBase) -> None:
    found = extract_text("OpenAI opened an office in Texas and Japan to sell ChatGPT.", kb)
    assert {c.name for c in found.companies} == {"OpenAI"}


def test_people_are_people_not_companies_nor_deal_parties(kb: KnowledgeBase) -> None:
    found = extract_text("Sam Altman and Microsoft announced a partnership on AI chips.", kb)
    assert "Sam Altman" in found.people and "Sam Altman" not in {c.name for c in found.companies}
    assert all("Sam Altman" not in p.parties for p in found.partnerships)


def test_plaintiffs_named_in_one_sentence_join_the_defendants_named_in_the_next(
    kb: KnowledgeBase,
) -> None:
    text = (
        "Artists defending a class-action lawsuit claim a major win this week. "
        "A judge denied motions to dismiss from Stability AI and Midjourney."
    )
    assert cases(kb, text) == [(("artists",), ("Midjourney", "Stability AI"), True)]


def test_a_source_reporting_a_case_is_no_party(kb: KnowledgeBase) -> None:
    text = "The jury found Meta not liable for the claims that authors brought against OpenAI, the NYT reported."
    assert all("The New York Times" not in d for _, d, _ in cases(kb, text))


def test_an_accusation_without_legal_action_is_no_case(kb: KnowledgeBase) -> None:
    found = cases(kb, "Anthropic accused DeepSeek of distilling its models through fake accounts.")
    assert all(not reported for _, _, reported in found)
    sued = cases(kb, "Authors accused Meta of piracy for AI training in a class action lawsuit.")
    assert sued and all(reported for _, _, reported in sued)


@pytest.mark.parametrize(
    "text",
    [
        "Siemens's use of AI robots in Ohio - a step beyond pilots such as BMW's trial of Figure's"
        " humanoids - shows they can work.",
        "Toyota's use of AI robots goes beyond BMW's trial of Figure's humanoids.",
        "Nvidia started a clinical trial of an AI model that reads scans.",
        "Meta offers a free trial of its AI glasses, a step Google's team fought for.",
        "Agility Robotics faces industrial competition from Figure AI.",
    ],
)
def test_a_trial_that_is_a_test_is_no_case(kb: KnowledgeBase, text: str) -> None:
    assert extract_text(text, kb).cases == ()


def test_a_trial_in_court_is_a_case(kb: KnowledgeBase) -> None:
    found = extract_text("OpenAI must face trial over the books it copied, a judge said.", kb)
    assert [c.defendants for c in found.cases] == [("OpenAI",)]
