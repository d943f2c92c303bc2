"""The dashboard's words after a refresh come from the summary's fields, never from parsing its text."""

from __future__ import annotations

from aiwatch.tui.jobs import FeedReport, RefreshSummary
from aiwatch.tui.refresh_report import refresh_report


def summary(*feeds: FeedReport, subscribed: int = 3) -> RefreshSummary:
    return RefreshSummary(
        subscribed=subscribed,
        total=len(feeds),
        ok=sum(f.status == "ok" for f in feeds),
        unchanged=0,
        failed=sum(f.status == "error" for f in feeds),
        new_articles=0,
        changed_articles=0,
        seconds=1.0,
        feeds=feeds,
    )


def test_feeds_the_store_refused_lead_the_status_and_are_an_error() -> None:
    refused = [
        FeedReport(n, f"https://e.example/{n}", "error", error="could not save: x", store_error=why)
        for n, why in ((1, "db is read-only"), (2, "db is read-only"))
    ]
    report = refresh_report(summary(FeedReport(3, "https://e.example/3", "ok"), *refused))
    assert report.failed
    assert report.unsaved == "Could not save 2 feeds: db is read-only"
    assert report.status.startswith("Could not save 2 feeds: db is read-only · 3 feeds: 1 ok")


def test_a_fetch_error_worded_like_a_store_error_is_only_a_failed_feed() -> None:
    odd = FeedReport(1, "https://e.example/1", "error", error="could not save: the server said so")
    report = refresh_report(summary(odd))
    assert not report.failed and report.unsaved == ""
    assert report.status.startswith("1 feed: 0 ok, 0 unchanged, 1 failed")


def test_no_feeds_points_at_the_feeds_screen() -> None:
    report = refresh_report(summary(subscribed=0))
    assert report.status.startswith("No feeds yet: press f") and not report.failed
