"""The dashboard's reads, made by a child process: the first while this one imports Textual,
then every other one the app asks it for.

`commands.dashboard` starts it before ``aiwatch.tui.app`` is imported: importing
Textual and the screens takes about half a second of one core, and the first read
(the live high-water mark, then the four panels) needs only the store. Forked at that
point, a child makes the read on the other core and sends it back pickled through a
pipe; the dashboard shows it as it mounts when it is there by then, else the first load
waits for it in its worker (`AiwatchApp._show_first_read`, `AiwatchApp._read_dashboard`).
A thread cannot do this: the read's Python half waits for the GIL the imports hold
(tried: first paint did not move).

The child then stays, and reads each dashboard the app asks for (`ReadProcess.read`): a
filter, a search, a reload. In the app's own threads the read's Python half (SQLAlchemy
building and loading some 40 statements) shares the GIL with the frames that close the
dialog and fill the tables, and took two to three times as long as alone; in the child
it runs beside them. The request is sent from the event loop as the worker that waits for
the answer is started (`ReadProcess.ask`), so the child begins while the dialog closes. One
read at a time: when the child is busy (a read ahead still in flight), not there yet, or
gone, ``read`` answers ``None`` at once and the app reads for itself, as it does for
everything else (next pages, entity screens).

The child starts with no database connection (the pool is emptied before the fork),
dies with aiwatch, ends when its request pipe closes, and never writes to the
terminal. Whatever goes wrong in it — an error, a crash, no answer within
`WAIT_SECONDS` — the app reads for itself; a child that failed to answer is stopped.
"""

from __future__ import annotations

import contextlib
import logging
import os
import pickle
import select
import signal
import struct
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any, Literal

from sqlalchemy.engine import Engine

from aiwatch.store.changes import DataMark
from aiwatch.store.read_models import Dashboard, Filter

log = logging.getLogger(__name__)

WAIT_SECONDS = 10.0
"""How long a read waits for the child before the app reads for itself."""
MAX_BYTES = 64 * 1024 * 1024
FIRST_FILTER = Filter()
"""What the dashboard shows first (no saved view is applied before the first load)."""
_HEADER = struct.Struct("!Q")  # the length of each pickled message


@dataclass(frozen=True, slots=True)
class FirstRead:
    """What the first load needs: the mark noted before the read, and the read."""

    mark: DataMark
    dashboard: Dashboard
    user: str


@dataclass(frozen=True, slots=True)
class _Request:
    filter: Filter
    limits: dict[str, int] | None


class ReadProcess:
    """A child that reads dashboards for one user: `start` it, `take` the first read once,
    `read` the others, `close` it when the app ends."""

    def __init__(self, pid: int, requests: int, answers: int, user: str) -> None:
        self._pid: int | None = pid
        self._requests: int | None = requests
        self._answers: int | None = answers
        self._user = user
        self._first: Literal["wanted", "declined", "done"] = "wanted"
        """The first read, in the answer pipe or on its way: until the first load takes or declines
        it, the child reads nothing else (its answer would queue behind it)."""
        self._lock = threading.Lock()  # one exchange with the child at a time
        self._asked: _Request | None = None
        """A request `ask` sent whose answer no `read` has received yet."""

    @classmethod
    def start(cls, engine: Engine, user: str) -> ReadProcess | None:
        """Fork the child, which reads the first dashboard for ``user`` at once; ``None``
        where it cannot."""
        if not hasattr(os, "fork"):
            return None
        engine.dispose()  # no connection is shared with the child
        requests_in, requests_out = os.pipe()
        answers_in, answers_out = os.pipe()
        try:
            pid = os.fork()
        except OSError as exc:
            log.warning("dashboard reads: no child process (%s); the app reads for itself", exc)
            for fd in (requests_in, requests_out, answers_in, answers_out):
                os.close(fd)
            return None
        if pid == 0:  # the child: never returns
            os.close(requests_out)
            os.close(answers_in)
            _child(engine, user, requests_in, answers_out)
        os.close(requests_in)
        os.close(answers_out)
        return cls(pid, requests_out, answers_in, user)

    def answered(self) -> bool:
        """True once the first read is there (or the child ended): `take` then hardly waits."""
        fd = self._answers
        return self._first != "done" and fd is not None and bool(select.select([fd], [], [], 0)[0])

    def take(self, filt: Filter, user: str, *, wait: float = WAIT_SECONDS) -> FirstRead | None:
        """The first read, when it is for ``filt`` and ``user`` and came within ``wait`` s.

        Asked once, by the first load; for another filter or user it is declined.
        """
        with self._lock:
            if self._first != "wanted" or self._answers is None:
                return None
            if filt != FIRST_FILTER or user != self._user:
                self._first = "declined"
                return None
            self._first = "done"
            first = self._receive(time.monotonic() + wait, "the first read")
        return first if isinstance(first, FirstRead) else None

    def decline(self) -> None:
        """The first load will not take the first read: `read` drops it when it comes."""
        with self._lock:
            if self._first == "wanted":
                self._first = "declined"

    def ask(self, filt: Filter, *, limits: Mapping[str, int] | None = None) -> None:
        """Send the request `read` will make for ``filt``, now, without waiting: called on the
        event loop just before the worker that reads is started, because a thread worker
        starts only once the loop has drawn the frames queued before it (5–10 ms after
        Enter, while the dialog closes). Does nothing when the child is busy or the first
        read is not done with (`read` then sends the request itself)."""
        if not self._lock.acquire(blocking=False):
            return
        try:
            if self._first == "done" and self._asked is None and self._requests is not None:
                request = _Request(filt, dict(limits or {}) or None)
                if self._send(request):
                    self._asked = request
        finally:
            self._lock.release()

    def read(
        self, filt: Filter, *, limits: Mapping[str, int] | None = None, wait: float = WAIT_SECONDS
    ) -> Dashboard | None:
        """The child's read of ``filt`` (``limits``: rows per panel, as `read_dashboard`).

        ``None`` when the app must read for itself: the child is busy with another read or
        with the first read (not yet taken or declined, or not yet sent), failed to read
        this one, or is gone.
        """
        if not self._lock.acquire(blocking=False):
            return None  # (busy: the read ahead in flight, or the first read being taken)
        try:
            if self._first == "wanted":
                return None  # (the first load may still take it)
            if self._first == "declined":
                if not self.answered():
                    return None
                self._first = "done"
                self._receive(time.monotonic() + wait, "the first read")  # (declined: dropped)
            request = _Request(filt, dict(limits or {}) or None)
            asked, self._asked = self._asked, None
            if asked is not None and asked != request:  # (its read never came: dropped)
                self._receive(time.monotonic() + wait, "a read asked for")
            if asked != request and (self._requests is None or not self._send(request)):
                return None
            dashboard = self._receive(time.monotonic() + wait, "a read")
        finally:
            self._lock.release()
        return dashboard if isinstance(dashboard, Dashboard) else None

    def close(self) -> None:
        """Stop the child and reap it; later reads answer ``None``."""
        self._kill()  # (an exchange in flight ends at once on the pipe its death closes)
        if self._lock.acquire(timeout=WAIT_SECONDS):
            try:
                self._release()
            finally:
                self._lock.release()

    def _kill(self) -> None:
        if self._pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self._pid, signal.SIGKILL)

    def _release(self) -> None:
        """Close the pipes and reap the child (the lock held)."""
        for fd in (self._requests, self._answers):
            if fd is not None:
                os.close(fd)
        self._requests = self._answers = None
        self._asked = None
        pid, self._pid = self._pid, None  # (forgotten before it is reaped: never signalled after)
        if pid is not None:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)

    def _stop(self) -> None:
        """End a child that broke the exchange (the lock held): its next answer could not
        be told from the one it failed to send."""
        self._kill()
        self._release()

    def _send(self, request: _Request) -> bool:
        assert self._requests is not None
        try:
            _write_message(self._requests, pickle.dumps(request, pickle.HIGHEST_PROTOCOL))
        except OSError as exc:
            log.warning("dashboard reads: the child is gone (%s); the app reads for itself", exc)
            self._stop()
            return False
        return True

    def _receive(self, deadline: float, what: str) -> Any:
        """The child's answer (``None``: none, and the app reads for itself)."""
        assert self._answers is not None
        try:
            data = _read_message(self._answers, deadline)
        except (EOFError, TimeoutError) as exc:
            log.warning(
                "dashboard reads: no answer to %s (%s); the app reads for itself", what, exc
            )
            self._stop()
            return None
        if not data:
            log.warning("dashboard reads: %s failed in the child; the app reads for itself", what)
            return None
        try:
            return pickle.loads(data)  # (written by our own child, through our pipe)
        except Exception:
            log.exception("dashboard reads: the child's answer to %s did not load", what)
            self._stop()
            return None


def _child(engine: Engine, user: str, requests: int, answers: int) -> None:
    """Send the first read, then answer each request until the pipe closes (exit 0); exit 1
    when the exchange itself failed. A read that raises is sent as an empty answer."""
    code = 1
    try:
        from aiwatch.feeds.worker import die_with_parent
        from aiwatch.store.changes import data_mark
        from aiwatch.store.db import session
        from aiwatch.store.queries import read_dashboard
        from aiwatch.tui.collection import resume_full_collections

        die_with_parent()
        resume_full_collections(set_aside=True)  # (what the app imported: never walked, shared)
        logging.disable(logging.CRITICAL)  # the parent says what matters; its log is its own

        def first() -> FirstRead:
            with session(engine) as db:
                mark = data_mark(db)
            return FirstRead(mark, read_dashboard(engine, FIRST_FILTER, user=user), user)

        _answer(answers, first)
        while True:
            try:
                request: _Request = pickle.loads(_read_message(requests, None))
            except EOFError:
                break  # (the app closed its end: it is done)
            _answer(
                answers,
                partial(read_dashboard, engine, request.filter, limits=request.limits, user=user),
            )
        code = 0
    finally:
        os._exit(code)  # no atexit, no flushing of the parent's buffers, no finalizers


def _answer(fd: int, read: Callable[[], object]) -> None:
    try:
        data = pickle.dumps(read(), pickle.HIGHEST_PROTOCOL)
    except Exception:  # noqa: BLE001 - the parent reads for itself and reports the error
        data = b""
    _write_message(fd, data)


def _write_message(fd: int, data: bytes) -> None:
    view = memoryview(_HEADER.pack(len(data)) + data)
    while view:
        view = view[os.write(fd, view) :]


def _read_message(fd: int, deadline: float | None) -> bytes:
    """The next message on ``fd`` (empty: a read that failed), by ``deadline`` (``None``:
    no limit).

    Raises:
        EOFError: the pipe closed, or the message is over `MAX_BYTES`.
        TimeoutError: ``deadline`` passed first.
    """
    (size,) = _HEADER.unpack(_read_exactly(fd, _HEADER.size, deadline))
    if size > MAX_BYTES:
        raise EOFError(f"an answer of {size} bytes is over {MAX_BYTES}")
    return _read_exactly(fd, size, deadline)


def _read_exactly(fd: int, size: int, deadline: float | None) -> bytes:
    chunks: list[bytes] = []
    left = size
    while left:
        wait = None if deadline is None else deadline - time.monotonic()
        if wait is not None and (wait <= 0 or not select.select([fd], [], [], wait)[0]):
            raise TimeoutError("no answer within the time allowed")
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            raise EOFError("the other end closed the pipe")
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)
