"""How a parse worker process lives: below the UI's priority, and never past aiwatch.

Workers are forked from a fork server (`feeds.refresh.make_executor`), a fresh
interpreter that holds no database connection or socket of the aiwatch
process, so a worker inherits none either. Every worker holds the fork
server's "alive" pipe open, so the fork server outlives aiwatch as long as a
worker does, and a worker blocked on its task queue would wait forever. So
each process is tied to its parent, however the parent ended (``kill -9``
included):

- on Linux the kernel sends SIGKILL to the fork server when aiwatch dies, and
  to a worker when the fork server dies (``PR_SET_PDEATHSIG``, set by
  `die_with_parent`);
- everywhere, a watchdog thread in each worker ends it within a second of
  aiwatch's process exiting (a zombie counts as exited) or the fork server
  going away.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
import time
from pathlib import Path

WATCH_SECONDS = 1.0
_PR_SET_PDEATHSIG = 1


def init_worker(aiwatch_pid: int) -> None:
    """The pool's initializer: lower priority, and tie this process's life to ``aiwatch_pid``."""
    with contextlib.suppress(AttributeError, OSError):  # no os.nice on Windows
        os.nice(5)
    die_with_parent()
    watchdog = threading.Thread(
        target=_watch, args=(aiwatch_pid,), name="aiwatch-watchdog", daemon=True
    )
    watchdog.start()


def die_with_parent() -> None:
    """Ask the kernel for SIGKILL when this process's parent dies (Linux; elsewhere nothing).

    Exits at once if the parent died while asking. (A parent that died before
    that has no workers yet: a fork server without clients ends by itself, and
    a worker forked for a dead client is ended by its watchdog.)
    """
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    parent = os.getppid()
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:
        os._exit(1)


def running(pid: int) -> bool:
    """True while ``pid`` runs: exists, and (where /proc tells) is not a zombie."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists, but not ours to signal
        return True
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True
    return state not in ("Z", "X")


def _watch(pid: int) -> None:
    """Exit once aiwatch is gone, or this process's parent (the fork server) is."""
    parent = os.getppid()
    while running(pid) and os.getppid() == parent:
        time.sleep(WATCH_SECONDS)
    os._exit(1)
