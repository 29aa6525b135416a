"""Snapshots of the board for layout regressions (not for judging RTL: see research B.3 #11).

The clock is fixed and the sample feeds are not due, so nothing polls while the picture is taken.
Regenerate with `pytest tests/test_tui_snapshots.py --snapshot-update` after looking at the
report, when the screen changes on purpose.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from sitboard.tui.app import SitboardApp
from sitboard.tui.headlines_pane import HeadlinesTable
from sitboard.tui.status_pane import StatusTable
from textual.pilot import Pilot
from textual.widgets import DataTable
from tui_fixtures import make_app, open_store, sample_results

SIZE = (120, 40)
SnapCompare = Callable[..., bool]


def test_board_with_data_bidi_on(snap_compare: SnapCompare, tmp_path: Path) -> None:
    app = make_app(open_store(tmp_path, sample_results()), bidi="on")
    assert snap_compare(app, terminal_size=SIZE)


def test_board_with_data_bidi_off(snap_compare: SnapCompare, tmp_path: Path) -> None:
    app = make_app(open_store(tmp_path, sample_results()), bidi="off")
    assert snap_compare(app, terminal_size=SIZE)


def test_empty_board_bidi_on(snap_compare: SnapCompare, tmp_path: Path) -> None:
    app = make_app(open_store(tmp_path), feeds=(), bidi="on")
    assert snap_compare(app, terminal_size=SIZE)


def test_empty_board_bidi_off(snap_compare: SnapCompare, tmp_path: Path) -> None:
    app = make_app(open_store(tmp_path), feeds=(), bidi="off")
    assert snap_compare(app, terminal_size=SIZE)


def test_city_picker(snap_compare: SnapCompare, tmp_path: Path) -> None:
    app = make_app(open_store(tmp_path, sample_results()), bidi="on")
    assert snap_compare(app, press=["c"], terminal_size=SIZE)


def test_feed_status_screen(snap_compare: SnapCompare, tmp_path: Path) -> None:
    app = make_app(open_store(tmp_path, sample_results()), bidi="on")
    assert snap_compare(app, press=["f"], terminal_size=SIZE)


def test_feed_status_screen_bidi_off(snap_compare: SnapCompare, tmp_path: Path) -> None:
    app = make_app(open_store(tmp_path, sample_results()), bidi="off")
    assert snap_compare(app, press=["f"], terminal_size=SIZE)


def _enter_on(
    table: type[DataTable | HeadlinesTable], key: str
) -> Callable[[Pilot], Awaitable[None]]:
    async def run_before(pilot: Pilot) -> None:
        widget = pilot.app.query_one(table)
        widget.focus()
        widget.move_cursor(row=widget.get_row_index(key))
        await pilot.press("enter")
        await pilot.pause()

    return run_before


async def _press_m(pilot: Pilot) -> None:
    await pilot.press("m")
    await pilot.pause()


VIEWS = {
    "item": _enter_on(HeadlinesTable, "item-1"),  # Enter on a headline
    "city": _enter_on(StatusTable, "hama"),  # Enter on a city
    "map": _press_m,
}


@pytest.mark.parametrize("mode", ["on", "off"])
@pytest.mark.parametrize("view", sorted(VIEWS))
def test_view_opened_from_the_board(
    snap_compare: SnapCompare, tmp_path: Path, view: str, mode: str
) -> None:
    """The item, city and map screens as the board opens them: its footer keys included."""
    app: SitboardApp = make_app(open_store(tmp_path, sample_results()), bidi=mode)
    assert snap_compare(app, run_before=VIEWS[view], terminal_size=SIZE)
