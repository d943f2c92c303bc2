"""Records cross a process boundary: they must pickle to equal copies, cheaply."""

from __future__ import annotations

import pickle
from dataclasses import fields, replace

from aiwatch.feeds.parse.body import ParsedFeed
from aiwatch.feeds.records import Insight, ProductFact
from aiwatch.feeds.work import ProcessedEntry
from tests.factories import article, deal, extraction, lawsuit


def _entry() -> ProcessedEntry:
    record = article("k1", "Meta and Midjourney partner", url="https://example.com/a")
    found = extraction(
        "Meta",
        "Midjourney",
        partnerships=[deal("Meta", "Midjourney", "Meta partners with Midjourney.")],
        products=[ProductFact("Sora", "OpenAI", "video", "released", True, "Sora ships.")],
        cases=[lawsuit(("Meta",), "Authors sued Meta.", plaintiffs=("authors",))],
        topics=["video"],
    )
    return ProcessedEntry(record, found, "")


def test_refresh_results_survive_pickling_unchanged() -> None:
    entry = _entry()
    record = replace(
        entry.record, insights=(Insight("Why?", ("Because.", "Also.")),), author="A. Writer"
    )
    insightful = ProcessedEntry(record, None, "extraction failed: ValueError")
    parsed = ParsedFeed("Feed", None, (), warning="bozo", parser="fast")
    result = (parsed, (entry, insightful))
    copy = pickle.loads(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
    assert copy == result
    assert copy[1][1].record.insights[0].points == ("Because.", "Also.")


def test_records_pickle_as_constructor_calls() -> None:
    """No per-object ``dataclasses.fields`` walk: the reduction is ``(cls, field values)``."""
    entry = _entry()
    objects = [
        entry,
        entry.record,
        entry.record.sections[0],
        entry.extraction,
        *entry.extraction.companies,  # type: ignore[union-attr]
        *entry.extraction.partnerships,  # type: ignore[union-attr]
        *entry.extraction.products,  # type: ignore[union-attr]
        *entry.extraction.cases,  # type: ignore[union-attr]
        Insight("Q", ("A",)),
        ParsedFeed("t", None, ()),
    ]
    for obj in objects:
        rebuild, args = obj.__reduce__()
        assert rebuild is type(obj)
        assert args == tuple(getattr(obj, f.name) for f in fields(obj))
