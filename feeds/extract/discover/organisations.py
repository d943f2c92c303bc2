"""Organisations outside the knowledge base, named with a clear corporate cue.

- a corporate suffix: "Acme Inc.", "Foo Labs", "Bar AI";
- a corporate head noun: "Agility Robotics", "Insilico Medicine", "Aljammaz Technologies",
  "McLaren Racing", "the Gates Foundation";
- a descriptor before the name: "AI drug-discovery company X", "the automaker X",
  "startup X", or an appositive after it: "X, a Paris-based startup";
- a public body: "the U.S. Department of Energy", "Ministry of Economy";
- a party to a deal: "partners with X", "a deal with X, Y and Z", "X and <known AI
  company> collaborate";
- a case caption: "X v. Y".
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from itertools import accumulate
from typing import TYPE_CHECKING

from aiwatch.feeds.extract.discover.shapes import CALENDAR, NAME_STOP, STOP
from aiwatch.feeds.extract.legal import CAPTION_WORDS, caption_parties, has_caption
from aiwatch.feeds.extract.names import Mention

if TYPE_CHECKING:
    from aiwatch.feeds.extract.discover import Document

_NAME_REST = r"[\w&'-]*(?:\.[A-Za-z]+)?"  # of a name after its capital
_NAME = rf"[A-Z]{_NAME_REST}"
_NAMES = rf"(?:{_NAME}\s+){{0,2}}{_NAME}"
# "\b(?:N\s+){0,3}N" as "N(?:\s+N){0,3}" with the \b a look-behind after the first
# capital: a pattern that starts with a character set is searched from capital to capital
# in C, one that starts with \b is tried at every character. The same runs match, the
# longest first (a name never gives letters back: a space or comma must follow it).
_SUFFIXED = re.compile(
    rf"([A-Z](?<!\w.){_NAME_REST}(?:\s+{_NAME}){{0,3}})\s*,?\s+"
    r"(Inc|Corp|Corporation|Ltd|LLC|plc|GmbH|S\.A|Co)\b\.?"
)
_SUFFIXES = (" Inc", " Corp", " Ltd", " LLC", " plc", " GmbH", " S.A", " Co.", " Co ")
# A `_SUFFIXED` match needs one of these words (or "S.A"): a set test spares the
# substring searches of `_SUFFIXES` over most documents.
_SUFFIX_WORDS = frozenset({"inc", "corp", "corporation", "ltd", "llc", "plc", "gmbh", "co"})
_NAME_TOKEN = re.compile(_NAME)


def _names_before(text: str, position: int, most: int) -> tuple[int, str] | None:
    """The run of up to ``most`` capitalised words ending right at ``position`` (where
    the text goes on with a suffix or head: "Agility" of "Agility Robotics"), read from
    the right: a regex searched over the window would try every start in it."""
    if not "A" <= text[text.rfind(" ", 0, position) + 1 : position][:1] <= "Z":
        return None  # the word before is no name ("generative AI"): no window to split
    window = text[max(0, position - 16 * most) : position]
    if window.endswith(" ") or not window:
        return None
    taken: list[str] = []
    tokens = window.split(" ")
    for index in range(len(tokens) - 1, -1, -1):
        token = tokens[index]
        if len(taken) == most or not _NAME_TOKEN.fullmatch(token):
            break
        if index == 0 and position - len(window) > 0:
            break  # the window cut this word: it may go on to the left
        taken.append(token)
    if not taken:
        return None
    name = " ".join(reversed(taken))
    start = position - len(name)
    if start > 0 and (text[start - 1].isalnum() or text[start - 1] in "_"):
        return None
    return start, name


_NOT_BRAND = frozenset(
    [
        "Generative",
        "Agentic",
        "Responsible",
        "Open",
        "Enterprise",
        "Conversational",
        "Physical",
        "Sovereign",
        "Frontier",
        "Applied",
        "Embodied",
        "Edge",
        "General",
        "Artificial",
        "Explainable",
        "Trustworthy",
        "Ethical",
        "Human",
        "Narrow",
        "Strong",
        "Weak",
        "Multimodal",
        "Creative",
        "Safe",
        "Gen",
        "Consumer",
        "Industrial",
        "Medical",
        "Legal",
        "Military",
        "National",
        "Global",
        "Advanced",
        "Modern",
        "Current",
        "Future",
        "New",
        "Next",
        "Better",
        "More",
        "Most",
        "Any",
        "Every",
        "Some",
        "Such",
        "Other",
        "Meta",
        "Google",
        "Microsoft",
        "Amazon",
        "Apple",
        "Nvidia",
        "OpenAI",
        "Chinese",
        "American",
        "European",
        "French",
        "British",
        "German",
        "Japanese",
        "Indian",
        "Korean",
        "Israeli",
        "US",
        "UK",
        "EU",
        "Silicon",
        "Valley",
        "Big",
        "Tech",
        "Our",
        "Your",
        "Their",
        "His",
        "Her",
        "Its",
        "This",
        "That",
        "These",
        "Those",
        "Responsible",
        "Digital",
        "Precision",
        "Personalized",
        "Regenerative",
        "Quantum",
        "Cloud",
        "Data",
    ]
)
# "Tokyo-based AI", "AI-powered": a description, not a brand.
_DESCRIBING = re.compile(r"-[a-z]")
_HEADS = [
    "Technologies",
    "Technology",
    "Robotics",
    "Medicine",
    "Therapeutics",
    "Systems",
    "Networks",
    "Capital",
    "Ventures",
    "Partners",
    "Holdings",
    "Group",
    "Foundation",
    "Institute",
    "Racing",
    "Motors",
    "Pharmaceuticals",
    "Pharma",
    "Biosciences",
    "Biotech",
    "Semiconductor",
    "Semiconductors",
    "Communications",
    "Entertainment",
    "Studios",
    "Health",
    "Healthcare",
    "Security",
    "Software",
    "Solutions",
    "Dynamics",
    "Energy",
    "Aerospace",
    "Analytics",
    "Computing",
    "Telecom",
    "Industries",
    "Financial",
    "Insurance",
    "Airlines",
    "Automotive",
    "Labs",
    "Lab",
    "Intelligence",
    "Robotic",
    "Bank",
]
_HEAD_WORDS = frozenset(head.lower() for head in _HEADS)
_DESCRIPTORS = frozenset(
    [
        "startup",
        "company",
        "firm",
        "lab",
        "developer",
        "maker",
        "rival",
        "automaker",
        "carmaker",
        "chipmaker",
        "drugmaker",
        "retailer",
        "conglomerate",
        "manufacturer",
        "provider",
        "supplier",
        "operator",
        "insurer",
        "carrier",
    ]
)
_NAME_AFTER_CUE = re.compile(rf"\s+({_NAMES})")
_APPOSITION_ANCHOR = re.compile(
    r",\s+(?:an?|the)\s+(?:[\w-]+\s+){0,4}?(?:startup|company|firm|lab|developer|maker)\b"
)
_NAME_BEFORE = re.compile(rf"({_NAMES})$")
# An appositive ends where its noun does: at punctuation, or where a relative clause or a
# participle goes on describing ("X, the upstart PC company focused on …").
_APPOSITION_ENDS = re.compile(
    r"(?:s?\b)(?:[,.;:)]|$|\s+(?:that|which|whose|based|founded|focused|known|backed|owned|"
    r"behind|in|from|with|of|for|called|named|specializing|specialising|and|or)\b)"
)
# A person's line of work, not a company's: "software developer", "artist and developer".
_PERSON_ROLE = re.compile(
    r"\b(?:(?:software|game|app|web|indie|independent|freelance)\s+developer|"
    r"and\s+developer\b|developer\s+and\s)",
    re.IGNORECASE,
)
# Each part after "of", "for", "on" or "and" may be several capitalised words ("the
# Department of Public Health", "of Health and Human Services"); a person's title after
# the name ("Commerce Secretary Howard Lutnick") is not part of it, nor a topic in
# capitals ("the Department of Energy on AI research").
_PUBLIC_BODY = re.compile(
    r"\b((?:(?:the\s+)?(?:U\.S\.|US|UK|EU|[A-Z][a-z]+(?:'s)?)\s+)?(?:Department|Ministry|"
    r"Office|Agency|Commission|Council|Bureau)\s+(?:of|for)\s+(?:the\s+)?{part}"
    r"(?:\s+(?:and|of|for|on(?!\s+[A-Z]+\b))\s+{part})*)".replace(
        "{part}",
        r"(?!(?:Secretary|Minister|Director|Chair|Commissioner)\b)[A-Z][\w-]+"
        r"(?:\s+(?!(?:Secretary|Minister|Director|Chair|Commissioner)\b)[A-Z][\w-]+){0,2}",
    )
)
_PUBLIC_HEADS = ("Department", "Ministry", "Office", "Agency", "Commission", "Council", "Bureau")
# What every `_PUBLIC_BODY` match holds: a head, then "of" or "for". Its search skips in C
# from head letter to head letter, where the full pattern is tried at every word start.
_PUBLIC_HEAD_OF = re.compile(
    r"(?:Department|Ministry|Office|Agency|Commission|Council|Bureau)\s+(?:of|for)\s"
)
_PUBLIC_WORDS = frozenset(
    {"department", "ministry", "office", "agency", "commission", "council", "bureau"}
)
# The other party of a deal: "partners with X", "a deal with X, Y and Z", "a new
# company with X"; a name written with dots and "of" ("U.S. Department of Energy").
_PARTY = r"(?:[A-Z][\w&'-]*\.?(?:[A-Z]\.?)*)(?:\s+(?:[A-Z][\w&'-]*\.?|of|&)){0,4}"
_DEAL_WITH = re.compile(
    r"\b(?:[Pp]artner(?:s|ed|ing|ship|ships)?|[Cc]ollaborat\w*|[Tt]eam(?:s|ed|ing)?\s+up|"
    r"[Tt]eams|[Dd]eals?|[Aa]greements?|[Pp]acts?|[Aa]lliances?|[Cc]ontracts?|MOUs?|[Vv]enture|"
    r"[Tt]ie-up|[Jj]oin(?:s|ed)?\s+forces|[Nn]ew\s+(?:[\w-]+\s+){0,4}?(?:company|venture|firm))"
    rf"\s+with\s+(?:the\s+)?({_PARTY}(?:(?:\s*,\s*(?:and\s+)?|\s+and\s+)(?:the\s+)?{_PARTY})*)"
)
# "X and <known company> collaborate": the name beside a known party of a joint act.
_JOINT_VERB = (
    r"\s+(?:(?:jointly|also|will|to)\s+)?(?:[Cc]ollaborat|[Pp]artner|[Tt]eam|[Ss]ign|[Aa]nnounc|"
    r"[Ff]orm|[Jj]oin|[Ll]aunch|[Ee]xpand|[Aa]gree|[Ii]nk|[Ss]trike|[Uu]nveil|[Bb]uild)"
)
_PARTY_BEFORE = re.compile(rf"(?<![\w.])({_PARTY})\s+(?:and|&)\s+$")
_PARTY_AFTER = re.compile(rf"\s+(?:and|&)\s+({_PARTY}){_JOINT_VERB}")
_JOINT_AFTER = re.compile(_JOINT_VERB)
_SLOT_BEFORE = re.compile(r"(?:^|[,:;]\s+|\swith\s+(?:the\s+)?)$")
# The word right before " with " in a `_DEAL_WITH` match.
_WITH_CUES = frozenset(
    [
        "partner",
        "partners",
        "partnered",
        "partnering",
        "partnership",
        "partnerships",
        "collaborate",
        "collaborates",
        "collaborated",
        "collaborating",
        "collaboration",
        "collaborations",
        "up",
        "teams",
        "deal",
        "deals",
        "agreement",
        "agreements",
        "pact",
        "pacts",
        "alliance",
        "alliances",
        "contract",
        "contracts",
        "mou",
        "mous",
        "venture",
        "tie-up",
        "forces",
        "company",
        "firm",
    ]
)
_LIST_SPLIT = re.compile(r"\s*,\s*(?:and\s+)?|\s+and\s+")
_DEAL_WORDS = frozenset(
    [
        "partner",
        "partners",
        "partnered",
        "partnering",
        "partnership",
        "partnerships",
        "collaborate",
        "collaborates",
        "collaborated",
        "collaborating",
        "collaboration",
        "team",
        "teams",
        "teamed",
        "deal",
        "deals",
        "agreement",
        "agreements",
        "pact",
        "alliance",
        "contract",
        "mou",
        "venture",
        "forces",
    ]
)
_LEADING = re.compile(
    r"^(?:(?:The|A|An|This|That|With|And|In|On|At|By|For|From)\s+)+", re.IGNORECASE
)


_CORPORATE = r",?\s+(?:Inc|Corp|Corporation|Ltd|LLC|plc|GmbH|Co)"
_CORPORATE_END = re.compile(rf"(?:{_CORPORATE}\.?)+$")


# Every `_CORPORATE_END` match holds one of these ("Corp" and "Corporation" hold "Co"):
# the substitution, tried at every character of the name, runs only then.
_CORPORATE_HINTS = ("Inc", "Co", "Ltd", "LLC", "plc", "GmbH")


def _clean(name: str) -> str:
    if any(map(name.__contains__, _CORPORATE_HINTS)):
        name = _CORPORATE_END.sub("", name)
    words = name.split()
    while words and words[0] in NAME_STOP:
        words = words[1:]
    while words and words[-1] in STOP:
        words = words[:-1]
    return " ".join(words).strip(" .,'")


def _suffixed(document: Document, spans: list[tuple[int, str, str]]) -> None:
    text, words = document.text, document.words.set
    if (not _SUFFIX_WORDS.isdisjoint(words) or "S.A" in text) and any(
        suffix in text for suffix in _SUFFIXES
    ):
        spans += [(m.start(1), m.group(1), "suffix") for m in _SUFFIXED.finditer(text)]
    for suffix in (" AI", " Labs"):
        position = text.find(suffix)
        while position >= 0:
            end = position + len(suffix)
            if end == len(text) or not (text[end].isalnum() or text[end] in "-_."):
                brand = _names_before(text, position, 2)
                if (
                    brand
                    and not _NOT_BRAND.intersection(brand[1].split())
                    and not _DESCRIBING.search(brand[1])
                    and text[brand[0] - 1 : brand[0]] != "-"
                ):
                    spans.append((brand[0], f"{brand[1]}{suffix}", "suffix"))
            position = text.find(suffix, end)


def _headed(document: Document, spans: list[tuple[int, str, str]]) -> None:
    present = _HEAD_WORDS & document.words.set
    if not present:
        return
    text = document.text
    for head in present:  # each head word is found with str.find, its name read before it
        word = " " + head.capitalize()
        position = text.find(word)
        while position >= 0:
            end = position + len(word)
            if end == len(text) or not text[end].isalnum():
                _name_before_head(text, position, word[1:], spans)
            position = text.find(word, end)


def _name_before_head(
    text: str, position: int, head: str, spans: list[tuple[int, str, str]]
) -> None:
    match = _names_before(text, position, 3)
    if match:
        words = match[1].split()
        described = [i for i, word in enumerate(words) if _DESCRIBING.search(word)]
        if described:  # "the United Kingdom-backed AI Security Institute"
            words = words[described[-1] + 1 :]
        while words and words[0] in NAME_STOP and not described:
            words = words[1:]
        if words and not _NOT_BRAND.intersection(words):
            name = " ".join(words)
            spans.append((position - len(name), f"{name} {head}", "head"))


def _described(document: Document, spans: list[tuple[int, str, str]]) -> None:
    text = document.text
    cues = document.words.set & _DESCRIPTORS
    for cue in cues:
        position = text.find(cue)
        while position >= 0:
            end = position + len(cue)
            follow = _NAME_AFTER_CUE.match(text, end)
            if (
                follow
                and (position == 0 or not text[position - 1].isalnum())
                and not _PERSON_ROLE.search(text, max(0, position - 20), end)
            ):
                spans.append((follow.start(1), follow.group(1), "descriptor"))
            position = text.find(cue, end)
    if cues:
        for anchor in _APPOSITION_ANCHOR.finditer(text):
            if not _APPOSITION_ENDS.match(text, anchor.end()):
                continue  # ", the company has …": the subject of the next clause, not a description
            if _PERSON_ROLE.search(text, max(0, anchor.start() - 30), anchor.end()):
                continue  # "X, a German software developer": a person
            before = _NAME_BEFORE.search(text, max(0, anchor.start() - 60), anchor.start())
            if before:
                spans.append((before.start(1), before.group(1), "descriptor"))


def _public_bodies(document: Document, spans: list[tuple[int, str, str]]) -> None:
    if _PUBLIC_WORDS.isdisjoint(document.words.set):
        return
    if not any(map(document.text.__contains__, _PUBLIC_HEADS)):
        return  # the pattern, tried at every character, needs one written with a capital
    if _PUBLIC_HEAD_OF.search(document.text) is None:
        return  # "Microsoft Office", "the council said": a head, but no body's name after it
    for match in _PUBLIC_BODY.finditer(document.text):
        name = _LEADING.sub("", match.group(1))
        spans.append((match.end(1) - len(name), name, "public body"))


def _deal_withs(text: str) -> list[re.Match[str]]:
    """`_DEAL_WITH` matches, tried only where " with " follows a cue word (str.find)."""
    found = []
    position = text.find(" with ")
    while position >= 0:
        before = text.rfind(" ", max(0, position - 40), position)
        cue = text[before + 1 : position].lower()
        if cue in _WITH_CUES:
            back = (
                position - 50 if cue in ("up", "forces", "company", "venture", "firm") else before
            )
            match = _DEAL_WITH.search(text, max(0, back), position + 200)
            if match and match.start() <= position:
                found.append(match)
                position = text.find(" with ", max(match.end(), position + 1))
                continue
        position = text.find(" with ", position + 1)
    return found


def _deal_parties(document: Document, spans: list[tuple[int, str, str]]) -> None:
    if not document.ai or _DEAL_WORDS.isdisjoint(document.words.set):
        return
    text = document.text
    for match in _deal_withs(text):
        position = match.start(1)
        for piece in _LIST_SPLIT.split(match.group(1)):
            start = text.find(piece, position)
            spans.append((start, piece, "deal"))
            position = start + len(piece)
    for known in document.known:
        if not known.is_org:
            continue
        if text.startswith((" and ", " & "), known.end):
            after = _PARTY_AFTER.match(text, known.end)
            if after:
                spans.append((after.start(1), after.group(1), "deal"))
        if text.endswith((" and ", " & "), max(0, known.start - 5), known.start):
            before = _PARTY_BEFORE.search(text, max(0, known.start - 60), known.start)
            if before and _JOINT_AFTER.match(text, known.end):
                spans.append((before.start(1), before.group(1), "deal"))


def _captions(document: Document, spans: list[tuple[int, str, str]]) -> None:
    text = document.text
    if CAPTION_WORDS.isdisjoint(document.words.set) or not has_caption(text):
        return
    for plaintiff, defendant, start, end in caption_parties(text):
        sentence = document.sentences[document.sentence_at(start)]
        if " v. " not in text[start:end] and not _LEGAL.search(text, sentence.start, sentence.end):
            continue  # "Hermes vs. OpenClaw", "LLMs vs. Humans": a comparison
        for party in (plaintiff, defendant):
            spans.append((text.find(party, start), party, "caption"))


_LEGAL = re.compile(
    r"\b(?:court|judge|justice|su(?:e|es|ed|ing|it|its)|lawsuits?|litigation|case|rul(?:e|ed|ing)|"
    r"filed|filing|plaintiffs?|defendants?|complaint|trial|appeal|settle\w*|copyright|infring\w*|"
    r"docket|district|circuit|verdict|jury)\b",
    re.IGNORECASE,
)


def _in_slot(document: Document, start: int) -> bool:
    """In a Title Case Headline every word is capitalised, so a head noun or a suffix says
    little ("Groq and Nvidia Enter Non-Exclusive Inference Technology ..."); there a name
    counts only where a party stands: at the start of the headline or of one of its parts,
    or after "with"."""
    sentence = document.sentences[document.sentence_at(start)]
    before = document.text[max(sentence.start, start - 12) : start]
    return start == sentence.start or bool(_SLOT_BEFORE.search(before))


# Generic technical words that a cue can sit before ("a new developer API"); initials alone
# ("the U.S. government") are a country, not a party.
_NOT_NAMES = frozenset(
    {"API", "APIs", "SDK", "GPU", "GPUs", "CPU", "TPU", "NPU", "LLM", "LLMs", "AGI", "IDE", "CLI"}
)
_INITIALS = re.compile(r"(?:[A-Z]\.)+[A-Z]?\.?")
# The words that end an organisation's name: a name that runs on into one of them is read
# to its end ("the World Health Organization", not "World Health").
_NAME_ENDS = frozenset(
    {
        "Organization",
        "Organisation",
        "Commission",
        "Agency",
        "Association",
        "Committee",
        "Council",
        "Administration",
        "Authority",
        "Board",
        "Service",
        "Services",
        "Center",
        "Centre",
        "Institute",
        "Foundation",
        "Fund",
        "Society",
        "Union",
        "Alliance",
        "Consortium",
        "Coalition",
        "Office",
        "Bureau",
    }
)
_WHOLE_NAME_RULES = frozenset({"suffix", "head", "public body", "descriptor"})
_NEXT_WORD = re.compile(r" ([A-Z][\w&'-]*)")
_RUNS_ON = re.compile(r" (?:of|for|on) (?:the )?[A-Z]")
_LOWER_WORD = re.compile(r" ([a-z]+)\b")
_TAIL_WORDS = re.compile(r"([A-Z][\w&'-]*(?: [A-Z][\w&'-]*){0,2})(?![\w&'-]| [A-Z])")
_CORPORATE_NEXT = re.compile(rf"{_CORPORATE}\b")
_RAN_FROM = re.compile(r"[A-Z][\w'-]* (?:of|for|on) (?:the )?$")
# After "<word> AI", a noun that "AI" qualifies: "Top AI companies", "Major AI models".
_AI_QUALIFIES = frozenset(
    [
        "model",
        "models",
        "company",
        "companies",
        "developer",
        "developers",
        "lab",
        "labs",
        "system",
        "systems",
        "tool",
        "tools",
        "agent",
        "agents",
        "chip",
        "chips",
        "startup",
        "startups",
        "product",
        "products",
        "feature",
        "features",
        "assistant",
        "assistants",
        "service",
        "services",
        "app",
        "apps",
        "application",
        "applications",
        "industry",
        "firm",
        "firms",
        "giant",
        "giants",
        "policy",
        "policies",
        "regulation",
        "rules",
        "training",
        "workloads",
        "infrastructure",
        "adoption",
        "usage",
        "technology",
        "technologies",
        "capabilities",
        "tech",
        "race",
        "boom",
        "spending",
        "investment",
        "investments",
        "talent",
        "researchers",
        "research",
        "engineers",
        "teams",
        "software",
        "hardware",
        "use",
        "news",
        "safety",
        "slop",
    ]
)


def _whole_name(document: Document, begin: int, end: int, how: str) -> int:
    """Where the organisation named at ``begin`` really ends, or -1 when the span is not a
    whole name: it runs on into more capitalised words ("Hospital Foundation Adolphe de
    Rothschild"), or through "of"/"for" ("Royal Melbourne Institute of Technology"), or
    is the tail of a longer name ("the Future of Life Institute"); a name that runs on
    into a word that ends names is read to that word ("World Health Organization"). A
    suffix "AI" after an inflected word or before a noun it qualifies is no brand
    ("Requiring AI developers", "Top AI companies", "Ryzen AI 300")."""
    text = document.text
    if how in ("suffix", "head") and _RAN_FROM.search(text, max(0, begin - 40), begin):
        return -1
    if how == "suffix" and text.endswith(" AI", begin, end):
        first = text[begin:end].split(" ", 1)[0]
        after = text[end : end + 30]
        qualified = _LOWER_WORD.match(after)
        word = qualified.group(1) if qualified else ""
        if (
            first.endswith(("ing", "ed"))
            or after[:1] in ("+", "-")
            or after[1:2].isdigit()
            or word in _AI_QUALIFIES
        ):
            return -1
    if document.title_case(document.sentence_at(begin)) or _CORPORATE_NEXT.match(text, end):
        return end  # in a Title Case Headline every word is capitalised; "Automattic Inc."
    for _ in range(2):
        following = _NEXT_WORD.match(text, end)
        if following is None:
            break
        if following.group(1) not in _NAME_ENDS:
            return -1
        end = following.end(1)
    if how == "public body":
        return end
    tail = _RUNS_ON.match(text, end)
    if tail is None:
        return end
    if text[text.rfind(" ", begin, end) + 1 : end] not in _NAME_ENDS:
        return -1
    # "the CISPA Helmholtz Center for Information Security": read on to the name's end
    words = _TAIL_WORDS.match(text, tail.end() - 1)
    if words is None or words.group(1).split()[0] in CALENDAR:
        return end if words is not None else -1
    return words.end(1)


def find(document: Document) -> list[Mention]:
    """Organisations outside the knowledge base named with a corporate cue."""
    spans: list[tuple[int, str, str]] = []
    for rule in (_suffixed, _headed, _public_bodies, _described, _deal_parties, _captions):
        rule(document, spans)
    found: list[Mention] = []
    if not spans:
        return found  # nothing to place among the known names
    text, kb = document.text, document.kb
    starts = [m.start for m in document.known]
    ends = list(accumulate((m.end for m in document.known), max))  # furthest end so far
    for start, raw, how in sorted(spans, key=lambda span: (span[0], -len(span[1]))):
        name = _clean(raw)
        if len(name) < 2 or name in NAME_STOP or name in _NOT_NAMES or _INITIALS.fullmatch(name):
            continue
        begin = text.find(name, max(start, 0))
        if begin < 0 or _starts_inside(begin, starts, ends, found):
            continue
        # after the test above, which drops most spans (known names: "Microsoft Corp."):
        # each test only drops a span, so their order does not change which are kept
        if (
            how in ("suffix", "head")
            and document.title_case(document.sentence_at(start))
            and not _in_slot(document, start)
        ):
            continue
        end = begin + len(name)
        if how in _WHOLE_NAME_RULES:
            end = _whole_name(document, begin, end, how)
            if end < 0:
                continue
            name = text[begin:end]
        if kb.lookup(name) is not None:
            continue
        if _overlaps(begin, end, starts, ends):
            continue
        found.append(Mention(begin, end, name, None, found_by=how))
    return found


def _overlaps(begin: int, end: int, starts: list[int], ends: list[int]) -> bool:
    """Whether a known name (``starts``, and the furthest ``ends`` so far) overlaps
    ``begin``-``end``."""
    index = bisect_left(starts, end)  # known names starting before this one ends
    return bool(index) and ends[index - 1] > begin


def _starts_inside(begin: int, starts: list[int], ends: list[int], found: list[Mention]) -> bool:
    """Whether a name found at ``begin`` starts inside a known name or the last one found:
    then, whatever its end, it overlaps one (`_overlaps`), and it is passed over before the
    costly tests of its end and the knowledge-base look-up (most spans of the rules are
    known companies: "Microsoft Corp.")."""
    index = bisect_right(starts, begin)
    return (bool(index) and ends[index - 1] > begin) or bool(found and found[-1].end > begin)
