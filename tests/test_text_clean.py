"""`tui.text.clean` skips its patterns for text they would not change, and only then."""

from __future__ import annotations

import random

from aiwatch.tui import text
from aiwatch.tui.text import clean

LETTERS = [
    *"aZ9 .,é×—日🙂",
    "  ",
    "\t",
    "\n",
    "\r",
    "\x1b[31m",
    "\x1b]8;;http://x\x07",
    "\x00",
    "\x7f",
    "\x85",
    "\u00a0",
    "\u00ad",
    "\u061c",
    "\u200b",
    "\u200e",
    "\u202e",
    "\u2028",
    "\u2066",
    "\ufeff",
    "\ufff9",
    "\ud800",
]
"""Printable letters and every kind of character the patterns remove or collapse."""


def test_clean_is_what_its_patterns_make_of_any_text() -> None:
    rng = random.Random(7)
    fast = 0
    for _ in range(20_000):
        value = "".join(rng.choice(LETTERS) for _ in range(rng.randrange(0, 12)))
        assert clean(value) == text._scrubbed(value), repr(value)
        assert clean(value, multiline=True) == text._scrubbed_lines(value), repr(value)
        fast += value.isprintable() and "  " not in value
    assert fast > 1_000  # the short cut was taken, and checked, often
