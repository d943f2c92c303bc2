"""Where aiwatch's log goes: a bounded, rotating file in the data folder, and stderr with ``--verbose``.

`setup_logging` is called once by `tui.cli.main`. Records of the ``aiwatch``
logger at ``WARNING`` and above (an extractor error on one article, a failed
dashboard worker with its traceback) go to ``aiwatch.log`` beside the default
database, rotated at `MAX_BYTES` with `BACKUPS` old files kept; the file is
only created when something is logged. ``--verbose`` adds the ``INFO`` records
(what a refresh fetched and stored) to the file and to stderr, ``-vv`` the
``DEBUG`` ones. The dashboard never logs to stderr: it owns the terminal.
"""

from __future__ import annotations

import logging
import os
import re
import sys
from pathlib import Path

from aiwatch.store.location import app_dir

MAX_BYTES = 1_000_000
"""A log file is rotated when it reaches this size."""
BACKUPS = 3
"""Rotated files kept (``aiwatch.log.1`` … ``.3``): at most 4 MB of log in all."""
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
_HANDLERS: list[logging.Handler] = []
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
"""Controls (ESC above all), bidi and zero-width characters: logged text comes from feeds."""


class SafeFormatter(logging.Formatter):
    """A formatter whose lines cannot drive a terminal: unsafe characters become ``?``."""

    def format(self, record: logging.LogRecord) -> str:
        """The record as `logging.Formatter` writes it, made safe."""
        return _UNSAFE.sub("?", super().format(record))


class _RotatingFile(logging.Handler):
    """`logging.handlers.RotatingFileHandler`, imported and opened at the first record.

    (Its module loads sockets and pickle: a fifth of a quiet ``aiwatch refresh``'s imports.)
    """

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path
        self._file: logging.Handler | None = None
        self.unusable = False
        """The file could not be opened (a read-only home): records are dropped."""

    def emit(self, record: logging.LogRecord) -> None:
        """Write ``record`` to the file, rotating it when it is full."""
        if self.unusable:
            return
        if self._file is None:
            import logging.handlers

            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self._file = logging.handlers.RotatingFileHandler(
                    self.path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8"
                )
            except OSError:
                self.unusable = True  # logging must never stop a command
                return
            self._file.setFormatter(self.formatter)
        self._file.emit(record)

    def close(self) -> None:
        """Close the file, if it was opened."""
        if self._file is not None:
            self._file.close()
        super().close()


def log_path() -> Path:
    """The log file: ``$AIWATCH_LOG``, else ``aiwatch.log`` in the data folder."""
    explicit = os.environ.get("AIWATCH_LOG", "").strip()
    return Path(explicit) if explicit else app_dir("data") / "aiwatch.log"


def setup_logging(*, verbose: int = 0, to_stderr: bool = True) -> Path:
    """Send the ``aiwatch`` logger's records to the log file (and stderr when ``verbose``).

    Calling it again replaces what an earlier call set up (tests run many commands
    in one process). Nothing touches the disk until a record is written; a log
    file that cannot be opened then (a read-only home) is skipped: logging must
    never stop a command.

    Args:
        verbose: 0: warnings and errors, to the file; 1: also ``INFO``, and to stderr;
            2 or more: also ``DEBUG``.
        to_stderr: Whether ``verbose`` may write to stderr (not while the dashboard runs).

    Returns:
        The log file.
    """
    logger = reset_logging()
    level = logging.WARNING if verbose <= 0 else logging.INFO if verbose == 1 else logging.DEBUG
    logger.setLevel(level)
    path = log_path()
    handler = _RotatingFile(path)
    handler.setFormatter(SafeFormatter(FORMAT))
    _HANDLERS.append(handler)
    if verbose > 0 and to_stderr:
        stream = logging.StreamHandler(sys.stderr)
        stream.setFormatter(SafeFormatter("aiwatch: %(levelname)s %(name)s: %(message)s"))
        _HANDLERS.append(stream)
    for each in _HANDLERS:
        logger.addHandler(each)
    return path


def reset_logging() -> logging.Logger:
    """Undo `setup_logging`: its handlers closed and removed, the level inherited again."""
    logger = logging.getLogger("aiwatch")
    for old in _HANDLERS:
        logger.removeHandler(old)
        old.close()
    _HANDLERS.clear()
    logger.setLevel(logging.NOTSET)
    return logger
