"""Items per second through one poll of the shipped demo feeds (all items visible).

    python bench/bench_demo.py [--rounds 5]

Fetch (file feeds) + parse + extract + one store commit into a fresh database, in-process,
so process start-up and imports are not counted (`sitboard poll --once` adds about 0.4 s).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from importlib import resources
from pathlib import Path

from sitboard.ingest.model import BoardConfig, Config, FeedConfig
from sitboard.ingest.poll import Poller
from sitboard.ingest.profile import load_profile
from sitboard.store import Store


def demo_config() -> Config:
    folder = resources.files("sitboard.data") / "demo"
    feeds = tuple(
        FeedConfig(name=entry.name.removesuffix(".xml"), url=str(entry))
        for entry in sorted(folder.iterdir(), key=lambda e: e.name)
        if entry.name.endswith(".xml")
    )
    return Config(board=BoardConfig(), feeds=feeds)


def one_round(config: Config) -> tuple[float, float, int, int]:
    profile = load_profile(config.board.profile)
    poller = Poller(config, profile)
    with tempfile.TemporaryDirectory() as folder:
        store = Store.open(Path(folder) / "db.json", profile, config.board.watch)
        with store:
            start = time.perf_counter()
            results = asyncio.run(poller.poll(store.feed_states(), seen=store.seen, force=True))
            polled = time.perf_counter()
            store.commit(results)
            done = time.perf_counter()
    items = sum(len(r.items) for r in results)
    claims = sum(len(r.claims) for r in results)
    return done - start, done - polled, items, claims


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    config = demo_config()
    rounds = [one_round(config) for _ in range(args.rounds)]
    totals = [r[0] for r in rounds]
    _, commit, items, claims = rounds[-1]
    median = statistics.median(totals)
    print(f"demo set: {len(config.feeds)} feeds, {items} items, {claims} claims")
    print(f"poll + commit: median {median * 1000:.0f} ms over {args.rounds} rounds")
    print(f"  (last commit {commit * 1000:.0f} ms) -> {items / median:.0f} items/s")


if __name__ == "__main__":
    main()
