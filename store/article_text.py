"""One article as Markdown or JSON, for piping to a command of the user's choice."""

from __future__ import annotations

import json

from aiwatch.store.read_models import ArticleDetail


def article_markdown(detail: ArticleDetail) -> str:
    """Title, link, source and date, then the sections, insights and key points."""
    row = detail.row
    when = row.published or row.fetched
    lines = [f"# {row.title}", ""]
    if row.url:
        lines.append(f"<{row.url}>")
    meta = " · ".join(
        p for p in (row.source, when.strftime("%Y-%m-%d") if when else "", detail.author) if p
    )
    if meta:
        lines.append(meta)
    lines.append("")
    if detail.sections:
        for section in detail.sections:
            lines += [f"## {section.name}", "", section.text, ""]
    elif detail.summary:
        lines += [detail.summary, ""]
    if detail.insights:
        lines += ["## Insights", ""]
        for insight in detail.insights:
            lines.append(f"- {insight.question}")
            lines += [f"  - {point}" for point in insight.points]
        lines.append("")
    if detail.key_points:
        lines += ["## Key points", ""] + [f"- {point}" for point in detail.key_points] + [""]
    return "\n".join(lines)


def article_json(detail: ArticleDetail) -> str:
    """The article as one JSON object (stable keys)."""
    row = detail.row
    return json.dumps(
        {
            "id": row.id,
            "title": row.title,
            "url": row.url,
            "source": row.source,
            "published": row.published.isoformat() if row.published else None,
            "author": detail.author,
            "summary": detail.summary,
            "sections": [{"name": s.name, "text": s.text} for s in detail.sections],
            "insights": [
                {"question": i.question, "points": list(i.points)} for i in detail.insights
            ],
            "key_points": list(detail.key_points),
            "companies": list(row.companies),
            "topics": list(row.topics),
        },
        ensure_ascii=False,
        indent=2,
    )
