"""Cue words shared by the event extractors: certainty, kind, status and focus."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from feeds.records import Certainty

if TYPE_CHECKING:
    from feeds.extract.masks import Masked

_NEGATION = re.compile(
    r"\b(?:not|no|never|neither|nor|den(?:y|ies|ied)|reject(?:s|ed)?|rebuff(?:s|ed)?|"
    r"rul(?:e|es|ed)\s+out|dismiss(?:es|ed)\s+(?:reports?|speculation))\b|n't\b",
    re.I,
)
_NOT_ONLY = re.compile(r"\bnot\s+only\b", re.I)
_DENIAL = re.compile(r"\bden(?:y|ies|ied)\b|\bfalse\b", re.I)
_RUMOUR_ANYWHERE = re.compile(
    r"\breportedly\b|\bpeople\s+(?:familiar|close|briefed)|\bsources?\s+(?:said|say|familiar|"
    r"close)|\bciting\s+(?:\w+\s+){0,3}?(?:people|sources|persons|executives)|\baccording\s+to\s+"
    r"(?:\w+\s+){0,2}?(?:people|sources|reports?)\b|\brumou?r(?:s|ed)?\b|\bsaid\s+to\s+be\b|"
    r"\bis\s+said\s+to\b|\bspeculat\w+|\breports?\s+(?:says?|said|shows?|suggests?)\b",
    re.I,
)
_RUMOUR_BEFORE = re.compile(
    r"\b(?:could|may|might|would|consider(?:s|ing)|weigh(?:s|ing)|explor(?:es|ing)|talks|"
    r"negotiations|discussions|near(?:s|ing)|eye(?:s|ing)|potential(?:ly)?|possible|possibly|"
    r"mull(?:s|ing)?|in\s+the\s+works|hop(?:es|ing)\s+to|seek(?:s|ing)\s+to)\b",
    re.I,
)
_TALK_CUE = re.compile(r"talk|negotiat|discussion", re.I)

_KINDS = (
    ("licensing", re.compile(r"\blicen[cs]\w*", re.I)),
    ("investment", re.compile(r"\binvest\w*|\bstakes?\b|\bequity\b|\bfunding\b", re.I)),
    (
        "compute",
        re.compile(
            r"\bcompute\b|\bcomputing\b|\bcloud\b|\bGPUs?\b|\bTPUs?\b|tensor processing|\bchips?\b|"
            r"\baccelerators?\b|\bdata cent(?:er|re)s?\b|supercomput\w+|\bgigawatts?\b",
            re.I,
        ),
    ),
    (
        "content",
        re.compile(
            r"\bcontent\b|\bnews\b|\barticles?\b|\barchives?\b|\bjournalism\b|\bposts\b|"
            r"\bcatalog(?:ue)?s?\b|\bpublishers?\b|\btraining data\b|\bdatasets?\b",
            re.I,
        ),
    ),
    (
        "distribution",
        re.compile(
            r"\bintegrat\w+|\bavailable\b|\bdistribut\w+|\bbring\w*\b|\bapps?\b|\bpower(?:s|ing)?\b|"
            r"\bembed\w*|\bdefault\b|\bpreinstall\w*|\bplatforms?\b|\bdevices?\b",
            re.I,
        ),
    ),
    (
        "research",
        re.compile(
            r"\bresearch\w*|\bdevelop\w*|\bco-develop\w*|\bbuild\w*|\bmodels?\b|\bscien\w+", re.I
        ),
    ),
)
_STATUSES = (
    (
        "ended",
        re.compile(
            r"\b(?:end(?:s|ed|ing)?|terminat\w+|scrap(?:s|ped)?|cut(?:s|ting)?\s+ties|"
            r"pull(?:s|ed)?\s+out|walk(?:s|ed)?\s+away|dissolv\w+|wind(?:s|ing)?\s+down|"
            r"expire[sd]?|no\s+longer)\b",
            re.I,
        ),
    ),
    (
        "amended",
        re.compile(
            r"\b(?:amend\w*|renegotiat\w+|restructur\w+|revis(?:e|es|ed|ing)|rework\w*|"
            r"new\s+terms)\b",
            re.I,
        ),
    ),
    (
        "expanded",
        re.compile(
            r"\b(?:expan(?:d|ds|ded|ding|sion)|extend(?:s|ed|ing)?|extension|deepen\w*|broaden\w*|"
            r"renew\w*|additional|another|doubl(?:e|es|ed|ing))\b",
            re.I,
        ),
    ),
)
_FOCUS = re.compile(
    r"\b(?:to\s+(?P<verb>co-develop|develop|build|create|bring|offer|use|train|license|licence|"
    r"power|integrate|deploy|provide|supply|distribute|share|display|deliver|show|make|explore|"
    r"launch|research|design|produce|improve|advance|accelerate|expand|give|let|allow)|for|on|"
    r"around|focus(?:ed|ing)?\s+on|aimed\s+at|covering|cent(?:red|ered)\s+on)\s+"
    r"(?P<focus>[^,;.()\"?!]{3,120})",
    re.I,
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


def certainty_of(clause: str, cue_start: int, cue: str) -> Certainty:
    """How sure a clause is about the event whose cue starts at ``cue_start``."""
    before = clause[:cue_start]
    window = " ".join(before.split()[-7:])
    if (_NEGATION.search(window) and not _NOT_ONLY.search(window)) or _DENIAL.search(clause):
        return "negated"
    if _TALK_CUE.search(cue) or _RUMOUR_BEFORE.search(window) or _RUMOUR_ANYWHERE.search(clause):
        return "rumour"
    return "fact"


def kind_of(text: str) -> str:
    """Partnership kind from the words of its clause."""
    for kind, pattern in _KINDS:
        if pattern.search(text):
            return kind
    return "general"


def status_of(text: str) -> str:
    """Partnership status (ended, amended, expanded, announced) from its clause."""
    for status, pattern in _STATUSES:
        if pattern.search(text):
            return status
    return "announced"


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
    for match in _FOCUS.finditer(text):
        focus = match.group("focus").strip()
        verb = (match.group("verb") or "").lower()
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
