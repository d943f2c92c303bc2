"""The knowledge base: size, canonical names, robust lookups and extension files."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from aiwatch.feeds.knowledge.base import (
    MODALITIES,
    KnowledgeBase,
    KnowledgeBaseError,
    OrgInfo,
    ProductInfo,
    load_knowledge_base,
)


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_knowledge_base()


def test_size_and_coverage(kb: KnowledgeBase) -> None:
    orgs, products = kb.organisations(), kb.products()
    assert len(orgs) >= 150 and len(products) >= 150
    kinds = Counter(org.kind for org in orgs)
    for kind in (
        "ai-lab",
        "big-tech",
        "chip-maker",
        "cloud",
        "news-publisher",
        "record-label",
        "collecting-society",
        "stock-media",
        "guild",
        "studio",
        "book-publisher",
    ):
        assert kinds[kind] >= 1, kind
    modalities = Counter(product.modality for product in products)
    assert set(modalities) == MODALITIES
    assert all(modalities[m] >= 5 for m in MODALITIES)


def test_every_product_has_a_known_maker_and_plausible_year(kb: KnowledgeBase) -> None:
    for product in kb.products():
        assert kb.organisation(product.maker) is not None, product
        assert product.year is None or 2010 <= product.year <= 2026, product


@pytest.mark.parametrize(
    ("alias", "canonical"),
    [
        ("Facebook", "Meta"),
        ("Meta Platforms Inc.", "Meta"),
        ("Alphabet", "Google"),
        ("Google DeepMind", "Google"),
        ("DeepMind", "Google"),
        ("Midjourney AI", "Midjourney"),
        ("OpenAI's", "OpenAI"),
        ("OpenAI’s", "OpenAI"),
        ("openai", "OpenAI"),
        ("OPENAI", "OpenAI"),
        ("Open\u200bAI", "OpenAI"),
        ("ＯｐｅｎＡＩ", "OpenAI"),
        ("  Anthropic  ", "Anthropic"),
        ("Character AI", "Character.AI"),
        ("Twitter", "X"),
        ("AWS", "Amazon"),
        ("NYT", "The New York Times"),
        ("Universal Music", "Universal Music Group"),
        ("Getty", "Getty Images"),
        ("Reuters", "Thomson Reuters"),
        ("Authors' Guild", "Authors Guild"),
        ("Conde Nast", "Condé Nast"),
    ],
)
def test_canonical(kb: KnowledgeBase, alias: str, canonical: str) -> None:
    assert kb.canonical(alias) == canonical


@pytest.mark.parametrize("name", ["Sora", "Veo 3", "ChatGPT", "", "Nobody Inc", "x" * 1000])
def test_canonical_is_none_for_products_and_unknown_names(kb: KnowledgeBase, name: str) -> None:
    assert kb.canonical(name) is None


def test_canonical_tolerates_non_strings(kb: KnowledgeBase) -> None:
    assert kb.canonical(None) is None  # type: ignore[arg-type]
    assert kb.canonical(42) is None  # type: ignore[arg-type]


def test_products_resolve_by_alias(kb: KnowledgeBase) -> None:
    product = kb.product("Movie Gen")
    assert isinstance(product, ProductInfo)
    assert (product.name, product.maker, product.modality) == ("MovieGen", "Meta", "video")
    midjourney_video = kb.product("Midjourney Video")
    assert midjourney_video is not None and "video model" in midjourney_video.generic
    assert kb.product("Meta") is None


def test_knowledge_base_is_immutable_and_cached(kb: KnowledgeBase) -> None:
    assert load_knowledge_base() is kb
    org = kb.organisation("Meta")
    assert isinstance(org, OrgInfo)
    with pytest.raises(AttributeError):
        org.name = "Facebook"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        kb.extra = 1  # type: ignore[attr-defined]


def test_extension_file_adds_and_extends(tmp_path: Path, kb: KnowledgeBase) -> None:
    extra = tmp_path / "mine.toml"
    extra.write_text(
        '[[organisation]]\nname = "Acme Robotics"\nkind = "ai-company"\naliases = ["Acme"]\n\n'
        '[[organisation]]\nname = "Meta"\naliases = ["The Facebook Company"]\n\n'
        '[[product]]\nname = "Acme Vision"\nmaker = "Acme Robotics"\nmodality = "video"\n'
        "year = 2026\n",
        encoding="utf-8",
    )
    extended = load_knowledge_base([extra])
    assert extended is not kb
    assert extended.canonical("acme") == "Acme Robotics"
    assert extended.canonical("The Facebook Company") == "Meta"
    assert extended.canonical("Facebook") == "Meta"
    assert extended.organisation("Meta").kind == "big-tech"  # type: ignore[union-attr]
    assert extended.product("Acme Vision").maker == "Acme Robotics"  # type: ignore[union-attr]
    assert kb.canonical("acme") is None


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('[[organisation]]\nname = "Evil"\nkind = "x"\naliases = ["OpenAI"]\n', "clashes"),
        ("[[organisation]]\nname = ", "mine.toml"),
        ('[[product]]\nname = "P"\nmaker = "Nobody"\nmodality = "video"\n', "unknown maker"),
        ('[[product]]\nname = "P"\nmaker = "Meta"\nmodality = "smell"\n', "modality"),
        ('[[organisation]]\nname = "E"\nkind = "x"\naliases = "one"\n', "list of strings"),
    ],
)
def test_bad_extension_files_raise_clearly(tmp_path: Path, content: str, message: str) -> None:
    extra = tmp_path / "mine.toml"
    extra.write_text(content, encoding="utf-8")
    with pytest.raises(KnowledgeBaseError, match=message):
        load_knowledge_base([extra])


def test_missing_extension_file_raises(tmp_path: Path) -> None:
    with pytest.raises(KnowledgeBaseError):
        load_knowledge_base([tmp_path / "absent.toml"])
