"""Widgets of the aiwatch TUI, one per module."""
