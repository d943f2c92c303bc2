"""Extraction benchmark: quality on the labelled set, then speed and memory.

Run: ``.venv/bin/python benchmarks/extraction.py [--articles 10000] [--held-out]``

Quality is scored on ``tests/extraction_data/eval.jsonl`` (and ``heldout.jsonl`` with
``--held-out``): precision/recall/F1 per relation kind (partnership pairs, maker-product
pairs, case parties) and per item kind, the share of non-AI items with no extraction and
case-stage accuracy. Speed is measured on one core over generated, realistic 1-2 KB
articles; memory as RSS at start, middle and end plus the tracemalloc peak of a sample.
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from feeds.extract import extract_text  # noqa: E402
from feeds.kb import KnowledgeBase, load_knowledge_base  # noqa: E402
from tests.extraction_data.scoring import RELATIONS, Report, load_items, score  # noqa: E402

_EVENT_SENTENCES = (
    "{a} has announced a partnership with {b} to develop {topic}.",
    "{a} and {b} signed a multi-year licensing agreement covering {topic}.",
    "{a} will invest $2 billion in {b}, deepening ties between the companies.",
    "{a} is reportedly in talks with {b} about a deal on {topic}.",
    "{a} denied that it is partnering with {b}.",
    "{a} launched {p}, its newest model, to paying subscribers on Tuesday.",
    "{a} unveiled {p} at its developer conference and said it is available today.",
    "{a} had hinted at {p}, but the model has not yet been released.",
    "{a} sued {b} for copyright infringement in federal court in San Francisco.",
    "A judge ruled that {b}'s use of books to train its models was fair use.",
    "{a} agreed to acquire {b} for $1.2 billion in cash.",
    "{a} and {b} have been embroiled in copyright lawsuits over training data.",
)
_FILLER = (
    "Analysts said the move reflects fierce competition in generative AI.",
    "The company did not disclose financial terms or a timeline.",
    "Shares rose 3% in early trading after the announcement.",
    "Executives said demand for AI chips and cloud capacity keeps growing.",
    "Regulators in Brussels and Washington are watching the sector closely.",
    "Critics warned about the use of copyrighted material without permission.",
    "The startup was founded in 2021 and employs about 300 people.",
    "Users have generated more than a billion images with the tool so far.",
    "The news comes weeks after a broader reorganisation of its research teams.",
    "It was not immediately clear how the deal would affect existing customers.",
)
_TOPICS = (
    "AI video generation",
    "future creative AI models",
    "news content for chatbots",
    "custom AI chips",
    "enterprise AI agents",
    "music creation tools",
)


def generate_articles(kb: KnowledgeBase, count: int, seed: int = 1) -> list[tuple[str, str]]:
    """``count`` (title, body) pairs of 1-2 KB built from real names and news phrasing."""
    rng = random.Random(seed)
    orgs = [org.name for org in kb.organisations() if not org.weak]
    products = [(p.name, p.maker) for p in kb.products() if not p.weak]
    articles = []
    for _ in range(count):
        sentences: list[str] = []
        while sum(len(s) + 1 for s in sentences) < rng.randint(1000, 1900):
            product, maker = rng.choice(products)
            template = rng.choice(_EVENT_SENTENCES if rng.random() < 0.45 else _FILLER)
            sentences.append(
                template.format(
                    a=rng.choice([maker, *orgs]),
                    b=rng.choice(orgs),
                    p=product,
                    topic=rng.choice(_TOPICS),
                )
            )
        title = sentences[0].rstrip(".")[:120]
        articles.append((title, " ".join(sentences[1:])))
    return articles


def _rss_mb() -> float:
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
        return pages * resource.getpagesize() / 1e6
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3


def _print_quality(name: str, report: Report) -> None:
    print(f"\n== quality: {name} ==")
    print(f"{'relation':<14}{'tp':>5}{'fp':>5}{'fn':>5}{'P':>8}{'R':>8}{'F1':>8}")
    for relation in RELATIONS:
        c = report.by_relation[relation]
        print(
            f"{relation:<14}{c.tp:>5}{c.fp:>5}{c.fn:>5}"
            f"{c.precision:>8.3f}{c.recall:>8.3f}{c.f1:>8.3f}"
        )
    print(f"\n{'item kind':<16}{'tp':>5}{'fp':>5}{'fn':>5}{'P':>8}{'R':>8}{'F1':>8}")
    for kind, c in sorted(report.by_item_kind.items()):
        print(
            f"{kind:<16}{c.tp:>5}{c.fp:>5}{c.fn:>5}{c.precision:>8.3f}{c.recall:>8.3f}{c.f1:>8.3f}"
        )
    print(
        f"\nnon-AI items with no extraction: {report.non_ai_silent}/{report.non_ai_items}"
        f" = {report.non_ai_share:.1%}"
    )
    if report.stage_total:
        print(f"case stage accuracy (matched cases): {report.stage_matches}/{report.stage_total}")
    if report.errors:
        print("errors:\n  " + "\n  ".join(report.errors))


def _print_speed(kb: KnowledgeBase, count: int) -> None:
    articles = generate_articles(kb, count)
    sizes = [len(t) + len(b) + 1 for t, b in articles]
    print(
        f"\n== speed: {count} generated articles, {min(sizes)}-{max(sizes)} chars "
        f"(mean {sum(sizes) // len(sizes)}) =="
    )
    extract_text(articles[0][1], kb, title=articles[0][0])  # warm caches
    rss = [("start", _rss_mb())]
    events = 0
    started = time.perf_counter()
    for number, (title, body) in enumerate(articles, 1):
        found = extract_text(body, kb, title=title)
        events += len(found.partnerships) + len(found.products) + len(found.cases)
        if number == count // 2:
            rss.append(("middle", _rss_mb()))
    elapsed = time.perf_counter() - started
    rss.append(("end", _rss_mb()))
    print(f"{count / elapsed:,.0f} articles/s on one core ({elapsed:.2f} s, {events} events)")
    print("RSS MB: " + ", ".join(f"{label} {value:.1f}" for label, value in rss))
    sample = articles[: min(2000, count)]
    tracemalloc.start()
    marks = []
    for number, (title, body) in enumerate(sample, 1):
        extract_text(body, kb, title=title)
        if number in (1, len(sample) // 2, len(sample)):
            marks.append(tracemalloc.get_traced_memory())
    tracemalloc.stop()
    print(
        "tracemalloc current/peak KB after 1, half, all of "
        f"{len(sample)}: " + ", ".join(f"{c / 1e3:.0f}/{p / 1e3:.0f}" for c, p in marks)
    )


def main() -> None:
    """Print the quality tables, then throughput and memory."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--held-out", action="store_true", help="also score heldout.jsonl")
    parser.add_argument("--no-speed", action="store_true")
    args = parser.parse_args()
    kb = load_knowledge_base()
    _print_quality("eval.jsonl", score(kb))
    held_out = ROOT / "tests" / "extraction_data" / "heldout.jsonl"
    if args.held_out and held_out.exists():
        _print_quality("heldout.jsonl", score(kb, load_items(held_out)))
    if not args.no_speed:
        _print_speed(kb, args.articles)


if __name__ == "__main__":
    main()
