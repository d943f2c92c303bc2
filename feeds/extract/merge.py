"""Merge per-sentence facts into one record per partnership, product and case."""

from __future__ import annotations

from collections.abc import Iterable

from aiwatch.feeds.extract.legal import stage_rank
from aiwatch.feeds.extract.products import status_rank
from aiwatch.feeds.records import CaseFact, PartnershipFact, ProductFact

_CERTAINTY_RANK = {"fact": 3, "negated": 2, "rumour": 1}
_STATUS_RANK = {"ended": 4, "amended": 3, "expanded": 2, "announced": 1, "rumoured": 0}
_KIND_RANK = {"lawsuit": 3, "cease-and-desist": 2, "accusation": 1}


def merge_partnerships(facts: Iterable[PartnershipFact]) -> list[PartnershipFact]:
    """One partnership per set of parties: the surest certainty wins, focuses add up."""
    groups: dict[tuple[str, ...], list[PartnershipFact]] = {}
    for fact in facts:
        groups.setdefault(fact.parties, []).append(fact)
    merged: list[PartnershipFact] = []
    for parties, group in groups.items():
        if len(group) == 1 and "; " not in group[0].focus:
            merged.append(group[0])  # what the merge below makes of it: an equal fact
            continue
        best = max(group, key=lambda f: _CERTAINTY_RANK[f.certainty])
        peers = [f for f in group if f.certainty == best.certainty]
        focus: list[str] = []
        for fact in peers if any(f.focus for f in peers) else group:
            for part in fact.focus.split("; "):
                if part and part.lower() not in (f.lower() for f in focus) and len(focus) < 3:
                    focus.append(part)
        kind = next(
            (f.kind for f in peers if f.kind != "general"),
            next((f.kind for f in group if f.kind != "general"), "general"),
        )
        status = max((f.status for f in peers), key=lambda s: _STATUS_RANK.get(s, 0))
        reported = [f for f in group if f.reported]
        evidence = (reported[0] if reported else best).evidence
        merged.append(
            PartnershipFact(
                parties, "; ".join(focus), kind, status, best.certainty, evidence, bool(reported)
            )
        )
    return merged


def merge_products(facts: Iterable[ProductFact]) -> list[ProductFact]:
    """One fact per product: the most advanced status, launched if any sentence says so."""
    groups: dict[str, list[ProductFact]] = {}
    for fact in facts:
        groups.setdefault(fact.name, []).append(fact)
    merged = []
    for group in groups.values():
        if len(group) == 1 and not (group[0].verified and group[0].found_by):
            merged.append(group[0])  # what the merge below makes of it: an equal fact
            continue
        best = max(group, key=lambda f: status_rank(f.status))
        if best.status == "mentioned":
            best = group[0]
        launched = any(f.is_launch for f in group)
        verified = any(f.verified for f in group)
        maker = best.maker or next((f.maker for f in group if f.maker), best.maker)
        found_by = "" if verified else best.found_by
        merged.append(
            ProductFact(
                best.name,
                maker,
                best.modality,
                best.status,
                launched,
                best.evidence,
                verified,
                found_by,
            )
        )
    return merged


def _union(*parts: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(item for part in parts for item in part))


def _join(old: CaseFact, new: CaseFact) -> CaseFact:
    named = tuple(p for p in _union(old.plaintiffs, new.plaintiffs) if not p.islower())
    plaintiffs = named or _union(old.plaintiffs, new.plaintiffs)
    later = new if stage_rank(new.stage) > stage_rank(old.stage) else old
    return CaseFact(
        caption=old.caption or new.caption,
        plaintiffs=plaintiffs,
        defendants=tuple(sorted(_union(old.defendants, new.defendants))),
        court=old.court or new.court,
        docket=old.docket or new.docket,
        claims=_union(old.claims, new.claims),
        stage=later.stage,
        ruling=later.ruling or old.ruling or new.ruling,
        kind=max(old.kind, new.kind, key=lambda k: _KIND_RANK.get(k, 0)),
        certainty=max(old.certainty, new.certainty, key=lambda c: _CERTAINTY_RANK[c]),
        evidence=old.evidence if old.reported or not new.reported else new.evidence,
        reported=old.reported or new.reported,
    )


def _same_case(a: CaseFact, b: CaseFact) -> bool:
    if a.caption and b.caption:
        return a.caption.lower() == b.caption.lower()
    if set(a.defendants) == set(b.defendants):
        return True
    if a.caption or b.caption:
        return bool(set(a.defendants) & set(b.defendants))
    return False


def merge_cases(facts: Iterable[CaseFact]) -> list[CaseFact]:
    """Join facts about the same case (same caption, or the same defendants)."""
    merged: list[CaseFact] = []
    for fact in facts:
        for index, old in enumerate(merged):
            if _same_case(old, fact):
                merged[index] = _join(old, fact)
                break
        else:
            merged.append(fact)
    return merged


def update_case(
    case: CaseFact,
    *,
    court: str | None,
    docket: str | None,
    claims: tuple[str, ...],
    stage: str,
    ruling: str | None,
) -> CaseFact:
    """Fold a follow-up sentence ("The suit was filed in ...") into ``case``."""
    later = stage_rank(stage) > stage_rank(case.stage)
    return CaseFact(
        case.caption,
        case.plaintiffs,
        case.defendants,
        case.court or court,
        case.docket or docket,
        _union(case.claims, claims),
        stage if later else case.stage,
        (ruling if later else None) or case.ruling,
        case.kind,
        case.certainty,
        case.evidence,
        case.reported,
    )
