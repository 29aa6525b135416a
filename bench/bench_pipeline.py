"""Pipeline cost: sitboard's whole path (parse, extract, store) against feedparser alone on the
same feed files, as a ratio: what sitboard adds on top of the parser.

    /work/venv/bin/python bench/bench_pipeline.py               # 100 feeds x 30 items
    /work/venv/bin/python bench/bench_pipeline.py --quick       # 10 feeds
    /work/venv/bin/python bench/bench_pipeline.py --feeds 300 --rounds 3

The feed files are RSS documents of varied Arabic items (common.feed_document), written to a
temporary folder and read back as bytes once. In one process, each round times:

  feedparser   feedparser.parse(bytes, response_headers=...) for every file, as a user calls it
  fp (lean)    the same with sanitize_html=False, resolve_relative_uris=False: how
               parse_feed calls it (it turns every HTML fragment into plain text itself)
  parse_feed   sitboard.ingest.parse.parse_feed with a matcher that finds no places:
               feedparser plus HTML-to-text, cleaning, dates, ids
  places       PlaceMatcher.places on every item (what parse_feed adds with the real matcher)
  extract      Extractor.extract on every item (what Poller._extract does), one thread
  commit       Store.commit of all the results into a new database: one write
  whole path   parse_feed with the real matcher + extract + commit, timed end to end
  processes    the same whole path as a big poll runs it: parse and extract in worker
               processes (ingest/cpu_pool.py, `workers = "auto"`, started inside the timing),
               the commit in this process

and prints the best round of each (least disturbed by the machine) and whole / feedparser.
No network: the poll benchmark covers fetching. Numbers only.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common
import feedparser
from sitboard.ingest.claims import Extractor
from sitboard.ingest.cpu_pool import CpuPool, auto_workers
from sitboard.ingest.model import Claim, FeedResult, FeedState, Item
from sitboard.ingest.parse import parse_feed
from sitboard.ingest.places import PlaceMatcher
from sitboard.ingest.profile import load_profile
from sitboard.store import Store

HEADERS = {"content-type": "application/rss+xml; charset=utf-8"}
FETCHED = datetime(2024, 12, 9, tzinfo=UTC)


class NoPlaces:
    """Stands in for PlaceMatcher to time parse_feed without the place search."""

    def places(self, text: str) -> tuple[str, ...]:
        return ()


def timed(run: Callable[[], object]) -> float:
    started = time.perf_counter()
    run()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=100)
    parser.add_argument("--items", type=int, default=30, help="items per feed")
    parser.add_argument("--rounds", type=int, default=3, help="rounds; the best is shown")
    parser.add_argument("--quick", action="store_true", help="10 feeds, 2 rounds")
    parser.add_argument(
        "--workers", type=int, default=None, help="worker processes (default: as the board)"
    )
    args = parser.parse_args()
    feeds, rounds = (10, 2) if args.quick else (args.feeds, args.rounds)

    folder = Path(tempfile.mkdtemp(prefix="sitboard-bench-pipeline-"))
    try:
        for path, body in common.feed_documents(feeds, args.items).items():
            (folder / Path(path).name).write_bytes(body)
        files = sorted(folder.glob("*.xml"))
        documents = [(f.stem, f.read_bytes()) for f in files]
        size_mb = sum(len(body) for _, body in documents) / 1e6
        profile = load_profile("syria")
        matcher = PlaceMatcher(profile)
        extractor = Extractor(profile)
        print(
            f"sitboard pipeline benchmark on {common.machine()}\n"
            f"{feeds} feed files x {args.items} items ({size_mb:.1f} MB), best of {rounds} rounds"
        )

        def parse_all(with_places: bool) -> list[tuple[str, list[Item]]]:
            out = []
            for name, body in documents:
                parsed = parse_feed(
                    body,
                    HEADERS,
                    feed=name,
                    url=f"file://{folder / name}.xml",
                    fetched=FETCHED,
                    matcher=matcher if with_places else NoPlaces(),  # type: ignore[arg-type]
                )
                out.append((name, parsed.items))
            return out

        def extract_all(parsed: list[tuple[str, list[Item]]]) -> list[list[Claim]]:
            return [[c for item in items for c in extractor.extract(item)] for _, items in parsed]

        def commit(parsed: list[tuple[str, list[Item]]], claims: list[list[Claim]]) -> None:
            results = [
                FeedResult(
                    feed=name,
                    url=f"file://{folder / name}.xml",
                    outcome="new",
                    state=FeedState(name=name, url=f"file://{folder / name}.xml"),
                    items=tuple(items),
                    claims=tuple(feed_claims),
                )
                for (name, items), feed_claims in zip(parsed, claims, strict=True)
            ]
            db_dir = Path(tempfile.mkdtemp(prefix="db-", dir=folder))
            with Store.open(db_dir / "sitboard.json", profile, common.WATCH) as store:
                report = store.commit(results)
            assert report.new_items == sum(len(items) for _, items in parsed)
            shutil.rmtree(db_dir)

        def whole() -> None:
            parsed = parse_all(True)
            commit(parsed, extract_all(parsed))

        workers = args.workers if args.workers is not None else auto_workers()

        async def read_in_processes() -> tuple[list[tuple[str, list[Item]]], list[list[Claim]]]:
            pool = CpuPool(profile, workers, min_bytes=0)
            try:
                in_process = await pool.engage(0)

                async def one(name: str, body: bytes) -> tuple[list[Item], list[Claim]]:
                    # as a poll reads a feed it never read before: one task parses and reads
                    parsed, read = await pool.parse_and_extract(
                        body,
                        HEADERS,
                        in_process=in_process,
                        feed=name,
                        url=f"file://{folder / name}.xml",
                        fetched=FETCHED,
                    )
                    return parsed.items, [claim for claims in read for claim in claims]

                done = await asyncio.gather(*(one(name, body) for name, body in documents))
            finally:
                pool.close()
            names = [name for name, _ in documents]
            return [(n, items) for n, (items, _) in zip(names, done, strict=True)], [
                claims for _, claims in done
            ]

        def in_processes() -> None:
            commit(*asyncio.run(read_in_processes()))

        best: dict[str, float] = {}

        def note(name: str, seconds: float) -> None:
            best[name] = min(seconds, best.get(name, float("inf")))

        def feedparser_alone() -> None:
            for _, body in documents:
                feedparser.parse(body, response_headers=HEADERS)

        def feedparser_lean() -> None:
            for _, body in documents:
                feedparser.parse(
                    body, response_headers=HEADERS, sanitize_html=False, resolve_relative_uris=False
                )

        def one_round() -> None:
            note("feedparser", timed(feedparser_alone))
            note("fp (lean)", timed(feedparser_lean))
            note("parse_feed", timed(lambda: parse_all(False)))
            parsed = parse_all(True)
            items = [item for _, its in parsed for item in its]
            note("places", timed(lambda: [matcher.places(f"{i.title}\n{i.text}") for i in items]))
            claims: list[list[Claim]] = []
            note("extract", timed(lambda: claims.extend(extract_all(parsed))))
            note("commit", timed(lambda: commit(parsed, claims)))
            note("whole path", timed(whole))
            if workers:
                note("processes", timed(in_processes))

        for _ in range(rounds):
            one_round()

        items_count = feeds * args.items
        base = best["feedparser"]
        stages = ("feedparser", "fp (lean)", "parse_feed", "places", "extract", "commit")
        for name in (*stages, "whole path"):
            seconds = best[name]
            print(
                f"  {name:<11} {seconds:8.3f} s  {seconds / items_count * 1000:7.3f} ms/item  "
                f"{seconds / base:6.2f}x feedparser"
            )
        print(f"whole path / feedparser alone: {best['whole path'] / base:.2f}x (one thread)")
        if "processes" in best:
            print(
                f"whole path in {workers} worker processes: {best['processes']:.3f} s, "
                f"{best['processes'] / base:.2f}x feedparser alone"
            )
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
