"""Names not in the knowledge base: organisations from clear context, and people."""

from __future__ import annotations

import re

from feeds.extract.legal import caption_parties, has_caption
from feeds.extract.names import Mention
from feeds.kb import KnowledgeBase

_NAME = r"[A-Z][\w&'-]*(?:\.[A-Za-z]+)?"
_SUFFIXED = re.compile(
    rf"\b((?:{_NAME}\s+){{0,3}}{_NAME})\s*,?\s+(Inc|Corp|Corporation|Ltd|LLC|plc|GmbH|S\.A|Co)\b\.?"
)
_STARTUP = re.compile(
    rf"\b(?:startup|start-up|company|firm|lab|developer|maker|rival)\s+((?:{_NAME}\s+){{0,2}}{_NAME})"
)
_APPOSITION_ANCHOR = re.compile(
    r",\s+(?:an?|the)\s+(?:[\w-]+\s+){0,4}?(?:startup|company|firm|lab|developer|maker)\b"
)
_NAME_BEFORE = re.compile(rf"((?:{_NAME}\s+){{0,2}}{_NAME})$")
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
    kb: KnowledgeBase, text: str, title_end: int, known: list[Mention]
) -> list[Mention]:
    """Organisations outside the knowledge base named with clear corporate context,
    found in one pass over the document (``text[:title_end]`` is the title)."""
    spans: list[tuple[int, str]] = []
    if _SUFFIX_GATE.search(text):
        spans += [(m.start(1), m.group(1)) for m in _SUFFIXED.finditer(text)]
    if _CONTEXT_GATE.search(text, title_end):
        spans += [(m.start(1), m.group(1)) for m in _STARTUP.finditer(text, title_end)]
        for anchor in _APPOSITION_ANCHOR.finditer(text, title_end):
            before = _NAME_BEFORE.search(text, max(title_end, anchor.start() - 60), anchor.start())
            if before:
                spans.append((before.start(1), before.group(1)))
    if has_caption(text):
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


def people_in(text: str, title_end: int, known: list[Mention]) -> list[str]:
    """Named people, found cheaply from roles and speech verbs (not in the title)."""
    if not _PEOPLE_GATE.search(text, title_end):
        return []
    names: list[str] = []
    for pattern in _PEOPLE:
        for match in pattern.finditer(text, title_end):
            name = match.group(1)
            begin = match.start(1)
            words = name.split()
            if words[0] in _STOP or _NOT_PERSON.intersection(words):
                continue
            if any(m.start < begin + len(name) and begin < m.end for m in known):
                continue
            if name not in names:
                names.append(name)
    return names
