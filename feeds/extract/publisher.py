"""The organisation a feed speaks for: "we" in a company's own newsroom feed.

A company blog says "we've partnered with X" and "Introducing our new model" without
naming itself; its channel title ("Anthropic News") or its site's domain (``groq.com``)
does. News outlets, aggregators and publications are never the publisher of the stories
they carry: their "we" is a newsroom, not a party to a deal.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from aiwatch.feeds.knowledge.base import KnowledgeBase

# Outlets whose "we" is a newsroom: news and reference publishers, and the newsletters
# of course providers (The Batch of DeepLearning.AI).
_MEDIA_KINDS = frozenset({"news-publisher", "reference-publisher", "book-publisher", "education"})
# Words a channel title adds to the organisation's name.
_GENERIC = re.compile(
    r"\b(?:news(?:room)?|blog|press(?:\s+releases?)?|updates?|announcements?|stories|"
    r"insights|articles|posts|discover|research|all\s+content|feed|rss|official|the|"
    r"company|engineering)\b",
    re.IGNORECASE,
)
_NEWSROOM = re.compile(r"\b(?:news(?:room)?|blog|press)\b", re.IGNORECASE)
_TITLE_NAME = re.compile(r"^[A-Z][\w.&'-]*(?:\s+[A-Z][\w.&'-]*){0,2}$")
_HOST_NOISE = frozenset({"www", "blog", "blogs", "news", "newsroom", "press", "about", "m"})
_NOT_NAME = re.compile(r"[^a-z0-9]+")


def _host_labels(link: str) -> list[str]:
    try:
        host = (urlsplit(link).hostname or "").lower()
    except ValueError:
        return []
    labels = [label for label in host.split(".") if label and label not in _HOST_NOISE]
    return labels[:-1] if len(labels) > 1 else labels


def publisher_of(kb: KnowledgeBase, title: str, link: str | None) -> str:
    """The canonical name of the organisation a feed titled ``title`` at ``link`` speaks
    for, or ``""`` when it is an outlet, an aggregator or unknown."""
    title = (title or "").strip()[:200]
    pieces = [piece.strip() for piece in re.split(r"\s+[-|:–—]\s+|:\s+", title) if piece.strip()]
    labels = _host_labels(link or "")
    candidates: list[str] = []
    newsrooms: list[str] = []  # names that a title gives as "<name> News", "<name> Blog"
    for piece in pieces:
        bare = " ".join(_GENERIC.sub(" ", piece).split())
        if bare:
            candidates.append(bare)
            if _NEWSROOM.search(piece):
                newsrooms.append(bare)
    for name in [*candidates, *labels]:
        org = kb.organisation(name)
        if org is not None:
            return "" if org.kind in _MEDIA_KINDS else org.name
    # Open world: a title naming a company whose name is also its site's domain
    # ("Acme Robotics News" at acmerobotics.com) speaks for that company.
    squashed = {_NOT_NAME.sub("", label) for label in labels}
    for name in newsrooms:
        if _TITLE_NAME.match(name) and _NOT_NAME.sub("", name.lower()) in squashed:
            return name
    return ""
