"""Storing alone: the refresh corpus, parsed and extracted once, written feed by feed.

    python -m benchmarks.store [--runs 3] [--db URL]

Parses and extracts the 200 × 50 benchmark corpus (`benchmarks.corpus`) in this
process, then times `store.feed_apply.apply_outcome` (one transaction per feed,
as a refresh commits) into a fresh database: SQLite in a temporary folder, or
an empty PostgreSQL database given with ``--db`` (its tables are dropped first).
Prints wall and CPU time per run and per article; the refresh benchmark's
"storing" stage is this.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from aiwatch.feeds.fetch.fetcher import FetchResult
from aiwatch.feeds.refresh import FeedOutcome, FeedRequest
from aiwatch.feeds.work import KnowledgeExtractor, process_body
from aiwatch.store.db import drop_schema, make_engine, session
from aiwatch.store.feed_apply import apply_outcome
from aiwatch.store.feed_repo import add_feed
from benchmarks.corpus import build_corpus


def processed() -> list[tuple[str, FeedOutcome]]:
    """Every feed of the corpus as a refresh outcome with its extracted entries."""
    extractor = KnowledgeExtractor()
    outcomes = []
    for name, body in sorted(build_corpus().items()):
        url = f"http://bench.invalid{name}"
        parsed, entries = process_body(body, url=url, source=url, extractor=extractor)
        fetched = FetchResult(url=url, status="ok", http_status=200, body_hash=name)
        outcomes.append((url, FeedOutcome(FeedRequest(url), fetched, parsed, entries)))
    return outcomes


def store_once(url: str, outcomes: list[tuple[str, FeedOutcome]]) -> tuple[float, float]:
    """Subscribe, then store every outcome; returns (wall, CPU) of the storing."""
    engine = make_engine(url)
    if engine.dialect.name != "sqlite":
        drop_schema(engine)
        engine.dispose()
        engine = make_engine(url)
    with session(engine) as db:
        ids = [add_feed(db, feed).id for feed, _ in outcomes]
        db.commit()
    wall, cpu = time.perf_counter(), time.process_time()
    for feed_id, (_, outcome) in zip(ids, outcomes, strict=True):
        assert feed_id is not None
        with session(engine) as db:
            apply_outcome(db, feed_id, outcome)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    engine.dispose()
    return wall, cpu


def main() -> None:
    """Parse the arguments, prepare the corpus once, time the stores."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--db", help="an empty PostgreSQL database URL (default: SQLite)")
    args = parser.parse_args()
    outcomes = processed()
    articles = sum(len(outcome.entries) for _, outcome in outcomes)
    print(f"{len(outcomes)} feeds, {articles} articles parsed and extracted; storing …")
    samples = []
    with tempfile.TemporaryDirectory(prefix="aiwatch-store-") as tmp:
        for run in range(args.runs):
            url = args.db or f"sqlite:///{Path(tmp) / f'run{run}.db'}"
            wall, cpu = store_once(url, outcomes)
            samples.append((wall, cpu))
            print(f"run {run + 1}: {wall:.2f} s wall, {cpu:.2f} s CPU")
    wall = statistics.median(s[0] for s in samples)
    cpu = statistics.median(s[1] for s in samples)
    print(
        f"median: {wall:.2f} s wall, {cpu:.2f} s CPU for {articles} articles "
        f"({cpu / articles * 1e6:.0f} µs CPU per article)"
    )


if __name__ == "__main__":
    main()
