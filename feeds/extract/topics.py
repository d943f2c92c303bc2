"""Topics: tags derived from the events found plus one keyword scan of the text."""

from __future__ import annotations

import re

from aiwatch.feeds.records import CaseFact, PartnershipFact, ProductFact

_KEYWORDS: dict[str, tuple[str, ...]] = {
    "video-generation": (
        "video generation",
        "text-to-video",
        "image-to-video",
        "video model",
        "video generator",
        "ai video",
        "video-generation",
    ),
    "image-generation": (
        "image generation",
        "text-to-image",
        "image generator",
        "image model",
        "ai image",
        "image-generation",
        "image creation",
    ),
    "music": ("music", "songs", "song", "lyrics", "record label", "record labels", "musicians"),
    "regulation": (
        "regulation",
        "regulator",
        "regulators",
        "regulatory",
        "ai act",
        "legislation",
        "executive order",
        "lawmakers",
        "congress",
        "bill",
        "antitrust",
        "policy",
    ),
    "funding": (
        "funding round",
        "funding",
        "raises",
        "valuation",
        "series a",
        "series b",
        "series c",
        "series d",
        "series e",
        "series f",
        "fundraising",
    ),
    "chips": (
        "chip",
        "chips",
        "gpu",
        "gpus",
        "semiconductor",
        "semiconductors",
        "tpu",
        "tpus",
        "accelerators",
        "data center",
        "data centers",
        "blackwell",
        "h100",
    ),
    "copyright": ("copyright", "copyrighted", "fair use", "infringement"),
    "acquisition": ("acquire", "acquires", "acquired", "acquisition", "merger", "merge", "buyout"),
    "open-source": ("open-source", "open source", "open-weight", "open weights", "open model"),
    "safety": ("ai safety", "safety", "misuse", "deepfake", "deepfakes"),
    "coding": ("coding", "code", "software engineer", "developers"),
}
_TOPIC_OF = {word: topic for topic, words in _KEYWORDS.items() for word in words}
# Keywords as sequences of \\w words, the way the document is tokenised ("text-to-video"
# is three words).
_SPLIT_WORDS = {word: tuple(re.findall(r"\w+", word)) for word in _TOPIC_OF}
_TOPIC_OF.update({" ".join(parts): _TOPIC_OF[word] for word, parts in _SPLIT_WORDS.items()})
_SINGLE = frozenset(parts[0] for parts in _SPLIT_WORDS.values() if len(parts) == 1)
_PAIRS = frozenset(parts for parts in _SPLIT_WORDS.values() if len(parts) == 2)
_TRIPLES = frozenset(parts for parts in _SPLIT_WORDS.values() if len(parts) == 3)
# The keywords of two or three words by their first word: (words, written with single spaces).
_SPACED_BY_FIRST = {
    first: tuple((k, " ".join(k)) for k in sorted(_PAIRS | _TRIPLES) if k[0] == first)
    for first in {k[0] for k in _PAIRS | _TRIPLES}
}
_PAIR_FIRSTS = frozenset(_SPACED_BY_FIRST)
_MODALITY_TOPIC = {
    "video": "video-generation",
    "image": "image-generation",
    "audio": "audio",
    "code": "coding",
}
ORDER = (
    "partnership",
    "product",
    "litigation",
    "video-generation",
    "image-generation",
    "music",
    "audio",
    "coding",
    "copyright",
    "regulation",
    "funding",
    "chips",
    "acquisition",
    "open-source",
    "safety",
)


def topics_of(
    words: list[str],
    partnerships: list[PartnershipFact],
    products: list[ProductFact],
    cases: list[CaseFact],
    *,
    ai_context: bool,
    distinct: frozenset[str] | None = None,
) -> tuple[str, ...]:
    """Topic tags, in a stable order; ``words`` are the lower-case words of the prose and
    ``distinct``, when the caller has it, their set (the keywords are looked up in the
    smaller of it and the table, instead of word by word)."""
    found: set[str] = set()
    if partnerships:
        found.add("partnership")
    if any(p.kind == "investment" for p in partnerships):
        found.add("funding")
    if any(p.status != "mentioned" for p in products):
        found.add("product")
    if cases:
        found.add("litigation")
    for product in products:
        if product.modality in _MODALITY_TOPIC:
            found.add(_MODALITY_TOPIC[product.modality])
    if ai_context:
        distinct = frozenset(words) if distinct is None else distinct
        found.update(_TOPIC_OF[word] for word in _SINGLE & distinct)
        # A keyword of several words is looked for only when all of them occur, and then
        # as a substring of the words joined by spaces (no word holds one): a search in C
        # instead of a look-up at every word.
        joined = ""
        for first in _PAIR_FIRSTS & distinct:
            for parts, keyword in _SPACED_BY_FIRST[first]:
                if distinct.issuperset(parts):
                    joined = joined or f" {' '.join(words)} "
                    if f" {keyword} " in joined:
                        found.add(_TOPIC_OF[keyword])
    return tuple(filter(found.__contains__, ORDER))
