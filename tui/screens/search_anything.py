"""A command palette provider that searches companies, partnerships, products, cases and articles."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.fuzzy import Matcher
from textual.message import Message

from aiwatch.store.db import StoreError
from aiwatch.store.queries import record_names
from aiwatch.tui.messages import CompanyFilterRequested, RecordOpenRequested
from aiwatch.tui.store_worker import StoreApp, describe_failure
from aiwatch.tui.text import line

MAX_HITS = 40
log = logging.getLogger("aiwatch.tui")


@dataclass(frozen=True, slots=True)
class Target:
    """Something the palette can jump to: an article, an entity, or a company filter."""

    kind: str
    text: str
    entity_type: str
    entity_id: int
    unverified: bool = False

    @property
    def label(self) -> str:
        """What kind of record it is, and whether it is unverified (the hit's help line)."""
        return (
            f"{self.kind} · unverified: found in the text, not the knowledge base"
            if self.unverified
            else self.kind
        )


def load_targets(db: Session) -> list[Target]:
    """Every searchable record (a store read: runs in a worker thread)."""
    records = record_names(db)
    targets = [
        Target(
            r.kind, r.name, "company" if r.kind == "company" else r.kind, r.entity_id, r.unverified
        )
        for r in records
    ]
    return [
        Target(t.kind, line(t.text, limit=200), t.entity_type, t.entity_id, t.unverified)
        for t in targets
    ]


def highlight(matcher: Matcher, text: str) -> Content:
    """``text`` as literal `Content` with the matched characters styled.

    (`Matcher.highlight` parses its candidate as markup, so it must not see data.)
    """
    content = Content(text)
    score, offsets = matcher.fuzzy_search.match(matcher.query, text)
    if score:
        for offset in offsets:
            if not text[offset].isspace():
                content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


class SearchAnything(Provider):
    """Jump to any company, partnership, product, case or article by typing part of its name."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._targets: list[Target] = []

    async def startup(self) -> None:
        """Read the searchable records off the event loop, through the app's store."""
        app = self.app
        if not isinstance(app, StoreApp):
            return
        try:
            self._targets = await app.read_store(load_targets)
        except (SQLAlchemyError, StoreError) as exc:  # a broken database must not break the palette
            log.error("Search: %s", exc, exc_info=exc)
            app.notify(
                describe_failure(exc, app.engine), title="Search", severity="error", markup=False
            )

    def _command(self, target: Target) -> Callable[[], object]:
        message: Message = (
            CompanyFilterRequested(target.text)
            if target.kind == "company"
            else RecordOpenRequested(target.entity_type, target.entity_id)
        )
        return partial(self.app.post_message, message)

    async def search(self, query: str) -> Hits:
        """Records whose name fuzzily matches ``query``, best first."""
        matcher = self.matcher(query)
        scored = [(matcher.match(t.text), t) for t in self._targets]
        best = sorted((st for st in scored if st[0] > 0), key=lambda st: -st[0])[:MAX_HITS]
        for score, target in best:
            yield Hit(
                score,
                highlight(matcher, target.text),
                self._command(target),
                text=target.text,
                help=target.label,
            )

    async def discover(self) -> Hits:
        """With no query: the partnerships and cases, then products."""
        for target in [t for t in self._targets if t.kind in ("partnership", "case", "product")][
            :MAX_HITS
        ]:
            yield DiscoveryHit(
                Content(target.text), self._command(target), text=target.text, help=target.label
            )
