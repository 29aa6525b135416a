"""The control-status pane: one row per watched city."""

from __future__ import annotations

from rich.text import Text
from sitboard.ingest.model import CityStatus
from sitboard.ingest.profile import Profile
from textual.widgets import DataTable

from .bidi import Mode
from .display import cell, short_time, state_text

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

    def on_mount(self) -> None:
        self.add_column("City", width=14, key="city")
        self.add_column("", width=AR_WIDTH, key="ar")
        self.add_column("State", width=12, key="state")
        self.add_column("Since (UTC)", width=11, key="since")
        self.add_column("Conf.", width=5, key="confidence")
        self.add_column("Dispute", width=10, key="dispute")
        self.add_column("Claims", width=18, key="basis")

    def show(self, statuses: tuple[CityStatus, ...], profile: Profile, mode: Mode) -> None:
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
        if statuses:
            self.move_cursor(row=min(cursor, len(statuses) - 1), scroll=False)


def _basis(status: CityStatus) -> str:
    if not status.support and not status.against:
        return "no claims yet"
    return f"{len(status.support)} for, {len(status.against)} against"
