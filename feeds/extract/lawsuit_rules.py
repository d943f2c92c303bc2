"""The binding rules of lawsuits: which organisations sue, are sued, win, lose or settle.

Each rule is a masked-sentence pattern (see `masks.build`) with the role it gives to the
names it captures, and the keys a sentence must contain for the rule to run at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from aiwatch.feeds.extract.masks import build

_SUIT = r"(?:lawsuits?|suits?|complaints?|actions?|cases?|claims?|litigation)"
DESCRIPTORS = (
    "authors",
    "artists",
    "writers",
    "publishers",
    "musicians",
    "illustrators",
    "comedians",
    "newspapers",
    "outlets",
    "record labels",
    "labels",
    "photographers",
    "creators",
    "youtubers",
    "actors",
    "programmers",
    "developers",
    "coders",
    "users",
    "parents",
    "families",
    "rights holders",
    "news organizations",
    "news organisations",
    "songwriters",
    "journalists",
    "news plaintiffs",
    "girls",
    "boys",
    "children",
    "minors",
    "kids",
    "teens",
    "teenagers",
    "women",
    "consumers",
    "residents",
    "employees",
    "workers",
    "students",
    "patients",
    "shareholders",
    "drivers",
    "victims",
    "class members",
)
_PL = "(?:<GROUP>|" + "|".join(d.replace(" ", r"\s+") for d in DESCRIPTORS) + ")"
_GROUP_EXPANDED = build("<GROUP>").pattern


@dataclass(frozen=True, slots=True)
class Rule:
    pattern: re.Pattern[str]
    roles: str  # "normal", "winner", "loser", "favour", "settle"
    kind: str = "lawsuit"
    keys: tuple[str, ...] = ()  # the rule runs only on sentences containing one of these
    needs: tuple[str, ...] = ()  # ... and, if given, one of these too


RULES: tuple[Rule, ...] = (
    Rule(
        build(
            r"(?P<df><GROUP>)\s+<FILL4>(?P<cue>asked|asks|moved|moves|urged|urges|petitioned|"
            r"petitions)\s+<FILL5>to\s+(?:dismiss|reject|toss|throw\s+out|end)\b"
        ),
        "normal",
        keys=("asked", "asks", "moved", "moves", "urged", "urges", "petition"),
    ),
    Rule(
        build(
            r"(?P<df><GROUP>)\s+(?:is|are|was|were|has\s+been|have\s+been|had\s+been|being|"
            r"got|gets|get)\s+(?:\w+\s+)?(?P<cue>sued)(?:\s+<FILL4>by\s+<FILL3>(?P<pl>"
            + _PL
            + "))?"
        ),
        "normal",
        keys=("sued",),
    ),
    Rule(
        build(
            rf"(?P<pl>{_PL})<APPOS>\s+<FILL12>(?P<cue>sue[sd]?|suing|(?:filed|files|file|"
            rf"brought|brings|launched|launches|lodged|lodges)\s+<FILL6>{_SUIT}\s+against|"
            r"took\s+legal\s+action\s+against|(?:is|are)\s+suing)(?!\s+by\b)\s+<FILL3>"
            r"(?P<df><GROUP>)"
        ),
        "normal",
        keys=("sue", "suing", "against"),
    ),
    Rule(
        build(
            rf"(?P<cue>sue[sd]?|suing|(?:filed|files|brought|lodged)\s+<FILL6>{_SUIT}\s+"
            r"against)(?!\s+by\b)\s+<FILL3>(?P<df><GROUP>)"
        ),
        "normal",
        keys=("sue", "suing", "against"),
    ),
    Rule(
        build(
            rf"(?P<cue>{_SUIT})\s+<FILL4>(?:brought\s+|filed\s+|lodged\s+)?by\s+(?:(?!against\b)\S+\s+){{0,3}}?"
            rf"(?P<pl>{_PL})(?:\s+<FILL4>against\s+<FILL3>(?P<df><GROUP>))?"
        ),
        "normal",
        keys=(" by ",),
    ),
    Rule(
        build(
            rf"(?P<pl><GROUP>)\s+<FILL4>(?P<cue>{_SUIT}|infringement|accusations|"
            r"allegations)\s+<FILL5>against\s+<FILL3>(?P<df><GROUP>)"
        ),
        "normal",
        keys=("against",),
    ),
    Rule(
        build(
            rf"(?P<cue>{_SUIT}|infringement|accusations|"
            r"allegations)\s+<FILL5>against\s+<FILL3>(?P<df><GROUP>)"
        ),
        "normal",
        keys=("against",),
    ),
    Rule(
        build(
            r"(?P<df><GROUP>)\s+<FILL4>(?P<cue>fac(?:e|es|ed|ing)|embroiled\s+in|hit\s+"
            r"(?:with|by)|battling|battles|fighting|fights|defending|defends|named\s+in|"
            r"targeted\s+(?:in|by)|mired\s+in|caught\s+up\s+in|must\s+face|to\s+face|"
            r"will\s+face|accused\s+(?:in|of)|being\s+sued)\s+<FILL6>(?:"
            + _SUIT
            + r"|trial|legal\s+action|legal\s+challenges?|allegations|accusations|"
            r"infringement|copyright)"
        ),
        "normal",
        keys=(
            "fac",
            "embroil",
            "hit ",
            "battl",
            "fight",
            "defend",
            "named in",
            "target",
            "mired",
            "caught up",
            "accused",
            "sued",
        ),
    ),
    Rule(
        build(
            r"(?P<w><GROUP>)\s+<FILL3>(?P<cue>won|wins|win|secured|secures|obtained|obtains|"
            r"scored|scores|notched|prevailed|defeated|beat|beats|beaten)\s+<FILL6>(?:ruling|decision|"
            r"judgment|case|lawsuit|verdict|victory|dismissal|fight|battle)(?:\s+<FILL3>"
            r"against\s+<FILL3>(?P<l><GROUP>))?"
        ),
        "winner",
        keys=("won", "win", "secur", "obtain", "scor", "notch", "prevail", "defeat", "beat"),
    ),
    Rule(
        build(
            r"(?P<l><GROUP>)\s+<FILL3>(?P<cue>lost|loses|lose|losing)\s+<FILL6>(?:ruling|"
            r"decision|judgment|case|lawsuit|verdict|bid|fight|battle)\s+<FILL3>against\s+"
            r"<FILL3>(?P<w><GROUP>)"
        ),
        "loser",
        keys=("lost", "lose", "losing"),
    ),
    Rule(
        build(
            r"(?P<df><O>)'s\s+(?:\w+\s+){0,2}?(?P<cue>use|training|copying|motion|bid|request|"
            r"effort|attempt|defen[cs]e|appeal|conduct)\b"
        ),
        "normal",
        keys=("'s ",),
    ),
    Rule(
        build(
            r"(?P<df><GROUP>)\s+<FILL2>(?P<cue>infring(?:ed|es|e|ing)|violat(?:ed|es|e|ing)|"
            r"(?:is|was|were|are|(?:can|could|may|will|would)\s+be)\s+(?:held\s+)?liable|did\s+not\s+(?:commit|infringe)|had\s+not\s+"
            r"infringed|must\s+(?:face|pay|produce|hand))\b(?:\s+<FILL3>(?P<pl><O>)'s?\s)?"
        ),
        "normal",
        keys=("infring", "violat", "liable", "did not", "had not", "must"),
    ),
    Rule(  # "Artists defending a class-action lawsuit claim a win": the class that sues
        build(
            rf"(?P<pl>{_PL})\s+(?:defending|pursuing|who\s+(?:filed|brought|sued|"
            r"are\s+suing))\s+(?:a|an|the|their)\s+(?:[\w-]+\s+){0,2}?(?P<cue>lawsuit|suit|case|"
            r"complaint)"
        ),
        "normal",
        keys=("defending", "pursuing", "who filed", "who sued", "who brought", "are suing"),
    ),
    Rule(  # "in assessing xAI's claims": whose claims they are is the plaintiff
        build(
            r"(?P<pl><O>)'s\s+(?:[\w-]+\s+){0,2}?(?P<cue>claims|allegations|complaint|accusations)\b"
        ),
        "normal",
        keys=("claims", "allegations", "complaint", "accusations"),
    ),
    Rule(  # "Elon Musk ... in a lawsuit accusing OpenAI of poaching"
        build(
            r"(?P<pl><GROUP>)\s+<FILL10>in\s+(?:a|an|its|his|her|their)\s+(?:[\w-]+\s+){0,2}?"
            r"(?P<cue>lawsuit|suit|complaint|case)\s+(?:accusing|against|alleging\s+that)\s+<FILL2>"
            r"(?P<df><GROUP>)"
        ),
        "normal",
        keys=("lawsuit", "suit", "complaint", "case"),
    ),
    Rule(  # "Microsoft sues service for ...": a plaintiff whose defendant is no company
        build(
            r"(?P<pl><GROUP>)\s+(?:(?:also|has|have|had|now|will|is|are)\s+){0,2}?"
            r"(?P<cue>sue[sd]?|suing)\b(?!\s+by\b)"
        ),
        "normal",
        keys=("sue", "suing"),
    ),
    Rule(  # "denied motions to dismiss from Stability AI, Midjourney and DeviantArt"
        build(
            r"(?P<cue>motions?\s+to\s+dismiss|motions?\s+for\s+summary\s+judgment)\s+"
            r"(?:filed\s+)?(?:from|by)\s+<FILL2>(?P<df><GROUP>)"
        ),
        "normal",
        keys=("motion",),
    ),
    Rule(
        build(r"(?P<cue>in\s+favou?r\s+of|sided\s+with)\s+<FILL4>(?P<x><GROUP>)"),
        "favour",
        keys=("favor", "favour", "sided"),
    ),
    Rule(
        build(
            rf"(?P<pl>{_PL})\s+<FILL4>(?:sen[dt]s?|issued|issues|fired\s+off|fires\s+off|"
            r"delivered|delivers)\s+<FILL3>(?P<cue>cease[- ]and[- ]desist)\s+(?:letters?\s+|"
            r"notices?\s+|demands?\s+)?(?:to|against)\s+<FILL3>(?P<df><GROUP>)"
        ),
        "normal",
        "cease-and-desist",
        keys=("cease",),
    ),
    Rule(
        build(
            rf"(?P<pl>{_PL})\s+<FILL4>(?P<cue>accus(?:e|es|ed|ing))\s+<FILL3>"
            r"(?P<df><GROUP>)"
        ),
        "normal",
        "accusation",
        keys=("accus",),
    ),
    Rule(
        build(
            r"(?P<df><GROUP>)\s+<FILL8>(?P<cue>agree[sd]?\s+to\s+(?:pay\s+<FILL6>(?:to\s+)?)?"
            r"settle|settle[sd]?|settling|reach(?:es|ed)?\s+(?:a\s+)?settlement)(?:\s+<FILL6>"
            rf"with\s+<FILL3>(?P<pl>{_PL}))?"
        ),
        "settle",
        keys=("settl",),
    ),
    Rule(
        build(r"(?P<pl><GROUP>)\s+and\s+other\s+(?:\w+\s+)?(?P<cue>plaintiffs)"),
        "normal",
        keys=("plaintiffs",),
    ),
    Rule(
        build(r"(?P<pl><GROUP>)\s+(?P<cue>can|may|could)\s+(?:pursue|proceed|continue)"),
        "normal",
        keys=("pursue", "proceed", "continue"),
    ),
    Rule(  # "claims that OpenAI copied ...", not "the claims that Musk brought"
        build(
            r"(?P<cue>claims?|allegations?)\s+that\s+(?P<df><O>)(?!'s?\s|\s+(?:had\s+|has\s+)?"
            r"(?:brought|filed|made|raised|lodged|pressed|asserted|levied|dropped)\b)"
        ),
        "normal",
        keys=("that",),
    ),
    Rule(
        build(
            r"(?P<cue>order(?:ed|s)?)\s+(?P<df><O>)\s+to\s+(?:produce|hand|turn|preserve|"
            r"pay|disclose|stop|remove|delete)"
        ),
        "normal",
        keys=("order",),
    ),
    Rule(
        build(
            r"(?P<cue>reject\w*|dismiss\w*|toss\w*)\s+(?:\w+\s+){0,2}?(?P<pl><O>)'?s?\s+"
            r"(?:\w+\s+){0,2}?(?:case|lawsuit|suit|claims?|complaint)"
        ),
        "normal",
        keys=("reject", "dismiss", "toss"),
    ),
)


def _variants(rules: tuple[Rule, ...]) -> tuple[Rule, ...]:
    """Split rules whose plaintiff may be an organisation or a descriptor ("authors") in two:
    a regex that may start anywhere is slow, so each variant starts with something rare."""
    result: list[Rule] = []
    pl_or_desc = _PL.replace("<GROUP>", _GROUP_EXPANDED)
    for rule in rules:
        source = rule.pattern.pattern
        if pl_or_desc not in source:
            result.append(rule)
            continue
        orgs = source.replace(pl_or_desc, _GROUP_EXPANDED)
        descs = source.replace(pl_or_desc, "(?:" + _PL.split("|", 1)[1])
        result.append(replace(rule, pattern=re.compile(orgs)))
        result.append(replace(rule, pattern=re.compile(descs), needs=DESCRIPTORS))
    return tuple(result)


RULES = _variants(RULES)
