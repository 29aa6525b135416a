"""MapScreen: the map of the profile's places, coloured by who holds each, beside a short list of
the watched cities; kept current by `reload()`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from sitboard.ingest.model import CityStatus, Filters
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Footer, Header, Static

from .bidi import Mode, truncate_line
from .display import short_time, state_text
from .live import LiveScreen
from .map_view import MapWidget

if TYPE_CHECKING:
    from sitboard.ingest.profile import Profile
    from sitboard.store import Store

SIDE_WIDTH = 30


class MapScreen(LiveScreen):
    """Every place of the profile on a map; the watched ones listed at the side."""

    DEFAULT_CSS = """
    MapScreen #map-body {
        height: 1fr;
    }
    MapScreen MapWidget {
        width: 1fr;
        padding: 0 1;
    }
    MapScreen #map-side {
        width: 30;
        height: 1fr;
        padding: 0 1;
        border-left: vkey $primary 50%;
    }
    """

    def __init__(self, store: Store, profile: Profile, mode: Mode) -> None:
        super().__init__(store, profile, mode)
        self.statuses: tuple[CityStatus, ...] = ()

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="map-body"):
            yield MapWidget(self.profile, self.store.watch, id="map")
            yield Static(id="map-side", markup=False)
        yield Footer()

    def reload(self) -> None:
        self.title = "Map"
        self.sub_title = "who holds each place, by the claims so far"
        everywhere = Filters(cities=frozenset(self.profile.places))
        view = self.store.view(everywhere, headlines=0, claims_per_source=0)
        self.statuses = view.status
        self.query_one(MapWidget).show(view.status, self.store.watch)
        self.query_one("#map-side", Static).update(self._side(view.status))

    def _side(self, statuses: tuple[CityStatus, ...]) -> Text:
        by_city = {s.city: s for s in statuses}
        text = Text()
        text.append("Watched cities\n", "bold")
        for city in self.store.watch:
            place = self.profile.places.get(city)
            status = by_city.get(city)
            text.append("\n")
            text.append(place.en if place else city, "bold")
            if place is not None:
                text.append("  ")
                text.append(truncate_line(place.ar, 12, self.mode, align=False))
            text.append("\n  ")
            state = status.state if status is not None else "unknown"
            text.append_text(state_text(self.profile, state))
            if status is not None and status.since is not None and state != "unknown":
                text.append(f"\n  since {short_time(status.since)} UTC", "dim")
            if status is not None and status.disputed:
                text.append("\n  ")
                text.append("⚠ disputed", "bold yellow")
        held = [s for s in statuses if s.city not in self.store.watch and s.state != "unknown"]
        if held:
            text.append("\n\nOther places with claims\n", "bold")
            for status in held:
                text.append("\n")
                text.append(self.profile.place_name(status.city))
                text.append("  ")
                text.append_text(state_text(self.profile, status.state))
        return text
