"""The hand-annotated gold set (tests/data/gold) is well formed.

Every annotation must use the shared vocabularies (ingest/model.py) and the Syria profile's ids,
so that bench/score.py measures the extractor and not typos in the annotations.
"""

from __future__ import annotations

import importlib.util
import json
import re
import sys
import unicodedata
from datetime import datetime
from pathlib import Path
from types import ModuleType

import pytest
from sitboard.ingest.model import KINDS, STANCES, STATES, Claim
from sitboard.ingest.places import PlaceMatcher
from sitboard.ingest.profile import Profile, load_profile

GOLD = Path(__file__).parent / "data" / "gold"
HOLDOUT = GOLD / "holdout"  # held-out items: validated here, never tuned on
TIME_LABELS = ("same", "earlier", "yesterday", "weekday", "dated")
CLAIM_FIELDS = ("source", "city", "state", "kind", "stance", "time", "where")
OPTIONAL_FIELDS = ("source", "city", "state", "kind", "where")
ALT_KEYS = ("source", "city", "state", "kind", "stance", "time")
TOP_FIELDS = (
    "file",
    "published",
    "outlet",
    "note",
    "claims",
    "not_claims",
    "status_after",
    "pattern",
)

# ARABIC.md patterns the set must keep covering (substrings of the items' "pattern" lists).
REQUIRED_PATTERNS = (
    "diacritics",
    "tatweel",
    "alef form",
    "alef maksura",
    "taa marbuta",
    "hamza carrier",
    "Persian letters",
    "Arabic-Indic digits",
    "Eastern digits",
    "zero-width",
    "presentation forms",
    "curly quotes",
    "Arabic semicolon",
    "clitic بحماة",
    "clitic لحلب",
    "clitic وإدلب",
    "false friend حلبة",
    "false friend حماية",
    "false friend حماة الديار",
    "false friend حمّص",
    "multi-word دير الزور",
    "multi-word تل رفعت",
    "multi-word معرة النعمان",
    "multi-word خان شيخون",
    "city قلعة حلب",
    "city مطار حلب الدولي",
    "city سجن حماة المركزي",
    "city أحياء حلب",
    "city داخل مدينة حماة",
    "city وسط المدينة",
    "countryside ريف حماة الشمالي",
    "countryside ريفها",
    "governorate",
    "edges أطراف",
    "edges محيط",
    "edges مداخل",
    "edges مشارف",
    "towards باتجاه مدينة حماة",
    "towards/away نحو 20 كيلومتراً عن",
    "partial نصف مدينة حلب",
    "partial 75% من أحياء",
    "partial أجزاء كبيرة",
    "back-reference المدينة",
    "back-reference فيها",
    "back-reference خارجها",
    "verb-first gender",
    "actor-first headline",
    "trailing وفق ما أفاد",
    "trailing بحسب",
    "trailing حسبما أفاد",
    "trailing وفقاً لـ",
    "trailing حسب",
    "trailing على ما ذكرت",
    "نقلاً عن",
    "continuation وأضاف",
    "continuation وتابع",
    "continuation وأشار إلى أن",
    "continuation وأوضح",
    "continuation ولفت",
    "continuation قال في بيان له",
    "first person",
    "person for organisation",
    "مصادر ميدانية = outlet",
    "assert ذكر",
    "assert صرح",
    "assert كشف",
    "assert بث",
    "admit أقر",
    "admit اعترف",
    "admit بخسارة",
    "deny نفى",
    "deny عار عن الصحة",
    "deny لا صحة لـ",
    "deny كذّب",
    "allege زعم",
    "allege ادعى",
    "capture سيطر",
    "capture بسط سيطرته",
    "entry دخل",
    "capture اقتحم",
    "capture تحرير",
    "capture انتزع",
    "capture استولى",
    "capture سقوط",
    "باتت تحت سيطرة",
    "أصبحت تحت سيطرة",
    "خاضعة لسيطرة",
    "recapture استعاد",
    "incursion بدأ التوغل",
    "incursion اخترق محاور",
    "incursion تقدم في",
    "fighting اشتباكات",
    "fighting معارك",
    "fighting مواجهات",
    "loss خسر",
    "withdrawal انسحب",
    "withdrawal أخلى",
    "loss خرج من",
    "withdrawal إعادة الانتشار والتموضع خارج المدينة",
    "repel صد",
    "repel إفشال الهجوم",
    "hold تتمركز في",
    "hold يسيطر بالكامل",
    "repel أبعد عن",
    "repel دحر عن",
    "hold وصول تعزيزات",
    "negation لم تدخل",
    "لن يتمكن من دخول = gov holds",
    "future سيدخلون",
    "intent يسعى إلى",
    "intent يهدف إلى",
    "intent يستعد",
    "question هل سقطت",
    "history عام 2012",
    "history منذ 2016",
    "history للمرة الأولى منذ",
    "time أمس",
    "time قبل قليل",
    "time في وقت سابق",
    "weekday",
    "dated Levantine month",
    "dated Egyptian month",
    "rolling news newest first",
    "SDF قسد in Raqqa",
    "SDF قسد in Hasakah",
    "SDF قسد in Manbij",
    "SDF قسد in Tal Rifaat",
    "Russia statement",
    "Iran statement",
    "Turkey statement",
    "weather item",
    "economy item",
    "Latin",
)

_DROP = re.compile(
    r"[\u064B-\u0652\u0670\u06D6-\u06ED\u0640\u200B-\u200F\u202A-\u202E\u2066-\u2069\u061C\uFEFF]"
)
_FOLD = str.maketrans(
    {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ک": "ك", "ی": "ي", "ھ": "ه"}
)


def _norm(text: str) -> str:
    """Just enough normalisation to find a place name in the text (ARABIC.md section 1)."""
    text = "".join(
        unicodedata.normalize("NFKC", ch) if 0xFB50 <= ord(ch) <= 0xFEFC else ch for ch in text
    )
    return _DROP.sub("", text).translate(_FOLD).casefold()


def _check_entry(entry: object, where: str, fields: tuple[str, ...], profile: Profile) -> list[str]:
    if not isinstance(entry, dict):
        return [f"{where}: not an object"]
    problems = [f"{where}: missing {name!r}" for name in fields if name not in entry]
    allowed = {
        "source": tuple(profile.actors),
        "city": tuple(profile.places),
        "state": STATES,
        "kind": KINDS,
        "stance": STANCES,
        "time": TIME_LABELS,
    }
    for key, values in allowed.items():
        if key in entry and entry[key] not in values:
            problems.append(f"{where}: {key} {entry[key]!r} is not one of {values}")
    alt = entry.get("alt", {})
    if not isinstance(alt, dict):
        problems.append(f"{where}: alt must be an object")
        alt = {}
    for key, values in alt.items():
        if key not in ALT_KEYS:
            problems.append(f"{where}: alt key {key!r} is not one of {ALT_KEYS}")
        elif not isinstance(values, list) or not values:
            problems.append(f"{where}: alt {key!r} must be a non-empty list")
        else:
            problems += [
                f"{where}: alt {key} {v!r} is unknown" for v in values if v not in allowed[key]
            ]
    if entry.get("time") in ("weekday", "dated") and not re.fullmatch(
        r"\d{4}-\d{2}-\d{2}", str(entry.get("date", ""))
    ):
        problems.append(f"{where}: a {entry['time']} claim needs a 'date' (YYYY-MM-DD)")
    if not str(entry.get("where", "")).strip():
        problems.append(f"{where}: empty 'where'")
    return problems


def _check_states(status: object, where: str, profile: Profile) -> list[str]:
    if not isinstance(status, dict):
        return [f"{where}: must be an object"]
    problems = []
    for city, state in status.items():
        if city not in profile.places:
            problems.append(f"{where}: unknown city {city!r}")
        states = state if isinstance(state, list) else [state]
        if not states or any(s not in STATES for s in states):
            problems.append(f"{where}: bad state {state!r} for {city!r}")
    return problems


def gold_problems(gold: object, text: str, name: str, profile: Profile) -> list[str]:
    """Everything wrong with one annotation (`name` is the .txt file name)."""
    if not isinstance(gold, dict):
        return [f"{name}: not a JSON object"]
    problems = [f"{name}: missing {field!r}" for field in TOP_FIELDS if field not in gold]
    if gold.get("file") != name:
        problems.append(f"{name}: 'file' is {gold.get('file')!r}")
    try:
        published = datetime.fromisoformat(str(gold.get("published")).replace("Z", "+00:00"))
        if published.tzinfo is None:
            problems.append(f"{name}: 'published' has no offset")
    except ValueError:
        problems.append(f"{name}: 'published' is not ISO-8601")
    if not str(gold.get("outlet", "")).strip():
        problems.append(f"{name}: empty 'outlet'")
    lines = text.split("\n", 1)
    if not lines[0].strip() or len(lines) < 2 or not lines[1].strip():
        problems.append(f"{name}: needs a title line and a body")
    normalised = _norm(text)
    claimed: set[str] = set()
    for key, fields in (("claims", CLAIM_FIELDS), ("optional", OPTIONAL_FIELDS)):
        entries = gold.get(key, [])
        if not isinstance(entries, list):
            problems.append(f"{name}: {key!r} must be a list")
            continue
        for n, entry in enumerate(entries):
            problems += _check_entry(entry, f"{name}: {key}[{n}]", fields, profile)
            city = entry.get("city") if isinstance(entry, dict) else None
            if city in profile.places:
                claimed.add(city)
                place = profile.places[city]
                if not any(_norm(alias) in normalised for alias in place.aliases):
                    problems.append(f"{name}: {key}[{n}]: {city!r} is never named in the text")
    seen = set()
    for entry in gold.get("claims", []):
        if isinstance(entry, dict):
            triple = (entry.get("source"), entry.get("city"), entry.get("state"))
            if triple in seen:
                problems.append(f"{name}: duplicate claim triple {triple}")
            seen.add(triple)
    status = gold.get("status_after", {})
    problems += _check_states(status, f"{name}: status_after", profile)
    if isinstance(status, dict):
        problems += [
            f"{name}: status_after names {c!r} which no claim is about"
            for c in status
            if c not in claimed
        ]
    if not isinstance(gold.get("not_claims", []), list):
        problems.append(f"{name}: 'not_claims' must be a list")
    pattern = gold.get("pattern")
    if not isinstance(pattern, list) or not pattern or not all(isinstance(p, str) for p in pattern):
        problems.append(f"{name}: 'pattern' must be a non-empty list of strings")
    return problems


@pytest.fixture(scope="module")
def profile() -> Profile:
    return load_profile("syria")


def _pairs(folder: Path = GOLD) -> list[tuple[Path, Path]]:
    return [
        (txt, txt.with_name(txt.stem + ".gold.json")) for txt in sorted(folder.glob("[0-9]*.txt"))
    ]


def test_gold_set_is_big_enough_and_paired() -> None:
    texts = {p.stem for p in GOLD.glob("[0-9]*.txt")}
    golds = {p.name.removesuffix(".gold.json") for p in GOLD.glob("[0-9]*.gold.json")}
    assert len(texts) >= 45
    assert texts == golds
    numbers = [name.split("-", 1)[0] for name in texts]
    assert len(set(numbers)) == len(numbers), "two files share a number"


@pytest.mark.parametrize(
    "txt,gold",
    _pairs() + _pairs(HOLDOUT),
    ids=lambda p: f"{p.parent.name}/{p.stem}" if isinstance(p, Path) else "",
)
def test_gold_file_is_valid(txt: Path, gold: Path, profile: Profile) -> None:
    data = json.loads(gold.read_text(encoding="utf-8"))
    assert gold_problems(data, txt.read_text(encoding="utf-8"), txt.name, profile) == []


def test_validator_catches_wrong_ids_and_missing_fields(profile: Profile) -> None:
    txt, gold = _pairs()[0]
    good = json.loads(gold.read_text(encoding="utf-8"))
    text = txt.read_text(encoding="utf-8")
    assert gold_problems(good, text, txt.name, profile) == []
    claim = {
        "source": "sdf",
        "city": "raqqa",
        "state": "sdf",
        "kind": "hold",
        "stance": "assert",
        "time": "same",
        "where": "x",
    }
    broken = [
        {**good, "claims": [{**claim, "source": "the-army"}]},
        {**good, "claims": [{**claim, "city": "aleppo-city"}]},
        {**good, "claims": [{**claim, "kind": "captured"}]},
        {**good, "claims": [{k: v for k, v in claim.items() if k != "stance"}]},
        {**good, "claims": [{**claim, "time": "dated"}]},
        {**good, "claims": [{**claim, "alt": {"state": ["won"]}}]},
        {**good, "status_after": {"hama": "held"}},
        {k: v for k, v in good.items() if k != "published"},
        {**good, "file": "other.txt"},
    ]
    for bad in broken:
        assert gold_problems(bad, text, txt.name, profile), bad


def test_story_status_is_valid(profile: Profile) -> None:
    story = json.loads((GOLD / "status_after.json").read_text(encoding="utf-8"))
    assert _check_states(story["status_after"], "status_after", profile) == []
    assert {"aleppo", "idlib", "hama"} <= set(story["status_after"])
    previous = None
    for point in story["checkpoints"]:
        at = datetime.fromisoformat(point["at"])
        assert at.tzinfo is not None
        assert previous is None or at > previous
        previous = at
        assert _check_states(point["status"], point["at"], profile) == []


def test_every_field_guide_pattern_is_covered() -> None:
    patterns = [
        p
        for gold in GOLD.glob("[0-9]*.gold.json")
        for p in json.loads(gold.read_text("utf-8"))["pattern"]
    ]
    missing = [want for want in REQUIRED_PATTERNS if not any(want in p for p in patterns)]
    assert missing == []


def _load_scorer() -> ModuleType:
    path = Path(__file__).parent.parent / "bench" / "score.py"
    spec = importlib.util.spec_from_file_location("sitboard_bench_score", path)
    assert spec is not None and spec.loader is not None
    if spec.name in sys.modules:
        return sys.modules[spec.name]
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_scorer_matches_alternatives_and_ignores_optional_entries() -> None:
    score = _load_scorer()
    gold = [
        {"source": "sana", "city": "hama", "state": "gov", "alt": {"source": ["syrian-army"]}},
        {"source": "opposition", "city": "hama", "state": "opp", "alt": {"state": ["contested"]}},
    ]
    # The primary triple is preferred, so the alternative is free for nothing else.
    pairs, missed, extra = score.match(
        gold, [("sana", "hama", "gov"), ("opposition", "hama", "opp"), ("sdf", "raqqa", "sdf")]
    )
    assert [g for g, _ in pairs] == [0, 1] and missed == [] and extra == [("sdf", "raqqa", "sdf")]
    pairs, missed, extra = score.match(gold, [("syrian-army", "hama", "gov")])
    assert pairs == [(0, ("syrian-army", "hama", "gov"))] and missed == [1] and extra == []
    # Both readings predicted: one matches, the other is left over (counted unless optional).
    pairs, missed, extra = score.match(
        gold[1:], [("opposition", "hama", "opp"), ("opposition", "hama", "contested")]
    )
    assert pairs == [(0, ("opposition", "hama", "opp"))] and extra == [
        ("opposition", "hama", "contested")
    ]


def test_scorer_gives_full_marks_to_the_annotations_themselves(profile: Profile) -> None:
    """Replaying each item's own annotation through the scorer: no miss, no false positive."""
    score = _load_scorer()
    items = score.load_gold(GOLD, PlaceMatcher(profile))
    assert len(items) >= 45
    for gold in items:
        claims = [
            Claim(
                item=gold.item.id,
                source=entry["source"],
                side=profile.side_of(entry["source"]),
                city=entry["city"],
                state=entry["state"],
                kind=entry["kind"],
                stance=entry.get("stance", "assert"),
                when=gold.item.published,
                evidence=entry["where"],
                confidence=1.0,
            )
            for entry in gold.claims + gold.optional
        ]
        result = score.score_item(gold, _Replay(claims))
        assert result.misses == [] and result.false_positives == [], gold.name
        assert len(result.matched) == len(gold.claims)


class _Replay:
    """Returns fixed claims: the annotation standing in for an extractor, to test the scorer."""

    def __init__(self, claims: list[Claim]) -> None:
        self.claims = claims

    def extract(self, item: object) -> list[Claim]:
        return list(self.claims)
