"""Imported once by the parse workers' fork server, so every worker starts ready.

Importing this module, in the fork server:

- ties the fork server's life to aiwatch's (`feeds.worker.die_with_parent`):
  its workers keep it alive otherwise, and it them;
- loads the extractor and the bundled knowledge base, so workers forked from
  it share those pages instead of each loading them again;
- freezes what is loaded (`gc.freeze`), so the workers' garbage collections
  never touch (and so copy) the shared objects, as the `gc` docs advise
  before forking.

This module exists only for those side effects (``multiprocessing``'s
``set_forkserver_preload`` takes module names); nothing else imports it.
"""

from __future__ import annotations

import contextlib
import gc

from aiwatch.feeds.worker import die_with_parent

die_with_parent()

import aiwatch.feeds.extract  # noqa: E402, F401 - loaded once here, shared by every worker
from aiwatch.feeds.work import KnowledgeExtractor  # noqa: E402

with contextlib.suppress(Exception):  # a broken knowledge base is reported per article
    KnowledgeExtractor().load()
gc.freeze()
