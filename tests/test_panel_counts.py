"""Counts on the dashboard after a year: the "Arts" column fits its four cells, and the
header's counts separate thousands."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from textual.app import App, ComposeResult
from textual.content import Content

from aiwatch.store.read_models import CaseRow, Dashboard, Filter, PartnershipRow, ProductRow
from aiwatch.tui.widgets.dashboard_header import render_header
from aiwatch.tui.widgets.panel import Panel
from aiwatch.tui.widgets.panel_rows import (
    ARTS_WIDTH,
    PARTNERSHIP_COLUMNS,
    article_count,
    case_rows,
    partnership_rows,
    product_rows,
)
from aiwatch.tui.widgets.record_table import RecordTable


@pytest.mark.parametrize(
    ("count", "shown"),
    [
        (0, "0"),
        (7, "7"),
        (9_999, "9999"),
        (10_000, "10k"),
        (15_227, "15k"),
        (999_999, "999k"),
        (1_000_000, "1M"),
        (42_900_000, "42M"),
    ],
)
def test_an_article_count_is_exact_below_ten_thousand_then_rounded_down(
    count: int, shown: str
) -> None:
    assert article_count(count).plain == shown
    assert len(shown) <= ARTS_WIDTH


def test_each_record_panel_shows_its_counts_in_the_arts_column() -> None:
    when = datetime(2026, 12, 1, tzinfo=UTC)
    partnership = PartnershipRow(
        1, ("Meta", "Midjourney"), "video", "", "announced", "fact", 15_227, when, when
    )
    product = ProductRow(2, "StyleGAN2", "Nvidia", "image", "released", 15_227, when)
    case = CaseRow(
        3, "A v. B", ("A",), ("B",), "", "", ("copyright",), "", "filed", "", "fact", 1_234, when
    )
    ((_, partnership_cells),) = partnership_rows([partnership])
    ((_, product_cells),) = product_rows([product])
    ((_, case_cells),) = case_rows([case])
    assert partnership_cells[3].plain == "15k"
    assert product_cells[5].plain == "15k"
    assert case_cells[5].plain == "1234"


def test_the_header_separates_thousands_in_every_count() -> None:
    board = Dashboard(
        filter=Filter(),
        partnerships=(),
        products=(),
        cases=(),
        articles=(),
        total_articles=100_001,
        matching={"partnerships": 5_325, "products": 1_162, "cases": 797, "articles": 100_001},
    )
    assert render_header(Filter(), board).plain == (
        "aiwatch  all articles  5,325 partnerships · 1,162 products · 797 cases · "
        "100,001/100,001 articles"
    )


async def test_a_panel_title_separates_thousands() -> None:
    panel = Panel(
        "Partnerships",
        1,
        RecordTable(PARTNERSHIP_COLUMNS, id="partnerships"),
        empty="No partnerships match.",
    )

    class One(App[None]):
        def compose(self) -> ComposeResult:
            yield panel

    async with One().run_test():
        panel.show_count(50, total=5_325, new=1_200)
        assert (
            Content.from_markup(panel.border_title or "").plain
            == "1 Partnerships 50/5,325 · 1,200 new"
        )
        panel.show_count(2_000, total=12_000, stories=1_500)
        assert (
            Content.from_markup(panel.border_title or "").plain
            == "1 Partnerships 2,000/12,000 in 1,500 stories"
        )
