"""Subcommands of the ``aiwatch`` CLI, one module per group."""
