"""Rule-based, offline extraction of AI-industry events from article text.

``extract_article(article, kb)`` and ``extract_text(text, kb, title=...)`` return an
`Extraction`: companies (resolved through the knowledge base, plus unverified ones found
from clear context), partnerships, products, copyright cases, topics, key points and
people. Deterministic, never raising on any input, and bounded in time.

Modules, in pipeline order: `sentences` (normalise, split) · `words` (one tokenisation) ·
`names` (alias index and scan) · `support` (weak names need context) · `discovery`
(unverified organisations, people) · `generic` ("its new video model") · `masks` (names
become placeholder characters; pattern blocks) · `partnerships` + `partnership_rules` ·
`products` · `cases` + `lawsuit_rules` + `legal` · `cues` + `vocab` (certainty, kind,
status, focus, claims) · `merge` · `topics` · `assemble` · `pipeline`.
"""

from __future__ import annotations

from aiwatch.feeds.extract.pipeline import extract_article, extract_text

__all__ = ["extract_article", "extract_text"]
