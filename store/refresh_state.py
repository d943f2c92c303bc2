"""What a refresh reads and writes before anything changed, in plain SQL (`store.driver`).

`plan_refresh` decides which feeds to fetch and says why the others are left
out (disabled, backing off); `write_unchanged` writes the health of feeds that
answered 304 or served the same body again, many in one statement. Neither
commits: the caller owns the transaction.
`schema_at_head` tells whether a database can be used without running
migrations (which need the full store, `store.db.make_engine`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Literal

from aiwatch.store.driver import DriverConnection
from aiwatch.store.revision import HEAD_REVISION

if TYPE_CHECKING:
    from aiwatch.feeds.refresh import FeedOutcome, FeedRequest

SkipReason = Literal["disabled", "backing-off", "busy"]


class NoSuchFeed(LookupError):
    """``--feed ID`` named feeds that are not subscribed."""


@dataclass(frozen=True, slots=True)
class SkippedFeed:
    """A subscribed feed a refresh did not fetch, and why."""

    feed_id: int
    url: str
    reason: SkipReason  # busy: another refresh is fetching it right now
    retry_after: datetime | None = None  # when a feed backing off is due again


@dataclass(frozen=True, slots=True)
class RefreshPlan:
    """The feeds to fetch, the feeds left out, and how many are subscribed."""

    requests: tuple[FeedRequest, ...]
    skipped: tuple[SkippedFeed, ...]
    subscribed: int


def schema_at_head(conn: DriverConnection) -> bool:
    """True when the database holds aiwatch's tables at this version's revision."""
    try:
        rows = conn.rows("SELECT version_num FROM alembic_version")
    except Exception:  # noqa: BLE001 - no such table (or not ours): the full store decides
        conn.rollback()
        return False
    conn.rollback()  # end the read transaction (PostgreSQL): nothing is left open
    return [tuple(row) for row in rows] == [(HEAD_REVISION,)]


def plan_refresh(
    conn: DriverConnection,
    *,
    feed_ids: Iterable[int] | None = None,
    force: bool = False,
    now: datetime | None = None,
) -> RefreshPlan:
    """Which feeds to fetch: ``feed_ids`` (any state), else every enabled feed that is due.

    ``force`` fetches feeds that are backing off after errors, too. Raises
    `NoSuchFeed` when ``feed_ids`` names a feed that does not exist.
    """
    from aiwatch.feeds.refresh import FeedRequest

    moment = now or datetime.now(UTC)
    rows = conn.rows(
        "SELECT id, url, etag, last_modified, body_hash, enabled, retry_after, publisher"
        " FROM feed ORDER BY id"
    )
    wanted = None if feed_ids is None else set(feed_ids)
    if wanted is not None:
        missing = wanted - {int(row[0]) for row in rows}
        if missing:
            listed = ", ".join(str(i) for i in sorted(missing))
            raise NoSuchFeed(f"No such feed: {listed} (see `aiwatch feeds list`).")
    requests: list[FeedRequest] = []
    skipped: list[SkippedFeed] = []
    for feed_id, url, etag, last_modified, body_hash, enabled, retry, publisher in rows:
        if wanted is not None and feed_id not in wanted:
            continue
        retry_after = conn.read_time(retry)
        if wanted is None and not enabled:
            skipped.append(SkippedFeed(feed_id, url, "disabled"))
        elif wanted is None and not force and retry_after is not None and retry_after > moment:
            skipped.append(SkippedFeed(feed_id, url, "backing-off", retry_after))
        else:
            requests.append(
                FeedRequest(url, feed_id, etag, last_modified, body_hash, publisher or "")
            )
    return RefreshPlan(tuple(requests), tuple(skipped), len(rows))


_HEALTHY = (
    "last_checked = :now, last_ok = :now, error = '', error_count = 0, "
    "retry_after = NULL, status = 'unchanged', http_status = :http_status"
)


def write_unchanged(
    conn: DriverConnection, outcomes: Sequence[FeedOutcome], *, now: datetime | None = None
) -> int:
    """Write the health of feeds that did not change (304, or the same body), uncommitted.

    A 304 keeps the validators the request sent; a 200 with the same body
    stores the server's current ones. Plain 304s become one UPDATE per HTTP
    status. Returns how many feeds were written. Outcomes with entries,
    another status or a permanent redirect (`store.feed_apply` moves the
    feed) are left out.
    """
    stamp = conn.time(now or datetime.now(UTC))
    plain: dict[int | None, list[int]] = {}
    done = 0
    for outcome in outcomes:
        feed_id = outcome.request.feed_id
        fetched = outcome.fetch
        if feed_id is None or outcome.entries or outcome.status != "unchanged":
            continue
        if fetched.permanent_url:
            continue
        done += 1
        if fetched.status == "not-modified":
            plain.setdefault(fetched.http_status, []).append(feed_id)
            continue
        conn.run(
            f"UPDATE feed SET {_HEALTHY}, etag = :etag, last_modified = :last_modified, "
            "body_hash = :body_hash WHERE id = :id",
            {
                "now": stamp,
                "http_status": fetched.http_status,
                "etag": fetched.etag,
                "last_modified": fetched.last_modified,
                "body_hash": fetched.body_hash,
                "id": feed_id,
            },
        )
    for http_status, ids in plain.items():
        conn.run(
            f"UPDATE feed SET {_HEALTHY} WHERE {conn.id_list('id', 'ids')}",
            {"now": stamp, "http_status": http_status, "ids": conn.ids(ids)},
        )
    return done
