"""Find knowledge-base names in text: one dictionary scan over word tokens.

Every alias is indexed by its first lower-cased word; the scan looks each text word
up once and tries that word's aliases longest first. Aliases written with capitals
only match text that has capitals there, so "apple" or "character" never match.
Weak aliases (common words such as "Apple" or "Gemini") are resolved in `support`.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import compress, count
from operator import attrgetter

from aiwatch.feeds.extract.words import Words
from aiwatch.feeds.knowledge.base import KnowledgeBase, OrgInfo, ProductInfo

_WORD = re.compile(r"\w+")
_ABBREVIATED = frozenset({"inc", "corp", "co", "ltd", "bros", "plc", "llc"})
_GAP_CHARS = frozenset(" -.·'&/:+_")
_CONTINUES_NUMBER = re.compile(r"[.,]\d")


class Mention:
    """A name found in the document; ``entity`` is ``None`` for unverified organisations.

    ``is_org`` (organisations, known or not; not products) is stored, not computed: it is
    read for every mention of every sentence, and an entity is only ever replaced by one
    of the same type. ``found_by`` names the discovery rule for a name that is not in the
    knowledge base (a discovered product's entity is made up on the spot, with the maker
    the rule found, or ``""``).
    """

    __slots__ = (
        "end",
        "entity",
        "found_by",
        "is_org",
        "name",
        "needs_maker",
        "start",
        "strict",
        "weak",
    )

    def __init__(
        self,
        start: int,
        end: int,
        name: str,
        entity: OrgInfo | ProductInfo | None,
        weak: bool = False,
        strict: bool = False,
        needs_maker: bool = False,  # a bare version ("V7") counts only beside its maker
        found_by: str = "",
    ) -> None:
        self.start = start
        self.end = end
        self.name = name
        self.entity = entity
        self.weak = weak
        self.strict = strict
        self.needs_maker = needs_maker
        self.found_by = found_by
        self.is_org = not isinstance(entity, ProductInfo)

    def __repr__(self) -> str:
        return f"Mention({self.start}, {self.end}, {self.name!r}, {self.found_by or 'kb'})"

    @property
    def is_ai(self) -> bool:
        """True when the organisation is an AI company, or this is a product."""
        return isinstance(self.entity, ProductInfo) or (
            isinstance(self.entity, OrgInfo) and self.entity.is_ai
        )


BY_START = attrgetter("start")
"""A sort key for mentions by position, called in C (a lambda is a Python call per mention)."""


def is_person(mention: Mention) -> bool:
    """A known person: a party to cases, listed among the people, not the companies."""
    return isinstance(mention.entity, OrgInfo) and mention.entity.kind == "person"


@dataclass(frozen=True, slots=True)
class _Alias:
    original: str
    words: tuple[str, ...]
    upper: tuple[bool, ...]
    entity: OrgInfo | ProductInfo
    weak: bool
    strict: bool
    needs_maker: bool = False
    single: bool = field(init=False)  # one word
    size: int = field(init=False, compare=False)  # how many words
    # the words after the first, as a list: compared with a slice of the document's words
    rest: list[str] = field(init=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "single", len(self.words) == 1)
        object.__setattr__(self, "size", len(self.words))
        object.__setattr__(self, "rest", list(self.words[1:]))


def _version_of(product: ProductInfo) -> str | None:
    """ "V7" for "Midjourney V7": a product named "<maker> <version>" whose version starts
    with a letter may be written without its maker when the maker is named beside it."""
    prefix = product.maker + " "
    if not product.name.startswith(prefix):
        return None
    version = product.name[len(prefix) :]
    return version if version[:1].isalpha() and any(c.isdigit() for c in version) else None


def _alias_words(alias: str) -> list[str]:
    return _WORD.findall(unicodedata.normalize("NFKC", alias).replace("\u2019", "'"))


class Matcher:
    """The alias index of one knowledge base: one-word aliases by their word, longer ones by
    their first two words, so each text word costs one or two dictionary look-ups."""

    def __init__(self, kb: KnowledgeBase) -> None:
        single: dict[str, list[_Alias]] = {}
        multi: dict[tuple[str, str], list[_Alias]] = {}
        entities: list[OrgInfo | ProductInfo] = [*kb.organisations(), *kb.products()]
        for entity in entities:
            weak_keys = {tuple(w.lower() for w in _alias_words(alias)) for alias in entity.weak}
            for alias in dict.fromkeys((entity.name, *entity.aliases)):
                words = _alias_words(alias)
                lows = tuple(word.lower() for word in words)
                if not lows:
                    continue
                weak = lows in weak_keys
                # A coined spelling ("CoRe", "DeepL") matches only as written.
                coined = len(words) == 1 and words[0][1:] != words[0][1:].lower() != ""
                coined = coined and not words[0].isupper()
                strict = (weak and (entity.strict or len("".join(words)) <= 2)) or coined
                upper = tuple(any(c.isupper() for c in word) for word in words)
                entry = _Alias(words[0], lows, upper, entity, weak, strict)
                if len(lows) == 1:
                    single.setdefault(lows[0], []).append(entry)
                else:
                    multi.setdefault((lows[0], lows[1]), []).append(entry)
        for product in kb.products():
            version = _version_of(product)
            if version and tuple(w.lower() for w in _alias_words(version)) not in single:
                words = _alias_words(version)
                entry = _Alias(
                    words[0],
                    tuple(w.lower() for w in words),
                    tuple(any(c.isupper() for c in w) for w in words),
                    product,
                    True,
                    True,
                    needs_maker=True,
                )
                if len(words) == 1:
                    single.setdefault(entry.words[0], []).append(entry)
                else:
                    multi.setdefault((entry.words[0], entry.words[1]), []).append(entry)
        for aliases in multi.values():
            aliases.sort(key=lambda alias: -len(alias.words))
        # The candidates of a word, longest first, in one look-up: (by the next word when
        # some alias starts with the two, a dict or None; else its own, a tuple or None).
        singles = {word: tuple(aliases) for word, aliases in single.items()}
        by_next: dict[str, dict[str, tuple[_Alias, ...]]] = {}
        for (first, second), aliases in multi.items():
            by_next.setdefault(first, {})[second] = (*aliases, *single.get(first, ()))
        self._firsts = frozenset(by_next) | frozenset(single)
        self._candidates = {word: (by_next.get(word), singles.get(word)) for word in self._firsts}
        # First words whose every alias is written with a capital there ("the" of "The New
        # York Times"): the many lower-case occurrences ("the", "data") are passed over.
        capital: dict[str, bool] = {}
        for entries in (*single.values(), *multi.values()):
            for entry in entries:
                first = entry.words[0]
                capital[first] = capital.get(first, True) and entry.upper[0]
        self._capital_first = frozenset(word for word, upper in capital.items() if upper)
        self.whole_names = frozenset(single)
        """Words that are a known name all by themselves ("openai", "chatgpt")."""

    def scan(self, text: str, words: Words | None = None) -> list[Mention]:
        """Return every alias occurrence in ``text``, leftmost-longest, not overlapping.

        Letter case is read from the text at a candidate's offsets, which the scan needs
        for every name it reports: a second list of the words as written would cost a
        string for each word of the document.
        """
        words = words or Words(text)
        lows = words.lows
        mentions: list[Mention] = []
        candidates, firsts = self._candidates, self._firsts
        capital_first = self._capital_first
        last = len(lows) - 1
        skip_to = 0
        # how often each word has come so far: the next of its counter (made in C)
        occurrences: defaultdict[str, count[int]] = defaultdict(count)
        # the positions of words that start some alias, found in C (`compress`)
        for i in compress(range(len(lows)), map(firsts.__contains__, lows)):
            word = lows[i]
            occurrence = next(occurrences[word])
            if i < skip_to:
                continue
            by_next, aliases = candidates[word]
            if by_next is not None and i < last:
                aliases = by_next.get(lows[i + 1], aliases)
            if aliases is None:
                continue
            start, end = words.nth(i, occurrence)
            written = text[start:end]
            if word in capital_first and written == word:
                continue
            found: _Alias | None = None
            spans = [(start, end)]
            for alias in aliases:
                if alias.single:  # `_fits` for one word, inlined
                    if (alias.upper[0] and written == word) or (
                        alias.strict and written != alias.original
                    ):
                        continue
                    if text[end : end + 1] in ".," and _CONTINUES_NUMBER.match(text, end):
                        continue
                    found = alias
                    break
                if (
                    lows[i + 1 : i + alias.size] == alias.rest  # no offsets needed
                    and not (alias.strict and written != alias.original)
                    and _fits(alias, words, i, text, spans)
                ):
                    found = alias
                    break
            if found is None:
                continue
            size = found.size
            end = spans[size - 1][1]
            if found.words[-1] in _ABBREVIATED and text.startswith(".", end):
                end += 1
            entity = found.entity
            mentions.append(
                Mention(
                    start,
                    end,
                    entity.name,
                    entity,
                    found.weak,
                    found.strict,
                    found.needs_maker,
                )
            )
            skip_to = i + size
        return mentions


def _fits(alias: _Alias, words: Words, i: int, text: str, spans: list[tuple[int, int]]) -> bool:
    """Letter case as the alias needs, only separators between the words, and no decimal
    after the last one (``spans`` holds the first word's offsets)."""
    lows = words.lows
    for k in range(len(alias.words)):
        if k:
            if len(spans) <= k:
                spans.append(words.locate(i + k, spans[k - 1][1]))
            gap = text[spans[k - 1][1] : spans[k][0]]
            if len(gap) > 3 or not set(gap) <= _GAP_CHARS:
                return False
        if alias.upper[k] and text[spans[k][0] : spans[k][1]] == lows[i + k]:
            return False
    end = spans[len(alias.words) - 1][1]
    return not (text[end : end + 1] in ".," and _CONTINUES_NUMBER.match(text, end))


def matcher_for(kb: KnowledgeBase) -> Matcher:
    """Return the matcher of ``kb`` (made once, kept on it)."""
    return kb.derived(Matcher)
