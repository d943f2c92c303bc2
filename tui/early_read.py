"""The dashboard's first read, made by a child process while this one imports Textual.

`commands.dashboard` starts it before ``aiwatch.tui.app`` is imported: importing
Textual and the screens takes about half a second of one core, and the first read
(the live high-water mark, then the four panels) needs only the store. Forked at that
point, a child makes the read on the other core and sends it back pickled through a
pipe; the dashboard shows it as it mounts when it is there by then, else the first load
waits for it in its worker (`AiwatchApp._show_first_read`, `AiwatchApp._read_dashboard`).
A thread cannot do this: the read's Python half waits for the GIL the imports hold
(tried: first paint did not move).

The child starts with no database connection (the pool is emptied before the fork),
dies with aiwatch, and never writes to the terminal. Whatever goes wrong in it — an
error, a crash, no answer within `WAIT_SECONDS` — the app reads for itself.
"""

from __future__ import annotations

import contextlib
import logging
import os
import pickle
import select
import signal
import time
from dataclasses import dataclass

from sqlalchemy.engine import Engine

from aiwatch.store.changes import DataMark
from aiwatch.store.read_models import Dashboard, Filter

log = logging.getLogger(__name__)

WAIT_SECONDS = 10.0
"""How long the first load waits for the child before reading for itself."""
MAX_BYTES = 64 * 1024 * 1024
FIRST_FILTER = Filter()
"""What the dashboard shows first (no saved view is applied before the first load)."""


@dataclass(frozen=True, slots=True)
class FirstRead:
    """What the first load needs: the mark noted before the read, and the read."""

    mark: DataMark
    dashboard: Dashboard
    user: str


class EarlyRead:
    """A first read in flight in a child process: `start` it, then `take` or `discard` it once."""

    def __init__(self, pid: int, fd: int) -> None:
        self._pid = pid
        self._fd: int | None = fd

    @classmethod
    def start(cls, engine: Engine, user: str) -> EarlyRead | None:
        """Fork the child that reads the first dashboard for ``user``; ``None`` where it cannot."""
        if not hasattr(os, "fork"):
            return None
        engine.dispose()  # no connection is shared with the child
        read_fd, write_fd = os.pipe()
        try:
            pid = os.fork()
        except OSError as exc:
            log.warning("first read: no child process (%s); the app reads for itself", exc)
            os.close(read_fd)
            os.close(write_fd)
            return None
        if pid == 0:  # the child: never returns
            os.close(read_fd)
            _child(engine, user, write_fd)
        os.close(write_fd)
        return cls(pid, read_fd)

    def answered(self) -> bool:
        """True once the child has written its read (or ended): `take` then hardly waits."""
        return self._fd is not None and bool(select.select([self._fd], [], [], 0)[0])

    def take(self, filt: Filter, user: str, *, wait: float = WAIT_SECONDS) -> FirstRead | None:
        """The child's read, when it is for ``filt`` and ``user`` and came within ``wait`` s."""
        fd, self._fd = self._fd, None
        if fd is None:
            return None
        try:
            if filt != FIRST_FILTER:
                return None
            data = _read_all(fd, time.monotonic() + wait)
        finally:
            os.close(fd)
            self._end_child()
        if not data:
            log.warning(
                "first read: the child's read %s; the app reads for itself",
                "failed" if data == b"" else "did not come in time",
            )
            return None
        try:
            first = pickle.loads(data)  # (written by our own child, through our pipe)
        except Exception:  # a cut-off write is one more reason to read again
            log.exception("first read: the child's answer did not load")
            return None
        return first if isinstance(first, FirstRead) and first.user == user else None

    def discard(self) -> None:
        """Drop a read never taken (the child is stopped and reaped)."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
            self._end_child()

    def _end_child(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(self._pid, signal.SIGKILL)  # done already, or not needed any more
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self._pid, 0)


def _child(engine: Engine, user: str, fd: int) -> None:
    """Read the first dashboard into ``fd`` and exit: 0 when it was sent, 1 on any failure."""
    code = 1
    try:
        from aiwatch.feeds.worker import die_with_parent
        from aiwatch.store.changes import data_mark
        from aiwatch.store.db import session
        from aiwatch.store.queries import read_dashboard

        die_with_parent()
        logging.disable(logging.CRITICAL)  # the parent says what matters; its log is its own
        with session(engine) as db:
            mark = data_mark(db)
        dashboard = read_dashboard(engine, FIRST_FILTER, user=user)
        data = memoryview(pickle.dumps(FirstRead(mark, dashboard, user), pickle.HIGHEST_PROTOCOL))
        while data:
            data = data[os.write(fd, data) :]
        code = 0
    finally:
        os._exit(code)  # no atexit, no flushing of the parent's buffers, no finalizers


def _read_all(fd: int, deadline: float) -> bytes | None:
    """Everything the child writes to ``fd`` until it closes it; ``None`` past ``deadline``,
    nothing when it writes more than `MAX_BYTES`."""
    chunks: list[bytes] = []
    size = 0
    while True:
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([fd], [], [], left)[0]:
            return None
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > MAX_BYTES:
            log.warning("first read: the child's answer is over %d bytes", MAX_BYTES)
            return b""
        chunks.append(chunk)
