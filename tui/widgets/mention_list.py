"""The entities found in an article, each with its evidence sentence; Enter opens one."""

from __future__ import annotations

from collections.abc import Sequence

from textual import on
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from aiwatch.store.read_models import MentionRow
from aiwatch.tui.text import assemble

KIND_LABEL = {
    "partnership": "Partnership",
    "product": "Product",
    "case": "Case",
    "company": "Company",
}
_ORDER = {"partnership": 0, "case": 1, "product": 2, "company": 3}
GROUPS = {
    "reported": "Reported",
    "mentioned": "Also mentioned",
    "company": "Organisations named",
}
"""The headings of the list, in order."""
UNVERIFIED = "? unverified"


def _group(mention: MentionRow) -> str:
    if mention.entity_type == "company":
        return "company"
    return "reported" if mention.reported else "mentioned"


def _option(index: int, mention: MentionRow) -> Option:
    certainty = "" if mention.certainty in ("", "fact") else f" ({mention.certainty})"
    prompt = assemble(
        (f"{KIND_LABEL.get(mention.entity_type, mention.entity_type)}: ", "bold $accent"),
        (mention.name, "bold"),
        ("" if mention.verified else f" {UNVERIFIED}", "bold $warning"),
        (certainty, "italic"),
        "\n",
        (
            f"“{mention.evidence}”" if mention.evidence else "(no sentence recorded)",
            "$text-muted",
        ),
    )
    return Option(prompt, id=f"{mention.entity_type}:{mention.entity_id}:{index}")


class MentionList(OptionList):
    """One option per mention: kind, name and the quoted evidence sentence, under headings."""

    class EntityChosen(Message):
        """The user picked an entity to open."""

        def __init__(self, entity_type: str, entity_id: int) -> None:
            super().__init__()
            self.entity_type = entity_type
            self.entity_id = entity_id

    def show(self, mentions: Sequence[MentionRow]) -> None:
        """List ``mentions`` under three headings: what the article reports as news, what it
        also mentions in passing, and the organisations it names."""
        groups: dict[str, list[tuple[int, MentionRow]]] = {name: [] for name in GROUPS}
        for index, mention in enumerate(mentions):
            groups[_group(mention)].append((index, mention))
        options: list[Option] = []
        first: int | None = None
        for name, members in groups.items():
            if not members:
                continue
            options.append(Option(assemble((GROUPS[name], "bold $accent")), disabled=True))
            members.sort(key=lambda im: (_ORDER.get(im[1].entity_type, 9), im[0]))
            for index, mention in members:
                first = len(options) if first is None else first
                options.append(_option(index, mention))
        if not mentions:
            options.append(Option("Nothing was found in this article.", disabled=True))
        self.clear_options()
        self.add_options(options)  # in one call: OptionList lays itself out after each add
        self.highlighted = first

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            entity_type, entity_id, _ = event.option.id.split(":")
            self.post_message(self.EntityChosen(entity_type, int(entity_id)))
