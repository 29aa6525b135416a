"""CityScreen: one city's story. Its status now, how many claims speak of it per hour (or per
day), every change of status with the claims that caused it, and who disputes the present state.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from rich.text import Text
from sitboard.ingest.model import CityStatus, Claim, Filters, StatusChange
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widget import Widget
from textual.widgets import Footer, Header, Sparkline, Static

from .bidi import Mode, truncate_line
from .display import claim_summary, one_line, short_time, source_name, state_text
from .highlight import Highlighter
from .live import ClaimBlock, LiveScreen

if TYPE_CHECKING:
    from sitboard.ingest.profile import Profile
    from sitboard.store import Store

HOUR = timedelta(hours=1)
DAY = timedelta(days=1)
HOURLY_UP_TO = timedelta(hours=72)  # a longer story is counted per day
MAX_BUCKETS = 120  # the most recent ones are kept
SPARK_WIDTH = 60  # cells the sparkline aims for when there are few buckets
MAX_REPEAT = 6  # at most this many cells per bucket
ALL_CLAIMS = 100_000  # per source: every claim about the city


@dataclass(frozen=True, slots=True)
class Buckets:
    """Counts per `step` from `start` (UTC, on a whole hour or day), oldest first."""

    start: datetime
    step: timedelta
    counts: tuple[int, ...]

    @property
    def end(self) -> datetime:
        """The start of the last bucket."""
        return self.start + self.step * (len(self.counts) - 1)

    @property
    def unit(self) -> str:
        return "hour" if self.step == HOUR else "day"


def _floor(when: datetime, step: timedelta) -> datetime:
    when = when.astimezone(UTC)
    if step == DAY:
        return when.replace(hour=0, minute=0, second=0, microsecond=0)
    return when.replace(minute=0, second=0, microsecond=0)


def count_per_bucket(
    times: Iterable[datetime], *, max_buckets: int = MAX_BUCKETS
) -> Buckets | None:
    """How many of `times` fall in each hour, or each day when they span more than 72 hours;
    None when there are none. Empty hours and days in between count 0."""
    ordered = sorted(t.astimezone(UTC) for t in times)
    if not ordered:
        return None
    step = HOUR if ordered[-1] - ordered[0] <= HOURLY_UP_TO else DAY
    start = _floor(ordered[0], step)
    size = (_floor(ordered[-1], step) - start) // step + 1
    counts = [0] * size
    for when in ordered:
        counts[(_floor(when, step) - start) // step] += 1
    if size > max_buckets:
        start += step * (size - max_buckets)
        counts = counts[-max_buckets:]
    return Buckets(start, step, tuple(counts))


class CityScreen(LiveScreen):
    """The timeline of `city`; `reload()` re-reads its status, history and claims."""

    DEFAULT_CSS = """
    CityScreen #city-scroll {
        padding: 0 1;
    }
    CityScreen .city-heading {
        margin-top: 1;
        color: $text-accent;
        text-style: bold;
    }
    CityScreen #city-spark {
        height: 2;
        max-width: 100%;
    }
    CityScreen #city-spark-axis {
        color: $text-muted;
    }
    CityScreen #city-changes, CityScreen #city-disputes {
        height: auto;
    }
    CityScreen .change {
        height: auto;
        margin-bottom: 1;
    }
    """

    def __init__(
        self,
        store: Store,
        profile: Profile,
        mode: Mode,
        city: str,
        *,
        highlighter: Highlighter | None = None,
    ) -> None:
        super().__init__(store, profile, mode, highlighter=highlighter)
        self.city = city
        self.status: CityStatus | None = None
        self.changes: tuple[StatusChange, ...] = ()
        self.buckets: Buckets | None = None
        self._shown: object = None

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="city-scroll"):
            yield Static(id="city-status", markup=False)
            yield Static(id="city-spark-label", classes="city-heading", markup=False)
            yield Sparkline([], id="city-spark")
            yield Static(id="city-spark-axis", markup=False)
            yield Static(id="city-changes-heading", classes="city-heading", markup=False)
            yield Vertical(id="city-changes")
            yield Static(id="city-disputes-heading", classes="city-heading", markup=False)
            yield Vertical(id="city-disputes")
        yield Footer()

    def draw(self) -> None:
        profile = self.profile
        place = profile.places.get(self.city)
        self.title = place.en if place else self.city
        self.sub_title = truncate_line(place.ar, 30, self.mode, align=False) if place else ""
        view = self.store.view(
            Filters(cities=frozenset({self.city})), headlines=0, claims_per_source=ALL_CLAIMS
        )
        self.status = next((s for s in view.status if s.city == self.city), None)
        self.changes = self.store.history(self.city)
        claims = [c for _, group in view.claims_by_source for c in group if c.city == self.city]
        self.buckets = count_per_bucket(self._times(claims))
        shown = (self.status, self.changes, self.buckets, self.mode)
        if shown == self._shown:
            return  # nothing new: keep focus and scroll position
        self._shown = shown
        self.query_one("#city-status", Static).update(self._status_line())
        self._show_sparkline()
        self.query_one("#city-changes-heading", Static).update(
            f"Changes of status ({len(self.changes)}), oldest first"
            if self.changes
            else "No change of status yet"
        )
        self._show_changes()
        against = self.status.against if self.status is not None else ()
        self.query_one("#city-disputes-heading", Static).update(
            f"Disputed by ({len(against)})" if against else "Nobody disputes the present state"
        )
        self._fill(
            "#city-disputes",
            [self._claim_block(claim) for claim in against],
        )

    def _times(self, claims: Sequence[Claim]) -> list[datetime]:
        times = []
        for claim in claims:
            when = claim.when
            if when is None and (item := self.store.item(claim.item)) is not None:
                when = item.when
            if when is not None:
                times.append(when)
        return times

    def _status_line(self) -> Text:
        status = self.status
        text = Text()
        text.append("Now ", "bold")
        if status is None:
            text.append("not a watched city: no resolved status", "dim")
            return text
        text.append_text(state_text(self.profile, status.state))
        if status.state != "unknown":
            text.append(f" since {short_time(status.since)} UTC")
            text.append(f" · confidence {round(status.confidence * 100)}%")
        if status.disputed:
            text.append(" · ")
            text.append("⚠ disputed", "bold yellow")
        text.append(f" · {len(status.support)} for, {len(status.against)} against", "dim")
        return text

    def _show_sparkline(self) -> None:
        label = self.query_one("#city-spark-label", Static)
        spark = self.query_one("#city-spark", Sparkline)
        axis = self.query_one("#city-spark-axis", Static)
        buckets = self.buckets
        if buckets is None:
            label.update("Claims per hour: none yet")
            spark.data = []
            spark.display = False
            axis.update("")
            return
        spark.display = True
        total = sum(buckets.counts)
        size = len(buckets.counts)
        label.update(
            f"Claims about it per {buckets.unit}: {total} in {size} "
            f"{buckets.unit}{'s' if size != 1 else ''}, at most {max(buckets.counts)} in one"
        )
        # a few cells per bucket when there are few, so that a short story is still visible
        repeat = max(1, min(MAX_REPEAT, SPARK_WIDTH // size))
        if len(set(buckets.counts)) == 1:
            # Sparkline scales from the smallest value to the largest, so equal counts would
            # draw as the lowest bars, like empty hours; a single value draws full bars.
            spark.data = [float(buckets.counts[0])]
        else:
            spark.data = [float(n) for n in buckets.counts for _ in range(repeat)]
        width = size * repeat
        spark.styles.width = width
        first, last = short_time(buckets.start), short_time(buckets.end)
        if size == 1:
            axis.update(Text(first))
        elif width >= len(first) + len(last) + 2:
            axis.update(Text(first + " " * (width - len(first) - len(last)) + last))
        else:
            axis.update(Text(f"{first} → {last}"))

    def _show_changes(self) -> None:
        blocks: list[Widget] = []
        for change in self.changes:
            head = Text(no_wrap=True, overflow="ellipsis")
            head.append(f"{short_time(change.at)} UTC  ", "bold")
            head.append_text(state_text(self.profile, change.old))
            head.append(" → ")
            head.append_text(state_text(self.profile, change.new))
            if change.disputed:
                head.append("  ⚠ disputed", "bold yellow")
            if not change.cause:
                head.append("  (no claim recorded)", "dim")
            parts: list[Widget] = [Static(head, markup=False, classes="change-head")]
            parts.extend(self._claim_block(claim) for claim in change.cause)
            blocks.append(Vertical(*parts, classes="change"))
        self._fill("#city-changes", blocks)

    def _claim_block(self, claim: Claim) -> ClaimBlock:
        line = Text(no_wrap=True, overflow="ellipsis")
        line.append(source_name(self.profile, claim.source), "bold")
        line.append(f": {claim_summary(self.profile, claim)}")
        line.append(f" · {round(claim.confidence * 100)}% · ", "dim")
        outlet = one_line(claim.outlet) or "unknown outlet"
        line.append(truncate_line(outlet, 30, self.mode, align=False), "cyan")
        return ClaimBlock(claim, line, self.highlighter, self.mode, opens="item", classes="cause")

    def _fill(self, selector: str, blocks: Sequence[Widget]) -> None:
        box = self.query_one(selector, Vertical)
        box.remove_children()
        if blocks:
            box.mount_all(blocks)
