"""Seeds in any style: no headline means the first sentence is the title; a dateline dates it."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from aiwatch.feeds.sources.datelines import MAX_TITLE, dateline, first_sentence
from aiwatch.feeds.sources.seeds import (
    bundled_seed_dir,
    load_seed_dir,
    load_seed_file,
    parse_seed_text,
)

WRITTEN = datetime(2025, 12, 1, 9, tzinfo=UTC)


def _day(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, 12, tzinfo=UTC)


STYLES = [
    (  # a press release
        "SAN FRANCISCO, March 3, 2025 — OpenAI today announced a partnership with Acme Inc. to "
        "build video models. The companies did not disclose terms.\n\nAbout OpenAI\nOpenAI is ...",
        "OpenAI today announced a partnership with Acme Inc. to build video models.",
        _day(2025, 3, 3),
    ),
    (  # wire copy without a year: the latest Nov 25 before the file was written
        "Nov 25 (Reuters) - Meta Platforms said on Tuesday it had struck a deal with Midjourney "
        "to license its image technology. Shares rose 2%.",
        "Meta Platforms said on Tuesday it had struck a deal with Midjourney to license its "
        "image technology.",
        _day(2025, 11, 25),
    ),
    (
        "LONDON, Jan. 5 (Reuters) - Getty Images said on Monday it had sued Stability AI in "
        "the U.S. over millions of images. The suit was filed in Delaware.",
        "Getty Images said on Monday it had sued Stability AI in the U.S. over millions of images.",
        _day(2025, 1, 5),
    ),
    (
        "March 3, 2025 /PRNewswire/ -- Acme AI, Inc. today launched Zeta-1, its first video "
        "model. Zeta-1 is available now.",
        "Acme AI, Inc. today launched Zeta-1, its first video model.",
        _day(2025, 3, 3),
    ),
    (  # agency, no date
        "WASHINGTON (AP) — The U.S. Copyright Office said Friday that training on copyrighted "
        "works may not be fair use. Lawmakers reacted.",
        "The U.S. Copyright Office said Friday that training on copyrighted works may not be "
        "fair use.",
        None,
    ),
    (
        "SAN FRANCISCO--(BUSINESS WIRE)--Acme Robotics today announced a $40 million Series B "
        "round. It was led by Example Ventures.",
        "Acme Robotics today announced a $40 million Series B round.",
        None,
    ),
    (  # a hard-wrapped paragraph: the first line is not a headline
        "Anthropic and Google expanded their cloud partnership on Thursday, with\n"
        "Anthropic agreeing to use up to one million TPUs. The deal is worth tens of\n"
        "billions of dollars.",
        "Anthropic and Google expanded their cloud partnership on Thursday, with Anthropic "
        "agreeing to use up to one million TPUs.",
        None,
    ),
    (  # a headline, then a dateline in the prose: the headline stays the title
        "Disney sues Midjourney\n\nLOS ANGELES, June 11, 2025 — Disney and Universal sued "
        "Midjourney on Wednesday.",
        "Disney sues Midjourney",
        _day(2025, 6, 11),
    ),
    (  # British day-month order, ISO dates
        "3 March 2025 — Mistral released a model. It is open.",
        "Mistral released a model.",
        _day(2025, 3, 3),
    ),
    (
        "2025-02-28: Sora opens to everyone. More follows.",
        "Sora opens to everyone.",
        _day(2025, 2, 28),
    ),
]


@pytest.mark.parametrize(("text", "title", "published"), STYLES)
def test_titles_and_dates_of_real_world_styles(
    text: str, title: str, published: datetime | None
) -> None:
    record = parse_seed_text(text, name="s.txt", written=WRITTEN)
    assert (record.title, record.published) == (title, published)
    if not text.startswith("Disney"):  # no headline: the first sentence stays in the text
        assert title.split()[0] in record.body.split("\n", 1)[1]


def test_a_long_first_sentence_is_cut_at_a_word() -> None:
    words = " ".join(f"word{n}" for n in range(80))
    record = parse_seed_text(f"{words} ends here. Next sentence.", name="long.txt")
    assert len(record.title) <= MAX_TITLE and record.title.endswith("…")
    assert record.title[:-1].split()[-1].startswith("word")


def test_not_datelines() -> None:
    for text in (
        "Meta - the company behind Facebook - said so.",
        "AI — a primer.",
        "OpenAI: Sora ships.",
    ):
        assert dateline(text) is None, text
    assert (
        first_sentence("Dr. Smith of Acme Corp. said no. Then.")
        == "Dr. Smith of Acme Corp. said no."
    )


def test_a_year_less_dateline_is_dated_by_the_file(tmp_path: Path) -> None:
    path = tmp_path / "wire.txt"
    path.write_text("Dec 30 (Reuters) - Nvidia said it would invest in an AI lab. More.\n")
    written = datetime(2026, 1, 2, tzinfo=UTC).timestamp()
    os.utime(path, (written, written))
    assert load_seed_file(path).published == _day(2025, 12, 30)


def test_the_bundled_seed_still_has_its_headline_and_no_date() -> None:
    (record,) = load_seed_dir(bundled_seed_dir()).articles
    assert record.title == "Meta Teams Up With Midjourney for Future Creative AI Models"
    assert record.published is None
    assert [s.name for s in record.sections] == ["News Summary", "Background"]
