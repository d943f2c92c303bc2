"""Rename, merge, delete and confirm: corrections that later articles and reextract respect."""

from __future__ import annotations

import itertools

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from aiwatch.feeds.records import CaseFact, CompanyMention, Extraction, PartnershipFact, ProductFact
from aiwatch.store.changes import data_mark
from aiwatch.store.corrections import CorrectionError, confirm, delete_record, merge, rename
from aiwatch.store.db import session
from aiwatch.store.details import get_entity
from aiwatch.store.edits import apply_edit
from aiwatch.store.export import export_document
from aiwatch.store.lookup import resolve_company
from aiwatch.store.models import Company, Product, RecordEdit, RetiredKey
from aiwatch.store.reextract import finish_reextract, replace_extractions
from aiwatch.tui.cli import main
from tests.factories import article, save


def _launch(
    name: str, evidence: str, status: str = "announced", maker: str = "Google"
) -> Extraction:
    return Extraction(products=(ProductFact(name, maker, "video", status, True, evidence),))


def _deal(a: str, b: str, evidence: str) -> Extraction:
    parties = tuple(sorted((a, b)))
    return Extraction(
        companies=tuple(CompanyMention(p, True, evidence) for p in parties),
        partnerships=(
            PartnershipFact(parties, "video", "research", "announced", "fact", evidence),
        ),
    )


def _id(db: Session, table: type[Product] | type[Company], name: str) -> int:
    row = db.exec(select(table).where(table.name == name)).one()
    assert row.id is not None
    return row.id


def _reextract(engine: Engine, items: list[tuple[int, Extraction]]) -> None:
    with session(engine) as db:
        replace_extractions(db, [(article_id, found, "") for article_id, found in items])
        finish_reextract(db)
        db.commit()


def _products(engine: Engine) -> list[tuple[str, str, list[int]]]:
    with session(engine) as db:
        return sorted(
            (p["name"], p["status"], p["articles"]) for p in export_document(db)["products"]
        )


def test_a_renamed_product_keeps_what_is_reported_under_its_old_name(engine: Engine) -> None:
    first = save(engine, article("1", "Veo"), _launch("Veo", "Google announces Veo."))
    with session(engine) as db:
        assert rename(db, "product", _id(db, Product, "Veo"), "Veo 3") == "Veo"
        db.commit()
    later = save(engine, article("2", "Veo ships"), _launch("Veo", "Veo ships.", "released"))
    _reextract(engine, [(first.article_id, _launch("Veo", "Google announces Veo."))])
    assert _products(engine) == [("Veo 3", "released", [first.article_id, later.article_id])]


def test_a_rename_to_a_name_in_use_is_refused_with_the_merge_to_use(engine: Engine) -> None:
    save(
        engine,
        article("1", "Two"),
        Extraction(
            products=(
                ProductFact("Veo", "Google", "video", "announced", True, "Veo."),
                ProductFact("Veo 3", "Google", "video", "announced", True, "Veo 3."),
            )
        ),
    )
    with session(engine) as db:
        veo, veo3 = _id(db, Product, "Veo"), _id(db, Product, "Veo 3")
        with pytest.raises(CorrectionError, match=f"merge-into {veo3}"):
            rename(db, "product", veo, "veo 3")
        with pytest.raises(CorrectionError, match="named by its parties"):
            rename(db, "partnership", 1, "Anything")


def test_a_merge_moves_mentions_timeline_and_edits_and_catches_later_reports(
    engine: Engine,
) -> None:
    a = save(
        engine,
        article("1", "Kling"),
        _launch("Kling", "Kuaishou released Kling.", "released", "Kuaishou"),
    )
    b = save(
        engine,
        article("2", "Kling 3.0"),
        _launch("Kling 3.0", "Kling 3.0 is announced.", "announced", "Kuaishou"),
    )
    with session(engine) as db:
        loser, survivor = _id(db, Product, "Kling"), _id(db, Product, "Kling 3.0")
        assert merge(db, "product", loser, survivor) == 1
        db.commit()
        assert db.get(Product, loser) is None
        detail = get_entity(db, "product", survivor)
    assert detail is not None
    assert [t.status for t in detail.timeline] == ["released", "announced"]
    assert sorted(e.article_id for e in detail.evidence) == [a.article_id, b.article_id]
    assert _products(engine) == [("Kling 3.0", "released", [a.article_id, b.article_id])]
    c = save(
        engine, article("3", "More Kling"), _launch("Kling", "Kling again.", "released", "Kuaishou")
    )
    _reextract(
        engine,
        [(a.article_id, _launch("Kling", "Kuaishou released Kling.", "released", "Kuaishou"))],
    )
    assert _products(engine) == [
        ("Kling 3.0", "released", [a.article_id, b.article_id, c.article_id])
    ]


def test_merges_chain_to_the_last_survivor(engine: Engine) -> None:
    for key, name in (("1", "Gen-3"), ("2", "Gen 3 Alpha"), ("3", "Runway Gen-3")):
        save(engine, article(key, name), _launch(name, f"{name} launched.", maker="Runway"))
    with session(engine) as db:
        ids = [_id(db, Product, n) for n in ("Gen-3", "Gen 3 Alpha", "Runway Gen-3")]
        merge(db, "product", ids[0], ids[1])
        merge(db, "product", ids[1], ids[2])
        db.commit()
    save(engine, article("4", "Gen-3 again"), _launch("Gen-3", "Gen-3 again.", maker="Runway"))
    assert [(n, len(a)) for n, _, a in _products(engine)] == [("Runway Gen-3", 4)]


def test_a_company_merge_moves_deals_cases_and_products_and_the_old_name(engine: Engine) -> None:
    save(
        engine,
        article("1", "FB deal"),
        _deal("Facebook AI", "Midjourney", "Facebook AI teams with Midjourney."),
    )
    save(
        engine,
        article("2", "Meta deal"),
        _deal("Meta", "Midjourney", "Meta teams with Midjourney."),
    )
    save(
        engine,
        article("3", "Launch"),
        _launch("Make-A-Video", "Facebook AI shows Make-A-Video.", maker="Facebook AI"),
    )
    save(
        engine,
        article("4", "Suit"),
        Extraction(
            cases=(
                CaseFact(
                    None,
                    ("Getty Images",),
                    ("Facebook AI",),
                    None,
                    None,
                    ("copyright",),
                    "filed",
                    None,
                    "lawsuit",
                    "fact",
                    "Getty sued Facebook AI.",
                ),
            )
        ),
    )
    with session(engine) as db:
        merge(db, "company", _id(db, Company, "Facebook AI"), _id(db, Company, "Meta"))
        db.commit()
    later = save(
        engine,
        article("5", "FB again"),
        _deal("Facebook AI", "Midjourney", "Facebook AI expands with Midjourney."),
    )
    with session(engine) as db:
        document = export_document(db)
        assert resolve_company(db, "facebook ai") == "Meta"
        assert db.exec(select(Company.name).where(Company.name == "Facebook AI")).first() is None
    (deal,) = document["partnerships"]
    assert deal["parties"] == ["Meta", "Midjourney"] and later.article_id in deal["articles"]
    assert len(deal["articles"]) == 3
    assert [p["company"] for p in document["products"]] == ["Meta"]
    assert [c["defendants"] for c in document["cases"]] == [["Meta"]]


def test_a_company_merged_into_its_partner_leaves_no_one_party_deal(engine: Engine) -> None:
    save(engine, article("1", "Deal"), _deal("Google", "DeepMind", "Google teams with DeepMind."))
    with session(engine) as db:
        merge(db, "company", _id(db, Company, "DeepMind"), _id(db, Company, "Google"))
        db.commit()
        assert export_document(db)["partnerships"] == []


def test_a_deleted_record_stays_deleted_across_reextract_and_new_articles(engine: Engine) -> None:
    first = save(engine, article("1", "Veo"), _launch("Veo", "Google announces Veo."))
    save(engine, article("2", "Deal"), _deal("Acme", "Meta", "Acme teams with Meta."))
    with session(engine) as db:
        delete_record(db, "product", _id(db, Product, "Veo"))
        delete_record(db, "company", _id(db, Company, "Acme"))
        db.commit()
        assert export_document(db)["partnerships"] == []
    _reextract(engine, [(first.article_id, _launch("Veo", "Google announces Veo."))])
    save(engine, article("3", "Veo again"), _launch("Veo", "Veo ships.", "released"))
    save(engine, article("4", "Deal again"), _deal("Acme", "Meta", "Acme and Meta expand."))
    with session(engine) as db:
        document = export_document(db)
        companies = set(db.exec(select(Company.name)).all())
    assert document["products"] == [] and document["partnerships"] == []
    assert "Acme" not in companies and "Meta" in companies


def test_a_merged_name_is_deleted_with_its_survivor(engine: Engine) -> None:
    save(
        engine,
        article("1", "Two"),
        Extraction(
            products=(
                ProductFact("Veo", "Google", "video", "announced", True, "Veo."),
                ProductFact("Veo 3", "Google", "video", "announced", True, "Veo 3."),
            )
        ),
    )
    with session(engine) as db:
        survivor = _id(db, Product, "Veo 3")
        merge(db, "product", _id(db, Product, "Veo"), survivor)
        delete_record(db, "product", survivor)
        db.commit()
    save(engine, article("2", "Veo again"), _launch("Veo", "Veo again."))
    assert _products(engine) == []


def test_confirm_marks_discovered_records_verified(engine: Engine) -> None:
    save(
        engine,
        article("1", "Found"),
        Extraction(
            companies=(
                CompanyMention("Acme Robotics", False, "Acme Robotics said.", "", "suffix"),
            ),
            products=(
                ProductFact(
                    "Zeta-1", "Acme Robotics", "text", "announced", True, "Zeta-1.", False, "called"
                ),
            ),
        ),
    )
    with session(engine) as db:
        product, company = _id(db, Product, "Zeta-1"), _id(db, Company, "Acme Robotics")
        assert confirm(db, "product", product) == "Zeta-1"
        confirm(db, "company", company)
        db.commit()
        assert db.get(Product, product).verified and db.get(Company, company).verified  # type: ignore[union-attr]
        with pytest.raises(CorrectionError, match="only companies and products"):
            confirm(db, "case", 1)


def test_a_pruned_survivor_takes_its_retired_keys_with_it(engine: Engine) -> None:
    first = save(engine, article("1", "Veo"), _launch("Veo", "Google announces Veo."))
    with session(engine) as db:
        rename(db, "product", _id(db, Product, "Veo"), "Veo 3")
        db.commit()
    _reextract(engine, [(first.article_id, Extraction())])
    with session(engine) as db:
        assert db.exec(select(RetiredKey)).all() == []


def test_cli_corrections(
    sqlite_engine: Engine, sqlite_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    save(
        sqlite_engine,
        article("1", "Two"),
        Extraction(
            products=(
                ProductFact("Veo", "Google", "video", "announced", True, "Veo."),
                ProductFact("Sora", "OpenAI", "video", "released", True, "Sora.", False, "called"),
            )
        ),
    )
    with session(sqlite_engine) as db:
        veo, sora = _id(db, Product, "Veo"), _id(db, Product, "Sora")
    db_args = ["--db", sqlite_url, "edit", "product"]
    assert main([*db_args, str(veo), "rename", "Veo", "3"]) == 0
    assert f"Renamed product {veo}: Veo → Veo 3" in capsys.readouterr().out
    assert main([*db_args, str(veo), "modality=smell"]) == 2
    assert "'smell' is not a product modality; valid values: audio, code" in capsys.readouterr().err
    assert main([*db_args, str(sora), "confirm"]) == 0
    assert "Confirmed product" in capsys.readouterr().out
    assert main([*db_args, str(sora), "merge-into", str(veo)]) == 0
    assert f"Merged product {sora} into {veo} (1 mention(s) moved)" in capsys.readouterr().out
    assert main([*db_args, str(veo), "delete"]) == 0
    assert "stays deleted" in capsys.readouterr().out
    assert main([*db_args, str(veo), "confirm"]) == 2
    assert f"no product with id {veo}" in capsys.readouterr().err
    assert main([*db_args, "1", "merge-into", "x"]) == 2
    assert "merge-into needs one record id" in capsys.readouterr().err
    assert main(["--db", sqlite_url, "edit", "company", "1", "kind=lab"]) == 2
    assert "a company has no editable fields" in capsys.readouterr().err


def test_every_correction_moves_the_mark_open_dashboards_poll(engine: Engine) -> None:
    """A field edit, rename, merge, deletion or confirmation changes no article or mention
    id, so each is logged: the store's mark moves and open dashboards read again."""
    for n, (name, maker) in enumerate((("Veo", "Google"), ("Veo 3", "Google"), ("Sora", "OpenAI"))):
        save(engine, article(str(n), name), _launch(name, f"{name}.", maker=maker))
    with session(engine) as db:
        veo, veo3, sora = (_id(db, Product, n) for n in ("Veo", "Veo 3", "Sora"))
    corrections = [
        lambda db: apply_edit(db, "product", sora, {"status": "released"}),
        lambda db: rename(db, "product", sora, "Sora 2"),
        lambda db: merge(db, "product", veo, veo3),
        lambda db: confirm(db, "product", veo3),
        lambda db: delete_record(db, "product", sora),
    ]
    with session(engine) as db:
        marks = [data_mark(db)]
    for correct in corrections:
        with session(engine) as db:
            correct(db)
            db.commit()
            marks.append(data_mark(db))
    assert all(after != before for before, after in itertools.pairwise(marks))
    with session(engine) as db:
        logged = db.exec(select(RecordEdit.verb, RecordEdit.entity_id)).all()
    assert logged == [
        ("edit", sora),
        ("rename", sora),
        ("merge", veo3),
        ("confirm", veo3),
        ("delete", sora),
    ]
