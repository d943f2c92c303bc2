"""The one-way data flow, enforced: feeds/ and store/ never load Textual or Rich."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _modules(package: str) -> list[str]:
    return [f"{package}.{m.name}" for m in pkgutil.walk_packages([str(ROOT / package)])]


@pytest.mark.parametrize("package", ["feeds", "store"])
def test_core_packages_never_import_the_ui(package: str) -> None:
    modules = _modules(package)
    assert modules, f"no modules found in {package}/"
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in {'textual', 'rich', 'tui'})\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert result.stdout.strip() == "", f"{package} imported {result.stdout.strip()}"


def test_feeds_never_imports_store() -> None:
    code = (
        "import importlib, sys\n"
        f"for name in {_modules('feeds')!r}: importlib.import_module(name)\n"
        "print(','.join(sorted(m for m in sys.modules if m.split('.')[0] == 'store')))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert result.stdout.strip() == ""
