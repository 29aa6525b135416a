"""City status from claims: who holds each city, since when, how sure, and who disagrees.

Claims are folded in time order. At each distinct claim time T the city's state is decided by
the claims of the recent window (T - WINDOW, T]: older claims are superseded by newer ones,
claims close in time are weighed against each other by stance and source, and the state the
city was in before the window acts as a weak prior. A claim that arrives out of time order
only redoes the steps it can change (from its own time on, until the steps come out as they
were), so the result never depends on arrival order and adding claims never recomputes a
city from scratch.

A city is "disputed" when a claim against its resolved state, still weighing at least
CREDIBLE within the window, exists. Its history records each change of state with the claims
that caused it.
"""

from __future__ import annotations

import bisect
import math
import threading
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import NamedTuple

from .model import PARTIES, CityStatus, Claim, StatusChange
from .profile import Profile

# Claims within this span of the latest one are weighed together; older ones are superseded.
WINDOW = timedelta(hours=6)
# Inside the window a claim loses half its weight per HALF_LIFE behind the step time.
HALF_LIFE = timedelta(hours=3)
# Claims without a time sort before every dated claim.
UNDATED = datetime(1970, 1, 1, tzinfo=UTC)

# Stance weights: an admission against interest > a party's own claim > a neutral report
# > an allegation.
ADMIT = 3.0
PARTY = 1.0
NEUTRAL = 0.8
ALLEGE = 0.35
# The state before the window resists change a little (a lone allegation does not flip a city).
PRIOR = 0.4
# A second claim of the same source adds only this fraction of its weight (sources, not repeats).
REPEAT = 0.15
# A claim against the resolved state at least this heavy makes the city "disputed".
CREDIBLE = 0.3


def claim_weight(claim: Claim) -> float:
    """How much one claim counts, before time decay: stance and source, times reading confidence."""
    if claim.stance == "admit" and claim.state in PARTIES:
        base = ADMIT
    elif claim.stance == "admit":
        # "they entered parts of the city": against interest, but only as far as contested,
        # so it must not outweigh a later report that the city is lost altogether
        base = PARTY
    elif claim.stance == "allege":
        base = ALLEGE
    elif claim.side in PARTIES:
        base = PARTY
    else:
        base = NEUTRAL
    return base * max(0.05, min(1.0, claim.confidence))


def _time(claim: Claim) -> datetime:
    return claim.when or UNDATED


def _source_key(claim: Claim) -> str:
    # The outlet's own voice and unnamed agencies are independent per outlet.
    if claim.source in ("outlet", "media"):
        return f"{claim.source}\x1f{claim.outlet}"
    return claim.source


# Weights are kept as exact integers: a claim of weight w at time t counts
# w * 2**((t - at) / HALF_LIFE) at step time `at`, and the decay is a factor common to every
# claim of a window, so each claim is stored once as round(w * 2**frac(t/HL) * 2**SCALE) shifted
# by floor(t/HL) relative to the window's anchor. Sums over a window then slide (a claim is
# added when the window reaches it and subtracted when it leaves) and, being integers, come out
# the same whatever order the claims arrived in.
SCALE = 64
# Re-anchor a window whose integers grew by this many half-lives (about a month of news).
REBASE = 256
_HALF_LIFE_S = HALF_LIFE.total_seconds()
_FIRST = 1.0 - REPEAT


class _Entry:
    """One claim with what the window sums need, computed once."""

    __slots__ = ("at", "claim", "exponent", "group", "mantissa", "state", "weight")

    def __init__(self, claim: Claim, at: datetime, exponent: int, fraction: float) -> None:
        self.claim = claim
        self.at = at
        self.state = claim.state
        self.group = (claim.state, _source_key(claim))
        self.weight = claim_weight(claim)
        self.exponent = exponent
        self.mantissa = int(math.ldexp(self.weight * fraction, SCALE))

    def decayed(self, at: datetime) -> float:
        """The claim's weight at step time `at` (the same arithmetic as a direct computation)."""
        age = (at - self.at).total_seconds()
        return self.weight * 0.5 ** (max(0.0, age) / _HALF_LIFE_S)


def _halves(at: datetime) -> tuple[int, float]:
    """Half-lives since the epoch, as a whole number and 2 ** (the fraction left)."""
    halves = at.timestamp() / _HALF_LIFE_S
    whole = math.floor(halves)
    return whole, 2.0 ** (halves - whole)


class _Top:
    """Sliding maximum over entries that leave in the order they came (a monotonic deque)."""

    __slots__ = ("queue",)

    def __init__(self) -> None:
        self.queue: deque[tuple[int, _Entry]] = deque()

    def push(self, value: int, entry: _Entry) -> None:
        queue = self.queue
        while queue and queue[-1][0] <= value:
            queue.pop()
        queue.append((value, entry))

    def drop(self, entry: _Entry) -> None:
        if self.queue and self.queue[0][1] is entry:
            self.queue.popleft()

    def value(self) -> int:
        return self.queue[0][0] if self.queue else 0


class _Sums:
    """Per (state, source) group or per state: count, total and maximum of the scaled weights."""

    __slots__ = ("count", "newest", "top", "tops", "total")

    def __init__(self) -> None:
        self.count = 0
        self.total = 0
        self.top = _Top()
        self.tops = 0  # per state: the sum of its groups' maxima
        self.newest = UNDATED  # per state: time of its newest claim in the window


class _Window:
    """The claims of one step's window, with sums that slide as the window moves on."""

    def __init__(self) -> None:
        self.members: deque[_Entry] = deque()  # oldest first
        self.anchor = 0
        self.groups: dict[tuple[str, str], _Sums] = {}
        self.states: dict[str, _Sums] = {}
        self.work = 0  # entries added and removed, for the linear-work guard

    def add(self, entry: _Entry) -> None:
        if not self.members:
            self.anchor = entry.exponent
        elif entry.exponent - self.anchor > REBASE:
            self._rebase(entry.exponent)
        self.members.append(entry)
        self._count(entry, 1)

    def remove_oldest(self) -> None:
        self._count(self.members.popleft(), -1)

    def _count(self, entry: _Entry, sign: int) -> None:
        self.work += 1
        value = entry.mantissa << (entry.exponent - self.anchor)
        group = self.groups.get(entry.group)
        if group is None:
            group = self.groups[entry.group] = _Sums()
        state = self.states.get(entry.state)
        if state is None:
            state = self.states[entry.state] = _Sums()
        before = group.top.value()
        group.count += sign
        group.total += sign * value
        state.count += sign
        state.total += sign * value
        if sign > 0:
            group.top.push(value, entry)
            state.top.push(value, entry)
            state.newest = entry.at  # entries come in time order
        else:
            group.top.drop(entry)
            state.top.drop(entry)
        state.tops += group.top.value() - before
        if not group.count:
            del self.groups[entry.group]
        if not state.count:
            del self.states[entry.state]

    def _rebase(self, exponent: int) -> None:
        members = list(self.members)
        self.members.clear()
        self.groups.clear()
        self.states.clear()
        self.anchor = members[0].exponent if members else exponent
        for entry in members:
            self.members.append(entry)
            self._count(entry, 1)

    def decide(self, at: datetime, prior: _Step | None) -> tuple[str, float, bool]:
        """The winning state at step time `at`, its confidence, and whether it is disputed."""
        halves = at.timestamp() / _HALF_LIFE_S
        whole = math.floor(halves)
        # the decay to `at` and the scale of the integers, one factor for all (exact: a power
        # of two times the same fraction whatever the anchor)
        factor = math.ldexp(2.0 ** (whole - halves), self.anchor - whole - SCALE)
        states = self.states
        scores: dict[str, float] = {}
        for name, sums in states.items():
            # a group counts its heaviest claim fully and the others at REPEAT
            scores[name] = (_FIRST * float(sums.tops) + REPEAT * float(sums.total)) * factor
        if prior is not None and prior.state != "unknown":
            # the prior's state only, not its confidence: a late claim's effect then stops
            # spreading once the states it touches come out as before
            scores[prior.state] = scores.get(prior.state, 0.0) + PRIOR
        # Ties go to the state of the newest claim, then to the alphabetically first state.
        state = ""
        best: tuple[float, datetime, str] | None = None
        for name, score in scores.items():
            sums = states.get(name)
            rank = (round(score, 9), UNDATED if sums is None else sums.newest, name)
            if best is None or rank > best:
                state, best = name, rank
        total = math.fsum(scores.values())
        share = scores[state] / total if total else 0.0
        confidence = share * (1.0 - math.exp(-scores[state]))
        disputed = False
        for name, sums in states.items():
            if name != state and sums.top.queue[0][1].decayed(at) >= CREDIBLE:
                disputed = True
                break
        return state, round(confidence, 3), disputed


class _Step(NamedTuple):
    """The resolved state of one city at one claim time."""

    at: datetime
    state: str
    confidence: float
    disputed: bool
    since: datetime | None


@dataclass(slots=True)
class _City:
    times: list[datetime] = field(default_factory=list)  # sorted distinct claim times
    claims: dict[datetime, list[_Entry]] = field(default_factory=dict)  # sorted by Claim.id
    ids: set[tuple[str, str, str, str]] = field(default_factory=set)
    steps: list[_Step] = field(default_factory=list)  # parallel to times
    history: list[StatusChange] = field(default_factory=list)
    status: CityStatus | None = None  # the latest status, once asked for
    # the last step's window (with its step index and first time index), for claims to come
    window: tuple[_Window, int, int] | None = None


def _claim_key(claim: Claim) -> tuple[str, str, str, str]:
    # Claim.id within one city, as a tuple of the claim's own strings (no new string)
    return (claim.item, claim.source, claim.kind, claim.evidence)


class Resolver:
    """Keeps each city's status, updated incrementally as claims arrive."""

    def __init__(self, profile: Profile | None = None) -> None:
        self.profile = profile
        self._cities: dict[str, _City] = {}
        self._lock = threading.Lock()
        # window entries added and removed so far: grows linearly with the claims added
        # (a regression guard counts it; time is not asserted anywhere)
        self.work = 0

    def add(self, claims: Iterable[Claim]) -> list[StatusChange]:
        """Add claims (duplicates by id are ignored); return the status changes they caused.

        A claim older than others already added rewrites the history from its time on;
        `history(city)` is then the authoritative account, and only the entries that are news
        (a state reached at a time not recorded before) are returned here.
        """
        inserted: dict[str, set[datetime]] = {}
        known_times: dict[datetime, tuple[int, float]] = {}
        with self._lock:
            for claim in claims:
                city = self._cities.get(claim.city)
                if city is None:
                    city = self._cities[claim.city] = _City()
                key = _claim_key(claim)
                if key in city.ids:
                    continue
                city.ids.add(key)
                at = _time(claim)
                halves = known_times.get(at)
                if halves is None:
                    halves = known_times[at] = _halves(at)
                entry = _Entry(claim, at, *halves)
                bucket = city.claims.get(at)
                if bucket is None:
                    city.claims[at] = [entry]
                    times = city.times
                    if not times or times[-1] < at:
                        times.append(at)
                    else:
                        bisect.insort(times, at)
                else:
                    bisect.insort(bucket, entry, key=lambda e: e.claim.id)
                inserted.setdefault(claim.city, set()).add(at)
            changes: list[StatusChange] = []
            for name, times in inserted.items():
                changes.extend(self._recompute(name, self._cities[name], sorted(times)))
        changes.sort(key=lambda c: (c.at or UNDATED, c.city))
        return changes

    def _window_claims(self, city: _City, index: int) -> list[Claim]:
        """The claims of step `index`'s window, oldest first."""
        at = city.times[index]
        lo = bisect.bisect_right(city.times, at - WINDOW)
        return [e.claim for t in city.times[lo : index + 1] for e in city.claims[t]]

    def _recompute(self, name: str, city: _City, inserted: list[datetime]) -> list[StatusChange]:
        """Redo the steps the inserted claim times can change; return history entries that
        are new.

        A step depends on the claims of its window, on the step before it (for `since`) and
        on the last step before its window (the prior). Steps are redone from the first
        inserted time on; a step whose window holds no inserted time and whose previous step
        and prior came out as before is reused, and once a whole window's worth of steps came
        out as before, with no inserted time ahead, everything after is unchanged. The
        window's sums slide along: each claim is added once and removed once.
        """
        city.status = None
        times = city.times
        start = inserted[0]
        first = bisect.bisect_left(times, start)
        old_steps = {step.at: step for step in city.steps[first:]}
        steps = city.steps[:first]
        changed: list[int] = []  # indexes of steps that differ from before
        last = len(times) - 1  # the last step redone
        if city.window is not None and city.window[1] == first - 1:
            # only later times came: go on from where the last step's window stood
            window, _, lo_window = city.window
        else:
            window = _Window()
            lo_window = bisect.bisect_right(times, times[first] - WINDOW)
            for t in times[lo_window:first]:
                for entry in city.claims[t]:
                    window.add(entry)
        city.window = None
        work = window.work
        for index in range(first, len(times)):
            at = times[index]
            lo = bisect.bisect_right(times, at - WINDOW, lo_window)
            while lo_window < lo:
                for _ in city.claims[times[lo_window]]:
                    window.remove_oldest()
                lo_window += 1
            for entry in city.claims[at]:
                window.add(entry)
            old = old_steps.get(at) if old_steps else None
            if (
                old is not None
                # no inserted time in this step's window
                and bisect.bisect_right(inserted, at) == bisect.bisect_right(inserted, at - WINDOW)
                # and neither the previous step nor the prior changed
                and not (changed and changed[-1] >= min(lo - 1, index - 1))
            ):
                if bisect.bisect_right(inserted, at) == len(inserted):
                    # a window's worth of steps came out as before: the rest stands
                    steps.extend(old_steps[t] for t in times[index:])
                    last = index - 1
                    break
                steps.append(old)
                continue
            prior = steps[lo - 1] if lo > 0 else None
            previous = steps[index - 1] if index > 0 else None
            state, confidence, disputed = window.decide(at, prior)
            new_state = previous is None or previous.state != state
            since = (at if new_state else previous.since) if at != UNDATED else None
            step = _Step(at, state, confidence, disputed, since)
            if step != old:
                changed.append(index)
            steps.append(step)
        else:
            city.window = (window, len(times) - 1, lo_window)
        self.work += window.work - work
        city.steps = steps
        # The history between the first redone step and the last is rebuilt from the steps.
        end = times[last] if last >= first else start
        old_part = [h for h in city.history if start <= (h.at or UNDATED) <= end]
        rebuilt: list[StatusChange] = []
        for index in range(first, last + 1):
            step, previous = steps[index], steps[index - 1] if index > 0 else None
            if previous is None or previous.state != step.state:
                cause = tuple(e.claim for e in city.claims[step.at] if e.state == step.state)
                if not cause:
                    support = self._window_claims(city, index)
                    cause = tuple(c for c in support if c.state == step.state)
                rebuilt.append(
                    StatusChange(
                        city=name,
                        old=previous.state if previous else "unknown",
                        new=step.state,
                        at=step.since,
                        cause=cause,
                        disputed=step.disputed,
                    )
                )
        city.history = [
            *(h for h in city.history if (h.at or UNDATED) < start),
            *rebuilt,
            *(h for h in city.history if (h.at or UNDATED) > end),
        ]
        # An entry that only restates an old one (same new state at the same time, reached from
        # a different state because an older claim arrived late) is not news.
        known = {(h.new, h.at) for h in old_part}
        return [h for h in rebuilt if (h.new, h.at) not in known]

    def status(self, city: str) -> CityStatus:
        with self._lock:
            record = self._cities.get(city)
            if record is None or not record.steps:
                return CityStatus(
                    city=city, state="unknown", since=None, confidence=0.0, disputed=False
                )
            if record.status is None:
                step = record.steps[-1]
                window = self._window_claims(record, len(record.times) - 1)
                newest_first = sorted(window, key=_time, reverse=True)
                record.status = CityStatus(
                    city=city,
                    state=step.state,
                    since=step.since,
                    confidence=step.confidence,
                    disputed=step.disputed,
                    support=tuple(c for c in newest_first if c.state == step.state),
                    against=tuple(c for c in newest_first if c.state != step.state),
                )
            return record.status

    def history(self, city: str) -> tuple[StatusChange, ...]:
        """The city's status changes, oldest first."""
        with self._lock:
            record = self._cities.get(city)
            return tuple(record.history) if record else ()

    def cities(self) -> tuple[str, ...]:
        """Cities with at least one claim, in order of first claim."""
        with self._lock:
            return tuple(self._cities)


def resolve_claims(claims: Iterable[Claim], profile: Profile | None = None) -> list[CityStatus]:
    """Resolve a batch of claims at once (for `sitboard extract`)."""
    resolver = Resolver(profile)
    resolver.add(claims)
    return [resolver.status(city) for city in resolver.cities()]
