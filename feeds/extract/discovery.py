"""Names not in the knowledge base: organisations from clear context, and people."""

from __future__ import annotations

import re

from feeds.extract.legal import CAPTION_WORDS, caption_parties, has_caption
from feeds.extract.names import Mention
from feeds.kb import KnowledgeBase

_NAME = r"[A-Z][\w&'-]*(?:\.[A-Za-z]+)?"
_SUFFIXED = re.compile(
    rf"\b((?:{_NAME}\s+){{0,3}}{_NAME})\s*,?\s+(Inc|Corp|Corporation|Ltd|LLC|plc|GmbH|S\.A|Co)\b\.?"
)
_CONTEXT_WORDS = frozenset({"startup", "company", "firm", "lab", "developer", "maker", "rival"})
_NAME_BEFORE_SUFFIX = re.compile(rf"\b((?:{_NAME}\s+){{0,1}}{_NAME})$")
_NOT_BRAND = frozenset(
    re.findall(
        r"\S+",
        """
        Generative Agentic Responsible Open Enterprise Conversational Physical Sovereign
        Frontier Applied Embodied Edge General Artificial Explainable Trustworthy Ethical
        Human Narrow Strong Weak Multimodal Creative Safe Gen Consumer Industrial Medical
        Legal Military National Global Advanced Modern Current Future New Next Better More
        Most Any Every Some Such Other Meta Google Microsoft Amazon Apple Nvidia OpenAI
        Chinese American European French British German Japanese Indian Korean Israeli US
        UK EU Silicon Valley Big Tech Our Your Their His Her Its This That These Those
        """,
    )
)
_SUFFIXES = (" Inc", " Corp", " Ltd", " LLC", " plc", " GmbH", " S.A", " Co.", " Co ")
# A `_SUFFIXED` match needs one of these words (or "S.A"): a set test spares the
# substring searches of `_SUFFIXES` over most documents.
_SUFFIX_WORDS = frozenset({"inc", "corp", "corporation", "ltd", "llc", "plc", "gmbh", "co"})
_NAME_AFTER_CUE = re.compile(rf"\s+((?:{_NAME}\s+){{0,2}}{_NAME})")
_APPOSITION_ANCHOR = re.compile(
    r",\s+(?:an?|the)\s+(?:[\w-]+\s+){0,4}?(?:startup|company|firm|lab|developer|maker)\b"
)
_NAME_BEFORE = re.compile(rf"((?:{_NAME}\s+){{0,2}}{_NAME})$")
_STOP = frozenset(
    re.findall(
        r"\S+",
        """
    The A An This That These Those It Its In On At For With From By And Or But If When While
    After Before As Chinese French American British German Japanese Korean Indian Israeli US
    UK EU AI New Open Generative Silicon Valley San Francisco Paris London Tuesday Monday
    Wednesday Thursday Friday Saturday Sunday Its Their Our
    """,
    )
)
_PERSON = r"([A-Z][a-z]+(?:[ -][A-Z][a-z']+(?:\.)?){1,2})"
# One scan finds the anchors (a role word or a speech verb); the name is then read right
# before or after the anchor, so no pattern has to be tried at every capital letter.
_ANCHOR_WORDS = frozenset(
    re.findall(
        r"\S+",
        """
        ceo cto coo cfo chief founder co-founder cofounder president head director chair
        chairman chairwoman spokesperson spokesman spokeswoman professor analyst judge
        executive vice justice senator governor commissioner secretary comedian author
        artist magistrate musk said says told wrote posted announced
        """,
    )
)
_NAME_AFTER = re.compile(rf"\s+{_PERSON}")
_NAME_BEFORE_ROLE = re.compile(rf"{_PERSON},\s+(?:the\s+|an?\s+)?(?:[\w.&-]+(?:'s)?\s+){{0,3}}?$")
_NAME_BEFORE_VERB = re.compile(rf"{_PERSON}\s+$")
_SPEECH = frozenset({"said", "says", "told", "wrote", "posted", "announced"})
_NOT_PERSON = frozenset(["District", "Court", "Circuit", "Appeals", "Judge", "Chief", "Officer"])


def _clean(name: str) -> str:
    words = name.split()
    while words and words[0] in _STOP:
        words = words[1:]
    return " ".join(words).strip(" .,'")


def unknown_organisations(
    kb: KnowledgeBase, text: str, title_end: int, known: list[Mention], words: frozenset[str]
) -> list[Mention]:
    """Organisations outside the knowledge base named with clear corporate context,
    found in one pass over the document (``text[:title_end]`` is the title)."""
    spans: list[tuple[int, str]] = []
    if (not _SUFFIX_WORDS.isdisjoint(words) or "S.A" in text) and any(
        suffix in text for suffix in _SUFFIXES
    ):
        spans += [(m.start(1), m.group(1)) for m in _SUFFIXED.finditer(text)]
    for suffix in (" AI", " Labs"):
        position = text.find(suffix, title_end)
        while position >= 0:
            end = position + len(suffix)
            if end == len(text) or not (text[end].isalnum() or text[end] in "-_."):
                brand = _NAME_BEFORE_SUFFIX.search(text, max(title_end, position - 40), position)
                if brand and not _NOT_BRAND.intersection(brand.group(1).split()):
                    spans.append((brand.start(1), f"{brand.group(1)}{suffix}"))
            position = text.find(suffix, end)
    cues = words & _CONTEXT_WORDS
    for cue in cues:
        position = text.find(cue, title_end)
        while position >= 0:
            end = position + len(cue)
            follow = _NAME_AFTER_CUE.match(text, end)
            if follow and (position == 0 or not text[position - 1].isalnum()):
                spans.append((follow.start(1), follow.group(1)))
            position = text.find(cue, end)
    if cues:
        for anchor in _APPOSITION_ANCHOR.finditer(text, title_end):
            before = _NAME_BEFORE.search(text, max(title_end, anchor.start() - 60), anchor.start())
            if before:
                spans.append((before.start(1), before.group(1)))
    if not CAPTION_WORDS.isdisjoint(words) and has_caption(text):
        spans += [
            (start + text.find(party, start) - start, party)
            for pl, df, start, _ in caption_parties(text)
            for party in (pl, df)
        ]
    found: list[Mention] = []
    for start, raw in sorted(spans):
        name = _clean(raw)
        if len(name) < 2 or name in _STOP or kb.lookup(name) is not None:
            continue
        begin = text.find(name, max(start, 0))
        if begin < 0:
            continue
        end = begin + len(name)
        if any(m.start < end and begin < m.end for m in (*known, *found)):
            continue
        found.append(Mention(begin, end, name, None))
    return found


def _people_near(
    text: str, start: int, end: int, speech: bool, title_end: int
) -> list[re.Match[str]]:
    if speech:  # "Sam Altman said": the name comes right before
        found = _NAME_BEFORE_VERB.search(text, max(title_end, start - 40), start)
        return [found] if found else []
    before = _NAME_BEFORE_ROLE.search(text, max(title_end, start - 90), start)
    after = _NAME_AFTER.match(text, end)
    return [m for m in (after, before) if m is not None]


def people_in(text: str, title_end: int, known: list[Mention], words: frozenset[str]) -> list[str]:
    """Named people, found cheaply next to role words and speech verbs (not in the title)."""
    present = words & _ANCHOR_WORDS
    low = text.lower()
    if not present or len(low) != len(text):
        return []
    found: dict[str, int] = {}
    for word in present:
        position = low.find(word, title_end)
        while position >= 0:
            end = position + len(word)
            if (position == 0 or not low[position - 1].isalnum()) and (
                end == len(low) or not low[end].isalnum()
            ):
                for match in _people_near(text, position, end, word in _SPEECH, title_end):
                    if _plausible(match, known):
                        name = match.group(1)
                        found[name] = min(found.get(name, match.start(1)), match.start(1))
                        break
            position = low.find(word, end)
    return sorted(found, key=lambda name: (found[name], name))


def _plausible(match: re.Match[str], known: list[Mention]) -> bool:
    name, begin = match.group(1), match.start(1)
    parts = name.split()
    if parts[0] in _STOP or _NOT_PERSON.intersection(parts):
        return False
    return not any(m.start < begin + len(name) and begin < m.end for m in known)
