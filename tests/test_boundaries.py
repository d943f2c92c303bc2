"""The one-way data flow, enforced: feeds/ and store/ never load Textual or Rich, feeds/ never
loads store/, and everything is imported through the one installed package, ``aiwatch``."""

from __future__ import annotations

import ast
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import aiwatch.feeds
import aiwatch.store

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = {"feeds": aiwatch.feeds, "store": aiwatch.store}
TOP_LEVEL = ("tui", "store", "feeds", "seeds")


def _modules(package: str) -> list[str]:
    """Every module of ``aiwatch.<package>``, subpackages included (migration scripts aside)."""
    module = PACKAGES[package]
    return [
        info.name
        for info in pkgutil.walk_packages(module.__path__, f"{module.__name__}.")
        if ".migrations" not in info.name
    ]


def _loaded_after_importing(modules: list[str]) -> set[str]:
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "print(','.join(sorted(sys.modules)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    return set(result.stdout.strip().split(","))


def test_every_module_is_walked() -> None:
    """The checks below see the subpackages too (fetch, parse, extract, knowledge, sources)."""
    names = _modules("feeds")
    for expected in ("fetch.fetcher", "parse.body", "extract.pipeline", "knowledge.base"):
        assert f"aiwatch.feeds.{expected}" in names


@pytest.mark.parametrize("package", ["feeds", "store"])
def test_core_packages_never_import_the_ui(package: str) -> None:
    loaded = _loaded_after_importing(_modules(package))
    bad = sorted(
        m for m in loaded if m.split(".")[0] in {"textual", "rich"} or m.startswith("aiwatch.tui")
    )
    assert bad == [], f"aiwatch.{package} imported {bad}"


def test_feeds_never_imports_store() -> None:
    loaded = _loaded_after_importing(_modules("feeds"))
    assert sorted(m for m in loaded if m.startswith("aiwatch.store")) == []


def test_nothing_imports_the_folders_as_top_level_packages() -> None:
    """``import store`` would work from a checkout but not once installed: always ``aiwatch.store``."""
    offenders = []
    for folder in (*TOP_LEVEL, "aiwatch", "tests", "benchmarks", "scripts"):
        for path in (ROOT / folder).rglob("*.py"):
            if path.is_relative_to(ROOT / "aiwatch") and path.parent != ROOT / "aiwatch":
                continue  # aiwatch/tui … are links to the folders themselves
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                names = (
                    [alias.name for alias in node.names]
                    if isinstance(node, ast.Import)
                    else [node.module or ""]
                    if isinstance(node, ast.ImportFrom) and node.level == 0
                    else []
                )
                offenders += [
                    f"{path.relative_to(ROOT)}:{node.lineno} {name}"
                    for name in names
                    if name.split(".")[0] in TOP_LEVEL
                ]
    assert offenders == []
