"""Dashboard benchmark: a year of collecting (100,000 articles) on SQLite and PostgreSQL.

    python -m benchmarks.dashboard [--articles 100000] [--runs 3] [--backend sqlite|pg]
                                   [--pg URL] [--rebuild] [--keep] [--against CHECKOUT]

Builds the database once (`benchmarks.year`: realistic entities, partnerships,
products and cases, stored with the real store; kept in ``~/.cache/aiwatch-bench``
and, for PostgreSQL, a database of its own, dropped afterwards unless
``--keep``), then runs the real ``aiwatch --db URL`` in a pseudo-terminal of
120×40, as a person would, and times from the keys sent to what the screen
shows:

- **first paint**: from launching the process to the header showing the loaded
  counts (the panels are filled in the same update);
- **filter**: ``c``, a company name, a pause of 0.3 s as a person reads the list,
  Enter (the picker's list of companies with counts comes first and is timed too)
  to the header naming the company with its counts;
- **search**: ``/``, ``midjourney OR sora``, the same pause, Enter to the header
  showing it;
- **… at once**: the same with another company (``--company-2``) and another
  query (``veo OR gemini``), Enter sent right after the last letter shows: the
  picker and the search dialog read the dashboard of what they highlight ahead
  of Enter (`aiwatch.tui.read_ahead`), and these two rows show what is left when
  that read has not finished;
- **open**: ``4`` then Enter on the first article to its screen;
- **memory**: the process's peak resident set (``VmHWM``) at the end.

``--against CHECKOUT`` alternates each launch with one of another checkout's code (a
``git worktree`` of an older commit) and prints both sets of medians: on a machine whose
speed moves within minutes, only launches interleaved like this compare two versions.

Targets: first paint < 1.0 s, filter/search < 100 ms, open < 50 ms, < 250 MB.
Medians of ``--runs`` launches; the machine's load average is printed with them.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import os
import pty
import re
import select
import statistics
import struct
import sys
import termios
import threading
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "aiwatch-bench"
FEEDS = 400
BATCH = 250  # articles per stored batch (one feed's refresh)
SIZE = (120, 40)
ANSI = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][0-9A-Za-z]|\x1b[=>78]"
)
COUNTS = re.compile(r"[\d,]+ partnerships? · [\d,]+ products?")
PG_BENCH_DB = "aiwatch_bench_dashboard"


# -- the database ----------------------------------------------------------------------


def build(url: str, count: int) -> None:
    """Store ``count`` articles of `benchmarks.year` into ``url`` (a new database)."""
    from aiwatch.store.db import make_engine, session
    from aiwatch.store.feed_repo import add_feed
    from aiwatch.store.ingest import NewArticle, save_articles
    from aiwatch.store.stories import group_stories
    from benchmarks.year import articles

    engine = make_engine(url)
    started = time.perf_counter()
    with session(engine) as db:
        ids = [
            add_feed(db, f"https://news{n}.example.com/feed.xml", title=f"News {n}").id
            for n in range(FEEDS)
        ]
        db.commit()
    batch: list[NewArticle] = []
    done = 0
    for n, (feed, record, found) in enumerate(articles(count, FEEDS, batch=BATCH)):
        batch.append(NewArticle(record, found))
        if len(batch) == BATCH or n == count - 1:
            with session(engine) as db:
                save_articles(db, batch, feed_id=ids[feed])
                db.commit()
            done += len(batch)
            batch = []
            if done % 10_000 == 0:
                rate = done / (time.perf_counter() - started)
                print(f"  {done:,} articles stored ({rate:,.0f}/s)", flush=True)
    grouping = time.perf_counter()
    with session(engine) as db:  # as every refresh does at its end (else the first launch would)
        group_stories(db)
        db.commit()
    print(f"  grouped into stories in {time.perf_counter() - grouping:.0f} s", flush=True)
    # Table statistics, as PostgreSQL's autovacuum keeps them (the test server here runs
    # with autovacuum off; without them every plan guesses, and the panels took 3x as long).
    from sqlalchemy import text

    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM ANALYZE" if url.startswith("postgresql") else "ANALYZE"))
    engine.dispose()


def article_count(url: str, *, built: bool = False) -> int:
    """Articles in ``url`` (``built``: those the builder stored, from its feeds — the
    dashboard adds the bundled seed at its first launch); -1 without a database."""
    from sqlalchemy import create_engine, text

    sql = "SELECT count(*) FROM article"
    if built:
        sql = "SELECT count(DISTINCT article_id) FROM articlesource WHERE feed_id IS NOT NULL"
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        with engine.connect() as connection:
            return int(connection.execute(text(sql)).scalar() or 0)
    except Exception:  # noqa: BLE001 - no database, no table: build it
        return -1
    finally:
        engine.dispose()


def sqlite_database(count: int, rebuild: bool) -> str:
    from aiwatch.store.revision import HEAD_REVISION

    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"dashboard-{count}-schema{HEAD_REVISION}.db"
    url = f"sqlite:///{path}"
    if rebuild or article_count(url, built=True) != count:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        print(f"building {url} …", flush=True)
        build(url, count)
    return url


@contextlib.contextmanager
def pg_database(admin: str, count: int, rebuild: bool, keep: bool) -> Iterator[str]:
    from sqlalchemy import create_engine, text

    engine = create_engine(admin, isolation_level="AUTOCOMMIT")
    url = engine.url.set(database=PG_BENCH_DB).render_as_string(hide_password=False)
    try:
        if rebuild or article_count(url, built=True) != count:
            with engine.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{PG_BENCH_DB}" WITH (FORCE)'))
                connection.execute(text(f'CREATE DATABASE "{PG_BENCH_DB}"'))
            print(f"building {engine.url.set(database=PG_BENCH_DB)} …", flush=True)
            build(url, count)
        yield url
    finally:
        if not keep:
            with engine.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{PG_BENCH_DB}" WITH (FORCE)'))
        engine.dispose()


# -- the dashboard in a terminal -------------------------------------------------------


class Terminal:
    """``aiwatch`` in a pseudo-terminal; what it writes is kept, ANSI stripped, with times."""

    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        self.started = time.perf_counter()
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child: become aiwatch
            os.chdir(ROOT)
            os.execvpe(argv[0], argv, env)
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", SIZE[1], SIZE[0], 0, 0))
        self.text = ""
        self.lock = threading.Lock()
        self.closing = threading.Event()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        raw = b""
        while not self.closing.is_set():
            try:
                ready, _, _ = select.select([self.fd], [], [], 0.1)
                if not ready:
                    continue
                chunk = os.read(self.fd, 65536)
            except OSError:
                return
            if not chunk:
                return
            raw += chunk
            cut = raw.rfind(b"\x1b")  # keep an escape sequence that may continue
            done, raw = (raw[:cut], raw[cut:]) if cut > len(raw) - 64 else (raw, b"")
            with self.lock:
                self.text += ANSI.sub("", done.decode("utf-8", "replace"))

    def mark(self) -> int:
        """Where the output is now (what appears after it is new)."""
        with self.lock:
            return len(self.text)

    def wait_for(self, pattern: re.Pattern[str] | str, since: int, timeout: float = 60) -> float:
        """Seconds until ``pattern`` appears in the output after ``since``."""
        found = re.compile(re.escape(pattern)) if isinstance(pattern, str) else pattern
        started = time.perf_counter()
        while time.perf_counter() - started < timeout:
            with self.lock:
                if found.search(self.text, since):
                    return time.perf_counter()
            time.sleep(0.002)
        with self.lock:
            tail = self.text[-600:]
        raise SystemExit(
            f"timed out waiting for {found.pattern!r}; the screen ended with: {tail!r}"
        )

    def send(self, keys: str) -> float:
        """Type ``keys`` 10 ms apart; returns the time the last one was written."""
        for number, key in enumerate(keys):
            if number:
                time.sleep(0.01)
            os.write(self.fd, key.encode())
            written = time.perf_counter()
        return written

    def peak_mib(self) -> float:
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        return 0.0

    def close(self) -> None:
        with contextlib.suppress(OSError):
            os.write(self.fd, b"q")
        deadline = time.perf_counter() + 10
        while time.perf_counter() < deadline:
            pid, _ = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                break
            time.sleep(0.05)
        else:
            os.kill(self.pid, 9)
            os.waitpid(self.pid, 0)
        # The reader ends on the closed terminal's EIO; only then may the descriptor go:
        # its number is reused at once (by the next database connection, whose replies
        # the reader would otherwise swallow, leaving the connection waiting forever).
        self.closing.set()
        self.reader.join()
        os.close(self.fd)


def terminal_env(root: Path = ROOT) -> dict[str, str]:
    """The environment of a program run in the benchmark's terminal: ``root``'s code first
    (this checkout's, or another's for `--against`)."""
    env = dict(os.environ, TERM="xterm-256color", COLUMNS=str(SIZE[0]), LINES=str(SIZE[1]))
    env["PYTHONPATH"] = str(root)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # an installed aiwatch has its bytecode cached
    return env


def clear(term: Terminal) -> None:
    """``x``: every filter cleared, the panels read again; then a moment's pause."""
    mark = term.mark()
    term.send("x")
    term.wait_for(re.compile(r"all articles\s+[\d,]+ partnerships?"), mark)
    time.sleep(0.3)


def one_launch(url: str, company: str, other_company: str, root: Path = ROOT) -> dict[str, float]:
    """Launch the dashboard (``root``'s code) once and time what a person does first."""
    term = Terminal([sys.executable, "-m", "aiwatch", "--db", url], terminal_env(root))
    try:
        painted = term.wait_for(COUNTS, 0) - term.started
        time.sleep(1.5)  # let the start-up work (the bundled seed) finish
        mark = term.mark()
        sent = term.send("c")
        picker = term.wait_for(re.compile(rf"{re.escape(company)}\s+\d"), mark) - sent
        mark = term.mark()
        term.send(company)
        term.wait_for(company, mark)
        time.sleep(0.3)
        mark = term.mark()
        sent = term.send("\r")
        filtered = (
            term.wait_for(re.compile(rf"company: {re.escape(company)}.*?\d+ partnerships?"), mark)
            - sent
        )
        time.sleep(0.3)
        clear(term)
        mark = term.mark()
        term.send("/")  # keys typed before the dialog is up would go to the dashboard
        term.wait_for("Search articles and records", mark)
        mark = term.mark()
        term.send("midjourney OR sora")
        term.wait_for("midjourney OR sora", mark)
        time.sleep(0.3)
        mark = term.mark()
        sent = term.send("\r")
        searched = (
            term.wait_for(re.compile(r"search: midjourney OR sora.*?\d+ partnerships?"), mark)
            - sent
        )
        time.sleep(0.3)
        clear(term)
        mark = term.mark()
        term.send("c")
        term.wait_for(re.compile(rf"{re.escape(company)}\s+\d"), mark)
        mark = term.mark()
        term.send(other_company)
        term.wait_for(other_company, mark)
        mark = term.mark()
        sent = term.send("\r")
        at_once = (
            term.wait_for(
                re.compile(rf"company: {re.escape(other_company)}.*?\d+ partnerships?"), mark
            )
            - sent
        )
        time.sleep(0.3)
        clear(term)
        mark = term.mark()
        term.send("/")
        term.wait_for("Search articles and records", mark)
        mark = term.mark()
        term.send("veo OR gemini")
        term.wait_for("veo OR gemini", mark)
        mark = term.mark()
        sent = term.send("\r")
        searched_at_once = (
            term.wait_for(re.compile(r"search: veo OR gemini.*?\d+ partnerships?"), mark) - sent
        )
        time.sleep(0.3)
        term.send("4")
        time.sleep(0.3)
        mark = term.mark()
        sent = term.send("\r")
        opened = term.wait_for(re.compile(r"(Esc|esc)\s+Back"), mark) - sent
        peak = term.peak_mib()
    finally:
        term.close()
    return {
        "first paint": painted,
        "company picker": picker,
        "filter (company)": filtered,
        "search": searched,
        "filter, at once": at_once,
        "search, at once": searched_at_once,
        "open article": opened,
        "peak MiB": peak,
    }


TARGETS = {
    "first paint": 1.0,
    "filter (company)": 0.1,
    "search": 0.1,
    "filter, at once": 0.1,
    "search, at once": 0.1,
    "open article": 0.05,
    "peak MiB": 250,
}


def report(backend: str, url: str, runs: list[dict[str, float]]) -> None:
    print_medians(f"{backend}: {article_count(url):,} articles", runs, TARGETS)


def print_medians(
    title: str, runs: list[dict[str, float]], targets: dict[str, float] | None = None
) -> None:
    """Each step's median over ``runs`` and every run's figure, against its target if any."""
    load = os.getloadavg()
    print(
        f"\n== {title}, medians of {len(runs)} launches "
        f"(load average {load[0]:.2f} {load[1]:.2f}) =="
    )
    for name in runs[0]:
        values = [run[name] for run in runs]
        value = statistics.median(values)
        target = (targets or {}).get(name)
        unit = "MiB" if name == "peak MiB" else "s"
        shown = f"{value:8.0f} {unit}" if unit == "MiB" else f"{value * 1000:8.0f} ms"
        spread = ", ".join(f"{v:.0f}" if unit == "MiB" else f"{v * 1000:.0f}" for v in values)
        verdict = "" if target is None else ("met" if value < target else "MISSED")
        goal = (
            ""
            if target is None
            else (f"< {target:.0f} MiB" if unit == "MiB" else f"< {target * 1000:.0f} ms")
        )
        print(f"{name:<18}{shown}   ({spread})  {goal} {verdict}")
    sys.stdout.flush()


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--backend", choices=("sqlite", "pg"), action="append")
    parser.add_argument(
        "--pg",
        default="postgresql+psycopg://postgres@127.0.0.1:5432/test",
        help="an admin URL of the PostgreSQL server (a database of its own is made)",
    )
    parser.add_argument("--company", default="Anthropic", help="the company the filter picks")
    parser.add_argument(
        "--company-2", default="Nvidia", help="the company picked with Enter at once"
    )
    parser.add_argument("--rebuild", action="store_true", help="build the databases again")
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL database")
    parser.add_argument(
        "--against",
        type=Path,
        metavar="CHECKOUT",
        help="alternate each launch with one of another checkout's code (an A/B in one window "
        "of the machine's speed) and print the medians of both",
    )
    args = parser.parse_args()
    for backend in args.backend or ["sqlite", "pg"]:
        with contextlib.ExitStack() as stack:
            if backend == "sqlite":
                url = sqlite_database(args.articles, args.rebuild)
            else:
                url = stack.enter_context(
                    pg_database(args.pg, args.articles, args.rebuild, args.keep)
                )
            if args.against is None:
                runs = [one_launch(url, args.company, args.company_2) for _ in range(args.runs)]
                report(backend, url, runs)
                continue
            roots = (args.against.resolve(), ROOT)
            paired: dict[Path, list[dict[str, float]]] = {root: [] for root in roots}
            for n in range(args.runs):  # (who goes first alternates too)
                for root in roots if n % 2 == 0 else roots[::-1]:
                    paired[root].append(one_launch(url, args.company, args.company_2, root))
            for root in roots:
                print_medians(f"{backend}, {root}", paired[root], TARGETS)


if __name__ == "__main__":
    main()
