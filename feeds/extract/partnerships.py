"""Partnerships: two or more organisations bound to a partnership cue in one clause."""

from __future__ import annotations

import re
from dataclasses import dataclass

from feeds.extract.cues import certainty_of, focus_of, kind_of, status_of
from feeds.extract.masks import Masked, build, group_names, lower_re, lowered
from feeds.records import Certainty, PartnershipFact

_NOUN = (
    r"(?:partnerships?|collaborations?|alliances?|agreements?|deals?|pacts?|tie-ups?|"
    r"joint\s+ventures?|contracts?|relationships?|arrangements?|memorand(?:um|a)\s+of\s+"
    r"understanding|talks|negotiations|discussions)"
)
_VERB = (
    r"(?:partner(?:s|ed|ing)?|team(?:s|ed|ing)?\s+up|join(?:s|ed|ing)?\s+forces|"
    r"collaborat(?:e|es|ed|ing)|work(?:s|ed|ing)?\s+(?:closely\s+)?(?:together\s+)?|"
    r"talk(?:s|ed|ing)?|negotiat(?:e|es|ed|ing)|align(?:s|ed|ing)?)"
)
_ASSETS = (
    r"(?:chips?|tpus?|tensor\s+processing\s+units|gpus?|processors|accelerators|cloud|models?|"
    r"infrastructure|technology|servers|compute|computing(?:\s+power)?|data\s+cent(?:er|re)s?|"
    r"supercomputers?)"
)
_NOUN_KEYS = (
    "partner",
    "collab",
    "allian",
    "agree",
    "deal",
    "pact",
    "tie-up",
    "venture",
    "contract",
    "relationship",
    "arrangement",
    "understanding",
    "talks",
    "negotiat",
    "discussion",
)
_VERB_KEYS = ("team", "forces", "work", "talk", "align")
_ACQUISITION = lower_re(
    r"\b(?:acquir(?:e|es|ed|ing)|acquisitions?|buy(?:s|ing)?|bought|purchas(?:e|es|ed|ing)|"
    r"takeover\s+of|take\s+over|absorb(?:s|ed)?)\s+(?:[^\s\ue100-\ue1ff]+\s+){0,3}?[\ue100-\ue1ff]"
    r"|[\ue100-\ue1ff](?:'s)?\s+(?:\w+\s+){0,2}?(?:acquisition|purchase|takeover)\s+of\b"
    r"|\bmerg(?:e|es|ed|er|ers|ing)\b"
)
_NEGOTIATION = lower_re(r"overtures|offer|proposal|approach|integrat|partner|deal|talks")


@dataclass(frozen=True, slots=True)
class _Rule:
    pattern: re.Pattern[str]
    shape: str  # "cross": a x b pairs; "all": every party together
    kind: str | None = None
    certainty: Certainty | None = None
    makers: bool = False
    keys: tuple[str, ...] = ()  # the rule runs only on clauses containing one of these


_RULES = (
    _Rule(
        build(
            r"(?P<a><GROUP>)\s+<FILL6>(?P<cue>use|uses|using|used|adopt(?:s|ed|ing)?|deploy(?:s|ed|ing)?|"
            r"licen[cs](?:e|es|ed|ing)|buy|buys|bought|buying)\s+<FILL5>"
            + _ASSETS
            + r"\s+from\s+<FILL2>(?P<b><GROUP>)"
        ),
        "cross",
        keys=("from",),
    ),
    _Rule(
        build(
            rf"(?P<a><GROUP>)<APPOS>\s+<FILL8>(?P<cue>{_VERB}|{_NOUN}|licensing)\s+<FILL6>"
            r"with\s+<FILL4>(?P<b><GROUP>)"
        ),
        "cross",
        keys=("with",),
    ),
    _Rule(
        build(rf"(?P<cue>{_NOUN})\s+<FILL3>between\s+<FILL3>(?P<b><GROUP>)"),
        "all",
        keys=("between",),
    ),
    _Rule(
        build(rf"(?P<b><O>\s*(?:-|/|×)\s*<O>|<O>\s+and\s+<O>'s)<POS>\s+<FILL2>(?P<cue>{_NOUN})"),
        "all",
        keys=_NOUN_KEYS,
    ),
    _Rule(
        build(
            r"(?P<a><GROUP>)\s+<FILL6>with\s+<FILL2>(?P<b><GROUP>)\s+and\s+(?:sign|strike|struck|"
            rf"form|ink|seal|agree|announce)\w*\s+<FILL3>(?P<cue>{_NOUN})"
        ),
        "cross",
        keys=("with",),
    ),
    _Rule(
        build(
            r"(?P<a><GROUP>)<APPOS>\s+<FILL8>(?P<cue>invest(?:s|ed|ing|ments?)?|stakes?|"
            r"backing|pour(?:s|ed|ing)?|inject(?:s|ed|ing)?)\s+<FILL8>(?:in|into)\s+<FILL3>"
            r"(?P<b><GROUP>)"
        ),
        "cross",
        "investment",
        keys=("invest", "stake", "backing", "pour", "inject"),
    ),
    _Rule(
        build(
            r"(?P<a><GROUP>)\s+<FILL8>(?P<cue>invest\w*|participat\w*|join\w*)\s+(?:in\s+)?"
            r"(?P<b><O>)'s?\s+<FILL3>(?:funding|financing|fundraising|investment)\b"
        ),
        "cross",
        "investment",
        keys=("fund", "financ", "investment"),
    ),
    _Rule(
        build(
            r"(?P<a><O>)\s+<FILL6>(?P<cue>named|names|chose|chooses|selected|selects|picked|"
            r"picks|tapped|taps|designated)\s+(?P<b><GROUP>)\s+(?:as\s+)?(?:its|their|the)\s+"
            r"<FILL4>(?:partner|provider|supplier)"
        ),
        "cross",
        keys=("partner", "provider", "supplier"),
    ),
    _Rule(
        build(
            r"(?P<a><GROUP>)\s+<FILL4>(?P<cue>integrat(?:e|es|ed|ing)|embed(?:s|ded|ding)?|"
            r"bring(?:s|ing)?|brought|add(?:s|ed|ing)?|build(?:s|ing)?|built|put(?:s|ting)?)\s+"
            r"<FILL3>(?P<b><M><POS>(?:\s+<FILL3><M>)?)\s+<FILL2>(?:into|to|in|on)\s+<FILL3>"
            r"(?P<c><M>)"
        ),
        "all",
        "distribution",
        makers=True,
        keys=("integrat", "embed", "bring", "brought", "add", "build", "built", "put"),
    ),
    _Rule(
        build(
            r"(?P<a><GROUP>)\s+<FILL6>(?P<cue>use|uses|using|used|tap|taps|tapping|"
            r"rely\s+on|relies\s+on|run\s+on|runs\s+on|adopt(?:s|ed)?|deploy(?:s|ed)?|buy|buys|"
            r"bought|purchas(?:e|es|ed))\s+<FILL4>(?P<b><O>)<POS>\s+<FILL3>" + _ASSETS
        ),
        "cross",
        keys=("use", "using", "tap", "rel", "run", "adopt", "deploy", "buy", "bought", "purchas"),
    ),
    _Rule(
        build(
            r"(?P<a><GROUP>)\s+<FILL6>(?P<cue>use|uses|using|select\w*|choose|chose|picks?|"
            r"picked)\s+(?P<b><O>)\s+as\s+(?:its|their|the)\s+<FILL3>(?:cloud|partner|provider|"
            r"supplier)"
        ),
        "cross",
        "compute",
        keys=(" as ",),
    ),
    _Rule(
        build(
            r"(?P<a><GROUP>)\s+<FILL4>(?P<cue>suppl(?:y|ies|ied|ying)|provid(?:e|es|ed|ing)|"
            r"deliver(?:s|ed|ing)?|sell(?:s|ing)?|sold)\s+(?P<b><GROUP>)\s+with\s+<FILL4>" + _ASSETS
        ),
        "cross",
        "compute",
        keys=("suppl", "provid", "deliver", "sell", "sold"),
    ),
    _Rule(
        build(
            r"(?P<a><GROUP>)<APPOS>\s+<FILL6>(?P<cue>licen[cs](?:e|es|ed|ing))\s+"
            r"(?:<FILL6>(?:to|from)\s+<FILL3>)?(?P<b><O>)"
        ),
        "cross",
        "licensing",
        keys=("licen",),
    ),
    _Rule(
        build(
            r"(?P<a><O>)\s+<FILL14>(?P<cue>partners)\s+(?:including|such\s+as|like)\s+"
            r"(?P<b><GROUP>)"
        ),
        "cross",
        keys=("partners ",),
    ),
    _Rule(
        build(
            r"(?P<a><GROUP>)\s+<FILL4>(?P<cue>rejected|rejects|rebuffed|rebuffs|turned\s+down|"
            r"declined|declines|spurned|snubbed)\s+<FILL3>(?:(?:from|by)\s+)?(?P<b><O>)"
        ),
        "cross",
        certainty="negated",
        keys=("reject", "rebuff", "turned down", "declin", "spurn", "snub"),
    ),
    _Rule(
        build(
            r"(?P<b><O><POS>(?:(?:\s*,\s*(?:and\s+)?|\s+(?:and|&)\s+)(?:\w+\s+){0,3}?<O><POS>)+)"
            rf"(?:\s+(?:both|jointly|together|also|each))?\s+<FILL8>(?P<cue>{_VERB}|{_NOUN})"
        ),
        "all",
        keys=_NOUN_KEYS + _VERB_KEYS,
    ),
    _Rule(
        build(
            r"(?P<b><O>)\s+<FILL6>(?:rais(?:es|ed|ing)|secur(?:es|ed|ing)|receiv(?:es|ed))\s+"
            r"<FILL8>(?P<cue>from|led\s+by)\s+<FILL3>(?P<a><GROUP>)"
        ),
        "cross",
        "investment",
        keys=("rais", "secur", "receiv"),
    ),
)


_ALL_KEYS = tuple(sorted({key for rule in _RULES for key in rule.keys}))


def _parties(masked: Masked, match: re.Match[str], rule: _Rule) -> list[tuple[str, ...]]:
    a = group_names(masked, match, "a", appositive=True, products_as_makers=rule.makers)
    b = group_names(masked, match, "b", products_as_makers=rule.makers)
    c = group_names(masked, match, "c", products_as_makers=rule.makers)
    if rule.shape == "all":
        everyone = tuple(sorted(set(a + b + c)))
        return [everyone] if len(everyone) >= 2 else []
    return sorted({tuple(sorted((x, y))) for x in a for y in b if x != y})


def extract_partnerships(masked: Masked, *, ai_context: bool) -> list[PartnershipFact]:
    """Partnerships stated in one masked sentence."""
    if len(masked.names(masked.text)) < 2:
        return []
    sentence_low = masked.text.lower()
    present = {key for key in _ALL_KEYS if key in sentence_low}
    rules = [rule for rule in _RULES if not present.isdisjoint(rule.keys)]
    if not rules:
        return []
    question = masked.sentence.text.rstrip().endswith("?")
    facts: list[PartnershipFact] = []
    for clause in masked.clauses():
        low = lowered(clause)
        acquisition: bool | None = None
        clause_kind: str | None = None
        clause_status = ""
        used: list[tuple[int, int]] = []
        for rule in rules:
            for match in rule.pattern.finditer(low):
                if acquisition is None:
                    acquisition = bool(_ACQUISITION.search(low))
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
                screened = (_screen(masked, g, rule.kind, ai_context) for g in groups)
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


def _screen(
    masked: Masked, parties: tuple[str, ...], kind: str, ai_context: bool
) -> tuple[str, ...] | None:
    """Drop financial investors from investments; require an AI link."""
    info = {m.name: m for m in masked.mentions.values() if m.is_org}
    if kind == "investment":
        parties = tuple(
            p
            for p in parties
            if p not in info or info[p].entity is None or info[p].entity.kind != "investor"
        )
    if len(parties) < 2:
        return None
    if not ai_context and not any(p in info and info[p].is_ai for p in parties):
        return None
    return parties
