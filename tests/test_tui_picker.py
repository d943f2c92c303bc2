"""The company and topic picker with more names than it lists at once."""

from __future__ import annotations

from textual.app import App
from textual.widgets import Input, Label, OptionList

from aiwatch.store.read_models import CountRow
from aiwatch.tui.messages import CountsLoaded, CountsRequested
from aiwatch.tui.screens.picker import HINT, SHOWN, PickerScreen

NAMES = 450
"""More companies than the picker lists: the long tail of a year of collecting."""


class PickerApp(App[None]):
    """Answers the picker's count request with `NAMES` companies, most written about first."""

    def __init__(self, current: str | None = None, *, held: bool = False) -> None:
        super().__init__()
        self.current = current
        self.chosen: list[str | None] = []
        self.held: list[CountsRequested] = []  # (with ``held``: answered by `answer`)
        self.holding = held

    def on_mount(self) -> None:
        self.push_screen(PickerScreen("company", current=self.current), self.chosen.append)

    def on_counts_requested(self, message: CountsRequested) -> None:
        if self.holding:
            self.held.append(message)
        else:
            self.answer(message)

    def answer(self, message: CountsRequested) -> None:
        rows = [CountRow(f"Company {n:03d}", NAMES - n) for n in range(NAMES)]
        message.reply_to.post_message(CountsLoaded("company", rows))


def listed(app: App[None]) -> list[str]:
    options = app.screen.query_one(OptionList)
    return [str(options.get_option_at_index(n).prompt) for n in range(options.option_count)]


def hint(app: App[None]) -> str:
    return str(app.screen.query_one("#picker-hint", Label).render())


async def test_the_picker_lists_the_most_written_about_and_says_how_many_it_shows() -> None:
    app = PickerApp()
    async with app.run_test() as pilot:
        await pilot.pause()
        shown = listed(app)
        assert shown[0] == "Any company"
        assert shown[1] == f"Company 000  {NAMES} articles"
        assert len(shown) == 1 + SHOWN
        assert hint(app) == f"{SHOWN} of {NAMES} listed · type to narrow · Esc cancel"
        await pilot.press(*"company 44")  # names past the cap are found by typing
        await pilot.pause()
        assert hint(app) == HINT
        narrowed = listed(app)
        assert narrowed[0] == "Company 440  10 articles"
        assert narrowed[1:] == [f"Company {n}  {NAMES - n} articles" for n in range(441, 449)] + [
            "Company 449  1 article"
        ]
        await pilot.press("enter")
        await pilot.pause()
        assert app.chosen == ["Company 440"]


async def test_the_current_name_past_the_cap_is_listed_and_highlighted() -> None:
    app = PickerApp(current="Company 420")
    async with app.run_test() as pilot:
        await pilot.pause()
        shown = listed(app)
        assert len(shown) == 1 + SHOWN + 1
        assert hint(app) == f"{SHOWN + 1} of {NAMES} listed · type to narrow · Esc cancel"
        options = app.screen.query_one(OptionList)
        assert options.highlighted == SHOWN + 1
        assert shown[SHOWN + 1] == "Company 420  30 articles"


async def test_a_change_the_input_has_moved_past_is_not_listed() -> None:
    app = PickerApp()
    async with app.run_test() as pilot:
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, PickerScreen)
        field = picker.query_one(Input)
        field.value = "company 449"
        await pilot.pause()
        picker.post_message(Input.Changed(field, "company"))  # older than the value
        await pilot.pause()
        assert listed(app) == ["Company 449  1 article"]


async def test_typing_before_the_counts_come_waits_for_them() -> None:
    """A name typed while the counts are still being read does not say "No company found":
    the list says it is loading, and narrows to what was typed once they come."""
    app = PickerApp(held=True)
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press(*"company 44")
        await pilot.pause()
        assert listed(app) == ["Loading…"]
        await pilot.press("enter")  # nothing to pick yet
        await pilot.pause()
        assert app.chosen == []
        (request,) = app.held
        app.answer(request)
        await pilot.pause()
        assert listed(app)[0] == "Company 440  10 articles"
        await pilot.press("enter")
        await pilot.pause()
        assert app.chosen == ["Company 440"]
