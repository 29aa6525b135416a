"""Feed dates and sentence time references (ARABIC.md section 7), plus properties."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sitboard.ingest.when import (
    LABELS,
    MOMENTS,
    TimeRef,
    parse_feed_date,
    time_marks,
    time_reference,
)

# Thursday 5 December 2024, 12:00 UTC (15:00 in Damascus): the seed article's day.
PUB = datetime(2024, 12, 5, 12, 0, tzinfo=UTC)


def _day(y: int, m: int, d: int) -> datetime:
    return datetime(y, m, d, 12, 0, tzinfo=UTC)


# --- parse_feed_date -----------------------------------------------------------------------------

FEED_DATES = [
    ("egyptian-month", "05 ديسمبر 2024 14:30", datetime(2024, 12, 5, 14, 30, tzinfo=UTC)),
    ("weekday-prefix", "الخميس، 05 ديسمبر 2024 - 14:30", datetime(2024, 12, 5, 14, 30, tzinfo=UTC)),
    ("levantine-month", "5 كانون الأول 2024", datetime(2024, 12, 5, tzinfo=UTC)),
    ("levantine-no-article", "5 كانون أول 2024", datetime(2024, 12, 5, tzinfo=UTC)),
    ("tishreen-thani", "27 تشرين الثاني 2024", datetime(2024, 11, 27, tzinfo=UTC)),
    ("both-families", "5 كانون الأول/ديسمبر 2024", datetime(2024, 12, 5, tzinfo=UTC)),
    ("maghrebi-month", "5 جوان 2024", datetime(2024, 6, 5, tzinfo=UTC)),
    ("arabic-indic-digits", "٠٥ ديسمبر ٢٠٢٤ ١٤:٣٠", datetime(2024, 12, 5, 14, 30, tzinfo=UTC)),
    ("eastern-digits", "۵ دسامبر ۲۰۲۴", None),  # Persian month names are not Arabic ones
    ("pm-marker", "5 ديسمبر 2024 02:30 م", datetime(2024, 12, 5, 14, 30, tzinfo=UTC)),
    ("am-marker-noon", "5 ديسمبر 2024 12:10 ص", datetime(2024, 12, 5, 0, 10, tzinfo=UTC)),
    ("offset", "Thu, 05 Dec 2024 14:30:00 +0300", datetime(2024, 12, 5, 11, 30, tzinfo=UTC)),
    ("offset-colon", "2024-12-05T14:30:00+03:00", datetime(2024, 12, 5, 11, 30, tzinfo=UTC)),
    ("gmt-plus", "05 Dec 2024 14:30 GMT+3", datetime(2024, 12, 5, 11, 30, tzinfo=UTC)),
    ("z", "2024-12-05T14:30:00Z", datetime(2024, 12, 5, 14, 30, tzinfo=UTC)),
    ("damascus-time", "5 ديسمبر 2024 14:30 بتوقيت دمشق", datetime(2024, 12, 5, 11, 30, tzinfo=UTC)),
    ("greenwich", "5 ديسمبر 2024 14:30 بتوقيت غرينتش", datetime(2024, 12, 5, 14, 30, tzinfo=UTC)),
    ("day-first-numeric", "05/12/2024 09:15", datetime(2024, 12, 5, 9, 15, tzinfo=UTC)),
    ("us-numeric", "12/25/2024", datetime(2024, 12, 25, tzinfo=UTC)),
    ("english-mdy", "December 5, 2024 2:30 PM", datetime(2024, 12, 5, 14, 30, tzinfo=UTC)),
    ("no-year", "5 ديسمبر", None),
    ("impossible-date", "31 فبراير 2024", None),
    ("garbage", "غير معروف", None),
    ("empty", "", None),
    ("bad-time-keeps-date", "5 Dec 2024 99:99", datetime(2024, 12, 5, tzinfo=UTC)),
    ("year-overflow", "31 Dec 9999 23:59 -0300", None),
]


@pytest.mark.parametrize(
    ("text", "expected"),
    [pytest.param(t, e, id=i) for i, t, e in FEED_DATES],
)
def test_parse_feed_date(text: str, expected: datetime | None) -> None:
    result = parse_feed_date(text)
    assert result == expected
    if result is not None:
        assert result.tzinfo is UTC


# --- time_reference: one case per marker ---------------------------------------------------------

TIME_CASES: list[tuple[str, str, str, datetime | None, bool]] = [
    ("today", "أعلنت الفصائل اليوم دخول حماة", "same", PUB, False),
    ("today-weekday-in-parens", "بخسارة مدينة حماة اليوم (الخميس)", "same", PUB, False),
    ("today-weekday-no-parens", "أعلنت مساء اليوم الخميس", "same", PUB, False),
    ("morning-today", "صباح اليوم", "same", PUB, False),
    ("moments-ago", "أقر الجيش في بيان – قبل قليل- بخسارة", "same", PUB - MOMENTS, False),
    ("moments-ago-mundhu", "منذ قليل", "same", PUB - MOMENTS, False),
    ("yesterday", "أفادت الوكالة أمس بأن", "yesterday", PUB - timedelta(days=1), False),
    ("yesterday-with-weekday", "أمس (الأربعاء)", "yesterday", PUB - timedelta(days=1), False),
    ("yesterday-bil-ams", "بالأمس", "yesterday", PUB - timedelta(days=1), False),
    ("yesterday-barha", "البارحة", "yesterday", PUB - timedelta(days=1), False),
    ("yesterday-evening", "مساء أمس", "yesterday", PUB - timedelta(days=1), False),
    ("day-before-yesterday", "أول أمس", "earlier", PUB - timedelta(days=2), False),
    ("earlier", "نفى في وقت سابق", "earlier", PUB - timedelta(hours=3), False),
    ("earlier-today", "أعلنت في وقت سابق اليوم", "earlier", PUB - timedelta(hours=3), False),
    ("earlier-bi-waqt", "في بيان بوقت سابق", "earlier", PUB - timedelta(hours=3), False),
    ("earlier-sabiqan", "كما أعلنت سابقاً", "earlier", PUB - timedelta(hours=3), False),
    ("hours-ago", "قبل ساعات", "earlier", PUB - timedelta(hours=3), False),
    ("n-hours-ago", "قبل 5 ساعات", "earlier", PUB - timedelta(hours=5), False),
    ("two-days-ago", "قبل يومين", "earlier", PUB - timedelta(days=2), False),
    ("days-ago", "قبل أيام", "earlier", PUB - timedelta(days=3), False),
    ("last-week", "الأسبوع الماضي", "earlier", PUB - timedelta(days=7), False),
    ("weekday-sunday", "يوم الأحد", "weekday", _day(2024, 12, 1), False),
    ("weekday-wednesday", "الأربعاء", "weekday", _day(2024, 12, 4), False),
    ("weekday-same-day", "الخميس", "weekday", PUB, False),
    ("weekday-last-thursday", "الخميس الماضي", "weekday", _day(2024, 11, 28), False),
    ("weekday-night-friday", "ليل الجمعة", "weekday", _day(2024, 11, 29), False),
    ("weekday-monday-wa", "والاثنين", "weekday", _day(2024, 12, 2), False),
    ("dated-egyptian", "في 27 نوفمبر", "dated", _day(2024, 11, 27), False),
    ("dated-levantine-year", "5 كانون الأول 2024", "dated", PUB, False),
    ("dated-indic", "في ٣٠ تشرين الثاني", "dated", _day(2024, 11, 30), False),
    ("dated-both-families", "في ٢٧ تشرين الثاني/نوفمبر ٢٠٢٤", "dated", _day(2024, 11, 27), False),
    ("dated-ordinal", "في الخامس من كانون الأول", "dated", PUB, False),
    ("dated-numeric-day-first", "في 27/11/2024", "dated", _day(2024, 11, 27), False),
    ("dated-numeric-iso", "بتاريخ 2024-11-27", "dated", _day(2024, 11, 27), False),
    ("dated-ordinal-compound", "الحادي والعشرين من نوفمبر", "dated", _day(2024, 11, 21), False),
    ("dated-future-rolls-back", "في 20 ديسمبر", "dated", _day(2023, 12, 20), False),
    ("dated-past-year", "في 5 ديسمبر 2016", "dated", _day(2016, 12, 5), True),
    ("history-am", "استعادها النظام عام 2016", "dated", _day(2016, 1, 1), True),
    ("history-mundhu", "تحت سيطرة النظام منذ 2012", "dated", _day(2012, 1, 1), True),
    ("history-fi", "سقطت في 2016", "dated", _day(2016, 1, 1), True),
    ("history-mundhu-month", "منذ آب 2019", "dated", _day(2019, 8, 1), True),
    ("history-years-ago", "قبل سنوات", "earlier", PUB - timedelta(days=365), True),
    ("history-anadhak", "وكان الجيش آنذاك يسيطر", "unknown", PUB, True),
    ("history-last-year", "العام الماضي", "earlier", PUB - timedelta(days=365), True),
    ("unknown", "وقال الجيش إن قواته تتمركز", "unknown", PUB, False),
    ("english-yesterday", "the army said yesterday", "yesterday", PUB - timedelta(days=1), False),
    ("english-weekday", "on Monday", "weekday", _day(2024, 12, 2), False),
    # digits written against the word: the word must still be found
    ("earlier-attached-unit", "دخلت القوات قبل 3ساعات", "earlier", PUB - timedelta(hours=3), False),
    ("history-attached-m", "استعادها النظام 2016م", "dated", _day(2016, 1, 1), True),
    (
        "english-attached-ago",
        "the town fell 3hours ago",
        "earlier",
        PUB - timedelta(hours=3),
        False,
    ),
    # a number with no time word around it is not a time marker
    ("number-alone", "نزوح 4800 عائلة خلال الهجوم على 12 موقعاً", "unknown", PUB, False),
]


@pytest.mark.parametrize(
    ("sentence", "label", "when", "historic"),
    [pytest.param(s, lab, w, h, id=i) for i, s, lab, w, h in TIME_CASES],
)
def test_time_reference(sentence: str, label: str, when: datetime, historic: bool) -> None:
    ref = time_reference(sentence, PUB)
    assert (ref.label, ref.when, ref.historic) == (label, when, historic)


@pytest.mark.parametrize(
    "sentence",
    [
        pytest.param("الخميس المقبل", id="next-thursday"),
        pytest.param("اليوم التالي", id="the-next-day"),
        pytest.param("اليوم العالمي لحقوق الإنسان", id="world-day"),
        pytest.param("في 2000 غارة", id="not-a-year-marker-when-current"),
        pytest.param("قتل في 2000 غارة", id="counted-noun-is-not-a-year"),
    ],
)
def test_not_a_current_day_marker(sentence: str) -> None:
    ref = time_reference(sentence, PUB)
    assert ref.label not in ("same", "weekday")


# --- precedence ----------------------------------------------------------------------------------


def test_counted_number_is_not_history() -> None:
    assert time_reference("شنت الطائرات في 1950 غارة على المدينة", PUB).historic is False
    assert time_reference("سقطت في 1950 بيد الجيش", PUB).historic is True


def test_current_marker_overrides_history_year() -> None:
    ref = time_reference("سيطرت الفصائل اليوم على حلب التي استعادها النظام عام 2016", PUB)
    assert (ref.label, ref.historic) == ("same", False)


def test_first_time_since_is_news_of_today() -> None:
    for sentence in (
        "الفصائل المسلحة تعلن دخول مدينة حلب للمرة الأولى منذ 2016",
        "المدينة باتت خارج سيطرة الحكومة «للمرة الأولى منذ عام 2011»",
        "دخلوا أحياء حلب، للمرة الأولى منذ أن استعادت القوات الحكومية المدينة عام 2016.",
    ):
        ref = time_reference(sentence, PUB)
        assert ref.historic is False, sentence
        assert ref.label != "dated", sentence


def test_calendar_date_beats_relative_words() -> None:
    ref = time_reference("أعلنت أمس أنها دخلت المدينة في 27 نوفمبر", PUB)
    assert (ref.label, ref.when) == ("dated", _day(2024, 11, 27))


def test_weekday_beats_yesterday_and_earlier() -> None:
    ref = time_reference("في وقت سابق يوم الثلاثاء", PUB)
    assert (ref.label, ref.when) == ("weekday", _day(2024, 12, 3))


def test_yesterday_beats_earlier() -> None:
    ref = time_reference("في وقت سابق أمس", PUB)
    assert ref.label == "yesterday"


def test_earlier_beats_today() -> None:
    assert time_reference("في وقت سابق اليوم", PUB).label == "earlier"


def test_weekday_of_a_past_dated_day_is_not_current() -> None:
    ref = time_reference("يوم الخميس 5 ديسمبر 2016", PUB)
    assert (ref.label, ref.historic) == ("dated", True)


def test_late_utc_evening_counts_the_next_day_as_today() -> None:
    late = datetime(2024, 12, 4, 22, 0, tzinfo=UTC)  # Wednesday 22:00 UTC = Thursday in Damascus
    ref = time_reference("اليوم (الخميس)", late)
    assert (ref.label, ref.when) == ("same", late)
    assert time_reference("الخميس", late).when == late
    assert time_reference("5 ديسمبر", late).when == late
    assert time_reference("الأربعاء", late).when == late - timedelta(days=1)


def test_region_offset_sets_the_local_calendar() -> None:
    late = datetime(2024, 12, 4, 22, 0, tzinfo=UTC)
    assert time_reference("الأربعاء", late, region_offset=timedelta(0)).when == late
    assert time_reference("الخميس", late, region_offset=timedelta(0)).when == late - timedelta(
        days=6
    )


# --- unknown publication time --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "label", "historic"),
    [
        pytest.param("اليوم", "same", False, id="today"),
        pytest.param("أمس", "yesterday", False, id="yesterday"),
        pytest.param("الخميس", "weekday", False, id="weekday"),
        pytest.param("في وقت سابق", "earlier", False, id="earlier"),
        pytest.param("في 5 ديسمبر 2024", "dated", False, id="dated-with-year"),
        pytest.param("في 27 نوفمبر", "unknown", False, id="dated-without-year"),
        pytest.param("عام 2016", "dated", True, id="history-year"),
    ],
)
def test_unknown_published_gives_no_time(sentence: str, label: str, historic: bool) -> None:
    ref = time_reference(sentence, None)
    assert ref == TimeRef(None, label, historic)


# --- properties ----------------------------------------------------------------------------------

TIME_WORDS = [
    "اليوم", "أمس", "(الخميس)", "الأربعاء", "قبل", "قليل", "في", "وقت", "سابق", "عام",
    "2016", "٢٠٢٤", "منذ", "للمرة", "الأولى", "5", "ديسمبر", "كانون", "الأول", "تشرين",
    "الثاني", "الخامس", "من", "آنذاك", "ساعات", "أيام", "الماضي", "31", "فبراير", "9999",
    "Dec", "+0300", "14:30", "م", "ص", "GMT", "يومين", "،", ".",
]  # fmt: skip
time_text = st.one_of(
    st.lists(st.sampled_from(TIME_WORDS), max_size=30).map(" ".join),
    st.text(max_size=200),
)
published = st.one_of(
    st.none(),
    st.datetimes(
        min_value=datetime(1, 1, 1),
        max_value=datetime(9999, 12, 31, 23, 59),
        timezones=st.just(UTC),
    ),
)


@settings(max_examples=300, deadline=None)
@given(time_text, published)
def test_time_reference_properties(sentence: str, pub: datetime | None) -> None:
    ref = time_reference(sentence, pub)
    assert ref.label in LABELS
    if pub is None:
        assert ref.when is None
    else:
        assert ref.when is not None
        assert ref.when <= pub
        assert ref.when.tzinfo is not None


@settings(max_examples=200, deadline=None)
@given(time_text)
def test_parse_feed_date_properties(text: str) -> None:
    result = parse_feed_date(text)
    if result is not None:
        assert result.utcoffset() == timedelta(0)


def test_long_sentence_is_handled() -> None:
    sentence = "قالت الفصائل اليوم إنها دخلت حماة عام 2016 في وقت سابق. " * 2000
    ref = time_reference(sentence, PUB)
    assert ref.label in LABELS
    assert parse_feed_date(sentence + " 5 ديسمبر 2024") is not None


@pytest.mark.parametrize(
    "head",
    [
        pytest.param("", id="blanks"),
        pytest.param("5", id="number"),
        pytest.param("ديسمبر", id="month"),
        pytest.param("اليوم", id="today"),
        pytest.param("قبل", id="ago"),
    ],
)
def test_long_blank_runs_stay_linear(head: str) -> None:
    # a regex with two adjacent optional blank runs is quadratic here (minutes, not ms)
    text = head + " " * 20000 + "x"
    assert time_reference(text, PUB).label in LABELS
    assert parse_feed_date("5 Dec 2024 10:00" + " " * 20000 + "x") is not None


@pytest.mark.parametrize(
    "pub",
    [
        pytest.param(datetime(1, 1, 1, tzinfo=UTC), id="first-instant"),
        pytest.param(datetime(9999, 12, 31, 23, 59, tzinfo=UTC), id="last-day"),
    ],
)
@pytest.mark.parametrize(
    "sentence",
    [
        "أمس",
        "قبل 99999999999 يوم",
        "الخميس الماضي",
        "5 ديسمبر",
        "31 ديسمبر",
        "قبل قليل",
        "عام 2016",
    ],
)
def test_extreme_publication_times_do_not_overflow(pub: datetime, sentence: str) -> None:
    ref = time_reference(sentence, pub)
    assert ref.when is not None and ref.when <= pub


# --- time_marks ----------------------------------------------------------------------------------


def test_time_marks_give_each_date_its_place() -> None:
    sentence = (
        "وسيطرت الفصائل على مدينة حلب في ٣٠ نوفمبر، ثم دخلت مدينة حماة في الخامس من كانون الأول"
    )
    marks = time_marks(sentence, PUB)
    assert [m.text for m in marks] == ["٣٠ نوفمبر", "الخامس من كانون الأول"]
    assert [m.ref.when for m in marks] == [_day(2024, 11, 30), PUB]
    for m in marks:
        assert sentence[m.start : m.end] == m.text


def test_time_marks_merge_apposition_and_skip_first_time_since() -> None:
    marks = time_marks(
        "أفادت الوكالة، أمس (الأربعاء)، بأن الجيش دخل حلب للمرة الأولى منذ 2016", PUB
    )
    assert [(m.text, m.ref.label) for m in marks] == [("أمس (الأربعاء)", "yesterday")]


def test_time_marks_keep_diacritics_and_history() -> None:
    sentence = "حَمَاةَ اليومَ وقبل قليلٍ عامَ ٢٠١٦"
    marks = time_marks(sentence, PUB)
    assert [m.text for m in marks] == ["اليومَ", "وقبل قليلٍ", "عامَ ٢٠١٦"]
    assert [m.ref.historic for m in marks] == [False, False, True]


def test_time_marks_none() -> None:
    assert time_marks("وقال الجيش إن قواته تتمركز", PUB) == []


@settings(max_examples=150, deadline=None)
@given(time_text, published)
def test_time_marks_properties(sentence: str, pub: datetime | None) -> None:
    last_end = 0
    for m in time_marks(sentence, pub):
        assert last_end <= m.start < m.end <= len(sentence)
        assert sentence[m.start : m.end] == m.text
        assert m.ref.label in LABELS
        last_end = m.end
