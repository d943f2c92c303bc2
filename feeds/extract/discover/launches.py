"""Products named by their launch: "Moonshot AI introduced Kimi K3, a 2.8 trillion-parameter
vision-language model", "OpenAI unveiled a new "Responses API"", "Introducing Claude for
Small Business", "FutureHouse released the open-source Robin drug-repurposing agent".

A capitalised name after a launch verb is a product only when it looks like one: it is
quoted, carries a version or a coined spelling ("DSpark", "ESMFold2"), starts with a
known family, or a product noun stands right after it or in its appositive ("X, a
vision-language model"). In a Title Case headline only the first four tests count, since
every word there is capitalised.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from aiwatch.feeds.extract.discover.shapes import (
    NAME,
    PRODUCT_NOUNS,
    QUOTED,
    STOP,
    is_coined,
    is_version,
    tidy_name,
)
from aiwatch.feeds.extract.names import Mention
from aiwatch.feeds.knowledge.base import ProductInfo

if TYPE_CHECKING:
    from aiwatch.feeds.extract.discover import Document

_VERB = re.compile(
    r"\b(?:[Ii]ntroduc(?:e|es|ed|ing)|[Ll]aunch(?:es|ed|ing)?|[Uu]nveil(?:s|ed|ing)?|"
    r"[Rr]eleas(?:e|es|ed|ing)|[Dd]ebut(?:s|ed|ing)?|[Aa]nnounc(?:e|es|ed|ing)|"
    r"[Rr]oll(?:s|ed|ing)?\s+out|[Ss]hip(?:s|ped|ping)?|[Oo]pen-sourc(?:e|es|ed|ing)|"
    r"[Pp]review(?:s|ed|ing)?|[Uu]pgrad(?:e|es|ed|ing)|[Rr]evamp(?:s|ed|ing)?)\s+"
    r"(?:(?:a|an|the|its|their|our|two|three|four|new|latest|first|next-generation|open|"
    r"open-source|open-weights?|closed|experimental|updated|upgraded|improved|free|paid|"
    r"faster|smaller|larger|AI|AI-powered|family\s+of|version\s+of|[\w-]+-(?:based|powered|"
    r"parameter|source|weights))\s+){0,5}"
)
_VERB_WORDS = frozenset(
    [
        "introduce",
        "introduces",
        "introduced",
        "introducing",
        "launch",
        "launches",
        "launched",
        "launching",
        "unveil",
        "unveils",
        "unveiled",
        "unveiling",
        "release",
        "releases",
        "released",
        "releasing",
        "debut",
        "debuts",
        "debuted",
        "debuting",
        "announce",
        "announces",
        "announced",
        "announcing",
        "roll",
        "rolls",
        "rolled",
        "rolling",
        "ship",
        "ships",
        "shipped",
        "shipping",
        "open-source",
        "open-sourced",
        "previews",
        "previewed",
        "previewing",
        "upgrade",
        "upgrades",
        "upgraded",
        "revamp",
        "revamps",
        "revamped",
    ]
)
_APPOSITIVE = re.compile(
    r",\s+(?:a|an|its|the|their|our)\s+(?:(?!(?:that|which|who|to|for|with)\b)[\w.-]+\s+){0,6}"
    r"[\w-]+\b"
)
_OWNER = re.compile(r"^[^\s']+['’]s\s+")
_AFTER = re.compile(r"\s+(?:[a-z][\w-]*\s+){0,2}[a-z][\w-]*\b")


def _product_like(document: Document, name: str, end: int, title_case: bool, quoted: bool) -> bool:
    words = name.split()
    if (
        quoted
        or any(is_version(w) for w in words)
        or any(is_coined(w) for w in re.split(r"[\s-]", name))
    ):
        return True
    first = document.kb.lookup(words[0])
    if isinstance(first, ProductInfo):
        return True
    if title_case:
        return False
    text = document.text
    appositive = _APPOSITIVE.match(text, end)
    if appositive and not PRODUCT_NOUNS.isdisjoint(appositive.group().lower().split()):
        return True
    after = _AFTER.match(text, end)
    return bool(after and not PRODUCT_NOUNS.isdisjoint(after.group().lower().split()))


def _verbs(document: Document) -> list[re.Match[str]]:
    """`_VERB` matches, tried only where a launch verb of the document's words stands."""
    text = document.text
    matches: list[re.Match[str]] = []
    for word in document.words.set & _VERB_WORDS:
        for spelled in (word, word.capitalize()):
            position = text.find(spelled)
            while position >= 0:
                match = _VERB.match(text, position)
                if match is not None and (position == 0 or not text[position - 1].isalnum()):
                    matches.append(match)
                position = text.find(spelled, position + len(spelled))
    return sorted(matches, key=lambda m: m.start())


def find(document: Document) -> list[Mention]:
    """Products named where they are launched."""
    if not document.ai or _VERB_WORDS.isdisjoint(document.words.set):
        return []
    text = document.text
    found: list[Mention] = []
    for verb in _verbs(document):
        index = document.sentence_at(verb.start())
        title_case = document.title_case(index)
        quoted = QUOTED.match(text, verb.end())
        match = quoted or NAME.match(text, verb.end())
        if match is None:
            continue
        name = tidy_name(match.group("name"))
        owner = _OWNER.match(name)
        if owner:  # "OpenAI's New Open Models": the name is what follows the owner
            name = name[owner.end() :]
        if len(name) < 2 or name in STOP or not (name[0].isupper() or name[0].isdigit()):
            continue  # a quoted phrase ("ahead of schedule") is no name
        start = text.find(name, match.start("name"))
        end = start + len(name)
        if not _product_like(document, name, end, title_case, quoted is not None):
            continue
        known = document.kb.lookup(name)
        if known is not None:
            continue  # the knowledge base's own name: the matcher has it
        found.append(Mention(start, end, name, ProductInfo(name, "", ""), found_by="launch"))
    return found
