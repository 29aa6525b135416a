"""The Arabic text layer: normalisation rules (ARABIC.md section 1), tokens with offsets,
clitic stems (section 2) and sentence splitting, plus properties over arbitrary text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sitboard.ingest.arabic import (
    Sentence,
    Token,
    has_arabic,
    normalize,
    search_key,
    sentences,
    stems,
    tokenize,
)

# --- normalize: one case per row of the ARABIC.md table -----------------------------------------

NORMALIZE_CASES = [
    ("tashkeel", "حَمَاةُ", "حماه"),
    ("tanween", "درعاً", "درعا"),
    ("shadda and sukun", "حمّصْ", "حمص"),
    ("superscript alef U+0670", "هٰذا", "هذا"),
    ("quranic marks U+06D6-U+06ED", "قال\u06d6 الله\u06da", "قال الله"),
    ("tatweel", "حـمـاة", "حماه"),
    ("alef with hamza above", "أعلن", "اعلن"),
    ("alef with hamza below", "إدلب", "ادلب"),
    ("alef with madda", "آذار", "اذار"),
    ("alef wasla", "ٱلجيش", "الجيش"),
    ("alef maksura", "استولى", "استولي"),
    ("taa marbuta", "حماة", "حماه"),
    ("waw with hamza", "مسؤول", "مسوول"),
    ("yeh with hamza", "رئيس", "رييس"),
    ("persian kaf", "الحکومیة", "الحكوميه"),
    ("persian yeh", "سوریا", "سوريا"),
    ("heh doachashmee", "ھذا", "هذا"),
    ("arabic-indic digits", "٢٠٢٤", "2024"),
    ("eastern arabic-indic digits", "۴۰۰", "400"),
    ("arabic decimal separator", "٢٫٥", "2.5"),
    ("arabic percent sign", "٧٥٪", "75%"),
    ("zero-width joiner inside a word", "ح\u200dلب", "حلب"),
    ("zero-width non-joiner", "ح\u200cلب", "حلب"),
    ("zero-width space", "ح\u200bلب", "حلب"),
    ("right-to-left mark", "\u200fحلب\u200e", "حلب"),
    ("embedding and override", "\u202bحلب\u202c \u202eحماة\u202c", "حلب حماه"),
    ("isolates", "\u2067حلب\u2069", "حلب"),
    ("arabic letter mark", "حلب\u061c", "حلب"),
    ("bom", "\ufeffحلب", "حلب"),
    ("presentation forms", "ﺣﻠﺐ", "حلب"),
    ("lam-alef ligature", "ﻻ", "لا"),
    ("presentation alef with hamza", "\ufe83", "ا"),
    ("isolated harakat form", "ب\ufe70", "ب"),
    ("keeps guillemets", "«قواتنا»", "«قواتنا»"),
    ("keeps curly quotes", "“حماة”", "“حماه”"),
    ("keeps arabic comma semicolon question", "حلب، حماة؛ هل؟", "حلب، حماه؛ هل؟"),
    ("keeps latin case", "Hama", "Hama"),
]


@pytest.mark.parametrize(
    ("text", "expected"),
    [pytest.param(t, e, id=i) for i, t, e in NORMALIZE_CASES],
)
def test_normalize_rule(text: str, expected: str) -> None:
    assert normalize(text) == expected


def test_normalize_is_idempotent_on_the_table() -> None:
    for _, text, _ in NORMALIZE_CASES:
        once = normalize(text)
        assert normalize(once) == once


@pytest.mark.parametrize(
    ("a", "b"),
    [
        pytest.param("حماه", "حماة", id="taa-marbuta-vs-heh"),
        pytest.param("HAMA", "hama", id="latin-case"),
        pytest.param("  دير   الزور ", "دير الزور", id="collapsed-spaces"),
        pytest.param("إدلب", "ادلب", id="alef-forms"),
        pytest.param("دير\u00a0الزور", "دير الزور", id="no-break-space"),
    ],
)
def test_search_key_equates(a: str, b: str) -> None:
    assert search_key(a) == search_key(b)


def test_search_key_keeps_different_words_apart() -> None:
    assert search_key("حلبة") != search_key("حلب")


# --- has_arabic --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("حلب", True, id="arabic"),
        pytest.param("Breaking: Hama", False, id="latin"),
        pytest.param("٢٠٢٤", False, id="digits-only"),
        pytest.param("\u064e\u0651", False, id="marks-only"),
        pytest.param("ﺣﻠﺐ", True, id="presentation-forms"),
        pytest.param("Breaking: الفصائل", True, id="mixed"),
        pytest.param("", False, id="empty"),
    ],
)
def test_has_arabic(text: str, expected: bool) -> None:
    assert has_arabic(text) is expected


# --- tokenize ----------------------------------------------------------------------------------


def _texts(text: str) -> list[str]:
    return [t.text for t in tokenize(text)]


def test_tokenize_keeps_offsets_into_the_original() -> None:
    text = "أقر الجيش – قبل قليل- بخسارة مدينة حَمَاة، اليوم (الخميس)."
    tokens = tokenize(text)
    assert [t.text for t in tokens] == [
        "أقر", "الجيش", "قبل", "قليل", "بخسارة", "مدينة", "حَمَاة", "اليوم", "الخميس",
    ]  # fmt: skip
    for token in tokens:
        assert text[token.start : token.end] == token.text
        assert token.norm == normalize(token.text)


def test_tokenize_drops_punctuation_and_quotes() -> None:
    assert _texts("«قواتنا»: دخلت! (حماة)؟") == ["قواتنا", "دخلت", "حماة"]


def test_tokenize_keeps_invisible_marks_inside_a_word_only() -> None:
    (token,) = tokenize("\u200fح\u200cلب\u200e")
    assert token.text == "ح\u200cلب"
    assert token.norm == "حلب"


def test_tokenize_splits_on_change_of_script() -> None:
    assert _texts("2024م") == ["2024", "م"]
    assert _texts("بـHama") == ["بـ", "Hama"]
    assert _texts("لـRT") == ["لـ", "RT"]


def test_tokenize_keeps_numbers_with_inner_separators() -> None:
    assert _texts("2.5 مليون و1,000 و٢٫٥") == ["2.5", "مليون", "و", "1,000", "و", "٢٫٥"]


def test_tokenize_splits_latin_at_hyphen_and_apostrophe() -> None:
    assert _texts("Deir ez-Zor, Aleppo's") == ["Deir", "ez", "Zor", "Aleppo", "s"]


def test_tokenize_presentation_forms_get_base_norm() -> None:
    (token,) = tokenize("ﺣﻠﺐ")
    assert token.text == "ﺣﻠﺐ"
    assert token.norm == "حلب"


def test_tokenize_tashkeel_and_tatweel_stay_in_the_token() -> None:
    (token,) = tokenize("حـمَـاةَ")
    assert token.text == "حـمَـاةَ"
    assert token.norm == "حماه"


def test_token_is_frozen() -> None:
    token = Token("a", "a", 0, 1)
    with pytest.raises(AttributeError):
        token.text = "b"  # type: ignore[misc]


# --- stems -------------------------------------------------------------------------------------

STEM_CASES = [
    ("wa", "وادلب", "ادلب"),
    ("fa", "فحلب", "حلب"),
    ("bi", "بحماه", "حماه"),
    ("li", "لحلب", "حلب"),
    ("ka", "كالجيش", "الجيش"),
    ("article", "الفصائل", "فصائل"),
    ("wa+al", "والفصائل", "الفصائل"),
    ("bi+al", "بالسجن", "السجن"),
    ("wa+bi+al", "وبالسجن", "سجن"),
    ("fa+bi", "فبحلب", "حلب"),
    ("wa+li", "ولحلب", "حلب"),
    ("lil = li+al", "للجيش", "الجيش"),
    ("wa+lil", "وللجيش", "الجيش"),
    ("fa+al", "فالجيش", "الجيش"),
    ("ka+al", "كالعاده", "العاده"),
    ("lil keeps article noun", "للرقه", "الرقه"),
]


@pytest.mark.parametrize(
    ("token", "reading"),
    [pytest.param(t, r, id=i) for i, t, r in STEM_CASES],
)
def test_stems_peels_clitics(token: str, reading: str) -> None:
    readings = stems(token)
    assert readings[0] == token
    assert reading in readings


@pytest.mark.parametrize(
    ("token", "not_reading"),
    [
        pytest.param("وسط", "سط", id="wasat-not-wa"),
        pytest.param("فيها", "يها", id="fiha-not-fa"),
        pytest.param("كان", "ان", id="kana-not-ka"),
        pytest.param("بعد", "عد", id="baad-not-bi"),
        pytest.param("لكن", "كن", id="lakin-not-li"),
        pytest.param("الي", "ي", id="ila-not-article"),
        pytest.param("ولد", "لد", id="short-word"),
    ],
)
def test_stems_do_not_over_peel(token: str, not_reading: str) -> None:
    assert not_reading not in stems(token)


def test_stems_keep_min_three_letters() -> None:
    for token in ("وبال", "بالي", "للي", "وفي", "فلل", "والا"):
        assert all(len(r) >= 3 for r in stems(token)[1:]), token


def test_stems_of_latin_and_numbers_are_the_token() -> None:
    assert stems("hama") == ("hama",)
    assert stems("2024") == ("2024",)
    assert stems("") == ("",)


def test_stems_are_unique_and_ordered() -> None:
    readings = stems("وبالسجن")
    assert readings == ("وبالسجن", "بالسجن", "السجن", "سجن")
    assert len(set(readings)) == len(readings)


# --- sentences ---------------------------------------------------------------------------------


def _split(text: str) -> list[str]:
    return [s.text for s in sentences(text)]


SENTENCE_CASES = [
    ("full-stop", "دخلت الفصائل حلب. وقال الجيش إنه انسحب.", 2),
    ("arabic-question", "هل سقطت حلب؟ لا أحد يعلم", 2),
    ("latin-question", "Did Aleppo fall? Nobody knows", 2),
    ("exclamation", "عاجل! الفصائل في حماة", 2),
    ("arabic-semicolon", "دخلت حلب؛ وانسحب الجيش", 2),
    ("latin-semicolon", "دخلت حلب; وانسحب الجيش", 2),
    ("line-break", "العنوان\nالنص الأول", 2),
    ("crlf", "العنوان\r\nالنص الأول", 2),
    ("paragraph-separator", "أ ب\u2029ج د", 2),
    ("ellipsis-run", "انهيار لافت .. والفصائل تحرر المساجين", 2),
    ("unicode-ellipsis", "انهيار لافت… والفصائل تحرر المساجين", 2),
    ("urdu-full-stop", "پہلا جملہ۔ دوسرا جملہ", 2),
    ("decimal-point", "نزح 2.5 مليون شخص من المدينة", 1),
    ("arabic-decimal", "نزح ٢.٥ مليون شخص", 1),
    ("domain-name", "ذكر موقع aljazeera.net أن الفصائل دخلت", 1),
    ("arabic-abbreviation", "قال د. أحمد إن المدينة سقطت", 1),
    ("latin-initial", "said J. Smith of the agency", 1),
    ("latin-title", "Mr. Smith said so", 1),
    ("year-suffix-is-not-abbreviation", "سقطت عام 2012 م. ثم عادت", 2),
    ("comma-does-not-split", "دخلت حلب، وانسحب الجيش", 1),
    ("colon-does-not-split", "وقال الجيش: انسحبنا", 1),
    ("no-space-after-stop", "دخلت حلب.وانسحب الجيش", 2),
    ("list-marker", "1. دخلت الفصائل حلب\n2. انسحب الجيش", 2),
    ("number-ends-sentence", "قتل في المعارك 12. وقال المرصد", 2),
]


@pytest.mark.parametrize(
    ("text", "count"),
    [pytest.param(t, c, id=i) for i, t, c in SENTENCE_CASES],
)
def test_sentence_split_rule(text: str, count: int) -> None:
    assert len(sentences(text)) == count, _split(text)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(
            "وقال القيادي على تلغرام: «قواتنا دخلت سجن حماة. وحررنا مئات الأسرى». ثم غادر.",
            id="guillemets",
        ),
        pytest.param(
            "وقال القيادي: “قواتنا دخلت سجن حماة. وحررنا مئات الأسرى”. ثم غادر.",
            id="curly-quotes",
        ),
        pytest.param(
            'وقال القيادي: "قواتنا دخلت سجن حماة. وحررنا مئات الأسرى". ثم غادر.',
            id="straight-quotes",
        ),
        pytest.param(
            "وقال القيادي: »قواتنا دخلت سجن حماة. وحررنا مئات الأسرى«. ثم غادر.",
            id="reversed-guillemets",
        ),
        pytest.param(
            "وقال القيادي: «قواتنا دخلت سجن حماة؟ نعم! وحررنا الأسرى». ثم غادر.",
            id="question-inside-quote",
        ),
    ],
)
def test_quote_is_kept_whole_with_its_speaker(text: str) -> None:
    parts = _split(text)
    assert len(parts) == 2, parts
    assert parts[0].startswith("وقال القيادي")
    assert "وحررنا" in parts[0]
    assert parts[1] == "ثم غادر."


def test_closing_quote_after_stop_stays_with_sentence() -> None:
    parts = _split("قال: «دخلنا المدينة.» ثم غادر.")
    assert parts == ["قال: «دخلنا المدينة.»", "ثم غادر."]


def test_quote_with_own_stop_keeps_a_speaker_named_after_it() -> None:
    parts = _split("«دخلنا المدينة.» قال القيادي عبر تلغرام. ثم غادر")
    assert parts == ["«دخلنا المدينة.» قال القيادي عبر تلغرام.", "ثم غادر"]


def test_unclosed_quote_does_not_swallow_the_line() -> None:
    parts = _split("وقال الجيش في بيان: «على مدى الأيام الماضية. خاضت قواتنا معارك")
    assert len(parts) == 2


def test_quote_never_spans_a_line_break() -> None:
    parts = _split("قال: «دخلنا المدينة.\nوحررنا الأسرى». ثم غادر")
    assert len(parts) >= 2
    assert all("\n" not in p for p in parts)


def test_overlong_quote_is_a_stray_mark() -> None:
    body = "كلمة. " * 300
    parts = _split(f"«{body}»")
    assert len(parts) > 100


def test_sentences_offsets_and_trimming() -> None:
    text = "  \u200fالعنوان الأول  \n\n  دخلت الفصائل حماة.  وقال الجيش.  "
    result = sentences(text)
    assert [s.text for s in result] == ["العنوان الأول", "دخلت الفصائل حماة.", "وقال الجيش."]
    for s in result:
        assert text[s.start : s.end] == s.text


def test_sentences_drop_pieces_without_words() -> None:
    assert _split("... !!! ؟؟ \n - \n «» .") == []
    assert sentences("") == []


def test_seed_article_sentences(seed_text: str) -> None:
    parts = sentences(seed_text)
    texts = [p.text for p in parts]
    assert texts[0].startswith("الجيش السوري يقر بخسارة مدينة حماة")
    assert texts[1].startswith("والفصائل المسلحة تحرر")  # the headline's ".." splits it
    quote = next(t for t in texts if "قواتنا دخلت سجن حماة المركزي" in t)
    assert quote.startswith("وقال القيادي حسن عبد الغني")
    assert any(t.startswith("وأشار الى أن الوحدات") for t in texts)
    assert len(parts) == 16


@pytest.fixture(scope="module")
def seed_text() -> str:
    from pathlib import Path

    path = Path("/work/shared/seed/hama-2024-12-05.txt")
    if not path.exists():
        pytest.skip("seed article not available")
    return path.read_text(encoding="utf-8")


def test_sentence_is_frozen() -> None:
    s = Sentence("a", 0, 1)
    with pytest.raises(AttributeError):
        s.start = 2  # type: ignore[misc]


# --- properties over arbitrary text -------------------------------------------------------------

ARABIC_ALPHABET = (
    "ابتثجحخدذرزسشصضطظعغفقكلمنهوي" "أإآٱىةؤئء" "ًٌٍَُِّْـ" "٠١٢٣٤٥٦٧٨٩۰۱" "کیھ" "ﺣﻠﺐﻻ"
    "\u200b\u200c\u200d\u200e\u200f\u202b\u202e\u2067\u2069\u061c\ufeff"
    "«»“”\"،؛؟.!?;:-–\n\r\t "
)  # fmt: skip
mixed_text = st.text(
    alphabet=st.one_of(
        st.sampled_from(ARABIC_ALPHABET),
        st.characters(codec="utf-8"),
        st.sampled_from("Hama Aleppo 2.5 km U.S. "),
    ),
    max_size=300,
)


@settings(max_examples=150, deadline=None)
@given(mixed_text)
def test_normalize_properties(text: str) -> None:
    out = normalize(text)
    assert normalize(out) == out
    for ch in "\u064e\u0651\u0640\u0623\u0625\u0622\u0671\u0649\u0629\u200f\u202e\u06cc":
        assert ch not in out
    assert not any("\u0660" <= ch <= "\u0669" for ch in out)
    key = search_key(text)
    assert key == key.strip()
    assert "  " not in key


@settings(max_examples=150, deadline=None)
@given(mixed_text)
def test_tokenize_properties(text: str) -> None:
    tokens = tokenize(text)
    last_end = 0
    for token in tokens:
        assert 0 <= last_end <= token.start < token.end <= len(text)
        assert text[token.start : token.end] == token.text
        assert token.norm == normalize(token.text).replace(" ", "")
        last_end = token.end
        assert stems(token.norm)[0] == token.norm


@settings(max_examples=150, deadline=None)
@given(mixed_text)
def test_sentences_properties(text: str) -> None:
    result = sentences(text)
    last_end = 0
    for s in result:
        assert last_end <= s.start < s.end <= len(text)
        assert text[s.start : s.end] == s.text
        assert s.text == s.text.strip()
        assert any(ch.isalnum() for ch in s.text)
        last_end = s.end


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=st.sampled_from("وفبلكال" + "حمص"), min_size=1, max_size=12))
def test_stems_properties(word: str) -> None:
    readings = stems(word)
    assert readings[0] == word
    assert len(set(readings)) == len(readings)
    for reading in readings[1:]:
        assert len(reading) >= 3
        assert len(reading) <= len(word)


def test_very_long_input_is_linear_enough() -> None:
    text = ("دخلت الفصائل المسلحة مدينة حماة. «قواتنا في حلب» وقال د. أحمد 2.5 " * 3000) + "«"
    assert len(sentences(text)) >= 3000
    assert len(tokenize(text)) > 30000
    assert len(normalize(text)) > 0


def test_many_unclosed_quotes_stay_linear() -> None:
    text = "«" * 50000 + " نص. " + "« a . " * 5000
    assert len(sentences(text)) >= 5000


def test_tokenize_gives_a_new_list_each_time() -> None:
    first = tokenize("دخلت الفصائل حلب")
    first.clear()
    assert [t.text for t in tokenize("دخلت الفصائل حلب")] == ["دخلت", "الفصائل", "حلب"]
