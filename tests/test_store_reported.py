"""News versus mention: what each article reports, what it only names, and discovered records."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy.engine import Engine
from sqlmodel import select

from aiwatch.feeds.records import CaseFact, CompanyMention, Extraction, PartnershipFact, ProductFact
from aiwatch.store.db import session
from aiwatch.store.details import get_article, get_entity
from aiwatch.store.export import export_document, to_csv, to_json, to_markdown
from aiwatch.store.models import Company, Product
from aiwatch.store.queries import list_partnerships
from tests.factories import T0, article, save


def _deal(reported: bool, evidence: str, status: str = "announced") -> PartnershipFact:
    return PartnershipFact(
        ("Meta", "Midjourney"), "video", "licensing", status, "fact", evidence, reported
    )


def _case(reported: bool, evidence: str, stage: str = "filed") -> CaseFact:
    return CaseFact(
        None,
        ("Disney",),
        ("Midjourney",),
        None,
        None,
        ("copyright",),
        stage,
        None,
        "lawsuit",
        "fact",
        evidence,
        reported,
    )


def _product(status: str, launch: bool, evidence: str, **kw: object) -> ProductFact:
    return ProductFact("Veo 3", "Google", "video", status, launch, evidence, **kw)  # type: ignore[arg-type]


def _save_reports_and_mentions(engine: Engine) -> tuple[int, int]:
    """Article 1 reports a deal, a launch and a filing; article 2 names all three in passing."""
    reports = save(
        engine,
        article("1", "Meta and Midjourney sign a deal", published=T0),
        Extraction(
            partnerships=(_deal(True, "Meta signs with Midjourney."),),
            products=(_product("announced", True, "Google announces Veo 3."),),
            cases=(_case(True, "Disney sues Midjourney."),),
        ),
    )
    mentions = save(
        engine,
        article("2", "A week in AI", published=T0 + timedelta(days=3)),
        Extraction(
            partnerships=(_deal(False, "Meta's Midjourney deal, signed last week.", "ended"),),
            products=(_product("released", False, "Rivals such as Veo 3, released in May."),),
            cases=(_case(False, "Midjourney, already sued by Disney, ruled.", "ruling"),),
        ),
    )
    return reports.article_id, mentions.article_id


def test_export_lists_every_article_and_the_reporting_ones_apart(engine: Engine) -> None:
    reporting, mentioning = _save_reports_and_mentions(engine)
    with session(engine) as db:
        document = json.loads(to_json(export_document(db)))
    for kind in ("partnerships", "products", "cases"):
        (record,) = document[kind]
        assert record["articles"] == sorted([reporting, mentioning]), kind
        assert record["reported_in"] == [reporting], kind


def test_status_stage_and_timeline_move_with_reports_not_with_mentions(engine: Engine) -> None:
    _save_reports_and_mentions(engine)
    with session(engine) as db:
        document = export_document(db)
        (deal,), (product,), (case,) = (document[k] for k in ("partnerships", "products", "cases"))
        timelines = {
            kind: [t.status for t in detail.timeline]
            for kind, entity_id in (
                ("partnership", deal["id"]),
                ("product", product["id"]),
                ("case", case["id"]),
            )
            if (detail := get_entity(db, kind, entity_id)) is not None
        }
    assert (deal["status"], product["status"], case["status"]) == (
        "announced",
        "announced",
        "filed",
    )
    assert timelines == {"partnership": ["announced"], "product": ["announced"], "case": ["filed"]}


def test_a_product_only_ever_mentioned_stays_mentioned(engine: Engine) -> None:
    save(
        engine,
        article("1", "Roundup"),
        Extraction(products=(_product("released", False, "Veo 3, released in May."),)),
    )
    with session(engine) as db:
        (product,) = export_document(db)["products"]
    assert (product["status"], product["reported_in"]) == ("mentioned", [])


def test_a_hint_told_in_the_background_is_the_product_state_but_no_report(
    engine: Engine,
) -> None:
    """ "Meta had hinted at a video tool called MovieGen" (a seed's Background): hinted."""
    save(
        engine,
        article("1", "Meta and Midjourney"),
        Extraction(products=(_product("hinted", False, "Google had hinted at Veo 3."),)),
    )
    save(
        engine,
        article("2", "Roundup"),
        Extraction(products=(_product("released", False, "Veo 3, released in May."),)),
    )
    with session(engine) as db:
        (product,) = export_document(db)["products"]
        detail = get_entity(db, "product", product["id"])
    assert (product["status"], product["reported_in"]) == ("hinted", [])
    assert detail is not None and detail.timeline == ()


def test_article_detail_says_per_entity_whether_it_is_reported(engine: Engine) -> None:
    reporting, mentioning = _save_reports_and_mentions(engine)
    with session(engine) as db:
        first, second = get_article(db, reporting), get_article(db, mentioning)
    assert first is not None and second is not None
    assert {m.entity_type for m in first.mentions if m.reported} == {
        "partnership",
        "product",
        "case",
    }
    assert not any(m.reported for m in second.mentions)


def test_csv_and_markdown_carry_the_same_reports(engine: Engine) -> None:
    reporting, _ = _save_reports_and_mentions(engine)
    save(
        engine,
        article("3", "Sora mentioned"),
        Extraction(products=(ProductFact("Sora", "OpenAI", "video", "released", False, "Sora."),)),
    )
    with session(engine) as db:
        document = export_document(db)
    products_csv = to_csv(document)["products.csv"]
    assert products_csv.splitlines()[0].split(",")[-1] == "reported_in"
    assert f",{reporting}\n" in products_csv
    brief = to_markdown(document)
    assert "**Veo 3** (Google): video, announced [1] · also mentioned [2]" in brief
    assert "**Sora** (OpenAI): video, mentioned (mentioned only) [3]" in brief


def test_a_discovered_product_is_unverified_until_an_article_verifies_it(engine: Engine) -> None:
    found = _product("announced", True, "Google unveiled a model called Veo 3.")
    save(
        engine,
        article("1", "Found"),
        Extraction(
            products=(ProductFact(**{**_fields(found), "verified": False, "found_by": "called"}),)
        ),
    )
    with session(engine) as db:
        (product,) = export_document(db)["products"]
        stored = db.exec(select(Product)).one()
        detail = get_entity(db, "product", stored.id or 0)
    assert (product["verified"], product["found_by"]) == (False, "called")
    assert detail is not None and (detail.verified, detail.found_by) == (False, "called")
    assert (
        "Verified",
        "no: discovered in the text, found by called, not in the knowledge base (c confirms)",
    ) in detail.facts
    save(engine, article("2", "Known"), Extraction(products=(found,)))
    with session(engine) as db:
        (product,) = export_document(db)["products"]
    assert product["verified"] is True


def _fields(fact: ProductFact) -> dict[str, object]:
    return {name: getattr(fact, name) for name in fact.__slots__}  # type: ignore[attr-defined]


def test_an_unverified_company_stays_unverified_as_a_party_and_is_marked(engine: Engine) -> None:
    acme = CompanyMention("Acme Robotics", False, "Meta teams with Acme Robotics.", "", "suffix")
    saved = save(
        engine,
        article("1", "Deal"),
        Extraction(
            companies=(acme, CompanyMention("Meta", True, "Meta teams with Acme Robotics.")),
            partnerships=(
                PartnershipFact(
                    ("Acme Robotics", "Meta"), "", "general", "announced", "fact", acme.evidence
                ),
            ),
        ),
    )
    with session(engine) as db:
        company = db.exec(select(Company).where(Company.name == "Acme Robotics")).one()
        (row,) = list_partnerships(db)
        detail = get_article(db, saved.article_id)
    assert (company.verified, company.found_by) == (False, "suffix")
    assert row.unverified == ("Acme Robotics",)
    assert detail is not None
    assert {m.name: m.verified for m in detail.mentions if m.entity_type == "company"} == {
        "Acme Robotics": False,
        "Meta": True,
    }
