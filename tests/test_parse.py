from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from shared_paths import REAL_FEEDS
from sitboard.ingest.parse import ParsedFeed, html_to_text, parse_feed
from sitboard.ingest.places import PlaceMatcher

FETCHED = datetime(2024, 12, 6, 12, 0, tzinfo=UTC)


def parse(
    content: bytes,
    matcher: PlaceMatcher,
    headers: dict[str, str] | None = None,
    *,
    feed: str = "Test",
    url: str = "https://news.example/feed",
    fetched: datetime = FETCHED,
    **options: int,
) -> ParsedFeed:
    return parse_feed(
        content, headers or {}, feed=feed, url=url, fetched=fetched, matcher=matcher, **options
    )


def rss(items: str, *, declaration: str = '<?xml version="1.0" encoding="utf-8"?>') -> str:
    channel = f"<channel><title>قناة الاختبار</title>{items}</channel>"
    return f'{declaration}<rss version="2.0">{channel}</rss>'


# --- RSS 2.0 and Atom with Arabic ------------------------------------------------------------


def test_arabic_rss(feed_fixtures: Path, matcher: PlaceMatcher) -> None:
    result = parse((feed_fixtures / "arabic.rss").read_bytes(), matcher, feed="Enab")
    assert result.error is None and result.bozo is None
    assert result.outlet == "عنب بلدي"
    hama, aleppo, undated = result.items  # newest first, undated last
    assert aleppo.id == "https://www.example.org/?p=1001"
    assert aleppo.title == "فصائل المعارضة تسيطر على مدينة حلب"
    assert aleppo.text == (
        "أعلنت إدارة العمليات العسكرية سيطرتها على مدينة حلب.\n"
        "وقال المرصد السوري إن قوات النظام انسحبت."
    )
    assert aleppo.published == datetime(2024, 11, 30, 6, 15, tzinfo=UTC)
    assert aleppo.link == "https://www.example.org/2024/11/30/aleppo"
    assert (aleppo.feed, aleppo.outlet, aleppo.fetched) == ("Enab", "عنب بلدي", FETCHED)
    # content:encoded (the longer body) wins over the description; list items become lines.
    assert hama.text.splitlines() == [
        "قالت القيادة العامة للجيش والقوات المسلحة إن وحداتها أعادت الانتشار في ريف حماة الشمالي.",
        "البند الأول",
        "البند الثاني",
    ]
    assert hama.published == datetime(2024, 12, 1, 14, 0, tzinfo=UTC)
    assert undated.published is None
    assert undated.id == "https://www.example.org/undated"  # no guid: the link
    for item in result.items:
        assert item.places == matcher.places(f"{item.title}\n{item.text}")


def test_arabic_atom(feed_fixtures: Path, matcher: PlaceMatcher) -> None:
    result = parse((feed_fixtures / "arabic.atom").read_bytes(), matcher)
    assert result.error is None
    assert result.outlet == "الجزيرة نت"
    second, first = result.items  # 10:00 UTC is newer than 08:30 UTC
    assert first.title == "عاجل المعارضة تدخل مدينة حماة"  # type="html": markup removed
    assert first.text == "دخلت فصائل المعارضة مدينة حماة وسط سوريا."
    assert first.published == datetime(2024, 12, 5, 8, 30, tzinfo=UTC)
    assert first.id == "tag:example.net,2024:news-77"
    assert second.text == "نفت وزارة الدفاع دخول المسلحين إلى المدينة."
    assert second.published == datetime(2024, 12, 5, 10, 0, tzinfo=UTC)  # updated, no published


# --- encodings -------------------------------------------------------------------------------

ARABIC_TITLE = "قوات النظام تنسحب من مدينة حماة"
ARABIC_TEXT = "أعلنت الفصائل السيطرة الكاملة على المدينة بعد اشتباكات عنيفة استمرت أياما"


def cp1256_feed(declaration: str) -> bytes:
    items = (
        f"<item><title>{ARABIC_TITLE}</title><description>{ARABIC_TEXT}</description>"
        "<guid>https://x.example/1</guid></item>"
    )
    data = rss(items, declaration=declaration).encode("cp1256")
    assert data.decode("cp1256") != data.decode("latin-1")  # really single-byte Arabic
    return data


def test_windows_1256_declared(matcher: PlaceMatcher) -> None:
    result = parse(cp1256_feed('<?xml version="1.0" encoding="windows-1256"?>'), matcher)
    assert result.error is None and result.bozo is None
    assert result.items[0].title == ARABIC_TITLE
    assert result.items[0].text == ARABIC_TEXT
    assert result.outlet == "قناة الاختبار"


def test_windows_1256_undeclared_is_detected(matcher: PlaceMatcher) -> None:
    result = parse(cp1256_feed('<?xml version="1.0"?>'), matcher)
    assert result.error is None
    assert result.items[0].title == ARABIC_TITLE
    assert result.bozo is not None  # the mismatch with the UTF-8 default is kept as a note


def test_windows_1256_from_http_header(matcher: PlaceMatcher) -> None:
    data = cp1256_feed("")
    result = parse(data, matcher, {"Content-Type": "application/rss+xml; charset=windows-1256"})
    assert result.items[0].title == ARABIC_TITLE


def test_feedparser_windows_1256_sample(real_feeds: Path, matcher: PlaceMatcher) -> None:
    result = parse((real_feeds / "feedparser-windows-1256-declared.atom").read_bytes(), matcher)
    assert result.error is None
    assert result.outlet == "€"


def test_undeclared_rtl_single_byte(real_feeds: Path, matcher: PlaceMatcher) -> None:
    data = (real_feeds / "feedparser-windows-1255-undeclared-rtl.rss").read_bytes()
    result = parse(data, matcher)
    assert result.error is None
    assert result.items[0].text.startswith("האם תדפיס נייר")


# --- the real files ----------------------------------------------------------------------------


def real_files() -> list[str]:
    folder = REAL_FEEDS
    return sorted(p.name for p in folder.glob("*") if p.suffix != ".md") if folder.is_dir() else []


@pytest.mark.parametrize("name", real_files())
def test_every_real_file_parses(real_feeds: Path, matcher: PlaceMatcher, name: str) -> None:
    result = parse((real_feeds / name).read_bytes(), matcher, url=(real_feeds / name).as_uri())
    assert result.error is not None or result.outlet is not None or result.items is not None
    for item in result.items:
        assert item.title
        assert "\x1b" not in item.title + item.text
        assert item.published is None or item.published.tzinfo is UTC
        assert item.link is None or item.link.startswith(("http://", "https://"))
    assert len({item.id for item in result.items}) == len(result.items)


def test_truncated_reuters_is_an_error(real_feeds: Path, matcher: PlaceMatcher) -> None:
    result = parse((real_feeds / "reuters-truncated-server-error.rss").read_bytes(), matcher)
    assert result.items == []
    assert result.error == "not a feed: no element found (line 19, column 84)"


def test_bbc_urdu(real_feeds: Path, matcher: PlaceMatcher) -> None:
    result = parse((real_feeds / "bbc-urdu-rtl-arabic-script-2018.rss").read_bytes(), matcher)
    assert result.error is None
    assert len(result.items) == 26
    assert "  " not in (result.outlet or "")  # the channel title's double space is collapsed
    assert result.outlet is not None and result.outlet.startswith("BBC News اردو")
    dates = [item.published for item in result.items]
    assert all(dates) and dates == sorted(dates, reverse=True)


def test_aljazeera_tiktok_description_repeating_the_title(
    real_feeds: Path, matcher: PlaceMatcher
) -> None:
    data = (real_feeds / "aljazeera-arabic-tiktok-feedgen-2025.rss").read_bytes()
    result = parse(data, matcher, fetched=datetime(2025, 4, 20, tzinfo=UTC))
    assert len(result.items) == 38
    assert all("<img" not in item.text for item in result.items)
    assert any("#غزة" in item.title for item in result.items)


def test_script_inside_escaped_html_is_dropped(real_feeds: Path, matcher: PlaceMatcher) -> None:
    for name in ("reader-relative-links-html.rss", "reader-relative-links-html.atom"):
        result = parse((real_feeds / name).read_bytes(), matcher)
        for item in result.items:
            assert "script" not in item.text.lower() and "alert" not in item.text


# --- dates -------------------------------------------------------------------------------------


def one_item(matcher: PlaceMatcher, inner: str, **kwargs: object) -> ParsedFeed:
    return parse(rss(f"<item><title>عنوان</title>{inner}</item>").encode(), matcher, **kwargs)


def test_far_future_date_is_dropped(matcher: PlaceMatcher) -> None:
    result = one_item(matcher, "<pubDate>Sat, 30 Nov 2099 10:00:00 +0300</pubDate>")
    assert result.items[0].published is None


def test_date_a_few_hours_ahead_is_kept(matcher: PlaceMatcher) -> None:
    result = one_item(matcher, "<pubDate>Fri, 06 Dec 2024 20:00:00 +0000</pubDate>")
    assert result.items[0].published == datetime(2024, 12, 6, 20, 0, tzinfo=UTC)


def test_offset_is_converted_to_utc(matcher: PlaceMatcher) -> None:
    result = one_item(matcher, "<pubDate>Thu, 05 Dec 2024 15:00:00 +0300</pubDate>")
    assert result.items[0].published == datetime(2024, 12, 5, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize("raw", ["", "not a date", "32/13/2024", "2024-13-45T99:99:99Z"])
def test_unreadable_dates_become_none(matcher: PlaceMatcher, raw: str) -> None:
    result = one_item(matcher, f"<pubDate>{raw}</pubDate>")
    assert result.error is None
    assert result.items[0].published is None


def test_arabic_month_names_use_the_arabic_date_parser(matcher: PlaceMatcher) -> None:
    raw = "السبت، 30 نوفمبر 2024 10:00"
    result = one_item(matcher, f"<pubDate>{raw}</pubDate>")
    try:
        from sitboard.ingest.when import parse_feed_date
    except ImportError:
        assert result.items[0].published is None
    else:
        expected = parse_feed_date(raw)
        assert result.items[0].published == (expected.astimezone(UTC) if expected else None)


# --- ids -------------------------------------------------------------------------------------


def test_ids_are_stable_across_parses(feed_fixtures: Path, matcher: PlaceMatcher) -> None:
    data = rss(
        "<item><title>بلا معرف</title><description>نص</description></item>"
        "<item><title>معرف رقمي</title><guid>12345</guid></item>"
    ).encode()
    first = parse(data, matcher, fetched=FETCHED)
    second = parse(data, matcher, fetched=FETCHED + timedelta(hours=3))
    assert [i.id for i in first.items] == [i.id for i in second.items]
    hashed, numeric = first.items
    assert hashed.id.startswith("sha1:")
    # A bare guid is qualified by its feed so two feeds' "12345" never collide.
    assert numeric.id == "https://news.example/feed#12345"
    fixture = (feed_fixtures / "arabic.rss").read_bytes()
    assert [i.id for i in parse(fixture, matcher).items] == [
        i.id for i in parse(fixture, matcher).items
    ]


def test_duplicate_ids_keep_one_item(matcher: PlaceMatcher) -> None:
    item = "<item><title>{}</title><guid>https://x.example/same</guid><pubDate>{}</pubDate></item>"
    data = rss(
        item.format("قديم", "Thu, 05 Dec 2024 10:00:00 GMT")
        + item.format("جديد", "Thu, 05 Dec 2024 11:00:00 GMT")
    ).encode()
    result = parse(data, matcher)
    assert [i.title for i in result.items] == ["جديد"]


# --- text cleaning -----------------------------------------------------------------------------


def test_html_to_text() -> None:
    html = (
        "<div><h1>عنوان</h1><p>فقرة &amp; أخرى&nbsp;هنا</p><script>var x = 1;</script>"
        "<style>p { color: red }</style><p>سطر<br/>ثان</p><table><tr><td>أ</td><td>ب</td></tr>"
        "</table><img src='x.png' alt='صورة'/></div>"
    )
    assert html_to_text(html) == "عنوان\nفقرة & أخرى هنا\nسطر\nثان\nأ ب"


def test_html_to_text_tolerates_broken_markup() -> None:
    assert html_to_text("<p>نص <b>غامق <i>مائل</p> <") == "نص غامق مائل\n<"
    assert html_to_text("") == ""


def test_escape_sequences_and_overrides_in_titles_are_removed(matcher: PlaceMatcher) -> None:
    title = (
        "<![CDATA[\x1b[31m\x1b]8;;https://evil.example/\x1b\\حلب\x1b]8;;\x1b\\"
        "\x1b]0;pwned\x07 \u202eتحرير\u202c\x1b[0m]]>"
    )
    data = rss(f"<item><title>{title}</title><guid>https://x.example/1</guid></item>").encode()
    result = parse(data, matcher)
    assert result.items[0].title == "حلب تحرير"


def test_markup_in_titles_is_removed(matcher: PlaceMatcher) -> None:
    data = rss(
        "<item><title>&lt;b&gt;عاجل&lt;/b&gt; A &amp;amp; B</title>"
        "<description>&lt;p onclick='x'&gt;نص&lt;/p&gt;</description></item>"
    ).encode()
    item = parse(data, matcher).items[0]
    assert item.title == "عاجل A & B"
    assert item.text == "نص"


def test_unsafe_links_are_dropped(matcher: PlaceMatcher) -> None:
    result = one_item(matcher, "<link>javascript:alert(1)</link><guid>https://x.example/j</guid>")
    assert result.items[0].link is None


def test_caps_on_items_and_text(matcher: PlaceMatcher) -> None:
    items = "".join(
        f"<item><title>خبر {n}</title><guid>https://x.example/{n}</guid>"
        f"<pubDate>Thu, 05 Dec 2024 {n:02d}:00:00 GMT</pubDate>"
        f"<description>{'كلمة ' * 100}</description></item>"
        for n in range(20)
    )
    result = parse(rss(items).encode(), matcher, max_items=5, max_text=100)
    assert [i.title for i in result.items] == [f"خبر {n}" for n in (19, 18, 17, 16, 15)]
    for item in result.items:
        assert len(item.text) <= 101 and item.text.endswith("…")


def test_item_without_title_takes_its_text(matcher: PlaceMatcher) -> None:
    data = rss("<item><description>قصف على أطراف مدينة إدلب</description></item>").encode()
    assert parse(data, matcher).items[0].title == "قصف على أطراف مدينة إدلب"


def test_empty_body_is_not_a_feed(matcher: PlaceMatcher) -> None:
    assert parse(b"", matcher).error == "not a feed: empty response"
    assert parse(b"  \n ", matcher).error == "not a feed: empty response"


def test_empty_but_valid_feed_is_fine(matcher: PlaceMatcher) -> None:
    result = parse(rss("").encode(), matcher)
    assert result.error is None and result.items == []
    assert result.outlet == "قناة الاختبار"


def test_outlet_falls_back_to_the_feed_name(matcher: PlaceMatcher) -> None:
    data = b'<rss version="2.0"><channel><item><title>x</title></item></channel></rss>'
    result = parse(data, matcher, feed="My Feed")
    assert result.outlet is None
    assert result.items[0].outlet == "My Feed"


async def test_declared_windows_1256_file_read_from_disk_is_a_feed(
    real_feeds: Path, matcher: PlaceMatcher
) -> None:
    from sitboard.ingest.fetch import Fetcher

    path = real_feeds / "feedparser-windows-1256-declared.atom"
    async with Fetcher() as fetcher:
        response = await fetcher.fetch(str(path))
    result = parse_feed(
        response.content,
        response.headers,
        feed="w1256",
        url=path.as_uri(),
        fetched=datetime(2024, 12, 5, tzinfo=UTC),
        matcher=matcher,
    )
    assert result.error is None
    assert result.outlet == "€"
