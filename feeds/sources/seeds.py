"""Load seed articles: plain-text or Markdown files in the seed format, or in any style.

The format is a title line, then sections each introduced by a heading line
(``News Summary``, ``Background``, ``In-Depth AI Insights`` or any other short
line without sentence punctuation, or a Markdown ``#`` heading). In an insights
section each question ends with ``?`` and is followed by `` - `` answer points;
the next question trails the previous point, possibly all on one line.

A file that does not open with a headline (wire copy, a press release, a pasted
paragraph) is titled by its first sentence; a dateline at the start of the text
(``SAN FRANCISCO, March 3, 2025 —``, ``Nov 25 (Reuters) -``) gives its date.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.resources import files
from pathlib import Path

from aiwatch.feeds.parse.sanitize import MAX_TEXT, clean_line, clean_text
from aiwatch.feeds.records import ArticleRecord, Insight, Section
from aiwatch.feeds.sources.datelines import dateline, first_sentence

SEED_SUFFIXES = (".txt", ".md")
MAX_SEED_BYTES = 2 * 1024 * 1024
_HEADING_MAX_CHARS = 60
_HEADING_MAX_WORDS = 8
_HEADLINE_MAX_CHARS = 200
_CONTINUED = re.compile(
    r"\s(?:a|an|the|and|or|but|of|to|in|on|for|with|by|at|from|that|as|its|their)$"
)
_MARKDOWN_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
_BULLET = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+")
_QUESTION_END = re.compile(r"\?\s+-\s+")
_POINT_SPLIT = re.compile(r"(?:^|\s)-\s+")
_SENTENCE_END = re.compile(r"[.!?]['\")\]]?\s+")
_QUESTION_PREFIX = re.compile(r"^(?:Q\d*[:.]|\d+[.)])\s*", re.I)


class SeedError(Exception):
    """A seed file that could not be loaded, with a message naming the file."""


@dataclass(frozen=True, slots=True)
class SeedLoad:
    """The result of loading a folder: the articles, and one message per bad file."""

    articles: tuple[ArticleRecord, ...]
    errors: tuple[str, ...]


def bundled_seed_dir() -> Path:
    """The seed folder shipped inside the package."""
    return Path(str(files("aiwatch.seeds")))


def load_seed_dir(folder: Path) -> SeedLoad:
    """Load every ``*.txt``/``*.md`` seed in ``folder``; a bad file never stops the others."""
    articles: list[ArticleRecord] = []
    errors: list[str] = []
    if not folder.is_dir():
        return SeedLoad((), (f"{folder}: not a folder",))
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() not in SEED_SUFFIXES or path.name.startswith("."):
            continue
        try:
            articles.append(load_seed_file(path))
        except SeedError as exc:
            errors.append(str(exc))
    return SeedLoad(tuple(articles), tuple(errors))


def load_seed_file(path: Path) -> ArticleRecord:
    """Read and parse one seed file.

    Raises:
        SeedError: unreadable, too large, not UTF-8, or without a title.
    """
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_SEED_BYTES + 1)
    except OSError as exc:
        raise SeedError(f"{path.name}: cannot read ({exc.strerror or exc})") from exc
    if len(raw) > MAX_SEED_BYTES:
        raise SeedError(f"{path.name}: larger than {MAX_SEED_BYTES // 1024 // 1024} MiB")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SeedError(
            f"{path.name}: not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start})"
        ) from exc
    try:
        written = datetime.fromtimestamp(path.stat().st_mtime, UTC)
    except (OSError, OverflowError, ValueError):
        written = None
    return parse_seed_text(text, name=path.name, written=written)


def parse_seed_text(text: str, *, name: str, written: datetime | None = None) -> ArticleRecord:
    """Parse seed ``text``; ``name`` identifies the seed (its file name).

    ``written`` (the file's time; default now) dates a dateline that gives no year.
    """
    lines = [clean_line(line, limit=MAX_TEXT) for line in text.replace("\r\n", "\n").split("\n")]
    lines = [line for line in lines if line]
    if not lines:
        raise SeedError(f"{name}: empty file")
    if _is_headline(lines):
        title = clean_line(_MARKDOWN_HEADING.sub("", lines[0]).lstrip("#").strip())
        body_lines = lines[1:]
    else:  # prose from the first line: the first sentence (after a dateline) is the news
        opening = dateline(lines[0], written=written)
        prose = " ".join(lines[:40])[opening.end if opening else 0 :]
        title = clean_line(first_sentence(prose))
        body_lines = lines
    if not title:
        raise SeedError(f"{name}: no title line")
    published = _published(body_lines, written)
    sections: list[Section] = []
    insights: list[Insight] = []
    for heading, body in _split_sections(body_lines):
        found = (
            parse_insights(" ".join(body))
            if "insight" in heading.lower() or _looks_like_qa(body)
            else []
        )
        if found:
            insights.extend(found)
        else:
            sections.append(Section(heading, clean_text("\n".join(body))))
    summary = sections[0].text if sections else ""
    return ArticleRecord(
        source=f"seed:{name}",
        entry_key=name,
        url=None,
        title=title,
        published=published,
        summary=summary,
        sections=tuple(s for s in sections if s.text),
        insights=tuple(insights),
    )


def _is_headline(lines: list[str]) -> bool:
    """Whether the first line is a headline rather than the start of the prose.

    A Markdown heading is; so is a short line that does not end a sentence, opens with no
    dateline, and is not continued on the next line (hard-wrapped prose goes on in lower case).
    """
    first = lines[0]
    if _MARKDOWN_HEADING.match(first):
        return True
    if len(first) > _HEADLINE_MAX_CHARS or first[-1] in ".;:,":
        return False
    if _CONTINUED.search(first):  # "… on Thursday, with" goes on in the next line
        return False
    if len(lines) > 1 and lines[1][0].islower():
        return False
    return dateline(first) is None


def _published(lines: list[str], written: datetime | None) -> datetime | None:
    """The date of the dateline the prose opens with (after any section heading)."""
    for line in lines[:3]:
        if _is_heading(line):
            continue
        opening = dateline(line, written=written)
        return opening.published if opening else None
    return None


def _split_sections(lines: list[str]) -> Iterator[tuple[str, list[str]]]:
    heading, body = "Summary", list[str]()
    for line in lines:
        if _is_heading(line):
            if body:
                yield heading, body
            heading, body = clean_line(_MARKDOWN_HEADING.sub("", line).rstrip(":")), []
        else:
            body.append(line)
    if body:
        yield heading, body


def _is_heading(line: str) -> bool:
    if _MARKDOWN_HEADING.match(line):
        return True
    if _BULLET.match(line) or len(line) > _HEADING_MAX_CHARS:
        return False
    if len(line.split()) > _HEADING_MAX_WORDS or line[-1] in ".?!;,\"'”’)":
        return False
    return line[0].isupper() or line[0].isdigit()


def _looks_like_qa(body: list[str]) -> bool:
    return bool(_QUESTION_END.search(" ".join(body)))


def parse_insights(text: str) -> list[Insight]:
    """Split ``Q? - point - point Q2? - point`` text into insights.

    A question runs from the end of the previous sentence (or the start of the
    text) to a ``?`` that is followed by `` - ``; its points are the `` - ``
    separated parts up to the next question.
    """
    text = " ".join(_BULLET.sub("- ", part) for part in text.split("\n"))
    marks = list(_QUESTION_END.finditer(text))
    if not marks:
        return []
    starts = [
        _question_start(text, 0 if i == 0 else marks[i - 1].end(), m.start())
        for i, m in enumerate(marks)
    ]
    insights = []
    for i, mark in enumerate(marks):
        question = clean_line(
            _QUESTION_PREFIX.sub("", text[starts[i] : mark.start() + 1].strip(" -"))
        )
        answer = text[mark.end() : starts[i + 1] if i + 1 < len(marks) else len(text)]
        points = tuple(
            p for p in (clean_text(p.strip()) for p in _POINT_SPLIT.split(" " + answer)) if p
        )
        if question and points:
            insights.append(Insight(question, points))
    return insights


def _question_start(text: str, floor: int, question_mark: int) -> int:
    """Where the question ending at ``question_mark`` begins: after the last sentence end."""
    start = floor
    for end in _SENTENCE_END.finditer(text, floor, question_mark):
        start = end.end()
    return start
