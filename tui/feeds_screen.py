"""Feed status: when each feed was fetched, what came back, and when it is due again."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import ClassVar

from rich.text import Text
from sitboard.ingest.model import FeedConfig, FeedState
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Label, Static

from .bidi import Mode, truncate_line
from .display import cell, one_line, short_time

RESULT_WIDTH = 34

OUTCOME_STYLE = {"new": "green", "not-modified": "", "error": "bold red", "skipped": "dim"}


class FeedStatusScreen(ModalScreen[None]):
    """A table of every configured feed; `refresh_states()` re-reads it after a poll."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="feeds-close"),
        Binding("f", "close", "Close", show=False),
    ]

    def __init__(
        self,
        feeds: Sequence[FeedConfig],
        states: Callable[[], Mapping[str, FeedState]],
        *,
        due_at: Callable[[FeedConfig, FeedState | None], datetime | None],
        mode: Mode,
    ) -> None:
        super().__init__()
        self._feeds = feeds
        self._states = states
        self._due_at = due_at
        self._mode = mode
        self._rows: list[tuple[FeedConfig | None, FeedState | None]] = []

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label(Text("Feed status", style="bold"), classes="dialog-title")
            yield DataTable(id="feeds-table", cursor_type="row", zebra_stripes=True)
            yield Static(id="feed-detail", markup=False)
            yield Label(Text("escape: close · r: poll now", style="dim"))

    def on_mount(self) -> None:
        table = self.query_one("#feeds-table", DataTable)
        table.add_column("Feed", width=18, key="name")
        table.add_column("Last fetch", width=11, key="last")
        table.add_column("Result", width=RESULT_WIDTH, key="result")
        table.add_column("HTTP", width=4, key="status")
        table.add_column("Fails", width=5, key="failures")
        table.add_column("Next due", width=11, key="next")
        self.refresh_states()
        table.focus()

    def refresh_states(self) -> None:
        states = dict(self._states())
        rows: list[tuple[FeedConfig | None, FeedState | None]] = [
            (feed, states.pop(feed.name, None)) for feed in self._feeds
        ]
        rows.extend((None, state) for state in states.values())  # feeds no longer configured
        self._rows = rows
        table = self.query_one("#feeds-table", DataTable)
        cursor = table.cursor_row
        table.clear()
        for feed, state in rows:
            name = feed.name if feed else state.name if state else "?"
            table.add_row(
                cell(name, 18, self._mode, style="bold"),
                Text(short_time(state.last_fetch) if state else "never"),
                _result(feed, state, self._mode),
                Text(str(state.last_status) if state and state.last_status else "—"),
                Text(
                    str(state.failures) if state else "0",
                    style="red" if state and state.failures else "",
                ),
                _next(feed, state, self._due_at),
            )
        if rows:
            table.move_cursor(row=min(cursor, len(rows) - 1))
        self._show_detail(table.cursor_row)

    @on(DataTable.RowHighlighted, "#feeds-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_detail(event.cursor_row)

    def _show_detail(self, row: int) -> None:
        detail = self.query_one("#feed-detail", Static)
        if not self._rows or row >= len(self._rows):
            detail.update(Text("No feeds configured.", style="italic"))
            return
        feed, state = self._rows[row]
        url = feed.url if feed else state.url if state else ""
        text = Text()
        text.append("URL ", "bold")
        text.append(one_line(url))
        if state and state.outlet:
            text.append("\nOutlet ", "bold")
            text.append(truncate_line(one_line(state.outlet), 60, self._mode, align=False))
        if state and state.last_error:
            text.append("\nError ", "bold red")
            text.append(one_line(state.last_error))
        if feed is None:
            text.append("\nNo longer in feeds.toml", "dim")
        elif not feed.enabled:
            text.append("\nDisabled in feeds.toml", "dim")
        detail.update(text)

    def action_close(self) -> None:
        self.dismiss(None)


def _result(feed: FeedConfig | None, state: FeedState | None, mode: Mode) -> Text:
    if feed is not None and not feed.enabled:
        return Text("disabled", style="dim")
    if state is None or state.last_outcome is None:
        return Text("not fetched yet", style="dim")
    if state.last_outcome == "error":
        return cell(
            f"error: {state.last_error or 'unknown'}", RESULT_WIDTH, "off", style="bold red"
        )
    if state.last_outcome == "new":
        return Text(f"ok, {state.last_new} new", style="green")
    return Text(state.last_outcome, style=OUTCOME_STYLE.get(state.last_outcome, ""))


def _failures(state: FeedState | None) -> Text:
    failures = state.failures if state else 0
    return Text(str(failures), style="bold red" if failures else "")


def _next(
    feed: FeedConfig | None,
    state: FeedState | None,
    due_at: Callable[[FeedConfig, FeedState | None], datetime | None],
) -> Text:
    if feed is None or not feed.enabled:
        return Text("—", style="dim")
    when = due_at(feed, state)
    return Text(short_time(when) if when is not None else "now")
