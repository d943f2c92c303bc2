"""Dashboards read ahead for the filter a dialog is about to choose.

While the company or topic picker highlights a name, or the search dialog holds a
query that reads, the app reads the dashboard that choice would show
(`tui.app_read_ahead`). When Enter comes, the dashboard shows it in the frame that
closes the dialog instead of waiting for the read.

What is read ahead is never older than what is on screen: every write this app
commits, every refresh that lands and every arrival from another process
invalidates it (a read that started before lands to be dropped), and an entry older
than `FRESH_SECONDS` is not used.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from aiwatch.store.read_models import Dashboard, Filter

FRESH_SECONDS = 15.0
"""An entry older than this is read again (a safety net: changes invalidate it first)."""
KEEP = 4
"""Entries kept (the latest highlighted names or typed queries)."""


class ReadAhead:
    """Dashboards by filter, with the read in flight and the next one wanted.

    `invalidate` may be called from any thread (a worker that just committed);
    everything else runs on the event loop.
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._generation = 0
        self._entries: OrderedDict[Filter, tuple[float, Dashboard]] = OrderedDict()
        self.in_flight: Filter | None = None
        """The filter being read ahead now (one read at a time)."""
        self.wanted: Filter | None = None
        """The filter to read ahead next (the latest asked for wins)."""

    @property
    def generation(self) -> int:
        """Changes seen so far: a read started at one generation is kept only at the same."""
        return self._generation

    def invalidate(self) -> None:
        """The data changed: forget every entry and drop the read in flight when it lands."""
        with self._lock:
            self._generation += 1
            self._entries.clear()

    def put(self, dashboard: Dashboard, generation: int) -> bool:
        """Keep ``dashboard``, read from ``generation``; ``False`` when it is stale already."""
        with self._lock:
            if generation != self._generation:
                return False
            self._entries[dashboard.filter] = (self._clock(), dashboard)
            self._entries.move_to_end(dashboard.filter)
            while len(self._entries) > KEEP:
                self._entries.popitem(last=False)
            return True

    def get(self, filt: Filter) -> Dashboard | None:
        """The dashboard read ahead for ``filt``, if it is still fresh."""
        with self._lock:
            entry = self._entries.get(filt)
            if entry is None:
                return None
            if self._clock() - entry[0] > FRESH_SECONDS:
                del self._entries[filt]
                return None
            return entry[1]
