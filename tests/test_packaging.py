"""`pip install .` installs one import package, ``aiwatch``, holding every module and data file
of the repository's folders (tui/, store/, feeds/, seeds/), and nothing else at the top level."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FOLDERS = ("tui", "store", "feeds", "seeds")
DATA = (".py", ".tcss", ".toml", ".opml", ".mako", ".txt")
PIP = (sys.executable, "-m", "pip", "--disable-pip-version-check", "-q")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [*PIP, "wheel", "--no-deps", "--no-build-isolation", "-w", str(out), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (built,) = out.glob("aiwatch-*.whl")
    return built


def _source_files() -> set[str]:
    files = {f"aiwatch/{p.name}" for p in (ROOT / "aiwatch").glob("*.py")}
    for folder in FOLDERS:
        for path in (ROOT / folder).rglob("*"):
            if path.is_file() and path.suffix in DATA and "__pycache__" not in path.parts:
                files.add(f"aiwatch/{path.relative_to(ROOT).as_posix()}")
    return files


def test_every_folder_of_modules_is_a_listed_package() -> None:
    """A folder left out would be installed as data of its parent (setuptools warns, then drops it)."""
    listed = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    folders = {
        "aiwatch." + path.parent.relative_to(ROOT).as_posix().replace("/", ".")
        for folder in FOLDERS
        for path in (ROOT / folder).rglob("*.py")
        if "__pycache__" not in path.parts
    }
    assert sorted(listed) == sorted({"aiwatch", *folders})


def test_the_wheel_holds_one_package_with_every_file(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    top = {name.split("/")[0] for name in names}
    assert {t for t in top if not t.endswith(".dist-info")} == {"aiwatch"}
    missing = sorted(_source_files() - names)
    assert missing == [], f"not installed: {missing}"


def test_the_installed_package_runs_from_anywhere(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run(
        [*PIP, "install", "--no-deps", "--target", str(target), str(wheel)],
        check=True,
        capture_output=True,
    )
    assert {p.name for p in target.iterdir()} - {"bin"} == {
        "aiwatch",
        *(p.name for p in target.glob("aiwatch-*.dist-info")),
    }
    # -I: neither the checkout, its editable install nor the current directory on the path;
    # the dependencies come from this interpreter's site-packages, added after the target.
    site = next(p for p in sys.path if p.endswith("site-packages"))
    code = (
        f"import sys; sys.path[:0] = [{str(target)!r}]; sys.path.append({site!r});"
        "import aiwatch.tui.cli, aiwatch.feeds.knowledge.base as kb, aiwatch.feeds.sources.seeds as s;"
        "base = kb.load_knowledge_base(); print(aiwatch.tui.cli.__file__);"
        "print(base.product('Veo 3').maker, base.organisation('Zhipu AI') is not None);"
        "print(len(list(s.bundled_seed_dir().glob('*.txt'))))"
    )
    result = subprocess.run(
        [sys.executable, "-I", "-c", code],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": ""},
        check=True,
    )
    where, maker, generated, seeds = result.stdout.split()
    assert Path(where).is_relative_to(target)
    assert (maker, generated) == ("Google", "True")  # hand-written and generated knowledge
    assert int(seeds) >= 1
