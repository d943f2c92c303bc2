"""The shortcuts that make parsing cheap give exactly what the general code gives."""

from __future__ import annotations

import sys

from feeds.sanitize import _ESCAPES, _INVISIBLE, _SPACES, clean_line, clean_text


def test_printable_text_has_nothing_clean_text_removes_or_rewrites() -> None:
    """`clean_text` trusts ``str.isprintable()``: check that trust for every code point."""
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        if char.isprintable() and char != " ":
            assert not _INVISIBLE.match(char), hex(code)
            assert not _ESCAPES.match(char), hex(code)
            assert not _SPACES.match(char), hex(code)
            assert not char.isspace(), hex(code)


def test_clean_text_and_clean_line_shortcuts_agree_with_the_general_case() -> None:
    samples = ["", " ", "a", "  a  b  ", "x" * 600, "é  ü", "a\u00a0 b", " \u2003a\tb", "a\u202eb"]
    for text in samples:
        for limit in (1, 3, 10, 500):
            general = text + "\x00"  # not printable: takes the general path, same result
            assert clean_text(text, limit=limit) == clean_text(general, limit=limit), text
            assert clean_line(text, limit=limit) == clean_line(general, limit=limit), text
