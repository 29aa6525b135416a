"""The words of an item worth marking: places, speakers, reporting verbs and event words.

Spans are character offsets into the logical text given to `Highlighter.spans`; they come from
the same readers the claim extractor uses (PlaceMatcher, the profile's actor names and the
Arabic lexicon), so what is marked is what the extractor saw. No Textual here.

`visual_spans` maps spans onto the shaped, reordered lines of tui/bidi.py (mode "on"): each line
is rebuilt from tagged pieces and compared with display_lines(); a line that cannot be rebuilt
exactly is returned unstyled, never styled wrongly.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

import arabic_reshaper
from bidi import algorithm as bidi_algorithm
from sitboard.ingest import lexicon as lx
from sitboard.ingest.arabic import sentences, tokenize
from sitboard.ingest.attribution import ACTOR, SPEAKER, profile_marker
from sitboard.ingest.places import PlaceMatcher
from sitboard.ingest.profile import Profile

from .bidi import Mode, base_direction, display_lines, has_rtl

Kind = Literal["place", "speaker", "verb", "event"]
KINDS: tuple[Kind, ...] = ("place", "speaker", "verb", "event")
# When two readings overlap, the earlier kind here wins.
_PRIORITY = {kind: n for n, kind in enumerate(KINDS)}
_ROLE_KIND: dict[str, Kind] = {
    ACTOR: "speaker",
    SPEAKER: "speaker",
    lx.REPORT: "verb",
    lx.EVENT: "event",
}


@dataclass(frozen=True, slots=True)
class Span:
    """text[start:end] is a `kind` word; `value` says which: place id and scope
    ("hama/countryside"), actor id, stance of a reporting verb, or event kind."""

    start: int
    end: int
    kind: Kind
    value: str


class Highlighter:
    """Finds the spans to mark in a text. Build once per profile; `spans` is pure."""

    def __init__(self, profile: Profile) -> None:
        self.profile = profile
        self._places = PlaceMatcher(profile)
        self._marker = profile_marker(profile)

    def spans(self, text: str) -> tuple[Span, ...]:
        """Non-overlapping spans in text order."""
        found: list[Span] = []
        for mention in self._places.find(text):
            if not mention.ref:
                found.append(
                    Span(mention.start, mention.end, "place", f"{mention.place}/{mention.scope}")
                )
        for sentence in sentences(text):
            tokens = tokenize(sentence.text)
            for mark in self._marker.marks(tokens):
                kind = _ROLE_KIND.get(mark.role)
                if kind is None:
                    continue
                start = sentence.start + tokens[mark.i].start
                end = sentence.start + tokens[mark.j - 1].end
                found.append(Span(start, end, kind, mark.value))
        return _without_overlaps(found)


def _without_overlaps(spans: Iterable[Span]) -> tuple[Span, ...]:
    chosen: list[Span] = []
    for span in sorted(spans, key=lambda s: (_PRIORITY[s.kind], s.start, -(s.end - s.start))):
        if all(span.end <= other.start or span.start >= other.end for other in chosen):
            chosen.append(span)
    return tuple(sorted(chosen, key=lambda s: s.start))


@dataclass(frozen=True, slots=True)
class MarkedWord:
    surface: str  # as written in the text (logical order)
    value: str


def marked_words(text: str, spans: Sequence[Span]) -> dict[Kind, tuple[MarkedWord, ...]]:
    """The distinct marked words of each kind, in first-seen order (for a list under the text)."""
    out: dict[Kind, dict[tuple[str, str], MarkedWord]] = {kind: {} for kind in KINDS}
    for span in spans:
        surface = " ".join(text[span.start : span.end].split())
        out[span.kind].setdefault((surface, span.value), MarkedWord(surface, span.value))
    return {kind: tuple(words.values()) for kind, words in out.items() if words}


# --- styling reordered lines ----------------------------------------------------------------

Tagged = list[tuple[str, Kind | None]]  # (text, kind) pieces of one screen line, left to right
_WORD = re.compile(r"\S+")


def visual_spans(text: str, spans: Sequence[Span], width: int, mode: Mode) -> list[Tagged]:
    """The lines of display_lines(text, width, mode), each cut into (text, kind) pieces.

    Joining the pieces of a line gives exactly that display line. In mode "off" pieces follow
    the logical text; in mode "on" a right-to-left line is shaped and reordered piece-aware.
    A line that cannot be rebuilt exactly comes back as one untagged piece.
    """
    kinds = _kind_per_char(text, spans)
    out: list[Tagged] = []
    offset = 0
    for paragraph in text.split("\n"):
        lines = display_lines(paragraph, width, mode)
        if mode == "off" and lines == (paragraph,):  # kept as written, spaces and all
            chars = [(text[k], kinds[k]) for k in range(offset, offset + len(paragraph))]
            out.append(_merge(chars) if chars else [("", None)])
        else:
            words = [(m.start() + offset, m.end() + offset) for m in _WORD.finditer(paragraph)]
            out.extend(_tag_paragraph(text, paragraph, words, lines, kinds, mode))
        offset += len(paragraph) + 1
    return out


def _kind_per_char(text: str, spans: Sequence[Span]) -> list[Kind | None]:
    kinds: list[Kind | None] = [None] * len(text)
    for span in spans:
        for n in range(span.start, min(span.end, len(text))):
            kinds[n] = span.kind
    return kinds


def _tag_paragraph(
    text: str,
    paragraph: str,
    words: list[tuple[int, int]],
    lines: Sequence[str],
    kinds: list[Kind | None],
    mode: Mode,
) -> list[Tagged]:
    rtl = mode == "on" and has_rtl(paragraph)
    base = base_direction(paragraph) if rtl else "L"
    out: list[Tagged] = []
    first = 0
    for line in lines:
        count = len(line.split())
        chosen = words[first : first + count]
        first += count
        tagged = _tag_line(text, chosen, kinds, line, rtl, base) if chosen else None
        out.append(tagged if tagged is not None else [(line, None)])
    if first != len(words):  # words cut inside (longer than the width): keep plain lines
        return [[(line, None)] for line in lines]
    return out


def _tag_line(
    text: str,
    words: list[tuple[int, int]],
    kinds: list[Kind | None],
    line: str,
    rtl: bool,
    base: str,
) -> Tagged | None:
    # The logical line as display_lines built it: words joined by single spaces. A space
    # inside one span (a two-word name) takes the span's kind, so the name stays one piece.
    chars: list[tuple[str, Kind | None]] = []
    for n, (a, b) in enumerate(words):
        if n:
            gap = range(words[n - 1][1], a)
            inside = kinds[a] is not None and all(kinds[k] == kinds[a] for k in gap)
            chars.append((" ", kinds[a] if inside else None))
        chars.extend((text[k], kinds[k]) for k in range(a, b))
    if not rtl:
        return _check(_merge(chars), line)
    pieces = _merge(chars)
    logical = "".join(piece for piece, _ in pieces)
    shaped_pieces = [(arabic_reshaper.reshape(piece), kind) for piece, kind in pieces]
    if "".join(piece for piece, _ in shaped_pieces) != arabic_reshaper.reshape(logical):
        return None  # a ligature or joining crosses a piece boundary
    shaped = [(ch, kind) for piece, kind in shaped_pieces for ch in piece]
    return _check(_merge(_reorder(shaped, base)), line)


def _merge(chars: Iterable[tuple[str, Kind | None]]) -> Tagged:
    pieces: Tagged = []
    for ch, kind in chars:
        if pieces and pieces[-1][1] == kind:
            pieces[-1] = (pieces[-1][0] + ch, kind)
        else:
            pieces.append((ch, kind))
    return pieces


def _check(pieces: Tagged, line: str) -> Tagged | None:
    """`pieces` padded as `line` is (right-aligned lines carry leading spaces), if they match."""
    body = "".join(piece for piece, _ in pieces)
    if line.endswith(body) and not line[: len(line) - len(body)].strip():
        pad = line[: len(line) - len(body)]
        return ([(pad, None)] if pad else []) + pieces
    return None


def _reorder(chars: list[tuple[str, Kind | None]], base: str) -> list[tuple[str, Kind | None]]:
    """UAX #9 reordering of one line (python-bidi's pure-Python steps), carrying each
    character's kind along; brackets in right-to-left runs are mirrored as get_display does."""
    storage = bidi_algorithm.get_empty_storage()
    storage["base_level"] = 1 if base == "R" else 0
    storage["base_dir"] = base
    bidi_algorithm.get_embedding_levels("".join(ch for ch, _ in chars), storage)
    for entry, (_, kind) in zip(storage["chars"], chars, strict=True):
        entry["kind"] = kind
    bidi_algorithm.explicit_embed_and_overrides(storage)
    bidi_algorithm.resolve_weak_types(storage, False)
    bidi_algorithm.resolve_neutral_types(storage, False)
    bidi_algorithm.resolve_implicit_levels(storage, False)
    bidi_algorithm.reorder_resolved_levels(storage, False)
    bidi_algorithm.apply_mirroring(storage, False)
    return [(entry["ch"], entry["kind"]) for entry in storage["chars"]]
