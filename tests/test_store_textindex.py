"""The block text index agrees with a plain `needle in key` scan, before and after removals."""

from __future__ import annotations

import random

from sitboard.store import textindex
from sitboard.store.textindex import TextIndex

WORDS = ["حماة", "حلب", "ادلب", "الجيش", "المعارضة", "hama", "aleppo", "x", "قوات", "ريف"]


def build(
    rng: random.Random, count: int
) -> tuple[TextIndex[int], dict[int, str], dict[int, float]]:
    index: TextIndex[int] = TextIndex()
    keys, ranks = {}, {}
    for n in range(count):
        keys[n] = " ".join(rng.choices(WORDS, k=rng.randint(0, 6)))
        ranks[n] = rng.random() * 1000
        index.add(n, keys[n], ranks[n])
    return index, keys, ranks


def brute(keys: dict[int, str], needle: str) -> set[int]:
    return {n for n, k in keys.items() if needle in k}


def test_search_contains_and_top_match_a_scan(monkeypatch) -> None:
    monkeypatch.setattr(textindex, "BLOCK", 7)  # many small blocks, boundaries everywhere
    rng = random.Random(5)
    index, keys, ranks = build(rng, 500)
    rank_of = lambda n: (ranks[n], n)  # noqa: E731
    needles = ["حماة", "ح", "hama", "a", "الجيش المعارضة", "zzz", " ", "ادلب ريف"]
    for round_ in range(3):
        for needle in needles:
            expected = brute(keys, needle)
            assert set(index.search(needle)) == expected, needle
            assert {n for n in keys if index.contains(n, needle)} == expected
            for limit in (1, 5, 50):
                want = sorted(expected, key=rank_of, reverse=True)[:limit]
                assert index.top(needle, limit, rank_of) == want
        # remove a random third, then add some more, and check again
        gone = rng.sample(sorted(keys), len(keys) // 3)
        index.remove(gone, lambda n: ranks[n])
        for n in gone:
            del keys[n]
        assert len(index) == len(keys)
        for n in range(10_000 * (round_ + 1), 10_000 * (round_ + 1) + 40):
            keys[n] = " ".join(rng.choices(WORDS, k=3))
            ranks[n] = rng.random() * 1000
            index.add(n, keys[n], ranks[n])


def test_a_match_never_spans_two_records() -> None:
    index: TextIndex[str] = TextIndex()
    index.add("a", "حما", 1.0)
    index.add("b", "ة حلب", 2.0)
    index.add("c", "with\x00nul", 3.0)
    assert list(index.search("حماة")) == []
    assert list(index.search("حما")) == ["a"]
    assert not index.contains("a", "حماة") and index.contains("b", "حلب")
    assert list(index.search("with nul")) == ["c"]
    assert index.top("x", 0, lambda k: (0.0, k)) == []


def test_keys_are_computed_on_first_search_or_when_prepared(monkeypatch) -> None:
    monkeypatch.setattr(textindex, "BLOCK", 4)
    calls: list[str] = []

    def keyer(source: str) -> str:
        calls.append(source)
        return source.upper()

    index: TextIndex[int] = TextIndex(keyer)
    for n in range(10):
        index.add(n, f"word{n} same", float(n))
    assert calls == [] and len(index.unprepared()) == 3
    assert sorted(index.search("WORD3")) == [3]
    assert len(calls) == 10 and index.unprepared() == []
    index.add(10, "late one", 10.0)
    steps = index.unprepared()
    assert len(steps) == 1
    steps[0]()
    assert index.unprepared() == [] and calls[-1] == "late one"
    assert index.contains(10, "LATE") and not index.contains(10, "late")
    index.remove([3, 10], float)
    assert sorted(index.search("WORD")) == [0, 1, 2, 4, 5, 6, 7, 8, 9]
    assert len(calls) == 11  # kept keys are not computed again
