"""`canonical_url`'s fast path for plain links gives exactly what `urllib.parse` gives."""

from __future__ import annotations

import random
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import pytest

from aiwatch.store.ingest import _TRACKING_PARAMS, canonical_url


def reference(url: str) -> str:
    """`canonical_url` as it was before its fast path: urllib for every link."""
    parts = urlsplit(url)
    query = urlencode(
        [(k, v) for k, v in parse_qsl(parts.query) if not k.lower().startswith(_TRACKING_PARAMS)]
    )
    path = parts.path.rstrip("/") or "/"
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, query, ""))


LINKS = [
    "https://news5.example.com/2025/09/story-5-3",
    "HTTPS://News.Example.COM/Story/",
    "http://example.com",
    "http://example.com/",
    "http://example.com///",
    "http://example.com//a//",
    "http://User:Pass@Example.com:8080/x/",
    "http://example.com/ünïcödé/päth",
    "http://exämple.com/a",
    "http://[::1]:8080/a/",
    "http://[v1.fe]/a",
    "http://example.com/a?utm_source=x&b=1#frag",
    "http://example.com/a#frag",
    "http://example.com/a?",
    "http:///a",
    "http:////a",
    "mailto:someone@example.com",
    "//example.com/a",
    "example.com/a",
    " http://example.com/a",
    "http://exa\tmple.com/a\n",
    "http://example.com/a b",
    "git+ssh://Host/Repo/",
    "1http://example.com/a",
    "h_t://example.com/a",
    "http://example.com\\evil.com/a",
    "http://example.com/%7Euser/",
    "",
]


@pytest.mark.parametrize("url", LINKS)
def test_known_links_match_urllib(url: str) -> None:
    assert canonical_url(url) == reference(url)


def test_random_links_match_urllib() -> None:
    rng = random.Random(20250901)
    pieces = [
        *"aZ09-._~:@/?#[]%+!$&'()*,;= \t\n\\\x00\x7fé",
        "http",
        "HTTPS",
        "://",
        "//",
        "example.com",
        "ü",
        "\u3000",
        "\U0001f389",
    ]
    for _ in range(20_000):
        url = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 12)))
        if rng.random() < 0.7:
            url = rng.choice(["http://", "HTTPS://", "ftp://", "a+b.c-d://"]) + url
        try:
            expected = reference(url)
        except ValueError:  # urllib refuses it (a bad IPv6 host, say): so must the fast path
            with pytest.raises(ValueError):
                canonical_url(url)
            continue
        assert canonical_url(url) == expected, url
