"""The knowledge base: organisations and products with their aliases.

Bundled TOML files under ``feeds/knowledge/`` plus optional user extension files with
the same schema (see ``feeds/knowledge/README.md``) load into an immutable
`KnowledgeBase`, which resolves any spelling of a known name to its canonical form.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeVar

MODALITIES = frozenset(
    {"text", "image", "video", "audio", "code", "multimodal", "robotics", "science"}
)
AI_KINDS = frozenset({"ai-lab", "ai-company", "ai-infrastructure"})
"""Organisation kinds whose business is AI: their deals and lawsuits are AI news."""

_INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")
_WORD = re.compile(r"\w+")
_POSSESSIVE_END = re.compile(r"(?:'s|')\s*$", re.I)
_T = TypeVar("_T")


class KnowledgeBaseError(ValueError):
    """A knowledge-base file is unreadable, malformed, or contradicts another."""


@dataclass(frozen=True, slots=True)
class OrgInfo:
    """An organisation: canonical ``name``, ``kind`` and every alias (name included)."""

    name: str
    kind: str
    aliases: tuple[str, ...] = ()
    weak: tuple[str, ...] = ()
    context: tuple[str, ...] = ()
    name_like: bool = False
    parent: str | None = None
    strict: bool = False

    @property
    def is_ai(self) -> bool:
        """True for AI labs and AI-native companies."""
        return self.kind in AI_KINDS


@dataclass(frozen=True, slots=True)
class ProductInfo:
    """A product or model with its ``maker`` (canonical organisation name)."""

    name: str
    maker: str
    modality: str
    year: int | None = None
    aliases: tuple[str, ...] = ()
    weak: tuple[str, ...] = ()
    context: tuple[str, ...] = ()
    name_like: bool = False
    generic: tuple[str, ...] = ()
    strict: bool = False


Entity = OrgInfo | ProductInfo


@lru_cache(maxsize=16384)  # discovery looks up the same few names again and again
def name_key(name: str) -> str:
    """Normalise ``name`` for lookups: NFKC, no invisible characters, case-folded,
    no trailing possessive, punctuation reduced to single spaces."""
    text = unicodedata.normalize("NFKC", _INVISIBLE.sub("", name)).replace("\u2019", "'")
    text = _POSSESSIVE_END.sub("", text.strip())
    return " ".join(_WORD.findall(text.casefold()))


class KnowledgeBase:
    """Immutable lookup of organisations and products by any alias."""

    __slots__ = ("_by_key", "_derived", "_orgs", "_products")

    def __init__(self, organisations: Iterable[OrgInfo], products: Iterable[ProductInfo]) -> None:
        orgs = {org.name: org for org in organisations}
        prods = {product.name: product for product in products}
        by_key: dict[str, Entity] = {}
        entities: list[Entity] = [*orgs.values(), *prods.values()]
        for entity in entities:
            if isinstance(entity, ProductInfo) and entity.maker not in orgs:
                raise KnowledgeBaseError(f"{entity.name}: unknown maker {entity.maker!r}")
            for alias in (entity.name, *entity.aliases):
                key = name_key(alias)
                other = by_key.get(key)
                if not key or (other is not None and other is not entity):
                    owner = other.name if other is not None else "nothing"
                    raise KnowledgeBaseError(
                        f"alias {alias!r} of {entity.name!r} clashes with {owner!r}"
                    )
                by_key[key] = entity
        self._orgs: Mapping[str, OrgInfo] = MappingProxyType(orgs)
        self._products: Mapping[str, ProductInfo] = MappingProxyType(prods)
        self._by_key: Mapping[str, Entity] = MappingProxyType(by_key)
        self._derived: dict[Callable[[KnowledgeBase], object], object] = {}

    def derived(self, make: Callable[[KnowledgeBase], _T]) -> _T:
        """``make(self)``, computed on first use and kept on the knowledge base: the
        extractor's indexes (its alias matcher ...), found by one dictionary look-up per
        use rather than a weak-keyed cache's."""
        try:
            return self._derived[make]  # type: ignore[return-value]
        except KeyError:
            value = self._derived[make] = make(self)
            return value

    def __repr__(self) -> str:
        return f"<KnowledgeBase {len(self._orgs)} organisations, {len(self._products)} products>"

    def lookup(self, name: str) -> Entity | None:
        """Return the organisation or product that ``name`` (any alias) denotes."""
        if not isinstance(name, str) or len(name) > 300:
            return None
        return self._by_key.get(name_key(name))

    def canonical(self, name: str) -> str | None:
        """Return the canonical organisation name for an alias, or ``None``."""
        entity = self.lookup(name)
        return entity.name if isinstance(entity, OrgInfo) else None

    def organisation(self, name: str) -> OrgInfo | None:
        """Return the organisation for an alias or canonical name."""
        entity = self.lookup(name)
        return entity if isinstance(entity, OrgInfo) else None

    def product(self, name: str) -> ProductInfo | None:
        """Return the product for an alias or canonical name."""
        entity = self.lookup(name)
        return entity if isinstance(entity, ProductInfo) else None

    def organisations(self) -> tuple[OrgInfo, ...]:
        """All organisations, in file order."""
        return tuple(self._orgs.values())

    def products(self) -> tuple[ProductInfo, ...]:
        """All products, in file order."""
        return tuple(self._products.values())


def _strings(table: Mapping[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise KnowledgeBaseError(f"{where}: {key!r} must be a list of strings")
    return tuple(item for item in value if item.strip())


def _text(table: Mapping[str, Any], key: str, where: str, default: str | None = None) -> str:
    value = table.get(key, default)
    if not isinstance(value, str) or not value.strip():
        raise KnowledgeBaseError(f"{where}: {key!r} must be a non-empty string")
    return value.strip()


def _merge(old: tuple[str, ...], new: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys((*old, *new)))


def _org(table: Mapping[str, Any], where: str, old: OrgInfo | None) -> OrgInfo:
    name = _text(table, "name", where)
    return OrgInfo(
        name=name,
        kind=_text(table, "kind", where, old.kind if old else None),
        aliases=_merge(old.aliases if old else (), _strings(table, "aliases", where)),
        weak=_merge(old.weak if old else (), _strings(table, "weak", where)),
        context=_merge(old.context if old else (), _strings(table, "context", where)),
        name_like=bool(table.get("name_like", old.name_like if old else False)),
        parent=table.get("parent") or (old.parent if old else None),
        strict=bool(table.get("strict", old.strict if old else False)),
    )


def _product(table: Mapping[str, Any], where: str, old: ProductInfo | None) -> ProductInfo:
    name = _text(table, "name", where)
    modality = _text(table, "modality", where, old.modality if old else None)
    if modality not in MODALITIES:
        raise KnowledgeBaseError(f"{where}: modality {modality!r} not in {sorted(MODALITIES)}")
    year = table.get("year", old.year if old else None)
    if year is not None and not isinstance(year, int):
        raise KnowledgeBaseError(f"{where}: 'year' must be an integer")
    return ProductInfo(
        name=name,
        maker=_text(table, "maker", where, old.maker if old else None),
        modality=modality,
        year=year,
        aliases=_merge(old.aliases if old else (), _strings(table, "aliases", where)),
        weak=_merge(old.weak if old else (), _strings(table, "weak", where)),
        context=_merge(old.context if old else (), _strings(table, "context", where)),
        name_like=bool(table.get("name_like", old.name_like if old else False)),
        generic=_merge(old.generic if old else (), _strings(table, "generic", where)),
        strict=bool(table.get("strict", old.strict if old else False)),
    )


def _build(documents: Iterable[tuple[str, Mapping[str, Any]]]) -> KnowledgeBase:
    orgs: dict[str, OrgInfo] = {}
    products: dict[str, ProductInfo] = {}
    for source, document in documents:
        for number, table in enumerate(document.get("organisation", []), 1):
            where = f"{source}: organisation #{number}"
            if not isinstance(table, dict):
                raise KnowledgeBaseError(f"{where}: not a table")
            org = _org(table, where, orgs.get(str(table.get("name", "")).strip()))
            orgs[org.name] = org
        for number, table in enumerate(document.get("product", []), 1):
            where = f"{source}: product #{number}"
            if not isinstance(table, dict):
                raise KnowledgeBaseError(f"{where}: not a table")
            product = _product(table, where, products.get(str(table.get("name", "")).strip()))
            products[product.name] = product
    return KnowledgeBase(orgs.values(), products.values())


def _parse(source: str, data: str) -> tuple[str, dict[str, Any]]:
    try:
        return source, tomllib.loads(data)
    except tomllib.TOMLDecodeError as error:
        raise KnowledgeBaseError(f"{source}: {error}") from error


GENERATED_PREFIX = "generated_"
"""Bundled files written by ``scripts/build_knowledge.py`` from public reference data.
They sort before the hand-written files, whose entries therefore refine theirs."""


@lru_cache(maxsize=2)
def _bundled_documents(generated: bool = True) -> tuple[tuple[str, dict[str, Any]], ...]:
    folder = resources.files("aiwatch.feeds.knowledge")
    files = sorted(
        (
            item
            for item in folder.iterdir()
            if item.name.endswith(".toml")
            and (generated or not item.name.startswith(GENERATED_PREFIX))
        ),
        key=lambda item: item.name,
    )
    return tuple(_parse(item.name, item.read_text(encoding="utf-8")) for item in files)


@lru_cache(maxsize=2)
def _bundled(generated: bool = True) -> KnowledgeBase:
    return _build(_bundled_documents(generated))


def load_knowledge_base(
    extra_files: Sequence[Path] = (), *, generated: bool = True
) -> KnowledgeBase:
    """Load the bundled knowledge base plus user extension files (same TOML schema).

    An extension entry whose ``name`` already exists adds aliases and may override its
    other fields; new names are added. Without extension files the result is cached.
    ``generated=False`` leaves out the generated files (their generator reads the rest).

    Raises:
        KnowledgeBaseError: a file is unreadable or malformed, or two entries claim
            the same alias.
    """
    if not extra_files:
        return _bundled(generated)
    documents = list(_bundled_documents(generated))
    for path in extra_files:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise KnowledgeBaseError(f"{path}: {error}") from error
        documents.append(_parse(str(path), text))
    return _build(documents)
