"""Run a store call in a worker thread and post its result: the pattern behind every read and write.

`StoreApp` is the base of `tui.app.AiwatchApp` and of its parts. A screen posts
a request (``*Requested``); the app's handler is one `StoreApp.store_call`:
``call(session)`` runs in a thread worker (committed when it writes) and
``reply(result)`` — a past-tense message — is posted to whoever asked. A call
that raises ends its worker in the ``ERROR`` state, and the app's one
`Worker.StateChanged` handler reports it (`describe_failure`) and logs it.
Async callers (palette providers) `read_store` instead, and get the result.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session
from textual.app import App
from textual.message import Message
from textual.message_pump import MessagePump
from textual.worker import Worker

from aiwatch.store.db import StoreError, describe_db_error, session
from aiwatch.tui.text import line

T = TypeVar("T")


class StoreApp(App[None]):
    """An app over one store engine whose workers read and write it (see the module docstring)."""

    engine: Engine

    def in_session(self, call: Callable[[Session], T], *, commit: bool = False) -> T:
        """``call(session)`` in a session of its own (committed if ``commit``); blocks."""
        with session(self.engine) as db:
            result = call(db)
            if commit:
                db.commit()
        if commit:
            self.data_written()
        return result

    def data_written(self) -> None:
        """Something was stored (a call committed, in its thread; or a refresh, the seeds or
        another process, on the event loop): the hook for what keeps reads."""

    def in_worker(
        self,
        work: Callable[[], T],
        reply: Callable[[T], Message | None] | None = None,
        *,
        to: MessagePump | None = None,
        group: str,
        description: str,
    ) -> Worker[None]:
        """Run ``work()`` in a thread worker and post ``reply(result)`` to ``to`` (default: the app).

        ``reply`` may return ``None`` to post nothing. A failure is the worker's
        error, reported by the app's `Worker.StateChanged` handler.
        """
        target = self if to is None else to

        def run() -> None:
            result = work()
            message = reply(result) if reply is not None else None
            if message is not None:
                target.post_message(message)  # thread-safe

        return self.run_worker(
            run, group=group, description=description, exit_on_error=False, thread=True
        )

    def store_call(
        self,
        call: Callable[[Session], T],
        reply: Callable[[T], Message | None] | None = None,
        *,
        to: MessagePump | None = None,
        group: str,
        description: str,
        commit: bool = False,
    ) -> Worker[None]:
        """Run ``call(session)`` in a thread worker and post ``reply(result)`` to ``to``.

        Args:
            call: The store function, given a session of its own.
            reply: Builds the result message (``None``: post nothing).
            to: Who asked (a screen); default the app.
            group: The worker group (the app's bookkeeping keys on some).
            description: What the user is told failed ("Loading the article").
            commit: Commit the session after ``call`` (a write).
        """
        return self.in_worker(
            lambda: self.in_session(call, commit=commit),
            reply,
            to=to,
            group=group,
            description=description,
        )

    async def read_store(self, call: Callable[[Session], T]) -> T:
        """``call(session)`` off the event loop, for async callers; raises what it raises."""
        return await asyncio.to_thread(self.in_session, call)


def describe_failure(error: BaseException | None, engine: Engine | None = None) -> str:
    """One line for a worker's failure, without a traceback."""
    if isinstance(error, StoreError):
        return line(str(error))
    if isinstance(error, SQLAlchemyError):
        return line(describe_db_error(error, engine))
    return line(f"{type(error).__name__}: {error}")
