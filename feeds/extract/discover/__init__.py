"""Open-world discovery: names the knowledge base does not hold, found by pattern.

Each detector is a module with ``find(document) -> list[Mention]``; `discover` runs them
in order through one seam. Every discovery is anchored on something known or on a clear
cue: a known family followed by a version ("Gemini 3.7 Flash", "Kimi K3"), a known maker
and a launch verb ("Moonshot AI introduced Kimi K3"), "called"/"dubbed" ("a new AI system
called The AI Scientist"), a company cue or descriptor ("the automaker X", "X Robotics",
"X Inc.", "partners with X"), or a case caption ("X v. Y"). Discovered names carry
``found_by`` (the rule) and are stored unverified until a user confirms them.

A discovery that covers a known mention replaces it ("Gemini" inside "Gemini 3.7 Flash");
otherwise discoveries never overlap known names or each other (earlier detectors win).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field, replace

from aiwatch.feeds.extract.discover import (
    called,
    defined,
    launches,
    numbered,
    organisations,
    versions,
)
from aiwatch.feeds.extract.discover.shapes import is_title_case
from aiwatch.feeds.extract.names import BY_START, Mention, matcher_for
from aiwatch.feeds.extract.sentences import Sentence
from aiwatch.feeds.extract.words import Words
from aiwatch.feeds.knowledge.base import KnowledgeBase, OrgInfo, ProductInfo


@dataclass(slots=True)
class Document:
    """What the detectors read: the text, its sentences and words, the known names."""

    kb: KnowledgeBase
    text: str
    sentences: list[Sentence]
    words: Words
    known: list[Mention]
    title_end: int
    publisher: str = ""
    ai: bool = False
    fallback_makers: dict[int, str] = field(default_factory=dict)
    """Start of a discovered product -> the maker of its family, used when the sentence
    names no maker (set where the family's name is an ordinary word, "Muse", "Kimi")."""
    _shaped: list[re.Match[str]] | None = field(default=None, repr=False)
    _classes: bytes | None = field(default=None, repr=False)
    numbered: list[re.Match[str]] | None = field(default=None, repr=False)  # `numbered`
    _starts: list[int] = field(default_factory=list, repr=False)
    _title_case: dict[int, bool] = field(default_factory=dict, repr=False)

    def sentence_at(self, position: int) -> int:
        """The index of the sentence holding ``position`` (the last one starting before)."""
        if not self._starts:
            self._starts = [s.start for s in self.sentences]
        return max(0, bisect_right(self._starts, position) - 1)

    def classes(self) -> bytes | None:
        """The text as character classes (see `_CLASSES`), or None when it is not ASCII."""
        if self._classes is None:
            self._classes = (
                self.text.encode("ascii").translate(_CLASSES) if self.text.isascii() else b""
            )
        return self._classes or None

    def shaped(self) -> list[re.Match[str]]:
        """Words shaped like coined names, found once for every detector: inner capitals
        or letters glued to digits ("DiffusionGemma", "DSpark", "Qwen3", "ESMFold2")."""
        if self._shaped is None:
            self._shaped = _odd_shaped(self.text, self.classes(), matcher_for(self.kb).whole_names)
        return self._shaped

    def title_case(self, index: int) -> bool:
        """Whether sentence ``index`` Is Written In Title Case (cached)."""
        cached = self._title_case.get(index)
        if cached is None:
            cached = self._title_case[index] = is_title_case(self.sentences[index])
        return cached


_SHAPED = re.compile(r"(?<![\w-])[A-Za-z][a-z]*(?:[A-Z][A-Za-z0-9]*|\d[\w.]*)(?![\w-])")


# Every byte a character class: letters "a" and "A", digits "0", the rest a space; then a
# lower-case letter before a capital ("aA") or a letter before a digit ("a0", "A0") marks
# an odd-shaped word. Each pattern starts with one literal byte, the capital or the digit,
# which the engine skips to in a tight loop in C, and looks back at the letter before it:
# one pass over the text for the capitals and one for the digits, where a substring
# search for each pair of classes costs several times more (the letters are everywhere).
_CLASSES = bytes(
    97 if 97 <= c <= 122 else 65 if 65 <= c <= 90 else 48 if 48 <= c <= 57 else 32
    for c in range(256)
)
_HINTS = (re.compile(rb"A(?<=aA)"), re.compile(rb"0(?<=[aA]0)"))


def _odd_shaped(text: str, classes: bytes | None, known: frozenset[str]) -> list[re.Match[str]]:
    """`_SHAPED` words of ``text`` that are not known names by themselves."""
    if classes is not None:
        starts: set[int] = set()
        for hint in _HINTS:  # the start of the word of each hint's byte (no space in a hint)
            for hit in hint.finditer(classes):
                starts.add(classes.rfind(b" ", 0, hit.start()) + 1)
    else:
        starts = {m.start() for m in _SHAPED.finditer(text)}
    found = []
    for start in sorted(starts):
        if start and (text[start - 1] in "-_"):
            continue
        match = _SHAPED.match(text, start)
        if match is not None and match.group().lower() not in known:
            found.append(match)
    return found


_DETECTORS = (
    versions.find,
    organisations.find,
    numbered.find,
    defined.find,
    called.find,
    launches.find,
)


_POSSESSIVE = frozenset({"'s ", "’s ", "' ", "’ "})
# "<company> [has] introduced|launched|released ... <product>": the company is the maker.
_LAUNCHED = re.compile(
    r"\s+(?:\w+\s+){0,3}?(?:introduc|launch|unveil|releas|debut|announc|roll|ship|open-sourc|"
    r"preview|offer|bring|brought|add|upgrad|updat|revamp|built|develop|train|publish|"
    r"made\s+available|make\s+available)\w*\b",
    re.IGNORECASE,
)


def _starting_in(names: list[Mention], starts: list[int], begin: int, end: int) -> list[Mention]:
    """The names (in order; ``starts`` holds their starts) that start in ``[begin, end)``:
    a sentence's names are read without visiting every name of the document."""
    return names[bisect_left(starts, begin) : bisect_left(starts, end)]


def _launcher(
    document: Document, index: int, end: int, names: list[Mention], starts: list[int]
) -> str:
    """The company that launches something in sentence ``index`` (before ``end``)."""
    sentence = document.sentences[index]
    text = document.text
    for org in _starting_in(names, starts, sentence.start, min(end, sentence.end)):
        if not org.is_org:
            continue
        if isinstance(org.entity, OrgInfo) and org.entity.kind == "person":
            continue
        if _LAUNCHED.match(text, org.end) and org.end < end:
            return org.name
    return ""


def _maker(document: Document, product: Mention, names: list[Mention], starts: list[int]) -> str:
    """Who made a discovered product: the company whose possessive it follows
    ("Meta's Muse Spark"), else its family's maker, else the company that launches it in
    the sentence (or, for a name defined right after a launch, in the sentence before:
    "Meta introduced its first model in a year. Muse Spark is a ..."), else the feed's
    publisher."""
    text = document.text
    entity = product.entity
    assert isinstance(entity, ProductInfo)
    index = document.sentence_at(product.start)
    sentence = document.sentences[index]
    before = [
        m
        for m in _starting_in(names, starts, sentence.start, product.start)
        if m.is_org and not (isinstance(m.entity, OrgInfo) and m.entity.kind == "person")
    ]
    if before and text[before[-1].end : product.start] in _POSSESSIVE:
        return before[-1].name
    if entity.maker:
        return entity.maker
    launcher = _launcher(document, index, product.start, names, starts)
    if not launcher and index > 0 and product.start - sentence.start < 40:
        previous = document.sentences[index - 1]
        if previous.zone == sentence.zone:
            launcher = _launcher(document, index - 1, previous.end, names, starts)
    return launcher or document.fallback_makers.get(product.start) or document.publisher


def discover(document: Document) -> list[Mention]:
    """Every name the document shows that the knowledge base does not hold.

    Returns the known mentions with the discoveries merged in, sorted by position, each
    discovered product with the maker the text gives it.
    """
    names = sorted(document.known, key=BY_START)  # known and found, by start
    starts = [m.start for m in names]
    found: list[Mention] = []
    for detector in _DETECTORS:
        document.known = names
        for mention in detector(document):
            # the names that begin before this one ends; those inside it it may replace
            first = bisect_left(starts, mention.start)
            if first and names[first - 1].end > mention.start:
                continue  # the name before runs into this one
            last = bisect_left(starts, mention.end, first)
            inside = names[first:last]
            if any(
                m.end > mention.end or m.found_by or m.end - m.start >= mention.end - mention.start
                for m in inside
            ):
                continue
            names[first:last] = [mention]
            starts[first:last] = [mention.start]
            found.append(mention)
    document.known = names
    for mention in found:
        entity = mention.entity
        if isinstance(entity, ProductInfo) and mention.found_by:
            maker = _maker(document, mention, names, starts)
            if maker != entity.maker:
                mention.entity = replace(entity, maker=maker)
    return names
