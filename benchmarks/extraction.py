"""Extraction benchmark: quality on the labelled set, then speed and memory.

Run: ``.venv/bin/python benchmarks/extraction.py [--articles 10000] [--held-out] [--real-dev]``

``--real-dev`` also runs the real-dev evaluation end to end (`benchmarks.real_dev`: the
feeds served from loopback, ``aiwatch refresh``, ``aiwatch export``, the set's scorer) and
times parsing and extraction alone on those feeds (The Batch's items are 25k characters).

Quality is scored on ``tests/extraction_data/eval.jsonl`` (and ``heldout.jsonl`` with
``--held-out``): precision/recall/F1 per relation kind (partnership pairs, maker-product
pairs, case parties) and per item kind, the share of non-AI items with no extraction and
case-stage accuracy. Speed is CPU time on one core over generated, realistic 1-2 KB
articles (plus a dense worst case and the reference seed); memory as RSS at start, middle
and end, and memory retained after garbage collection (tracemalloc) over a sample.
"""

from __future__ import annotations

import argparse
import gc
import random
import resource
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script: the project, then benchmarks.real_dev

from aiwatch.feeds.extract import extract_text  # noqa: E402
from aiwatch.feeds.knowledge.base import KnowledgeBase, load_knowledge_base  # noqa: E402
from tests.extraction_data.scoring import RELATIONS, Report, load_items, score  # noqa: E402

_PROSE = (
    "Analysts said the move reflects fierce competition in generative AI, where the largest "
    "companies are spending tens of billions of dollars on data centers and talent.",
    "The company did not disclose financial terms, and a spokesperson declined to comment on a "
    "timeline for new products beyond what was announced.",
    "{org} has been expanding its cloud business as customers look for cheaper ways to run "
    "large models, according to its most recent earnings report.",
    "Shares of {org} rose about 3% in early trading, while investors weighed the cost of the "
    "industry's rapid build-out of computing capacity.",
    "Regulators in Brussels and Washington are watching the sector closely, and lawmakers have "
    "proposed rules on transparency and training data.",
    "Users have generated millions of images and videos with tools such as {product}, raising "
    "questions about copyright and misinformation.",
    "Critics warned that the use of copyrighted material without permission could expose "
    "developers to further legal challenges in several countries.",
    "The announcement comes weeks after a broader reorganisation of research teams at {org}, "
    "which has hired dozens of engineers this year.",
    "It was not immediately clear how the arrangement would affect existing customers or rival "
    "services offered by {org} and others.",
    "{person}, who leads the company's research group, said the team would publish more details "
    "in the coming months.",
)
_DENSE = (
    "{a} has announced a partnership with {b} to develop {topic}.",
    "{a} and {b} signed a multi-year licensing agreement covering {topic}.",
    "{a} will invest $2 billion in {b}, deepening ties between the companies.",
    "{a} is reportedly in talks with {b} about a deal on {topic}.",
    "{a} launched {product}, its newest model, to paying subscribers on Tuesday.",
    "{a} had hinted at {product}, but the model has not yet been released.",
    "{a} sued {b} for copyright infringement in federal court in San Francisco.",
    "A judge ruled that {b}'s use of books to train its models was fair use.",
    "{a} agreed to acquire {b} for $1.2 billion in cash.",
    "{a} and {b} have been embroiled in copyright lawsuits over training data.",
    "Analysts said the move reflects fierce competition in generative AI.",
    "Shares rose 3% in early trading after the announcement.",
)
_TOPICS = (
    "AI video generation",
    "future creative AI models",
    "news content for chatbots",
    "custom AI chips",
    "enterprise AI agents",
    "music creation tools",
)
_PEOPLE = ("Maria Chen", "David Okafor", "Priya Raman", "Tom Becker", "Ana Souza")


def generate_articles(
    kb: KnowledgeBase, count: int, *, dense: bool = False, seed: int = 1
) -> list[tuple[str, str]]:
    """``count`` (title, body) pairs of 1-2 KB.

    Realistic (default): a labelled RSS item (headline and lead: one real event) padded with
    ordinary news prose that names companies and products without new events. Dense: every
    sentence is short and nearly half report an event, a worst case for the event rules.
    """
    rng = random.Random(seed)
    orgs = [org.name for org in kb.organisations() if not org.weak]
    products = [(p.name, p.maker) for p in kb.products() if not p.weak]
    items = load_items()
    articles = []
    for _ in range(count):
        target = rng.randint(1000, 1900)
        if dense:
            sentences: list[str] = []
            while sum(len(s) + 1 for s in sentences) < target:
                product, maker = rng.choice(products)
                sentences.append(
                    rng.choice(_DENSE).format(
                        a=rng.choice([maker, *orgs]),
                        b=rng.choice(orgs),
                        product=product,
                        topic=rng.choice(_TOPICS),
                    )
                )
            articles.append((sentences[0].rstrip("."), " ".join(sentences[1:])))
            continue
        item = rng.choice(items)
        body = item["text"]
        while len(item["title"]) + len(body) < target:
            body += " " + rng.choice(_PROSE).format(
                org=rng.choice(orgs), product=rng.choice(products)[0], person=rng.choice(_PEOPLE)
            )
        articles.append((item["title"], body))
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
    kinds: dict[str, int] = {}
    for item in report.items:
        kinds[item["kind"]] = kinds.get(item["kind"], 0) + 1
    print(f"\n{'item kind':<16}{'items':>6}{'tp':>5}{'fp':>5}{'fn':>5}{'P':>8}{'R':>8}{'F1':>8}")
    for kind, c in sorted(report.by_item_kind.items()):
        scores = (
            f"{c.precision:>8.3f}{c.recall:>8.3f}{c.f1:>8.3f}"
            if c.tp + c.fp + c.fn
            else f"{'-':>8}{'-':>8}{'-':>8}"
        )
        print(f"{kind:<16}{kinds.get(kind, 0):>6}{c.tp:>5}{c.fp:>5}{c.fn:>5}{scores}")
    print(
        f"\nnon-AI items with no extraction: {report.non_ai_silent}/{report.non_ai_items}"
        f" = {report.non_ai_share:.1%}"
    )
    if report.stage_total:
        print(f"case stage accuracy (matched cases): {report.stage_matches}/{report.stage_total}")
    if report.errors:
        print("errors:\n  " + "\n  ".join(report.errors))


def _throughput(kb: KnowledgeBase, articles: list[tuple[str, str]]) -> tuple[float, int]:
    extract_text(articles[0][1], kb, title=articles[0][0])  # warm caches
    events = 0
    started = time.process_time()
    for title, body in articles:
        found = extract_text(body, kb, title=title)
        events += len(found.partnerships) + len(found.products) + len(found.cases)
    return len(articles) / (time.process_time() - started), events


def _machine_ms() -> float:
    """Best of five ``sum(range(10**6))`` in ms: how fast this machine is right now."""
    best = float("inf")
    for _ in range(5):
        started = time.process_time()
        sum(range(10**6))
        best = min(best, time.process_time() - started)
    return best * 1e3


def _print_speed(kb: KnowledgeBase, count: int) -> None:
    reference = _machine_ms()
    articles = generate_articles(kb, count)
    sizes = [len(t) + len(b) + 1 for t, b in articles]
    print(
        f"\n== speed: {count} generated realistic articles, {min(sizes)}-{max(sizes)} chars "
        f"(mean {sum(sizes) // len(sizes)}), one core, CPU time =="
    )
    rss = [("start", _rss_mb())]
    chunks: list[float] = []
    facts = 0
    for first in range(0, count, 1000):
        rate, found = _throughput(kb, articles[first : first + 1000])
        chunks.append(rate)
        facts += found
        if first + 1000 == count // 2 or (first < count // 2 <= first + 1000):
            rss.append(("middle", _rss_mb()))
    rss.append(("end", _rss_mb()))
    overall = count / sum(min(1000, count - i * 1000) / r for i, r in enumerate(chunks))
    ordered = sorted(chunks)
    print(
        f"{overall:,.0f} articles/s overall ({facts} facts); per 1,000-article chunk: best "
        f"{ordered[-1]:,.0f}, median {ordered[len(ordered) // 2]:,.0f}, worst {ordered[0]:,.0f}"
    )
    print("(CPU time of this process; on a shared machine other load lowers it, hence the spread;")
    print(f" reference sum(range(10**6)): {reference:.1f} ms before, {_machine_ms():.1f} ms after)")
    print("RSS MB: " + ", ".join(f"{label} {value:.1f}" for label, value in rss))
    dense = generate_articles(kb, min(count, 3000), dense=True)
    rate, events = _throughput(kb, dense)
    print(
        f"dense worst case ({len(dense)} articles, {events / len(dense):.1f} facts each): "
        f"{rate:,.0f} articles/s"
    )
    seed = ROOT / "seeds" / "000_54de52ff19631516.txt"
    lines = seed.read_text(encoding="utf-8").split("\n")
    rate, _ = _throughput(kb, [(lines[0], "\n".join(lines[1:]))] * 500)
    print(f"reference seed article (5.3 KB with insights): {rate:,.0f} articles/s")
    sample = articles[: min(3000, count)]
    gc.collect()
    tracemalloc.start()
    marks = []
    for number, (title, body) in enumerate(sample, 1):
        extract_text(body, kb, title=title)
        if number in (1, len(sample) // 2, len(sample)):
            gc.collect()
            marks.append(tracemalloc.get_traced_memory())
    tracemalloc.stop()
    print(
        f"tracemalloc retained/peak KB after 1, {len(sample) // 2}, {len(sample)} articles: "
        + ", ".join(f"{c / 1e3:.0f}/{p / 1e3:.0f}" for c, p in marks)
    )


def main() -> None:
    """Print the quality tables, then throughput and memory."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--held-out", action="store_true", help="also score heldout.jsonl")
    parser.add_argument("--no-speed", action="store_true")
    parser.add_argument("--real-dev", action="store_true", help="score ../shared's real-dev set")
    args = parser.parse_args()
    kb = load_knowledge_base()
    _print_quality("eval.jsonl", score(kb))
    held_out = ROOT / "tests" / "extraction_data" / "heldout.jsonl"
    if args.held_out and held_out.exists():
        _print_quality("heldout.jsonl", score(kb, load_items(held_out)))
    if args.real_dev:
        _print_real_dev()
    if not args.no_speed:
        _print_speed(kb, args.articles)


def _print_real_dev() -> None:
    """The real-dev scorer's table through the export path, and extraction speed on it."""
    import tempfile

    from benchmarks import real_dev

    print("\n== quality: real-dev (loopback feeds -> refresh -> export -> score.py) ==")
    with tempfile.TemporaryDirectory() as folder:
        result = real_dev.run(Path(folder))
    print(result.table, end="")
    print(f"refresh of {result.articles} articles: {result.refresh_seconds:.2f} s wall")
    print("\n== speed: real-dev feeds, parse + extract in this process, one core ==")
    print(real_dev.quick().splitlines()[-1])


if __name__ == "__main__":
    main()
