"""Saved views (a filter or search under a name) and other per-user preferences."""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlmodel import Session, col, select

from aiwatch.store.models import SavedView, UserPreference
from aiwatch.store.read_models import SORTS, Filter
from aiwatch.store.search_query import QueryError, query_text, with_query
from aiwatch.store.whats_new import upsert

MAX_NAME = 100


@dataclass(frozen=True, slots=True)
class ViewRow:
    """A saved view: its name and the filter it recalls."""

    name: str
    filter: Filter


def _recalled(view: SavedView) -> Filter:
    """The filter a view saved: company and topic, and the rest of it as a search query."""
    base = Filter(
        company=view.company or None,
        topic=view.topic or None,
        sort=view.sort if view.sort in SORTS else "newest",
    )
    if not view.text:
        return base
    try:
        return with_query(base, view.text)
    except QueryError:  # saved by a version whose language read it differently
        return replace(base, text=view.text)


def list_views(session: Session, user: str) -> list[ViewRow]:
    """``user``'s saved views, by name."""
    return [
        ViewRow(v.name, _recalled(v))
        for v in session.exec(
            select(SavedView).where(SavedView.username == user).order_by(col(SavedView.name))
        ).all()
    ]


def save_view(session: Session, user: str, name: str, filt: Filter) -> ViewRow:
    """Save ``filt`` as ``name`` (replacing a view of that name), without committing.

    Its search text and dates are kept as one query in the search language.
    """
    name = name.strip()[:MAX_NAME]
    if not name:
        raise ValueError("a saved view needs a name")
    upsert(
        session,
        SavedView,
        [
            {
                "username": user,
                "name": name,
                "company": (filt.company or "")[:300],
                "topic": (filt.topic or "")[:64],
                "text": query_text(replace(filt, company=None, topic=None))[:500],
                "sort": filt.sort,
            }
        ],
        ("username", "name"),
    )
    return ViewRow(name, filt)


def delete_view(session: Session, user: str, name: str) -> bool:
    """Delete one of ``user``'s views; ``False`` when there was none of that name."""
    view = session.exec(
        select(SavedView).where(SavedView.username == user, SavedView.name == name)
    ).first()
    if view is None:
        return False
    session.delete(view)
    return True


def get_preference(session: Session, user: str, name: str) -> str | None:
    """One of ``user``'s preferences (the theme …), or ``None`` when never set."""
    row = session.get(UserPreference, (user, name))
    return row.value if row is not None else None


def set_preference(session: Session, user: str, name: str, value: str) -> None:
    """Remember a preference for ``user``, without committing."""
    upsert(
        session,
        UserPreference,
        [{"username": user, "name": name, "value": value[:300]}],
        ("username", "name"),
    )
