"""The search language of ``/`` and ``aiwatch export --query``: words, phrases, fields, NOT, OR.

    company:Meta topic:litigation after:2025-06-01 "fair use"
    midjourney -lawsuit            (a word, and not another)
    sora OR veo  ·  (openai OR anthropic) licens*  ·  NOT company:Google

- Words and ``"quoted phrases"`` are searched in titles, the names of the
  companies and products an article mentions, summaries and bodies (stemmed:
  ``ruling`` finds ``rulings``); ``word*`` is a prefix.
- ``company:`` (``org:``), ``product:``, ``topic:`` (``tag:``), ``source:``
  (``feed:``), ``after:`` (``since:``) and ``before:`` (``until:``) narrow to
  articles that mention the company or product, carry the topic, came from a
  matching source, or were published on or after / before a date
  (``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``). Values may be quoted.
- Terms side by side must all match; ``OR`` (upper case) between two terms
  means either; ``-term`` or ``NOT term`` excludes; parentheses group.

`parse_query` returns the expression tree; plain ``company:``, ``topic:``,
``after:`` and ``before:`` terms at the top level are also what the ``c`` and
``t`` keys set, so `split_filters` lifts them out (the dashboard shows them as
its filters) and `format_query` writes a query back as text. Input is
bounded (`MAX_QUERY`, `MAX_TERMS`); nothing in it is ever pasted into SQL.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date

from aiwatch.store.read_models import Filter

MAX_QUERY = 500
"""Characters of a query that are read (the rest is ignored)."""
MAX_TERMS = 32
FIELDS = {
    "company": "company",
    "org": "company",
    "product": "product",
    "topic": "topic",
    "tag": "topic",
    "source": "source",
    "feed": "source",
    "after": "after",
    "since": "after",
    "before": "before",
    "until": "before",
}
DATE_FIELDS = ("after", "before")
FILTER_FIELDS = ("company", "topic", "after", "before")
"""Fields the dashboard's own filters hold (``c``, ``t`` and the date range)."""


class QueryError(ValueError):
    """A query that cannot mean anything (a bad date, an empty group)."""


@dataclass(frozen=True, slots=True)
class Word:
    """A word (``prefix``: ``word*``) or a quoted phrase."""

    text: str
    phrase: bool = False
    prefix: bool = False


@dataclass(frozen=True, slots=True)
class FieldTerm:
    """``field:value`` (``after``/``before`` values are ISO dates)."""

    field: str
    value: str


@dataclass(frozen=True, slots=True)
class Not:
    term: Node


@dataclass(frozen=True, slots=True)
class And:
    terms: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Or:
    terms: tuple[Node, ...]


Node = Word | FieldTerm | Not | And | Or

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<open>\()|(?P<close>\))
      | (?P<neg>[-!])?(?P<field>[A-Za-z]+):(?:"(?P<fquoted>[^"]*)"?|(?P<fvalue>[^\s()"]+))
      | (?P<qneg>[-!])?"(?P<phrase>[^"]*)"?
      | (?P<bare>[^\s()"]+)
    )""",
    re.VERBOSE,
)
_WORD_CHARS = re.compile(r"\w+")


def _date(text: str) -> str:
    """``YYYY-MM-DD`` for a full date, a month (its first day) or a year (January 1st)."""
    for pattern, build in (
        (r"(\d{4})-(\d{1,2})-(\d{1,2})", lambda y, m, d: date(int(y), int(m), int(d))),
        (r"(\d{4})-(\d{1,2})", lambda y, m: date(int(y), int(m), 1)),
        (r"(\d{4})", lambda y: date(int(y), 1, 1)),
    ):
        found = re.fullmatch(pattern, text)
        if found:
            try:
                return build(*found.groups()).isoformat()
            except ValueError:
                break
    raise QueryError(f"Not a date: {text!r} (write 2025-06-01, 2025-06 or 2025).")


class _Parser:
    """Recursive descent over tokens: or := and ('OR' and)*; and := unary+; unary := [NOT] atom."""

    def __init__(self, text: str) -> None:
        self.tokens: list[tuple[str, Node | None]] = []
        for found in _TOKEN.finditer(text[:MAX_QUERY]):
            self.tokens.append(self._token(found))
        self.tokens = [t for t in self.tokens if t[0] != "skip"]
        self.position = 0
        self.terms = 0

    def _token(self, found: re.Match[str]) -> tuple[str, Node | None]:
        groups = found.groupdict()
        if groups["open"]:
            return "(", None
        if groups["close"]:
            return ")", None
        if groups["field"] is not None:
            name = FIELDS.get(groups["field"].lower())
            value = (groups["fquoted"] if groups["fquoted"] is not None else groups["fvalue"]) or ""
            node: Node | None
            if name is None:  # not a field: the words as written
                node = _words(f"{groups['field']} {value}")
            else:
                value = " ".join(value.split())[:200]
                node = (
                    FieldTerm(name, _date(value) if name in DATE_FIELDS else value)
                    if value
                    else None
                )
            if node is None:
                return "skip", None
            return "term", Not(node) if groups["neg"] else node
        if groups["phrase"] is not None:
            words = " ".join(_WORD_CHARS.findall(groups["phrase"]))
            if not words:
                return "skip", None
            phrase = Word(words, phrase=True)
            return "term", Not(phrase) if groups["qneg"] else phrase
        bare = groups["bare"] or ""
        if bare in ("OR", "|"):
            return "or", None
        if bare in ("NOT", "AND"):
            return bare.lower(), None
        negated = bare[0] in "-!" and len(bare) > 1
        word = _words(bare[1:] if negated else bare)
        if word is None:
            return "skip", None
        return "term", Not(word) if negated else word

    def peek(self) -> str | None:
        return self.tokens[self.position][0] if self.position < len(self.tokens) else None

    def take(self) -> tuple[str, Node | None]:
        token = self.tokens[self.position]
        self.position += 1
        return token

    def parse(self) -> Node | None:
        node = self._or()
        while self.position < len(self.tokens):  # a stray ")": go on after it
            self.take()
            rest = self._or()
            node = _join(And, [n for n in (node, rest) if n is not None])
        return node

    def _or(self) -> Node | None:
        terms = [t for t in [self._and()] if t is not None]
        while self.peek() == "or":
            self.take()
            right = self._and()
            if right is not None:
                terms.append(right)
        return _join(Or, terms)

    def _and(self) -> Node | None:
        terms: list[Node] = []
        while self.peek() not in (None, "or", ")"):
            unary = self._unary()
            if unary is not None:
                terms.append(unary)
        return _join(And, terms)

    def _unary(self) -> Node | None:
        kind = self.peek()
        if kind == "and":
            self.take()
            return None
        if kind == "not":
            self.take()
            inner = self._unary() if self.peek() not in (None, "or", ")") else None
            return Not(inner) if inner is not None else None
        return self._atom()

    def _atom(self) -> Node | None:
        kind, node = self.take()
        if kind == "(":
            inner = self._or()
            if self.peek() == ")":
                self.take()
            return inner
        if kind == "term" and node is not None:
            self.terms += 1
            if self.terms > MAX_TERMS:
                raise QueryError(f"A query may hold at most {MAX_TERMS} terms.")
            return node
        return None


def _words(text: str) -> Node | None:
    """A bare token as words: ``fair-use`` is the phrase "fair use"; ``licens*`` a prefix."""
    prefix = text.endswith("*")
    words = _WORD_CHARS.findall(text)
    if not words:
        return None
    if len(words) > 1:
        return Word(" ".join(words), phrase=True)
    return Word(words[0], prefix=prefix)


def _join(kind: type[And] | type[Or], terms: list[Node]) -> Node | None:
    if not terms:
        return None
    if len(terms) == 1:
        return terms[0]
    flat: list[Node] = []
    for term in terms:
        flat.extend(term.terms if isinstance(term, kind) else (term,))
    return kind(tuple(flat))


def parse_query(text: str) -> Node | None:
    """The expression ``text`` says, or ``None`` when it says nothing; `QueryError` if it cannot."""
    return _Parser(text).parse()


@dataclass(frozen=True, slots=True)
class Lifted:
    """A query split into the dashboard's own filters and the rest of the expression."""

    company: str | None = None
    topic: str | None = None
    after: str | None = None
    before: str | None = None
    rest: Node | None = None


def split_filters(node: Node | None) -> Lifted:
    """Lift plain top-level ``company:``/``topic:``/``after:``/``before:`` terms out of ``node``.

    Only a term that must hold for every result is lifted, and only the first
    of each field; anything else (negated, under OR, a second company) stays
    in the expression.
    """
    terms = node.terms if isinstance(node, And) else (node,) if node is not None else ()
    lifted: dict[str, str] = {}
    rest: list[Node] = []
    for term in terms:
        if isinstance(term, FieldTerm) and term.field in FILTER_FIELDS and term.field not in lifted:
            lifted[term.field] = term.value
        else:
            rest.append(term)
    return Lifted(rest=_join(And, rest), **lifted)


def _quoted(value: str) -> str:
    return f'"{value}"' if re.search(r'[\s()"]', value) or not value else value


def format_query(node: Node | None) -> str:
    """``node`` written back in the search language (what `parse_query` reads as ``node``)."""
    if node is None:
        return ""
    if isinstance(node, Word):
        if node.phrase:
            return f'"{node.text}"'
        return node.text + ("*" if node.prefix else "")
    if isinstance(node, FieldTerm):
        return f"{node.field}:{_quoted(node.value.replace(chr(34), ''))}"
    if isinstance(node, Not):
        inner = format_query(node.term)
        return f"-{inner}" if isinstance(node.term, (Word, FieldTerm)) else f"NOT ({inner})"
    if isinstance(node, And):
        return " ".join(
            f"({format_query(t)})" if isinstance(t, Or) else format_query(t) for t in node.terms
        )
    return " OR ".join(
        f"({format_query(t)})" if isinstance(t, And) else format_query(t) for t in node.terms
    )


def positive_words(node: Node | None) -> list[Word]:
    """The words and phrases a result may contain (not under a NOT): for ranking and highlights."""
    if node is None or isinstance(node, (FieldTerm, Not)):
        return []
    if isinstance(node, Word):
        return [node]
    return [word for term in node.terms for word in positive_words(term)]


def with_query(filt: Filter, text: str) -> Filter:
    """``filt`` narrowed as the query ``text`` says (what ``/`` and ``export --query`` do).

    Plain top-level ``company:``, ``topic:``, ``after:`` and ``before:`` terms
    set those filters, as the keys do (the header shows them there); filters
    the query does not name stay as they are, and the rest of the query
    replaces the text searched for. Raises `QueryError`.
    """
    lifted = split_filters(parse_query(text))
    return replace(
        filt,
        company=lifted.company or filt.company,
        topic=lifted.topic or filt.topic,
        after=lifted.after or filt.after,
        before=lifted.before or filt.before,
        text=format_query(lifted.rest) or None,
    )


def query_text(filt: Filter) -> str:
    """The whole filter as one query in the search language (what ``/`` shows to edit)."""
    terms = [
        format_query(FieldTerm(name, value))
        for name, value in (
            ("company", filt.company),
            ("topic", filt.topic),
            ("after", filt.after),
            ("before", filt.before),
        )
        if value
    ]
    if filt.text:
        terms.append(filt.text)
    return " ".join(terms)
