"""No control character reaches the terminal from any command that prints data.

Hostile text arrives two ways: from feeds (titles, reason phrases, redirect
targets served on loopback), and straight from the database (another tool or an
older version wrote it there, bypassing `feeds.parse.sanitize`). Either way ``feeds
list``, ``feeds export``, ``refresh`` and ``export`` in every format print no
ESC, OSC, C1, NUL, DEL, CR or BS, and the visible text around them survives.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from aiwatch.feeds.records import (
    ArticleRecord,
    CaseFact,
    CompanyMention,
    Extraction,
    PartnershipFact,
)
from aiwatch.feeds.records import ProductFact as Product
from aiwatch.store.db import make_engine, session
from aiwatch.store.ingest import NewArticle, save_articles
from aiwatch.store.models import Feed
from aiwatch.tui.cli import main
from tests.feed_server import FeedServer, Reply, item, rss
from tests.tui_support import OTHER_DAY

CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
HOSTILE = {
    "esc": "\x1b[2Jcleared",
    "osc": "\x1b]0;pwned\x07titled",
    "osc8": "\x1b]8;;https://evil.example\x1b\\osc8\x1b]8;;\x1b\\",
    "osc52": "\x1b]52;c;cHduZWQ=\x07clip",
    "c1": "c1\x9b31m\x9d0;x\x9cend",
    "nul": "nul\x00del\x7fcr\rbs\x08",
}
VISIBLE = ["cleared", "titled", "osc8", "clip", "c1", "end", "nul", "del", "cr", "bs"]
Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Run:
    config = tmp_path / "config.toml"
    config.write_text("[refresh]\ntimeout = 2\nworkers = 0\n")
    monkeypatch.setenv("AIWATCH_CONFIG", str(config))
    db = f"sqlite:///{tmp_path / 'cli.db'}"

    def run(*argv: str) -> tuple[int, str, str]:
        status = main(["--db", db, *argv])
        out, err = capsys.readouterr()
        found = CONTROL.findall(out + err)
        assert not found, f"{argv}: control characters {found!r} reached the terminal"
        return status, out, err

    run.db = db  # type: ignore[attr-defined]
    return run


def hostile_entry(n: int, text: str) -> str:
    """An RSS item whose title and description carry ``text`` (XML-escaped, control bytes raw)."""
    escaped = text.replace("&", "&amp;").replace("<", "&lt;")
    deal = "Meta announced a partnership with Midjourney to license its AI video technology."
    return item(n, title=f"Meta story {escaped}", body=f"{deal} {escaped}")


def test_hostile_feeds_through_refresh_list_and_export(server: FeedServer, cli: Run) -> None:
    texts = list(HOSTILE.values())
    good = server.add(
        "/good", Reply(rss([hostile_entry(n, t) for n, t in enumerate(texts)], title=texts[1]))
    )

    def reason(handler: object) -> None:
        handler.send_response(503, "Busy \x1b[2J\x9b31mnow\x07")  # type: ignore[attr-defined]
        handler.send_header("Content-Length", "0")  # type: ignore[attr-defined]
        handler.end_headers()  # type: ignore[attr-defined]

    busy = server.add("/busy", reason)
    moved = server.add(
        "/moved", Reply(status=302, headers={"Location": "javascript:\x1b]0;x\x07alert(1)"})
    )
    for url in (good, busy, moved):
        assert (
            cli("feeds", "add", url, "--title", HOSTILE["esc"], "--category", HOSTILE["c1"])[0] == 0
        )
    status, out, err = cli("refresh")
    assert status == 0 and "3 feeds: 1 ok, 0 unchanged, 2 failed" in out
    assert f"failed: {busy}: HTTP 503 Busy" in err and "now" in err
    status, out, _ = cli("feeds", "list")
    assert status == 0 and "cleared" in out and "HTTP 503" in out
    assert cli("feeds", "list", "--json")[0] == 0
    assert cli("feeds", "export")[0] == 0
    for fmt in ("md", "json", "csv"):
        status, out, _ = cli("export", "--format", fmt)
        assert status == 0
        for visible in ("cleared", "titled", "clip"):
            assert visible in out, (fmt, visible)


def poison(engine: Engine) -> None:
    """Write hostile text straight into every table the commands print (no sanitising)."""
    with session(engine) as db:
        for n, (name, text) in enumerate(HOSTILE.items()):
            record = ArticleRecord(
                source=f"https://feeds.example.com/{name}{text}",
                entry_key=f"k{n}",
                url=f"https://news.example.com/{n}",
                title=f"Title {text}",
                published=OTHER_DAY,
                summary=text,
                author=text,
            )
            found = Extraction(
                companies=(CompanyMention(f"Co {text}", True, text),),
                partnerships=(
                    PartnershipFact(
                        tuple(sorted((f"Co {text}", "Meta"))), text, text, text, "fact", text
                    ),
                ),
                products=(Product(f"Model {text}", f"Co {text}", text, text, True, text),),
                cases=(
                    CaseFact(
                        f"Case {text}",
                        (text,),
                        ("Meta",),
                        text,
                        text,
                        (text,),
                        text,
                        text,
                        "lawsuit",
                        "fact",
                        text,
                    ),
                ),
                topics=(f"topic {name}",),
            )
            save_articles(db, [NewArticle(record, found)], now=OTHER_DAY)
            db.add(
                Feed(
                    url=f"https://feeds.example.com/{name}{text}",
                    title=f"Feed {text}",
                    category=text,
                    site_url=f"https://example.com/{text}",
                    status="error",
                    error=f"Error {text}",
                    warning=text,
                )
            )
        db.commit()


def test_hostile_database_rows_never_reach_the_terminal(cli: Run) -> None:
    engine = make_engine(cli.db)  # type: ignore[attr-defined]
    poison(engine)
    engine.dispose()
    status, out, _ = cli("feeds", "list")
    assert status == 0
    for visible in ("cleared", "titled", "osc8", "clip", "c1", "end"):
        assert visible in out, visible
    rows = json.loads(cli("feeds", "list", "--json")[1])
    assert {r["title"] for r in rows} == {f"Feed {t}" for t in HOSTILE.values()}  # data kept
    assert cli("feeds", "export")[0] == 0
    for fmt in ("md", "json", "csv"):
        status, out, _ = cli("export", "--format", fmt)
        assert status == 0
        for visible in ("cleared", "titled", "osc8", "clip"):
            assert visible in out, (fmt, visible)
    document = json.loads(cli("export", "--format", "json")[1])
    assert {a["title"] for a in document["articles"]} == {f"Title {t}" for t in HOSTILE.values()}
    status, out, err = cli("refresh", "--feed", "1")  # the stored URL is printed back
    assert "feeds.example.com/esc" in err
