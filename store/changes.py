"""What changed in the store since a dashboard last looked: a cheap high-water mark.

Every dashboard polls `data_mark` every couple of seconds: the highest article
id, the highest mention id and the highest correction id, three index lookups
whatever the size of the database. Another process that stores articles (a cron
refresh, a colleague's ``r``), re-derives them (``reextract``) or corrects a record
(``aiwatch edit``: `note_edit`) moves it, and the dashboard reloads its panels and
marks the articles `arrived_since` the last mark. Nothing is re-read while nothing
changed. (Polling serves SQLite and PostgreSQL alike;
LISTEN/NOTIFY would save PostgreSQL three index lookups a poll but needs a
connection of its own held open by every dashboard.)
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, col, select

from aiwatch.store.models import Article, Mention, RecordEdit

ARRIVED_LIMIT = 1_000
"""At most this many newly arrived article ids are reported at once."""


@dataclass(frozen=True, slots=True, order=True)
class DataMark:
    """How far the store has come: its newest article, mention and correction."""

    article: int = 0
    mention: int = 0
    edit: int = 0


def data_mark(session: Session) -> DataMark:
    """The store's current mark (three ``max(id)`` lookups on primary keys)."""
    article = session.exec(select(func.max(Article.id))).one()
    mention = session.exec(select(func.max(Mention.id))).one()
    edit = session.exec(select(func.max(RecordEdit.id))).one()
    return DataMark(int(article or 0), int(mention or 0), int(edit or 0))


def note_edit(session: Session, entity_type: str, entity_id: int, verb: str) -> None:
    """Log a correction of a record (in the caller's transaction): the mark moves."""
    session.add(RecordEdit(entity_type=entity_type, entity_id=entity_id, verb=verb))


def arrived_since(session: Session, mark: DataMark, *, limit: int = ARRIVED_LIMIT) -> list[int]:
    """Ids of the articles stored after ``mark`` (newest first, at most ``limit``)."""
    found = session.exec(
        select(Article.id)
        .where(col(Article.id) > mark.article)
        .order_by(col(Article.id).desc())
        .limit(limit)
    ).all()
    return [article_id for article_id in found if article_id is not None]
