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
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

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


@dataclass(frozen=True, slots=True)
class _Step:
    """The resolved state of one city at one claim time."""

    at: datetime
    state: str
    confidence: float
    disputed: bool
    since: datetime | None
    support: tuple[Claim, ...]
    against: tuple[Claim, ...]


@dataclass(slots=True)
class _City:
    times: list[datetime] = field(default_factory=list)  # sorted distinct claim times
    claims: dict[datetime, list[Claim]] = field(default_factory=dict)
    ids: set[str] = field(default_factory=set)
    steps: list[_Step] = field(default_factory=list)  # parallel to times
    history: list[StatusChange] = field(default_factory=list)


def _decide(
    window: list[Claim], at: datetime, prior: _Step | None
) -> tuple[str, float, dict[str, float], dict[str, float]]:
    """The winning state for one step, its confidence, and per-claim and per-state weights."""
    per_claim: dict[str, float] = {}
    by_source: dict[tuple[str, str], list[float]] = {}
    for claim in window:
        age = (at - _time(claim)).total_seconds()
        decay = 0.5 ** (max(0.0, age) / HALF_LIFE.total_seconds())
        weight = claim_weight(claim) * decay
        per_claim[claim.id] = weight
        by_source.setdefault((claim.state, _source_key(claim)), []).append(weight)
    scores: dict[str, float] = {}
    for (state, _source), weights in by_source.items():
        weights.sort(reverse=True)
        scores[state] = scores.get(state, 0.0) + weights[0] + REPEAT * sum(weights[1:])
    if prior is not None and prior.state != "unknown":
        # the prior's state only, not its confidence: a late claim's effect then stops
        # spreading once the states it touches come out as before
        scores[prior.state] = scores.get(prior.state, 0.0) + PRIOR
    # Ties go to the state of the newest claim, then to the alphabetically first state.
    newest = {c.state: _time(c) for c in sorted(window, key=_time)}
    state = max(scores, key=lambda s: (round(scores[s], 9), newest.get(s, UNDATED), s))
    total = sum(scores.values())
    share = scores[state] / total if total else 0.0
    confidence = share * (1.0 - math.exp(-scores[state]))
    return state, round(confidence, 3), per_claim, scores


class Resolver:
    """Keeps each city's status, updated incrementally as claims arrive."""

    def __init__(self, profile: Profile | None = None) -> None:
        self.profile = profile
        self._cities: dict[str, _City] = {}
        self._lock = threading.Lock()

    def add(self, claims: Iterable[Claim]) -> list[StatusChange]:
        """Add claims (duplicates by id are ignored); return the status changes they caused.

        A claim older than others already added rewrites the history from its time on;
        `history(city)` is then the authoritative account, and only the entries that are news
        (a state reached at a time not recorded before) are returned here.
        """
        inserted: dict[str, set[datetime]] = {}
        with self._lock:
            for claim in claims:
                city = self._cities.setdefault(claim.city, _City())
                if claim.id in city.ids:
                    continue
                city.ids.add(claim.id)
                at = _time(claim)
                bucket = city.claims.get(at)
                if bucket is None:
                    bucket = city.claims[at] = []
                    bisect.insort(city.times, at)
                bisect.insort(bucket, claim, key=lambda c: c.id)
                inserted.setdefault(claim.city, set()).add(at)
            changes: list[StatusChange] = []
            for name, times in inserted.items():
                changes.extend(self._recompute(name, self._cities[name], sorted(times)))
        changes.sort(key=lambda c: (c.at or UNDATED, c.city))
        return changes

    def _recompute(self, name: str, city: _City, inserted: list[datetime]) -> list[StatusChange]:
        """Redo the steps the inserted claim times can change; return history entries that
        are new.

        A step depends on the claims of its window, on the step before it (for `since`) and
        on the last step before its window (the prior). Steps are redone from the first
        inserted time on; a step whose window holds no inserted time and whose previous step
        and prior came out as before is reused, and once a whole window's worth of steps came
        out as before, with no inserted time ahead, everything after is unchanged.
        """
        start = inserted[0]
        first = bisect.bisect_left(city.times, start)
        old_steps = {step.at: step for step in city.steps[first:]}
        steps = city.steps[:first]
        changed: list[int] = []  # indexes of steps that differ from before
        last = len(city.times) - 1  # the last step redone
        for index in range(first, len(city.times)):
            at = city.times[index]
            lo = bisect.bisect_right(city.times, at - WINDOW)
            old = old_steps.get(at)
            touched = bisect.bisect_right(inserted, at) > bisect.bisect_right(inserted, at - WINDOW)
            moved = bool(changed) and changed[-1] >= min(lo - 1, index - 1)
            if old is not None and not touched and not moved:
                if bisect.bisect_right(inserted, at) == len(inserted):
                    # a window's worth of steps came out as before: the rest stands
                    steps.extend(old_steps[t] for t in city.times[index:])
                    last = index - 1
                    break
                steps.append(old)
                continue
            window = [c for t in city.times[lo : index + 1] for c in city.claims[t]]
            prior = steps[lo - 1] if lo > 0 else None
            previous = steps[index - 1] if index > 0 else None
            state, confidence, weights, _scores = _decide(window, at, prior)
            support = tuple(c for c in window if c.state == state)
            against = tuple(c for c in window if c.state != state)
            disputed = any(weights[c.id] >= CREDIBLE for c in against)
            new_state = previous is None or previous.state != state
            since = (at if new_state else previous.since) if at != UNDATED else None
            step = _Step(at, state, confidence, disputed, since, support, against)
            if step != old:
                changed.append(index)
            steps.append(step)
        city.steps = steps
        # The history between the first redone step and the last is rebuilt from the steps.
        end = city.times[last] if last >= first else start
        old_part = [h for h in city.history if start <= (h.at or UNDATED) <= end]
        rebuilt: list[StatusChange] = []
        for index in range(first, last + 1):
            step, previous = steps[index], steps[index - 1] if index > 0 else None
            if previous is None or previous.state != step.state:
                rebuilt.append(
                    StatusChange(
                        city=name,
                        old=previous.state if previous else "unknown",
                        new=step.state,
                        at=step.since,
                        cause=tuple(c for c in step.support if _time(c) == step.at) or step.support,
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
            step = record.steps[-1]
            return CityStatus(
                city=city,
                state=step.state,
                since=step.since,
                confidence=step.confidence,
                disputed=step.disputed,
                support=tuple(sorted(step.support, key=_time, reverse=True)),
                against=tuple(sorted(step.against, key=_time, reverse=True)),
            )

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
