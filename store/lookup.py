"""Resolve what a user typed (a company or topic name) to the names stored.

Names from the command line are matched without regard to case or accents, so
``--company openai`` finds "OpenAI"; a company's aliases count too.
"""

from __future__ import annotations

import difflib

from sqlmodel import Session, col, select

from aiwatch.store.consolidate import name_key
from aiwatch.store.models import ArticleTopic, Company, CompanyAlias


def resolve_company(session: Session, typed: str) -> str | None:
    """The stored company ``typed`` names (by name or alias, any case), or ``None``."""
    wanted = name_key(typed)
    for name in session.exec(select(Company.name)).all():
        if name_key(name) == wanted:
            return name
    for alias, name in session.exec(
        select(CompanyAlias.alias, Company.name).join(
            Company, col(Company.id) == col(CompanyAlias.company_id)
        )
    ).all():
        if name_key(alias) == wanted:
            return name
    return None


def resolve_topic(session: Session, typed: str) -> str | None:
    """The stored topic ``typed`` names (any case), or ``None``."""
    wanted = name_key(typed)
    for topic in session.exec(select(ArticleTopic.topic).distinct()).all():
        if name_key(topic) == wanted:
            return topic
    return None


def close_names(session: Session, kind: str, typed: str, *, limit: int = 3) -> list[str]:
    """Stored company or topic names that look like ``typed`` (for "did you mean")."""
    if kind == "company":
        names = list(session.exec(select(Company.name)).all())
    else:
        names = list(session.exec(select(ArticleTopic.topic).distinct()).all())
    by_key = {name_key(n): n for n in names}
    return [by_key[k] for k in difflib.get_close_matches(name_key(typed), by_key, n=limit)]
