"""The organisation a feed speaks for, from its channel title or its domain."""

from __future__ import annotations

import pytest

from aiwatch.feeds.extract.publisher import publisher_of
from aiwatch.feeds.knowledge.base import KnowledgeBase, load_knowledge_base


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_knowledge_base()


@pytest.mark.parametrize(
    ("title", "link", "publisher"),
    [
        ("Anthropic News", "https://www.anthropic.com/news", "Anthropic"),
        ("Google DeepMind Blog", "https://deepmind.google/discover/blog/", "Google"),
        ("", "https://groq.com/news/", "Groq"),  # no title: the domain says it
        ("Acme Robotics Newsroom", "https://www.acmerobotics.com/", "Acme Robotics"),
        ("Acme Robotics", "https://acmerobotics.com/", ""),  # not a newsroom title
        ("Ars Technica - All content", "https://arstechnica.com", ""),  # an outlet
        ("The New York Times > Technology", "https://www.nytimes.com/", ""),
        ("Hacker News - Front Page", "https://news.ycombinator.com/", ""),  # an aggregator
        ("NPR Topics: News", "https://www.npr.org/", ""),
        ("\x1b[31mOpenAI\x1b[0m", "javascript:alert(1)", ""),
        ("", "http://[::1", ""),  # a URL that does not parse
    ],
)
def test_publisher(kb: KnowledgeBase, title: str, link: str, publisher: str) -> None:
    assert publisher_of(kb, title, link) == publisher
