"""Start the programs the user configured: a browser, a pipe command, a notify program.

Nothing here imports Textual; each function blocks briefly and is called from a
worker thread. Every failure comes back as a sentence to show, never an exception.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import webbrowser
from collections.abc import Sequence
from dataclasses import dataclass

BROWSER_GRACE = 2.0
"""Seconds a browser command may take to fail before it counts as started."""
PIPE_TIMEOUT = 120.0
NOTIFY_TIMEOUT = 10.0
MAX_OUTPUT = 1024 * 1024
CONFIG_HINT = 'set [reading] browser = "firefox" (or any command) in config.toml'


def _first_line(data: bytes) -> str:
    text = data.decode("utf-8", "replace").strip()
    return text.splitlines()[0][:200] if text else ""


def open_with(command: Sequence[str], url: str) -> str | None:
    """Run a browser command for ``url`` (``{url}`` replaced, else appended); ``None``: started."""
    args = [part.replace("{url}", url) for part in command]
    if not any("{url}" in part for part in command):
        args.append(url)
    try:
        process = subprocess.Popen(
            args,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,  # the browser outlives aiwatch and never reads its terminal
        )
    except FileNotFoundError:
        return f"Could not start the browser: {args[0]!r} was not found."
    except OSError as exc:
        return f"Could not start the browser {args[0]!r}: {exc.strerror or exc}."
    try:
        code = process.wait(timeout=BROWSER_GRACE)
    except subprocess.TimeoutExpired:
        return None  # still running: it started
    errors = _first_line(process.stderr.read() if process.stderr else b"")
    if code:
        return f"The browser {args[0]!r} failed (exit {code})" + (f": {errors}" if errors else ".")
    return None


def open_in_browser(configured: Sequence[str], url: str) -> str | None:
    """Open ``url`` with the configured command, else the system's graphical browser.

    Returns ``None`` when a browser started, else why none could. A text-mode
    browser found on the PATH (lynx, w3m) is not used: it would take over the
    terminal aiwatch is drawing in.
    """
    if configured:
        return open_with(configured, url)
    try:
        browser = webbrowser.get()
    except webbrowser.Error:
        return f"No browser could be started: {CONFIG_HINT}."
    if isinstance(browser, webbrowser.GenericBrowser) and not isinstance(
        browser, webbrowser.BackgroundBrowser
    ):
        return f"Only a text-mode browser ({browser.name}) was found: {CONFIG_HINT}."
    try:
        started = browser.open(url)
    except (OSError, webbrowser.Error) as exc:
        return f"The browser could not be started ({exc}): {CONFIG_HINT}."
    return None if started else f"The browser did not start: {CONFIG_HINT}."


@dataclass(frozen=True, slots=True)
class PipeResult:
    """What a pipe command printed, and how it ended."""

    output: str
    status: int | None
    error: str = ""

    @property
    def ok(self) -> bool:
        """True when the command ran and exited 0."""
        return not self.error and self.status == 0


def run_pipe(command: str, text: str, *, timeout: float = PIPE_TIMEOUT) -> PipeResult:
    """Run ``command`` through the shell with ``text`` on stdin (newsboat's pipe-to).

    The command is the user's own (typed, or from their config), so it runs in
    ``/bin/sh`` like newsboat's; output is capped at `MAX_OUTPUT` bytes, and a
    command still running after ``timeout`` is killed with its children.
    """
    try:
        process = subprocess.Popen(
            ["/bin/sh", "-c", command],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    except OSError as exc:
        return PipeResult("", None, f"could not start /bin/sh: {exc.strerror or exc}")
    try:
        output, _ = process.communicate(text.encode("utf-8", "replace"), timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill(process)
        output, _ = process.communicate()
        return PipeResult(_decode(output), None, f"stopped after {timeout:g} s")
    return PipeResult(_decode(output), process.returncode)


def _kill(process: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except OSError:
        process.kill()


def _decode(data: bytes) -> str:
    clipped = data[:MAX_OUTPUT]
    text = clipped.decode("utf-8", "replace")
    return text + ("\n… (output cut at 1 MiB)" if len(data) > MAX_OUTPUT else "")


def run_notify(program: Sequence[str], events: Sequence[dict[str, object]]) -> list[str]:
    """Run the notify program once per event, the event as JSON on stdin; returns problems."""
    problems = []
    for event in events:
        try:
            completed = subprocess.run(
                list(program),
                input=json.dumps(event, ensure_ascii=False).encode("utf-8"),
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                timeout=NOTIFY_TIMEOUT,
                check=False,
                start_new_session=True,
            )
        except FileNotFoundError:
            return [f"notify program {program[0]!r} was not found"]
        except subprocess.TimeoutExpired:
            problems.append(f"notify program {program[0]!r} took over {NOTIFY_TIMEOUT:g} s")
            continue
        except OSError as exc:
            return [f"notify program {program[0]!r} could not start: {exc.strerror or exc}"]
        if completed.returncode:
            detail = _first_line(completed.stderr)
            problems.append(
                f"notify program {program[0]!r} exited {completed.returncode}"
                + (f": {detail}" if detail else "")
            )
    return problems
