"""Feed text that attacks the screen or the export, through the real path.

A loopback feed (pytest-httpserver) carries Rich/Textual markup, terminal escape sequences
(colour, cursor moves, screen clears, OSC 8 links, OSC 52 clipboard writes, window titles,
8-bit C1 forms, a terminal reset), bidi overrides and isolates, zero-width characters, huge
lines and Markdown/HTML table syntax, in item titles, bodies, links and the channel title.
The real Poller fetches it, the real Store keeps it, and then
(a) the real SitboardApp (run_test) draws it: nothing but plain text reaches the screen, markup
    is shown literally and is never live (no links, no click actions), on every screen;
(b) `sitboard poll --once` and `sitboard export` (the real CLI) write Markdown in which every
    table row keeps its cell count, no HTML tag or control character survives, and the attack
    text is still there, escaped.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
import re
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from sitboard.ingest.model import FeedConfig, FeedResult, FeedState
from sitboard.store import Store
from sitboard.tui.app import SitboardApp
from sitboard.tui.claims_pane import ClaimsPane
from sitboard.tui.feeds_screen import FeedStatusScreen
from sitboard.tui.headlines_pane import HeadlinesTable
from sitboard.tui.picker_screen import PickerScreen
from textual._compositor import LayoutUpdate
from textual.worker import WorkerFailed
from tui_fixtures import FETCHED, WATCH, make_app, open_store

from sitboard.cli import main as cli_main

SIZE = (140, 44)
ESC = "\x1b"

# One entry per attack; the name is used in ids and in the report's count.
ATTACKS: dict[str, str] = {
    "rich-markup": "[bold red]x[/] [reverse]inv[/reverse]",
    "rich-link": "[link=https://evil.example/]click[/link]",
    "textual-action": "[@click=app.quit]quit[/]",
    "csi-colour": f"{ESC}[31mred{ESC}[0m{ESC}[1;5;7mblink{ESC}[m",
    "csi-cursor": f"{ESC}[2J{ESC}[H{ESC}[10A{ESC}[5;5H{ESC}[?1049h{ESC}[K",
    "osc8-link": f"{ESC}]8;;https://evil.example/{ESC}\\osc8{ESC}]8;;{ESC}\\",
    "osc52-clipboard": f"{ESC}]52;c;cm0gLXJmIH4K\x07clip",
    "osc-title": f"{ESC}]0;pwned\x07{ESC}]2;pwned2{ESC}\\title",
    "c1-8bit": "\x9b31mc1\x9d0;pwned\x9c\x90dcs\x9c",
    "terminal-reset": f"{ESC}c{ESC}(0reset{ESC}(B",
    "raw-controls": "a\x07b\x08c\x0bd\x0ce\rf\x00g\x7fh",
    "bidi-override": "\u202eevil\u202c \u202dltr\u202c \u202bemb\u202c",
    "bidi-isolate": "\u2066iso\u2069 \u2067r\u2069 \u2068f\u2069 \u061c\u200e\u200f",
    "zero-width": "z\u200bw\u200cn\u200dj\ufeffb\u2060o\u2063m",
    "markdown-table": "| a | b |\n|---|---|\n| `code` | *x* _y_ ~z~ $m$ \\| # ---",
    "html-tags": "<script>alert(1)</script> <img src=x onerror=alert(1)> <b>b</b> <!-- c -->",
    # Entities inside CDATA: the feed's text really is "<script>...", which must stay text.
    "html-as-text": "&lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x onerror=alert(1)&gt;",
}
HUGE = "ح" * 3000 + " " + "x" * 3000  # a huge line without a break
ARABIC_CLAIMS = (
    "فصائل المعارضة تعلن السيطرة على مدينة حماة",
    "قوات المعارضة تدخل مدينة حلب",
    "الجيش السوري ينسحب من مدينة إدلب",
)
OUTLET = f"[red]Evil[/red] {ESC}]0;outlet\x07 | <b>Outlet</b> \u202eX"

# Nothing of this may reach the terminal: C0/C1 controls (ESC included), bidi embeddings,
# overrides, isolates and marks, zero-width characters and the BOM.
FORBIDDEN = re.compile(
    "[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\u061c\ufeff]"
)


def cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def hostile_feed() -> bytes:
    """An RSS feed with one item per attack, each in the title, the body and a claim sentence."""
    items = []
    for n, (name, attack) in enumerate(ATTACKS.items()):
        sentence = ARABIC_CLAIMS[n % len(ARABIC_CLAIMS)]
        title = f"{attack} {sentence} {name}"
        body = f"<p>{attack}</p> {sentence} {attack}، {name}"
        items.append(
            f"<item><title>{cdata(title)}</title><description>{cdata(body)}</description>"
            f"<link>https://news.example/{name}?a=|b|&amp;c=`d`</link>"
            f"<guid>https://news.example/{name}</guid>"
            f"<pubDate>Thu, 05 Dec 2024 {10 + n // 60:02d}:{n % 60:02d}:00 GMT</pubDate></item>"
        )
    items.append(
        f"<item><title>{cdata(HUGE)}</title><description>{cdata(HUGE * 4)}</description>"
        "<link>javascript:alert(1)</link><guid>https://news.example/huge</guid>"
        "<pubDate>Thu, 05 Dec 2024 09:00:00 GMT</pubDate></item>"
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{cdata(OUTLET)}</title>{''.join(items)}</channel></rss>"
    ).encode()


FEED = hostile_feed()
ITEMS = len(ATTACKS) + 1


def serve(httpserver: HTTPServer) -> str:
    httpserver.expect_request("/evil.xml").respond_with_data(
        FEED, content_type="application/rss+xml; charset=utf-8"
    )
    return httpserver.url_for("/evil.xml")


# --- the screen --------------------------------------------------------------------------------


def screen_update(app: SitboardApp) -> LayoutUpdate:
    return app.screen._compositor.render_full_update(simplify=True)


def screen_text(app: SitboardApp) -> list[str]:
    return ["".join(strip.text for strip in row) for row in screen_update(app).strips]


# What the compositor itself writes: cursor moves and SGR styles. Anything else (OSC, DCS, a
# mode change, a reset) in the bytes for the terminal would have come from feed text.
OWN_SEQUENCES = re.compile(r"\x1b\[[0-9;]*[mH]")


def assert_screen_is_plain(app: SitboardApp, where: str, *, raw: bool = True) -> list[str]:
    """No forbidden character on screen, no hyperlink and no click action from feed text,
    and (`raw`) nothing in the bytes for the terminal but text, cursor moves and colours."""
    update = screen_update(app)
    lines = screen_text(app)
    for number, line in enumerate(lines):
        bad = FORBIDDEN.search(line)
        assert bad is None, (where, number, f"U+{ord(bad.group()):04X}", line)
        assert not any(unicodedata.category(ch) == "Cs" for ch in line), (where, line)
    for row in update.strips:
        for strip in row:
            for segment in strip:
                style = segment.style
                if style is None:
                    continue
                assert not style.link, (where, segment.text, style.link)
                click = str((style.meta or {}).get("@click", ""))
                assert "quit" not in click, (where, segment)
    if not raw:
        return lines
    rest = OWN_SEQUENCES.sub("", update.render_segments(app.console)).replace("\n", "")
    bad = FORBIDDEN.search(rest)
    assert bad is None, (where, repr(rest[max(0, bad.start() - 20) : bad.end() + 20]))
    return lines


async def settle(app: SitboardApp) -> None:
    with contextlib.suppress(WorkerFailed):
        await app.workers.wait_for_complete()


async def wait_for_poll(app: SitboardApp, pilot: object) -> None:
    for _ in range(300):
        await settle(app)
        await pilot.pause()  # type: ignore[attr-defined]
        if app.polls_done >= 1 and not app.polling:
            return
        await asyncio.sleep(0.02)
    raise AssertionError("the poll never finished")


async def test_hostile_feed_reaches_the_screen_as_plain_text(
    tmp_path: Path, httpserver: HTTPServer
) -> None:
    feeds = (FeedConfig("evil", serve(httpserver)),)
    store = open_store(tmp_path)
    out = tmp_path / "exports"
    out.mkdir()
    app = make_app(store, feeds, check_interval=0.05, export_dir=out)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_poll(app, pilot)
        stored = store.view(headlines=500).headlines
        assert len(stored) == ITEMS  # every hostile item was kept, none dropped
        assert store.feed_states()["evil"].last_outcome == "new"
        # The stored text is clean too (the parser's job), and the markup is still words.
        for item in stored:
            for text in (item.title, item.text, item.outlet):
                assert FORBIDDEN.search(text.replace("\n", " ")) is None, text
        titles = {item.title for item in stored}
        assert any(t.startswith("[bold red]x[/] [reverse]inv[/reverse]") for t in titles)
        assert any(t.startswith("[@click=app.quit]quit[/]") for t in titles)
        claims = [c for _, cs in store.view(claims_per_source=500).claims_by_source for c in cs]
        assert any("[link=https://evil.example/]" in c.evidence for c in claims), claims

        lines = assert_screen_is_plain(app, "board")
        text = "\n".join(lines)
        assert "[bold red]x[/] [reverse]inv" in text  # shown, not interpreted
        assert "[@click=app.quit]quit[/]" in text
        assert "Evil" in text and "[red]" in text  # the outlet name, markup and all

        # Walk every headline: the detail line under the table shows each title in full.
        table = app.query_one(HeadlinesTable)
        table.focus()
        seen_detail = set()
        for _ in range(ITEMS):
            await pilot.press("down")
            await pilot.pause()
            assert_screen_is_plain(app, f"headline {table.cursor_row}", raw=False)
            seen_detail.add(table.cursor_row)
        assert len(seen_detail) >= ITEMS - 1
        # Walk the claims: the evidence box shows each hostile sentence.
        claims_pane = app.query_one(ClaimsPane)
        claims_pane.query_one("OptionList").focus()
        for _ in range(len(claims_pane.claims)):
            await pilot.press("down")
            await pilot.pause()
            assert_screen_is_plain(app, "claims", raw=False)
        assert app.is_running and app.return_code is None  # no markup action ran

        # Clicking where a markup action would be does nothing either.
        for row, line in enumerate(screen_text(app)):
            col = line.find("quit[/]")
            if col >= 0:
                await pilot.click(offset=(col + 1, row))
                await pilot.pause()
        assert app.is_running and app.return_code is None

        # Every other screen that shows feed text.
        for keys, screen_type in ((("s",), PickerScreen), (("f",), FeedStatusScreen)):
            await pilot.press(*keys)
            await pilot.pause()
            assert isinstance(app.screen, screen_type)
            shown = "\n".join(assert_screen_is_plain(app, keys[0]))
            assert "Evil" in shown
            await pilot.press("escape")
            await pilot.pause()
        await pilot.press("b")  # bidi off: the terminal gets logical text, still plain
        await pilot.pause()
        assert_screen_is_plain(app, "bidi off")

        await pilot.press("e")
        await settle(app)
        await pilot.pause()
        [exported] = list(out.glob("sitboard-*.md"))
        check_markdown(exported.read_text(encoding="utf-8"), headlines=ITEMS)
        assert_screen_is_plain(app, "after export")  # the notice names a path, plainly


async def test_unclean_text_put_straight_into_the_store_is_cleaned_on_screen(
    tmp_path: Path,
) -> None:
    """Defence in depth: text that skipped the parser (an old database, another tool) is
    cleaned by the screen too, in every pane, the pickers and the feed screen."""
    from tui_fixtures import claim, item

    everything = " ".join(ATTACKS.values())
    hostile = [
        item(n, f"{attack} {ARABIC_CLAIMS[0]}", outlet=f"{attack} outlet", feed="evil")
        for n, attack in enumerate(ATTACKS.values())
    ]
    claims = tuple(
        claim(i, "opposition", "opp", "hama", "opp", "capture", "assert", i.title) for i in hostile
    )
    state = FeedState(
        name="evil",
        url="http://127.0.0.1:9/evil",
        last_fetch=FETCHED,
        last_outcome="error",
        last_error=f"server said: {everything}",
        outlet=OUTLET,
    )
    store = open_store(tmp_path)
    store.commit([FeedResult("evil", state.url, "new", state, items=tuple(hostile), claims=claims)])
    app = make_app(store, (FeedConfig("evil", state.url),))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert_screen_is_plain(app, "board")
        app.query_one(HeadlinesTable).focus()
        for _ in range(len(hostile)):
            await pilot.press("down")
            await pilot.pause()
            assert_screen_is_plain(app, "headlines", raw=False)
        for key in ("s", "c", "f", "slash"):
            await pilot.press(key)
            await pilot.pause()
            assert_screen_is_plain(app, key)
            await pilot.press("escape")
            await pilot.pause()
        assert app.is_running and app.return_code is None


# --- the export, through the CLI ---------------------------------------------------------------


def split_row(line: str) -> list[str]:
    """Cells of a GFM table row: pipes split, except a backslash-escaped character."""
    body = line.strip()
    assert body.startswith("|") and body.endswith("|") and not body.endswith("\\|"), line
    cells, current, chars = [], [], iter(body[1:-1])
    for ch in chars:
        if ch == "\\":
            current.append(ch + next(chars, ""))
        elif ch == "|":
            cells.append("".join(current))
            current = []
        else:
            current.append(ch)
    cells.append("".join(current))
    return cells


HTML_TAG = re.compile(r"<(?!https?://)[A-Za-z/!?]")


def check_markdown(
    markdown: str, *, headlines: int, forbidden: re.Pattern[str] = FORBIDDEN
) -> None:
    bad = forbidden.search(markdown.replace("\n", ""))
    assert bad is None, f"U+{ord(bad.group()):04X} in the export"
    assert HTML_TAG.search(markdown) is None, HTML_TAG.search(markdown)
    assert "javascript:" not in markdown
    width: int | None = None
    rows = 0
    in_headlines = False
    for line in markdown.splitlines():
        if line.startswith("## "):
            in_headlines = line == "## Latest headlines"
        if not line.startswith("|"):
            width = None
            continue
        cells = split_row(line)
        if width is None:
            width = len(cells)  # the header row
            continue
        assert len(cells) == width, (width, line[:300])
        if in_headlines and set(cells[0].strip()) != {"-"}:
            rows += 1
    assert rows == headlines
    # The attacks are still readable, as escaped text.
    assert "\\[bold red\\]x\\[/\\]" in markdown
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in markdown
    assert "\\[@click=app.quit\\]quit" in markdown


def run_cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli_main(list(argv))
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def hostile_setup(tmp_path: Path, httpserver: HTTPServer) -> tuple[Path, Path]:
    feeds = tmp_path / "feeds.toml"
    watch = ", ".join(f'"{city}"' for city in WATCH)
    url = serve(httpserver)
    feeds.write_text(
        f'[board]\nwatch = [{watch}]\n\n[[feeds]]\nname = "evil"\nurl = "{url}"\n',
        encoding="utf-8",
    )
    return feeds, tmp_path / "db" / "sitboard.json"


def test_cli_poll_and_export_keep_hostile_text_inert(hostile_setup: tuple[Path, Path]) -> None:
    feeds, db = hostile_setup
    code, out, err = run_cli("poll", "--once", "--feeds", str(feeds), "--db", str(db))
    assert code == 0, err
    assert f"evil: {ITEMS} new item(s)" in out
    assert FORBIDDEN.search(out.replace("\n", "")) is None  # the summary lines are plain too
    target = db.parent / "snapshot.md"
    code, _, err = run_cli("export", "--feeds", str(feeds), "--db", str(db), "-o", str(target))
    assert code == 0, err
    check_markdown(target.read_text(encoding="utf-8"), headlines=ITEMS)
    # To stdout as well, and narrowed by a text filter that is itself hostile.
    code, markdown, err = run_cli("export", "--feeds", str(feeds), "--db", str(db))
    assert code == 0, err
    check_markdown(markdown, headlines=ITEMS)
    code, narrowed, err = run_cli(
        "export", "--feeds", str(feeds), "--db", str(db), "--text", "[bold red]x[/] <b>|"
    )
    assert code == 0, err
    assert "Filters: text: \\[bold red\\]x\\[/\\] &lt;b&gt;\\|" in narrowed
    assert (
        HTML_TAG.search(narrowed) is None and FORBIDDEN.search(narrowed.replace("\n", "")) is None
    )


def store_raw_attacks(db: Path) -> Path:
    """A database holding the attacks as raw text (as if written by another tool, or by an
    older parser), and a feeds.toml for the CLI; returns the feeds.toml."""
    from tui_fixtures import claim, item

    hostile = [
        item(n, f"{attack} {ARABIC_CLAIMS[1]}", outlet=f"{attack}|o", feed="evil")
        for n, attack in enumerate(ATTACKS.values())
    ]
    claims = tuple(
        claim(i, "opposition", "opp", "aleppo", "opp", "entry", "assert", i.title) for i in hostile
    )
    state = FeedState(name="evil", url="http://127.0.0.1:9/evil", last_fetch=FETCHED)
    with Store.open(db, None, WATCH) as store:
        store.commit(
            [FeedResult("evil", state.url, "new", state, items=tuple(hostile), claims=claims)]
        )
    feeds = db.parent / "feeds.toml"
    feeds.write_text('[board]\nwatch = ["aleppo", "idlib", "hama"]\n', encoding="utf-8")
    return feeds


def test_export_of_text_that_skipped_the_parser(tmp_path: Path) -> None:
    """Raw escapes, controls, direction marks and zero-width characters stored by another
    path are kept out, escape sequences with their payload (no clipboard text, no title)."""
    db = tmp_path / "db.json"
    feeds = store_raw_attacks(db)
    code, markdown, err = run_cli("export", "--feeds", str(feeds), "--db", str(db))
    assert code == 0, err
    check_markdown(markdown, headlines=len(ATTACKS), forbidden=FORBIDDEN)
    for payload in ("cm0gLXJmIH4K", "pwned", "evil.example/\\osc8"):
        assert payload not in markdown, payload


def test_cli_extract_prints_hostile_text_plainly(tmp_path: Path) -> None:
    """`sitboard extract` writes feed text straight to the terminal (text form) or to JSON."""
    feed = tmp_path / "evil.xml"
    feed.write_bytes(FEED)
    code, text, err = run_cli("extract", str(feed))
    assert code == 0, err
    assert FORBIDDEN.search(text.replace("\n", "")) is None
    assert "[bold red]x[/]" in text  # literal: nothing renders markup here
    code, raw, err = run_cli("extract", str(feed), "--json")
    assert code == 0, err
    assert FORBIDDEN.search(raw.replace("\n", "")) is None
    document = json.loads(raw)
    assert len(document["items"]) == ITEMS
    for item in document["items"]:
        assert FORBIDDEN.search(item["title"]) is None
    for claim in document["claims"]:
        assert FORBIDDEN.search(claim["evidence"]) is None


LONG_WORDS = 20  # items whose body is one 20,000-character word (the parser's cap)
LIVENESS = 8.0  # seconds: ~10x what reading them takes when the cost is linear


def test_a_feed_of_long_unbroken_words_is_read_in_linear_time(tmp_path: Path) -> None:
    """Not a speed test: a liveness bound 20x above the linear cost; the quadratic path
    takes minutes for this feed (and a poll of 500 such items, half an hour)."""
    # a place name, so that the text is searched for places at all, and an @ (or a :), so
    # that it is searched for URLs and e-mail addresses (within the parser's 20,000 characters)
    word = "حلب @ " + "x" * 19_000
    items = "".join(
        f"<item><title>t{n}</title><description>{word}</description><guid>g{n}</guid></item>"
        for n in range(LONG_WORDS)
    )
    feed = tmp_path / "long.xml"
    feed.write_text(
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title>'
        f"{items}</channel></rss>",
        encoding="utf-8",
    )
    command = shutil.which("sitboard") or str(Path(sys.executable).with_name("sitboard"))
    try:
        done = subprocess.run(
            [command, "extract", str(feed), "--json"],
            capture_output=True,
            text=True,
            timeout=LIVENESS,
            check=False,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"`sitboard extract` on {LONG_WORDS} long words ran over {LIVENESS} s")
    assert done.returncode == 0, done.stderr
    assert len(json.loads(done.stdout)["items"]) == LONG_WORDS
