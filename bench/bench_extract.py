"""Extraction speed on real-looking text: the gold items and the shipped demo feeds, one core.

    /work/venv/bin/python bench/bench_extract.py [--rounds 5] [--profile]

For the demo feeds it times, per round, feedparser alone, parse_feed (feedparser plus cleaning,
dates and the place search) and Extractor.extract on every parsed item, and prints items/s
for each and (parse + extract) / feedparser. For the gold items (.txt files) it times extract.
The best round of each is printed, in CPU time of this process (other load on the machine
matters less); every round starts with cold caches. With --profile, a cProfile of extract over
both sets is printed instead. Numbers only; it always exits 0.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import feedparser
from sitboard.ingest import arabic
from sitboard.ingest.claims import Extractor
from sitboard.ingest.model import Item
from sitboard.ingest.parse import parse_feed
from sitboard.ingest.places import PlaceMatcher
from sitboard.ingest.profile import load_profile

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "tests" / "data" / "gold"
DEMO = ROOT / "sitboard" / "data" / "demo"
# real feed files kept by the team (Arabic news with few control events, and other languages)
REAL = Path("/work/shared/feeds-real")
HEADERS = {"content-type": "application/rss+xml; charset=utf-8"}
WHEN = datetime(2024, 12, 5, 12, tzinfo=UTC)


def clear_caches() -> None:
    """Each round starts cold: no text tokenised by an earlier round."""
    cached = getattr(arabic, "_tokens", None)
    if cached is not None:
        cached.cache_clear()


def gold_items() -> list[Item]:
    items = []
    for path in sorted(GOLD.glob("*.txt")) + sorted((GOLD / "holdout").glob("*.txt")):
        title, _, body = path.read_text(encoding="utf-8").strip().partition("\n")
        items.append(
            Item(
                id=path.stem,
                feed=path.stem,
                outlet=path.stem,
                title=title,
                text=body,
                link=None,
                published=WHEN,
                fetched=WHEN,
            )
        )
    return items


def best(rounds: int, work: Callable[[], object]) -> float:
    times = []
    for _ in range(rounds):
        clear_caches()
        start = time.process_time()
        work()
        times.append(time.process_time() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()

    profile = load_profile("syria")
    matcher = PlaceMatcher(profile)
    extractor = Extractor(profile)
    golds = gold_items()
    sets = {"demo feeds": sorted(DEMO.glob("*.xml"))}
    if REAL.is_dir():
        sets["real feeds"] = sorted(p for p in REAL.iterdir() if p.suffix != ".md")
    if not args.profile:
        for name, paths in sets.items():
            measure(name, [p.read_bytes() for p in paths], matcher, extractor, args.rounds)
        t_gold = best(args.rounds, lambda: [extractor.extract(item) for item in golds])
        print(f"gold items: {len(golds)}")
        print(f"  extract            {len(golds) / t_gold:9.0f} items/s")
        return
    feeds = [p.read_bytes() for p in sets["demo feeds"]]
    demo_items = parse(feeds, matcher)
    prof = cProfile.Profile()
    prof.enable()
    for _ in range(3):
        for item in [*golds, *demo_items]:
            extractor.extract(item)
    prof.disable()
    pstats.Stats(prof).sort_stats("cumulative").print_stats(35)


def parse(feeds: list[bytes], matcher: PlaceMatcher) -> list[Item]:
    items: list[Item] = []
    for n, data in enumerate(feeds):
        parsed = parse_feed(
            data, HEADERS, feed=f"f{n}", url=f"file:///f{n}.xml", fetched=WHEN, matcher=matcher
        )
        items.extend(parsed.items)
    return items


def measure(
    name: str, feeds: list[bytes], matcher: PlaceMatcher, extractor: Extractor, rounds: int
) -> None:
    items = parse(feeds, matcher)

    def extract() -> None:
        for item in items:
            extractor.extract(item)

    def whole() -> None:
        for item in parse(feeds, matcher):
            extractor.extract(item)

    t_fp = best(rounds, lambda: [feedparser.parse(d, response_headers=HEADERS) for d in feeds])
    t_parse = best(rounds, lambda: parse(feeds, matcher))
    t_extract = best(rounds, extract)
    t_whole = best(rounds, whole)
    n = max(len(items), 1)
    print(f"{name}: {len(feeds)} files, {len(items)} items")
    print(f"  feedparser alone   {n / t_fp:9.0f} items/s")
    print(f"  parse_feed         {n / t_parse:9.0f} items/s")
    print(f"  extract (cold)     {n / t_extract:9.0f} items/s")
    print(f"  parse + extract    {n / t_whole:9.0f} items/s")
    print(f"  (parse + extract) / feedparser = {t_whole / t_fp:.2f}")


if __name__ == "__main__":
    main()
