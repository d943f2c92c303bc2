"""How long the feed parser takes to refuse hostile XML (entity bombs, quadratic blowup).

    .venv/bin/python -m benchmarks.hostile_xml [--runs 3]

Prints the slowest of ``--runs`` parses per document, and the peak memory. The
tests check that each document is refused and bounded in memory
(tests/test_parse_hostile.py); speed is measured here, not asserted there.
"""

from __future__ import annotations

import argparse
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

from aiwatch.feeds.parse.body import parse_feed

DEFUSED = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "defusedxml" / "xmltestdata"
FEED = "https://feeds.example.com/ai.xml"


def documents() -> Iterator[tuple[str, bytes]]:
    entity, refs = "A" * 50_000, "&a;" * 20_000
    for encoding in ("utf-8", "utf-16", "utf-16-le"):
        yield (
            f"quadratic blowup ({encoding})",
            (
                f'<?xml version="1.0" encoding="{encoding}"?>\n'
                f'<!DOCTYPE rss [<!ENTITY a "{entity}">]>\n'
                '<rss version="2.0"><channel><item><title>t</title><link>https://e.com/1</link>'
                f"<description>{refs}</description></item></channel></rss>"
            ).encode(encoding),
        )
    lol = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + str(i - 1 if i > 1 else "") + ";") * 10}">'
        for i in range(1, 10)
    )
    yield (
        "billion laughs",
        (
            f'<?xml version="1.0"?><!DOCTYPE rss [{lol}]><rss version="2.0"><channel><item>'
            "<title>&lol9;</title></item></channel></rss>"
        ).encode(),
    )
    if DEFUSED.is_dir():
        for path in sorted(DEFUSED.glob("*.xml")):
            yield f"defusedxml {path.name}", path.read_bytes()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(f"{'document':<40} {'slowest s':>10} {'peak MiB':>9}  outcome")
    for name, body in documents():
        slowest, peak, outcome = 0.0, 0, ""
        for _ in range(args.runs):
            tracemalloc.start()
            started = time.perf_counter()
            feed = parse_feed(body, url=FEED)
            slowest = max(slowest, time.perf_counter() - started)
            peak = max(peak, tracemalloc.get_traced_memory()[1])
            tracemalloc.stop()
            outcome = feed.error or f"{len(feed.entries)} entries"
        print(f"{name:<40} {slowest:>10.3f} {peak / 2**20:>9.1f}  {outcome[:60]}")


if __name__ == "__main__":
    main()
