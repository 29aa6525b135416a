"""Place mentions in Arabic (and Latin-script) news text, with the scope of each mention.

`PlaceMatcher.find` matches a profile's place aliases as whole tokens after clitic peeling
(بحماة، لحلب، وإدلب، بدير الزور), rejects the false friends of ARABIC.md section 2, and says
whether the text speaks of the city itself or of its countryside, governorate, edges, a
direction away from it, its outside, or only part of it (ARABIC.md section 3). Words that refer
back to a city without naming it (المدينة، فيها، خارجها، ريفها ...) become `ref=True` mentions of
the last city named before them (`referent()` carries that city from sentence to sentence; a
town the profile does not know, "مدينة الباب", takes the reference and yields none).
Words inside URLs and e-mail addresses are ignored. Latin aliases match whole words,
case- and accent-insensitively.

Matching runs on normalised tokens (see arabic.py); offsets and surfaces are the original text.
A mention's surface is its whole first-to-last token, clitic prefixes included (بحماة).
"""

from __future__ import annotations

import re
import sys
import unicodedata
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from .arabic import Token, normalize, stems, tokenize
from .profile import Profile

Scope = Literal["city", "countryside", "governorate", "edge", "towards", "outside", "partial"]
SCOPES: tuple[str, ...] = (
    "city",
    "countryside",
    "governorate",
    "edge",
    "towards",
    "outside",
    "partial",
)


@dataclass(frozen=True, slots=True)
class PlaceMention:
    place: str  # place id
    scope: Scope
    start: int  # character offsets into the text given to find()
    end: int
    surface: str  # text[start:end], as written
    ref: bool = False  # a back-reference with no name (المدينة، فيها ...), resolved to `place`


def _keys(words: str) -> frozenset[str]:
    return frozenset(normalize(w).casefold() for w in words.split())


# --- scope vocabulary (normalised; a word is recognised in any of its clitic readings) ---------

# Nouns naming the settlement itself, skipped before looking for a qualifier: مدينة حماة.
_HEADS = _keys("مدينة مدينتي مدن بلدة بلدتي مساحة city town cities")
# Direction adjectives between a qualifier and ل + name: الريف الشمالي لحماة، الأطراف الشرقية لحلب.
# Also road adjectives: الطريق الدولي حلب - دمشق.
_DIRECTION_ADJECTIVES = _keys(
    "الشمالي الجنوبي الشرقي الغربي الشمالية الجنوبية الشرقية الغربية الكبرى"
    " الدولي الدولية السريع الرئيسي الرئيسية القديم القديمة"
)
_QUALIFIERS: dict[str, Scope] = {
    **dict.fromkeys(_keys("ريف أرياف ريفي الريف countryside"), "countryside"),
    **dict.fromkeys(_keys("محافظة محافظتي محافظات ولاية province governorate"), "governorate"),
    **dict.fromkeys(
        _keys(
            "أطراف طرف محيط محيطة المحيطة مداخل مدخل مشارف تخوم ضواحي ضاحية"
            " أبواب بوابات بوابة حدود أسوار طوق تطويق حصار محاصرة تحاصر يحاصر حاصرت"
            " outskirts outskirt edge edges gates suburbs periphery"
        ),
        "edge",
    ),
    # a village named like a city (قرية الرقة في ريف حماة) is not that city
    **dict.fromkeys(_keys("خارج outside قرية قريتي قرى village"), "outside"),
    **dict.fromkeys(
        _keys(
            "باتجاه اتجاه تجاه نحو صوب قرب بالقرب قريبة قريب مقربة طريق طرق أوتوستراد"
            " towards toward near"
        ),
        "towards",
    ),
    **dict.fromkeys(
        _keys("نصف أجزاء جزء معظم غالبية أغلب ثلث ثلثي ربع parts part half most"), "partial"
    ),
    **dict.fromkeys(
        _keys(
            "داخل وسط قلب أحياء حي حيي حيين شوارع سجن مطار قلعة جامعة مركز ساحة"
            " inside centre center"
        ),
        "city",
    ),
}
# A compass direction right before a name (شمال حماة، جنوب مدينة حلب) points away from it,
# unless the direction itself sits inside the city (أحياء شرق حلب).
_DIRECTIONS = _keys("شمال جنوب شرق غرب شمالي جنوبي شرقي غربي")
# English compass words only with "of" (north of Aleppo); "eastern Aleppo" is part of the city.
_DIRECTIONS_LATIN = _keys(
    "north south east west northeast northwest southeast southwest north-east north-west"
)
# Nearness after the fact: قريبة من حلب، تقترب من حمص، على مقربة من حماة.
_NEAR = _keys(
    "قرب بالقرب قريبة قريب قريبا مقربة تقترب اقتربت يقترب اقترب اقتراب الاقتراب مقتربة"
    " تقتربان يقتربون اقتربوا near close closer approaching"
)
# Before أحياء / مناطق these make the mention partial: بعض أحياء حلب، 75% من أحياء حلب.
_SOME = _keys("بعض معظم غالبية أغلب عدد عدة عشرات some most several")
_NEIGHBOURHOODS = _keys("أحياء مناطق حي neighbourhoods neighborhoods districts")
_PREPOSITIONS_OF = _keys("من عن of from")
_IN = normalize("في")
_TO = _keys("إلى to")
# before إلى: الطريق المؤدي إلى حماة، في طريقها إلى حمص، رتل متجه إلى دمشق
_LEADING = _keys(
    "طريق الطريق المؤدي المؤدية الواصل الموصل المتجه المتجهة متجه متجهة متجهين طريقها طريقهم"
    " طريقنا طريقه تتجه يتجه اتجهت توجهت تتوجه يتوجه توجه heading road way"
)
_BETWEEN = normalize("بين")
_ROAD_BETWEEN = _LEADING | _keys("الرابط الرابطة الواصلة يربط تربط الطرق أوتوستراد الأوتوستراد")
# words naming a part of the city; what stands before them still counts: محيط مطار حماة
_PARTS = _keys("مطار سجن قلعة جامعة مركز ساحة أحياء حي شوارع وسط قلب")
_INSIDE = _keys("داخل وسط")
_AWAY = _keys("بعيدا بعيدة بعيد away")
_BAAD = normalize("بعد")
_ALA = normalize("على")
_ONE_NEIGHBOURHOOD = _keys("حي حيي حيين")
_DISTANCE_UNITS = _keys(
    "كيلومتر كيلومترا كيلومترات كيلومترًا كم كلم ميل أميال متر أمتار مترا مسافة"
    " km kilometres kilometers miles"
)
_PERCENT_WORDS = _keys("بالمئة بالمائة المئة المائة percent")
_SKIP_LATIN = _keys("the of a")
_AFTER_LATIN: dict[str, Scope] = {
    **dict.fromkeys(_keys("countryside"), "countryside"),
    **dict.fromkeys(_keys("province governorate"), "governorate"),
    **dict.fromkeys(_keys("outskirts suburbs"), "edge"),
}

_CITY_LIKE_SCOPES = frozenset(("city", "partial", "edge", "outside"))
_AWAY_SCOPES = frozenset(("towards", "countryside"))
# مدينة/بلدة + a name the profile lacks makes that town the antecedent of a later المدينة ...
_SETTLEMENT_HEADS = _keys("مدينة مدينتي بلدة بلدتي")
# ... unless the next word is not a name: مدينة سورية، مدينة كبيرة، مدينة في الشمال
_NOT_NAMES = _keys(
    "في من على إلى الى عن مع بين قرب داخل خارج التي الذي كانت كان هي هو سورية سوريه كبيرة"
    " صغيرة استراتيجية رئيسية ساحلية حدودية أثرية تاريخية مهمة كبرى أخرى جديدة كاملة بأكملها"
    " بالكامل واحدة ثانية ثالثة رابع رابعة أكبر"
)

# Back-references with no name. المدينة takes its scope from the words before it, like a name.
_CITY_REF = normalize("المدينة")
_NOT_CITY_REF_AFTER = _keys("المنورة الصناعية الرياضية الجامعية الطبية الإعلامية")
_PRONOUN_REFS: dict[str, Scope] = {
    **dict.fromkeys(
        _keys(
            "فيها داخلها منها إليها اليها عليها وسطها أحيائها أحياءها شوارعها قلبها مطارها"
            " سجنها قلعتها سكانها مدينتنا بمدينتنا لمدينتنا ومدينتنا"
        ),
        "city",
    ),
    **dict.fromkeys(_keys("خارجها"), "outside"),
    **dict.fromkeys(_keys("ريفها أريافها"), "countryside"),
    **dict.fromkeys(_keys("محيطها أطرافها مداخلها مدخلها مشارفها تخومها ضواحيها أبوابها"), "edge"),
}
# Pronoun refs that are "from it": the words before may make them partial or towards.
_REF_OF = _keys("منها عنها")

# False friends that survive normalisation, as language facts about the word (not the place):
# حماة is also "protectors of" (حماة الديار), درعا is also "a shield" (درعاً بشرياً), حمص is
# also chickpeas (صحن حمص), and حماه is also "protected him" (حماه الله).
_NOT_FOLLOWED_BY: dict[str, frozenset[str]] = {
    normalize("حماة"): _keys(
        "الديار الوطن الثورة الحمى الدستور العقيدة الأرض الحق الدين الإسلام الشعب الأمن الله"
        " البيئة المستهلك الطبيعة الحرية"
    ),
    normalize("درعا"): _keys("بشريا بشرياً واقيا حصينا صاروخيا واقياً"),
    normalize("حمص"): _keys("بطحينة بالطحينة مطحون مسلوق"),
}
# العاصمة is Damascus in this profile, but not "العاصمة اللبنانية" or "العاصمة بيروت": a
# following nisba adjective (ال...ية) other than these, or a foreign capital, cancels it.
_CAPITAL = normalize("العاصمة")
_NOT_FOLLOWED_BY[_CAPITAL] = _keys(
    "بيروت موسكو طهران أنقرة عمان بغداد القاهرة الرياض الدوحة واشنطن باريس لندن كييف برلين بكين"
    " أبوظبي الكويت المنامة مسقط صنعاء الخرطوم طرابلس تونس الجزائر الرباط القدس"
)
_NISBA_ALLOWED: dict[str, frozenset[str]] = {_CAPITAL: _keys("السورية")}
# بما فيها / بما فيه = "including": not a back-reference
_NOT_REF_AFTER: dict[str, frozenset[str]] = {normalize("فيها"): _keys("بما")}
_NOT_PRECEDED_BY: dict[str, frozenset[str]] = {
    normalize("حماة"): _keys("يا أيها"),
    normalize("حمص"): _keys("صحن طبق حبوب حبات"),
}
# A landmark named after a city is not the city: دوار تدمر (in Homs), شارع حلب، كراج درعا.
_LANDMARKS = _keys("دوار شارع كراج كراجات جادة فندق roundabout street")
# A verb particle cannot stand before a place name: لم تدمر / قد تدمر is "destroy", not Palmyra.
_VERB_PARTICLES = _keys("قد لم لن سوف كي لكي")
# Names that are also verbs (تدمر "destroys"): after a definite noun or a pronoun, or before a
# usual object, the word is the verb: الغارات تدمر المنازل، التي تدمر، إسرائيل تدمر الأسطول.
_VERB_HOMOGRAPHS = frozenset((normalize("تدمر"),))
_SUBJECT_PRONOUNS = _keys("هي هو هم هن أنها أنه إنها إنه")
_NOT_FOLLOWED_BY[normalize("تدمر")] = _keys(
    "المنازل منازل البيوت البنية المباني مباني مواقع المواقع مخازن مستودعات الأسلحة أسلحة"
    " القدرات قدرات الدفاعات دفاعات الطائرات السفن الأسطول مقرات المقرات كل ما آليات الآليات"
)

_SHADDA = "\u0651"
_TANWEEN = frozenset("\u064b\u064c\u064d")
_ARTICLE = "ال"
SHADDA_CHECK_MAX = 4  # letters: only short names, where a doubled letter makes another word

# Characters allowed between the words of one name, or between a qualifier and a name.
_JOINERS = frozenset(
    " \t\u00a0\u202f\u2009\u200a\u0640-\u2010\u2011\u2012\u2013\u2014'\u2019"
    "\u200b\u200c\u200d\u200e\u200f\u2066\u2067\u2068\u2069\u061c\ufeff"
)
_LOOKBACK_EXTRA = frozenset("%\u066a")  # 75% من أحياء حلب
LOOKBACK = 5  # tokens: how far back a qualifier may sit


def _shadda_positions(word: str) -> frozenset[int]:
    """Letters of `word` carrying a shadda, counted from the end of its normalised form."""
    marked: list[int] = []
    count = 0
    for ch in word:
        if ch == _SHADDA:
            if count:
                marked.append(count - 1)
        else:
            count += len(normalize(ch))
    return frozenset(count - 1 - p for p in marked)


@lru_cache(maxsize=65536)
def _readings(norm: str) -> tuple[str, tuple[str, ...]]:
    """A normalised token's matching key and its clitic readings (words repeat: cached)."""
    key = _key(norm)
    return key, stems(key)


def _key(norm: str) -> str:
    """The matching key of a normalised token: Latin loses case and accents (İdlib, Ḥamā)."""
    if norm.isascii():
        return norm.lower()
    if _is_arabic_key(norm):
        return norm
    folded = unicodedata.normalize("NFKD", norm)
    return "".join(ch for ch in folded if not unicodedata.combining(ch)).casefold()


def _is_arabic_key(key: str) -> bool:
    return bool(key) and "\u0600" <= key[0] <= "\u06ff"


@dataclass(frozen=True, slots=True)
class _Alias:
    place: str
    keys: tuple[str, ...]  # normalised, casefolded tokens
    shadda: tuple[frozenset[int], ...]  # per token: shadda positions some spelling writes


@dataclass(frozen=True, slots=True)
class _Match:
    alias: _Alias
    length: int  # tokens
    reading: str  # the clitic reading of the first token that matched


class PlaceMatcher:
    """Finds profile places in text. Build once per profile; `find` is pure and thread-safe."""

    def __init__(self, profile: Profile) -> None:
        self.profile = profile
        merged: dict[tuple[str, ...], tuple[str, list[set[int]]]] = {}
        for place in profile.places.values():
            for alias in dict.fromkeys((*place.aliases, place.ar, place.en)):
                tokens = tokenize(alias)
                if not tokens:
                    continue
                keys = tuple(_key(t.norm) for t in tokens)
                shadda = [set(_shadda_positions(t.text)) for t in tokens]
                if keys in merged and merged[keys][0] == place.id:
                    for acc, pos in zip(merged[keys][1], shadda, strict=True):
                        acc |= pos
                elif keys not in merged:
                    merged[keys] = (place.id, shadda)
        index: dict[str, list[_Alias]] = {}
        for keys, (pid, shadda) in merged.items():
            alias = _Alias(pid, keys, tuple(frozenset(s) for s in shadda))
            index.setdefault(keys[0], []).append(alias)
        # longest alias first, so دير الزور wins over a bare دير if both were listed
        self._index: dict[str, tuple[_Alias, ...]] = {
            k: tuple(sorted(v, key=lambda a: -len(a.keys))) for k, v in index.items()
        }
        self._citylike = frozenset(p.id for p in profile.places.values() if p.kind != "region")
        # every reading that can start a mention, a back-reference or an unknown town: a token
        # with none of them is skipped at the cost of one set test
        self._starts = frozenset(
            (*self._index, *_SETTLEMENT_HEADS, _CITY_REF, *_PRONOUN_REFS, *_REF_OF)
        )

    def may_mention(self, tokens: Sequence[Token]) -> bool:
        """False when no token of `tokens` (from arabic.tokenize) can start a place name or a
        back-reference: `find` on their text would return nothing."""
        starts = self._starts
        return any(not starts.isdisjoint(_readings(t.norm)[1]) for t in tokens)

    # --- public API ---------------------------------------------------------------------------

    def find(
        self, text: str, last_city: str | None = None, tokens: Sequence[Token] | None = None
    ) -> list[PlaceMention]:
        """Place mentions in `text`, in text order.

        A back-reference resolves to the last place named before it that `text` speaks of as a
        city (scope city/partial/edge/outside, or named with مدينة/بلدة), else to `last_city`
        (e.g. `referent()` of the previous sentence; ids not in the profile are ignored), else
        to the last place named at all (ريف حماة ... المدينة). "باتجاه حمص" right before
        "المدينة" does not capture the reference from an earlier "مدينة تدمر".
        `tokens`, when given, must be `arabic.tokenize(text)` (saves tokenising it again).
        """
        return self._scan(text, last_city, tokens)[0]

    def referent(
        self, text: str, last_city: str | None = None, tokens: Sequence[Token] | None = None
    ) -> str | None:
        """The place a back-reference right after `text` would resolve to (see `find`).

        Feed it sentence by sentence: `last = matcher.referent(sentence, last)`.
        """
        return self._scan(text, last_city, tokens)[1]

    def _scan(
        self, text: str, last_city: str | None, given: Sequence[Token] | None = None
    ) -> tuple[list[PlaceMention], str | None]:
        all_tokens = list(given) if given is not None else tokenize(text)
        # words inside a URL or an e-mail address (https://example.com/aleppo) name nothing
        hidden = [m.span() for m in _URL.finditer(text)] if _URL_HINT.search(text) else []
        tokens = [t for t in all_tokens if not _inside(t.start, hidden)] if hidden else all_tokens
        pairs = [_readings(t.norm) for t in tokens]
        keys = [k for k, _ in pairs]
        readings = [r for _, r in pairs]
        starts = self._starts
        fallback = last_city if last_city in self._citylike else None
        out: list[PlaceMention] = []
        strong: str | None = None  # last place spoken of as a city
        weak: str | None = None  # last place named at all
        # last place named as a city only on the way to it (باتجاه مدينة حماة): in this sentence
        # it is a nearer antecedent than one carried from earlier sentences
        named: str | None = None
        prev_end = -1  # token index just past the previous named mention
        prev_scope: Scope = "city"
        prev_qualified = False
        i = 0
        n = len(tokens)
        while i < n:
            if starts.isdisjoint(readings[i]):
                i += 1  # nothing can start here: no name, no back-reference, no town head
                continue
            match = self._match_at(text, tokens, keys, readings, i)
            if match is not None:
                end = i + match.length
                scope, qualified = self._scope(text, tokens, keys, readings, i, end)
                if (
                    not qualified
                    and prev_qualified
                    and prev_scope != "city"
                    and self._coordinated(text, tokens, keys, prev_end, i)
                ):
                    scope, qualified = prev_scope, True  # ريف حلب وإدلب، طريق حلب - دمشق
                start, stop = tokens[i].start, tokens[end - 1].end
                out.append(PlaceMention(match.alias.place, scope, start, stop, text[start:stop]))
                place = match.alias.place
                if place in self._citylike and scope == "city" and _goal(keys, readings, i):
                    # «هدفنا الوصول إلى حمص»: a city named only as a goal is no antecedent; a
                    # later المدينة is the city spoken of before it
                    prev_end, prev_scope, prev_qualified = end, scope, qualified
                    i = end
                    continue
                if place in self._citylike:
                    weak = place
                    headed = i > 0 and _joined(text, tokens[i - 1], tokens[i])
                    headed = headed and _has(readings[i - 1], _HEADS) is not None
                    # باتجاه مدينة حمص، ريف مدينة حماة: "مدينة" there does not make it the city
                    # a later المدينة speaks of
                    if scope in _CITY_LIKE_SCOPES or (headed and scope not in _AWAY_SCOPES):
                        strong = place
                    elif headed:
                        named = place
                prev_end, prev_scope, prev_qualified = end, scope, qualified
                i = end
                continue
            if self._unknown_settlement(text, tokens, keys, readings, i):
                strong = _UNKNOWN  # مدينة الباب: a later المدينة is that town, not a profile city
            referent = _pick(strong, named or fallback, weak)
            if prev_end >= 0 and prev_scope == "governorate" and _CITY_REF not in readings[i]:
                # مساحات من محافظة دير الزور … طرد داعش منها: a pronoun right after a
                # governorate stands for it, not for a city of an earlier sentence
                referent = None
            if referent is not None:
                scope = self._ref_scope(text, tokens, keys, readings, i)
                if scope is not None:
                    tok = tokens[i]
                    out.append(PlaceMention(referent, scope, tok.start, tok.end, tok.text, True))
            i += 1
        return out, _pick(strong, named or fallback, weak)

    def places(self, text: str) -> tuple[str, ...]:
        """Ids of the places named (any scope, back-references excluded), first mention first."""
        # names only: no scopes and no back-references to work out
        tokens = tokenize(text)
        if _URL_HINT.search(text):
            hidden = [m.span() for m in _URL.finditer(text)]
            tokens = [t for t in tokens if not _inside(t.start, hidden)]
        pairs = [_readings(t.norm) for t in tokens]
        keys = [k for k, _ in pairs]
        readings = [r for _, r in pairs]
        index = self._index
        found: dict[str, None] = {}
        i = 0
        while i < len(tokens):
            if index.keys().isdisjoint(readings[i]):
                i += 1
                continue
            match = self._match_at(text, tokens, keys, readings, i)
            if match is None:
                i += 1
                continue
            found[match.alias.place] = None
            i += match.length
        return tuple(found)

    # --- matching -----------------------------------------------------------------------------

    def _match_at(
        self,
        text: str,
        tokens: list[Token],
        keys: list[str],
        readings: list[tuple[str, ...]],
        i: int,
    ) -> _Match | None:
        options = readings[i]
        best: _Match | None = None
        for reading in options:
            # a name never takes the article it does not have: الحمص is chickpeas, not Homs
            if _ARTICLE + reading in options:
                continue
            for alias in self._index.get(reading, ()):
                length = len(alias.keys)
                if best is not None and best.length >= length:
                    continue
                if not self._fits(text, tokens, keys, i, alias, reading):
                    continue
                best = _Match(alias, length, reading)
        return best

    def _fits(
        self, text: str, tokens: list[Token], keys: list[str], i: int, alias: _Alias, reading: str
    ) -> bool:
        length = len(alias.keys)
        if i + length > len(tokens):
            return False
        for k in range(1, length):
            if keys[i + k] != alias.keys[k] or not _joined(text, tokens[i + k - 1], tokens[i + k]):
                return False
        arabic = _is_arabic_key(reading)
        if arabic:
            for k in range(length):
                word = tokens[i + k].text
                if _TANWEEN.intersection(word):
                    return False  # درعاً (a shield) is not درعا; city names take no tanween
                key = reading if k == 0 else alias.keys[k]
                if not self._shadda_ok(word, key, alias.shadda[k]):
                    return False
        name = alias.keys[0] if length == 1 else None
        if name is not None:
            after = keys[i + 1] if i + 1 < len(keys) else None
            if after is not None and _joined(text, tokens[i], tokens[i + 1]):
                if after in _NOT_FOLLOWED_BY.get(name, ()):
                    return False
                allowed = _NISBA_ALLOWED.get(name)
                if allowed is not None and _is_nisba(after) and after not in allowed:
                    return False
        if i > 0 and _joined(text, tokens[i - 1], tokens[i]):
            before = keys[i - 1]
            if (
                before in _NOT_PRECEDED_BY.get(alias.keys[0], ())
                or before in _LANDMARKS
                or (before[:1] in ("و", "ف", "ب", "ل") and before[1:] in _LANDMARKS)
                or (arabic and before in _VERB_PARTICLES)
            ):
                return False
            if alias.keys[0] in _VERB_HOMOGRAPHS and (
                before in _SUBJECT_PRONOUNS
                or (before.startswith(_ARTICLE) and not _is_frame(keys[i - 1]))
            ):
                return False
        return True

    @staticmethod
    def _shadda_ok(word: str, key: str, allowed: frozenset[int]) -> bool:
        """A shadda doubles a letter: حمّص (chickpeas) is not حمص unless a spelling has it."""
        if len(key) > SHADDA_CHECK_MAX or _SHADDA not in word:
            return True
        found = _shadda_positions(word)
        if key.startswith(_ARTICLE):
            found = found - {len(key) - 3}  # الزّور: the sun letter after ال is always doubled
        return found <= allowed

    # --- scope --------------------------------------------------------------------------------

    def _scope(
        self,
        text: str,
        tokens: list[Token],
        keys: list[str],
        readings: list[tuple[str, ...]],
        i: int,
        end: int,
    ) -> tuple[Scope, bool]:
        """The mention's scope and whether a qualifier (not the bare-name default) set it."""
        scope = _scope_before(text, tokens, keys, readings, i)
        if scope is not None:
            return scope, True
        if end < len(tokens) and _joined(text, tokens[end - 1], tokens[end]):
            after = _AFTER_LATIN.get(keys[end])
            if after is None and keys[end] == "s" and end + 1 < len(tokens):
                after = _AFTER_LATIN.get(keys[end + 1])  # Aleppo's outskirts
            if after is not None:
                return after, True
        return "city", False

    def _ref_scope(
        self,
        text: str,
        tokens: list[Token],
        keys: list[str],
        readings: list[tuple[str, ...]],
        i: int,
    ) -> Scope | None:
        options = readings[i]
        if _CITY_REF in options and _ARTICLE + _CITY_REF not in options:
            nxt = keys[i + 1] if i + 1 < len(keys) else None
            if nxt in _NOT_CITY_REF_AFTER and _joined(text, tokens[i], tokens[i + 1]):
                return None
            return _scope_before(text, tokens, keys, readings, i) or "city"
        for reading in options:
            if i > 0 and keys[i - 1] in _NOT_REF_AFTER.get(reading, ()):
                return None
            if reading in _REF_OF:
                # أجزاء منها، على بعد 10 كيلومترات منها; a bare عنها is too common to mean a city
                found = _lookback_of(text, tokens, keys, readings, i)
                if found is not None:
                    return found
                return _PRONOUN_REFS.get(reading)
            scope = _PRONOUN_REFS.get(reading)
            if scope is not None:
                return scope
        return None

    def _unknown_settlement(
        self,
        text: str,
        tokens: list[Token],
        keys: list[str],
        readings: list[tuple[str, ...]],
        i: int,
    ) -> bool:
        """True at مدينة/بلدة followed by a name the profile does not know (مدينة الرستن)."""
        head = _has(readings[i], _SETTLEMENT_HEADS) if i + 1 < len(tokens) else None
        if head is None or _ARTICLE + head in readings[i]:
            return False  # المدينة is a back-reference, not a head
        nxt = keys[i + 1]
        if not _is_arabic_key(nxt) or not _joined(text, tokens[i], tokens[i + 1]):
            return False
        if nxt in _NOT_NAMES or _is_frame(nxt) or _is_nisba(nxt):
            return False
        options = readings[i + 1]
        if _CITY_REF in options or any(r in _PRONOUN_REFS for r in options):
            return False
        return self._match_at(text, tokens, keys, readings, i + 1) is None

    def _coordinated(
        self, text: str, tokens: list[Token], keys: list[str], prev_end: int, i: int
    ) -> bool:
        """True when the name at i is joined to the previous name by a bare و (ريف حلب وإدلب)."""
        if prev_end < 0:
            return False
        if prev_end == i:
            # وإدلب right after the previous name, or طريق حلب - دمشق / طريق حماة حمص
            return _joined(text, tokens[i - 1], tokens[i])
        return (
            prev_end == i - 1
            and keys[i - 1] in ("و", "and")
            and _joined(text, tokens[i - 2], tokens[i - 1])
            and _joined(text, tokens[i - 1], tokens[i])
        )


_URL_HINT = re.compile(r"[:@]|www\.", re.IGNORECASE)
# an e-mail address starts where a run of address characters starts: without the look-behind
# the branch is retried at every position of a long word, O(n^2)
_URL = re.compile(
    r"(?:https?://|www\.)[^\s«»“”\"'<>]+|(?<![\w.+-])[\w.+-]+@[\w-]+\.[\w.-]+", re.IGNORECASE
)


_UNKNOWN = ""  # a settlement outside the profile: back-references after it resolve to nothing


def _pick(strong: str | None, fallback: str | None, weak: str | None) -> str | None:
    if strong is not None:
        return strong or None
    return fallback or weak


def _inside(position: int, spans: list[tuple[int, int]]) -> bool:
    """Whether `position` lies in one of `spans` (sorted, not overlapping)."""
    k = bisect_right(spans, (position, sys.maxsize)) - 1
    return k >= 0 and spans[k][0] <= position < spans[k][1]


def _is_frame(key: str) -> bool:
    """A word that may stand right before a name: a qualifier, head noun or adjective."""
    options = stems(key)
    return any(
        r in _QUALIFIERS or r in _HEADS or r in _DIRECTION_ADJECTIVES or r in _DIRECTIONS
        for r in options
    )


def _is_nisba(key: str) -> bool:
    """ال + ... + ية (normalised ...يه): a relative adjective such as اللبنانية."""
    return key.startswith(_ARTICLE) and key.endswith("يه") and len(key) > 5


_JOINER_CHARS = "".join(sorted(_JOINERS))
_LOOKBACK_CHARS = _JOINER_CHARS + "".join(sorted(_LOOKBACK_EXTRA))


def _joined(text: str, left: Token, right: Token, extra: frozenset[str] = frozenset()) -> bool:
    """True when only blanks, tatweel, hyphens or invisible marks separate two tokens."""
    gap = text[left.end : right.start]
    if gap == " ":
        return True  # nearly always
    if len(gap) > 8:
        return False
    # stripping every allowed character leaves nothing only when the gap is made of them
    if extra is _LOOKBACK_EXTRA:
        return not gap.strip(_LOOKBACK_CHARS)
    return not gap.strip(_JOINER_CHARS + "".join(extra))


# a city as a goal: هدفنا (التالي هو) حمص، وجهتها المقبلة حمص، الوصول إلى حمص
_GOAL_NOUNS = _keys("هدف هدفنا هدفها هدفهم هدفه الهدف وجهة وجهتنا وجهتها وجهتهم الوجهة")
_GOAL_FILLERS = _keys("التالي التالية المقبل المقبلة القادم القادمة هو هي المقبلة")
_GOAL_MASDARS = _keys("الوصول وصول وصولا")


def _goal(keys: list[str], readings: list[tuple[str, ...]], i: int) -> bool:
    """The name at i is said as a goal or destination, not as a place something happens in."""
    k = i - 1
    if k >= 0 and _has(readings[k], _HEADS):
        k -= 1
    if k >= 1 and keys[k] in _TO and _has(readings[k - 1], _GOAL_MASDARS):
        return True
    while k >= 0 and keys[k] in _GOAL_FILLERS and i - k <= 4:
        k -= 1
    return k >= 0 and _has(readings[k], _GOAL_NOUNS) is not None


def _has(options: tuple[str, ...], vocabulary: frozenset[str]) -> str | None:
    for reading in options:
        if reading in vocabulary:
            return reading
    return None


def _scope_before(
    text: str,
    tokens: list[Token],
    keys: list[str],
    readings: list[tuple[str, ...]],
    i: int,
) -> Scope | None:
    """The scope set by the words right before token i, or None for a bare name."""
    k = i - 1

    def linked(a: int) -> bool:  # token a is in the same phrase as token a + 1
        return a >= 0 and _joined(text, tokens[a], tokens[a + 1], _LOOKBACK_EXTRA)

    # الريف الشمالي لحماة، الأطراف الشرقية لمدينة حلب: skip the head noun and adjectives
    if linked(k) and _has(readings[k], _HEADS):
        k -= 1
    skipped_adjective = False
    while linked(k) and keys[k] in _DIRECTION_ADJECTIVES and i - k <= LOOKBACK:
        k -= 1
        skipped_adjective = True
    skipped_of = False
    if not skipped_adjective and linked(k) and keys[k] in _SKIP_LATIN:
        while linked(k) and (keys[k] in _SKIP_LATIN or keys[k] in _HEADS) and i - k <= LOOKBACK:
            skipped_of = skipped_of or keys[k] == "of"
            k -= 1  # the outskirts of the city of Hama
    if not linked(k):
        return None
    if skipped_of and keys[k] in _DIRECTIONS_LATIN:
        return "towards"  # north of Aleppo
    options = readings[k]
    if skipped_adjective and not _has(options, _QUALIFIERS.keys()):
        return None
    qualifier = _has(options, _QUALIFIERS.keys())
    if qualifier is not None:
        scope = _QUALIFIERS[qualifier]
        if qualifier in _ONE_NEIGHBOURHOOD:
            return "partial"  # حي حلب الجديدة: one neighbourhood (named after the city)
        if qualifier in _NEIGHBOURHOODS and (
            (linked(k - 1) and _has(readings[k - 1], _SOME))
            or (
                linked(k - 1)
                and keys[k - 1] in _PREPOSITIONS_OF
                and _partial_amount(text, tokens, keys, k - 1)
            )
        ):
            return "partial"
        if scope == "city" and qualifier in _PARTS and linked(k - 1):
            outer = _has(readings[k - 1], _QUALIFIERS.keys())
            if outer is not None and _QUALIFIERS[outer] != "city":
                return _QUALIFIERS[outer]  # محيط مطار حماة، خارج سجن حماة
        return scope
    if _has(options, _DIRECTIONS):
        if linked(k - 1) and (
            _has(readings[k - 1], _NEIGHBOURHOODS) or _has(readings[k - 1], _INSIDE)
        ):
            return "city"
        if (
            linked(k - 1)
            and keys[k - 1] == _IN
            and linked(k - 2)
            and _has(readings[k - 2], _NEIGHBOURHOODS)
        ):
            return "partial"  # أحياء في شمال مدينة حمص: some districts in part of the city
        return "towards"
    if _has(options, _NEIGHBOURHOODS):
        return "city"
    if keys[k] in _PREPOSITIONS_OF:
        return _lookback_of(text, tokens, keys, readings, k + 1)
    if keys[k] in _TO and linked(k - 1) and _has(readings[k - 1], _LEADING):
        return "towards"
    if keys[k] == _BETWEEN and linked(k - 1) and _has(readings[k - 1], _ROAD_BETWEEN):
        return "towards"  # الطريق الواصل بين حماة وحمص: a road between them, neither city
    # named neighbourhoods of the city: حي الحمدانية في حلب، حيي الشيخ مقصود والأشرفية بحلب
    via_bi = keys[i][:1] == "ب" and keys[i][1:] in readings[i]
    if keys[k] == _IN or via_bi:
        j = k - 1 if keys[k] == _IN else k
        for _ in range(LOOKBACK):
            if not linked(j):
                break
            if _has(readings[j], _ONE_NEIGHBOURHOOD):
                return "partial"
            j -= 1
    return None


def _lookback_of(
    text: str,
    tokens: list[Token],
    keys: list[str],
    readings: list[tuple[str, ...]],
    i: int,
) -> Scope | None:
    """Token i follows من/عن (or is منها/عنها): distance (towards) or an amount (partial)."""
    k = i - 1
    if keys[i] not in _REF_OF and not any(r in _REF_OF for r in readings[i]):
        k = i - 2  # skip the preposition itself
    first = k
    steps = 0
    while k >= 0 and steps < LOOKBACK and _joined(text, tokens[k], tokens[k + 1], _LOOKBACK_EXTRA):
        options = readings[k]
        if _has(options, _DISTANCE_UNITS):
            return "towards"
        if keys[k] == _BAAD and k > 0 and keys[k - 1] == _ALA:
            return "towards"  # على بعد ... من
        if _has(options, _AWAY) or _has(options, _NEAR):
            return "towards"  # بعيداً عن، بالقرب من، تقترب من
        if k == first and _has(options, _DIRECTIONS):
            return "towards"  # إلى الشمال من حماة
        qualifier = _has(options, _QUALIFIERS.keys())
        if qualifier is not None and _QUALIFIERS[qualifier] == "partial":
            return "partial"  # أجزاء من; a "نحو" here is "about" (نزح نحو 100 ألف من حلب)
        if _partial_amount(text, tokens, keys, k + 1):
            return "partial"
        k -= 1
        steps += 1
    return None


def _partial_amount(text: str, tokens: list[Token], keys: list[str], k: int) -> bool:
    """True when the words right before token k state a share: 75% / 75 بالمئة / نصف ... من."""
    j = k - 1
    if j < 0:
        return False
    gap = text[tokens[j].end : tokens[j + 1].start] if j + 1 < len(tokens) else ""
    if keys[j][:1].isdigit() and ("%" in gap or "\u066a" in gap):
        return True
    if keys[j] in _PERCENT_WORDS and j > 0 and keys[j - 1][:1].isdigit():
        return True
    return keys[j] in _QUALIFIERS and _QUALIFIERS[keys[j]] == "partial"
