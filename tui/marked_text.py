"""A block of feed text with its places, speakers, reporting verbs and event words marked.

Lines come from tui/bidi.py (wrapped in logical order, shaped and reordered in mode "on") and
the marks from tui/highlight.visual_spans, so styles sit on the reordered words. Feed text only
ever becomes rich.text.Text pieces, never markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.geometry import Size
from textual.widget import Widget

from .bidi import Mode
from .display import clean
from .highlight import Kind, Span, visual_spans


class MarkedText(Widget):
    """`text` with `spans` styled by kind; set both with `show()`."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "marked--place",
        "marked--speaker",
        "marked--verb",
        "marked--event",
    }

    DEFAULT_CSS = """
    MarkedText {
        height: auto;
        text-wrap: nowrap;
        text-overflow: clip;
    }
    MarkedText > .marked--place {
        color: $text-accent;
        text-style: bold underline;
    }
    MarkedText > .marked--speaker {
        color: $text-warning;
        text-style: bold;
    }
    MarkedText > .marked--verb {
        color: $text-secondary;
        text-style: italic underline;
    }
    MarkedText > .marked--event {
        color: $text-error;
        text-style: bold;
    }
    """

    def __init__(
        self,
        text: str = "",
        spans: Sequence[Span] = (),
        *,
        mode: Mode = "on",
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self._text = clean(text)
        # clean() keeps offsets only when it changes nothing; otherwise marks would be misplaced
        self._spans = tuple(spans) if self._text == text else ()
        self._mode: Mode = mode

    @property
    def text(self) -> str:
        return self._text

    def show(self, text: str, spans: Sequence[Span], mode: Mode) -> None:
        cleaned = clean(text)
        self._text = cleaned
        self._spans = tuple(spans) if cleaned == text else ()
        self._mode = mode
        self.refresh(layout=True)

    def pieces(self, width: int) -> list[list[tuple[str, Kind | None]]]:
        """The (text, kind) pieces of each screen line at `width` cells."""
        if not self._text or width <= 0:
            return []
        return visual_spans(self._text, self._spans, width, self._mode)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return max(1, len(self.pieces(width)))

    def render(self) -> Text:
        styles: dict[Kind, Style] = {
            kind: self.get_component_rich_style(f"marked--{kind}", partial=True)
            for kind in ("place", "speaker", "verb", "event")
        }
        text = Text(no_wrap=True, overflow="crop")
        for n, line in enumerate(self.pieces(self.content_size.width)):
            if n:
                text.append("\n")
            for piece, kind in line:
                text.append(piece, styles[kind] if kind is not None else "")
        return text
