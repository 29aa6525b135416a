"""General reading rules of the claim extractor, each with several sentences of our own
(different cities, actors, word orders, clitics and genders). A case gives the exact set of
(source, city, state) triples the item must yield."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sitboard.ingest.claims import Extractor
from sitboard.ingest.model import Item
from sitboard.ingest.profile import Profile, load_profile
from sitboard.ingest.resolve import resolve_claims

PUBLISHED = datetime(2024, 12, 5, 12, 0, tzinfo=UTC)

Triples = set[tuple[str, str, str]]


@pytest.fixture(scope="module")
def profile() -> Profile:
    return load_profile("syria")


@pytest.fixture(scope="module")
def extractor(profile: Profile) -> Extractor:
    return Extractor(profile)


def read(extractor: Extractor, body: str, title: str = "") -> Triples:
    item = Item(
        id="rule",
        feed="test",
        outlet="Test Outlet",
        title=title,
        text=body,
        link=None,
        published=PUBLISHED,
        fetched=PUBLISHED,
    )
    return {(c.source, c.city, c.state) for c in extractor.extract(item)}


def check(extractor: Extractor, body: str, expected: Triples, title: str = "") -> None:
    assert read(extractor, body, title) == expected


# --- 1. what sits under a denial is asserted by nobody ------

DENIALS = [
    # unattributed: the outlet asserts none of it
    ("لا صحة للأنباء المتداولة عن سيطرة الفصائل على مدينة حماة.", set()),
    ("لا صحة لما يتردد عن دخول قسد إلى مدينة الرقة.", set()),
    # a party denies: it still holds the city, nobody else claims it
    (
        "نفى مصدر عسكري الأخبار المفبركة عن دخول المسلحين إلى مدينة حمص.",
        {("syrian-army", "homs", "gov")},
    ),
    (
        "وأكد الجيش السوري أن الشائعات عن سقوط حلب بيد الإرهابيين لا أساس لها.",
        {("syrian-army", "aleppo", "gov")},
    ),
    (
        "وحذرت الفصائل من الأخبار الكاذبة عن انسحاب مقاتليها من مدينة إدلب.",
        {("opposition", "idlib", "opp")},
    ),
    # the speaker as the genitive of a reporting noun
    (
        "وجاء نفي وزارة الدفاع للشائعات عن انسحاب الجيش من مدينة درعا بعد ساعات.",
        {("syrian-army", "daraa", "gov")},
    ),
    (
        "وفي نفي قوات سوريا الديمقراطية لأنباء سيطرة الفصائل على منبج، قالت إنها تصد الهجوم.",
        {("sdf", "manbij", "sdf")},
    ),
]


@pytest.mark.parametrize(("body", "expected"), DENIALS)
def test_content_under_a_denial_is_not_asserted(
    extractor: Extractor, body: str, expected: Triples
) -> None:
    check(extractor, body, expected)


# --- 2. redeployment is an admitted withdrawal ------

REDEPLOYMENTS = [
    (
        "وقالت القيادة العامة للجيش إن وحداتها في مدينة حماة نفذت إعادة انتشار لإقامة طوق دفاعي.",
        {("syrian-army", "hama", "opp")},
    ),
    (
        "أعلن الجيش أن قواته في درعا والسويداء تقوم بإعادة تموضع.",
        {("syrian-army", "daraa", "opp"), ("syrian-army", "as-suwayda", "opp")},
    ),
    (
        "وذكرت وزارة الدفاع أن الوحدات العسكرية العاملة في حمص قامت بإعادة الانتشار والتموضع.",
        {("syrian-army", "homs", "opp")},
    ),
    (
        "قالت قسد إن مقاتليها في دير الزور أعادوا تموضعهم لحماية المدنيين.",
        {("sdf", "deir-ez-zor", "opp")},
    ),
]


@pytest.mark.parametrize(("body", "expected"), REDEPLOYMENTS)
def test_redeployment_from_a_city_is_a_withdrawal(
    extractor: Extractor, body: str, expected: Triples
) -> None:
    check(extractor, body, expected)


# --- 3. who speaks ------

SPEAKERS = [
    # the longest actor name wins over a shorter speaker phrase that overlaps it
    (
        "وقال مصدر في الجيش الوطني إن مقاتليه دخلوا مدينة منبج.",
        {("opposition", "manbij", "opp")},
    ),
    (
        "وأفاد قيادي في الجيش الوطني السوري بأن الفصائل سيطرت على تل رفعت.",
        {("opposition", "tal-rifaat", "opp")},
    ),
    # a construct phrase: the organ belongs to the actor in its genitive
    (
        "وأعلنت القيادة العامة لجيش النظام أن وحداتها انسحبت من مدينة حماة.",
        {("syrian-army", "hama", "opp")},
    ),
    (
        "وقال المتحدث باسم الجيش الوطني إن قواته سيطرت على منبج.",
        {("opposition", "manbij", "opp")},
    ),
    # an unknown named subject is not the previous speaker
    (
        "قال الجيش السوري إن قواته تتصدى للهجوم. وقال لواء الفتح إن الفصائل دخلت مدينة درعا.",
        {("outlet", "daraa", "opp")},
    ),
    (
        "أعلنت قسد أنها صدت هجوما على منبج. وذكرت منظمة إنسانية محلية أن الفصائل دخلت الرقة.",
        {("sdf", "manbij", "sdf"), ("outlet", "raqqa", "opp")},
    ),
    # ... while a verb with no subject goes on with the previous speaker
    (
        "قال الجيش السوري إنه يتصدى للهجوم. وأضاف في بيان أن قواته أبعدت المسلحين عن حماة.",
        {("syrian-army", "hama", "gov")},
    ),
    # نقل X عن Y: Y speaks; the agency only when Y is anonymous
    (
        "ونقلت رويترز عن مصدرين عسكريين سوريين أن الجيش انسحب من مدينة حمص.",
        {("syrian-army", "homs", "opp")},
    ),
    (
        "ونقلت وكالة فرانس برس عن قيادي في الفصائل أن مقاتليه دخلوا مدينة حماة.",
        {("opposition", "hama", "opp")},
    ),
    (
        "ونقلت رويترز عن مصادر ميدانية أن الفصائل سيطرت على سراقب.",
        {("media", "saraqib", "opp")},
    ),
    # sources in a named side
    (
        "وقالت مصادر في المعارضة إن مقاتليها سيطروا على مدينة حماة.",
        {("opposition", "hama", "opp")},
    ),
]


@pytest.mark.parametrize(("body", "expected"), SPEAKERS)
def test_who_speaks(extractor: Extractor, body: str, expected: Triples) -> None:
    check(extractor, body, expected)


# --- 4. places ------

PLACES = [
    # إلى marks where they went, not where they left
    (
        "انسحبت قوات النظام من مدينة حمص إلى دمشق.",
        {("outlet", "homs", "opp")},
    ),
    (
        "وأكدت الفصائل انسحاب عناصر الجيش إلى مدينة طرطوس.",
        set(),
    ),
    # the capital as the government, not the city
    (
        "وباتت مدينة دير الزور خارج سيطرة دمشق.",
        {("outlet", "deir-ez-zor", "opp")},
    ),
    (
        "وأصبحت حمص خاضعة لسيطرة الفصائل بعد أن كانت مفتاح دمشق.",
        {("outlet", "homs", "opp")},
    ),
    # a named neighbourhood (even one named after the city) is part of it: contested
    (
        "وسيطرت الفصائل على حي حلب الجديدة.",
        {("outlet", "aleppo", "contested")},
    ),
    (
        "ودخلت الفصائل حيي الخالدية والوعر في مدينة حمص.",
        {("outlet", "homs", "contested")},
    ),
    # a back-reference skips a towards mention
    (
        "دخلت الفصائل مدينة حماة، ثم تقدمت باتجاه مدينة حمص. وقالت مصادر إن المدينة باتت تحت"
        " سيطرة الفصائل بالكامل.",
        {("outlet", "hama", "opp")},
    ),
    # fighting in a countryside does not reach a city named in another clause
    (
        "دارت اشتباكات عنيفة في الريف الغربي للمحافظة، في حين بقيت مدينة درعا هادئة.",
        set(),
    ),
    (
        "تدور معارك في ريف إدلب الجنوبي، بينما يتمركز الجيش في مدينة حماة.",
        {("outlet", "hama", "gov")},
    ),
    # a pronoun goes to the nearest noun: the village here, not a city named earlier
    (
        "سيطرت الفصائل على مدينة حلب.\nوفي الريف، سيطر الجيش على قرية المالكية وطرد المسلحين منها.",
        {("outlet", "aleppo", "opp")},
    ),
]


@pytest.mark.parametrize(("body", "expected"), PLACES)
def test_places(extractor: Extractor, body: str, expected: Triples) -> None:
    check(extractor, body, expected)


# --- 5. "holds" wording and profile names ------

HOLDS = [
    (
        "وقال محافظ حماة إن الوضع في مدينة حماة مستقر وتحت السيطرة الكاملة.",
        {("syrian-government", "hama", "gov")},
    ),
    (
        "أكد الجيش السوري أن الأوضاع في مدينة حمص آمنة.",
        {("syrian-army", "homs", "gov")},
    ),
    (
        "وأكدت قسد أن الأوضاع في القامشلي هادئة.",
        {("sdf", "qamishli", "sdf")},
    ),
    (
        "وقال مصدر عسكري إن خطوط الدفاع عن مدينة حماة متماسكة.",
        {("syrian-army", "hama", "gov")},
    ),
    (
        "وأعلنت وزارة الدفاع وصول تعزيزات عسكرية كبيرة إلى مدينة حمص.",
        {("syrian-army", "homs", "gov")},
    ),
    (
        "وأكدت الفصائل أنها أبعدت قوات النظام عن مدينة إدلب.",
        {("opposition", "idlib", "opp")},
    ),
    (
        "وقال الجيش إن وحداته نجحت في إبعاد الإرهابيين عن مدينة حماة.",
        {("syrian-army", "hama", "gov")},
    ),
    # profile names
    (
        "وقال مجلس الرقة المدني إن المدينة تحت السيطرة الكاملة لقوى الأمن الداخلي.",
        {("sdf", "raqqa", "sdf")},
    ),
    (
        "وقالت وزارة الداخلية إن مدينة اللاذقية آمنة.",
        {("syrian-government", "latakia", "gov")},
    ),
    (
        "وأعلن تجمع أحرار حوران سيطرته على مدينة درعا.",
        {("opposition", "daraa", "opp")},
    ),
    (
        "وأعلنت غرفة عمليات الجنوب أن مقاتليها دخلوا مدينة القنيطرة.",
        {("opposition", "quneitra", "opp")},
    ),
    (
        "وسيطر مسلحون محليون على مدينة السويداء.",
        {("outlet", "as-suwayda", "opp")},
    ),
]


@pytest.mark.parametrize(("body", "expected"), HOLDS)
def test_holds_and_profile_names(extractor: Extractor, body: str, expected: Triples) -> None:
    check(extractor, body, expected)


# --- 6. a city falls with no actor named: it goes to the attacking side ------

FALLS = [
    ("سقطت مدينة حلب.", {("outlet", "aleppo", "opp")}),
    ("وانهارت معرة النعمان خلال ساعات.", {("outlet", "maarat-al-numan", "opp")}),
    (
        "وأعلنت قسد أنها سيطرت على دير الزور. وبعد سقوط الرقة، تراجعت الفصائل.",
        {("sdf", "deir-ez-zor", "sdf"), ("outlet", "raqqa", "sdf")},
    ),
]


@pytest.mark.parametrize(("body", "expected"), FALLS)
def test_a_fall_with_no_actor_goes_to_the_attacker(
    extractor: Extractor, body: str, expected: Triples
) -> None:
    check(extractor, body, expected)


# --- 7. wishes, generic sentences and history ------

NOT_NOW = [
    "نؤيد استعادة الدولة السيطرة على مدينة حلب.",
    "وندعو إلى تحرير مدينة حماة من الإرهاب.",
    "وطالبت الفصائل بدخول مدينة حمص دون قتال.",
    "من يسيطر على حمص يتحكم بطريق دمشق.",
    "وإذا سيطرت الفصائل على حماة فإن الطريق إلى حمص سيكون مفتوحا.",
    "وكانت الفصائل قد سيطرت على مدينة إدلب في أيار/مايو 2015.",
    "في صيف 2012 دخلت الفصائل أحياء حلب الشرقية.",
    "وسعى الجيش لاستعادة المناطق التي خسرها في ريف حلب.",
]


@pytest.mark.parametrize("body", NOT_NOW)
def test_wishes_generic_and_history_are_not_claims(extractor: Extractor, body: str) -> None:
    check(extractor, body, set())


def test_a_date_belongs_to_its_own_verb(extractor: Extractor) -> None:
    body = "سيطرت الفصائل على حلب اليوم، بعد أن خسرتها عام 2016."
    check(extractor, body, {("outlet", "aleppo", "opp")})


# --- 8. others ------

OTHERS = [
    # the enemy fleeing is not the speaker's loss
    (
        "وقالت الفصائل إن هروب قوات النظام جاء بعد ساعات من السيطرة على مدينة حمص.",
        {("opposition", "homs", "opp")},
    ),
    # a joined verb keeps its subject; the attackers after هجمات are the object
    (
        "قسد تبسط سيطرتها على دير الزور وتصد هجمات الفصائل على منبج.",
        {("outlet", "deir-ez-zor", "sdf"), ("outlet", "manbij", "sdf")},
    ),
    (
        "الجيش يعزز مواقعه في حماة ويصد هجوم المسلحين على حمص.",
        {("outlet", "hama", "gov"), ("outlet", "homs", "gov")},
    ),
    # a city that "witnessed" a withdrawal
    (
        "وشهدت مدينة حمص انسحاب عناصر النظام.",
        {("outlet", "homs", "opp")},
    ),
    (
        "وتشهد مدينة دير الزور انسحابا لقوات سوريا الديمقراطية.",
        {("outlet", "deir-ez-zor", "opp")},
    ),
    # a relative clause takes the city before التي
    (
        "وتنتشر الفصائل في مدينة حماة التي دخلتها فجر اليوم.",
        {("outlet", "hama", "opp")},
    ),
    # مدينتنا: the speaker's own city, the topic of the item
    (
        "تدور اشتباكات في حلب. وقال قائد ميداني إن مقاتلينا يسيطرون على مدينتنا.",
        {("outlet", "aleppo", "contested"), ("opposition", "aleppo", "opp")},
    ),
    # a withdrawal with no new holder: the attacker of the item takes it, and with none shown
    # the war's attacking side (as a city that "fell" with nobody named)
    (
        "وجرى انسحاب من مدينة حماة ليلا.",
        {("outlet", "hama", "opp")},
    ),
    # not announced as done (no تم/جرى): nobody named, no holder
    (
        "وأفاد ناشطون عن انسحاب من مدينة حماة ليلا.",
        {("outlet", "hama", "contested")},
    ),
    (
        "وتقدمت الفصائل نحو حمص. وجرى انسحاب من مدينة حماة ليلا.",
        {("outlet", "hama", "opp")},
    ),
]


@pytest.mark.parametrize(("body", "expected"), OTHERS)
def test_other_rules(extractor: Extractor, body: str, expected: Triples) -> None:
    check(extractor, body, expected)


def test_the_profile_names_a_default_attacker(profile: Profile) -> None:
    assert profile.attacker == "opp"


def test_a_fall_uses_the_items_attacker_before_the_profiles(extractor: Extractor) -> None:
    body = "سيطرت قسد على مدينة الرقة. وسقطت مدينة الحسكة بعد ساعات."
    check(extractor, body, {("outlet", "raqqa", "sdf"), ("outlet", "hasakah", "sdf")})


def test_shells_falling_on_a_city_are_no_fall_of_it(extractor: Extractor) -> None:
    check(extractor, "وسقطت قذائف صاروخية على أحياء مدينة حلب.", set())


def test_sentence_tokens_are_those_of_each_sentence_alone() -> None:
    from sitboard.ingest.arabic import sentences, tokenize
    from sitboard.ingest.claims import _sentence_tokens

    text = "عنوان: «دخلنا حلب. وحررنا الأسرى» قال القيادي\nسيطرت الفصائل على 2.5 كم. ثم انسحبت؟ نعم"
    expected = [(s.text, tokenize(s.text)) for s in sentences(text) if tokenize(s.text)]
    assert [(t, k) for t, k, _ in _sentence_tokens(text)] == expected
    assert [p for _, _, p in _sentence_tokens(text)] == [False, True, False, False]


def test_a_pronoun_after_a_countryside_and_a_town_is_not_a_city(extractor: Extractor) -> None:
    body = (
        "سيطرت الفصائل على مدينة حلب بالكامل.\n"
        "وفي ريف إدلب، تقدمت القوات الحكومية نحو بلدة سرمين وسيطرت عليها."
    )
    check(extractor, body, {("outlet", "aleppo", "opp")})


def test_a_pronoun_in_a_new_paragraph_is_the_title_city(extractor: Extractor) -> None:
    body = (
        "دخلت الفصائل مدينة حلب أمس.\nوقال قيادي في الفصائل إن مقاتليه سيطروا عليها اليوم بالكامل."
    )
    got = read(extractor, body, title="الفصائل على أبواب حماة")
    assert got == {("outlet", "aleppo", "opp"), ("opposition", "hama", "opp")}


def test_a_pronoun_in_the_same_paragraph_is_the_city_named_before(extractor: Extractor) -> None:
    body = (
        "دخلت الفصائل مدينة حلب أمس. وقال قيادي في الفصائل إن مقاتليه سيطروا عليها اليوم بالكامل."
    )
    got = read(extractor, body, title="الفصائل على أبواب حماة")
    assert got == {("outlet", "aleppo", "opp"), ("opposition", "aleppo", "opp")}


def test_since_with_a_conjunction_is_a_present_state(extractor: Extractor) -> None:
    check(extractor, "ومنذ آذار 2020 يسيطر الجيش على سراقب.", {("outlet", "saraqib", "gov")})


# --- more wording of control ------

WORDING = [
    # "in the hands / grip of"
    ("باتت مدينة حماة في قبضة الفصائل.", {("outlet", "hama", "opp")}),
    ("وأصبحت دير الزور بيد قوات سوريا الديمقراطية.", {("outlet", "deir-ez-zor", "sdf")}),
    ("ولا تزال مدينة اللاذقية بيد الحكومة السورية.", {("outlet", "latakia", "gov")}),
    # "went out of the control of"
    ("وخرجت مدينة درعا عن سيطرة النظام.", {("outlet", "daraa", "opp")}),
    ("وخرج حي الوعر في حمص عن سيطرة الجيش.", {("outlet", "homs", "contested")}),
    # handing over / receiving
    ("وسلم الجيش مدينة السويداء للفصائل المحلية دون قتال.", {("outlet", "as-suwayda", "opp")}),
    ("واستلمت قسد مدينة دير الزور بعد انسحاب الجيش منها.", {("outlet", "deir-ez-zor", "sdf")}),
    # arriving in the city itself / only at its edge
    ("ووصلت طلائع الفصائل إلى وسط مدينة حمص.", {("outlet", "homs", "opp")}),
    ("ووصل مقاتلو المعارضة إلى مشارف مدينة حماة.", set()),
    # combing the city
    ("وتواصل الفصائل تمشيط شوارع مدينة حماة.", {("outlet", "hama", "opp")}),
    # a foiled attempt: the city stays with the one who foiled it
    (
        "قالت وزارة الدفاع إن الجيش أحبط محاولة تسلل إلى مدينة حماة.",
        {("syrian-army", "hama", "gov")},
    ),
    # as with صد هجوماً باتجاه حمص: the city the attack aimed at is held
    ("وأفشلت قسد محاولة تقدم للفصائل نحو مدينة منبج.", {("outlet", "manbij", "sdf")}),
    # "subject to" with the city between
    ("وتخضع مدينة منبج لسيطرة مجلس منبج العسكري.", {("outlet", "manbij", "sdf")}),
    (
        "وتخضع مدينتا إدلب وسراقب لسيطرة هيئة تحرير الشام.",
        {("outlet", "idlib", "opp"), ("outlet", "saraqib", "opp")},
    ),
]


@pytest.mark.parametrize(("body", "expected"), WORDING)
def test_more_wording_of_control(extractor: Extractor, body: str, expected: Triples) -> None:
    check(extractor, body, expected)


# --- expectation, opinion, fear and conflicting reports ------

SPECULATION = [
    "يرى محللون أن سيطرة الفصائل على حمص ستقطع الطريق بين دمشق والساحل.",
    "وتتوقع مصادر أن تدخل الفصائل مدينة حمص خلال أيام.",
    "ومن المتوقع أن تسيطر قسد على مدينة الرقة قريبا.",
    "ويخشى السكان من دخول الفصائل إلى مدينة السويداء.",
    "وتضاربت الأنباء حول سيطرة الفصائل على مدينة درعا.",
    "ورجح خبراء عسكريون أن ينسحب الجيش من مدينة حماة.",
    # the terms of an agreement are not yet events
    "وتوصلت قسد والفصائل إلى اتفاق يقضي بخروج مقاتلي قسد من منبج.",
    "ووقع الطرفان اتفاقا ينص على انسحاب الجيش من مدينة درعا.",
]


@pytest.mark.parametrize("body", SPECULATION)
def test_speculation_is_asserted_by_nobody(extractor: Extractor, body: str) -> None:
    check(extractor, body, set())


def test_a_claim_before_a_speculation_stands(extractor: Extractor) -> None:
    body = "سيطرت الفصائل على مدينة حماة، ويتوقع محللون أن تتقدم نحو حمص."
    check(extractor, body, {("outlet", "hama", "opp")})


def test_control_located_in_a_city_is_a_hold(extractor: Extractor) -> None:
    (claim,) = extractor.extract(
        Item(
            id="located",
            feed="test",
            outlet="Test Outlet",
            title="",
            text="ونزح آلاف المدنيين إلى مناطق سيطرة قسد في الرقة.",
            link=None,
            published=PUBLISHED,
            fetched=PUBLISHED,
        )
    )
    assert (claim.city, claim.state, claim.kind) == ("raqqa", "sdf", "hold")


def test_a_taa_marbuta_makes_the_noun_not_the_verb_with_a_pronoun(extractor: Extractor) -> None:
    from sitboard.ingest.arabic import tokenize

    (mark,) = [m for m in extractor.marker.marks(tokenize("مناطق سيطرة قسد")) if m.role == "event"]
    assert mark.sense is not None and mark.sense.noun
    (mark,) = [m for m in extractor.marker.marks(tokenize("الجيش سيطره")) if m.role == "event"]
    assert mark.sense is not None and not mark.sense.noun


QUOTES_FIRST = [
    (
        '"دخلنا مدينة حماة"، قال قائد عسكري في الفصائل لوكالة فرانس برس.',
        {("opposition", "hama", "opp")},
    ),
    (
        "«وحداتنا صدت الهجوم على مدينة حمص وما زالت تتمركز فيها»، قالت وزارة الدفاع.",
        {("syrian-army", "homs", "gov")},
    ),
    # a quoted name before the verb is no statement: the clause before it is the outlet's
    (
        "دخلت الفصائل مدينة حماة في إطار عملية «ردع العدوان»، وقال مصدر عسكري إن الجيش"
        " يتمركز في حمص.",
        {("outlet", "hama", "opp"), ("syrian-army", "homs", "gov")},
    ),
]


@pytest.mark.parametrize(("body", "expected"), QUOTES_FIRST)
def test_a_quote_before_its_reporting_verb_is_the_speakers(
    extractor: Extractor, body: str, expected: Triples
) -> None:
    check(extractor, body, expected)


def test_a_described_hold_yields_to_the_items_news(extractor: Extractor) -> None:
    body = (
        "سيطرت فصائل الجيش الوطني على بلدة تل رفعت الخاضعة لسيطرة قسد منذ سنوات."
        " أما منبج التي لا تزال تحت سيطرة قسد فتشهد هدوءا."
    )
    check(extractor, body, {("outlet", "tal-rifaat", "opp"), ("outlet", "manbij", "sdf")})


def test_a_described_hold_stands_when_the_item_tells_no_change(extractor: Extractor) -> None:
    body = "ونزح الآلاف إلى مدينة منبج الخاضعة لسيطرة قسد."
    check(extractor, body, {("outlet", "manbij", "sdf")})


def test_a_loss_goes_to_the_items_attacker_when_the_sentence_names_none(
    extractor: Extractor,
) -> None:
    body = "سيطرت قسد على مدينة دير الزور. وانسحبت قوات النظام من مدينة الرقة أيضا."
    check(extractor, body, {("outlet", "deir-ez-zor", "sdf"), ("outlet", "raqqa", "sdf")})


def test_lines_holding_firm_around_a_city_held_inside_it(extractor: Extractor) -> None:
    body = "وقال مصدر عسكري إن خطوط الدفاع عن مدينة حمص لا تزال صامدة."
    check(extractor, body, {("syrian-army", "homs", "gov")})


def test_a_capital_that_speaks_is_the_government_not_the_city(extractor: Extractor) -> None:
    check(extractor, "وتنفي دمشق سقوط حلب.", {("syrian-government", "aleppo", "gov")})
    check(extractor, "وقالت دمشق إن الجيش يتمركز في حماة.", {("syrian-government", "hama", "gov")})


def test_no_longer_any_presence_is_a_loss(extractor: Extractor) -> None:
    check(extractor, "ولم يعد للجيش وجود في مدينة حلب.", {("outlet", "aleppo", "opp")})
    check(extractor, "وأكدت قسد وجود مقاتليها في مدينة الرقة.", {("sdf", "raqqa", "sdf")})


def test_positions_near_a_city_are_not_the_city(extractor: Extractor) -> None:
    check(extractor, "وأعلن الجيش أنه تمت استعادة السيطرة على عدة نقاط في محيط حماة.", set())
    body = "وسيطرت الفصائل على مواقع للجيش داخل مدينة حمص."
    check(extractor, body, {("outlet", "homs", "contested")})


def test_a_handover_goes_to_the_party_named_with_li(extractor: Extractor) -> None:
    body = "وجرى تسليم مدينة السويداء للفصائل المحلية."
    check(extractor, body, {("outlet", "as-suwayda", "opp")})
    check(extractor, "وتم تسليم مدينة دير الزور لقسد.", {("outlet", "deir-ez-zor", "sdf")})


def test_the_general_command_alone_is_the_army(extractor: Extractor) -> None:
    body = "وأعلنت القيادة العامة أن قواتنا المسلحة أعادت تموضعها خارج مدينة حمص."
    check(extractor, body, {("syrian-army", "homs", "opp")})
    body = "وأعلنت القيادة العامة لقوات سوريا الديمقراطية أن قواتها دخلت مدينة الرقة."
    check(extractor, body, {("sdf", "raqqa", "sdf")})


PRESENCE = [
    ("بالفيديو.. مقاتلو المعارضة داخل قلعة حلب", {("outlet", "aleppo", "opp")}),
    ('وقال قيادي في الفصائل: "قواتنا داخل مدينة حماة الآن".', {("opposition", "hama", "opp")}),
    ("وحدات الجيش داخل مدينة دير الزور", {("outlet", "deir-ez-zor", "gov")}),
    # with another event told, داخل is only where it happened
    ("اشتباكات بين الجيش والفصائل داخل حماة", {("outlet", "hama", "contested")}),
]


@pytest.mark.parametrize(("body", "expected"), PRESENCE)
def test_a_party_inside_a_city_has_entered_it(
    extractor: Extractor, body: str, expected: Triples
) -> None:
    check(extractor, body, expected)


# --- hearsay: أنباء عن، أنباء غير مؤكدة، ما يتداول عن ------

HEARSAY = [
    # the outlet relays a rumour: nobody stands behind it
    ("أنباء عن دخول قوات المعارضة إلى مدينة درعا", set()),
    ("وتناقلت صفحات محلية أنباء غير مؤكدة عن سقوط اللاذقية بيد الفصائل.", set()),
    ("ويتداول ناشطون على مواقع التواصل خبر اقتحام الجيش لمدينة إدلب.", set()),
    ("انتشرت أنباء متضاربة عن انسحاب قسد من مدينة الحسكة.", set()),
    # a party relaying hearsay about its own loss and dismissing it: it still holds the city
    (
        "وقالت وزارة الدفاع إن ما يتردد عن خروج وحداتها من طرطوس حرب نفسية.",
        {("syrian-army", "tartus", "gov")},
    ),
    # a denial of the hearsay: the denier holds the city
    ("ونفت قسد الأنباء عن استيلاء الفصائل على القامشلي.", {("sdf", "qamishli", "sdf")}),
]


@pytest.mark.parametrize(("body", "expected"), HEARSAY)
def test_hearsay_is_asserted_by_nobody(extractor: Extractor, body: str, expected: Triples) -> None:
    check(extractor, body, expected)


def test_a_neutral_source_relaying_hearsay_alleges_it(extractor: Extractor) -> None:
    item = Item(
        id="rule",
        feed="test",
        outlet="Test Outlet",
        title="",
        text="ونقل المرصد السوري أنباء عن دخول الفصائل إلى مدينة حمص.",
        link=None,
        published=PUBLISHED,
        fetched=PUBLISHED,
    )
    claims = extractor.extract(item)
    assert [(c.source, c.city, c.state, c.stance) for c in claims] == [
        ("sohr", "homs", "opp", "allege")
    ]
    assert claims[0].confidence < 0.6


def test_hearsay_does_not_reach_a_later_statement(extractor: Extractor) -> None:
    body = "نفت الحكومة أنباء عن انسحاب الجيش، وأعلنت الفصائل أنها سيطرت على مدينة حمص."
    assert ("opposition", "homs", "opp") in read(extractor, body)


# --- an organ of a body speaks for it: الرئاسة المشتركة لمجلس …، المتحدث الرسمي لـ … ---------

ORGANS = [
    (
        "وأكدت الرئاسة المشتركة للإدارة الذاتية أن الوضع في الحسكة مستقر.",
        {("sdf", "hasakah", "sdf")},
    ),
    (
        "وقال المتحدث الرسمي لإدارة العمليات العسكرية إن مقاتليها دخلوا مدينة حمص.",
        {("opposition", "homs", "opp")},
    ),
    ("وأعلن رئيس المجلس العسكري لقسد أن القامشلي آمنة.", {("sdf", "qamishli", "sdf")}),
    # a ل-noun after a plain verb is still only the addressee
    ("وقالت الفصائل لرويترز إنها سيطرت على حماة.", {("opposition", "hama", "opp")}),
]


@pytest.mark.parametrize(("body", "expected"), ORGANS)
def test_an_organ_of_a_body_speaks_for_it(
    extractor: Extractor, body: str, expected: Triples
) -> None:
    check(extractor, body, expected)


# --- "safe areas" are somewhere else, not the city ------

SAFE_AREAS = [
    ("وقال الجيش إن وحداته تنقل الأهالي من دير الزور إلى مناطق آمنة.", set()),
    ("وطالبت قسد بفتح ممرات آمنة لإخراج المدنيين من منبج.", set()),
    ("وقال قائد في الفصائل إن إدلب آمنة تماماً.", {("opposition", "idlib", "opp")}),
]


@pytest.mark.parametrize(("body", "expected"), SAFE_AREAS)
def test_a_safe_area_is_not_the_city_named_before_it(
    extractor: Extractor, body: str, expected: Triples
) -> None:
    check(extractor, body, expected)


# --- "still there" is a hold: لا يزال الجيش في حمص ------

STILL_THERE = [
    ("لا يزال الجيش في مدينة درعا.", {("outlet", "daraa", "gov")}),
    ("وما زالت قوات سوريا الديمقراطية داخل الحسكة.", {("outlet", "hasakah", "sdf")}),
    (
        "وقال قيادي في الفصائل إن مقاتلينا لا يزالون في مواقعهم داخل سراقب.",
        {("opposition", "saraqib", "opp")},
    ),
    # an entry told in the same sentence is still read
    (
        "لا تزال قسد في منبج بينما دخلت الفصائل مدينة تل رفعت.",
        {("outlet", "manbij", "sdf"), ("outlet", "tal-rifaat", "opp")},
    ),
    # "still" needs its party: a bare "still in Tartus" names nobody
    ("ولا تزال الأسعار في طرطوس مرتفعة.", set()),
]


@pytest.mark.parametrize(("body", "expected"), STILL_THERE)
def test_a_party_still_in_a_city_holds_it(
    extractor: Extractor, body: str, expected: Triples
) -> None:
    check(extractor, body, expected)


# --- agentless passives: تم تحرير، جرى الانسحاب ------

PASSIVES = [
    # the outlet's voice, nobody named: the war's attacking side
    ("وتم تحرير مدينة خان شيخون بالكامل فجر اليوم.", {("outlet", "khan-shaykhun", "opp")}),
    ("وجرى الانسحاب من مدينة دير الزور ليلاً.", {("outlet", "deir-ez-zor", "opp")}),
    # a party saying it: its own side did it
    (
        "وقالت وزارة الدفاع إنه تم تطهير مدينة السويداء من الإرهابيين.",
        {("syrian-army", "as-suwayda", "gov")},
    ),
    # negated or future: nothing happened
    ("ولم يتم دخول مدينة اللاذقية حتى الآن.", set()),
    ("وسيتم تحرير طرطوس قريباً.", set()),
]


@pytest.mark.parametrize(("body", "expected"), PASSIVES)
def test_an_agentless_passive_is_done_by_the_speakers_side_or_the_attacker(
    extractor: Extractor, body: str, expected: Triples
) -> None:
    check(extractor, body, expected)


# --- a capital that controls is the government: سيطرة دمشق على حلب ------

CONTROLLING_CAPITAL = [
    ("وتبدو قبضة دمشق على مدينة دير الزور متينة.", {("outlet", "deir-ez-zor", "gov")}),
    ("وأكد المرصد استمرار سيطرة دمشق على اللاذقية.", {("sohr", "latakia", "gov")}),
    # دمشق as the controlled city stays a city
    ("وأعلنت الفصائل سيطرتها على دمشق.", {("opposition", "damascus", "opp")}),
]


@pytest.mark.parametrize(("body", "expected"), CONTROLLING_CAPITAL)
def test_a_capital_holding_another_city_is_the_government(
    extractor: Extractor, body: str, expected: Triples
) -> None:
    check(extractor, body, expected)


# --- a speaker's name ends where a new clause begins ------

CLAUSE_AFTER_SPEAKER = [
    # trailing attribution to a reporter, then a clause with a party as its subject
    (
        "صدت قسد هجوماً على مدينة منبج، وفق مراسلنا، ولم تتمكن الفصائل من دخول المدينة.",
        {("outlet", "manbij", "sdf")},
    ),
    (
        "وأفشل الجيش تقدماً نحو مدينة حمص بحسب مصادر محلية، ولن يستطيع المسلحون دخولها.",
        {("outlet", "homs", "gov")},
    ),
]


@pytest.mark.parametrize(("body", "expected"), CLAUSE_AFTER_SPEAKER)
def test_a_party_after_a_negation_is_no_speaker(
    extractor: Extractor, body: str, expected: Triples
) -> None:
    check(extractor, body, expected)


# --- a past verb joined with و goes on with its sentence's first speaker ------

JOINED_VERB = [
    # the party named last before وقالت belongs to the denied report, not to the statement
    (
        "نفى الجيش السوري الأنباء عن تقدم الفصائل، وقال إن وحداته تصد الهجوم على حمص.",
        {("syrian-army", "homs", "gov")},
    ),
    (
        "نفت قسد دخول قوات الجيش الوطني، وأكدت أن مقاتليها يصدون الهجوم على الرقة.",
        {("sdf", "raqqa", "sdf")},
    ),
]


@pytest.mark.parametrize(("body", "expected"), JOINED_VERB)
def test_a_joined_past_verb_keeps_the_first_speaker(
    extractor: Extractor, body: str, expected: Triples
) -> None:
    check(extractor, body, expected)


# --- a party said to be present in a place holds it: قواتنا موجودة في … ------

PRESENT_THERE = [
    (
        "وقال قائد في الفصائل: مقاتلونا في إدلب وريفها موجودون بكامل عتادهم.",
        {("opposition", "idlib", "opp")},
    ),
    (
        "وأكد الجيش السوري أن قواته متواجدة داخل مدينة اللاذقية.",
        {("syrian-army", "latakia", "gov")},
    ),
    ("وحدات الجيش غير موجودة في دير الزور.", set()),
]


@pytest.mark.parametrize(("body", "expected"), PRESENT_THERE)
def test_a_party_present_in_a_city_holds_it(
    extractor: Extractor, body: str, expected: Triples
) -> None:
    check(extractor, body, expected)


# --- a reporting verb in a relative clause (التي تبثها) is inside the content ------

RELATIVE_REPORTS = [
    (
        "وأكد الجيش السوري أنه لا صحة للشائعات التي تنشرها حسابات معادية"
        " عن انسحاب وحداته من دير الزور.",
        {("syrian-army", "deir-ez-zor", "gov")},
    ),
    (
        "نفت قسد الروايات التي نقلتها وكالات عن دخول الفصائل مدينة الحسكة.",
        {("sdf", "hasakah", "sdf")},
    ),
    # with its own أن, the relative clause is a statement of its speaker
    (
        "تتجه الأنظار إلى درعا التي تقول الفصائل إنها تسيطر عليها.",
        {("opposition", "daraa", "opp")},
    ),
]


@pytest.mark.parametrize(("body", "expected"), RELATIVE_REPORTS)
def test_a_reporting_verb_in_a_relative_clause_opens_no_statement(
    extractor: Extractor, body: str, expected: Triples
) -> None:
    check(extractor, body, expected)


# --- a reporting noun speaks for its actor: تأكيد الجيش أن …، عن مصدر نفيه … ------

REPORT_NOUNS = [
    (
        "وجاء ذلك بعد ساعات من إعلان قسد أن مقاتليها يسيطرون على مدينة القامشلي.",
        {("sdf", "qamishli", "sdf")},
    ),
    (
        "وذلك رغم تأكيد الجيش السوري أنه لا صحة لانسحاب وحداته من مدينة طرطوس.",
        {("syrian-army", "tartus", "gov")},
    ),
    (
        "ونقلت وكالة الأناضول عن مصدر عسكري سوري نفيه الأنباء عن سقوط مدينة الحسكة.",
        {("syrian-army", "hasakah", "gov")},
    ),
    # a reporting noun with no actor is no statement: the outlet speaks
    ("وبعد إعلان حالة الطوارئ انسحبت قسد من مدينة الرقة.", {("outlet", "raqqa", "opp")}),
]


@pytest.mark.parametrize(("body", "expected"), REPORT_NOUNS)
def test_a_reporting_noun_speaks_for_its_actor(
    extractor: Extractor, body: str, expected: Triples
) -> None:
    check(extractor, body, expected)


def test_a_masdar_with_li_after_a_denial_is_what_is_denied(extractor: Extractor) -> None:
    body = "وقالت قسد إنه لا صحة لدخول الفصائل إلى مدينة الرقة."
    check(extractor, body, {("sdf", "raqqa", "sdf")})
    # without the denial, li + masdar is a purpose
    check(extractor, "وحشدت الفصائل قواتها لدخول مدينة الرقة.", set())


# --- a reporting verb form after a preposition or purpose word is a masdar, no statement ---------

MASDAR_NOT_VERB = [
    # "بهدف نشر الفوضى" is no statement of the factions: the army's statement goes on
    (
        "وقال الجيش السوري إن الفصائل تشن حرباً نفسية بهدف نشر الذعر.\n"
        "وأضاف أن وحداته موجودة في مدينة حمص.",
        {("syrian-army", "homs", "gov")},
    ),
    (
        "وأعلنت قسد أن الجماعات المسلحة تسعى إلى نقل المعارك.\n"
        "وأكدت أن مقاتليها لا يزالون في القامشلي.",
        {("sdf", "qamishli", "sdf")},
    ),
]


@pytest.mark.parametrize(("body", "expected"), MASDAR_NOT_VERB)
def test_a_reporting_masdar_after_a_preposition_opens_no_statement(
    extractor: Extractor, body: str, expected: Triples
) -> None:
    check(extractor, body, expected)


# --- an event noun whose genitive is a force we cannot name has no known doer ------


def test_an_unnamed_force_in_the_genitive_is_not_an_earlier_actor(extractor: Extractor) -> None:
    body = "ودخلت الفصائل مدينة درعا بعد انسحاب عناصر الأمن العسكري منها."
    check(extractor, body, {("outlet", "daraa", "opp")})
    body = "وسيطرت قسد على مدينة دير الزور إثر خروج قوات الدفاع الوطني منها."
    check(extractor, body, {("outlet", "deir-ez-zor", "sdf")})
    # a named party in the genitive is still the doer
    body = "ودخلت الفصائل مدينة درعا بعد انسحاب قوات النظام منها."
    check(extractor, body, {("outlet", "daraa", "opp")})


# --- a pronoun in a relative clause is the noun before the relative ------

RELATIVE_PRONOUNS = [
    # the areas it lost, not the city named before
    (
        "وقال الجيش إن وحداته تتصدى للهجوم على حلب، وتعمل على استعادة النقاط التي خسرتها.",
        {("syrian-army", "aleppo", "gov")},
    ),
    (
        "وتقدمت قسد في محيط الرقة، وسيطرت على المواقع التي انسحبت منها الفصائل.",
        {("outlet", "raqqa", "contested")},
    ),
    # the city itself before the relative
    ("وقال المرصد إن الفصائل قصفت إدلب التي دخلها الجيش أمس.", {("sohr", "idlib", "gov")}),
]


@pytest.mark.parametrize(("body", "expected"), RELATIVE_PRONOUNS)
def test_a_pronoun_in_a_relative_clause_is_its_antecedent(
    extractor: Extractor, body: str, expected: Triples
) -> None:
    check(extractor, body, expected)


# --- a present reporting verb mid-clause with no subject is an attribute (مقاومة تذكر) ---------


def test_a_mid_clause_present_verb_is_no_continuation(extractor: Extractor) -> None:
    body = (
        'وقال قيادي في الفصائل: "مقاتلونا يتقدمون".\n'
        "ودخلت قسد مدينة منبج دون خسائر تذكر، بعد انسحاب الفصائل منها."
    )
    assert read(extractor, body) == {("outlet", "manbij", "sdf")}
    # a continuation at the start of a clause still goes on with the speaker
    body = 'وقال قيادي في الفصائل: "مقاتلونا يتقدمون".\nويضيف أن مقاتليهم دخلوا مدينة حماة.'
    assert read(extractor, body) == {("opposition", "hama", "opp")}


# --- an actor named as what something belongs to is not the subject of the next verb ------------


def test_an_affiliated_actor_is_not_the_speaker_of_a_later_verb(extractor: Extractor) -> None:
    body = "وعرض التلفزيون التابع للحكومة لقطات قال إنها لتعزيزات تصل إلى حمص."
    assert not any(source == "syrian-government" for source, _, _ in read(extractor, body))
    # a statement of a body (بيان لـ) is still that body's
    body = "وبثت قناة محلية بياناً لقوات سوريا الديمقراطية أعلنت فيه دخول مدينة الرقة."
    assert read(extractor, body) == {("sdf", "raqqa", "sdf")}


# --- an event's city is not looked for past a further reported clause (وأن …) ------------------


def test_an_events_city_is_not_past_a_joined_complementizer(extractor: Extractor) -> None:
    body = (
        "وأفاد مراسلنا بأن قسد صدت هجوماً في ريف منبج بعد معارك مع الفصائل،"
        " وأن الأسواق في مدينة منبج مفتوحة."
    )
    assert read(extractor, body) == set()
    # within the same clause the city is still found
    body = "وأفاد مراسلنا بأن معارك عنيفة تدور في مدينة منبج، وأن الأسواق مغلقة."
    assert read(extractor, body) == {("outlet", "manbij", "contested")}


# --- the pronoun of a "push back" noun is who was pushed, not who pushed --------------------------

PUSHED_BACK = [
    (
        "وواصلت قسد عملياتها ضد الفصائل، وتمكنت من إبعادها عن مدينة الحسكة.",
        {("outlet", "hasakah", "sdf")},
    ),
    (
        "وقال مصدر عسكري إن وحداتنا اشتبكت مع المسلحين ونجحت في طردهم من مدينة السويداء.",
        {("syrian-army", "as-suwayda", "gov")},
    ),
]


@pytest.mark.parametrize(("body", "expected"), PUSHED_BACK)
def test_the_pronoun_of_a_push_back_noun_is_the_one_pushed(
    extractor: Extractor, body: str, expected: Triples
) -> None:
    check(extractor, body, expected)


# --- a list of cities joined to the one that fell fell with it ------------------------------------


def test_a_list_of_cities_falls_together(extractor: Extractor) -> None:
    # nobody named: the war's attacking side took them all
    body = "وفي غضون ساعات انهارت درعا والسويداء والقنيطرة."
    check(
        extractor,
        body,
        {
            ("outlet", "daraa", "opp"),
            ("outlet", "as-suwayda", "opp"),
            ("outlet", "quneitra", "opp"),
        },
    )
    # shells falling on a city: no city fell
    check(extractor, "وسقطت قذائف على طرطوس واللاذقية.", set())


# --- a party losing control: the city goes to the other side, never to the loser -------------

LOSSES = [
    # the ambiguous past فقد (also ف + قد), masculine subject between it and السيطرة
    (
        "فقد الجيش السوري السيطرة على مدينة حلب بعد هجوم واسع.",
        {("outlet", "aleppo", "opp")},
    ),
    ("وفقد الجيش السيطرة على حمص خلال ساعات.", {("outlet", "homs", "opp")}),
    # subject first, and a pair of cities
    (
        "وقال المرصد إن الجيش فقد السيطرة على مدينتي حماة وحمص.",
        {("sohr", "hama", "opp"), ("sohr", "homs", "opp")},
    ),
    # the loss noun with its subject in the genitive, then السيطرة
    (
        "وأكد المرصد السوري فقدان الجيش السيطرة على مدينة حمص.",
        {("sohr", "homs", "opp")},
    ),
    (
        "وتحدث ناشطون عن فقدان قوات سوريا الديمقراطية السيطرة على منبج.",
        {("outlet", "manbij", "opp")},
    ),
    # the city before خرجت, inside reported content
    (
        "وقالت الفصائل إن مدينة حماة خرجت عن سيطرة قوات النظام.",
        {("opposition", "hama", "opp")},
    ),
    # the suffixed control noun after the loss verb (it reads as a verb سيطرت + ها too)
    ("فقدت قسد سيطرتها على منبج.", {("outlet", "manbij", "opp")}),
    ("فقد النظام سيطرته على مدينة درعا.", {("outlet", "daraa", "opp")}),
    # the "going out" noun: its genitive is the city, not a party leaving
    (
        "وأفادت الفصائل بخروج حمص عن سيطرة قوات النظام.",
        {("opposition", "homs", "opp")},
    ),
    # the feminine verb and خسر keep working
    ("وخسرت قوات النظام السيطرة على مدينة درعا.", {("outlet", "daraa", "opp")}),
    # فقد as ف + قد stays no event
    ("فقد أعلن الجيش السوري أن الوضع في حلب مستقر.", {("syrian-army", "aleppo", "gov")}),
]


@pytest.mark.parametrize(("body", "expected"), LOSSES)
def test_a_party_losing_control_gives_the_city_to_the_other_side(
    extractor: Extractor, body: str, expected: Triples
) -> None:
    check(extractor, body, expected)


# --- inside a quote the modality rules are the same as outside ---------------------------------

QUOTED_MODALITY = [
    # a party says the enemy will not be able to enter: it holds the city
    (
        "وقال قائد في الفصائل: «لن يتمكنوا من دخول إدلب مهما حاولوا».",
        {("opposition", "idlib", "opp")},
    ),
    (
        "وقال وزير الدفاع السوري: «لن يتمكن الإرهابيون من دخول مدينة حمص».",
        {("syrian-army", "homs", "gov")},
    ),
    # the speaker named after the quote
    (
        "«لن يتمكنوا من دخول حماة»، قال قائد في الجيش السوري.",
        {("syrian-army", "hama", "gov")},
    ),
    ("«لم تسقط حمص ولن تسقط»، قالت وزارة الدفاع السورية.", {("syrian-army", "homs", "gov")}),
    # a party says a city has not fallen: it holds it
    ("وقالت وزارة الدفاع السورية: «لم تسقط حلب ولن تسقط».", {("syrian-army", "aleppo", "gov")}),
    ("وقال متحدث باسم الفصائل: «لم تسقط إدلب ولن تسقط».", {("opposition", "idlib", "opp")}),
    ("وقالت قسد: «لم تسقط منبج ولن تسقط».", {("sdf", "manbij", "sdf")}),
    # the outlet saying a city has not fallen claims nothing
    ("لم تسقط حمص حتى الآن.", set()),
    # the party named with the verb of ability is the one repelled, quote or not
    (
        "وقال قيادي في هيئة تحرير الشام: «لن تتمكن قوات النظام من دخول سراقب».",
        {("opposition", "saraqib", "opp")},
    ),
    ("وقالت الفصائل إن الجيش لم يتمكن من دخول مدينة حماة.", {("opposition", "hama", "opp")}),
    # a party saying its own side did not leave a city holds it
    ("وقال الجيش: «لم ننسحب من حماة».", {("syrian-army", "hama", "gov")}),
    ("وقالت قسد: «لم تنسحب قواتنا من منبج».", {("sdf", "manbij", "sdf")}),
    ("وقالت الفصائل: «لم ننسحب من حلب».", {("opposition", "aleppo", "opp")}),
    # ... but not of a third party it may be contrasting, nor in the outlet's voice
    (
        "وقال مصدر عسكري سوري إن الجيش لم يخسر حمص عسكريا، بل انسحب منها لحماية المدنيين.",
        {("syrian-army", "homs", "opp")},
    ),
    ("لم ينسحب الجيش من حماة.", set()),
    # what a party will do is no claim
    ("وقال قائد فصائل المعارضة: «سنطرد المسلحين من مدينة درعا قريبا».", set()),
    ("وقال الجيش السوري: «سنستعيد مدينة حماة خلال أيام».", set()),
]


@pytest.mark.parametrize(("body", "expected"), QUOTED_MODALITY)
def test_modality_inside_a_quote_is_read_as_outside(
    extractor: Extractor, body: str, expected: Triples
) -> None:
    check(extractor, body, expected)


# --- an event whose object is a pair of cities applies to each --------------------------------

PAIRS = [
    (
        "سيطرت الفصائل على مدينتي حلب وإدلب.",
        {("outlet", "aleppo", "opp"), ("outlet", "idlib", "opp")},
    ),
    (
        "وانسحب الجيش السوري من المدينتين حماة وحمص.",
        {("outlet", "hama", "opp"), ("outlet", "homs", "opp")},
    ),
    (
        "وسيطرت قسد على مدينتي الرقة ودير الزور.",
        {("outlet", "raqqa", "sdf"), ("outlet", "deir-ez-zor", "sdf")},
    ),
    (
        "وقال المرصد إن الفصائل دخلت إلى درعا والسويداء.",
        {("sohr", "daraa", "opp"), ("sohr", "as-suwayda", "opp")},
    ),
    (
        "واستعاد الجيش السوري السيطرة على مدينتي حماة وحمص.",
        {("outlet", "hama", "gov"), ("outlet", "homs", "gov")},
    ),
    # the second city with its own head noun
    (
        "سيطرت الفصائل على مدينة حماة ومدينة حمص.",
        {("outlet", "hama", "opp"), ("outlet", "homs", "opp")},
    ),
    # المدينتين: the two cities named last, in this sentence or an earlier one of the paragraph
    (
        "اقتربت الفصائل من حلب وإدلب، ثم سيطرت على المدينتين.",
        {("outlet", "aleppo", "opp"), ("outlet", "idlib", "opp")},
    ),
    (
        "تقدمت الفصائل نحو درعا والسويداء. وانسحبت قوات النظام من المدينتين.",
        {("outlet", "daraa", "opp"), ("outlet", "as-suwayda", "opp")},
    ),
    (
        "وتقدم الجيش السوري نحو حماة وحمص. ثم دخل الجيش إلى المدينتين.",
        {("outlet", "hama", "gov"), ("outlet", "homs", "gov")},
    ),
    # only one city named before: المدينتين is no pair we know
    ("سيطرت الفصائل على حماة. وانسحب الجيش من المدينتين.", {("outlet", "hama", "opp")}),
]


@pytest.mark.parametrize(("body", "expected"), PAIRS)
def test_an_event_on_a_pair_of_cities_applies_to_each(
    extractor: Extractor, body: str, expected: Triples
) -> None:
    check(extractor, body, expected)


# --- the second city of a list joined by ثم، كذلك، إضافة إلى or a repeated preposition ---------

LISTS = [
    (
        "وسيطرت الفصائل على حماة ثم حمص خلال أيام.",
        {("outlet", "hama", "opp"), ("outlet", "homs", "opp")},
    ),
    (
        "وسيطرت الفصائل على مدينة حماة، ثم على مدينة حمص بعد أسبوع.",
        {("outlet", "hama", "opp"), ("outlet", "homs", "opp")},
    ),
    (
        "وانسحبت قوات النظام من حلب، وكذلك من إدلب.",
        {("outlet", "aleppo", "opp"), ("outlet", "idlib", "opp")},
    ),
    (
        "وأعلنت قسد سيطرتها على الرقة، إضافة إلى دير الزور.",
        {("sdf", "raqqa", "sdf"), ("sdf", "deir-ez-zor", "sdf")},
    ),
    (
        "وطردت الفصائل قوات النظام من درعا ومن السويداء.",
        {("outlet", "daraa", "opp"), ("outlet", "as-suwayda", "opp")},
    ),
    ("ودخلت الفصائل حلب وبعدها إدلب.", {("outlet", "aleppo", "opp"), ("outlet", "idlib", "opp")}),
    (
        "وسيطرت الفصائل على حلب، وبعد أيام على حماة.",
        {("outlet", "aleppo", "opp"), ("outlet", "hama", "opp")},
    ),
    # a town the profile lacks in the middle of the list
    (
        "وسيطرت قسد على الرقة والطبقة والحسكة.",
        {("outlet", "raqqa", "sdf"), ("outlet", "hasakah", "sdf")},
    ),
    # the list shares the first city's scope: towards, edges, countryside claim nothing
    ("وتقدمت الفصائل نحو حماة ثم حمص.", set()),
    ("ووصلت الفصائل إلى مشارف حماة ثم حمص.", set()),
    # ... unless the second city has its own head noun
    ("وسيطرت الفصائل على ريف حماة ثم على مدينة حمص.", {("outlet", "homs", "opp")}),
    # a repeated preposition other than the first city's starts another phrase
    (
        "وسيطرت الفصائل على حلب، وفي حمص تدور اشتباكات.",
        {("outlet", "aleppo", "opp"), ("outlet", "homs", "contested")},
    ),
    # a city before a fall verb in another phrase is not what fell (VS order)
    ("وبعد حلب، سقطت حماة بيد الفصائل.", {("outlet", "hama", "opp")}),
    ("وبعد إدلب، سقطت مدينة حمص بيد المعارضة المسلحة.", {("outlet", "homs", "opp")}),
    # a fall of "the cities of" a list: each city fell
    (
        "وسقطت مدن حلب وإدلب وحماة تباعاً.",
        {("outlet", "aleppo", "opp"), ("outlet", "idlib", "opp"), ("outlet", "hama", "opp")},
    ),
]


@pytest.mark.parametrize(("body", "expected"), LISTS)
def test_every_city_of_a_list_gets_the_event(
    extractor: Extractor, body: str, expected: Triples
) -> None:
    check(extractor, body, expected)


# --- negation and future inside long quotes ------------------------------------------------------

QUOTED_NEGATION = [
    # a party saying its own side has not lost control holds the city
    (
        "وقال قائد عسكري في الجيش: «لم نفقد السيطرة على مدينة حماة، وقواتنا تقاتل داخلها».",
        {("syrian-army", "hama", "gov")},
    ),
    (
        "وقال مصدر عسكري سوري لسانا إن «الجيش لم يفقد السيطرة على حمص».",
        {("syrian-army", "homs", "gov")},
    ),
    (
        "وقالت وزارة الدفاع في بيان: «إن قواتنا لم تنسحب من مدينة حمص».",
        {("syrian-army", "homs", "gov")},
    ),
    # a party saying the enemy did not enter holds the city (a denial); the outlet claims nothing
    (
        "وقال مصدر في الجيش: «لم يدخل المسلحون مدينة حماة، وكل ما ينشر عن ذلك أكاذيب».",
        {("syrian-army", "hama", "gov")},
    ),
    ("وقالت قسد إن الفصائل لم تدخل منبج.", {("sdf", "manbij", "sdf")}),
    ("وقال المرصد إن الفصائل لم تدخل مدينة حماة بعد.", set()),
    ("ولم تدخل الفصائل مدينة حلب حتى الآن.", set()),
    # «لم نتمكن من دخول …»: the speaker's own side failed, the other side holds the city
    (
        "وقال قائد ميداني في الفصائل: «لم نتمكن حتى الآن من دخول حماة بسبب كثافة القصف».",
        {("opposition", "hama", "gov")},
    ),
    # a verb joined to a future verb is future too; a pledge is intent
    ("وقال الجيش: «سنستعيد حلب ونطرد الإرهابيين منها».", set()),
    ("وتعهد الأسد باستعادة حلب وكل المناطق التي دخلها الإرهابيون.", set()),
    ("وتوعدت الفصائل بدخول دمشق خلال أيام.", set()),
    # a masculine pronoun is no city: كل شبر دخله
    (
        "وقال وزير الدفاع السوري: «لن ننسحب من حماة، وسنستعيد كل شبر دخله الإرهابيون».",
        {("syrian-army", "hama", "gov")},
    ),
]


@pytest.mark.parametrize(("body", "expected"), QUOTED_NEGATION)
def test_negation_and_future_inside_quotes(
    extractor: Extractor, body: str, expected: Triples
) -> None:
    check(extractor, body, expected)


# --- statements, interlocutors and foreign press ------------------------------------------------

STATEMENT_SPEAKERS = [
    # an outlet a person talked to is not the speaker
    (
        "وقال مظلوم عبدي في مقابلة مع وكالة فرانس برس إن قواته لا تزال تسيطر على الرقة.",
        {("sdf", "raqqa", "sdf")},
    ),
    # أصدر بياناً / جاء في البيان / بيان لـ: the body that issued the statement
    (
        "أصدرت القيادة العامة للجيش بياناً مساء اليوم. وجاء في البيان أن الوحدات العسكرية "
        "المرابطة في مدينة حماة نفذت إعادة انتشار خارج المدينة.",
        {("syrian-army", "hama", "opp")},
    ),
    (
        "وجاء في بيان لقوات سوريا الديمقراطية أنها صدت هجوماً على منبج.",
        {("sdf", "manbij", "sdf")},
    ),
    ("وتصر دمشق على أن حماة ما زالت تحت سيطرة قواتها.", {("syrian-government", "hama", "gov")}),
    # a title with an adjective before a headline colon
    ("قائد عسكري في الفصائل: دخلنا حلب خلال ساعات", {("opposition", "aleppo", "opp")}),
    # foreign newspapers are agencies; the one they quote by its body speaks
    (
        "ونقلت صحيفة نيويورك تايمز عن مسؤولين أميركيين أن الجيش السوري انسحب من حمص.",
        {("media", "homs", "opp")},
    ),
    (
        "ونقلت وكالة الأناضول عن قيادي في الجيش الوطني قوله إن الفصائل سيطرت على تل رفعت.",
        {("opposition", "tal-rifaat", "opp")},
    ),
    (
        "ونقلت وكالة رويترز عن مصادر مقربة من الجيش أن القوات الحكومية انسحبت من حماة.",
        {("media", "hama", "opp")},
    ),
]


@pytest.mark.parametrize(("body", "expected"), STATEMENT_SPEAKERS)
def test_who_speaks_in_statements_and_foreign_press(
    extractor: Extractor, body: str, expected: Triples
) -> None:
    check(extractor, body, expected)


# --- a statement that goes on: named once, then continued by name, quote, colon or answer -------

GOING_ON = [
    # the speaker named again by surname only
    (
        "وقال مظلوم عبدي في مقابلة مع وكالة فرانس برس إن قواته تسيطر على الرقة.\n"
        "وتابع عبدي أن قسد انسحبت من منبج بعد اتفاق برعاية أميركية.",
        {("sdf", "raqqa", "sdf"), ("sdf", "manbij", "opp")},
    ),
    (
        "قال المتحدث باسم إدارة العمليات العسكرية حسن عبد الغني إن مقاتلي الفصائل دخلوا حمص.\n"
        "وبعد ساعات، نشرت وسائل إعلام صوراً من المدينة.\n"
        "وأضاف عبد الغني أن قوات النظام فرت من مدينة حماة أيضاً.",
        {("opposition", "homs", "opp"), ("opposition", "hama", "opp")},
    ),
    # an unknown name that is not the speaker's stays the outlet's voice
    (
        "وقال مظلوم عبدي إن قواته تسيطر على الرقة.\nوقال الحموي إن الفصائل دخلت حماة.",
        {("sdf", "raqqa", "sdf"), ("outlet", "hama", "opp")},
    ),
    # the interview's guest, named in the introduction, answers
    (
        "أجرى موقع محلي مقابلة مع القيادي في إدارة العمليات العسكرية أبو حسن، تحدث فيها عن سير"
        " المعارك.\nوعن الوضع في حماة، قال إن الفصائل دخلت المدينة من ثلاثة محاور.",
        {("opposition", "hama", "opp")},
    ),
    (
        "في مقابلة خاصة، تحدث قائد في غرفة عمليات ردع العدوان عن المعركة.\n"
        "س: كيف دخلتم مدينة حلب بهذه السرعة؟\n"
        "ج: انهارت خطوط النظام، ودخلنا المدينة من جهة حي الحمدانية.",
        {("opposition", "aleppo", "opp")},
    ),
    # a quote open over several sentences and paragraphs
    (
        "أصدرت القيادة العامة للجيش بياناً، هذا نصه: «تمكنت المجموعات الإرهابية من دخول أجزاء"
        " من مدينة حلب.\nوقامت وحداتنا بإعادة انتشار خارج مدينة إدلب».\n"
        "وسيطرت الفصائل على سراقب.",
        {
            ("syrian-army", "aleppo", "contested"),
            ("syrian-army", "idlib", "opp"),
            ("outlet", "saraqib", "opp"),
        },
    ),
    # a paragraph ending with a colon: the next paragraphs are the statement, until background
    (
        "وقالت قوات سوريا الديمقراطية في بيان:\n"
        "صدت قواتنا هجوماً واسعاً على مدينة منبج.\n"
        "ويأتي ذلك بعد أن سيطرت الفصائل على تل رفعت.",
        {("sdf", "manbij", "sdf"), ("outlet", "tal-rifaat", "opp")},
    ),
]


@pytest.mark.parametrize(("body", "expected"), GOING_ON)
def test_a_statement_goes_on_past_its_sentence(
    extractor: Extractor, body: str, expected: Triples
) -> None:
    check(extractor, body, expected)


# --- descriptive holds told in a relative clause ------------------------------------------------

DESCRIBED_HOLDS = [
    (
        "وقصفت الطائرات الروسية مدينة إدلب التي تسيطر عليها هيئة تحرير الشام.",
        {("outlet", "idlib", "opp")},
    ),
    (
        "وتبعد حماة التي يسيطر عليها الجيش نحو 40 كيلومتراً عن خطوط الفصائل.",
        {("outlet", "hama", "gov")},
    ),
    (
        "وفي حمص التي لا تزال بيد الجيش، خرجت مظاهرات مؤيدة للحكومة.",
        {("outlet", "homs", "gov")},
    ),
    ("وحلب التي كانت بيد الجيش شهدت مظاهرات.", set()),
    # a masculine pronoun after the verb is not the city
    ("وقصفت الطائرات مطار حماة الذي تسيطر عليه الفصائل.", set()),
    # nor is the pronoun of parts of the city (an indefinite antecedent, no التي)
    (
        "باتت مدينة حلب خارج سيطرة قوات النظام، بعد سيطرة الفصائل على معظم أحيائها، باستثناء"
        " أحياء تسيطر عليها قسد.",
        {("outlet", "aleppo", "opp")},
    ),
]


@pytest.mark.parametrize(("body", "expected"), DESCRIBED_HOLDS)
def test_a_hold_told_in_a_relative_clause(
    extractor: Extractor, body: str, expected: Triples
) -> None:
    check(extractor, body, expected)


# --- a live blog: each line that starts with a clock time is an entry told at that time ----------


def test_live_blog_entries_take_their_own_clock_time(extractor: Extractor) -> None:
    # published 15:00 in Damascus (12:00 UTC); entries newest first, as live blogs are written
    body = (
        "14:30 - المرصد السوري: الفصائل تسيطر على مدينة حمص بالكامل.\n"
        "11:20 - مصدر عسكري سوري: الجيش يصد هجوماً على مدينة حمص.\n"
        "(٠٩:٠٥) عاجل | وزارة الدفاع السورية: قواتنا تتمركز في مدينة حماة.\n"
        "23:40 - الفصائل تعلن دخول مدينة حماة.\n"
        "وقال الجيش إنه صد هجوماً على حلب."
    )
    intro = "تتواصل المعارك في ريف حمص.\nوقالت قسد إنها تسيطر على الرقة.\n"
    item = Item(
        id="live",
        feed="test",
        outlet="Test Outlet",
        title="مباشر | تطورات الهجوم على حمص",
        text=intro + body,
        link=None,
        published=PUBLISHED,
        fetched=PUBLISHED,
    )
    claims = {(c.source, c.city, c.state): c.when for c in extractor.extract(item)}
    assert claims == {
        ("sohr", "homs", "opp"): datetime(2024, 12, 5, 11, 30, tzinfo=UTC),
        ("syrian-army", "homs", "gov"): datetime(2024, 12, 5, 8, 20, tzinfo=UTC),
        ("syrian-army", "hama", "gov"): datetime(2024, 12, 5, 6, 5, tzinfo=UTC),
        # later than the item's own time: the day before
        ("opposition", "hama", "opp"): datetime(2024, 12, 4, 20, 40, tzinfo=UTC),
        # a line with no clock of its own goes on with the entry above it
        ("syrian-army", "aleppo", "gov"): datetime(2024, 12, 4, 20, 40, tzinfo=UTC),
        # ... and the introduction before the first entry is told at the item's time
        ("sdf", "raqqa", "sdf"): PUBLISHED,
    }
    # the newest entry decides the city, whatever the order of the lines
    status = {s.city: s.state for s in resolve_claims(extractor.extract(item))}
    assert status["homs"] == "opp"


# --- a capital that speaks, agencies that relay --------------------------------------------------

CAPITALS_AND_RELAYS = [
    # a capital as the subject of a denial masdar after a preposition
    ("وسارعت دمشق إلى نفي دخول الفصائل إلى حمص.", {("syrian-government", "homs", "gov")}),
    ("وسارعت موسكو إلى نفي انسحاب الجيش السوري من حماة.", {("russia", "hama", "gov")}),
    # a capital that speaks is no place event; the city it speaks of is
    ("وتقول دمشق إن قواتها صدت هجوماً واسعاً على حماة.", {("syrian-government", "hama", "gov")}),
    ("وأكدت موسكو أن الجيش السوري استعاد السيطرة على حلب.", {("russia", "aleppo", "gov")}),
    # "agency عن source:" headlines: a known body speaks, an anonymous source leaves the agency
    ("رويترز عن مصادر: الفصائل تسيطر على حمص بالكامل", {("media", "homs", "opp")}),
    (
        "الأناضول عن قيادي في الجيش الوطني: الفصائل سيطرت على تل رفعت",
        {("opposition", "tal-rifaat", "opp")},
    ),
    # قائلاً after a continuation goes on with its speaker
    (
        "وقال الجيش إنه صد هجوماً على حماة. وأضاف قائلا: «قواتنا تتمركز في حمص».",
        {("syrian-army", "hama", "gov"), ("syrian-army", "homs", "gov")},
    ),
]


@pytest.mark.parametrize(("body", "expected"), CAPITALS_AND_RELAYS)
def test_capitals_that_speak_and_agencies_that_relay(
    extractor: Extractor, body: str, expected: Triples
) -> None:
    check(extractor, body, expected)


# --- subjects and opponents across clauses ------------------------------------------------------

CLAUSES = [
    # a time clause (قبل أن، بعد أن) shares the main clause's subject
    (
        "سيطرت الفصائل على حماة، قبل أن تدخل مدينة حمص فجر اليوم.",
        {("outlet", "hama", "opp"), ("outlet", "homs", "opp")},
    ),
    (
        "وانسحبت قسد من منبج بعد أن دخلت مدينة الرقة.",
        {("outlet", "manbij", "opp"), ("outlet", "raqqa", "sdf")},
    ),
    # the other side's withdrawal from a city the speaker's forces deployed in goes to them
    (
        "وقالت قسد: «انتشرت قواتنا في مدينة دير الزور بعد انسحاب قوات النظام منها».",
        {("sdf", "deir-ez-zor", "sdf")},
    ),
    # a pledge with the actor's name between it and the event is still a pledge
    ("وتعهدت إدارة العمليات العسكرية في بيان بتحرير مدينة حماة قريباً.", set()),
]


@pytest.mark.parametrize(("body", "expected"), CLAUSES)
def test_subjects_and_opponents_across_clauses(
    extractor: Extractor, body: str, expected: Triples
) -> None:
    check(extractor, body, expected)


# --- more words of statements that go on, goals and staying -------------------------------------

MORE_WORDS = [
    (
        "وقال الجيش إنه صد هجوماً على حماة.\nوأردف قائلاً إن قواته تتمركز في حمص.",
        {("syrian-army", "hama", "gov"), ("syrian-army", "homs", "gov")},
    ),
    (
        "وقال الجيش إنه صد هجوماً على حماة.\nواستطرد أن قواته تتمركز في حمص.",
        {("syrian-army", "hama", "gov"), ("syrian-army", "homs", "gov")},
    ),
    (
        "وأكد مظلوم عبدي أن قواته تصد هجمات على منبج.\nونوه إلى أن الوضع في الحسكة مستقر.",
        {("sdf", "manbij", "sdf"), ("sdf", "hasakah", "sdf")},
    ),
    (
        "وقال قائد في الفصائل إن مقاتليه دخلوا حلب.\n"
        "وعن سؤال حول حماة، أجاب بأن الفصائل سيطرت على المدينة.",
        {("opposition", "aleppo", "opp"), ("opposition", "hama", "opp")},
    ),
    # a goal is no claim
    ("وقال الجولاني: «هدفنا تحرير دمشق».", set()),
    # staying is holding
    ("وقالت وزارة الدفاع: «قواتنا باقية في حماة».", {("syrian-army", "hama", "gov")}),
]


@pytest.mark.parametrize(("body", "expected"), MORE_WORDS)
def test_more_words_of_statements_goals_and_staying(
    extractor: Extractor, body: str, expected: Triples
) -> None:
    check(extractor, body, expected)


# --- a capital after a colon or quote is a place; a list in someone's hands ----------------------

CAPITAL_PLACES = [
    (
        "قال عراقجي إن إيران ستقف إلى جانب الحكومة.\nوتابع: «دمشق آمنة والحياة طبيعية فيها».",
        {("iran", "damascus", "gov")},
    ),
    ("وقالت دمشق إن الجيش صد هجوماً على حماة.", {("syrian-government", "hama", "gov")}),
    (
        "وقال أردوغان إن «إدلب وحماة وحمص باتت في أيدي المعارضة، والهدف هو دمشق».",
        {("turkey", "idlib", "opp"), ("turkey", "hama", "opp"), ("turkey", "homs", "opp")},
    ),
]


@pytest.mark.parametrize(("body", "expected"), CAPITAL_PLACES)
def test_a_capital_after_a_colon_is_a_place_and_lists_in_hands(
    extractor: Extractor, body: str, expected: Triples
) -> None:
    check(extractor, body, expected)


# --- a verb of ability governs its masdar however long its subject is ---------------------------

FAR_ABILITY = [
    (
        "وقال مصدر عسكري: «لم تتمكن المجموعات الإرهابية، رغم كل محاولاتها ودعمها الخارجي، من"
        " دخول مدينة حماة».",
        {("syrian-army", "hama", "gov")},
    ),
    (
        "وقال الجيش: «لن تستطيع هذه العصابات مهما حشدت من مرتزقة أن تدخل حمص».",
        {("syrian-army", "homs", "gov")},
    ),
    # success far from its verb stays a success
    (
        "وتمكنت الفصائل المسلحة بعد معارك استمرت ثلاثة أيام من دخول مدينة حماة.",
        {("outlet", "hama", "opp")},
    ),
    # a party denying that anybody entered holds the city
    ("وقال الجيش: «لم يدخل أي مسلح إلى حمص».", {("syrian-army", "homs", "gov")}),
]


@pytest.mark.parametrize(("body", "expected"), FAR_ABILITY)
def test_a_verb_of_ability_governs_a_far_masdar(
    extractor: Extractor, body: str, expected: Triples
) -> None:
    check(extractor, body, expected)


STRONGHOLDS = [
    ("ونزح الآلاف إلى إدلب، معقل هيئة تحرير الشام.", {("outlet", "idlib", "opp")}),
    ("وتعد الرقة أبرز معاقل قسد في شمال شرق سوريا.", {("outlet", "raqqa", "sdf")}),
    ("وقصفت الطائرات مدينة إدلب، آخر معاقل المعارضة المسلحة.", {("outlet", "idlib", "opp")}),
    # what it was is not what it is
    ("وكانت حلب معقلاً للنظام.", set()),
    # a stronghold inside a city is a position: part of it
    ("ودخلت الفصائل معقل النظام في حماة.", {("outlet", "hama", "contested")}),
]


@pytest.mark.parametrize(("body", "expected"), STRONGHOLDS)
def test_a_city_called_a_partys_stronghold_is_held_by_it(
    extractor: Extractor, body: str, expected: Triples
) -> None:
    check(extractor, body, expected)


@pytest.mark.parametrize(
    ("line", "when"),
    [
        ("10:45 - المرصد: الفصائل تدخل مدينة حمص.", datetime(2024, 12, 5, 7, 45, tzinfo=UTC)),
        # afternoon and morning marks; later than the item (15:00 local) is the day before
        ("02:30 م - المرصد: الفصائل تدخل مدينة حمص.", datetime(2024, 12, 5, 11, 30, tzinfo=UTC)),
        ("04:30 م - المرصد: الفصائل تدخل مدينة حمص.", datetime(2024, 12, 4, 13, 30, tzinfo=UTC)),
        ("12:10 ص | المرصد: الفصائل تدخل مدينة حمص.", datetime(2024, 12, 4, 21, 10, tzinfo=UTC)),
        # a clock in GMT
        (
            "09:15 غرينتش - المرصد: الفصائل تدخل مدينة حمص.",
            datetime(2024, 12, 5, 9, 15, tzinfo=UTC),
        ),
        # a number that is no clock
        ("2024 - المرصد: الفصائل تدخل مدينة حمص.", PUBLISHED),
    ],
)
def test_live_blog_clock_forms(extractor: Extractor, line: str, when: datetime) -> None:
    item = Item(
        id="live",
        feed="test",
        outlet="Test Outlet",
        title="مباشر",
        text=line,
        link=None,
        published=PUBLISHED,
        fetched=PUBLISHED,
    )
    assert [c.when for c in extractor.extract(item)] == [when]


LABELLED_INTERVIEWS = [
    # answers labelled with the guest's name, given in the introduction
    (
        "أجرى تلفزيون سوريا مقابلة مع القيادي في إدارة العمليات العسكرية أبو حسن الحموي.\n"
        "تلفزيون سوريا: كيف دخلتم مدينة حلب؟\n"
        "الحموي: انهارت خطوط النظام، فدخلنا المدينة من جهة حي الحمدانية.\n"
        "تلفزيون سوريا: وماذا عن حماة؟\n"
        "أبو حسن الحموي: قواتنا على أطراف حماة، وسندخلها قريباً.",
        {("opposition", "aleppo", "opp")},
    ),
    # "the text of the statement:" after the statement was named
    (
        "أصدرت قوات سوريا الديمقراطية بياناً مساء اليوم.\n"
        "وفيما يلي نص البيان:\n"
        "صدت قواتنا هجوماً واسعاً على مدينة منبج.\n"
        "ويأتي ذلك بعد سيطرة الفصائل على تل رفعت.",
        {("sdf", "manbij", "sdf"), ("outlet", "tal-rifaat", "opp")},
    ),
]


@pytest.mark.parametrize(("body", "expected"), LABELLED_INTERVIEWS)
def test_labelled_answers_and_statement_texts(
    extractor: Extractor, body: str, expected: Triples
) -> None:
    check(extractor, body, expected)


CAPITAL_DOERS = [
    # a capital as the subject of taking or losing another city is the government
    (
        "دمشق تخسر حماة بعد أيام من سقوط حلب",
        {("outlet", "hama", "opp"), ("outlet", "aleppo", "opp")},
    ),
    ("واستعادت دمشق السيطرة على تدمر بدعم روسي.", {("outlet", "palmyra", "gov")}),
    (
        "وخسرت دمشق حلب وحماة خلال أسبوع.",
        {("outlet", "aleppo", "opp"), ("outlet", "hama", "opp")},
    ),
    # ... but a capital that is the object, or that fell, stays a city
    (
        "دخلت الفصائل دمشق وسيطرت على حمص.",
        {("outlet", "damascus", "opp"), ("outlet", "homs", "opp")},
    ),
    ("وسقطت دمشق بعد حمص.", {("outlet", "damascus", "opp")}),
]


@pytest.mark.parametrize(("body", "expected"), CAPITAL_DOERS)
def test_a_capital_that_takes_or_loses_a_city_is_the_government(
    extractor: Extractor, body: str, expected: Triples
) -> None:
    check(extractor, body, expected)


FRONTED_TIME_PHRASES = [
    (
        "بعد سيطرتها على حلب، دخلت الفصائل حماة وحمص تباعاً.",
        {("outlet", "aleppo", "opp"), ("outlet", "hama", "opp"), ("outlet", "homs", "opp")},
    ),
    (
        "وعقب انسحابه من حماة، تمركز الجيش في حمص.",
        {("outlet", "hama", "opp"), ("outlet", "homs", "gov")},
    ),
]


@pytest.mark.parametrize(("body", "expected"), FRONTED_TIME_PHRASES)
def test_the_pronoun_of_a_fronted_time_phrase_is_the_main_subject(
    extractor: Extractor, body: str, expected: Triples
) -> None:
    check(extractor, body, expected)


WHAT_WAS = [
    # كان + a present verb: what was going on, not now
    ("وكانت قوات النظام تسيطر على حلب منذ عام 2016.", set()),
    ("وكان الجيش يسيطر على مدينة حماة قبل الهجوم.", set()),
    (
        "وحلب التي كانت تسيطر عليها الحكومة منذ 2016 سقطت خلال ساعات.",
        {("outlet", "aleppo", "opp")},
    ),
    # a state that lasted until a past time is over
    ("وظلت مدينة درعا تحت سيطرة الحكومة حتى الأسبوع الماضي.", set()),
    # ... and a present state is still one
    ("ولا تزال مدينة الحسكة تحت سيطرة قسد حتى اليوم.", {("outlet", "hasakah", "sdf")}),
]


@pytest.mark.parametrize(("body", "expected"), WHAT_WAS)
def test_what_was_is_not_what_is(extractor: Extractor, body: str, expected: Triples) -> None:
    check(extractor, body, expected)


REFERRING_BACK = [
    # the statement or the spokesman told of before goes on
    (
        "وقالت قسد في بيان إنها صدت هجوماً على منبج.\n"
        "ولفت البيان إلى أن قواتها تسيطر على مدينة الحسكة بالكامل.",
        {("sdf", "manbij", "sdf"), ("sdf", "hasakah", "sdf")},
    ),
    (
        "وقالت قسد في بيان إنها صدت هجوماً على منبج.\n"
        "وأشار المتحدث إلى أن قواتها تسيطر على مدينة الحسكة بالكامل.",
        {("sdf", "manbij", "sdf"), ("sdf", "hasakah", "sdf")},
    ),
    # "the source" is the source quoted last, a party's or an anonymous one
    (
        "وقال مصدر عسكري إن الجيش صد هجوماً على حماة.\n"
        "وأضاف المصدر، الذي طلب عدم الكشف عن هويته، أن الجيش يتمركز في حمص.",
        {("syrian-army", "hama", "gov"), ("syrian-army", "homs", "gov")},
    ),
    (
        "وقال مصدر عسكري إن الجيش صد هجوماً على حماة.\n"
        "وقالت مصادر ميدانية إن الفصائل دخلت إدلب.\n"
        "وبحسب المصادر ذاتها، سيطرت الفصائل على سراقب.",
        {("syrian-army", "hama", "gov"), ("outlet", "idlib", "opp"), ("outlet", "saraqib", "opp")},
    ),
]


@pytest.mark.parametrize(("body", "expected"), REFERRING_BACK)
def test_a_statement_or_source_referred_back_to(
    extractor: Extractor, body: str, expected: Triples
) -> None:
    check(extractor, body, expected)


RETRACTIONS = [
    # a statement taken back is nobody's claim; what is said instead is
    (
        "وكانت الفصائل قد أعلنت دخول مدينة حمص، قبل أن تتراجع عن ذلك وتقول إن الاشتباكات لا تزال"
        " مستمرة على أطرافها.",
        {("opposition", "homs", "contested")},
    ),
    ("وسحبت وكالة رويترز خبراً عن سقوط حمص بعد دقائق من نشره.", set()),
    ("ونشرت صفحات موالية للفصائل خبر دخول حمص، ثم حذفته لاحقاً.", set()),
    ("وتراجع المرصد عن إعلانه سيطرة الفصائل على حمص.", set()),
    # a withdrawal of forces is no retraction
    ("وسحب الجيش قواته من حماة.", {("outlet", "hama", "opp")}),
    ("وسحبت روسيا سفنها من طرطوس.", set()),
]


@pytest.mark.parametrize(("body", "expected"), RETRACTIONS)
def test_a_retracted_statement_is_nobodys_claim(
    extractor: Extractor, body: str, expected: Triples
) -> None:
    check(extractor, body, expected)


JOINED_SPEAKERS = [
    # a joined past reporting verb has the subject of the sentence's first verb
    (
        "كما تراجع المرصد السوري لحقوق الإنسان عن إعلانه سيطرة الفصائل على أحياء حمص، وقال إن"
        " المعارك لا تزال تدور على أطراف المدينة.",
        {("sohr", "homs", "contested")},
    ),
    (
        "ورحب الجيش الوطني بانسحاب قسد من منبج، وقال إن مقاتليه دخلوا المدينة.",
        # (the withdrawal told before the statement is the outlet's own narration)
        {("outlet", "manbij", "opp"), ("opposition", "manbij", "opp")},
    ),
]


@pytest.mark.parametrize(("body", "expected"), JOINED_SPEAKERS)
def test_a_joined_reporting_verb_has_the_first_subject(
    extractor: Extractor, body: str, expected: Triples
) -> None:
    check(extractor, body, expected)


ROAMING = [
    ("وأظهرت مقاطع مصورة مقاتلي الفصائل يتجولون في شوارع حماة.", {("outlet", "hama", "opp")}),
    # a curfew is no roaming
    ("وفرضت قسد حظر تجول في الرقة.", set()),
]


@pytest.mark.parametrize(("body", "expected"), ROAMING)
def test_fighters_roaming_a_citys_streets_hold_it(
    extractor: Extractor, body: str, expected: Triples
) -> None:
    check(extractor, body, expected)


HEARSAY_FORMS = [
    # what the enemy spreads (ما يروجه) is nobody's claim
    ("ونقلت سانا عن مصدر عسكري قوله: «ما يروجه الإرهابيون عن دخول حماة كذب».", set()),
    ("وقال الجيش إن ما روجته الفصائل عن سقوط حمص غير صحيح.", {("syrian-army", "homs", "gov")}),
]


@pytest.mark.parametrize(("body", "expected"), HEARSAY_FORMS)
def test_what_the_enemy_spreads_is_not_claimed(
    extractor: Extractor, body: str, expected: Triples
) -> None:
    check(extractor, body, expected)


RELAYED_WITH_NAQLAN = [
    # نقلاً عن after an agency's verb: an anonymous source leaves the agency speaking
    (
        "وذكرت صحيفة واشنطن بوست نقلاً عن مصادر مطلعة أن الفصائل دخلت مدينة حمص.",
        {("media", "homs", "opp")},
    ),
    # ... a known body quoted speaks
    (
        "وقالت وكالة رويترز نقلاً عن مصدرين في الجيش السوري إن القوات الحكومية انسحبت من حماة.",
        {("syrian-army", "hama", "opp")},
    ),
]


@pytest.mark.parametrize(("body", "expected"), RELAYED_WITH_NAQLAN)
def test_an_agency_relaying_with_naqlan_an(
    extractor: Extractor, body: str, expected: Triples
) -> None:
    check(extractor, body, expected)


NO_WITHDRAWAL = [
    # «لا انسحاب من …» from a party: it holds the city; from a neutral voice: nothing
    ("دمشق: لا انسحاب من حمص", {("syrian-government", "homs", "gov")}),
    ("وقالت الفصائل: «لا انسحاب من حلب».", {("opposition", "aleppo", "opp")}),
    ("ولا انسحاب للجيش من حماة، بحسب المرصد.", set()),
]


@pytest.mark.parametrize(("body", "expected"), NO_WITHDRAWAL)
def test_no_withdrawal_from_a_party_is_its_hold(
    extractor: Extractor, body: str, expected: Triples
) -> None:
    check(extractor, body, expected)


BODIES_NAMED_AGAIN = [
    # a body named again with the article (الوزارة) is the one named before, not the last
    # speaker
    (
        "وقالت وزارة الدفاع السورية إن الجيش صد هجوماً على حماة.\n"
        "وقال المرصد إن الفصائل دخلت أحياء في حماة.\n"
        "وأضافت الوزارة أن الوضع في حمص مستقر.",
        {
            ("syrian-army", "hama", "gov"),
            ("sohr", "hama", "contested"),
            ("syrian-army", "homs", "gov"),
        },
    ),
]


@pytest.mark.parametrize(("body", "expected"), BODIES_NAMED_AGAIN)
def test_a_body_named_again_with_the_article(
    extractor: Extractor, body: str, expected: Triples
) -> None:
    check(extractor, body, expected)


BACK_REFERENCES = [
    # a masdar that looks like a present verb (وتموضعها) does not end the clause
    (
        "قالت القيادة العامة للجيش في بيان إن وحداتها أعادت انتشارها وتموضعها خارج مدينة حماة.",
        {("syrian-army", "hama", "opp")},
    ),
]


@pytest.mark.parametrize(("body", "expected"), BACK_REFERENCES)
def test_a_masdar_like_a_verb_does_not_end_the_clause(
    extractor: Extractor, body: str, expected: Triples
) -> None:
    check(extractor, body, expected)


def test_an_answer_after_an_interview_question_is_the_guests(extractor: Extractor) -> None:
    body = (
        "في مقابلة مع القيادي في إدارة العمليات العسكرية أبو حسن الحموي، تحدث عن المعركة.\n"
        "كيف دخلتم حلب بهذه السرعة؟\n"
        "انهارت خطوط النظام، فدخلنا المدينة من ثلاثة محاور.\n"
        "وماذا عن حماة؟\n"
        "قواتنا على أطراف حماة، وسندخلها قريباً."
    )
    assert read(extractor, body) == {("opposition", "aleppo", "opp")}
    # a question in an article with no interview is no interview's
    assert read(extractor, "هل سقطت حلب؟\nسيطرت الفصائل على حلب بعد معارك.") == {
        ("outlet", "aleppo", "opp")
    }
    # the agency an interview is given to asks; the speaker answers
    body = (
        "وقال مظلوم عبدي في مقابلة مع وكالة فرانس برس إن قواته تسيطر على الرقة.\n"
        "ما الذي حدث في منبج؟\n"
        "انسحبت قسد من منبج بعد اتفاق."
    )
    assert read(extractor, body) == {("sdf", "raqqa", "sdf"), ("sdf", "manbij", "opp")}


# --- second round: unseen-news failure kinds ------

NEVER_DID_NEVER_WILL = [
    # «لم ولن نسلم/ننسحب/نتخلى»: negated past and future from a party: it holds the city
    (
        "وقال القائد العام لقوات سوريا الديمقراطية: «لم ولن نسلم منبج».",
        {("sdf", "manbij", "sdf")},
    ),
    ("وقالت الفصائل في بيان: «لم ولن نتخلى عن إدلب».", {("opposition", "idlib", "opp")}),
    ("وأكد الجيش السوري: «لم ولن ننسحب من مدينة حمص».", {("syrian-army", "homs", "gov")}),
    # «نسلم بأن» is "we grant that", no handover; what is granted is still read
    ("وقال الجيش السوري: «نسلم بأن الوضع في حمص صعب».", set()),
    # a third party giving a city up (تخلى عن) loses it to the other side
    ("وتخلت قوات النظام عن مدينة حماة دون قتال.", {("outlet", "hama", "opp")}),
]


@pytest.mark.parametrize(("body", "expected"), NEVER_DID_NEVER_WILL)
def test_never_did_and_never_will_hand_over_is_a_hold(
    extractor: Extractor, body: str, expected: Triples
) -> None:
    check(extractor, body, expected)


SHARED_CONTROL = [
    ("تتقاسم قسد والحكومة السيطرة على الحسكة.", {("outlet", "hasakah", "contested")}),
    (
        "وتتقاسم قوات سوريا الديمقراطية والقوات الحكومية السيطرة على مدينة القامشلي منذ سنوات.",
        {("outlet", "qamishli", "contested")},
    ),
    (
        "وقال المرصد إن مدينة الحسكة تخضع لسيطرة مشتركة بين قسد والقوات الحكومية.",
        {("sohr", "hasakah", "contested")},
    ),
    ("ومدينة القامشلي تحت سيطرة مشتركة لقسد والنظام.", {("outlet", "qamishli", "contested")}),
    ("ومدينة القامشلي تحت سيطرة قسد.", {("outlet", "qamishli", "sdf")}),
    # shared before, whole now: the sharing was, the capture is
    (
        "وقال المرصد إن قوات سوريا الديمقراطية سيطرت على مدينة الحسكة بالكامل"
        " بعد أن كانت تتقاسم السيطرة عليها مع الحكومة.",
        {("sohr", "hasakah", "sdf")},
    ),
]


@pytest.mark.parametrize(("body", "expected"), SHARED_CONTROL)
def test_shared_control_is_contested(extractor: Extractor, body: str, expected: Triples) -> None:
    check(extractor, body, expected)


INCLUDED_CITY = [
    # a city named as included in a governorate or countryside is in the claim
    (
        "أعلنت الفصائل سيطرتها على محافظة الرقة بما فيها مدينة الرقة.",
        {("opposition", "raqqa", "opp")},
    ),
    (
        "وسيطرت قسد على محافظة الحسكة بما فيها مدينة الحسكة، وفق المرصد.",
        {("sohr", "hasakah", "sdf")},
    ),
    (
        "وقال المرصد إن الفصائل باتت تسيطر على محافظة إدلب بما في ذلك مركز المحافظة.",
        {("sohr", "idlib", "opp")},
    ),
    ("وانسحب الجيش من ريف حلب الشمالي بما فيه مدينة منبج.", {("outlet", "manbij", "opp")}),
    # a city named after the countryside with its own head noun is the city
    ("وسيطرت الفصائل على ريف حماة الشمالي ومدينة حماة.", {("outlet", "hama", "opp")}),
    # the governorate alone, or towns of it, are not the city
    ("وسيطرت الفصائل على محافظة حماة.", set()),
    ("وسيطرت الفصائل على معظم محافظة درعا بما فيها بلدات عدة في ريفها.", set()),
    ("وسيطرت الفصائل على ريف حماة الشمالي وحمص.", set()),
]


@pytest.mark.parametrize(("body", "expected"), INCLUDED_CITY)
def test_a_city_included_in_a_governorate_is_claimed(
    extractor: Extractor, body: str, expected: Triples
) -> None:
    check(extractor, body, expected)


CALM = [
    # a neutral voice calling a city calm: held by whoever the item said holds it
    (
        "سيطرت الفصائل على مدينة حلب. وقال المرصد إن الوضع في مدينة حلب مستقر.",
        {("outlet", "aleppo", "opp"), ("sohr", "aleppo", "opp")},
    ),
    # … and nobody, when the item named no holder of that city, or told of fighting in it
    ("وقال المرصد إن الوضع في مدينة طرطوس مستقر.", set()),
    (
        "سيطرت الفصائل على مدينة حلب. وقال المرصد إن الوضع في مدينة حمص مستقر.",
        {("outlet", "aleppo", "opp")},
    ),
    (
        "اندلعت اشتباكات في مدينة حماة. وقال المرصد إن الوضع في مدينة حماة هادئ.",
        {("outlet", "hama", "contested")},
    ),
    # calm and under control: the control phrase names the holder
    (
        "وقال المرصد إن الوضع في مدينة طرطوس مستقر وتحت سيطرة القوات الحكومية.",
        {("sohr", "tartus", "gov")},
    ),
    (
        "وأفادت وكالة فرانس برس بأن مدينة حمص هادئة وتحت سيطرة الجيش السوري.",
        {("media", "homs", "gov")},
    ),
]


@pytest.mark.parametrize(("body", "expected"), CALM)
def test_a_neutral_voice_calling_a_city_calm(
    extractor: Extractor, body: str, expected: Triples
) -> None:
    check(extractor, body, expected)


NOT_THE_CITY = [
    # a road between two cities, a village named like a city: neither city is taken
    ("وسيطرت الفصائل على الطريق الواصل بين حماة وحمص.", set()),
    ("وقطعت الفصائل الطريق الرابط بين حلب ودمشق.", set()),
    ("وسيطرت قوات النظام على قرية الرقة في ريف حماة.", set()),
    # the city itself after the road still counts
    (
        "وسيطرت الفصائل على الطريق الواصل بين حماة وحمص، ثم دخلت مدينة حمص.",
        {("outlet", "homs", "opp")},
    ),
]


@pytest.mark.parametrize(("body", "expected"), NOT_THE_CITY)
def test_a_road_between_cities_or_a_namesake_village_is_not_the_city(
    extractor: Extractor, body: str, expected: Triples
) -> None:
    check(extractor, body, expected)


PAST_AND_SUPPOSED = [
    # a "قبل أن" clause after an event told with a past year is history too
    (
        "وكانت الفصائل قد سيطرت على مدينة حلب عام 2012، قبل أن تستعيدها القوات الحكومية.",
        set(),
    ),
    # … unless it says a time of its own
    (
        "كانت القوات الحكومية قد سيطرت على حلب عام 2016 قبل أن تخسرها الأسبوع الماضي.",
        {("outlet", "aleppo", "opp")},
    ),
    # what a "قبل أن" clause tells of the same city came after: the earlier state is over
    (
        "وكانت الفصائل قد سيطرت على مدينة حلب قبل أن تستعيدها القوات الحكومية.",
        {("outlet", "aleppo", "gov")},
    ),
    (
        "سيطرت الفصائل على أحياء في حلب قبل أن تدخل مدينة حماة.",
        {("outlet", "aleppo", "contested"), ("outlet", "hama", "opp")},
    ),
    # an event noun as the subject of قد + present: what it may bring, no event told
    ("وحذر محللون من أن سقوط حماة قد يفتح الطريق أمام الفصائل نحو حمص.", set()),
    ("ويرى مراقبون أن دخول الفصائل إلى مدينة حمص قد يؤدي إلى عزل الساحل.", set()),
    # after the fall, what may come next: the fall is told as done
    ("وبعد سقوط حماة قد تتجه الفصائل نحو حمص.", {("outlet", "hama", "opp")}),
    ("وسيطرت الفصائل على حماة، وقد تتقدم نحو حمص.", {("outlet", "hama", "opp")}),
]


@pytest.mark.parametrize(("body", "expected"), PAST_AND_SUPPOSED)
def test_history_before_that_and_what_may_follow(
    extractor: Extractor, body: str, expected: Triples
) -> None:
    check(extractor, body, expected)


LEFT_POSITIONS = [
    # leaving one's positions in a city is a withdrawal from it
    (
        "وقال مصدر عسكري: «طلبنا من قواتنا ترك مواقعها داخل المدينة».",
        {("syrian-army", "homs", "opp")},
        "حمص",
    ),
    (
        "وقال مصدر عسكري إن القيادة أوعزت للقوات بمغادرة مواقعها في المدينة.",
        {("syrian-army", "homs", "opp")},
        "حمص",
    ),
    (
        "وقالت الفصائل إن قوات النظام تركت مواقعها في مدينة حماة وفرت.",
        {("opposition", "hama", "opp")},
        "",
    ),
    # civilians leaving are no party's withdrawal
    ("وغادر آلاف السكان مواقعهم في مدينة حمص.", set(), ""),
]


@pytest.mark.parametrize(("body", "expected", "title"), LEFT_POSITIONS)
def test_leaving_positions_in_a_city_is_a_withdrawal(
    extractor: Extractor, body: str, expected: Triples, title: str
) -> None:
    check(extractor, body, expected, title)


GOAL_NOT_ANTECEDENT = [
    (
        "وقال القائد: «هدفنا الوصول إلى حمص». وأضاف أن المدينة باتت تحت سيطرة قواتنا بالكامل.",
        {("opposition", "hama", "opp"), ("outlet", "hama", "opp")},
    ),
    (
        "وقالت الفصائل إن هدفها التالي هو حمص. وأكدت أن قواتها دخلت المدينة صباح اليوم.",
        {("opposition", "hama", "opp"), ("outlet", "hama", "opp")},
    ),
]


@pytest.mark.parametrize(("body", "expected"), GOAL_NOT_ANTECEDENT)
def test_the_city_is_not_one_named_only_as_a_goal(
    extractor: Extractor, body: str, expected: Triples
) -> None:
    check(extractor, body, expected, "الفصائل تسيطر على حماة")


UNVERIFIED = [
    # what could not be verified is claimed by nobody
    ("ولم يتسن لرويترز التحقق من صحة سيطرة الفصائل على حمص.", set()),
    ("ولم يتسن التحقق من دخول الفصائل إلى مدينة حمص بشكل مستقل.", set()),
    ("ويتعذر التأكد من سيطرة الفصائل على حمص.", set()),
    # what was verified is told
    ("وتمكنت رويترز من التحقق من سيطرة الفصائل على حمص.", {("outlet", "homs", "opp")}),
    # the source's own claim stands beside the outlet's note that it could not verify it
    (
        "ونقلت وكالة رويترز عن مصادر في المعارضة قولها إن الفصائل دخلت حمص،"
        " دون أن يتسنى التحقق من ذلك بشكل مستقل.",
        {("opposition", "homs", "opp")},
    ),
]


@pytest.mark.parametrize(("body", "expected"), UNVERIFIED)
def test_what_could_not_be_verified_is_no_claim(
    extractor: Extractor, body: str, expected: Triples
) -> None:
    check(extractor, body, expected)


DISMISSED_AFTER = [
    # a masculine dismissal after what it dismisses: the party denies it and holds the city
    ("وقال الجيش إن ما تبثه الفصائل عن دخول حماة مفبرك.", {("syrian-army", "hama", "gov")}),
    ("وقال الجيش إن الخبر عن انسحاب قواته من حمص كاذب.", {("syrian-army", "homs", "gov")}),
]


@pytest.mark.parametrize(("body", "expected"), DISMISSED_AFTER)
def test_a_dismissal_after_the_report_is_a_denial(
    extractor: Extractor, body: str, expected: Triples
) -> None:
    check(extractor, body, expected)


GIVING_UP = [
    ("وأكدت قسد أنها لم ولن تتخلى عن منبج.", {("sdf", "manbij", "sdf")}),
    ("وقال الجيش إنه لن يتخلى عن حلب.", {("syrian-army", "aleppo", "gov")}),
    # what is given up must be the city itself, right after عن
    ("وتخلت روسيا عن دعم النظام في حلب.", set()),
    ("وتتخلى روسيا عن دعم النظام في حلب.", set()),
]


@pytest.mark.parametrize(("body", "expected"), GIVING_UP)
def test_giving_up_a_city(extractor: Extractor, body: str, expected: Triples) -> None:
    check(extractor, body, expected)


BY_ITS_OWN_ACCOUNT = [
    # "according to its claim/announcement": the actor told of before speaks, not the outlet
    ("وسيطرت الفصائل على حمص حسب ادعائها.", {("opposition", "homs", "opp")}),
    ("وسيطرت الفصائل على حمص حسب إعلانها.", {("opposition", "homs", "opp")}),
    ("وانسحب الجيش من حماة بحسب إعلانه.", {("syrian-army", "hama", "opp")}),
]


@pytest.mark.parametrize(("body", "expected"), BY_ITS_OWN_ACCOUNT)
def test_according_to_its_own_claim(extractor: Extractor, body: str, expected: Triples) -> None:
    check(extractor, body, expected)
