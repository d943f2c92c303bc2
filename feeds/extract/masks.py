"""Masked sentences: every name becomes one private-use character.

Event patterns then read like grammar ("<GROUP> ... partners with <GROUP>") and run on
short strings: an organisation is a character in ``\\ue100-\\ue1ff``, a product one in
``\\ue200-\\ue2ff``. `build` expands ``<GROUP>``, ``<O>``, ``<FILL6>`` ... in a pattern.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field

from aiwatch.feeds.extract.keys import KeyText
from aiwatch.feeds.extract.names import Mention
from aiwatch.feeds.extract.sentences import Sentence
from aiwatch.feeds.knowledge.base import ProductInfo

ORG_BASE, PRODUCT_BASE, MODIFIER_BASE, LIMIT = 0xE100, 0xE200, 0xE300, 0xFF
_PLACEHOLDER = re.compile("[\ue100-\ue2ff]")
_FIRST_PRODUCT = chr(PRODUCT_BASE)  # placeholders below it are organisations
_ANY_PLACEHOLDER = re.compile("[\ue100-\ue3ff]")
# "OpenAI rival Anthropic", "Microsoft-backed OpenAI": the first name only describes the second.
_MODIFIER = re.compile(
    "([\ue100-\ue1ff])(?:'s)?(?:\\s+|-)(?:rival|competitor|challenger|backer|owner|parent|"
    "investor|subsidiary|unit|spinoff|spin-off|peer|backed|owned|funded|affiliated)\\s+(?=[\ue100-\ue1ff])"
)
# A `_MODIFIER` match has one of these as a whole word of the sentence ("spin" of "spin-off").
_MODIFIER_WORDS = frozenset(
    re.findall(
        r"\S+",
        "rival competitor challenger backer owner parent investor subsidiary unit spinoff spin "
        "peer backed owned funded affiliated",
    )
)
# A word of a fill or group: possessive (``++``), as a shorter run would leave one of its characters where
# the ``\s+`` after it must start; the engine then never tries one (same matches, less work).
_WORD = r"[^\s;:()\[\]\"\ue100-\ue1ff]++"
_STOP_IN_GROUP = (
    r"(?!(?:which|who|that|while|but|said|says|to|with|in|on|for|against|by|from|of)\b)"
)
_BLOCKS = {
    "O": "[\ue100-\ue1ff]",
    "P": "[\ue200-\ue2ff]",
    "M": "[\ue100-\ue2ff]",
    "POS": r"(?:'s?)?",
    "GROUP": (
        r"[\ue100-\ue1ff](?:'s?)?(?:(?:\s*,\s*(?:and\s+|as\s+well\s+as\s+)?|\s+(?:and|&|plus|or)\s+"
        r"|\s+as\s+well\s+as\s+)(?:(?:the|its|their|both)\s+)?(?:"
        + _STOP_IN_GROUP
        + _WORD
        + r"\s+){0,2}?[\ue100-\ue1ff](?:'s?)?)*"
    ),
    "APPOS": r"(?:\s*,\s*(?P<appos>[^,;]{1,90}?)\s*,)?",
}
_INCLUDING = re.compile(r"^(?:including|such as|led by|along with|like)\b", re.I)
# Clause boundaries, matched on lower-cased text. A weak boundary (", and", parentheses)
# also separates the clauses of one sentence for product status.
_SPLITS = (
    r"\s*;\s*|\s+-\s+|,\s+(?=(?:but|while|whereas|although|though|however|yet|even as|after|"
    r"days after|weeks after|months after)\b)|\s(?=(?:but|although|though|whereas)\s)"
)
STRONG_SPLIT = re.compile(_SPLITS)
FINE_SPLIT = re.compile(_SPLITS + r"|,\s+(?=(?:and|which)\b)|\(|\)")
# What each boundary needs: ";" (or a word of `_ANY_SPLIT_WORDS`) anywhere, a comma and
# a word of `_COMMA_SPLIT_WORDS`, or a dash with a space on each side; a fine boundary
# may also be a parenthesis or a comma before "and"/"which".
_ANY_SPLIT_WORDS = ("but", "though", "whereas")
_COMMA_SPLIT_WORDS = ("while", "however", "yet", "even as", "after")
_SPACED_DASH = re.compile(r"\s-\s")


def build(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """Compile ``pattern`` after expanding ``<NAME>`` and ``<FILLn>`` blocks.

    Rules are written in lower case and run on lower-cased text (see `lowered`).
    """

    def expand(match: re.Match[str]) -> str:
        name, count = match.group(1), match.group(2)
        if name == "FILL":
            return rf"(?:{_WORD}\s+){{0,{count}}}?"
        return _BLOCKS[name]

    return re.compile(re.sub(r"<([A-Z]+)(\d*)>", expand, pattern), flags)


@dataclass(slots=True)
class Masked:
    """A sentence with its names replaced by placeholder characters."""

    sentence: Sentence
    text: str
    mentions: dict[str, Mention]
    cache: dict[str, list[str]] = field(default_factory=dict)
    _keys: KeyText | None = field(default=None, init=False, repr=False)
    _lower: str | None = field(default=None, init=False, repr=False)
    _lows: dict[str, str] = field(default_factory=dict, init=False, repr=False)

    def mention(self, char: str) -> Mention | None:
        """The mention behind a placeholder character."""
        return self.mentions.get(char)

    def names(self, span: str, *, products_as_makers: bool = False) -> list[str]:
        """Canonical organisation names in ``span``, in order, without repeats."""
        names: list[str] = []
        for char in _PLACEHOLDER.findall(span):
            mention = self.mentions.get(char)
            if mention is None:
                continue
            if mention.is_org:
                name = mention.name
            elif products_as_makers and isinstance(mention.entity, ProductInfo):
                name = mention.entity.maker
            else:
                continue
            if name not in names:
                names.append(name)
        return names

    def org_count(self) -> int:
        """How many organisations the text names (`names` of the whole text, counted)."""
        text = self.text
        return len({m.name for c, m in self.mentions.items() if c < _FIRST_PRODUCT and c in text})

    def orgs(self, span: str) -> list[Mention]:
        """Organisation mentions in ``span``."""
        found = (self.mentions.get(char) for char in _PLACEHOLDER.findall(span))
        return [m for m in found if m is not None and m.is_org]

    def unmask(self, span: str) -> str:
        """``span`` with placeholders turned back into the names as written."""
        if span == self.text:  # every placeholder stands for its original span
            return self.sentence.text

        def back(match: re.Match[str]) -> str:
            mention = self.mentions.get(match.group())
            if mention is None:
                return ""
            start = mention.start - self.sentence.start
            return self.sentence.text[start : start + mention.end - mention.start]

        return _ANY_PLACEHOLDER.sub(back, span)

    def key_text(self) -> KeyText:
        """The text in lower case, prepared for rule selection; cached."""
        if self._keys is None:
            self._keys = KeyText(self.lower())
        return self._keys

    def lower(self) -> str:
        """``text.lower()``, made once: a masked text is not ASCII (its placeholders), and
        lower-casing it goes character by character. The masked text of an ASCII sentence
        is ASCII and placeholders, which have no case: lower-casing its UTF-8 bytes (only
        ``A``-``Z`` change) gives the same text, at C speed for the ASCII bytes."""
        if self._lower is None:
            if self.sentence.text.isascii():
                self._lower = self.text.encode().lower().decode()
            else:
                self._lower = self.text.lower()
        return self._lower

    def lowered(self, text: str) -> str:
        """`lowered` ``text`` (the masked text or one of its clauses), made once for each:
        the rules of partnerships, products and cases all read the same clauses."""
        low = self._lows.get(text)
        if low is None:
            low = self._lows[text] = lowered(text, self.lower() if text is self.text else None)
        return low

    def clauses(self, *, fine: bool = False) -> list[str]:
        """The masked clauses, split at strong (or also weak) boundaries; cached."""
        key = "fine" if fine else "strong"
        cached = self.cache.get(key)
        if cached is None:
            pieces = _split(self.text, self.lower(), FINE_SPLIT if fine else STRONG_SPLIT)
            self._lows.update(pieces)
            cached = self.cache[key] = [piece for piece, _ in pieces]
        return cached


def _split(text: str, lower: str, splitter: re.Pattern[str]) -> list[tuple[str, str]]:
    """The clauses of ``text`` (whose ``lower()`` is ``lower``), each with its `lowered`
    form: a slice of ``lower`` where lower case keeps the length (a clause is cut at a
    space, ";", ",", "-" or a parenthesis, none of which a letter's case mapping reads
    across: "Σ" is "σ" or "ς" by the letters beside it), else the clause lowered alone."""
    same = len(lower) == len(text)
    low = lower if same else text
    if not _may_split(low, fine=splitter is FINE_SPLIT):
        return [(text, low)] if text.strip() else []
    cuts, start = [], 0
    for boundary in splitter.finditer(low):
        cuts.append((start, boundary.start()))
        start = boundary.end()
    cuts.append((start, len(text)))
    clauses = []
    for begin, end in cuts:
        clause = text[begin:end]
        if clause.strip():
            clauses.append((clause, low[begin:end] if same else lowered(clause)))
    return clauses


def _may_split(low: str, *, fine: bool) -> bool:
    """Whether a boundary of `STRONG_SPLIT` (or `FINE_SPLIT`) may occur in ``low``."""
    contains = low.__contains__
    if ";" in low or any(map(contains, _ANY_SPLIT_WORDS)):
        return True
    comma = "," in low
    if comma and any(map(contains, _COMMA_SPLIT_WORDS)):
        return True
    if fine and ("(" in low or ")" in low or (comma and ("and" in low or "which" in low))):
        return True
    return "-" in low and _SPACED_DASH.search(low) is not None


_ATTRIBUTION = re.compile(
    r",?\s*according\s+to\s+(?:the\s+)?[\ue100-\ue1ff](?:'s)?(?:\s+\w+){0,2}"
    r"|,\s*(?:the\s+)?[\ue100-\ue1ff]\s+(?:reported|reports|said|says|wrote|noted|told)\b[^,]*",
    re.IGNORECASE,
)
_ATTRIBUTION_WORDS = ("according", "reported", "reports", "said", "says", "wrote", "noted", "told")


def without_attribution(clause: str) -> str:
    """A masked clause without its source (", Reuters reported", "according to the NYT"):
    an outlet that reports a case or a deal is not a party to it."""
    if not any(map(clause.__contains__, _ATTRIBUTION_WORDS)):  # the tests in C
        return clause
    return _ATTRIBUTION.sub("", clause)


def lower_re(pattern: str) -> re.Pattern[str]:
    """Compile ``pattern`` in lower case (escapes and group syntax kept) for use on
    lower-cased text: much faster than ``re.IGNORECASE``."""
    return re.compile(_LETTERS.sub(_lower_letters, pattern))


_LETTERS = re.compile(r"\(\?P[<=]\w+|\\.|[A-Z]+")


def _lower_letters(match: re.Match[str]) -> str:
    text = match.group()
    return text if text.startswith(("(?P", "\\")) else text.lower()


def lowered(text: str, lower: str | None = None) -> str:
    """``text`` in lower case when that keeps every offset, else unchanged (``lower``: its
    ``lower()``, when made already)."""
    low = text.lower() if lower is None else lower
    return low if len(low) == len(text) else text


def mask(
    sentence: Sentence, mentions: list[Mention], words: Collection[str] | None = None
) -> Masked:
    """Replace each mention inside ``sentence`` by a placeholder character.

    ``words`` (the sentence's lower-case words) lets a sentence without a modifier word
    ("rival", "backed" ...) skip the search for "<name> rival <name>".
    """
    parts: list[str] = []
    table: dict[str, Mention] = {}
    position = sentence.start
    end = sentence.end  # once: a Python call
    for number, mention in enumerate(mentions[:LIMIT]):
        if mention.start < position or mention.end > end:
            continue
        char = chr((ORG_BASE if mention.is_org else PRODUCT_BASE) + number)
        table[char] = mention
        parts.append(sentence.text[position - sentence.start : mention.start - sentence.start])
        parts.append(char)
        position = mention.end
    parts.append(sentence.text[position - sentence.start :])
    text = "".join(parts)
    if len(table) > 1 and (words is None or not _MODIFIER_WORDS.isdisjoint(words)):
        text = _MODIFIER.sub(lambda m: _demote(m, table), text)
    return Masked(sentence, text, table)


def _demote(match: re.Match[str], table: dict[str, Mention]) -> str:
    char = match.group(1)
    modifier = chr(ord(char) - ORG_BASE + MODIFIER_BASE)
    table[modifier] = table[char]
    return modifier + match.group()[1:]


def group_names(
    masked: Masked,
    match: re.Match[str],
    group: str,
    *,
    appositive: bool = False,
    products_as_makers: bool = False,
) -> list[str]:
    """Names in a named group, plus those of an "including ..." appositive after it."""
    groups = match.re.groupindex  # not `groupdict()`, which builds a dict per call
    span = match.group(group) if group in groups else None
    names = masked.names(span, products_as_makers=products_as_makers) if span else []
    appos = match.group("appos") if appositive and "appos" in groups else None
    if appos and _INCLUDING.match(appos.strip()):
        names += [n for n in masked.names(appos) if n not in names]
    return names
