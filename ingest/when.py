"""Dates and times in Arabic news: feed dates feedparser cannot read, and what time a sentence
is about relative to its item's publication (ARABIC.md section 7).

All matching runs on `normalize(text).casefold()`: Arabic-Indic digits are ASCII digits, alef
forms are plain alef, taa marbuta is heh. Results are timezone-aware UTC. Pure and thread-safe.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone

from .arabic import normalize

__all__ = ["TimeMark", "TimeRef", "parse_feed_date", "time_marks", "time_reference"]

# --- vocabulary (written naturally, normalised at import) ----------------------------------------


def _norm(text: str) -> str:
    return normalize(text).casefold()


_MONTH_NAMES: dict[int, tuple[str, ...]] = {
    1: ("يناير", "كانون الثاني", "كانون ثاني", "جانفي", "January", "Jan"),
    2: ("فبراير", "شباط", "فيفري", "February", "Feb"),
    3: ("مارس", "آذار", "March", "Mar"),
    4: ("أبريل", "إبريل", "ابريل", "نيسان", "أفريل", "April", "Apr"),
    5: ("مايو", "أيار", "ماي", "May"),
    6: ("يونيو", "يونيه", "حزيران", "جوان", "June", "Jun"),
    7: ("يوليو", "يوليه", "تموز", "جويلية", "يوليوز", "July", "Jul"),
    8: ("أغسطس", "آب", "أوت", "غشت", "August", "Aug"),
    9: ("سبتمبر", "أيلول", "شتنبر", "September", "Sept", "Sep"),
    10: ("أكتوبر", "تشرين الأول", "تشرين أول", "October", "Oct"),
    11: ("نوفمبر", "تشرين الثاني", "تشرين ثاني", "نونبر", "November", "Nov"),
    12: ("ديسمبر", "كانون الأول", "كانون أول", "دجنبر", "December", "Dec"),
}
_MONTHS: dict[str, int] = {
    re.sub(r"\s+", " ", _norm(name)): month
    for month, names in _MONTH_NAMES.items()
    for name in names
}
_MONTH_ALT = "|".join(
    re.escape(name).replace(r"\ ", r"\s+") for name in sorted(_MONTHS, key=len, reverse=True)
)

# Monday = 0, as datetime.weekday()
_WEEKDAY_NAMES: dict[int, tuple[str, ...]] = {
    0: ("الاثنين", "الإثنين", "Monday"),
    1: ("الثلاثاء", "Tuesday"),
    2: ("الأربعاء", "Wednesday"),
    3: ("الخميس", "Thursday"),
    4: ("الجمعة", "Friday"),
    5: ("السبت", "Saturday"),
    6: ("الأحد", "Sunday"),
}
_WEEKDAYS: dict[str, int] = {
    _norm(name): day for day, names in _WEEKDAY_NAMES.items() for name in names
}
_WEEKDAY_ALT = "|".join(re.escape(w) for w in sorted(_WEEKDAYS, key=len, reverse=True))

_B = r"(?<!\w)"  # start of a word (digits and Arabic letters are \w)
_E = r"(?!\w)"  # end of a word
_P = r"(?:[وف]?[بل]?)"  # clitic prefixes a time word may carry: وأمس، بالأمس


def _alt(*words: str) -> str:
    return "|".join(re.escape(_norm(w)).replace(r"\ ", r"\s+") for w in words)


# --- feed dates ---------------------------------------------------------------------------------

_ISO_DATE = re.compile(r"(?<!\d)(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)")
_DMY_DATE = re.compile(r"(?<!\d)(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})(?!\d)")
_NAMED_DMY = re.compile(
    rf"(?<!\d)(\d{{1,2}})(?:st|nd|rd|th)?\s*(?:من\s+)?(?:شهر\s+)?{_B}({_MONTH_ALT}){_E}"
    # a second name of the same month: 5 كانون الأول/ديسمبر 2024, 5 ديسمبر (كانون الأول)
    rf"(?:\s*[/(\-]\s*(?:{_MONTH_ALT})\s*\)?)?"
    r"(?:\s*(?:,\s*)?(?:عام\s+|سنه\s+)?(\d{4})(?!\d))?"
)
_UNITS_ORD = (
    "الأول",
    "الثاني",
    "الثالث",
    "الرابع",
    "الخامس",
    "السادس",
    "السابع",
    "الثامن",
    "التاسع",
)
_ORDINALS: dict[str, int] = {_norm(w): n for n, w in enumerate(_UNITS_ORD, 1)}
_ORDINALS[_norm("العاشر")] = 10
_ORDINALS[_norm("الحادي عشر")] = 11
for _n, _w in enumerate(_UNITS_ORD[1:], 2):
    _ORDINALS[_norm(f"{_w} عشر")] = 10 + _n
for _tens, _word in ((20, "العشرين"), (30, "الثلاثين")):
    _ORDINALS[_norm(_word)] = _tens
    for _n, _w in enumerate(("الحادي", *_UNITS_ORD[1:]), 1):
        if _tens + _n <= 31:
            _ORDINALS[_norm(f"{_w} و{_word}")] = _tens + _n
_ORDINAL_ALT = "|".join(
    re.escape(w).replace(r"\ ", r"\s*") for w in sorted(_ORDINALS, key=len, reverse=True)
)
# في الخامس من كانون الأول (2024)
_NAMED_ORD = re.compile(
    rf"{_B}({_ORDINAL_ALT}){_E}\s+(?:من\s+)?(?:شهر\s+)?({_MONTH_ALT}){_E}"
    rf"(?:\s*[/(\-]\s*(?:{_MONTH_ALT})\s*\)?)?"
    r"(?:\s*(?:,\s*)?(?:عام\s+|سنه\s+)?(\d{4})(?!\d))?"
)
_NAMED_MDY = re.compile(
    rf"{_B}({_MONTH_ALT}){_E}\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?(?!\d)(?:\s*(?:,\s*)?(\d{{4}})(?!\d))?"
)
_NAMED_MY = re.compile(
    rf"{_B}(?:شهر\s+)?({_MONTH_ALT}){_E}(?:\s*[/(\-]\s*(?:{_MONTH_ALT})\s*\)?)?"
    r"\s*(?:,\s*)?(?:من\s+)?(?:عام\s+|سنه\s+)?(\d{4})(?!\d)"
)
_TIME = re.compile(
    r"(?<!\d)(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?(?!\d)"
    rf"(?:\s*({_alt('ص', 'م', 'صباحا', 'صباحاً', 'مساء', 'مساءً', 'ظهرا', 'ليلا')}"
    rf"|am|pm|a\.m\.|p\.m\.){_E})?"
)
_TZ_OFFSET = re.compile(
    r"^\s*(?:(z)(?!\w)|(?:(?:utc|gmt)\s*)?([+-])\s*(\d{1,2})(?::?(\d{2}))?(?!\d)|(utc|gmt)(?!\w))"
)
_TZ_NAMED: dict[str, int] = {
    **dict.fromkeys((_norm(w) for w in ("غرينتش", "جرينتش", "غرينيتش", "غرينتيش")), 0),
    **dict.fromkeys((_norm(w) for w in ("مكة", "مكة المكرمة", "دمشق", "بغداد", "الدوحة")), 3),
    **dict.fromkeys((_norm(w) for w in ("أبوظبي", "أبو ظبي", "الإمارات", "دبي")), 4),
}
_TZ_NAMED_RE = re.compile(
    r"بتوقيت\s+(" + "|".join(re.escape(k) for k in sorted(_TZ_NAMED, key=len, reverse=True)) + ")"
)
_PM = frozenset(_norm(w) for w in ("م", "مساء", "مساءً", "ليلا", "pm", "p.m."))
_NOON = frozenset(_norm(w) for w in ("ظهرا",))
_AM = frozenset(_norm(w) for w in ("ص", "صباحا", "صباحاً", "am", "a.m."))


def _feed_day(s: str) -> tuple[int, int, int, int] | None:
    """(year, month, day, end offset) of the first full date in normalised text `s`."""
    found: list[tuple[int, tuple[int, int, int, int]]] = []
    if m := _ISO_DATE.search(s):
        found.append((m.start(), (int(m[1]), int(m[2]), int(m[3]), m.end())))
    if m := _DMY_DATE.search(s):
        first, second = int(m[1]), int(m[2])
        day, month = (first, second) if second <= 12 else (second, first)  # day first, else US
        found.append((m.start(), (int(m[3]), month, day, m.end())))
    for m in _NAMED_DMY.finditer(s):
        if m[3]:
            found.append((m.start(), (int(m[3]), _MONTHS[_month_key(m[2])], int(m[1]), m.end())))
            break
    for m in _NAMED_MDY.finditer(s):
        if m[3]:
            found.append((m.start(), (int(m[3]), _MONTHS[_month_key(m[1])], int(m[2]), m.end())))
            break
    if not found:
        return None
    return min(found)[1]


def _month_key(name: str) -> str:
    return re.sub(r"\s+", " ", name)


def parse_feed_date(text: str) -> datetime | None:
    """A feed date that feedparser could not read, as UTC; None when there is no full date.

    Reads Arabic month names of both families (and the Maghrebi ones), English month names,
    Arabic-Indic digits, weekday prefixes (ignored), numeric dates (YYYY-MM-DD, DD/MM/YYYY),
    a time with ص/م or am/pm, and a zone: Z, UTC, GMT, ±HH[:MM], GMT+3, بتوقيت غرينتش/مكة/دمشق.
    A date with no zone is taken as UTC. A year is required.
    """
    s = _norm(text)
    found = _feed_day(s)
    if found is None:
        return None
    year, month, day, end = found
    hour = minute = second = 0
    offset = timedelta(0)
    time_match = _TIME.search(s, end) or _TIME.search(s)
    if time_match:
        hour, minute = int(time_match[1]), int(time_match[2])
        second = int(time_match[3] or 0)
        if hour > 24 or minute > 59 or second > 60:
            hour = minute = second = 0  # not a time after all
        marker = time_match[4]
        if (marker in _PM and hour < 12) or (marker in _NOON and hour < 11):
            hour += 12
        elif marker in _AM and hour == 12:
            hour = 0
        rest = s[time_match.end() :]
        if tz := _TZ_OFFSET.match(rest):
            if tz[2]:
                sign = -1 if tz[2] == "-" else 1
                offset = sign * timedelta(hours=int(tz[3]), minutes=int(tz[4] or 0))
        elif named := _TZ_NAMED_RE.search(rest[:40]):
            offset = timedelta(hours=_TZ_NAMED[named[1]])
    try:
        if abs(offset) >= timedelta(hours=24):
            offset = timedelta(0)
        local = datetime(year, month, day, 0, 0, tzinfo=timezone(offset)) + timedelta(
            hours=hour, minutes=minute, seconds=min(second, 59)
        )
        return local.astimezone(UTC)
    except (ValueError, OverflowError):
        return None


# --- time reference of a sentence -----------------------------------------------------------------

Label = str  # "same" | "earlier" | "yesterday" | "weekday" | "dated" | "unknown"
LABELS: tuple[str, ...] = ("same", "earlier", "yesterday", "weekday", "dated", "unknown")

# "للمرة الأولى منذ 2016" dates the comparison, not the event: "the factions entered Aleppo for
# the first time since 2016" is news of today. ARABIC.md lists the phrase as a history marker;
# we read it as NOT historic by itself (the year after it is masked). Flip this to follow the
# guide literally.
FIRST_TIME_SINCE_IS_HISTORIC = False

EARLIER = timedelta(hours=3)  # "في وقت سابق": a bit before publication
MOMENTS = timedelta(minutes=10)  # "قبل قليل"
# Day words (اليوم، أمس، الخميس، 5 ديسمبر) count days on the calendar of the region the news is
# written in, not UTC's: at 22:00 UTC on a Wednesday it is already Thursday in Damascus, Amman,
# Riyadh or Baghdad. UTC+3 by default; time_reference takes another offset.
REGION_OFFSET = timedelta(hours=3)
FUTURE_SLACK = timedelta(days=1)

_FIRST_SINCE = re.compile(
    rf"{_B}(?:{_alt('للمرة الأولى', 'لأول مرة', 'لاول مرة', 'للمرة الاولى')}|first\s+time)\s+"
    rf"(?:{_alt('منذ', 'من')}|since)\s+"
    # منذ أن استعادت القوات الحكومية المدينة عام 2016: the whole clause is the comparison
    rf"(?:(?:{_alt('أن')}|that)\s+[^.،,;؛!?؟\n]*"
    rf"|[^.،,;؛!?؟\n]{{0,30}}?"
    rf"(?:\d{{4}}|{_alt('سنوات', 'سنة', 'سنتين', 'أعوام', 'عاما', 'عامين')}"
    rf"|{_alt('عقد', 'عقود', 'أشهر', 'شهور')}"
    rf"|{_alt('عام')}(?!\s*\d)|years?|decades?|months?){_E})"
)
# a weekday in apposition to اليوم / أمس: "اليوم (الخميس)", "أمس الأربعاء" is that same day
_APPOSITION = re.compile(
    rf"{_B}{_P}(?:{_alt('اليوم', 'أمس', 'الأمس', 'البارحة')})\s*(?:[(\[،,\-]\s*)?"
    rf"(?:{_alt('يوم')}\s+)?(?:{_WEEKDAY_ALT}){_E}\s*[)\]]?"
)
_DAY_BEFORE_YESTERDAY = re.compile(
    rf"{_B}{_P}(?:{_alt('أول أمس', 'أول من أمس', 'أمس الأول')}|day\s+before\s+yesterday){_E}"
)
_YESTERDAY = re.compile(
    rf"{_B}{_P}(?:{_alt('أمس', 'الأمس', 'البارحة', 'الليلة الماضية')}|yesterday|last\s+night){_E}"
)
_NOT_TODAY_AFTER = _alt(
    "التالي", "السابق", "الأول", "الثاني", "الثالث", "الرابع", "الخامس", "الأخير", "نفسه",
    "ذاته", "العالمي", "الوطني", "الموعود",
)  # fmt: skip
_TODAY = re.compile(
    rf"{_B}{_P}(?:{_alt('اليوم', 'الليلة', 'حاليا', 'حالياً', 'الآن')}){_E}"
    rf"(?!\s+(?:{_NOT_TODAY_AFTER}){_E})"
    rf"|{_B}(?:today|tonight|this\s+(?:morning|afternoon|evening)|now){_E}"
)
_MOMENTS_AGO = re.compile(
    rf"{_B}{_P}(?:{_alt('قبل قليل', 'منذ قليل', 'قبل لحظات', 'منذ لحظات')}"
    rf"|moments\s+ago|minutes\s+ago){_E}"
)
_EARLIER = re.compile(
    rf"{_B}{_P}(?:{_alt('في وقت سابق', 'بوقت سابق', 'وقت سابق', 'سابقا', 'سابقاً')}"
    rf"|{_alt('في السابق', 'في وقت مبكر')}"
    r"|earlier|previously)" + _E
)
_UNITS: dict[str, tuple[timedelta, float]] = {}
for _words, _delta, _count in (
    (("دقيقة", "دقائق"), timedelta(minutes=1), 1),
    (("دقيقتين",), timedelta(minutes=1), 2),
    (("ساعة", "ساعات"), timedelta(hours=1), 1),
    (("ساعتين",), timedelta(hours=1), 2),
    (("يوم", "أيام"), timedelta(days=1), 1),
    (("يومين",), timedelta(days=1), 2),
    (("أسبوع", "أسابيع"), timedelta(days=7), 1),
    (("أسبوعين",), timedelta(days=7), 2),
    (("شهر", "أشهر", "شهور"), timedelta(days=30), 1),
    (("شهرين",), timedelta(days=30), 2),
    (("سنة", "سنوات", "عام", "أعوام"), timedelta(days=365), 1),
    (("سنتين", "عامين"), timedelta(days=365), 2),
    (("عقد", "عقود"), timedelta(days=3650), 1),
    (("minute", "minutes"), timedelta(minutes=1), 1),
    (("hour", "hours"), timedelta(hours=1), 1),
    (("day", "days"), timedelta(days=1), 1),
    (("week", "weeks"), timedelta(days=7), 1),
    (("month", "months"), timedelta(days=30), 1),
    (("year", "years"), timedelta(days=365), 1),
    (("decade", "decades"), timedelta(days=3650), 1),
):
    for _w in _words:
        _UNITS[_norm(_w)] = (_delta, _count)
_PLURAL_DEFAULT = {
    _norm(w): n
    for w, n in (("ساعات", 3), ("أيام", 3), ("أسابيع", 3), ("أشهر", 3), ("شهور", 3), ("hours", 3))
}
_UNIT_ALT = "|".join(re.escape(u) for u in sorted(_UNITS, key=len, reverse=True))
_AGO = re.compile(
    rf"{_B}{_P}(?:{_alt('قبل', 'منذ')})\s+(?:{_alt('نحو', 'حوالي', 'قرابة', 'زهاء')}\s+)?"
    rf"(\d+\s*)?({_UNIT_ALT}){_E}(?!\s*\d)"
    rf"|{_B}(?:(\d+|an?|few|several|a\s+few)\s*)?({_UNIT_ALT})\s+ago{_E}"
)
_RECENT_SPAN = re.compile(
    rf"{_B}{_P}(?:{_alt('الساعات', 'الأيام', 'الأسبوع', 'الشهر', 'العام', 'السنة')})\s+"
    rf"(?:{_alt('القليلة')}\s+)?(?:{_alt('الماضية', 'الماضي', 'الأخيرة', 'الأخير')}"
    rf"|{_alt('الفائت', 'الفائتة', 'المنصرم', 'المنصرمة')}){_E}"
    rf"|{_B}(?:past|last)\s+(?:few\s+)?(hours|days|week|month|year){_E}"
)
_HISTORIC_PHRASES = _alt(
    "آنذاك", "حينذاك", "وقتذاك", "وقتها", "في ذلك الوقت", "في ذلك الحين", "قبل سنوات",
    "منذ سنوات", "قبل أعوام", "منذ أعوام", "قبل عقد", "منذ عقد", "قبل عقود", "منذ عقود",
)  # fmt: skip
_HISTORIC_WORDS = re.compile(
    rf"{_B}{_P}(?:{_HISTORIC_PHRASES})|at\s+the\s+time|back\s+then|years\s+ago" + _E
)
_YEAR_WORDS = _alt(
    "عام", "العام", "عامي", "سنة", "السنة", "منذ", "في", "خلال", "حتى", "بين", "مطلع", "أواخر",
    "أوائل", "منتصف", "نهاية", "بداية",
)  # fmt: skip
# "في 2000 غارة" counts raids: a number followed by the noun it counts is not a year
_COUNTED = _alt(
    "مقاتل", "قتيل", "شخص", "مدني", "عنصر", "جندي", "غارة", "صاروخ", "قذيفة", "نازح", "لاجئ",
    "منزل", "عائلة", "أسرة", "طن", "دولار", "ليرة", "يورو", "مسلح", "أسير", "معتقل", "سجين",
    "طائرة", "مسيرة", "دبابة", "آلية", "جريح", "مصاب", "ضحية", "طفل", "امرأة", "مواطن",
    "fighters", "people", "civilians", "troops", "soldiers", "strikes", "dead", "killed",
)  # fmt: skip
_YEAR_MARK = re.compile(
    rf"{_B}{_P}(?:{_YEAR_WORDS}|in|since|by|during|until)\s+(?:(?:عام|العام|سنه)\s+)?"
    rf"((?:19|20)\d\d)(?!\d)(?!\s*(?:{_COUNTED}){_E})"
    r"|(?<!\d)((?:19|20)\d\d)\s*م(?!\w)"
)
_WEEKDAY_RE = re.compile(
    rf"{_B}{_P}(?:{_alt('يوم')}\s+)?({_WEEKDAY_ALT}){_E}"
    rf"(\s+(?:{_alt('الماضي', 'الفائت', 'المنصرم')}|last){_E})?"
    rf"(?!\s+(?:{_alt('المقبل', 'القادم')}|next){_E})"
)
_LAST_WEEKDAY_EN = re.compile(rf"{_B}last\s+({_WEEKDAY_ALT}){_E}")


def _literal_words(*patterns: re.Pattern[str]) -> frozenset[str]:
    """Every literal word the time patterns can begin a match with (and more): a sentence
    with none of them, once clitics are peeled, and no digit has no time marker at all."""
    words: set[str] = set()
    for pattern in patterns:
        words.update(re.findall(r"[\u0621-\u064a]+|[a-z]+", pattern.pattern))
    return frozenset(words)


_TIME_WORDS = _literal_words(
    _FIRST_SINCE, _APPOSITION, _DAY_BEFORE_YESTERDAY, _YESTERDAY, _TODAY, _MOMENTS_AGO,
    _EARLIER, _AGO, _RECENT_SPAN, _HISTORIC_WORDS, _YEAR_MARK, _WEEKDAY_RE, _LAST_WEEKDAY_EN,
    _NAMED_DMY, _NAMED_ORD, _NAMED_MDY, _NAMED_MY,
)  # fmt: skip
# words for the literal-word test: letters and digits apart, so that the month of "5ديسمبر" and
# the unit of "3hours" are words of their own
_LETTERS_OR_DIGITS = re.compile(r"[^\W\d_]+|\d+")
# per pattern: the literal words one of which any match holds, and whether it may hold a digit
# instead; a pattern with neither in the sentence is not run
_PATTERN_WORDS: dict[re.Pattern[str], frozenset[str]] = {
    p: _literal_words(p)
    for p in (
        _FIRST_SINCE, _APPOSITION, _DAY_BEFORE_YESTERDAY, _YESTERDAY, _TODAY, _MOMENTS_AGO,
        _EARLIER, _AGO, _RECENT_SPAN, _HISTORIC_WORDS, _YEAR_MARK, _WEEKDAY_RE,
        _LAST_WEEKDAY_EN, _NAMED_DMY, _NAMED_ORD, _NAMED_MDY, _NAMED_MY, _ISO_DATE, _DMY_DATE,
    )
}  # fmt: skip
_DIGITS = re.compile(r"\d")
_DATE_PATTERNS = (_NAMED_DMY, _NAMED_MDY, _NAMED_MY, _NAMED_ORD, _ISO_DATE, _DMY_DATE)


# The patterns that can match with digits and none of their literal words (a bare 2016م, 5/12,
# 2024-12-05). Every other pattern's matches hold one of its words even where digits take part
# (5 ديسمبر, قبل 3 ساعات, للمرة الأولى منذ 2016), so a digit alone does not make them worth running.
_DIGIT_PATTERNS = frozenset((_YEAR_MARK, _ISO_DATE, _DMY_DATE))


class _Present:
    """Which time patterns can match a normalised sentence at all."""

    __slots__ = ("digit", "words")

    def __init__(self, s: str, words: set[str] | None = None) -> None:
        self.digit = _DIGITS.search(s) is not None
        self.words = _peeled_words(s) if words is None else words

    def may(self, pattern: re.Pattern[str]) -> bool:
        if self.digit and pattern in _DIGIT_PATTERNS:
            return True
        return not self.words.isdisjoint(_PATTERN_WORDS[pattern])


# Clitics a time word may carry: "", و, ف, ب, ل, and و/ف followed by ب/ل.
_CLITIC_1 = frozenset("وفبل")
_CLITIC_AND = frozenset("وف")
_CLITIC_PREP = frozenset("بل")


def _peeled_words(s: str) -> set[str]:
    """Every word of `s` with each clitic reading peeled off (وبالأمس: وبالأمس، بالأمس، الأمس)."""
    words: set[str] = set()
    add = words.add
    for word in _LETTERS_OR_DIGITS.findall(s):
        add(word)
        first = word[0]
        if first in _CLITIC_1:
            add(word[1:])
            if first in _CLITIC_AND and len(word) > 1 and word[1] in _CLITIC_PREP:
                add(word[2:])
    return words


def _may_mark(s: str) -> set[str] | None:
    """None only when normalised text `s` can hold no time marker (no digit, no time word);
    otherwise its peeled words, for _Present."""
    words = _peeled_words(s)
    if words.isdisjoint(_TIME_WORDS) and _DIGITS.search(s) is None:
        return None
    return words


@dataclass(frozen=True, slots=True)
class TimeRef:
    when: datetime | None  # UTC; None when the item's publication time is unknown
    label: str  # one of LABELS
    historic: bool  # background: the sentence speaks of an earlier period, not of now


def _mask(s: str, pattern: re.Pattern[str]) -> str:
    return pattern.sub(lambda m: " " * len(m.group()), s)


_MONTH_PREFIXES = (_norm("تشرين"), _norm("كانون"))


def _dated(
    s: str, today: date | None, present: _Present | None = None
) -> tuple[date | None, int | None, bool]:
    """The first calendar date in `s`: (date, explicit year, whether a day was named).
    Year-less dates take the published year, or the year before when that would be in the
    future; a month with a year only (آب 2019) is its first day."""
    present = present or _Present(s)
    if not any(present.may(p) for p in _DATE_PATTERNS):
        return None, None, False
    candidates: list[tuple[int, int, int, int | None, bool]] = []  # pos, month, day, year, day?
    # every match of a named pattern holds a month name: with none in `s`, it is not run even
    # though `s` has digits (most sentences with a number name no month)
    words = present.words
    if not words.isdisjoint(_PATTERN_WORDS[_NAMED_DMY]):
        for m in _NAMED_DMY.finditer(s):
            candidates.append((m.start(), _MONTHS[_month_key(m[2])], int(m[1]), _int(m[3]), True))
    if not words.isdisjoint(_PATTERN_WORDS[_NAMED_MDY]):
        for m in _NAMED_MDY.finditer(s):
            if m[1] == "may" and not m[3]:
                continue  # "may 5" is too often the verb
            candidates.append((m.start(), _MONTHS[_month_key(m[1])], int(m[2]), _int(m[3]), True))
    if not words.isdisjoint(_PATTERN_WORDS[_NAMED_MY]):
        for m in _NAMED_MY.finditer(s):
            candidates.append((m.start(), _MONTHS[_month_key(m[1])], 1, int(m[2]), False))
    if not words.isdisjoint(_PATTERN_WORDS[_NAMED_ORD]):
        for m in _NAMED_ORD.finditer(s):
            if s[max(0, m.start() - 12) : m.start()].rstrip().endswith(_MONTH_PREFIXES):
                continue  # the الثاني of تشرين الثاني is part of a month name
            day = _ORDINALS[re.sub(r"\s+", " ", m[1]).replace("و ", "و")]
            candidates.append((m.start(), _MONTHS[_month_key(m[2])], day, _int(m[3]), True))
    if present.digit:
        for m in _ISO_DATE.finditer(s):
            candidates.append((m.start(), int(m[2]), int(m[3]), int(m[1]), True))
        for m in _DMY_DATE.finditer(s):
            first, second = int(m[1]), int(m[2])
            day, month = (first, second) if second <= 12 else (second, first)  # 5/12/2024: 5 Dec
            candidates.append((m.start(), month, day, int(m[3]), True))
    for _pos, month, day, year, named_day in sorted(candidates, key=lambda c: c[0]):
        if year is None:
            if today is None:
                continue
            year = today.year
            try:
                guess = date(year, month, day)
            except ValueError:
                continue
            if guess - today > FUTURE_SLACK:
                year -= 1
            try:
                return date(year, month, day), None, named_day
            except ValueError:
                continue
        try:
            return date(year, month, day), year, named_day
        except ValueError:
            continue
    return None, None, False


def _int(value: str | None) -> int | None:
    return int(value) if value else None


_EARLIEST = datetime.min.replace(tzinfo=UTC)


def _minus(published: datetime, delta: timedelta) -> datetime:
    """published - delta, stopping at the first representable instant instead of overflowing."""
    try:
        return published - delta
    except OverflowError:
        return _EARLIEST


def _local_day(published: datetime, offset: timedelta) -> date:
    try:
        return (published + offset).date()
    except OverflowError:
        return published.date()


def _at_date(published: datetime, today: date, day: date) -> datetime:
    """`published` moved back from local day `today` to day `day` (time of day kept), never
    after `published`."""
    moved = _minus(published, timedelta(days=(today - day).days))
    return min(moved, published)


def _weekday_when(published: datetime, today: date, weekday: int, strictly: bool) -> datetime:
    delta = (today.weekday() - weekday) % 7
    if strictly and delta == 0:
        delta = 7
    return _minus(published, timedelta(days=delta))


def time_reference(
    sentence: str, published: datetime | None, *, region_offset: timedelta = REGION_OFFSET
) -> TimeRef:
    """What time `sentence` speaks of, relative to its item's `published` time.

    Labels and times (UTC; `when` is None when `published` is None):
      same       اليوم، الآن، قبل قليل (minus MOMENTS)              -> published
      earlier    في وقت سابق (minus EARLIER), قبل ساعات/أيام، الأسبوع الماضي -> before published
      yesterday  أمس، البارحة، الليلة الماضية                      -> published - 1 day
      weekday    الخميس، يوم الأحد الماضي                          -> latest such day on or before
      dated      5 ديسمبر، 5 كانون الأول 2024، في 27 نوفمبر، عام 2016 -> that day (time kept)
      unknown    nothing found                                       -> published
    Days are counted on the calendar of the news region (`region_offset`, UTC+3 by default):
    "الأربعاء" in an item published at 22:00 UTC on a Wednesday (Thursday 01:00 in Damascus)
    is the day before. `when` keeps the published time of day, moved back whole days.
    Precedence when several occur: a current calendar date > weekday > yesterday > earlier >
    same > a past-year date (عام 2016) > unknown. A weekday in apposition to اليوم/أمس
    ("اليوم (الخميس)") is part of that marker, not a separate one.

    historic=True when the sentence holds a history marker (عام/منذ/في + a year before the
    published year, قبل سنوات، آنذاك، العام الماضي ...) and no marker of the current days
    (same / yesterday / weekday / a current date): "سيطرت الفصائل اليوم على حلب التي استعادها
    النظام عام 2016" is news of today. See FIRST_TIME_SINCE_IS_HISTORIC for للمرة الأولى منذ.
    With no published time, a bare year marker (عام 2016، منذ آب 2019) counts as historic and
    a full date (5 ديسمبر 2024) does not.
    """
    s = _norm(sentence)
    words = _may_mark(s)
    if words is None:
        return TimeRef(published, "unknown", False)  # most sentences: no time word at all
    present = _Present(s, words)
    may = present.may
    historic_first_since = False
    if may(_FIRST_SINCE) and _FIRST_SINCE.search(s):
        historic_first_since = FIRST_TIME_SINCE_IS_HISTORIC
        s = _mask(s, _FIRST_SINCE)

    # history markers
    historic_marker = historic_first_since or bool(
        may(_HISTORIC_WORDS) and _HISTORIC_WORDS.search(s)
    )
    past_year: int | None = None
    for m in _YEAR_MARK.finditer(s) if may(_YEAR_MARK) else ():
        year = int(m[1] or m[2])
        if published is None or year < _local_day(published, region_offset).year:
            historic_marker = True
            past_year = year if past_year is None else past_year
    for m in _RECENT_SPAN.finditer(s) if may(_RECENT_SPAN) else ():
        word = m.group()
        if any(_norm(w) in word for w in ("العام", "السنة", "year")):
            historic_marker = True  # العام الماضي: last year

    # current markers, most specific first
    local = _local_day(published, region_offset) if published is not None else None
    day, explicit_year, named_day = _dated(s, local, present)
    has_date = day is not None
    if published is None:
        current_date = has_date and named_day  # a full date in an undated item is not history
    else:
        year_now = local.year if local else published.year
        current_date = has_date and (explicit_year is None or explicit_year >= year_now)
    if has_date and not current_date:
        historic_marker = True  # في 5 ديسمبر 2016
    appositions = list(_APPOSITION.finditer(s)) if may(_APPOSITION) else []
    apposition_yesterday = any(_YESTERDAY.match(s, a.start()) for a in appositions)
    apposition_today = any(not _YESTERDAY.match(s, a.start()) for a in appositions)
    rest = _mask(s, _APPOSITION) if appositions else s
    weekday_match = _WEEKDAY_RE.search(rest) if may(_WEEKDAY_RE) else None
    last_weekday = _LAST_WEEKDAY_EN.search(rest) if may(_LAST_WEEKDAY_EN) else None
    rest2 = _mask(rest, _DAY_BEFORE_YESTERDAY) if may(_DAY_BEFORE_YESTERDAY) else rest
    two_days = rest2 != rest
    yesterday = apposition_yesterday or bool(may(_YESTERDAY) and _YESTERDAY.search(rest2))
    moments = bool(may(_MOMENTS_AGO) and _MOMENTS_AGO.search(s))
    ago = _AGO.search(_mask(s, _MOMENTS_AGO) if moments else s) if may(_AGO) else None
    span = _RECENT_SPAN.search(s) if may(_RECENT_SPAN) else None
    earlier = bool(may(_EARLIER) and _EARLIER.search(s))
    today = apposition_today or bool(may(_TODAY) and _TODAY.search(rest))

    label = "unknown"
    when = published
    current = True
    if current_date and day is not None:
        label = "dated"
        when = _at_date(published, local, day) if published and local else None
    elif (weekday_match or last_weekday) and not has_date:
        label = "weekday"
        if published is not None:
            if weekday_match:
                weekday = _WEEKDAYS[weekday_match[1]]
                strictly = bool(weekday_match[2])
            else:
                assert last_weekday is not None
                weekday, strictly = _WEEKDAYS[last_weekday[1]], True
            when = _weekday_when(published, local or published.date(), weekday, strictly)
    elif yesterday:
        label = "yesterday"
        when = _minus(published, timedelta(days=1)) if published else None
    elif two_days or ago or span or earlier:
        label = "earlier"
        delta = EARLIER
        if two_days:
            delta = timedelta(days=2)
        elif ago:
            delta = _ago_delta(ago)
        elif span:
            delta = _span_delta(span.group())
        if delta >= timedelta(days=365):
            historic_marker = True  # قبل عامين، منذ سنوات
        when = _minus(published, delta) if published else None
        current = False
    elif today or moments:
        label = "same"
        when = _minus(published, MOMENTS) if (published and moments) else published
    elif has_date and day is not None:
        label = "dated"  # a past-year date only: عام 2016
        when = _at_date(published, local, day) if published and local else None
        current = False
    elif past_year is not None:
        label = "dated"
        when = _at_date(published, local, date(past_year, 1, 1)) if published and local else None
        current = False
    else:
        current = False
    if when is None or published is None:
        when = None
    historic = historic_marker and not (current and label != "unknown")
    return TimeRef(when, label, historic)


def _ago_delta(match: re.Match[str]) -> timedelta:
    number, unit = (match[1], match[2]) if match[2] else (match[3], match[4])
    delta, count = _UNITS[unit]
    if number and number.strip().isdigit():
        n = min(int(number), 10_000)  # "قبل 99999999 يوم" is noise, not a date
    elif number in ("few", "several", "a few") or (not number and unit in _PLURAL_DEFAULT):
        n = _PLURAL_DEFAULT.get(unit, 3)
    else:
        n = count
    return delta * n


def _span_delta(text: str) -> timedelta:
    for words, delta in (
        (("الساعات", "hours"), EARLIER),
        (("الايام", "days"), timedelta(days=1)),
        (("الاسبوع", "week"), timedelta(days=7)),
        (("الشهر", "month"), timedelta(days=30)),
        (("العام", "السنه", "year"), timedelta(days=365)),
    ):
        if any(w in text for w in words):
            return delta
    return EARLIER


# --- time marks: each time expression of a sentence, with its place ------------------------------


@dataclass(frozen=True, slots=True)
class TimeMark:
    start: int  # offsets into the sentence given to time_marks()
    end: int
    text: str  # sentence[start:end]
    ref: TimeRef  # what this expression alone says (time_reference of its text)


_MARK_PATTERNS: tuple[re.Pattern[str], ...] = (
    _NAMED_DMY,
    _NAMED_ORD,
    _NAMED_MDY,
    _NAMED_MY,
    _ISO_DATE,
    _DMY_DATE,
    _APPOSITION,
    _DAY_BEFORE_YESTERDAY,
    _YESTERDAY,
    _WEEKDAY_RE,
    _LAST_WEEKDAY_EN,
    _MOMENTS_AGO,
    _AGO,
    _RECENT_SPAN,
    _EARLIER,
    _TODAY,
    _HISTORIC_WORDS,
    _YEAR_MARK,
)


def _normalized_with_offsets(text: str) -> tuple[str, list[int]]:
    """normalize(text).casefold() and, for each of its characters, the index it came from
    (one extra entry: len(text))."""
    chars: list[str] = []
    origin: list[int] = []
    for index, ch in enumerate(text):
        folded = normalize(ch).casefold()
        chars.append(folded)
        origin.extend([index] * len(folded))
    origin.append(len(text))
    return "".join(chars), origin


def time_marks(
    sentence: str, published: datetime | None, *, region_offset: timedelta = REGION_OFFSET
) -> list[TimeMark]:
    """Every time expression in `sentence`, in text order, each with its own TimeRef.

    For sentences that hold more than one time ("سيطرت على حلب في 30 نوفمبر، ثم دخلت حماة في
    الخامس من كانون الأول"): pick the mark nearest the event. Overlapping expressions are merged
    ("أمس (الأربعاء)" is one mark); "للمرة الأولى منذ 2016" is not a mark.
    """
    s, origin = _normalized_with_offsets(sentence)
    s = _mask(s, _FIRST_SINCE)
    spans: list[tuple[int, int]] = []
    for pattern in _MARK_PATTERNS:
        for m in pattern.finditer(s):
            start, end = m.start(), m.end()
            while start < end and s[start].isspace():
                start += 1
            while end > start and s[end - 1].isspace():
                end -= 1
            if start < end:
                spans.append((start, end))
    spans.sort()
    merged: list[list[int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    marks: list[TimeMark] = []
    for start, end in merged:
        a, b = origin[start], origin[end - 1] + 1
        while b < len(sentence) and not sentence[b].isspace() and normalize(sentence[b]) == "":
            b += 1  # keep the word's trailing diacritics: اليومَ
        piece = sentence[a:b]
        ref = time_reference(piece, published, region_offset=region_offset)
        marks.append(TimeMark(a, b, piece, ref))
    return marks
