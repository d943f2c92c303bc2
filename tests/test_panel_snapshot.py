"""A panel's count and its rows come from one snapshot, on real SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine

from aiwatch.feeds.records import ProductFact
from aiwatch.store.db import session
from aiwatch.store.queries import load_panel
from aiwatch.store.read_models import Filter
from tests.factories import article, deal, extraction, lawsuit, save


@pytest.mark.parametrize("panel", ["articles", "partnerships", "products", "cases"])
def test_a_panel_counts_and_lists_one_snapshot_while_a_refresh_commits(
    engine: Engine, panel: str
) -> None:
    """The count and the page of a panel are separate statements; a refresh that commits
    between them must not show in one and not the other (the panel would then count rows
    it cannot list, and ask for a next page that is not there)."""

    def found(n: int) -> Any:
        return extraction(
            f"Maker{n}",
            f"Partner{n}",
            partnerships=[deal(f"Maker{n}", f"Partner{n}", f"Maker{n} partners with Partner{n}.")],
            products=[
                ProductFact(
                    f"Model{n}",
                    f"Maker{n}",
                    "video",
                    "released",
                    True,
                    f"Maker{n} launches Model{n}.",
                )
            ],
            cases=[lawsuit((f"Maker{n}",), f"Authors sue Maker{n}.")],
        )

    save(engine, article("a1", "Maker1 news"), found(1))
    statements = 0

    def commit_another(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        nonlocal statements
        statements += 1
        if statements == 2:  # after the panel's first read, before its second
            save(engine, article("a2", "Maker2 news"), found(2))

    with session(engine) as db:
        event.listen(engine, "before_cursor_execute", commit_another)
        try:
            page = load_panel(db, Filter(), panel)
        finally:
            event.remove(engine, "before_cursor_execute", commit_another)
    assert statements > 2  # the other article was saved while the panel was read
    if panel == "articles":  # stories: every version of each is an article
        listed = sum(len(story.versions or (story.id,)) for story in page.rows)
    else:
        listed = len(page.rows)
    assert listed == page.total, (panel, listed, page.total)
