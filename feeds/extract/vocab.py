"""Word-set classifiers: one tokenisation and dictionary look-ups instead of many regexes.

Each table maps a lower-case word, or a pair of adjacent words, to a label; a text gets
every label whose words it contains. Tables list inflections explicitly.
"""

from __future__ import annotations

import re
from itertools import pairwise

_TOKENS = re.compile(r"[a-z0-9]+(?:[-'][a-z0-9]+)*")
# ASCII text is tokenised as bytes: every character but letters, digits, "-" and "'"
# becomes a space (``bytes.translate`` is far faster than ``str.translate``).
_VOCAB_SEPARATORS = bytes(
    c if chr(c).isalnum() or chr(c) in "-'" else 32 for c in range(128)
) + bytes(range(128, 256))


def _tokens(low: str) -> list[str]:
    """The words of lower-case ``low``."""
    if low.isascii():
        return low.encode("ascii").translate(_VOCAB_SEPARATORS).decode("ascii").split()
    return _TOKENS.findall(low)


def _words(*groups: str) -> tuple[str, ...]:
    return tuple(word for group in groups for word in group.split())


class Vocabulary:
    """Ordered labels, each with single words and two-word phrases."""

    def __init__(self, table: tuple[tuple[str, tuple[str, ...]], ...]) -> None:
        self.order = tuple(label for label, _ in table)
        self.single: dict[str, str] = {}
        self.pairs: dict[tuple[str, str], str] = {}
        for label, entries in table:
            for entry in entries:
                parts = entry.split("_")
                if len(parts) == 1:
                    self.single.setdefault(entry, label)
                else:
                    self.pairs.setdefault((parts[0], parts[1]), label)
        self._firsts = frozenset(first for first, _ in self.pairs)  # a pair needs its first word

    def labels(self, text: str) -> set[str]:
        """Every label whose words occur in ``text``."""
        tokens = _tokens(text.lower())
        found = {self.single[t] for t in self.single.keys() & tokens}
        if not self._firsts.isdisjoint(tokens):
            found.update(self.pairs[p] for p in self.pairs.keys() & pairwise(tokens))
        return found

    def first(self, text: str) -> str | None:
        """The earliest-listed label present in ``text``."""
        found = self.labels(text)
        return next((label for label in self.order if label in found), None)


KINDS = Vocabulary(
    (
        (
            "licensing",
            _words(
                "license licenses licensed licensing licence licences licenced",
                "licencing licensor licensors",
            ),
        ),
        (
            "investment",
            _words(
                "invest invests invested investing investment investments stake",
                "stakes equity funding",
            ),
        ),
        (
            "compute",
            _words(
                "compute computing cloud gpu gpus tpu tpus chip chips accelerator",
                "accelerators supercomputer supercomputers supercomputing gigawatt",
                "gigawatts data_center data_centers data_centre data_centres",
                "tensor_processing",
            ),
        ),
        (
            "content",
            _words(
                "content news article articles archive archives journalism posts",
                "catalog catalogs catalogue catalogues publisher publishers dataset",
                "datasets training_data",
            ),
        ),
        (
            "distribution",
            _words(
                "integrate integrates integrated integrating integration",
                "available distribute distributes distributed distributing",
                "distribution bring brings bringing brought app apps power powers",
                "powering embed embeds embedded embedding default preinstall",
                "preinstalled platform platforms device devices",
            ),
        ),
        (
            "research",
            _words(
                "research researcher researchers researching develop develops",
                "developed developing development co-develop co-develops co-developed",
                "co-developing build builds building model models science scientist",
                "scientists scientific",
            ),
        ),
    )
)

STATUSES = Vocabulary(
    (
        (
            "ended",
            _words(
                "end ends ended ending terminate terminates terminated terminating",
                "termination scrap scraps scrapped dissolve dissolves dissolved dissolving",
                "expire expires expired cut_ties cuts_ties pull_out pulls_out pulled_out",
                "walk_away walks_away walked_away wind_down winds_down no_longer",
            ),
        ),
        (
            "amended",
            _words(
                "amend amends amended amending amendment renegotiate renegotiates",
                "renegotiated renegotiating renegotiation restructure restructures",
                "restructured restructuring revise revises revised revising rework",
                "reworks reworked reworking new_terms",
            ),
        ),
        (
            "expanded",
            _words(
                "expand expands expanded expanding expansion extend extends extended",
                "extending extension deepen deepens deepened deepening broaden",
                "broadens broadened broadening renew renews renewed renewing renewal",
                "additional another double doubles doubled doubling",
            ),
        ),
    )
)

CLAIMS = Vocabulary(
    (
        ("DMCA", _words("dmca digital_millennium copyright_management")),
        (
            "copyright",
            _words(
                "copyright copyrights copyrighted pirated piracy pirate pirates",
                "plagiarism plagiarized plagiarised plagiarizing infringe infringes",
                "infringed infringing infringement infringements",
            ),
        ),
        ("trademark", _words("trademark trademarks lanham watermark watermarks")),
        (
            "contract",
            _words("contract contracts contractual terms_of user_agreement", "founding_mission"),
        ),
        ("privacy", _words("privacy biometric wiretap wiretapping personal_data")),
        ("unfair-competition", _words("unfair_competition unjust_enrichment")),
        (
            "antitrust",
            _words(
                "antitrust monopoly monopolies monopolize monopolizing monopolise",
                "anticompetitive anti-competitive",
            ),
        ),
        ("defamation", _words("defamation defamatory defame defamed libel libelous slander")),
        ("right-of-publicity", _words("likeness right_of")),
        ("patent", _words("patent patents patented")),
        ("trade-secret", _words("trade_secret trade_secrets")),
        ("product-liability", _words("wrongful_death product_liability negligence negligent")),
    )
)
_NOT_COPYRIGHT = frozenset({"patent", "patents", "trademark", "trademarks"})


def claims_in(text: str) -> tuple[str, ...]:
    """Causes of action in ``text``; "patent infringement" alone is not copyright."""
    found = CLAIMS.labels(text)
    if "copyright" in found and not any(
        word in text.lower() for word in ("copyright", "pirat", "plagiar")
    ):
        tokens = _tokens(text.lower())
        if all(
            i > 0 and tokens[i - 1] in _NOT_COPYRIGHT
            for i, token in enumerate(tokens)
            if token.startswith("infring")
        ):
            found.discard("copyright")
    return tuple(label for label in CLAIMS.order if label in found)


AI_WORDS = frozenset(
    _words(
        """
        ai genai generative chatbot chatbots llm llms gpu gpus tpu tpus agi deepfake
        deepfakes multimodal
        """
    )
)
AI_PAIRS = frozenset(
    tuple(pair.split("_"))
    for pair in [
        "artificial_intelligence",
        "machine_learning",
        "deep_learning",
        "language_model",
        "language_models",
        "foundation_model",
        "foundation_models",
        "neural_network",
        "neural_networks",
        "training_data",
        "to_image",
        "to_video",
        "image_generation",
        "video_generation",
        "music_generation",
        "image_generator",
        "video_generator",
        "training_on",
        "trained_on",
        "train_on",
        "train_its",
        "train_their",
        "training_its",
        "training_their",
    ]
)

LEGAL_WORDS = frozenset(
    _words(
        """
        sue sues sued suing suit suits lawsuit lawsuits litigation complaint complaints
        court courts judge judges ruled ruling rulings settle settles settled settlement
        settling cease accuse accuses accused accusing accusation accusations infringe
        infringes infringed infringing infringement plaintiff plaintiffs trial allegation
        allegations fair legal v vs versus
        """
    )
)

STATUS_CUE_WORDS = frozenset(
    _words(
        """
        hint hints hinted hinting tease teases teased teasing works working development plan
        plans planned planning upcoming coming not yet delay delays delayed delaying
        expected could set still preview previews previewed previewing early beta alpha
        waitlist limited invite-only invite launch launches launched launching release
        releases released releasing roll rolls rolled rolling debut debuts debuted debuting
        ship ships shipped shipping made make makes making available live open opens opened
        opening arrive arrives arrived arriving announce announces announced announcing
        unveil unveils unveiled unveiling introduce introduces introduced introducing reveal
        reveals revealed revealing show shows showed showing won't reportedly add adds added
        adding bring brings bringing brought integrate integrates integrated integrating
        """
    )
)


def mentions_ai(words: frozenset[str], lows: list[str]) -> bool:
    """Whether a document's words talk about AI."""
    if not words.isdisjoint(AI_WORDS):
        return True
    return not AI_PAIRS.isdisjoint(pairwise(lows))
