"""The readable part of an article: meta line, link, summary, sections and insights."""

from __future__ import annotations

from textual.containers import VerticalScroll
from textual.widget import Widget
from textual.widgets import Static

from aiwatch.feeds.parse.sanitize import safe_url
from aiwatch.store.read_models import ArticleDetail
from aiwatch.tui.text import assemble, clean, date, line, plain


def _heading(text: str) -> Static:
    return Static(plain(text, "bold $accent"), classes="heading")


def _paragraph(text: str, classes: str = "paragraph") -> Static:
    return Static(plain(text, multiline=True), classes=classes)


def _point(text: str) -> Widget:
    """A point, set off by a rule down its left side (`.point` in ``detail.tcss``).

    One widget rather than a bullet and a text side by side: the seed's nine points were
    27 widgets, a third of the time it took to open the article.
    """
    return Static(plain(text, multiline=True), classes="point")


class ArticleBody(VerticalScroll):
    """Scrollable article text; every string is shown literally."""

    def show(self, detail: ArticleDetail) -> None:
        """Replace the content with ``detail``."""
        self.remove_children()
        self.mount_all(list(article_widgets(detail)))
        self.scroll_home(animate=False)


def article_widgets(detail: ArticleDetail) -> list[Widget]:
    """The widgets that show ``detail``, in reading order."""
    row = detail.row
    meta = [row.source or "unknown source", date(row.published or row.fetched, empty="undated")]
    if detail.author:
        meta.append(f"by {line(detail.author)}")
    if detail.publisher:
        meta.append(f"published by {line(detail.publisher)} (its “we”)")
    if row.topics:
        meta.append(", ".join(line(t) for t in row.topics))
    url = safe_url(row.url)
    link = (
        assemble(("Link: ", "dim"), (url, "underline"))
        if url
        else assemble(
            ("Link: ", "dim"), ("none" if not row.url else "not an http(s) link", "italic")
        )
    )
    widgets: list[Widget] = [
        Static(assemble((" · ".join(line(m) for m in meta), "$text-muted")), classes="meta"),
        Static(link, classes="meta"),
    ]
    if detail.extraction_error:
        widgets.append(
            Static(
                assemble(("Extraction failed: ", "bold $warning"), detail.extraction_error),
                classes="warning",
            )
        )
    first_section = detail.sections[0].text if detail.sections else ""
    if detail.summary and clean(detail.summary, multiline=True) != clean(
        first_section, multiline=True
    ):
        widgets += [_heading("Summary"), _paragraph(detail.summary)]
    for section in detail.sections:
        widgets += [_heading(section.name or "Section"), _paragraph(section.text)]
    if detail.insights:
        widgets.append(_heading("Insights"))
        for number, insight in enumerate(detail.insights, 1):
            widgets.append(
                Static(
                    assemble((f"{number}. ", "bold"), (insight.question, "bold")),
                    classes="question",
                )
            )
            widgets += [_point(point) for point in insight.points]
    elif detail.key_points:
        widgets.append(_heading("Key points"))
        widgets += [_point(point) for point in detail.key_points]
    return widgets
