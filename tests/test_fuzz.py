"""Property-based fuzzing of the untrusted-input paths: the claim extractor on arbitrary text,
the feeds.toml loader on arbitrary files, and `sitboard extract` on arbitrary feed bytes.

Each property says what must hold for every input: no exception but the documented one, and
output inside the vocabulary (DESIGN.md). Example counts are kept small enough for CI.
"""

from __future__ import annotations

import contextlib
import io
import json
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from pytest_httpserver import HTTPServer
from sitboard.ingest.claims import Extractor
from sitboard.ingest.config import ConfigError, check_watch, load_config
from sitboard.ingest.model import (
    KINDS,
    SIDES,
    STANCES,
    STATES,
    BoardConfig,
    Claim,
    Config,
    FeedConfig,
    Item,
)
from sitboard.ingest.poll import Poller
from sitboard.ingest.profile import load_profile

from sitboard.cli import main as cli_main

PROFILE = load_profile("syria")
EXTRACTOR = Extractor(PROFILE)
FUZZ = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# --- text that looks like the news, and text that does not ------------------------------------

PLACE_WORDS = sorted({alias for place in PROFILE.places.values() for alias in place.aliases})
ACTOR_WORDS = sorted({alias for actor in PROFILE.actors.values() for alias in actor.aliases})
GRAMMAR_WORDS = """
سيطرت سيطر تسيطر السيطرة سيطرتها دخلت دخول دخلوها انسحب انسحبت الانسحاب استعاد استعادت فقد
فقدت خسر خسرت صد تصدت صدت نفى نفت قال قالت أعلن أعلنت أكد أكدت زعم زعمت اعترف اعترفت أفاد
لا صحة لم لن ما ليس لا يزال لم يعد سوف يسعى يهدف يحاول تمكن فشل وفق ما بحسب نقلا عن أن إن بأن
مصادر مراسل قواتنا مقاتلونا قواته قواتها بيد لصالح تحت خاضعة باتت أصبحت حتى تحرير كان كانت
خارج سيطرة هل توغل تقدم سقوط طرد عام 2016 منذ أمس اليوم الخميس الجمعة المدينة فيها داخلها
خارجها ريف محيط مدينة بلدة قرية حي مطار الطريق المؤدي إلى في على من عن مع بعد قبل اشتباكات
معارك حصار الوحدات العسكرية إعادة التموضع إعادة الانتشار ٢٠٢٤ ديسمبر كانون الأول 5
""".split()  # noqa: SIM905
PUNCTUATION = [".", "،", "؟", "?", "!", ":", "؛", ";", "«", "»", '"', "(", ")", "-", "1.", "\n"]
SEPARATORS = [" ", " ", " ", "", "\n", "، ", ". ", " و", "\u200f ", "\t"]

# Mixed scripts and the characters that trip text handling: Arabic letters, diacritics and
# tatweel, presentation forms, Persian/Urdu letters, Hebrew, Latin with accents, CJK and wide
# characters, emoji, combining marks, bidi and zero-width controls, C0/C1 controls.
ODD_CHARACTERS = st.one_of(
    st.characters(min_codepoint=0x0600, max_codepoint=0x06FF),
    st.characters(min_codepoint=0xFB50, max_codepoint=0xFDFF),
    st.characters(min_codepoint=0xFE70, max_codepoint=0xFEFF),
    st.characters(min_codepoint=0x0590, max_codepoint=0x05FF),
    st.characters(min_codepoint=0x0020, max_codepoint=0x024F),
    st.characters(min_codepoint=0x4E00, max_codepoint=0x4E80),
    st.characters(min_codepoint=0x1F300, max_codepoint=0x1F64F),
    st.characters(min_codepoint=0x0300, max_codepoint=0x036F),
    st.sampled_from("\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2069"),
    st.characters(max_codepoint=0x9F, categories=["Cc"]),
    st.characters(exclude_categories=["Cs"]),
)
WORD = st.one_of(
    st.sampled_from(PLACE_WORDS),
    st.sampled_from(ACTOR_WORDS),
    st.sampled_from(GRAMMAR_WORDS),
    st.sampled_from(PUNCTUATION),
    st.text(ODD_CHARACTERS, max_size=12),
)
WORD_SOUP = st.lists(st.tuples(WORD, st.sampled_from(SEPARATORS)), max_size=60).map(
    lambda parts: "".join(word + sep for word, sep in parts)
)
REPORTS = ["قال", "قالت", "أعلنت", "أكد", "زعمت", "نفت", "اعترفت", "أفادت", "وفق ما أفاد"]
EVENTS = [
    "سيطرت على", "دخلت", "انسحبت من", "استعادت السيطرة على", "فقدت السيطرة على",
    "تسيطر على", "صدت هجوما على", "نفت سقوط", "تخوض اشتباكات في", "لم تنسحب من",
    "ستدخل", "تحاول التقدم نحو", "أعادت التموضع خارج", "سقطت بيد",
]  # fmt: skip
CLAUSE = st.tuples(
    st.one_of(
        st.just(""),
        st.tuples(st.sampled_from(REPORTS), st.sampled_from(ACTOR_WORDS)).map(
            lambda rs: f"{rs[0]} {rs[1]} إن"
        ),
    ),
    st.sampled_from(ACTOR_WORDS),
    st.sampled_from(EVENTS),
    st.sampled_from(["", "مدينة", "ريف", "محيط", "مطار"]),
    st.sampled_from(PLACE_WORDS),
    WORD_SOUP.map(lambda soup: soup[:40]),
    st.sampled_from([". ", "، ", " و", "\n", " ", "؟ ", ": «"]),
).map(lambda parts: " ".join(p for p in parts[:-1] if p) + parts[-1])
# Clauses of the news with noise between them, in any order.
NEWSISH = st.lists(st.one_of(CLAUSE, WORD_SOUP), min_size=1, max_size=8).map("".join)
TEXT = st.one_of(NEWSISH, WORD_SOUP, st.text(ODD_CHARACTERS, max_size=300))
WHEN = st.none() | st.datetimes(
    min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30), timezones=st.just(UTC)
)
OUTLETS = st.sampled_from(["الجزيرة نت", "SANA", "سانا", "المرصد السوري", "Evil | [b]", ""])


@st.composite
def items(draw: st.DrawFn, text: st.SearchStrategy[str] = TEXT) -> Item:
    return Item(
        id=draw(st.text(min_size=1, max_size=20)),
        feed=draw(st.sampled_from(["jazeera", "sana", "x"])),
        outlet=draw(OUTLETS),
        title=draw(text),
        text=draw(text),
        link=None,
        published=draw(WHEN),
        fetched=datetime(2024, 12, 5, 12, 0, tzinfo=UTC),
        places=(),
    )


def long_text(parts: list[str]) -> str:
    """Sentences repeated to about the parser's 20,000-character cap (ingest/parse.py)."""
    sentence = " ".join(parts) + ". "
    return (sentence * (20_000 // max(1, len(sentence)) + 1))[:20_000]


LONG = st.lists(
    st.one_of(st.sampled_from(GRAMMAR_WORDS), st.sampled_from(PLACE_WORDS)), min_size=3, max_size=40
).map(long_text)


def check_claims(item: Item) -> list[Claim]:
    claims = EXTRACTOR.extract(item)
    for claim in claims:
        assert claim.item == item.id
        assert claim.source in PROFILE.actors, claim.source
        assert claim.side in SIDES and claim.side == PROFILE.side_of(claim.source), claim
        assert claim.city in PROFILE.places, claim.city
        assert claim.state in STATES, claim.state
        assert claim.kind in KINDS, claim.kind
        assert claim.stance in STANCES, claim.stance
        assert 0.0 <= claim.confidence <= 1.0, claim.confidence
        assert claim.evidence and (claim.evidence in item.title or claim.evidence in item.text)
        assert claim.when is None or claim.when.tzinfo is not None
    assert EXTRACTOR.extract(item) == claims  # pure: the same answer twice
    return claims


EXTRACTOR_EXAMPLES = 200
LONG_EXAMPLES = 10


@settings(FUZZ, max_examples=EXTRACTOR_EXAMPLES)
@given(items())
def test_extractor_never_fails_and_stays_in_the_vocabulary(item: Item) -> None:
    claims = check_claims(item)
    event("claims found" if claims else "no claim")


@settings(FUZZ, max_examples=LONG_EXAMPLES)
@given(items(LONG))
def test_extractor_on_texts_as_long_as_the_parser_allows(item: Item) -> None:
    check_claims(item)


def test_extractor_finds_claims_in_the_fuzz_vocabulary() -> None:
    """The strategies above reach the claim-making code, not only the early exits."""
    item = Item(
        id="x",
        feed="jazeera",
        outlet="الجزيرة نت",
        title="قالت فصائل المعارضة إنها سيطرت على مدينة حماة",
        text="",
        link=None,
        published=None,
        fetched=datetime(2024, 12, 5, tzinfo=UTC),
    )
    vocabulary = set(GRAMMAR_WORDS + PLACE_WORDS) | {w for a in ACTOR_WORDS for w in a.split()}
    assert set(item.title.split()) - vocabulary == {"إنها"}
    assert [c.city for c in EXTRACTOR.extract(item)] == ["hama"]


def traced_steps(item: Item) -> int:
    """Python line events while extracting: a measure of work that does not depend on the
    machine's speed."""
    steps = 0

    def tracer(frame: object, event: str, arg: object) -> object:
        nonlocal steps
        steps += 1
        return tracer

    sys.settrace(tracer)
    try:
        EXTRACTOR.extract(item)
    finally:
        sys.settrace(None)
    return steps


LONG_SENTENCE = "قالت فصائل المعارضة إنها سيطرت على مدينة حماة بعد اشتباكات عنيفة مع قوات النظام، "


def one_item(text: str) -> Item:
    return Item(
        id="long",
        feed="x",
        outlet="x",
        title="",
        text=text,
        link=None,
        published=None,
        fetched=datetime(2024, 12, 5, tzinfo=UTC),
    )


# Twice the text, at most three times the work: linear (or n log n) passes with room, the
# quadratic paths this guards against did about five times.
def test_extraction_work_grows_linearly_with_sentences() -> None:
    base = (LONG_SENTENCE.replace("، ", ". ") * 200)[:2000]
    double = (LONG_SENTENCE.replace("، ", ". ") * 200)[:4000]
    assert traced_steps(one_item(double)) <= 3.0 * traced_steps(one_item(base))


def test_extraction_work_grows_linearly_with_one_long_sentence() -> None:
    base = (LONG_SENTENCE * 200)[:2000]
    double = (LONG_SENTENCE * 200)[:4000]
    assert traced_steps(one_item(double)) <= 3.0 * traced_steps(one_item(base))


# --- feeds.toml ------------------------------------------------------------------------------

TOML_KEYS = [
    "watch", "interval", "db", "profile", "bidi", "retention_days",
    "name", "url", "enabled", "wtach", "feeds", "board", "x.y", '"quoted key"', "ünï",
]  # fmt: skip
TOML_VALUES = st.one_of(
    st.sampled_from(
        [
            '["aleppo", "idlib", "hama"]', '["aleppo", "aleppo"]', "[]", '["nowhere"]', "[1, 2]",
            '"5m"', '"90s"', '"1h30m"', '"0s"', '"-5m"', '"5 parsecs"', "300", "0", "-1",
            "1e400", "nan", "inf", "3.5", "true", "false", "1979-05-27", "1979-05-27T07:32:00Z",
            '"on"', '"off"', '"auto"', '"sideways"', '"https://example.org/feed.xml"',
            '"http://"', '"ftp://example.org/x"', '"file:///tmp/x.xml"', '"feed.xml"',
            '"with space.xml"', '"~/x.json"', '"syria"', '"other.toml"', "{ a = 1 }",
            '"""multi\nline"""', "'literal'", "''", '"\\u0000"', "99999999999999999999",
        ]
    ),
    st.text(max_size=20).map(json.dumps),
    st.integers().map(str),
    st.floats().map(repr),
)  # fmt: skip
TOML_LINE = st.one_of(
    st.sampled_from(
        ["[board]", "[[feeds]]", "[feeds]", "[[board]]", "[bord]", "[board.x]", "", "# note"]
    ),
    st.tuples(st.sampled_from(TOML_KEYS), TOML_VALUES).map(lambda kv: f"{kv[0]} = {kv[1]}"),
    st.text(max_size=40),
)
LINE_SOUP = st.lists(TOML_LINE, max_size=25).map("\n".join)
GOOD_VALUES = {
    "watch": ['["aleppo", "idlib", "hama"]', '["hama"]', '["homs", "damascus"]'],
    "interval": ['"5m"', "300", '"90s"', '"1h"', "2.5"],
    "bidi": ['"auto"', '"on"', '"off"'],
    "retention_days": ["7", "30"],
    "db": ['"board.json"', '"~/sitboard/db.json"'],
}
FEED_URLS = ['"https://example.org/rss.xml"', '"feeds/local.xml"', '"file:///tmp/f.xml"']


@st.composite
def mostly_valid_toml(draw: st.DrawFn) -> str:
    """A feeds.toml of the right shape, with now and then one value from the wild list."""

    def value(good: list[str]) -> str:
        return draw(TOML_VALUES) if draw(st.integers(0, 9)) == 0 else draw(st.sampled_from(good))

    lines = ["[board]"]
    for key in draw(st.lists(st.sampled_from(sorted(GOOD_VALUES)), unique=True)):
        lines.append(f"{key} = {value(GOOD_VALUES[key])}")
    for n in range(draw(st.integers(0, 4))):
        names = [json.dumps(f"feed {n}"), '"الجزيرة"']
        lines += ["", "[[feeds]]", f"name = {value(names)}"]
        lines.append(f"url = {value(FEED_URLS)}")
        if draw(st.booleans()):
            lines.append(f"interval = {value(GOOD_VALUES['interval'])}")
        if draw(st.booleans()):
            lines.append(f"enabled = {value(['true', 'false'])}")
    return "\n".join(lines) + "\n"


TOML_TEXT = st.one_of(LINE_SOUP, mostly_valid_toml())
CONFIG_EXAMPLES = 200
CONFIG_BYTES_EXAMPLES = 100


def load(folder: Path, raw: bytes) -> Config | ConfigError:
    path = folder / "feeds.toml"
    path.write_bytes(raw)
    try:
        config = load_config(path)
    except ConfigError as exc:
        assert str(exc).startswith(str(path)), str(exc)
        assert exc.line is None or exc.line >= 1
        return exc
    try:
        check_watch(config, PROFILE)
    except ConfigError as exc:
        assert str(exc).startswith(str(path)), str(exc)
    return config


def check_config(config: Config) -> None:
    assert config.board.watch and len(set(config.board.watch)) == len(config.board.watch)
    assert 0 < config.board.interval < float("inf")
    assert config.board.bidi in ("auto", "on", "off")
    names = [feed.name for feed in config.feeds]
    assert len(set(names)) == len(names) and all(name.strip() for name in names)
    for feed in config.feeds:
        assert feed.url
        assert feed.interval is None or 0 < feed.interval < float("inf")


@pytest.fixture(scope="module")
def config_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz-config")


@settings(FUZZ, max_examples=CONFIG_EXAMPLES)
@given(TOML_TEXT)
def test_config_loader_gives_a_config_or_a_config_error(config_folder: Path, text: str) -> None:
    result = load(config_folder, text.encode("utf-8", "surrogatepass"))
    event(type(result).__name__)
    if isinstance(result, Config):
        check_config(result)


@settings(FUZZ, max_examples=CONFIG_BYTES_EXAMPLES)
@given(st.one_of(st.binary(max_size=300), TOML_TEXT.map(lambda t: t.encode("utf-16"))))
def test_config_loader_on_arbitrary_bytes(config_folder: Path, raw: bytes) -> None:
    result = load(config_folder, raw)
    if isinstance(result, Config):
        check_config(result)


# --- `sitboard extract` on random feed bytes ----------------------------------------------------

VALID_RSS = (
    '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>قناة</title>'
    "<item><title>قالت فصائل المعارضة إنها سيطرت على مدينة حماة</title>"
    "<guid>https://x.example/1</guid><pubDate>Thu, 05 Dec 2024 10:00:00 GMT</pubDate>"
    "<description>الجيش السوري ينسحب من مدينة حلب.</description></item></channel></rss>"
).encode()
VALID_ATOM = (
    '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
    "<title>t</title><entry><title>قوات المعارضة تدخل إدلب</title><id>urn:1</id>"
    "<updated>2024-12-05T10:00:00Z</updated><content type='html'>&lt;p&gt;نص&lt;/p&gt;</content>"
    "</entry></feed>"
).encode()


def xml_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@st.composite
def feed_documents(draw: st.DrawFn) -> bytes:
    kind = draw(st.sampled_from(["binary", "rss", "mutated", "cut"]))
    if kind == "binary":
        return draw(st.binary(max_size=2000))
    if kind == "rss":
        entries = draw(st.lists(st.tuples(TEXT, TEXT, st.booleans()), max_size=5))
        body = "".join(
            f"<item><title>{xml_escape(t) if esc else '<![CDATA[' + t + ']]>'}</title>"
            f"<description>{xml_escape(d)}</description><guid>g{n}</guid></item>"
            for n, (t, d, esc) in enumerate(entries)
        )
        return (
            '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>x</title>'
            f"{body}</channel></rss>"
        ).encode("utf-8", "surrogatepass")
    source = draw(st.sampled_from([VALID_RSS, VALID_ATOM]))
    if kind == "cut":
        return source[: draw(st.integers(0, len(source)))]
    data = bytearray(source)
    for _ in range(draw(st.integers(1, 8))):
        at = draw(st.integers(0, len(data) - 1))
        data[at] = draw(st.integers(0, 255))
    return bytes(data)


CLI_EXAMPLES = 40
# feedparser raises (instead of flagging the document) when the XML declaration names an
# encoding with a NUL or a non-ASCII byte; parse_feed must turn that into a feed error.
KNOWN_CRASHES = {
    "nul-in-declared-encoding": b'<?xml version="1.0" encoding="utf\x00-8"?><rss version="2.0">'
    b"<channel><title>t</title><item><title>x</title></item></channel></rss>",
    "non-ascii-declared-encoding": b'<?xml version="1.0" encoding="\x80tf-8"?><rss version="2.0">'
    b"<channel><title>t</title><item><title>x</title></item></channel></rss>",
}


def run_extract(path: Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli_main(["extract", str(path), "--json"])
    return code, out.getvalue(), err.getvalue()


def check_contract(document: dict) -> None:
    assert set(document) == {"items", "claims", "status"}
    for claim in document["claims"]:
        assert claim["city"] in PROFILE.places and claim["source"] in PROFILE.actors
        assert claim["state"] in STATES and claim["kind"] in KINDS
        assert claim["stance"] in STANCES and 0 <= claim["confidence"] <= 1
    for status in document["status"]:
        for index in status["support"] + status["against"]:
            assert 0 <= index < len(document["claims"])


@settings(FUZZ, max_examples=CLI_EXAMPLES)
@given(feed_documents(), st.sampled_from([".xml", ".rss", ".txt"]))
def test_cli_extract_on_random_feed_bytes(data: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"feed{suffix}"
        path.write_bytes(data)
        code, out, err = run_extract(path)
    assert code in (0, 2), (code, err)
    event(f"exit {code}")
    if code == 2:
        assert err.startswith("sitboard: ") and "Traceback" not in err, err
        assert out == ""
        return
    check_contract(json.loads(out))
    if suffix == ".txt":
        assert len(json.loads(out)["items"]) == 1


@pytest.mark.parametrize("name", sorted(KNOWN_CRASHES))
def test_cli_extract_on_a_broken_encoding_declaration(tmp_path: Path, name: str) -> None:
    path = tmp_path / "feed.xml"
    path.write_bytes(KNOWN_CRASHES[name])
    code, out, err = run_extract(path)
    assert code == 2 and err.startswith("sitboard: ") and out == ""


@pytest.mark.parametrize("name", sorted(KNOWN_CRASHES))
async def test_the_poller_keeps_a_broken_encoding_declaration_to_its_feed(
    feed_server: HTTPServer, name: str
) -> None:
    feed_server.expect_request("/bad").respond_with_data(
        KNOWN_CRASHES[name], content_type="application/rss+xml"
    )
    feed_server.expect_request("/good").respond_with_data(
        VALID_RSS, content_type="application/rss+xml"
    )
    feeds = (
        FeedConfig("bad", feed_server.url_for("/bad")),
        FeedConfig("good", feed_server.url_for("/good")),
    )
    poller = Poller(Config(board=BoardConfig(), feeds=feeds), PROFILE, trust_env=False)
    results = {r.feed: r for r in await poller.poll({})}
    assert results["bad"].outcome == "error" and results["bad"].error
    assert results["good"].outcome == "new" and len(results["good"].items) == 1


def rss_with(title: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title>'
        f"<item><title>{title}</title><guid>https://x.example/1</guid></item>"
        "<item><title>قوات المعارضة تدخل حلب</title><guid>https://x.example/2</guid></item>"
        "</channel></rss>"
    ).encode()


@pytest.mark.parametrize("reference", ["&#99999999999999999999;", "&#xFFFFFFFFFF;"])
def test_cli_extract_on_a_huge_character_reference(tmp_path: Path, reference: str) -> None:
    path = tmp_path / "feed.xml"
    path.write_bytes(rss_with(f"x {reference} y"))
    code, _, err = run_extract(path)
    assert code in (0, 2) and "Traceback" not in err


def test_one_out_of_range_character_reference_loses_only_itself(tmp_path: Path) -> None:
    path = tmp_path / "feed.xml"
    path.write_bytes(rss_with("x &#x110000; y"))
    code, out, err = run_extract(path)
    assert code == 0, err
    assert len(json.loads(out)["items"]) == 2
