"""Exports: the stable JSON document, CSV files per record kind, and a Markdown brief.

The JSON contract (see DESIGN.md) only ever gains keys; existing keys are never
renamed or removed.
"""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import UTC, datetime
from typing import Any

from sqlmodel import Session

from aiwatch.feeds.parse.sanitize import clean_line
from aiwatch.store.queries import (
    list_articles,
    list_cases,
    list_partnerships,
    list_products,
    supporting_articles,
)
from aiwatch.store.read_models import Filter

EXPORT_FORMATS = ("json", "csv", "md")
_CSV_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_JSON_RAW_CONTROLS = re.compile("[\x7f-\x9f\ud800-\udfff]")  # JSON allows these unescaped
MAX_FIELD = 10_000


def _when(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def export_document(session: Session, filt: Filter = Filter()) -> dict[str, list[dict[str, Any]]]:
    """Everything (or what ``filt`` keeps) as the JSON-ready export document."""
    articles = list_articles(session, filt, limit=10_000_000)
    kinds = ("partnership", "product", "case")
    support = {kind: supporting_articles(session, kind) for kind in kinds}
    reports = {kind: supporting_articles(session, kind, reported=True) for kind in kinds}
    return {
        "articles": [
            {
                "id": a.id,
                "title": a.title,
                "url": a.url,
                "source": a.source,
                "published": _when(a.published),
                "companies": list(a.companies),
                "topics": list(a.topics),
            }
            for a in articles
        ],
        "partnerships": [
            {
                "id": p.id,
                "parties": list(p.parties),
                "focus": p.focus,
                "kind": p.kind,
                "status": p.status,
                "certainty": p.certainty,
                "first_seen": _when(p.first_seen),
                "last_seen": _when(p.last_seen),
                "articles": sorted(support["partnership"][p.id]),
                "reported_in": sorted(reports["partnership"][p.id]),
            }
            for p in list_partnerships(session, filt)
        ],
        "products": [
            {
                "id": p.id,
                "name": p.name,
                "company": p.company or None,
                "modality": p.modality,
                "status": p.status,
                "verified": p.verified,
                "found_by": p.found_by,
                "articles": sorted(support["product"][p.id]),
                "reported_in": sorted(reports["product"][p.id]),
            }
            for p in list_products(session, filt)
        ],
        "cases": [
            {
                "id": c.id,
                "caption": c.caption or c.title,
                "plaintiffs": list(c.plaintiffs),
                "defendants": list(c.defendants),
                "court": c.court or None,
                "docket": c.docket or None,
                "claims": list(c.claims),
                "status": c.stage,
                "kind": c.kind,
                "ruling": c.ruling or None,
                "articles": sorted(support["case"][c.id]),
                "reported_in": sorted(reports["case"][c.id]),
            }
            for c in list_cases(session, filt)
        ],
    }


def to_json(document: dict[str, list[dict[str, Any]]]) -> str:
    """The export document as indented JSON text, safe to print on a terminal.

    JSON escapes C0 controls but allows DEL, C1 controls and lone surrogates raw;
    those are written as ``\\uXXXX`` escapes too, so the data is kept exactly.
    """
    text = json.dumps(document, indent=2, ensure_ascii=False)
    return _JSON_RAW_CONTROLS.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n"


def _printable(value: Any) -> Any:
    """``value`` with every string one clean line (no control, escape, bidi, zero-width)."""
    if isinstance(value, str):
        return clean_line(value, limit=MAX_FIELD)
    if isinstance(value, list):
        return [_printable(v) for v in value]
    if isinstance(value, dict):
        return {k: _printable(v) for k, v in value.items()}
    return value


def _cell(value: Any) -> str:
    """A CSV cell: lists joined with "; ", and no leading formula characters."""
    if isinstance(value, list):
        value = "; ".join(str(v) for v in value)
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_CSV_FORMULA_START) else text


def to_csv(document: dict[str, list[dict[str, Any]]]) -> dict[str, str]:
    """One CSV text per record kind, keyed by file name (``articles.csv`` …)."""
    document = _printable(document)
    files = {}
    for kind, rows in document.items():
        buffer = io.StringIO()
        if rows:
            writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
            writer.writeheader()
            writer.writerows({k: _cell(v) for k, v in row.items()} for row in rows)
        files[f"{kind}.csv"] = buffer.getvalue()
    return files


_MD_SPECIAL = "\\`*_[]<>|~"
"""What can start emphasis, code, a link, an autolink or HTML, a table cell or a strike
anywhere in a line. Data never starts a line of the brief (every item begins with our
own ``- **`` or ``1. ``), so ordinary hyphens, ``#``, ``+`` and ``!`` stay as written."""


def _md(text: str) -> str:
    """Escape the Markdown punctuation that lets data inject links or formatting."""
    return "".join("\\" + ch if ch in _MD_SPECIAL else ch for ch in text)


def _filter_line(filt: Filter | None) -> str:
    if filt is None or not filt.active:
        return "Everything stored"
    parts = [
        f"company {filt.company}" if filt.company else "",
        f"topic {filt.topic}" if filt.topic else "",
        f"search “{filt.text}”" if filt.text else "",
        f"after {filt.after}" if filt.after else "",
        f"before {filt.before}" if filt.before else "",
    ]
    return "Only " + ", ".join(p for p in parts if p)


def to_markdown(
    document: dict[str, list[dict[str, Any]]],
    *,
    title: str = "AI industry brief",
    filt: Filter | None = None,
    generated: datetime | None = None,
) -> str:
    """A brief an analyst can paste into a newsletter, with numbered citations.

    It opens with the day it was made and what it was narrowed to, so a pasted brief
    still says what it covers.
    """
    document = _printable(document)
    when = (generated or datetime.now(UTC)).strftime("%Y-%m-%d")
    counts = ", ".join(
        f"{len(document[kind])} {kind}" for kind in ("partnerships", "products", "cases")
    )
    articles: dict[int, dict[str, Any]] = {a["id"]: a for a in document["articles"]}
    cited: list[int] = []

    def sources(item: dict[str, Any]) -> str:
        """Citations of the reports, then of the articles that only mention it."""
        reported = item.get("reported_in", [])
        also = [i for i in item["articles"] if i not in reported]
        if not reported:
            return f" (mentioned only){cite(also)}"
        return cite(reported) + (f" · also mentioned{cite(also)}" if also else "")

    def cite(ids: list[int]) -> str:
        marks = []
        for article_id in ids:
            if article_id not in articles:
                continue
            if article_id not in cited:
                cited.append(article_id)
            marks.append(f"[{cited.index(article_id) + 1}]")
        return " " + "".join(marks) if marks else ""

    lines = [
        f"# {_md(title)}",
        "",
        f"*{when} · {_md(clean_line(_filter_line(filt), limit=300))} · {counts} from {len(document['articles'])} articles*",
        "",
    ]
    if document["partnerships"]:
        lines += ["## Partnerships", ""]
        for p in document["partnerships"]:
            focus = f": {_md(p['focus'])}" if p["focus"] else ""
            lines.append(
                f"- **{_md(' × '.join(p['parties']))}**{focus} ({_md(p['status'])}){sources(p)}"
            )
        lines.append("")
    if document["products"]:
        lines += ["## Products", ""]
        for p in document["products"]:
            maker = f" ({_md(p['company'])})" if p["company"] else ""
            maker += "" if p.get("verified", True) else " — unverified"
            lines.append(
                f"- **{_md(p['name'])}**{maker}: {_md(p['modality'] or 'unknown modality')}, {_md(p['status'])}{sources(p)}"
            )
        lines.append("")
    if document["cases"]:
        lines += ["## Copyright and AI litigation", ""]
        for c in document["cases"]:
            claims = ", ".join(c["claims"]) or "claims not stated"
            ruling = f"; ruling: {_md(c['ruling'])}" if c["ruling"] else ""
            lines.append(
                f"- **{_md(c['caption'])}**: {_md(claims)}; stage: {_md(c['status'])}{ruling}{sources(c)}"
            )
        lines.append("")
    if cited:
        lines += ["## Sources", ""]
        for number, article_id in enumerate(cited, 1):
            article = articles[article_id]
            link = f" <{article['url'].replace('>', '%3E')}>" if article["url"] else ""
            lines.append(f"{number}. {_md(article['title'])} ({_md(article['source'])}){link}")
        lines.append("")
    return "\n".join(lines)
