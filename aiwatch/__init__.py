"""aiwatch: a keyboard-first terminal dashboard for the AI industry.

The code lives in the repository's top-level folders, installed under this one package
(``pyproject.toml`` maps them): ``aiwatch.feeds`` (fetch, parse, extract), ``aiwatch.store``
(tables, sessions, queries), ``aiwatch.tui`` (the dashboard and the command line) and
``aiwatch.seeds`` (the bundled seed documents).
"""
