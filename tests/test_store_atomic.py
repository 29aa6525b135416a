"""Crash safety: a writer killed with SIGKILL at random moments never leaves a damaged file,
and every commit that returned before the kill is in the file afterwards."""

from __future__ import annotations

import multiprocessing
import os
import random
import signal
import time
from pathlib import Path

from sitboard.store import Store
from test_store_support import WATCH, claim, item, result

ROUNDS = 20
PER_COMMIT = 25


def writer(db: str, start: int, conn) -> None:
    """Commit batches forever, reporting each batch's ids after its commit returned."""
    store = Store.open(db, None, WATCH)
    conn.send(("ready", []))
    n = start
    while True:
        items = [
            item(k, minutes=120 * k, text="قالت مصادر ميدانية إن الاشتباكات مستمرة " * 4)
            for k in range(n, n + PER_COMMIT)
        ]
        report = store.commit([result(items, [claim(i) for i in items])])
        assert report.new_items == PER_COMMIT
        conn.send(("committed", [i.id for i in items]))
        n += PER_COMMIT


def test_sigkill_during_commits_never_loses_a_finished_commit(tmp_path: Path) -> None:
    db = tmp_path / "db.json"
    ctx = multiprocessing.get_context("fork")
    rng = random.Random(20241205)
    committed: set[str] = set()
    mid_write = 0
    for round_ in range(ROUNDS):
        parent, child = ctx.Pipe(duplex=False)
        proc = ctx.Process(target=writer, args=(str(db), round_ * 100_000, child))
        proc.start()
        child.close()
        assert parent.recv()[0] == "ready"
        time.sleep(rng.uniform(0.0, 0.15))
        os.kill(proc.pid, signal.SIGKILL)
        proc.join(10)
        assert proc.exitcode == -signal.SIGKILL
        while parent.poll():
            try:
                kind, ids = parent.recv()
            except EOFError:
                break
            if kind == "committed":
                committed.update(ids)
        parent.close()
        if any(p.name.endswith(".tmp") for p in tmp_path.iterdir()):
            mid_write += 1  # killed between creating the temporary file and the rename
        # Opens without StoreCorrupt (and without the dead writer's lock), and holds
        # every item a finished commit reported.
        with Store.open(db, None, WATCH) as store:
            missing = [i for i in committed if not store.seen(i)]
            assert missing == []
            assert store.counts()["claims"] == store.counts()["items"]
        assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    assert len(committed) >= PER_COMMIT  # the writer got work done between kills
    assert mid_write >= 1  # and some kills did land in the middle of a write
