"""Filter latency: from the key that applies a filter to the repainted board, with 20,000 and
100,000 stored items, through Textual's pilot (p50, p95).

    /work/venv/bin/python bench/bench_filter.py             # 20k and 100k
    /work/venv/bin/python bench/bench_filter.py --quick     # 1k, few repeats
    /work/venv/bin/python bench/bench_filter.py 20000 --repeat 40

Each size runs in a fresh process on a fresh copy of the cached store (common.ensure_store).
Sampling starts once the app's start-up workers are done (the background load of a large
store, the search keys).
The app (probe.ProbeApp, 160x48, bidi on) notes when SitboardApp.set_filters returns and the
first frame painted after it. One sample is the time from just before pilot.press(KEY) of
the key that applies the filter to that frame:

  city      c, down x k, then Enter on the k-th city of the picker     (timed: Enter)
  source    s, down x k, then Enter on the k-th source                 (timed: Enter)
  search    /, type a word, then Enter (Arabic, varied per sample)     (timed: Enter)
  clear     Escape on the board with a filter active                   (timed: Escape)

"apply" is the part inside set_filters (store view + pane updates); the rest is Textual's
key dispatch, dismissing the dialog, layout and rendering the frame. "CPU" is the UI thread's
CPU time over the same span (time.thread_time): what the key costs,
without the waits for a CPU that other processes on the machine cause. "last frame" is when
the key's last frame was painted (the frames after the first redraw the footer's keys and
lay the screen out again): until then the UI thread is busy and a next key waits.

--freeze is an experiment, not the app's behaviour: after the first paint the child calls
gc.collect(); gc.freeze(), so Python's cyclic GC stops re-scanning the loaded store on every
full collection (those pauses are what the p95 is made of). Numbers only.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common

SIZES = (20_000, 100_000)
SIZE = (160, 48)
SETTLE = 0.1  # a gap between frames this long ends a key's cascade of frames
WORDS = ("حماه", "حلب", "المرصد", "انسحاب", "الفصائل", "ريف ادلب", "قصف", "دمشق", "منبج", "السيطرة")


def child(db: Path, repeat: int, freeze: bool, profile_to: str | None = None) -> None:
    import gc

    import probe
    from sitboard.ingest.profile import load_profile
    from sitboard.store import Store
    from sitboard.tui.picker_screen import PickerScreen
    from sitboard.tui.search_screen import SearchScreen

    profile = load_profile("syria")
    store = Store.open(db, profile, common.WATCH)

    class FilterProbe(probe.ProbeApp):
        def __init__(self, **kwargs: Any) -> None:
            super().__init__(**kwargs)
            self.applied: float | None = None
            self.painted: float | None = None
            self.painted_cpu = 0.0  # time.thread_time() at that paint

        def set_filters(self, filters: Any) -> None:
            super().set_filters(filters)
            self.applied = time.monotonic()
            self.painted = None

        def _display(self, screen: Any, renderable: Any) -> None:
            super()._display(screen, renderable)
            waiting = self.applied is not None and self.painted is None
            if waiting and self.paints and self.paints[-1] >= self.applied:
                self.painted = self.paints[-1]
                self.painted_cpu = time.thread_time()

    config = probe.board_config(store)
    app = FilterProbe(
        config=config,
        store=store,
        profile=profile,
        poller=probe.Poller(config, profile),
        bidi="on",
    )
    samples: dict[str, list[tuple[float, float, float, float]]] = {}
    profiler = None
    if profile_to:  # only the timed spans, from the key to the paint
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.0002, async_mode="disabled")

    async def wait_for(condition: Any, what: str) -> None:
        deadline = time.monotonic() + 30
        while not condition():
            if time.monotonic() > deadline:
                raise RuntimeError(f"timed out waiting for {what}")
            await asyncio.sleep(0.0005)

    async def timed(pilot: Any, name: str, key: str) -> None:
        app.applied = None
        if profiler is not None:
            profiler.start()
        started = time.monotonic()
        started_cpu = time.thread_time()
        await pilot.press(key)
        await wait_for(lambda: app.painted is not None, f"a paint after {name}")
        if profiler is not None:
            profiler.stop()
        assert app.applied is not None and app.painted is not None
        # Frames that follow the first (the footer's new keys, layout after it): the UI thread
        # is busy until the last one, which ends a run of frames with no gap of SETTLE.
        seen = 0
        cascade = [app.painted]
        while True:
            later = [t for t in app.paints[seen:] if t > cascade[-1]]
            if later and later[0] - cascade[-1] > SETTLE:
                break  # a frame of something else (a timer), after a pause
            cascade.extend(later)
            seen = len(app.paints)
            await asyncio.sleep(SETTLE)
            if len(app.paints) == seen:
                break
        settled = cascade[-1] - started
        sample = (
            app.painted - started,
            app.applied - started,
            app.painted_cpu - started_cpu,
            settled,
        )
        samples.setdefault(name, []).append(sample)

    async def run() -> None:
        async with app.run_test(size=SIZE) as pilot:
            await wait_for(lambda: bool(app.paints), "the first paint")
            # a large store paints from its stored board and loads the rest behind it, and the
            # search keys are built after that: time the filters of the board in use, not its
            # first seconds
            await app.workers.wait_for_complete()
            await asyncio.sleep(SETTLE)
            if freeze:
                gc.collect()
                gc.freeze()
            for n in range(repeat):
                for key, name in (("c", "city"), ("s", "source")):
                    await pilot.press(key)
                    await wait_for(lambda: isinstance(app.screen, PickerScreen), "the picker")
                    await pilot.press(*["down"] * (1 + n % 6))
                    await timed(pilot, name, "enter")
                    await timed(pilot, "clear", "escape")
                await pilot.press("slash")
                await wait_for(lambda: isinstance(app.screen, SearchScreen), "the search box")
                await pilot.press(*WORDS[n % len(WORDS)])
                await timed(pilot, "search", "enter")
                await timed(pilot, "clear", "escape")

    asyncio.run(run())
    if profiler is not None and profiler.last_session is not None:
        # read it with: pyinstrument --load FILE [-r html | --flat ...]
        profiler.last_session.save(profile_to or "")
    store.close()
    groups = dict(samples)
    groups["all"] = [s for values in samples.values() for s in values]
    out: dict[str, dict[str, float]] = {}
    for name, values in groups.items():
        p50, p95 = common.p50_p95([s[0] for s in values])
        cpu50, cpu95 = common.p50_p95([s[2] for s in values])
        out[name] = {
            "p50": p50,
            "p95": p95,
            "apply p50": common.p50_p95([s[1] for s in values])[0],
            "cpu p50": cpu50,
            "cpu p95": cpu95,
            "settled p50": common.p50_p95([s[3] for s in values])[0],
            "n": len(values),
        }
    print(json.dumps(out))


def measure(
    size: int, repeat: int, freeze: bool, profile: str | None = None
) -> dict[str, dict[str, float]]:
    folder = Path(tempfile.mkdtemp(prefix="sitboard-bench-filter-"))
    try:
        db = common.fresh_copy(size, folder)
        out = subprocess.run(
            [sys.executable, __file__, "--child", str(db), str(repeat)]
            + (["--freeze"] if freeze else [])
            + (["--profile", profile] if profile else []),
            capture_output=True,
            text=True,
        )
        if out.returncode:
            raise SystemExit(f"the filter child failed:\n{out.stderr}")
        return json.loads(out.stdout.strip().splitlines()[-1])
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", type=int, nargs="*", help="stored items (default 20k 100k)")
    parser.add_argument("--quick", action="store_true", help="1,000 items, 5 repeats")
    parser.add_argument("--repeat", type=int, default=20, help="rounds of the four filters")
    parser.add_argument("--freeze", action="store_true", help="experiment: gc.freeze() at start")
    parser.add_argument(
        "--profile", metavar="FILE", help="write a pyinstrument profile of the child to FILE"
    )
    parser.add_argument("--child", nargs=2, metavar=("DB", "REPEAT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(Path(args.child[0]), int(args.child[1]), args.freeze, args.profile)
        return
    sizes = args.sizes or ((1_000,) if args.quick else SIZES)
    repeat = 5 if args.quick else args.repeat
    print(
        f"sitboard filter latency benchmark on {common.machine()}, {repeat} rounds"
        + (", with gc.freeze() after the first paint (experiment)" if args.freeze else "")
    )
    for size in sizes:
        common.ensure_store(size)
    for size in sizes:
        profile = f"{args.profile}.{size}" if args.profile and len(sizes) > 1 else args.profile
        result = measure(size, repeat, args.freeze, profile)
        for name in ("city", "source", "search", "clear", "all"):
            row = result[name]
            print(
                f"{size:>7,} items  {name:<7} key->paint p50 {row['p50'] * 1000:7.1f} ms  "
                f"p95 {row['p95'] * 1000:7.1f} ms   apply p50 {row['apply p50'] * 1000:6.1f} ms"
                f"   CPU p50 {row['cpu p50'] * 1000:5.1f} p95 {row['cpu p95'] * 1000:5.1f}"
                f"   last frame p50 {row['settled p50'] * 1000:6.1f}"
                f"   (n={row['n']})"
            )


if __name__ == "__main__":
    main()
