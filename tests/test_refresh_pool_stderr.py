"""The parse workers start where ``sys.stderr`` has no file descriptor (the dashboard).

Textual replaces ``sys.stderr`` with a capture whose ``fileno()`` is -1; the pool's
resource tracker passed it to its new process, and in the dashboard every refresh failed
with "bad value(s) in fds_to_keep". The tracker is started once per process, so the check
runs in a fresh interpreter.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRIPT = """
import sys

class Capture:  # what Textual puts in sys.stderr while an app runs
    def write(self, text): return len(text)
    def flush(self): pass
    def fileno(self): return -1

if __name__ == "__main__":
    sys.stderr = Capture()
    from aiwatch.feeds.refresh import make_executor, stop_executor
    pool = make_executor(2)
    print(pool.submit(sum, [1, 2]).result())
    stop_executor(pool)
"""


def test_workers_start_when_stderr_has_no_descriptor(tmp_path: Path) -> None:
    script = tmp_path / "pool.py"
    script.write_text(SCRIPT, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(script)],
        cwd=Path(__file__).resolve().parents[1],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert (done.returncode, done.stdout.strip()) == (0, "3"), done.stderr[-2000:]
