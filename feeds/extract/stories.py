"""Where an article reports its news: the lead of each story.

A fact is *reported* by an article when the article tells it as its news, and only
*mentioned* when it comes up in passing. The news is told in the lead: the headline, the
dek and the first paragraphs. A long item may hold several stories (a newsletter issue:
a letter, then headline, dek, "What's new:" and details for each story); each story has
a lead of its own, and the letter, the details and the background are the body.

`zoned` splits an article's parts into paragraphs marked ``title``, ``headline`` (a
story's own headline inside a longer item), ``lead``, ``body`` or ``insight``.
"""

from __future__ import annotations

import re

LONG = 6_000
"""A body longer than this many characters has a lead shorter than the whole of it."""
LEAD_PARAGRAPHS = 3
"""Paragraphs of a single story that belong to its lead (a feed's summary is all lead)."""
STORY_LEAD = 2
"""Paragraphs after a story's headline that belong to its lead (dek, "What's new")."""
_LABEL = re.compile(r"^([A-Z][\w'’ ,/&-]{1,28}):\s")
# Labelled paragraphs that report ("What's new: ..."); any other label is detail or
# background ("How it works:", "Behind the news:", "Why it matters:").
_NEWS_LABEL = re.compile(r"\bnew\b|\bnews\b|\bhappened\b|\bannounce", re.IGNORECASE)
_SENTENCE_END = frozenset('.!?"”’)')
_HEADLINE_END = re.compile(r"[.,;:\"”’)]$")


def _is_headline(line: str, following: str) -> bool:
    """A short line without closing punctuation, followed by a paragraph of prose."""
    words = line.split()
    return (
        2 <= len(words) <= 18
        and len(line) <= 140
        and not _HEADLINE_END.search(line)
        and line[:1].isupper()
        and len(following) >= 30
        and following.rstrip()[-1:] in _SENTENCE_END
        and not _LABEL.match(line)
    )


def _story_zones(lines: list[str]) -> list[str] | None:
    """Zones of a body made of several stories, or None when it is one story."""
    headlines = [
        i for i, line in enumerate(lines) if i + 1 < len(lines) and _is_headline(line, lines[i + 1])
    ]
    if len(headlines) < 2:
        return None
    zones = ["body"] * len(lines)
    for start in headlines:
        zones[start] = "headline"
        taken = 0
        for i in range(start + 1, len(lines)):
            if i in headlines or taken == STORY_LEAD:
                break
            label = _LABEL.match(lines[i])
            if label and not _NEWS_LABEL.search(label.group(1)):
                continue  # a detail paragraph between the dek and the news
            zones[i] = "lead"
            taken += 1
    return zones


def zoned(parts: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """``(zone, text)`` parts with the first body part split into lead and body paragraphs.

    A ``summary`` part (a feed item's dek) is lead; the first ``body`` part is the
    article's main text (a seed's "News Summary", a feed item's content), all lead unless
    it is long; later body parts (a seed's "Background") are body.
    """
    result: list[tuple[str, str]] = []
    first_body = True
    for zone, text in parts:
        if zone == "summary":
            result.append(("lead", text))
            continue
        if zone != "body":
            result.append((zone, text))
            continue
        if not first_body:
            result.append(("body", text))
            continue
        first_body = False
        if len(text) <= LONG:
            result.append(("lead", text))
            continue
        lines = [line for line in text.split("\n") if line.strip()]
        zones = _story_zones(lines) or [
            "lead" if i < LEAD_PARAGRAPHS else "body" for i in range(len(lines))
        ]
        result.extend(zip(zones, lines, strict=True))
    return result
