"""The resolver: time first, then stance, then agreement; disputes shown; order-independent."""

from __future__ import annotations

import itertools
import random
from datetime import UTC, datetime, timedelta

import pytest
from sitboard.ingest.model import Claim
from sitboard.ingest.resolve import Resolver, resolve_claims

T0 = datetime(2024, 12, 5, 12, 0, tzinfo=UTC)
_serial = itertools.count()

SIDES = {
    "syrian-army": "gov",
    "sana": "gov",
    "opposition": "opp",
    "sohr": "observer",
    "outlet": "media",
    "media": "media",
    "sdf": "sdf",
}


def claim(
    source: str,
    state: str,
    *,
    hours: float = 0.0,
    stance: str = "assert",
    kind: str = "capture",
    city: str = "hama",
    outlet: str = "Outlet A",
    confidence: float = 0.9,
    when: datetime | str | None = "default",
) -> Claim:
    at = T0 + timedelta(hours=hours) if when == "default" else when
    return Claim(
        item=f"item-{next(_serial)}",
        source=source,
        side=SIDES[source],
        city=city,
        state=state,
        kind=kind,
        stance=stance,
        when=at,  # type: ignore[arg-type]
        evidence=f"sentence {source} {state} {hours}",
        confidence=confidence,
        outlet=outlet,
    )


def test_unknown_city_has_unknown_state() -> None:
    resolver = Resolver()
    status = resolver.status("hama")
    assert (status.state, status.confidence, status.disputed) == ("unknown", 0.0, False)
    assert resolver.history("hama") == ()
    assert resolver.cities() == ()


def test_single_claim_sets_state_since_its_time() -> None:
    resolver = Resolver()
    one = claim("opposition", "opp", hours=1)
    changes = resolver.add([one])
    status = resolver.status("hama")
    assert status.state == "opp"
    assert status.since == one.when
    assert status.support == (one,)
    assert not status.disputed
    assert [(c.old, c.new, c.at) for c in changes] == [("unknown", "opp", one.when)]


def test_later_claim_supersedes_earlier_even_if_weaker() -> None:
    admission = claim("syrian-army", "gov", stance="admit", kind="hold", hours=0)
    later = claim("sohr", "opp", hours=30)
    status = resolve_claims([admission, later])[0]
    assert status.state == "opp"


def test_admission_outweighs_two_sources_at_same_time() -> None:
    # The army admits the loss; SOHR and SANA at nearly the same time say the army holds.
    claims = [
        claim("sohr", "gov", kind="repel", hours=0),
        claim("sana", "gov", kind="repel", hours=-1),
        claim("syrian-army", "opp", stance="admit", kind="loss", hours=0.5),
    ]
    status = resolve_claims(claims)[0]
    assert status.state == "opp"
    assert status.disputed
    assert {c.source for c in status.against} == {"sohr", "sana"}
    assert [c.source for c in status.support] == ["syrian-army"]


def test_party_claim_outweighs_neutral_report_at_same_time() -> None:
    status = resolve_claims([claim("sohr", "gov"), claim("opposition", "opp")])[0]
    assert status.state == "opp"
    assert status.disputed


def test_neutral_report_outweighs_allegation() -> None:
    status = resolve_claims(
        [claim("sohr", "contested", kind="fighting"), claim("sana", "gov", stance="allege")]
    )[0]
    assert status.state == "contested"


def test_independent_sources_outweigh_repeats_of_one_source() -> None:
    repeats = [claim("opposition", "opp", hours=h / 10) for h in range(4)]
    independent = [
        claim("syrian-army", "gov", hours=0),
        claim("sana", "gov", hours=0.1),
    ]
    status = resolve_claims([*repeats, *independent])[0]
    assert status.state == "gov"


def test_outlet_voices_of_different_outlets_are_independent() -> None:
    a = claim("outlet", "opp", outlet="A")
    b = claim("outlet", "opp", outlet="B")
    c = claim("sohr", "gov", hours=0.1)
    assert resolve_claims([a, b, c])[0].state == "opp"
    same = [claim("outlet", "opp", outlet="A"), claim("outlet", "opp", outlet="A", hours=0.05)]
    assert resolve_claims([*same, claim("opposition", "gov", hours=0.1)])[0].state == "gov"


def test_lone_allegation_does_not_flip_an_established_city() -> None:
    resolver = Resolver()
    resolver.add([claim("syrian-army", "opp", stance="admit", kind="loss", hours=0)])
    resolver.add([claim("sana", "gov", stance="allege", kind="hold", hours=12)])
    status = resolver.status("hama")
    assert status.state == "opp"
    assert status.disputed


def test_history_records_each_change_with_cause() -> None:
    resolver = Resolver()
    first = claim("sana", "gov", kind="repel", hours=-24)
    second = claim("opposition", "contested", kind="entry", hours=-6)
    third = claim("syrian-army", "opp", stance="admit", kind="loss", hours=0)
    resolver.add([first])
    resolver.add([second])
    changes = resolver.add([third])
    history = resolver.history("hama")
    assert [(h.old, h.new) for h in history] == [
        ("unknown", "gov"),
        ("gov", "contested"),
        ("contested", "opp"),
    ]
    assert history[-1].cause == (third,)
    assert [(c.old, c.new) for c in changes] == [("contested", "opp")]
    assert resolver.status("hama").since == third.when


def test_no_change_reported_when_state_holds() -> None:
    resolver = Resolver()
    resolver.add([claim("opposition", "opp", hours=0)])
    assert resolver.add([claim("sohr", "opp", hours=10)]) == []
    assert resolver.status("hama").since == T0


def test_duplicate_claims_are_ignored() -> None:
    resolver = Resolver()
    one = claim("opposition", "opp")
    resolver.add([one])
    assert resolver.add([one]) == []
    assert resolver.status("hama").support == (one,)


def test_late_arriving_old_claim_does_not_override_newer_state() -> None:
    resolver = Resolver()
    resolver.add([claim("syrian-army", "opp", stance="admit", kind="loss", hours=0)])
    changes = resolver.add([claim("sana", "gov", kind="repel", hours=-30)])
    assert resolver.status("hama").state == "opp"
    # The old claim still enters the history, before the change it preceded.
    assert [(h.old, h.new) for h in resolver.history("hama")] == [
        ("unknown", "gov"),
        ("gov", "opp"),
    ]
    # The history was rewritten from the old claim on; only the old state is news.
    assert [(c.old, c.new) for c in changes] == [("unknown", "gov")]


def test_arrival_order_does_not_change_the_result() -> None:
    claims = [
        claim("sana", "gov", kind="repel", hours=-26),
        claim("sohr", "contested", kind="fighting", hours=-8),
        claim("opposition", "contested", kind="entry", hours=-5),
        claim("syrian-army", "gov", stance="deny", kind="denial", hours=-4),
        claim("syrian-army", "opp", stance="admit", kind="loss", hours=0),
        claim("sohr", "gov", kind="repel", hours=-0.5),
        claim("outlet", "opp", hours=0),
        claim("opposition", "opp", kind="entry", hours=0),
    ]
    reference = Resolver()
    reference.add(sorted(claims, key=lambda c: c.when))
    expected = reference.status("hama")
    expected_history = reference.history("hama")
    rng = random.Random(7)
    for _ in range(20):
        shuffled = claims[:]
        rng.shuffle(shuffled)
        resolver = Resolver()
        for one in shuffled:
            resolver.add([one])
        status = resolver.status("hama")
        assert (status.state, status.confidence, status.disputed, status.since) == (
            expected.state,
            expected.confidence,
            expected.disputed,
            expected.since,
        )
        assert set(status.support) == set(expected.support)
        assert resolver.history("hama") == expected_history
    assert expected.state == "opp"
    assert expected.disputed


def test_cities_are_resolved_separately() -> None:
    claims = [
        claim("opposition", "opp", city="aleppo"),
        claim("syrian-army", "gov", kind="hold", city="hama"),
    ]
    status = {s.city: s.state for s in resolve_claims(claims)}
    assert status == {"aleppo": "opp", "hama": "gov"}


def test_undated_claims_lose_to_dated_ones() -> None:
    undated = claim("syrian-army", "opp", stance="admit", when=None)
    dated = claim("sohr", "gov", hours=0)
    status = resolve_claims([undated, dated])[0]
    assert status.state == "gov"
    alone = resolve_claims([claim("opposition", "opp", when=None)])[0]
    assert alone.state == "opp"
    assert alone.since is None


def test_confidence_grows_with_agreement() -> None:
    lone = resolve_claims([claim("opposition", "opp")])[0].confidence
    agreed = resolve_claims(
        [claim("opposition", "opp"), claim("sohr", "opp"), claim("outlet", "opp")]
    )[0].confidence
    assert 0 < lone < agreed <= 1


@pytest.mark.parametrize("state", ["gov", "opp", "sdf", "contested"])
def test_every_state_can_win(state: str) -> None:
    source = {"gov": "syrian-army", "opp": "opposition", "sdf": "sdf", "contested": "sohr"}[state]
    assert resolve_claims([claim(source, state)])[0].state == state


def test_incremental_equals_one_batch_on_random_streams() -> None:
    rng = random.Random(11)
    sources = ["syrian-army", "opposition", "sohr", "sana", "outlet"]
    for _ in range(5):
        claims = [
            claim(
                rng.choice(sources),
                rng.choice(["gov", "opp", "contested"]),
                hours=rng.uniform(-72, 0),
                stance=rng.choice(["assert", "admit", "deny", "allege"]),
                city=rng.choice(["hama", "homs"]),
            )
            for _ in range(60)
        ]
        whole = Resolver()
        whole.add(claims)
        rng.shuffle(claims)
        pieces = Resolver()
        while claims:
            size = rng.randint(1, 6)
            batch, claims = claims[:size], claims[size:]
            pieces.add(batch)
        for city in ("hama", "homs"):
            assert pieces.history(city) == whole.history(city)
            a, b = pieces.status(city), whole.status(city)
            assert (a.state, a.since, a.confidence, a.disputed) == (
                b.state,
                b.since,
                b.confidence,
                b.disputed,
            )
            assert set(a.support) == set(b.support)


def test_admitting_a_contest_does_not_outweigh_a_later_report_of_loss() -> None:
    contest = claim("syrian-army", "contested", stance="admit", kind="entry", hours=0)
    lost = claim("sohr", "opp", kind="loss", hours=2)
    assert resolve_claims([contest, lost])[0].state == "opp"
    # an admission that the other side holds the city still outweighs a neutral report
    admitted = claim("syrian-army", "opp", stance="admit", kind="loss", hours=0)
    held = claim("sohr", "gov", kind="repel", hours=1)
    assert resolve_claims([admitted, held])[0].state == "opp"


def _dense_stream(count: int) -> list[Claim]:
    # every claim inside one 6-hour window: the case where rebuilding each step's window
    # from scratch costs claims x claims
    rng = random.Random(count)
    sources = ["syrian-army", "opposition", "sohr", "sana", "outlet"]
    return [
        claim(
            rng.choice(sources),
            rng.choice(["gov", "opp", "contested"]),
            hours=5.5 * n / count,
            stance=rng.choice(["assert", "admit", "allege"]),
        )
        for n in range(count)
    ]


@pytest.mark.parametrize("batched", [True, False])
def test_window_work_grows_linearly_with_claims(batched: bool) -> None:
    work = []
    for count in (400, 800):
        resolver = Resolver()
        claims = _dense_stream(count)
        if batched:
            resolver.add(claims)
        else:
            for one in claims:
                resolver.add([one])
        assert resolver.status("hama").state != "unknown"
        work.append(resolver.work)
    # each claim enters and leaves a window once: twice the claims, twice the work
    # (rebuilding each step's window would be four times)
    assert work[0] >= 400
    assert work[1] <= 2.2 * work[0]
