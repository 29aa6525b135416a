"""Start-up and memory: launch to the first painted board, and peak resident memory, with
1,000, 20,000 and 100,000 stored items.

    /work/venv/bin/python bench/bench_startup.py            # 1k, 20k, 100k
    /work/venv/bin/python bench/bench_startup.py --quick    # 1k only
    /work/venv/bin/python bench/bench_startup.py 20000 --runs 3 --no-tmux

Every launch is a fresh Python process on a fresh copy of a cached store (built once by
common.ensure_store), so imports, the JSON load and RSS are what a user's launch pays.

Two measurements per size:
  headless  `python bench/bench_startup.py --child DB T0`: imports sitboard and Textual, opens
            the Store, builds SitboardApp and runs it under run_test() (160x48); "first paint"
            is the first compositor frame after mount, turned into terminal bytes (probe.py).
            Time is from T0, the parent's time.monotonic() just before it spawned the child,
            so interpreter start-up and imports count. Peak RSS is the child's VmHWM at
            that first paint (its own: ru_maxrss is kept across execve, so it would count the
            parent's), then once the rest of the store is loaded and the search keys built
            (what the app's workers do right after mount).
  tmux      the real `sitboard --feeds F --db D` in a tmux window 160x48; the parent reads the
            screen with `tmux capture-pane` every 10 ms until the three pane titles and an
            Arabic headline are on it. Peak RSS is VmHWM of the sitboard process at that moment.
            This includes the real terminal driver; its resolution is the 10 ms polling.
Numbers only: nothing here asserts a speed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common

SIZES = (1_000, 20_000, 100_000)
SIZE = (160, 48)


def child(db: Path, launched: float) -> None:
    """Runs in the fresh process: time every stage from the parent's launch mark."""
    marks = {"interpreter": time.monotonic() - launched}
    import probe
    from sitboard.ingest.profile import load_profile
    from sitboard.store import Store

    marks["imports"] = time.monotonic() - launched
    profile = load_profile("syria")
    store = Store.open(db, profile, common.WATCH)
    marks["store open"] = time.monotonic() - launched
    rss_open = common.rss_mb()
    app = probe.make_app(store, profile)
    marks["app built"] = time.monotonic() - launched
    display = app._display

    def painted(screen: object, renderable: object) -> None:
        # the peak up to the first frame itself: the app's workers (the rest of a lazily
        # opened store) start at mount and run while this loop waits to notice the paint
        display(screen, renderable)  # type: ignore[arg-type]
        if app.paints and "peak rss MB" not in marks:
            marks["peak rss MB"] = _peak_mb()

    app._display = painted  # type: ignore[method-assign]

    async def run() -> None:
        async with app.run_test(size=SIZE) as pilot:
            while not app.paints:
                await pilot.pause(0.002)
            marks["first paint"] = app.paints[0] - launched
            # what the app's workers do next: the rest of a lazily opened store, then the
            # search keys (waiting here for the workers under way)
            await asyncio.to_thread(store.finish_loading)
            marks["loaded"] = time.monotonic() - launched
            marks["peak rss loaded MB"] = _peak_mb()
            await asyncio.to_thread(store.prepare_search)
            marks["search ready"] = time.monotonic() - launched
            marks["peak rss search MB"] = _peak_mb()

    asyncio.run(run())
    store.close()
    marks["rss after open MB"] = rss_open
    marks["items"] = store.counts()["items"]
    print(json.dumps(marks))


def _peak_mb() -> float:
    """This process's own peak RSS (VmHWM). Not ru_maxrss: Linux keeps that across execve,
    so a child spawned by a parent that had read a large store would report the parent's."""
    return _vmhwm_mb(os.getpid())


def _fresh_copy(size: int, folder: Path) -> Path:
    """A private copy of the cached store, copied by the kernel (reading it into this
    process would raise the peak RSS its children report, see _peak_mb)."""
    target = folder / "sitboard.json"
    shutil.copyfile(common.ensure_store(size), target)
    return target


BOARD_MARK = b',"board":{"1":'


def with_board(size: int) -> None:
    """Give the cached store of `size` items the board a commit writes (a store built before
    the board existed has none, and opens slowly until its next commit): one commit of a
    stored feed's state, unchanged."""
    from sitboard.ingest.model import FeedResult
    from sitboard.ingest.profile import load_profile
    from sitboard.store import Store

    path = common.ensure_store(size)
    with path.open("rb") as f:
        f.seek(max(0, path.stat().st_size - (4 << 20)))
        if BOARD_MARK in f.read():
            return
    print(f"(adding the board to {path})", flush=True)
    with Store.open(path, load_profile("syria"), common.WATCH) as store:
        state = min(store.feed_states().values(), key=lambda s: s.name)
        store.commit([FeedResult(feed=state.name, url=state.url, outcome="skipped", state=state)])
    for extra in path.parent.glob(path.name + ".*"):
        extra.unlink()  # the lock and the backup


def headless(size: int) -> dict[str, float]:
    folder = Path(tempfile.mkdtemp(prefix="sitboard-bench-startup-"))
    try:
        db = _fresh_copy(size, folder)
        launched = time.monotonic()
        out = subprocess.run(
            [sys.executable, __file__, "--child", str(db), repr(launched)],
            capture_output=True,
            text=True,
        )
        if out.returncode:
            raise SystemExit(f"the start-up child failed:\n{out.stderr}")
        return json.loads(out.stdout.strip().splitlines()[-1])
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _arabic(text: str) -> bool:
    return any("\u0600" <= ch <= "\u06ff" or "\ufe70" <= ch <= "\ufeff" for ch in text)


def _vmhwm_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def real_terminal(size: int, timeout: float = 120.0) -> dict[str, float]:
    """The real `sitboard` in tmux; returns first paint and the process's peak RSS."""
    folder = Path(tempfile.mkdtemp(prefix="sitboard-bench-tmux-"))
    session = f"sitboard-bench-{os.getpid()}"
    try:
        db = _fresh_copy(size, folder)
        feeds = folder / "feeds.toml"
        # the stored feeds' URLs, with an interval no run reaches: no poll starts
        urls = [f"https://bench.example/feed-{n}.xml" for n in range(len(common.OUTLETS))]
        feeds.write_text(common.feeds_toml(urls, interval="3650d"), encoding="utf-8")
        sitboard = Path(sys.executable).with_name("sitboard")
        command = f"exec {sitboard} --feeds {feeds} --db {db} --bidi on"
        launched = time.monotonic()
        subprocess.run(
            [
                *("tmux", "new-session", "-d", "-s", session),
                *("-x", str(SIZE[0]), "-y", str(SIZE[1]), "-e", "TERM=xterm-256color", command),
            ],
            check=True,
        )
        pid = int(
            subprocess.run(
                ["tmux", "display-message", "-p", "-t", session, "#{pane_pid}"],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
        )
        while time.monotonic() - launched < timeout:
            screen = subprocess.run(
                ["tmux", "capture-pane", "-p", "-t", session], capture_output=True, text=True
            ).stdout
            titles = ("Control status", "Claims by source", "Latest headlines")
            if all(t in screen for t in titles) and _arabic(screen):
                painted = time.monotonic() - launched
                return {"first paint": painted, "peak rss MB": _vmhwm_mb(pid)}
            time.sleep(0.01)
        raise RuntimeError(f"no board on the screen after {timeout} s")
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", type=int, nargs="*", help="stored items (default 1k 20k 100k)")
    parser.add_argument("--quick", action="store_true", help="1,000 items only")
    parser.add_argument("--runs", type=int, default=1, help="launches per size (best is shown)")
    parser.add_argument("--no-tmux", action="store_true", help="skip the real-terminal run")
    parser.add_argument("--child", nargs=2, metavar=("DB", "T0"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(Path(args.child[0]), float(args.child[1]))
        return
    sizes = args.sizes or ((1_000,) if args.quick else SIZES)
    tmux = not args.no_tmux and shutil.which("tmux") is not None
    print(f"sitboard start-up benchmark on {common.machine()}")
    for size in sizes:
        with_board(size)
    for size in sizes:
        runs = [headless(size) for _ in range(args.runs)]
        best = min(runs, key=lambda r: r["first paint"])
        stages = "  ".join(
            f"{k} {best[k]:.2f}"
            for k in ("interpreter", "imports", "store open", "app built", "first paint")
        )
        print(
            f"{size:>7,} items  headless first paint {best['first paint']:6.2f} s  "
            f"peak RSS {best['peak rss MB']:6.0f} MB  (after Store.open "
            f"{best['rss after open MB']:.0f} MB)\n"
            f"                stages (s from launch): {stages}\n"
            f"                all loaded {best['loaded']:.2f} s (peak RSS "
            f"{best['peak rss loaded MB']:.0f} MB), search keys ready {best['search ready']:.2f} s "
            f"(peak RSS {best['peak rss search MB']:.0f} MB)"
        )
        if tmux:
            reals = [real_terminal(size) for _ in range(args.runs)]
            real = min(reals, key=lambda r: r["first paint"])
            print(
                f"{size:>7,} items  tmux     first paint {real['first paint']:6.2f} s  "
                f"peak RSS {real['peak rss MB']:6.0f} MB"
            )


if __name__ == "__main__":
    main()
