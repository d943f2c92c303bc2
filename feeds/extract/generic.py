"""Generic product phrases: "Midjourney's new AI video model", "... its new video model".

A phrase names a product only when a knowledge-base product of the possessor lists it in
``generic``; "its" is the sentence's first organisation (its grammatical subject).
"""

from __future__ import annotations

import re

from aiwatch.feeds.extract.masks import lower_re
from aiwatch.feeds.extract.names import Mention
from aiwatch.feeds.extract.sentences import Sentence
from aiwatch.feeds.knowledge.base import KnowledgeBase, ProductInfo


class _GenericIndex:
    def __init__(self, kb: KnowledgeBase) -> None:
        self.by_maker: dict[tuple[str, str], ProductInfo] = {}
        heads: set[str] = set()
        for product in kb.products():
            for phrase in product.generic:
                key = (product.maker, phrase.lower())
                best = self.by_maker.get(key)
                if best is None or (product.year or 0) > (best.year or 0):
                    self.by_maker[key] = product
                heads.add(phrase.lower())
        self.heads = tuple(sorted(heads, key=len, reverse=True))  # a match contains one
        alternatives = "|".join(re.escape(h) for h in self.heads)
        self.pattern = lower_re(
            r"(?:(?P<poss>'s?)|\b(?P<its>its|their))\s+(?:[\w-]+\s+){0,4}?(?P<head>"
            + (alternatives or "(?!x)x")
            + r")\b"
        )


def generic_mentions(kb: KnowledgeBase, sentence: Sentence, inside: list[Mention]) -> list[Mention]:
    """Products named only as "<Org>'s new video model" or "its new AI video model"."""
    index = kb.derived(_GenericIndex)
    orgs = [m for m in inside if m.is_org and m.entity is not None]
    text = sentence.text
    if (
        not orgs
        or ("model" not in text and "generator" not in text)
        or not any(map(text.__contains__, index.heads))  # the tests in C
    ):
        return []
    found: list[Mention] = []
    for match in index.pattern.finditer(text):
        at = sentence.start + match.start()
        if match.group("poss"):
            owner = next((m for m in orgs if m.end == at), None)
        else:
            owner = next((m for m in orgs if m.start < at), None)
        if owner is None:
            continue
        product = index.by_maker.get((owner.name, match.group("head").lower()))
        start, end = sentence.start + match.start("head"), sentence.start + match.end("head")
        if product and not any(m.start < end and start < m.end for m in inside):
            found.append(Mention(start, end, product.name, product))
    return found
