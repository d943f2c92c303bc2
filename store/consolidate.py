"""Merge articles' extractions into the long-lived records.

The same deal reported by ten articles is one `Partnership` with ten mentions;
the same lawsuit under different descriptions is one `CopyrightCase`. Statuses
and stages only move forward, and records a user edited keep their fields.

A `Consolidator` works on a batch (one feed, one seed load): it reads every
entity the batch names with a handful of ``IN`` queries, merges the facts in
memory, and writes the result with one flush and a few multi-row inserts,
instead of several statements per fact.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field, fields
from datetime import datetime
from functools import cache, lru_cache
from typing import Any, Self, TypeVar

from sqlalchemy import Select, Table, func
from sqlmodel import Session, col, delete, select

from aiwatch.feeds.records import CaseFact, CompanyMention, Extraction, PartnershipFact, ProductFact
from aiwatch.store.bulk import (
    add_rows,
    chunks,
    in_list,
    insert_rows,
    list_style,
    select_in,
    update_rows,
)
from aiwatch.store.models import (
    CaseParty,
    Company,
    CopyrightCase,
    Mention,
    Partnership,
    PartnershipParty,
    Product,
    RetiredKey,
    StatusChange,
    as_utc,
    table_of,
)

PRODUCT_STATUS_RANK = {"mentioned": 0, "hinted": 1, "announced": 2, "preview": 3, "released": 4}
CASE_STAGE_RANK = {
    "accusation": 0,
    "filed": 1,
    "motion-to-dismiss": 2,
    "discovery": 3,
    "summary-judgment": 4,
    "ruling": 5,
    "appeal": 6,
    "settled": 7,
    "dismissed": 7,
}
CERTAINTY_RANK = {"negated": 0, "rumour": 1, "fact": 2}
KEYED: dict[str, tuple[Any, str]] = {
    "company": (Company, "name"),
    "product": (Product, "key"),
    "partnership": (Partnership, "key"),
    "case": (CopyrightCase, "key"),
}
"""Each record table with the column that is its identity (what a `RetiredKey` holds)."""


@lru_cache(maxsize=4096)  # a batch names the same few companies and products again and again
def name_key(name: str) -> str:
    """A case-, accent- and punctuation-insensitive key for a name."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", " ", folded).strip() or name.strip().lower()


def company_key(name: str) -> str:
    """The stored (unique) form of a company name."""
    return name.strip()[:300]


def _evidence_key(evidence: str) -> str:
    return hashlib.sha1(evidence.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def _later(a: datetime | None, b: datetime | None) -> datetime | None:
    a, b = as_utc(a), as_utc(b)
    return max(a, b) if a and b else a or b


def _earlier(a: datetime | None, b: datetime | None) -> datetime | None:
    a, b = as_utc(a), as_utc(b)
    return min(a, b) if a and b else a or b


def company_for(session: Session, name: str, *, verified: bool = True, kind: str = "") -> Company:
    """The company row named ``name``, created (and flushed) if new."""
    key = company_key(name)
    company = session.exec(select(Company).where(Company.name == key)).first()
    if company is None:
        company = Company(name=key, verified=verified, kind=kind)
        session.add(company)
        session.flush()
    elif verified and not company.verified:
        company.verified = True
        session.add(company)
    return company


def case_key(fact: CaseFact) -> str:
    """A case's identity from one report: its docket, else its kind and parties."""
    if fact.docket:
        return "docket:" + name_key(fact.docket)
    plaintiffs = ",".join(sorted(name_key(p) for p in fact.plaintiffs))
    defendants = ",".join(sorted(name_key(d) for d in fact.defendants))
    return f"{fact.kind}:{plaintiffs}|{defendants}"[:600]


def partnership_key(parties: Iterable[str]) -> str:
    """A deal's identity: its parties' name keys, sorted."""
    return "|".join(name_key(name) for name in sorted(parties))[:600]


@dataclass(eq=False, kw_only=True)
class _Row:
    """A row held as plain attributes while a batch is merged (ORM objects cost too much).

    ``read`` is what the database held, ``None`` for a row this batch creates.
    """

    id: int | None = None
    read: dict[str, Any] | None = field(default=None, repr=False)

    def values(self) -> dict[str, Any]:
        """The row's columns (all but ``id``)."""
        names = _COLUMNS.get(type(self))
        if names is None:
            own = (f.name for f in fields(self))
            names = _COLUMNS[type(self)] = tuple(n for n in own if n not in ("id", "read"))
        return {name: getattr(self, name) for name in names}

    @classmethod
    def loaded(cls, table: Table, row: Sequence[Any]) -> Self:
        """A row as read from the database: every column of ``table``, in order."""
        read = dict(zip(_column_names(table), row, strict=True))
        loaded = cls(**read)
        del read["id"]
        loaded.read = read
        return loaded


@dataclass(eq=False, kw_only=True)
class _Company(_Row):
    name: str
    kind: str = ""
    verified: bool = True
    found_by: str = ""


@dataclass(eq=False, kw_only=True)
class _Product(_Row):
    key: str
    name: str
    company_id: int | None = None
    modality: str = ""
    status: str = "mentioned"
    first_seen: datetime | None = None
    last_seen: datetime | None = None
    user_edited: bool = False
    verified: bool = True
    found_by: str = ""


@dataclass(eq=False, kw_only=True)
class _Partnership(_Row):
    key: str
    focus: str = ""
    kind: str = ""
    status: str = "announced"
    certainty: str = "fact"
    first_seen: datetime | None = None
    last_seen: datetime | None = None
    user_edited: bool = False


@dataclass(eq=False, kw_only=True)
class _CopyrightCase(_Row):
    key: str
    caption: str = ""
    court: str = ""
    docket: str = ""
    claims: list[str] = field(default_factory=list)
    kind: str = "lawsuit"
    stage: str = "filed"
    ruling: str = ""
    ruling_date: datetime | None = None
    certainty: str = "fact"
    first_seen: datetime | None = None
    last_seen: datetime | None = None
    user_edited: bool = False


@dataclass(eq=False)
class _Case:
    """A case row and the names of its parties by role."""

    row: _CopyrightCase
    plaintiffs: set[str] = field(default_factory=set)
    defendants: set[str] = field(default_factory=set)


@dataclass(slots=True)  # not frozen: a frozen dataclass is several times slower to build
class _Link:
    """A mention or timeline point waiting for its entity's id."""

    article_id: int
    entity_type: str
    entity: _Row
    text: str  # evidence for a mention, status for a timeline point
    certainty: str = "fact"
    key: str = ""  # a mention's evidence key
    at: datetime | None = None
    reported: bool = False  # a mention's: the article reports it as news


_R = TypeVar("_R", bound=_Row)
_COLUMNS: dict[type[_Row], tuple[str, ...]] = {}


@cache
def _column_names(table: Table) -> tuple[str, ...]:
    return tuple(table.c.keys())


_CASE, _PARTY, _COMPANY = table_of(CopyrightCase), table_of(CaseParty), table_of(Company)


@cache
def _cases_against(style: str) -> Select[Any]:
    """Every case against some of the named companies (built once, see `store.bulk.in_list`)."""
    defendants = (
        select(_PARTY.c.case_id)
        .join(_COMPANY, _COMPANY.c.id == _PARTY.c.company_id)
        .where(in_list(_COMPANY.c.name, "defendants", style), _PARTY.c.role == "defendant")
    )
    return _CASE.select().where(_CASE.c.id.in_(defendants))


@cache
def _parties_of_cases(style: str) -> Select[int, str, str]:
    """The role and company name of every party of some cases."""
    return (
        select(_PARTY.c.case_id, _PARTY.c.role, _COMPANY.c.name)
        .join(_COMPANY, _COMPANY.c.id == _PARTY.c.company_id)
        .where(in_list(_PARTY.c.case_id, "case_ids", style))
    )


_CAPTION_SIDES = re.compile(r"\s+(?:v\.?|vs\.?|versus)\s+", re.IGNORECASE)


def _plaintiff_side(caption: str | None) -> str:
    """What a caption names before "v.": ``Sarah Silverman and other authors`` (or "")."""
    if not caption:
        return ""
    sides = _CAPTION_SIDES.split(caption, maxsplit=1)
    return sides[0].strip() if len(sides) == 2 else ""


def _plaintiffs_named(fact: CaseFact, reports: Sequence[CaseFact]) -> frozenset[str]:
    """The plaintiffs an article names for a report of ``fact``'s defendants.

    Its own plaintiffs, else its caption's plaintiff side and the plaintiffs of the
    article's other reports against one of the same defendants.
    """
    if fact.plaintiffs:
        return frozenset(fact.plaintiffs)
    named = {_plaintiff_side(fact.caption)}
    against = set(fact.defendants)
    for other in reports:
        if other is not fact and against & set(other.defendants):
            named.update(other.plaintiffs)
    named.discard("")
    return frozenset(named)


def _initials(name: str) -> str:
    """``nyt`` for "The New York Times", ``umg`` for "Universal Music Group"."""
    words = name_key(name).split()
    return "".join(w[0] for w in words if w not in ("the", "of", "and", "inc", "llc"))


def _same_party(a: str, b: str) -> bool:
    """Whether two names are one party: the same key, one's words inside the other's,
    or one the other's initials (captions abbreviate: "NYT v. OpenAI")."""
    ka, kb = f" {name_key(a)} ", f" {name_key(b)} "
    if ka in kb or kb in ka:
        return True
    short, long = sorted((ka.strip(), kb.strip()), key=len)
    return " " not in short and len(short) >= 2 and short == _initials(long)


def _compatible(named: frozenset[str], case: _Case) -> bool:
    """Whether a report naming plaintiffs ``named`` may join ``case``.

    Yes when the article names none, or when one of them is among the case's
    plaintiffs (or, for a case with none stored, its caption's plaintiff side).
    """
    if not named:
        return True
    known = set(case.plaintiffs) or {_plaintiff_side(case.row.caption)} - {""}
    if not known:
        return True
    return any(_same_party(a, b) for a in named for b in known)


def retired_keys(session: Session) -> dict[tuple[str, str], str | None]:
    """Every retired ``(entity type, key)`` → its survivor's current key (``None``: deleted)."""
    rows = session.exec(select(RetiredKey.entity_type, RetiredKey.key, RetiredKey.target_id)).all()
    if not rows:
        return {}
    targets: dict[str, set[int]] = {}
    for entity_type, _, target in rows:
        if target is not None:
            targets.setdefault(entity_type, set()).add(target)
    current: dict[tuple[str, int], str] = {}
    for entity_type, ids in targets.items():
        table, column = KEYED[entity_type]
        for target_id, key in session.exec(
            select(table.id, getattr(table, column)).where(col(table.id).in_(ids))
        ):
            current[(entity_type, target_id)] = key
    retired: dict[tuple[str, str], str | None] = {}
    for entity_type, key, target in rows:
        if target is None:
            retired[(entity_type, key)] = None
        elif (entity_type, target) in current:
            retired[(entity_type, key)] = current[(entity_type, target)]
    return retired


class Consolidator:
    """Merges a batch of extractions into companies, products, deals and cases.

    Call `preload` with every extraction of the batch, `add` each one with its
    article id, then `finish` once. Entities the batch did not preload are
    still found (one query each), so `add` alone is correct, only slower.
    Every key is first looked up among the retired ones (`store.models.RetiredKey`):
    what a user deleted is skipped, what they merged or renamed goes to the survivor.
    """

    def __init__(self, session: Session) -> None:
        self.session = session
        self._retired = retired_keys(session)
        self._companies: dict[str, _Company] = {}
        self._products: dict[str, _Product] = {}
        self._deals: dict[str, _Partnership] = {}
        self._cases: list[_Case] = []
        self._cases_by_key: dict[str, _Case] = {}
        self._case_ids: set[int] = set()
        self._absent: set[tuple[str, str]] = set()  # (table, key) known not to exist
        self._defendants_loaded: set[str] = set()
        self._makers: dict[int, tuple[_Product, _Company]] = {}
        self._deal_parties: list[tuple[_Partnership, list[_Company]]] = []
        self._case_parties: list[tuple[_Case, _Company, str]] = []
        self._mentions: list[_Link] = []
        self._timeline: list[_Link] = []
        self._mentioned: dict[tuple[int, str, int, str], _Link] = {}
        self._evidence_keys: dict[str, str] = {}  # an article's entities share its sentences
        self._named: dict[str, CompanyMention] = {}  # the current article's companies

    def _live(self, entity_type: str, key: str) -> str | None:
        """The key to use for ``key``: itself, its survivor's, or ``None`` when deleted."""
        if not self._retired:
            return key
        return self._retired.get((entity_type, key), key)

    # -- reading ---------------------------------------------------------------------------

    def preload(self, extractions: Iterable[Extraction]) -> None:
        """Read every entity ``extractions`` name with a few ``IN`` queries."""
        companies: set[str] = set()
        products: set[str] = set()
        deals: set[str] = set()
        cases: dict[str, set[str]] = {}  # case key → defendants

        def live_companies(names: Iterable[str]) -> set[str]:
            keys = (self._live("company", company_key(name)) for name in names)
            return {key for key in keys if key is not None}

        for extraction in extractions:
            companies |= live_companies(m.name for m in extraction.companies)
            for product in extraction.products:
                product_key = self._live("product", name_key(product.name))
                if product_key is not None:
                    products.add(product_key)
                if product.maker:
                    companies |= live_companies((product.maker,))
            for deal in extraction.partnerships:
                names = live_companies(deal.parties)
                companies.update(names)
                deal_key = self._live("partnership", partnership_key(names))
                if deal_key is not None:
                    deals.add(deal_key)
            for case in extraction.cases:
                companies |= live_companies(case.plaintiffs)
                key = self._live("case", case_key(case))
                if key is None:
                    continue
                against = cases.setdefault(key, set())
                against |= live_companies(case.defendants)
                companies |= against
        self._load(_Company, Company, "name", companies, self._companies)
        self._load(_Product, Product, "key", products, self._products)
        self._load(_Partnership, Partnership, "key", deals, self._deals)
        self._load_cases(set(cases), set())
        # Only a report with no case under its own key is matched by parties.
        unmatched = [d for key, d in cases.items() if key not in self._cases_by_key]
        self._load_cases(set(), set().union(*unmatched))

    def _load(
        self, kind: type[_R], table: Any, column: str, keys: set[str], into: dict[str, _R]
    ) -> None:
        name = table.__tablename__
        wanted = {k for k in keys if k not in into and (name, k) not in self._absent}
        if wanted:
            stored = table_of(table)
            for row in select_in(self.session, stored, column, wanted):
                loaded = kind.loaded(stored, row)
                into[getattr(loaded, column)] = loaded
            self._absent.update((name, k) for k in wanted if k not in into)

    def _load_cases(self, keys: set[str], defendants: set[str]) -> None:
        keys = {k for k in keys if k not in self._cases_by_key and ("case", k) not in self._absent}
        defendants = defendants - self._defendants_loaded
        if not keys and not defendants:
            return
        connection = self.session.connection()
        rows = select_in(self.session, _CASE, "key", keys)
        for chunk in chunks(defendants):
            query = _cases_against(list_style(connection, chunk))
            rows += connection.execute(query, {"defendants": chunk}).all()
        new: dict[int, _Case] = {}
        for row in rows:
            if row.id not in self._case_ids:
                new[row.id] = _Case(_CopyrightCase.loaded(_CASE, row))
        for ids in chunks(new):
            parties = _parties_of_cases(list_style(connection, ids))
            for case_id, role, name in connection.execute(parties, {"case_ids": ids}):
                case = new[case_id]
                (case.plaintiffs if role == "plaintiff" else case.defendants).add(name)
        self._case_ids.update(new)
        for case in new.values():
            self._cases.append(case)
            self._cases_by_key.setdefault(case.row.key, case)
        self._absent.update(("case", k) for k in keys if k not in self._cases_by_key)
        self._defendants_loaded |= defendants

    # -- merging ---------------------------------------------------------------------------

    def add(self, article_id: int, extraction: Extraction, *, seen: datetime) -> None:
        """Merge one article's extraction (in memory until `finish`)."""
        seen = as_utc(seen) or seen
        self._named = {company_key(m.name): m for m in extraction.companies}
        for mention in extraction.companies:
            company = self._company(
                mention.name,
                verified=mention.verified,
                kind=mention.kind,
                found_by=mention.found_by,
            )
            if company is not None:
                self._mention(article_id, "company", company, mention.evidence, "fact", False)
        for product in extraction.products:
            self._apply_product(article_id, product, seen)
        for deal in extraction.partnerships:
            self._apply_partnership(article_id, deal, seen)
        for case in extraction.cases:
            self._apply_case(article_id, case, seen, _plaintiffs_named(case, extraction.cases))

    def _company(
        self, name: str, *, verified: bool = True, kind: str = "", found_by: str = ""
    ) -> _Company | None:
        """The company record for ``name`` (``None`` when the user deleted it)."""
        key = self._live("company", company_key(name))
        if key is None:
            return None
        if key not in self._companies:
            self._load(_Company, Company, "name", {key}, self._companies)
        company = self._companies.get(key)
        if company is None:
            company = self._companies[key] = _Company(
                name=key, verified=verified, kind=kind, found_by="" if verified else found_by
            )
        elif verified and not company.verified:
            company.verified = True
        return company

    def _party(self, name: str) -> _Company | None:
        """A party or maker: verified as the article's own mention of it says (default: yes)."""
        mention = self._named.get(company_key(name))
        if mention is None:
            return self._company(name)
        return self._company(
            name, verified=mention.verified, kind=mention.kind, found_by=mention.found_by
        )

    def _mention(
        self,
        article_id: int,
        entity_type: str,
        entity: _Row,
        evidence: str,
        certainty: str,
        reported: bool,
    ) -> None:
        key = self._evidence_keys.get(evidence)
        if key is None:
            key = self._evidence_keys[evidence] = _evidence_key(evidence)
        identity = (article_id, entity_type, id(entity), key)
        link = self._mentioned.get(identity)
        if link is None:
            link = _Link(article_id, entity_type, entity, evidence, certainty, key)
            link.reported = reported
            self._mentioned[identity] = link
            self._mentions.append(link)
        elif reported:
            link.reported = True

    def _point(
        self, article_id: int, entity_type: str, entity: _Row, status: str, at: datetime
    ) -> None:
        self._timeline.append(_Link(article_id, entity_type, entity, status, at=at))

    def _apply_product(self, article_id: int, fact: ProductFact, seen: datetime) -> None:
        """A product's status comes from the articles that report it (``is_launch``), and
        from hints: "had hinted at a video tool called MovieGen" is no launch, but it is
        the product's state (the lowest one above a bare mention), wherever it is told."""
        key = self._live("product", name_key(fact.name))
        if key is None:
            return
        if key not in self._products:
            self._load(_Product, Product, "key", {key}, self._products)
        product = self._products.get(key)
        maker = self._party(fact.maker) if fact.maker else None
        if product is None:
            product = self._products[key] = _Product(
                key=key,
                name=fact.name,
                first_seen=seen,
                last_seen=seen,
                verified=fact.verified,
                found_by="" if fact.verified else fact.found_by,
            )
        elif fact.verified and not product.verified:
            product.verified = True
        if not product.user_edited:
            if maker is not None and product.company_id is None:
                self._makers.setdefault(id(product), (product, maker))
            product.modality = product.modality or fact.modality
            rank = PRODUCT_STATUS_RANK.get(fact.status, 0)
            counts = fact.is_launch or fact.status == "hinted"
            if counts and rank > PRODUCT_STATUS_RANK.get(product.status, 0):
                product.status = fact.status
        product.first_seen = _earlier(product.first_seen, seen)
        product.last_seen = _later(product.last_seen, seen)
        if fact.is_launch:
            self._point(article_id, "product", product, fact.status, seen)
        self._mention(article_id, "product", product, fact.evidence, "fact", fact.is_launch)

    def _apply_partnership(self, article_id: int, fact: PartnershipFact, seen: datetime) -> None:
        """A deal's status moves with the articles that report it; a mention only links it."""
        parties = (self._party(name) for name in fact.parties)
        companies = {c.name: c for c in parties if c is not None}
        if len(companies) < 2:
            return
        key = self._live("partnership", partnership_key(companies))
        if key is None:
            return
        if key not in self._deals:
            self._load(_Partnership, Partnership, "key", {key}, self._deals)
        deal = self._deals.get(key)
        if deal is None:
            deal = self._deals[key] = _Partnership(
                key=key,
                focus=fact.focus,
                kind=fact.kind,
                status=fact.status,
                certainty=fact.certainty,
                first_seen=seen,
                last_seen=seen,
            )
            self._deal_parties.append((deal, list(companies.values())))
        elif not deal.user_edited and fact.reported:
            deal.focus = deal.focus or fact.focus
            deal.kind = deal.kind if deal.kind not in ("", "general") else fact.kind
            newer = seen >= (as_utc(deal.last_seen) or seen)
            if CERTAINTY_RANK[fact.certainty] > CERTAINTY_RANK.get(deal.certainty, 0):
                deal.certainty, deal.status = fact.certainty, fact.status
            elif newer and fact.certainty == "fact" and fact.status != deal.status:
                deal.status = fact.status
        deal.first_seen = _earlier(deal.first_seen, seen)
        deal.last_seen = _later(deal.last_seen, seen)
        if fact.reported:
            status = fact.status if fact.certainty == "fact" else fact.certainty
            self._point(article_id, "partnership", deal, status, seen)
        self._mention(article_id, "partnership", deal, fact.evidence, fact.certainty, fact.reported)

    def _find_case(self, fact: CaseFact, key: str, named: frozenset[str]) -> _Case | None:
        """An existing case this fact describes: same docket, same key, or compatible parties.

        Parties are compatible when they share a defendant and, if both name
        plaintiffs, share a plaintiff too; a fact without plaintiffs joins the
        only case against those defendants, unless the article names a plaintiff
        (``named``: a caption's, or another report's against them) that case lacks.
        """
        self._load_cases({key}, set())
        exact = self._cases_by_key.get(key)
        if exact is not None or not fact.defendants:
            return exact
        against = (self._company(d) for d in fact.defendants)
        defendants = {c.name for c in against if c is not None}
        self._load_cases(set(), defendants)
        candidates = [
            case
            for case in self._cases
            if case.row.kind == fact.kind and case.defendants & defendants
        ]
        if fact.docket:
            candidates = [c for c in candidates if not c.row.docket]
        plaintiffs = (self._company(p) for p in fact.plaintiffs)
        wanted = {c.name for c in plaintiffs if c is not None}
        matches = [
            case
            for case in candidates
            if (wanted and case.plaintiffs and wanted & case.plaintiffs)
            or (not wanted and len(candidates) == 1 and _compatible(named, case))
            or (wanted and not case.plaintiffs and _compatible(frozenset(wanted), case))
        ]
        return matches[0] if len(matches) == 1 else None

    def _apply_case(
        self, article_id: int, fact: CaseFact, seen: datetime, named: frozenset[str]
    ) -> None:
        """Legal action moves a case's stage and ruling; a passing reference only links it."""
        key = self._live("case", case_key(fact))
        if key is None:
            return
        case = self._find_case(fact, key, named)
        new = case is None
        if case is None:
            row = _CopyrightCase(
                key=key,
                kind=fact.kind,
                stage=fact.stage,
                certainty=fact.certainty,
                first_seen=seen,
                last_seen=seen,
            )
            case = self._cases_by_key[row.key] = _Case(row)
            self._cases.append(case)
        row = case.row
        if not row.user_edited and (fact.reported or new):
            row.caption = row.caption or (fact.caption or "")
            row.court = row.court or (fact.court or "")
            row.docket = row.docket or (fact.docket or "")
            row.claims = sorted(set(row.claims or []) | set(fact.claims))
            if CASE_STAGE_RANK.get(fact.stage, 0) >= CASE_STAGE_RANK.get(row.stage, 0):
                row.stage = fact.stage
            if fact.ruling and seen >= (as_utc(row.ruling_date) or seen):
                row.ruling, row.ruling_date = fact.ruling, seen
            if CERTAINTY_RANK[fact.certainty] > CERTAINTY_RANK.get(row.certainty, 0):
                row.certainty = fact.certainty
        row.first_seen = _earlier(row.first_seen, seen)
        row.last_seen = _later(row.last_seen, seen)
        for role, names, known in (
            ("plaintiff", fact.plaintiffs, case.plaintiffs),
            ("defendant", fact.defendants, case.defendants),
        ):
            for name in names:
                company = self._party(name)
                if company is not None and company.name not in known:
                    known.add(company.name)
                    self._case_parties.append((case, company, role))
        if fact.reported:
            self._point(article_id, "case", row, fact.stage, seen)
        self._mention(article_id, "case", row, fact.evidence, fact.certainty, fact.reported)

    # -- writing ---------------------------------------------------------------------------

    def finish(self) -> None:
        """Write the batch: multi-row inserts and updates, entities first, then the links."""
        self._write(Company, self._companies.values(), "name")
        for product, maker in self._makers.values():
            if product.company_id is None:
                product.company_id = maker.id
        self._write(Product, self._products.values(), "key")
        self._write(Partnership, self._deals.values(), "key")
        self._write(CopyrightCase, [case.row for case in self._cases], "key")
        deal_parties = [
            {"partnership_id": deal.id, "company_id": company.id}
            for deal, companies in self._deal_parties
            for company in companies
        ]
        case_parties = [
            {"case_id": case.row.id, "company_id": company.id, "role": role}
            for case, company, role in self._case_parties
        ]
        mentions = [
            {
                "article_id": link.article_id,
                "entity_type": link.entity_type,
                "entity_id": link.entity.id,
                "evidence": link.text,
                "evidence_key": link.key,
                "certainty": link.certainty,
                "reported": link.reported,
            }
            for link in self._mentions
        ]
        timeline = [
            {
                "entity_type": link.entity_type,
                "entity_id": link.entity.id,
                "status": link.text,
                "article_id": link.article_id,
                "at": link.at,
            }
            for link in self._timeline
        ]
        add_rows(self.session, PartnershipParty, deal_parties)
        add_rows(self.session, CaseParty, case_parties)
        add_rows(self.session, Mention, mentions)
        add_rows(self.session, StatusChange, timeline)
        self._deal_parties, self._case_parties = [], []
        self._mentions, self._timeline, self._makers = [], [], {}
        self._mentioned = {}
        self._case_ids.update(case.row.id for case in self._cases if case.row.id is not None)

    def _write(self, table: Any, rows: Collection[_Row], unique: str) -> None:
        """Insert the new rows (reading back their ids) and update the changed ones."""
        new: list[tuple[_Row, dict[str, Any]]] = []
        changed: list[tuple[_Row, dict[str, Any]]] = []
        for row in rows:
            values = row.values()
            if row.read is None:
                new.append((row, values))
            elif row.read != values:
                changed.append((row, values))
        if new:
            ids = insert_rows(self.session, table, [v for _, v in new], unique=unique)
            for row, values in new:
                row.id, row.read = ids[values[unique]], values
        if changed:
            update_rows(self.session, table, [{"id": row.id, **v} for row, v in changed])
            for row, values in changed:
                row.read = values


def consolidate(session: Session, items: Sequence[tuple[int, Extraction, datetime]]) -> None:
    """Merge many articles' extractions in one batch: ``(article_id, extraction, seen)``."""
    if not items:
        return
    merger = Consolidator(session)
    merger.preload(extraction for _, extraction, _ in items)
    for article_id, extraction, seen in items:
        merger.add(article_id, extraction, seen=seen)
    merger.finish()


def prune_orphans(session: Session, only: dict[str, set[int]] | None = None) -> int:
    """Delete partnerships, products and cases no article mentions any more (unless user-edited).

    ``only`` limits the check to those entity ids per type (what one article
    used to mention), so re-saving a changed article does not scan every table.
    """
    removed = 0
    for entity_type, table in (
        ("partnership", Partnership),
        ("product", Product),
        ("case", CopyrightCase),
    ):
        if only is not None and not only.get(entity_type):
            continue
        mentioned = select(Mention.entity_id).where(Mention.entity_type == entity_type)
        query = select(table).where(
            col(table.id).not_in(mentioned), col(table.user_edited).is_(False)
        )
        if only is not None:
            query = query.where(col(table.id).in_(only[entity_type]))
        orphans = session.exec(query).all()
        for row in orphans:
            session.delete(row)
            removed += 1
        _forget_survivors(session, entity_type, [getattr(row, "id", None) for row in orphans])
    if only is not None and not only.get("company"):
        return removed
    company_query = select(Company)
    if only is not None:
        company_query = company_query.where(col(Company.id).in_(only["company"]))
    companies = session.exec(
        company_query.where(
            col(Company.id).not_in(
                select(Mention.entity_id).where(Mention.entity_type == "company")
            ),
            col(Company.id).not_in(select(PartnershipParty.company_id)),
            col(Company.id).not_in(select(CaseParty.company_id)),
            col(Company.id).not_in(select(func.coalesce(Product.company_id, -1))),
        )
    ).all()
    for company in companies:
        session.delete(company)
    _forget_survivors(session, "company", [company.id for company in companies])
    return removed


def _forget_survivors(session: Session, entity_type: str, ids: Sequence[int | None]) -> None:
    """Drop the retired keys that pointed at records now gone (ids may be reused)."""
    gone = [i for i in ids if i is not None]
    if gone:
        session.execute(
            delete(RetiredKey).where(
                col(RetiredKey.entity_type) == entity_type, col(RetiredKey.target_id).in_(gone)
            )
        )
