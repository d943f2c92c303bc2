"""Pipe an article (title, link and text, as Markdown or JSON) to a command and show its output."""

from __future__ import annotations

from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from aiwatch.tui.launch import run_pipe
from aiwatch.tui.text import assemble, plain


class PipeScreen(ModalScreen[None]):
    """Ask for a command (prefilled from ``[reading] pipe``), run it in a worker, show what it printed."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="cancel"),
        Binding(
            "ctrl+t",
            "toggle_format",
            "Markdown/JSON",
            tooltip="Pipe the article as Markdown or JSON",
            id="pipe-format",
        ),
    ]

    def __init__(self, article_id: int, command: str = "", fmt: str = "markdown") -> None:
        super().__init__(classes="dialog")
        self.article_id = article_id
        self.command = command
        self.format = fmt
        self.running = False

    def compose(self) -> ComposeResult:
        """Title, the command, the output and a hint."""
        with Vertical(id="pipe-dialog"):
            yield Label("Pipe this article to a command", classes="dialog-title")
            yield Input(
                self.command,
                placeholder="e.g. llm -s 'Summarise this'  ·  wc -w  ·  tee ~/a.md",
                id="pipe-command",
            )
            yield Static(self._hint(), id="pipe-hint", classes="dialog-hint", markup=False)
            with VerticalScroll(id="pipe-output-box"):
                yield Static("", id="pipe-output")

    def _hint(self) -> str:
        other = "JSON" if self.format == "markdown" else "Markdown"
        return (
            f"Enter runs it in /bin/sh, the article as {self.format.capitalize()} on its input"
            f" · Ctrl+T {other} · Esc closes"
        )

    def action_toggle_format(self) -> None:
        """Switch between Markdown and JSON."""
        self.format = "json" if self.format == "markdown" else "markdown"
        self.query_one("#pipe-hint", Static).update(self._hint())

    @on(Input.Submitted)
    def run(self, event: Input.Submitted) -> None:
        """Run the command on the article."""
        command = event.value.strip()
        if not command or self.running:
            return
        self.running = True
        self.query_one("#pipe-output", Static).update(plain(f"Running {command} …", "italic"))
        self._run(command, self.format)

    @work(thread=True, group="pipe", exit_on_error=False, description="Piping the article")
    def _run(self, command: str, fmt: str) -> None:
        text = self.app.article_text(self.article_id, fmt)  # type: ignore[attr-defined]
        if text is None:
            self.app.call_from_thread(self._show, "This article no longer exists.", False)
            return
        result = run_pipe(command, text)
        if result.error:
            summary = f"{command}: {result.error}"
        else:
            summary = f"{command} exited {result.status}"
        self.app.call_from_thread(self._show, result.output, result.ok, summary)

    def _show(self, output: str, ok: bool, summary: str = "") -> None:
        self.running = False
        body = plain(output or "(no output)", multiline=True)
        self.query_one("#pipe-output", Static).update(
            assemble((summary + "\n", "bold" if ok else "bold $error"), body) if summary else body
        )

    def action_close(self) -> None:
        """Back to where you were."""
        self.dismiss(None)
