"""``python -m aiwatch``: the ``aiwatch`` command."""

from aiwatch.tui.cli import main

raise SystemExit(main())
