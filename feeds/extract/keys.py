"""Rule selection by key words: which rules may run on a text, found from its letter runs.

A rule runs only on a text containing one of its keys (and, if it lists any, one of its
``needs``). Testing every key with ``in`` costs a substring search per key per sentence.
Instead a text is cut into its runs of letters ``a``-``z``, and each run is looked up in a
memo of the keys it contains: news text repeats its words, so a sentence costs about one
dictionary look-up per word.

Exact: a key made only of letters occurs in a text exactly when it occurs inside one of
its letter runs (an occurrence is itself a stretch of letters). The few keys with another
character (" as ", "tie-up") are tested with ``in``. A run not in the memo is scanned with
one regex, an alternation of the letter keys grouped by first letter, longest first: it
reports, at every position it stops at, the longest key starting there, and a reported
key implies every key inside it. A key that starts inside a reported one and runs past
its end (an overlap, "use" + "embed" in "usembed") is the only kind the scan can step
over; those few are tested with ``in`` when their neighbour is reported.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import reduce
from operator import or_
from typing import Generic, TypeVar

R = TypeVar("R")
_CACHE_LIMIT = 512
_RUN_LIMIT = 50_000
"""Runs remembered per index; the memo starts over when full."""
# Every byte but a-z becomes a space, so ``split`` yields the letter runs (each byte of a
# non-ASCII character separates them too).
_LETTER_BYTES = bytes(c if 97 <= c <= 122 else 32 for c in range(256))


class KeyText:
    """A text prepared for `KeyIndex.select`: in lower case, and its runs of letters."""

    __slots__ = ("low", "runs")

    def __init__(self, low: str) -> None:
        """Cut ``low`` (a text in lower case) into its runs of ``a``-``z``."""
        self.low = low
        self.runs = low.encode("utf-8", "surrogatepass").translate(_LETTER_BYTES).split()


def _alternation(strings: Sequence[str]) -> str:
    groups: dict[str, list[str]] = {}
    for string in strings:
        groups.setdefault(string[0], []).append(string[1:])
    parts = []
    for first, rests in sorted(groups.items()):
        rests.sort(key=len, reverse=True)  # longest first: "" (the letter alone) comes last
        parts.append(re.escape(first) + "(?:" + "|".join(map(re.escape, rests)) + ")")
    return "|".join(parts) or "(?!x)x"


def _overlaps(a: str, b: str) -> bool:
    """Whether ``b`` can start inside ``a`` (not at its first letter) and run past it."""
    return any(a.endswith(b[:size]) for size in range(1, min(len(a), len(b))))


def _is_letters(string: str) -> bool:
    return string.isascii() and string.isalpha() and string.islower()


class _RunBits(dict[bytes, int]):
    """Run -> the bits of the keys inside it, computed on first look-up."""

    def __init__(
        self, scan: re.Pattern[str], bits: dict[str, int], overlaps: dict[str, tuple[str, ...]]
    ):
        super().__init__()
        self._scan, self._bits, self._overlaps = scan, bits, overlaps

    def __missing__(self, run: bytes) -> int:
        text = run.decode("ascii")
        found = 0
        for key in self._scan.findall(text):
            found |= self._bits[key]
            for other in self._overlaps[key]:
                if other in text:
                    found |= self._bits[other]
        if len(self) >= _RUN_LIMIT:
            self.clear()
        self[run] = found
        return found


class KeyIndex(Generic[R]):
    """The rules of a table, selectable by the keys (and needs) a text contains."""

    def __init__(self, rules: Sequence[R], keys: Sequence[tuple[tuple[str, ...], tuple[str, ...]]]):
        """``keys[i]`` is ``(keys, needs)`` of ``rules[i]``; all lower case."""
        self._rules = tuple(rules)
        self._count = len(rules)
        strings = sorted({s for pair in keys for group in pair for s in group})
        # What finding a string tells: each rule with a key inside it (low bits) and each
        # rule with a need inside it (the same bits shifted up by the number of rules).
        bits = {
            s: self._bits(s, [k for k, _ in keys])
            | self._bits(s, [n for _, n in keys]) << self._count
            for s in strings
        }
        letters = [s for s in strings if _is_letters(s)]
        overlaps = {a: tuple(b for b in letters if b not in a and _overlaps(a, b)) for a in letters}
        self._runs = _RunBits(re.compile(_alternation(letters)), bits, overlaps)
        self._phrases = tuple((s, bits[s]) for s in strings if not _is_letters(s))
        self._free = sum(1 << i for i, (_, needs) in enumerate(keys) if not needs)
        self._chosen: dict[int, tuple[R, ...]] = {}

    @staticmethod
    def _bits(found: str, groups: list[tuple[str, ...]]) -> int:
        return sum(1 << i for i, group in enumerate(groups) if any(s in found for s in group))

    def select(self, text: str | KeyText) -> tuple[R, ...]:
        """The rules, in table order, whose keys (and needs) occur in ``text`` (in lower
        case; a `KeyText` can be shared by several indexes)."""
        if isinstance(text, str):
            text = KeyText(text)
        low = text.low
        found = reduce(or_, map(self._runs.__getitem__, text.runs), 0)
        for phrase, bits in self._phrases:
            if phrase in low:
                found |= bits
        keys = found & ((1 << self._count) - 1)
        chosen = keys & ((found >> self._count) | self._free)
        rules = self._chosen.get(chosen)
        if rules is None:
            rules = tuple(rule for i, rule in enumerate(self._rules) if chosen >> i & 1)
            if len(self._chosen) < _CACHE_LIMIT:
                self._chosen[chosen] = rules
        return rules
