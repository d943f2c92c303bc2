"""The knowledge base the extractor reads, loaded once per process, failing loudly.

A missing or broken ``[knowledge] extra_files`` entry must stop every command
that extracts, before anything is stored: articles stored without extraction
because the knowledge base failed would look like articles with nothing in them.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from aiwatch.feeds.knowledge.base import KnowledgeBase, KnowledgeBaseError
from aiwatch.feeds.parse.sanitize import clean_line
from aiwatch.feeds.work import KnowledgeExtractor
from aiwatch.tui.config import Settings


class KnowledgeBaseUnusable(KnowledgeBaseError):
    """The knowledge base cannot be loaded; the message is one line naming the file."""


def explained(settings: Settings, exc: Exception) -> KnowledgeBaseUnusable:
    """``exc`` as one line that says which setting names the broken file."""
    where = f" ([knowledge] extra_files in {settings.path})" if settings.path else ""
    return KnowledgeBaseUnusable(
        clean_line(f"the knowledge base cannot be loaded{where}: {exc}", limit=600)
    )


def check_knowledge_files(settings: Settings) -> None:
    """Cheap check that every extra file exists and is valid TOML (no knowledge base built).

    Raises:
        KnowledgeBaseUnusable: a file is missing, unreadable or not TOML.
    """
    for path in settings.knowledge_files:
        try:
            tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise explained(settings, FileNotFoundError(f"{path} does not exist")) from None
        except (OSError, UnicodeDecodeError) as exc:
            raise explained(settings, KnowledgeBaseError(f"{path}: {exc}")) from None
        except tomllib.TOMLDecodeError as exc:
            raise explained(settings, KnowledgeBaseError(f"{path}: {exc}")) from None


def extractor_for(settings: Settings) -> KnowledgeExtractor:
    """The extractor refreshes use (its knowledge base is cached per process)."""
    return KnowledgeExtractor(tuple(str(p) for p in settings.knowledge_files))


def knowledge_for(settings: Settings) -> KnowledgeBase:
    """The bundled knowledge base plus the settings' extra files, loaded once per process.

    Raises:
        KnowledgeBaseUnusable: one of the files is missing, unreadable or malformed.
    """
    check_knowledge_files(settings)
    try:
        kb = extractor_for(settings).load()
    except KnowledgeBaseError as exc:
        raise explained(settings, exc) from None
    assert isinstance(kb, KnowledgeBase)
    return kb
