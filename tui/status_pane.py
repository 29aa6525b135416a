"""The control-status pane: one row per watched city."""

from __future__ import annotations

from rich.text import Text
from sitboard.ingest.model import CityStatus, Claim
from sitboard.ingest.profile import Profile
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from .bidi import Mode
from .display import cell, short_time, source_name, state_text

AR_WIDTH = 14


class StatusTable(DataTable[Text]):
    """City, state (coloured by party), since, confidence, dispute marker, claims for/against."""

    DEFAULT_CSS = """
    StatusTable {
        height: auto;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self._cities: list[str] = []
        self._shown: tuple[tuple[CityStatus, ...], Profile, Mode] | None = None

    def on_mount(self) -> None:
        self.add_column("City", width=14, key="city")
        self.add_column("", width=AR_WIDTH, key="ar")
        self.add_column("State", width=12, key="state")
        self.add_column("Since (UTC)", width=11, key="since")
        self.add_column("Conf.", width=5, key="confidence")
        self.add_column("Dispute", width=10, key="dispute")
        self.add_column("Claims", width=18, key="basis")

    def show(self, statuses: tuple[CityStatus, ...], profile: Profile, mode: Mode) -> None:
        shown = (statuses, profile, mode)
        if shown == self._shown:
            return  # a source or text filter leaves the cities as they were: no redraw
        self._shown = shown
        cursor = self.cursor_row
        self.clear()
        for status in statuses:
            place = profile.places.get(status.city)
            english = place.en if place else status.city
            arabic = place.ar if place else ""
            known = status.state != "unknown"
            self.add_row(
                Text(english, style="bold", no_wrap=True),
                cell(arabic, AR_WIDTH, mode),
                state_text(profile, status.state),
                Text(short_time(status.since) if known else "—"),
                Text(f"{round(status.confidence * 100)}%" if known else "—", justify="right"),
                Text("⚠ disputed", style="bold yellow") if status.disputed else Text(""),
                Text(_basis(status), style="dim" if not known else ""),
                key=status.city,
            )
        self._cities = [s.city for s in statuses]
        if statuses:
            self.move_cursor(row=min(cursor, len(statuses) - 1), scroll=False)

    def highlighted_city(self) -> str | None:
        cities = self._cities
        return cities[self.cursor_row] if 0 <= self.cursor_row < len(cities) else None


def _basis(status: CityStatus) -> str:
    if not status.support and not status.against:
        return "no claims yet"
    return f"{len(status.support)} for, {len(status.against)} against"


class StatusPane(Vertical):
    """The status table and, for the highlighted city, why the board thinks so."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._statuses: dict[str, CityStatus] = {}
        self._profile: Profile | None = None
        self._explained: tuple[CityStatus | None, Profile | None] | None = None

    def compose(self) -> ComposeResult:
        yield StatusTable(id="status")
        yield Static(id="status-detail", markup=False)

    def show(self, statuses: tuple[CityStatus, ...], profile: Profile, mode: Mode) -> None:
        self._statuses = {s.city: s for s in statuses}
        self._profile = profile
        table = self.query_one(StatusTable)
        table.show(statuses, profile, mode)
        self._explain(table.highlighted_city())

    @on(DataTable.RowHighlighted, "#status")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._explain(event.row_key.value)

    def _explain(self, city: str | None) -> None:
        detail = self.query_one("#status-detail", Static)
        status = self._statuses.get(city or "")
        if self._explained == (status, self._profile):
            return  # the same line: an update would still lay the screen out again
        self._explained = (status, self._profile)
        if status is None or self._profile is None:
            detail.update("")
            return
        detail.update(explain(status, self._profile))


def explain(status: CityStatus, profile: Profile) -> Text:
    """One line: who supports the state and who contradicts it."""
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append(profile.place_name(status.city), "bold")
    if not status.support and not status.against:
        text.append(": no claims yet; its state is unknown until a source speaks about it.")
        return text
    text.append(": ")
    text.append_text(state_text(profile, status.state))
    text.append(" per ")
    text.append(_speakers(status.support, profile) or "no one")
    if status.against:
        text.append(" · contradicted by ", "yellow")
        text.append(_speakers(status.against, profile))
    return text


def _speakers(claims: tuple[Claim, ...], profile: Profile) -> str:
    names = dict.fromkeys(source_name(profile, c.source) for c in claims)
    return ", ".join(names)
