"""Refresh benchmark: aiwatch vs newsboat on 200 feeds × 50 items served from loopback.

    python -m benchmarks.refresh [--runs 5] [--latency 0.05] [--concurrency 8] [--no-newsboat]

Cases (each the median of ``--runs``): **cold** (empty database / fresh newsboat
cache), **warm-304** (every feed answers 304 to the validators saved last time)
and **warm-200-unchanged** (the server sends no validators, so every feed answers
200 with the same body). aiwatch is timed as users run it, ``aiwatch refresh`` in
a fresh process (start-up, imports, fetch, parse, extraction, SQLite commits);
newsboat as ``newsboat -x reload`` with ``reload-threads`` equal to aiwatch's
concurrency, reloaded twice before its warm cases (2.21 saves validators only
from its second reload). Wall and CPU time come from ``wait4`` (children
included); peak memory is the largest resident set of the process tree.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FEEDS = 200


@dataclass(frozen=True)
class Sample:
    """One timed run."""

    wall: float
    cpu: float
    rss_mib: float


def timed(argv: list[str], env: dict[str, str] | None = None) -> Sample:
    """Run ``argv`` to completion; wall, user+system CPU and peak RSS (wait4)."""
    started = time.perf_counter()
    process = subprocess.Popen(
        argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, cwd=ROOT
    )
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    if status != 0:
        err = process.stderr.read().decode(errors="replace") if process.stderr else ""
        raise SystemExit(f"{argv[0]} failed ({status}): {err[-2000:]}")
    return Sample(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


@contextmanager
def serve(workdir: Path, *, validators: bool, latency: float) -> Iterator[str]:
    """Start `benchmarks.server` in a subprocess; yield its base URL."""
    portfile = workdir / f"port-{validators}-{latency}"
    argv = [sys.executable, "-m", "benchmarks.server", str(portfile), "--latency", str(latency)]
    process = subprocess.Popen([*argv, "--validators"] if validators else argv, cwd=ROOT)
    try:
        for _ in range(200):
            if portfile.exists() and portfile.read_text():
                break
            time.sleep(0.05)
        yield f"http://127.0.0.1:{portfile.read_text()}"
    finally:
        process.terminate()
        process.wait()


def urls(base: str) -> list[str]:
    """The corpus's feed URLs on ``base``."""
    return [f"{base}/feed/{n}.xml" for n in range(FEEDS)]


class Aiwatch:
    """Runs ``aiwatch refresh`` against a database subscribed to the corpus."""

    def __init__(self, workdir: Path, concurrency: int) -> None:
        self.workdir = workdir
        self.config = workdir / "aiwatch.toml"
        self.config.write_text(f"[refresh]\nconcurrency = {concurrency}\ntimeout = 60\n")

    def fresh_db(self, base: str, name: str) -> str:
        """A new SQLite database subscribed to every feed on ``base``."""
        from store.db import make_engine, session
        from store.feed_repo import add_feed

        path = self.workdir / f"{name}.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        url = f"sqlite:///{path}"
        engine = make_engine(url)
        with session(engine) as db:
            for feed in urls(base):
                add_feed(db, feed)
            db.commit()
        engine.dispose()
        return url

    def refresh(self, db_url: str) -> Sample:
        """One timed ``aiwatch refresh``."""
        argv = [sys.executable, "-m", "tui.cli", "--db", db_url, "--config", str(self.config)]
        return timed([*argv, "refresh"])


class Newsboat:
    """Runs ``newsboat -x reload`` with its own cache."""

    def __init__(self, workdir: Path, concurrency: int) -> None:
        self.workdir = workdir
        self.config = workdir / "newsboat.conf"
        self.config.write_text(f"reload-threads {concurrency}\ndownload-timeout 60\n")

    def fresh_cache(self, base: str, name: str) -> Path:
        """An empty cache and a URL list for ``base``."""
        cache = self.workdir / f"{name}.cache.db"
        cache.unlink(missing_ok=True)
        (self.workdir / f"{name}.urls").write_text("\n".join(urls(base)) + "\n")
        return cache

    def refresh(self, cache: Path) -> Sample:
        """One timed reload."""
        name = cache.name.removesuffix(".cache.db")
        home = self.workdir / "home"
        home.mkdir(exist_ok=True)
        env = {
            **os.environ,
            "HOME": str(home),
            "XDG_CONFIG_HOME": str(home),
            "XDG_DATA_HOME": str(home),
        }
        argv = [
            "newsboat",
            "-x",
            "reload",
            "-u",
            str(self.workdir / f"{name}.urls"),
            "-c",
            str(cache),
            "-C",
            str(self.config),
        ]
        return timed(argv, env)


def median(samples: list[Sample]) -> Sample:
    """Field-wise median."""
    return Sample(
        *(statistics.median(getattr(s, f) for s in samples) for f in ("wall", "cpu", "rss_mib"))
    )


def run_cases(
    runs: int,
    prepare: Callable[[str, str], object],
    refresh: Callable[[object], Sample],
    validating: str,
    plain: str,
) -> dict[str, Sample]:
    """Cold, warm-304 and warm-200-unchanged medians for one tool."""
    cold = []
    for i in range(runs):
        cold.append(refresh(prepare(validating, f"cold{i}")))
    warm_state = prepare(validating, "warm304")
    refresh(warm_state)
    refresh(warm_state)
    warm304 = [refresh(warm_state) for _ in range(runs)]
    plain_state = prepare(plain, "warm200")
    refresh(plain_state)
    refresh(plain_state)
    warm200 = [refresh(plain_state) for _ in range(runs)]
    return {
        "cold": median(cold),
        "warm-304": median(warm304),
        "warm-200-unchanged": median(warm200),
    }


def report(latency: float, ours: dict[str, Sample], theirs: dict[str, Sample] | None) -> None:
    """Print one table."""
    print(f"\n== {FEEDS} feeds × 50 items, server latency {latency * 1000:.0f} ms ==")
    print(
        f"{'case':<20}{'aiwatch wall':>13}{'cpu':>8}{'peak':>9}"
        + (f"{'newsboat wall':>15}{'cpu':>8}{'peak':>9}{'ratio':>8}" if theirs else "")
    )
    for case, mine in ours.items():
        line = f"{case:<20}{mine.wall:>12.2f}s{mine.cpu:>7.2f}s{mine.rss_mib:>6.0f}MiB"
        if theirs:
            other = theirs[case]
            line += f"{other.wall:>14.2f}s{other.cpu:>7.2f}s{other.rss_mib:>6.0f}MiB"
            line += f"{mine.wall / other.wall:>7.2f}×"
        print(line)
    sys.stdout.flush()


def main() -> None:
    """Parse arguments, run both tools on both servers, print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument(
        "--latency",
        type=float,
        action="append",
        help="server latency in seconds (repeatable; default: 0 and 0.05)",
    )
    parser.add_argument("--no-newsboat", action="store_true")
    args = parser.parse_args()
    newsboat = shutil.which("newsboat") and not args.no_newsboat
    if not newsboat and not args.no_newsboat:
        print("newsboat not found: `apt-get install newsboat` to compare (aiwatch only).")
    startup = median(
        [timed([sys.executable, "-c", "import tui.cli, tui.jobs, feeds.extract"]) for _ in range(3)]
    )
    print(f"aiwatch process start-up and imports alone: {startup.wall:.2f} s wall")
    with tempfile.TemporaryDirectory(prefix="aiwatch-bench-") as tmp:
        workdir = Path(tmp)
        ours_tool = Aiwatch(workdir, args.concurrency)
        boat = Newsboat(workdir, args.concurrency)
        for latency in args.latency or [0.0, 0.05]:
            with (
                serve(workdir, validators=True, latency=latency) as validating,
                serve(workdir, validators=False, latency=latency) as plain,
            ):
                ours = run_cases(
                    args.runs, ours_tool.fresh_db, ours_tool.refresh, validating, plain
                )  # type: ignore[arg-type]
                theirs = (
                    run_cases(args.runs, boat.fresh_cache, boat.refresh, validating, plain)  # type: ignore[arg-type]
                    if newsboat
                    else None
                )
            report(latency, ours, theirs)


if __name__ == "__main__":
    main()
