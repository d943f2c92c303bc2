"""Run an action at most once per interval, deferring (never dropping) a call that comes too soon."""

from __future__ import annotations

import time
from collections.abc import Callable

from textual.message_pump import MessagePump
from textual.timer import Timer


class Throttle:
    """Calls ``action`` at most once per ``interval`` seconds.

    A call that comes too soon runs at the end of the interval instead, and
    further calls until then fold into that one deferred run.
    """

    def __init__(self, owner: MessagePump, interval: float, action: Callable[[], object]) -> None:
        self.owner = owner
        self.interval = interval
        self.action = action
        self._last = float("-inf")
        self._timer: Timer | None = None

    def __call__(self) -> None:
        """Run the action, or make sure it runs once the interval is over."""
        if self._timer is not None:
            return
        wait = self._last + self.interval - time.monotonic()
        if wait <= 0:
            self._run()
        else:
            self._timer = self.owner.set_timer(wait, self._run)

    def cancel(self) -> None:
        """Drop a deferred run, if one is waiting."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def _run(self) -> None:
        self._timer = None
        self._last = time.monotonic()
        self.action()
