"""Refresh benchmark: aiwatch vs newsboat on 200 feeds × 50 items served from loopback.

    python -m benchmarks.refresh [--runs 5] [--latency 0.05] [--concurrency 8] [--no-newsboat]

Cases (each the median of ``--runs``): **cold** (empty database / fresh newsboat
cache), **warm-304** (every feed answers 304 to the validators saved last time)
and **warm-200-unchanged** (the server sends no validators, so every feed answers
200 with the same body). aiwatch runs exactly ``aiwatch refresh`` in a fresh
process; "proc" is that whole process (interpreter start-up and imports
included, as cron sees it: nothing is imported ahead) and "in-proc" the
refresh itself once everything is imported (as the dashboard's ``r`` sees it),
measured in a second process on a copy of the same database. A stage breakdown of the cold case (fetch+parse,
+extraction; the full run adds storing) shows where the time goes. newsboat as ``newsboat -x reload`` with ``reload-threads`` equal to aiwatch's
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
from typing import TypeVar

ROOT = Path(__file__).resolve().parents[1]
State = TypeVar("State")  # what a tool's ``prepare`` hands its ``refresh``
FEEDS = 200


@dataclass(frozen=True)
class Sample:
    """One timed run: the whole process, and (aiwatch) the refresh inside it."""

    wall: float
    cpu: float
    rss_mib: float
    inner_wall: float = 0.0
    inner_cpu: float = 0.0


def child(mode: str, db_url: str, config: str) -> None:
    """Run inside a fresh process: import everything, then time one refresh.

    ``mode`` is ``cli`` (exactly ``aiwatch refresh``), ``fetch-parse`` or
    ``fetch-parse-extract`` (the pipeline alone, nothing stored), or
    ``fetch-parse-store`` (the refresh without extraction: the work newsboat
    does). Prints ``wall cpu`` of the timed part on stdout; CPU includes worker
    processes.
    """
    import asyncio
    import multiprocessing
    import resource

    # Imported before timing, as in a running dashboard that has refreshed once: the
    # extractor, the SQLite dialect and the async I/O library httpcore loads lazily.
    import anyio  # noqa: F401
    import sqlalchemy.dialects.sqlite  # noqa: F401

    import aiwatch.feeds.extract  # noqa: F401
    from aiwatch.feeds.refresh import refresh_feeds
    from aiwatch.feeds.work import KnowledgeExtractor
    from aiwatch.store.db import make_engine, session
    from aiwatch.store.feed_repo import feed_requests
    from aiwatch.tui.cli import build_parser, main
    from aiwatch.tui.config import load_settings
    from aiwatch.tui.jobs import run_refresh

    build_parser()

    async def pipeline(extract: bool) -> None:
        engine = make_engine(db_url)
        with session(engine) as db:
            requests = feed_requests(db)
        options = load_settings(config).refresh_options()
        extractor = KnowledgeExtractor() if extract else None
        async for _ in refresh_feeds(requests, options=options, extractor=extractor):
            pass

    def cpu() -> float:
        own = resource.getrusage(resource.RUSAGE_SELF)
        kids = resource.getrusage(resource.RUSAGE_CHILDREN)
        return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime

    before_cpu, started = cpu(), time.perf_counter()
    if mode == "cli":
        main(["--db", db_url, "--config", config, "refresh"])
    elif mode == "fetch-parse-store":
        engine = make_engine(db_url)
        asyncio.run(run_refresh(engine, load_settings(config), extractor=None))
    else:
        asyncio.run(pipeline(mode == "fetch-parse-extract"))
    wall = time.perf_counter() - started
    for worker in multiprocessing.active_children():
        worker.join()
    print(f"{wall} {cpu() - before_cpu}")


def timed(argv: list[str], env: dict[str, str] | None = None) -> Sample:
    """Run ``argv`` to completion: wall, user+system CPU and peak RSS from ``wait4``.

    A child started by `child` also reports the timed refresh inside it.
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(argv, stdout=out, stderr=err, env=env, cwd=ROOT)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if process.returncode:
            message = err.read().decode(errors="replace")[-2000:]
            raise SystemExit(f"{argv[0]} failed ({process.returncode}): {message}")
        words = out.read().decode(errors="replace").split()
    inner = [0.0, 0.0]
    if argv[1:3] == ["-m", "benchmarks.refresh"] and len(words) >= 2:
        inner = [float(words[-2]), float(words[-1])]
    return Sample(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, *inner)


@contextmanager
def serve(workdir: Path, *, validators: bool, latency: float) -> Iterator[str]:
    """Start `benchmarks.server` in a subprocess; yield its base URL."""
    portfile = workdir / f"port-{validators}-{latency}"
    portfile.unlink(missing_ok=True)
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
        from aiwatch.store.db import make_engine, session
        from aiwatch.store.feed_repo import add_feed

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

    def refresh(self, db_url: str, mode: str = "cli") -> Sample:
        """One timed ``aiwatch refresh`` (or pipeline ``mode``) in a fresh process.

        For ``cli``, two runs on two copies of the database: the real command
        alone (``python -m aiwatch refresh``, nothing imported ahead: the process
        figures) and the in-process one (`child`, imports done first).
        """
        argv = [sys.executable, "-m", "benchmarks.refresh", "--child", mode, db_url]
        if mode != "cli":
            return timed([*argv, str(self.config)])
        copy = _copy_sqlite(db_url, "-proc")
        inner = timed([*argv, str(self.config)])
        whole = timed(
            [
                sys.executable,
                "-m",
                "aiwatch",
                "--db",
                copy,
                "--config",
                str(self.config),
                "refresh",
            ]
        )
        return Sample(whole.wall, whole.cpu, whole.rss_mib, inner.inner_wall, inner.inner_cpu)


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


def _copy_sqlite(db_url: str, suffix: str) -> str:
    """A copy of a SQLite database file (and its WAL), as a URL."""
    path = Path(db_url.removeprefix("sqlite:///"))
    target = path.with_name(path.stem + suffix + path.suffix)
    for extra in ("", "-wal", "-shm"):
        source = Path(f"{path}{extra}")
        Path(f"{target}{extra}").unlink(missing_ok=True)
        if source.exists():
            shutil.copyfile(source, f"{target}{extra}")
    return f"sqlite:///{target}"


def median(samples: list[Sample]) -> Sample:
    """Field-wise median."""
    fields = ("wall", "cpu", "rss_mib", "inner_wall", "inner_cpu")
    return Sample(*(statistics.median(getattr(s, f) for s in samples) for f in fields))


def run_cases(
    runs: int,
    prepare: Callable[[str, str], State],
    refresh: Callable[[State], Sample],
    validating: str,
    plain: str,
    cold_runs: int | None = None,
) -> dict[str, Sample]:
    """Cold, warm-304 and warm-200-unchanged medians for one tool (cold: ``cold_runs``)."""
    cold = []
    for i in range(runs if cold_runs is None else cold_runs):
        cold.append(refresh(prepare(validating, f"cold{i}")))
    warm_state = prepare(validating, "warm304")
    refresh(warm_state)
    refresh(warm_state)
    warm304 = [refresh(warm_state) for _ in range(runs)]
    plain_state = prepare(plain, "warm200")
    refresh(plain_state)
    refresh(plain_state)
    warm200 = [refresh(plain_state) for _ in range(runs)]
    results = {"warm-304": median(warm304), "warm-200-unchanged": median(warm200)}
    return {"cold": median(cold), **results} if cold else results


def report(latency: float, ours: dict[str, Sample], theirs: dict[str, Sample] | None) -> None:
    """Print one table: process wall (start-up included), in-process refresh wall, CPU, memory."""
    print(f"\n== {FEEDS} feeds × 50 items, server latency {latency * 1000:.0f} ms, medians ==")
    head = f"{'case':<20}{'aiwatch proc':>13}{'in-proc':>9}{'cpu':>8}{'peak':>8}"
    if theirs:
        head += f"{'newsboat':>10}{'cpu':>8}{'peak':>8}{'ratio proc':>11}{'in-proc':>9}"
    print(head)
    for case, mine in ours.items():
        line = (
            f"{case:<20}{mine.wall:>12.2f}s{mine.inner_wall:>8.2f}s{mine.cpu:>7.2f}s"
            f"{mine.rss_mib:>5.0f}MiB"
        )
        if theirs:
            other = theirs[case]
            line += f"{other.wall:>9.2f}s{other.cpu:>7.2f}s{other.rss_mib:>5.0f}MiB"
            line += f"{mine.wall / other.wall:>10.2f}×{mine.inner_wall / other.wall:>8.2f}×"
        print(line)
    sys.stdout.flush()


def stages(tool: Aiwatch, base: str, runs: int) -> None:
    """Where a cold refresh's time goes: fetch+parse, +extraction, +storing (the full CLI).

    ``fetch-parse-store`` is the refresh without extraction, into a new database
    each run: the same work as newsboat's.
    """
    db = tool.fresh_db(base, "stages")
    print(f"\n== cold refresh by stage (in-process wall, median of {runs}) ==")
    for mode in ("fetch-parse", "fetch-parse-extract", "fetch-parse-store"):
        fresh = mode.endswith("store")
        samples = [
            tool.refresh(tool.fresh_db(base, f"stages{i}") if fresh else db, mode)
            for i in range(runs)
        ]
        sample = median(samples)
        print(f"{mode:<22}{sample.inner_wall:>7.2f}s wall{sample.inner_cpu:>7.2f}s cpu")
    sys.stdout.flush()


def main() -> None:
    """Parse arguments, run both tools on both servers, print the tables."""
    if sys.argv[1:2] == ["--child"]:
        child(*sys.argv[2:5])
        return
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument(
        "--latency",
        type=float,
        action="append",
        help="server latency in seconds (repeatable; default: 0 and 0.05)",
    )
    parser.add_argument("--no-newsboat", action="store_true")
    parser.add_argument("--no-stages", action="store_true", help="skip the stage breakdown")
    parser.add_argument(
        "--cold-runs", type=int, help="timed cold runs (default: --runs; 0 skips the cold case)"
    )
    args = parser.parse_args()
    newsboat = bool(shutil.which("newsboat")) and not args.no_newsboat
    if not newsboat and not args.no_newsboat:
        print("newsboat not found: `apt-get install newsboat` to compare (aiwatch only).")
    imports = median(
        [
            timed([sys.executable, "-c", "import aiwatch.tui.cli, aiwatch.tui.jobs"])
            for _ in range(5)
        ]
    )
    helped = median([timed([sys.executable, "-m", "aiwatch", "--help"]) for _ in range(5)])
    print(
        f"aiwatch refresh's interpreter start-up and imports alone: {imports.wall:.2f} s wall; "
        f"aiwatch --help: {helped.wall:.2f} s (target < 0.3 s)"
    )
    with tempfile.TemporaryDirectory(prefix="aiwatch-bench-") as tmp:
        workdir = Path(tmp)
        ours_tool = Aiwatch(workdir, args.concurrency)
        boat = Newsboat(workdir, args.concurrency)
        for latency in args.latency or [0.0, 0.05]:
            with (
                serve(workdir, validators=True, latency=latency) as validating,
                serve(workdir, validators=False, latency=latency) as plain,
            ):
                if not args.no_stages and latency == 0:
                    stages(ours_tool, validating, args.runs)
                ours = run_cases(
                    args.runs,
                    ours_tool.fresh_db,
                    ours_tool.refresh,
                    validating,
                    plain,
                    args.cold_runs,
                )
                theirs = (
                    run_cases(
                        args.runs,
                        boat.fresh_cache,
                        boat.refresh,
                        validating,
                        plain,
                        args.cold_runs,
                    )
                    if newsboat
                    else None
                )
            report(latency, ours, theirs)


if __name__ == "__main__":
    main()
