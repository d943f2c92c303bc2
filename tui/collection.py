"""Full garbage collections kept out of the dashboard's start-up and out of its keystrokes.

A full collection walks every object the process tracks. With Textual, SQLAlchemy
and the models loaded that took 75–95 ms here, and two of them (30 and 75–95 ms)
fell inside the first second of every launch to find a handful of objects. Once the
dashboard was up, one of 30–80 ms came with nearly every filter (Textual's strips
cache themselves, so each table redrawn leaves some 15,000 objects in cycles), and
often between Enter and the panels it asked for.

So from `tui.cli.main` until the first dashboard is up only the young generations
are collected (their garbage still goes at once). Then what exists is set aside
(`gc.freeze`: the modules, mappers, styles and widgets live as long as the app), and
full collections come as often as the interpreter's own thresholds ask for them but
at a quiet moment (`IdleCollections`): once no key or mouse event has come and no read
anyone waits for has run for `IDLE_SECONDS`, or when `OVERDUE` times as many young
collections have passed. (Input alone was not enough: a search that takes a while left
the user waiting without a key, and the collection landed in the wait.)
The reading child sets its inherited objects aside as it starts (`tui.read_process`).
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable

_THRESHOLDS = gc.get_threshold()
_NEVER = 1 << 30
"""A third threshold no count of young collections reaches."""
IDLE_SECONDS = 0.5
"""Quiet for this long: the screen has answered the last key, and the user reads. (At 0.2 s
a collection often began in the short pause before a deliberate key, a cursor moved and
then Enter, and delayed it. A pause just longer than this meets a collection whatever the
value; the longer it is, the more garbage that collection has to free.)"""
OVERDUE = 10
"""A full collection runs anyway once this many times the usual young collections passed
(input that never pauses that long: a key held down)."""


def hold_full_collections() -> None:
    """Collect the young generations only, until `resume_full_collections`."""
    gc.set_threshold(_THRESHOLDS[0], _THRESHOLDS[1], _NEVER)


def resume_full_collections(*, set_aside: bool) -> None:
    """Full collections as usual again; ``set_aside``: first exempt every object that
    exists now from them (`gc.freeze`)."""
    if set_aside:
        gc.freeze()
    gc.set_threshold(*_THRESHOLDS)


class IdleCollections:
    """Full collections at the moments the user is not waiting for the screen.

    `start` sets what exists aside and holds the interpreter's full collections; the app
    calls `input_seen` on every key and mouse event and `tick` every tenth of a second,
    saying whether a read someone waits for is running; `stop` gives the interpreter its
    own schedule back.
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._last_activity = clock()
        self.running = False

    def start(self) -> None:
        """Set the long-lived objects aside; from now on `tick` runs the full collections."""
        gc.freeze()
        hold_full_collections()
        self.running = True

    def stop(self) -> None:
        """Full collections by the interpreter's own thresholds again."""
        if self.running:
            self.running = False
            resume_full_collections(set_aside=False)

    def input_seen(self) -> None:
        """A key or mouse event arrived."""
        self._last_activity = self._clock()

    def tick(self, *, busy: bool = False) -> bool:
        """Collect in full when the interpreter would have by now and input and reads have
        paused (or the collection is `OVERDUE`); ``busy``: a read someone waits for is
        running. ``True`` when it collected."""
        now = self._clock()
        if busy:
            self._last_activity = now
        young = gc.get_count()[2]  # young collections since the last full one
        if not self.running or young < _THRESHOLDS[2]:
            return False
        if young < OVERDUE * _THRESHOLDS[2] and now - self._last_activity < IDLE_SECONDS:
            return False
        gc.collect()
        return True
