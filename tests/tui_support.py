"""Deterministic data for the TUI tests: the reference seed with a hand-made extraction.

Until the rule-based extractor is available, the seed's records are built here
with `feeds.records` types, exactly as DESIGN.md lists them; all dates are fixed
so snapshots do not change from run to run.
"""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from rich.console import Console
from sqlalchemy.engine import Engine
from textual.app import App

from aiwatch.feeds.records import (
    ArticleRecord,
    CaseFact,
    CompanyMention,
    Extraction,
    PartnershipFact,
    ProductFact,
    Section,
)
from aiwatch.feeds.sources.seeds import bundled_seed_dir, load_seed_file
from aiwatch.store.db import session
from aiwatch.store.ingest import NewArticle, save_articles

SEED_DAY = datetime(2025, 6, 20, 9, 0, tzinfo=UTC)
OTHER_DAY = datetime(2025, 5, 12, 15, 30, tzinfo=UTC)
SEED_FILE = "000_54de52ff19631516.txt"
SEED_TITLE = "Meta Teams Up With Midjourney for Future Creative AI Models"
OTHER_TITLE = "OpenAI signs content licensing deal with Axel Springer"


def seed_record() -> ArticleRecord:
    """The bundled reference seed, parsed by the real seed parser, with a fixed date."""
    record = load_seed_file(bundled_seed_dir() / SEED_FILE)
    return replace(record, published=SEED_DAY)


def _sentence(record: ArticleRecord, needle: str) -> str:
    text = " ".join(section.text for section in record.sections)
    for sentence in text.replace("\n", " ").split(". "):
        if needle in sentence:
            return sentence.strip().rstrip(".") + "."
    raise AssertionError(f"{needle!r} not in the seed")


def seed_extraction(record: ArticleRecord) -> Extraction:
    """What DESIGN.md says a careful reader finds in the reference article."""
    deal = _sentence(record, "announced a partnership with Midjourney")
    rivals = _sentence(record, "OpenAI's Sora")
    moviegen = _sentence(record, "MovieGen")
    mj_video = _sentence(record, "new AI video model")
    suits = _sentence(record, "copyright infringement lawsuits, although")
    return Extraction(
        companies=(
            CompanyMention("Meta", True, deal),
            CompanyMention("Midjourney", True, deal),
            CompanyMention("OpenAI", True, rivals),
            CompanyMention("Google", True, rivals),
        ),
        partnerships=(
            PartnershipFact(
                ("Meta", "Midjourney"),
                "future creative AI models, AI video generation",
                "research",
                "announced",
                "fact",
                deal,
            ),
        ),
        products=(
            ProductFact("Sora", "OpenAI", "video", "released", False, rivals),
            ProductFact("Veo 3", "Google", "video", "released", False, rivals),
            ProductFact("MovieGen", "Meta", "video", "hinted", False, moviegen),
            ProductFact("Llama", "Meta", "text", "released", False, moviegen),
            ProductFact(
                "Midjourney video model", "Midjourney", "video", "released", True, mj_video
            ),
        ),
        cases=(
            CaseFact(
                None,
                (),
                ("Meta",),
                None,
                None,
                ("copyright",),
                "ruling",
                "fair use",
                "lawsuit",
                "fact",
                suits,
            ),
            CaseFact(
                None,
                (),
                ("Midjourney",),
                None,
                None,
                ("copyright",),
                "filed",
                None,
                "lawsuit",
                "fact",
                suits,
            ),
        ),
        topics=("litigation", "partnership", "product", "video-generation"),
    )


def other_record() -> ArticleRecord:
    """A second, unrelated article so that filters have something to remove."""
    text = (
        "OpenAI and Axel Springer announced a licensing deal that brings the publisher's "
        "journalism into ChatGPT. The agreement covers Politico and Business Insider."
    )
    return ArticleRecord(
        source="https://example.com/feed.xml",
        entry_key="axel",
        url="https://example.com/openai-axel-springer",
        title=OTHER_TITLE,
        published=OTHER_DAY,
        summary=text,
        sections=(Section("Summary", text),),
        author="Jane Reporter",
    )


def other_extraction(record: ArticleRecord) -> Extraction:
    """The licensing deal and ChatGPT."""
    sentence = record.summary.split(". ")[0] + "."
    return Extraction(
        companies=(
            CompanyMention("OpenAI", True, sentence),
            CompanyMention("Axel Springer", True, sentence),
        ),
        partnerships=(
            PartnershipFact(
                ("Axel Springer", "OpenAI"),
                "news content in ChatGPT",
                "licensing",
                "announced",
                "fact",
                sentence,
            ),
        ),
        products=(ProductFact("ChatGPT", "OpenAI", "text", "released", True, sentence),),
        topics=("partnership",),
        key_points=(sentence,),
    )


def populate(engine: Engine, *, other: bool = True) -> None:
    """Store the seed (and, unless ``other`` is false, a second article) with extractions."""
    with session(engine) as db:
        seed = seed_record()
        save_articles(db, [NewArticle(seed, seed_extraction(seed))], now=SEED_DAY)
        if other:
            second = other_record()
            save_articles(db, [NewArticle(second, other_extraction(second))], now=OTHER_DAY)
        db.commit()


def hostile_record(title: str, key: str) -> ArticleRecord:
    """An article whose title and text are hostile strings."""
    return ArticleRecord(
        source=f"seed:{key}.txt",
        entry_key=f"{key}.txt",
        url=None,
        title=title,
        published=OTHER_DAY,
        summary=title,
        sections=(Section("News Summary", title),),
        author=title,
    )


def screen_text(app: App[Any]) -> str:
    """The characters on screen right now (what a user would read), without styles."""
    width, height = app.size
    console = Console(
        width=width, height=height, file=io.StringIO(), force_terminal=True, record=True
    )
    update = app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    console.print(update)
    return console.export_text(styles=False)


def notified(app: App[Any]) -> list[str]:
    """The messages of the notifications the app has shown (Textual keeps them privately)."""
    return [notification.message for notification in app._notifications]
