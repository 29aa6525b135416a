"""Arabic on screen: wrap, shape and reorder text for terminals that do no bidi themselves.

Most terminals draw characters left to right in the order they receive them and do not join
Arabic letters. In mode "on" the board therefore does the work itself, per visual line:

1. wrap in *logical* order, measuring the *shaped* width (lam-alef ligatures take one cell,
   harakat none), so that the first screen line holds the start of the sentence;
2. shape each line (arabic_reshaper: presentation forms) and reorder it
   (bidi.algorithm.get_display, the pure-Python one, which mirrors brackets) with a single
   base direction for the whole paragraph;
3. right-align lines of right-to-left paragraphs.

In mode "off" text stays in logical order and the terminal reorders it. The strings returned
here are for drawing only: exports, the database and the clipboard keep the logical text.

This module imports no Textual so that it can be tested on its own.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

import arabic_reshaper
from bidi.algorithm import get_base_level, get_display
from rich.cells import cell_len

Mode = Literal["on", "off"]
Base = Literal["L", "R"]

ELLIPSIS = "…"

# BDSM (terminal-wg bidi recommendation): explicit mode = the terminal does not reorder.
EXPLICIT_BIDI = "\x1b[8l"
IMPLICIT_BIDI = "\x1b[8h"

_RTL_CLASSES = frozenset({"R", "AL"})


def has_rtl(text: str) -> bool:
    """True if any character is strongly right-to-left (Hebrew, Arabic...)."""
    return any(unicodedata.bidirectional(ch) in _RTL_CLASSES for ch in text)


def base_direction(text: str) -> Base:
    """The paragraph direction of `text`: that of its first strong character (UAX #9 P2)."""
    return "R" if get_base_level(text) == 1 else "L"


@lru_cache(maxsize=8192)
def _shape(text: str) -> str:
    return arabic_reshaper.reshape(text)


@lru_cache(maxsize=16384)
def _shaped_width(word: str) -> int:
    return cell_len(_shape(word)) if has_rtl(word) else cell_len(word)


def _visual(line: str, base: Base) -> str:
    return get_display(_shape(line), base_dir=base)


def _split_long_word(word: str, width: int, measure: _Measure) -> list[str]:
    """Cut a word wider than `width` into pieces that fit, in logical order."""
    pieces: list[str] = []
    rest = word
    while rest:
        cut = 1
        while cut < len(rest) and measure(rest[: cut + 1]) <= width:
            cut += 1
        pieces.append(rest[:cut])
        rest = rest[cut:]
    return pieces


class _Measure:
    """Cell width of a logical string as it will be drawn in a given mode."""

    def __init__(self, mode: Mode) -> None:
        self.mode = mode

    def __call__(self, text: str) -> int:
        if self.mode == "on":
            return _shaped_width(text)
        return cell_len(text)


def _wrap_logical(paragraph: str, width: int, measure: _Measure) -> list[str]:
    """Greedy word wrap in logical order. Joining never crosses a space, so shaped widths add."""
    words = paragraph.split()
    if not words:
        return [""]
    lines: list[str] = []
    current: list[str] = []
    current_width = 0
    for word in words:
        word_width = measure(word)
        if word_width > width:
            if current:
                lines.append(" ".join(current))
                current, current_width = [], 0
            pieces = _split_long_word(word, width, measure)
            lines.extend(pieces[:-1])
            word = pieces[-1]
            word_width = measure(word)
        extra = word_width + (1 if current else 0)
        if current and current_width + extra > width:
            lines.append(" ".join(current))
            current, current_width = [word], word_width
        else:
            current.append(word)
            current_width += extra
    if current:
        lines.append(" ".join(current))
    return lines


def _align(line: str, width: int, base: Base) -> str:
    if base == "R":
        pad = width - cell_len(line)
        if pad > 0:
            return " " * pad + line
    return line


@lru_cache(maxsize=4096)
def display_lines(text: str, width: int, mode: Mode, base: Base | None = None) -> tuple[str, ...]:
    """The screen lines of `text` at `width` cells, in the order they are drawn top to bottom.

    Each "\\n"-separated paragraph is wrapped on its own. In mode "on", lines of a paragraph
    containing right-to-left text are shaped, reordered with the paragraph's base direction
    (`base`, else detected from the paragraph) and, for base "R", right-aligned to `width`.
    In mode "off" the lines are the logical text wrapped at spaces, unchanged otherwise.
    """
    width = max(1, width)
    measure = _Measure(mode)
    out: list[str] = []
    for paragraph in text.split("\n"):
        if mode == "off" and cell_len(paragraph) <= width:
            out.append(paragraph)
            continue
        lines = _wrap_logical(paragraph, width, measure)
        if mode == "off" or not has_rtl(paragraph):
            out.extend(lines)
            continue
        direction = base or base_direction(paragraph)
        out.extend(_align(_visual(line, direction), width, direction) for line in lines)
    return tuple(out)


def _cut_logical(text: str, width: int, measure: _Measure) -> str:
    """`text` cut in logical order so that it plus an ellipsis fits `width` cells."""
    if measure(text) <= width:
        return text
    if width <= 1:
        return ELLIPSIS[:width]
    room = width - cell_len(ELLIPSIS)
    # Grow by whole characters; shaped widths are not additive inside a word, so re-measure.
    low, high = 0, len(text)
    while low < high:
        mid = (low + high + 1) // 2
        if measure(text[:mid].rstrip()) <= room:
            low = mid
        else:
            high = mid - 1
    return text[:low].rstrip() + ELLIPSIS


@lru_cache(maxsize=8192)
def truncate_line(text: str, width: int, mode: Mode, *, align: bool = True) -> str:
    """One screen line of at most `width` cells for a table cell or label.

    Line breaks become spaces. Text too wide is cut in logical order with an ellipsis at the
    logical end (which shows on the left of a right-to-left line). In mode "on", text with
    right-to-left characters is then shaped and reordered, and right-aligned to `width` if its
    base direction is "R" and `align` is true. In mode "off" text that fits comes back as is.
    """
    width = max(0, width)
    flat = " ".join(text.splitlines()) if "\n" in text or "\r" in text else text
    measure = _Measure(mode)
    cut = _cut_logical(flat, width, measure)
    if mode == "off" or not has_rtl(flat):
        return cut
    direction = base_direction(flat)
    visual = _visual(cut, direction)
    return _align(visual, width, direction) if align else visual


@dataclass(frozen=True, slots=True)
class BidiDecision:
    """How the board draws right-to-left text in this terminal, and why."""

    mode: Mode
    reason: str
    start: str = ""  # written to the terminal before the app runs (e.g. EXPLICIT_BIDI)
    stop: str = ""  # written after it exits
    notice: str | None = None  # something the user should know, shown once


def decide(setting: str, env: Mapping[str, str]) -> BidiDecision:
    """Resolve `--bidi auto|on|off` for the terminal described by `env` (research B.4)."""
    setting = (setting or "auto").strip().lower()
    if setting == "auto":
        from_env = env.get("SITBOARD_BIDI", "").strip().lower()
        if from_env in ("on", "off"):
            setting = from_env
    vte = _vte_version(env)
    term_program = env.get("TERM_PROGRAM", "")
    switchable = (vte is not None and vte >= 5800) or term_program == "mintty"
    if setting == "off":
        return BidiDecision("off", "bidi off: the terminal reorders Arabic itself")
    if setting == "on":
        if switchable:
            return BidiDecision("on", "bidi on", EXPLICIT_BIDI, IMPLICIT_BIDI)
        return BidiDecision("on", "bidi on")
    if switchable:
        name = "mintty" if term_program == "mintty" else "VTE"
        return BidiDecision(
            "on",
            f"{name}: its reordering switched off, the board reorders",
            EXPLICIT_BIDI,
            IMPLICIT_BIDI,
        )
    term = env.get("TERM", "")
    if "KONSOLE_VERSION" in env:
        return BidiDecision("off", "Konsole reorders Arabic itself")
    if term_program == "Apple_Terminal":
        return BidiDecision("off", "Terminal.app reorders Arabic itself")
    if "MLTERM" in env or term.startswith("mlterm"):
        return BidiDecision("off", "mlterm reorders Arabic itself")
    if "KITTY_WINDOW_ID" in env or term == "xterm-kitty":
        return BidiDecision(
            "on",
            "kitty: the board reorders",
            notice="kitty reverses letters inside Arabic words unless kitty.conf has "
            "'force_ltr yes'; or run with --bidi off",
        )
    return BidiDecision("on", "the terminal does not reorder Arabic; the board does")


def resolve_mode(setting: str, env: Mapping[str, str]) -> Mode:
    """`decide(setting, env).mode`: "on" when the board must reorder Arabic itself."""
    return decide(setting, env).mode


def terminal_bidi_sequences(mode: Mode, env: Mapping[str, str]) -> tuple[str, str]:
    """(start, stop) strings to write around the app: switch VTE/mintty reordering off in mode "on".

    Both are empty when nothing needs switching (mode "off", or a terminal without the mode).
    """
    decision = decide(mode, env)
    return decision.start, decision.stop


def _vte_version(env: Mapping[str, str]) -> int | None:
    raw = env.get("VTE_VERSION", "").strip()
    return int(raw) if raw.isdigit() else None
