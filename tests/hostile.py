"""Hostile strings for the rendering tests, and the check that a screen stays inert."""

from __future__ import annotations

from typing import Any

from textual.app import App

from tests.tui_support import segments

MARKUP = [
    "[bold]x",
    "[/]",
    "[/",
    "a[/foo]b",
    "[$accent]",
    "[@click=app.quit]x[/]",
    "[link=file:///etc/passwd]x[/link]",
    "C:\\path\\",
]
CONTROL = {  # a string with terminal controls → exactly the text that may be shown of it
    "\x1b[2Jcleared": "cleared",
    "\x1b]0;pwned\x07titled": "titled",
    "\x1b]8;;https://evil.example\x1b\\osc8\x1b]8;;\x1b\\": "osc8",
    "\x1b]52;c;cHduZWQ=\x07clip": "clip",
    "c1\x9b31m\x9d0;x\x9cend": "c131m0;xend",  # 8-bit CSI/OSC/ST dropped; their text is inert
    "nul\x00del\x7fcr\rbs\x08": "nuldelcr bs",  # a carriage return is a space
    "bidi\u202egnp.exe": "bidignp.exe",
    "zero\u200bwidth": "zerowidth",
}
FORBIDDEN = set(chr(c) for c in range(32) if c != 10) | {"\x7f"} | set(map(chr, range(0x80, 0xA0)))
FORBIDDEN |= {
    "\u202e",
    "\u202d",
    "\u2066",
    "\u2067",
    "\u2068",
    "\u2069",
    "\u200b",
    "\u200e",
    "\u200f",
}


def assert_inert(app: App[Any]) -> None:
    """No control character, link or click action in anything rendered; the app runs."""
    assert app.is_running
    for segment in segments(app):
        if segment.control:
            continue
        assert not FORBIDDEN & set(segment.text), repr(segment.text)
        style = segment.style
        if style is not None:
            assert not style.link, (segment.text, style.link)
            assert "@click" not in (style.meta or {}), (segment.text, style.meta)
