"""Rule selection by key words: which rules may run on a text, found in one regex scan.

A rule runs only on a text containing one of its keys (and, if it lists any, one of its
``needs``). Testing every key with ``in`` costs a substring search per key per sentence;
`KeyIndex` finds them all with one scan of an alternation of the keys grouped by first
letter, longest first.

Exact: the scan reports, at every position it stops at, the longest key starting there,
and a reported key implies every key inside it. A key that starts inside a reported one
and runs past its end (an overlap, "use" + "embed" in "usembed") is the only kind the
scan can step over; those few are tested with ``in`` when their neighbour is reported.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Generic, TypeVar

R = TypeVar("R")
_CACHE_LIMIT = 512


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


class KeyIndex(Generic[R]):
    """The rules of a table, selectable by the keys (and needs) a text contains."""

    def __init__(self, rules: Sequence[R], keys: Sequence[tuple[tuple[str, ...], tuple[str, ...]]]):
        """``keys[i]`` is ``(keys, needs)`` of ``rules[i]``; all lower case."""
        self._rules = tuple(rules)
        strings = sorted({s for pair in keys for group in pair for s in group})
        # What finding a string tells: each rule with a key (or need) inside it.
        self._key_bits = {s: self._bits(s, [k for k, _ in keys]) for s in strings}
        self._need_bits = {s: self._bits(s, [n for _, n in keys]) for s in strings}
        self._free = sum(1 << i for i, (_, needs) in enumerate(keys) if not needs)
        self._overlaps = {
            a: tuple(b for b in strings if b not in a and _overlaps(a, b)) for a in strings
        }
        self._pattern = re.compile(_alternation(strings))
        self._chosen: dict[int, tuple[R, ...]] = {}

    @staticmethod
    def _bits(found: str, groups: list[tuple[str, ...]]) -> int:
        return sum(1 << i for i, group in enumerate(groups) if any(s in found for s in group))

    def select(self, low: str) -> tuple[R, ...]:
        """The rules, in table order, whose keys (and needs) occur in ``low``."""
        keys = needs = 0
        key_bits, need_bits, overlaps = self._key_bits, self._need_bits, self._overlaps
        for found in self._pattern.findall(low):
            keys |= key_bits[found]
            needs |= need_bits[found]
            for other in overlaps[found]:
                if other in low:
                    keys |= key_bits[other]
                    needs |= need_bits[other]
        chosen = keys & (needs | self._free)
        rules = self._chosen.get(chosen)
        if rules is None:
            rules = tuple(rule for i, rule in enumerate(self._rules) if chosen >> i & 1)
            if len(self._chosen) < _CACHE_LIMIT:
                self._chosen[chosen] = rules
        return rules
