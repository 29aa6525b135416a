"""Benchmark one poll cycle: N local feeds of 30 Arabic items each on a loopback HTTP server,
polled from an empty database, then again with conditional requests (every feed answers 304),
each cycle going through Poller.poll and one Store.commit, as `sitboard poll` does.

    /work/venv/bin/python bench/bench_poll.py               # 10, 100 and 1,000 feeds
    /work/venv/bin/python bench/bench_poll.py 100
    /work/venv/bin/python bench/bench_poll.py --quick       # 10 feeds
    /work/venv/bin/python bench/bench_poll.py 1000 --items 30 --concurrency 8

Prints wall time (poll + commit, and each), items per second and the requests the server saw.
No assertions: numbers.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common
from sitboard.ingest.model import BoardConfig, Config, FeedConfig, FeedResult
from sitboard.ingest.poll import Poller
from sitboard.ingest.profile import load_profile
from sitboard.store import Store

SIZES = (10, 100, 1_000)


def report(
    label: str, results: list[FeedResult], poll: float, commit: float, requests: int
) -> None:
    outcomes = Counter(result.outcome for result in results)
    items = sum(len(result.items) for result in results)
    claims = sum(len(result.claims) for result in results)
    wall = poll + commit
    rate = items / wall if wall > 0 else 0.0
    print(
        f"  {label:<12} wall {wall:7.3f} s (poll {poll:6.3f} + commit {commit:6.3f})  "
        f"items {items:6d}  claims {claims:6d}  items/s {rate:7.0f}  requests {requests:5d}  "
        f"{dict(sorted(outcomes.items()))}"
    )


async def run(feeds: int, items: int, concurrency: int, workers: int | None) -> None:
    profile = load_profile("syria")
    folder = Path(tempfile.mkdtemp(prefix="sitboard-bench-poll-"))
    print(f"{feeds} feeds x {items} items, concurrency {concurrency}, workers {workers}")
    try:
        with (
            common.FeedServer(common.feed_documents(feeds, items)) as server,
            Store.open(folder / "sitboard.json", profile, common.WATCH) as store,
        ):
            config = Config(
                board=BoardConfig(),
                feeds=tuple(FeedConfig(f"feed-{n}", url) for n, url in enumerate(server.urls())),
            )
            poller = Poller(
                config, profile, concurrency=concurrency, trust_env=False, workers=workers
            )
            for label in ("from empty", "conditional"):
                before = server.counts["requests"]
                started = time.perf_counter()
                results = await poller.poll(store.feed_states(), seen=store.seen, force=True)
                polled = time.perf_counter()
                store.commit(results)
                committed = time.perf_counter()
                requests = server.counts["requests"] - before
                report(label, results, polled - started, committed - polled, requests)
            print(
                f"  server answered 304 to {server.counts['304']} of {feeds} conditional "
                f"requests; store holds {store.counts()['items']} items, {store.writes} writes; "
                f"{poller.pool.workers} worker processes did {poller.pool.tasks_in_processes} tasks"
            )
            poller.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("feeds", type=int, nargs="*", help="numbers of feeds (default 10 100 1000)")
    parser.add_argument("--items", type=int, default=30, help="items per feed")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--quick", action="store_true", help="10 feeds only")
    parser.add_argument(
        "--workers", type=int, default=None, help="worker processes (default: as the board)"
    )
    args = parser.parse_args()
    sizes = args.feeds or ((10,) if args.quick else SIZES)
    print(f"sitboard poll benchmark on {common.machine()}")
    for feeds in sizes:
        asyncio.run(run(feeds, args.items, args.concurrency, args.workers))


if __name__ == "__main__":
    main()
