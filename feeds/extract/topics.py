"""Topics: tags derived from the events found plus one keyword scan of the text."""

from __future__ import annotations

import re
from itertools import pairwise

from feeds.records import CaseFact, PartnershipFact, ProductFact

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
_SINGLE = frozenset(word for word in _TOPIC_OF if " " not in word)
_PAIRS = frozenset(tuple(word.split()) for word in _TOPIC_OF if " " in word)
_TOKENS = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
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
    text: str,
    partnerships: list[PartnershipFact],
    products: list[ProductFact],
    cases: list[CaseFact],
    *,
    ai_context: bool,
) -> tuple[str, ...]:
    """Topic tags, in a stable order."""
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
        tokens = _TOKENS.findall(text.lower())
        found.update(_TOPIC_OF[word] for word in _SINGLE.intersection(tokens))
        pairs = _PAIRS.intersection(pairwise(tokens))
        found.update(_TOPIC_OF[" ".join(pair)] for pair in pairs)
    return tuple(topic for topic in ORDER if topic in found)
