"""Names introduced as names: "a new AI system called "The AI Scientist"", "a startup named
Paytm", "its video tool, dubbed MovieGen".

The noun before the cue says what was named: a product noun (model, tool, feature,
assistant ...) makes a product, a company noun (startup, firm, lab ...) an organisation.
Only documents about AI are read.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from aiwatch.feeds.extract.discover.shapes import (
    COMPANY_NOUNS,
    NAME,
    PRODUCT_NOUNS,
    QUOTED,
    STOP,
    tidy_name,
)
from aiwatch.feeds.extract.names import Mention
from aiwatch.feeds.knowledge.base import ProductInfo

if TYPE_CHECKING:
    from aiwatch.feeds.extract.discover import Document

# Letter first, the word boundary after it (``c(?<!\w.)`` is ``\bc``): the regex engine then
# skips in C to the letters that can begin a cue.
_CUE = re.compile(
    r"(?:c(?<!\w.)alled|d(?<!\w.)ubbed|n(?<!\w.)amed|n(?<!\w.)icknamed|c(?<!\w.)ode-?named|"
    r"k(?<!\w.)nown\s+as|b(?<!\w.)randed(?:\s+as)?)\s+"
)
_CUE_WORDS = frozenset(
    {"called", "dubbed", "named", "nicknamed", "codenamed", "code", "known", "branded"}
)
_NOUN = re.compile(r"[\w-]+")


def _kind(before: str) -> str | None:
    """ "product" or "organisation", from the nouns just before the cue."""
    for word in reversed(_NOUN.findall(before.lower())[-7:]):
        if word in PRODUCT_NOUNS:
            return "product"
        if word in COMPANY_NOUNS:
            return "organisation"
    return None


def find(document: Document) -> list[Mention]:
    """Products and organisations introduced by name."""
    if not document.ai or _CUE_WORDS.isdisjoint(document.words.set):
        return []
    text = document.text
    found: list[Mention] = []
    for cue in _CUE.finditer(text):
        sentence = document.sentences[document.sentence_at(cue.start())]
        kind = _kind(text[max(sentence.start, cue.start() - 80) : cue.start()])
        if kind is None:
            continue
        quoted = QUOTED.match(text, cue.end())
        match = quoted or NAME.match(text, cue.end())
        if match is None:
            continue
        name = tidy_name(match.group("name"))
        if len(name) < 2 or name in STOP or (not quoted and not name[0].isupper()):
            continue
        start = text.find(name, match.start("name"))
        end = start + len(name)
        known = document.kb.lookup(name)
        if kind == "product":
            entity = known if isinstance(known, ProductInfo) else ProductInfo(name, "", "")
            found.append(
                Mention(start, end, entity.name, entity, found_by="" if known else "called")
            )
        elif known is None:
            found.append(Mention(start, end, name, None, found_by="called"))
    return found
