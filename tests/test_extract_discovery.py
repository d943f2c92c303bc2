"""Open-world discovery: names the knowledge base does not hold, each found by one rule,
and never found where the rule's anchor or cue is missing."""

from __future__ import annotations

import pytest

from aiwatch.feeds.extract import extract_article, extract_text
from aiwatch.feeds.knowledge.base import KnowledgeBase, load_knowledge_base
from aiwatch.feeds.records import ArticleRecord, Extraction, Section


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_knowledge_base()


def products(found: Extraction) -> dict[str, tuple[str | None, str, bool, str]]:
    return {p.name: (p.maker, p.status, p.is_launch, p.found_by) for p in found.products}


@pytest.mark.parametrize(
    ("text", "name", "maker"),
    [
        (
            "Google released Gemini 4.2 Flash to developers on Tuesday.",
            "Gemini 4.2 Flash",
            "Google",
        ),
        ("Moonshot AI launched Kimi K4, its largest open model yet.", "Kimi K4", "Moonshot AI"),
        ("Alibaba released Qwen4.1-Max, a closed reasoning model.", "Qwen4.1-Max", "Alibaba"),
        ("Anthropic launched Claude Epic 6 for paying customers.", "Claude Epic 6", "Anthropic"),
        ("DeepSeek released DeepSeek V5 under an open licence.", "DeepSeek V5", "DeepSeek"),
        ("Google introduced ShieldGemma 3, a new safety model.", "ShieldGemma 3", "Google"),
    ],
)
def test_a_new_version_of_a_known_family_is_its_own_product(
    kb: KnowledgeBase, text: str, name: str, maker: str
) -> None:
    found = products(extract_text(text, kb))
    assert name in found, found
    assert found[name][0] == maker and found[name][2], found[name]  # made by, and launched
    assert kb.lookup(name) is None and found[name][3]  # discovered, so unverified


def test_a_family_spells_its_versions_its_own_way(kb: KnowledgeBase) -> None:
    found = products(extract_text("Zhipu AI released GLM5.3 and GLM 5.4 this week.", kb))
    assert {"GLM-5.3", "GLM-5.4"} <= set(found), found


def test_items_of_one_family_in_a_list_are_each_a_product(kb: KnowledgeBase) -> None:
    title = "Introducing Gemini 4.1 Flash, 4.0 Flash-Lite, and 4.0 Pro"
    found = extract_text("", kb, title=title, publisher="Google")  # Google's own feed
    assert {"Gemini 4.1 Flash", "Gemini 4.0 Flash-Lite", "Gemini 4.0 Pro"} <= set(products(found))


@pytest.mark.parametrize(
    "text",
    [
        "SpaceX launched a Falcon 9 rocket with 24 Starlink satellites.",  # no TII, no AI
        "Claude Shannon laid the foundations of information theory.",  # a person
        "Section 230 and Chapter 11 were debated in the Senate on Monday.",
        "The iPhone 17 and Windows 11 shipped in time for the holidays.",
    ],
)
def test_nothing_is_discovered_without_an_ai_anchor(kb: KnowledgeBase, text: str) -> None:
    found = extract_text(text, kb)
    assert not found.products and not found.partnerships, found


@pytest.mark.parametrize(
    ("text", "name", "rule"),
    [
        (
            'Sakana AI announced a new AI system called "The AI Scientist" that writes papers.',
            "The AI Scientist",
            "called",
        ),
        (
            "What's new: Nova Lab released Quill, an open-source AI agent that writes code.",
            "Quill",
            "launch",
        ),
        (
            "What's new: Tern 3 Core Pro, an AI model designed to run on phones, beats its rivals.",
            "Tern 3 Core Pro",
            "numbered",
        ),
        (
            "Meta introduced its first closed AI model. Muse Lark is a multimodal reasoning model.",
            "Muse Lark",
            "defined",
        ),
    ],
)
def test_names_found_by_their_cue(kb: KnowledgeBase, text: str, name: str, rule: str) -> None:
    found = products(extract_text(text, kb))
    assert found.get(name, ("", "", False, ""))[3] == rule, found
    assert found[name][2], "a new name defined where the news is told is announced"


def test_a_launch_verb_before_an_ordinary_phrase_finds_nothing(kb: KnowledgeBase) -> None:
    found = extract_text("OpenAI launched ahead of schedule and Groq Launches European Data", kb)
    assert not found.products


def test_a_possessive_names_the_maker_of_a_numbered_name(kb: KnowledgeBase) -> None:
    found = products(
        extract_text("Why Cursor's Composer 3.1 is cheaper than GPT-5 for AI coding", kb)
    )
    assert found["Composer 3.1"][0] == "Anysphere"


def test_names_announced_without_a_name_follow_in_the_next_sentences(kb: KnowledgeBase) -> None:
    text = (
        "What's new: OpenAI introduced three new audio models in its API. GPT-Voice-3 is a "
        "speech model. GPT-Voice-Translate translates speech between languages."
    )
    found = products(extract_text(text, kb))
    assert found["GPT-Voice-3"][2] and found["GPT-Voice-Translate"][2], found


@pytest.mark.parametrize(
    ("text", "name", "rule"),
    [
        (
            "Nvidia signed a supply deal with Agility Robotics for its humanoids.",
            "Agility Robotics",
            "head",
        ),
        (
            "Eli Lilly will pay AI drug-discovery company Xyzzy Bio $50 million to use its models.",
            "Xyzzy Bio",
            "descriptor",
        ),
        ("OpenAI partners with Zolvo to bring ChatGPT to India.", "Zolvo", "deal"),
        (
            "Anthropic partners with the U.S. Department of Energy on AI research.",
            "U.S. Department of Energy",
            "public body",
        ),
        ("Zephyr AI raised $20 million to build AI models.", "Zephyr AI", "suffix"),
    ],
)
def test_companies_found_by_a_corporate_cue(
    kb: KnowledgeBase, text: str, name: str, rule: str
) -> None:
    companies = {c.name: (c.verified, c.found_by) for c in extract_text(text, kb).companies}
    assert companies.get(name) == (False, rule), companies


def _companies(kb: KnowledgeBase, text: str) -> dict[str, str]:
    return {c.name: c.found_by for c in extract_text(text, kb).companies if not c.verified}


@pytest.mark.parametrize(
    ("text", "name"),
    [
        # a name that runs on into the word that ends it is read to that word
        (
            "The Northern Health Organization warned about AI chatbots.",
            "Northern Health Organization",
        ),
        (
            "The Federal Energy Commission questioned Nvidia about its chips.",
            "Federal Energy Commission",
        ),
        # ... and through "of"/"for" after such a word
        (
            "The Lakeside Institute of Technology built a model with Meta.",
            "Lakeside Institute of Technology",
        ),
        # a public body's parts may be several words, a title after it is not one of them
        (
            "The Oregon Department of Public Health asked OpenAI for data.",
            "Oregon Department of Public Health",
        ),
        ("The Department of Commerce Secretary met Nvidia's chief.", "Department of Commerce"),
        # a description glued before the name is not part of it
        (
            "Nvidia said the Oslo-based Fjord Robotics will use its chips in an AI arm.",
            "Fjord Robotics",
        ),
        # a corporate suffix after the name ends it
        ("Blogging firm owner Wordly Inc. released an AI writing tool.", "Wordly"),
    ],
)
def test_a_discovered_name_is_read_whole(kb: KnowledgeBase, text: str, name: str) -> None:
    found = _companies(kb, text)
    assert name in found, found


@pytest.mark.parametrize(
    ("text", "part"),
    [
        # the tail of a longer name
        ("Researchers at the Centre for Marine Robotics trained AI models.", "Marine Robotics"),
        ("Donors to the Future of Life Institute fund AI safety.", "Life Institute"),
        # a span that runs on into more capitalised words
        ("Orbital Security Updates arrive for AI PCs next month.", "Orbital Security"),
        ("Patients at Hospital Foundation Adolphe joined an AI study.", "Hospital Foundation"),
        ("Redbox owner Chicken Soup for the Soul Entertainment used AI tools.", "Chicken Soup"),
        # "AI" after an inflected word, before a noun it qualifies, or before a number
        ("Top AI companies raced to ship agents.", "Top AI"),
        ("Requiring AI labs to test models is popular.", "Requiring AI"),
        ("Suspecting AI cheating, a professor set an exam.", "Suspecting AI"),
        ("The Zentra AI 300 chips run models locally.", "Zentra AI"),
        # an appositive that is the subject of the next clause, or a person's work
        ("Rather, the company just wants to sell AI chips.", "Rather"),
        (
            "In Alphabet's Environmental Report, the company described its AI data centres.",
            "Environmental Report",
        ),
        ("Tomas Ferro, a Spanish software developer, released an AI tool.", "Tomas Ferro"),
        ("The app was found by artist and developer Mara Quill, who uses AI.", "Mara Quill"),
        # initials are a country, generic acronyms no company
        ("Anthropic signed an agreement with the U.S. government on AI.", "U.S"),
        ("OpenAI opened its new developer API to startups.", "API"),
        # "vs." outside a legal sentence compares; it is no caption
        ("Brightwater vs. Kestrel: which AI model writes better code?", "Brightwater"),
    ],
)
def test_no_company_where_the_cue_describes_something_else(
    kb: KnowledgeBase, text: str, part: str
) -> None:
    assert part not in _companies(kb, text)


def test_a_caption_in_a_legal_sentence_names_parties(kb: KnowledgeBase) -> None:
    found = _companies(
        kb, "The court heard Brightwater vs. Kestrel, a copyright suit over AI training."
    )
    assert found.get("Brightwater") == "caption" and found.get("Kestrel") == "caption", found
    assert _companies(kb, "Zentra AI raised $20 million to build AI models.") == {
        "Zentra AI": "suffix"
    }


def test_title_case_words_are_no_company_unless_a_party_stands_there(kb: KnowledgeBase) -> None:
    title = "Groq and Nvidia Enter Non-Exclusive Inference Technology Licensing Agreement"
    found = extract_text("", kb, title=title)
    assert [p.parties for p in found.partnerships] == [("Groq", "Nvidia")]
    assert {c.name for c in found.companies} == {"Groq", "Nvidia"}


def _feed_item(title: str, publisher: str, body: str = "") -> ArticleRecord:
    return ArticleRecord(
        source="https://news.example.com/feed",
        entry_key=title,
        url=None,
        title=title,
        published=None,
        summary=body,
        publisher=publisher,
    )


def test_the_publisher_is_the_party_its_own_headline_does_not_name(kb: KnowledgeBase) -> None:
    found = extract_article(_feed_item("A compute deal with SpaceX", "Anthropic"), kb)
    assert [p.parties for p in found.partnerships] == [("Anthropic", "SpaceX")]
    elsewhere = extract_article(_feed_item("A compute deal with SpaceX", ""), kb)
    assert not elsewhere.partnerships


def test_we_in_a_company_feed_is_the_publisher(kb: KnowledgeBase) -> None:
    item = _feed_item("News", "Groq", "Today we signed a partnership with Paytm to serve India.")
    assert [p.parties for p in extract_article(item, kb).partnerships] == [("Groq", "Paytm")]


def test_the_publisher_announces_its_own_new_products_in_its_titles(kb: KnowledgeBase) -> None:
    found = products(
        extract_article(_feed_item("Start building with Gemini 4.5 Pro", "Google"), kb)
    )
    assert found["Gemini 4.5 Pro"][:3] == ("Google", "announced", True)


def test_a_newsletter_reports_each_story_in_its_own_lead(kb: KnowledgeBase) -> None:
    filler = "Researchers compared many models on many tasks in a long study of results. " * 4
    body = "\n".join(
        [
            "Dear friends,",
            "Last year Google released Gemini 2.0 Flash, which I still use every day. " + filler,
            "News",
            "A Faster Open Model",
            "Mistral's newest model is fast and open.",
            "What's new: Mistral AI released Magistral 3, an open reasoning model.",
            "How it works: Magistral 3 is built on Mistral Large 3. " + filler,
            "Behind the news: Meta launched Llama 3 in 2024. " + filler,
            "Robots Learn to Fold",
            "A new method teaches robot arms to fold laundry from a few examples.",
            "What's new: Researchers at a university trained a robot policy. " + filler,
            *[filler] * 60,
        ]
    )
    item = ArticleRecord(
        source="https://news.example.com/feed",
        entry_key="issue",
        url=None,
        title="A Faster Open Model",
        published=None,
        summary="",
        sections=(Section("Content", body),),
    )
    found = {p.name: p.is_launch for p in extract_article(item, kb).products}
    assert found["Magistral 3"] is True
    assert found["Gemini 2.0 Flash"] is False  # the letter mentions it
    assert found["Llama 3"] is False  # "Behind the news" is background
