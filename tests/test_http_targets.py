"""The fetcher's own split of plain URLs is exactly httpx's (which it then need not import)."""

from __future__ import annotations

import random
import string

import httpx
import pytest

from aiwatch.feeds.fetch import http
from aiwatch.feeds.fetch.http import request_target

CASES = [
    "http://a.com",
    "https://A.Example.COM:443/x?y=1",
    "http://a.com:8080/p",
    "http://a.com:80",
    "http://a.com:0080/x",
    "http://a.com:0/x",
    "HTTP://a.com?q",
    "https://a.com:80/",
    "http://a.com:65535/x",
    "http://a.com:65536/x",
    "http://127.0.0.1:5000/feed.xml",
    "https://news.example.com/rss/all?format=xml&x=1;y=2",
    "https://example.com/a/b/../c/./d",
    "https://example.com/~user/feed",
    "https://example.com/it's(1)+*,;=:@!$",
    "https://example.com/%7Euser/a%20b",
    "https://example.com/a b",
    "https://example.com/#frag",
    "https://user:pw@example.com/",
    "https://[::1]:8080/feed",
    "https://bücher.example/feed",
    "https://example.com/ü",
    "https://example.com/a|b",
    "https://xn--bcher-kva.example/",
    "https://-bad.example/",
    "https://a..b/",
]


def expected(url: str) -> object:
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL as exc:
        return type(exc)
    return (parsed.raw_scheme, parsed.raw_host, parsed.port, parsed.raw_path, parsed.netloc)


def actual(url: str) -> object:
    try:
        target, netloc = request_target(url)
    except httpx.InvalidURL as exc:
        return type(exc)
    return (target.scheme, target.host, target.port, target.target, netloc)


@pytest.mark.parametrize("url", CASES)
def test_a_url_is_split_as_httpx_splits_it(url: str) -> None:
    assert actual(url) == expected(url)


def test_random_plain_urls_agree_with_httpx() -> None:
    rng = random.Random(12)
    path_chars = string.ascii_letters + string.digits + "-._~!$&'()*+,;=:@/?%# |^`{}\"<>\\"
    for _ in range(5_000):
        host = ".".join(
            "".join(
                rng.choice(string.ascii_letters + string.digits + "-")
                for _ in range(rng.randint(1, 8))
            )
            for _ in range(rng.randint(1, 3))
        )
        port = rng.choice(["", f":{rng.randint(0, 70000)}", ":80", ":443"])
        path = "".join(rng.choice(path_chars) for _ in range(rng.randint(0, 20)))
        url = f"{rng.choice(['http', 'https', 'HTTPS'])}://{host}{port}{'/' if rng.random() < 0.8 else ''}{path}"
        assert actual(url) == expected(url), url


def test_the_plain_pattern_is_what_takes_the_short_way() -> None:
    assert http._PLAIN_URL.fullmatch("https://example.com/feed?x=1")
    assert not http._PLAIN_URL.fullmatch("https://example.com/a b")
    assert not http._PLAIN_URL.fullmatch("https://[::1]/")
