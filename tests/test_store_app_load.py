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


async def test_a_picker_asked_for_during_the_load_opens_when_it_is_done(tmp_path: Path) -> None:
    from sitboard.tui.picker_screen import PickerScreen

    db = lazy_store(tmp_path)
    store = Store.open(db, profile(), WATCH, clock=lambda: NOW, lazy=True)
    try:
        app = make_app(store, app_class=WatchedApp)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("c")  # at once: the load may still be running
            await settle(app)
            await pilot.pause()
            assert store.loaded
            assert isinstance(app.screen, PickerScreen)
            counts = {choice[0]: choice[2] for choice in app.screen._choices}
            assert {city: n for city, n in counts.items() if n} == dict(store.city_counts())
            assert counts["hama"] > 0
    finally:
        store.close()


async def test_the_board_answers_keys_while_a_failed_load_cannot_give_a_picker(
    tmp_path: Path,
) -> None:
    from sitboard.tui.help_screen import HelpScreen

    db = lazy_store(tmp_path)
    db.write_bytes(db.read_bytes().replace(b'"fetched":"', b'"fetched":"garbage', 1))
    store = Store.open(db, profile(), WATCH, clock=lambda: NOW, lazy=True)
    try:
        app = make_app(store, app_class=WatchedApp)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("c", "s")  # these need every item: never the UI thread's wait
            await settle(app)
            await pilot.pause()
            assert not store.loaded
            assert len(app.screen_stack) == 1  # no picker from a store that cannot load
            assert any("still loading" in message for message, _ in app.notes)
            await pilot.press("question_mark")
            await pilot.pause()
            assert isinstance(app.screen, HelpScreen)  # the board still answers
    finally:
        store.close()
