"""tui/highlight.py: which words of an item are marked, and where they land on reordered lines.

Arabic is written as escapes (research B.3 #12); python-bidi's own get_display is the oracle for
what a marked word looks like on screen.
"""

from __future__ import annotations

from itertools import pairwise

import arabic_reshaper
import pytest
from bidi.algorithm import get_display
from sitboard.ingest.profile import Profile
from sitboard.tui.bidi import display_lines
from sitboard.tui.highlight import Highlighter, Span, marked_words, visual_spans

# قال الجيش السوري إن فصائل المعارضة سيطرت على ريف حماة الشمالي (وسط سوريا)، وأقر بخسارة مدينة حلب.
SENTENCE = (
    "\u0642\u0627\u0644 \u0627\u0644\u062c\u064a\u0634 \u0627\u0644\u0633\u0648\u0631\u064a "
    "\u0625\u0646 \u0641\u0635\u0627\u0626\u0644 \u0627\u0644\u0645\u0639\u0627\u0631\u0636\u0629 "
    "\u0633\u064a\u0637\u0631\u062a \u0639\u0644\u0649 \u0631\u064a\u0641 \u062d\u0645\u0627\u0629 "
    "\u0627\u0644\u0634\u0645\u0627\u0644\u064a (\u0648\u0633\u0637 \u0633\u0648\u0631\u064a\u0627)"
    "\u060c \u0648\u0623\u0642\u0631 \u0628\u062e\u0633\u0627\u0631\u0629 "
    "\u0645\u062f\u064a\u0646\u0629 \u062d\u0644\u0628."
)
SAID = "\u0642\u0627\u0644"  # قال
ARMY = "\u0627\u0644\u062c\u064a\u0634 \u0627\u0644\u0633\u0648\u0631\u064a"  # الجيش السوري
FACTIONS = "\u0641\u0635\u0627\u0626\u0644 \u0627\u0644\u0645\u0639\u0627\u0631\u0636\u0629"
TOOK = "\u0633\u064a\u0637\u0631\u062a"  # سيطرت
HAMA = "\u062d\u0645\u0627\u0629"  # حماة
ADMITTED = "\u0648\u0623\u0642\u0631"  # وأقر
LOSS = "\u0628\u062e\u0633\u0627\u0631\u0629"  # بخسارة
ALEPPO = "\u062d\u0644\u0628"  # حلب


@pytest.fixture(scope="module")
def highlighter(syria_profile: Profile) -> Highlighter:
    return Highlighter(syria_profile)


def _marked(text: str, spans: tuple[Span, ...]) -> list[tuple[str, str, str]]:
    return [(text[s.start : s.end], s.kind, s.value) for s in spans]


def test_spans_name_places_speakers_verbs_and_events(highlighter: Highlighter) -> None:
    spans = highlighter.spans(SENTENCE)
    assert _marked(SENTENCE, spans) == [
        (SAID, "verb", "assert"),
        (ARMY, "speaker", "syrian-army"),
        (FACTIONS, "speaker", "opposition"),
        (TOOK, "event", "capture"),
        (HAMA, "place", "hama/countryside"),
        (ADMITTED, "verb", "admit"),
        (LOSS, "event", "loss"),
        (ALEPPO, "place", "aleppo/city"),
    ]


def test_spans_are_in_order_and_never_overlap(highlighter: Highlighter) -> None:
    text = SENTENCE + "\n" + SENTENCE
    spans = highlighter.spans(text)
    assert len(spans) == 16
    for a, b in pairwise(spans):
        assert a.end <= b.start
    # offsets of the second paragraph point into the second copy
    assert spans[8].start == len(SENTENCE) + 1


def test_latin_place_names_are_marked(highlighter: Highlighter) -> None:
    text = "Rebels entered Hama on Thursday."
    assert _marked(text, highlighter.spans(text)) == [("Hama", "place", "hama/city")]


def test_plain_text_has_no_spans(highlighter: Highlighter) -> None:
    assert highlighter.spans("") == ()
    assert highlighter.spans("The weather was mild.") == ()


def test_marked_words_lists_each_word_once_per_kind(highlighter: Highlighter) -> None:
    text = SENTENCE + " " + SENTENCE
    words = marked_words(text, highlighter.spans(text))
    assert list(words) == ["place", "speaker", "verb", "event"]
    assert [w.surface for w in words["place"]] == [HAMA, ALEPPO]
    assert [w.value for w in words["speaker"]] == ["syrian-army", "opposition"]


@pytest.mark.parametrize("width", [18, 30, 60, 200])
@pytest.mark.parametrize("mode", ["on", "off"])
def test_visual_pieces_rebuild_the_display_lines(
    highlighter: Highlighter, width: int, mode: str
) -> None:
    text = SENTENCE + "\n\nRebels entered  Hama.\n" + SENTENCE
    tagged = visual_spans(text, highlighter.spans(text), width, mode)  # type: ignore[arg-type]
    assert ["".join(piece for piece, _ in line) for line in tagged] == list(
        display_lines(text, width, mode)  # type: ignore[arg-type]
    )


def _pieces(tagged: list[list[tuple[str, str | None]]], kind: str) -> list[str]:
    return [piece for line in tagged for piece, k in line if k == kind]


def test_bidi_on_marks_the_shaped_reordered_words(highlighter: Highlighter) -> None:
    tagged = visual_spans(SENTENCE, highlighter.spans(SENTENCE), 200, "on")
    assert len(tagged) == 1

    def shown(word: str) -> str:
        return get_display(arabic_reshaper.reshape(word), base_dir="R")

    assert _pieces(tagged, "place") == [shown(ALEPPO), shown(HAMA)]  # left to right on screen
    # a two-word name stays one piece, its words in right-to-left order
    assert _pieces(tagged, "speaker") == [shown(FACTIONS), shown(ARMY)]
    assert _pieces(tagged, "verb") == [shown(ADMITTED), shown(SAID)]
    # the marked words are drawn where the whole line's reordering puts them
    line = "".join(piece for piece, _ in tagged[0])
    position = 0
    for piece, kind in tagged[0]:
        if kind is not None:
            assert line[position : position + len(piece)] == piece
        position += len(piece)
    assert line.index(shown(ALEPPO)) < line.index(shown(HAMA))


def test_bidi_off_marks_logical_text(highlighter: Highlighter) -> None:
    tagged = visual_spans(SENTENCE, highlighter.spans(SENTENCE), 200, "off")
    assert tagged[0][0] == (SAID, "verb")
    assert _pieces(tagged, "place") == [HAMA, ALEPPO]


def test_words_cut_by_a_narrow_width_leave_lines_plain(highlighter: Highlighter) -> None:
    tagged = visual_spans(SENTENCE, highlighter.spans(SENTENCE), 3, "on")
    assert all(kind is None for line in tagged for _, kind in line)
    assert ["".join(p for p, _ in line) for line in tagged] == list(
        display_lines(SENTENCE, 3, "on")
    )


def _demo_texts(profile: Profile) -> list[str]:
    from datetime import UTC, datetime
    from pathlib import Path

    from sitboard.ingest.parse import parse_feed
    from sitboard.ingest.places import PlaceMatcher

    import sitboard

    matcher = PlaceMatcher(profile)
    folder = Path(sitboard.__file__).parent / "data" / "demo"
    texts: list[str] = []
    for path in sorted(folder.rglob("*")):
        if path.suffix not in (".rss", ".atom", ".xml"):
            continue
        parsed = parse_feed(
            path.read_bytes(),
            {},
            feed=path.stem,
            url=path.as_uri(),
            fetched=datetime(2024, 12, 1, tzinfo=UTC),
            matcher=matcher,
        )
        texts.extend(t for it in parsed.items for t in (it.title, it.text) if t)
    return texts


def test_shipped_demo_feeds_mark_every_line_they_can(
    highlighter: Highlighter, syria_profile: Profile
) -> None:
    texts = _demo_texts(syria_profile)
    assert len(texts) > 100
    marked_texts = 0
    for text in texts:
        spans = highlighter.spans(text)
        for mode in ("on", "off"):
            tagged = visual_spans(text, spans, 70, mode)
            assert ["".join(p for p, _ in line) for line in tagged] == list(
                display_lines(text, 70, mode)
            )
            if spans:
                # each kind found in the text is drawn styled somewhere
                drawn = {k for line in tagged for _, k in line if k is not None}
                assert drawn == {s.kind for s in spans}, text
        marked_texts += bool(spans)
    assert marked_texts > 50
