"""Store benchmark: open, load, commit and view times, file size and peak memory at 1k/20k/100k
items.

    /work/venv/bin/python bench/bench_store.py            # all sizes
    /work/venv/bin/python bench/bench_store.py 20000      # one size

Each size runs in its own process so peak RSS is per size. Items are synthetic Arabic news
spread over 30 days, ~0.6 claims per item over 20 cities and 10 actors.
"""

from __future__ import annotations

import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sitboard.ingest.model import Claim, FeedResult, FeedState, Filters, Item
from sitboard.ingest.profile import load_profile
from sitboard.ingest.resolve import Resolver
from sitboard.store import Store

SIZES = (1_000, 20_000, 100_000)
START = datetime(2024, 11, 27, tzinfo=UTC)
SPAN = timedelta(days=30)
CITIES = [
    "aleppo",
    "idlib",
    "hama",
    "homs",
    "damascus",
    "daraa",
    "deir-ez-zor",
    "raqqa",
    "latakia",
    "tartus",
    "hasakah",
    "qamishli",
    "manbij",
    "tal-rifaat",
    "saraqib",
    "maarat-al-numan",
    "khan-shaykhun",
    "as-suwayda",
    "quneitra",
    "palmyra",
]
ACTORS = {
    "syrian-army": "gov",
    "syrian-government": "gov",
    "opposition": "opp",
    "sohr": "observer",
    "sana": "gov",
    "russia": "gov",
    "sdf": "sdf",
    "turkey": "observer",
    "media": "media",
    "outlet": "media",
}
OUTLETS = [f"Outlet {n}" for n in range(12)]
WORDS = [
    "قالت",
    "مصادر",
    "ميدانية",
    "إن",
    "فصائل",
    "المعارضة",
    "سيطرت",
    "على",
    "أحياء",
    "في",
    "مدينة",
    "حماة",
    "بعد",
    "اشتباكات",
    "عنيفة",
    "مع",
    "قوات",
    "الجيش",
    "السوري",
    "الذي",
    "أعلن",
    "إعادة",
    "الانتشار",
    "خارج",
    "المدينة",
    "حفاظا",
    "على",
    "أرواح",
    "المدنيين",
    "وأفاد",
    "المرصد",
    "السوري",
    "لحقوق",
    "الإنسان",
    "بمقتل",
    "العشرات",
    "في",
    "ريف",
    "إدلب",
    "الجنوبي",
    "وحلب",
]
WATCH = ("aleppo", "idlib", "hama")


def make_items(
    rng: random.Random, start: int, count: int, *, base: datetime = START, span: timedelta = SPAN
) -> tuple[list[Item], list[Claim]]:
    """Items at random times in [base, base + span), ~0.6 claims each."""
    items, claims = [], []
    for n in range(start, start + count):
        when = base + span * rng.random()
        places = tuple(rng.sample(CITIES, rng.choice((1, 1, 2, 3))))
        outlet = rng.choice(OUTLETS)
        it = Item(
            id=f"https://example.org/{n}",
            feed=f"feed-{OUTLETS.index(outlet)}",
            outlet=outlet,
            title=" ".join(rng.choices(WORDS, k=9)) + f" {n}",
            text=" ".join(rng.choices(WORDS, k=60)),
            link=f"https://example.org/{n}",
            published=when,
            fetched=when + timedelta(minutes=3),
            places=places,
        )
        items.append(it)
        for _ in range(rng.choice((0, 0, 1, 1, 2))):
            source = rng.choice(list(ACTORS))
            claims.append(
                Claim(
                    item=it.id,
                    source=source,
                    side=ACTORS[source],
                    city=rng.choice(places),
                    state=rng.choice(("gov", "opp", "contested")),
                    kind=rng.choice(("capture", "entry", "loss", "withdrawal", "hold")),
                    stance=rng.choice(("assert", "admit", "deny", "allege")),
                    when=when,
                    evidence=" ".join(rng.choices(WORDS, k=14)),
                    confidence=rng.random(),
                    outlet=outlet,
                )
            )
    return items, claims


def as_result(items: list[Item], claims: list[Claim]) -> FeedResult:
    state = FeedState(name="bench", url="https://example.org/feed.xml", last_fetch=START)
    return FeedResult(
        feed="bench",
        url=state.url,
        outcome="new",
        state=state,
        items=tuple(items),
        claims=tuple(claims),
    )


def current_rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize() / 1e6


def pct(samples: list[float]) -> str:
    samples = sorted(samples)
    p50 = statistics.median(samples)
    p95 = samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))]
    return f"p50 {p50 * 1000:8.2f} ms  p95 {p95 * 1000:8.2f} ms"


def timed(fn, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return out


def build(size: int, db: Path) -> None:
    rng = random.Random(size)
    items, claims = make_items(rng, 0, size)
    t = time.perf_counter()
    with Store.open(db, load_profile("syria"), WATCH) as store:
        store.commit([as_result(items, claims)])
    print(f"  build (one commit)    {time.perf_counter() - t:8.2f} s")


def run_one(size: int) -> None:
    profile = load_profile("syria")
    rng = random.Random(size + 1)
    folder = Path(tempfile.mkdtemp(prefix="sitboard-bench-"))
    db = folder / "sitboard.json"
    print(f"== {size:,} items ==")
    # built in another process, so this one's memory is the store's alone
    subprocess.run([sys.executable, __file__, "--build", str(size), str(db)], check=True)

    t = time.perf_counter()
    store = Store.open(db, profile, WATCH)
    open_time = time.perf_counter() - t
    rss_board = current_rss_mb()
    board_view = timed(store.view, 1)[0]  # before the load: from the stored board
    t = time.perf_counter()
    store.finish_loading()  # what the app's worker does after the first paint
    load_time = time.perf_counter() - t
    rss_open = current_rss_mb()
    t = time.perf_counter()
    Resolver(profile).add(store._index.all_claims())
    resolver_time = time.perf_counter() - t

    commits = []
    for round_ in range(10):
        # a poll brings the latest news: times after everything stored
        base = START + SPAN + timedelta(minutes=10 * round_)
        batch_items, batch_claims = make_items(
            rng, size + 30 * round_, 30, base=base, span=timedelta(minutes=10)
        )
        t = time.perf_counter()
        report = store.commit([as_result(batch_items, batch_claims)])
        commits.append(time.perf_counter() - t)
        assert report.new_items == 30

    print(f"  claims                {store.counts()['claims']:8,}")
    print(
        f"  open                  {open_time:8.2f} s  (a view from the board "
        f"{board_view * 1e3:.1f} ms)"
    )
    print(f"  finish_loading        {load_time:8.2f} s")
    print(
        f"  first commit          {commits[0]:8.2f} s  (replays the resolver: alone "
        f"~{resolver_time:.2f} s)"
    )
    print(f"  commit 30 items       {pct(commits[1:])}")
    views = {
        "view()": Filters(),
        "view(city)": Filters(cities=frozenset({"hama"})),
        "view(actor)": Filters(sources=frozenset({"sohr"})),
        "view(outlet)": Filters(sources=frozenset({"Outlet 3"})),
        "view(text common)": Filters(text="حماه"),
        "view(text rare)": Filters(text="nowhere-to-be-found"),
        "view(city+src+text)": Filters(
            cities=frozenset({"idlib"}), sources=frozenset({"sana"}), text="المرصد"
        ),
    }
    for name, flt in views.items():
        print(f"  {name:<21} {pct(timed(lambda flt=flt: store.view(flt), 30))}")
    store.close()
    size_mb = db.stat().st_size / 1e6
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  file size             {size_mb:8.1f} MB")
    print(f"  RSS after open        {rss_board:8.1f} MB  (after finish_loading {rss_open:.1f} MB)")
    print(f"  peak RSS              {rss_mb:8.1f} MB")
    for path in folder.iterdir():
        path.unlink()
    folder.rmdir()


def main(argv: list[str]) -> int:
    if argv[:1] == ["--build"]:
        build(int(argv[1]), Path(argv[2]))
        return 0
    if argv:
        run_one(int(argv[0]))
        return 0
    for size in SIZES:
        subprocess.run([sys.executable, __file__, str(size)], check=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
