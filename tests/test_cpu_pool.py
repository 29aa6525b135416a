"""Parsing and extraction in worker processes: same results as in a thread, survives a
killed worker, and the `workers` setting."""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from sitboard.ingest.config import ConfigError, load_config
from sitboard.ingest.cpu_pool import CpuPool, auto_workers
from sitboard.ingest.model import BoardConfig, Config, FeedConfig, FeedResult
from sitboard.ingest.poll import Poller
from sitboard.ingest.profile import Profile

NOW = datetime(2024, 12, 1, 12, 0, tzinfo=UTC)
FEED_FILES = ("arabic.rss", "arabic.atom")


def poller_for(
    server: HTTPServer, feed_fixtures: Path, profile: Profile, workers: int, *, now: datetime = NOW
) -> Poller:
    feeds = []
    for name in FEED_FILES:
        body = (feed_fixtures / name).read_bytes()
        server.expect_request(f"/{name}").respond_with_data(body, content_type="application/xml")
        feeds.append(FeedConfig(name, server.url_for(f"/{name}")))
    config = Config(board=BoardConfig(), feeds=tuple(feeds), source="test.toml")
    poller = Poller(config, profile, trust_env=False, clock=lambda: now, workers=workers)
    poller.pool.min_bytes = 0  # engage at once: these feeds are small
    return poller


def contents(results: list[FeedResult]) -> list[tuple[object, ...]]:
    return [(r.feed, r.outcome, r.items, r.claims, r.error) for r in results]


async def test_processes_read_what_a_thread_reads(
    feed_server: HTTPServer, feed_fixtures: Path, syria_profile: Profile
) -> None:
    threaded = poller_for(feed_server, feed_fixtures, syria_profile, workers=0)
    expected = await threaded.poll({})
    pooled = poller_for(feed_server, feed_fixtures, syria_profile, workers=2)
    try:
        # feeds never read before: one task each parses and reads every item
        got = await pooled.poll({})
        assert pooled.pool.tasks_in_processes == len(FEED_FILES)
        assert not pooled.pool.running  # the workers went with the poll that needed them
        assert not multiprocessing.active_children()
        # feeds read before: a parse, then only the new items are read (all of them here, as
        # nothing was stored); the next big poll starts new workers
        states = {r.feed: r.state for r in got}
        again = await pooled.poll(states, force=True)
        assert pooled.pool.tasks_in_processes == 3 * len(FEED_FILES)
    finally:
        pooled.close()
    assert threaded.pool.tasks_in_processes == 0
    assert sum(len(r.claims) for r in expected) > 0
    assert contents(got) == contents(expected)
    assert contents(again) == contents(expected)


async def test_a_killed_worker_costs_nothing_but_time(
    feed_fixtures: Path, syria_profile: Profile
) -> None:
    body = (feed_fixtures / "arabic.rss").read_bytes()
    headers = {"content-type": "application/rss+xml"}
    options = {"feed": "RSS", "url": "https://www.example.org/rss", "fetched": NOW}
    pool = CpuPool(syria_profile, 1, min_bytes=0)
    try:
        expected = await pool.parse(body, headers, in_process=False, **options)
        assert await pool.engage(0)
        assert await pool.parse(body, headers, in_process=True, **options) == expected
        assert pool.tasks_in_processes == 1
        for process in multiprocessing.active_children():  # the OOM killer, say
            os.kill(process.pid, signal.SIGKILL)
            process.join(5)
        # the broken pool is dropped and a thread reads instead
        assert await pool.parse(body, headers, in_process=True, **options) == expected
        assert pool.tasks_in_processes == 1
        assert not pool.running
        assert await pool.engage(0)  # and the next poll may start a fresh one
        claims = await pool.extract(expected.items, in_process=True)
        assert claims == await pool.extract(expected.items, in_process=False)
        assert pool.tasks_in_processes == 2
    finally:
        pool.close()


def test_auto_workers_follows_the_cores() -> None:
    assert auto_workers(1) == 0
    assert auto_workers(2) == 2
    assert auto_workers(64) == 4


@pytest.mark.parametrize(
    ("line", "workers"), [('workers = "auto"', None), ("workers = 0", 0), ("workers = 3", 3)]
)
def test_workers_setting(tmp_path: Path, line: str, workers: int | None) -> None:
    path = tmp_path / "feeds.toml"
    path.write_text(f'[board]\n{line}\n\n[[feeds]]\nname = "a"\nurl = "https://a.example/rss"\n')
    assert load_config(path).board.workers == workers


@pytest.mark.parametrize("value", ["-1", "true", '"many"', "2.5", "1000"])
def test_a_bad_workers_value_names_its_line(tmp_path: Path, value: str) -> None:
    path = tmp_path / "feeds.toml"
    path.write_text(f'[board]\nwatch = ["aleppo"]\nworkers = {value}\n')
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    message = str(caught.value)
    assert ":3:" in message or "line 3" in message
    assert 'workers must be "auto" or a whole number' in message


async def test_the_board_polls_through_worker_processes(
    feed_server: HTTPServer, feed_fixtures: Path, syria_profile: Profile, tmp_path: Path
) -> None:
    """Under a running Textual app sys.stderr is the app's capture object: starting the pool's
    helper processes from there must still work (it once failed every feed)."""
    from sitboard.store import Store
    from sitboard.tui.app import SitboardApp

    expected = await poller_for(feed_server, feed_fixtures, syria_profile, workers=0).poll({})
    # the board's clock is the real one: so is the poller's, or the feeds are due again at once
    now = datetime.now(UTC)
    poller = poller_for(feed_server, feed_fixtures, syria_profile, workers=2, now=now)
    store = Store.open(tmp_path / "db.json", syria_profile, ("aleppo", "idlib", "hama"))
    app = SitboardApp(config=poller.config, store=store, profile=syria_profile, poller=poller)
    try:
        async with app.run_test() as pilot:
            for _ in range(300):
                await pilot.pause(0.05)
                if app.polls_done:
                    break
            assert app.polls_done == 1
        states = store.feed_states()
        assert [states[name].last_error for name in FEED_FILES] == [None, None]
        assert poller.pool.tasks_in_processes >= 2
        assert store.counts()["claims"] == sum(len(r.claims) for r in expected)
    finally:
        poller.close()
        store.close()


# --- the real command, with its worker processes ---------------------------------------------

SENTENCE = (
    "وقال المرصد السوري إن فصائل المعارضة سيطرت على مدينة سراقب بعد انسحاب قوات النظام منها. "
)


def write_big_feeds(folder: Path, feeds: int = 6, items: int = 120) -> Path:
    """Enough feed documents (~1.5 MB) that `sitboard poll` reads them in worker processes."""
    entries = []
    for n in range(feeds):
        body = "".join(
            f"<item><title>خبر {n}-{i} عن ريف إدلب</title><guid>urn:big:{n}:{i}</guid>"
            f"<pubDate>Sun, 01 Dec 2024 14:00:00 GMT</pubDate>"
            f"<description>{SENTENCE * 8}</description></item>"
            for i in range(items)
        )
        path = folder / f"big-{n}.rss"
        path.write_text(
            f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>big {n}</title>{body}</channel></rss>",
            encoding="utf-8",
        )
        entries.append(f'[[feeds]]\nname = "big {n}"\nurl = "{path.name}"\n')
    config = folder / "feeds.toml"
    config.write_text("[board]\nworkers = 2\n\n" + "\n".join(entries), encoding="utf-8")
    return config


def group_members(pgid: int) -> set[int]:
    members = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[2]) == pgid and fields[0] != "Z":
                members.add(int(entry.name))
    return members


def wait_for(check: Callable[[], bool], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.05)
    return check()


def start_poll(tmp_path: Path) -> subprocess.Popen[bytes]:
    config = write_big_feeds(tmp_path)
    command = [sys.executable, "-m", "sitboard", "poll", "--feeds", str(config)]
    return subprocess.Popen(
        [*command, "--db", str(tmp_path / "db.json")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its own process group, as a shell gives a foreground job
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
@pytest.mark.parametrize("how", ["ctrl-c", "sigkill"])
def test_no_worker_outlives_the_command(tmp_path: Path, how: str) -> None:
    process = start_poll(tmp_path)
    try:
        # the command, the forkserver, the resource tracker and two workers
        assert wait_for(lambda: len(group_members(process.pid)) >= 5, 60), "no pool started"
        if how == "ctrl-c":
            os.killpg(process.pid, signal.SIGINT)  # the terminal sends it to the whole group
            assert process.wait(timeout=30) == 0
            assert "Traceback" not in process.stderr.read().decode()  # type: ignore[union-attr]
        else:
            process.kill()
            process.wait(timeout=10)
        assert wait_for(lambda: not group_members(process.pid), 15), group_members(process.pid)
    finally:
        if process.poll() is None:
            process.kill()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
