"""Products: the status each product mention gets from the cues bound to it.

A status cue (launches, unveils, previews, hinted at ...) binds to the nearest product
after it in the same clause, else to the nearest one before it; a product that follows
a preposition ("available to ChatGPT users") is a destination, not the launched thing.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Collection

from aiwatch.feeds.extract.cues import rumoured
from aiwatch.feeds.extract.discover.shapes import PRODUCT_NOUNS
from aiwatch.feeds.extract.masks import Masked, lower_re
from aiwatch.feeds.extract.names import Mention
from aiwatch.feeds.extract.vocab import STATUS_CUE_WORDS
from aiwatch.feeds.knowledge.base import ProductInfo
from aiwatch.feeds.records import ProductFact

_CUES = (
    (
        "hinted",
        lower_re(
            r"\b(?:hint(?:s|ed|ing)?(?:\s+at)?|teas(?:e|es|ed|ing)|work(?:s|ing)?\s+on|"
            r"in\s+development|plan(?:s|ned|ning)?\s+to\s+(?:launch|release|unveil|ship)|upcoming|"
            r"coming\s+soon|(?:has|have|had)?\s*not\s+(?:yet\s+)?(?:been\s+)?released|"
            r"no\s+plans\s+to\s+release|not\s+releasing|won't\s+release|yet\s+to\s+(?:be\s+)?released?|"
            r"still\s+training|delay(?:s|ed|ing)?|expected\s+to\s+(?:launch|release|arrive)|"
            r"could\s+launch|(?:is|are)\s+set\s+to\s+launch)\b"
        ),
    ),
    (
        "preview",
        lower_re(
            r"\b(?:preview(?:s|ed|ing)?|previewing|early\s+access|beta|alpha|waitlist|"
            r"limited\s+(?:release|access|rollout)|invite-only)\b"
        ),
    ),
    (
        "released",
        lower_re(
            r"\b(?:launch(?:es|ed|ing)?|releas(?:e|es|ed|ing)|roll(?:s|ed|ing)?\s+out|"
            r"debut(?:s|ed|ing)?|ship(?:s|ped|ping)?|ma(?:de|kes?|king)\s+(?:\S+\s+){0,5}?available|(?:is|are|now|became|becomes|goes|went)\s+(?:now\s+)?(?:generally\s+)?"
            r"available|goes\s+live|went\s+live|open(?:s|ed|ing)\s+(?:up\s+)?|arriv(?:es|ed|ing))\b"
            # "added X to its app", "brings X to CapCut": a product placed somewhere new
            r"|\b(?:add(?:s|ed|ing)?|bring(?:s|ing)?|brought|integrat(?:e|es|ed|ing))\s+(?=[\ue200-\ue2ff])"
        ),
    ),
    (
        "announced",
        lower_re(
            r"\b(?:announc(?:e|es|ed|ing)|unveil(?:s|ed|ing)?|introduc(?:e|es|ed|ing)|"
            r"reveal(?:s|ed|ing)?|show(?:s|ed|ing)?\s+off)\b"
        ),
    ),
)
# Literal stems every match of a status's pattern contains: a clause without one of them
# skips that pattern (a few substring searches in C instead of a scan by the regex engine).
_CUE_STEMS = {
    "hinted": (
        "hint",
        "teas",
        "work",
        "development",
        "plan",
        "coming",
        "releas",
        "still",
        "delay",
        "expected",
        "could",
        "set",
    ),
    "preview": ("preview", "early", "beta", "alpha", "waitlist", "limited", "invite-only"),
    "released": (
        "launch",
        "releas",
        "roll",
        "debut",
        "ship",
        "available",
        "live",
        "open",
        "arriv",
        "add",
        "bring",
        "brought",
        "integrat",
    ),
    "announced": ("announc", "unveil", "introduc", "reveal", "show"),
}
_BIND_PRIORITY = {"hinted": 4, "preview": 3, "released": 2, "announced": 1}
_RANK = {"mentioned": 0, "hinted": 1, "announced": 2, "preview": 3, "released": 4}
_PREPOSITION = lower_re(
    r"\b(?:to|for|in|into|on|via|through|across|with|from|than|like|including|over|of|"
    r"called|named|against)\s+(?:[^\s\ue100-\ue2ff]+\s+){0,2}?$"
)
_CALLED = lower_re(
    r"\b(?:called|named|dubbed|(?:preview|version|release|launch|beta|rollout|debut|"
    r"availability|update)\s+(?:of|for))\s+[\"'“]?$"
)
_WORDS = re.compile(r"\S+")
_LIST_JOINT = re.compile(
    r"\s*(?:,\s*(?:and\s+|or\s+|as well as\s+)?|\s+and\s+|\s+or\s+|\s*/\s*|\s+as well as\s+)"
)
_PRODUCT = re.compile("[\ue200-\ue2ff]")  # a product's placeholder (see `masks`)


_NOUNS = "|".join(sorted(PRODUCT_NOUNS, key=len, reverse=True))
# A name the knowledge base does not know, defined where the news is told: "X is a
# speech-to-speech model", "X, a small coding model, ...", "a new solution called X".
_DEFINED = lower_re(
    r"\s*,?\s+(?:is|are|was|were)\s+(?:a|an|the|its|their)\s+(?:[\w/-]+\s+){0,6}?(?:"
    + _NOUNS
    + r")\b|,\s+(?:a|an|its|the|their)\s+(?:[\w/-]+\s+){0,6}?(?:"
    + _NOUNS
    + r")\b"
)
_NAMED_NEW = lower_re(r"\bnew\s+(?:\S+\s+){0,6}?(?:called|named|dubbed)\s+[\"'“]?$")


_CALLED_AFTER = lower_re(r"\b(?:called|named|dubbed)\s+[\"'“]?$")


def _launched_before(text: str, position: int) -> str:
    """The status of a launch cue earlier in the sentence ("released its embedding model,
    which is called ESMC"), else "mentioned"."""
    for status, pattern in _CUES:
        if status in ("released", "announced", "preview") and pattern.search(text, 0, position):
            return status
    return "mentioned"


def _defined(clause: str, position: int) -> bool:
    """Whether the product at ``position`` is defined as something new there."""
    return bool(_DEFINED.match(clause, position + 1) or _NAMED_NEW.search(clause, 0, position))


def status_rank(status: str) -> int:
    """Order of product statuses, for merging facts about the same product."""
    return _RANK.get(status, 0)


def _within(clause: str, cue_end: int, position: int) -> bool:
    """Whether a product at ``position`` is close enough after a cue to be its object;
    a name introduced as a name ("... a new feature called X") may come further on."""
    words = len(_WORDS.findall(clause[cue_end:position]))
    return words <= 8 or (words <= 16 and _CALLED.search(clause, 0, position) is not None)


def _spread(clause: str, positions: list[int], bound: dict[int, str]) -> None:
    """A cue bound to one item of a list binds to all: "launched X, Y and Z"."""
    for left, right in itertools.pairwise(positions):
        if not _LIST_JOINT.fullmatch(clause, left + 1, right):
            continue
        if left in bound and right not in bound:
            bound[right] = bound[left]
    for left, right in reversed(list(itertools.pairwise(positions))):
        if _LIST_JOINT.fullmatch(clause, left + 1, right) and right in bound and left not in bound:
            bound[left] = bound[right]


def _bind(clause: str, positions: list[int]) -> dict[int, str]:
    """Map product positions in ``clause`` to the status cue bound to each."""
    bound: dict[int, str] = {}
    contains = clause.__contains__
    for status, pattern in _CUES:
        if not any(map(contains, _CUE_STEMS[status])):
            continue
        for cue in pattern.finditer(clause):
            after = [p for p in positions if p >= cue.end() and _within(clause, cue.end(), p)]
            before = [
                p
                for p in positions
                if p < cue.start() and len(_WORDS.findall(clause[p : cue.start()])) <= 6
            ]
            inside = [p for p in positions if cue.start() <= p < cue.end()]
            target = inside[0] if inside else after[0] if after else before[-1] if before else None
            if target is None:
                continue
            prefix = clause[:target]
            if (
                _PREPOSITION.search(prefix)
                and not prefix.rstrip().endswith(":")  # "two new models: X and Y"
                and not (status == "hinted" or _CALLED.search(prefix))
            ):
                continue
            current = bound.get(target)
            if current is None or _BIND_PRIORITY[status] > _BIND_PRIORITY[current]:
                bound[target] = status
    if len(positions) > 1 and bound:
        _spread(clause, positions, bound)
    return bound


def _fact(mention: Mention, status: str, evidence: str) -> ProductFact:
    product = mention.entity
    assert isinstance(product, ProductInfo)
    return ProductFact(
        product.name,
        product.maker,
        product.modality,
        status,
        status in ("released", "announced", "preview"),
        evidence,
        not mention.found_by,
        mention.found_by,
    )


def extract_products(masked: Masked, words: Collection[str] | None = None) -> list[ProductFact]:
    """One fact per product mention in the sentence, with its status.

    ``words`` (the sentence's lower-case words) lets a sentence without any status cue
    skip clause splitting and cue matching: every product in it is just mentioned, but
    for a new name defined as new ("X is a speech-to-speech model").
    """
    facts: list[ProductFact] = []
    if not any(not mention.is_org for mention in masked.mentions.values()):
        return facts
    evidence = masked.sentence.text
    if words is not None and STATUS_CUE_WORDS.isdisjoint(words):
        low = masked.lowered(masked.text)
        for char, named in sorted(masked.mentions.items(), key=lambda item: item[1].start):
            if isinstance(named.entity, ProductInfo):
                position = low.find(char)
                new = named.found_by and position >= 0 and _defined(low, position)
                facts.append(_fact(named, "announced" if new else "mentioned", evidence))
        return facts
    rumour: bool | None = None  # whether the sentence is a rumour: read for a launch only
    for clause in masked.clauses(fine=True):
        clause = masked.lowered(clause)
        positions = [match.start() for match in _PRODUCT.finditer(clause)]
        if not positions:
            continue
        bound = _bind(clause, positions)
        for position in positions:
            mention = masked.mention(clause[position])
            if mention is None or not isinstance(mention.entity, ProductInfo):
                continue
            status = bound.get(position, "mentioned")
            if status == "mentioned" and mention.found_by and _defined(clause, position):
                status = "announced"
            if status == "mentioned" and _CALLED_AFTER.search(clause, 0, position):
                whole = masked.lowered(masked.text)
                status = _launched_before(whole, whole.find(clause[position]))
            if status in ("released", "announced", "preview"):
                if rumour is None:
                    rumour = rumoured(masked.lower())
                if rumour:
                    status = "hinted"
            facts.append(_fact(mention, status, evidence))
    return facts
