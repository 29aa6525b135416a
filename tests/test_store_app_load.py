"""The board app on a lazily opened store: it paints from the stored board, loads the rest
in a worker right after mount and redraws; damage found by that load is shown to the user."""

from __future__ import annotations

from pathlib import Path

from sitboard.ingest.model import Filters
from sitboard.store import Store
from sitboard.tui.app import SitboardApp
from test_store_board import fill
from tui_fixtures import NOW, SAMPLE_FEEDS, WATCH, make_app, not_due, profile, settle

SIZE = (160, 48)


class WatchedApp(SitboardApp):
    """The real app, noting its redraws and notifications."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.redraws: list[bool] = []  # was the store loaded at each redraw?
        self.notes: list[tuple[str, str]] = []

    def refresh_board(self) -> None:
        self.redraws.append(self._store.loaded)
        super().refresh_board()

    def notify(self, message, *, title="", severity="information", **kwargs) -> None:  # type: ignore[override]
        self.notes.append((str(message), severity))
        super().notify(message, title=title, severity=severity, **kwargs)


def lazy_store(tmp_path: Path) -> Path:
    db = tmp_path / "board.json"
    fill(db, rounds=2)
    with Store.open(db, profile(), WATCH, clock=lambda: NOW) as store:
        not_due(store, SAMPLE_FEEDS)  # no poll at start-up
    return db


async def test_the_app_paints_the_board_then_loads_the_rest(tmp_path: Path) -> None:
    db = lazy_store(tmp_path)
    store = Store.open(db, profile(), WATCH, clock=lambda: NOW, lazy=True)
    try:
        assert not store.loaded
        app = make_app(store, app_class=WatchedApp)
        assert isinstance(app, WatchedApp)
        async with app.run_test(size=SIZE) as pilot:
            await settle(app)
            await pilot.pause()
            assert store.loaded
            assert app.redraws[0] is False  # the first paint came from the stored board
            assert app.redraws[-1] is True  # redrawn once everything was loaded
            assert not [n for n in app.notes if n[1] == "error"]
        hama = store.view(Filters(cities=frozenset({"hama"})))
        assert hama.headlines
    finally:
        store.close()


async def test_damage_found_by_the_load_is_shown(tmp_path: Path) -> None:
    db = lazy_store(tmp_path)
    bad = db.read_bytes().replace(b'"fetched":"', b'"fetched":"garbage', 1)
    db.write_bytes(bad)
    store = Store.open(db, profile(), WATCH, clock=lambda: NOW, lazy=True)
    try:
        app = make_app(store, app_class=WatchedApp)
        assert isinstance(app, WatchedApp)
        async with app.run_test(size=SIZE) as pilot:
            await settle(app)
            await pilot.pause()
            assert not store.loaded
            errors = [message for message, severity in app.notes if severity == "error"]
            assert errors and "damaged" in errors[0]
    finally:
        store.close()
    assert db.read_bytes() == bad
