"""Columns and cells of the four dashboard panels, built from read models."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from functools import cache

from rich.text import Span, Text

from aiwatch.store.read_models import (
    ArticleRow,
    CaseRow,
    PartnershipRow,
    ProductRow,
    with_certainty,
)
from aiwatch.tui.text import cell, date, line, marked_cell, names
from aiwatch.tui.widgets.record_table import Cells, ColumnSpec

UNVERIFIED_MARK = "?"
"""After a name found in the text but not in the knowledge base, until a user confirms it."""
UNVERIFIED_STYLE = "bold yellow"
ERROR_MARK = "⚠ "
"""Before the title of an article whose extraction failed."""
NEW_MARK, WATCH_MARK = "●", "★"
MARK = ColumnSpec("mark", "", 2)
"""The first column of every panel: ● new or changed since you last looked, ★ watched."""

ARTS_WIDTH = 4
"""Cells of the "Arts" column of the three record panels."""

PARTNERSHIP_COLUMNS = (
    MARK,
    ColumnSpec("parties", "Parties", min_width=20, weight=2),
    ColumnSpec("status", "Status", 10),
    ColumnSpec("articles", "Arts", ARTS_WIDTH),
    ColumnSpec("focus", "Focus", weight=3),
)
PRODUCT_COLUMNS = (
    MARK,
    ColumnSpec("name", "Product", min_width=14, weight=2),
    ColumnSpec("maker", "Maker", min_width=12),
    ColumnSpec("modality", "Modality", 10),
    ColumnSpec("status", "Status", 9),
    ColumnSpec("articles", "Arts", ARTS_WIDTH),
)
CASE_COLUMNS = (
    MARK,
    ColumnSpec("case", "Case", min_width=16, weight=3),
    ColumnSpec("claims", "Claims", 12, min_table=100),
    ColumnSpec("stage", "Stage", 10),
    ColumnSpec("ruling", "Ruling", min_width=10),
    ColumnSpec("articles", "Arts", ARTS_WIDTH),
)
ARTICLE_COLUMNS = (
    MARK,
    ColumnSpec("date", "Date", 10),
    ColumnSpec("title", "Title", min_width=20, weight=3),
    ColumnSpec("source", "Source", 18, min_table=90),
    ColumnSpec("companies", "Companies", min_width=16, min_table=110),
)

_STATUS_STYLE = {"rumour": "italic", "negated": "strike dim"}


def article_count(count: int) -> Text:
    """``count`` in the `ARTS_WIDTH` cells of an "Arts" column: exact up to 9,999, then in
    thousands ("15k" for 15,227) or millions, rounded down. After a year of a busy list of
    feeds the most written-about products pass 10,000 articles, and five digits were cut to
    "152…"; the export keeps the exact count."""
    if count < 10_000:
        return cell(count)
    if count < 1_000_000:
        return cell(f"{count // 1_000}k")
    return cell(f"{count // 1_000_000}M")


@cache
def mark(new: bool, watched: bool = False) -> Text:
    """The marker cell: ● when new or changed, ★ when watched (one of four, shared: a cell
    is never changed in place)."""
    return Text.assemble(
        (NEW_MARK if new else " ", "bold cyan"),
        (WATCH_MARK if watched else " ", "yellow"),
        no_wrap=True,
        end="",
    )


def marked(
    values: Sequence[str], unverified: Collection[str], style: str = "", *, sep: str = " × "
) -> Text:
    """Names joined by ``sep``, each unverified one followed by `UNVERIFIED_MARK` (a cell)."""
    pieces: list[str] = []
    spans: list[Span] = []
    at = 0
    for index, value in enumerate(values):
        piece = f"{sep}{line(value)}" if index else line(value)
        if style and piece:
            spans.append(Span(at, at + len(piece), style))
        pieces.append(piece)
        at += len(piece)
        if value in unverified:
            spans.append(Span(at, at + len(UNVERIFIED_MARK), UNVERIFIED_STYLE))
            pieces.append(UNVERIFIED_MARK)
            at += len(UNVERIFIED_MARK)
    return Text("".join(pieces), no_wrap=True, overflow="ellipsis", end="", spans=spans)


def partnership_rows(
    rows: Sequence[PartnershipRow],
    new: Mapping[int, str] | Collection[int] = (),
    watched: Collection[int] = (),
) -> list[tuple[str, Cells]]:
    """Parties, status, article count and focus of each partnership."""
    return [
        (
            str(r.id),
            (
                mark(r.id in new, r.id in watched),
                marked(r.parties, r.unverified, "bold"),
                cell(with_certainty(r.status, r.certainty), _STATUS_STYLE.get(r.certainty, "")),
                article_count(r.articles),
                cell(r.focus or "—"),
            ),
        )
        for r in rows
    ]


def product_rows(
    rows: Sequence[ProductRow],
    new: Mapping[int, str] | Collection[int] = (),
    watched: Collection[int] = (),
) -> list[tuple[str, Cells]]:
    """Name, maker, modality, status and article count of each product."""
    return [
        (
            str(r.id),
            (
                mark(r.id in new, r.id in watched),
                marked((r.name,), () if r.verified else (r.name,), "bold"),
                marked((r.company or "—",), () if r.company_verified else (r.company,)),
                cell(r.modality or "—"),
                cell(r.status),
                article_count(r.articles),
            ),
        )
        for r in rows
    ]


def case_rows(
    rows: Sequence[CaseRow],
    new: Mapping[int, str] | Collection[int] = (),
    watched: Collection[int] = (),
) -> list[tuple[str, Cells]]:
    """Title, claims, stage, latest ruling and article count of each case."""
    return [
        (
            str(r.id),
            (
                mark(r.id in new, r.id in watched),
                marked((r.title,), (r.title,) if r.unverified else (), "bold"),
                cell(names(r.claims)),
                cell(with_certainty(r.stage, r.certainty), _STATUS_STYLE.get(r.certainty, "")),
                cell(r.ruling or "—"),
                article_count(r.articles),
            ),
        )
        for r in rows
    ]


def story_unread(row: ArticleRow, unread: Collection[int]) -> bool:
    """A story is new while any of its versions is unread."""
    return any(i in unread for i in (row.versions or (row.id,)))


def outlets(row: ArticleRow) -> str:
    """The first outlet, and how many carried the story: ``The Verge · 3 sources``."""
    first = row.source or "—"
    return f"{first} · {row.sources} sources" if row.sources > 1 else first


ARRIVED_MARK = "+"
"""In the mark column of a story another process stored while the dashboard was open."""


def article_rows(
    rows: Sequence[ArticleRow], unread: Collection[int] = (), arrived: Collection[int] = ()
) -> list[tuple[str, Cells]]:
    """Date, title, first outlet (and how many carried it) and companies of each story.

    Unread stories are marked and bold; read ones are dim, as in newsboat. Stories
    that ``arrived`` (stored by another process while the dashboard was open) are
    marked `ARRIVED_MARK`, in green.
    """
    return [
        (
            str(r.id),
            (
                _arrived_or_mark(r, arrived, fresh := story_unread(r, unread)),
                cell(date(r.published or r.fetched)),
                _title(r, "bold" if fresh else "dim"),
                cell(outlets(r)),
                cell(names(r.companies)),
            ),
        )
        for r in rows
    ]


def _arrived_or_mark(row: ArticleRow, arrived: Collection[int], fresh: bool) -> Text:
    if arrived and any(i in arrived for i in (row.versions or (row.id,))):
        return cell(ARRIVED_MARK, "bold green")
    return mark(fresh)


def _title(row: ArticleRow, style: str = "bold") -> Text:
    """An article's title, with the words a search found marked; one whose extraction
    failed starts with `ERROR_MARK`."""
    text = Text(no_wrap=True, overflow="ellipsis", end="")
    if row.extraction_error:
        text.append(ERROR_MARK, "bold red")
    text.append_text(marked_cell(row.title, row.marks, style))
    return text
