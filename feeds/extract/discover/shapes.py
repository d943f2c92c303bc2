"""What names look like: the word shapes the discovery rules share."""

from __future__ import annotations

import re

from aiwatch.feeds.extract.sentences import Sentence

# A version: "3", "3.5", "4o", "2.0", "K3", "V4", "R1", "M2.5", "v6.1"; never a year.
VERSION = re.compile(r"(?:[vVkKrRmMoO]?\d{1,3}(?:\.\d{1,3}){0,2}[a-z]?)(?![\w.]*\d)")
YEAR = re.compile(r"(?:19|20)\d\d$")
# Editions and sizes that follow a model family's name.
TIERS = frozenset(
    [
        "Pro",
        "Flash",
        "Lite",
        "Mini",
        "mini",
        "Nano",
        "nano",
        "Ultra",
        "Turbo",
        "Max",
        "Plus",
        "Omni",
        "Instant",
        "Air",
        "Live",
        "Thinking",
        "Think",
        "Preview",
        "preview",
        "Sonnet",
        "Opus",
        "Haiku",
        "Fast",
        "Heavy",
        "Code",
        "Coder",
        "Vision",
        "VL",
        "Realtime",
        "Small",
        "Medium",
        "Large",
        "XL",
        "Edge",
        "Lightning",
        "Reasoning",
        "Deep",
        "Research",
        "Image",
        "Video",
        "Audio",
        "Voice",
        "Agent",
        "Base",
        "Instruct",
        "Chat",
        "Embedding",
        "Guard",
        "Scout",
        "Maverick",
        "Behemoth",
        "Beta",
        "Alpha",
        "Next",
        "Open",
    ]
)
TIERS_LOWER = frozenset(t.lower() for t in TIERS)
# Nouns that say the name before or after them is a product.
PRODUCT_NOUNS = frozenset(
    [
        "model",
        "models",
        "system",
        "systems",
        "tool",
        "tools",
        "feature",
        "features",
        "app",
        "apps",
        "application",
        "assistant",
        "assistants",
        "agent",
        "agents",
        "chatbot",
        "chatbots",
        "service",
        "platform",
        "api",
        "apis",
        "browser",
        "robot",
        "robots",
        "product",
        "products",
        "version",
        "family",
        "suite",
        "engine",
        "generator",
        "editor",
        "plugin",
        "extension",
        "device",
        "headset",
        "glasses",
        "chip",
        "chips",
        "llm",
        "llms",
        "sdk",
        "framework",
        "interface",
        "mode",
        "solution",
        "offering",
        "classifier",
    ]
)
COMPANY_NOUNS = frozenset(
    [
        "startup",
        "start-up",
        "company",
        "firm",
        "lab",
        "laboratory",
        "developer",
        "maker",
        "automaker",
        "carmaker",
        "chipmaker",
        "drugmaker",
        "retailer",
        "bank",
        "insurer",
        "carrier",
        "operator",
        "conglomerate",
        "provider",
        "manufacturer",
        "publisher",
        "studio",
        "agency",
        "fund",
        "investor",
        "nonprofit",
        "foundation",
        "institute",
        "university",
        "team",
        "unit",
        "subsidiary",
        "supplier",
        "vendor",
        "giant",
        "outfit",
        "venture",
    ]
)
CALENDAR = frozenset(
    [
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ]
)
"""Days and months: capitalised, never a name's first word nor (after "on") its last."""
STOP = CALENDAR | frozenset(
    [
        "The",
        "A",
        "An",
        "This",
        "That",
        "These",
        "Those",
        "It",
        "Its",
        "In",
        "On",
        "At",
        "For",
        "With",
        "From",
        "By",
        "And",
        "Or",
        "But",
        "If",
        "When",
        "While",
        "After",
        "Before",
        "As",
        "Our",
        "Your",
        "Their",
        "His",
        "Her",
        "We",
        "Us",
        "You",
        "They",
        "I",
        "He",
        "She",
        "Today",
        "Now",
        "New",
        "Here",
        "There",
        "What",
        "Why",
        "How",
        "Who",
        "Which",
        "Where",
        "Also",
        "Not",
        "No",
        "Yes",
        "All",
        "Some",
        "Every",
        "Each",
        "Both",
        "One",
        "Two",
        "Three",
    ]
)
# Words that begin no organisation's name: articles, days, nationalities, places.
NAME_STOP = STOP | frozenset(
    [
        "Chinese",
        "French",
        "American",
        "British",
        "German",
        "Japanese",
        "Korean",
        "Indian",
        "Israeli",
        "US",
        "UK",
        "EU",
        "AI",
        "Open",
        "Generative",
        "Silicon",
        "Valley",
        "San",
        "Francisco",
        "Paris",
        "London",
    ]
)
_CAPITAL_WORD = re.compile(r"(?<![\w'-])[A-Z][\w'-]{3,}")
_LOWER_WORD = re.compile(r"(?<![\w'-])[a-z][\w'-]{3,}")


# An ASCII text's runs of word characters (letters, digits, "_", "'", "-") by bytes: an
# upper-case letter becomes "A", a lower-case one "a", the rest of a run "0", anything
# else a space. A run of four or more starting with "A" is a `_CAPITAL_WORD` (whose
# look-behind makes it start a run, and its repeat take the rest), one with "a" a
# `_LOWER_WORD`; the regexes, tried at every character, cost several times more.
_RUN_CLASSES = bytes(
    65
    if 65 <= c <= 90
    else 97
    if 97 <= c <= 122
    else 48
    if c < 128 and (chr(c).isalnum() or chr(c) in "_'-")
    else 32
    for c in range(256)
)


def _word_counts(text: str) -> tuple[int, int]:
    """How many `_CAPITAL_WORD` and `_LOWER_WORD` matches ``text`` has."""
    if not text.isascii():
        return len(_CAPITAL_WORD.findall(text)), len(_LOWER_WORD.findall(text))
    capitals = lower = 0
    for run in text.encode("ascii").translate(_RUN_CLASSES).split():
        if len(run) > 3:
            if run[0] == 65:
                capitals += 1
            elif run[0] == 97:
                lower += 1
    return capitals, lower


def is_title_case(sentence: Sentence) -> bool:
    """A headline In Which Most Words Are Capitalised: capitals then say little."""
    capitals, lower = _word_counts(sentence.text)
    total = capitals + lower
    if total < 3:
        return sentence.zone in ("title", "headline")
    return capitals >= 0.6 * total


def is_version(token: str) -> bool:
    """A version number or code, not a year or a count with a unit."""
    return bool(VERSION.fullmatch(token)) and not YEAR.match(token)


def is_name_word(word: str) -> bool:
    """A capitalised word that may be part of a name (not a stop word)."""
    return bool(word) and word[0].isupper() and word not in STOP


def is_coined(word: str) -> bool:
    """A coined spelling: inner capitals or letters with digits ("DSpark", "BotBase", "ESMC",
    "Qwen3") - the shape of a product or company name rather than of an English word."""
    if len(word) < 3 or not word[0].isalpha():
        return False
    inner = word[1:]
    return (any(c.isupper() for c in inner) and any(c.islower() for c in word)) or (
        any(c.isdigit() for c in word) and any(c.isalpha() for c in inner)
    )


# A name as written after a cue: capitalised words, versions and a few joiners, or a
# quoted string.
_TOKEN = r"[A-Z0-9][\w+&'’-]*(?:\.[\w+&'’-]+)*"  # a dot only inside a token ("Z.ai", "4.5")
NAME = re.compile(rf"[\"“‘']?(?P<name>{_TOKEN}(?:\s+(?:{_TOKEN}|of|for|de|and|&|x)){{0,5}})")
QUOTED = re.compile(r"[\"“‘](?P<name>[^\"”’“‘\n]{2,60}?)[\"”’]")
_TRAILING = re.compile(r"(?:\s+(?:of|for|de|and|&|x))+$|[.,'’-]+$")


def tidy_name(name: str) -> str:
    """A name without trailing joiners or punctuation, its spaces collapsed."""
    name = " ".join(name.split())
    while True:
        shorter = _TRAILING.sub("", name)
        words = shorter.split()
        while words and words[-1] in STOP:
            words.pop()
        shorter = " ".join(words)
        if shorter == name:
            return name
        name = shorter
