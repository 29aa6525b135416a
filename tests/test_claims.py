"""The claim extractor: attribution, stance, kind, city scope, modality and time, one pattern
per test, then the hand-annotated gold set item by item."""

from __future__ import annotations

import itertools
import json
import threading
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sitboard.ingest.claims import Extractor
from sitboard.ingest.model import KINDS, STANCES, STATES, Claim, Item
from sitboard.ingest.profile import Profile, load_profile
from sitboard.ingest.resolve import resolve_claims

# A Thursday, 15:00 in Damascus.
PUBLISHED = datetime(2024, 12, 5, 12, 0, tzinfo=UTC)
GOLD = Path(__file__).parent / "data" / "gold"


@pytest.fixture(scope="module")
def profile() -> Profile:
    return load_profile("syria")


@pytest.fixture(scope="module")
def extractor(profile: Profile) -> Extractor:
    return Extractor(profile)


def item(title: str, body: str = "", *, outlet: str = "Test Outlet", feed: str = "test") -> Item:
    return Item(
        id="item-1",
        feed=feed,
        outlet=outlet,
        title=title,
        text=body,
        link=None,
        published=PUBLISHED,
        fetched=PUBLISHED,
    )


def read(extractor: Extractor, title: str, body: str = "", **kw: str) -> list[Claim]:
    return extractor.extract(item(title, body, **kw))


def triples(claims: list[Claim]) -> set[tuple[str, str, str]]:
    return {(c.source, c.city, c.state) for c in claims}


# --- the claim itself ---------------------------------------------------------------------


def test_claim_fields_are_filled_from_item_and_profile(extractor: Extractor) -> None:
    sentence = "وقال المرصد السوري لحقوق الإنسان إن الفصائل المسلحة سيطرت على مدينة إدلب."
    (claim,) = read(extractor, "", sentence, outlet="Some Outlet")
    assert (claim.source, claim.side, claim.city, claim.state) == (
        "sohr",
        "observer",
        "idlib",
        "opp",
    )
    assert (claim.kind, claim.stance) == ("capture", "assert")
    assert claim.item == "item-1"
    assert claim.outlet == "Some Outlet"
    assert claim.evidence == sentence
    assert claim.when is not None and claim.when.date() == PUBLISHED.date()
    assert 0.0 < claim.confidence <= 1.0
    assert claim.state in STATES and claim.kind in KINDS and claim.stance in STANCES


def test_item_without_control_events_has_no_claims(extractor: Extractor) -> None:
    assert (
        read(extractor, "وزير الصحة يزور مستشفى حلب الجامعي", "وتفقد الوزير أقسام المستشفى.") == []
    )


def test_claims_come_in_text_order_title_first(extractor: Extractor) -> None:
    claims = read(
        extractor,
        "الفصائل تعلن سيطرتها على مدينة إدلب",
        "وقال المرصد السوري إن الجيش انسحب من مدينة حلب.",
    )
    assert [c.city for c in claims] == ["idlib", "aleppo"]


# --- attribution --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # verb first
        ("وقال المرصد السوري إن الفصائل سيطرت على مدينة إدلب.", ("sohr", "idlib", "opp")),
        (
            "أكدت وزارة الدفاع الروسية أن القوات الحكومية صدت هجوماً على مدينة حمص.",
            ("russia", "homs", "gov"),
        ),
        # actor first, as headlines are written
        ("الفصائل المسلحة تعلن سيطرتها على مدينة حلب", ("opposition", "aleppo", "opp")),
        (
            "كان المرصد السوري قد أفاد في وقت سابق بأن الجيش انسحب من مدينة درعا.",
            ("sohr", "daraa", "opp"),
        ),
        # attribution at the end
        (
            "دخلت الفصائل مدينة حمص، وفق ما أفاد المرصد السوري لحقوق الإنسان.",
            ("sohr", "homs", "opp"),
        ),
        ("انسحبت القوات الحكومية من مدينة درعا وفقاً للمرصد السوري.", ("sohr", "daraa", "opp")),
        ("دخلت الفصائل مدينة حماة، وفقاً لما أعلنه المرصد السوري.", ("sohr", "hama", "opp")),
        (
            "سيطرت الفصائل على مطار حلب الدولي، بحسب ما ذكرت وكالة رويترز.",
            ("media", "aleppo", "opp"),
        ),
        # a named person or a title that speaks for an organisation
        (
            "وقال القيادي أبو خالد من هيئة تحرير الشام إن مقاتليها اقتحموا مدينة حماة.",
            ("opposition", "hama", "opp"),
        ),
        ("وقال قائد ميداني في قسد إن قواته تنتشر داخل مدينة الرقة.", ("sdf", "raqqa", "sdf")),
        (
            "وقال مصدر عسكري سوري إن وحدات الجيش تتمركز داخل مدينة حمص.",
            ("syrian-army", "homs", "gov"),
        ),
        # whom it was said to is not who said it
        (
            "وقال مصدر عسكري لوكالة رويترز إن الجيش استعاد مدينة حماة.",
            ("syrian-army", "hama", "gov"),
        ),
        # a headline with a colon
        ("مصدر عسكري: وحدات الجيش تتمركز داخل مدينة حمص", ("syrian-army", "homs", "gov")),
        # anonymous sources are the outlet's own voice
        ("أفادت مصادر ميدانية بأن الفصائل دخلت مدينة حماة.", ("outlet", "hama", "opp")),
        # no attribution at all
        ("سيطرت الفصائل المسلحة على مدينة إدلب.", ("outlet", "idlib", "opp")),
    ],
)
def test_attribution(extractor: Extractor, sentence: str, expected: tuple[str, str, str]) -> None:
    assert triples(read(extractor, "", sentence)) == {expected}


def test_outlet_voice_is_the_mapped_actor(extractor: Extractor) -> None:
    claims = read(extractor, "وحدات الجيش تستعيد السيطرة على مدينة حماة", outlet="سانا")
    assert triples(claims) == {("sana", "hama", "gov")}
    plain = read(extractor, "وحدات الجيش تستعيد السيطرة على مدينة حماة", outlet="Other")
    assert triples(plain) == {("outlet", "hama", "gov")}


def test_continuation_keeps_the_previous_speaker(extractor: Extractor) -> None:
    claims = read(
        extractor,
        "",
        "وقال الجيش السوري في بيان إن وحداته خاضت معارك عنيفة طوال الليل.\n"
        "وأضاف أن قواته انسحبت من مدينة حمص لحماية المدنيين.",
    )
    assert triples(claims) == {("syrian-army", "homs", "opp")}
    assert claims[0].stance == "admit"


def test_continuation_with_no_subject_in_the_same_sentence(extractor: Extractor) -> None:
    claims = read(
        extractor,
        "",
        "نفى الجيش السوري دخول الفصائل إلى مدينة حمص، مؤكداً أن وحداته تتمركز داخل المدينة.",
    )
    assert triples(claims) == {("syrian-army", "homs", "gov")}


def test_first_person_in_a_quote_is_the_speakers_side(extractor: Extractor) -> None:
    claims = read(extractor, "", "وقال قائد في إدارة العمليات العسكرية: «قواتنا دخلت مدينة درعا».")
    assert triples(claims) == {("opposition", "daraa", "opp")}
    army = read(
        extractor, "", "وقال الجيش السوري في بيان: «تمكنت قواتنا من صد الهجوم على مدينة حمص»."
    )
    assert triples(army) == {("syrian-army", "homs", "gov")}


def test_what_another_said_inside_a_denial_is_not_theirs(extractor: Extractor) -> None:
    claims = read(extractor, "", "نفى الجيش السوري ما أعلنته الفصائل عن دخول مدينة حمص.")
    assert triples(claims) == {("syrian-army", "homs", "gov")}


# --- stance -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "source", "state", "stance"),
    [
        ("قالت الفصائل المسلحة إنها سيطرت على مدينة حماة.", "opposition", "opp", "assert"),
        ("الجيش السوري يقر بخسارة مدينة إدلب", "syrian-army", "opp", "admit"),
        ("اعترف الجيش السوري بانسحاب قواته من مدينة حلب.", "syrian-army", "opp", "admit"),
        # a party saying the other side holds the city is an admission, whatever the verb
        ("قال الجيش السوري إن قواته انسحبت من مدينة حلب.", "syrian-army", "opp", "admit"),
        ("نفى الجيش السوري دخول الفصائل إلى مدينة حمص.", "syrian-army", "gov", "deny"),
        (
            "وقال مصدر عسكري إن الأنباء عن انسحاب الجيش من مدينة حماة عارية عن الصحة.",
            "syrian-army",
            "gov",
            "deny",
        ),
        ("زعمت التنظيمات الإرهابية أنها دخلت مدينة حمص.", "opposition", "opp", "allege"),
        ("ادعت الفصائل سيطرتها على مدينة حماة.", "opposition", "opp", "allege"),
    ],
)
def test_stance(extractor: Extractor, sentence: str, source: str, state: str, stance: str) -> None:
    (claim,) = read(extractor, "", sentence)
    assert (claim.source, claim.state, claim.stance) == (source, state, stance)


def test_a_denial_is_kind_denial_and_the_speaker_still_holds(extractor: Extractor) -> None:
    (claim,) = read(extractor, "", "نفت قوات سوريا الديمقراطية انسحابها من مدينة الرقة.")
    assert (claim.source, claim.state, claim.kind, claim.stance) == ("sdf", "sdf", "denial", "deny")


def test_a_neutral_denial_only_keeps_the_fighting(extractor: Extractor) -> None:
    assert (
        read(extractor, "", "كذّب المرصد السوري رواية الجيش عن إبعاد الفصائل عن مدينة حماة.") == []
    )
    claims = read(
        extractor,
        "",
        "كذّب المرصد السوري رواية الجيش، مؤكداً أن الاشتباكات لا تزال تدور داخل مدينة حماة.",
    )
    assert triples(claims) == {("sohr", "hama", "contested")}


# --- kind and state -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "kind", "state"),
    [
        ("سيطرت الفصائل المسلحة على مدينة حماة.", "capture", "opp"),
        ("بسطت قوات سوريا الديمقراطية سيطرتها على مدينة دير الزور.", "capture", "sdf"),
        ("دخلت الفصائل المسلحة مدينة حمص.", "entry", "opp"),
        ("استعاد الجيش السوري السيطرة على مدينة سراقب.", "recapture", "gov"),
        ("أقرت الفصائل بخسارة مدينة سراقب.", "loss", "gov"),
        ("انسحبت القوات الحكومية من مدينة درعا.", "withdrawal", "opp"),
        ("تتمركز وحدات الجيش السوري داخل مدينة حمص.", "hold", "gov"),
        ("صد الجيش السوري هجوماً للفصائل على مدينة حماة.", "repel", "gov"),
        ("اشتباكات عنيفة بين الجيش والفصائل داخل مدينة حماة.", "fighting", "contested"),
        ("بدأت الفصائل التوغل داخل مدينة حمص.", "entry", "contested"),
        ("طردت الفصائل القوات الحكومية من مدينة السويداء.", "capture", "opp"),
        ("باتت مدينة حلب تحت سيطرة الفصائل المسلحة.", "capture", "opp"),
        ("سقطت مدينة حماة بيد الفصائل.", "capture", "opp"),
        ("أصبحت مدينة درعا خارج سيطرة الحكومة السورية.", "loss", "opp"),
    ],
)
def test_kind_and_state(extractor: Extractor, sentence: str, kind: str, state: str) -> None:
    (claim,) = read(extractor, "", sentence)
    assert (claim.kind, claim.state) == (kind, state)


def test_the_genitive_of_a_repel_noun_is_the_one_pushed_back(extractor: Extractor) -> None:
    claims = read(extractor, "", "أفاد المرصد بإبعاد الفصائل المسلحة عن مدينة حماة.")
    assert triples(claims) == {("sohr", "hama", "gov")}


def test_loss_goes_to_the_other_party_named(extractor: Extractor) -> None:
    claims = read(extractor, "", "انسحبت قسد من مدينة منبج أمام تقدم الجيش الوطني السوري.")
    assert triples(claims) == {("outlet", "manbij", "opp")}


# --- which city ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("سيطرت الفصائل على ريف حماة الشمالي.", set()),
        ("سيطرت الفصائل على بلدات في محافظة حماة.", set()),
        (
            "وصلت الفصائل إلى أطراف مدينة حمص ودخلت أطراف المدينة.",
            {("outlet", "homs", "contested")},
        ),
        ("تقدمت الفصائل باتجاه مدينة حمص.", set()),
        ("صد الجيش السوري هجوماً للفصائل باتجاه مدينة حمص.", {("outlet", "homs", "gov")}),
        ("سيطرت الفصائل على نصف مدينة حلب.", {("outlet", "aleppo", "contested")}),
        ("سيطرت الفصائل على حلب وإدلب.", {("outlet", "aleppo", "opp"), ("outlet", "idlib", "opp")}),
        ("سيطرت الفصائل على بلدة خان شيخون جنوبي إدلب.", {("outlet", "khan-shaykhun", "opp")}),
    ],
)
def test_city_scope(extractor: Extractor, sentence: str, expected: set) -> None:
    assert triples(read(extractor, "", sentence)) == expected


def test_the_city_refers_back_to_the_last_named_city(extractor: Extractor) -> None:
    claims = read(
        extractor,
        "",
        "وصلت الفصائل إلى مشارف مدينة حماة من جهة الشمال.\n"
        "وأفاد المرصد السوري بأن اشتباكات عنيفة تدور داخل المدينة.",
    )
    assert triples(claims) == {("sohr", "hama", "contested")}


def test_the_city_skips_a_countryside_named_later(extractor: Extractor) -> None:
    claims = read(
        extractor,
        "",
        "سيطرت الفصائل على مدينة تدمر بعد انسحاب الجيش منها باتجاه ريف حمص.\n"
        "وقال المرصد السوري إن الفصائل باتت تسيطر على كامل المدينة.",
    )
    assert ("sohr", "palmyra", "opp") in triples(claims)
    assert all(c.city != "homs" for c in claims)


def test_a_pronoun_on_the_event_is_the_city(extractor: Extractor) -> None:
    claims = read(
        extractor, "", "قال الجيش إن المسلحين اخترقوا محاور في مدينة حمص ودخولها بأعداد كبيرة."
    )
    assert ("syrian-army", "homs", "opp") in triples(claims)


# --- not a claim of control now -----------------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "لم تدخل الفصائل مدينة حمص حتى الآن.",  # negation
        "سيدخل مقاتلونا مدينة حمص قريباً.",  # future
        "تسعى الفصائل إلى دخول مدينة حمص.",  # intent
        "تستعد الفصائل لاقتحام مدينة حماة.",  # intent, and a purpose masdar
        "حشدت الفصائل مقاتليها للسيطرة على مدينة حماة.",  # purpose
        "هل سقطت مدينة حلب بيد الفصائل؟",  # question
        "هل دخلت الفصائل مدينة حلب",  # question with no mark
        "سيطرت الفصائل على الأحياء الشرقية من مدينة حلب عام 2012.",  # history
        "كانت مدينة حلب تحت سيطرة الحكومة بالكامل منذ 2016.",  # a former state
    ],
)
def test_no_claim(extractor: Extractor, sentence: str) -> None:
    assert read(extractor, "", sentence) == []


def test_inability_is_a_claim_that_the_other_side_holds(extractor: Extractor) -> None:
    claims = read(extractor, "", "وقال الجيش السوري إن المسلحين لن يتمكنوا من دخول مدينة حلب.")
    assert triples(claims) == {("syrian-army", "aleppo", "gov")}
    (claim,) = claims
    assert claim.kind == "repel"


def test_since_a_year_is_a_present_state(extractor: Extractor) -> None:
    claims = read(
        extractor,
        "",
        "تقع مدينة إدلب، الخاضعة لسيطرة هيئة تحرير الشام منذ عام 2015، شمال غرب سوريا.",
    )
    assert triples(claims) == {("outlet", "idlib", "opp")}


def test_a_year_belongs_to_its_own_event(extractor: Extractor) -> None:
    claims = read(extractor, "", "وبذلك تكون قسد قد خسرت بلدة منبج التي سيطرت عليها عام 2016.")
    assert triples(claims) == {("outlet", "manbij", "opp")}
    assert claims[0].when is not None and claims[0].when.year == 2024


# --- time ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "day"),
    [
        ("سيطرت الفصائل اليوم على مدينة حماة.", date(2024, 12, 5)),
        ("سيطرت الفصائل أمس على مدينة حماة.", date(2024, 12, 4)),
        ("سيطرت الفصائل قبل قليل على مدينة حماة.", date(2024, 12, 5)),
        ("سيطرت الفصائل يوم الثلاثاء على مدينة حماة.", date(2024, 12, 3)),
        ("أعلنت الفصائل في 30 نوفمبر سيطرتها على مدينة حلب.", date(2024, 11, 30)),
    ],
)
def test_time_words_move_the_claim(extractor: Extractor, sentence: str, day: date) -> None:
    (claim,) = read(extractor, "", sentence)
    assert claim.when is not None
    assert claim.when.astimezone(UTC).date() == day


def test_earlier_is_before_the_published_time(extractor: Extractor) -> None:
    (claim,) = read(extractor, "", "وكان الجيش قد أعلن في وقت سابق استعادة مدينة حماة.")
    assert claim.when is not None and claim.when < PUBLISHED


def test_no_published_time_gives_no_claim_time(extractor: Extractor) -> None:
    undated = Item(
        id="x",
        feed="f",
        outlet="o",
        title="سيطرت الفصائل على مدينة حماة",
        text="",
        link=None,
        published=None,
        fetched=PUBLISHED,
    )
    (claim,) = extractor.extract(undated)
    assert claim.when is None


# --- the whole item, resolved -------------------------------------------------------------


def test_an_admission_later_in_the_day_wins_and_the_dispute_shows(extractor: Extractor) -> None:
    body = (
        "أقر الجيش السوري قبل قليل بخسارة مدينة حمص وانسحاب قواته منها.\n"
        "وكانت الوكالة العربية السورية للأنباء قد أفادت أمس بأن الجيش صد هجوماً على مدينة حمص.\n"
        "ويتصدى الجيش لهجوم الفصائل باتجاه مدينة حمص، وفق ما أفاد المرصد السوري اليوم."
    )
    claims = read(extractor, "الجيش السوري يقر بخسارة حمص", body)
    (status,) = resolve_claims(claims)
    assert (status.city, status.state) == ("homs", "opp")
    assert status.disputed
    assert {c.source for c in status.against} == {"sohr"}


def test_the_extractor_is_safe_from_many_threads(extractor: Extractor) -> None:
    texts = [
        "سيطرت الفصائل على مدينة حماة.",
        "نفى الجيش السوري دخول الفصائل إلى مدينة حمص.",
        "وقال المرصد السوري إن اشتباكات تدور داخل مدينة حلب.",
    ]
    expected = [triples(read(extractor, "", t)) for t in texts]
    errors: list[str] = []

    def work() -> None:
        for _ in range(30):
            for text, want in zip(texts, expected, strict=True):
                if triples(read(extractor, "", text)) != want:
                    errors.append(text)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert all(expected)


# --- the gold set -------------------------------------------------------------------------


def _gold_items() -> list[Path]:
    return sorted(GOLD.glob("*.gold.json")) if GOLD.is_dir() else []


def _accepted(entry: dict) -> set[tuple[str, str, str]]:
    def values(key: str) -> list[str]:
        alt = entry.get("alt", {}).get(key, [])
        return [entry[key], *alt]

    return set(itertools.product(values("source"), values("city"), values("state")))


def _gold_item(path: Path) -> tuple[Item, dict]:
    gold = json.loads(path.read_text(encoding="utf-8"))
    text = path.with_name(path.name.removesuffix(".gold.json") + ".txt").read_text(encoding="utf-8")
    title, _, body = text.partition("\n")
    published = datetime.fromisoformat(gold["published"]).astimezone(UTC)
    return (
        Item(
            id=path.name,
            feed="gold",
            outlet=gold.get("outlet", ""),
            title=title.strip(),
            text=body.strip(),
            link=None,
            published=published,
            fetched=published,
        ),
        gold,
    )


@pytest.mark.skipif(not _gold_items(), reason="no gold set yet")
@pytest.mark.parametrize("path", _gold_items(), ids=lambda p: p.name.removesuffix(".gold.json"))
def test_gold_item(extractor: Extractor, path: Path) -> None:
    gold_item, gold = _gold_item(path)
    claims = extractor.extract(gold_item)
    found = triples(claims)
    missing = [
        (entry["source"], entry["city"], entry["state"])
        for entry in gold.get("claims", [])
        if not (_accepted(entry) & found)
    ]
    allowed = set().union(
        *(_accepted(e) for e in gold.get("claims", []) + gold.get("optional", []))
    )
    extra = sorted(found - allowed)
    assert (missing, extra) == ([], [])
    want = gold.get("status_after", {})
    got = {s.city: s.state for s in resolve_claims(claims)}
    for city, state in want.items():
        accepted = state if isinstance(state, list) else [state]
        assert got.get(city, "unknown") in accepted, city


# --- more grammar -------------------------------------------------------------------------


def test_no_longer_is_a_loss(extractor: Extractor) -> None:
    (claim,) = read(extractor, "", "لم يعد الجيش السوري يسيطر على مدينة حماة.")
    assert (claim.state, claim.kind) == ("opp", "loss")


def test_still_is_not_a_negation(extractor: Extractor) -> None:
    (claim,) = read(extractor, "", "ولا تزال قوات النظام تسيطر على مدينة حمص.")
    assert (claim.state, claim.kind) == ("gov", "hold")


def test_a_goal_after_hatta_is_not_a_result(extractor: Extractor) -> None:
    assert read(extractor, "", "وقالت الفصائل في بيان: سنواصل القتال حتى تحرير مدينة حمص.") == []


def test_attribution_can_come_first_with_a_connector(extractor: Extractor) -> None:
    claims = read(extractor, "", "وبحسب المرصد السوري، فإن الفصائل باتت تسيطر على مدينة حمص.")
    assert triples(claims) == {("sohr", "homs", "opp")}


def test_a_percentage_of_the_city_is_partial(extractor: Extractor) -> None:
    claims = read(extractor, "", "سيطرت الفصائل على 75 في المئة من مدينة حمص.")
    assert triples(claims) == {("outlet", "homs", "contested")}


def test_under_our_control_is_the_speakers(extractor: Extractor) -> None:
    claims = read(
        extractor, "", "وقالت إدارة العمليات العسكرية في بيان: «درعا تحت سيطرتنا بالكامل»."
    )
    assert triples(claims) == {("opposition", "daraa", "opp")}
    army = read(extractor, "", "أكد الجيش السوري أن مدينة حمص آمنة وتحت سيطرة قواتنا بالكامل.")
    assert triples(army) == {("syrian-army", "homs", "gov")}


def test_the_time_said_with_the_verb_is_the_claims_time(extractor: Extractor) -> None:
    (claim,) = read(
        extractor,
        "",
        "وكانت الفصائل قد أعلنت في وقت سابق اليوم أنها دخلت مدينة حمص، "
        "في إطار هجوم بدأته قبل أيام.",
    )
    assert claim.when is not None
    assert claim.when < PUBLISHED
    assert claim.when.date() == PUBLISHED.date()


def test_a_continuation_is_said_when_its_statement_was(extractor: Extractor) -> None:
    earlier = read(
        extractor,
        "",
        "وقال الجيش السوري في بيان بوقت سابق إن وحداته تخوض معارك عنيفة.\n"
        "وأضاف أن قواته انسحبت من مدينة حمص.",
    )
    assert earlier[0].when is not None and earlier[0].when < PUBLISHED
    today = read(
        extractor,
        "",
        "وقال الجيش السوري في بيان: «على مدى الأيام الماضية خاضت قواتنا معارك عنيفة».\n"
        "وأضاف أن قواته انسحبت من مدينة حمص.",
    )
    assert today[-1].when == PUBLISHED


def test_an_event_about_another_named_settlement_is_not_about_a_city_further_on(
    extractor: Extractor,
) -> None:
    sentence = "وسيطرت الفصائل على بلدة الزربة، لتصبح على بعد كيلومترات من طريق يربط حلب بدمشق."
    assert read(extractor, "", sentence) == []
    assert read(extractor, "", "قسد تسيطر على سبع قرى شرق الفرات في دير الزور") == []
    assert read(extractor, "", "الفصائل تسيطر على الرستن وتقترب من حمص") == []


def test_losing_control_in_the_present(extractor: Extractor) -> None:
    claims = read(extractor, "الحكومة السورية تفقد السيطرة على درعا والسويداء")
    assert triples(claims) == {("outlet", "daraa", "opp"), ("outlet", "as-suwayda", "opp")}


def test_an_attribution_in_mid_sentence_covers_what_follows(extractor: Extractor) -> None:
    claims = read(
        extractor,
        "",
        "استولت الفصائل على مطار حلب الدولي، بحسب ما نقلت وكالة رويترز، "
        "بعد انسحاب القوات الحكومية من مدينة حمص.",
    )
    assert triples(claims) == {("media", "aleppo", "opp"), ("media", "homs", "opp")}


def test_a_second_verb_ends_the_clause(extractor: Extractor) -> None:
    assert read(extractor, "الفصائل تسيطر على الزربة وتقطع طريق حلب - دمشق") == []


def test_named_neighbourhoods_are_part_of_the_city(extractor: Extractor) -> None:
    claims = read(extractor, "", "لا تزال قسد تسيطر على حيي الشيخ مقصود والأشرفية في مدينة حلب.")
    assert triples(claims) == {("outlet", "aleppo", "contested")}
    whole = read(extractor, "", "دخلت الفصائل أحياء حلب الغربية.")
    assert triples(whole) == {("outlet", "aleppo", "opp")}


def test_a_joined_verb_shares_the_first_verbs_subject(extractor: Extractor) -> None:
    claims = read(
        extractor,
        "",
        "دخلت قسد مدينة الرقة بعد انسحاب قوات النظام والميليشيات الموالية لإيران منها، "
        "وتنتشر في أحياء المدينة.",
    )
    assert triples(claims) == {("outlet", "raqqa", "sdf")}


def test_an_unnamed_subject_is_not_an_earlier_clauses_actor(extractor: Extractor) -> None:
    claims = read(
        extractor,
        "",
        "أعلن الجيش السوري أن المسلحين اخترقوا مدينة حماة ودخولها، "
        "وأن الوحدات المرابطة فيها أعادت التموضع خارج المدينة.",
    )
    assert triples(claims) == {("syrian-army", "hama", "opp")}
    assert {c.stance for c in claims} == {"admit"}


def test_out_of_control_names_the_loser_right_after(extractor: Extractor) -> None:
    claims = read(
        extractor,
        "",
        "باتت مدينة السويداء خارج سيطرة النظام، بعد سيطرة فصائل محلية على المراكز الأمنية فيها.",
    )
    assert ("outlet", "as-suwayda", "opp") in triples(claims)
    assert all(c.state == "opp" for c in claims)


def test_fighting_far_after_a_city_name_is_not_in_it(extractor: Extractor) -> None:
    assert read(extractor, "طلاب جامعة حلب يغادرون السكن الجامعي مع تصاعد المعارك") == []
    claims = read(extractor, "", "مدينة حماة تشهد اشتباكات عنيفة منذ الصباح.")
    assert triples(claims) == {("outlet", "hama", "contested")}


def test_a_negated_report_claims_nothing(extractor: Extractor) -> None:
    assert read(extractor, "", "ولم تؤكد مصادر مستقلة دخول الفصائل إلى مدينة حمص.") == []


def test_it_is_not_true_that_is_a_denial(extractor: Extractor) -> None:
    (claim,) = read(extractor, "", "وقال مصدر عسكري إنه ليس صحيحاً أن الفصائل دخلت مدينة حمص.")
    assert (claim.source, claim.state, claim.stance) == ("syrian-army", "gov", "deny")


def test_denying_that_denies_what_was_just_told(extractor: Extractor) -> None:
    claims = read(
        extractor,
        "",
        "قالت الفصائل إن مقاتليها دخلوا أحياء حمص الشمالية، بينما نفت وزارة الدفاع ذلك.",
    )
    assert triples(claims) == {("opposition", "homs", "opp"), ("syrian-army", "homs", "gov")}
    (denial,) = [c for c in claims if c.source == "syrian-army"]
    assert (denial.kind, denial.stance) == ("denial", "deny")


def test_the_city_after_a_town_outside_the_profile_is_that_town(extractor: Extractor) -> None:
    claims = read(
        extractor,
        "",
        "سيطرت الفصائل المسلحة على مدينة حمص.\n"
        "وفي الشمال، وصلت الفصائل إلى مدينة الباب.\n"
        "وقال المرصد السوري إن اشتباكات عنيفة تدور داخل المدينة.",
    )
    assert triples(claims) == {("outlet", "homs", "opp")}


def test_outside_the_city_after_a_withdrawal_means_lost(extractor: Extractor) -> None:
    claims = read(extractor, "", "أعادت قوات النظام تموضعها خارج مدينة حمص.")
    assert triples(claims) == {("outlet", "homs", "opp")}
    held_outside = read(extractor, "", "تتمركز وحدات الجيش السوري خارج مدينة حماة.")
    assert triples(held_outside) == {("outlet", "hama", "opp")}


@pytest.mark.parametrize(
    ("surface", "role", "value", "flag"),
    [
        ("سيطروا", "event", "capture", None),
        ("يسيطرون", "event", "capture", "present"),
        ("دخلوها", "event", "entry", "suffix"),
        ("سيدخلون", "event", "entry", "future"),
        ("للسيطره", "event", "capture", "noun"),
        ("بالانسحاب", "event", "withdrawal", "noun"),
        ("حررنا", "event", "capture", "first_person"),
        ("وقالت", "report", "assert", None),
        ("تنفي", "report", "deny", "present"),
        ("اعترفت", "report", "admit", None),
        ("زعمت", "report", "allege", None),
        ("مؤكدا", "report", "assert", "noun"),
    ],
)
def test_lexicon_forms(surface: str, role: str, value: str, flag: str | None) -> None:
    from sitboard.ingest.arabic import normalize
    from sitboard.ingest.lexicon import compile_lexicon

    senses = [s for s in compile_lexicon()[normalize(surface)] if s.role == role]
    assert senses and senses[0].value == value
    if flag is not None:
        assert getattr(senses[0], flag)


def test_any_jumble_of_the_vocabulary_gives_well_formed_claims(
    extractor: Extractor, profile: Profile
) -> None:
    import random

    from sitboard.ingest.lexicon import EVENTS, GRAMMAR, REPORTING

    words = [f for forms in REPORTING.values() for f, _ in forms]
    words += [f for forms in EVENTS.values() for f, _ in forms]
    words += [f.replace("_", " ") for forms in GRAMMAR.values() for f, _ in forms]
    words += [a for actor in profile.actors.values() for a in actor.aliases]
    words += [a for place in profile.places.values() for a in place.aliases]
    words += ["مدينة", "ريف", "أطراف", "باتجاه", "المدينة", "فيها", "،", ".", ":", "«", "»", "؟"]
    rng = random.Random(5)
    seen = 0
    for n in range(300):
        text = " ".join(rng.choice(words) for _ in range(rng.randint(1, 40)))
        for claim in read(extractor, text[:60], text, outlet=rng.choice(["o", "سانا"])):
            seen += 1
            assert claim.state in STATES and claim.kind in KINDS and claim.stance in STANCES
            assert claim.city in profile.places
            assert claim.source in profile.actors
            assert 0.0 < claim.confidence <= 1.0, n
    assert seen > 0
