"""Instructions per extracted article, counted by callgrind (steady where wall-clock is not).

Run: ``python benchmarks/extraction_instructions.py [--articles 300] [--root DIR]``

Re-runs itself under ``setarch -R valgrind --tool=callgrind`` with ``PYTHONHASHSEED=0`` and
collects only inside ``starmap_next`` (CPython's C function that calls each extraction of
the measured loop; the extractor never uses ``itertools.starmap``), after a warm-up on other
articles fills the caches, then prints the instruction count per article.
``--root`` imports the project from another checkout, to compare it with this one.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from collections import deque
from itertools import starmap
from pathlib import Path
from typing import TYPE_CHECKING

ROOT = Path(__file__).resolve().parent.parent

if TYPE_CHECKING:
    from aiwatch.feeds.knowledge.base import KnowledgeBase
    from aiwatch.feeds.records import Extraction


def _measured(articles: list[tuple[str, str]], kb: KnowledgeBase) -> None:
    """Extract every article, each one called by ``starmap_next`` (what callgrind counts)."""
    from aiwatch.feeds.extract import extract_text

    def one(title: str, body: str) -> Extraction:
        return extract_text(body, kb, title=title)

    deque(starmap(one, articles), maxlen=0)


def _child(count: int) -> None:
    from aiwatch.feeds.extract import extract_text
    from aiwatch.feeds.knowledge.base import load_knowledge_base
    from benchmarks.extraction import generate_articles

    kb = load_knowledge_base()
    for title, body in generate_articles(kb, 20, seed=2):  # warm-up, not counted: compiled
        extract_text(body, kb, title=title)  # patterns, the KB's indexes
    _measured(generate_articles(kb, count), kb)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--root", type=Path, default=ROOT, help="checkout to import")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.articles)
        return
    root = args.root.resolve()
    env = {**os.environ, "PYTHONHASHSEED": "0", "PYTHONPATH": str(root)}
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "callgrind.out"
        command = [
            *("setarch", "-R", "valgrind", "--tool=callgrind", "--collect-atstart=no"),
            "--toggle-collect=starmap_next",
            f"--callgrind-out-file={out}",
            *(sys.executable, str(Path(__file__).resolve()), "--child"),
            *("--articles", str(args.articles)),
        ]
        run = subprocess.run(command, env=env, cwd=root, capture_output=True, text=True)
        if run.returncode:
            sys.exit(run.stderr)
        events = re.search(r"^summary:\s+(\d+)", out.read_text(), re.MULTILINE)
        if events is None:
            sys.exit("no summary in the callgrind output")
    total = int(events[1])
    print(f"{total:,} instructions, {total / args.articles:,.0f} per article ({root})")


if __name__ == "__main__":
    main()
