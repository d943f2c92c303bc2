"""Scoring of the labelled evaluation set (``eval.jsonl``) against the extractor.

Relations scored, each as a set per item:
- partnership pairs: (party, party, certainty) for every pair of each partnership;
- maker-product pairs: (maker, product);
- case parties: (role, organisation) for plaintiffs and defendants that are knowledge-base
  organisations (individual people and descriptive groups such as "authors" are out).
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Any

from aiwatch.feeds.extract import extract_text
from aiwatch.feeds.knowledge.base import KnowledgeBase
from aiwatch.feeds.records import Extraction

EVAL_PATH = Path(__file__).with_name("eval.jsonl")
RELATIONS = ("partnership", "product", "case")
Relation = tuple[str, ...]


@dataclass
class Counts:
    """True positives, false positives and false negatives."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, gold: set[Relation], found: set[Relation]) -> None:
        """Count one item's relations."""
        self.tp += len(gold & found)
        self.fp += len(found - gold)
        self.fn += len(gold - found)

    def add_products(self, gold: set[Relation], found: set[Relation]) -> None:
        """Count products: a version or edition named in the text ("Veo 3.1", "Llama 4
        Scout") matches a label of its family ("Veo 3", "Llama 4"), as in real-dev's scorer."""
        self.tp += sum(any(same_product(g, f) for f in found) for g in gold)
        self.fn += sum(not any(same_product(g, f) for f in found) for g in gold)
        self.fp += sum(not any(same_product(g, f) for g in gold) for f in found)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Report:
    """Scores per relation kind and per item kind, and the non-AI silence rate."""

    by_relation: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    by_item_kind: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    non_ai_items: int = 0
    non_ai_silent: int = 0
    stage_matches: int = 0
    stage_total: int = 0
    errors: list[str] = field(default_factory=list)
    items: list[dict[str, Any]] = field(default_factory=list)

    @property
    def non_ai_share(self) -> float:
        return self.non_ai_silent / self.non_ai_items if self.non_ai_items else 1.0


def _name_words(name: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", name.lower()))


def same_product(gold: Relation, found: Relation) -> bool:
    """Same maker, and one name is the other or begins it on a word boundary."""
    if gold[0] != found[0]:
        return False
    a, b = _name_words(gold[1]), _name_words(found[1])
    return a == b or a.startswith(b + " ") or b.startswith(a + " ")


def load_items(path: Path = EVAL_PATH) -> list[dict[str, Any]]:
    """The labelled items, one JSON object per line."""
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def gold_relations(item: dict[str, Any]) -> dict[str, set[Relation]]:
    """The labelled relations of one item."""
    cases: set[Relation] = set()
    for case in item["cases"]:
        cases |= {("plaintiff", p) for p in case["plaintiffs"]}
        cases |= {("defendant", d) for d in case["defendants"]}
    return {
        "partnership": {(*sorted(p[:2]), p[2]) for p in item["partnerships"]},
        "product": {tuple(p) for p in item["products"]},
        "case": cases,
    }


def found_relations(extraction: Extraction, kb: KnowledgeBase) -> dict[str, set[Relation]]:
    """The relations the extractor reported, in the same shape as the labels."""
    pairs: set[Relation] = set()
    for fact in extraction.partnerships:
        pairs |= {(a, b, fact.certainty) for a, b in combinations(sorted(fact.parties), 2)}
    cases: set[Relation] = set()

    def organisation(name: str) -> bool:  # people and classes are out, as documented above
        org = kb.organisation(name)
        return org is not None and org.kind != "person"

    for case in extraction.cases:
        cases |= {("plaintiff", p) for p in case.plaintiffs if organisation(p)}
        cases |= {("defendant", d) for d in case.defendants if organisation(d)}
    products = {(p.maker or "", p.name) for p in extraction.products}
    return {"partnership": pairs, "product": products, "case": cases}


def score(kb: KnowledgeBase, items: list[dict[str, Any]] | None = None) -> Report:
    """Run the extractor over every item and count agreements with the labels."""
    report = Report()
    report.items = items if items is not None else load_items()
    for item in report.items:
        extraction = extract_text(item["text"], kb, title=item["title"])
        gold, found = gold_relations(item), found_relations(extraction, kb)
        for relation in RELATIONS:
            if relation == "product":
                report.by_relation[relation].add_products(gold[relation], found[relation])
                report.by_item_kind[item["kind"]].add_products(gold[relation], found[relation])
                missing = {
                    g
                    for g in gold[relation]
                    if not any(same_product(g, f) for f in found[relation])
                }
                extra = {
                    f
                    for f in found[relation]
                    if not any(same_product(g, f) for g in gold[relation])
                }
            else:
                report.by_relation[relation].add(gold[relation], found[relation])
                report.by_item_kind[item["kind"]].add(gold[relation], found[relation])
                missing, extra = gold[relation] - found[relation], found[relation] - gold[relation]
            for relation_missing in sorted(missing):
                report.errors.append(f"{item['id']} FN {relation} {relation_missing}")
            for relation_extra in sorted(extra):
                report.errors.append(f"{item['id']} FP {relation} {relation_extra}")
        if not item.get("ai", True):
            report.non_ai_items += 1
            report.non_ai_silent += not (
                extraction.partnerships or extraction.products or extraction.cases
            )
        for case in item["cases"]:
            match = next(
                (c for c in extraction.cases if set(case["defendants"]) & set(c.defendants)), None
            )
            if match is not None:
                report.stage_total += 1
                report.stage_matches += match.stage == case["stage"]
    return report
