# ruff: noqa: E501  (the golden Markdown has long table rows)
"""Markdown snapshots: structure, a golden rendering, and hostile feed text kept inert."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

from sitboard.ingest.model import BoardView, CityStatus, Claim, Filters, Item
from sitboard.ingest.profile import parse_profile
from sitboard.store import Store, render_markdown
from sitboard.store.export import escape_cell, safe_link

# A small fixed profile, so the golden text does not change when the shipped one does.
PROFILE = parse_profile(
    {
        "parties": {
            "gov": {"en": "Government", "ar": "الحكومة", "color": "red"},
            "opp": {"en": "Opposition", "ar": "المعارضة", "color": "green"},
            "sdf": {"en": "SDF", "ar": "قسد", "color": "yellow"},
        },
        "places": {
            "hama": {"en": "Hama", "ar": "حماة", "lat": 35.1, "lon": 36.7},
            "idlib": {"en": "Idlib", "ar": "إدلب", "lat": 35.9, "lon": 36.6},
            "aleppo": {"en": "Aleppo", "ar": "حلب", "lat": 36.2, "lon": 37.1},
        },
        "actors": {
            "opposition": {"side": "opp", "en": "Opposition", "ar": "المعارضة"},
            "sana": {"side": "gov", "en": "SANA", "ar": "سانا"},
            "syrian-army": {"side": "gov", "en": "Syrian Army", "ar": "الجيش السوري"},
            "sohr": {"side": "observer", "en": "SOHR", "ar": "المرصد"},
        },
    },
    "test",
)
T = datetime(2024, 12, 5, 12, 30, tzinfo=UTC)


def make_claim(**kw) -> Claim:
    base = dict(
        item="i1",
        source="syrian-army",
        side="gov",
        city="hama",
        state="opp",
        kind="withdrawal",
        stance="admit",
        when=datetime(2024, 12, 5, 10, 0, tzinfo=UTC),
        evidence="أعلنت القيادة العامة للجيش إعادة الانتشار خارج مدينة حماة",
        confidence=0.9,
        outlet="BBC Arabic",
    )
    base.update(kw)
    return Claim(**base)


def make_item(**kw) -> Item:
    base = dict(
        id="i1",
        feed="BBC",
        outlet="BBC Arabic",
        title="الجيش السوري ينسحب من حماة",
        text="",
        link="https://www.bbc.com/arabic/articles/1",
        published=datetime(2024, 12, 5, 10, 5, tzinfo=UTC),
        fetched=T,
        places=("hama",),
    )
    base.update(kw)
    return Item(**base)


ARMY = make_claim()
OPP = make_claim(
    item="i2",
    source="opposition",
    side="opp",
    kind="capture",
    stance="assert",
    when=datetime(2024, 12, 5, 9, 0, tzinfo=UTC),
    evidence="قوات المعارضة تسيطر على حماة",
    outlet="Al Jazeera",
)
SANA = make_claim(
    item="i3",
    source="sana",
    state="gov",
    kind="denial",
    stance="deny",
    when=None,
    evidence="نفى مصدر عسكري الأنباء",
    outlet="",
)

VIEW = BoardView(
    generated=T,
    filters=Filters(),
    status=(
        CityStatus(
            city="hama",
            state="opp",
            since=datetime(2024, 12, 5, 10, 0, tzinfo=UTC),
            confidence=0.87,
            disputed=True,
            support=(ARMY, OPP),
            against=(SANA,),
        ),
        CityStatus(city="idlib", state="unknown", since=None, confidence=0.0, disputed=False),
    ),
    claims_by_source=(("opposition", (OPP,)), ("sana", (SANA,)), ("syrian-army", (ARMY,))),
    headlines=(make_item(), make_item(id="i2", outlet="Al Jazeera", title="Hama falls", link=None)),
)

GOLDEN = """\
# sitboard snapshot

Generated at: 2024-12-05T12:30:00Z

Filters: none

## Control status

| City | Arabic | State | Since | Confidence | Disputed |
| --- | --- | --- | --- | --- | --- |
| Hama | حماة | Opposition | 2024-12-05T10:00:00Z | 87% | yes, by SANA |
| Idlib | إدلب | Unknown | — | 0% | no |

## Claims by source

### Opposition (opposition): 1 claim

| Time | City | Claim | Outlet | Evidence |
| --- | --- | --- | --- | --- |
| 2024-12-05T09:00:00Z | Hama | claims capture of Hama; held by Opposition | Al Jazeera | قوات المعارضة تسيطر على حماة |

### SANA (sana): 1 claim

| Time | City | Claim | Outlet | Evidence |
| --- | --- | --- | --- | --- |
| — | Hama | denies denial of reports about Hama; held by Government | — | نفى مصدر عسكري الأنباء |

### Syrian Army (syrian-army): 1 claim

| Time | City | Claim | Outlet | Evidence |
| --- | --- | --- | --- | --- |
| 2024-12-05T10:00:00Z | Hama | admits withdrawal from Hama; held by Opposition | BBC Arabic | أعلنت القيادة العامة للجيش إعادة الانتشار خارج مدينة حماة |

## Latest headlines

| Time | Outlet | Title | Link |
| --- | --- | --- | --- |
| 2024-12-05T10:05:00Z | BBC Arabic | الجيش السوري ينسحب من حماة | <https://www.bbc.com/arabic/articles/1> |
| 2024-12-05T10:05:00Z | Al Jazeera | Hama falls | — |
"""


def test_golden_snapshot() -> None:
    assert render_markdown(VIEW, PROFILE) == GOLDEN


def test_item_times_date_claims_without_their_own_time() -> None:
    out = render_markdown(
        VIEW, PROFILE, item_times={"i3": datetime(2024, 12, 5, 11, 0, tzinfo=UTC)}
    )
    assert "| 2024-12-05T11:00:00Z | Hama | denies denial of reports about Hama;" in out
    assert out.replace("2024-12-05T11:00:00Z", "—") == GOLDEN


def test_output_is_stable_and_keeps_logical_order() -> None:
    first = render_markdown(VIEW, PROFILE)
    assert render_markdown(VIEW, PROFILE) == first
    # Arabic stays as stored: no presentation forms (reshaping), no reordering marks
    assert ARMY.evidence in first
    assert not re.search("[\ufb50-\ufdff\ufe70-\ufeff\u200e\u200f\u202a-\u202e]", first)


def test_filters_line() -> None:
    flt = Filters(
        cities=frozenset({"hama", "idlib"}), sources=frozenset({"sana", "Al Jazeera"}), text="حماه"
    )
    view = BoardView(generated=T, filters=flt, status=(), claims_by_source=(), headlines=())
    out = render_markdown(view, PROFILE)
    assert (
        "Filters: cities: Hama (hama), Idlib (idlib); sources: Al Jazeera, SANA (sana); "
        "text: حماه\n" in out
    )
    assert "No claims." in out and "No headlines." in out and "No cities shown." in out


HOSTILE = "a|b $x$ `code` <script>alert(1)</script> [link](http://x) *bold* _u_ \\ ~s~\nnew\r\nline"


def cells(line: str) -> list[str]:
    """Split a Markdown table row the way GFM does: on pipes not escaped by a backslash."""
    return re.split(r"(?<!\\)\|", line.strip().strip("|"))


def test_escape_cell_neutralises_markdown_and_html() -> None:
    out = escape_cell(HOSTILE)
    assert "\n" not in out and "\r" not in out
    assert "<" not in out and ">" not in out and "&lt;script&gt;" in out
    assert re.search(r"(?<!\\)[|`*_\[\]~$]", out) is None  # every special char escaped
    assert escape_cell("# heading") == "\\# heading"
    assert escape_cell("x\u202eevil\u2066y") == "xevily"
    # the same invisible characters the screen drops: zero-width, letter marks, BOM, escapes
    assert (
        escape_cell("a\u200bb\u200dc\u061cd\ufeffe\u2060f\x1b[31mg\x1b]8;;http://x\x07h")
        == "abcdefgh"
    )
    assert escape_cell("AT&T") == "AT&amp;T"


def test_hostile_feed_text_stays_inside_its_cells() -> None:
    claim = make_claim(evidence=HOSTILE, outlet="Evil | Outlet")
    item = make_item(title=HOSTILE, outlet="`x`", link="https://x.org/a|b c<d>`e")
    bad_link = make_item(id="i9", title="js", link="javascript:alert(1)")
    view = BoardView(
        generated=T,
        filters=Filters(text="<b>|"),
        status=(),
        claims_by_source=(("syrian-army", (claim,)),),
        headlines=(item, bad_link),
    )
    out = render_markdown(view, PROFILE)
    assert "<script>" not in out and "<b>" not in out
    assert "javascript:" not in out
    rows = [line for line in out.splitlines() if line.startswith("| ")]
    claim_row = next(r for r in rows if "admits" in r)
    assert len(cells(claim_row)) == 5
    headline_rows = [r for r in rows if "x.org" in r or "js" in r.split("|")[3]]
    for row in headline_rows:
        assert len(cells(row)) == 4
    assert "<https://x.org/a%7Cb%20c%3Cd%3E%60e>" in out
    assert "Filters: text: &lt;b&gt;\\|" in out
    # no line of the output starts with anything but our own syntax
    for line in out.splitlines():
        assert line == "" or line[0] in "#|FGN"


def test_safe_link() -> None:
    assert safe_link("https://a.org/x?y=1&z=(2)") == "<https://a.org/x?y=1&z=(2)>"
    assert safe_link("http://a.org/حماة") == "<http://a.org/%D8%AD%D9%85%D8%A7%D8%A9>"
    for bad in (None, "", "ftp://a.org", "data:text/html,x", "https://", "//a.org/x"):
        assert safe_link(bad) == "—"


def test_export_of_a_real_store_view(tmp_path: Path) -> None:
    from test_store_support import WATCH, claim, item, result

    it = item(1, title="تقدم | المعارضة", places=("aleppo",))
    with Store.open(tmp_path / "db.json", PROFILE, WATCH) as store:
        store.commit([result([it], [claim(it, "opposition", city="aleppo", state="opp")])])
        out = render_markdown(store.view(Filters(cities=frozenset({"aleppo"}))), PROFILE)
    assert "| Aleppo | حلب | Opposition |" in out
    assert "تقدم \\| المعارضة" in out
    assert "### Opposition (opposition): 1 claim" in out
    assert "Filters: cities: Aleppo (aleppo)" in out


def test_export_view_dates_undated_claims_by_their_item(tmp_path: Path) -> None:
    from dataclasses import replace

    from sitboard.store import export_view
    from test_store_support import T0, WATCH, claim, item, result

    it = item(2, title="الجيش يصد هجوما", places=("hama",))
    undated = replace(claim(it, "syrian-army", city="hama"), when=None)
    with Store.open(tmp_path / "db.json", PROFILE, WATCH) as store:
        store.commit([result([it], [undated])])
        with_times = export_view(store, Filters(), PROFILE)
        bare = render_markdown(store.view(Filters()), PROFILE)
    stamp = T0.strftime("%Y-%m-%dT%H:%M:%SZ")
    claims_part = with_times.split("## Claims by source", 1)[1].split("## Latest", 1)[0]
    assert stamp in claims_part
    assert stamp not in bare.split("## Claims by source", 1)[1].split("## Latest", 1)[0]
