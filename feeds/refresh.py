"""The refresh pipeline without a database: fetch, parse, extract, report per feed.

`refresh_feeds` takes plain `FeedRequest`s (URL plus the validators saved last
time) and yields one `FeedOutcome` per feed *as soon as that feed is done*, so
the caller can commit each feed in its own transaction and a dashboard can
update while the rest are still downloading. Fetching is async and bounded by
``concurrency``; parsing and extraction are CPU-bound and run in a process pool
(``workers`` processes, both cores by default) or, with ``workers=0``, in a
thread — never on the event loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import multiprocessing
import os
import sys
from collections.abc import AsyncIterator, Callable, Iterable, Iterator, Mapping
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from functools import partial
from typing import TYPE_CHECKING, Literal

from aiwatch.feeds.fetch.fetcher import Fetcher, FetchOptions, FetchResult
from aiwatch.feeds.fetch.limits import MAX_ITEMS
from aiwatch.feeds.fetch.urls import AddressCheck, is_public_address
from aiwatch.feeds.work import Extractor, KnowledgeExtractor, ProcessedEntry, process_body
from aiwatch.feeds.worker import init_worker

if TYPE_CHECKING:
    from aiwatch.feeds.parse.body import ParsedFeed

OutcomeStatus = Literal["ok", "warning", "unchanged", "error", "gone"]


@dataclass(frozen=True, slots=True)
class FeedRequest:
    """One feed to refresh, with what the last successful fetch returned."""

    url: str
    feed_id: int | None = None
    etag: str | None = None
    last_modified: str | None = None
    body_hash: str | None = None
    publisher: str = ""
    """The organisation the user says this feed speaks for; empty: detect it."""
    known: Mapping[str, str] = field(default_factory=dict, compare=False)
    """Entry key → content hash of this feed's stored, successfully extracted articles:
    entries that come back unchanged are not extracted again."""


@dataclass(frozen=True, slots=True)
class RefreshOptions:
    """How a refresh runs; `FetchOptions` holds the network limits."""

    fetch: FetchOptions = field(default_factory=FetchOptions)
    max_items: int = MAX_ITEMS
    workers: int = -1  # -1: one per core, at most 2; 0: a thread instead of processes
    fast_parse: bool = True


@dataclass(frozen=True, slots=True)
class FeedOutcome:
    """Everything one feed's refresh produced (the fetched body is not kept)."""

    request: FeedRequest
    fetch: FetchResult
    parsed: ParsedFeed | None = None
    entries: tuple[ProcessedEntry, ...] = ()

    @property
    def status(self) -> OutcomeStatus:
        """``ok``, ``warning`` (entries kept despite a problem), ``unchanged``, ``error`` or ``gone``."""
        if self.fetch.status in ("not-modified", "unchanged"):
            return "unchanged"
        if self.fetch.status in ("error", "gone"):
            return self.fetch.status
        if self.parsed is None or self.parsed.error:
            return "error"
        return "warning" if self.parsed.warning else "ok"

    @property
    def error(self) -> str:
        """The sentence explaining an ``error``/``gone`` status, else ``""``."""
        if self.fetch.error:
            return self.fetch.error
        return self.parsed.error if self.parsed is not None else ""

    @property
    def warning(self) -> str:
        """The parser's warning, if any."""
        return self.parsed.warning if self.parsed is not None else ""

    @property
    def source(self) -> str:
        """The feed URL recorded on articles: the new one after a permanent redirect."""
        return self.fetch.permanent_url or self.request.url


def worker_count(requested: int) -> int:
    """Processes to use: ``requested`` if >= 0, else one per core up to two."""
    if requested >= 0:
        return requested
    return max(1, min(2, os.cpu_count() or 1))


def make_executor(workers: int) -> Executor:
    """A pool of ``workers`` parse processes (``0``: one thread instead).

    The processes come from a fork server: a fresh interpreter that has loaded
    the extractor and the knowledge base once (`feeds.worker_preload`) and
    holds nothing of this process — no database connection, socket or lock —
    so neither do the workers, and each dies with this process
    (`feeds.worker.init_worker`). Where there is no fork server (Windows),
    workers are spawned.
    """
    if workers <= 0:
        return ThreadPoolExecutor(max_workers=1, thread_name_prefix="aiwatch-parse")
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
    if "forkserver" in methods:
        context.set_forkserver_preload(["aiwatch.feeds.worker_preload"])
    with _real_stderr():
        return ProcessPoolExecutor(
            max_workers=workers,
            mp_context=context,
            initializer=init_worker,
            initargs=(os.getpid(),),
        )


@contextlib.contextmanager
def _real_stderr() -> Iterator[None]:
    """The process's own stderr while the pool starts its helpers.

    Creating the pool's queues starts ``multiprocessing``'s resource tracker, which
    hands ``sys.stderr.fileno()`` to the new process. Inside the dashboard
    ``sys.stderr`` is Textual's capture, whose ``fileno()`` is -1: the spawn then
    fails with "bad value(s) in fds_to_keep" and every feed with it.
    """
    current = sys.stderr
    try:
        valid = current is not None and current.fileno() >= 0
    except (AttributeError, OSError, ValueError):
        valid = False
    if valid or sys.__stderr__ is None:
        yield
        return
    sys.stderr = sys.__stderr__
    try:
        yield
    finally:
        sys.stderr = current


def stop_executor(executor: Executor) -> None:
    """Shut a pool down now: queued work is dropped and busy worker processes are ended."""
    executor.shutdown(wait=False, cancel_futures=True)
    if isinstance(executor, ProcessPoolExecutor):
        processes = getattr(executor, "_processes", None) or {}  # terminate_workers() in 3.14
        for process in list(processes.values()):
            with contextlib.suppress(OSError, ValueError):
                process.terminate()


KnownEntries = Mapping[int, Mapping[str, str]]


class _LazyPool:
    """Sets up parsing when the first body needs it (never, if every feed answered 304).

    Setting up means: run ``prepare`` and ``known`` in a thread (``known``
    reads which entries are stored already), then create the worker pool.
    """

    def __init__(
        self,
        workers: int,
        executor: Executor | None,
        prepare: Callable[[], object] | None,
        known: Callable[[], KnownEntries] | None,
    ) -> None:
        self.workers = workers
        self.executor = executor
        self.own = executor is None
        self.prepare = prepare
        self.load_known = known
        self.known: KnownEntries = {}
        self.froze = False
        """Whether this pool set the long-lived objects aside (a dashboard that did so
        itself keeps them aside after the refresh)."""
        self.ready = False
        self.lock = asyncio.Lock()

    def _setup(self) -> KnownEntries:
        if self.prepare is not None:
            self.prepare()
        return self.load_known() if self.load_known is not None else {}

    async def get(self) -> tuple[Executor, KnownEntries]:
        async with self.lock:
            if not self.ready:
                self.known = await asyncio.to_thread(self._setup)
                if self.executor is None:
                    self.froze = gc.get_freeze_count() == 0
                    if self.froze:
                        _set_aside_long_lived_objects()
                    self.executor = make_executor(self.workers)
                self.ready = True
            assert self.executor is not None
            return self.executor, self.known

    def close(self, *, interrupted: bool = False) -> None:
        """Shut our own pool down; when interrupted, end its busy workers too."""
        if not self.own or self.executor is None:
            return
        if interrupted:
            stop_executor(self.executor)
        else:
            self.executor.shutdown(wait=False, cancel_futures=True)
        if self.froze:
            gc.unfreeze()


def _set_aside_long_lived_objects() -> None:
    """Exempt what is loaded by now (modules, settings) from garbage collection.

    While a refresh allocates thousands of rows, collections no longer walk
    the long-lived objects again and again (about 0.1 s of CPU in a cold
    refresh of 10,000 articles). `_LazyPool.close` undoes it, so a
    long-running process still collects whatever becomes garbage later. A
    dashboard that set its own objects aside first (`tui.app`) keeps them aside:
    the pool neither freezes nor unfreezes then (one unfreeze undoes every freeze).
    The fork server does the same for the workers (`feeds.worker_preload`).
    """
    gc.freeze()


async def refresh_feeds(
    requests: Iterable[FeedRequest],
    *,
    options: RefreshOptions | None = None,
    extractor: Extractor | None = None,
    allowed: AddressCheck = is_public_address,
    executor: Executor | None = None,
    prepare: Callable[[], object] | None = None,
    known: Callable[[], KnownEntries] | None = None,
) -> AsyncIterator[FeedOutcome]:
    """Refresh every request concurrently; yield each `FeedOutcome` as it completes.

    ``extractor`` is called on every parsed entry (in the worker); ``None``
    skips extraction. A `KnowledgeExtractor` also detects each feed's publisher
    unless the request names one. Pass ``executor`` to reuse a pool across refreshes;
    ``prepare`` runs once (in a thread) before a pool of our own is created
    (the thread pool's extractor, for instance, loads its knowledge base); if it raises,
    the refresh stops with that exception before any feed's entries are parsed. ``known``
    (also run once, lazily) returns feed id → `FeedRequest.known`, for callers
    that would rather not read it unless some feed changed.
    """
    options = options or RefreshOptions()
    detect = extractor.publisher_of if isinstance(extractor, KnowledgeExtractor) else None
    pool = _LazyPool(worker_count(options.workers), executor, prepare, known)
    loop = asyncio.get_running_loop()
    try:
        async with Fetcher(options.fetch, allowed=allowed) as fetcher:

            async def one(request: FeedRequest) -> FeedOutcome:
                fetched = await fetcher.fetch(
                    request.url,
                    etag=request.etag,
                    last_modified=request.last_modified,
                    body_hash=request.body_hash,
                )
                if fetched.status != "ok":
                    return FeedOutcome(request, fetched)
                slim = replace(fetched, body=b"")
                # A failed set-up (the knowledge base cannot load) fails the whole refresh
                # before anything is stored, rather than each feed's articles one by one.
                runner, stored = await pool.get()
                try:
                    known = request.known
                    if request.feed_id is not None and request.feed_id in stored:
                        known = stored[request.feed_id]
                    work = partial(
                        process_body,
                        fetched.body,
                        url=fetched.final_url or request.url,
                        source=fetched.permanent_url or request.url,
                        content_type=fetched.content_type,
                        max_items=options.max_items,
                        extractor=extractor,
                        fast=options.fast_parse,
                        known=known,
                        publisher=request.publisher,
                        detect_publisher=detect,
                    )
                    parsed, entries = await loop.run_in_executor(runner, work)
                except Exception as exc:  # noqa: BLE001 - a dead worker fails one feed only
                    from aiwatch.feeds.parse.body import ParsedFeed

                    failed = ParsedFeed("", None, (), error=f"parser crashed: {exc!r}"[:300])
                    return FeedOutcome(request, slim, failed)
                return FeedOutcome(request, slim, parsed, entries)

            tasks = [asyncio.ensure_future(one(request)) for request in requests]
            try:
                for next_done in asyncio.as_completed(tasks):
                    yield await next_done
            finally:
                for task in tasks:
                    task.cancel()
                await asyncio.gather(*tasks, return_exceptions=True)
    except BaseException:
        pool.close(interrupted=True)
        raise
    pool.close()
