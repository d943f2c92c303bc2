#!/usr/bin/env python3
"""Bootstrap and run aiwatch from a checkout, with nothing but Python 3.11+.

    python3 dev.py run [ARGS...]   install into .venv if needed, then launch the dashboard
    python3 dev.py test [ARGS...]  install with test extras, lint, type-check, run pytest

Dependencies are (re)installed only when pyproject.toml changed since the last
install, so repeated runs start immediately.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = Path(os.environ.get("AIWATCH_VENV", ROOT / ".venv"))
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")


def _ensure_env(extras: str) -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 - this script may run under any python3
        sys.exit(f"aiwatch needs Python 3.11 or newer; this is {sys.version.split()[0]}")
    if not (BIN / "python").exists():
        print(f"Creating {VENV} …", file=sys.stderr)
        venv.EnvBuilder(with_pip=True).create(VENV)
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes() + extras.encode()).hexdigest()
    stamp = VENV / f".aiwatch-installed{extras or '-base'}"
    if stamp.exists() and stamp.read_text() == wanted:
        return
    print(f"Installing aiwatch{extras} into {VENV} …", file=sys.stderr)
    # -qq: errors only; the build backend's notes on editable installs are not for users.
    pip = [str(BIN / "python"), "-m", "pip", "install", "-qq", "--disable-pip-version-check"]
    subprocess.run([*pip, "--upgrade", "pip"], check=True)
    subprocess.run([*pip, "-e", f".{extras}"], check=True, cwd=ROOT)
    stamp.write_text(wanted)


def run(args: list[str]) -> int:
    """Launch the dashboard (or any ``aiwatch`` subcommand)."""
    _ensure_env("")
    return subprocess.call([str(BIN / "aiwatch"), *args])


def test(args: list[str]) -> int:
    """Lint, format-check, type-check and run the whole test suite."""
    _ensure_env("[test]")
    steps = [
        [str(BIN / "ruff"), "check", "."],
        [str(BIN / "ruff"), "format", "--check", "."],
        [str(BIN / "mypy")],
        [str(BIN / "python"), "-m", "pytest", *args],
    ]
    for step in steps:
        print(
            "$",
            " ".join(Path(step[0]).name if i == 0 else part for i, part in enumerate(step)),
            flush=True,
        )
        status = subprocess.call(step, cwd=ROOT)
        if status:
            return status
    return 0


if __name__ == "__main__":
    commands = {"run": run, "test": test}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        sys.exit(__doc__)
    sys.exit(commands[sys.argv[1]](sys.argv[2:]))
