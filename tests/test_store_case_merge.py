"""A report with no plaintiff joins the only case against its defendant, unless the article
names a different plaintiff — whichever order the reports arrive in."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine

from aiwatch.feeds.records import ArticleRecord, Extraction
from aiwatch.store.db import session
from aiwatch.store.queries import list_cases
from tests.factories import article, lawsuit, save

GUILD = (
    article("guild", "Authors Guild sues Udio"),
    Extraction(
        cases=(lawsuit(("Udio",), "The Authors Guild sued Udio.", plaintiffs=("Authors Guild",)),)
    ),
)
SILVERMAN = (
    article("silverman", "Judge rules in Sarah Silverman and other authors v. Udio"),
    Extraction(
        cases=(
            lawsuit(
                ("Udio",),
                "Judge rules in Sarah Silverman and other authors v. Udio.",
                stage="ruling",
                caption="Sarah Silverman and other authors v. Udio",
            ),
        )
    ),
)
GUILD_RULING = (
    article("guild-ruling", "Ruling in the Udio case"),
    Extraction(cases=(lawsuit(("Udio",), "A judge ruled against Udio.", stage="ruling"),)),
)


def _cases(engine: Engine, *reports: tuple[ArticleRecord, Extraction]) -> list[tuple[str, ...]]:
    for record, found in reports:
        save(engine, record, found)
    with session(engine) as db:
        return sorted((c.title, *c.plaintiffs, c.stage, str(c.articles)) for c in list_cases(db))


@pytest.mark.parametrize("order", ["guild first", "silverman first"])
def test_a_report_naming_another_plaintiff_is_its_own_case(engine: Engine, order: str) -> None:
    reports = (GUILD, SILVERMAN) if order == "guild first" else (SILVERMAN, GUILD)
    assert _cases(engine, *reports) == [
        ("Authors Guild v. Udio", "Authors Guild", "filed", "1"),
        ("Sarah Silverman and other authors v. Udio", "ruling", "1"),
    ]


@pytest.mark.parametrize("order", ["guild first", "ruling first"])
def test_a_report_naming_no_plaintiff_joins_the_only_case(engine: Engine, order: str) -> None:
    reports = (GUILD, GUILD_RULING) if order == "guild first" else (GUILD_RULING, GUILD)
    assert _cases(engine, *reports) == [("Authors Guild v. Udio", "Authors Guild", "ruling", "2")]


def test_a_caption_abbreviating_the_plaintiff_joins_its_case(engine: Engine) -> None:
    nyt = (
        article("nyt", "NYT v. OpenAI"),
        Extraction(
            cases=(
                lawsuit(
                    ("OpenAI",),
                    "NYT v. OpenAI moves on.",
                    stage="discovery",
                    caption="NYT v. OpenAI",
                ),
            )
        ),
    )
    times = (
        article("times", "Times sues"),
        Extraction(
            cases=(lawsuit(("OpenAI",), "The Times sued.", plaintiffs=("The New York Times",)),)
        ),
    )
    assert _cases(engine, times, nyt) == [("NYT v. OpenAI", "The New York Times", "discovery", "2")]
