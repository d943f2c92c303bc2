"""Rule-based, offline extraction of AI-industry events from article text.

``extract_article`` and ``extract_text`` turn text into an `Extraction`: companies
(resolved through the knowledge base), partnerships, products, copyright cases,
topics, key points and people. Deterministic, fast, and never raising on any input.
"""

from __future__ import annotations

from feeds.extract.pipeline import extract_article, extract_text

__all__ = ["extract_article", "extract_text"]
