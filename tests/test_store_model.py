"""The store against a plain reference model: random commits, duplicates, prunes and
reopens (each reopen reads the real file back), checked after every step."""

from __future__ import annotations

import random
from datetime import timedelta
from pathlib import Path

import pytest
from sitboard.ingest.model import Claim, Filters, Item
from sitboard.store import Store
from test_store_support import T0, WATCH, claim, item, result

CITIES = ("hama", "idlib", "aleppo", "homs")
SOURCES = ("sana", "opposition", "sohr", "syrian-army")
OUTLETS = ("Outlet A", "Outlet B", "قناة")


def random_item(rng: random.Random, n: int) -> Item:
    return item(
        n,
        minutes=rng.randint(0, 60 * 24 * 10),
        outlet=rng.choice(OUTLETS),
        feed=rng.choice(("Feed A", "Feed B")),
        title=f"خبر {n} " + rng.choice(("حماة", "حلب", "ادلب", "news")),
        places=tuple(rng.sample(CITIES, rng.randint(0, 2))),
    )


def random_claims(rng: random.Random, it: Item) -> list[Claim]:
    return [
        claim(
            it,
            rng.choice(SOURCES),
            city=rng.choice(it.places or CITIES),
            state=rng.choice(("gov", "opp", "contested")),
            evidence=f"{it.title} {k}",
        )
        for k in range(rng.randint(0, 2))
    ]


def check(store: Store, items: dict[str, Item], claims: dict[str, list[Claim]]) -> None:
    newest = sorted(items.values(), key=lambda i: (i.when, i.id), reverse=True)
    assert store.counts()["items"] == len(items)
    assert store.counts()["claims"] == sum(len(c) for c in claims.values())
    assert store.view(headlines=10_000).headlines == tuple(newest)
    for item_id, expected in claims.items():
        assert store.claims_for_item(item_id) == tuple(expected)
    city = "hama"
    want = [i for i in newest if city in i.places][:5]
    assert store.view(Filters(cities=frozenset({city})), headlines=5).headlines == tuple(want)
    outlet = "قناة"
    want = [i for i in newest if i.outlet == outlet and "حلب" in i.title][:5]
    got = store.view(Filters(sources=frozenset({outlet}), text="حلب"), headlines=5).headlines
    assert got == tuple(want)
    by_source: dict[str, list[Claim]] = {}
    for cs in claims.values():
        for c in cs:
            by_source.setdefault(c.source, []).append(c)
    view = store.view(claims_per_source=10_000)
    assert {s: len(cs) for s, cs in view.claims_by_source} == {
        s: len(cs) for s, cs in by_source.items()
    }
    counts = [len(cs) for _, cs in view.claims_by_source]
    assert counts == sorted(counts, reverse=True)


@pytest.mark.parametrize("seed", range(4))
def test_random_operations_match_the_reference(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    db = tmp_path / "db.json"
    items: dict[str, Item] = {}
    claims: dict[str, list[Claim]] = {}
    store = Store.open(db, None, WATCH)
    n = 0
    try:
        for _ in range(25):
            op = rng.random()
            if op < 0.6:  # a poll: new items, some already stored, some twice in the batch
                batch_items = [random_item(rng, n + k) for k in range(rng.randint(1, 8))]
                n += len(batch_items)
                old = rng.sample(sorted(items.values(), key=lambda i: i.id), min(2, len(items)))
                batch = batch_items + old + batch_items[:1]
                batch_claims = [c for it in batch_items for c in random_claims(rng, it)]
                old_claims = [c for it in old for c in random_claims(rng, it)]
                report = store.commit([result(batch, batch_claims + old_claims)])
                assert report.new_items == len(batch_items)
                for it in batch_items:
                    items[it.id] = it
                    claims[it.id] = []
                seen_claims: set[str] = set()
                for c in batch_claims:
                    if c.id not in seen_claims:
                        seen_claims.add(c.id)
                        claims[c.item].append(c)
                # claims are stored in time order (the time of their item)
                for it in batch_items:
                    claims[it.id].sort(key=lambda c: c.when)
            elif op < 0.75:  # retention
                cutoff = T0 + timedelta(minutes=rng.randint(0, 60 * 24 * 5))
                gone = [i for i, it in items.items() if it.when < cutoff]
                assert store.prune(cutoff) == len(gone)
                for item_id in gone:
                    del items[item_id]
                    del claims[item_id]
            else:  # restart
                store.close()
                store = Store.open(db, None, WATCH)
            check(store, items, claims)
    finally:
        store.close()
