"""A modal list to pick one city or one source to filter the board by."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from .bidi import Mode, truncate_line
from .display import one_line

ALL = "\x00all"  # the option that removes this filter; cannot collide with a place id or outlet


class PickerScreen(ModalScreen[str | None]):
    """Returns the chosen id, ALL to clear the filter, or None when dismissed."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss_picker", "Close", id="picker-close")
    ]

    def __init__(
        self,
        title: str,
        choices: Sequence[tuple[str, str, int]],
        *,
        mode: Mode,
        current: frozenset[str] = frozenset(),
        empty: str = "Nothing to choose from yet.",
    ) -> None:
        super().__init__()
        self._title = title
        self._choices = choices  # (id, label, count)
        self._mode = mode
        self._current = current
        self._empty = empty

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(Text(self._title, style="bold"), classes="dialog-title")
            options: list[Option] = []
            if self._current:
                options.append(Option(Text("All (clear this filter)", style="italic"), id=ALL))
            for choice_id, label, count in self._choices:
                prompt = Text(no_wrap=True)
                prompt.append("● " if choice_id in self._current else "  ", "bold green")
                prompt.append(truncate_line(one_line(label), 40, self._mode, align=False))
                prompt.append(f"  {count}", "dim")
                options.append(Option(prompt, id=f"pick:{choice_id}" if choice_id != ALL else ALL))
            if options:
                yield OptionList(*options, id="picker-options", markup=False)
            else:
                yield Label(Text(self._empty, style="italic"), classes="empty")

    @on(OptionList.OptionSelected, "#picker-options")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        option_id = event.option.id or ""
        self.dismiss(ALL if option_id == ALL else option_id.removeprefix("pick:"))

    def action_dismiss_picker(self) -> None:
        self.dismiss(None)
