"""Datelines and first sentences: how a seed without a headline is titled and dated.

Press releases and wire copy open with a dateline — ``SAN FRANCISCO, March 3, 2025 —``,
``Nov 25 (Reuters) -``, ``LONDON, Jan. 5 (Reuters) -``, ``March 3, 2025 /PRNewswire/ --``,
``WASHINGTON (AP) —``, ``SAN FRANCISCO--(BUSINESS WIRE)--`` — and say the news in their
first sentence. A dateline without a year means the latest such day not after the file
was written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

MAX_TITLE = 160
_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_YEAR = r"(?:19|20)\d\d"
_DATE = (
    rf"(?:(?P<month>{_MONTH})\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<year>{_YEAR}))?"
    rf"|(?P<day2>\d{{1,2}})\s+(?P<month2>{_MONTH})(?:,?\s+(?P<year2>{_YEAR}))?"
    rf"|(?P<iso>{_YEAR}-\d\d-\d\d))"
)
_AGENCY = (
    r"(?:\((?:Reuters|AP|AFP|Bloomberg|Business\s?Wire|BUSINESS\s?WIRE|PR\s?Newswire|"
    r"GLOBE\s?NEWSWIRE|Globe\s?Newswire|dpa|Xinhua|UPI)\)|/(?:PR\s?Newswire|PRNewswire|"
    r"Business\s?Wire|GLOBE\s?NEWSWIRE)/)"
)
_PLACE = r"(?P<place>[A-Z][A-Za-z.'-]*(?:[ -][A-Z][A-Za-z.'-]*){0,3}(?:,\s*[A-Z][A-Za-z.]*){0,2})"
_DASH = r"(?:—|–|--|-|:)"
_DATELINE = re.compile(
    rf"^\s*(?:{_PLACE}\s*,?\s*)?(?:{_DASH}\s*)?(?:{_DATE}\s*)?(?P<agency>{_AGENCY})?\s*{_DASH}+\s*"
)
_ABBREVIATION = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Prof|Inc|Corp|Co|Ltd|Jr|Sr|St|vs|No|Gov|Sen|Rep|Gen|approx|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)|\b[A-Z]|\b(?:[A-Za-z]\.)+[A-Za-z])$"
)
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9])")


@dataclass(frozen=True, slots=True)
class Dateline:
    """What opens a text: its date (if it gives one) and where the prose starts."""

    published: datetime | None
    end: int


def dateline(text: str, *, written: datetime | None = None) -> Dateline | None:
    """The dateline ``text`` opens with, or ``None``.

    ``written`` (default: now) places a date without a year: the latest such day not
    more than a day after it.
    """
    match = _DATELINE.match(text[:200])
    if match is None:
        return None
    place, agency = match.group("place"), match.group("agency")
    has_date = bool(match.group("month") or match.group("month2") or match.group("iso"))
    letters = "".join(ch for ch in place or "" if ch.isalpha())
    shouting = len(letters) >= 4 and letters.isupper()  # "WASHINGTON —", not "AI —"
    if not (has_date or agency or shouting) or match.end() > 120:
        return None
    if place and not (shouting or has_date or agency):
        return None
    return Dateline(_date(match, written or datetime.now(UTC)) if has_date else None, match.end())


def _date(match: re.Match[str], written: datetime) -> datetime | None:
    if match.group("iso"):
        try:
            return datetime.fromisoformat(match.group("iso")).replace(hour=12, tzinfo=UTC)
        except ValueError:
            return None
    month_name = match.group("month") or match.group("month2")
    day = int(match.group("day") or match.group("day2"))
    year_text = match.group("year") or match.group("year2")
    month = _MONTHS[month_name[:3].lower()]
    years = [int(year_text)] if year_text else [written.year + 1, written.year, written.year - 1]
    for year in years:
        try:
            when = datetime(year, month, day, 12, tzinfo=UTC)
        except ValueError:
            continue
        if year_text or when <= written + timedelta(days=1):
            return when
    return None


def first_sentence(text: str, *, limit: int = MAX_TITLE) -> str:
    """The text's first sentence (abbreviations such as "U.S." and "Inc." do not end one),
    cut at a word to at most ``limit`` characters."""
    text = " ".join(text.split())
    for end in _SENTENCE_END.finditer(text, 0, min(len(text), limit * 4)):
        if not _ABBREVIATION.search(text[: end.start()]):
            text = text[: end.start() + 1]
            break
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:—–- ")
    return cut + "…"
