"""Plain, frozen records passed from `feeds/` to `store/`.

Nothing here knows about SQL or Textual: a feed entry or seed file becomes an
`ArticleRecord` as soon as it is parsed, and the extractor turns its text into an
`Extraction`. `store/` persists both; nothing downstream ever sees a
`FeedParserDict`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from datetime import datetime
from operator import attrgetter
from typing import Any, Literal, TypeVar

Certainty = Literal["fact", "rumour", "negated"]
"""How sure the text is: reported as fact, speculated/rumoured, or explicitly denied."""

_Record = TypeVar("_Record", bound=type)


def pickled_as_call(cls: _Record) -> _Record:
    """Pickle a frozen, slotted dataclass as a call of its constructor.

    Refresh results cross from the parse workers to the main process by the
    ten thousand. The default for ``slots=True`` dataclasses (``__getstate__``
    and ``__setstate__``) calls `dataclasses.fields` for every object; this is
    about three times cheaper to pickle and a quarter cheaper to unpickle.
    Every field must be an ``__init__`` argument, in declaration order.
    """
    names = [f.name for f in fields(cls)]
    values = attrgetter(*names) if len(names) > 1 else lambda record: (getattr(record, names[0]),)

    def __reduce__(self: Any) -> tuple[Callable[..., Any], tuple[Any, ...]]:
        return cls, values(self)

    cls.__reduce__ = __reduce__  # type: ignore[assignment]
    return cls


@pickled_as_call
@dataclass(frozen=True, slots=True)
class Section:
    """A named part of an article body, e.g. ``News Summary`` or ``Background``."""

    name: str
    text: str


@pickled_as_call
@dataclass(frozen=True, slots=True)
class Insight:
    """A question with its answer points (the seed's "In-Depth AI Insights")."""

    question: str
    points: tuple[str, ...]


@pickled_as_call
@dataclass(frozen=True, slots=True)
class ArticleRecord:
    """One article, from a seed file or a feed entry, with clean plain text only.

    Attributes:
        source: Where it came from: ``seed:<file name>`` or the feed URL.
        entry_key: Identity within the source: the seed file name, or the entry's
            guid, else its link, else a content hash. Never empty.
        url: Canonical http(s) link, or ``None``.
        title: One-line plain-text title.
        published: Publication time in UTC, or ``None`` when unknown/implausible.
        summary: Plain-text summary (for seeds, the first section's text).
        sections: Named sections of the body, in order.
        insights: Question/answer insights, in order.
        author: Plain-text author, may be empty.
        publisher: Canonical name of the organisation the source speaks for (a company's
            own news feed), or empty; "we" and "our" in the text mean it.
    """

    source: str
    entry_key: str
    url: str | None
    title: str
    published: datetime | None
    summary: str
    sections: tuple[Section, ...] = ()
    insights: tuple[Insight, ...] = ()
    author: str = ""
    publisher: str = ""

    @property
    def body(self) -> str:
        """All prose of the article, for extraction and search."""
        parts = [self.title, self.summary] if not self.sections else [self.title]
        parts.extend(section.text for section in self.sections)
        return "\n".join(part for part in parts if part)

    @property
    def content_hash(self) -> str:
        """A stable hash of what the reader sees; changes when the text changes."""
        digest = hashlib.sha256()
        for part in (self.title, self.url or "", self.summary):
            digest.update(part.encode("utf-8", "surrogatepass"))
            digest.update(b"\x00")
        for section in self.sections:
            digest.update(f"{section.name}\x00{section.text}\x00".encode("utf-8", "surrogatepass"))
        for insight in self.insights:
            digest.update(
                "\x00".join((insight.question, *insight.points)).encode("utf-8", "surrogatepass")
            )
        return digest.hexdigest()


@pickled_as_call
@dataclass(frozen=True, slots=True)
class CompanyMention:
    """An organisation named in the text.

    ``verified`` is true when the name resolved through the knowledge base; false
    for organisations detected only from context (``Acme Labs``, a party in
    ``X v. Y``), and then ``found_by`` says how (``suffix``, ``descriptor``,
    ``caption`` ...).
    """

    name: str
    verified: bool
    evidence: str
    kind: str = ""
    found_by: str = ""


@pickled_as_call
@dataclass(frozen=True, slots=True)
class PartnershipFact:
    """Two or more organisations teaming up, with the sentence that says so.

    ``parties`` are canonical names, sorted. ``kind`` is one of licensing,
    distribution, compute, investment, research, content, general. ``status`` is
    announced, expanded, amended, ended or rumoured. ``reported`` is true when the
    article reports the deal as its news, false when it only mentions it in passing.
    """

    parties: tuple[str, ...]
    focus: str
    kind: str
    status: str
    certainty: Certainty
    evidence: str
    reported: bool = True


@pickled_as_call
@dataclass(frozen=True, slots=True)
class ProductFact:
    """A product or model named in the text.

    ``status`` is released, announced, preview, hinted or mentioned;
    ``is_launch`` is true only when the text reports a launch/release/
    announcement/availability change rather than merely naming the product (the
    article reports it as news). ``verified`` is false for a name found in the text
    but not in the knowledge base; ``found_by`` then says how (``called``,
    ``introducing``, ``version`` ...).
    """

    name: str
    maker: str | None
    modality: str
    status: str
    is_launch: bool
    evidence: str
    verified: bool = True
    found_by: str = ""


@pickled_as_call
@dataclass(frozen=True, slots=True)
class CaseFact:
    """A lawsuit (or a lesser legal action) reported by the text.

    ``kind`` is lawsuit, cease-and-desist or accusation. ``stage`` is one of
    filed, motion-to-dismiss, discovery, summary-judgment, ruling, appeal,
    settled, dismissed. ``claims`` name the causes of action (copyright, DMCA,
    trademark, contract, privacy ...). ``reported`` is true when the article
    reports legal action in this case as news, false for a passing reference.
    """

    caption: str | None
    plaintiffs: tuple[str, ...]
    defendants: tuple[str, ...]
    court: str | None
    docket: str | None
    claims: tuple[str, ...]
    stage: str
    ruling: str | None
    kind: str
    certainty: Certainty
    evidence: str
    reported: bool = True


@pickled_as_call
@dataclass(frozen=True, slots=True)
class Extraction:
    """Everything the extractor found in one article."""

    companies: tuple[CompanyMention, ...] = ()
    partnerships: tuple[PartnershipFact, ...] = ()
    products: tuple[ProductFact, ...] = ()
    cases: tuple[CaseFact, ...] = ()
    topics: tuple[str, ...] = ()
    key_points: tuple[str, ...] = ()
    people: tuple[str, ...] = field(default=())
