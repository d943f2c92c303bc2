"""Lawsuits, cease-and-desist letters and accusations, bound to their parties."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from feeds.extract.legal import (
    caption_parties,
    claims_of,
    court_of,
    docket_of,
    has_caption,
    ruling_of,
    stage_of,
)
from feeds.extract.masks import Masked, build, group_names, lower_re, lowered
from feeds.kb import KnowledgeBase
from feeds.records import CaseFact, Certainty

_SUIT = r"(?:lawsuits?|suits?|complaints?|actions?|cases?|claims?|litigation)"
_DESCRIPTORS = (
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
)
_PL = "(?:<GROUP>|" + "|".join(d.replace(" ", r"\s+") for d in _DESCRIPTORS) + ")"
_GROUP_EXPANDED = build("<GROUP>").pattern
_DESC = lower_re(
    r"(authors|artists|writers|publishers|musicians|illustrators|comedians|newspapers|outlets|"
    r"record labels|labels|photographers|creators|youtubers|actors|programmers|developers|coders|"
    r"users|parents|families|rights holders|news organi[sz]ations|songwriters|journalists)\s*$"
)
CUES = lower_re(
    r"\bsu(?:e|es|ed|ing|its?)\b|lawsuit|litigation|complaint|court|judge|rul(?:ed|ing)|settle|"
    r"cease|accus|infring|fair use|plaintiff|class action|\bv\.|legal action|trial|allegation"
)
_LAWSUIT_WORDS = lower_re(r"\bsu(?:e|es|ed|ing|its?)\b|lawsuit|complaint|court|litigation")
_RUMOUR = lower_re(
    r"threaten\w*\s+(?:to\s+sue|legal)|consider\w*\s+(?:legal|suing)|"
    r"(?:could|may|might|plans?\s+to)\s+sue"
)
_NEGATED = lower_re(r"\b(?:not|never|no)\s+(?:\w+\s+)?(?:sue|sued|suing|lawsuit)")
_AI_DEFENDANT = frozenset({"ai-lab", "ai-company", "ai-infrastructure", "big-tech", "platform"})


@dataclass(frozen=True, slots=True)
class _Rule:
    pattern: re.Pattern[str]
    roles: str  # "normal", "winner", "loser", "favour", "settle"
    kind: str = "lawsuit"
    keys: tuple[str, ...] = ()  # the rule runs only on sentences containing one of these
    needs: tuple[str, ...] = ()  # ... and, if given, one of these too


_RULES = (
    _Rule(
        build(
            r"(?P<df><GROUP>)\s+<FILL4>(?P<cue>asked|asks|moved|moves|urged|urges|petitioned|"
            r"petitions)\s+<FILL5>to\s+(?:dismiss|reject|toss|throw\s+out|end)\b"
        ),
        "normal",
        keys=("asked", "asks", "moved", "moves", "urged", "urges", "petition"),
    ),
    _Rule(
        build(
            r"(?P<df><GROUP>)\s+(?:is|are|was|were|has\s+been|have\s+been|had\s+been|being|"
            r"got|gets|get)\s+(?:\w+\s+)?(?P<cue>sued)(?:\s+<FILL4>by\s+<FILL3>(?P<pl>"
            + _PL
            + "))?"
        ),
        "normal",
        keys=("sued",),
    ),
    _Rule(
        build(
            rf"(?P<pl>{_PL})<APPOS>\s+<FILL12>(?P<cue>sue[sd]?|suing|(?:filed|files|file|"
            rf"brought|brings|launched|launches|lodged|lodges)\s+<FILL6>{_SUIT}\s+against|"
            r"took\s+legal\s+action\s+against|(?:is|are)\s+suing)(?!\s+by\b)\s+<FILL3>"
            r"(?P<df><GROUP>)"
        ),
        "normal",
        keys=("sue", "suing", "against"),
    ),
    _Rule(
        build(
            rf"(?P<cue>sue[sd]?|suing|(?:filed|files|brought|lodged)\s+<FILL6>{_SUIT}\s+"
            r"against)(?!\s+by\b)\s+<FILL3>(?P<df><GROUP>)"
        ),
        "normal",
        keys=("sue", "suing", "against"),
    ),
    _Rule(
        build(
            rf"(?P<cue>{_SUIT})\s+<FILL4>(?:brought\s+|filed\s+|lodged\s+)?by\s+(?:(?!against\b)\S+\s+){{0,3}}?"
            rf"(?P<pl>{_PL})(?:\s+<FILL4>against\s+<FILL3>(?P<df><GROUP>))?"
        ),
        "normal",
        keys=(" by ",),
    ),
    _Rule(
        build(
            rf"(?P<pl><GROUP>)\s+<FILL4>(?P<cue>{_SUIT}|infringement|accusations|"
            r"allegations)\s+<FILL5>against\s+<FILL3>(?P<df><GROUP>)"
        ),
        "normal",
        keys=("against",),
    ),
    _Rule(
        build(
            rf"(?P<cue>{_SUIT}|infringement|accusations|"
            r"allegations)\s+<FILL5>against\s+<FILL3>(?P<df><GROUP>)"
        ),
        "normal",
        keys=("against",),
    ),
    _Rule(
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
    _Rule(
        build(
            r"(?P<w><GROUP>)\s+<FILL3>(?P<cue>won|wins|win|secured|secures|obtained|obtains|"
            r"scored|scores|notched|prevailed|defeated|beat|beats)\s+<FILL6>(?:ruling|decision|"
            r"judgment|case|lawsuit|verdict|victory|dismissal|fight|battle)(?:\s+<FILL3>"
            r"against\s+<FILL3>(?P<l><GROUP>))?"
        ),
        "winner",
        keys=("won", "win", "secur", "obtain", "scor", "notch", "prevail", "defeat", "beat"),
    ),
    _Rule(
        build(
            r"(?P<l><GROUP>)\s+<FILL3>(?P<cue>lost|loses|lose|losing)\s+<FILL6>(?:ruling|"
            r"decision|judgment|case|lawsuit|verdict|bid|fight|battle)\s+<FILL3>against\s+"
            r"<FILL3>(?P<w><GROUP>)"
        ),
        "loser",
        keys=("lost", "lose", "losing"),
    ),
    _Rule(
        build(
            r"(?P<df><O>)'s\s+(?:\w+\s+){0,2}?(?P<cue>use|training|copying|motion|bid|request|"
            r"effort|attempt|defen[cs]e|appeal|conduct)\b"
        ),
        "normal",
        keys=("'s ",),
    ),
    _Rule(
        build(
            r"(?P<df><GROUP>)\s+<FILL2>(?P<cue>infring(?:ed|es|e|ing)|violat(?:ed|es|e|ing)|"
            r"(?:is|was|were|are)\s+liable|did\s+not\s+(?:commit|infringe)|had\s+not\s+"
            r"infringed|must\s+(?:face|pay|produce|hand))\b(?:\s+<FILL3>(?P<pl><O>)'s?\s)?"
        ),
        "normal",
        keys=("infring", "violat", "liable", "did not", "had not", "must"),
    ),
    _Rule(
        build(r"(?P<cue>in\s+favou?r\s+of|sided\s+with)\s+<FILL4>(?P<x><GROUP>)"),
        "favour",
        keys=("favor", "favour", "sided"),
    ),
    _Rule(
        build(
            rf"(?P<pl>{_PL})\s+<FILL4>(?:sen[dt]s?|issued|issues|fired\s+off|fires\s+off|"
            r"delivered|delivers)\s+<FILL3>(?P<cue>cease[- ]and[- ]desist)\s+(?:letters?\s+|"
            r"notices?\s+|demands?\s+)?(?:to|against)\s+<FILL3>(?P<df><GROUP>)"
        ),
        "normal",
        "cease-and-desist",
        keys=("cease",),
    ),
    _Rule(
        build(
            rf"(?P<pl>{_PL})\s+<FILL4>(?P<cue>accus(?:e|es|ed|ing))\s+<FILL3>"
            r"(?P<df><GROUP>)"
        ),
        "normal",
        "accusation",
        keys=("accus",),
    ),
    _Rule(
        build(
            r"(?P<df><GROUP>)\s+<FILL8>(?P<cue>agree[sd]?\s+to\s+(?:pay\s+<FILL6>(?:to\s+)?)?"
            r"settle|settle[sd]?|settling|reach(?:es|ed)?\s+(?:a\s+)?settlement)(?:\s+<FILL6>"
            rf"with\s+<FILL3>(?P<pl>{_PL}))?"
        ),
        "settle",
        keys=("settl",),
    ),
    _Rule(
        build(r"(?P<pl><GROUP>)\s+and\s+other\s+(?:\w+\s+)?(?P<cue>plaintiffs)"),
        "normal",
        keys=("plaintiffs",),
    ),
    _Rule(
        build(r"(?P<pl><GROUP>)\s+(?P<cue>can|may|could)\s+(?:pursue|proceed|continue)"),
        "normal",
        keys=("pursue", "proceed", "continue"),
    ),
    _Rule(build(r"(?P<cue>claims?|allegations?)\s+that\s+(?P<df><O>)"), "normal", keys=("that",)),
    _Rule(
        build(
            r"(?P<cue>order(?:ed|s)?)\s+(?P<df><O>)\s+to\s+(?:produce|hand|turn|preserve|"
            r"pay|disclose|stop|remove|delete)"
        ),
        "normal",
        keys=("order",),
    ),
    _Rule(
        build(
            r"(?P<cue>reject\w*|dismiss\w*|toss\w*)\s+(?:\w+\s+){0,2}?(?P<pl><O>)'?s?\s+"
            r"(?:\w+\s+){0,2}?(?:case|lawsuit|suit|claims?|complaint)"
        ),
        "normal",
        keys=("reject", "dismiss", "toss"),
    ),
)


def _variants(rules: tuple[_Rule, ...]) -> tuple[_Rule, ...]:
    """Split rules whose plaintiff may be an organisation or a descriptor ("authors") in two:
    a regex that may start anywhere is slow, so each variant starts with something rare."""
    result: list[_Rule] = []
    pl_or_desc = _PL.replace("<GROUP>", _GROUP_EXPANDED)
    for rule in rules:
        source = rule.pattern.pattern
        if pl_or_desc not in source:
            result.append(rule)
            continue
        orgs = source.replace(pl_or_desc, _GROUP_EXPANDED)
        descs = source.replace(pl_or_desc, "(?:" + _PL.split("|", 1)[1])
        result.append(replace(rule, pattern=re.compile(orgs)))
        result.append(replace(rule, pattern=re.compile(descs), needs=_DESCRIPTORS))
    return tuple(result)


_RULES = _variants(_RULES)
_ALL_KEYS = tuple(sorted({key for rule in _RULES for key in (*rule.keys, *rule.needs)}))


@dataclass(slots=True)
class Roles:
    """Parties found in one clause: name -> "plaintiff" or "defendant"."""

    roles: dict[str, str]
    groups: list[str]
    kind: str = "lawsuit"

    def add(self, names: list[str], role: str) -> None:
        """Give ``names`` a role unless they already have one."""
        for name in names:
            self.roles.setdefault(name, role)

    def of(self, role: str) -> tuple[str, ...]:
        """Names with ``role``, plus descriptive groups for plaintiffs."""
        names = tuple(sorted(n for n, r in self.roles.items() if r == role))
        return names + tuple(self.groups) if role == "plaintiff" and not names else names


def _likely_defendant(masked: Masked, name: str) -> bool:
    for mention in masked.mentions.values():
        if mention.name == name and mention.entity is not None:
            return getattr(mention.entity, "kind", "") in _AI_DEFENDANT
    return False


def _apply(masked: Masked, rule: _Rule, match: re.Match[str], clause: str, roles: Roles) -> None:
    names = {
        g: group_names(masked, match, g, appositive=(g == "pl"))
        for g in ("pl", "df", "w", "l", "x")
    }
    if rule.roles == "winner":
        if names["l"]:
            roles.add(names["w"], "plaintiff")
            roles.add(names["l"], "defendant")
        else:  # "won a fair use ruling": the one who wins alone is usually sued
            roles.add(names["w"], "defendant")
    elif rule.roles == "loser":
        roles.add(names["l"], "plaintiff")
        roles.add(names["w"], "defendant")
    elif rule.roles == "favour":
        for name in names["x"]:
            has_defendant = "defendant" in roles.roles.values()
            role = (
                "defendant"
                if not has_defendant and _likely_defendant(masked, name)
                else ("plaintiff")
            )
            roles.add([name], role)
    elif rule.roles == "settle":
        for name in names["df"] + names["pl"]:
            roles.add([name], "defendant" if _likely_defendant(masked, name) else "plaintiff")
    else:
        roles.add(names["df"], "defendant")
        roles.add(names["pl"], "plaintiff")
        span = match.groupdict().get("pl") or ""
        desc = _DESC.search(span)
        if desc and not names["pl"] and desc.group(1).lower() not in roles.groups:
            roles.groups.append(desc.group(1).lower())
    if rule.kind != "lawsuit" and roles.kind == "lawsuit":
        roles.kind = rule.kind


def clause_roles(masked: Masked, clause: str, rules: tuple[_Rule, ...] = ()) -> Roles:
    """Run the binding rules (all, or the given ones) over one masked clause."""
    roles = Roles({}, [])
    low = lowered(clause)
    for rule in rules or _RULES:
        for match in rule.pattern.finditer(low):
            _apply(masked, rule, match, clause, roles)
    if roles.kind == "accusation" and _LAWSUIT_WORDS.search(low):
        roles.kind = "lawsuit"
    return roles


def _certainty(text: str) -> Certainty:
    text = text.lower()
    if _NEGATED.search(text):
        return "negated"
    return "rumour" if _RUMOUR.search(text) else "fact"


def extract_cases(masked: Masked, kb: KnowledgeBase, *, ai_context: bool) -> list[CaseFact]:
    """Cases reported in one masked sentence (one per defendant when nothing links them)."""
    text = masked.sentence.text
    if not CUES.search(text.lower()):
        return []
    captions = caption_parties(text) if has_caption(text) else []
    sentence_low = masked.text.lower()
    present = {key for key in _ALL_KEYS if key in sentence_low}
    rules = tuple(
        rule
        for rule in _RULES
        if not present.isdisjoint(rule.keys)
        and (not rule.needs or not present.isdisjoint(rule.needs))
    )
    if not rules and not captions:
        return []
    facts: list[CaseFact] = []
    for clause in masked.clauses():
        roles = clause_roles(masked, clause, rules) if rules else Roles({}, [])
        caption = None
        if captions:
            plaintiff, defendant, _, _ = captions[0]
            caption = f"{plaintiff} v. {defendant}"
            roles.add([kb.canonical(plaintiff) or plaintiff], "plaintiff")
            roles.add([kb.canonical(defendant) or defendant], "defendant")
        defendants, plaintiffs = roles.of("defendant"), roles.of("plaintiff")
        if not defendants:
            continue
        if not _relevant(masked, kb, defendants + plaintiffs, ai_context):
            continue
        plain = masked.unmask(clause)
        stage = stage_of(plain)
        ruling = ruling_of(plain, stage)
        claims, court, docket = claims_of(text), court_of(text), docket_of(text)
        split = caption is None and not plaintiffs
        for group in [(d,) for d in defendants] if split else [defendants]:
            facts.append(
                CaseFact(
                    caption,
                    plaintiffs,
                    group,
                    court,
                    docket,
                    claims,
                    stage,
                    ruling,
                    roles.kind,
                    _certainty(plain),
                    text,
                )
            )
        captions = []
    return facts


def _relevant(masked: Masked, kb: KnowledgeBase, parties: tuple[str, ...], ai: bool) -> bool:
    if ai:
        return True
    return any((org := kb.organisation(p)) is not None and org.is_ai for p in parties)
