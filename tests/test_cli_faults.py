"""The `sitboard` command under faults, run as a real process: killed mid-poll, a damaged
database, a second instance, a read-only folder, a full disk. Each must end in a clear
one-line message and an exit code, never a traceback, and never lose what was stored."""

from __future__ import annotations

import contextlib
import importlib.util
import io
import os
import resource
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import pytest
from sitboard.store import Store

from sitboard.cli import main as cli_main

ROOT = Path(__file__).resolve().parents[1]
KILL_ROUNDS = 30
NOBODY = 65534


def load_bench_kill() -> ModuleType:
    """bench/bench_kill.py: the kill rounds are shared with the benchmark, which runs more."""
    path = ROOT / "bench" / "bench_kill.py"
    spec = importlib.util.spec_from_file_location("bench_kill", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("bench_kill", module)
    spec.loader.exec_module(module)
    return module


KILL = load_bench_kill()
SITBOARD = KILL.sitboard_command()
ENV = dict(os.environ, NO_PROXY="127.0.0.1,localhost", no_proxy="127.0.0.1,localhost")


@dataclass(frozen=True)
class Done:
    returncode: int
    stdout: str
    stderr: str


def run(folder: Path, *args: str, timeout: float = 60) -> Done:
    """The installed `sitboard` command as its own process."""
    done = subprocess.run(
        [*SITBOARD, *args],
        cwd=folder,
        env=ENV,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    return Done(done.returncode, done.stdout, done.stderr)


def forked(folder: Path, *args: str, before: Callable[[], None]) -> Done:
    """sitboard.cli.main in a forked child that first runs `before` (drop privileges, limit
    file sizes): the faults that must not touch this process."""
    code, out, err = KILL.ForkRun(list(args), folder, ENV, before=before).finish()
    return Done(code, out, err)


def call(*args: str) -> Done:
    """sitboard.cli.main in this process (the same code as the command, without the 0.5 s
    start-up of a new interpreter), for the faults that need no process of their own."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli_main(list(args))
    return Done(code, out.getvalue(), err.getvalue())


def assert_clear_failure(done: Done, *needles: str) -> str:
    """Exit code 2, one message starting with `sitboard:`, no traceback."""
    assert done.returncode == 2, (done.returncode, done.stdout, done.stderr)
    assert "Traceback" not in done.stderr, done.stderr
    assert done.stderr.startswith("sitboard: "), done.stderr
    for needle in needles:
        assert needle in done.stderr, (needle, done.stderr)
    return done.stderr


class Board:
    """A folder with a feed file, a feeds.toml and a database path, for CLI runs."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.feed = folder / "live.xml"
        self.feeds = folder / "feeds.toml"
        self.db = folder / "data" / "sitboard.json"
        self.feeds.write_text(
            '[board]\nwatch = ["aleppo", "idlib", "hama"]\n\n'
            '[[feeds]]\nname = "live"\nurl = "live.xml"\n',
            encoding="utf-8",
        )
        self.serve(range(0, 5))

    def serve(self, numbers: range) -> set[str]:
        """Rewrite the feed file with these items; returns their ids."""
        self.feed.write_bytes(KILL.feed_bytes(numbers))
        stamp = time.time() + len(numbers) + numbers.start  # a new mtime: the file changed
        os.utime(self.feed, (stamp, stamp))
        return {KILL.item_id(n) for n in numbers}

    def args(self, command: str, *more: str) -> list[str]:
        return [command, *more, "--feeds", str(self.feeds), "--db", str(self.db)]

    def poll(self, *more: str, before: Callable[[], None] | None = None) -> Done:
        """`sitboard poll --once` in this process, or in a child that runs `before` first."""
        args = self.args("poll", "--once", *more)
        return forked(self.folder, *args, before=before) if before else call(*args)

    def export(self, *more: str, before: Callable[[], None] | None = None) -> Done:
        args = self.args("export", *more)
        return forked(self.folder, *args, before=before) if before else call(*args)

    def stored(self) -> set[str]:
        with Store.open(self.db, None, (), readonly=True) as store:
            return {item.id for item in store.view(headlines=10**6).headlines}


@pytest.fixture
def board(tmp_path: Path) -> Board:
    return Board(tmp_path)


# --- killed at random moments ------------------------------------------------------------------


def test_sigkill_at_random_moments_of_real_polls_loses_nothing_finished(tmp_path: Path) -> None:
    """The same rounds as bench/bench_kill.py (which runs 200+ with the installed command):
    `sitboard poll --once` (sitboard.cli.main in a forked child) killed during start-up,
    fetch, extraction and commit; test_store_atomic.py kills a bare Store.commit loop."""
    summary = KILL.run_rounds(tmp_path, KILL_ROUNDS, seed=20241130, fork=True)
    assert summary.failures == []
    assert summary.rounds == KILL_ROUNDS
    assert summary.finished >= 2  # the calibration rounds, at least
    assert summary.killed >= KILL_ROUNDS // 3, summary.lines()  # the kills did land
    assert summary.confirmed and summary.stored >= len(summary.confirmed)
    # After all that, the CLI still reads the database and can export it.
    done = run(tmp_path, "export", "--feeds", "feeds.toml", "--db", "sitboard.json")
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("kill.example/item/") == min(100, summary.stored)  # 100 shown


# --- a damaged database ------------------------------------------------------------------------


def make_good_db(board: Board) -> tuple[set[str], set[str]]:
    """Two polls: the first stores items 0-4; the second open saves that file as the backup
    and stores 5-7. Returns (ids in the backup, ids in the database)."""
    first = board.serve(range(0, 5))
    assert board.poll().returncode == 0
    second = board.serve(range(0, 8))
    done = board.poll()
    assert done.returncode == 0 and "live: 3 new item(s)" in done.stdout, done.stderr
    assert board.stored() == second
    return first, second


DAMAGE: dict[str, Callable[[bytes], bytes]] = {
    "truncated": lambda raw: raw[: len(raw) // 2],
    "cut-at-the-end": lambda raw: raw[:-1],
    "empty": lambda raw: b"",
    "zeros": lambda raw: bytes(len(raw)),  # what a crash can leave on some filesystems
    "garbage": lambda raw: os.urandom(2048),
    "not-sitboard": lambda raw: b'{"items": {"1": {"id": 1}}}',
}


@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_damaged_database_is_refused_with_the_way_out(board: Board, damage: str) -> None:
    make_good_db(board)
    bad = DAMAGE[damage](board.db.read_bytes())
    board.db.write_bytes(bad)
    before = sorted(p.name for p in board.db.parent.iterdir())
    message = assert_clear_failure(board.poll(), str(board.db), "damaged", "Nothing was changed")
    assert "--restore-backup" in message and "--start-fresh" in message
    assert str(board.db.with_name("sitboard.json.bak")) in message  # there is a good backup
    # `export` opens read-only: it says the same, and repairs nothing either.
    assert_clear_failure(board.export(), "damaged", "--restore-backup")
    assert board.db.read_bytes() == bad
    assert sorted(p.name for p in board.db.parent.iterdir()) == before


def test_restore_backup_keeps_the_damaged_file_and_goes_on(board: Board) -> None:
    in_backup, _ = make_good_db(board)
    damaged = board.db.read_bytes()[:-10]
    board.db.write_bytes(damaged)
    newer = board.serve(range(5, 12))
    done = board.poll("--restore-backup")
    assert done.returncode == 0, done.stderr
    kept = list(board.db.parent.glob("sitboard.json.corrupt-*"))
    assert len(kept) == 1 and kept[0].read_bytes() == damaged
    # The backup's items, and this poll's: the items only the damaged file had came back
    # because the feed still lists them.
    assert board.stored() == in_backup | newer
    assert "live: 7 new item(s)" in done.stdout


def test_start_fresh_keeps_the_damaged_file_and_starts_empty(board: Board) -> None:
    make_good_db(board)
    board.db.write_bytes(b"\x00" * 100)
    latest = board.serve(range(20, 23))
    done = board.poll("--start-fresh")
    assert done.returncode == 0, done.stderr
    [kept] = board.db.parent.glob("sitboard.json.corrupt-*")
    assert kept.read_bytes() == b"\x00" * 100
    assert board.stored() == latest


def test_the_repair_flags_work_before_the_command_too(board: Board) -> None:
    make_good_db(board)
    board.db.write_bytes(b"{")
    done = call("--start-fresh", *board.args("poll", "--once"))
    assert done.returncode == 0, done.stderr
    assert len(list(board.db.parent.glob("sitboard.json.corrupt-*"))) == 1


@pytest.mark.parametrize("flag", ["--restore-backup", "--start-fresh"])
def test_a_repair_says_where_the_damaged_file_went(board: Board, flag: str) -> None:
    make_good_db(board)
    board.db.write_bytes(board.db.read_bytes()[:-10])
    done = board.poll(flag)
    assert done.returncode == 0, done.stderr
    [kept] = board.db.parent.glob("sitboard.json.corrupt-*")
    assert str(kept) in done.stdout + done.stderr


def test_the_damage_is_described_in_plain_words(board: Board) -> None:
    make_good_db(board)
    raw = board.db.read_bytes()
    # Cut just inside a string (on a character boundary: the titles are Arabic).
    board.db.write_bytes(raw[: raw.index(b'"title":"') + len(b'"title":"')])
    message = assert_clear_failure(board.poll(), "not valid JSON")
    assert " at at " not in message


def test_database_path_that_is_a_folder(board: Board) -> None:
    board.db.mkdir(parents=True)
    assert_clear_failure(board.poll(), str(board.db), "is a directory")


# --- a second instance -------------------------------------------------------------------------


@pytest.fixture
def running_poller(board: Board) -> Iterator[subprocess.Popen[str]]:
    """A real, continuous `sitboard poll` holding the database's lock."""
    assert board.poll().returncode == 0
    holder = subprocess.Popen(
        [*SITBOARD, *board.args("poll")],
        cwd=board.folder,
        env=ENV,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    lock = board.db.with_name("sitboard.json.lock")
    for _ in range(300):
        if lock.exists() and lock.read_text().strip() == str(holder.pid):
            break
        assert holder.poll() is None, holder.communicate()
        time.sleep(0.05)
    else:
        holder.kill()
        raise AssertionError("the poller never took the lock")
    try:
        yield holder
    finally:
        if holder.poll() is None:
            holder.send_signal(signal.SIGINT)
            try:
                holder.wait(15)
            except subprocess.TimeoutExpired:
                holder.kill()
                holder.wait(5)
        holder.communicate()


def test_second_poller_is_refused_while_export_still_reads(
    board: Board, running_poller: subprocess.Popen[str]
) -> None:
    stored = board.stored()
    # a process of its own, as a second sitboard would be
    done = run(board.folder, *board.args("poll", "--once"))
    assert_clear_failure(done, "in use by process", str(running_poller.pid), "read-only")
    assert done.stdout == ""
    exported = board.export()
    assert exported.returncode == 0, exported.stderr
    assert exported.stdout.count("kill.example/item/") == len(stored)
    # Ctrl-C ends the holder cleanly and frees the database.
    running_poller.send_signal(signal.SIGINT)
    assert running_poller.wait(15) == 0
    again = board.poll()
    assert again.returncode == 0, again.stderr


def tmux_available() -> bool:
    return shutil.which("tmux") is not None


def board_in_tmux(board: Board, wait_for: str, prefix: Sequence[str] = ()) -> tuple[str, str]:
    """The installed board (`sitboard --feeds … --db …`, after `prefix`) in a tmux of its own;
    waits until `wait_for` is on screen or the process has ended, presses q, and returns
    (the screen as it was, the exit status, or what the screen shows if it never ended)."""
    socket = f"sitboard-faults-{os.getpid()}-{time.monotonic_ns()}"
    tmux = ["tmux", "-u", "-L", socket, "-f", os.devnull]
    env = dict(ENV, TERM="xterm-256color", LANG="C.UTF-8")
    env.pop("TMUX", None)
    command = [*prefix, *SITBOARD, "--bidi", "off", "--feeds", str(board.feeds)]
    # The shell writes the exit status down (tmux's own can be missing when the terminal
    # closes before the process is reaped).
    exit_file = board.folder / f"exit-{time.monotonic_ns()}"
    shell = f"{shlex.join([*command, '--db', str(board.db)])}; echo $? > {exit_file}"

    def tmux_run(*args: str) -> str:
        return subprocess.run(
            [*tmux, *args], capture_output=True, text=True, env=env, timeout=20, check=False
        ).stdout

    tmux_run("new-session", "-d", "-x", "140", "-y", "40", "-s", "b", shell,
             ";", "set-option", "-g", "remain-on-exit", "on")  # fmt: skip
    try:
        screen = ""
        for _ in range(200):
            screen = tmux_run("capture-pane", "-p", "-t", "b")
            if wait_for in screen or exit_file.exists():
                break
            time.sleep(0.1)
        time.sleep(0.2)
        screen = tmux_run("capture-pane", "-p", "-t", "b")
        tmux_run("send-keys", "-t", "b", "q")
        for _ in range(200):
            if exit_file.exists() and exit_file.read_text().strip():
                return screen, exit_file.read_text().strip()
            time.sleep(0.1)
        return screen, "still running:\n" + tmux_run("capture-pane", "-p", "-t", "b")
    finally:
        tmux_run("kill-server")


@pytest.mark.skipif(not tmux_available(), reason="tmux is not installed")
def test_board_opens_read_only_while_another_process_writes(
    board: Board, running_poller: subprocess.Popen[str]
) -> None:
    screen, status = board_in_tmux(board, wait_for="read-only: another")
    assert "read-only: another sitboard is writing" in screen, screen
    assert "Control status" in screen and "Latest headlines" in screen
    assert status == "0"


# --- a read-only folder and a full disk --------------------------------------------------------


@pytest.fixture
def nobody_board() -> Iterator[Board]:
    """A board in a folder owned by an unprivileged user, since root ignores permissions."""
    folder = Path(tempfile.mkdtemp(prefix="sitboard-faults-"))
    os.chmod(folder, 0o755)
    try:
        made = Board(folder)
        if os.geteuid() == 0:
            for path in (folder, made.feed, made.feeds):
                os.chown(path, NOBODY, NOBODY)
        yield made
    finally:
        for path in folder.rglob("*"):
            if path.is_dir():
                os.chmod(path, 0o755)
        shutil.rmtree(folder, ignore_errors=True)


def as_nobody() -> None:
    if os.geteuid() == 0:
        os.setgid(NOBODY)
        os.setuid(NOBODY)


def test_read_only_folder_without_a_database(nobody_board: Board) -> None:
    board = nobody_board
    board.db.parent.mkdir()
    if os.geteuid() == 0:
        os.chown(board.db.parent, NOBODY, NOBODY)
    os.chmod(board.db.parent, 0o555)
    assert_clear_failure(board.poll(before=as_nobody), "cannot create the lock file", "writable")
    assert list(board.db.parent.iterdir()) == []


def test_read_only_folder_with_a_database(nobody_board: Board) -> None:
    board = nobody_board
    first = board.poll(before=as_nobody)
    assert first.returncode == 0, first.stderr
    before = board.db.read_bytes()
    board.serve(range(5, 9))
    os.chmod(board.db.parent, 0o555)
    done = board.poll(before=as_nobody)
    assert_clear_failure(done, "cannot write the database", "no permission", str(board.db.parent))
    assert board.db.read_bytes() == before
    assert done.stdout == ""  # nothing was reported stored
    exported = board.export(before=as_nobody)  # looking still works
    assert exported.returncode == 0, exported.stderr
    assert exported.stdout.count("kill.example/item/") == 5
    os.chmod(board.db.parent, 0o755)
    again = board.poll(before=as_nobody)
    assert again.returncode == 0 and "live: 4 new item(s)" in again.stdout, again.stderr


def limit_file_size(limit: int) -> Callable[[], None]:
    """A child that cannot write files past `limit` bytes: its writes fail part-way, as on a
    full disk (EFBIG rather than ENOSPC; the same path in the store)."""

    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, resource.RLIM_INFINITY))

    return apply


def test_full_disk_during_the_commit(board: Board) -> None:
    assert board.poll().returncode == 0
    before = board.db.read_bytes()
    newer = board.serve(range(0, 60))
    done = board.poll(before=limit_file_size(len(before) + 2000))
    assert_clear_failure(done, "cannot write the database", str(board.db))
    assert done.stdout == ""
    assert board.db.read_bytes() == before  # the old file, whole
    assert not [p for p in board.db.parent.iterdir() if p.name.endswith(".tmp")]
    again = board.poll()  # room again: the same items are stored, none lost, none twice
    assert again.returncode == 0, again.stderr
    assert board.stored() == newer


def test_full_disk_when_creating_the_database(board: Board) -> None:
    done = board.poll(before=limit_file_size(10))
    assert_clear_failure(done, "cannot write the database")
    assert not board.db.exists() or board.db.stat().st_size == 0


def no_root_override() -> list[str]:
    """A command prefix that makes root obey file permissions (setpriv drops the capabilities
    that bypass them); nothing for other users. Skips when root has no setpriv."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: permissions cannot be tested")
    return [setpriv, "--bounding-set=-dac_override,-dac_read_search,-fowner"]


@pytest.mark.skipif(not tmux_available(), reason="tmux is not installed")
def test_the_board_bound_by_permissions_in_a_writable_folder(board: Board) -> None:
    """The runner of the next test, where nothing is wrong: the board opens and q ends it."""
    assert board.poll().returncode == 0
    screen, status = board_in_tmux(board, "Latest headlines", no_root_override())
    assert "Control status" in screen and "Latest headlines" in screen
    assert "read-only" not in screen
    assert status == "0"


@pytest.mark.skipif(not tmux_available(), reason="tmux is not installed")
def test_the_board_opens_read_only_in_a_read_only_folder(board: Board) -> None:
    assert board.poll().returncode == 0
    board.db.with_name("sitboard.json.lock").unlink()
    os.chmod(board.db.parent, 0o555)
    try:
        screen, status = board_in_tmux(board, "Latest headlines", no_root_override())
    finally:
        os.chmod(board.db.parent, 0o755)
    assert "cannot create the lock file" not in screen, screen
    assert "Latest headlines" in screen and "read-only" in screen, screen
    assert status == "0"


@pytest.mark.parametrize("where", ["missing-folder", "a-folder"])
def test_export_to_a_place_it_cannot_write(board: Board, where: str) -> None:
    assert board.poll().returncode == 0
    target = board.folder / "no" / "such" / "x.md" if where == "missing-folder" else board.folder
    assert_clear_failure(board.export("-o", str(target)), str(target))
