"""Every article that mentions an entity, with the sentence it used; Enter opens one."""

from __future__ import annotations

from collections.abc import Sequence

from textual import on
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from aiwatch.store.read_models import EvidenceRow
from aiwatch.tui.text import assemble, date


class EvidenceList(OptionList):
    """One option per (article, sentence): date, title, and the quoted sentence."""

    class ArticleChosen(Message):
        """The user picked an article to open."""

        def __init__(self, article_id: int) -> None:
            super().__init__()
            self.article_id = article_id

    def show(self, evidence: Sequence[EvidenceRow]) -> None:
        """List ``evidence`` (newest first, as the store returns it)."""
        options: list[Option] = []
        for index, row in enumerate(evidence):
            certainty = "" if row.certainty in ("", "fact") else f" ({row.certainty})"
            prompt = assemble(
                (f"{date(row.published, empty='undated')}  ", "$text-muted"),
                (row.title, "bold"),
                (certainty, "italic"),
                "\n",
                (f"“{row.evidence}”" if row.evidence else "(no sentence recorded)", "$text-muted"),
            )
            options.append(Option(prompt, id=f"{row.article_id}:{index}"))
        if not evidence:
            options.append(Option("No article mentions it any more.", disabled=True))
        self.clear_options()
        self.add_options(options)  # in one call: OptionList lays itself out after each add
        self.highlighted = 0 if evidence else None

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(self.ArticleChosen(int(event.option.id.split(":")[0])))
