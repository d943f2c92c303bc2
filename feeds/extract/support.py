"""Weak names need support: "Apple" the company, not the fruit; "Claude" the model, not
Monet. A weak alias is kept when the entity is named unambiguously elsewhere, its maker or
product is present, a cue word is in the sentence, or another known name stands beside it.
"""

from __future__ import annotations

import re
from functools import lru_cache

from aiwatch.feeds.extract.names import Mention
from aiwatch.feeds.extract.sentences import Sentence, spans
from aiwatch.feeds.knowledge.base import OrgInfo, ProductInfo

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
# Words that make a weak product name a product: about AI itself, not generic news verbs
# or nouns ("launch", "model", "users" are said of rockets, cars and games too).
AI_CUES = frozenset(
    re.findall(
        r"\S+",
        """
    ai chatbot chatbots assistant generative llm llms reasoning prompts prompt multimodal
    openai text-to-video text-to-image genai deepfake deepfakes
    """,
    )
)


_WORDS = re.compile(r"[\w-]+")


# `_WORDS` on lower-cased ASCII text, by bytes: letters in lower case, digits, "_" and "-"
# kept, every other byte a space, so ``split`` yields the same words.
_WORD_BYTES = bytes(
    c + 32 if 65 <= c <= 90 else c if (c < 128 and chr(c).isalnum()) or c in b"_-" else 32
    for c in range(256)
)


def _words(sentence: Sentence) -> set[str]:
    text = sentence.text
    if text.isascii():
        return set(text.encode("ascii").translate(_WORD_BYTES).decode("ascii").split())
    return set(_WORDS.findall(text.lower()))


def _has_context(context: tuple[str, ...], sentence: Sentence, words: set[str]) -> bool:
    """Whether a context cue of an entity is in the sentence: a one-word cue among its
    ``words``, a phrase in its lower-case text."""
    single, phrases = _cues_of(context)
    if not single.isdisjoint(words):
        return True
    return bool(phrases) and any(map(sentence.text.lower().__contains__, phrases))


@lru_cache(maxsize=4096)
def _cues_of(context: tuple[str, ...]) -> tuple[frozenset[str], tuple[str, ...]]:
    """An entity's context cues in lower case, one-word cues apart from phrases, made
    once per knowledge-base entry (not lower-cased at every weak mention)."""
    cues = [cue.lower() for cue in context]
    return frozenset(c for c in cues if " " not in c), tuple(c for c in cues if " " in c)


def _short_forms(mentions: list[Mention], text: str) -> None:
    """A weak name that begins or ends a longer name in the text means that entity:
    "Copilot" after "GitHub Copilot", "Universal" after "Universal Music Group"."""
    longer = {
        text[m.start : m.end].lower(): m for m in mentions if not m.weak and m.entity is not None
    }
    joined = "\n" + "\n".join(longer) + "\n"  # every surface, to rule out a fit at once
    for mention in mentions:
        if not mention.weak:
            continue
        short = text[mention.start : mention.end].lower()
        head, tail = short + " ", " " + short
        if "\n" + head not in joined and tail + "\n" not in joined:
            continue  # no surface starts with head or ends with tail (nearly always)
        for surface, other in longer.items():  # the words first: they rarely fit
            if (
                (surface.startswith(head) or surface.endswith(tail))
                and other.entity is not mention.entity
                and isinstance(other.entity, ProductInfo) == isinstance(mention.entity, ProductInfo)
            ):
                mention.entity, mention.name = other.entity, other.name
                mention.strict = False
                break


def resolve_weak(
    mentions: list[Mention], sentences: list[Sentence], text: str, publisher: str = ""
) -> list[Mention]:
    """Drop weak mentions that have no supporting context; keep all others.

    The ``publisher`` of a company's own feed is present everywhere in it: "Claude" in
    Anthropic's newsroom is the model.
    """
    if not any(m.weak for m in mentions):
        return list(mentions)
    _short_forms(mentions, text)
    strong = {m.name for m in mentions if not m.weak}
    present = set(strong)
    if publisher:
        present.add(publisher)
    for m in mentions:
        if isinstance(m.entity, ProductInfo) and not m.weak:
            present.add(m.entity.maker)
    kept: list[Mention] = []
    position = 0
    cache: dict[int, set[str]] = {}
    ends = [end for _, end in spans(sentences)]
    last = len(sentences) - 1
    for mention in mentions:
        if not mention.weak:
            kept.append(mention)
            continue
        while position < last and ends[position] <= mention.start:
            position += 1
        sentence = sentences[position] if sentences else Sentence(text, 0, "body")
        if _supported(mention, sentence, position, cache, strong, present, mentions, text):
            kept.append(mention)
    return kept


def _supported(
    mention: Mention,
    sentence: Sentence,
    position: int,
    cache: dict[int, set[str]],
    strong: set[str],
    present: set[str],
    mentions: list[Mention],
    text: str,
) -> bool:
    entity = mention.entity
    assert entity is not None
    if (
        text[mention.start - 1 : mention.start] == "-"
        and text[mention.start - 2 : mention.start - 1].isalpha()
    ):
        return False  # "Real-Time": part of a compound word, not the magazine
    if mention.needs_maker:
        maker = entity.maker if isinstance(entity, ProductInfo) else ""
        return any(
            other.name == maker and not other.weak and sentence.start <= other.start < sentence.end
            for other in mentions
        )
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
    words = cache.get(position)  # the sentence's words, tokenised once and only if needed
    if words is None:
        words = cache[position] = _words(sentence)
    if _has_context(entity.context, sentence, words):
        return True
    if mention.strict:
        return _party_slot(mention, text)
    return _loose_support(mention, entity, words, sentence, mentions)


# A government or a person named where a party stands: "Florida sues OpenAI",
# "sued by Florida", "a partnership with Singapore".
_ACTS_AFTER = re.compile(
    r"\s+(?:has\s+|have\s+|also\s+)?(?:sue[sd]?|suing|filed|files|sign(?:s|ed)?|partner(?:s|ed)?|"
    r"announc(?:e|es|ed)|accus(?:e|es|ed)|settl(?:e|es|ed)|agree[sd]?|invest(?:s|ed)?|"
    r"launch(?:es|ed)?|back(?:s|ed)|won|wins|lost|loses|asked|asks)\b",
    re.IGNORECASE,
)
_ACTS_BEFORE = re.compile(
    r"(?:\bsued\s+by|\bwith|\bagainst|\bv\.|\bversus)\s+(?:the\s+)?$", re.IGNORECASE
)
_SLOT_KINDS = frozenset({"government", "person"})


def _party_slot(mention: Mention, text: str) -> bool:
    entity = mention.entity
    if not isinstance(entity, OrgInfo) or entity.kind not in _SLOT_KINDS:
        return False
    return bool(
        _ACTS_AFTER.match(text, mention.end)
        or _ACTS_BEFORE.search(text, max(0, mention.start - 20), mention.start)
    )


def _loose_support(
    mention: Mention,
    entity: OrgInfo | ProductInfo,
    words: set[str],
    sentence: Sentence,
    mentions: list[Mention],
) -> bool:
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
