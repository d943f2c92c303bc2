"""Fetching: polite, bounded HTTP (`fetcher`), its plumbing (`http`, `net`, `limits`) and which URLs are allowed (`urls`)."""
