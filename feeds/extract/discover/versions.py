"""New versions of known families: "Gemini 3.7 Flash", "Kimi K3", "Qwen3.7-Max", "Cursor 2.0".

The anchor is a known product ("Gemini", "Veo 3"), the stem of a known versioned family
("GPT" of GPT-5, "Qwen" of Qwen2.5, also glued: "Qwen3.7"), or a known company followed
directly by a version ("DeepSeek V4", "Mistral Large 3"). The name runs on over version
numbers, editions ("Flash", "Pro", "mini") and - in ordinary sentences, not in Title Case
headlines, where every word is capitalised - capitalised words ("Gemini 3.5 Live
Translate", "GPT-5.6 Sol"). A list that shares the family ("Gemini 3.6 Flash, 3.5
Flash-Lite, and 3.5 Flash Cyber") names one product per item.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import TYPE_CHECKING

from aiwatch.feeds.extract.discover.shapes import STOP, TIERS, is_version
from aiwatch.feeds.extract.names import Mention
from aiwatch.feeds.knowledge.base import KnowledgeBase, OrgInfo, ProductInfo

if TYPE_CHECKING:
    from aiwatch.feeds.extract.discover import Document

# One token of a name after the anchor: separated by a space or hyphen, or glued to the
# letters before it when it starts with a digit ("Qwen3").
_NEXT = re.compile(
    r"(?:[ -]|(?<=[A-Za-z])(?=\d))([vVkKrRmMoO]?\d{1,3}(?:\.\d{1,3}){0,2}[a-z]?(?![\w.]*\d)"
    r"|\d+(?:\.\d+)?[BMT]|[A-Za-z][A-Za-z0-9]*)\b"
)
_NAME_ENDS = re.compile(r"\s*(?:$|\n|:\s)")
_COUNT = re.compile(
    r"\s+(?:thousand|million|billion|trillion|percent|per\s+cent)\b|%", re.IGNORECASE
)
_SIZE = re.compile(r"\d+(?:\.\d+)?[BMT]")
_FOR = re.compile(r"\s+[A-Z][A-Za-z0-9]+(?:\s+[A-Z][A-Za-z0-9]+){0,2}\b")
_LIST_NEXT = re.compile(r"(?:\s*,\s*(?:and\s+)?|\s+(?:and|or)\s+|\s*/\s*)(?=[vVkK]?\d)")
_STEM = re.compile(r"([A-Za-z][A-Za-z]+?)(?=[ -]?\d)")
_SPELLING = re.compile(r"([A-Za-z][A-Za-z]+?)([ -]?)(?=\d)")
_STEM_NEXT = re.compile(r"[ -]?\d|[ -][A-Z]")
_GLUED = re.compile(r"([A-Z][A-Za-z]+)\d")
_ORG_VERSION = re.compile(r"[ -](?:[vVkKrRmM]?\d|(?:Large|Small|Medium|Pro|Max|Ultra)\s+\d)")
# What may follow a name for `extend` to read on: a version, an edition, a capital.
_EXTENDS = re.compile(
    r"(?:[ -](?:[vVkKrRmMoO]?\d|[A-Z]|mini\b|nano\b|preview\b)|(?<=[A-Za-z])\d| for [A-Z])"
)
_SPACE_OR_HYPHEN = frozenset({" ", "-"})
_BEFORE_VERSION = re.compile(r"[ -]?(?=[vVkK]?\d)")
_MAX_TOKENS = 6
_NOT_PART = STOP | {"AI", "API", "LLM", "LLMs", "GPU", "GPUs"}  # said of a name, not part of it


class _Families:
    """The stems of a knowledge base's versioned products, with the newest of each."""

    def __init__(self, kb: KnowledgeBase) -> None:
        stems: dict[str, ProductInfo] = {}
        separators: dict[str, Counter[str]] = {}
        for product in kb.products():
            spelled = _SPELLING.match(product.name)
            if spelled:
                separators.setdefault(spelled.group(1), Counter())[spelled.group(2)] += 1
            match = _STEM.match(product.name)
            stem = match.group(1) if match else None
            if stem is None and product.name.isalpha() and product.name[:1].isupper():
                stem = product.name
            if stem is None or len(stem) < 2 or not stem[0].isupper():
                continue
            if kb.organisation(stem) is not None:
                continue  # "Microsoft" of Microsoft 365: a company, read by the org anchor
            best = stems.get(stem)
            if best is None or (product.year or 0) > (best.year or 0):
                stems[stem] = product
        self.stems = stems
        self.lower = {stem.lower(): stem for stem in stems}
        self.lower_set = frozenset(self.lower)
        # How each family writes its versions: "GLM-4.5", "Qwen3", "Gemini 2.5".
        self.separator = {stem: counts.most_common(1)[0][0] for stem, counts in separators.items()}


def extend(text: str, end: int, *, title_case: bool, org: bool = False) -> tuple[int, int]:
    """Where a name starting before ``end`` ends once its version and editions are read,
    and how many version numbers it has; ``(end, 0)`` when nothing follows.

    After a company (``org``) the next token must be a version, or an edition and then
    a version ("Mistral Large 3"): "Google Cloud" is not a product. In a Title Case
    headline a capitalised word joins the name only when a version follows it ("Claude
    Fable 5") or the headline ends with it ("Introducing Gemini 3.5 Flash Cyber").
    """
    position, last, versions, editions, pending = end, end, 0, 0, 0
    for _ in range(_MAX_TOKENS):
        match = _NEXT.match(text, position)
        if match is None:
            break
        token = match.group(1)
        if token == "for" and not org:  # "Claude for Creative Work", "ChatGPT for Mac"
            edition = _FOR.match(text, match.end())
            if edition is not None:
                last = edition.end()
            break
        if is_version(token):
            if _COUNT.match(text, match.end()):
                break  # "1 trillion parameters", "2 million users"
            versions += 1
            last, pending = match.end(), 0
        elif token in TIERS or _SIZE.fullmatch(token):
            if pending:
                break  # "GPT-Live Puts Reasoning": an edition does not vouch for "Puts"
            editions += 1
            if not org or versions:
                last = match.end()
        elif token[0].isupper() and token not in _NOT_PART and pending < 2 and not org:
            if not title_case:
                last = match.end()  # "GPT-5.6 Sol", "Gemini Robotics", "Gemini 3.5 Live Translate"
            else:
                pending += 1  # kept only if a version follows: "Claude Fable 5"
        else:
            break
        position = match.end()
    if pending == 1 and (versions or editions) and _NAME_ENDS.match(text, position):
        last = position  # a headline that is the name: "Introducing Gemini 3.5 Flash Cyber"
    if org and not versions:
        return end, 0
    return last, versions


def _product(
    document: Document, start: int, end: int, family: ProductInfo, name: str = ""
) -> Mention:
    name = name or " ".join(document.text[start:end].split())
    spelled = _SPELLING.match(name)
    if spelled:  # the family's own spelling: "GLM5.2" and "GLM 5.2" are "GLM-5.2"
        separator = document.kb.derived(_Families).separator.get(spelled.group(1))
        if separator is not None:
            name = spelled.group(1) + separator + name[spelled.end() :]
    known = document.kb.lookup(name)
    if isinstance(known, ProductInfo):
        return Mention(start, end, known.name, known)
    maker = family.maker
    if family.weak:  # "Muse", "Kimi": an ordinary word; the sentence may name the maker
        document.fallback_makers[start] = maker
        maker = ""
    return Mention(start, end, name, ProductInfo(name, maker, family.modality), found_by="version")


def _listed(
    document: Document, stem_end: int, start: int, end: int, family: ProductInfo, title_case: bool
) -> list[Mention]:
    """ "Gemini 3.6 Flash, 3.5 Flash-Lite, and 3.5 Flash Cyber": the family's other items."""
    found: list[Mention] = []
    text = document.text
    stem = _BEFORE_VERSION.split(text[start:end], maxsplit=1)[0] or text[start:stem_end]
    while True:
        joint = _LIST_NEXT.match(text, end)
        if joint is None:
            return found
        item_end, versions = extend(text, joint.end() - 1, title_case=title_case)
        if not versions:
            return found
        name = f"{stem} {' '.join(text[joint.end() : item_end].split())}"
        found.append(_product(document, joint.end(), item_end, family, name))
        end = item_end


def _compounds(document: Document, families: _Families, makers: set[str]) -> list[Mention]:
    """Coined names built on a family: "DiffusionGemma", "ShieldGemma 2", "CodeLlama"
    (of a weak family only in an AI document that names its maker)."""
    found: list[Mention] = []
    text = document.text
    for match in document.shaped():
        word = match.group()
        for cut in range(3, len(word) - 2):
            stem = word[cut:]
            member = families.stems.get(stem)
            if member is None or not stem[0].isupper() or not word[:cut].isalpha():
                continue
            if (member.weak or member.strict) and member.maker not in makers:
                continue  # a coined spelling is no word; its maker still has to be named
            title_case = document.title_case(document.sentence_at(match.start()))
            end, _ = extend(text, match.end(), title_case=title_case)
            found.append(_product(document, match.start(), end, member))
            break
    return found


def find(document: Document) -> list[Mention]:
    """New versions of the knowledge base's families and companies."""
    kb, text = document.kb, document.text
    families = kb.derived(_Families)
    found: list[Mention] = []
    anchors: list[tuple[int, int, ProductInfo | None, str]] = []  # start, end, family, company
    makers: set[str] = set()
    for mention in document.known:
        entity = mention.entity
        # both patterns start with a space, a hyphen or (`_EXTENDS`) a digit
        follow = text[mention.end : mention.end + 1]
        if isinstance(entity, OrgInfo):
            makers.add(mention.name)
            if follow in _SPACE_OR_HYPHEN and _ORG_VERSION.match(text, mention.end):
                anchors.append((mention.start, mention.end, None, mention.name))
        elif (
            isinstance(entity, ProductInfo)
            and (follow in _SPACE_OR_HYPHEN or follow.isdigit())
            and _EXTENDS.match(text, mention.end)
        ):
            anchors.append((mention.start, mention.end, entity, ""))
    present = {families.lower[w] for w in families.lower_set & document.words.set}
    if present or document.shaped():
        for match in document.shaped():  # glued to its version: "Qwen3.7", "GLM5"
            glued = _GLUED.match(match.group())
            if glued and glued.group(1) in families.stems:
                present.add(glued.group(1))
        for stem in present:
            member = families.stems[stem]
            if (member.weak or member.strict) and not (document.ai and member.maker in makers):
                continue  # "Falcon 9" is SpaceX's unless the Falcon models' maker is named
            position = text.find(stem)
            while position >= 0:  # str.find, not a regex tried at every character
                end = position + len(stem)
                before = text[position - 1 : position]
                if (
                    not (before.isalnum() or before in "-_")
                    and _STEM_NEXT.match(text, end)
                    and _EXTENDS.match(text, end)
                ):
                    anchors.append((position, end, member, ""))
                position = text.find(stem, end)
        found += _compounds(document, families, makers)
    anchors.sort(key=lambda a: (a[0], -a[1]))
    taken = 0
    for start, end, family, company in anchors:
        if start < taken:
            continue
        title_case = document.title_case(document.sentence_at(start))
        new_end, versions = extend(text, end, title_case=title_case, org=bool(company))
        if new_end == end:
            continue
        if family is not None and (family.name_like or not document.ai):
            first = _NEXT.match(text, end)  # "Claude Shannon", "Llama Del Rey": people
            if first is None or not (is_version(first.group(1)) or first.group(1) in TIERS):
                continue
        if company:
            family = ProductInfo(company, company, "")
        assert family is not None
        found.append(_product(document, start, new_end, family))
        if versions:
            found += _listed(document, end, start, new_end, family, title_case)
        taken = found[-1].end
    return found
