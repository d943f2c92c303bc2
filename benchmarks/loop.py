"""The daily loop's costs on the refresh corpus: grouping stories and reading what is new.

    python -m benchmarks.loop [--runs 3]

Stores the 200 × 50 benchmark corpus (`benchmarks.store.processed`) in a fresh
SQLite database, then times, in this process:

- `store.stories.group_stories` over all 10,000 articles (a cold refresh's
  grouping, run once at its end), and over one more feed's 50 new articles;
- `store.queries.load_dashboard` without a user, with a new user (everything
  new), and after that user marked everything read (`M`);
- `store.watchlist.watch_events` for a user watching the ten most reported
  companies.

Prints the median wall and CPU time of each.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from sqlmodel import delete, select

from aiwatch.store.db import make_engine, session
from aiwatch.store.feed_apply import apply_outcome
from aiwatch.store.feed_repo import add_feed
from aiwatch.store.models import ArticleStory, Company
from aiwatch.store.queries import company_counts, load_dashboard
from aiwatch.store.stories import group_stories
from aiwatch.store.watchlist import set_watched, watch_events
from aiwatch.store.whats_new import mark_read, mark_seen
from benchmarks.store import processed


def timed(work: Callable[[], object], runs: int) -> tuple[float, float]:
    """Median (wall, CPU) seconds of ``work`` over ``runs`` runs."""
    walls, cpus = [], []
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        work()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def main() -> None:
    """Build the database once, then time each step."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    outcomes = processed()
    folder = Path(tempfile.mkdtemp(prefix="aiwatch-loop-"))
    engine = make_engine(f"sqlite:///{folder / 'loop.db'}")
    with session(engine) as db:
        ids = [add_feed(db, url).id for url, _ in outcomes]
        db.commit()
    *first, (last_id, last) = list(zip(ids, (o for _, o in outcomes), strict=True))
    for feed_id, outcome in first:
        assert feed_id is not None
        with session(engine) as db:
            apply_outcome(db, feed_id, outcome)
    results: dict[str, tuple[float, float]] = {}

    def group_all() -> None:
        with session(engine) as db:
            db.exec(delete(ArticleStory))  # type: ignore[call-overload]
            group_stories(db)
            db.commit()

    results["group 9,950 ungrouped articles"] = timed(group_all, args.runs)
    assert last_id is not None
    with session(engine) as db:
        apply_outcome(db, last_id, last)

    def group_one_feed() -> None:
        with session(engine) as db:
            group_stories(db)
            db.rollback()  # the same 50 articles again next run

    results["group one more feed (50 articles)"] = timed(group_one_feed, args.runs)
    with session(engine) as db:
        group_stories(db)
        db.commit()

    def board(user: str | None) -> Callable[[], object]:
        def read() -> object:
            with session(engine) as db:
                return load_dashboard(db, user=user)

        return read

    results["dashboard, no user"] = timed(board(None), args.runs)
    results["dashboard, new user (all new)"] = timed(board("new"), args.runs)
    with session(engine) as db:
        everything = load_dashboard(db, user="reader")
        mark_read(db, "reader", [i for a in everything.articles for i in (a.versions or (a.id,))])
        for kind, rows in (
            ("partnership", everything.partnerships),
            ("product", everything.products),
            ("case", everything.cases),
        ):
            mark_seen(db, "reader", kind, [r.id for r in rows])
        for name in [c.name for c in company_counts(db)[:10]]:
            company_id = db.exec(select(Company.id).where(Company.name == name)).one()
            assert company_id is not None
            set_watched(db, "reader", "company", company_id, True)
        db.commit()
    results["dashboard, user who read everything"] = timed(board("reader"), args.runs)

    def events() -> object:
        with session(engine) as db:
            return watch_events(db, "reader")

    results["watch events, 10 companies"] = timed(events, args.runs)
    with session(engine) as db:
        stories = len(load_dashboard(db).articles)
    print(
        f"{sum(len(o.entries) for _, o in outcomes):,} articles; the Articles panel lists {stories} stories of the newest 500 articles"
    )
    for name, (wall, cpu) in results.items():
        print(f"{name:40} {wall * 1000:8.0f} ms wall {cpu * 1000:8.0f} ms CPU")
    engine.dispose()


if __name__ == "__main__":
    main()
