"""A year of collecting, made up: 100,000 articles with the entities a real year would hold.

The names are the knowledge base's own (about a thousand organisations, eight
hundred products) plus 1,500 companies and 400 products "discovered" in the
text (unverified), picked with Zipf-like popularity, so a few companies are
in thousands of articles and most in a handful, as in real news. Each article
has a title, a summary and a body of 1–2 KB written from templates around its
names, a feed (of 400), a date in a year, 1–3 topics, and an extraction: its
companies, 0–2 products (a launch now and then), a partnership one time in
three (of about 6,000 pairs), a copyright case one time in twelve (of 800).
Records and extractions are built directly (no extractor: its speed is
measured elsewhere) and stored with the real store, batch by batch, as a
refresh stores them. Deterministic for a given seed.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import accumulate

from aiwatch.feeds.records import (
    ArticleRecord,
    CaseFact,
    CompanyMention,
    Extraction,
    PartnershipFact,
    ProductFact,
    Section,
)
from benchmarks.corpus import COMPANIES

START = datetime(2025, 1, 1, tzinfo=UTC)
TOPICS = (
    "partnership",
    "product",
    "litigation",
    "video-generation",
    "regulation",
    "funding",
    "research",
    "hardware",
    "licensing",
    "safety",
)
FOCI = (
    "AI video generation",
    "cloud computing capacity",
    "licensing news archives",
    "custom AI chips",
    "enterprise assistants",
    "music generation",
    "search and answers",
    "robotics foundation models",
    "drug discovery",
    "translation",
)
KINDS = ("licensing", "distribution", "compute", "investment", "research", "content")
STAGES = ("filed", "motion-to-dismiss", "discovery", "summary-judgment", "ruling", "settled")
CLAIMS = ("copyright", "DMCA", "trademark", "contract", "privacy", "unfair competition")
PRODUCT_STATUS = ("announced", "released", "preview", "hinted", "mentioned")
SYLLABLES = ("nova", "quant", "lumen", "arc", "vex", "sol", "kine", "meta", "tera", "orbi", "syn")
SUFFIXES = ("Labs", "AI", "Robotics", "Systems", "Intelligence", "Dynamics", "Analytics", "Works")
FILLER = (
    "Analysts said the move reflects how quickly the market for generative AI is changing.",
    "The company did not disclose financial terms, and a spokesperson declined to comment.",
    "Investors have poured billions into model developers over the past year.",
    "Regulators in Europe and the United States are watching the sector closely.",
    "Critics argue that training data should be licensed from the people who made it.",
    "The announcement came at a developer conference attended by thousands.",
    "Shares rose in early trading after the news was first reported.",
    "Competition for chips, talent and data remains intense across the industry.",
)


@dataclass(frozen=True, slots=True)
class Names:
    """The entity pools one year draws from, with cumulative popularity weights."""

    companies: tuple[tuple[str, bool], ...]  # (name, verified)
    company_weights: tuple[float, ...]
    products: tuple[tuple[str, str, str, bool], ...]  # (name, maker, modality, verified)
    product_weights: tuple[float, ...]
    pairs: tuple[tuple[str, str], ...]
    pair_weights: tuple[float, ...]
    cases: tuple[tuple[str, str, str], ...]  # (plaintiff, defendant, docket)
    case_weights: tuple[float, ...]


def _zipf(count: int, s: float = 1.1) -> tuple[float, ...]:
    return tuple(accumulate(1 / (rank + 1) ** s for rank in range(count)))


def names(rng: random.Random) -> Names:
    """Pools of companies, products, partnering pairs and cases, most popular first."""
    from aiwatch.feeds.knowledge.base import load_knowledge_base

    kb = load_knowledge_base([])
    famous = [name for name in COMPANIES if kb.organisation(name) is not None]
    orgs = sorted(kb.organisations(), key=lambda o: (not o.is_ai, o.name))
    known = [(name, True) for name in famous]
    known += [(o.name, True) for o in orgs if o.name not in famous]
    found = {
        f"{rng.choice(SYLLABLES).title()}{rng.choice(SYLLABLES)} {rng.choice(SUFFIXES)}"
        for _ in range(2_500)
    }
    rest = known[len(famous) :] + [(name, False) for name in sorted(found)[:1_500]]
    rng.shuffle(rest)
    companies = known[: len(famous)] + rest  # the best-known companies are the most reported
    products = [(p.name, p.maker, p.modality, True) for p in kb.products()]
    products += [
        (
            f"{maker} {rng.choice(SYLLABLES).title()}-{n}",
            maker,
            rng.choice(("text", "video")),
            False,
        )
        for n, (maker, _) in enumerate(rng.sample(companies[:400], 400))
    ]
    rng.shuffle(products)
    top = [name for name, _ in companies[:1_200]]
    pairs: set[tuple[str, str]] = set()
    while len(pairs) < 6_000:
        a, b = rng.choices(top, cum_weights=_zipf(len(top), 0.9), k=2)
        if a != b:
            pairs.add((min(a, b), max(a, b)))
    pair_list = sorted(pairs, key=lambda _: rng.random())
    plaintiffs = [name for name, _ in companies[150:900]]
    cases = [
        (rng.choice(plaintiffs), rng.choice(top[:200]), f"{rng.randint(20, 25)}-cv-{n:05d}")
        for n in range(800)
    ]
    return Names(
        tuple(companies),
        _zipf(len(companies)),
        tuple(products),
        _zipf(len(products)),
        tuple(pair_list),
        _zipf(len(pair_list), 0.8),
        tuple(cases),
        _zipf(len(cases), 0.7),
    )


def _sentence(rng: random.Random, subject: str, other: str) -> str:
    verbs = ("announced", "unveiled", "expanded", "is testing", "plans to release", "criticised")
    return f"{subject} {rng.choice(verbs)} work with {other} on {rng.choice(FOCI)}."


def articles(
    count: int, feeds: int, *, batch: int = 250, seed: int = 2026
) -> Iterator[tuple[int, ArticleRecord, Extraction]]:
    """``count`` articles as (feed number, record, extraction), oldest first.

    Feeds take turns ``batch`` articles at a time (what one refresh of a feed stores).
    """
    rng = random.Random(seed)
    pool = names(rng)
    step = timedelta(days=365) / count
    for n in range(count):
        feed = (n // batch) % feeds
        companies = {
            name: verified
            for name, verified in rng.choices(
                pool.companies, cum_weights=pool.company_weights, k=rng.randint(2, 5)
            )
        }
        listed = list(companies)
        products = (
            rng.choices(pool.products, cum_weights=pool.product_weights, k=rng.randint(1, 2))
            if rng.random() < 0.6
            else []
        )
        for _, maker, _, _ in products:
            companies.setdefault(maker, True)
        deal = (
            rng.choices(pool.pairs, cum_weights=pool.pair_weights)[0]
            if rng.random() < 0.33
            else None
        )
        suit = (
            rng.choices(pool.cases, cum_weights=pool.case_weights)[0]
            if rng.random() < 0.08
            else None
        )
        for name in (*(deal or ()), *(suit[:2] if suit else ())):
            companies.setdefault(name, True)
        lead = deal[0] if deal else listed[0]
        other = deal[1] if deal else listed[-1]
        if suit:
            title = f"{suit[0]} sues {suit[1]} over AI training data"
        elif products:
            title = (
                f"{products[0][1]} {rng.choice(('launches', 'updates', 'shows'))} {products[0][0]}"
            )
        else:
            title = f"{lead} and {other} team up on {rng.choice(FOCI)}"
        summary = " ".join(_sentence(rng, lead, o) for o in listed[:2]) + " " + rng.choice(FILLER)
        people = listed if len(listed) > 1 else [*listed, other]
        paragraphs = [_sentence(rng, *rng.sample(people, 2)) for _ in range(9)]
        paragraphs += rng.sample(FILLER, 5)
        if products:
            paragraphs.append(
                f"{products[0][0]} is a {products[0][2]} model made by {products[0][1]}."
            )
        if suit:
            paragraphs.append(
                f"The complaint, filed as case {suit[2]}, accuses {suit[1]} of copyright infringement."
            )
        body = " ".join(paragraphs)
        published = START + step * n
        link = f"https://news{feed}.example.com/{published:%Y/%m/%d}/{n}"
        record = ArticleRecord(
            source=f"https://news{feed}.example.com/feed.xml",
            entry_key=link,
            url=link,
            title=title,
            published=published,
            summary=summary,
            sections=(Section("Story", body),),
        )
        evidence = summary[: summary.find(". ") + 1] or summary
        found = Extraction(
            companies=tuple(
                CompanyMention(name, verified, evidence) for name, verified in companies.items()
            ),
            products=tuple(
                ProductFact(
                    name,
                    maker,
                    modality,
                    rng.choice(PRODUCT_STATUS),
                    rng.random() < 0.3,
                    evidence,
                    verified=verified,
                )
                for name, maker, modality, verified in products
            ),
            partnerships=(
                (
                    PartnershipFact(
                        deal, rng.choice(FOCI), rng.choice(KINDS), "announced", "fact", evidence
                    ),
                )
                if deal
                else ()
            ),
            cases=(
                (
                    CaseFact(
                        f"{suit[0]} v. {suit[1]}",
                        (suit[0],),
                        (suit[1],),
                        None,
                        suit[2],
                        (rng.choice(CLAIMS),),
                        rng.choice(STAGES),
                        None,
                        "lawsuit",
                        "fact",
                        evidence,
                    ),
                )
                if suit
                else ()
            ),
            topics=tuple(rng.sample(TOPICS, rng.randint(1, 3))),
        )
        yield feed, record, found
