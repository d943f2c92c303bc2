"""The "Arts" column of the record panels: every article count fits its four cells."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from aiwatch.store.read_models import CaseRow, PartnershipRow, ProductRow
from aiwatch.tui.widgets.panel_rows import (
    ARTS_WIDTH,
    article_count,
    case_rows,
    partnership_rows,
    product_rows,
)


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
