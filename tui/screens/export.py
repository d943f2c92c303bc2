"""Export the current view to a file: a Markdown brief, JSON, or CSV files in a folder."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import ClassVar

from sqlmodel import Session
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from aiwatch.store.export import export_document, to_csv, to_json, to_markdown
from aiwatch.store.read_models import Filter
from aiwatch.tui.messages import StoreJobDone, StoreJobRequested
from aiwatch.tui.screens.views import describe


def export_format(path: Path) -> str:
    """``md``, ``json`` or ``csv`` from the path: ``.json``, ``.csv`` or a folder, else Markdown."""
    suffix = path.suffix.lower()
    if suffix == ".json":
        return "json"
    if suffix == ".csv" or not suffix or path.is_dir():
        return "csv"
    return "md"


def write_export(db: Session, filt: Filter, path: Path) -> str:
    """Write the view to ``path`` and say what was written (raises `OSError` on failure)."""
    document = export_document(db, filt)
    fmt = export_format(path)
    if fmt == "csv":
        target = path.with_suffix("") if path.suffix.lower() == ".csv" else path
        target.mkdir(parents=True, exist_ok=True)
        for name, text in to_csv(document).items():
            (target / name).write_text(text, encoding="utf-8")
        where = f"{target}/ (one CSV per kind)"
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        text = to_json(document) if fmt == "json" else to_markdown(document, filt=filt)
        path.write_text(text, encoding="utf-8")
        where = str(path)
    counts = ", ".join(
        f"{len(document[k])} {k}" for k in ("partnerships", "products", "cases", "articles")
    )
    return f"Wrote {counts} to {where}"


def default_path() -> str:
    """``~/aiwatch-brief-YYYY-MM-DD.md``."""
    return f"~/aiwatch-brief-{datetime.now(UTC):%Y-%m-%d}.md"


class ExportScreen(ModalScreen[None]):
    """Ask where to write; the extension picks the format."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel", id="cancel")]

    def __init__(self, filt: Filter) -> None:
        super().__init__(classes="dialog")
        self.filter = filt

    def compose(self) -> ComposeResult:
        """Title, what is exported, the path and a hint."""
        with Vertical(classes="prompt-dialog"):
            yield Label("Export this view", classes="dialog-title")
            scope = describe(self.filter) if self.filter.active else "everything stored"
            yield Label(scope, classes="dialog-hint", markup=False)
            yield Input(default_path(), id="export-path")
            yield Static(
                ".md: a brief · .json · a folder or .csv: CSV files · Enter writes · Esc cancels",
                classes="dialog-hint",
            )

    @on(Input.Submitted)
    def write(self, event: Input.Submitted) -> None:
        """Write the export in a worker."""
        path = Path(event.value.strip() or default_path()).expanduser()
        filt = self.filter
        self.post_message(
            StoreJobRequested(
                self,
                "exported",
                lambda db: write_export(db, filt, path),
                reload=False,
                description="Exporting",
            )
        )

    def on_store_job_done(self, message: StoreJobDone) -> None:
        """Say where it went and close."""
        self.app.notify(str(message.result), title="Exported", markup=False, timeout=8)
        self.dismiss(None)

    def action_cancel(self) -> None:
        """Close without exporting."""
        self.dismiss(None)
