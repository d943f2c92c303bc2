"""Numbered names of families the knowledge base has never seen: "Composer 2.5", "AFM 3 Core
Advanced", "Seedream 5".

A capitalised word (or acronym) followed by a version is a product's shape, but also a
law's ("Section 230"), a rocket's ("Starship V3") or a counter's ("Phase 2"). So only
documents about AI are read, and the name must be placed as a product: after its maker's
possessive ("Cursor's Composer 2.5") or defined as one where it stands ("AFM 3 Core
Advanced, a model designed to ...", "X is a speech-to-speech model").
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from aiwatch.feeds.extract.discover.shapes import PRODUCT_NOUNS, STOP
from aiwatch.feeds.extract.discover.versions import extend
from aiwatch.feeds.extract.names import Mention
from aiwatch.feeds.knowledge.base import ProductInfo

if TYPE_CHECKING:
    from aiwatch.feeds.extract.discover import Document

# At a position, or (text that is not ASCII) searched: the look-behind after the capital,
# so that the search skips in C from capital to capital instead of trying every character.
_CANDIDATE = re.compile(r"([A-Z](?<![\w.-].)[A-Za-z]{1,20})(?=[ -]?\d)")
_COUNTERS = frozenset(
    [
        "Section",
        "Chapter",
        "Title",
        "Article",
        "Phase",
        "Stage",
        "Level",
        "Class",
        "Type",
        "Round",
        "Top",
        "Fortune",
        "Part",
        "Version",
        "Volume",
        "Episode",
        "Season",
        "Day",
        "Week",
        "Year",
        "Number",
        "No",
        "Page",
        "Figure",
        "Table",
        "Rule",
        "Grade",
        "Step",
        "Tier",
        "Category",
        "Gen",
        "Generation",
        "Series",
        "Model",
        "Covid",
        "COVID",
        "Area",
        "Zone",
        "Route",
        "Highway",
        "Interstate",
        "Flight",
        "Mission",
        "Apollo",
        "Unit",
        "Group",
        "Block",
        "Window",
        "Windows",
        "Plan",
        "Item",
        "Act",
        "Bill",
        "Law",
        "Amendment",
        "Chapter",
        "Proposition",
        "Measure",
        "Gate",
        "Pier",
        "Building",
        "Floor",
        "Room",
        "Suite",
        "Game",
        "Match",
        "Week",
        "Quarter",
        "Q",
        "Fiscal",
        "FY",
        "Vol",
        "Issue",
        "Ep",
        "Season",
        "Vision",
        "Stranger",
        "iPhone",
        "Pixel",
        "Galaxy",
        "Starship",
        "Falcon",
    ]
)
_NOUNS = "|".join(sorted(PRODUCT_NOUNS, key=len, reverse=True))
_DEFINED = re.compile(
    r"\s*,?\s+(?:is|are|was|were)\s+(?:a|an|the|its|their)\s+(?:[\w/-]+\s+){0,6}?(?:"
    + _NOUNS
    + r")\b|,\s+(?:a|an|its|the|their)\s+(?:[\w/-]+\s+){0,6}?(?:"
    + _NOUNS
    + r")\b",
    re.IGNORECASE,
)
_POSSESSIVE = re.compile(r"['’]s\s+$")


def find(document: Document) -> list[Mention]:
    """Numbered product names placed as products, and then every numbered name of the
    families they belong to ("AFM 3 Core" beside "AFM 3 Core Advanced, a model ...")."""
    if not document.ai:
        return []
    found = _find(document, frozenset())
    families = frozenset(m.name.split()[0] for m in found)
    if families:
        seen = {m.start for m in found}
        found += [m for m in _find(document, families) if m.start not in seen]
    return found


# In the character classes: a whole word of letters, capitalised, then a digit right after
# it or after one space or hyphen. The pattern starts with the capital (the look-behind
# after it: nothing of a word before), so the search skips in C from capital to capital
# instead of visiting, in Python, every word that a number follows ("about 3%"). The run of
# letters is possessive (``*+``): only the whole run can end before the number, and giving
# letters back one by one, at every capitalised word, cost more than the rest of the search.
_NUMBERED_CLASSES = re.compile(rb"A(?<![aA0]A)[aA]*+(?= ?0)")


def _candidates(document: Document) -> list[re.Match[str]]:
    """`_CANDIDATE` matches that are no counter ("Section 230"), in order, found once for
    both passes of `find`; in ASCII text tried only where the character classes show a
    capitalised word a number follows, where every match starts."""
    if document.numbered is None:
        text, classes = document.text, document.classes()
        found: list[re.Match[str] | None]
        if classes is None:
            found = list(_CANDIDATE.finditer(text))
        else:
            found = [_CANDIDATE.match(text, m.start()) for m in _NUMBERED_CLASSES.finditer(classes)]
        document.numbered = [m for m in found if m is not None and m.group(1) not in _COUNTERS]
    return document.numbered


def _find(document: Document, families: frozenset[str]) -> list[Mention]:
    found: list[Mention] = []
    candidates = _candidates(document)
    if not candidates:
        return found  # the owners go unread
    text = document.text
    owners = {m.end: m for m in document.known if not m.found_by or m.is_org}
    for match in candidates:
        word = match.group(1)
        if word in _COUNTERS or word in STOP:
            continue
        index = document.sentence_at(match.start())
        end, versions = extend(text, match.end(), title_case=document.title_case(index))
        if not versions:
            continue
        start = match.start()
        possessive = _POSSESSIVE.search(text, max(0, start - 4), start)
        owner = owners.get(possessive.start()) if possessive else None
        if owner is None and word not in families and not _DEFINED.match(text, end):
            continue
        name = " ".join(text[start:end].split())
        if document.kb.lookup(name) is not None:
            continue
        maker = ""  # "Cursor's Composer 2.5": a product's possessive names its maker
        if owner is not None:
            entity = owner.entity
            maker = entity.maker if isinstance(entity, ProductInfo) else owner.name
        found.append(Mention(start, end, name, ProductInfo(name, maker, ""), found_by="numbered"))
    return found
