"""A block of possibly Arabic text, wrapped and reordered by tui/bidi.py instead of Textual."""

from __future__ import annotations

from rich.text import Text
from textual.geometry import Size
from textual.reactive import reactive
from textual.widget import Widget

from .bidi import Mode, display_lines
from .display import clean


class BidiText(Widget):
    """Shows `text` as display_lines() gives it for the widget's width and the bidi mode.

    Textual must neither wrap nor crop the lines again: they are already visual order.
    """

    DEFAULT_CSS = """
    BidiText {
        height: auto;
        text-wrap: nowrap;
        text-overflow: clip;
    }
    """

    text: reactive[str] = reactive("", layout=True)
    mode: reactive[Mode] = reactive("on", layout=True)

    def __init__(
        self,
        text: str = "",
        *,
        mode: Mode = "on",
        style: str = "",
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.set_reactive(BidiText.text, clean(text))
        self.set_reactive(BidiText.mode, mode)
        self._style = style

    def show(self, text: str, mode: Mode) -> None:
        self.text = clean(text)
        self.mode = mode

    def lines(self, width: int) -> tuple[str, ...]:
        if not self.text or width <= 0:
            return ()
        return display_lines(self.text, width, self.mode)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return max(1, len(self.lines(width)))

    def render(self) -> Text:
        return Text("\n".join(self.lines(self.content_size.width)), style=self._style)
