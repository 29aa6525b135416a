from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sitboard.ingest.sanitize import clean_text, one_line


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("\x1b[31mحلب\x1b[0m", "حلب"),  # SGR colour
        ("a\x1b[2J\x1b[Hb", "ab"),  # clear screen, cursor home
        ("\x1b]8;;https://evil.example/\x1b\\click\x1b]8;;\x1b\\", "click"),  # OSC 8 link
        ("\x1b]52;c;cm0gLXJmIH4=\x07copied", "copied"),  # OSC 52 clipboard write
        ("\x1b]0;new window title\x07x", "x"),  # title change
        ("\x1b]2;title\x1b\\x", "x"),
        ("\x1bP+q544e\x1b\\y", "y"),  # DCS request
        ("\x1b_apc payload\x1b\\z", "z"),  # APC
        ("\x9b31mX\x9d0;t\x9cY", "XY"),  # 8-bit CSI and OSC
        ("\x1bc reset", " reset"),  # RIS
        ("\x1b(Bplain", "plain"),  # charset designation
        ("lone\x1b", "lone"),
        ("\x1b[31", "31"),  # unfinished CSI: the escape goes, the rest is harmless text
        ("bell\x07 back\x08space", "bell backspace"),
        ("tab\there", "tab here"),
        ("cr\r\nlf\rx", "cr\nlf\nx"),
        ("line\u2028sep\u2029para", "line\nsep\npara"),
        ("\x00null\x7fdel\x85nel", "nulldel\nnel"),
        ("\u202eرشف\u202c", "رشف"),  # RLO override
        ("a\u202ab\u202bc\u202dd", "abcd"),
        ("\u2066iso\u2067late\u2068d\u2069", "isolated"),
        ("zero\u200bwidth\u200c\u200d\u200e\u200f", "zerowidth"),
        ("\u061cعلامة", "علامة"),  # Arabic letter mark
        ("\ufeffbom", "bom"),
        ("e\u0301", "\u00e9"),  # NFC
        ("surrogate\ud800", "surrogate"),
        ("", ""),
    ],
)
def test_clean_text_removes(raw: str, expected: str) -> None:
    assert clean_text(raw) == expected


def test_clean_text_keeps_arabic_and_newlines() -> None:
    text = "قوات المعارضة تدخل حلب\nوتسيطر على مطارها ١٢٣"
    assert clean_text(text) == text


def test_clean_text_keeps_arabic_diacritics() -> None:
    text = "حَلَب"
    assert clean_text(text) == unicodedata.normalize("NFC", text)


def test_one_line_collapses_whitespace() -> None:
    assert one_line("  BBC News  اردو \n - x\t") == "BBC News اردو - x"


_FORMATTING = set("\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e")
_FORMATTING |= set("\u2066\u2067\u2068\u2069\u061c\ufeff")

_hostile = st.text(
    alphabet=st.sampled_from(
        list("\x1b[]P\\_^X;0123mHc(B\x07\x9b\x9c\x9d\x90\r\n\t \x00\x7f\u202e\u2066\u200b\ufeff")
        + list("abcحلبe\u0301\u064e")
    ),
    max_size=60,
)


@given(_hostile)
def test_clean_text_is_idempotent(raw: str) -> None:
    once = clean_text(raw)
    assert clean_text(once) == once


@given(st.one_of(_hostile, st.text(max_size=80)))
def test_clean_text_output_has_no_controls(raw: str) -> None:
    out = clean_text(raw)
    for ch in out:
        if ch == "\n":
            continue
        category = unicodedata.category(ch)
        assert category not in ("Cc", "Cs"), repr(out)
        assert ch not in _FORMATTING, repr(out)
    assert out == unicodedata.normalize("NFC", out)
