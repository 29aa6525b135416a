"""tui/bidi.py: wrapping, shaping, reordering and truncation of Arabic for the screen.

Expected visual strings are written as code points (presentation forms), never as Arabic
literals: editors reorder those, so a literal would not show what the test checks.
"""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len
from sitboard.tui.bidi import (
    ELLIPSIS,
    EXPLICIT_BIDI,
    IMPLICIT_BIDI,
    decide,
    display_lines,
    resolve_mode,
    terminal_bidi_sequences,
    truncate_line,
)

# Logical Arabic built from code points.
HALAB = "\u062d\u0644\u0628"  # حلب
FI = "\u0641\u064a"  # في
SALAM = "\u0633\u0644\u0627\u0645"  # سلام (lam-alef inside)
MUHAMMAD_WITH_HARAKAT = "\u0645\u064f\u062d\u064e\u0645\u0651\u064e\u062f"  # مُحَمَّد
HAMA = "\u062d\u0645\u0627\u0629"  # حماة
QALAT = "\u0642\u0627\u0644\u062a"  # قالت (first word of the paragraph below)
NIZAM = "\u0627\u0644\u0646\u0638\u0627\u0645"  # النظام (last word)
SURIYA = "\u0633\u0648\u0631\u064a\u0627"  # سوريا

# Shaped and reversed (visual) forms.
HALAB_VISUAL = "\ufe90\ufee0\ufea3"  # beh final, lam medial, hah initial
FI_VISUAL = "\ufef2\ufed3"
SALAM_VISUAL = "\ufee1\ufefc\ufeb3"  # meem isolated, lam-alef final ligature, seen initial

PARAGRAPH = " ".join(
    [
        QALAT,
        "\u0641\u0635\u0627\u0626\u0644",  # فصائل
        "\u0627\u0644\u0645\u0639\u0627\u0631\u0636\u0629",  # المعارضة
        "\u0625\u0646\u0647\u0627",  # إنها
        "\u0633\u064a\u0637\u0631\u062a",  # سيطرت
        "\u0639\u0644\u0649",  # على
        HAMA,
        f"({SURIYA})",
        "\u064a\u0648\u0645",  # يوم
        "5",
        "\u062f\u064a\u0633\u0645\u0628\u0631",  # ديسمبر
        "2024",
        "COP28",
        "\u0645\u0639",  # مع
        "\u0642\u0648\u0627\u062a",  # قوات
        NIZAM,
    ]
)

PRESENTATION_FORMS = range(0xFB50, 0xFF00)


def visual(word: str) -> str:
    return truncate_line(word, 100, "on", align=False)


def test_pure_arabic_word_is_shaped_and_reversed() -> None:
    assert truncate_line(HALAB, 10, "on", align=False) == HALAB_VISUAL


def test_right_to_left_line_is_right_aligned() -> None:
    line = truncate_line(HALAB, 10, "on")
    assert line == " " * 7 + HALAB_VISUAL
    assert display_lines(HALAB, 10, "on") == (" " * 7 + HALAB_VISUAL,)


def test_lam_alef_ligature_takes_one_cell() -> None:
    assert truncate_line(SALAM, 10, "on", align=False) == SALAM_VISUAL
    assert cell_len(SALAM_VISUAL) == 3 < cell_len(SALAM)


def test_lam_alef_width_is_used_when_wrapping() -> None:
    # Logically 4 + 1 + 4 = 9 cells; shaped 3 + 1 + 3 = 7: both words fit one line of 7.
    text = f"{SALAM} {SALAM}"
    assert display_lines(text, 7, "on") == (f"{SALAM_VISUAL} {SALAM_VISUAL}",)
    assert len(display_lines(text, 7, "off")) == 2


def test_harakat_are_dropped_not_misplaced() -> None:
    shown = truncate_line(MUHAMMAD_WITH_HARAKAT, 10, "on", align=False)
    assert not any(unicodedata.category(ch) == "Mn" for ch in shown)
    assert shown == "\ufeaa\ufee4\ufea4\ufee3"  # dal final, meem medial, hah medial, meem initial


def test_digits_keep_their_order_inside_arabic() -> None:
    assert truncate_line(f"{HALAB} 25", 20, "on", align=False) == f"25 {HALAB_VISUAL}"
    arabic_indic = "\u0661\u0662"  # ١٢
    shown = truncate_line(f"{HALAB} {arabic_indic}", 20, "on", align=False)
    assert shown == f"{arabic_indic} {HALAB_VISUAL}"


def test_latin_acronym_and_year_stay_intact() -> None:
    text = f"{FI} COP28 {HALAB} 2023"
    shown = truncate_line(text, 40, "on", align=False)
    assert shown == f"2023 {HALAB_VISUAL} COP28 {FI_VISUAL}"


def test_brackets_are_mirrored() -> None:
    # Logical "في (حلب)": in visual order the closing bracket is drawn on the left, and must
    # be drawn as "(" to look like a closing bracket in right-to-left text.
    assert (
        truncate_line(f"{FI} ({HALAB})", 20, "on", align=False) == f"({HALAB_VISUAL}) {FI_VISUAL}"
    )


def test_wrapped_paragraph_starts_on_the_first_line() -> None:
    lines = display_lines(PARAGRAPH, 30, "on")
    assert len(lines) >= 3
    assert lines[0].endswith(visual(QALAT))  # the start of the sentence, at the right edge
    assert lines[-1].lstrip().startswith(visual(NIZAM))  # the end, at the left of the last line
    assert "COP28" in "".join(lines)
    assert "2024" in "".join(lines)
    for line in lines:
        assert cell_len(line) == 30  # right-aligned to the full width


def test_every_line_fits_the_width() -> None:
    for width in range(1, 60):
        for line in display_lines(PARAGRAPH, width, "on"):
            assert cell_len(line) <= width, (width, line)
        for line in display_lines(PARAGRAPH, width, "off"):
            assert cell_len(line) <= width, (width, line)


def test_one_base_direction_per_paragraph() -> None:
    # A headline starting with Latin is an LTR paragraph unless told otherwise.
    assert display_lines(f"BBC: {HALAB}", 20, "on") == (f"BBC: {HALAB_VISUAL}",)
    forced = display_lines(f"BBC: {HALAB}", 20, "on", base="R")
    assert forced == (" " * 12 + f"{HALAB_VISUAL} :BBC",)


def test_base_is_applied_to_every_line_of_a_paragraph() -> None:
    # The second line alone ("COP28 2024") has no Arabic; it still belongs to an RTL paragraph,
    # so its logically first word (2024) is drawn on the right. Per-line detection would not.
    text = f"{HALAB} {HALAB} 2024 COP28"
    lines = display_lines(text, 10, "on")
    assert lines == ("   " + f"{HALAB_VISUAL} {HALAB_VISUAL}", "COP28 2024")


def test_paragraphs_are_wrapped_separately() -> None:
    lines = display_lines(f"{HALAB}\nAleppo", 10, "on")
    assert lines == (" " * 7 + HALAB_VISUAL, "Aleppo")


def test_long_word_is_cut_to_fit() -> None:
    word = "\u0627\u0644\u0645\u0639\u0627\u0631\u0636\u0629" * 3
    for line in display_lines(word, 5, "on"):
        assert cell_len(line) <= 5
    assert display_lines("abcdefghij", 4, "off") == ("abcd", "efgh", "ij")


def test_off_mode_returns_logical_text() -> None:
    assert display_lines(PARAGRAPH, 500, "off") == (PARAGRAPH,)
    assert truncate_line(PARAGRAPH, 500, "off") == PARAGRAPH
    wrapped = display_lines(PARAGRAPH, 30, "off")
    assert " ".join(wrapped) == PARAGRAPH
    assert not any(ord(ch) in PRESENTATION_FORMS for ch in "".join(wrapped))


def test_latin_text_is_untouched_in_on_mode() -> None:
    assert display_lines("Aleppo falls", 40, "on") == ("Aleppo falls",)
    assert truncate_line("Aleppo falls", 40, "on") == "Aleppo falls"


def test_truncation_cuts_the_logical_end() -> None:
    off = truncate_line(PARAGRAPH, 20, "off")
    assert off.startswith(QALAT)
    assert off.endswith(ELLIPSIS)
    assert cell_len(off) <= 20
    on = truncate_line(PARAGRAPH, 20, "on")
    assert cell_len(on) <= 20
    assert on.lstrip().startswith(ELLIPSIS)  # the logical end shows at the left
    assert on.endswith(visual(QALAT))  # the logical start stays, at the right


def test_truncation_of_tiny_widths() -> None:
    assert truncate_line(PARAGRAPH, 1, "on") == ELLIPSIS
    assert truncate_line(PARAGRAPH, 0, "off") == ""


def test_truncate_flattens_line_breaks() -> None:
    assert truncate_line("a\nb", 10, "off") == "a b"


def test_results_are_cached() -> None:
    assert display_lines(PARAGRAPH, 33, "on") is display_lines(PARAGRAPH, 33, "on")


_TEXT = st.lists(
    st.sampled_from([HALAB, FI, SALAM, HAMA, MUHAMMAD_WITH_HARAKAT, "COP28", "25", "(x)", "-"]),
    min_size=1,
    max_size=20,
).map(" ".join)


@settings(max_examples=60, deadline=None)
@given(text=_TEXT, width=st.integers(min_value=1, max_value=40))
def test_no_line_is_ever_wider_than_asked(text: str, width: int) -> None:
    for mode in ("on", "off"):
        for line in display_lines(text, width, mode):
            assert cell_len(line) <= width
        assert cell_len(truncate_line(text, width, mode)) <= width


@pytest.mark.parametrize(
    ("env", "mode", "switch"),
    [
        ({"VTE_VERSION": "7200", "TERM": "xterm-256color"}, "on", True),
        ({"VTE_VERSION": "5200"}, "on", False),
        ({"TERM_PROGRAM": "mintty"}, "on", True),
        ({"KONSOLE_VERSION": "230804"}, "off", False),
        ({"TERM_PROGRAM": "Apple_Terminal"}, "off", False),
        ({"MLTERM": "3.9.3"}, "off", False),
        ({"TERM": "mlterm-256color"}, "off", False),
        ({"KITTY_WINDOW_ID": "1", "TERM": "xterm-kitty"}, "on", False),
        ({"WT_SESSION": "x"}, "on", False),
        ({"TERM_PROGRAM": "vscode"}, "on", False),
        ({"TERM": "xterm", "XTERM_VERSION": "XTerm(390)"}, "on", False),
        ({}, "on", False),
        ({"KONSOLE_VERSION": "230804", "SITBOARD_BIDI": "on"}, "on", False),
        ({"SITBOARD_BIDI": "off"}, "off", False),
    ],
)
def test_auto_mode_follows_the_terminal(env: dict[str, str], mode: str, switch: bool) -> None:
    decision = decide("auto", env)
    assert decision.mode == mode
    assert resolve_mode("auto", env) == mode
    assert (decision.start, decision.stop) == (
        (EXPLICIT_BIDI, IMPLICIT_BIDI) if switch else ("", "")
    )
    assert decision.reason


def test_explicit_setting_wins_over_the_terminal() -> None:
    assert resolve_mode("off", {"VTE_VERSION": "7200"}) == "off"
    assert decide("off", {"VTE_VERSION": "7200"}).start == ""
    assert resolve_mode("on", {"KONSOLE_VERSION": "1"}) == "on"
    assert resolve_mode("on", {"SITBOARD_BIDI": "off"}) == "on"
    on_vte = decide("on", {"VTE_VERSION": "7200"})
    assert (on_vte.start, on_vte.stop) == ("\x1b[8l", "\x1b[8h")


def test_kitty_gets_a_notice() -> None:
    notice = decide("auto", {"KITTY_WINDOW_ID": "3"}).notice
    assert notice is not None and "force_ltr" in notice


def test_terminal_sequences_for_a_resolved_mode() -> None:
    assert terminal_bidi_sequences("on", {"VTE_VERSION": "6003"}) == ("\x1b[8l", "\x1b[8h")
    assert terminal_bidi_sequences("on", {"TERM_PROGRAM": "mintty"}) == ("\x1b[8l", "\x1b[8h")
    assert terminal_bidi_sequences("off", {"VTE_VERSION": "6003"}) == ("", "")
    assert terminal_bidi_sequences("on", {"TERM": "xterm"}) == ("", "")
