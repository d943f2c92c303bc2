"""Find knowledge-base names in text: one dictionary scan over word tokens.

Every alias is indexed by its first lower-cased word; the scan looks each text word
up once and tries that word's aliases longest first. Aliases written with capitals
only match text that has capitals there, so "apple" or "character" never match.
Weak aliases (common words such as "Apple" or "Gemini") are kept only with support:
the entity named unambiguously elsewhere, its maker or product present, a cue word
in the sentence, or another known name beside it.
"""

from __future__ import annotations

import re
import unicodedata
import weakref
from dataclasses import dataclass

from feeds.extract.sentences import Sentence
from feeds.kb import KnowledgeBase, OrgInfo, ProductInfo

_WORD = re.compile(r"\w+")
_SEPARATORS = str.maketrans({c: " " for c in map(chr, range(128)) if not (c.isalnum() or c == "_")})
_ABBREVIATED = frozenset({"inc", "corp", "co", "ltd", "bros", "plc", "llc"})
_GAP_CHARS = frozenset(" -.·'&/:+_")
_CONTINUES_NUMBER = re.compile(r"[.,]\d")
_NEXT_CAPITAL = re.compile(r"\s+([A-Z][a-z]+)")
_HONORIFIC = re.compile(r"(?:\b(?:Mr|Mrs|Ms|Dr|St|Saint|Sir|Dame|Lady|Lord)\.?|\b[A-Z]\.)\s*$")

CORPORATE_CUES = frozenset(
    re.findall(
        r"\S+",
        """
    company companies startup startups firm inc corp ceo chief executive shares stock
    investors investor announced announces launched launches unveiled unveils deal deals
    partnership partners partnered lawsuit sued sues acquire acquired acquisition billion
    million ai platform app users chatbot model models technology tech giant maker invest
    invested investment revenue earnings valuation subscribers software cloud chip chips
    products product
    """,
    )
)
AI_CUES = frozenset(
    re.findall(
        r"\S+",
        """
    ai chatbot chatbots model models assistant generative video videos image images llm llms
    launch launched launches release released releases reasoning prompts prompt multimodal
    agent agents coding openai users subscribers api text-to-video text-to-image open-source
    """,
    )
)


@dataclass(slots=True)
class Mention:
    """A name found in the document; ``entity`` is ``None`` for unverified organisations."""

    start: int
    end: int
    name: str
    entity: OrgInfo | ProductInfo | None
    weak: bool = False
    strict: bool = False

    @property
    def is_org(self) -> bool:
        """True for organisations (known or not), false for products."""
        return not isinstance(self.entity, ProductInfo)

    @property
    def is_ai(self) -> bool:
        """True when the organisation is an AI company, or this is a product."""
        return isinstance(self.entity, ProductInfo) or (
            isinstance(self.entity, OrgInfo) and self.entity.is_ai
        )


class Words:
    """The word tokens of a document: lower-case forms and their set.

    For ASCII text the words come from one ``translate`` + ``split`` (C speed) and the
    offset of a word is looked up only when needed (`locate`); other text is tokenised
    with the regex and offsets are kept for every word.
    """

    __slots__ = ("_ends", "_starts", "low", "lows", "set")

    def __init__(self, text: str) -> None:
        low = text.lower()
        self._starts: list[int] | None = None
        self._ends: list[int] | None = None
        if low.isascii():
            self.lows = low.translate(_SEPARATORS).split()
        else:
            if len(low) != len(text):
                low = text  # a case mapping that changes lengths: keep offsets exact
            matches = list(_WORD.finditer(low))
            self.lows = [m.group().lower() for m in matches]
            self._starts = [m.start() for m in matches]
            self._ends = [m.end() for m in matches]
        self.low = low
        self.set = frozenset(self.lows)

    def locate(self, index: int, after: int) -> tuple[int, int]:
        """Offsets of word ``index``: its first whole-word occurrence at or after ``after``."""
        if self._starts is not None and self._ends is not None:
            return self._starts[index], self._ends[index]
        word, low = self.lows[index], self.low
        position = low.find(word, after)
        while position >= 0:
            end = position + len(word)
            if (position == 0 or not _is_word_char(low[position - 1])) and (
                end == len(low) or not _is_word_char(low[end])
            ):
                return position, end
            position = low.find(word, position + 1)
        return len(low), len(low)  # not reached for a word of this text

    def within(self, text: str) -> set[str]:
        """The set of lower-case words of ``text`` (a part of the document)."""
        low = text.lower()
        if low.isascii():
            return set(low.translate(_SEPARATORS).split())
        return set(_WORD.findall(low))

    def words_of(self, text: str) -> list[str]:
        """The lower-case words of ``text``, in order."""
        low = text.lower()
        if low.isascii():
            return low.translate(_SEPARATORS).split()
        return _WORD.findall(low)


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


@dataclass(frozen=True, slots=True)
class _Alias:
    original: str
    words: tuple[str, ...]
    upper: tuple[bool, ...]
    entity: OrgInfo | ProductInfo
    weak: bool
    strict: bool


def _alias_words(alias: str) -> list[str]:
    return _WORD.findall(unicodedata.normalize("NFKC", alias).replace("\u2019", "'"))


class Matcher:
    """The alias index of one knowledge base: one-word aliases by their word, longer ones by
    their first two words, so each text word costs one or two dictionary look-ups."""

    def __init__(self, kb: KnowledgeBase) -> None:
        single: dict[str, list[_Alias]] = {}
        multi: dict[tuple[str, str], list[_Alias]] = {}
        for entity in (*kb.organisations(), *kb.products()):
            weak_keys = {tuple(w.lower() for w in _alias_words(alias)) for alias in entity.weak}
            for alias in dict.fromkeys((entity.name, *entity.aliases)):
                words = _alias_words(alias)
                lows = tuple(word.lower() for word in words)
                if not lows:
                    continue
                weak = lows in weak_keys
                strict = weak and len("".join(words)) <= 2
                upper = tuple(any(c.isupper() for c in word) for word in words)
                entry = _Alias(words[0], lows, upper, entity, weak, strict)
                if len(lows) == 1:
                    single.setdefault(lows[0], []).append(entry)
                else:
                    multi.setdefault((lows[0], lows[1]), []).append(entry)
        for aliases in multi.values():
            aliases.sort(key=lambda alias: -len(alias.words))
        self._single = single
        self._multi = multi
        self._starts = frozenset(first for first, _ in multi)
        self._firsts = self._starts | frozenset(single)

    def scan(self, text: str, words: Words | None = None) -> list[Mention]:
        """Return every alias occurrence in ``text``, leftmost-longest, not overlapping."""
        words = words or Words(text)
        lows = words.lows
        mentions: list[Mention] = []
        single, multi, heads, firsts = self._single, self._multi, self._starts, self._firsts
        count = len(lows)
        skip_to = 0
        cursor = 0  # every word before this offset has been located or cannot match
        for i in [i for i, word in enumerate(lows) if word in firsts]:
            if i < skip_to:
                continue
            word = lows[i]
            span = words.locate(i, cursor)
            cursor = span[1]
            found: _Alias | None = None
            spans: list[tuple[int, int]] = [span]
            if word in heads and i + 1 < count:
                for alias in multi.get((word, lows[i + 1]), ()):
                    if self._matches(alias, words, i, text, spans):
                        found = alias
                        break
            if found is None:
                for alias in single.get(word, ()):
                    if self._matches(alias, words, i, text, spans):
                        found = alias
                        break
            if found is None:
                continue
            size = len(found.words)
            end = spans[size - 1][1]
            cursor = end
            if found.words[-1] in _ABBREVIATED and text.startswith(".", end):
                end += 1
            entity = found.entity
            mentions.append(Mention(span[0], end, entity.name, entity, found.weak, found.strict))
            skip_to = i + size
        return mentions

    @staticmethod
    def _matches(
        alias: _Alias, words: Words, i: int, text: str, spans: list[tuple[int, int]]
    ) -> bool:
        """Whether ``alias`` starts at word ``i``; ``spans`` caches located word offsets."""
        size = len(alias.words)
        lows = words.lows
        if i + size > len(lows):
            return False
        for k in range(1, size):
            if lows[i + k] != alias.words[k]:
                return False
            if len(spans) <= k:
                spans.append(words.locate(i + k, spans[k - 1][1]))
            gap = text[spans[k - 1][1] : spans[k][0]]
            if len(gap) > 3 or not set(gap) <= _GAP_CHARS:
                return False
        for k in range(size):
            start, end = spans[k]
            if alias.upper[k] and text[start:end] == lows[i + k]:
                return False
        if alias.strict and text[spans[0][0] : spans[0][1]] != alias.original:
            return False
        return not _CONTINUES_NUMBER.match(text, spans[size - 1][1])


_MATCHERS: weakref.WeakKeyDictionary[KnowledgeBase, Matcher] = weakref.WeakKeyDictionary()


def matcher_for(kb: KnowledgeBase) -> Matcher:
    """Return the (cached) matcher of ``kb``."""
    matcher = _MATCHERS.get(kb)
    if matcher is None:
        matcher = _MATCHERS[kb] = Matcher(kb)
    return matcher


def _words(sentence: Sentence) -> set[str]:
    return set(re.findall(r"[\w-]+", sentence.text.lower()))


def _has_context(context: tuple[str, ...], text: str, words: set[str]) -> bool:
    for cue in context:
        cue = cue.lower()
        if (" " in cue and cue in text) or cue in words:
            return True
    return False


def _short_forms(mentions: list[Mention], text: str) -> None:
    """A weak name that begins or ends a longer name in the text means that entity:
    "Copilot" after "GitHub Copilot", "Universal" after "Universal Music Group"."""
    longer = {
        text[m.start : m.end].lower(): m for m in mentions if not m.weak and m.entity is not None
    }
    for mention in mentions:
        if not mention.weak:
            continue
        short = text[mention.start : mention.end].lower()
        for surface, other in longer.items():
            same_type = isinstance(other.entity, ProductInfo) == isinstance(
                mention.entity, ProductInfo
            )
            if (
                same_type
                and other.entity is not mention.entity
                and (surface.startswith(short + " ") or surface.endswith(" " + short))
            ):
                mention.entity, mention.name = other.entity, other.name
                mention.strict = False
                break


def resolve_weak(mentions: list[Mention], sentences: list[Sentence], text: str) -> list[Mention]:
    """Drop weak mentions that have no supporting context; keep all others."""
    _short_forms(mentions, text)
    strong = {m.name for m in mentions if not m.weak}
    present = set(strong)
    for m in mentions:
        if isinstance(m.entity, ProductInfo) and not m.weak:
            present.add(m.entity.maker)
    kept: list[Mention] = []
    position = 0
    cache: dict[int, set[str]] = {}
    for mention in mentions:
        if not mention.weak:
            kept.append(mention)
            continue
        while position < len(sentences) - 1 and sentences[position].end <= mention.start:
            position += 1
        sentence = sentences[position] if sentences else Sentence(text, 0, "body")
        if position not in cache:
            cache[position] = _words(sentence)
        if _supported(mention, sentence, cache[position], strong, present, mentions, text):
            kept.append(mention)
    return kept


def _supported(
    mention: Mention,
    sentence: Sentence,
    words: set[str],
    strong: set[str],
    present: set[str],
    mentions: list[Mention],
    text: str,
) -> bool:
    entity = mention.entity
    assert entity is not None
    if entity.name_like:
        follow = _NEXT_CAPITAL.match(text, mention.end)
        if follow and not any(m.start == follow.start(1) for m in mentions):
            return False
        if _HONORIFIC.search(text, max(0, mention.start - 8), mention.start):
            return False
    if mention.name in strong:
        return True
    if isinstance(entity, ProductInfo) and entity.maker in present:
        return True
    lowered = sentence.text.lower()
    if _has_context(entity.context, lowered, words):
        return True
    if mention.strict:
        return False
    cues = AI_CUES if isinstance(entity, ProductInfo) else CORPORATE_CUES
    if not words.isdisjoint(cues):
        return True
    return any(
        other is not mention
        and not other.weak
        and other.entity is not None
        and sentence.start <= other.start < sentence.end
        for other in mentions
    )
