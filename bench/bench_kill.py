"""Kill benchmark: SIGKILL the real `sitboard poll --once` at random moments, round after round.

    /work/venv/bin/python bench/bench_kill.py                # 200 rounds
    /work/venv/bin/python bench/bench_kill.py --rounds 500 --seed 7

Each round serves a loopback feed (a rolling window of the last three rounds' items, as a
real feed repeats its recent items), starts `sitboard poll --once` on one database and kills
it with SIGKILL: a third of the kills at a random moment of the whole run (start-up, opening
the database, which writes a backup), the rest at a random moment after the feed was fetched
(parsing, extracting, committing). A run that prints its summary line has finished its commit.
After every round the database must open, hold every item of every finished round, hold
nothing that was never served, and the writer must open it again in the next round.
tests/test_cli_faults.py runs the same rounds, fewer of them.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from pytest_httpserver import HTTPServer
from sitboard.store import Store, StoreError
from werkzeug import Request, Response

PER_ROUND = 10  # new items each round
WINDOW = 3  # rounds of items the feed still lists
RECALIBRATE = 20  # every so many rounds, one unkilled run measures the timing again
FEED_NAME = "live"
SENTENCES = (
    "قالت فصائل المعارضة إنها سيطرت على مدينة {city} بعد اشتباكات عنيفة",
    "الجيش السوري ينسحب من مدينة {city} لإعادة التموضع",
    "قوات المعارضة تدخل مدينة {city} من عدة محاور",
    "المرصد السوري: اشتباكات مستمرة في محيط {city}",
)
CITIES = ("حلب", "إدلب", "حماة", "حمص")
SUMMARY = re.compile(rf"^{FEED_NAME}: (\d+) new item\(s\)", re.MULTILINE)


def sitboard_command() -> list[str]:
    """The installed console script next to this interpreter, else the one on PATH."""
    beside = Path(sys.executable).with_name("sitboard")
    if beside.exists():
        return [str(beside)]
    found = shutil.which("sitboard")
    if found is None:
        raise SystemExit("the sitboard command is not installed")
    return [found]


def item_id(n: int) -> str:
    return f"https://kill.example/item/{n}"


def feed_bytes(numbers: range) -> bytes:
    items = []
    for n in reversed(numbers):
        sentence = SENTENCES[n % len(SENTENCES)].format(city=CITIES[n // 3 % len(CITIES)])
        body = f"{sentence}. " + "وأفادت مصادر ميدانية بأن الوضع ما زال متوترا. " * 6
        minute = n % (60 * 24 * 20)
        day, hour, mins = 1 + minute // 1440, minute // 60 % 24, minute % 60
        items.append(
            f"<item><title>{sentence} ({n})</title><description>{body}</description>"
            f"<guid>{item_id(n)}</guid>"
            f"<pubDate>{day:02d} Dec 2024 {hour:02d}:{mins:02d}:00 GMT</pubDate></item>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Kill test</title>{''.join(items)}</channel></rss>"
    ).encode()


class FeedServer:
    """A loopback feed whose body the rounds change; `fetched` is set by each request."""

    def __init__(self) -> None:
        self.body = b""
        self.fetched = threading.Event()
        self.fetched_at = 0.0  # time.monotonic() of the last request
        self.server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
        self.server.expect_request("/feed.xml").respond_with_handler(self._handle)
        self.server.start()

    def _handle(self, request: Request) -> Response:
        self.fetched_at = time.monotonic()
        self.fetched.set()
        return Response(self.body, content_type="application/rss+xml; charset=utf-8")

    @property
    def url(self) -> str:
        return self.server.url_for("/feed.xml")

    def stop(self) -> None:
        self.server.clear()
        if self.server.is_running():
            self.server.stop()


class Run:
    """One started `sitboard poll --once`: a process to kill, wait for and read."""

    pid: int

    def readline(self) -> str:
        raise NotImplementedError

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError, ChildProcessError):
            os.kill(self.pid, signal.SIGKILL)

    def finish(self) -> tuple[int, str, str]:
        """Wait for the end; (exit code, negative for a signal, stdout, stderr)."""
        raise NotImplementedError


class ProcessRun(Run):
    """The installed console script, a new interpreter each time."""

    def __init__(self, args: list[str], cwd: Path, env: dict[str, str]) -> None:
        self.proc = subprocess.Popen(
            [*sitboard_command(), *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            cwd=cwd,
        )
        self.pid = self.proc.pid

    def readline(self) -> str:
        assert self.proc.stdout is not None
        return self.proc.stdout.readline()

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            self.proc.send_signal(signal.SIGKILL)

    def finish(self) -> tuple[int, str, str]:
        out, err = self.proc.communicate(timeout=60)
        return self.proc.returncode, out, err


def warm_up() -> None:
    """Import what `sitboard poll` imports lazily, once, so that forked children share it."""
    import sitboard.ingest.config
    import sitboard.ingest.poll
    import sitboard.ingest.profile

    sitboard.ingest.profile.load_profile("syria")
    del sitboard


class ForkRun(Run):
    """sitboard.cli.main in a child forked from this (already warm) interpreter: the same
    code as the command without a new interpreter's start-up. `before` runs in the child
    first (drop privileges, set limits)."""

    def __init__(
        self,
        args: list[str],
        cwd: Path,
        env: dict[str, str] | None = None,
        before: Callable[[], None] | None = None,
    ) -> None:
        from sitboard.cli import main as cli_main

        warm_up()
        out_r, out_w = os.pipe()
        err_r, err_w = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: never returns
            code = 70
            try:
                os.close(out_r)
                os.close(err_r)
                os.chdir(cwd)
                if env is not None:
                    os.environ.update(env)
                sys.stdout = open(out_w, "w", encoding="utf-8", buffering=1)  # noqa: SIM115
                sys.stderr = open(err_w, "w", encoding="utf-8", buffering=1)  # noqa: SIM115
                if before is not None:
                    before()
                code = cli_main(args)
                sys.stdout.flush()
                sys.stderr.flush()
            except BaseException:
                with contextlib.suppress(BaseException):
                    sys.stderr.write(traceback.format_exc())
                    sys.stderr.flush()
            finally:
                os._exit(code)
        os.close(out_w)
        os.close(err_w)
        self.pid = pid
        self._out = os.fdopen(out_r, "r", encoding="utf-8")
        self._err = os.fdopen(err_r, "r", encoding="utf-8")

    def readline(self) -> str:
        return self._out.readline()

    def finish(self) -> tuple[int, str, str]:
        out, err = self._out.read(), self._err.read()  # both end when the child does
        self._out.close()
        self._err.close()
        _, status = os.waitpid(self.pid, 0)
        return os.waitstatus_to_exitcode(status), out, err


@dataclass
class Summary:
    rounds: int = 0
    finished: int = 0  # runs that printed their summary (their commit returned)
    killed: int = 0  # runs the kill stopped before they finished
    killed_after_fetch: int = 0
    mid_write: int = 0  # kills that left the writer's temporary file behind
    confirmed: set[str] = field(default_factory=set)  # ids a finished run stored
    stored: int = 0
    failures: list[str] = field(default_factory=list)
    timing: tuple[float, float] = (0.0, 0.0)  # a run's length, and its part after the fetch

    def lines(self) -> list[str]:
        return [
            f"rounds: {self.rounds}",
            f"finished runs: {self.finished}",
            f"killed runs: {self.killed} ({self.killed_after_fetch} after the fetch, "
            f"{self.mid_write} in the middle of a file write)",
            f"items confirmed by finished runs: {len(self.confirmed)}",
            f"items in the database at the end: {self.stored}",
            f"a run takes {self.timing[0]:.2f} s; "
            f"{self.timing[1]:.2f} s from the fetch to the end of its commit",
            f"failures: {len(self.failures)}",
        ]


def stored_ids(db: Path) -> set[str]:
    """Every item id in the database, opened read-only as `sitboard export` opens it."""
    with Store.open(db, None, (), readonly=True) as store:
        view = store.view(headlines=10**9, claims_per_source=0)
        return {item.id for item in view.headlines}


def write_config(folder: Path, url: str) -> Path:
    feeds = folder / "feeds.toml"
    feeds.write_text(
        f'[board]\nwatch = ["aleppo", "idlib", "hama"]\n\n'
        f'[[feeds]]\nname = "{FEED_NAME}"\nurl = "{url}"\n',
        encoding="utf-8",
    )
    return feeds


def run_rounds(
    folder: Path,
    rounds: int,
    seed: int,
    *,
    fork: bool = False,
    progress: bool = False,
    calibrate: int = 2,
) -> Summary:
    """Run `rounds` kill rounds in `folder` (a fresh, empty folder): the installed command
    each time, or (`fork`) sitboard.cli.main in a child forked from this interpreter. Never
    raises on a broken database; it records a failure instead."""
    rng = random.Random(seed)
    server = FeedServer()
    summary = Summary()
    db = folder / "sitboard.json"
    feeds = write_config(folder, server.url)
    command = ["poll", "--once", "--feeds", str(feeds), "--db", str(db)]
    env = dict(os.environ, NO_PROXY="127.0.0.1,localhost", no_proxy="127.0.0.1,localhost")
    served: set[str] = set()
    before: set[str] = set()
    # seconds: a run's length, and from the fetch to the end of its commit; measured by the
    # first (unkilled) rounds
    lifetime, after_fetch = 1.0, 0.3
    calibration_out = ""
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    try:
        for round_ in range(rounds):
            numbers = range(max(0, round_ - WINDOW + 1) * PER_ROUND, (round_ + 1) * PER_ROUND)
            window = {item_id(n) for n in numbers}
            served |= window
            server.body = feed_bytes(numbers)
            server.fetched.clear()
            started = time.monotonic()
            proc: Run = ForkRun(command, folder, env) if fork else ProcessRun(command, folder, env)
            after = False
            measure = round_ < calibrate or round_ % RECALIBRATE == 0
            if measure:  # unkilled: when a run has committed, and its length
                head = proc.readline()  # the summary, printed after the commit
                committed = time.monotonic() - server.fetched_at
                code, out, err = proc.finish()
                # the database grows, and the run with it: the latest measure counts
                lifetime = time.monotonic() - started
                if round_ < calibrate:
                    after_fetch = committed
                calibration_out = head
            elif (pick := rng.random()) < 1 / 3:
                time.sleep(rng.uniform(0, lifetime * 1.2))
            else:
                server.fetched.wait(30)
                after = True
                # half of these late, where the commit's write is
                low, high = (0.0, 1.05) if pick < 2 / 3 else (0.6, 1.3)
                time.sleep(rng.uniform(low, high) * after_fetch)
            if measure:
                out = calibration_out + out
            else:
                proc.kill()
                code, out, err = proc.finish()
            summary.rounds += 1
            match = SUMMARY.search(out)
            if code not in (0, -signal.SIGKILL) or (code == 0 and match is None):
                summary.failures.append(f"round {round_}: exit {code}: {err.strip()[-500:]}")
            if match is not None:
                summary.finished += 1
            else:
                summary.killed += 1
                summary.killed_after_fetch += after
            if after:  # aim the next kills at the end of the commit: a bit earlier when this
                # run got to finish, a bit later when it did not
                after_fetch *= 0.8 if match is not None else 1.05
            if any(p.name.endswith(".tmp") for p in folder.iterdir()):
                summary.mid_write += 1
            if not db.exists():
                if match is not None or summary.confirmed:
                    summary.failures.append(f"round {round_}: the database is gone")
                continue
            try:
                now = stored_ids(db)
            except StoreError as exc:
                summary.failures.append(f"round {round_}: the database does not open: {exc}")
                break
            if match is not None:
                summary.confirmed |= window
                new = int(match.group(1))
                if new != len(window - before):
                    summary.failures.append(
                        f"round {round_}: reported {new} new, expected {len(window - before)}"
                    )
            if lost := summary.confirmed - now:
                summary.failures.append(f"round {round_}: lost {len(lost)} stored item(s)")
            if strange := now - served:
                summary.failures.append(f"round {round_}: {len(strange)} item(s) never served")
            before = now
            if progress and (round_ + 1) % 25 == 0:
                print(f"  {round_ + 1} rounds, {summary.killed} killed", file=sys.stderr)
        summary.stored = len(before)
        summary.timing = (lifetime, after_fetch)
    finally:
        server.stop()
    return summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--seed", type=int, default=20241208)
    parser.add_argument(
        "--fork",
        action="store_true",
        help="run sitboard.cli.main in forked children instead of the installed command",
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="sitboard-kill-") as folder:
        started = time.monotonic()
        summary = run_rounds(Path(folder), args.rounds, args.seed, fork=args.fork, progress=True)
        elapsed = time.monotonic() - started
    for line in summary.lines():
        print(line)
    print(f"elapsed: {elapsed:.1f} s ({elapsed / max(1, summary.rounds):.2f} s per round)")
    for failure in summary.failures[:20]:
        print(f"FAIL {failure}")
    survived = summary.rounds - len({f.split(":")[0] for f in summary.failures})
    print(f"rounds survived: {survived} of {summary.rounds}")
    return 1 if summary.failures else 0


if __name__ == "__main__":
    sys.exit(main())
