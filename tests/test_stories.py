"""One story, many outlets: the same event from three feeds is one story; look-alikes are not."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.engine import Engine

from aiwatch.store.db import session
from aiwatch.store.queries import list_articles, list_stories
from aiwatch.store.read_models import Filter
from aiwatch.store.stories import group_stories
from tests.factories import T0, ProductFact, article, extraction, save


def _sora(engine: Engine) -> dict[str, int]:
    """The Sora 2 launch from three outlets, and two lawsuits whose titles look alike."""
    launch = ProductFact("Sora 2", "OpenAI", "video", "released", True, "OpenAI launched Sora 2.")
    versions = [
        ("verge", "OpenAI launches Sora 2, its new video model", T0),
        ("tc", "OpenAI Launches Sora 2 Video Model", T0 + timedelta(hours=5)),
        ("wired", "OpenAI has launched Sora 2, a video-generation model", T0 + timedelta(days=1)),
    ]
    ids = {}
    for outlet, title, when in versions:
        ids[outlet] = save(
            engine,
            article(
                outlet,
                title,
                url=f"https://{outlet}.example.com/{outlet}-sora",
                source=f"https://{outlet}.example.com/feed",
                published=when,
            ),
            extraction("OpenAI", products=[launch]),
        ).article_id
    for key, plaintiff, defendant in (
        ("getty-stability", "Getty Images", "Stability AI"),
        ("getty-midjourney", "Getty Images", "Midjourney"),
    ):
        ids[key] = save(
            engine,
            article(
                key,
                f"{plaintiff} sues {defendant} over copyrighted images in Delaware court",
                url=f"https://{key}.example.com/story",
                source=f"https://{key}.example.com/feed",
                published=T0 + timedelta(hours=2),
            ),
            extraction(plaintiff, defendant),
        ).article_id
    with session(engine) as db:
        assert group_stories(db) == 5
        db.commit()
    return ids


def test_the_same_story_from_three_outlets_is_listed_once(engine: Engine) -> None:
    ids = _sora(engine)
    with session(engine) as db:
        stories = {row.title: row for row in list_stories(db)}
        everything = list_articles(db)
    assert len(everything) == 5  # every version is still stored and exported
    sora = stories["OpenAI launches Sora 2, its new video model"]  # the first outlet's title
    assert sora.sources == 3 and sora.source == "https://verge.example.com/feed"
    assert sora.versions == (ids["verge"], ids["tc"], ids["wired"])
    assert len(stories) == 3


def test_two_stories_with_similar_titles_never_merge(engine: Engine) -> None:
    ids = _sora(engine)
    with session(engine) as db:
        rows = {row.id: row for row in list_stories(db)}
    assert rows[ids["getty-stability"]].versions == ()
    assert rows[ids["getty-midjourney"]].versions == ()


def test_grouping_is_incremental_and_stable(sqlite_engine: Engine) -> None:
    ids = _sora(sqlite_engine)
    late = save(
        sqlite_engine,
        article(
            "reuters",
            "OpenAI launches Sora 2 video model",
            url="https://reuters.example.com/sora",
            source="https://reuters.example.com/feed",
            published=T0 + timedelta(days=2),
        ),
        extraction("OpenAI"),
    ).article_id
    far = save(
        sqlite_engine,
        article(
            "later",
            "OpenAI launches Sora 2 video model",
            url="https://later.example.com/sora",
            source="https://later.example.com/feed",
            published=T0 + timedelta(days=30),
        ),
        extraction("OpenAI"),
    ).article_id
    with session(sqlite_engine) as db:
        assert group_stories(db) == 2 and group_stories(db) == 0
        db.commit()
        stories = {row.id: row for row in list_stories(db)}
    assert stories[ids["verge"]].versions[-1] == late and stories[ids["verge"]].sources == 4
    assert stories[far].versions == ()  # a month later is another story


def test_a_filter_keeps_the_story_when_any_version_matches(sqlite_engine: Engine) -> None:
    ids = _sora(sqlite_engine)
    with session(sqlite_engine) as db:
        (row,) = list_stories(db, Filter(text="video-generation"))
    assert row.id == ids["verge"] and row.sources == 3


def test_the_same_feed_twice_is_two_stories(sqlite_engine: Engine) -> None:
    for key in ("one", "two"):
        save(
            sqlite_engine,
            article(
                key,
                "Weekly AI roundup: Meta, OpenAI and Google",
                url=f"https://x.example.com/{key}",
                source="https://x.example.com/feed",
            ),
            extraction(),
        )
    with session(sqlite_engine) as db:
        group_stories(db)
        assert len(list_stories(db)) == 2


def test_a_wire_story_under_another_headline_is_the_same_story(sqlite_engine: Engine) -> None:
    lead = (
        "NEW YORK (AP) The New York Times filed a copyright lawsuit against OpenAI and Microsoft "
        "on Wednesday, saying millions of its articles were used to train chatbots that now compete with it."
    )
    for key, headline in (
        ("ap", "Times sues makers of ChatGPT"),
        ("local", "Newspaper takes AI companies to court"),
    ):
        save(
            sqlite_engine,
            article(
                key,
                headline,
                url=f"https://{key}.example.com/times",
                source=f"https://{key}.example.com/feed",
                text=lead,
            ),
            extraction(),
        )
    save(  # another story that only starts the same way is not
        sqlite_engine,
        article(
            "short",
            "Times sues",
            url="https://x.example.com/t",
            source="https://x.example.com/feed",
            text="NEW YORK (AP) The Times sued.",
        ),
        extraction(),
    )
    with session(sqlite_engine) as db:
        group_stories(db)
        rows = list_stories(db)
    assert sorted(len(r.versions) for r in rows) == [0, 2]
