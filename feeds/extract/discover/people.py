"""People named in an article: next to role words ("CEO Sam Altman") and speech verbs."""

from __future__ import annotations

import re

from aiwatch.feeds.extract.discover.shapes import NAME_STOP
from aiwatch.feeds.extract.names import Mention

_PERSON = r"([A-Z][a-z]+(?:[ -][A-Z][a-z']+(?:\.)?){1,2})"
# One scan finds the anchors (a role word or a speech verb); the name is then read right
# before or after the anchor, so no pattern has to be tried at every capital letter.
_ANCHOR_WORDS = frozenset(
    re.findall(
        r"\S+",
        """
        ceo cto coo cfo chief founder co-founder cofounder president head director chair
        chairman chairwoman spokesperson spokesman spokeswoman professor analyst judge
        executive vice justice senator governor commissioner secretary comedian author
        artist magistrate musk said says told wrote posted announced
        """,
    )
)
_NAME_AFTER = re.compile(rf"\s+{_PERSON}")
_NAME_BEFORE_ROLE = re.compile(rf"{_PERSON},\s+(?:the\s+|an?\s+)?(?:[\w.&-]+(?:'s)?\s+){{0,3}}?$")
_NAME_BEFORE_VERB = re.compile(rf"{_PERSON}\s+$")
_SPEECH = frozenset({"said", "says", "told", "wrote", "posted", "announced"})
_NOT_PERSON = frozenset(["District", "Court", "Circuit", "Appeals", "Judge", "Chief", "Officer"])


def _people_near(
    text: str, start: int, end: int, speech: bool, title_end: int
) -> list[re.Match[str]]:
    if speech:  # "Sam Altman said": the name comes right before
        found = _NAME_BEFORE_VERB.search(text, max(title_end, start - 40), start)
        return [found] if found else []
    begin = max(title_end, start - 90)
    # the name before a role ends at a comma ("Jane Doe, the company's chief ..."): the
    # search, tried at every character of the window, runs only where there is one
    before = (
        _NAME_BEFORE_ROLE.search(text, begin, start) if text.find(",", begin, start) >= 0 else None
    )
    after = _NAME_AFTER.match(text, end)
    return [m for m in (after, before) if m is not None]


def people_in(text: str, title_end: int, known: list[Mention], words: frozenset[str]) -> list[str]:
    """Named people, found cheaply next to role words and speech verbs (not in the title)."""
    present = words & _ANCHOR_WORDS
    if not present:
        return []
    low = text.lower()
    if len(low) != len(text):
        return []
    found: dict[str, int] = {}
    for word in present:
        position = low.find(word, title_end)
        while position >= 0:
            end = position + len(word)
            if (position == 0 or not low[position - 1].isalnum()) and (
                end == len(low) or not low[end].isalnum()
            ):
                for match in _people_near(text, position, end, word in _SPEECH, title_end):
                    if _plausible(match, known):
                        name = match.group(1)
                        found[name] = min(found.get(name, match.start(1)), match.start(1))
                        break
            position = low.find(word, end)
    return sorted(found, key=lambda name: (found[name], name))


def _plausible(match: re.Match[str], known: list[Mention]) -> bool:
    name, begin = match.group(1), match.start(1)
    parts = name.split()
    if parts[0] in NAME_STOP or _NOT_PERSON.intersection(parts):
        return False
    return not any(m.start < begin + len(name) and begin < m.end for m in known)
