"""Lawsuits, cease-and-desist letters and accusations, bound to their parties."""

from __future__ import annotations

import re
from dataclasses import dataclass

from feeds.extract.keys import KeyIndex
from feeds.extract.lawsuit_rules import RULES, Rule
from feeds.extract.legal import (
    caption_parties,
    claims_of,
    court_of,
    docket_of,
    has_caption,
    ruling_of,
    stage_of,
)
from feeds.extract.masks import Masked, group_names, lower_re, lowered
from feeds.kb import KnowledgeBase
from feeds.records import CaseFact, Certainty

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

_RULES = KeyIndex(RULES, [(rule.keys, rule.needs) for rule in RULES])

_AI_DEFENDANT = frozenset({"ai-lab", "ai-company", "ai-infrastructure", "big-tech", "platform"})


_DESC = lower_re(
    r"(authors|artists|writers|publishers|musicians|illustrators|comedians|newspapers|outlets|"
    r"record labels|labels|photographers|creators|youtubers|actors|programmers|developers|coders|"
    r"users|parents|families|rights holders|news organi[sz]ations|songwriters|journalists)\s*$"
)


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


def _apply(masked: Masked, rule: Rule, match: re.Match[str], clause: str, roles: Roles) -> None:
    names = {"pl": group_names(masked, match, "pl", appositive=True)}
    present = match.re.groupindex
    for group in ("df", "w", "l", "x"):  # a role the rule lacks names nobody
        names[group] = group_names(masked, match, group) if group in present else []
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
        span = (match.group("pl") if "pl" in match.re.groupindex else None) or ""
        desc = _DESC.search(span)
        if desc and not names["pl"] and desc.group(1).lower() not in roles.groups:
            roles.groups.append(desc.group(1).lower())
    if rule.kind != "lawsuit" and roles.kind == "lawsuit":
        roles.kind = rule.kind


def clause_roles(masked: Masked, clause: str, rules: tuple[Rule, ...] = ()) -> Roles:
    """Run the binding rules (all, or the given ones) over one masked clause."""
    roles = Roles({}, [])
    low = lowered(clause)
    for rule in rules or RULES:
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
    rules = _RULES.select(masked.key_text())
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
