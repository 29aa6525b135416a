"""Shared helpers for the benchmarks: realistic Arabic items, RSS documents, a loopback feed
server, cached stores of N items, and small measuring utilities.

The Arabic comes from the hand-annotated gold set (tests/data/gold/*.txt): every generated
item recombines its titles and sentences, swaps the city names and adds a sentence with
varying numbers, so no two items (and few sentences) are alike and no cache or dedup path
flatters a number.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import platform
import random
import re
import resource
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from xml.sax.saxutils import escape

from sitboard.ingest.model import Claim, FeedResult, FeedState, Item

ROOT = Path(__file__).resolve().parent.parent
GOLD_DIR = ROOT / "tests" / "data" / "gold"
CACHE_DIR = Path(os.environ.get("SITBOARD_BENCH_CACHE", "/tmp/sitboard-bench-cache"))
WATCH = ("aleppo", "idlib", "hama")
START = datetime(2024, 11, 27, 3, 0, tzinfo=UTC)
SPAN = timedelta(days=12)  # 27 Nov - 8 Dec 2024
# Stores keep a realistic density: beyond SPAN's worth, items spread over more days
# (the resolver's work per claim grows with the claims of its window).
ITEMS_PER_DAY = 2_000
STORE_VERSION = 2  # bump when the generated stores change shape, to rebuild the cache

# City names as they appear in the gold texts, and what they may be swapped for.
CITY_NAMES = (
    "حلب",
    "إدلب",
    "حماة",
    "حمص",
    "سراقب",
    "معرة النعمان",
    "خان شيخون",
    "منبج",
    "تل رفعت",
    "دير الزور",
    "الرقة",
    "درعا",
    "السويداء",
    "دمشق",
)
_CITY_RE = re.compile("|".join(sorted(map(re.escape, CITY_NAMES), key=len, reverse=True)))
VILLAGES = (
    "كفرنبل",
    "معردبسة",
    "تل ممو",
    "خان العسل",
    "الراشدين",
    "كفر حلب",
    "الزربة",
    "طيبة الإمام",
    "صوران",
    "مورك",
    "اللطامنة",
    "قمحانة",
)
REPORTERS = ("مراسلنا", "مصدر محلي", "ناشطون", "شهود عيان", "مصدر طبي", "الدفاع المدني")
OUTLETS = (
    "الجزيرة نت",
    "بي بي سي عربي",
    "عنب بلدي",
    "آر تي عربي",
    "سانا",
    "المرصد السوري",
    "تلفزيون سوريا",
    "العربية",
    "الشرق الأوسط",
    "سكاي نيوز عربية",
    "الميادين",
    "زمان الوصل",
)


@dataclass(frozen=True, slots=True)
class Corpus:
    titles: tuple[str, ...]
    sentences: tuple[str, ...]


@cache
def corpus() -> Corpus:
    titles: list[str] = []
    sentences: list[str] = []
    for path in sorted(GOLD_DIR.glob("*.txt")):
        lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
        lines = [line for line in lines if line]
        if not lines:
            continue
        titles.append(lines[0])
        sentences.extend(lines[1:])
    if not titles:
        raise SystemExit(f"no gold texts in {GOLD_DIR}")
    return Corpus(tuple(titles), tuple(sentences))


class ArabicNews:
    """Deterministic generator of varied Arabic news items (title, body paragraphs)."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.corpus = corpus()

    def _swap_cities(self, text: str) -> str:
        rng = self.rng
        if rng.random() < 0.4:
            return text
        return _CITY_RE.sub(lambda m: rng.choice(CITY_NAMES), text)

    def _detail(self) -> str:
        rng = self.rng
        return (
            f"وأفاد {rng.choice(REPORTERS)} بنزوح {rng.randint(12, 4800)} عائلة من "
            f"{rng.choice(VILLAGES)} نحو ريف {rng.choice(CITY_NAMES)} خلال "
            f"{rng.randint(2, 72)} ساعة، وسط قصف طال {rng.randint(2, 40)} موقعاً."
        )

    def text(self) -> tuple[str, list[str]]:
        rng = self.rng
        title = self._swap_cities(rng.choice(self.corpus.titles))
        body = [self._swap_cities(s) for s in rng.sample(self.corpus.sentences, rng.randint(1, 4))]
        body.insert(rng.randint(0, len(body)), self._detail())
        return title, body


def feed_document(feed: int, items: int, *, seed: int = 0, base: datetime = START) -> bytes:
    """An RSS 2.0 document of `items` Arabic items, HTML descriptions, unique guids."""
    news = ArabicNews(seed * 1_000_003 + feed)
    outlet = OUTLETS[feed % len(OUTLETS)]
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>',
        f"<title>{escape(outlet)} {feed}</title><link>https://bench.example/{feed}/</link>",
        "<description>أخبار سوريا</description><language>ar</language>",
    ]
    for n in range(items):
        title, body = news.text()
        when = format_datetime(base + SPAN * news.rng.random(), usegmt=True)
        html = "".join(f"<p>{escape(p)}</p>" for p in body)
        link = f"https://bench.example/{seed}/{feed}/{n}"
        parts.append(
            f"<item><title>{escape(title)}</title><link>{link}</link>"
            f'<guid isPermaLink="true">{link}</guid><pubDate>{when}</pubDate>'
            f"<description><![CDATA[{html}]]></description></item>"
        )
    parts.append("</channel></rss>\n")
    return "".join(parts).encode()


def feed_documents(feeds: int, items: int, *, seed: int = 0) -> dict[str, bytes]:
    """`/feed/<n>.xml` -> document, for FeedServer or for writing to files."""
    return {f"/feed/{n}.xml": feed_document(n, items, seed=seed) for n in range(feeds)}


class _Server(ThreadingHTTPServer):
    # The default backlog of 5 drops SYNs under a burst of connections, and the kernel's 1 s
    # retransmit then dominates the numbers: that measures the bench server, not sitboard.
    request_queue_size = 1024
    daemon_threads = True


LAST_MODIFIED = format_datetime(datetime(2024, 12, 8, 12, 0, tzinfo=UTC), usegmt=True)


class FeedServer:
    """A loopback server of documents with ETag and Last-Modified; counts what it answers."""

    def __init__(self, documents: dict[str, bytes]) -> None:
        self.documents = documents
        self.counts: Counter[str] = Counter()
        self.lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                body = server.documents.get(self.path)
                etag = f'"{self.path}"'
                with server.lock:
                    server.counts["requests"] += 1
                if body is None:
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if (
                    self.headers.get("If-None-Match") == etag
                    or self.headers.get("If-Modified-Since") == LAST_MODIFIED
                ):
                    with server.lock:
                        server.counts["304"] += 1
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.send_header("Last-Modified", LAST_MODIFIED)
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.send_header("ETag", etag)
                self.send_header("Last-Modified", LAST_MODIFIED)
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.httpd = _Server(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}{path}"

    def urls(self) -> list[str]:
        return [self.url(path) for path in self.documents]

    def __enter__(self) -> FeedServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def feeds_toml(urls: Sequence[str], db: Path | None = None, interval: str = "5m") -> str:
    """A feeds.toml for `sitboard --feeds` with one feed per URL."""
    lines = ["[board]", 'watch = ["aleppo", "idlib", "hama"]', f'interval = "{interval}"']
    if db is not None:
        lines.append(f"db = {json.dumps(str(db))}")
    for n, url in enumerate(urls):
        lines += ["", "[[feeds]]", f'name = "feed-{n}"', f"url = {json.dumps(url)}"]
    return "\n".join(lines) + "\n"


# --- stores of N items ----------------------------------------------------------------------


def make_items(count: int, *, seed: int = 0, first: int = 0) -> list[Item]:
    """`count` Items as a poll would produce them (places filled by the real PlaceMatcher)."""
    from sitboard.ingest.places import PlaceMatcher
    from sitboard.ingest.profile import load_profile

    matcher = PlaceMatcher(load_profile("syria"))
    news = ArabicNews(seed)
    items = []
    for n in range(first, first + count):
        title, body = news.text()
        when = START + SPAN * news.rng.random()
        outlet = OUTLETS[n % len(OUTLETS)]
        text = "\n".join(body)
        items.append(
            Item(
                id=f"https://bench.example/store/{n}",
                feed=f"feed-{n % len(OUTLETS)}",
                outlet=outlet,
                title=title,
                text=text,
                link=f"https://bench.example/store/{n}",
                published=when,
                fetched=when + timedelta(minutes=news.rng.randint(1, 30)),
                places=matcher.places(f"{title}\n{text}"),
            )
        )
    return items


def _extract_chunk(items: list[Item]) -> list[Claim]:
    from sitboard.ingest.claims import Extractor
    from sitboard.ingest.profile import load_profile

    extractor = Extractor(load_profile("syria"))
    claims: list[Claim] = []
    for item in items:
        claims.extend(extractor.extract(item))
    return claims


def extract_claims(items: Sequence[Item], processes: int | None = None) -> list[Claim]:
    """The real extractor's claims for `items`, spread over the CPUs (build time only)."""
    processes = processes or os.cpu_count() or 1
    size = max(1, len(items) // (processes * 8))
    chunks = [list(items[n : n + size]) for n in range(0, len(items), size)]
    if processes == 1 or len(chunks) == 1:
        return [c for chunk in chunks for c in _extract_chunk(chunk)]
    with multiprocessing.get_context("fork").Pool(processes) as pool:
        return [c for part in pool.map(_extract_chunk, chunks) for c in part]


def as_results(items: Sequence[Item], claims: Sequence[Claim], now: datetime) -> list[FeedResult]:
    """One FeedResult per feed, as a poll cycle hands them to Store.commit."""
    by_feed: dict[str, list[Item]] = {}
    for item in items:
        by_feed.setdefault(item.feed, []).append(item)
    feed_of = {item.id: item.feed for item in items}
    claims_by_feed: dict[str, list[Claim]] = {}
    for claim in claims:
        claims_by_feed.setdefault(feed_of[claim.item], []).append(claim)
    results = []
    for feed, feed_items in by_feed.items():
        url = f"https://bench.example/{feed}.xml"
        state = FeedState(
            name=feed, url=url, etag='"x"', last_fetch=now, last_ok=now, last_outcome="new"
        )
        results.append(
            FeedResult(
                feed=feed,
                url=url,
                outcome="new",
                state=state,
                items=tuple(feed_items),
                claims=tuple(claims_by_feed.get(feed, ())),
            )
        )
    return results


def store_path(size: int) -> Path:
    return CACHE_DIR / f"store-{size}-v{STORE_VERSION}.json"


def ensure_store(size: int, *, quiet: bool = False) -> Path:
    """A database of `size` generated items with the real extractor's claims, built once and
    cached in CACHE_DIR (each benchmark run opens a fresh copy). Building runs in a separate
    process so the caller's memory is not touched."""
    path = store_path(size)
    if path.exists():
        return path
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    if not quiet:
        print(f"(building a store of {size:,} items in {path}; cached for later runs)", flush=True)
    started = time.perf_counter()
    code = f"import sys; sys.path.insert(0, {str(Path(__file__).parent)!r}); import common; "
    code += f"common._build({size})"
    subprocess.run([sys.executable, "-c", code], check=True)
    if not quiet:
        print(f"(built in {time.perf_counter() - started:.1f} s)", flush=True)
    return path


POOL = 3_000  # distinct items that go through the real extractor when building a store
_DIGITS = re.compile(r"\d+")


def store_contents(size: int) -> tuple[list[Item], list[Claim]]:
    """`size` items and their claims. Extracting 100,000 items one by one would take many
    minutes, so a pool of POOL generated items goes through the real PlaceMatcher and
    Extractor, and larger stores repeat the pool with new ids, new times (claims move with
    their item) and new numbers in the text."""
    pool = make_items(min(size, POOL), seed=size)
    pool_claims = extract_claims(pool)
    if size <= POOL:
        return pool, pool_claims
    by_item: dict[str, list[Claim]] = {}
    for claim in pool_claims:
        by_item.setdefault(claim.item, []).append(claim)
    rng = random.Random(size)
    span = max(SPAN, timedelta(days=size / ITEMS_PER_DAY))
    items: list[Item] = []
    claims: list[Claim] = []
    for n in range(size):
        base = pool[n % POOL]
        when = START + span * rng.random()
        delta = when - base.when
        new_id = f"https://bench.example/store/{n}"
        text = _DIGITS.sub(lambda m: str(rng.randint(2, 4800)), base.text)
        items.append(
            replace(
                base,
                id=new_id,
                link=new_id,
                text=text,
                published=when,
                fetched=when + timedelta(minutes=rng.randint(1, 30)),
                feed=f"feed-{n % len(OUTLETS)}",
                outlet=OUTLETS[n % len(OUTLETS)],
            )
        )
        for claim in by_item.get(base.id, ()):
            moved = claim.when + delta if claim.when is not None else None
            claims.append(replace(claim, item=new_id, when=moved, outlet=OUTLETS[n % len(OUTLETS)]))
    return items, claims


def _build(size: int) -> None:
    from sitboard.ingest.profile import load_profile
    from sitboard.store import Store

    path = store_path(size)
    tmp = path.with_name(path.name + ".building")
    for leftover in tmp.parent.glob(tmp.name + "*"):
        leftover.unlink()
    items, claims = store_contents(size)
    items.sort(key=lambda item: item.when)  # as polls bring them: each commit is the latest news
    now = datetime.now(UTC)
    by_item: dict[str, list[Claim]] = {}
    for claim in claims:
        by_item.setdefault(claim.item, []).append(claim)
    with Store.open(tmp, load_profile("syria"), WATCH) as store:
        # in slices, so the file ends up as several poll cycles would leave it
        step = max(1, size // 10)
        for n in range(0, size, step):
            chunk = items[n : n + step]
            chunk_claims = [c for item in chunk for c in by_item.get(item.id, ())]
            store.commit(as_results(chunk, chunk_claims, now))
    for extra in tmp.parent.glob(tmp.name + ".*"):
        extra.unlink()  # the lock and backup of the temporary name
    tmp.rename(path)


def fresh_copy(size: int, folder: Path) -> Path:
    """A private copy of the cached store of `size` items in `folder`."""
    source = ensure_store(size)
    target = folder / "sitboard.json"
    target.write_bytes(source.read_bytes())
    return target


# --- measuring -------------------------------------------------------------------------------


def rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize() / 1e6


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def percentile(samples: Iterable[float], q: float) -> float:
    ordered = sorted(samples)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def p50_p95(samples: Sequence[float]) -> tuple[float, float]:
    return statistics.median(samples), percentile(samples, 0.95)


def machine() -> str:
    model = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = os.getloadavg()[0]
    return f"{os.cpu_count()} CPU ({model}), Python {platform.python_version()}, load {load:.1f}"
