"""Partnerships: two or more organisations bound to a partnership cue in one clause."""

from __future__ import annotations

import re

from aiwatch.feeds.extract.cues import certainty_of, focus_of, kind_of, status_of
from aiwatch.feeds.extract.keys import KeyIndex
from aiwatch.feeds.extract.masks import Masked, group_names, lower_re, without_attribution
from aiwatch.feeds.extract.names import Mention, is_person
from aiwatch.feeds.extract.partnership_rules import RULES, Rule
from aiwatch.feeds.knowledge.base import OrgInfo
from aiwatch.feeds.records import PartnershipFact

_ACQUISITION = lower_re(
    r"\b(?:acquir(?:e|es|ed|ing)|acquisitions?|buy(?:s|ing)?|bought|purchas(?:e|es|ed|ing)|"
    r"takeover\s+of|take\s+over|absorb(?:s|ed)?)\s+(?:[^\s\ue100-\ue1ff]+\s+){0,3}?[\ue100-\ue1ff]"
    r"|[\ue100-\ue1ff](?:'s)?\s+(?:\w+\s+){0,2}?(?:acquisition|purchase|takeover)\s+of\b"
    r"|\bmerg(?:e|es|ed|er|ers|ing)\b"
)
# Every `_ACQUISITION` match contains one of these.
_ACQUISITION_HINTS = ("acqui", "buy", "bought", "purchas", "take", "absorb", "merg")
_NEGOTIATION = lower_re(r"overtures|offer|proposal|approach|integrat|partner|deal|talks")
_RULES = KeyIndex(RULES, [(rule.keys, rule.needs) for rule in RULES])


def _parties(masked: Masked, match: re.Match[str], rule: Rule) -> list[tuple[str, ...]]:
    a = group_names(masked, match, "a", appositive=True, products_as_makers=rule.makers)
    b = group_names(masked, match, "b", products_as_makers=rule.makers)
    c = group_names(masked, match, "c", products_as_makers=rule.makers)
    if rule.shape == "all":
        everyone = tuple(sorted(set(a + b + c)))
        return [everyone] if len(everyone) >= 2 else []
    return sorted({tuple(sorted((x, y))) for x in a for y in b if x != y})


def extract_partnerships(masked: Masked, *, ai_context: bool) -> list[PartnershipFact]:
    """Partnerships stated in one masked sentence."""
    if masked.org_count() < 2:
        return []
    rules = _RULES.select(masked.key_text())
    if not rules:
        return []
    question = masked.sentence.text.rstrip().endswith("?")
    facts: list[PartnershipFact] = []
    info: dict[str, Mention] | None = None  # organisations by name, once a rule matches
    for raw in masked.clauses():
        clause = without_attribution(raw)
        low = masked.lowered(clause)
        acquisition: bool | None = None
        clause_kind: str | None = None
        clause_status = ""
        used: list[tuple[int, int]] = []
        for rule in rules:
            for match in rule.pattern.finditer(low):
                if acquisition is None:
                    acquisition = any(map(low.__contains__, _ACQUISITION_HINTS)) and bool(
                        _ACQUISITION.search(low)
                    )
                if acquisition:
                    break
                cue = match.span("cue")
                region = (cue[0], max(cue[1], match.end()))
                if any(cue[0] < end and start < cue[1] for start, end in used):
                    continue
                if rule.certainty == "negated" and not _NEGOTIATION.search(low):
                    continue
                groups = _parties(masked, match, rule)
                if clause_kind is None:
                    clause_kind = kind_of(masked.unmask(clause))
                kind = rule.kind or clause_kind
                if info is None:
                    info = {m.name: m for m in masked.mentions.values() if m.is_org}
                screened = (_screen(info, g, rule.kind, ai_context) for g in groups)
                groups = [g for g in screened if g]
                if not groups:
                    continue
                used.append(region)
                certainty = rule.certainty or certainty_of(clause, cue[0], match.group("cue"))
                if question and certainty == "fact":
                    certainty = "rumour"
                if certainty != "fact":
                    status = "rumoured"
                else:
                    clause_status = clause_status or status_of(clause)
                    status = clause_status
                focus = focus_of(masked, clause[match.end() :] or clause)
                for parties in groups:
                    facts.append(
                        PartnershipFact(
                            parties, focus, kind, status, certainty, masked.sentence.text
                        )
                    )
    return facts


_DEAL_CUE = lower_re(
    r"\b(?:partner(?:s|ed|ing|ship|ships)?|collaborat\w*|deals?|agreements?|alliances?|pacts?|"
    r"contracts?|mous?|memorand(?:um|a)|tie-ups?|joint\s+ventures?|team(?:s|ed|ing)?\s+up|"
    r"join(?:s|ed|ing)?\s+forces|sponsor(?:s|ed|ship)?|invest(?:s|ed|ing|ment|ments)?\s+in|"
    r"new\s+(?:[\w-]+\s+){0,4}?(?:company|venture)\s+with)\b"
)
_VOICE = lower_re(r"\b(?:we|we've|we're|we'll|our|us)\b")
_JOINT_ACT = lower_re(
    r"^[^\ue100-\ue1ff]{0,40}([\ue100-\ue1ff])'?s?\s+(?:and|&)\s+([\ue100-\ue1ff])'?s?\s+"
    r"(?:jointly\s+|together\s+)?(?:announc|launch|unveil|open|introduc|releas|deliver|build|"
    r"bring|deploy|power|expand|sign|form|creat)"
)


def publisher_deals(masked: Masked, publisher: str, *, ai_context: bool) -> list[PartnershipFact]:
    """Deals the publisher of a company's own feed is a party to without naming itself:
    "Higher usage limits for Claude and a compute deal with SpaceX" in Anthropic's feed,
    "our collaboration with X", and joint acts in its headlines ("Groq and HUMAIN Launch
    ..."), which its own newsroom reports as the two companies' work together."""
    text = masked.sentence.text
    low = masked.lower()
    orgs = [m for m in masked.orgs(masked.text)]
    others = list(dict.fromkeys(m.name for m in orgs if m.name != publisher and not is_person(m)))
    if not others:
        return []
    title = masked.sentence.zone in ("title", "headline")
    joint = _JOINT_ACT.search(low) if title else None
    if joint:
        names = masked.names(joint.group(1) + joint.group(2))
        if publisher in names and len(names) == 2:
            return [_fact(masked, tuple(sorted(names)), low)]
    if publisher in {m.name for m in orgs}:
        return []
    if not (title or _VOICE.search(text.lower())) or not _DEAL_CUE.search(low):
        return []
    if not ai_context:
        return []
    return [_fact(masked, tuple(sorted((publisher, name))), low) for name in others]


def _fact(masked: Masked, parties: tuple[str, ...], low: str) -> PartnershipFact:
    cue = _DEAL_CUE.search(low)
    start, word = (cue.start(), cue.group()) if cue else (0, "")
    certainty = certainty_of(low, start, word)
    status = status_of(low) if certainty == "fact" else "rumoured"
    kind = kind_of(masked.unmask(masked.text))
    focus = focus_of(masked, masked.text[cue.end() :] if cue else masked.text)
    return PartnershipFact(parties, focus, kind, status, certainty, masked.sentence.text)


def _screen(
    info: dict[str, Mention], parties: tuple[str, ...], kind: str | None, ai_context: bool
) -> tuple[str, ...] | None:
    """Drop people (parties to cases, not deals) and, from investments, financial
    investors; require an AI link."""
    parties = tuple(p for p in parties if p not in info or not is_person(info[p]))
    if kind == "investment":
        parties = tuple(p for p in parties if p not in info or not _is_investor(info[p]))
    if len(parties) < 2:
        return None
    if not ai_context and not any(p in info and info[p].is_ai for p in parties):
        return None
    return parties


def _is_investor(mention: Mention) -> bool:
    return isinstance(mention.entity, OrgInfo) and mention.entity.kind == "investor"
