"""`tui.read_ahead.ReadAhead`: what it keeps, for how long, and what a change drops."""

from __future__ import annotations

from aiwatch.store.read_models import Dashboard, Filter
from aiwatch.tui.read_ahead import FRESH_SECONDS, KEEP, ReadAhead


def board(company: str) -> Dashboard:
    return Dashboard(
        filter=Filter(company=company),
        partnerships=(),
        products=(),
        cases=(),
        articles=(),
        total_articles=0,
    )


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_dashboard_read_ahead_is_found_by_its_filter() -> None:
    ahead = ReadAhead()
    meta = board("Meta")
    assert ahead.put(meta, ahead.generation)
    assert ahead.get(Filter(company="Meta")) is meta
    assert ahead.get(Filter(company="OpenAI")) is None
    assert ahead.get(Filter(company="Meta", sort="name")) is None  # another order: another read


def test_a_change_forgets_every_entry_and_drops_the_read_in_flight() -> None:
    ahead = ReadAhead()
    ahead.put(board("Meta"), ahead.generation)
    started = ahead.generation  # a read starts …
    ahead.invalidate()  # … and a write commits before it lands
    assert ahead.get(Filter(company="Meta")) is None
    assert not ahead.put(board("OpenAI"), started)
    assert ahead.get(Filter(company="OpenAI")) is None
    assert ahead.put(board("OpenAI"), ahead.generation)  # a read started after the change
    assert ahead.get(Filter(company="OpenAI")) is not None


def test_an_entry_older_than_the_freshness_window_is_not_used() -> None:
    clock = Clock()
    ahead = ReadAhead(clock)
    ahead.put(board("Meta"), ahead.generation)
    clock.now += FRESH_SECONDS - 0.5
    assert ahead.get(Filter(company="Meta")) is not None
    clock.now += 1
    assert ahead.get(Filter(company="Meta")) is None


def test_only_the_latest_entries_are_kept() -> None:
    ahead = ReadAhead()
    names = [f"Company {n}" for n in range(KEEP + 2)]
    for name in names:
        ahead.put(board(name), ahead.generation)
    kept = [name for name in names if ahead.get(Filter(company=name)) is not None]
    assert kept == names[-KEEP:]
