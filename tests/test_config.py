"""The TOML config: location precedence, defaults, validation naming the key."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from aiwatch.tui.config import (
    ConfigError,
    RefreshSettings,
    Settings,
    database_for,
    default_config_path,
    load_settings,
)

ROOT = Path(__file__).resolve().parents[1]


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_when_no_file_exists() -> None:
    settings = load_settings()
    assert settings == Settings()
    assert settings.refresh == RefreshSettings()
    options = settings.refresh_options()
    assert options.fetch.concurrency == 8 and options.fetch.timeout == 30.0
    assert options.fetch.max_bytes == 15 * 1024 * 1024 and options.max_items == 500
    assert options.fetch.user_agent.startswith("aiwatch/")
    assert default_config_path().name == "config.toml" and "aiwatch" in str(default_config_path())


def test_full_file(tmp_path: Path) -> None:
    kb = tmp_path / "extra.toml"
    path = write(
        tmp_path,
        'database = "sqlite:////tmp/x.db"\n'
        "[refresh]\nconcurrency = 4\ntimeout = 12.5\nmax_bytes = 2048\nmax_items = 50\n"
        'auto_refresh_minutes = 15\nuser_agent = "bot/1"\nworkers = 0\n'
        '[knowledge]\nextra_files = ["extra.toml"]\n',
    )
    settings = load_settings(path)
    assert settings.database == "sqlite:////tmp/x.db"
    assert settings.refresh == RefreshSettings(4, 12.5, 2048, 50, 15.0, "bot/1", 0)
    assert settings.knowledge_files == (kb.resolve(),)
    assert settings.refresh_options().fetch.user_agent == "bot/1"


def test_env_and_explicit_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    env_file = write(tmp_path, "[refresh]\nconcurrency = 3\n")
    monkeypatch.setenv("AIWATCH_CONFIG", str(env_file))
    assert load_settings().refresh.concurrency == 3
    other = tmp_path / "other.toml"
    other.write_text("[refresh]\nconcurrency = 5\n")
    assert load_settings(other).refresh.concurrency == 5  # --config wins over the env
    with pytest.raises(ConfigError, match="does not exist"):
        load_settings(tmp_path / "missing.toml")


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("[refresh]\nconcurrency = 0\n", "refresh.concurrency"),
        ('[refresh]\nconcurrency = "8"\n', "refresh.concurrency"),
        ("[refresh]\nconcurrency = true\n", "refresh.concurrency"),
        ("[refresh]\ntimeout = -1\n", "refresh.timeout"),
        ("[refresh]\nmax_bytes = 10\n", "refresh.max_bytes"),
        ("[refresh]\nmax_items = 0\n", "refresh.max_items"),
        ("[refresh]\nauto_refresh_minutes = -5\n", "refresh.auto_refresh_minutes"),
        ('[refresh]\nuser_agent = "a\\nb"\n', "refresh.user_agent"),
        ("[refresh]\nworkers = -2\n", "refresh.workers"),
        ("[refresh]\nconcurency = 8\n", "refresh.concurency"),
        ("colour = 'red'\n", "colour"),
        ("refresh = 3\n", "refresh"),
        ("database = 3\n", "database"),
        ("[knowledge]\nextra_files = 'kb.toml'\n", "knowledge.extra_files"),
    ],
)
def test_bad_values_name_the_key(tmp_path: Path, text: str, key: str) -> None:
    with pytest.raises(ConfigError) as raised:
        load_settings(write(tmp_path, text))
    assert f"'{key}'" in str(raised.value) and "config.toml" in str(raised.value)


def test_invalid_toml(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_settings(write(tmp_path, "[refresh\n"))


def test_database_precedence(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = Settings(database="sqlite:////from/config.db")
    assert database_for("sqlite:////from/flag.db", settings) == "sqlite:////from/flag.db"
    assert database_for(None, settings) == "sqlite:////from/config.db"
    monkeypatch.setenv("AIWATCH_DB", "sqlite:////from/env.db")
    assert database_for(None, settings) == "sqlite:////from/env.db"
    monkeypatch.delenv("AIWATCH_DB")
    assert database_for(None, Settings()).endswith("aiwatch.db")


def test_config_and_jobs_never_import_textual() -> None:
    code = (
        "import sys, tui.config, tui.jobs, tui.commands.feeds, tui.commands.refresh\n"
        "print(','.join(sorted(m for m in sys.modules if m.split('.')[0] in {'textual', 'rich'})))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert result.stdout.strip() == ""
