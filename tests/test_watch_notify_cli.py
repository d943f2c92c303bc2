"""`aiwatch refresh` (cron) runs the notify program for new events of what the user watches."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from sqlmodel import select

from aiwatch.store.db import make_engine, session
from aiwatch.store.feed_repo import add_feed
from aiwatch.store.models import Partnership
from aiwatch.store.watchlist import set_watched
from aiwatch.tui.cli import main
from tests.feed_server import FeedServer, Reply, item, rss

FIRST = item(
    1,
    title="Meta partners with Midjourney",
    body="Meta announced a partnership with Midjourney to license its AI image and video generation technology.",
)
SECOND = item(
    2,
    title="Meta and Midjourney expand their deal",
    body="Meta and Midjourney expanded their partnership to cover AI video generation, the companies said.",
    link="https://example.com/expand",
)


def test_cron_refresh_runs_the_notify_program_with_each_new_event(tmp_path: Path) -> None:
    received = tmp_path / "events.jsonl"
    config = tmp_path / "config.toml"
    script = f"import sys; open({str(received)!r}, 'a').write(sys.stdin.read() + '\\n')"
    config.write_text(
        f'user = "ana"\n[refresh]\nworkers = 0\n[notify]\nprogram = {json.dumps([sys.executable, "-c", script])}\n',
        encoding="utf-8",
    )
    url = f"sqlite:///{tmp_path / 'cron.db'}"
    engine = make_engine(url)
    with FeedServer() as server:
        feed = server.add("/deals.xml", Reply(rss([FIRST], title="Deals wire")))
        with session(engine) as db:
            add_feed(db, feed)
            db.commit()
        args = ["--db", url, "--config", str(config), "refresh"]
        assert main(args) == 0
        assert not received.exists()  # nothing watched yet
        with session(engine) as db:
            deal_id = db.exec(select(Partnership.id)).one()
            assert deal_id is not None
            set_watched(db, "ana", "partnership", deal_id, True)
            db.commit()
        server.add("/deals.xml", Reply(rss([FIRST, SECOND], title="Deals wire")))
        assert main([*args, "--force"]) == 0
    engine.dispose()
    (event,) = [json.loads(line) for line in received.read_text().splitlines() if line]
    assert event["user"] == "ana" and event["watched"] == {
        "type": "partnership",
        "id": deal_id,
        "name": "Meta × Midjourney",
    }
    assert event["article"]["title"] == "Meta and Midjourney expand their deal" and event["event"]
