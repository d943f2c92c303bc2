"""Assembling one `Extraction`: merged facts, companies, topics, key points, people."""

from __future__ import annotations

from dataclasses import dataclass, field

from aiwatch.feeds.extract.merge import merge_cases, merge_partnerships, merge_products
from aiwatch.feeds.extract.names import Mention, is_person
from aiwatch.feeds.extract.topics import topics_of
from aiwatch.feeds.knowledge.base import OrgInfo
from aiwatch.feeds.records import (
    CaseFact,
    CompanyMention,
    Extraction,
    PartnershipFact,
    ProductFact,
)

MAX_EVIDENCE = 600


@dataclass(slots=True)
class Found:
    """What the sentences of one document yielded, before merging."""

    partnerships: list[PartnershipFact] = field(default_factory=list)
    products: list[ProductFact] = field(default_factory=list)
    cases: list[CaseFact] = field(default_factory=list)
    key_points: list[str] = field(default_factory=list)
    people: list[str] = field(default_factory=list)
    evidence: dict[str, str] = field(default_factory=dict)
    waiting: list[str] = field(default_factory=list)  # plaintiffs still without a case
    legal_news: bool = False  # the lead reports legal action
    launch_window: int = -1  # sentences up to this one name products launched unnamed before
    told: set[int] = field(default_factory=set)  # ids of product facts told in the news


def companies(mentions: list[Mention], evidence: dict[str, str]) -> tuple[CompanyMention, ...]:
    verified: dict[str, CompanyMention] = {}
    unverified: dict[str, CompanyMention] = {}
    for mention in mentions:
        if not mention.is_org or is_person(mention):
            continue
        target = verified if mention.entity is not None else unverified
        if mention.name not in target:
            kind = mention.entity.kind if isinstance(mention.entity, OrgInfo) else ""
            target[mention.name] = CompanyMention(
                mention.name,
                mention.entity is not None,
                evidence[mention.name][:MAX_EVIDENCE],
                kind,
                mention.found_by,
            )
    return tuple(verified.values()) + tuple(v for k, v in unverified.items() if k not in verified)


def assemble(
    prose: list[str],
    mentions: list[Mention],
    found: Found,
    ai: bool,
    distinct: frozenset[str] | None = None,
) -> Extraction:
    """Merge the facts of ``found`` and build the extraction; ``distinct`` is the set of
    the ``prose`` words, when the caller has it."""
    partnerships = merge_partnerships(found.partnerships)
    products = merge_products(found.products)
    cases = merge_cases(found.cases)
    return Extraction(
        companies=companies(mentions, found.evidence),
        partnerships=tuple(partnerships),
        products=tuple(products),
        cases=tuple(cases),
        topics=topics_of(prose, partnerships, products, cases, ai_context=ai, distinct=distinct),
        key_points=tuple(point[:MAX_EVIDENCE] for point in found.key_points),
        people=tuple(dict.fromkeys([*found.people, *(m.name for m in mentions if is_person(m))])),
    )
