"""The real-dev evaluation, end to end, as a new user would run it.

``python -m benchmarks.real_dev [--verbose] [--keep DIR]`` serves the feed files of
``../shared/evalsets/real-dev/feeds`` from loopback, subscribes a fresh SQLite database to
each (``aiwatch feeds import`` of an OPML list of them), runs ``aiwatch refresh`` and
``aiwatch export --format json``,
and prints the table of the set's own scorer (``score.py``). `run` is shared with
`benchmarks.extraction --real-dev` and with the regression test that guards the scores.

``--quick`` is for tuning: it parses the files and extracts in this process, writes each
article's facts as records of their own (no database, so no consolidation across
articles) and scores that; ``--show N`` prints the text and facts of gold item N.
"""

from __future__ import annotations

import argparse
import http.server
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REAL_DEV = ROOT.parent / "shared" / "evalsets" / "real-dev"
_RELATION = re.compile(
    r"^(?P<name>partnership|product|case)\s+relations\s+P=(?P<p>[\d.]+)\s+R=(?P<r>[\d.]+)\s+"
    r"F1=(?P<f1>[\d.]+)"
)
_NON_AI = re.compile(r"non-AI items with any extraction: (?P<hit>\d+)/(?P<all>\d+)")


@dataclass
class Result:
    """What one run scored, and how long the refresh took."""

    table: str
    f1: dict[str, float] = field(default_factory=dict)
    precision: dict[str, float] = field(default_factory=dict)
    recall: dict[str, float] = field(default_factory=dict)
    non_ai: tuple[int, int] = (0, 0)
    refresh_seconds: float = 0.0
    articles: int = 0
    characters: int = 0


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve ``folder`` on 127.0.0.1; yields the base URL."""

    def handler(*args: object, **kwargs: object) -> _Quiet:
        return _Quiet(*args, directory=str(folder), **kwargs)  # type: ignore[arg-type]

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def _aiwatch(db: str, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "aiwatch", "--db", db, *args]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed ({done.returncode}): {done.stderr.strip()}")
    return done


def run(workdir: Path, *, evalset: Path = REAL_DEV, verbose: bool = False) -> Result:
    """Subscribe, refresh, export and score; the database and export stay in ``workdir``."""
    feeds = sorted((evalset / "feeds").glob("*.xml"))
    db = f"sqlite:///{workdir / 'real-dev.db'}"
    export = workdir / "export.json"
    env = {
        **os.environ,
        "XDG_DATA_HOME": str(workdir / "data"),
        "XDG_CONFIG_HOME": str(workdir / "config"),
    }
    env.pop("AIWATCH_DB", None)
    env.pop("AIWATCH_CONFIG", None)
    with serve(evalset / "feeds") as base:
        opml = workdir / "real-dev.opml"  # one `feeds import`, not one process per feed
        outlines = "".join(
            f'<outline type="rss" text="{path.stem}" xmlUrl="{base}/{path.name}"/>'
            for path in feeds
        )
        opml.write_text(
            f'<?xml version="1.0"?><opml version="2.0"><body>{outlines}</body></opml>',
            encoding="utf-8",
        )
        _aiwatch(db, env, "feeds", "import", str(opml))
        started = time.perf_counter()
        _aiwatch(db, env, "refresh")
        seconds = time.perf_counter() - started
    _aiwatch(db, env, "export", "--format", "json", "-o", str(export))
    scored = subprocess.run(
        [sys.executable, str(evalset / "score.py"), str(export), *(["-v"] if verbose else [])],
        capture_output=True,
        text=True,
        check=True,
    )
    document = json.loads(export.read_text(encoding="utf-8"))
    result = Result(scored.stdout, refresh_seconds=seconds, articles=len(document["articles"]))
    for line in scored.stdout.splitlines():
        if match := _RELATION.match(line):
            name = match.group("name")
            result.f1[name] = float(match.group("f1"))
            result.precision[name] = float(match.group("p"))
            result.recall[name] = float(match.group("r"))
        elif match := _NON_AI.search(line):
            result.non_ai = (int(match.group("hit")), int(match.group("all")))
    return result


def _quick_document(evalset: Path) -> tuple[dict[str, list[dict[str, object]]], int]:
    """An export-shaped document straight from the extractor, one record per fact."""
    from aiwatch.feeds.extract import extract_article
    from aiwatch.feeds.extract.publisher import publisher_of
    from aiwatch.feeds.knowledge.base import load_knowledge_base
    from aiwatch.feeds.parse.body import parse_feed

    kb = load_knowledge_base()
    document: dict[str, list[dict[str, object]]] = {
        "articles": [],
        "partnerships": [],
        "products": [],
        "cases": [],
    }
    characters = 0
    for path in sorted((evalset / "feeds").glob("*.xml")):
        url = f"http://127.0.0.1/{path.name}"
        parsed = parse_feed(path.read_bytes(), url=url, source=url)
        publisher = publisher_of(kb, parsed.title, parsed.site_url or url)
        for record in parsed.entries:
            record = replace(record, publisher=publisher)
            number = len(document["articles"]) + 1
            characters += len(record.body)
            found = extract_article(record, kb)
            document["articles"].append({"id": number, "url": record.url, "title": record.title})
            for deal in found.partnerships:
                document["partnerships"].append(
                    {"parties": list(deal.parties), "reported_in": [number] * deal.reported}
                )
            for product in found.products:
                document["products"].append(
                    {
                        "name": product.name,
                        "company": product.maker,
                        "reported_in": [number] * product.is_launch,
                    }
                )
            for case in found.cases:
                document["cases"].append(
                    {
                        "plaintiffs": list(case.plaintiffs),
                        "defendants": list(case.defendants),
                        "reported_in": [number] * case.reported,
                    }
                )
    return document, characters


def quick(evalset: Path = REAL_DEV, *, verbose: bool = False) -> str:
    """Score the extractor alone (see the module docstring); returns the scorer's output."""
    started = time.process_time()
    document, characters = _quick_document(evalset)
    seconds = time.process_time() - started
    with tempfile.TemporaryDirectory() as folder:
        export = Path(folder) / "export.json"
        export.write_text(json.dumps(document), encoding="utf-8")
        scored = subprocess.run(
            [sys.executable, str(evalset / "score.py"), str(export), *(["-v"] if verbose else [])],
            capture_output=True,
            text=True,
            check=True,
        )
    articles = len(document["articles"])
    return scored.stdout + (
        f"parse + extract: {articles} articles, {characters:,} characters, {seconds:.2f} s CPU "
        f"({articles / seconds:,.0f} articles/s)\n"
    )


def show(number: int, evalset: Path = REAL_DEV) -> str:
    """Gold item ``number`` (0-based line of gold.jsonl): its text, labels and facts."""
    from aiwatch.feeds.extract import extract_article
    from aiwatch.feeds.extract.publisher import publisher_of
    from aiwatch.feeds.knowledge.base import load_knowledge_base
    from aiwatch.feeds.parse.body import parse_feed

    gold = json.loads((evalset / "gold.jsonl").read_text(encoding="utf-8").splitlines()[number])
    kb = load_knowledge_base()
    path = evalset / "feeds" / gold["feed"]
    url = f"http://127.0.0.1/{path.name}"
    parsed = parse_feed(path.read_bytes(), url=url, source=url)
    record = replace(
        parsed.entries[gold["item_index"]],
        publisher=publisher_of(kb, parsed.title, parsed.site_url or url),
    )
    found = extract_article(record, kb)
    lines = [f"== {gold['feed']} #{gold['item_index']} publisher={record.publisher!r}"]
    lines += [f"TITLE {record.title}", record.body[len(record.title) + 1 :], ""]
    for key in ("partnerships", "products", "cases", "note"):
        lines.append(f"GOLD {key}: {gold.get(key)}")
    for deal in found.partnerships:
        lines.append(f"FOUND deal {deal.parties} reported={deal.reported} :: {deal.evidence}")
    for product in found.products:
        lines.append(
            f"FOUND product {product.maker}/{product.name} {product.status} "
            f"launch={product.is_launch} {product.found_by} :: {product.evidence[:160]}"
        )
    for case in found.cases:
        lines.append(
            f"FOUND case {case.plaintiffs} v {case.defendants} {case.stage} "
            f"reported={case.reported} :: {case.evidence[:160]}"
        )
    return "\n".join(lines)


def main() -> None:
    """Run the evaluation once and print the scorer's output."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--verbose", "-v", action="store_true", help="list every miss")
    parser.add_argument("--keep", type=Path, help="keep the database and export in this folder")
    parser.add_argument("--quick", action="store_true", help="extractor alone, in this process")
    parser.add_argument("--show", type=int, metavar="N", help="print gold item N and its facts")
    args = parser.parse_args()
    if not (REAL_DEV / "score.py").exists():
        sys.exit(f"real-dev set not found at {REAL_DEV}")
    if args.show is not None:
        print(show(args.show))
        return
    if args.quick:
        print(quick(verbose=args.verbose), end="")
        return
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        for stale in ("real-dev.db", "real-dev.db-wal", "real-dev.db-shm", "export.json"):
            (args.keep / stale).unlink(missing_ok=True)
        result = run(args.keep, verbose=args.verbose)
    else:
        with tempfile.TemporaryDirectory() as folder:
            result = run(Path(folder), verbose=args.verbose)
    print(result.table, end="")
    print(f"refresh of {result.articles} articles: {result.refresh_seconds:.2f} s wall")


if __name__ == "__main__":
    main()
