"""End to end in a real terminal: the installed `sitboard --demo` inside tmux, driven by keys,
read back with capture-pane after every step, as a person at the terminal would see it."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sitboard.tui.bidi import truncate_line

from sitboard.demo import DemoReplay

TMUX = shutil.which("tmux")
SITBOARD = shutil.which("sitboard") or str(Path(sys.executable).with_name("sitboard"))
WIDTH, HEIGHT = 140, 40
SEARCH = "حماة"  # Hama

pytestmark = pytest.mark.skipif(TMUX is None, reason="tmux is not installed")


class Terminal:
    """One tmux server of our own (its own socket), one session, one pane."""

    def __init__(self, folder: Path) -> None:
        self.socket = f"sitboard-e2e-{os.getpid()}-{time.monotonic_ns()}"
        self.folder = folder
        self.env = dict(os.environ, LANG="C.UTF-8", LC_ALL="C.UTF-8")
        self.env.pop("TMUX", None)

    def tmux(self, *args: str, check: bool = True) -> str:
        done = subprocess.run(
            [TMUX or "tmux", "-u", "-L", self.socket, "-f", os.devnull, *args],
            capture_output=True,
            text=True,
            env=self.env,
            timeout=20,
            check=False,
        )
        if check and done.returncode != 0:
            raise AssertionError(f"tmux {args[0]}: {done.stderr}")
        return done.stdout

    def start(self, command: list[str]) -> None:
        # The shell writes the exit status down (tmux's own can be missing when the terminal
        # closes before the process is reaped).
        self.exit_file = self.folder / "exit-status"
        shell = (
            f"cd {shlex.quote(str(self.folder))} && {shlex.join(command)}; "
            f"echo $? > {shlex.quote(str(self.exit_file))}"
        )
        self.tmux(
            "new-session", "-d", "-s", "board", "-x", str(WIDTH), "-y", str(HEIGHT), shell,
            ";", "set-option", "-g", "remain-on-exit", "on",
        )  # fmt: skip

    def keys(self, *keys: str, literal: bool = False) -> None:
        self.tmux("send-keys", "-t", "board", *(["-l"] if literal else []), *keys)

    def screen(self) -> list[str]:
        return self.tmux("capture-pane", "-p", "-t", "board").splitlines()

    def wait_for(
        self, what: str, check: Callable[[list[str]], bool], timeout: float = 15
    ) -> list[str]:
        deadline = time.monotonic() + timeout
        lines: list[str] = []
        while time.monotonic() < deadline:
            lines = self.screen()
            if check(lines):
                return lines
            time.sleep(0.1)
        raise AssertionError(f"waited for {what}; the screen shows:\n" + "\n".join(lines))

    def wait_text(self, *needles: str, timeout: float = 15) -> list[str]:
        return self.wait_for(
            " and ".join(map(repr, needles)),
            lambda lines: all(n in "\n".join(lines) for n in needles),
            timeout,
        )

    def stop(self) -> None:
        self.tmux("kill-server", check=False)


@pytest.fixture
def terminal() -> Iterator[Terminal]:
    # A short folder: the export notice shows the file's full path on one line.
    folder = Path(tempfile.mkdtemp(prefix="sb-"))
    term = Terminal(folder)
    try:
        yield term
    finally:
        term.stop()
        shutil.rmtree(folder, ignore_errors=True)


def header(lines: list[str]) -> str:
    return lines[0]


def test_the_demo_board_in_a_real_terminal(terminal: Terminal) -> None:
    feeds = [feed.name for feed in DemoReplay(terminal.folder / "probe").config().feeds]
    terminal.start([SITBOARD, "--demo", "--demo-seconds", "20", "--bidi", "on"])

    # The board: header, three titled panes, the watched cities, a first poll.
    lines = terminal.wait_text("Control status", "Claims by source", "Latest headlines")
    lines = terminal.wait_for("a first poll", lambda ls: "last poll" in header(ls))
    assert "sitboard" in header(lines) and "bidi on" in header(lines)
    text = "\n".join(lines)
    for city in ("Aleppo", "Idlib", "Hama"):
        assert re.search(rf"│\s+{city}\s", text), city
    assert "q Quit" in lines[-1] and "e Export" in lines[-1]

    # c: the city picker; enter picks the first city; the board narrows to it.
    terminal.keys("c")
    lines = terminal.wait_text("Filter by city")
    first = next(line for line in lines if "▊   " in line)
    picked = re.search(r"▊\s+([A-Z][A-Za-z' -]+?)\s", first)
    assert picked, first
    city = picked.group(1)
    terminal.keys("Enter")
    lines = terminal.wait_for("the city filter", lambda ls: f"filter: city {city}" in header(ls))
    assert "Filter by city" not in "\n".join(lines)
    shown = [c for c in ("Aleppo", "Idlib", "Hama") if re.search(rf"│\s+{c}\s", "\n".join(lines))]
    assert shown in ([city], []), shown  # only the picked city's row (none if not watched)

    # escape clears the filter.
    terminal.keys("Escape")
    lines = terminal.wait_for("no filter", lambda ls: "filter:" not in header(ls))
    assert re.search(r"│\s+Idlib\s", "\n".join(lines))

    # s: the source picker, closed again with escape.
    terminal.keys("s")
    lines = terminal.wait_text("Filter by source")
    assert "(who says it)" in "\n".join(lines) or "(outlet)" in "\n".join(lines)
    terminal.keys("Escape")
    terminal.wait_for("the picker to close", lambda ls: "Filter by source" not in "\n".join(ls))

    # /: search for Hama in Arabic; the header shows it, escape clears it.
    terminal.keys("/")
    terminal.wait_text("Search headlines and claims")
    terminal.keys(SEARCH, literal=True)
    terminal.keys("Enter")
    shaped = truncate_line(SEARCH, 24, "on", align=False).strip()
    lines = terminal.wait_for("the search filter", lambda ls: "filter: “" in header(ls))
    assert shaped in header(lines), (shaped, header(lines))
    terminal.keys("Escape")
    terminal.wait_for("no filter", lambda ls: "filter:" not in header(ls))

    # e: export; the notice names the file, which is in the working folder.
    terminal.keys("e")
    lines = terminal.wait_text("Exported to")
    [exported] = terminal.folder.glob("sitboard-*.md")
    assert str(exported) in "\n".join(lines)
    assert exported.read_text(encoding="utf-8").startswith("# sitboard snapshot")

    # f: the feed screen lists the demo's feeds; escape goes back.
    terminal.keys("f")
    lines = terminal.wait_text(*feeds[:3])
    terminal.keys("Escape")
    terminal.wait_for("the board", lambda ls: not any(f in "\n".join(ls) for f in feeds[:3]))

    # ?: help lists the keys; escape goes back.
    terminal.keys("?")
    terminal.wait_text("Poll now", "Export", "disputed", "every action above")
    terminal.keys("Escape")
    terminal.wait_for("the help to close", lambda ls: "every action above" not in "\n".join(ls))

    # q: the process ends, with exit status 0.
    terminal.keys("q")
    for _ in range(150):
        if terminal.exit_file.exists() and terminal.exit_file.read_text().strip():
            break
        time.sleep(0.1)
    assert terminal.exit_file.read_text().strip() == "0"
