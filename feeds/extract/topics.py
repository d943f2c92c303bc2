"""Topics: tags derived from the events found plus one keyword scan of the text."""

from __future__ import annotations

import re
from itertools import compress

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
_TRIPLE_STARTS = frozenset(parts[:2] for parts in _TRIPLES)
_PAIRS_AND_STARTS = _PAIRS | _TRIPLE_STARTS  # found in one pass over the word pairs
_PAIR_FIRSTS = frozenset(first for first, _ in _PAIRS_AND_STARTS)
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


def _triples(words: list[str]) -> set[tuple[str, str, str]]:
    return set(zip(words, words[1:], words[2:], strict=False))


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
        singles = _SINGLE.intersection(words if distinct is None else distinct)
        found.update(_TOPIC_OF[word] for word in singles)
        # the pairs starting at a word that starts some keyword pair, picked out in C
        starts = compress(range(len(words) - 1), map(_PAIR_FIRSTS.__contains__, words))
        pairs = _PAIRS_AND_STARTS.intersection([(words[i], words[i + 1]) for i in starts])
        found.update(_TOPIC_OF[" ".join(pair)] for pair in pairs & _PAIRS)
        if not _TRIPLE_STARTS.isdisjoint(pairs):
            found.update(_TOPIC_OF[" ".join(t)] for t in _TRIPLES.intersection(_triples(words)))
    return tuple(filter(found.__contains__, ORDER))
