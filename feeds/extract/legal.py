"""Legal vocabulary: case stage, claims, ruling, court, docket number and caption."""

from __future__ import annotations

import re

from aiwatch.feeds.extract.masks import lower_re
from aiwatch.feeds.extract.vocab import claims_in

STAGE_ORDER = (
    "filed",
    "motion-to-dismiss",
    "discovery",
    "summary-judgment",
    "ruling",
    "appeal",
    "settled",
    "dismissed",
)
_STAGES = (
    ("settled", lower_re(r"\bsettl(?:e|es|ed|ing|ement|ements)\b")),
    (
        "dismissed",
        lower_re(
            r"\b(?:dismiss(?:ed|es|ing)|toss(?:ed|es)|thr(?:ew|own)\s+out|drop(?:ped|s))\s+(?:the\s+|a\s+|"
            r"an\s+|this\s+|that\s+|their\s+|its\s+)?(?:[\w'-]+\s+){0,3}?(?:lawsuit|suit|case|complaint)s?"
            r"\b|\b(?:lawsuit|suit|case|complaint)\s+(?:was|were|has\s+been|is)\s+(?:dismissed|tossed|"
            r"thrown\s+out)"
        ),
    ),
    ("appeal", lower_re(r"\bappeal(?:s|ed|ing)?\b|\bappellate\b|\bcircuit\b")),
    (
        "ruling",
        lower_re(
            r"\brul(?:ed|es|ing|ings)\b|\bverdict\b|\bdecision\b|\bsided\s+with\b|\bfound\s+that\b|"
            r"\bfinding\s+that\b|\bcertif(?:ied|ies)\b|\bupheld\b|\bgranted\b|\bgranting\b|\bdenied\b|"
            r"\bdenying\b|\brejected\b|\brejecting\b|\bdismiss(?:ed|es)\s+(?:most|some|part|parts|"
            r"several|many|certain|all\s+but)\b|\bjudge\s+(?:found|finds|held|holds|allowed|allows)\b"
            r"|\bin\s+favou?r\s+of\b"
        ),
    ),
    ("summary-judgment", lower_re(r"\bsummary\s+judgment\b")),
    (
        "discovery",
        lower_re(
            r"\bdiscovery\b|\bdepositions?\b|\border(?:ed|s)?\s+(?:\S+\s+){0,2}?to\s+(?:produce|preserve|"
            r"hand\s+over|turn\s+over|disclose)"
        ),
    ),
    (
        "motion-to-dismiss",
        lower_re(
            r"\bmotion\s+to\s+dismiss\b|\bmoved\s+to\s+dismiss\b|\b(?:asks?|asked|seeks?|sought|wants?)"
            r"\s+(?:\S+\s+){0,3}?to\s+(?:dismiss|toss|throw\s+out)"
        ),
    ),
)
_NOT_FAIR_USE = lower_re(
    r"\b(?:not|n't|no|reject\w*|den(?:y|ied|ies)|deny\w*)\s+(?:\S+\s+){0,3}?fair\s+use"
)
_FAIR_USE = lower_re(r"fair\s+use")
_INFRINGED = lower_re(r"\binfring(?:ed|es)\b|\bliable\b|\bviolat(?:ed|es)\b")
_COURT = re.compile(
    r"(?:U\.S\.|US|United States)\s+District\s+Court\s+for\s+the\s+(?:[A-Z][a-z]+\s+)?District"
    r"\s+of\s+[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?"
    r"|(?:U\.S\.\s+|US\s+)?Court\s+of\s+Appeals\s+for\s+the\s+(?:[A-Z][\w.]*\s+){1,2}Circuit"
    r"|\b(?:First|Second|Third|Fourth|Fifth|Sixth|Seventh|Eighth|Ninth|Tenth|Eleventh|D\.C\.|"
    r"Federal)\s+Circuit\b"
    r"|\b(?:[A-Z][a-z]+(?:'s)?\s+){1,2}(?:High|District|Regional|Superior|Supreme|Circuit)\s+Court\b"
    r"|\b(?:the\s+)?(?:High|Supreme)\s+Court\b"
    r"|\b(?:federal|district|state)\s+(?:district\s+)?court\s+in\s+[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?"
    r"|\b(?:[A-Z][a-z]+\s+){1,2}(?:federal|state)\s+court\b"
)
_DOCKET_HINTS = ("No.", "-cv-", "ocket", "case number")  # `docket_of` searches only text with one
_DOCKET = re.compile(
    r"\b(?:Case\s+No\.|No\.|case\s+number|docket(?:\s+number)?)\s*:?\s*(\d[\w:.-]*\d)"
    r"|\b(\d:\d{2}-cv-\d{3,6}(?:-[A-Z]{2,4})?)\b"
)
# The \b before the plaintiff is a look-behind after its capital: a pattern that starts
# with a character set is searched from capital to capital in C, not tried everywhere.
CAPTION = re.compile(
    r"(?P<pl>[A-Z](?<!\w.)[\w.&'-]*(?:\s+(?:[A-Z][\w.&'-]*|of|the|and|&|de|for)){0,5}?)\s+"
    r"(?:v\.|vs\.?|versus)\s+(?P<df>[A-Z][\w.&'-]*(?:\s+(?:[A-Z][\w.&'-]*|of|the|and|&)){0,5})"
)
CAPTION_WORDS = frozenset({"v", "vs", "versus"})
"""A `CAPTION` match contains one of these (lower-case) words."""
_CAPTION_LEAD = re.compile(r"^(?:(?:In|At|From|Under|After|During|On|For|With|By|Judge|See)\s+)+")
_CAPTION_TAIL = re.compile(r"(?:,?\s+(?:Inc|Corp|Ltd|LLC|Co|et\s+al)\.?)+$|[.,']+$")


# Every match of a stage's pattern contains one of these: the pattern runs only then.
_STAGE_HINTS = {
    "settled": ("settl",),
    "dismissed": ("dismiss", "toss", "thr", "drop"),
    "appeal": ("appe", "circuit"),
    "ruling": (
        "rul",
        "verdict",
        "decision",
        "sided",
        "found",
        "finding",
        "certif",
        "upheld",
        "grant",
        "denied",
        "denying",
        "reject",
        "dismiss",
        "judge",
        "favo",
    ),
    "summary-judgment": ("summary",),
    "discovery": ("discovery", "deposition", "order"),
    "motion-to-dismiss": ("dismiss", "toss", "throw"),
}
_HINTED_STAGES = tuple((stage, _STAGE_HINTS[stage], pattern) for stage, pattern in _STAGES)


def stage_of(clause: str) -> str:
    """The procedural stage a clause reports; "filed" when it names none."""
    low = clause.lower()  # the earliest-listed stage wins: one search each, in order
    contains = low.__contains__
    for stage, hints, pattern in _HINTED_STAGES:
        if any(map(contains, hints)) and pattern.search(low):
            return stage
    return "filed"


def stage_rank(stage: str) -> int:
    """Order of stages, for merging facts about the same case."""
    return STAGE_ORDER.index(stage) if stage in STAGE_ORDER else 0


def claims_of(text: str) -> tuple[str, ...]:
    """Causes of action named in ``text``."""
    return claims_in(text)


def ruling_of(clause: str, stage: str) -> str | None:
    """What a ruling decided, when the clause reports one."""
    if stage not in ("ruling", "appeal", "summary-judgment", "dismissed"):
        return None
    clause = clause.lower()
    if _NOT_FAIR_USE.search(clause):
        return "not fair use"
    if _FAIR_USE.search(clause):
        return "fair use"
    if stage == "dismissed":
        return "dismissed"
    if _INFRINGED.search(clause):
        return "infringement"
    return None


def court_of(text: str) -> str | None:
    """The court named in ``text``, if any."""
    if "ourt" not in text and "ircuit" not in text:
        return None
    match = _COURT.search(text)
    return match.group().strip() if match else None


def docket_of(text: str) -> str | None:
    """A docket/case number in ``text``, if any."""
    if not any(map(text.__contains__, _DOCKET_HINTS)):  # the tests in C
        return None
    match = _DOCKET.search(text)
    return (match.group(1) or match.group(2)) if match else None


def has_caption(text: str) -> bool:
    """Cheap test for a possible ``X v. Y`` caption."""
    return " v. " in text or " vs" in text or " versus " in text or " v " in text


def caption_parties(text: str) -> list[tuple[str, str, int, int]]:
    """``X v. Y`` captions: (plaintiff, defendant, start, end) as written."""
    found = []
    for match in CAPTION.finditer(text):
        plaintiff = _CAPTION_TAIL.sub("", _CAPTION_LEAD.sub("", match.group("pl"))).strip()
        defendant = _CAPTION_TAIL.sub("", match.group("df")).strip()
        if plaintiff and defendant:
            found.append((plaintiff, defendant, match.start(), match.end()))
    return found
