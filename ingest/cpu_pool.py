"""Parsing and claim extraction in worker processes.

Reading Arabic is pure-Python work that holds the GIL: in threads it uses one core and
steals time from a Textual UI in the same process. A big poll (the first one, or many
feeds) therefore goes to a small pool of worker processes, each holding its own
PlaceMatcher and Extractor built once from the profile. Small polls stay in a thread: a
pool costs start-up time and memory that only pays back on real volume.

Workers ignore SIGINT (the terminal's Ctrl+C reaches the whole process group; the parent
decides) and write nothing to the terminal the board is drawn on. A pool that breaks (a
worker killed) is dropped and the work is done in a thread instead, so a poll never fails
because of it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing
import multiprocessing.connection
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any

from .claims import Extractor
from .model import Claim, Item
from .parse import ParsedFeed, parse_feed
from .places import PlaceMatcher
from .profile import Profile

log = logging.getLogger(__name__)

MAX_AUTO_WORKERS = 4
# A poll engages the pool when it is expected to bring this many bytes of feed documents:
# about 150 long Arabic items, the volume at which two processes beat their own start-up.
POOL_MIN_BYTES = 512 * 1024


def auto_workers(cpus: int | None = None) -> int:
    """Worker processes for `workers = "auto"`: one per core up to four, none on one core."""
    count = os.cpu_count() if cpus is None else cpus
    if not count or count < 2:
        return 0
    return min(MAX_AUTO_WORKERS, count)


@dataclass(frozen=True, slots=True)
class Readers:
    """What parsing and extraction need, built once per process."""

    matcher: PlaceMatcher
    extractor: Extractor

    @classmethod
    def build(cls, profile: Profile) -> Readers:
        return cls(PlaceMatcher(profile), Extractor(profile))


def extract_each(extractor: Extractor, items: Sequence[Item]) -> list[list[Claim]]:
    """The claims of each item, in order; an item whose extraction fails has none and keeps
    the others' claims."""
    out: list[list[Claim]] = []
    for item in items:
        try:
            out.append(extractor.extract(item))
        except Exception:
            log.info("claim extraction failed for item %s", item.id, exc_info=True)
            out.append([])
    return out


def extract_items(extractor: Extractor, items: Sequence[Item]) -> list[Claim]:
    """Claims of every item, in order (see extract_each)."""
    return [claim for claims in extract_each(extractor, items) for claim in claims]


# The three kinds of work, each taking the Readers of the process or thread that runs it.


def _parse(
    readers: Readers, content: bytes, headers: Mapping[str, str], options: dict[str, Any]
) -> ParsedFeed:
    return parse_feed(content, headers, matcher=readers.matcher, **options)


def _parse_and_extract(
    readers: Readers, content: bytes, headers: Mapping[str, str], options: dict[str, Any]
) -> tuple[ParsedFeed, list[list[Claim]]]:
    parsed = _parse(readers, content, headers, options)
    if parsed.error is not None:
        return parsed, []
    return parsed, extract_each(readers.extractor, parsed.items)


def _extract(readers: Readers, items: Sequence[Item]) -> list[Claim]:
    return extract_items(readers.extractor, items)


# One Readers per worker process, set by the pool's initializer. This is process-local state
# of a worker, never touched in the parent; a pool task cannot carry it (it is rebuilt per
# process, not per call, because building it costs as much as reading ~100 items).
_worker_readers: list[Readers] = []


def _exit_with_parent() -> None:
    # Workers block on a queue whose other end they also hold, so a parent killed outright
    # (SIGKILL, SIGTERM) would leave them waiting for ever: they watch it themselves.
    parent = multiprocessing.parent_process()
    if parent is not None:
        multiprocessing.connection.wait([parent.sentinel])
        os._exit(0)


def _init_worker(profile: Profile) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_with_parent, name="parent-watch", daemon=True).start()
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    os.close(devnull)
    _worker_readers.append(Readers.build(profile))


def _in_worker(work: Callable[..., Any], *args: Any) -> Any:
    return work(_worker_readers[0], *args)


def _ready() -> bool:
    return bool(_worker_readers)


def _context() -> multiprocessing.context.BaseContext:
    # forkserver: workers are forked from a clean single-threaded server, never from the
    # board's own process with its threads; spawn where there is no forkserver.
    if sys.platform == "win32":
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([f"{__package__}.pool_server"])
    _start_servers()
    return context


def _start_servers() -> None:
    """Start multiprocessing's resource tracker and forkserver now, from the real stderr.

    Both pass `sys.stderr.fileno()` to the process they start; under a Textual app sys.stderr
    is the app's capture object with no usable descriptor, and starting them lazily from
    there fails ("bad value(s) in fds_to_keep")."""
    from multiprocessing import forkserver, resource_tracker

    real = sys.__stderr__
    swap = real is not None and sys.stderr is not real
    with contextlib.redirect_stderr(real) if swap else contextlib.nullcontext():
        resource_tracker.ensure_running()
        forkserver.ensure_running()


class CpuPool:
    """Parses and extracts in a thread, or in worker processes once a poll has volume."""

    def __init__(self, profile: Profile, workers: int, *, min_bytes: int = POOL_MIN_BYTES) -> None:
        self.profile = profile
        self.workers = max(0, workers)
        self.min_bytes = min_bytes
        self._readers: Readers | None = None
        self._readers_lock = threading.Lock()
        self._executor: ProcessPoolExecutor | None = None
        self._starting: asyncio.Event | None = None  # set while a poll starts the pool
        self.tasks_in_processes = 0  # for tests and benchmarks: work done by the pool

    @property
    def readers(self) -> Readers:
        """The thread path's matcher and extractor, built on first use (a poll where every
        feed answers 304 never needs them)."""
        with self._readers_lock:
            if self._readers is None:
                self._readers = Readers.build(self.profile)
            return self._readers

    @readers.setter
    def readers(self, readers: Readers) -> None:
        self._readers = readers

    @property
    def running(self) -> bool:
        return self._executor is not None

    async def engage(self, received_bytes: int) -> bool:
        """Whether work of a poll that will receive about `received_bytes` goes to processes. The
        pool starts in a thread (forking waits for the server to load its modules), so the
        event loop never waits; work arriving meanwhile waits for it."""
        if self.workers == 0:
            return False
        if self._starting is not None:
            await self._starting.wait()  # another feed is starting it: wait, not a thread
        elif self._executor is None and received_bytes >= self.min_bytes:
            self._starting = started = asyncio.Event()
            try:
                self._executor = await asyncio.to_thread(self._start)
            except (OSError, ValueError, RuntimeError, BrokenProcessPool):
                # no processes here (a sandbox, no /dev/shm): read in a thread from now on
                log.info("cannot start worker processes; reading in a thread", exc_info=True)
                self.workers = 0
            finally:
                self._starting = None
                started.set()
        return self._executor is not None

    def _start(self) -> ProcessPoolExecutor:
        executor = ProcessPoolExecutor(
            self.workers, mp_context=_context(), initializer=_init_worker, initargs=(self.profile,)
        )
        try:
            # one task per worker spawns them all now, each building its readers
            for future in [executor.submit(_ready) for _ in range(self.workers)]:
                future.result()
        except BaseException:
            executor.shutdown(wait=False, cancel_futures=True)
            raise
        return executor

    async def parse(
        self, content: bytes, headers: Mapping[str, str], *, in_process: bool, **options: Any
    ) -> ParsedFeed:
        return await self._run(in_process, _parse, content, dict(headers), options)

    async def parse_and_extract(
        self, content: bytes, headers: Mapping[str, str], *, in_process: bool, **options: Any
    ) -> tuple[ParsedFeed, list[list[Claim]]]:
        """Parse, then read every item, in one task: for a document whose items are all new
        (a feed's first read) this saves a round trip and reading the text into words twice."""
        return await self._run(in_process, _parse_and_extract, content, dict(headers), options)

    async def extract(self, items: Sequence[Item], *, in_process: bool) -> list[Claim]:
        return await self._run(in_process, _extract, list(items))

    async def _run(self, in_process: bool, work: Callable[..., Any], *args: Any) -> Any:
        """`work(readers, *args)` in a worker process, or in a thread when the pool is not
        running or breaks under it (the thread builds its readers, ~0.1 s once, off the loop)."""
        executor = self._executor if in_process else None
        if executor is not None:
            loop = asyncio.get_running_loop()
            try:
                result = await loop.run_in_executor(executor, _in_worker, work, *args)
            except BrokenProcessPool:
                log.info("the worker pool broke; reading in a thread instead", exc_info=True)
                self._drop(executor)
            else:
                self.tasks_in_processes += 1
                return result
        return await asyncio.to_thread(self._in_thread, work, *args)

    def _in_thread(self, work: Callable[..., Any], *args: Any) -> Any:
        return work(self.readers, *args)

    def _drop(self, executor: ProcessPoolExecutor) -> None:
        if self._executor is executor:
            self._executor = None
        executor.shutdown(wait=False, cancel_futures=True)

    def close(self, timeout: float = 5.0) -> None:
        """Stop the worker processes (the next big poll starts new ones). Work already in a
        worker gets `timeout` seconds to finish; then the workers are terminated, so closing
        never hangs on a stuck or broken pool."""
        executor, self._executor = self._executor, None
        if executor is None:
            return
        executor.shutdown(wait=False, cancel_futures=True)
        deadline = time.monotonic() + timeout
        for process in multiprocessing.active_children():
            process.join(max(0.0, deadline - time.monotonic()))
            if process.is_alive():
                process.terminate()
                process.join(1.0)
