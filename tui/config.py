"""The TOML config file: where it lives, what it may say, and a frozen `Settings`.

Location: ``--config FILE``, else ``$AIWATCH_CONFIG``, else ``config.toml`` in
the user config directory (``~/.config/aiwatch/`` on Linux). A missing default
file means defaults; a missing explicit file is an error. Every key is checked
and a bad one raises `ConfigError` naming it. Nothing here imports Textual.

```toml
database = "sqlite:////home/me/aiwatch.db"   # default: $AIWATCH_DB, else the data dir

[refresh]
concurrency = 8            # parallel downloads
timeout = 30               # seconds per feed: connect + redirects + body
max_bytes = 15728640       # decoded body size cap (15 MiB)
max_items = 500            # entries kept per feed per refresh
auto_refresh_minutes = 0   # dashboard auto-refresh; 0 = off
user_agent = ""            # default: aiwatch/<version> (+https://github.com/aiwatch)
workers = -1               # parse/extract processes; -1 = one per core (max 2), 0 = a thread

[knowledge]
extra_files = []           # more knowledge-base TOML files
```

The analyst's loop (see `ReadingSettings`, `NotifySettings` and ``[keys]``):

```toml
user = "ana"               # who you are on a shared database; default $AIWATCH_USER, else the OS login

[keys]                     # binding id = "key[,key...]"; ? lists every id
next-new = "j"

[reading]
browser = ""               # command that opens links ("firefox", ["open", "-a", "Safari"]); {url} or appended
pipe = ""                  # shell command `|` pipes an article to, e.g. "llm -s 'Summarise this'"
pipe_format = "markdown"   # or "json"

[notify]
program = ""               # run for each new event of something you watch; the event as JSON on stdin
```
"""

from __future__ import annotations

import getpass
import os
import re
import shlex
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aiwatch.store.location import app_dir, database_url

if TYPE_CHECKING:
    from aiwatch.feeds.refresh import RefreshOptions

APP_NAME = "aiwatch"


class ConfigError(ValueError):
    """A config file that cannot be used; the message names the file and key."""


@dataclass(frozen=True, slots=True)
class RefreshSettings:
    """The ``[refresh]`` table."""

    concurrency: int = 8
    timeout: float = 30.0
    max_bytes: int = 15 * 1024 * 1024
    max_items: int = 500
    auto_refresh_minutes: float = 0.0
    user_agent: str = ""
    workers: int = -1


@dataclass(frozen=True, slots=True)
class ReadingSettings:
    """The ``[reading]`` table: how links open and what ``|`` pipes articles to."""

    browser: tuple[str, ...] = ()
    pipe: str = ""
    pipe_format: str = "markdown"


@dataclass(frozen=True, slots=True)
class NotifySettings:
    """The ``[notify]`` table: a program run with each watched entity's new event."""

    program: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything configurable; build with `load_settings`, or directly in tests."""

    database: str | None = None
    refresh: RefreshSettings = field(default_factory=RefreshSettings)
    knowledge_files: tuple[Path, ...] = ()
    path: Path | None = None
    user: str = ""
    keys: tuple[tuple[str, str], ...] = ()
    reading: ReadingSettings = field(default_factory=ReadingSettings)
    notify: NotifySettings = field(default_factory=NotifySettings)

    @property
    def username(self) -> str:
        """Who reads, watches and saves: ``user`` here, else ``$AIWATCH_USER``, else the OS login.

        Read state, the watchlist, saved views and the theme are kept per user name,
        so colleagues sharing one PostgreSQL database each keep their own.
        """
        chosen = self.user or os.environ.get("AIWATCH_USER", "").strip()
        if not chosen:
            try:
                chosen = getpass.getuser()
            except (OSError, KeyError):  # no login name (a container without a passwd entry)
                chosen = "default"
        return chosen[:128]

    @property
    def keymap(self) -> dict[str, str]:
        """Binding id → keys, from ``[keys]``."""
        return dict(self.keys)

    def refresh_options(self) -> RefreshOptions:
        """The options `feeds.refresh` needs."""
        from aiwatch.feeds.fetch.fetcher import FetchOptions, default_user_agent
        from aiwatch.feeds.refresh import RefreshOptions

        r = self.refresh
        fetch = FetchOptions(
            concurrency=r.concurrency,
            timeout=r.timeout,
            max_bytes=r.max_bytes,
            user_agent=r.user_agent or default_user_agent(),
        )
        return RefreshOptions(fetch=fetch, max_items=r.max_items, workers=r.workers)


def default_config_path() -> Path:
    """``config.toml`` in the user config directory."""
    return app_dir("config") / "config.toml"


def config_path(explicit: str | os.PathLike[str] | None = None) -> tuple[Path, bool]:
    """The config file to read and whether the user named it (``--config``/env)."""
    chosen = explicit or os.environ.get("AIWATCH_CONFIG")
    if chosen:
        return Path(chosen).expanduser(), True
    return default_config_path(), False


def load_settings(explicit: str | os.PathLike[str] | None = None) -> Settings:
    """Read and validate the config file; `ConfigError` when it is unusable."""
    path, named = config_path(explicit)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        if named:
            raise ConfigError(f"Config file {path} does not exist.") from None
        return Settings()
    except OSError as exc:
        raise ConfigError(f"Cannot read config file {path}: {exc.strerror or exc}") from None
    try:
        doc = tomllib.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path} is not valid TOML: {exc}") from None
    return settings_from_dict(doc, path=path)


def settings_from_dict(doc: dict[str, Any], *, path: Path | None = None) -> Settings:
    """Validate a parsed TOML document into `Settings`."""
    where = str(path) if path else "config"
    _only(doc, {"database", "refresh", "knowledge", "user", "keys", "reading", "notify"}, where, "")
    database = doc.get("database")
    if database is not None and (not isinstance(database, str) or not database.strip()):
        raise ConfigError(f"{where}: 'database' must be a non-empty string (a database URL).")
    refresh = _table(doc, "refresh", where)
    _only(refresh, set(RefreshSettings.__dataclass_fields__), where, "refresh.")
    defaults = RefreshSettings()
    settings = RefreshSettings(
        concurrency=_int(refresh, "concurrency", defaults.concurrency, 1, 64, where),
        timeout=_number(refresh, "timeout", defaults.timeout, 1, 600, where),
        max_bytes=_int(refresh, "max_bytes", defaults.max_bytes, 1024, 1 << 30, where),
        max_items=_int(refresh, "max_items", defaults.max_items, 1, 100_000, where),
        auto_refresh_minutes=_number(refresh, "auto_refresh_minutes", 0.0, 0, 7 * 24 * 60, where),
        user_agent=_string(refresh, "user_agent", where),
        workers=_int(refresh, "workers", defaults.workers, -1, 64, where),
    )
    knowledge = _table(doc, "knowledge", where)
    _only(knowledge, {"extra_files"}, where, "knowledge.")
    files = knowledge.get("extra_files", [])
    if not isinstance(files, list) or not all(isinstance(f, str) and f for f in files):
        raise ConfigError(f"{where}: 'knowledge.extra_files' must be a list of file paths.")
    base = path.parent if path else Path.cwd()
    extra = tuple((base / Path(f).expanduser()).resolve() for f in files)
    return Settings(
        database=database,
        refresh=settings,
        knowledge_files=extra,
        path=path,
        user=_user(doc, where),
        keys=_keys(_table(doc, "keys", where), where),
        reading=_reading(_table(doc, "reading", where), where),
        notify=NotifySettings(
            program=_command(
                _only_table(doc, "notify", {"program"}, where), "notify.program", where
            )
        ),
    )


_KEY = re.compile(r"^[A-Za-z0-9_+\-]+$")


def _user(doc: dict[str, Any], where: str) -> str:
    value = doc.get("user", "")
    if not isinstance(value, str) or len(value) > 128 or any(ord(c) < 32 for c in value):
        raise ConfigError(f"{where}: 'user' must be a name of at most 128 characters.")
    return value.strip()


def _keys(table: dict[str, Any], where: str) -> tuple[tuple[str, str], ...]:
    """``[keys]``: binding id → comma-separated Textual key names ("j", "ctrl+n", "f5")."""
    keys = []
    for binding_id, value in table.items():
        names = value.split(",") if isinstance(value, str) else []
        if not names or not all(_KEY.match(n.strip()) for n in names):
            raise ConfigError(
                f"{where}: 'keys.{binding_id}' must be a key name or names separated by commas "
                '(for example "j" or "ctrl+n,f5").'
            )
        keys.append((binding_id, ",".join(n.strip() for n in names)))
    return tuple(keys)


def _only_table(doc: dict[str, Any], key: str, allowed: set[str], where: str) -> dict[str, Any]:
    table = _table(doc, key, where)
    _only(table, allowed, where, f"{key}.")
    return table


def _command(table: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
    """A command as a string (split like a shell would, never run by one) or a list."""
    value = table.get(key.split(".")[-1], "")
    if isinstance(value, str):
        try:
            return tuple(shlex.split(value))
        except ValueError as exc:
            raise ConfigError(f"{where}: '{key}' is not a valid command line: {exc}.") from None
    if isinstance(value, list) and value and all(isinstance(v, str) and v for v in value):
        return tuple(value)
    raise ConfigError(f"{where}: '{key}' must be a command: a string or a list of strings.")


def _reading(table: dict[str, Any], where: str) -> ReadingSettings:
    _only(table, {"browser", "pipe", "pipe_format"}, where, "reading.")
    pipe = table.get("pipe", "")
    if not isinstance(pipe, str) or "\x00" in pipe:
        raise ConfigError(f"{where}: 'reading.pipe' must be a shell command (a string).")
    pipe_format = table.get("pipe_format", "markdown")
    if pipe_format not in ("markdown", "json"):
        raise ConfigError(f'{where}: \'reading.pipe_format\' must be "markdown" or "json".')
    return ReadingSettings(
        browser=_command(table, "reading.browser", where), pipe=pipe, pipe_format=pipe_format
    )


def _only(table: dict[str, Any], allowed: set[str], where: str, prefix: str) -> None:
    unknown = sorted(set(table) - allowed)
    if unknown:
        known = ", ".join(prefix + k for k in sorted(allowed))
        raise ConfigError(f"{where}: unknown key '{prefix}{unknown[0]}' (known keys: {known}).")


def _table(doc: dict[str, Any], key: str, where: str) -> dict[str, Any]:
    value = doc.get(key, {})
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: '{key}' must be a table ([{key}]).")
    return value


def _int(  # every caller passes a key of [refresh]
    table: dict[str, Any], key: str, default: int, low: int, high: int, where: str
) -> int:
    value = table.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ConfigError(f"{where}: 'refresh.{key}' must be a whole number from {low} to {high}.")
    return value


def _number(
    table: dict[str, Any], key: str, default: float, low: float, high: float, where: str
) -> float:
    value = table.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
        raise ConfigError(f"{where}: 'refresh.{key}' must be a number from {low:g} to {high:g}.")
    return float(value)


def _string(table: dict[str, Any], key: str, where: str) -> str:
    value = table.get(key, "")
    if not isinstance(value, str) or any(ord(c) < 32 for c in value):
        raise ConfigError(f"{where}: 'refresh.{key}' must be a single-line string.")
    return value


def database_for(explicit: str | None, settings: Settings) -> str:
    """The database URL: ``--db``, then ``$AIWATCH_DB``, then ``database`` here, then the default."""
    if explicit or os.environ.get("AIWATCH_DB"):
        return database_url(explicit)
    return settings.database or database_url(None)
