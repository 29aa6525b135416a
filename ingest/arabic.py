"""The Arabic text layer: normalisation for matching, tokens, clitic stems and sentences.

Display text is never changed here. `normalize` builds a matching copy (ARABIC.md section 1);
`tokenize` and `sentences` report offsets into the original string, so callers can always cut
the original text back out (`text[token.start:token.end] == token.text`).

Everything here is pure: module-level tables are built once at import and never mutated, so
the functions are safe to call from worker threads.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

__all__ = [
    "Sentence",
    "Token",
    "has_arabic",
    "normalize",
    "search_key",
    "sentences",
    "stems",
    "tokenize",
]

# --- normalisation table -------------------------------------------------------------------

# Invisible format characters: zero-width, direction marks, embeddings, overrides, isolates,
# the Arabic letter mark, BOM / zero-width no-break space, word joiner and friends.
_INVISIBLE = (
    "\u00ad"  # soft hyphen
    "\u061c"
    "\u200b\u200c\u200d\u200e\u200f"
    "\u202a\u202b\u202c\u202d\u202e"
    "\u2060\u2061\u2062\u2063\u2064"
    "\u2066\u2067\u2068\u2069"
    "\u206a\u206b\u206c\u206d\u206e\u206f"
    "\ufeff"
)

_LETTER_MAP = {
    # alef forms (hamza above/below, madda, wasla, wavy hamza, high hamza alef)
    "\u0623": "\u0627",
    "\u0625": "\u0627",
    "\u0622": "\u0627",
    "\u0671": "\u0627",
    "\u0672": "\u0627",
    "\u0673": "\u0627",
    "\u0675": "\u0627",
    "\u0649": "\u064a",  # alef maksura -> yeh
    "\u0629": "\u0647",  # taa marbuta -> heh
    "\u06c3": "\u0647",  # taa marbuta goal
    "\u0624": "\u0648",  # waw with hamza
    "\u0676": "\u0648",
    "\u0626": "\u064a",  # yeh with hamza
    "\u0678": "\u064a",
    "\u06a9": "\u0643",  # keheh (Persian kaf)
    "\u06aa": "\u0643",  # swash kaf
    "\u06cc": "\u064a",  # Farsi yeh
    "\u06d2": "\u064a",  # yeh barree
    "\u06be": "\u0647",  # heh doachashmee
    "\u06c0": "\u0647",  # heh with yeh above
    "\u06c1": "\u0647",  # heh goal
    "\u06d5": "\u0647",  # ae
    "\u066b": ".",  # Arabic decimal separator
    "\u066c": ",",  # Arabic thousands separator
    "\u066a": "%",  # Arabic percent sign
    "\u06d4": ".",  # Urdu full stop
}


def _is_arabic_mark(code: int) -> bool:
    return (
        0x0610 <= code <= 0x061A
        or 0x064B <= code <= 0x065F
        or code == 0x0670
        or 0x06D6 <= code <= 0x06ED
        or (0x08D3 <= code <= 0x08FF and unicodedata.category(chr(code)) == "Mn")
    )


def _build_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for code in range(0x0600, 0x0900):
        if _is_arabic_mark(code):
            table[code] = ""
    table[0x0640] = ""  # tatweel
    for ch in _INVISIBLE:
        table[ord(ch)] = ""
    for src, dst in _LETTER_MAP.items():
        table[ord(src)] = dst
    for digit in range(10):
        table[0x0660 + digit] = str(digit)  # Arabic-Indic
        table[0x06F0 + digit] = str(digit)  # Eastern Arabic-Indic (Persian/Urdu)
    # Presentation forms (and full-width Latin) go back to base letters through NFKC, then through
    # the table above, so that e.g. the isolated-form alef with hamza ends up as a plain alef.
    ranges = (range(0xFB50, 0xFE00), range(0xFE70, 0xFEFF), range(0xFF01, 0xFF5F))
    for rng in ranges:
        for code in rng:
            ch = chr(code)
            if code in table or unicodedata.category(ch) == "Cn":
                continue
            folded = unicodedata.normalize("NFKC", ch).translate(table)
            # isolated harakat forms NFKC to "space + mark": the mark is dropped, so is the space
            if folded.strip() == "":
                folded = ""
            if folded != ch:
                table[code] = folded
    return table


_TABLE: dict[int, str] = _build_table()
_SPACES = re.compile(r"\s+")


def normalize(text: str) -> str:
    """A copy of `text` for matching (ARABIC.md section 1); never for display.

    Drops diacritics, Quranic marks, tatweel and invisible direction/zero-width characters;
    folds alef forms to ا, ى to ي, ة to ه, ؤ/ئ to و/ي, Persian/Urdu letters to Arabic ones,
    Arabic-Indic digits to ASCII digits and presentation forms to base letters. Quotes and
    Arabic punctuation are kept (they separate words). Latin case is kept (see `search_key`).
    The result can be shorter or longer than `text`: use `tokenize` for offsets.
    """
    return text.translate(_TABLE)


def search_key(text: str) -> str:
    """normalize + casefold + collapsed blanks, so that search_key("حماه") == search_key("حماة")."""
    return _SPACES.sub(" ", normalize(text).casefold()).strip()


# --- character classes ------------------------------------------------------------------------

# Arabic letters (base, supplement, extended-A, presentation forms), excluding digits and marks.
_AR_LETTER = (
    "\u0620-\u063f\u0641-\u064a\u066e\u066f\u0671-\u06d3\u06d5\u06ee\u06ef\u06fa-\u06fc\u06ff"
    "\u0750-\u077f\u08a0-\u08c9\ufb50-\ufd3d\ufd50-\ufdfb\ufe80-\ufefc"
)
_AR_MARK = "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed\u08d3-\u08ff"
_AR_ISOLATED_MARK = "\ufe70-\ufe7f"
_INVISIBLE_CLASS = "".join(f"\\u{ord(c):04x}" for c in _INVISIBLE)
_AR_BODY = f"{_AR_LETTER}{_AR_MARK}{_AR_ISOLATED_MARK}\u0640"

_TOKEN_RE = re.compile(
    # an Arabic word: a letter, then letters, marks and tatweel; invisible characters are allowed
    # inside a word (they are noise there) but never at its edges
    f"(?P<ar>[{_AR_LETTER}](?:[{_AR_BODY}]|[{_INVISIBLE_CLASS}]+(?=[{_AR_BODY}]))*)"
    # a number: digits (any script), with inner decimal/thousands separators (2.5, 1,000, ٢٫٥)
    r"|(?P<num>\d+(?:[.,\u066b\u066c]\d+)*)"
    # any other word (Latin, Cyrillic, ...): letters that are not Arabic, with combining marks
    f"|(?P<other>(?:(?![{_AR_LETTER}])[^\\W\\d_])(?:(?![{_AR_LETTER}])[^\\W\\d_]|[\u0300-\u036f])*)"
)

_HAS_ARABIC_RE = re.compile(f"[{_AR_LETTER}]")


def has_arabic(text: str) -> bool:
    """True when `text` holds at least one Arabic-script letter."""
    return _HAS_ARABIC_RE.search(text) is not None


# --- tokens -----------------------------------------------------------------------------------


class Token(NamedTuple):
    # A named tuple, not a frozen dataclass: every word of every item makes one (often twice),
    # and a tuple is built several times faster.
    text: str  # as written: text[start:end] of the string given to tokenize()
    norm: str  # normalize(text): Arabic folded, Latin case kept
    start: int
    end: int


def tokenize(text: str) -> list[Token]:
    """Words of `text` in order: Arabic words, numbers and other-script words; punctuation dropped.

    A change of script ends a word (`2024م` is `2024` + `م`, `بـHama` is `بـ` + `Hama`), hyphens and
    apostrophes split Latin words (`ez-Zor` is `ez` + `Zor`), and a number keeps its inner
    separators (`2.5`, `1,000`).
    """
    return list(_tokens(text))


# The place search of a feed item and its claim extraction read the same text one after the
# other: the second tokenisation is a cache hit. Tokens are immutable; callers get a new list.
@lru_cache(maxsize=1024)
def _tokens(text: str) -> tuple[Token, ...]:
    table = _TABLE
    tokens: list[Token] = []
    make = tuple.__new__  # Token(...) goes through a Python-level __new__: twice as slow
    for match in _TOKEN_RE.finditer(text):
        surface = match.group()
        norm = surface.translate(table)
        if " " in norm and match.lastgroup == "ar":
            norm = norm.replace(" ", "")  # phrase ligatures such as U+FDFA expand with spaces
        start, end = match.span()
        tokens.append(make(Token, (surface, norm, start, end)))
    return tuple(tokens)


# --- clitic stems -----------------------------------------------------------------------------

_CONJUNCTIONS = ("و", "ف")
_PREPOSITIONS = ("ب", "ل", "ك")
_ARTICLE = "ال"
MIN_STEM = 3  # a reading keeps at least this many letters: وسط is not و + سط
# Frequent words that begin with a clitic letter but carry none: never peeled (فيها is not ف + يها).
_NO_PEEL = frozenset(
    normalize(w)
    for w in [
        "في",
        "فيها",
        "فيه",
        "فيما",
        "فيهم",
        "فيهما",
        "كان",
        "كانت",
        "كانوا",
        "كما",
        "كلما",
        "كل",
        "كلها",
        "كله",
        "لكن",
        "لكنه",
        "لكنها",
        "لها",
        "له",
        "لهم",
        "لهما",
        "لدى",
        "لدي",
        "لدينا",
        "لم",
        "لن",
        "ليس",
        "ليست",
        "لأن",
        "لان",
        "لذلك",
        "لعل",
        "بين",
        "بعد",
        "بعض",
        "بها",
        "به",
        "بهم",
        "بينما",
        "بأن",
        "بان",
        "فقط",
        "فإن",
        "فان",
        "كذلك",
        "كيف",
        "كأن",
    ]
)
_ARABIC_WORD_RE = re.compile(f"[{_AR_LETTER}]+")


def stems(norm_token: str) -> tuple[str, ...]:
    """The token and its readings with clitic prefixes peeled, most literal first.

    Peels at most one conjunction (و ف), then at most one preposition (ب ل ك), then the
    article (ال); ل + ال is written لل (للجيش = ل + الجيش), so that reading restores the
    article (the plain ل-peeled reading is kept too, last: للقاء may be ل + لقاء). Every
    reading keeps at least MIN_STEM letters, so short words are not over-peeled, and a few
    frequent function words (في فيها كان لكن بعد ...) are never peeled.
    `norm_token` must already be normalised; non-Arabic tokens come back alone.

    >>> stems("وبالسجن")
    ('وبالسجن', 'بالسجن', 'السجن', 'سجن')
    >>> stems("للجيش")
    ('للجيش', 'الجيش', 'جيش', 'لجيش')
    """
    if not _ARABIC_WORD_RE.fullmatch(norm_token):
        return (norm_token,)
    if norm_token in _NO_PEEL:
        return (norm_token,)
    readings = [norm_token]
    bases = [norm_token]
    if norm_token[0] in _CONJUNCTIONS and len(norm_token) - 1 >= MIN_STEM:
        bases.append(norm_token[1:])
    for base in tuple(bases):
        if base in _NO_PEEL:
            continue
        if base[0] in _PREPOSITIONS and len(base) - 1 >= MIN_STEM:
            rest = base[1:]
            if base[0] == "ل" and rest.startswith("ل") and len(rest) - 1 >= MIN_STEM:
                # ل + ال -> لل: للجيش is ل + الجيش (and لله is ل + له, a reading nobody matches)
                bases.append(_ARTICLE + rest[1:])
            bases.append(rest)
    for base in bases:
        readings.append(base)
        if base.startswith(_ARTICLE) and len(base) - 2 >= MIN_STEM:
            readings.append(base[2:])
    return tuple(dict.fromkeys(readings))


# --- sentences --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Sentence:
    text: str  # as written: text[start:end] of the string given to sentences()
    start: int
    end: int


_LINE_BREAKS = frozenset("\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029")
_TERMINATORS = frozenset(".!?;\u061f\u061b\u06d4\u2026\u203c\u2047\u2048\u2049")
# opening quote -> the marks that close it; reversed pairs occur in RTL text typed the wrong way
_QUOTES: dict[str, str] = {
    "«": "»",
    "»": "«",
    "\u201c": "\u201d\u201c",
    "\u201d": "\u201c\u201d",
    "\u201e": "\u201c\u201d",
    '"': '"',
}
_CLOSERS = frozenset("»«\u201d\u201c\"')]}\u2019")
_SPECIAL = re.compile(
    "[" + re.escape("".join(sorted(_LINE_BREAKS | _TERMINATORS | set(_QUOTES)))) + "]"
)
MAX_QUOTE = 1000  # characters: a longer "quote" is a stray mark, not a quotation
_LINE_BREAK_RE = re.compile("[" + re.escape("".join(sorted(_LINE_BREAKS))) + "]")
_LATIN_ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "st",
        "jr",
        "sr",
        "vs",
        "etc",
        "no",
        "gen",
        "col",
        "lt",
        "sgt",
        "capt",
        "maj",
        "cpt",
        "rev",
        "hon",
        "inc",
        "ltd",
        "co",
    ]
)
_EDGE_STRIP = " \t\u00a0\u3000" + _INVISIBLE


class _QuoteFinder:
    """Finds the mark closing a quote in O(log n): positions of each closing mark and of each
    line break are indexed once per text (a line of 50,000 stray « stays linear)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.breaks = [m.start() for m in _LINE_BREAK_RE.finditer(text)]
        self.marks: dict[str, list[int]] = {}

    def end(self, i: int) -> int:
        """Index just past the mark closing the quote opened at i on the same line, or -1."""
        text = self.text
        b = bisect_right(self.breaks, i)
        line_end = self.breaks[b] if b < len(self.breaks) else len(text)
        limit = min(line_end, i + 1 + MAX_QUOTE)
        best = -1
        for mark in _QUOTES[text[i]]:
            positions = self.marks.get(mark)
            if positions is None:
                positions = self.marks[mark] = _positions(text, mark)
            j = bisect_right(positions, i)
            if j < len(positions) and positions[j] < limit and (best == -1 or positions[j] < best):
                best = positions[j]
        return best + 1 if best != -1 else -1


def _positions(text: str, char: str) -> list[int]:
    out: list[int] = []
    k = text.find(char)
    while k != -1:
        out.append(k)
        k = text.find(char, k + 1)
    return out


def _word_before(text: str, i: int) -> tuple[str, int]:
    """The run of letters/digits ending just before index i, and its start."""
    j = i
    while j > 0 and text[j - 1].isalnum():
        j -= 1
    return text[j:i], j


def _is_boundary(text: str, i: int) -> bool:
    ch = text[i]
    prev = text[i - 1] if i > 0 else ""
    nxt = text[i + 1] if i + 1 < len(text) else ""
    # 2.5, 5.12.2024, aljazeera.net, U.S.A, ?id=3: no space after, Latin/digit on both sides
    if prev.isascii() and prev.isalnum() and nxt.isascii() and nxt.isalnum():
        return False
    if ch != ".":
        return True
    if prev.isdigit() and nxt.isdigit():  # Arabic-Indic decimals
        return False
    word, word_start = _word_before(text, i)
    if word.isdigit() and len(word) <= 2:
        k = word_start
        while k > 0 and text[k - 1] in " \t\u00a0":
            k -= 1
        if k == 0 or text[k - 1] in _LINE_BREAKS:
            return False  # a list marker: "1. دخلت الفصائل ..."
    if word and not word.isdigit():
        k = word_start
        while k > 0 and text[k - 1] in " \t\u00a0":
            k -= 1
        after_number = k > 0 and text[k - 1].isdigit()
        # one-letter abbreviation: د. (doctor), م. (engineer), J. Smith; but not "2012 م."
        if (
            len(word) == 1
            and (word_start == 0 or not text[word_start - 1].isalnum())
            and not after_number
            and (word.isupper() or not word.isascii())
        ):
            return False
        if word.casefold() in _LATIN_ABBREVIATIONS and nxt in " \u00a0":
            return False
    return True


# A quote that ends with its own full stop still belongs with a speaker named right after it.
_SPEAKER_AFTER = frozenset(
    normalize(w).casefold()
    for w in [
        "قال",
        "قالت",
        "يقول",
        "تقول",
        "أضاف",
        "أضافت",
        "وأضاف",
        "وأضافت",
        "قاله",
        "قالها",
        "بحسب",
        "وفق",
        "حسب",
        "حسبما",
        "أكد",
        "أكدت",
        "said",
        "says",
        "added",
        "according",
    ]
)
_WORD_RE = re.compile(r"\w+")


def _quote_ends_sentence(text: str, opening: int, end: int) -> bool:
    """True when the quote text[opening:end] closes with its own terminator («...انسحبنا.»)
    and what follows starts a new sentence rather than naming the speaker."""
    inner = text[opening + 1 : end - 1].rstrip()
    if not inner or inner[-1] not in _TERMINATORS or inner[-1] == ";":
        return False
    rest = text[end : end + 40].lstrip(" \t\u00a0")
    if not rest or rest[0] in _LINE_BREAKS or rest[0] in _TERMINATORS or rest[0] in "،,:":
        return False  # the line, or the sentence, ends right here anyway
    word = _WORD_RE.match(rest)
    return word is None or normalize(word.group()).casefold() not in _SPEAKER_AFTER


def sentences(text: str) -> list[Sentence]:
    """Split `text` into sentences with offsets into it.

    Splits on . ! ? ؟ ; ؛ ۔ … and every line break. A quotation «…», “…” or "…" that closes
    on the same line (within MAX_QUOTE characters) is kept whole together with whatever
    surrounds it, so `وقال القيادي: «قواتنا دخلت المدينة. وحررنا الأسرى».` is one sentence with
    its speaker. A quote that does not close on its line is ignored (the line still splits at
    its full stops): quotes never span line breaks. A quote ending with its own full stop
    («...انسحبنا.») ends the sentence unless a speaker follows («...» قال القيادي).
    Decimal points (2.5), domain names, and one-letter abbreviations (د. م. J.) do not split.
    Terminator runs (.. ...) and closing quotes/brackets right after a terminator stay with
    the sentence they end. Sentences are trimmed of surrounding blanks; pieces with no letter
    or digit are dropped.
    """
    out: list[Sentence] = []

    def emit(start: int, end: int) -> None:
        while start < end and (text[start].isspace() or text[start] in _EDGE_STRIP):
            start += 1
        while end > start and (text[end - 1].isspace() or text[end - 1] in _EDGE_STRIP):
            end -= 1
        piece = text[start:end]
        if any(ch.isalnum() for ch in piece):
            out.append(Sentence(piece, start, end))

    n = len(text)
    start = 0
    i = 0
    quotes: _QuoteFinder | None = None
    while i < n:
        ch = text[i]
        if ch in _LINE_BREAKS:
            emit(start, i)
            start = i = i + 1
            continue
        if ch in _QUOTES:
            if quotes is None:
                quotes = _QuoteFinder(text)
            end = quotes.end(i)
            if end != -1:
                if _quote_ends_sentence(text, i, end):
                    emit(start, end)
                    start = end
                i = end
                continue
        if ch in _TERMINATORS and _is_boundary(text, i):
            j = i + 1
            while j < n and (text[j] in _TERMINATORS or text[j] in _CLOSERS):
                if text[j] == '"' and text.count('"', start, j) % 2 == 0:
                    break  # an even count means this straight quote opens the next sentence
                j += 1
            emit(start, j)
            start = i = j
            continue
        # jump to the next character that can matter (a break, a quote or a terminator)
        found = _SPECIAL.search(text, i + 1)
        i = found.start() if found is not None else n
    emit(start, n)
    return out
