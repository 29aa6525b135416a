"""Feed status: when each feed was fetched, what came back, and when it is due again; `p` polls
the highlighted feed alone, through the app's usual poll worker."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import ClassVar

from rich.text import Text
from sitboard.ingest.model import FeedConfig, FeedResult, FeedState
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
        Binding(
            "p",
            "poll_feed",
            "Poll this feed",
            id="feeds-poll-one",
            tooltip="fetch the highlighted feed now, due or not, and show what came back",
        ),
    ]

    def __init__(
        self,
        feeds: Sequence[FeedConfig],
        states: Callable[[], Mapping[str, FeedState]],
        *,
        due_at: Callable[[FeedConfig, FeedState | None], datetime | None],
        mode: Mode,
        poll_one: Callable[[str], object] | None = None,
    ) -> None:
        super().__init__()
        self._feeds = feeds
        self._poll_one = poll_one
        self._states = states
        self._due_at = due_at
        self._mode = mode
        self._rows: list[tuple[FeedConfig | None, FeedState | None]] = []

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label(Text("Feed status", style="bold"), classes="dialog-title")
            yield DataTable(id="feeds-table", cursor_type="row", zebra_stripes=True)
            yield Static(id="feed-detail", markup=False)
            yield Static(id="feed-poll", markup=False)
            yield Label(
                Text(
                    "p: poll the highlighted feed · r: poll every feed · escape: close",
                    style="dim",
                )
            )

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
                _failures(state),
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
        if state and state.failures:
            times = "time" if state.failures == 1 else "times"
            text.append(f"\nFailed {state.failures} {times} in a row", "red")
        if feed is None:
            text.append("\nNo longer in feeds.toml", "dim")
        elif not feed.enabled:
            text.append("\nDisabled in feeds.toml", "dim")
        detail.update(text)

    def highlighted_feed(self) -> str | None:
        """The configured feed on the highlighted row (None for a feed no longer configured)."""
        row = self.query_one("#feeds-table", DataTable).cursor_row
        if not 0 <= row < len(self._rows):
            return None
        feed, _ = self._rows[row]
        return feed.name if feed is not None else None

    def action_poll_feed(self) -> None:
        line = self.query_one("#feed-poll", Static)
        name = self.highlighted_feed()
        if name is None:
            line.update(Text("That feed is no longer in the feeds file.", style="yellow"))
            return
        if self._poll_one is None:
            return
        line.update(Text(f"Polling {one_line(name)}…", style="italic"))
        self._poll_one(name)

    def show_poll_result(self, name: str, results: Sequence[FeedResult]) -> None:
        """What came back from polling `name` alone."""
        text = Text()
        text.append("Polled now: ", "bold")
        result = next((r for r in results if r.feed == name), None)
        if result is None:
            text.append(f"{one_line(name)}: nothing came back", "dim")
        else:
            text.append(one_line(result.summary()), OUTCOME_STYLE.get(result.outcome, ""))
            if result.status is not None:
                text.append(f" · HTTP {result.status}", "dim")
        self.query_one("#feed-poll", Static).update(text)

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
    words = state.last_outcome.replace("-", " ")  # "not modified"
    return Text(words, style=OUTCOME_STYLE.get(state.last_outcome, ""))


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
