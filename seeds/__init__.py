"""Bundled seed articles (data only)."""
