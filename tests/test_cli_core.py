"""The headless commands an analyst scripts: seeds load, reextract, and their errors."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from aiwatch.store.db import make_engine, session
from aiwatch.store.models import Feed
from aiwatch.store.queries import load_dashboard
from aiwatch.tui.cli import main


def _snapshot(engine: Engine) -> tuple[object, ...]:
    with session(engine) as db:
        d = load_dashboard(db)
    return (
        [(p.id, p.parties, p.status, p.articles) for p in d.partnerships],
        [(p.id, p.name, p.company, p.status) for p in d.products],
        [(c.id, c.defendants, c.stage, c.ruling) for c in d.cases],
        [(a.id, a.companies, a.topics) for a in d.articles],
    )


def test_seeds_load_is_idempotent(sqlite_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", sqlite_url, "seeds", "load"]) == 0
    assert "Seeds: 1 file(s), 1 new, 0 updated" in capsys.readouterr().out
    assert main(["--db", sqlite_url, "seeds", "load"]) == 0
    assert "Seeds: 1 file(s), 0 new, 0 updated" in capsys.readouterr().out


def test_seeds_load_names_a_bad_file(
    tmp_path: Path, sqlite_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "good.txt").write_text(
        "OpenAI and Microsoft extend partnership\nNews Summary\nMicrosoft and OpenAI extended their partnership.\n"
    )
    (tmp_path / "bad.txt").write_bytes(b"\xff\xfe\x00bad")
    assert main(["--db", sqlite_url, "seeds", "load", str(tmp_path)]) == 0
    captured = capsys.readouterr()
    assert "Seeds: 1 file(s), 1 new, 0 updated, 1 error(s)" in captured.out
    assert "warning: bad.txt: not UTF-8 text" in captured.err


def test_reextract_is_idempotent_and_keeps_edits(
    sqlite_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--db", sqlite_url, "seeds", "load"]) == 0
    engine = make_engine(sqlite_url)
    before = _snapshot(engine)
    assert before[0] and before[1] and before[2]
    deal_id = before[0][0][0]
    assert main(["--db", sqlite_url, "edit", "partnership", str(deal_id), "status=ended"]) == 0
    assert main(["--db", sqlite_url, "reextract"]) == 0
    assert main(["--db", sqlite_url, "reextract"]) == 0
    assert (
        "Re-extracted 1 article(s): 0 failed, 0 unsupported record(s) removed"
        in capsys.readouterr().out
    )
    after = _snapshot(engine)
    assert after[1:] == before[1:]
    assert after[0] == [(deal_id, before[0][0][1], "ended", 1)]
    engine.dispose()


def test_bad_config_names_the_key(
    tmp_path: Path, sqlite_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "config.toml"
    config.write_text("[refresh]\nconcurency = 3\n")
    assert main(["--db", sqlite_url, "--config", str(config), "seeds", "load"]) == 2
    err = capsys.readouterr().err
    assert "unknown key 'refresh.concurency'" in err and "Traceback" not in err


@pytest.mark.parametrize("command", [["seeds", "load"], ["export"], ["reextract"], []])
def test_unusable_database_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    corrupt = tmp_path / "corrupt.db"
    corrupt.write_bytes(b"garbage" * 500)
    assert main(["--db", f"sqlite:///{corrupt}", *command]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("aiwatch: ") and "not a usable SQLite database" in err
    assert len(err.splitlines()) == 1


def test_a_reader_that_stops_early_ends_the_output_quietly(tmp_path: Path) -> None:
    """``aiwatch feeds list | head -1``: no traceback, SIGPIPE's exit status."""
    url = f"sqlite:///{tmp_path / 'many.db'}"
    engine = make_engine(url)
    with session(engine) as db:
        db.add_all(Feed(url=f"https://feeds.example.com/{n}.xml") for n in range(2_000))
        db.commit()
    engine.dispose()
    command = [sys.executable, "-m", "aiwatch", "--db", url, "feeds", "list"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None and process.stdout.readline().split()[0] == b"ID"
    process.stdout.close()  # far more than a pipe holds is still unwritten
    _, errors = process.communicate(timeout=60)
    assert process.returncode == 141 and b"Traceback" not in errors, errors
