"""Corrections an analyst makes to whole records: rename, merge, delete, confirm.

Each is logged (`store.changes.note_edit`), so open dashboards read their panels again.

Each leaves a `RetiredKey` behind, so what the extractor reports later under the
old identity goes where the user put it: a deleted record stays deleted across
``aiwatch reextract`` and refreshes; a merged or renamed one keeps receiving the
reports made under its old name. Nothing here commits.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, update
from sqlmodel import Session, col, select

from aiwatch.feeds.parse.sanitize import clean_line
from aiwatch.store.changes import note_edit
from aiwatch.store.consolidate import (
    CASE_STAGE_RANK,
    KEYED,
    PRODUCT_STATUS_RANK,
    company_key,
    name_key,
    partnership_key,
)
from aiwatch.store.models import (
    CaseParty,
    Company,
    CompanyAlias,
    Mention,
    PartnershipParty,
    Product,
    RetiredKey,
    StatusChange,
    table_of,
)

RECORD_TYPES = tuple(KEYED)
"""What a correction can name: company, product, partnership, case."""


class CorrectionError(ValueError):
    """A correction that names an unknown record or cannot be carried out, said for the user."""


def get_record(session: Session, entity_type: str, entity_id: int) -> Any:
    """The record, or `CorrectionError` naming what was not found."""
    if entity_type not in KEYED:
        raise CorrectionError(
            f"unknown record type {entity_type!r}; choose one of {', '.join(KEYED)}"
        )
    row = session.get(KEYED[entity_type][0], entity_id)
    if row is None:
        raise CorrectionError(f"no {entity_type} with id {entity_id}")
    return row


def _key(entity_type: str, row: Any) -> str:
    return str(getattr(row, KEYED[entity_type][1]))


def _retire(session: Session, entity_type: str, key: str, target_id: int | None) -> None:
    """Point ``key`` at ``target_id`` (``None``: deleted) from now on."""
    existing = session.exec(
        select(RetiredKey).where(RetiredKey.entity_type == entity_type, RetiredKey.key == key)
    ).first()
    if existing is None:
        session.add(RetiredKey(entity_type=entity_type, key=key, target_id=target_id))
    else:
        existing.target_id = target_id
        session.add(existing)
    session.flush()


def _unretire(session: Session, entity_type: str, key: str) -> None:
    """``key`` names a live record again (a rename chose it)."""
    session.execute(
        delete(RetiredKey).where(
            col(RetiredKey.entity_type) == entity_type, col(RetiredKey.key) == key
        )
    )


def _redirect(session: Session, entity_type: str, old_id: int, new_id: int | None) -> None:
    """Keys that pointed at ``old_id`` now point at ``new_id`` (``None``: deleted)."""
    session.execute(
        update(RetiredKey)
        .where(col(RetiredKey.entity_type) == entity_type, col(RetiredKey.target_id) == old_id)
        .values(target_id=new_id)
    )


# -- rename ------------------------------------------------------------------------------


def rename(session: Session, entity_type: str, entity_id: int, new_name: str) -> str:
    """Give a company, product or case a new name; returns what it was called.

    Later reports under the old name still reach this record. A name another
    record already has is refused: merge the two instead.
    """
    if entity_type == "partnership":
        raise CorrectionError(
            "a partnership is named by its parties: rename a company "
            "(aiwatch edit company ID rename NAME) or merge two partnerships (merge-into)"
        )
    row = get_record(session, entity_type, entity_id)
    name = clean_line(new_name, limit=300).strip()
    if not name:
        raise CorrectionError("the new name is empty")
    if entity_type == "case":
        old = row.caption
        row.caption = name
        session.add(row)
        note_edit(session, entity_type, entity_id, "rename")
        session.flush()
        return old or "(no caption)"
    table, column = KEYED[entity_type]
    new_key = company_key(name) if entity_type == "company" else name_key(name)
    other = session.exec(select(table).where(getattr(table, column) == new_key)).first()
    if other is not None and other.id != entity_id:
        raise CorrectionError(
            f"{entity_type} {other.id} is already called {other.name!r}: "
            f"merge them instead (aiwatch edit {entity_type} {entity_id} merge-into {other.id})"
        )
    old_name, old_key = row.name, _key(entity_type, row)
    if old_key != new_key:
        _unretire(session, entity_type, new_key)
        _retire(session, entity_type, old_key, entity_id)
    row.name = name
    if entity_type == "product":
        row.key = new_key
    session.add(row)
    session.flush()
    if entity_type == "company":
        _alias(session, entity_id, old_name)
        _rekey_partnerships(session, entity_id)
    note_edit(session, entity_type, entity_id, "rename")
    return str(old_name)


def _alias(session: Session, company_id: int, alias: str) -> None:
    """Remember ``alias`` as another name of the company (``--company OLD`` still finds it)."""
    existing = session.exec(select(CompanyAlias).where(CompanyAlias.alias == alias)).first()
    if existing is None:
        session.add(CompanyAlias(company_id=company_id, alias=alias[:300]))
    else:
        existing.company_id = company_id
        session.add(existing)
    session.flush()


def _party_names(session: Session, partnership_id: int) -> list[str]:
    return list(
        session.exec(
            select(Company.name)
            .join(PartnershipParty, col(PartnershipParty.company_id) == col(Company.id))
            .where(PartnershipParty.partnership_id == partnership_id)
        ).all()
    )


def _rekey_partnerships(session: Session, company_id: int) -> None:
    """Re-derive the keys of a company's deals after its name changed.

    A deal left with one party (the company merged into its partner) is removed;
    two deals that now have the same parties become one.
    """
    deal_table = KEYED["partnership"][0]
    ids = session.exec(
        select(PartnershipParty.partnership_id).where(PartnershipParty.company_id == company_id)
    ).all()
    for deal_id in sorted(set(ids)):
        deal = session.get(deal_table, deal_id)
        if deal is None:
            continue
        names = _party_names(session, deal_id)
        if len(names) < 2:
            _remove(session, "partnership", deal)
            continue
        key = partnership_key(names)
        if key == deal.key:
            continue
        twin = session.exec(select(deal_table).where(deal_table.key == key)).first()
        if twin is not None:
            merge(session, "partnership", deal_id, twin.id)
            continue
        _retire(session, "partnership", deal.key, deal_id)
        _unretire(session, "partnership", key)
        deal.key = key
        session.add(deal)
        session.flush()


# -- merge -------------------------------------------------------------------------------


def merge(session: Session, entity_type: str, loser_id: int, survivor_id: int) -> int:
    """Fold record ``loser_id`` into ``survivor_id``; returns how many mentions moved.

    Mentions, timeline points, parties and the user's edits move to the survivor,
    its empty fields are filled from the loser's, statuses keep the furthest, and
    the loser's key (and every key that led to it) leads to the survivor from now on.
    """
    if loser_id == survivor_id:
        raise CorrectionError(f"cannot merge {entity_type} {loser_id} into itself")
    loser = get_record(session, entity_type, loser_id)
    survivor = get_record(session, entity_type, survivor_id)
    moved = _move_mentions(session, entity_type, loser_id, survivor_id)
    session.execute(
        update(StatusChange)
        .where(
            col(StatusChange.entity_type) == entity_type, col(StatusChange.entity_id) == loser_id
        )
        .values(entity_id=survivor_id)
    )
    _fold_fields(entity_type, loser, survivor)
    if entity_type != "company":  # companies carry no edits of their own
        survivor.user_edited = survivor.user_edited or loser.user_edited
    if entity_type == "company":
        _move_company_links(session, loser_id, survivor_id)
    elif entity_type == "partnership":
        _move_links(session, PartnershipParty, "partnership_id", loser_id, survivor_id)
    elif entity_type == "case":
        _move_links(session, CaseParty, "case_id", loser_id, survivor_id)
    loser_key, loser_name = _key(entity_type, loser), getattr(loser, "name", "")
    session.add(survivor)
    session.delete(loser)
    session.flush()
    _redirect(session, entity_type, loser_id, survivor_id)
    _retire(session, entity_type, loser_key, survivor_id)
    if entity_type == "company":
        _alias(session, survivor_id, loser_name)
        _rekey_partnerships(session, survivor_id)
    elif entity_type == "partnership":
        key = partnership_key(_party_names(session, survivor_id))
        if key != survivor.key:  # the union of both parties' sets names it from now on too
            table = KEYED["partnership"][0]
            if session.exec(select(table.id).where(table.key == key)).first() is None:
                _retire(session, "partnership", key, survivor_id)
    note_edit(session, entity_type, survivor_id, "merge")
    return moved


def _move_mentions(session: Session, entity_type: str, loser_id: int, survivor_id: int) -> int:
    """Re-point the loser's mentions; a sentence both already cite is kept once."""
    kept = {
        (m.article_id, m.evidence_key): m
        for m in session.exec(
            select(Mention).where(
                Mention.entity_type == entity_type, Mention.entity_id == survivor_id
            )
        ).all()
    }
    moved = 0
    for mention in session.exec(
        select(Mention).where(Mention.entity_type == entity_type, Mention.entity_id == loser_id)
    ).all():
        twin = kept.get((mention.article_id, mention.evidence_key))
        if twin is not None:
            twin.reported = twin.reported or mention.reported
            session.add(twin)
            session.delete(mention)
        else:
            mention.entity_id = survivor_id
            session.add(mention)
        moved += 1
    session.flush()
    return moved


def _fold_fields(entity_type: str, loser: Any, survivor: Any) -> None:
    """Fill the survivor's empty fields from the loser; keep the furthest status or stage."""
    for name in ("kind", "focus", "modality", "caption", "court", "docket", "ruling"):
        if hasattr(survivor, name) and not getattr(survivor, name) and getattr(loser, name):
            setattr(survivor, name, getattr(loser, name))
    if entity_type == "product":
        if PRODUCT_STATUS_RANK.get(loser.status, 0) > PRODUCT_STATUS_RANK.get(survivor.status, 0):
            survivor.status = loser.status
        survivor.company_id = survivor.company_id or loser.company_id
    if entity_type == "case":
        if CASE_STAGE_RANK.get(loser.stage, 0) > CASE_STAGE_RANK.get(survivor.stage, 0):
            survivor.stage = loser.stage
        survivor.claims = sorted(set(survivor.claims or []) | set(loser.claims or []))
    if entity_type in ("company", "product"):
        survivor.verified = survivor.verified or loser.verified
    for name, pick in (("first_seen", min), ("last_seen", max)):
        if hasattr(survivor, name):
            values = [v for v in (getattr(survivor, name), getattr(loser, name)) if v is not None]
            if values:
                setattr(survivor, name, pick(values))


def _move_links(session: Session, table: Any, column: str, loser_id: int, survivor_id: int) -> None:
    """Move link rows (parties) from the loser to the survivor, dropping duplicates."""
    owner = getattr(table, column)
    rows = session.exec(select(table).where(owner == loser_id)).all()
    keys = [c.name for c in table_of(table).primary_key if c.name != column]
    have = {
        tuple(getattr(r, k) for k in keys)
        for r in session.exec(select(table).where(owner == survivor_id)).all()
    }
    for row in rows:
        rest = tuple(getattr(row, k) for k in keys)
        session.delete(row)
        session.flush()
        if rest not in have:
            have.add(rest)
            values = {c.name: getattr(row, c.name) for c in table_of(table).columns}
            values[column] = survivor_id
            session.add(table(**values))
    session.flush()


def _move_company_links(session: Session, loser_id: int, survivor_id: int) -> None:
    """A merged company's deals, cases, products and aliases become the survivor's."""
    _move_links(session, PartnershipParty, "company_id", loser_id, survivor_id)
    _move_links(session, CaseParty, "company_id", loser_id, survivor_id)
    session.execute(
        update(Product).where(col(Product.company_id) == loser_id).values(company_id=survivor_id)
    )
    session.execute(
        update(CompanyAlias)
        .where(col(CompanyAlias.company_id) == loser_id)
        .values(company_id=survivor_id)
    )


# -- delete and confirm --------------------------------------------------------------------


def delete_record(session: Session, entity_type: str, entity_id: int) -> str:
    """Delete a record for good (a tombstone keeps it deleted); returns its name or key."""
    row = get_record(session, entity_type, entity_id)
    key = _key(entity_type, row)
    deals: list[int] = []
    if entity_type == "company":
        deals = list(
            session.exec(
                select(PartnershipParty.partnership_id).where(
                    PartnershipParty.company_id == entity_id
                )
            ).all()
        )
        session.execute(
            update(Product).where(col(Product.company_id) == entity_id).values(company_id=None)
        )
    _remove(session, entity_type, row)
    _redirect(session, entity_type, entity_id, None)
    _retire(session, entity_type, key, None)
    deal_table = KEYED["partnership"][0]
    for deal_id in deals:  # a deal with one party left is no deal
        deal = session.get(deal_table, deal_id)
        if deal is not None and len(_party_names(session, deal_id)) < 2:
            _remove(session, "partnership", deal)
    note_edit(session, entity_type, entity_id, "delete")
    return str(getattr(row, "name", "") or key)


def _remove(session: Session, entity_type: str, row: Any) -> None:
    """Delete a record with its mentions, timeline points and party links."""
    for table in (Mention, StatusChange):
        session.execute(
            delete(table).where(
                col(table.entity_type) == entity_type, col(table.entity_id) == row.id
            )
        )
    links: dict[str, tuple[tuple[Any, str], ...]] = {
        "company": ((PartnershipParty, "company_id"), (CaseParty, "company_id")),
        "partnership": ((PartnershipParty, "partnership_id"),),
        "case": ((CaseParty, "case_id"),),
    }
    for table, column in links.get(entity_type, ()):
        session.execute(delete(table).where(getattr(table, column) == row.id))
    session.delete(row)
    session.flush()


def confirm(session: Session, entity_type: str, entity_id: int) -> str:
    """Mark a discovered company or product verified; returns its name."""
    if entity_type not in ("company", "product"):
        raise CorrectionError(
            f"only companies and products can be unverified; a {entity_type} is not"
        )
    row = get_record(session, entity_type, entity_id)
    row.verified = True
    session.add(row)
    note_edit(session, entity_type, entity_id, "confirm")
    session.flush()
    return str(row.name)
