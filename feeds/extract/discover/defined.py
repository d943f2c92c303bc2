"""Names a sentence defines as products, and coined names placed as products.

- "Muse Spark is a natively multimodal reasoning model": a capitalised name at the start
  of a clause, defined by "is a ... <product noun>";
- "DeepSeek's DSpark", "Google's NotebookLM": a coined spelling after a company's
  possessive;
- "EuroLLM: LLM made in Europe ...": a coined spelling opening a headline before its
  colon.

Only documents about AI are read.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from aiwatch.feeds.extract.discover.shapes import NAME_STOP, PRODUCT_NOUNS, is_coined
from aiwatch.feeds.extract.names import Mention
from aiwatch.feeds.knowledge.base import OrgInfo, ProductInfo

if TYPE_CHECKING:
    from aiwatch.feeds.extract.discover import Document

_NOUNS = "|".join(sorted(PRODUCT_NOUNS, key=len, reverse=True))
_DEFINED = re.compile(
    r"(?:^|(?<=[.:;]\s)|(?<=,\s)(?=[A-Z][\w-]*[A-Z0-9]))"  # a clause's start
    r"([A-Z][\w.+-]*(?:\s+[A-Z0-9][\w.+-]*){0,3})"
    r"\s+(?:is|are)\s+(?:a|an)\s+(?:[\w/-]+\s+){0,6}?(?:" + _NOUNS + r")\b"
)
_POSSESSIVE = re.compile(r"['’]s\s+$")
_NEWS_ZONES = frozenset({"title", "headline", "lead"})


def _defined(document: Document, found: list[Mention]) -> None:
    text = document.text
    if " is a" not in text and " is an" not in text and " are a" not in text:
        return
    for sentence in document.sentences:
        sentence_text = sentence.text
        # An ASCII sentence's only white space is one space (see `normalize`), so there
        # the pattern needs " is a" or " are a": a substring test spares a regex that,
        # starting with look-behinds, is tried at every character.
        if (
            sentence_text.isascii()
            and " is a" not in sentence_text
            and " are a" not in sentence_text
        ):
            continue
        for match in _DEFINED.finditer(sentence_text):
            name = match.group(1)
            words = name.split()
            if words[0] in NAME_STOP or len(name) < 3:
                continue
            start = sentence.start + match.start(1)
            if document.kb.lookup(name) is not None:
                continue
            found.append(
                Mention(
                    start, start + len(name), name, ProductInfo(name, "", ""), found_by="defined"
                )
            )


def _coined(document: Document, found: list[Mention]) -> None:
    shaped = document.shaped()
    if not shaped:
        return  # no coined name: the owners go unread
    text = document.text
    owners = {m.end: m for m in document.known if isinstance(m.entity, OrgInfo)}
    for match in shaped:
        start, end = match.start(), match.end()
        possessive = _POSSESSIVE.search(text, max(0, start - 4), start)
        owner = owners.get(possessive.start()) if possessive else None
        if owner is None and text[end : end + 1] != ":":
            continue
        word = match.group()
        if not is_coined(word) or word.isupper():
            continue
        sentence = document.sentences[document.sentence_at(start)]
        opens = start == sentence.start
        if (owner is None and not opens) or sentence.zone not in _NEWS_ZONES:
            continue
        if document.kb.lookup(word) is not None:
            continue
        maker = owner.name if owner is not None else ""
        found.append(Mention(start, end, word, ProductInfo(word, maker, ""), found_by="coined"))


def find(document: Document) -> list[Mention]:
    """Products defined as such, and coined names placed as products."""
    if not document.ai:
        return []
    found: list[Mention] = []
    _defined(document, found)
    _coined(document, found)
    return found
