"""Legal vocabulary: case stage, claims, ruling, court, docket number and caption."""

from __future__ import annotations

import re

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
    ("settled", re.compile(r"\bsettl(?:e|es|ed|ing|ement|ements)\b", re.I)),
    (
        "dismissed",
        re.compile(
            r"\b(?:dismiss(?:ed|es|ing)|toss(?:ed|es)|thr(?:ew|own)\s+out|drop(?:ped|s))\s+(?:the\s+|a\s+|"
            r"an\s+|this\s+|that\s+|their\s+|its\s+)?(?:[\w'-]+\s+){0,3}?(?:lawsuit|suit|case|complaint)s?"
            r"\b|\b(?:lawsuit|suit|case|complaint)\s+(?:was|were|has\s+been|is)\s+(?:dismissed|tossed|"
            r"thrown\s+out)",
            re.I,
        ),
    ),
    ("appeal", re.compile(r"\bappeal(?:s|ed|ing)?\b|\bappellate\b|\bcircuit\b", re.I)),
    (
        "ruling",
        re.compile(
            r"\brul(?:ed|es|ing|ings)\b|\bverdict\b|\bdecision\b|\bsided\s+with\b|\bfound\s+that\b|"
            r"\bfinding\s+that\b|\bcertif(?:ied|ies)\b|\bupheld\b|\bgranted\b|\bgranting\b|\bdenied\b|"
            r"\bdenying\b|\brejected\b|\brejecting\b|\bdismiss(?:ed|es)\s+(?:most|some|part|parts|"
            r"several|many|certain|all\s+but)\b|\bjudge\s+(?:found|finds|held|holds|allowed|allows)\b"
            r"|\bin\s+favou?r\s+of\b",
            re.I,
        ),
    ),
    ("summary-judgment", re.compile(r"\bsummary\s+judgment\b", re.I)),
    (
        "discovery",
        re.compile(
            r"\bdiscovery\b|\bdepositions?\b|\border(?:ed|s)?\s+(?:\S+\s+){0,2}?to\s+(?:produce|preserve|"
            r"hand\s+over|turn\s+over|disclose)",
            re.I,
        ),
    ),
    (
        "motion-to-dismiss",
        re.compile(
            r"\bmotion\s+to\s+dismiss\b|\bmoved\s+to\s+dismiss\b|\b(?:asks?|asked|seeks?|sought|wants?)"
            r"\s+(?:\S+\s+){0,3}?to\s+(?:dismiss|toss|throw\s+out)",
            re.I,
        ),
    ),
)
_CLAIMS = (
    ("DMCA", re.compile(r"\bDMCA\b|Digital Millennium|copyright management information", re.I)),
    ("copyright", re.compile(r"copyright|pirat|plagiar|(?<!patent )(?<!trademark )infring", re.I)),
    ("trademark", re.compile(r"trademark|Lanham|watermark", re.I)),
    (
        "contract",
        re.compile(r"contract|terms of (?:service|use)|user agreement|founding mission", re.I),
    ),
    ("privacy", re.compile(r"privacy|personal data|biometric|wiretap", re.I)),
    ("unfair-competition", re.compile(r"unfair competition|unjust enrichment", re.I)),
    ("antitrust", re.compile(r"antitrust|monopol|anticompetitive", re.I)),
    ("defamation", re.compile(r"defam|libel|slander", re.I)),
    ("right-of-publicity", re.compile(r"likeness|right of publicity", re.I)),
    ("patent", re.compile(r"\bpatent", re.I)),
    ("trade-secret", re.compile(r"trade secret", re.I)),
    ("product-liability", re.compile(r"wrongful death|product liability|negligen", re.I)),
)
_NOT_FAIR_USE = re.compile(
    r"\b(?:not|n't|no|reject\w*|den(?:y|ied|ies)|deny\w*)\s+(?:\S+\s+){0,3}?fair\s+use", re.I
)
_FAIR_USE = re.compile(r"fair\s+use", re.I)
_INFRINGED = re.compile(r"\binfring(?:ed|es)\b|\bliable\b|\bviolat(?:ed|es)\b", re.I)
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
_DOCKET = re.compile(
    r"\b(?:Case\s+No\.|No\.|case\s+number|docket(?:\s+number)?)\s*:?\s*(\d[\w:.-]*\d)"
    r"|\b(\d:\d{2}-cv-\d{3,6}(?:-[A-Z]{2,4})?)\b"
)
CAPTION = re.compile(
    r"\b(?P<pl>[A-Z][\w.&'-]*(?:\s+(?:[A-Z][\w.&'-]*|of|the|and|&|de|for)){0,5}?)\s+"
    r"(?:v\.|vs\.?|versus)\s+(?P<df>[A-Z][\w.&'-]*(?:\s+(?:[A-Z][\w.&'-]*|of|the|and|&)){0,5})"
)
_CAPTION_LEAD = re.compile(r"^(?:(?:In|At|From|Under|After|During|On|For|With|By|Judge|See)\s+)+")
_CAPTION_TAIL = re.compile(r"(?:,?\s+(?:Inc|Corp|Ltd|LLC|Co|et\s+al)\.?)+$|[.,']+$")


def stage_of(clause: str) -> str:
    """The procedural stage a clause reports; "filed" when it names none."""
    for stage, pattern in _STAGES:
        if pattern.search(clause):
            return stage
    return "filed"


def stage_rank(stage: str) -> int:
    """Order of stages, for merging facts about the same case."""
    return STAGE_ORDER.index(stage) if stage in STAGE_ORDER else 0


def claims_of(text: str) -> tuple[str, ...]:
    """Causes of action named in ``text``."""
    return tuple(name for name, pattern in _CLAIMS if pattern.search(text))


def ruling_of(clause: str, stage: str) -> str | None:
    """What a ruling decided, when the clause reports one."""
    if stage not in ("ruling", "appeal", "summary-judgment", "dismissed"):
        return None
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
    match = _COURT.search(text)
    return match.group().strip() if match else None


def docket_of(text: str) -> str | None:
    """A docket/case number in ``text``, if any."""
    match = _DOCKET.search(text)
    return (match.group(1) or match.group(2)) if match else None


def caption_parties(text: str) -> list[tuple[str, str, int, int]]:
    """``X v. Y`` captions: (plaintiff, defendant, start, end) as written."""
    found = []
    for match in CAPTION.finditer(text):
        plaintiff = _CAPTION_TAIL.sub("", _CAPTION_LEAD.sub("", match.group("pl"))).strip()
        defendant = _CAPTION_TAIL.sub("", match.group("df")).strip()
        if plaintiff and defendant:
            found.append((plaintiff, defendant, match.start(), match.end()))
    return found
