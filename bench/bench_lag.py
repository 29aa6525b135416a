"""Responsiveness during a big poll: how late the event loop (the board's UI loop) runs its
timers while a poll of N loopback feeds is read, with the reading in a thread of the same
process (`workers = 0`) and in worker processes (the default).

    /work/venv/bin/python bench/bench_lag.py               # 100 feeds x 30 items, 0 and auto
    /work/venv/bin/python bench/bench_lag.py --feeds 300 --workers 0 2 4
    /work/venv/bin/python bench/bench_lag.py --quick       # 30 feeds

A ticker coroutine sleeps 10 ms at a time on the loop that runs Poller.poll (as the board's
poll worker does) and records how late each wake-up is. Parsing and reading Arabic in a
thread holds the GIL in long stretches, so the loop (and every key press and frame of the
board) waits for it; in worker processes the loop only waits for the GIL between their
results. Prints p50 / p95 / max lateness and the poll's wall time. Numbers only.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common
from sitboard.ingest.cpu_pool import auto_workers
from sitboard.ingest.model import BoardConfig, Config, FeedConfig
from sitboard.ingest.poll import Poller
from sitboard.ingest.profile import load_profile

TICK = 0.010  # seconds between the ticker's wake-ups


async def measure(urls: list[str], workers: int) -> tuple[float, list[float]]:
    profile = load_profile("syria")
    config = Config(
        board=BoardConfig(),
        feeds=tuple(FeedConfig(f"feed-{n}", url) for n, url in enumerate(urls)),
    )
    poller = Poller(config, profile, trust_env=False, workers=workers)
    late: list[float] = []
    done = asyncio.Event()

    async def ticker() -> None:
        while not done.is_set():
            due = time.perf_counter() + TICK
            await asyncio.sleep(TICK)
            late.append(max(0.0, time.perf_counter() - due))

    tick = asyncio.create_task(ticker())
    started = time.perf_counter()
    try:
        await poller.poll({}, force=True)
    finally:
        elapsed = time.perf_counter() - started
        done.set()
        await tick
        poller.close()
    return elapsed, late


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=100)
    parser.add_argument("--items", type=int, default=30)
    parser.add_argument("--quick", action="store_true", help="30 feeds (still a big poll)")
    parser.add_argument(
        "--workers", type=int, nargs="*", default=None, help="default: 0 and the board's auto"
    )
    args = parser.parse_args()
    workers = args.workers if args.workers is not None else [0, auto_workers()]
    if args.quick:
        args.feeds = 30
    print(f"sitboard loop lag during a poll on {common.machine()}")
    print(f"{args.feeds} feeds x {args.items} items, ticker every {TICK * 1000:.0f} ms")
    with common.FeedServer(common.feed_documents(args.feeds, args.items)) as server:
        urls = server.urls()
        for count in workers:
            elapsed, late = asyncio.run(measure(urls, count))
            ms = sorted(x * 1000 for x in late)
            p95 = ms[int(len(ms) * 0.95)] if ms else 0.0
            print(
                f"  workers {count}: poll {elapsed:6.2f} s   lateness p50 "
                f"{statistics.median(ms):6.1f} ms  p95 {p95:7.1f} ms  max {ms[-1]:7.1f} ms  "
                f"({len(ms)} ticks)"
            )


if __name__ == "__main__":
    main()
