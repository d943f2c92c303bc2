"""``aiwatch feeds …`` and ``aiwatch refresh`` end to end, with clean output."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from aiwatch.tui.cli import main
from tests.feed_server import FeedServer, Reply, item, rss

CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):
    config = tmp_path / "config.toml"
    config.write_text("[refresh]\ntimeout = 2\nworkers = 0\n")
    monkeypatch.setenv("AIWATCH_CONFIG", str(config))
    db = f"sqlite:///{tmp_path / 'cli.db'}"

    def run(*argv: str) -> tuple[int, str, str]:
        status = main(["--db", db, *argv])
        out, err = capsys.readouterr()
        assert not CONTROL.search(out + err), "control characters reached the terminal"
        return status, out, err

    return run


def test_add_list_remove(cli, server: FeedServer) -> None:
    url = server.add("/feed", Reply(rss([item(1)])))
    status, out, _ = cli(
        "feeds", "add", url, "--title", "Wire \x1b[31mred\x1b[0m", "--category", "News"
    )
    assert status == 0 and out.startswith(f"Subscribed to {url} (feed #1)")
    assert cli("feeds", "add", url)[0] == 1
    status, _, err = cli("feeds", "add", "file:///etc/passwd")
    assert status == 1 and "Only http and https feeds are supported" in err
    status, _, err = cli("feeds", "add", url.replace("http://", "HTTP://") + " ")
    assert status == 1 and "Already subscribed" in err
    status, out, _ = cli("feeds", "list")
    assert status == 0 and "Wire red" in out and "new" in out
    rows = json.loads(cli("feeds", "list", "--json")[1])
    assert rows[0]["url"] == url and rows[0]["category"] == "News"
    assert cli("feeds", "disable", "1")[0] == 0
    assert json.loads(cli("feeds", "list", "--json")[1])[0]["enabled"] is False
    assert cli("feeds", "remove", url)[0] == 0
    status, _, err = cli("feeds", "remove", "42")
    assert status == 1 and "No such feed: 42" in err


def test_import_export_and_defaults(cli, tmp_path: Path) -> None:
    opml = tmp_path / "in.opml"
    opml.write_text(
        '<opml version="2.0"><body><outline text="AI">'
        '<outline type="rss" text="A" xmlUrl="https://a.example.com/rss"/>'
        '<outline type="rss" text="Bad" xmlUrl="file:///etc/passwd"/>'
        "</outline></body></opml>"
    )
    status, out, err = cli("feeds", "import", str(opml))
    assert status == 0 and "Subscribed to 1 feed (0 already subscribed, 1 refused)" in out
    assert "refused: file:///etc/passwd: Only http and https" in err
    status, out, _ = cli("feeds", "export")
    assert status == 0 and 'xmlUrl="https://a.example.com/rss"' in out and 'category="/AI"' in out
    target = tmp_path / "out.opml"
    assert cli("feeds", "export", str(target))[0] == 0 and "a.example.com" in target.read_text()
    status, out, _ = cli("feeds", "defaults")
    assert status == 0 and re.search(r"Subscribed to \d+ feeds", out)
    status, out, _ = cli("feeds", "defaults")
    assert "Subscribed to 0 feeds" in out  # idempotent; nothing was fetched
    status, _, err = cli("feeds", "import", str(tmp_path / "missing.opml"))
    assert status == 2 and "cannot read" in err


def test_refresh_summary_json_and_exit_status(cli, server: FeedServer) -> None:
    good = server.add("/good", Reply(rss([item(1), item(2)], title="Good \x1b]0;evil\x07feed")))
    bad = server.add("/bad", Reply(status=500))
    cli("feeds", "add", good)
    cli("feeds", "add", bad)
    status, out, err = cli("refresh")
    assert status == 0
    assert re.fullmatch(r"2 feeds: 1 ok, 0 unchanged, 1 failed · 2 new articles · [\d.]+ s\n", out)
    assert err == f"failed: {bad}: HTTP 500 Internal Server Error\n"  # cron: no progress noise
    status, out, _ = cli("refresh", "--json")
    data = json.loads(out)
    assert status == 0 and (data["feeds_unchanged"], data["feeds_failed"]) == (1, 1)
    status, out, _ = cli("refresh", "--feed", "2", "--json")
    assert status == 1 and json.loads(out)["feeds_failed"] == 1  # nothing could be refreshed
    status, out, err = cli("refresh", "--progress", "--feed", "1", "--feed", "2")
    assert "1/2" in err and "2/2" in err  # a plain line per feed when asked for
    assert "evil" not in cli("feeds", "list")[1]


def test_refresh_with_no_feeds_and_bad_config(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    status, out, _ = cli("refresh")
    assert status == 1 and "No feeds subscribed" in out
    bad = tmp_path / "bad.toml"
    bad.write_text("[refresh]\ntimeout = 'soon'\n")
    monkeypatch.setenv("AIWATCH_CONFIG", str(bad))
    status, _, err = cli("refresh")
    assert status == 2 and "'refresh.timeout'" in err
