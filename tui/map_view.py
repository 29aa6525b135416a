"""A schematic map: the profile's places on a character grid, placed by latitude and longitude,
each a marker coloured by the party that holds it, watched cities emphasised, with a legend.

`layout()` is pure (places and a size in, markers out) so positions can be tested on their own;
`MapWidget` draws the layout for its size and redraws when `show()` gives it new statuses.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

from rich.style import Style
from rich.text import Text
from sitboard.ingest.model import CityStatus
from sitboard.ingest.profile import Place, Profile
from textual.widget import Widget

from .display import NEUTRAL_STATE_STYLE

WATCHED = "◉"
CITY = "●"
TOWN = "•"
UNKNOWN = "○"
LEGEND_LINES = 2
CELL_ASPECT = 2.0  # a terminal cell is about twice as tall as it is wide


@dataclass(frozen=True, slots=True)
class Marker:
    """Where one place is drawn: marker cell (x, y) and its label starting at label_x (or
    no label, label_x = -1, when there is no free room beside the marker)."""

    place: str
    x: int
    y: int
    label: str
    label_x: int
    watched: bool


def layout(
    places: Sequence[Place], width: int, height: int, watch: Collection[str] = ()
) -> dict[str, Marker]:
    """Markers for `places` on a width × height grid, north up, east right.

    Longitude is scaled by the cosine of the middle latitude and rows count double, so the
    picture keeps its proportions; it is centred in the grid. Two places that fall on one cell
    are moved apart. Labels go right of the marker, else left, else are left out; watched
    places choose first.
    """
    if not places or width < 3 or height < 1:
        return {}
    mid = math.radians((min(p.lat for p in places) + max(p.lat for p in places)) / 2)
    xs = {p.id: p.lon * math.cos(mid) for p in places}
    ys = {p.id: p.lat for p in places}
    span_x = max(xs.values()) - min(xs.values())
    span_y = max(ys.values()) - min(ys.values())
    inner_w, inner_h = width - 3, height - 1
    candidates = []
    if span_x > 0:
        candidates.append(inner_w / span_x)
    if span_y > 0:
        candidates.append(inner_h * CELL_ASPECT / span_y)
    scale = min(candidates) if candidates else 1.0
    used_w, used_h = span_x * scale, span_y * scale / CELL_ASPECT
    left = 1 + (inner_w - used_w) / 2
    top = (inner_h - used_h) / 2
    order = sorted(places, key=lambda p: (p.id not in watch, p.kind != "city", p.id))
    taken: set[tuple[int, int]] = set()
    cells: dict[str, tuple[int, int]] = {}
    for place in order:
        x = round(left + (xs[place.id] - min(xs.values())) * scale)
        y = round(top + (max(ys.values()) - ys[place.id]) * scale / CELL_ASPECT)
        cells[place.id] = _free_cell(x, y, width, height, taken)
        taken.add(cells[place.id])
    markers: dict[str, Marker] = {}
    for place in order:
        x, y = cells[place.id]
        label = place.en
        label_x = -1
        right = range(x + 2, x + 2 + len(label))
        leftward = range(x - 1 - len(label), x - 1)
        for option in (right, leftward):
            if option.start >= 0 and option.stop <= width and _free(option, y, taken):
                label_x = option.start
                # the label and a space around it are taken
                taken.update((c, y) for c in range(option.start - 1, option.stop + 1))
                break
        markers[place.id] = Marker(place.id, x, y, label, label_x, place.id in watch)
    return markers


def _free(columns: range, y: int, taken: set[tuple[int, int]]) -> bool:
    return all((c, y) not in taken for c in range(columns.start - 1, columns.stop + 1))


def _free_cell(
    x: int, y: int, width: int, height: int, taken: set[tuple[int, int]]
) -> tuple[int, int]:
    x = min(max(x, 0), width - 1)
    y = min(max(y, 0), height - 1)
    for radius in range(0, max(width, height)):
        for dy in range(-radius, radius + 1):
            for dx in range(-radius, radius + 1):
                if max(abs(dx), abs(dy)) != radius:
                    continue
                cell = (x + dx, y + dy)
                if 0 <= cell[0] < width and 0 <= cell[1] < height and cell not in taken:
                    return cell
    return x, y


def state_style(profile: Profile, state: str) -> str:
    party = profile.parties.get(state)
    if party is not None:
        return party.color
    return NEUTRAL_STATE_STYLE.get(state, "")


class MapWidget(Widget):
    """The map of `profile`'s places; `show(statuses)` recolours it."""

    DEFAULT_CSS = """
    MapWidget {
        height: 1fr;
        min-height: 8;
        text-wrap: nowrap;
        text-overflow: clip;
    }
    """

    def __init__(
        self,
        profile: Profile,
        watch: Collection[str] = (),
        *,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.profile = profile
        self.watch = tuple(watch)
        self._states: dict[str, CityStatus] = {}
        self.selected: str | None = None
        self._cache: tuple[tuple[int, int], dict[str, Marker]] | None = None

    def show(self, statuses: Iterable[CityStatus], watch: Collection[str] | None = None) -> None:
        """Colour each place by its resolved state (places not given stay unknown)."""
        if watch is not None and tuple(watch) != self.watch:
            self.watch = tuple(watch)
            self._cache = None
        self._states = {s.city: s for s in statuses}
        self.refresh()

    def select(self, place: str | None) -> None:
        """Show `place`'s label reversed (the city chosen beside the map)."""
        if place != self.selected:
            self.selected = place
            self.refresh()

    def state(self, place: str) -> CityStatus | None:
        return self._states.get(place)

    def markers(self, width: int | None = None, height: int | None = None) -> dict[str, Marker]:
        """The layout for a size (the widget's own by default), legend lines excluded."""
        size = (
            width if width is not None else self.content_size.width,
            (height if height is not None else self.content_size.height) - LEGEND_LINES,
        )
        if self._cache is None or self._cache[0] != size:
            places = list(self.profile.places.values())
            self._cache = (size, layout(places, size[0], size[1], self.watch))
        return self._cache[1]

    def render(self) -> Text:
        width, height = self.content_size.width, self.content_size.height
        rows = max(0, height - LEGEND_LINES)
        grid: list[list[tuple[str, Style | str]]] = [[(" ", "")] * width for _ in range(rows)]
        for marker in self.markers().values():
            if not (0 <= marker.y < rows):
                continue
            status = self._states.get(marker.place)
            state = status.state if status is not None else "unknown"
            colour = state_style(self.profile, state)
            glyph = self._glyph(marker, state)
            style = f"bold {colour}" if marker.watched else colour
            grid[marker.y][marker.x] = (glyph, style)
            if marker.label_x >= 0:
                label = marker.label + ("⚠" if status is not None and status.disputed else "")
                label_style = f"bold underline {colour}" if marker.watched else f"{colour} dim"
                if marker.place == self.selected:
                    label_style = f"bold reverse {colour}"
                for n, ch in enumerate(label):
                    if marker.label_x + n < width:
                        grid[marker.y][marker.label_x + n] = (ch, label_style)
        text = Text(no_wrap=True, overflow="crop")
        for n, row in enumerate(grid):
            if n:
                text.append("\n")
            for ch, style in row:
                text.append(ch, style)
        if rows:
            text.append("\n")
        text.append_text(self.legend())
        return text

    def _glyph(self, marker: Marker, state: str) -> str:
        if marker.watched:
            return WATCHED
        if state == "unknown":
            return UNKNOWN
        place = self.profile.places.get(marker.place)
        return CITY if place is not None and place.kind == "city" else TOWN

    def legend(self) -> Text:
        """Two lines: what each colour means, then what each glyph means."""
        text = Text(no_wrap=True, overflow="ellipsis")
        for party in self.profile.parties.values():
            text.append(f"{CITY} ", party.color)
            text.append(f"{party.en}   ")
        text.append(f"{CITY} ", NEUTRAL_STATE_STYLE["contested"])
        text.append("contested   ")
        text.append(f"{UNKNOWN} ", NEUTRAL_STATE_STYLE["unknown"])
        text.append("unknown\n")
        text.append(f"{WATCHED} watched city   {CITY} city   {TOWN} town   ⚠ disputed", "dim")
        return text
