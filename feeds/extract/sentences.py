"""Normalise hostile text and split it into sentences with document offsets."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import NamedTuple

MAX_CHARS = 200_000
"""Text beyond this many characters is ignored: extraction stays bounded in time."""
MAX_SENTENCE = 1_200
"""Longer runs without a sentence end are cut at a space, so patterns stay linear."""

# Controls (except TAB/LF), DEL/C1, zero-width and bidi characters, BOM, and the
# private-use area, which the extractor reserves for its placeholders.
_DROP = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u206f"
    "\ufeff\ufff9-\ufffb\ue000-\uf8ff\ud800-\udfff]"
)
# ASCII text is cleaned as bytes (much faster than ``str.translate``): controls other than
# TAB/LF/CR are deleted and CR becomes LF.
_ASCII_CONTROLS = bytes([*range(0, 9), 11, 12, *range(14, 32), 127])
_CR_TO_LF = bytes(range(256)).replace(b"\r", b"\n")
# Typographic quotes and dashes, straightened one ``str.replace`` each (a search in C):
# ``str.translate`` with a table looks every character up in a dict, some 30 times slower.
# No replacement holds a character replaced after it, so the order does not matter.
_QUOTES = (
    ("\u2018", "'"),
    ("\u2019", "'"),
    ("\u201b", "'"),
    ("\u2032", "'"),
    ("\u201c", '"'),
    ("\u201d", '"'),
    ("\u201e", '"'),
    ("\u00b4", "'"),
    ("\u2013", "-"),
    ("\u2014", " - "),
    ("\u2212", "-"),
)
# A run of spaces becomes one space: the runs that are not already one " " (a match for
# every space between two words would cost a match object each), that is a space other
# than " ", or a " " with another space after it. The pattern starts with the set of
# spaces, which the engine skips to in a tight loop; an alternation of a run and a space
# has no first character to skip to, and is tried at every character.
_SPACE = "[ \t\u00a0\u2000-\u200a\u3000]"
_SPACES = re.compile(f"{_SPACE}(?:(?<! )|(?={_SPACE})){_SPACE}*")
# A sentence ends at "[.!?][.!?]*[\"')\]]*\s+(?:-\s+)?(?=[\"'(\[]?[A-Z0-9])", searched in
# a copy of the line whose "!" and "?" are "." (`_full_stops`): a pattern that starts with
# one literal character is found with a tight loop over the characters, one that starts
# with a set calls the set's test at every character (twice as slow, the copy counted).
_BOUNDARY = re.compile(r"(\.\.*[\"')\]]*)\s+(?:-\s+)?(?=[\"'(\[]?[A-Z0-9])")
_ABBREVIATIONS = frozenset(
    re.findall(
        r"\S+",
        """
    inc corp co ltd llc plc no nos v vs mr mrs ms dr prof sr jr st mt gen gov sen rep jan
    feb mar apr jun jul aug sep sept oct nov dec e.g i.e u.s u.k u.n a.m p.m approx est dept
    univ fig al etc cf ca bros
    """,
    )
)


class Sentence(NamedTuple):
    """One sentence: its text, its offset in the document, and where it came from."""

    text: str
    start: int
    zone: str  # "title", "body" or "insight"

    @property
    def end(self) -> int:
        """Offset just past the sentence in the document."""
        return self.start + len(self.text)


def normalize(text: str) -> str:
    """Return ``text`` as NFKC with straight quotes and no invisible characters.

    Never raises; non-``str`` input becomes ``""``.
    """
    if not isinstance(text, str):
        return ""
    text = text[:MAX_CHARS]
    if text.isascii():
        text = text.encode("ascii").translate(_CR_TO_LF, _ASCII_CONTROLS).decode("ascii")
        return _SPACES.sub(" ", text) if "\t" in text or "  " in text else text
    text = _DROP.sub("", text)
    text = unicodedata.normalize("NFKC", text)
    for char, plain in _QUOTES:
        text = text.replace(char, plain)
    text = _DROP.sub("", text)
    return _SPACES.sub(" ", text.replace("\r", "\n"))


def _is_abbreviation(line: str, begin: int, end: int) -> bool:
    """Whether the word ending at ``line[end]`` (a full stop) is an abbreviation."""
    words = line[max(begin, end - 16) : end].split()
    if not words:
        return False
    word = words[-1].rstrip(".!?\"')]").lower()
    if len(word) == 1 and word.isalpha():
        return True  # an initial: "J. K. Rowling", "U.S."
    return word in _ABBREVIATIONS or ("." in word and len(word) <= 5)


def _long_word_before(line: str, begin: int, stop: int) -> bool:
    """Whether the word before the full stop at ``stop`` is too long to be an abbreviation:
    five letters end it ("users."), and they are not those of "approx" (every other
    abbreviation is shorter, and a shorter word with a "." would have no five letters)."""
    if stop - 5 < begin:
        return False
    tail = line[stop - 5 : stop]
    return tail.isalpha() and tail.lower() != "pprox"


def _cut_long(text: str, start: int) -> list[tuple[str, int]]:
    pieces: list[tuple[str, int]] = []
    while len(text) > MAX_SENTENCE:
        cut = text.rfind(" ", MAX_SENTENCE // 2, MAX_SENTENCE)
        cut = cut if cut > 0 else MAX_SENTENCE
        pieces.append((text[:cut], start))
        text, start = (
            text[cut:].lstrip(),
            start + cut + (len(text[cut:]) - len(text[cut:].lstrip())),
        )
    pieces.append((text, start))
    return pieces


def _full_stops(line: str) -> str:
    """``line`` with "!" and "?" as "." (same length: offsets are kept)."""
    return line.replace("!", ".").replace("?", ".")


def _split_line(line: str, offset: int) -> list[tuple[str, int]]:
    pieces: list[tuple[str, int]] = []
    begin = 0
    for match in _BOUNDARY.finditer(_full_stops(line)):
        stop = match.start()
        if not _long_word_before(line, begin, stop) and _is_abbreviation(line, begin, stop + 1):
            continue
        pieces.append((line[begin : match.end(1)], begin))
        begin = match.end()
    pieces.append((line[begin:], begin))
    result: list[tuple[str, int]] = []
    for text, start in pieces:
        stripped = text.strip()
        if not stripped:
            continue
        if stripped is not text:  # ``strip`` returns the string itself when nothing goes
            start += len(text) - len(text.lstrip())
        if len(stripped) <= MAX_SENTENCE:
            result.append((stripped, offset + start))
        else:
            result.extend(_cut_long(stripped, offset + start))
    return result


# A `Sentence` made from its fields in C: calling the class runs the named tuple's
# ``__new__``, a Python function, for every sentence (the same tuple either way).
_new_tuple = tuple.__new__


def spans(sentences: Iterable[Sentence]) -> list[tuple[int, int]]:
    """Each sentence's (start, end) in the document, read from the tuples: the hot loops
    take them from here rather than through `Sentence.end`, a Python call each."""
    return [(start, start + len(text)) for text, start, _ in sentences]


def split_sentences(text: str, offset: int = 0, zone: str = "body") -> list[Sentence]:
    """Split normalised ``text`` into sentences; offsets are relative to ``offset``."""
    sentences: list[Sentence] = []
    position = 0
    for line in text.split("\n"):
        if line.strip():
            for piece, start in _split_line(line, offset + position):
                sentences.append(_new_tuple(Sentence, (piece, start, zone)))
        position += len(line) + 1
    return sentences
