"""Names not in the knowledge base: organisations from clear context, and people."""

from __future__ import annotations

import re

from feeds.extract.legal import caption_parties
from feeds.extract.names import Mention
from feeds.extract.sentences import Sentence
from feeds.kb import KnowledgeBase

_NAME = r"[A-Z][\w&'-]*(?:\.[A-Za-z]+)?"
_SUFFIXED = re.compile(
    rf"\b((?:{_NAME}\s+){{0,3}}{_NAME})\s*,?\s+(Inc|Corp|Corporation|Ltd|LLC|plc|GmbH|S\.A|Co)\b\.?"
)
_STARTUP = re.compile(
    rf"\b(?:startup|start-up|company|firm|lab|developer|maker|rival)\s+((?:{_NAME}\s+){{0,2}}{_NAME})"
)
_APPOSITION = re.compile(
    rf"\b((?:{_NAME}\s+){{0,2}}{_NAME}),\s+(?:an?|the)\s+(?:[\w-]+\s+){{0,4}}?"
    r"(?:startup|company|firm|lab|developer|maker)\b"
)
_SUFFIX_HINTS = (" Inc", " Corp", " Ltd", " LLC", " plc", " GmbH", " S.A", " Co.", " Co ")
_CONTEXT_HINTS = ("startup", "start-up", "company", "firm", "lab", "developer", "maker", "rival")
_PEOPLE_HINTS = (
    "said",
    "says",
    "told",
    "wrote",
    "posted",
    "announced",
    "CEO",
    "CTO",
    "COO",
    "CFO",
    "hief",
    "ounder",
    "resident",
    "ead",
    "irector",
    "hair",
    "pokes",
    "rofessor",
    "nalyst",
    "udge",
    "ustice",
    "enator",
    "overnor",
    "ommissioner",
    "ecretary",
    "omedian",
    "uthor",
    "rtist",
    "xecutive",
    "ice ",
    "agistrate",
    "Musk",
)
_PEOPLE_GATE = re.compile("|".join(_PEOPLE_HINTS))
_SUFFIX_GATE = re.compile("|".join(re.escape(hint) for hint in _SUFFIX_HINTS))
_CONTEXT_GATE = re.compile("|".join(_CONTEXT_HINTS))
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
_ROLE = (
    r"(?:CEO|CTO|COO|CFO|[Cc]hief\s+(?:[A-Z]\w*\s+){0,2}[Oo]fficer|[Cc]hief\s+[Ee]xecutive|"
    r"[Cc]o-?founder|[Ff]ounder|[Pp]resident|[Hh]ead|[Dd]irector|[Cc]hair(?:man|woman)?|"
    r"[Ss]pokes(?:person|man|woman)|[Pp]rofessor|[Aa]nalyst|[Jj]udge|[Ee]xecutive|[Vv]ice)"
)
_PERSON = r"([A-Z][a-z]+(?:[ -][A-Z][a-z']+(?:\.)?){1,2})"
_PEOPLE = (
    re.compile(rf"{_PERSON},\s+(?:the\s+|an?\s+)?(?:[\w.&-]+(?:'s)?\s+){{0,3}}?{_ROLE}"),
    re.compile(
        rf"\b(?:{_ROLE}|Judge|Justice|Senator|Governor|Commissioner|Secretary|comedian|"
        rf"author|artist|President|Magistrate|Musk's)\s+{_PERSON}"
    ),
    re.compile(rf"{_PERSON}\s+(?:said|says|told|wrote|posted|announced)\b"),
)
_NOT_PERSON = frozenset(["District", "Court", "Circuit", "Appeals", "Judge", "Chief", "Officer"])


def _clean(name: str) -> str:
    words = name.split()
    while words and words[0] in _STOP:
        words = words[1:]
    return " ".join(words).strip(" .,'")


def unknown_organisations(
    kb: KnowledgeBase, sentence: Sentence, known: list[Mention]
) -> list[Mention]:
    """Organisations outside the knowledge base named with clear corporate context."""
    found: list[Mention] = []
    text = sentence.text
    patterns = []
    if _SUFFIX_GATE.search(text):
        patterns.append(_SUFFIXED)
    if sentence.zone != "title" and _CONTEXT_GATE.search(text):
        patterns += [_STARTUP, _APPOSITION]
    spans = [(m.start(1), m.group(1)) for p in patterns for m in p.finditer(text)]
    if " v" in text:
        spans += [
            (start, party)
            for pl, df, start, _ in caption_parties(text)
            for party in (pl, df)
            if text.find(party, start) >= 0
        ]
    for start, raw in spans:
        name = _clean(raw)
        if len(name) < 2 or kb.lookup(name) is not None or name in _STOP:
            continue
        begin = sentence.start + text.find(name, start if start >= 0 else 0)
        end = begin + len(name)
        if any(m.start < end and begin < m.end for m in (*known, *found)):
            continue
        found.append(Mention(begin, end, name, None))
    return found


def people_in(sentence: Sentence, known: list[Mention]) -> list[str]:
    """Named people, found cheaply from roles and speech verbs."""
    if sentence.zone == "title" or not _PEOPLE_GATE.search(sentence.text):
        return []
    names: list[str] = []
    for pattern in _PEOPLE:
        for match in pattern.finditer(sentence.text):
            name = match.group(1)
            begin = sentence.start + match.start(1)
            words = name.split()
            if words[0] in _STOP or _NOT_PERSON.intersection(words):
                continue
            if any(m.start < begin + len(name) and begin < m.end for m in known):
                continue
            if name not in names:
                names.append(name)
    return names
