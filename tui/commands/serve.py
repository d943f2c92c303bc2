"""``aiwatch serve``: the same dashboard in a web browser, through textual-serve.

Each browser tab runs its own ``aiwatch`` process with the same ``--db`` and
``--config``; textual-serve relays its screen over a WebSocket. It listens on
127.0.0.1 unless told otherwise: whoever reaches the port has the dashboard
and everything its keys can do (refresh, export, pipe to a command …).
"""

from __future__ import annotations

import argparse
import shlex
import sys

from aiwatch.tui.commands.common import say

DEFAULT_PORT = 8000


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``serve``."""
    parser = subparsers.add_parser("serve", help="run the dashboard in a web browser")
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)"
    )
    parser.add_argument(
        "--port", type=int, default=DEFAULT_PORT, help=f"port (default: {DEFAULT_PORT})"
    )
    parser.add_argument(
        "--public-url", help="the URL browsers use, when behind a proxy (default: http://HOST:PORT)"
    )
    parser.set_defaults(func=run)


def dashboard_command(args: argparse.Namespace) -> str:
    """The shell command textual-serve runs for each browser: this aiwatch, same options."""
    command = [sys.executable, "-m", "aiwatch"]
    if getattr(args, "db", None):
        command += ["--db", args.db]
    if getattr(args, "config", None):
        command += ["--config", args.config]
    return shlex.join(command)


def run(args: argparse.Namespace) -> int:
    """Serve until interrupted (Ctrl+C or SIGTERM)."""
    if not 0 < args.port < 65536:
        say(f"aiwatch: --port must be from 1 to 65535, not {args.port}", err=True)
        return 2
    try:
        from textual_serve.server import Server
    except ImportError:
        say("aiwatch: serve needs textual-serve (pip install textual-serve)", err=True)
        return 2
    url = args.public_url or f"http://{args.host}:{args.port}"
    server = Server(
        dashboard_command(args), host=args.host, port=args.port, title="aiwatch", public_url=url
    )
    say(f"Serving the aiwatch dashboard at {url} (Ctrl+C stops).", err=True)
    try:
        server.serve()
    except OSError as exc:
        say(f"aiwatch: cannot listen on {args.host}:{args.port}: {exc.strerror or exc}", err=True)
        return 2
    return 0
