"""Short texts about real AI-industry events: what IS found and what is NOT."""

from __future__ import annotations

import pytest

from aiwatch.feeds.extract import extract_text
from aiwatch.feeds.knowledge.base import KnowledgeBase, load_knowledge_base
from aiwatch.feeds.records import Extraction


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_knowledge_base()


def run(kb: KnowledgeBase, text: str, title: str = "") -> Extraction:
    return extract_text(text, kb, title=title)


def pairs(found: Extraction) -> set[tuple[tuple[str, ...], str]]:
    return {(p.parties, p.certainty) for p in found.partnerships}


# --- partnerships ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "parties", "kind"),
    [
        (
            "Microsoft Corp. is investing another $10 billion in OpenAI, the startup behind "
            "ChatGPT, deepening a partnership that began in 2019.",
            ("Microsoft", "OpenAI"),
            "investment",
        ),
        (
            "OpenAI and the Associated Press said Thursday they had reached a deal to license AP's "
            "archive of news stories.",
            ("Associated Press", "OpenAI"),
            "licensing",
        ),
        (
            "Axel Springer and OpenAI have announced a global partnership to strengthen "
            "independent journalism in the age of artificial intelligence.",
            ("Axel Springer", "OpenAI"),
            "content",
        ),
        (
            "Google signed a content licensing agreement with Reddit worth about $60 million a "
            "year to train its AI models on user posts.",
            ("Google", "Reddit"),
            "licensing",
        ),
        (
            "Amazon has completed its $4 billion investment in Anthropic, making AWS the "
            "startup's primary cloud provider.",
            ("Amazon", "Anthropic"),
            "investment",
        ),
        (
            "Mistral AI has partnered with Microsoft to distribute its Mistral Large model on "
            "Azure.",
            ("Microsoft", "Mistral AI"),
            "distribution",
        ),
        (
            "Apple is integrating OpenAI's ChatGPT into Siri across iPhone, iPad and Mac.",
            ("Apple", "OpenAI"),
            "distribution",
        ),
    ],
)
def test_partnerships_are_found(
    kb: KnowledgeBase, text: str, parties: tuple[str, ...], kind: str
) -> None:
    found = run(kb, text)
    (partnership,) = found.partnerships
    assert partnership.parties == parties
    assert (partnership.kind, partnership.certainty) == (kind, "fact")
    assert partnership.evidence == text


def test_partnership_status_and_focus(kb: KnowledgeBase) -> None:
    found = run(
        kb,
        "Anthropic expanded its partnership with Google to use up to one million "
        "TPUs for training future Claude models.",
    )
    (partnership,) = found.partnerships
    assert partnership.status == "expanded"
    assert partnership.kind == "compute"
    assert "one million TPUs" in partnership.focus


def test_rumour_and_negation(kb: KnowledgeBase) -> None:
    rumour = run(kb, "Apple is reportedly in talks with Google to use Gemini to power Siri.")
    assert pairs(rumour) == {(("Apple", "Google"), "rumour")}
    assert rumour.partnerships[0].status == "rumoured"
    denied = run(kb, "OpenAI denied that it is partnering with Apple on a new device.")
    assert pairs(denied) == {(("Apple", "OpenAI"), "negated")}
    negated = run(kb, "Meta is not partnering with Google on its next Llama models.")
    assert pairs(negated) == {(("Google", "Meta"), "negated")}


@pytest.mark.parametrize(
    "text",
    [
        "Nvidia agreed to acquire Run:ai, an Israeli AI infrastructure startup, for $700 million.",
        "Databricks is buying MosaicML in a $1.3 billion deal to help customers train AI models.",
        "Elon Musk's xAI merged with X, the social media platform, in an all-stock deal.",
        "Nike and Foot Locker renewed their distribution agreement for another five years.",
        "Apple and Broadcom signed a multibillion-dollar agreement for 5G radio components.",
        "Executives from Microsoft, Google and Meta attended the AI summit in Paris.",
        "However, both Midjourney and Meta have been embroiled in copyright lawsuits.",
    ],
)
def test_not_partnerships(kb: KnowledgeBase, text: str) -> None:
    assert run(kb, text).partnerships == ()


def test_acquisition_gets_a_topic_not_a_partnership(kb: KnowledgeBase) -> None:
    found = run(kb, "Nvidia agreed to acquire Run:ai, an Israeli AI startup, for $700 million.")
    assert "acquisition" in found.topics and not (
        found.partnerships or found.products or found.cases
    )


# --- products --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "OpenAI launched Sora, its video generation model, to paying ChatGPT subscribers.",
            {
                ("Sora", "OpenAI", "video", "released", True),
                ("ChatGPT", "OpenAI", "text", "mentioned", False),
            },
        ),
        (
            "Google unveiled Veo 3 at I/O, and the model is now available in the Gemini app.",
            {
                ("Veo 3", "Google", "video", "announced", True),
                ("Gemini", "Google", "multimodal", "mentioned", False),
            },
        ),
        (
            "Anthropic released Claude 3.5 Sonnet, which beats GPT-4o on coding benchmarks.",
            {
                ("Claude 3.5 Sonnet", "Anthropic", "multimodal", "released", True),
                ("GPT-4o", "OpenAI", "multimodal", "mentioned", False),
            },
        ),
        (
            "Meta released Llama 3.1 405B as open weights on Tuesday.",
            {("Llama 3.1", "Meta", "text", "released", True)},
        ),
        (
            "Stability AI opened a waitlist for an early preview of Stable Diffusion 3.",
            {("Stable Diffusion 3", "Stability AI", "image", "preview", True)},
        ),
        (
            "Meta has hinted at Movie Gen, which has not yet been released to the public.",
            {("MovieGen", "Meta", "video", "hinted", False)},
        ),
        (
            "Midjourney's new AI video model can animate still images into short clips.",
            {("Midjourney Video", "Midjourney", "video", "mentioned", False)},
        ),
        (
            "Suno launched Suno v4, its new music model, for paying subscribers.",
            {("Suno v4", "Suno", "audio", "released", True)},
        ),
    ],
)
def test_products(kb: KnowledgeBase, text: str, expected: set[tuple[object, ...]]) -> None:
    found = run(kb, text)
    got = {(p.name, p.maker, p.modality, p.status, p.is_launch) for p in found.products}
    assert got == expected


def test_generic_model_phrase_needs_the_maker_as_possessor(kb: KnowledgeBase) -> None:
    found = run(kb, "OpenAI said its new video model will compete with Midjourney.")
    assert found.products == ()
    versioned = run(kb, "Midjourney said its new image model is faster than before.")
    assert versioned.products == ()  # V5, V6 or V7? A versioned line has no generic name


def test_chips_are_a_topic_not_a_product(kb: KnowledgeBase) -> None:
    found = run(
        kb,
        "Nvidia said its Blackwell GPUs are sold out for the next 12 months as "
        "demand for AI chips soars.",
    )
    assert not (found.partnerships or found.products or found.cases) and "chips" in found.topics
    assert [c.name for c in found.companies] == ["Nvidia"]


# --- cases -----------------------------------------------------------------------------------


def test_nyt_case_with_court_docket_and_claims(kb: KnowledgeBase) -> None:
    found = run(
        kb,
        "The New York Times filed a lawsuit against Microsoft and OpenAI in the "
        "U.S. District Court for the Southern District of New York, Case No. "
        "1:23-cv-11195, accusing them of copyright infringement.",
    )
    (case,) = found.cases
    assert case.plaintiffs == ("The New York Times",)
    assert case.defendants == ("Microsoft", "OpenAI")
    assert case.court == "U.S. District Court for the Southern District of New York"
    assert case.docket == "1:23-cv-11195"
    assert (case.stage, case.kind, case.claims) == ("filed", "lawsuit", ("copyright",))


@pytest.mark.parametrize(
    ("text", "caption", "plaintiffs", "defendants", "stage", "ruling"),
    [
        (
            "In Andersen v. Stability AI, the judge allowed the artists' copyright claims to "
            "move forward.",
            "Andersen v. Stability AI",
            ("Andersen",),
            ("Stability AI",),
            "ruling",
            None,
        ),
        (
            "Anthropic will pay $1.5 billion to settle Bartz v. Anthropic, a class action over "
            "pirated books.",
            "Bartz v. Anthropic",
            ("Bartz",),
            ("Anthropic",),
            "settled",
            None,
        ),
        (
            "Judge Vince Chhabria granted summary judgment to Meta in Kadrey v. Meta, finding its "
            "training on books was fair use.",
            "Kadrey v. Meta",
            ("Richard Kadrey",),
            ("Meta",),
            "ruling",
            "fair use",
        ),
        (
            "Getty Images v. Stability AI went to trial in London's High Court over the use of "
            "millions of photos.",
            "Getty Images v. Stability AI",
            ("Getty Images",),
            ("Stability AI",),
            "filed",
            None,
        ),
    ],
)
def test_captioned_cases(
    kb: KnowledgeBase,
    text: str,
    caption: str,
    plaintiffs: tuple[str, ...],
    defendants: tuple[str, ...],
    stage: str,
    ruling: str | None,
) -> None:
    (case,) = run(kb, text).cases
    assert (case.caption, case.plaintiffs, case.defendants) == (caption, plaintiffs, defendants)
    assert (case.stage, case.ruling) == (stage, ruling)


def test_ross_loses_fair_use(kb: KnowledgeBase) -> None:
    found = run(
        kb,
        "Thomson Reuters won a partial summary judgment against Ross Intelligence, "
        "with Judge Stephanos Bibas rejecting the fair use defense.",
    )
    (case,) = found.cases
    assert (case.plaintiffs, case.defendants) == (("Thomson Reuters",), ("Ross Intelligence",))
    assert (case.stage, case.ruling) == ("ruling", "not fair use")
    assert "Stephanos Bibas" in found.people


def test_studios_and_labels_sue(kb: KnowledgeBase) -> None:
    studios = run(
        kb,
        "Disney and NBCUniversal sued Midjourney, alleging the image generator "
        "is a bottomless pit of plagiarism.",
    )
    assert [(c.plaintiffs, c.defendants) for c in studios.cases] == [
        (("Disney", "NBCUniversal"), ("Midjourney",))
    ]
    labels = run(
        kb,
        "Universal Music Group, Sony Music and Warner Records sued Suno and Udio "
        "for copyright infringement.",
    )
    (case,) = labels.cases
    assert case.plaintiffs == ("Sony Music", "Universal Music Group", "Warner Music Group")
    assert case.defendants == ("Suno", "Udio")


def test_lesser_legal_actions(kb: KnowledgeBase) -> None:
    (letter,) = run(
        kb, "Disney sent a cease-and-desist letter to Character.AI over its chatbots."
    ).cases
    assert (letter.kind, letter.plaintiffs, letter.defendants) == (
        "cease-and-desist",
        ("Disney",),
        ("Character.AI",),
    )
    (claim,) = run(kb, "OpenAI accused DeepSeek of distilling its AI models.").cases
    assert (claim.kind, claim.plaintiffs, claim.defendants) == (
        "accusation",
        ("OpenAI",),
        ("DeepSeek",),
    )


@pytest.mark.parametrize(
    "text",
    [
        "In Epic Games v. Apple, the Ninth Circuit upheld the contempt ruling against Apple "
        "over App Store fees.",
        "Masimo won a $634 million jury verdict against Apple over blood-oxygen patents.",
        "Sam Altman said OpenAI expects to reach $100 billion in revenue by 2027.",
    ],
)
def test_no_cases(kb: KnowledgeBase, text: str) -> None:
    assert run(kb, text).cases == ()


# --- names -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Apple pie sales rose sharply this autumn, bakers said.",
        "Claude Shannon laid the foundations of information theory.",
        "The Gemini constellation is easy to spot in winter.",
        "Arm in arm, the runners crossed the finish line.",
        "A llama named Llama Del Rey became a local celebrity.",
    ],
)
def test_common_words_are_not_companies(kb: KnowledgeBase, text: str) -> None:
    found = run(kb, text)
    assert found.companies == () and found.products == ()


def test_possessives_width_and_invisible_characters(kb: KnowledgeBase) -> None:
    found = run(kb, "Ｏｐｅｎ\u200bＡＩ’s Sora and Anthropic's Claude were mentioned.")
    assert [c.name for c in found.companies] == ["OpenAI", "Anthropic"]
    assert {p.name for p in found.products} == {"Sora", "Claude"}


def test_unknown_organisations_are_unverified(kb: KnowledgeBase) -> None:
    found = run(kb, "OpenAI partnered with Acme Robotics Inc. to build humanoid robots.")
    assert pairs(found) == {(("Acme Robotics", "OpenAI"), "fact")}
    acme = next(c for c in found.companies if c.name == "Acme Robotics")
    assert not acme.verified
    caption = run(kb, "Tremblay v. OpenAI was consolidated with other authors' AI cases.")
    assert caption.cases[0].plaintiffs == ("Tremblay",)
    assert any(c.name == "Tremblay" and not c.verified for c in caption.companies)
    startup = run(kb, "The AI startup Zephyrine raised $20 million from investors.")
    assert [(c.name, c.verified) for c in startup.companies] == [("Zephyrine", False)]


def test_lawsuit_brought_by(kb: KnowledgeBase) -> None:
    (case,) = run(
        kb,
        "A judge dismissed the lawsuit brought by Raw Story against OpenAI over "
        "its AI training data.",
    ).cases
    assert (case.plaintiffs, case.defendants, case.stage) == (
        ("Raw Story",),
        ("OpenAI",),
        "dismissed",
    )


def test_rule_patterns_have_no_formatting_artefacts() -> None:
    """An rf-string turns ``{0,3}`` into the tuple "(0, 3)": a silently dead rule."""
    import re

    from aiwatch.feeds.extract import lawsuit_rules, partnership_rules

    for module in (lawsuit_rules, partnership_rules):
        for rule in module.RULES:
            assert not re.search(r"\(\d+, \d+\)", rule.pattern.pattern), rule.pattern.pattern


def test_branded_suffixes_are_unverified_companies(kb: KnowledgeBase) -> None:
    found = run(kb, "Zephyr AI raised $20 million. Generative AI and Responsible AI are trends.")
    assert [(c.name, c.verified) for c in found.companies] == [("Zephyr AI", False)]
    labs = run(kb, "OpenAI partnered with Acme Labs to build warehouse robots.")
    assert pairs(labs) == {(("Acme Labs", "OpenAI"), "fact")}


def test_bare_version_needs_its_maker_in_the_sentence(kb: KnowledgeBase) -> None:
    found = run(kb, "Midjourney released V7, its first new image model in nearly a year.")
    assert [(p.name, p.status) for p in found.products] == [("Midjourney V7", "released")]
    assert run(kb, "Midjourney is growing. Its V7 engine is fast.").products == ()
    assert run(kb, "The V7 engine is fast.").products == ()
