"""A canonical dump of everything the extractor says about a fixed set of texts, and its hash.

    python -m benchmarks.extraction_dump [--out dump.json]

For speed work on `feeds/extract/`: a change that only makes extraction faster must leave
the hash printed here unchanged (diff two dumps to see what moved). The set: every
labelled and held-out item of ``tests/extraction_data``, every real-dev feed item
(``../shared/evalsets/real-dev``, when present: parsed with the project's parser, extracted
as an article with its feed's publisher and as bare text), 3,000 generated and 1,000 dense
articles of `benchmarks.extraction`, and the bundled seeds with and without a publisher.
Every field of every result is written, keys sorted.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import time
from dataclasses import replace
from pathlib import Path

from benchmarks.extraction import ROOT, generate_articles
from benchmarks.real_dev import REAL_DEV


def _plain(value: object) -> object:
    """``value`` as JSON-ready data: dataclasses as dicts, sets sorted."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, set | frozenset):
        return sorted(_plain(v) for v in value)  # type: ignore[type-var]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def dump() -> list[object]:
    """Every result, labelled by where its text came from."""
    from aiwatch.feeds.extract import extract_article, extract_text
    from aiwatch.feeds.extract.publisher import publisher_of
    from aiwatch.feeds.knowledge.base import load_knowledge_base
    from aiwatch.feeds.parse.body import parse_feed

    kb = load_knowledge_base()
    out: list[object] = []

    def add(label: str, result: object) -> None:
        out.append([label, _plain(result)])

    for name in ("eval.jsonl", "heldout.jsonl"):
        for line in (ROOT / "tests" / "extraction_data" / name).read_text("utf-8").splitlines():
            if line.strip():
                item = json.loads(line)
                add(f"{name}:{item['id']}", extract_text(item["text"], kb, title=item["title"]))
    for path in sorted((REAL_DEV / "feeds").glob("*.xml")):
        url = f"http://127.0.0.1/{path.name}"
        parsed = parse_feed(path.read_bytes(), url=url, source=url)
        publisher = publisher_of(kb, parsed.title, parsed.site_url or url)
        for number, record in enumerate(parsed.entries):
            record = replace(record, publisher=publisher)
            add(f"realdev:{path.name}:{number}:article", extract_article(record, kb))
            add(
                f"realdev:{path.name}:{number}:text",
                extract_text(record.body, kb, title=record.title),
            )
    for seed in (1, 2):
        for number, (title, body) in enumerate(generate_articles(kb, 1500, seed=seed)):
            add(f"generated:{seed}:{number}", extract_text(body, kb, title=title))
    for number, (title, body) in enumerate(generate_articles(kb, 1000, dense=True)):
        add(f"dense:{number}", extract_text(body, kb, title=title))
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        title, _, body = text.partition("\n")
        add(f"seed:{path.name}", extract_text(body, kb, title=title))
        add(f"seed-publisher:{path.name}", extract_text(text, kb, publisher="OpenAI"))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--out", type=Path, help="write the dump here (JSON)")
    args = parser.parse_args()
    started = time.process_time()
    results = dump()
    text = json.dumps(results, sort_keys=True, ensure_ascii=False, indent=0)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    digest = hashlib.sha256(text.encode()).hexdigest()
    where = "" if REAL_DEV.exists() else " (real-dev absent: its items are left out)"
    print(
        f"{len(results)} results{where}, {time.process_time() - started:.1f} s CPU, sha256 {digest}"
    )


if __name__ == "__main__":
    main()
