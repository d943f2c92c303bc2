"""Cue words shared by the event extractors: certainty, kind, status and focus."""

from __future__ import annotations

import re

from aiwatch.feeds.extract.masks import Masked, lower_re
from aiwatch.feeds.extract.vocab import KINDS, STATUSES
from aiwatch.feeds.records import Certainty

_NEGATION = lower_re(
    r"\b(?:not|no|never|neither|nor|den(?:y|ies|ied)|reject(?:s|ed)?|rebuff(?:s|ed)?|"
    r"rul(?:e|es|ed)\s+out|dismiss(?:es|ed)\s+(?:reports?|speculation))\b|n't\b"
)
_NOT_ONLY = lower_re(r"\bnot\s+only\b")
_DENIAL = lower_re(r"\bden(?:y|ies|ied)\b|\bfalse\b")
# Each alternative starts with its letter and checks the word boundary after it
# (``r(?<!\w.)`` is ``\br``), so the regex engine skips in C to the letters that can
# begin a match instead of trying the whole pattern at every character.
RUMOUR_ANYWHERE = lower_re(
    r"r(?<!\w.)eportedly\b|p(?<!\w.)eople\s+(?:familiar|close|briefed)|s(?<!\w.)ources?\s+"
    r"(?:said|say|familiar|close)|c(?<!\w.)iting\s+(?:\w+\s+){0,3}?(?:people|sources|persons|"
    r"executives)|a(?<!\w.)ccording\s+to\s+(?:\w+\s+){0,2}?(?:people|sources|reports?)\b|"
    r"r(?<!\w.)umou?r(?:s|ed)?\b|s(?<!\w.)aid\s+to\s+be\b|i(?<!\w.)s\s+said\s+to\b|"
    r"s(?<!\w.)peculat\w+|r(?<!\w.)eports?\s+(?:says?|said|shows?|suggests?)\b"
)
# Literal stems every `RUMOUR_ANYWHERE` match contains (see `rumoured`).
_RUMOUR_STEMS = ("report", "people", "source", "citing", "according", "rumo", "said", "speculat")


def rumoured(low: str) -> bool:
    """Whether lower-case ``low`` holds a rumour cue (`RUMOUR_ANYWHERE`); the pattern is
    searched only in text holding one of its stems (most clauses hold none)."""
    return any(map(low.__contains__, _RUMOUR_STEMS)) and RUMOUR_ANYWHERE.search(low) is not None


_RUMOUR_BEFORE = lower_re(
    r"\b(?:could|may|might|would|consider(?:s|ing)|weigh(?:s|ing)|explor(?:es|ing)|talks|"
    r"negotiations|discussions|near(?:s|ing)|eye(?:s|ing)|potential(?:ly)?|possible|possibly|"
    r"mull(?:s|ing)?|in\s+the\s+works|hop(?:es|ing)\s+to|seek(?:s|ing)\s+to)\b"
)
_TALK_CUE = lower_re(r"talk|negotiat|discussion")

_FOCUS = lower_re(  # letter first, as `RUMOUR_ANYWHERE`
    r"(?:t(?<!\w.)o\s+(?P<verb>co-develop|develop|build|create|bring|offer|use|train|license|"
    r"licence|power|integrate|deploy|provide|supply|distribute|share|display|deliver|show|make|"
    r"explore|launch|research|design|produce|improve|advance|accelerate|expand|give|let|allow)|"
    r"f(?<!\w.)or|o(?<!\w.)n|a(?<!\w.)round|f(?<!\w.)ocus(?:ed|ing)?\s+on|a(?<!\w.)imed\s+at|"
    r"c(?<!\w.)overing|c(?<!\w.)ent(?:red|ered)\s+on)\s+"
    r"(?P<focus>[^,;.()\"?!]{3,120})"
)
_FOCUS_STOP = re.compile(
    r"\s(?:that|which|who|after|while|under|as|starting|with|according|in\s+a|in\s+an|from)\s",
    re.I,
)
_NOT_FOCUS = re.compile(
    r"^(?:\d|\$|€|£|about|up|more|years?|decades?|months?|weeks?|days?|the\s+first|the\s+past|"
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|march|april|"
    r"may|june|july|august|september|october|november|december|today|tonight|now|its\s+part)\b",
    re.I,
)
_KEEP_VERB = frozenset(
    {
        "bring",
        "offer",
        "use",
        "train",
        "license",
        "licence",
        "power",
        "integrate",
        "deploy",
        "provide",
        "supply",
        "distribute",
        "share",
        "display",
        "deliver",
        "show",
        "launch",
        "improve",
        "advance",
        "accelerate",
        "expand",
    }
)


_HEDGES = frozenset(
    re.findall(
        r"\S+",
        """
        not no never neither nor deny denies denied reject rejects rejected rebuff rebuffs
        rebuffed rule rules ruled dismisses dismissed false could may might would consider
        considers considering weigh weighs weighing explore explores exploring talks
        negotiations discussions near nears nearing eye eyes eyeing potential potentially
        possible possibly mull mulls mulling works hope hopes hoping seek seeks seeking
        """,
    )
)


def certainty_of(clause: str, cue_start: int, cue: str) -> Certainty:
    """How sure a clause is about the event whose cue starts at ``cue_start``."""
    clause = clause.lower()
    cue = cue.lower()
    plain = _HEDGES.isdisjoint(clause.replace("n't", " not ").split())
    if plain and not _TALK_CUE.search(cue) and not rumoured(clause):
        return "fact"
    before = clause[:cue_start]
    window = " ".join(before.split()[-7:])
    if (_NEGATION.search(window) and not _NOT_ONLY.search(window)) or _DENIAL.search(clause):
        return "negated"
    if _TALK_CUE.search(cue) or _RUMOUR_BEFORE.search(window) or rumoured(clause):
        return "rumour"
    return "fact"


def kind_of(text: str) -> str:
    """Partnership kind from the words of its clause."""
    return KINDS.first(text) or "general"


def status_of(text: str) -> str:
    """Partnership status (ended, amended, expanded, announced) from its clause."""
    return STATUSES.first(text) or "announced"


def _tidy(phrase: str, from_title: bool) -> str:
    phrase = _FOCUS_STOP.split(" " + phrase + " ", maxsplit=1)[0].strip()
    words = phrase.split()[:9]
    while words and words[0].lower() in {"the", "a", "an"}:
        words = words[1:]
    while words and words[-1].lower() in {"and", "or", "the", "a", "of", "to", "in", "its"}:
        words = words[:-1]
    if from_title:
        words = [w if (w.isupper() or any(c.isdigit() for c in w)) else w.lower() for w in words]
    return " ".join(words)


def focus_of(masked: Masked, rest: str) -> str:
    """What a partnership is about, from the words after its parties and cue."""
    found: list[str] = []
    text = masked.unmask(rest)
    low = text.lower()
    if len(low) != len(text):
        low = text = text.lower()
    for match in _FOCUS.finditer(low):
        focus = text[match.start("focus") : match.end("focus")].strip()
        verb = match.group("verb") or ""
        if not verb and _NOT_FOCUS.match(focus):
            continue
        phrase = _tidy(focus, masked.sentence.zone == "title")
        if verb in _KEEP_VERB:
            phrase = f"{verb} {phrase}"
        if len(phrase) >= 3 and phrase.lower() not in (f.lower() for f in found):
            found.append(phrase)
        if len(found) == 2:
            break
    return "; ".join(found)
