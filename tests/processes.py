"""Real ``aiwatch`` processes for the concurrency and kill tests, and what they leave behind."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parents[1]


def aiwatch(*args: str, config: Path) -> subprocess.Popen[str]:
    """Start ``python -m aiwatch ARGS`` (the ``aiwatch`` command) with ``config``."""
    env = dict(os.environ, AIWATCH_CONFIG=str(config), PYTHONPATH=str(ROOT))
    return subprocess.Popen(
        [sys.executable, "-m", "aiwatch", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _stat(pid: int) -> tuple[str, int] | None:
    """(state, parent pid) of a process, or ``None`` when it does not exist."""
    try:
        data = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = data.rsplit(")", 1)[1].split()
    return fields[0], int(fields[1])


def running(pid: int) -> bool:
    """True while ``pid`` exists and is not a zombie waiting to be reaped."""
    stat = _stat(pid)
    return stat is not None and stat[0] not in ("Z", "X")


def parent_of(pid: int) -> int | None:
    """The parent of ``pid``, or ``None`` when it does not exist."""
    stat = _stat(pid)
    return None if stat is None else stat[1]


def descendants(pid: int) -> set[int]:
    """Every live process below ``pid`` (children, their children …)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            stat = _stat(int(entry.name))
            if stat is not None and stat[0] not in ("Z", "X"):
                parents[int(entry.name)] = stat[1]
    found: set[int] = set()
    frontier = {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def wait_until(condition: Callable[[], bool], timeout: float, what: str) -> None:
    """Poll ``condition`` every 20 ms; fail with ``what`` after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.02)


@contextlib.contextmanager
def scratch_pg_database(admin_url: str) -> Iterator[str]:
    """A PostgreSQL database of its own for one test (dropped, by force, afterwards)."""
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    name = f"aiwatch_proc_{uuid.uuid4().hex[:10]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield admin.url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def pg_sessions(admin_url: str, database: str) -> list[tuple[int, str, str]]:
    """(pid, application_name, state) of every session connected to ``database``."""
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            rows = connection.execute(
                text(
                    "SELECT pid, application_name, coalesce(state, '') FROM pg_stat_activity "
                    "WHERE datname = :name AND pid <> pg_backend_pid()"
                ),
                {"name": database},
            ).all()
    finally:
        admin.dispose()
    return [(int(pid), str(name), str(state)) for pid, name, state in rows]
