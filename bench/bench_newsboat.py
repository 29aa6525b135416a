"""Peer comparison: newsboat reloading the same local feeds as `sitboard poll --once`, side by
side in one run, as a ratio.

    apt-get update && apt-get install -y newsboat       # once
    /work/venv/bin/python bench/bench_newsboat.py           # 100 feeds x 30 items
    /work/venv/bin/python bench/bench_newsboat.py --quick   # 10 feeds
    /work/venv/bin/python bench/bench_newsboat.py --feeds 10 100 1000 --threads 8

One loopback server (common.FeedServer: ETag and Last-Modified, 304 on a match) serves N
feeds of varied Arabic items. Each tool runs as its own process, wall time from spawn to
exit, first on an empty cache/database ("from empty"), then twice more on what the runs
before left ("2nd", "3rd": nothing new). newsboat 2.21 stores a feed's ETag/Last-Modified only
from its second reload on, so its conditional requests (304s) start with the 3rd run; sitboard's
start with the 2nd. Ratios are given for the 1st and the 3rd run:

  newsboat  newsboat -x reload -u URLS -c CACHE -C CONFIG, with HOME pointing into a temp
            folder; CONFIG sets reload-threads to --threads (newsboat's default is 1; sitboard
            fetches 8 at a time, so 8 is the like-for-like setting; --threads 1 for newsboat as
            shipped)
  sitboard  sitboard poll --once --feeds FEEDS.toml --db DB  (fetch, parse, extract claims,
            one commit), the real CLI

The two alternate (newsboat, sitboard, newsboat, sitboard) so neither always runs on a
warmer machine. Numbers only.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common

LABELS = ("from empty", "2nd", "3rd")


def run(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - started
    if done.returncode:
        raise SystemExit(f"{command[0]} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return wall


def compare(feeds: int, items: int, threads: int, newsboat: str) -> None:
    folder = Path(tempfile.mkdtemp(prefix="sitboard-bench-newsboat-"))
    try:
        env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
        env.update({"HOME": str(folder / "home"), "NO_PROXY": "127.0.0.1,localhost"})
        (folder / "home").mkdir()
        sitboard = str(Path(sys.executable).with_name("sitboard"))
        with common.FeedServer(common.feed_documents(feeds, items)) as server:
            urls = folder / "urls"
            urls.write_text("".join(f"{url}\n" for url in server.urls()), encoding="utf-8")
            config = folder / "newsboat.conf"
            config.write_text(f"reload-threads {threads}\n", encoding="utf-8")
            feeds_toml = folder / "feeds.toml"
            feeds_toml.write_text(common.feeds_toml(server.urls()), encoding="utf-8")
            commands = {
                "newsboat": [
                    *(newsboat, "-x", "reload", "-u", str(urls)),
                    *("-c", str(folder / "cache.db"), "-C", str(config)),
                ],
                "sitboard": [
                    *(sitboard, "poll", "--once", "--feeds", str(feeds_toml)),
                    *("--db", str(folder / "sitboard.json")),
                ],
            }
            walls: dict[tuple[str, str], float] = {}
            requests: dict[tuple[str, str], int] = {}
            for label in LABELS:
                for tool, command in commands.items():
                    before = server.counts["requests"], server.counts["304"]
                    walls[tool, label] = run(command, env)
                    requests[tool, label] = server.counts["requests"] - before[0]
                    not_modified = server.counts["304"] - before[1]
                    print(
                        f"  {label:<10} {tool:<8} {walls[tool, label]:7.3f} s  "
                        f"requests {requests[tool, label]:5d}  304s {not_modified:5d}"
                    )
            for label in (LABELS[0], LABELS[2]):
                ratio = walls["sitboard", label] / walls["newsboat", label]
                print(f"  {label:<10} sitboard / newsboat = {ratio:.2f}x")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, nargs="+", default=[100])
    parser.add_argument("--items", type=int, default=30, help="items per feed")
    parser.add_argument("--threads", type=int, default=8, help="newsboat reload-threads")
    parser.add_argument("--quick", action="store_true", help="10 feeds")
    args = parser.parse_args()
    newsboat = shutil.which("newsboat")
    if newsboat is None:
        raise SystemExit("newsboat is not installed: apt-get update && apt-get install -y newsboat")
    version = subprocess.run([newsboat, "--version"], capture_output=True, text=True).stdout
    print(f"newsboat vs sitboard on {common.machine()}; {version.splitlines()[0]}")
    for feeds in [10] if args.quick else args.feeds:
        print(f"{feeds} feeds x {args.items} items, newsboat reload-threads {args.threads}")
        compare(feeds, args.items, args.threads, newsboat)


if __name__ == "__main__":
    main()
