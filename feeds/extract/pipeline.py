"""The extraction pipeline: text -> sentences -> names -> events -> one `Extraction`."""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import replace

from aiwatch.feeds.extract import cases as case_rules
from aiwatch.feeds.extract.assemble import Found, assemble
from aiwatch.feeds.extract.discover import Document, discover
from aiwatch.feeds.extract.discover.people import people_in
from aiwatch.feeds.extract.generic import generic_mentions
from aiwatch.feeds.extract.lawsuit_rules import DESCRIPTORS
from aiwatch.feeds.extract.legal import claims_of, court_of, docket_of, ruling_of, stage_of
from aiwatch.feeds.extract.masks import mask
from aiwatch.feeds.extract.merge import update_case
from aiwatch.feeds.extract.names import BY_START, Mention, matcher_for
from aiwatch.feeds.extract.partnerships import extract_partnerships, publisher_deals
from aiwatch.feeds.extract.products import extract_products
from aiwatch.feeds.extract.sentences import Sentence, normalize, spans, split_sentences
from aiwatch.feeds.extract.stories import zoned
from aiwatch.feeds.extract.support import resolve_weak
from aiwatch.feeds.extract.vocab import LEGAL_WORDS, mentions_ai
from aiwatch.feeds.extract.words import Words
from aiwatch.feeds.knowledge.base import KnowledgeBase, ProductInfo
from aiwatch.feeds.records import ArticleRecord, Extraction, ProductFact

_CASE_REFERENCE = re.compile(
    r"^(?:The|That|This|Its|Their|A|An)\s+(?:[\w-]+\s+){0,2}?(?:lawsuit|suit|complaint|case|judge|"
    r"court|ruling|settlement|plaintiffs|claims?)\b"
)


REPORTING_ZONES = frozenset({"title", "headline", "lead"})
# "OpenAI introduced three new audio models in its Realtime API." - the names follow.
_LAUNCH_STEMS = ("ntroduc", "aunch", "nveil", "eleas", "ebut", "nnounc", "olled out", "hip")
_UNNAMED_LAUNCH = re.compile(
    r"\b(?:introduc|launch|unveil|releas|debut|announc|roll(?:s|ed)?\s+out|ship)\w*\s+"
    r"(?:a\s+)?(?:two|three|four|five|six|seven|several|\d+|a\s+family\s+of|a\s+pair\s+of)\s+"
    r"(?:[\w-]+\s+){0,3}?(?:models|systems|tools|agents|versions|products|features)\b",
    re.IGNORECASE,
)
# Where an `_UNNAMED_LAUNCH` match can start: its verbs, in lower case.
_UNNAMED_STARTS = ("introduc", "launch", "unveil", "releas", "debut", "announc", "roll", "ship")


def _names_follow(text: str) -> bool:
    """Whether ``text`` launches an unnamed number of products (`_UNNAMED_LAUNCH`).

    The pattern starts with one of its verbs, so in ASCII text (where ``lower`` is exactly
    the pattern's case folding) it is tried only where one begins: searched over a whole
    sentence, the alternation is tried at every character.
    """
    if not text.isascii():
        return _UNNAMED_LAUNCH.search(text) is not None
    low = text.lower()
    for stem in _UNNAMED_STARTS:
        position = low.find(stem)
        while position >= 0:
            if _UNNAMED_LAUNCH.match(text, position):
                return True
            position = low.find(stem, position + 1)
    return False


HEADLINE_ZONES = frozenset({"title", "headline"})
_FRAGMENT = re.compile(r"(?:^|,\s+|:\s+|;\s+|\s[-–—|]\s)")
_POSSESSOR = re.compile(r"[^\s,:;]+(?:\s[^\s,:;]+){0,2}?['’]s?\s+$")


def _headline_products(sentence: Sentence, inside: list[Mention], publisher: str) -> set[str]:
    """Products a headline is about: the subject of the headline or of one of its parts
    ("Cursor 2.0", "Gemini 3.5: frontier intelligence", "Google's Gemma 3 is ...",
    "Kimi K3 Redraws the Open Frontier, Muse Spark 1.1 Undercuts Competitors"), when the
    product is news by itself: a name new to the knowledge base, a version, or the
    publisher's own product in its own feed."""
    text, start = sentence.text, sentence.start
    starts = [m.end() for m in _FRAGMENT.finditer(text)]
    found: set[str] = set()
    for mention in inside:
        entity = mention.entity
        if not isinstance(entity, ProductInfo):
            continue
        at = mention.start - start
        lead_in = next((at - s for s in reversed(starts) if s <= at), -1)
        subject = lead_in == 0 or (
            lead_in > 0 and _POSSESSOR.fullmatch(text, at - lead_in, at) is not None
        )
        own = bool(publisher) and entity.maker == publisher and sentence.zone == "title"
        new = bool(mention.found_by) or any(c.isdigit() for c in entity.name)
        if (subject and (new or own)) or (own and new):  # "Start building with Nano Banana 2"
            found.add(entity.name)
    return found


PROSE_ZONES = frozenset({"lead", "body"})


_TECH_PUBLISHERS = frozenset(
    {"ai-lab", "ai-company", "ai-infrastructure", "big-tech", "chip-maker"}
)


def _speaks_for_tech(kb: KnowledgeBase, publisher: str) -> bool:
    """A feed that speaks for an AI company or a big technology company is AI news."""
    org = kb.organisation(publisher) if publisher else None
    return org is not None and org.kind in _TECH_PUBLISHERS


_VERSIONED_HEAD = re.compile(r"^\S+?[ -]?\d[\d.]*")


def _family_launches(products: list[ProductFact], told: set[int]) -> list[ProductFact]:
    """New names of one versioned family launched together: when "GPT-5.6 Sol" or "AFM 3
    Core Advanced" is launched, "GPT-5.6 Terra" and "AFM 3 Cloud" told beside it in the
    news are too."""
    heads = {
        head.group()
        for p in products
        if p.is_launch and p.found_by and (head := _VERSIONED_HEAD.match(p.name))
    }
    if not heads:
        return products
    return [
        replace(p, status="announced", is_launch=True)
        if not p.is_launch
        and p.found_by
        and id(p) in told
        and (head := _VERSIONED_HEAD.match(p.name)) is not None
        and head.group() in heads
        else p
        for p in products
    ]


def _mentioned(product: ProductFact) -> ProductFact:
    """A product fact from a sentence that does not report the news: a launch cue there
    ("the recently released X", a detail paragraph) makes no launch."""
    if not product.is_launch:
        return product
    return replace(product, status="mentioned", is_launch=False)


def _document(parts: list[tuple[str, str]]) -> tuple[str, list[Sentence]]:
    texts: list[str] = []
    sentences: list[Sentence] = []
    offset = 0
    for zone, raw in parts:
        text = normalize(raw)
        if not text.strip():
            continue
        sentences.extend(split_sentences(text, offset, zone))
        texts.append(text)
        offset += len(text) + 1
    return "\n".join(texts), sentences


def _by_sentence(sentences: list[Sentence], mentions: list[Mention]) -> list[list[Mention]]:
    buckets: list[list[Mention]] = [[] for _ in sentences]
    ends = [start + len(text) for text, start, _ in sentences]
    count = len(sentences)
    position = 0
    for mention in mentions:
        at = mention.start
        while position < count and ends[position] <= at:
            position += 1
        if position < count and sentences[position].start <= at:
            buckets[position].append(mention)
    return buckets


_CLASS_WORDS = frozenset(word for d in DESCRIPTORS for word in d.split())
_SUIT_WORDS = frozenset(
    [
        "lawsuit",
        "lawsuits",
        "suit",
        "suits",
        "complaint",
        "class-action",
        "sued",
        "suing",
        "litigation",
    ]
)


def _plaintiffs_waiting(
    sentence: Sentence, sentence_words: Collection[str], kb: KnowledgeBase, found: Found
) -> None:
    """A lead sentence naming a class that sues and no company ("Artists defending a
    class-action lawsuit claim a win") leaves its plaintiffs for the next case."""
    if _SUIT_WORDS.isdisjoint(sentence_words) or _CLASS_WORDS.isdisjoint(sentence_words):
        return
    case_rules.extract_cases(
        mask(sentence, [], sentence_words), kb, ai_context=True, waiting=found.waiting
    )


def _follow_up(sentence: Sentence, found: Found) -> None:
    """A sentence about "the lawsuit" adds court, docket, claims or stage to the last case."""
    if not found.cases or sentence.zone == "insight":
        return
    text = sentence.text
    court, docket = court_of(text), docket_of(text)
    if not (_CASE_REFERENCE.match(text) or court or docket):
        return
    stage = stage_of(text)
    found.cases[-1] = update_case(
        found.cases[-1],
        court=court,
        docket=docket,
        claims=claims_of(text),
        stage=stage,
        ruling=ruling_of(text, stage),
    )


def _extract(parts: list[tuple[str, str]], kb: KnowledgeBase, publisher: str = "") -> Extraction:
    text, sentences = _document(zoned(parts))
    if not sentences:
        return Extraction()
    words = Words(text, spans(sentences))
    mentions = resolve_weak(matcher_for(kb).scan(text, words), sentences, text, publisher)
    title_end = next((s.start for s in sentences if s.zone != "title"), len(text))
    ai_context = (
        any(m.is_ai for m in mentions)
        or mentions_ai(words.set, words.lows)
        or _speaks_for_tech(kb, publisher)
    )
    mentions = discover(
        Document(kb, text, sentences, words, mentions, title_end, publisher, ai_context)
    )
    buckets = _by_sentence(sentences, mentions)
    legal_document = not words.set.isdisjoint(LEGAL_WORDS)
    found = Found()
    found.people = people_in(text, title_end, mentions, words.set)
    generic = "model" in text or "generator" in text
    everyone: list[Mention] = []
    discovered_products = any(m.found_by and not m.is_org for m in mentions)
    for number, (sentence, inside) in enumerate(zip(sentences, buckets, strict=True)):
        if generic and inside and ("model" in sentence.text or "generator" in sentence.text):
            extra = generic_mentions(kb, sentence, inside)
            if extra:  # a bucket is in document order already: sorting it alone changes nothing
                inside += extra
                inside.sort(key=BY_START)
        everyone.extend(inside)
        for mention in inside:
            found.evidence.setdefault(mention.name, sentence.text)
        if (
            discovered_products  # the window is read only for discovered products
            and sentence.zone in REPORTING_ZONES
            and any(map(sentence.text.__contains__, _LAUNCH_STEMS))
            and _names_follow(sentence.text)
        ):
            found.launch_window = number + 3  # the names follow this sentence
        if not inside:
            if legal_document and not found.cases and sentence.zone in REPORTING_ZONES:
                _plaintiffs_waiting(sentence, words.of_part(number, sentence.text), kb, found)
            _follow_up(sentence, found)
            continue
        # the sentence's words, as a set only where they are read
        sentence_words = words.of_part(number, sentence.text) if legal_document else None
        legal = sentence_words is not None and not LEGAL_WORDS.isdisjoint(sentence_words)
        orgs = {m.name for m in inside if m.is_org}
        has_products = len(orgs) < len(inside) and any(not m.is_org for m in inside)
        if not (legal or has_products or len(orgs) >= 2 or (publisher and orgs)):
            continue
        if sentence_words is None:
            sentence_words = words.of_part(number, sentence.text)
        masked = mask(sentence, inside, sentence_words)
        partnerships = extract_partnerships(masked, ai_context=ai_context) if len(orgs) > 1 else []
        if publisher and not partnerships and orgs:
            partnerships = publisher_deals(masked, publisher, ai_context=ai_context)
        if sentence.zone == "insight":  # speculation names no focus of its own
            partnerships = [replace(p, focus="") for p in partnerships]
        products = extract_products(masked, sentence_words) if has_products else []
        waiting = found.waiting if sentence.zone in REPORTING_ZONES else None
        cases = (
            case_rules.extract_cases(masked, kb, ai_context=ai_context, waiting=waiting)
            if legal
            else []
        )
        if sentence.zone in HEADLINE_ZONES and products:
            news = _headline_products(sentence, inside, publisher)
            products = [
                replace(p, status="announced", is_launch=True)
                if p.name in news and p.status == "mentioned"
                else p
                for p in products
            ]
        if sentence.zone in REPORTING_ZONES and products and 0 < number <= found.launch_window:
            products = [
                replace(p, status="announced", is_launch=True)
                if p.found_by and p.status == "mentioned"
                else p
                for p in products
            ]
        if sentence.zone not in REPORTING_ZONES:  # told in passing, not as the news
            partnerships = [replace(p, reported=False) for p in partnerships]
            products = [_mentioned(p) for p in products]
            cases = [replace(c, reported=False) for c in cases]
        if legal and not cases:
            _follow_up(sentence, found)
        if legal and sentence.zone in REPORTING_ZONES and not found.legal_news:
            found.legal_news = case_rules.about_a_lawsuit(sentence.text)
        if sentence.zone in REPORTING_ZONES:
            found.told.update(map(id, products))
        found.partnerships += partnerships
        found.products += products
        found.cases += cases
        eventful = partnerships or cases or any(p.status != "mentioned" for p in products)
        if eventful and sentence.zone in PROSE_ZONES and sentence.text not in found.key_points:
            found.key_points.append(sentence.text)
    insight_start = next((s.start for s in sentences if s.zone == "insight"), len(text))
    whole = insight_start == len(text)  # the prose is the whole text: its words are known
    prose = words.lows if whole else words.words_of(text[:insight_start])
    found.products = _family_launches(found.products, found.told)
    # An accusation is a case when the article's news is legal action ("Lawsuit: ...",
    # "a class action that was expanded Tuesday ... young girls accuse X"), else not news.
    found.cases = [
        c
        if c.kind != "accusation"
        else replace(c, kind="lawsuit")
        if found.legal_news and c.reported
        else replace(c, reported=False)
        for c in found.cases
    ]
    return assemble(prose, everyone, found, ai_context, words.set if whole else None)


def extract_text(
    text: str, kb: KnowledgeBase, *, title: str = "", publisher: str = ""
) -> Extraction:
    """Extract companies, events, topics and key points from plain text; ``publisher`` is
    the organisation the text speaks for ("we").

    Any text is handled (non-``str`` input counts as empty); an exception means a bug in
    the extractor, and callers record it on the article rather than store it bare.
    """
    return _extract(
        [
            ("title", title if isinstance(title, str) else ""),
            ("body", text if isinstance(text, str) else ""),
        ],
        kb,
        publisher,
    )


def extract_article(article: ArticleRecord, kb: KnowledgeBase) -> Extraction:
    """Extract from an article's title, summary, sections and, last, its insights.

    Raises only on an extractor bug (see `extract_text`).
    """
    parts = [("title", article.title)]
    summary = article.summary.strip()
    first = article.sections[0].text if article.sections else ""
    if summary and not _repeats(summary, first):  # a feed item's dek beside its content
        parts.append(("summary", article.summary))
    parts.extend(("body", section.text) for section in article.sections)
    for insight in article.insights:
        parts.append(("insight", "\n".join((insight.question, *insight.points))))
    return _extract(parts, kb, article.publisher)


def _repeats(summary: str, content: str) -> bool:
    """Whether a summary is the opening of the content, cut short ("… [...]")."""
    if not content:
        return False
    head = summary.rstrip(" .…[]").split("...")[0].strip()[:200]
    probe = " ".join(head.split()[-12:])
    return bool(probe) and probe in " ".join(content[: len(head) + 400].split())
