#!/usr/bin/env python3
"""Write the generated knowledge-base files from public reference data.

    .venv/bin/python scripts/build_knowledge.py [--check] [--source CSV]

- ``feeds/knowledge/generated_models.toml`` from Epoch AI's *Notable AI Models*
  (``../shared/knowledge-sources/epoch-notable-ai-models.csv``; CC BY 4.0, "Data: Epoch AI
  (epochai.org)"): the organisations behind notable models since 2019 and their models,
  with parameter sizes and dates taken out of the names, and each model family
  ("GLM" for GLM-4.5 and GLM-4.7) as a product of its own, so that a version the data
  has not seen yet ("GLM-5.2") is recognised as a version of a known family.
- ``feeds/knowledge/generated_governments.toml`` from ISO 3166 (``pycountry``): every
  country, with its official name and "Government of …", and the US states.

Names are mapped onto the hand-written files' canonical names (Google DeepMind and
Google Brain are Google, Meta AI is Meta …; "<known company> Research/Labs/AI" is that
company). A name that is an ordinary English word ("Falcon", "Mercury", "Seed", "Chad")
is marked weak and strict, so it counts only beside its maker or its own context words:
word frequencies come from ``wordfreq``. Multi-word names made only of ordinary words
("Table Tennis Agent") describe a research result rather than name a product, and are
left out. An alias another entry already claims is dropped and reported.

``--check`` exits non-zero when the committed files differ from what would be written.
Needs the ``kb`` extra: ``pip install -e '.[kb]'``.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from aiwatch.feeds.knowledge.base import KnowledgeBase, load_knowledge_base, name_key  # noqa: E402

SOURCE = ROOT.parent / "shared" / "knowledge-sources" / "epoch-notable-ai-models.csv"
KNOWLEDGE = ROOT / "feeds" / "knowledge"
SINCE = "2019-01-01"
COMMON = 2.5
"""Zipf frequency (wordfreq) from which a one-word name is an ordinary English word."""

# "<known company> <unit words>" is that company: Google Brain, Microsoft Research Asia.
_UNIT_WORDS = frozenset(
    [
        "ai",
        "research",
        "brain",
        "labs",
        "lab",
        "asia",
        "cloud",
        "fair",
        "for",
        "of",
        "deepmind",
        "noah's",
        "ark",
        "intelligence",
        "superintelligence",
        "applied",
        "science",
        "sciences",
    ]
)
_SUFFIX = re.compile(r"(?:,?\s+(?:Inc|Inc\.|Ltd|Ltd\.|LLC|Corp|Corp\.|Co\.|GmbH|S\.A\.))+$")
_PARENTHESIS = re.compile(r"\s*\(([^()]*)\)")
_SIZE = re.compile(
    r"(?:[\s_-]+|(?<=\d)-?)(?:A?\d+(?:\.\d+)?[BMTK]|\d+x\d+B)(?:-A\d+(?:\.\d+)?B)?(?=$|[\s_-])",
    re.IGNORECASE,
)
_TRAILING = re.compile(r"(?:[\s_-]+(?:Instruct|Base|Chat|preview|Preview|Production))+$")
_DATE_WORDS = re.compile(
    r"^(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{4}$|^\d{4}$|^\d{4}-\d{2}",
    re.IGNORECASE,
)
_VERSION_START = re.compile(r"[\s_-]*(?:\d|[vVkKmMrR]\d)")
_STEM = re.compile(r"^([A-Za-z][A-Za-z]*?)(?=\d|[\s_-]|$)")
_AI_NAME = re.compile(r"\bAI\b|\.ai\b|Intelligen|\bLabs?\b|Research|Learning|Robot|Deep")
_ACADEMIC = re.compile(r"Universit|Institut|College|School|Academy|Polytechn|ETH |\bMIT\b|INRIA")


def _modality(domain: str, task: str) -> str | None:
    """The knowledge base's modality for an Epoch domain, or None (games, recommendation)."""
    parts = {part.strip() for part in domain.split(",")}
    if "Video" in parts:
        return "video"
    if "Image generation" in parts:
        return "image"
    if parts & {"Speech", "Audio"}:
        return "audio"
    if "Multimodal" in parts:
        return "multimodal"
    if "Robotics" in parts:
        return "robotics"
    if parts & {"Biology", "Medicine", "Earth science", "Mathematics", "Materials science"}:
        return "science"
    if "Language" in parts:
        tasks = {t.strip() for t in task.split(",")}
        return "code" if tasks == {"Code generation"} else "text"
    if "Vision" in parts:
        return "image"
    return None


@dataclass
class Org:
    name: str
    kind: str
    aliases: set[str] = field(default_factory=set)
    weak: set[str] = field(default_factory=set)


@dataclass
class Model:
    name: str
    maker: str
    modality: str
    year: int
    aliases: set[str] = field(default_factory=set)
    weak: set[str] = field(default_factory=set)


class Builder:
    """Turns Epoch rows into organisations and products keyed by canonical name."""

    def __init__(self, hand: KnowledgeBase) -> None:
        import wordfreq

        self.hand = hand
        self.zipf = lambda word: wordfreq.zipf_frequency(word, "en")
        self.orgs: dict[str, Org] = {}
        self.models: dict[str, Model] = {}
        self.dropped: list[str] = []

    def common(self, name: str) -> bool:
        """An ordinary word (or phrase of ordinary words) in English text."""
        words = re.findall(r"[A-Za-z]+", name)
        if not words or re.search(r"\d", name) or "-" in name:
            return False
        if any(word.isupper() or not word[1:].islower() for word in words if len(word) > 1):
            return False  # an acronym or a coined capitalisation ("AFM", "DeepL")
        return all(self.zipf(word) >= COMMON for word in words)

    def organisation(self, raw: str, category: str) -> str | None:
        """The canonical name of an Epoch organisation, registered if new."""
        raw = " ".join(raw.split())
        if not raw:
            return None
        aliases: set[str] = set()
        for inner in _PARENTHESIS.findall(raw):  # "(CMU)", "(Zhipu AI)"; not "(China)"
            inner = inner.strip()
            if (
                re.fullmatch(r"[A-Z][A-Za-z0-9&.-]{1,9}", inner)
                and sum(map(str.isupper, inner)) >= 2
            ) or re.fullmatch(r"(?:[A-Z][a-z]+\s+)+AI", inner):
                aliases.add(inner)
        name = _PARENTHESIS.sub("", raw).strip()
        if " / " in name:
            name, *others = [part.strip() for part in name.split(" / ")]
            aliases.update(others)
        bare = _SUFFIX.sub("", name).strip()
        if bare != name:
            aliases.add(name)
            name = bare
        for candidate in (name, *sorted(aliases)):
            known = self.hand.organisation(candidate)
            if known is not None:
                return known.name
        words = name.split()
        for cut in range(len(words) - 1, 0, -1):
            rest = {w.lower() for w in words[cut:]}
            known = self.hand.organisation(" ".join(words[:cut]))
            if known is not None and rest <= _UNIT_WORDS:
                return known.name
        if name in self.orgs:
            self.orgs[name].aliases |= aliases
            return name
        if _ACADEMIC.search(name) or category == "Academia":
            kind = "academia"
        elif category == "Government":
            kind = "government"
        elif _AI_NAME.search(name):
            kind = "ai-company"
        else:
            kind = "company"  # a bank or a telecom that made a notable model is no AI company
        org = self.orgs[name] = Org(name, kind, aliases)
        for alias in (name, *aliases):
            if len(alias.split()) == 1 and self.common(alias):
                org.weak.add(alias)
        return name

    def model(self, row: dict[str, str]) -> None:
        """Register one Epoch row as a product of its first organisation."""
        modality = _modality(row["Domain"], row["Task"])
        organisations = [o for o in row["Organization"].split(",") if o.strip()]
        categories = [c.strip() for c in row["Organization categorization"].split(",")]
        if modality is None or not organisations:
            return
        makers = [
            self.organisation(org, categories[i] if len(categories) == len(organisations) else "")
            for i, org in enumerate(organisations)
        ]
        maker = next((m for m in makers if m), None)
        if maker is None:
            return
        name, aliases = _clean_model(row["Model"])
        if not name or len(name) < 2 or (self.common(name) and " " in name):
            return
        year = int(row["Publication date"][:4])
        known = self.hand.product(name)
        if known is not None:
            name = known.name
        model = self.models.get(name)
        if model is None:
            model = self.models[name] = Model(name, maker, modality, year)
        model.aliases |= aliases
        model.year = min(model.year, year)
        for alias in (name, *aliases):
            if self.common(alias):
                model.weak.add(alias)

    def families(self) -> None:
        """A stem shared by versioned models ("GLM" of GLM-4.5) becomes a product."""
        stems: dict[str, list[Model]] = defaultdict(list)
        for model in self.models.values():
            stem = _family_stem(model.name)
            if stem and stem != model.name:
                stems[stem].append(model)
        for stem, members in stems.items():
            latest = max(members, key=lambda m: m.year)
            existing = self.models.get(stem)
            if existing is not None:  # "GLM" (GLM-130B, 2022) is now Z.ai's family
                if latest.year > existing.year:
                    existing.maker = latest.maker
                continue
            if self.hand.lookup(stem) is not None:
                continue
            if any(name_key(stem) == name_key(org) for org in self.orgs):
                continue
            if not stem[0].isupper() or len(stem) < 3:
                continue  # "data" of data2vec, "o" of o3-mini: not a name of its own
            maker = latest.maker  # whose family it is now
            modality = Counter(m.modality for m in members).most_common(1)[0][0]
            family = Model(stem, maker, modality, min(m.year for m in members))
            if self.common(stem):
                family.weak.add(stem)
            self.models[stem] = family

    def render_models(self) -> str:
        """The TOML text of the organisations and products."""
        claimed: dict[str, str] = {}

        def keep(alias: str, owner: str) -> bool:
            key = name_key(alias)
            other = self.hand.lookup(alias)
            if not key or (other is not None and other.name != owner):
                self.dropped.append(f"{alias!r} ({owner}): already {other.name if other else '?'}")
                return False
            if claimed.setdefault(key, owner) != owner:
                self.dropped.append(f"{alias!r} ({owner}): already {claimed[key]}")
                return False
            return True

        lines = [
            "# GENERATED by scripts/build_knowledge.py: do not edit; refine entries in the",
            "# hand-written files instead (their entries of the same name override these).",
            "# Data: Epoch AI (epochai.org), Notable AI Models, CC BY 4.0",
            "# (https://epoch.ai/data/notable-ai-models), accessed 2026-01-26: models since "
            + SINCE[:4]
            + ",",
            "# their organisations, publication years and domains. Names are normalised (sizes",
            "# and dates removed) and organisations mapped onto this knowledge base's names.",
            "",
        ]
        for org in sorted(self.orgs.values(), key=lambda o: o.name.lower()):
            if not keep(org.name, org.name):
                continue
            aliases = sorted(a for a in org.aliases if a != org.name and keep(a, org.name))
            lines += ["[[organisation]]", f"name = {_toml(org.name)}", f"kind = {_toml(org.kind)}"]
            lines.append(f"aliases = {_toml_list(aliases)}")
            weak = sorted(w for w in org.weak if w == org.name or w in aliases)
            if weak:
                lines += [f"weak = {_toml_list(weak)}", "strict = true"]
            lines.append("")
        for model in sorted(self.models.values(), key=lambda m: m.name.lower()):
            if model.maker not in self.orgs and self.hand.organisation(model.maker) is None:
                continue
            if self.hand.product(model.name) is None and not keep(model.name, model.name):
                continue
            variants = set(model.aliases) | _spellings(model.name)
            aliases = sorted(
                a for a in variants if name_key(a) != name_key(model.name) and keep(a, model.name)
            )
            lines += [
                "[[product]]",
                f"name = {_toml(model.name)}",
                f"maker = {_toml(model.maker)}",
                f"modality = {_toml(model.modality)}",
                f"year = {model.year}",
                f"aliases = {_toml_list(aliases)}",
            ]
            weak = sorted(w for w in model.weak if w == model.name or w in aliases)
            if weak and self.hand.product(model.name) is None:
                lines += [f"weak = {_toml_list(weak)}", "strict = true"]
            lines.append("")
        return "\n".join(lines)


def _clean_model(raw: str) -> tuple[str, set[str]]:
    """A model's name without sizes, dates and variants in parentheses; nicknames given
    in parentheses ("Gemini 2.5 Flash Image (Nano Banana)") are aliases."""
    aliases: set[str] = set()
    for inner in _PARENTHESIS.findall(raw):
        inner = inner.strip()
        if (
            inner
            and inner.isascii()
            and not _DATE_WORDS.match(inner)
            and not _SIZE.fullmatch(" " + inner)
            and inner[:1].isupper()
            and not re.search(r"\d", inner)
            and len(inner.split()) <= 3
        ):
            aliases.add(inner)
    name = _PARENTHESIS.sub("", raw)
    name = _SIZE.sub("", name)
    name = _TRAILING.sub("", name)
    name = " ".join(name.split()).strip(" -_")
    if not name.isascii():
        return "", set()
    return name, {a for a in aliases if a != name}


def _family_stem(name: str) -> str | None:
    """ "GLM" of "GLM-4.7", "Qwen" of "Qwen3-Max", "Kimi" of "Kimi K2"; None when the
    name carries no version after its first word."""
    first = re.split(r"[\s_-]", name, maxsplit=1)[0]
    match = _STEM.match(first)
    if not match:
        return None
    stem = match.group(1)
    rest = name[len(stem) :]
    return stem if _VERSION_START.match(rest) else None


def _spellings(name: str) -> set[str]:
    """Other ways the press writes a versioned name: "GLM 4.5" for "GLM-4.5", "Qwen 3" for
    "Qwen3"."""
    found = set()
    spaced = re.sub(r"(?<=[A-Za-z])-(?=\d)", " ", name)
    if spaced != name:
        found.add(spaced)
    split = re.sub(r"^([A-Za-z]{2,})(\d)", r"\1 \2", name)
    if split != name:
        found.add(split)
    return found


def _toml(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _toml_list(items: list[str]) -> str:
    return "[" + ", ".join(_toml(item) for item in items) + "]"


def build_models(source: Path, hand: KnowledgeBase) -> tuple[str, list[str]]:
    """The generated models file and the aliases left out because others claim them."""
    builder = Builder(hand)
    with source.open(encoding="utf-8", newline="") as handle:
        rows = [row for row in csv.DictReader(handle) if row["Publication date"] >= SINCE]
    for row in rows:
        builder.model(row)
    builder.families()
    return builder.render_models(), builder.dropped


_US_STATES = [
    "Alabama",
    "Alaska",
    "Arizona",
    "Arkansas",
    "California",
    "Colorado",
    "Connecticut",
    "Delaware",
    "Florida",
    "Georgia",
    "Hawaii",
    "Idaho",
    "Illinois",
    "Indiana",
    "Iowa",
    "Kansas",
    "Kentucky",
    "Louisiana",
    "Maine",
    "Maryland",
    "Massachusetts",
    "Michigan",
    "Minnesota",
    "Mississippi",
    "Missouri",
    "Montana",
    "Nebraska",
    "Nevada",
    "New_Hampshire",
    "New_Jersey",
    "New_Mexico",
    "New_York",
    "North_Carolina",
    "North_Dakota",
    "Ohio",
    "Oklahoma",
    "Oregon",
    "Pennsylvania",
    "Rhode_Island",
    "South_Carolina",
    "South_Dakota",
    "Tennessee",
    "Texas",
    "Utah",
    "Vermont",
    "Virginia",
    "Washington",
    "West_Virginia",
    "Wisconsin",
    "Wyoming",
]


def build_governments(hand: KnowledgeBase) -> str:
    """Countries (ISO 3166) and US states as government organisations.

    A country's bare name is weak and strict: "in Saudi Arabia" is a place, so the name
    stands for the government only where the sentence says so ("government", "ministry")
    or the government is named in full elsewhere; "Government of X" and official names
    are strong.
    """
    import pycountry

    lines = [
        "# GENERATED by scripts/build_knowledge.py: do not edit.",
        "# Countries from ISO 3166 (pycountry) and the US states, as governments: parties to",
        "# national AI partnerships, plaintiffs and regulators.",
        "",
    ]
    claimed: set[str] = set()
    context = ["government", "governments", "ministry", "minister", "kingdom", "state", "national"]
    entries: list[tuple[str, list[str], list[str]]] = []
    for country in sorted(pycountry.countries, key=lambda c: c.name):
        short = getattr(country, "common_name", None) or country.name
        if "," in short or "(" in short:
            continue
        names = [short, country.name, getattr(country, "official_name", "") or ""]
        aliases = [f"Government of {short}", f"{short} government", f"{short}n government"]
        aliases += [n for n in names[1:] if n and "," not in n and "(" not in n]
        entries.append((f"Government of {short}", [short, *aliases], [short]))
    for raw in _US_STATES:
        state = raw.replace("_", " ")
        entries.append(
            (
                f"State of {state}",
                [state, f"{state} state government", f"{state} Attorney General"],
                [state],
            )
        )
    for name, aliases, weak in entries:
        if hand.lookup(name) is not None:
            continue
        keep: list[str] = []
        for alias in dict.fromkeys(aliases):
            key = name_key(alias)
            if key in claimed or (hand.lookup(alias) is not None) or alias == name:
                continue
            claimed.add(key)
            keep.append(alias)
        claimed.add(name_key(name))
        weak = [w for w in weak if w in keep]
        lines += [
            "[[organisation]]",
            f"name = {_toml(name)}",
            'kind = "government"',
            f"aliases = {_toml_list(keep)}",
        ]
        if weak:
            lines += [
                f"weak = {_toml_list(weak)}",
                "strict = true",
                f"context = {_toml_list(context)}",
            ]
        lines.append("")
    return "\n".join(lines)


def main() -> int:
    """Write (or, with --check, compare) the generated files."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--check", action="store_true", help="fail if the files are out of date")
    parser.add_argument("--source", type=Path, default=SOURCE)
    args = parser.parse_args()
    hand = load_knowledge_base(generated=False)
    models, dropped = build_models(args.source, hand)
    outputs = {
        KNOWLEDGE / "generated_models.toml": models,
        KNOWLEDGE / "generated_governments.toml": build_governments(hand),
    }
    stale = [
        path
        for path, text in outputs.items()
        if not path.exists() or path.read_text(encoding="utf-8") != text
    ]
    if args.check:
        for path in stale:
            print(
                f"{path.relative_to(ROOT)} is out of date: run scripts/build_knowledge.py",
                file=sys.stderr,
            )
        return 1 if stale else 0
    for path, text in outputs.items():
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path.relative_to(ROOT)} ({text.count('[[')} entries)")
    if dropped:
        print(f"{len(dropped)} aliases left out (another entry claims them):")
        for line in dropped:
            print("  " + line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
