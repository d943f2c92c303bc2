"""Turn text from strangers into clean, bounded plain text.

Every string that leaves `feeds/` passes through here: HTML becomes text, and
terminal control sequences, NULs, lone surrogates, bidi overrides and zero-width
characters are removed, so nothing stored can move the cursor, retitle the
terminal or reorder what the reader sees.
"""

from __future__ import annotations

import html
import re
from urllib.parse import urlsplit, urlunsplit

MAX_TITLE = 500
MAX_AUTHOR = 200
MAX_TEXT = 100_000
MAX_URL = 2_048

# ESC-introduced sequences: CSI (ESC [ ... final), OSC (ESC ] ... BEL or ST),
# DCS/SOS/PM/APC strings (ESC P|X|^|_ ... ST) and two-byte escapes.
_ESCAPES = re.compile(
    r"""
    \x1b\[[0-?]*[ -/]*[@-~]?            # CSI
    | \x1b\][^\x07\x1b]*(?:\x07|\x1b\\)? # OSC ... BEL | ST
    | \x1b[PX^_][^\x1b]*(?:\x1b\\)?      # DCS, SOS, PM, APC
    | \x1b[ -~]?                         # other two-byte escapes / lone ESC
    | \x9b[0-?]*[ -/]*[@-~]?             # 8-bit CSI
    | \x9d[^\x07\x9c]*(?:\x07|\x9c)?     # 8-bit OSC
    """,
    re.VERBOSE,
)
# C0 controls except TAB/LF, DEL, C1 controls, lone surrogates, bidi
# embeddings/overrides/isolates/marks (U+061C too), deprecated format controls, zero-width
# and BOM characters: the same set `tui.text.clean` strips, so what is stored shows as stored.
_INVISIBLE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]"
)
_INVISIBLE_ONE_LINE = re.compile(_INVISIBLE.pattern.replace("\x00-\x08\x0b-\x1f", "\x00-\x1f"))
# A URL holding any of these (the Arabic letter mark and the deprecated format characters
# too) is refused, not cleaned, so it cannot display other than it opens.
_INVISIBLE_IN_URL = _INVISIBLE_ONE_LINE
_BLOCK_TAGS = re.compile(
    r"<\s*(?:br|/p|p|/div|div|/li|li|/h[1-6]|h[1-6]|/tr|tr|/blockquote|hr)\b[^>]*>", re.I
)
_DROP_ELEMENTS = re.compile(r"<(script|style|template)\b.*?</\1\s*>", re.I | re.S)
_TAGS = re.compile(r"<[^>]*>|<!--.*?-->", re.S)
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u3000]+")
_WIDE_SPACE = re.compile(r"[\u00a0\u2000-\u200a\u3000]")
_BLANK_LINES = re.compile(r"\n\s*\n+")
_WHITESPACE = re.compile(r"\s")  # the same characters as str.isspace
# An absolute http(s) URL that urllib splits and joins back unchanged, whatever
# the base: lower-case scheme, a plain host name, printable ASCII, no ";" in the
# path (urlparse's params), no empty query or fragment (urlunsplit drops them).
PLAIN_URL = re.compile(
    r"https?://[A-Za-z0-9.-]+(?:/[!\"$-:<->@-~]*)?(?:\?[!\"$-~]+)?(?:#[!-~]+)?", re.ASCII
)


def _truncate(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def clean_text(text: object, *, limit: int = MAX_TEXT) -> str:
    """Return ``text`` as safe multi-line plain text of at most ``limit`` characters.

    Keeps newlines (collapsing runs of blank lines), drops every control or
    invisible character and escape sequence, and tolerates non-``str`` input.
    """
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    if len(text) > limit * 4:
        text = text[: limit * 4]
    if text.isprintable():
        # The common case. No printable character is invisible, a line break or
        # whitespace other than the ASCII space, so only runs of spaces can change.
        if "  " in text:
            text = _SPACES.sub(" ", text)
        return _truncate(text.strip(), limit)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _INVISIBLE.search(text):  # every escape sequence starts with a character in this class
        text = _ESCAPES.sub("", text)
        text = _INVISIBLE.sub("", text)
    if "  " in text or "\t" in text or (not text.isascii() and _WIDE_SPACE.search(text)):
        text = _SPACES.sub(" ", text)  # (else _SPACES only matches single spaces)
    if "\n" in text:
        text = _BLANK_LINES.sub("\n\n", text)
        text = "\n".join(line.strip() for line in text.split("\n"))
    return _truncate(text.strip(), limit)


def clean_line(text: object, *, limit: int = MAX_TITLE) -> str:
    """Return ``text`` as one safe line (titles, names, authors)."""
    if isinstance(text, str) and len(text) <= limit and text.isprintable() and "  " not in text:
        return text.strip()  # what the general case below returns for it
    return _truncate(" ".join(clean_text(text, limit=limit * 2).split()), limit)


def html_to_text(markup: object, *, limit: int = MAX_TEXT) -> str:
    """Convert an HTML fragment to plain text, keeping paragraph breaks."""
    if not isinstance(markup, str):
        markup = "" if markup is None else str(markup)
    if len(markup) > limit * 8:
        markup = markup[: limit * 8]
    if "<" in markup:
        markup = _DROP_ELEMENTS.sub(" ", markup)
        markup = _BLOCK_TAGS.sub("\n", markup)
        markup = _TAGS.sub("", markup)
    if "&" in markup:
        markup = html.unescape(markup)
    return clean_text(markup, limit=limit)


def safe_url(url: object) -> str | None:
    """Return ``url`` if it is a clean absolute http(s) URL, else ``None``.

    The one rule for links, whether stored from a feed or opened from the
    dashboard: the result is what will be both shown and opened. Surrounding
    whitespace is stripped and the scheme lower-cased; a URL with control,
    invisible or whitespace characters inside, or with credentials, or longer
    than `MAX_URL`, is refused rather than cleaned.
    """
    if not isinstance(url, str):
        return None
    url = url.strip()
    if len(url) <= MAX_URL and PLAIN_URL.fullmatch(url):
        return url  # what the checks below return for it
    return _checked_url(url)


def _checked_url(url: str) -> str | None:
    if not url or len(url) > MAX_URL or _INVISIBLE_IN_URL.search(url) or _WHITESPACE.search(url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    if parts.username is not None or parts.password is not None:
        return None
    return urlunsplit((parts.scheme.lower(), parts.netloc, parts.path, parts.query, parts.fragment))
