"""Word tokens of a document: lower-case forms, their set, and offsets on demand."""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from itertools import chain

_WORD = re.compile(r"\w+")
# ASCII text is tokenised as bytes: ``bytes.translate`` with a 256-byte table turns every
# separator into a space and upper case into lower case, far faster than ``str.lower`` +
# ``str.translate``.
_LOWER_SEPARATORS = (
    bytes(c if chr(c).isalnum() or c == 95 else 32 for c in range(128)) + bytes(range(128, 256))
).lower()


class Words:
    """The word tokens of a document: lower-case forms and their set.

    For ASCII text the words come from one ``translate`` + ``split`` (C speed), for other
    text from one ``findall``, and the offset of a word is looked up only when needed
    (`locate`); only where lower-casing changes the text's length ("İ") are offsets kept
    for every word.
    """

    __slots__ = ("_ends", "_found", "_low", "_padded", "_parts", "_starts", "lows", "set")

    def __init__(self, text: str, parts: Sequence[tuple[int, int]] = ()) -> None:
        """Tokenise ``text``; ``parts`` (the start and end offsets of its sentences, in
        order, covering every word) are tokenised one by one so that each sentence's words
        come for free."""
        self._starts: list[int] | None = None
        self._ends: list[int] | None = None
        self._parts: list[list[str]] | None = None
        self._padded: str | None = None
        self._found: dict[str, tuple[int, int, int]] = {}
        if text.isascii() and parts:  # one translation of the text, split part by part
            spaced = text.encode("ascii").translate(_LOWER_SEPARATORS).decode("ascii")
            self._parts = [spaced[start:end].split() for start, end in parts]
            self._padded = f" {spaced} "
            self.lows = list(chain.from_iterable(self._parts))
            low = spaced  # (`_next` searches the padded copy; it needs only the length here)
        else:
            low = text.lower()
            if text.isascii():
                self.lows = _split_ascii(text, _LOWER_SEPARATORS)
            elif len(low) == len(text):  # lower case is idempotent: these are the words of low
                self.lows = _WORD.findall(low)
            else:
                low = text  # a case mapping that changes lengths: keep offsets exact
                matches = list(_WORD.finditer(low))
                self.lows = [m.group().lower() for m in matches]
                self._starts = [m.start() for m in matches]
                self._ends = [m.end() for m in matches]
        self._low = low  # what `_next` searches (with ``_padded``, only its length is read)
        self.set = frozenset(self.lows)

    def of_part(self, index: int, text: str) -> Collection[str]:
        """The words of part ``index`` (whose text is ``text``), to test against word sets
        (``frozenset.isdisjoint``): for ASCII text the part's own list, no set built."""
        if self._parts is not None:
            return self._parts[index]
        return self.within(text)

    def nth(self, index: int, occurrence: int) -> tuple[int, int]:
        """Offsets of word ``index``, which is occurrence number ``occurrence`` (from 0) of
        its word; calls for one word must come in increasing order of occurrence."""
        if self._starts is not None and self._ends is not None:
            return self._starts[index], self._ends[index]
        word = self.lows[index]
        seen, start, end = self._found.get(word, (-1, 0, 0))
        while seen < occurrence:
            start, end = self._next(word, end)
            seen += 1
        self._found[word] = (seen, start, end)
        return start, end

    def _next(self, word: str, after: int) -> tuple[int, int]:
        low = self._low
        if self._padded is not None:  # separators are spaces there: a whole word is " word "
            position = self._padded.find(f" {word} ", after)
            return (position, position + len(word)) if position >= 0 else (len(low), len(low))
        position = low.find(word, after)
        while position >= 0:
            end = position + len(word)
            if (position == 0 or not _is_word_char(low[position - 1])) and (
                end == len(low) or not _is_word_char(low[end])
            ):
                return position, end
            position = low.find(word, position + 1)
        return len(low), len(low)

    def locate(self, index: int, after: int) -> tuple[int, int]:
        """Offsets of word ``index``: its first whole-word occurrence at or after ``after``."""
        if self._starts is not None and self._ends is not None:
            return self._starts[index], self._ends[index]
        return self._next(self.lows[index], after)

    def within(self, text: str) -> set[str]:
        """The set of lower-case words of ``text`` (a part of the document)."""
        if text.isascii():
            return set(_split_ascii(text, _LOWER_SEPARATORS))
        return set(_WORD.findall(text.lower()))

    def words_of(self, text: str) -> list[str]:
        """The lower-case words of ``text``, in order."""
        if text.isascii():
            return _split_ascii(text, _LOWER_SEPARATORS)
        return _WORD.findall(text.lower())


def _split_ascii(text: str, table: bytes) -> list[str]:
    """The words of ASCII ``text`` after mapping its bytes through ``table``."""
    return text.encode("ascii").translate(table).decode("ascii").split()


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"
