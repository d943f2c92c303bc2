"""User corrections to consolidated records; re-extraction never overwrites them."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, SQLModel

from aiwatch.feeds.knowledge.base import MODALITIES
from aiwatch.store.changes import note_edit
from aiwatch.store.consolidate import (
    CASE_STAGE_RANK,
    CERTAINTY_RANK,
    PRODUCT_STATUS_RANK,
    company_for,
)
from aiwatch.store.models import CopyrightCase, Partnership, Product

PARTNERSHIP_STATUSES = ("announced", "expanded", "amended", "ended", "rumoured", "denied")
PARTNERSHIP_KINDS = (
    "licensing",
    "distribution",
    "compute",
    "investment",
    "research",
    "content",
    "general",
)
CASE_KINDS = ("lawsuit", "cease-and-desist", "accusation")
CERTAINTIES = tuple(CERTAINTY_RANK)


class EditError(ValueError):
    """An edit that names an unknown record, field or value."""


@dataclass(frozen=True, slots=True)
class EditableField:
    """A field a user may set, with the values it accepts (empty: free text)."""

    name: str
    choices: tuple[str, ...] = ()


EDITABLE: dict[str, tuple[type[SQLModel], tuple[EditableField, ...]]] = {
    "partnership": (
        Partnership,
        (
            EditableField("status", PARTNERSHIP_STATUSES),
            EditableField("focus"),
            EditableField("kind", PARTNERSHIP_KINDS),
            EditableField("certainty", CERTAINTIES),
        ),
    ),
    "product": (
        Product,
        (
            EditableField("status", tuple(PRODUCT_STATUS_RANK)),
            EditableField("modality", tuple(sorted(MODALITIES))),
            EditableField("maker"),
        ),
    ),
    "case": (
        CopyrightCase,
        (
            EditableField("stage", tuple(CASE_STAGE_RANK)),
            EditableField("kind", CASE_KINDS),
            EditableField("certainty", CERTAINTIES),
            EditableField("caption"),
            EditableField("court"),
            EditableField("docket"),
            EditableField("ruling"),
        ),
    ),
}


def apply_edit(session: Session, entity_type: str, entity_id: int, changes: dict[str, str]) -> None:
    """Set ``changes`` on one record and mark it user-edited (without committing).

    Raises:
        EditError: unknown record type, id, field, or a value outside the field's choices.
    """
    if entity_type not in EDITABLE:
        raise EditError(f"cannot edit {entity_type!r}; choose one of {', '.join(EDITABLE)}")
    table, fields = EDITABLE[entity_type]
    row = session.get(table, entity_id)
    if row is None:
        raise EditError(f"no {entity_type} with id {entity_id}")
    allowed = {f.name: f for f in fields}
    for name, value in changes.items():
        field = allowed.get(name)
        if field is None:
            raise EditError(
                f"{entity_type} has no editable field {name!r} (editable: {', '.join(allowed)})"
            )
        if field.choices and value not in field.choices:
            raise EditError(
                f"{value!r} is not a {entity_type} {name}; valid values: {', '.join(field.choices)}"
            )
        if name == "maker" and not value:
            raise EditError("maker needs a company name")
        if name == "maker":
            row.company_id = company_for(session, value).id
        else:
            setattr(row, name, value)
    row.user_edited = True
    session.add(row)
    note_edit(session, entity_type, entity_id, "edit")
    session.flush()
