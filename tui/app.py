"""SitboardApp: the live board. Polls in a worker, shows store views, filters, exports.

The UI thread never waits on the network or the disk: a 1-second timer only checks whether a
poll is due and starts one worker (never two at once); the worker fetches through the Poller,
commits in a thread, and posts PollFinished; the handler re-reads the in-memory store view and
reloads every item, city and map screen on the stack (LiveScreen), so they stay current too.

Enter on a headline or a claim opens its item (ItemScreen), on a city its story (CityScreen);
`m` opens the map (MapScreen). All of them share one Highlighter, built in a thread at start-up.
"""

from __future__ import annotations

import asyncio
import gc
import os
import threading
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from sitboard.ingest.model import Config, Filters, StatusChange
from textual import on
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, OptionList, Static
from textual.worker import Worker, WorkerState

from .bidi import Mode, decide, truncate_line
from .claims_pane import ClaimsPane
from .detail_screen import ItemScreen
from .display import clock, one_line, short_time, source_name
from .feeds_screen import FeedStatusScreen
from .headlines_pane import HeadlinesPane
from .help_screen import HelpScreen
from .highlight import Highlighter
from .live import LiveScreen, OpenCity, OpenItem
from .map_screen import MapScreen
from .messages import PollFinished
from .picker_screen import ALL, PickerScreen
from .search_screen import SearchScreen
from .status_pane import StatusPane
from .timeline_screen import CityScreen

if TYPE_CHECKING:
    from sitboard.ingest.poll import Poller
    from sitboard.ingest.profile import Profile
    from sitboard.store import Store

BIDI_SAMPLE = "\u062d\u0644\u0628 (\u0633\u0648\u0631\u064a\u0627) 2024"  # حلب (سوريا) 2024
YOUNG_GC_THRESHOLD = 100_000  # allocations between young collections (Python's default: 700)
RETRY_CHECKS = 10  # timer ticks to wait after a poll that raised, doubled per repeat
BOARD_ONLY_ACTIONS = frozenset(
    [
        "pick_city",
        "pick_source",
        "search",
        "clear_filters",
        "export",
        "feeds",
        "map",
        "toggle_bidi",
        "help",
    ]
)
# Board keys that also work over an item, city or map screen (they redraw it, or stack on it).
LIVE_SCREEN_ACTIONS = frozenset(["toggle_bidi", "help"])
NO_CLAIMS = "No claims yet — claim extraction finds them as items arrive."
NO_ITEMS = "No items yet: waiting for the first poll."
NO_ITEMS_AFTER_POLL = "No items yet: the feeds have returned nothing so far (f: feed status)."
NO_MATCH = "Nothing matches the filters (escape clears them)."
NO_CITY_MATCH = "No watched city matches the filters (escape clears them)."


def _utc_now() -> datetime:
    return datetime.now(UTC)


class SitboardApp(App[None]):
    """The situation board: control status, claims by source, latest headlines."""

    CSS_PATH = Path(__file__).parent / "sitboard.tcss"  # absolute: subclasses live elsewhere
    TITLE = "sitboard"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "c",
            "pick_city",
            "City",
            id="filter-city",
            tooltip="pick one of the profile's cities; counts are items + claims",
        ),
        Binding(
            "s",
            "pick_source",
            "Source",
            id="filter-source",
            tooltip="who speaks (army, monitor...) or the outlet that published",
        ),
        Binding(
            "slash",
            "search",
            "Search",
            id="search",
            key_display="/",
            tooltip="titles, bodies and evidence; Arabic spelling variants match",
        ),
        Binding(
            "escape",
            "clear_filters",
            "Clear filters",
            id="clear-filters",
            key_display="esc",
            tooltip="drop the city, source and search filters",
        ),
        Binding(
            "e",
            "export",
            "Export",
            id="export",
            tooltip="write the current (filtered) view to sitboard-YYYYmmdd-HHMMSS.md",
        ),
        Binding("r", "poll_now", "Poll now", id="poll-now", tooltip="fetch every enabled feed now"),
        Binding(
            "f",
            "feeds",
            "Feeds",
            id="feed-status",
            tooltip="each feed's last fetch, result or error, HTTP status, next poll; "
            "p there polls the highlighted feed",
        ),
        Binding(
            "m",
            "map",
            "Map",
            id="map",
            tooltip="the profile's cities on a map, coloured by who holds each",
        ),
        Binding(
            "b",
            "toggle_bidi",
            "Bidi",
            id="cycle-bidi",
            tooltip="Arabic reordered by the board (on) or by the terminal (off)",
        ),
        Binding(
            "question_mark",
            "help",
            "Help",
            id="help",
            key_display="?",
            tooltip="keys and what the panes mean",
        ),
        Binding("q", "quit", "Quit", id="quit", tooltip="leave sitboard"),
    ]

    def __init__(
        self,
        *,
        config: Config,
        store: Store,
        profile: Profile,
        poller: Poller,
        bidi: str = "auto",
        before_poll: Callable[[], object] | None = None,
        export_dir: Path | None = None,
        now: Callable[[], datetime] = _utc_now,
        check_interval: float = 1.0,
        bell: bool = False,
    ) -> None:
        super().__init__()
        self._config = config
        self._store = store
        self._profile = profile
        self._poller = poller
        self._before_poll = before_poll
        self._export_dir = export_dir
        self._now = now
        self._check_interval = check_interval
        self._bell = bell  # ring the terminal bell when a watched city changes hands
        decision = decide(bidi, os.environ)
        self.bidi_mode: Mode = decision.mode
        self._bidi_reason = decision.reason
        self._bidi_notice = decision.notice
        self.filters = Filters()
        self._poll_worker: Worker[None] | None = None
        self._force_next = False
        self._only_next: str | None = None  # one feed to poll at the next check (feed screen)
        self._polls_done = 0
        self._last_poll: datetime | None = None
        self._last_new = 0
        self._due_error: str | None = None
        self._failed_polls = 0  # consecutive poll workers that raised
        self._skip_checks = 0  # timer ticks to wait before the next try after a failure
        self._highlighter: Highlighter | None = None
        self._highlighter_lock = threading.Lock()

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """As App.notify, but plain text by default: messages carry feed text, URLs, paths."""
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    # --- layout --------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="status-pane", classes="pane"):
            yield StatusPane(id="status-box")
            yield Static(NO_CITY_MATCH, id="status-empty", classes="empty", markup=False)
        with Horizontal(id="lower"):
            with Vertical(id="claims-pane", classes="pane"):
                yield ClaimsPane(id="claims")
                yield Static(NO_CLAIMS, id="claims-empty", classes="empty", markup=False)
            with Vertical(id="headlines-pane", classes="pane"):
                yield HeadlinesPane(id="headlines-box")
                yield Static(NO_ITEMS, id="headlines-empty", classes="empty", markup=False)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#status-pane").border_title = "Control status"
        self.query_one("#claims-pane").border_title = "Claims by source"
        self.query_one("#headlines-pane").border_title = "Latest headlines"
        self.refresh_board()
        notice = getattr(self._store, "notice", None)
        if notice:
            self.notify(str(notice), title="Database", severity="warning", timeout=15)
        if self._bidi_notice:
            self.notify(self._bidi_notice, title="Arabic display", timeout=10)
        self.set_interval(self._check_interval, self._check_poll)
        self._check_poll()
        self.call_after_refresh(settle_heap)
        # Built off the UI thread now, so that the first Enter on a headline opens at once.
        self.run_worker(
            self._build_highlighter,
            name="highlighter",
            group="highlighter",
            thread=True,
            exit_on_error=False,
        )
        # A large store opens on its stored board; the rest loads off the UI thread now
        # (anything that needs it meanwhile waits for it), then the board is redrawn.
        finish_loading = getattr(self._store, "finish_loading", None)
        if finish_loading is not None:

            def load_store() -> None:
                try:
                    loaded = finish_loading()
                except Exception as exc:  # a damaged file found behind the board
                    self.call_from_thread(
                        self.notify, str(exc), title="Database", severity="error", timeout=30
                    )
                    return
                if loaded:
                    self.call_from_thread(self.refresh_board)
                    # the loaded store is most of the heap: out of the collector's scans too
                    self.call_from_thread(settle_heap)

            self.run_worker(
                load_store, name="store-load", group="store-load", thread=True, exit_on_error=False
            )
        # The store builds its text-search keys lazily; build them off the UI thread now so
        # that the first `/` search is as fast as the next ones.
        prepare = getattr(self._store, "prepare_search", None)
        if prepare is not None:
            self.run_worker(
                prepare, name="search-keys", group="search-keys", thread=True, exit_on_error=False
            )

    @property
    def highlighter(self) -> Highlighter:
        """The one Highlighter shared by the item, city and map screens (about 0.1 s to build:
        a thread builds it at start-up; until it is done, the first caller waits for it)."""
        return self._build_highlighter()

    def _build_highlighter(self) -> Highlighter:
        with self._highlighter_lock:
            if self._highlighter is None:
                self._highlighter = Highlighter(self._profile)
            return self._highlighter

    # --- the board -----------------------------------------------------------------------

    def refresh_board(self) -> None:
        """Re-read the store's view for the current filters and redraw the three panes."""
        if not self.query(StatusPane):
            return  # the board is being taken down (a poll or a load that ends as it quits)
        view = self._store.view(self.filters)
        mode = self.bidi_mode
        with self.batch_update():
            self.query_one(StatusPane).show(view.status, self._profile, mode)
            times = {
                claim.item: item.when
                for _, claims in view.claims_by_source
                for claim in claims
                if claim.when is None and (item := self._store.item(claim.item)) is not None
            }
            self.query_one(ClaimsPane).show(view.claims_by_source, self._profile, mode, times)
            self.query_one(HeadlinesPane).show(view.headlines, mode)
            filtered = self.filters.active
            self._set_empty("#status-pane", not view.status, NO_CITY_MATCH)
            self._set_empty(
                "#claims-pane", not view.claims_by_source, NO_MATCH if filtered else NO_CLAIMS
            )
            waiting = NO_ITEMS if self._polls_done == 0 and not self._any_fetch() else None
            self._set_empty(
                "#headlines-pane",
                not view.headlines,
                NO_MATCH if filtered else waiting or NO_ITEMS_AFTER_POLL,
            )
        self._update_sub_title()
        for screen in self.screen_stack:
            if isinstance(screen, LiveScreen):
                if screen.mode != mode:
                    screen.set_mode(mode)  # redraws
                else:
                    screen.reload()

    def _set_empty(self, pane_id: str, empty: bool, message: str) -> None:
        pane = self.query_one(pane_id)
        pane.set_class(empty, "-empty")
        if empty:
            pane.query_one(".empty", Static).update(Text(message, style="italic"))

    def _any_fetch(self) -> bool:
        return any(s.last_fetch is not None for s in self._store.feed_states().values())

    def _update_sub_title(self) -> None:
        states = self._store.feed_states()
        parts: list[str] = []
        if self._store.readonly:
            parts.append("read-only: another sitboard is writing")
        if self.polling:
            parts.append("polling…")
        if self._last_poll is not None:
            parts.append(f"last poll {clock(self._last_poll)}, {self._last_new} new")
        elif not self.polling:
            fetched = [s.last_fetch for s in states.values() if s.last_fetch is not None]
            parts.append(f"last poll {short_time(max(fetched))}" if fetched else "no poll yet")
        enabled = {feed.name for feed in self._config.feeds if feed.enabled}
        if enabled and not self.polling and not self._store.readonly:
            next_due = self._poller.next_due(states)
            parts.append(f"next {clock(next_due)}" if next_due is not None else "due now")
        if not enabled:
            parts.append("no feeds enabled")
        errors = sum(1 for n, s in states.items() if n in enabled and s.last_outcome == "error")
        if errors:
            parts.append(f"{errors} feed error{'s' if errors != 1 else ''} (f)")
        if self.filters.active:
            parts.append("filter: " + self._describe_filters())
        parts.append(f"bidi {self.bidi_mode}")
        self.sub_title = " · ".join(parts)

    def _describe_filters(self) -> str:
        shown: list[str] = []
        if self.filters.cities:
            names = sorted(self._profile.place_name(c) for c in self.filters.cities)
            shown.append("city " + ", ".join(names))
        if self.filters.sources:
            names = sorted(source_name(self._profile, s) for s in self.filters.sources)
            shown.append(
                "source " + truncate_line(", ".join(names), 30, self.bidi_mode, align=False)
            )
        if self.filters.text:
            text = truncate_line(one_line(self.filters.text), 24, self.bidi_mode, align=False)
            shown.append(f"“{text}”")
        return "; ".join(shown)

    def set_filters(self, filters: Filters) -> None:
        was_active = self.filters.active
        self.filters = filters
        if filters.active != was_active:
            # esc is in the footer only while there is a filter to clear; the footer rebuilds
            # every key when bindings are refreshed, so only then
            self.refresh_bindings()
        self._after_load(self.refresh_board)

    def _after_load(self, then: Callable[[], None]) -> None:
        """Run `then` now if the store is loaded, else as soon as its background load is done:
        what needs every stored item never makes the UI thread wait for the disk."""
        if getattr(self._store, "loaded", True):
            then()
            return
        self.notify("The database is still loading; this follows when it is ready.", timeout=3)

        def wait() -> None:
            try:
                self._store.finish_loading()
            except Exception:  # the load worker reports a damaged file
                return
            self.call_from_thread(then)

        self.run_worker(wait, name="after-load", thread=True, exit_on_error=False)

    # --- polling -------------------------------------------------------------------------

    @property
    def polls_done(self) -> int:
        """Poll cycles finished (committed or not) since the app started."""
        return self._polls_done

    @property
    def polling(self) -> bool:
        return self._poll_worker is not None and not self._poll_worker.is_finished

    def _check_poll(self) -> None:
        """Timer callback: start a poll worker if one is due and none is running."""
        if self.polling or self._store.readonly:
            return
        force = self._force_next
        only = None if force else self._only_next  # a poll of every feed includes that one
        if self._skip_checks > 0 and not force and only is None:
            self._skip_checks -= 1
            return
        if not force and only is None:
            try:
                due = self._poller.due(self._store.feed_states(), self._now())
            except Exception as exc:  # a broken schedule must not kill the timer
                message = f"Cannot schedule polls: {exc}"
                if message != self._due_error:
                    self._due_error = message
                    self.notify(message, severity="error")
                return
            if not due:
                return
        self._force_next = False
        self._only_next = None
        self._poll_worker = self.run_worker(
            self._poll(force, only),
            name="poll",
            group="poll",
            description="poll the feeds",
            exit_on_error=False,
        )
        self._update_sub_title()

    async def _poll(self, force: bool, only: str | None = None) -> None:
        from sitboard.store import StoreError

        if self._before_poll is not None:
            await asyncio.to_thread(self._before_poll)
        if not getattr(self._store, "loaded", True):
            # the poll checks every item against the store: it waits for the load off the UI
            try:
                await asyncio.to_thread(self._store.finish_loading)
            except StoreError as exc:
                self.post_message(PollFinished([], None, str(exc), only=only))
                return
        results = await self._poller.poll(
            self._store.feed_states(),
            seen=self._store.seen,
            force=force or only is not None,
            only=only,
        )
        report = None
        error = None
        if results:
            try:
                report = await asyncio.to_thread(self._store.commit, results)
            except StoreError as exc:
                error = str(exc)
        self.post_message(PollFinished(list(results), report, error, only=only))

    @on(PollFinished)
    def _poll_finished(self, message: PollFinished) -> None:
        self._polls_done += 1
        self._failed_polls = 0
        self._last_poll = self._now()
        self._last_new = message.report.new_items if message.report is not None else 0
        if message.error is not None:
            self.notify(message.error, title="Database", severity="error", timeout=10)
        if message.report is not None:
            self._notify_changes(message.report.changes)
        self.refresh_board()
        if message.only is not None:
            summary = "; ".join(one_line(r.summary()) for r in message.results)
            failed = any(r.outcome == "error" for r in message.results)
            self.notify(
                summary or f"{message.only}: nothing came back",
                title="Feed polled",
                severity="warning" if failed else "information",
            )
        for screen in self.screen_stack:
            if isinstance(screen, FeedStatusScreen):
                screen.refresh_states()
                if message.only is not None:
                    screen.show_poll_result(message.only, message.results)

    def _notify_changes(self, changes: Iterable[StatusChange]) -> None:
        """One toast per watched city whose state differs after this poll (net of steps)."""
        first: dict[str, StatusChange] = {}
        last: dict[str, StatusChange] = {}
        for change in changes:
            if change.city in self._store.watch:
                first.setdefault(change.city, change)
                last[change.city] = change
        changed = False
        for city, change in last.items():
            old = first[city].old
            if old == change.new:
                continue
            changed = True
            self.notify(
                f"{self._profile.place_name(city)}: "
                f"{_state(self._profile, old)} → {_state(self._profile, change.new)}"
                + (" (disputed)" if change.disputed else ""),
                title="Control status changed",
                timeout=8,
            )
        if changed and self._bell:
            self.bell()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if event.state == WorkerState.ERROR:
            if worker.name == "poll":
                # Back off: 10 checks after the first failure, doubling, at most 320.
                self._failed_polls += 1
                self._skip_checks = RETRY_CHECKS * 2 ** min(self._failed_polls - 1, 5)
                wait = round(self._skip_checks * self._check_interval)
                self.notify(
                    f"Poll failed: {worker.error}. Trying again in about {wait} s.",
                    title="Poll",
                    severity="error",
                )
                self._update_sub_title()
            elif worker.name == "export":
                self.notify(f"Export failed: {worker.error}", title="Export", severity="error")
        elif event.state == WorkerState.SUCCESS and worker.name == "export":
            self.notify(f"Exported to {worker.result}", title="Export")
        elif event.state == WorkerState.CANCELLED and worker.name == "poll":
            self._update_sub_title()

    # --- actions -------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in BOARD_ONLY_ACTIONS and len(self.screen_stack) > 1:
            # A dialog is open: its keys, not the board's (r and q still work); over an item,
            # city or map screen, b and ? too.
            return action in LIVE_SCREEN_ACTIONS and isinstance(self.screen, LiveScreen)
        # With nothing to clear, esc is left out of the footer, which is short of room.
        return action != "clear_filters" or self.filters.active

    def action_pick_city(self) -> None:
        self._after_load(self._pick_city)

    def _pick_city(self) -> None:
        counts = dict(self._store.city_counts())
        order = [pid for pid in counts if pid in self._profile.places]
        order += [pid for pid in self._store.watch if pid not in counts]
        order += [pid for pid in self._profile.places if pid not in order]
        choices = []
        for pid in order:
            place = self._profile.places.get(pid)
            label = f"{place.en}  {place.ar}" if place else pid
            choices.append((pid, label, counts.get(pid, 0)))
        self.push_screen(
            PickerScreen(
                "Filter by city", choices, mode=self.bidi_mode, current=self.filters.cities
            ),
            partial(self._picked, "cities"),
        )

    def action_pick_source(self) -> None:
        self._after_load(self._pick_source)

    def _pick_source(self) -> None:
        choices = []
        for source, count in self._store.source_counts():
            if source in self._profile.actors:
                label = f"{self._profile.actor_name(source)}  (who says it)"
            else:
                label = f"{one_line(source)}  (outlet)"
            choices.append((source, label, count))
        self.push_screen(
            PickerScreen(
                "Filter by source",
                choices,
                mode=self.bidi_mode,
                current=self.filters.sources,
                empty="No sources yet: they appear as items and claims arrive.",
            ),
            partial(self._picked, "sources"),
        )

    def _picked(self, field: str, choice: str | None) -> None:
        if choice is None:
            return
        chosen = frozenset() if choice == ALL else frozenset({choice})
        self.set_filters(replace(self.filters, **{field: chosen}))

    def action_search(self) -> None:
        self.push_screen(SearchScreen(self.filters.text), self._searched)

    def _searched(self, text: str | None) -> None:
        if text is not None:
            self.set_filters(replace(self.filters, text=text))

    def action_clear_filters(self) -> None:
        if self.filters.active:
            self.set_filters(Filters())

    def action_export(self) -> None:
        self.run_worker(
            partial(self._export, self.filters),
            name="export",
            group="export",
            thread=True,
            exit_on_error=False,
        )

    def _export(self, filters: Filters) -> Path:
        from sitboard.store import export_view

        markdown = export_view(self._store, filters, self._profile)
        directory = self._export_dir if self._export_dir is not None else Path.cwd()
        stamp = self._now().astimezone(UTC).strftime("%Y%m%d-%H%M%S")
        path = directory / f"sitboard-{stamp}.md"
        counter = 1
        while path.exists():
            counter += 1
            path = directory / f"sitboard-{stamp}-{counter}.md"
        path.write_text(markdown, encoding="utf-8")
        return path

    def action_poll_now(self) -> None:
        if self._store.readonly:
            self.notify("Read-only: another sitboard process is polling.", severity="warning")
            return
        if self.polling:
            self.notify("A poll is already running.")
            return
        self._force_next = True
        self._check_poll()

    def action_feeds(self) -> None:
        self.push_screen(
            FeedStatusScreen(
                self._config.feeds,
                self._store.feed_states,
                due_at=self._poller.due_at,
                mode=self.bidi_mode,
                poll_one=self.poll_feed,
            )
        )

    def poll_feed(self, name: str) -> None:
        """Fetch the feed `name` now, due or not, through the usual poll worker (the feed
        status screen's p); if a poll is running, right after it."""
        if self._store.readonly:
            self.notify("Read-only: another sitboard process is polling.", severity="warning")
            return
        if name not in {feed.name for feed in self._config.feeds}:
            self.notify(f"{one_line(name)} is not in the feeds file.", severity="warning")
            return
        self._only_next = name
        if self.polling:
            self.notify(f"{one_line(name)}: polled as soon as the running poll ends.")
            return
        self._check_poll()

    # --- the views: item, city story, map -------------------------------------------------

    def open_item(self, item_id: str) -> None:
        """Show one item in full, with the words the board read and the claims drawn from it."""
        self._after_load(lambda: self._open_item(item_id))

    def _open_item(self, item_id: str) -> None:
        self.push_screen(
            ItemScreen(
                self._store,
                self._profile,
                self.bidi_mode,
                item_id,
                highlighter=self.highlighter,
            )
        )

    def open_city(self, city: str) -> None:
        """Show one city's story: status now, claims per hour, every change and its causes."""
        self._after_load(lambda: self._open_city(city))

    def _open_city(self, city: str) -> None:
        self.push_screen(
            CityScreen(
                self._store, self._profile, self.bidi_mode, city, highlighter=self.highlighter
            )
        )

    def action_map(self) -> None:
        self._after_load(self._open_map)

    def _open_map(self) -> None:
        self.push_screen(
            MapScreen(self._store, self._profile, self.bidi_mode, highlighter=self.highlighter)
        )

    @on(DataTable.RowSelected, "#status")
    def _city_selected(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value is not None:
            self.open_city(event.row_key.value)

    @on(OptionList.OptionSelected, "#claims-list")
    def _claim_selected(self, event: OptionList.OptionSelected) -> None:
        option_id = event.option.id or ""
        if not option_id.startswith("claim-"):
            return
        claims = self.query_one(ClaimsPane).claims
        index = int(option_id.removeprefix("claim-"))
        if index < len(claims):
            self.open_item(claims[index].item)

    @on(OpenItem)
    def _open_item_message(self, message: OpenItem) -> None:
        # LiveScreens handle their own; this catches one posted from anywhere else.
        message.stop()
        self.open_item(message.item_id)

    @on(OpenCity)
    def _open_city_message(self, message: OpenCity) -> None:
        message.stop()
        self.open_city(message.city)

    def action_toggle_bidi(self) -> None:
        self.bidi_mode = "off" if self.bidi_mode == "on" else "on"
        self._bidi_reason = (
            "bidi on: the board shapes and reorders Arabic"
            if self.bidi_mode == "on"
            else "bidi off: the terminal reorders Arabic"
        )
        self.refresh_board()
        self.notify(self._bidi_reason, title="Arabic display")

    @property
    def bell_on_change(self) -> bool:
        """Whether the terminal bell rings when a watched city changes hands."""
        return self._bell

    def action_toggle_bell(self) -> None:
        self._bell = not self._bell
        self.notify(
            "The bell rings when a watched city changes hands."
            if self._bell
            else "No bell on changes (the notices still show).",
            title="Bell",
        )

    def action_bidi_check(self) -> None:
        sample = truncate_line(BIDI_SAMPLE, 40, self.bidi_mode, align=False)
        self.notify(
            f"{sample}\nThis is 'Aleppo (Syria) 2024' in Arabic: letters joined, read from the "
            "right, the bracket around the second word, 2024 at the left end. "
            f"If it looks wrong, press b (bidi is {self.bidi_mode}).",
            title="Arabic display check",
            timeout=20,
        )

    def action_help(self) -> None:
        keys = [
            (
                b.key_display or b.key,
                f"{b.description}: {b.tooltip}" if b.tooltip else b.description,
            )
            for b in self._app_bindings()
        ]
        keys.append(
            (
                "enter",
                "Open: a headline or claim opens its item (why the board read what it read), "
                "a city its story (changes, causes, claims per hour); escape goes back",
            )
        )
        keys.append(("p", "In feed status: poll the highlighted feed now and show the result"))
        keys.append(
            (
                "ctrl+p",
                "Command palette: every action above, a city's story by name, one feed's poll, "
                "the bell on changes, and an Arabic display check",
            )
        )
        note = (
            f"{self._bidi_reason}. If Arabic letters look reversed or unjoined, press b "
            "(or start with --bidi on / --bidi off)."
        )
        self.push_screen(HelpScreen(keys, note))

    def _app_bindings(self) -> Iterable[Binding]:
        return (b for b in self.BINDINGS if isinstance(b, Binding))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        if screen is self.default_screen:
            yield from self._board_commands()
        if screen is self.default_screen or isinstance(screen, LiveScreen):
            yield from self._view_commands()
        yield SystemCommand("Poll now", "Fetch every feed now (r)", self.action_poll_now)

    def _view_commands(self) -> Iterable[SystemCommand]:
        yield SystemCommand(
            "Map", "The cities on a map, coloured by who holds each (m)", self.action_map
        )
        for city in self._store.watch:
            name = self._profile.place_name(city)
            yield SystemCommand(
                f"City story: {name}",
                f"{name}: status, claims per hour, each change and its causes",
                partial(self.open_city, city),
            )
        yield SystemCommand(
            "Toggle Arabic reordering",
            "Bidi on: the app; off: the terminal (b)",
            self.action_toggle_bidi,
        )
        yield SystemCommand(
            "Check Arabic display",
            "A sample to tell whether Arabic reads right in this terminal",
            self.action_bidi_check,
        )
        yield SystemCommand(
            "Bell on change: turn off" if self._bell else "Bell on change: turn on",
            "Ring the terminal bell when a watched city changes hands",
            self.action_toggle_bell,
        )
        yield SystemCommand("Help", "Keys and panes (?)", self.action_help)

    def _board_commands(self) -> Iterable[SystemCommand]:
        yield SystemCommand(
            "Filter by city", "Pick a city to narrow the board (c)", self.action_pick_city
        )
        yield SystemCommand(
            "Filter by source", "Pick an actor or outlet (s)", self.action_pick_source
        )
        yield SystemCommand("Search", "Narrow the board to a text (/)", self.action_search)
        yield SystemCommand(
            "Clear filters", "Show everything again (escape)", self.action_clear_filters
        )
        yield SystemCommand(
            "Export to Markdown", "Write the current view to a file (e)", self.action_export
        )
        yield SystemCommand(
            "Feed status", "When each feed was fetched and what came back (f)", self.action_feeds
        )
        for feed in self._config.feeds:
            name = one_line(feed.name)
            yield SystemCommand(
                f"Poll feed: {name}",
                f"Fetch {name} now, due or not, and show what came back",
                partial(self.poll_feed, feed.name),
            )


def settle_heap() -> None:
    """Freeze what is allocated so far out of Python's cyclic garbage collector, and let the
    young generation grow before it is scanned (called at start-up only: after the first
    paint, and once more when a large store has finished loading behind the board).

    The loaded store is hundreds of thousands of objects that live as long as the app; every
    full collection re-scanned them all (pauses of 0.2-1 s at 20,000 items, landing on
    keystrokes). Frozen, they are still freed by reference counting when dropped; only newer
    objects are scanned. Not repeated after polls: an object frozen while alive that later
    becomes cyclic garbage (a closed screen's widgets) would never be freed.
    Textual allocates heavily per frame: at the default 700 allocations a young collection
    ran many times per repaint and a full one every few filter changes (20k items: 1.8 s of
    collections in 48 changes; with a threshold of 10,000, 0.7 s and one full collection;
    at 100,000 a filter's p95 at 20,000 items fell from about 58 to 40 ms).
    """
    gc.freeze()
    young, middle, old = gc.get_threshold()
    if 0 < young < YOUNG_GC_THRESHOLD:
        gc.set_threshold(YOUNG_GC_THRESHOLD, middle, old)


def _state(profile: Profile, state: str) -> str:
    party = profile.parties.get(state)
    return party.en if party else state
