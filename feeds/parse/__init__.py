"""Parsing: a fetched body becomes clean, bounded `ArticleRecord`s (`body`), through the fast path (`fastparse`,
`fastfeed`) or feedparser, after `xmlguard`; `sanitize` cleans text from strangers."""
