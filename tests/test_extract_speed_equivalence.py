"""The extractor's short cuts give exactly what the plain computations they replace give."""

from __future__ import annotations

import random
import re
import re._constants as sre
import re._parser as sre_parse
from dataclasses import replace
from itertools import accumulate, pairwise, product

import pytest

from aiwatch.feeds.extract import (
    cases,
    cues,
    discover,
    legal,
    masks,
    names,
    partnerships,
    pipeline,
    products,
    sentences,
    support,
    topics,
    vocab,
)
from aiwatch.feeds.extract.discover import (
    Document,
    called,
    defined,
    numbered,
    organisations,
    shapes,
)
from aiwatch.feeds.extract.keys import KeyIndex, KeyText
from aiwatch.feeds.extract.lawsuit_rules import RULES as LAWSUIT_RULES
from aiwatch.feeds.extract.merge import merge_partnerships, merge_products
from aiwatch.feeds.extract.names import Mention
from aiwatch.feeds.extract.partnership_rules import RULES as PARTNERSHIP_RULES
from aiwatch.feeds.extract.partnership_rules import Rule as PartnershipRule
from aiwatch.feeds.extract.sentences import Sentence, normalize, split_sentences
from aiwatch.feeds.extract.words import Words
from aiwatch.feeds.knowledge.base import KnowledgeBase, load_knowledge_base
from aiwatch.feeds.records import PartnershipFact, ProductFact


def _texts(keys: list[str], count: int, seed: int) -> list[str]:
    """Random texts made of keys, pieces of keys and filler, so keys overlap and nest."""
    rng = random.Random(seed)
    pieces = [*keys, *(k[: rng.randint(1, len(k))] for k in keys), *(k[1:] for k in keys)]
    pieces += [" ", "  ", "\ue100", "\ue201", "-", "'s ", "e", "s", "a", "x", "\u0130", "\u00e9s"]
    return ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 14))) for _ in range(count)]


@pytest.mark.parametrize("run_limit", [None, 7])
@pytest.mark.parametrize(
    ("index", "rules"),
    [(partnerships._RULES, PARTNERSHIP_RULES), (cases._RULES, LAWSUIT_RULES)],
)
def test_key_index_selects_what_substring_tests_select(
    index: KeyIndex, rules: tuple, run_limit: int | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    if run_limit is not None:  # a small memo of runs starts over often
        monkeypatch.setattr("aiwatch.feeds.extract.keys._RUN_LIMIT", run_limit)
    needs = [getattr(rule, "needs", ()) for rule in rules]
    keys = sorted({k for rule, need in zip(rules, needs, strict=True) for k in (*rule.keys, *need)})
    for text in _texts(keys, 20_000, seed=len(rules)):
        expected = tuple(
            rule
            for rule, need in zip(rules, needs, strict=True)
            if any(k in text for k in rule.keys) and (not need or any(n in text for n in need))
        )
        assert index.select(text) == expected, text
        assert index.select(KeyText(text)) == expected, text


def test_key_index_finds_keys_that_overlap_a_longer_one() -> None:
    index = KeyIndex(
        ["use", "embed", "sembl"], [(("use",), ()), (("embed",), ()), (("sembl",), ())]
    )
    assert index.select("usembed") == ("use", "embed")
    assert index.select("usembl") == ("use", "sembl")
    assert index.select("embe") == ()
    assert index.select("us\u0130embed") == ("embed",)  # a non-ASCII letter ends a run


@pytest.mark.parametrize("splitter", [masks.STRONG_SPLIT, masks.FINE_SPLIT])
def test_clause_split_short_cut_splits_as_the_regex_does(splitter: re.Pattern[str]) -> None:
    pieces = [
        "a",
        "b",
        " ",
        ",",
        ";",
        "-",
        "(",
        ")",
        "\u2028",
        "\ue100",
        "İ",
        "but",
        "though",
        "whereas",
        "while",
        "however",
        "yet",
        "even as",
        "after",
        "and",
        "which",
        "x",
    ]
    for text in _texts(pieces, 20_000, seed=3):
        low = text.lower() if len(text.lower()) == len(text) else text
        cuts = [0] + [i for b in splitter.finditer(low) for i in b.span()] + [len(text)]
        expected = [
            p for p in (text[a:b] for a, b in zip(cuts[::2], cuts[1::2], strict=True)) if p.strip()
        ]
        assert [clause for clause, _ in masks._split(text, text.lower(), splitter)] == expected


@pytest.mark.parametrize("splitter", [masks.STRONG_SPLIT, masks.FINE_SPLIT])
def test_a_clause_cut_from_the_lower_case_text_is_the_clause_lowered(
    splitter: re.Pattern[str],
) -> None:
    pieces = [
        *("A", "b", " ", ",", ";", "-", "(", ")", "\u2028", "\u00a0", "\ue100", "'", "."),
        *("\u03a3", "\u03a3A", "A\u03a3", "\u0130", "\u00c9", "\u0345", "\u1e9e"),
        *("But", "though", "whereas", "While", "however", "yet", "even as", "after", "and"),
        "which",
    ]
    for text in _texts(pieces, 20_000, seed=4):
        for clause, low in masks._split(text, text.lower(), splitter):
            assert low == masks.lowered(clause), text


def test_topic_pairs_and_triples_found_in_the_joined_words_match_separate_scans() -> None:
    pieces = [*topics._TOPIC_OF, "to", "text", "image", "video", "ai", "a", "the", "x"]
    words_of = [w for piece in pieces for w in piece.replace("-", " ").split()]
    rng = random.Random(5)
    for _ in range(20_000):
        words = [rng.choice(words_of) for _ in range(rng.randint(0, 12))]
        expected = {topics._TOPIC_OF[w] for w in topics._SINGLE.intersection(words)}
        expected |= {
            topics._TOPIC_OF[" ".join(p)] for p in topics._PAIRS.intersection(pairwise(words))
        }
        triples = topics._TRIPLES.intersection(zip(words, words[1:], words[2:], strict=False))
        expected |= {topics._TOPIC_OF[" ".join(t)] for t in triples}
        found = topics.topics_of(words, [], [], [], ai_context=True)
        assert found == tuple(t for t in topics.ORDER if t in expected), words
        distinct = frozenset(words)
        assert topics.topics_of(words, [], [], [], ai_context=True, distinct=distinct) == found


@pytest.mark.parametrize("table", [vocab.KINDS, vocab.STATUSES, vocab.CLAIMS])
def test_vocabulary_pairs_looked_up_only_after_their_first_word(table: vocab.Vocabulary) -> None:
    words = [*table.single, *(w for pair in table.pairs for w in pair)]
    rng = random.Random(11)
    for _ in range(20_000):
        text = " ".join(
            rng.choice([*words, "the", "x", "\ue100", "-"]) for _ in range(rng.randint(0, 9))
        )
        tokens = vocab._tokens(text.lower())
        expected = {table.single[t] for t in table.single.keys() & tokens}
        expected |= {table.pairs[p] for p in table.pairs.keys() & pairwise(tokens)}
        assert table.labels(text) == expected, text


def test_unnamed_launch_tried_at_its_verbs_finds_what_a_search_finds() -> None:
    verbs = [*pipeline._UNNAMED_STARTS, "Introduc", "LAUNCH", "Ship", "roll", "xlaunch", "ntroduc"]
    rng = random.Random(7)
    for _ in range(20_000):
        parts = [
            rng.choice(["", "The lab ", "Sony ", "x", "-", "é "]),
            rng.choice(verbs),
            rng.choice(["", "es", "ed", "ing", "s", "ped", "s out", "ed  out", "x"]),
            rng.choice([" ", "  ", "", "\n", "-"]),
            rng.choice(["", "a ", "A "]),
            rng.choice(["three", "5", "a family of", "a pair of", "several", "one", "İ"]),
            rng.choice([" ", "", " new AI ", " small open ", " a b c d "]),
            rng.choice(["models", "tools", "Features", "modelsx", "cars", ""]),
            rng.choice(["", ".", " today", "x"]),
        ]
        text = "".join(parts)
        expected = pipeline._UNNAMED_LAUNCH.search(text) is not None
        assert pipeline._names_follow(text) == expected, text


def test_title_case_word_counts_by_bytes_count_what_the_regexes_count() -> None:
    pieces = ["Word", "word", "AI", "ai", "Abc", "abc", "X-ray", "it's", "'Tis", "_x", "9Lives"]
    pieces += [" ", "-", "'", ",", ".", "\n", "\t", "\x0b", "é", "Ω", "\ue100", "A", "b", "1"]
    for text in _texts(pieces, 20_000, seed=9):
        expected = (len(shapes._CAPITAL_WORD.findall(text)), len(shapes._LOWER_WORD.findall(text)))
        assert shapes._word_counts(text) == expected, text


def test_sentence_words_by_bytes_are_the_regex_words() -> None:
    pieces = ["Word", "x-ray", "A_B", "GPT-4", "it's", " ", "--", ",", ".", "\t", "é", "İ", "9"]
    for text in _texts(pieces, 20_000, seed=13):
        expected = set(support._WORDS.findall(text.lower()))
        assert support._words(Sentence(text, 0, "body")) == expected, text


def test_normalized_spaces_and_quotes_are_those_of_the_plain_computations() -> None:
    runs = re.compile(r"[ \t\u00a0\u2000-\u200a\u3000]+")
    quotes = str.maketrans(dict(sentences._QUOTES))
    pieces = [" ", "  ", "\t", "\u00a0", "\u2003", "\u3000", "a", "word", "\n", ".", "é"]
    pieces += ["\u2018", "\u2019", "\u201c", "\u201d", "\u2013", "\u2014", "\u2212", "'", '"']
    for text in _texts(pieces, 20_000, seed=29):
        assert sentences._SPACES.sub(" ", text) == runs.sub(" ", text), text
        straight = text
        for char, plain in sentences._QUOTES:
            straight = straight.replace(char, plain)
        assert straight == text.translate(quotes), text


def test_sentence_ends_found_among_full_stops_are_the_ends_of_the_plain_pattern() -> None:
    plain = re.compile(r"([.!?][.!?]*[\"')\]]*)\s+(?:-\s+)?(?=[\"'(\[]?[A-Z0-9])")
    pieces = [".", "!", "?", "...", "?!", '"', "'", ")", "]", "(", "[", " ", "  ", "\n", "\t"]
    pieces += ["- ", "-", "A", "The", "9", "a", "word", "U.S.", "é", "Ω", "\u2003", "\ue100"]
    for text in _texts(pieces, 20_000, seed=19):
        found = [
            (m.span(), m.span(1)) for m in sentences._BOUNDARY.finditer(sentences._full_stops(text))
        ]
        assert found == [(m.span(), m.span(1)) for m in plain.finditer(text)], text


@pytest.mark.parametrize("whole", [False, True])
def test_the_offsets_of_a_word_give_it_as_written(whole: bool) -> None:
    """The alias scan reads letter case at a word's offsets, not from a list of the words."""
    pieces = ["The", "the", "THE", "OpenAI", "openai", "x_y", "GPT-4", "4.5", " ", "  ", ",", "."]
    pieces += ["\n", "é", "Éa", "İ", "ß", "\ue100"]
    for text in _texts(pieces, 5_000, seed=23):
        words = Words(text, [(0, len(text))] if whole else ())
        written = [m.group() for m in re.finditer(r"\w+", text)]
        if text.isascii() or len(text.lower()) == len(text):
            assert words.lows == [w.lower() for w in written], text
        seen: dict[str, int] = {}
        for index, word in enumerate(words.lows):
            start, end = words.nth(index, seen.get(word, 0))
            seen[word] = seen.get(word, 0) + 1
            assert text[start:end].lower() == word, text
            if len(text.lower()) == len(text):
                assert text[start:end] == written[index], text


def test_a_normalised_ascii_sentence_defining_a_name_holds_is_a_or_are_a() -> None:
    spaces = [" ", "  ", "\t", " \t ", "\u00a0", "\x0b", "\u2003", "\r", "\n", ""]
    rng = random.Random(17)
    matched = 0
    for _ in range(20_000):
        slots = [
            rng.choice(["", "Intro. ", "x, ", "é: "]),
            rng.choice(["Muse Spark", "Kimi", "EuroLLM", "the", "X"]),
            rng.choice(spaces),
            rng.choice(["is", "are", "was"]),
            rng.choice(spaces),
            rng.choice(["a", "an", "the"]),
            rng.choice(spaces),
            rng.choice(["", "new ", "open\tvision "]),
            rng.choice(["model", "agent", "app", "car"]),
            rng.choice(["", ".", " for all."]),
        ]
        for sentence in split_sentences(normalize("".join(slots))):
            if any(defined._DEFINED.finditer(sentence.text)):
                matched += 1
                if sentence.text.isascii():
                    assert " is a" in sentence.text or " are a" in sentence.text, sentence.text
    assert matched > 500


# The patterns as they were written before their first letter came first: "\b" then the
# letter, which made the regex engine try the whole pattern at every character.
_BOUNDARY_FIRST = [
    (
        cases.CUES,
        r"\bsu(?:e|es|ed|ing|its?)\b|lawsuit|litigation|complaint|court|judge|rul(?:ed|ing)|"
        r"settle|cease|accus|infring|fair use|plaintiff|class action|\bv\.|legal action|trial|"
        r"allegation",
    ),
    (
        cases._LAWSUIT_WORDS,
        r"\bsu(?:e|es|ed|ing|its?)\b|lawsuit|complaint|court|litigation|\bfiling\b|\bmotion|"
        r"judgment|plaintiff|class\s+action|\bjudge\b|\bjury\b",
    ),
    (cases._NEGATED, r"\b(?:not|never|no)\s+(?:\w+\s+)?(?:sue|sued|suing|lawsuit)"),
    (
        cues.RUMOUR_ANYWHERE,
        r"\breportedly\b|\bpeople\s+(?:familiar|close|briefed)|\bsources?\s+(?:said|say|familiar|"
        r"close)|\bciting\s+(?:\w+\s+){0,3}?(?:people|sources|persons|executives)|\baccording\s+"
        r"to\s+(?:\w+\s+){0,2}?(?:people|sources|reports?)\b|\brumou?r(?:s|ed)?\b|\bsaid\s+to\s+"
        r"be\b|\bis\s+said\s+to\b|\bspeculat\w+|\breports?\s+(?:says?|said|shows?|suggests?)\b",
    ),
    (
        cues._FOCUS,
        r"\b(?:to\s+(?P<verb>co-develop|develop|build|create|bring|offer|use|train|license|"
        r"licence|power|integrate|deploy|provide|supply|distribute|share|display|deliver|show|"
        r"make|explore|launch|research|design|produce|improve|advance|accelerate|expand|give|let|"
        r"allow)|for|on|around|focus(?:ed|ing)?\s+on|aimed\s+at|covering|cent(?:red|ered)\s+on)"
        r"\s+(?P<focus>[^,;.()\"?!]{3,120})",
    ),
    (
        called._CUE,
        r"\b(?:called|dubbed|named|nicknamed|code-?named|known\s+as|branded(?:\s+as)?)\s+",
    ),
]


@pytest.mark.parametrize(
    ("pattern", "original"),
    _BOUNDARY_FIRST,
    ids=["CUES", "LAWSUIT_WORDS", "NEGATED", "RUMOUR_ANYWHERE", "FOCUS", "called"],
)
def test_letter_first_patterns_match_what_the_boundary_first_ones_matched(
    pattern: re.Pattern[str], original: str
) -> None:
    plain = re.compile(original)
    words = re.findall(r"[a-z]+", original.replace(r"\s+", " ").replace(r"\b", " "))
    pieces = [*words, *(w.capitalize() for w in words), " ", "  ", "_", "-", ".", ",", "é", "9"]
    pieces += ["\ue100", "'s ", "s", "v.", "x", "to ", "ai "]
    for text in _texts(pieces, 20_000, seed=len(original)):
        found = [(m.span(), m.groups()) for m in pattern.finditer(text)]
        assert found == [(m.span(), m.groups()) for m in plain.finditer(text)], text
    assert pattern.pattern != original


def test_a_sues_pattern_whose_rumour_cues_are_spelled_out_matches_as_before() -> None:
    plain = re.compile(
        r"threaten\w*\s+(?:to\s+sue|legal)|consider\w*\s+(?:legal|suing)|"
        r"(?:could|may|might|plans?\s+to)\s+sue"
    )
    pieces = ["threaten", "consider", "could", "may", "might", "plan", "plans", "to", "sue"]
    pieces += ["legal", "suing", "ed", " ", "  ", "x", "s"]
    for text in _texts(pieces, 20_000, seed=21):
        assert bool(cases._RUMOUR.search(text)) == bool(plain.search(text)), text


def test_numbered_candidates_at_the_classes_words_are_those_of_the_plain_search() -> None:
    pieces = ["Composer", "AFM", "about", "GPT", "x", "Q", "3", "2.5", "10", " ", "  ", "-"]
    pieces += ["%", ".", ",", "_", "é", "Kimi", "K2", "a1b", "\n", "Section", "Aa" * 11]
    found = 0
    for text in _texts(pieces, 20_000, seed=23):
        document = Document(KnowledgeBase([], []), text, [], Words(text), [], 0)
        expected = [
            m.span(1) for m in numbered._CANDIDATE.finditer(text) if m[1] not in numbered._COUNTERS
        ]
        assert [m.span(1) for m in numbered._candidates(document)] == expected, text
        found += bool(expected)
    assert found > 1000


def test_a_found_name_starting_inside_another_is_one_the_overlap_test_drops() -> None:
    """`organisations.find` passes over a name starting inside a known or found one before
    reading its end: the overlap test made once the end is known drops every such name."""
    rng = random.Random(31)
    for _ in range(20_000):
        known = sorted((s, s + rng.randint(1, 12)) for s in rng.sample(range(60), 5))
        starts = [start for start, _ in known]
        ends = list(accumulate((end for _, end in known), max))
        last = rng.choice([None, (rng.randint(0, 50), rng.randint(51, 70))])
        found = [] if last is None else [Mention(*last, "X", None, found_by="suffix")]
        begin = rng.randint(0, 70)
        if not organisations._starts_inside(begin, starts, ends, found):
            continue
        for end in range(begin + 2, begin + 30):
            overlapping_known = any(s < end and begin < e for s, e in known)
            assert organisations._overlaps(begin, end, starts, ends) == overlapping_known
            assert overlapping_known or (found and found[-1].end > begin), (known, begin, end)


def _names_before_plain(text: str, position: int, most: int) -> tuple[int, str] | None:
    """`organisations._names_before` without its test of the word before's first letter."""
    window = text[max(0, position - 16 * most) : position]
    if window.endswith(" ") or not window:
        return None
    taken: list[str] = []
    tokens = window.split(" ")
    for index in range(len(tokens) - 1, -1, -1):
        token = tokens[index]
        if len(taken) == most or not organisations._NAME_TOKEN.fullmatch(token):
            break
        if index == 0 and position - len(window) > 0:
            break
        taken.append(token)
    if not taken:
        return None
    name = " ".join(reversed(taken))
    start = position - len(name)
    if start > 0 and (text[start - 1].isalnum() or text[start - 1] in "_"):
        return None
    return start, name


def test_names_before_a_suffix_are_read_as_without_the_first_letter_test() -> None:
    pieces = ["Agility", "generative", "Open", "A", "Z", "a", "É", "x-ray", "O'Neil", "S.A"]
    pieces += [" ", "  ", "_", "-", ".", "9", "\ue100", "Aaaaaaaaaaaaaaaaaaaa", "aaaaaaaaaaaaaaaa"]
    found = 0
    for text in _texts(pieces, 20_000, seed=37):
        for position in range(len(text) + 1):
            for most in (2, 3):
                expected = _names_before_plain(text, position, most)
                assert organisations._names_before(text, position, most) == expected, text
                found += expected is not None
    assert found > 10_000


def test_context_cues_split_once_find_what_the_cue_by_cue_loop_finds() -> None:
    pieces = ["chip", "Chip", "AI", "ai", "text to video", "Text To", "video", "x", " ", "-"]
    pieces += ["\u0130", "é", "data center"]
    rng = random.Random(41)
    for text in _texts(pieces, 20_000, seed=41):
        context = tuple(rng.choice(pieces).strip() or "x" for _ in range(rng.randint(0, 4)))
        sentence = Sentence(text, 0, "body")
        words = support._words(sentence)
        low = text.lower()
        expected = any(
            (" " in c.lower() and c.lower() in low) or c.lower() in words for c in context
        )
        assert support._has_context(context, sentence, words) == expected, (context, text)


def test_a_weak_short_form_ruled_out_by_the_joined_surfaces_fits_no_surface() -> None:
    pieces = ["copilot", "github", "universal", "music", "group", " ", "  ", "\n", "x", "é"]
    rng = random.Random(43)
    for short in _texts(pieces, 20_000, seed=43):
        surfaces = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 5))) for _ in "abc"]
        head, tail = short + " ", " " + short
        joined = "\n" + "\n".join(surfaces) + "\n"
        fits = any(s.startswith(head) or s.endswith(tail) for s in surfaces)
        assert fits <= ("\n" + head in joined or tail + "\n" in joined), (short, surfaces)


def test_a_word_too_long_for_an_abbreviation_is_none() -> None:
    assert {a for a in sentences._ABBREVIATIONS if len(a) >= 5} == {"approx"}
    pieces = ["users", "Approx", "approx", "pprox", "U.S", "e.g", "Inc", "co", "a", "Dept"]
    pieces += [".", "!", "?", " ", '"', ")", "x", "é", "İ", "Ǆ", "ab.cde", "9"]
    checked = 0
    for line in _texts(pieces, 20_000, seed=47):
        for stop, char in enumerate(line):
            if char not in ".!?":
                continue
            for begin in (0, max(0, stop - 6)):
                if sentences._long_word_before(line, begin, stop):
                    checked += 1
                    assert not sentences._is_abbreviation(line, begin, stop + 1), (line, stop)
    assert checked > 5_000


def test_an_index_derived_from_a_knowledge_base_is_made_once_for_it() -> None:
    made: list[KnowledgeBase] = []

    def make(kb: KnowledgeBase) -> tuple[int, int]:
        made.append(kb)
        return len(kb.organisations()), len(kb.products())

    first, second = KnowledgeBase([], []), load_knowledge_base()
    assert first.derived(make) == (0, 0)
    assert second.derived(make) == (len(second.organisations()), len(second.products()))
    assert first.derived(make) == (0, 0)
    assert made == [first, second]
    matcher = names.matcher_for(second)
    assert names.matcher_for(second) is matcher
    fresh = names.Matcher(second)  # the same index as one made afresh
    assert (matcher._candidates, matcher.whole_names) == (fresh._candidates, fresh.whole_names)


@pytest.mark.parametrize(("status", "pattern"), products._CUES, ids=[s for s, _ in products._CUES])
def test_a_status_cue_pattern_matches_only_text_holding_one_of_its_stems(
    status: str, pattern: re.Pattern[str]
) -> None:
    words = re.findall(r"[a-z'-]+", re.sub(r"\\[a-z]|\(\?[:=!<]+", " ", pattern.pattern))
    pieces = [*words, *(w[:-1] for w in words if len(w) > 1), "s", "ed", "ing", "e", "x"]
    pieces += ["\ue200", "\ue100", ",", "yet", "been", "to", "not", "is", "now", "a", "new"]
    rng = random.Random(len(status))
    matched = 0
    for _ in range(20_000):
        count = rng.randint(1, 8)
        gaps = rng.choices([" ", " ", " ", "  ", "", "-"], k=count)
        text = "".join(rng.choice(pieces) + gap for gap in gaps)
        if pattern.search(text):
            matched += 1
            assert any(stem in text for stem in products._CUE_STEMS[status]), text
    assert matched > 1_000


def test_rumour_cues_searched_only_at_their_stems_are_those_the_pattern_finds() -> None:
    words = ["reportedly", "people", "familiar", "close", "briefed", "source", "sources", "said"]
    words += ["say", "citing", "persons", "executives", "according", "to", "reports", "report"]
    words += ["rumour", "rumor", "rumours", "rumored", "be", "is", "speculation", "speculat"]
    words += ["says", "shows", "suggests", "the", "x", "rumo", "\ue100", "-", "s"]
    rng = random.Random(59)
    matched = 0
    for _ in range(20_000):
        count = rng.randint(1, 7)
        gaps = rng.choices([" ", " ", " ", "  ", "", "_"], k=count)
        text = "".join(rng.choice(words) + gap for gap in gaps)
        expected = cues.RUMOUR_ANYWHERE.search(text) is not None
        assert cues.rumoured(text) == expected, text
        matched += expected
    assert matched > 2_000


def test_numbered_classes_read_possessively_match_as_the_backtracking_pattern() -> None:
    """After a run of letters only a space or digit can follow: giving letters back (the
    backtracking the possessive quantifier spares) never found another match."""
    plain = re.compile(rb"A(?<![aA0]A)[aA]*(?= ?0)")
    rng = random.Random(61)
    matched = 0
    for _ in range(20_000):
        classes = bytes(rng.choices(b"aaaAA00  .-_", k=rng.randint(0, 30)))
        found = [m.span() for m in numbered._NUMBERED_CLASSES.finditer(classes)]
        assert found == [m.span() for m in plain.finditer(classes)], classes
        matched += bool(found)
    assert matched > 2_000


def test_a_public_body_holds_a_head_then_of_or_for() -> None:
    pieces = [*organisations._PUBLIC_HEADS, "of", "for", "the", "U.S.", "US", "EU", "Energy"]
    pieces += ["Health", "and", "on", "AI", "Secretary", "Commerce's", "x", "Human", "Services"]
    rng = random.Random(67)
    matched = 0
    for _ in range(20_000):
        count = rng.randint(1, 7)
        gaps = rng.choices([" ", " ", " ", "  ", "\n", "", "\t"], k=count)
        text = "".join(rng.choice(pieces) + gap for gap in gaps)
        if organisations._PUBLIC_BODY.search(text):
            matched += 1
            assert organisations._PUBLIC_HEAD_OF.search(text), text
    assert matched > 300


@pytest.mark.parametrize(
    ("pattern", "original"),
    [
        (
            organisations._SUFFIXED,
            rf"\b((?:{organisations._NAME}\s+){{0,3}}{organisations._NAME})\s*,?\s+"
            r"(Inc|Corp|Corporation|Ltd|LLC|plc|GmbH|S\.A|Co)\b\.?",
        ),
        (
            legal.CAPTION,
            r"\b(?P<pl>[A-Z][\w.&'-]*(?:\s+(?:[A-Z][\w.&'-]*|of|the|and|&|de|for)){0,5}?)\s+"
            r"(?:v\.|vs\.?|versus)\s+(?P<df>[A-Z][\w.&'-]*(?:\s+(?:[A-Z][\w.&'-]*|of|the|and|&)){0,5})",
        ),
    ],
    ids=["SUFFIXED", "CAPTION"],
)
def test_capital_first_patterns_match_what_the_boundary_first_ones_matched(
    pattern: re.Pattern[str], original: str
) -> None:
    plain = re.compile(original)
    words = ["Acme", "Open", "AI", "Inc", "Corp", "Corporation", "Co", "Ltd", "S.A", "GmbH"]
    words += ["v.", "vs", "versus", "of", "the", "de", "x", "Foo.Bar", "Al's", "&", "-", "_"]
    words += ["é", "Éa", "9", "a", "Inc.", "Acme-AI"]
    rng = random.Random(71)
    matched = 0
    for _ in range(20_000):
        gaps = rng.choices([" ", " ", " ", "  ", ", ", ",", ".", "\n", ""], k=rng.randint(1, 9))
        text = "".join(rng.choice(words) + gap for gap in gaps)
        found = [(m.span(), m.groups()) for m in pattern.finditer(text)]
        assert found == [(m.span(), m.groups()) for m in plain.finditer(text)], text
        matched += bool(found)
    assert matched > 500
    assert pattern.pattern != original


def test_numbered_candidates_capital_first_match_as_the_look_behind_first_pattern() -> None:
    plain = re.compile(r"(?<![\w.-])([A-Z][A-Za-z]{1,20})(?=[ -]?\d)")
    pieces = ["Composer", "GPT", "Kimi", "K2", "x", "Q", "3", "2.5", " ", "  ", "-", ".", "_"]
    pieces += ["é", "É", "\u0663", "a1b", "\n", "Aa" * 11]
    matched = 0
    for text in _texts(pieces, 20_000, seed=79):
        found = [m.span(1) for m in numbered._CANDIDATE.finditer(text)]
        assert found == [m.span(1) for m in plain.finditer(text)], text
        for start in range(len(text)):
            match = numbered._CANDIDATE.match(text, start)
            expected = plain.match(text, start)
            assert (match and match.span(1)) == (expected and expected.span(1)), (text, start)
        matched += bool(found)
    assert matched > 1_000


def _sample(tree: sre_parse.SubPattern, rng: random.Random) -> str:
    """A random text of a parsed pattern: each alternative, repetition and character set
    chosen at random (look-arounds and anchors left out, so it may not match)."""
    out: list[str] = []
    for op, av in tree:
        if op is sre.LITERAL:
            out.append(chr(av))
        elif op is sre.IN and av[0][0] is sre.NEGATE:
            out.append(rng.choice("x ,"))
        elif op is sre.IN:
            chars = [chr(v) for o, v in av if o is sre.LITERAL]
            chars += [chr(rng.randint(*v)) for o, v in av if o is sre.RANGE]
            chars += [" " if v is sre.CATEGORY_SPACE else "x" for o, v in av if o is sre.CATEGORY]
            out.append(rng.choice(chars))
        elif op is sre.BRANCH:
            out.append(_sample(rng.choice(av[1]), rng))
        elif op is sre.SUBPATTERN:
            out.append(_sample(av[3], rng))
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
            low, high, sub = av
            out.extend(_sample(sub, rng) for _ in range(rng.randint(low, min(high, low + 2))))
        elif op in (sre.NOT_LITERAL, sre.ANY, sre.CATEGORY):
            out.append(" " if av is sre.CATEGORY_SPACE else "x")
    return "".join(out)


@pytest.mark.parametrize(
    "rule", [r for r in PARTNERSHIP_RULES if r.needs], ids=lambda r: r.pattern.pattern[:40]
)
def test_every_match_of_a_partnership_rule_holds_one_of_its_needs(rule: PartnershipRule) -> None:
    """Selection skips a rule on a sentence without one of its needs: texts sampled from
    the pattern, with words swapped among samples, hold one wherever the pattern matches."""
    rng = random.Random(rule.pattern.pattern)
    samples = [_sample(sre_parse.parse(rule.pattern.pattern), rng) for _ in range(300)]
    tokens = [token for sample in samples for token in sample.split(" ")]
    matched = 0
    for _ in range(10_000):
        words = rng.choice(samples).split(" ")
        for _ in range(rng.randint(0, 3)):
            words[rng.randrange(len(words))] = rng.choice(tokens)
        text = " ".join(words)
        if rule.pattern.search(text):
            matched += 1
            assert any(need in text for need in rule.needs), text
    assert matched > 3_000


def test_a_product_named_once_merges_into_an_equal_fact() -> None:
    """The short cut for a product with one fact returns what merging it gives."""
    for maker, status, is_launch, verified, found_by in product(
        ["", "Acme", None], ["mentioned", "announced"], [False, True], [False, True], ["", "called"]
    ):
        fact = ProductFact("X 2", maker, "", status, is_launch, "X 2 is out.", verified, found_by)
        expected = replace(fact, found_by="") if verified else fact
        assert merge_products([fact]) == [expected]
        assert merge_products([fact, fact]) == [expected]


def test_odd_shape_hints_found_by_their_second_byte_are_the_pairs_found() -> None:
    """A capital or digit looked back from marks the words the pairs "aA", "a0", "A0" do."""
    rng = random.Random(83)
    for _ in range(20_000):
        classes = bytes(rng.choices(b"aaaAA00  ", k=rng.randint(0, 30)))
        expected = set()
        for pair in (b"aA", b"a0", b"A0"):
            position = classes.find(pair)
            while position >= 0:
                expected.add(classes.rfind(b" ", 0, position) + 1)
                position = classes.find(pair, position + 1)
        found = {
            classes.rfind(b" ", 0, match.start()) + 1
            for hint in discover._HINTS
            for match in hint.finditer(classes)
        }
        assert found == expected, classes


def test_a_partnership_told_once_merges_into_an_equal_fact() -> None:
    """The short cut for parties with one fact (a focus of one part) returns what merging
    it gives."""
    for focus, kind, status, certainty, reported in product(
        ["", "cloud computing"],
        ["general", "investment"],
        ["announced", "ended"],
        ["fact", "rumour", "negated"],
        [False, True],
    ):
        fact = PartnershipFact(("A", "B"), focus, kind, status, certainty, "A and B.", reported)
        assert merge_partnerships([fact]) == [fact]
        assert merge_partnerships([fact, fact]) == [fact]


def test_the_masked_text_of_an_ascii_sentence_lowered_by_bytes_is_its_lower_case() -> None:
    pieces = ["A", "Z", "a", "z", "@", "[", "`", "{", " ", "Rival ", "OpenAI", "'s ", "-", "."]
    for text in _texts(pieces, 5_000, seed=5):
        if not text.isascii():
            continue  # (the pieces of `_texts` add placeholders and other letters)
        found = re.finditer("OpenAI", text)
        mentions = [Mention(m.start(), m.end(), m.group(), None) for m in found]
        masked = masks.mask(Sentence(text, 0, "body"), mentions)
        assert masked.lower() == masked.text.lower(), text
