"""Lawsuits, cease-and-desist letters and accusations, bound to their parties."""

from __future__ import annotations

import re
from dataclasses import dataclass

from aiwatch.feeds.extract.keys import KeyIndex
from aiwatch.feeds.extract.lawsuit_rules import DESCRIPTORS, RULES, Rule
from aiwatch.feeds.extract.legal import (
    caption_parties,
    claims_of,
    court_of,
    docket_of,
    has_caption,
    ruling_of,
    stage_of,
)
from aiwatch.feeds.extract.masks import Masked, group_names, lower_re, without_attribution
from aiwatch.feeds.knowledge.base import KnowledgeBase
from aiwatch.feeds.records import CaseFact, Certainty

# Every alternative starts with a letter, so the regex engine skips in C to the letters
# that can begin a match; a word boundary before a letter is written after it, as "no
# word character before it" (``s(?<!\w.)`` is ``\bs``): a leading ``\b`` would make the
# engine try the whole pattern at every character.
CUES = lower_re(
    r"s(?<!\w.)u(?:e|es|ed|ing|its?)\b|lawsuit|litigation|complaint|court|judge|rul(?:ed|ing)|"
    r"settle|cease|accus|infring|fair use|plaintiff|class action|v(?<!\w.)\.|legal action|trial|"
    r"allegation"
)

# "Trial" is a test as often as a hearing: "BMW's trial of Figure's humanoids", "a clinical
# trial", "a free trial", and the letters are inside "industrial".
_TEST_TRIAL = lower_re(
    r"\b(?:clinical|free|pilot|field|beta|drug|human|randomi[sz]ed|controlled|early|small|"
    r"large|phase\s+\w+)\s+trials?\b|\btrials?\s+(?:of|run|runs|period|version|"
    r"subscriptions?|users?|programs?|results?|data|participants)\b|'s\s+trials?\b"
)


def _legal_cue(low: str) -> bool:
    """Whether the sentence holds a word of law, a "trial" that is a hearing included."""
    tests = None
    for match in CUES.finditer(low):
        if match.group() != "trial":
            return True
        start, end = match.span()
        plural = low.startswith("s", end) and not low[end + 1 : end + 2].isalpha()
        if (start and low[start - 1].isalpha()) or (low[end : end + 1].isalpha() and not plural):
            continue  # "industrial", "trialled"
        if tests is None:
            tests = [m.span() for m in _TEST_TRIAL.finditer(low)]
        if not any(a <= start < b for a, b in tests):
            return True
    return False


_LAWSUIT_WORDS = lower_re(  # letter first, as `CUES`
    r"s(?<!\w.)u(?:e|es|ed|ing|its?)\b|lawsuit|complaint|court|litigation|f(?<!\w.)iling\b|"
    r"m(?<!\w.)otion|judgment|plaintiff|class\s+action|j(?<!\w.)udge\b|j(?<!\w.)ury\b"
)

_RUMOUR = lower_re(  # letter first, as `CUES`
    r"threaten\w*\s+(?:to\s+sue|legal)|consider\w*\s+(?:legal|suing)|"
    r"could\s+sue|may\s+sue|might\s+sue|plans?\s+to\s+sue"
)

_NEGATED = lower_re(r"n(?<!\w.)(?:ot|ever|o)\s+(?:\w+\s+)?(?:sue|sued|suing|lawsuit)")  # as `CUES`

_RULES = KeyIndex(RULES, [(rule.keys, rule.needs) for rule in RULES])

_AI_DEFENDANT = frozenset({"ai-lab", "ai-company", "ai-infrastructure", "big-tech", "platform"})


_DESC = lower_re(
    "("
    + "|".join(d.replace(" ", r"\s+") for d in sorted(DESCRIPTORS, key=len, reverse=True))
    + r")\s*$"
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
    low = masked.lowered(clause)
    for rule in rules or RULES:
        for match in rule.pattern.finditer(low):
            _apply(masked, rule, match, clause, roles)
    if roles.kind == "accusation" and _LAWSUIT_WORDS.search(low):
        roles.kind = "lawsuit"
    return roles


def about_a_lawsuit(text: str) -> bool:
    """Whether a sentence talks about legal action (a suit, a filing, a court)."""
    return bool(_LAWSUIT_WORDS.search(text.lower()))


def _certainty(text: str) -> Certainty:
    text = text.lower()
    if _NEGATED.search(text):
        return "negated"
    return "rumour" if _RUMOUR.search(text) else "fact"


_SUED_IT = lower_re(r"\b(?:that|which|who)\s+(?:had\s+|have\s+|has\s+)?sued\s+(?:it|them)\b")
_UNNAMED = lower_re(
    r"\bsu(?:e|es|ed|ing)\s+(?:\w+\s+){0,3}?(?:individuals|people|persons|users|customers|"
    r"operators|hackers|service|services|defendants)\b|\bjohn\s+does?\b|\bdoe\s+defendants\b"
)
UNNAMED_DEFENDANTS = "unnamed defendants"


def extract_cases(
    masked: Masked, kb: KnowledgeBase, *, ai_context: bool, waiting: list[str] | None = None
) -> list[CaseFact]:
    """Cases reported in one masked sentence (one per defendant when nothing links them).

    Plaintiffs named in a clause (or, through ``waiting``, an earlier sentence) that
    names no defendant join the next case that names none: "Artists defending a
    class-action lawsuit claim a win. The judge denied motions to dismiss from X and Y."
    """
    text = masked.sentence.text
    if not _legal_cue(text.lower()):
        return []
    captions = caption_parties(text) if has_caption(text) else []
    rules = _RULES.select(masked.key_text())
    if not rules and not captions:
        return []
    facts: list[CaseFact] = []
    carried: tuple[str, ...] = tuple(waiting or ())
    for raw in masked.clauses():
        clause = without_attribution(raw)
        roles = clause_roles(masked, clause, rules) if rules else Roles({}, [])
        caption = None
        if captions:
            plaintiff, defendant, _, _ = captions[0]
            caption = f"{plaintiff} v. {defendant}"
            roles.add([kb.canonical(plaintiff) or plaintiff], "plaintiff")
            roles.add([kb.canonical(defendant) or defendant], "defendant")
        defendants, plaintiffs = roles.of("defendant"), roles.of("plaintiff")
        low = masked.lowered(clause)
        if not defendants and plaintiffs and _SUED_IT.search(low):
            subject = next((n for n in masked.names(masked.text) if n not in plaintiffs), None)
            defendants = (subject,) if subject else ()
        if not defendants and plaintiffs and _UNNAMED.search(low):
            defendants = (UNNAMED_DEFENDANTS,)
        if not defendants:
            carried = plaintiffs or carried
            continue
        if not plaintiffs and carried:
            plaintiffs, carried = carried, ()
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
    if waiting is not None:
        waiting[:] = list(carried) if not facts else []
    return facts


def _relevant(masked: Masked, kb: KnowledgeBase, parties: tuple[str, ...], ai: bool) -> bool:
    if ai:
        return True
    return any((org := kb.organisation(p)) is not None and org.is_ai for p in parties)
