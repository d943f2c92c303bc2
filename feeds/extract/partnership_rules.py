"""The binding rules of partnerships: patterns over masked sentences that name the parties.

"cross" rules pair each subject with each object ("A and B partner with C" gives A-C and
B-C); "all" rules join every party named ("a joint venture between A, B and C").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from aiwatch.feeds.extract.masks import build
from aiwatch.feeds.records import Certainty

_NOUN = (
    r"(?:partnerships?|collaborations?|alliances?|agreements?|deals?|pacts?|tie-ups?|"
    r"joint\s+ventures?|contracts?|relationships?|arrangements?|mous?|letters?\s+of\s+intent|"
    r"sponsorships?|memorand(?:um|a)\s+of\s+"
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
# Every `_ASSETS` match holds one of these.
_ASSET_STEMS = (
    *("chip", "tpu", "tensor", "gpu", "processor", "accelerator", "cloud", "model"),
    *("infrastructure", "technology", "server", "comput", "data"),
)
_NOUN_KEYS = (
    "partner",
    "mou",
    "intent",
    "sponsor",
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


@dataclass(frozen=True, slots=True)
class Rule:
    pattern: re.Pattern[str]
    shape: str  # "cross": a x b pairs; "all": every party together
    kind: str | None = None
    certainty: Certainty | None = None
    makers: bool = False
    keys: tuple[str, ...] = ()  # the rule runs only on clauses containing one of these
    needs: tuple[str, ...] = ()  # ... and, if given, one of these too (every match holds one)


RULES = (
    Rule(
        build(
            r"(?P<a><GROUP>)\s+<FILL6>(?P<cue>use|uses|using|used|adopt(?:s|ed|ing)?|deploy(?:s|ed|ing)?|"
            r"licen[cs](?:e|es|ed|ing)|buy|buys|bought|buying)\s+<FILL5>"
            + _ASSETS
            + r"\s+from\s+<FILL2>(?P<b><GROUP>)"
        ),
        "cross",
        keys=("from",),
        needs=("use", "using", "adopt", "deploy", "licen", "buy", "bought"),
    ),
    Rule(
        build(
            rf"(?P<a><GROUP>)<APPOS>\s+<FILL8>(?P<cue>{_VERB}|{_NOUN}|licensing)\s+<FILL6>"
            r"with\s+<FILL4>(?P<b><GROUP>)"
        ),
        "cross",
        keys=("with",),
        needs=(*_NOUN_KEYS, *_VERB_KEYS, "licensing"),
    ),
    Rule(
        build(rf"(?P<cue>{_NOUN})\s+<FILL3>between\s+<FILL3>(?P<b><GROUP>)"),
        "all",
        keys=("between",),
    ),
    Rule(
        build(rf"(?P<b><O>\s*(?:-|/|×)\s*<O>|<O>\s+and\s+<O>'s)<POS>\s+<FILL2>(?P<cue>{_NOUN})"),
        "all",
        keys=_NOUN_KEYS,
        needs=("-", "/", "×", "and"),
    ),
    Rule(
        build(
            r"(?P<a><GROUP>)\s+<FILL6>with\s+<FILL2>(?P<b><GROUP>)\s+and\s+(?:sign|strike|struck|"
            rf"form|ink|seal|agree|announce)\w*\s+<FILL3>(?P<cue>{_NOUN})"
        ),
        "cross",
        keys=("with",),
        needs=("sign", "strike", "struck", "form", "ink", "seal", "agree", "announce"),
    ),
    Rule(
        build(
            r"(?P<a><GROUP>)<APPOS>\s+<FILL8>(?P<cue>invest(?:s|ed|ing|ments?)?|stakes?|"
            r"backing|pour(?:s|ed|ing)?|inject(?:s|ed|ing)?)\s+<FILL8>(?:in|into)\s+<FILL3>"
            r"(?P<b><GROUP>)"
        ),
        "cross",
        "investment",
        keys=("invest", "stake", "backing", "pour", "inject"),
    ),
    Rule(
        build(
            r"(?P<a><GROUP>)\s+<FILL8>(?P<cue>invest\w*|participat\w*|join\w*)\s+(?:in\s+)?"
            r"(?P<b><O>)'s?\s+<FILL3>(?:funding|financing|fundraising|investment)\b"
        ),
        "cross",
        "investment",
        keys=("fund", "financ", "investment"),
    ),
    Rule(
        build(
            r"(?P<a><O>)\s+<FILL6>(?P<cue>named|names|chose|chooses|selected|selects|picked|"
            r"picks|tapped|taps|designated|announc(?:e|es|ed)|welcom(?:e|es|ed)|add(?:s|ed)|"
            r"appoint(?:s|ed))\s+(?P<b><GROUP>)\s+(?:as\s+)?(?:its|their|the|an?|one\s+of\s+"
            r"(?:its|their|the))\s+<FILL4>(?:partners?|providers?|suppliers?|sponsors?)"
        ),
        "cross",
        keys=("partner", "provider", "supplier", "sponsor"),
        needs=(
            *("name", "chose", "choose", "select", "pick", "tap", "designated", "announc"),
            *("welcom", "add", "appoint"),
        ),
    ),
    Rule(  # "Groq becomes exclusive inference provider for Bell Canada"
        build(
            r"(?P<a><GROUP>)\s+<FILL2>(?P<cue>becomes|became|become|becoming|is\s+now|named|"
            r"selected\s+as|chosen\s+as)\s+(?:the\s+|an?\s+|its\s+)?<FILL4>(?:provider|partner|"
            r"supplier|sponsor)\s+(?:for|of|to)\s+<FILL3>(?P<b><GROUP>)"
        ),
        "cross",
        keys=("provider", "partner", "supplier", "sponsor"),
        needs=("becom", "became", "now", "named", "selected", "chosen"),
    ),
    Rule(  # "Agility Robotics is supplying humanoid robots to Schaeffler"
        build(
            r"(?P<a><GROUP>)<APPOS>\s+<FILL4>(?P<cue>suppl(?:y|ies|ied|ying)|provid(?:e|es|ed|ing)|"
            r"deliver(?:s|ed|ing)?|sell(?:s|ing)?|sold|ship(?:s|ped|ping)?|licens(?:e|es|ed|ing))"
            r"\s+<FILL6>to\s+<FILL2>(?P<b><GROUP>)"
        ),
        "cross",
        keys=("suppl", "provid", "deliver", "sell", "sold", "ship", "licens"),
        needs=("to",),
    ),
    Rule(  # "Eli Lilly agreed to give as much as $2.75 billion to Insilico Medicine"
        build(
            r"(?P<a><GROUP>)\s+<FILL6>(?P<cue>pay|pays|paid|paying|give|gives|gave|giving|"
            r"commit(?:s|ted)?)\s+<FILL6>[$€£][\d.,]+\s*(?:million|billion|bn|m|b)?\s+<FILL4>"
            r"to\s+<FILL2>(?P<b><GROUP>)"
        ),
        "cross",
        keys=("pay", "paid", "give", "gave", "giving", "commit"),
        needs=("$", "€", "£"),
    ),
    Rule(
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
    Rule(
        build(
            r"(?P<a><GROUP>)\s+<FILL6>(?P<cue>use|uses|using|used|tap|taps|tapping|"
            r"rely\s+on|relies\s+on|run\s+on|runs\s+on|adopt(?:s|ed)?|deploy(?:s|ed)?|buy|buys|"
            r"bought|purchas(?:e|es|ed))\s+<FILL4>(?P<b><O>)<POS>\s+<FILL3>" + _ASSETS
        ),
        "cross",
        keys=("use", "using", "tap", "rel", "run", "adopt", "deploy", "buy", "bought", "purchas"),
        needs=_ASSET_STEMS,
    ),
    Rule(
        build(
            r"(?P<a><GROUP>)\s+<FILL6>(?P<cue>use|uses|using|select\w*|choose|chose|picks?|"
            r"picked)\s+(?P<b><O>)\s+as\s+(?:its|their|the)\s+<FILL3>(?:cloud|partner|provider|"
            r"supplier)"
        ),
        "cross",
        "compute",
        keys=(" as ",),
        needs=("use", "using", "select", "choose", "chose", "pick"),
    ),
    Rule(
        build(
            r"(?P<a><GROUP>)\s+<FILL4>(?P<cue>suppl(?:y|ies|ied|ying)|provid(?:e|es|ed|ing)|"
            r"deliver(?:s|ed|ing)?|sell(?:s|ing)?|sold)\s+(?P<b><GROUP>)\s+with\s+<FILL4>" + _ASSETS
        ),
        "cross",
        "compute",
        keys=("suppl", "provid", "deliver", "sell", "sold"),
    ),
    Rule(
        build(
            r"(?P<a><GROUP>)<APPOS>\s+<FILL6>(?P<cue>licen[cs](?:e|es|ed|ing))\s+"
            r"(?:<FILL6>(?:to|from)\s+<FILL3>)?(?P<b><O>)"
        ),
        "cross",
        "licensing",
        keys=("licen",),
    ),
    Rule(
        build(
            r"(?P<a><O>)\s+<FILL14>(?P<cue>partners)\s+(?:including|such\s+as|like)\s+"
            r"(?P<b><GROUP>)"
        ),
        "cross",
        keys=("partners ",),
    ),
    Rule(
        build(
            r"(?P<a><GROUP>)\s+<FILL4>(?P<cue>rejected|rejects|rebuffed|rebuffs|turned\s+down|"
            r"declined|declines|spurned|snubbed)\s+<FILL3>(?:(?:from|by)\s+)?(?P<b><O>)"
        ),
        "cross",
        certainty="negated",
        keys=("reject", "rebuff", "turned down", "declin", "spurn", "snub"),
    ),
    Rule(
        build(
            r"(?P<b><O><POS>(?:(?:\s*,\s*(?:and\s+)?|\s+(?:and|&)\s+)(?:\w+\s+){0,3}?<O><POS>)+)"
            rf"(?:\s+(?:both|jointly|together|also|each))?\s+<FILL8>(?P<cue>{_VERB}|{_NOUN})"
        ),
        "all",
        keys=_NOUN_KEYS + _VERB_KEYS,
    ),
    Rule(
        build(
            r"(?P<b><O>)\s+<FILL6>(?:rais(?:es|ed|ing)|secur(?:es|ed|ing)|receiv(?:es|ed))\s+"
            r"<FILL8>(?P<cue>from|led\s+by)\s+<FILL3>(?P<a><GROUP>)"
        ),
        "cross",
        "investment",
        keys=("rais", "secur", "receiv"),
    ),
)
