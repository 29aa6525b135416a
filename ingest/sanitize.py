"""Make untrusted feed text safe to show in a terminal.

Feed text can carry terminal escape sequences (colour changes, window-title writes, OSC 8
hyperlinks, OSC 52 clipboard writes), raw control characters that move the cursor, and
invisible direction overrides that make one headline read as another. `clean_text` removes
all of them and returns NFC text that keeps only line breaks as layout.
"""

from __future__ import annotations

import re
import unicodedata

# String-type sequences: OSC (ESC ]), DCS (ESC P), SOS (ESC X), PM (ESC ^), APC (ESC _) and their
# 8-bit forms. They run to BEL or ST (ESC \ or 0x9C); an unterminated one runs to the end, as a
# terminal would swallow it too.
_STRING_SEQ = r"(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"
# CSI (ESC [ or 0x9B): parameter bytes, intermediate bytes, one final byte.
_CSI_SEQ = r"(?:\x1b\[|\x9b)[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]"
# Any other escape: ESC, intermediates, a final byte (ESC c resets the terminal, ESC ( B, ...).
_ESC_SEQ = r"\x1b[\x20-\x2f]*[\x30-\x7e]"
_ESCAPES = re.compile(f"{_STRING_SEQ}|{_CSI_SEQ}|{_ESC_SEQ}")

_NEWLINES = re.compile(r"\r\n?|[\x0b\x0c\x85\u2028\u2029]")

# What is left after the sequences are gone: every C0 control but \n, DEL, C1 controls (a lone
# ESC among them), bidi embeddings/overrides/isolates, zero-width characters and marks, the
# Arabic letter mark, the BOM, word joiners and invisible operators, and lone surrogates
# (which cannot be encoded for output at all).
_INVISIBLE = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f"
    "\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\u061c\ufeff"
    "\ud800-\udfff]"
)


def clean_text(text: str) -> str:
    """Return `text` with escape sequences, controls and invisible formatting removed.

    Keeps `\\n` (CR, CRLF and Unicode line/paragraph separators become `\\n`), turns tabs into
    spaces, and normalises to NFC. Idempotent: `clean_text(clean_text(s)) == clean_text(s)`.
    """
    if not text:
        return ""
    text = _ESCAPES.sub("", text)
    text = _NEWLINES.sub("\n", text)
    text = text.replace("\t", " ")
    text = _INVISIBLE.sub("", text)
    return unicodedata.normalize("NFC", text)


def one_line(text: str) -> str:
    """`clean_text`, then all runs of whitespace (line breaks included) collapsed to one space."""
    return " ".join(clean_text(text).split())
