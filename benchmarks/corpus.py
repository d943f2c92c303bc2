"""A deterministic corpus of realistic AI-news feeds for the refresh benchmark.

200 feeds × 50 items by default: three in four RSS 2.0 (with HTML
descriptions, ``dc:creator``, categories), one in four Atom 1.0. Items report
partnerships, launches, lawsuits, funding and policy in the words news sites use,
so extraction does real work.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from xml.sax.saxutils import escape

COMPANIES = [
    "OpenAI",
    "Google",
    "Meta",
    "Anthropic",
    "Microsoft",
    "Nvidia",
    "Midjourney",
    "Stability AI",
    "Mistral AI",
    "xAI",
    "Amazon",
    "Apple",
    "Runway",
    "Perplexity",
    "Cohere",
    "Hugging Face",
    "Adobe",
    "Getty Images",
    "Character.AI",
    "Inflection AI",
    "Samsung",
    "Oracle",
    "IBM",
    "Salesforce",
    "Databricks",
    "Scale AI",
    "ElevenLabs",
    "Suno",
    "Udio",
    "Pika",
]
PRODUCTS = [
    ("OpenAI", "Sora", "text-to-video model"),
    ("Google", "Veo 3", "video generation model"),
    ("Meta", "Llama 4", "open-weight language model"),
    ("Anthropic", "Claude", "AI assistant"),
    ("Midjourney", "V7", "image model"),
    ("Runway", "Gen-4", "video model"),
    ("Mistral AI", "Mistral Large", "language model"),
    ("Google", "Gemini 2.5", "multimodal model"),
    ("xAI", "Grok 3", "chatbot"),
    ("Stability AI", "Stable Diffusion 3.5", "image model"),
    ("ElevenLabs", "Eleven v3", "text-to-speech model"),
    ("Suno", "Suno v4", "music model"),
]
PLAINTIFFS = [
    "The New York Times",
    "Getty Images",
    "Authors Guild",
    "Universal Music Group",
    "Disney",
    "a group of visual artists",
    "Sarah Silverman and other authors",
]
COURTS = [
    "the Southern District of New York",
    "the Northern District of California",
    "the District of Delaware",
    "the High Court in London",
]
FOCI = [
    "AI video generation",
    "cloud computing capacity",
    "licensing news archives",
    "custom AI chips",
    "enterprise AI agents",
    "music generation",
    "search and answers",
]
VERBS = ["partners with", "signs a deal with", "teams up with", "expands its partnership with"]


def _story(rng: random.Random) -> tuple[str, str]:
    kind = rng.choice(["partnership", "launch", "lawsuit", "funding", "policy", "ruling"])
    a, b = rng.sample(COMPANIES, 2)
    if kind == "partnership":
        focus = rng.choice(FOCI)
        title = f"{a} {rng.choice(VERBS)} {b} on {focus}"
        body = (
            f"{a} and {b} announced a multi-year partnership focused on {focus}, the companies "
            f"said on {rng.choice(['Monday', 'Tuesday', 'Thursday'])}. Financial terms were not "
            f"disclosed. The agreement gives {a} access to {b}'s technology."
        )
    elif kind == "launch":
        maker, product, what = rng.choice(PRODUCTS)
        title = f"{maker} launches {product}, its new {what}"
        body = (
            f"{maker} released {product}, a {what}, to paying subscribers in the US and Europe. "
            f"The launch follows a preview earlier this year. Rivals including {a} are expected "
            "to respond with their own models."
        )
    elif kind == "lawsuit":
        plaintiff = rng.choice(PLAINTIFFS)
        title = f"{plaintiff} sues {a} over AI training data"
        body = (
            f"{plaintiff} filed a copyright infringement lawsuit against {a} in "
            f"{rng.choice(COURTS)}, alleging that the company trained its models on "
            "copyrighted works without permission. The complaint seeks damages."
        )
    elif kind == "ruling":
        plaintiff = rng.choice(PLAINTIFFS)
        title = f"Judge rules in {plaintiff} v. {a}"
        body = (
            f"A federal judge in {rng.choice(COURTS)} granted in part {a}'s motion to dismiss "
            f"the copyright claims brought by {plaintiff}, finding some uses were fair use. "
            "The case moves to discovery."
        )
    elif kind == "funding":
        amount = rng.choice(["$500 million", "$1.2 billion", "$6 billion", "$300 million"])
        title = f"{a} raises {amount} led by {b}"
        body = (
            f"{a} raised {amount} in a round led by {b}, valuing the AI startup at several "
            "billion dollars. The money will fund compute and hiring."
        )
    else:
        title = f"EU regulators question {a} and {b} about AI Act compliance"
        body = (
            f"European regulators sent questions to {a} and {b} about how their general-purpose "
            "AI models comply with the AI Act's transparency rules."
        )
    return title, body


def _items(rng: random.Random, feed: int, count: int, now: datetime) -> list[dict[str, str]]:
    items = []
    for n in range(count):
        title, body = _story(rng)
        when = now - timedelta(minutes=37 * n + feed)
        items.append(
            {
                "title": title,
                "body": body,
                "when": when.isoformat(),
                "rfc822": format_datetime(when, usegmt=True),
                "link": f"https://news{feed % 23}.example.com/{when:%Y/%m}/story-{feed}-{n}",
                "guid": f"tag:news{feed % 23}.example.com,2025:{feed}-{n}",
                "author": rng.choice(["Jane Doe", "Alex Kim", "Priya Patel", "Tom Becker"]),
                "category": rng.choice(["AI", "Policy", "Business", "Legal"]),
            }
        )
    return items


def rss_feed(feed: int, items: list[dict[str, str]]) -> str:
    """One RSS 2.0 document."""
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom">'
        f"<channel><title>AI Desk {feed}</title><link>https://news{feed}.example.com/ai/</link>"
        f'<atom:link href="https://news{feed}.example.com/ai/feed" rel="self" '
        'type="application/rss+xml"/><description>Artificial intelligence news</description>'
        "<language>en-us</language>"
    ]
    for it in items:
        html = f'<p>{escape(it["body"])}</p><p><a href="{it["link"]}">Read more</a></p>'
        parts.append(
            f"<item><title>{escape(it['title'])}</title><link>{it['link']}</link>"
            f'<guid isPermaLink="false">{it["guid"]}</guid><pubDate>{it["rfc822"]}</pubDate>'
            f"<dc:creator>{it['author']}</dc:creator><category>{it['category']}</category>"
            f"<description><![CDATA[{html}]]></description></item>"
        )
    parts.append("</channel></rss>\n")
    return "".join(parts)


def atom_feed(feed: int, items: list[dict[str, str]]) -> str:
    """One Atom 1.0 document."""
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>AI Lab Blog {feed}</title>"
        f'<link rel="alternate" href="https://lab{feed}.example.com/blog/"/>'
        f"<id>tag:lab{feed}.example.com,2025:blog</id><updated>{items[0]['when']}</updated>"
    ]
    for it in items:
        html = escape(f"<p>{escape(it['body'])}</p>")
        parts.append(
            f"<entry><title>{escape(it['title'])}</title>"
            f'<link rel="alternate" type="text/html" href="{it["link"]}"/>'
            f"<id>{it['guid']}</id><published>{it['when']}</published>"
            f"<updated>{it['when']}</updated><author><name>{it['author']}</name></author>"
            f'<summary type="html">{html}</summary></entry>'
        )
    parts.append("</feed>\n")
    return "".join(parts)


def build_corpus(feeds: int = 200, items: int = 50, seed: int = 2025) -> dict[str, bytes]:
    """``{"/feed/<n>.xml": body}`` for every feed."""
    rng = random.Random(seed)
    now = datetime(2025, 9, 1, 12, 0, tzinfo=UTC)
    corpus = {}
    for n in range(feeds):
        entries = _items(rng, n, items, now)
        text = atom_feed(n, entries) if n % 4 == 3 else rss_feed(n, entries)
        corpus[f"/feed/{n}.xml"] = text.encode("utf-8")
    return corpus
