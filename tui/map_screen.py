"""MapScreen: the map of the profile's places, coloured by who holds each, beside a short list of
the watched cities; kept current by `reload()`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from sitboard.ingest.model import CityStatus, Filters
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from .bidi import Mode, truncate_line
from .display import short_time, state_text
from .highlight import Highlighter
from .live import LiveScreen, OpenCity
from .map_view import MapWidget
from .option_lists import TwoClickOptionList

if TYPE_CHECKING:
    from sitboard.ingest.profile import Profile
    from sitboard.store import Store


class MapScreen(LiveScreen):
    """Every place of the profile on a map; the watched ones listed at the side, where Enter
    opens a city's story."""

    DEFAULT_CSS = """
    MapScreen #map-body {
        height: 1fr;
    }
    MapScreen MapWidget {
        width: 1fr;
        padding: 0 1;
    }
    MapScreen #map-side-box {
        width: 32;
        height: 1fr;
        border-left: vkey $primary 50%;
    }
    MapScreen #map-side-title {
        color: $text-accent;
        text-style: bold;
        padding: 0 1;
    }
    MapScreen #map-side {
        height: 1fr;
        border: none;
    }
    """

    def __init__(
        self, store: Store, profile: Profile, mode: Mode, *, highlighter: Highlighter | None = None
    ) -> None:
        super().__init__(store, profile, mode, highlighter=highlighter)
        self.statuses: tuple[CityStatus, ...] = ()
        self._shown: object = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="map-body"):
            yield MapWidget(self.profile, self.store.watch, id="map")
            with Vertical(id="map-side-box"):
                yield Static("Cities · enter: story", id="map-side-title", markup=False)
                yield TwoClickOptionList(id="map-side", markup=False)
        yield Footer()

    def draw(self) -> None:
        self.title = "Map"
        self.sub_title = "who holds each place, by the claims so far"
        everywhere = Filters(cities=frozenset(self.profile.places))
        view = self.store.view(everywhere, headlines=0, claims_per_source=0)
        self.statuses = view.status
        shown = (view.status, self.mode)
        if shown == self._shown:
            return  # nothing new: keep the list's highlight and scroll as they are
        self._shown = shown
        self.query_one(MapWidget).show(view.status, self.store.watch)
        side = self.query_one("#map-side", OptionList)
        highlighted = side.highlighted
        side.set_options(self._side(view.status))
        if side.option_count:
            side.highlighted = min(highlighted or 0, side.option_count - 1)

    def _side(self, statuses: tuple[CityStatus, ...]) -> list[Option]:
        """One option per watched city, then one per other place with claims; Enter opens
        the city's story."""
        by_city = {s.city: s for s in statuses}
        options: list[Option] = []
        for city in self.store.watch:
            place = self.profile.places.get(city)
            status = by_city.get(city)
            text = Text()
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
            options.append(Option(text, id=city))
        held = [s for s in statuses if s.city not in self.store.watch and s.state != "unknown"]
        for status in held:
            text = Text(self.profile.place_name(status.city))
            text.append("  ")
            text.append_text(state_text(self.profile, status.state))
            options.append(Option(text, id=status.city))
        return options

    @on(OptionList.OptionHighlighted, "#map-side")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self.query_one(MapWidget).select(event.option.id)

    @on(OptionList.OptionSelected, "#map-side")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.post_message(OpenCity(event.option.id))
