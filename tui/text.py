"""Display helpers for text that comes from strangers.

Textual and Rich parse plain strings as markup, and `escape()` does not cover
every case (``[/`` for one). Every string from data (titles, summaries, feed
names, company names, evidence) reaches the screen through the helpers here,
which return `Content` (Textual widgets) or `Text` (Rich renderables such as
DataTable cells) built from the literal characters, never from markup.

The store already holds sanitised text; `clean` strips any control, escape,
bidi or zero-width character that slipped through anyway.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime

from rich.text import Text
from textual.content import Content

# ESC/CSI/OSC introducers and the rest of C0/C1, DEL, lone surrogates, bidi
# embeddings/overrides/isolates/marks, zero-width characters, BOM and the
# interlinear annotation characters.
_ESCAPE_SEQUENCE = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]?|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?")
_INVISIBLE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\u061c\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]"
)
_WHITESPACE = re.compile(r"[ \t\n\r\x0b\x0c\u00a0\u2028\u2029]+")
MAX_LINE = 1_000


def clean(value: object, *, multiline: bool = False, limit: int = MAX_LINE * 100) -> str:
    """Return ``value`` as printable text with no control or invisible characters.

    Args:
        value: Anything; ``None`` becomes an empty string.
        multiline: Keep line breaks (tabs and other whitespace still collapse).
        limit: Truncate longer text with an ellipsis.
    """
    text = "" if value is None else value if isinstance(value, str) else str(value)
    if text.isprintable() and "  " not in text:
        # Nothing to strip: every character the patterns remove, and every space but " ",
        # is unprintable to `str.isprintable` (escape, C0/C1, bidi, zero-width, format).
        text = text.strip()
    else:
        text = _scrubbed_lines(text) if multiline else _scrubbed(text)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _scrubbed_lines(text: str) -> str:
    """``text`` without escape sequences or invisible characters, each line's spaces collapsed."""
    text = _ESCAPE_SEQUENCE.sub("", text).replace("\r\n", "\n").replace("\r", "\n")
    lines = (" ".join(_INVISIBLE.sub("", line).split()) for line in text.split("\n"))
    return "\n".join(lines).strip("\n")


def _scrubbed(text: str) -> str:
    """One line of ``text`` without escape sequences or invisible characters, spaces collapsed."""
    text = _ESCAPE_SEQUENCE.sub("", text)
    return _WHITESPACE.sub(" ", _INVISIBLE.sub("", _WHITESPACE.sub(" ", text))).strip()


def line(value: object, *, limit: int = MAX_LINE) -> str:
    """One clean line of at most ``limit`` characters."""
    return clean(value, limit=limit)


def plain(value: object, style: str = "", *, multiline: bool = False) -> Content:
    """Literal `Content` for a data string, optionally styled (``style`` is ours, not data)."""
    text = clean(value, multiline=multiline)
    return Content.styled(text, style) if style else Content(text)


def printable(value: object) -> str:
    """``value`` without control, escape, bidi or zero-width characters; spacing kept.

    Unlike `clean`, line breaks and leading/trailing spaces survive (tabs and
    carriage returns become spaces), so layout strings keep their shape.
    """
    text = "" if value is None else value if isinstance(value, str) else str(value)
    text = text.replace("\r\n", "\n").replace("\r", " ").replace("\t", " ")
    return _INVISIBLE.sub("", _ESCAPE_SEQUENCE.sub("", text))


def assemble(*parts: str | Content | tuple[str, str]) -> Content:
    """Join parts into one literal `Content`.

    ``str`` parts pass through `printable` and are never parsed as markup; a
    ``(text, style)`` tuple is styled with our own style (never a style from data).
    """
    pieces: list[Content] = []
    for part in parts:
        if isinstance(part, Content):
            pieces.append(part)
        elif isinstance(part, tuple):
            text, style = part
            pieces.append(
                Content.styled(printable(text), style) if style else Content(printable(text))
            )
        else:
            pieces.append(Content(printable(part)))
    return Content("").join(pieces)


def join(parts: Iterable[Content], separator: str | Content = ", ") -> Content:
    """Join ``Content`` parts with a literal separator."""
    sep = separator if isinstance(separator, Content) else Content(separator)
    return sep.join(list(parts))


def cell(value: object, style: str = "", *, limit: int = MAX_LINE) -> Text:
    """A one-line Rich `Text` for a DataTable cell; too-long text ends with an ellipsis."""
    return Text(line(value, limit=limit), style=style, no_wrap=True, overflow="ellipsis", end="")


MARK_STYLE = "bold underline"
"""How searched words are marked in a cell."""


def marked_cell(
    value: str, marks: Iterable[tuple[int, int]], style: str = "", *, limit: int = MAX_LINE
) -> Text:
    """`cell`, with the ``(start, end)`` spans of ``value`` marked (a search's matches).

    The spans index the stored text; when cleaning changed it they no longer
    fit, and nothing is marked.
    """
    shown = cell(value, style, limit=limit)
    if shown.plain == value:
        for start, end in marks:
            if 0 <= start < end <= len(value):
                shown.stylize(MARK_STYLE, start, end)
    return shown


def names(values: Iterable[str], *, empty: str = "—") -> str:
    """Comma-separated clean names, or ``empty``."""
    joined = ", ".join(line(v) for v in values if line(v))
    return joined or empty


def date(value: datetime | None, *, empty: str = "—") -> str:
    """``YYYY-MM-DD`` or ``empty``."""
    return value.strftime("%Y-%m-%d") if value is not None else empty
