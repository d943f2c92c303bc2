"""``python -m aiwatch``: the ``aiwatch`` command."""

from aiwatch.tui.cli import run

raise SystemExit(run())
