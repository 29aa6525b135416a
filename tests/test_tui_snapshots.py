"""Snapshots of the board for layout regressions (not for judging RTL: see research B.3 #11).

The clock is fixed and the sample feeds are not due, so nothing polls while the picture is taken.
Regenerate with `pytest tests/test_tui_snapshots.py --snapshot-update` after looking at the
report, when the screen changes on purpose.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

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
