"""What's new, per user: unread articles, and entities new or moved since they last looked."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.engine import Engine
from sqlmodel import select

from aiwatch.store.db import session
from aiwatch.store.models import CopyrightCase, Partnership, Product
from aiwatch.store.queries import load_dashboard
from aiwatch.store.read_models import Filter
from aiwatch.store.whats_new import mark_read, mark_seen
from tests.factories import T0, ProductFact, article, deal, extraction, lawsuit, save


def _first_day(engine: Engine) -> None:
    save(
        engine,
        article("a", "Authors sue Meta", published=T0),
        extraction(
            "Meta",
            cases=[lawsuit(("Meta",), "Authors sued Meta.", plaintiffs=("Authors Guild",))],
            products=[
                ProductFact(
                    "Veo 3", "Google", "video", "announced", True, "Google announced Veo 3."
                )
            ],
            partnerships=[deal("Meta", "Midjourney", "Meta partners with Midjourney.")],
        ),
    )


def _look(engine: Engine, user: str) -> None:
    with session(engine) as db:
        board = load_dashboard(db, user=user)
        mark_seen(db, user, "case", [c.id for c in board.cases])
        mark_seen(db, user, "product", [p.id for p in board.products])
        mark_seen(db, user, "partnership", [p.id for p in board.partnerships])
        mark_read(db, user, [a.id for a in board.articles])
        db.commit()


def test_everything_is_new_to_a_new_user_until_they_look(engine: Engine) -> None:
    _first_day(engine)
    with session(engine) as db:
        board = load_dashboard(db, user="ana")
    news = board.whats_new
    assert set(news.cases.values()) == {"new"} and len(news.cases) == 1
    assert list(news.products.values()) == ["new"] and list(news.partnerships.values()) == ["new"]
    assert news.unread == {board.articles[0].id}
    _look(engine, "ana")
    with session(engine) as db:
        board = load_dashboard(db, user="ana")
        other = load_dashboard(db, user="ben")  # a colleague on the same database
    assert not (board.whats_new.cases or board.whats_new.products or board.whats_new.unread)
    assert other.whats_new.cases and other.whats_new.unread


def test_a_case_moving_stage_between_refreshes_is_marked_changed(engine: Engine) -> None:
    _first_day(engine)
    _look(engine, "ana")
    save(  # the next refresh: the same case reaches a ruling, a new article
        engine,
        article("b", "Judge rules for Meta", published=T0 + timedelta(days=2)),
        extraction(
            "Meta",
            cases=[
                lawsuit(
                    ("Meta",),
                    "The judge ruled for Meta.",
                    plaintiffs=("Authors Guild",),
                    stage="ruling",
                    ruling="fair use",
                )
            ],
        ),
    )
    with session(engine) as db:
        board = load_dashboard(db, user="ana")
        (case_id,) = db.exec(select(CopyrightCase.id)).all()
    assert board.whats_new.cases == {case_id: "filed → ruling: fair use"}
    assert board.whats_new.products == {} and board.whats_new.partnerships == {}
    assert board.whats_new.unread == {
        a.id for a in board.articles if a.title == "Judge rules for Meta"
    }


def test_a_product_changes_only_when_an_article_reports_a_launch(engine: Engine) -> None:
    _first_day(engine)
    _look(engine, "ana")
    save(  # a passing mention of Veo 3 as released: not a launch the article reports
        engine,
        article("c", "Video models compared", published=T0 + timedelta(days=1)),
        extraction(
            "Google",
            products=[ProductFact("Veo 3", "Google", "video", "released", False, "Veo 3 is out.")],
        ),
    )
    with session(engine) as db:
        assert load_dashboard(db, user="ana").whats_new.products == {}
    save(
        engine,
        article("d", "Google releases Veo 3", published=T0 + timedelta(days=3)),
        extraction(
            "Google",
            products=[
                ProductFact(
                    "Veo 3", "Google", "video", "released", True, "Google released Veo 3 today."
                )
            ],
        ),
    )
    with session(engine) as db:
        (product_id,) = db.exec(select(Product.id)).all()
        news = load_dashboard(db, user="ana").whats_new
    assert news.products == {
        product_id: f"launch reported: released {(T0 + timedelta(days=3)):%Y-%m-%d}"
    }


def test_unread_and_unseen_again(engine: Engine) -> None:
    _first_day(engine)
    _look(engine, "ana")
    with session(engine) as db:
        board = load_dashboard(db, user="ana")
        (deal_id,) = db.exec(select(Partnership.id)).all()
        mark_read(db, "ana", [board.articles[0].id], read=False)
        mark_seen(db, "ana", "partnership", [deal_id], seen=False)
        db.commit()
        news = load_dashboard(db, user="ana").whats_new
    assert news.unread == {board.articles[0].id} and news.partnerships == {deal_id: "new"}


def test_panels_order_by_the_latest_report_and_cycle(engine: Engine) -> None:
    save(
        engine,
        article("old", "ChatGPT everywhere", published=T0),
        extraction(
            "OpenAI",
            products=[
                ProductFact("ChatGPT", "OpenAI", "text", "released", False, "ChatGPT is popular.")
            ],
        ),
    )
    for n in range(3):  # ChatGPT is mentioned often, but never launched in these weeks
        save(
            engine,
            article(f"m{n}", f"Chatbots, week {n}", published=T0 + timedelta(days=n)),
            extraction(
                "OpenAI",
                products=[
                    ProductFact("ChatGPT", "OpenAI", "text", "released", False, "ChatGPT again.")
                ],
            ),
        )
    save(
        engine,
        article("veo", "Google launches Veo 3", published=T0 + timedelta(days=1)),
        extraction(
            "Google",
            products=[
                ProductFact("Veo 3", "Google", "video", "released", True, "Google launched Veo 3.")
            ],
        ),
    )
    save(
        engine,
        article("aria", "Aria model mentioned", published=T0 + timedelta(days=5)),
        extraction(
            "Acme",
            products=[ProductFact("Aria", "Acme", "text", "mentioned", False, "Aria exists.")],
        ),
    )
    with session(engine) as db:
        newest = [p.name for p in load_dashboard(db).products]
        reported = [p.name for p in load_dashboard(db, Filter(sort="reported")).products]
        by_name = [p.name for p in load_dashboard(db, Filter(sort="name")).products]
    assert newest == ["Veo 3", "Aria", "ChatGPT"]  # launches first, then by last mention
    assert reported[0] == "ChatGPT" and by_name == ["Aria", "ChatGPT", "Veo 3"]


def test_a_saved_view_keeps_every_part_of_the_filter(engine: Engine) -> None:
    from aiwatch.store.saved_views import delete_view, list_views, save_view

    filt = Filter(
        company="Meta", topic="litigation", text='"fair use"', after="2025-06-01", sort="name"
    )
    with session(engine) as db:
        save_view(db, "ana", "Meta rulings", filt)
        save_view(db, "ana", "Meta rulings", filt)  # saving again replaces it
        db.commit()
        assert [(v.name, v.filter) for v in list_views(db, "ana")] == [("Meta rulings", filt)]
        assert list_views(db, "ben") == []
        assert delete_view(db, "ana", "Meta rulings") and not delete_view(db, "ana", "Meta rulings")
