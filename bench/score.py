"""Score the claim extractor and the resolver against the hand-annotated gold set.

    python bench/score.py [--gold DIR] [--seed DIR] [--verbose]

Each `NNN-slug.txt` (first line the title, the rest the body) with its `NNN-slug.gold.json` becomes
an Item and goes through `Extractor(profile).extract`. The set of (source, city, state) triples it
returns is compared with the annotation: an entry's "alt" values are also accepted, "optional"
entries count neither as misses nor as false positives. Then each item's claims are resolved on
their own and compared with its "status_after", and the whole set is fed in published order to
one Resolver and compared with `status_after.json` (final state and checkpoints).

This is a measurement, not a test: it always exits 0.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import sys
import time
import traceback
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

from sitboard.ingest.claims import Extractor
from sitboard.ingest.model import CityStatus, Claim, Item
from sitboard.ingest.places import PlaceMatcher
from sitboard.ingest.profile import Profile, load_profile
from sitboard.ingest.resolve import Resolver, resolve_claims

GOLD_DIR = Path(__file__).resolve().parent.parent / "tests" / "data" / "gold"
SYRIA = timezone(timedelta(hours=3))  # the local time the annotations' day words refer to
Triple = tuple[str, str, str]


@dataclass
class GoldItem:
    name: str
    item: Item
    claims: list[dict]
    optional: list[dict]
    status_after: dict[str, object]


@dataclass
class ItemScore:
    name: str
    predicted: list[Claim]
    matched: list[tuple[dict, Triple]]
    misses: list[dict]
    false_positives: list[Triple]
    error: str | None = None


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    checks: Counter = field(default_factory=Counter)  # "<what>" and "<what>:ok"

    def check(self, what: str, ok: bool) -> None:
        self.checks[what] += 1
        self.checks[f"{what}:ok"] += ok

    def ratio(self, what: str) -> str:
        total = self.checks[what]
        if not total:
            return "n/a"
        return f"{self.checks[f'{what}:ok'] / total:.3f} ({self.checks[f'{what}:ok']}/{total})"


def _utc(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)


def load_gold(directory: Path, matcher: PlaceMatcher) -> list[GoldItem]:
    """Every `*.gold.json` with its `.txt` in `directory`, by file name."""
    items = []
    for gold_path in sorted(directory.glob("*.gold.json")):
        name = gold_path.name.removesuffix(".gold.json")
        txt_path = gold_path.with_name(name + ".txt")
        if not txt_path.exists():
            print(f"warning: {gold_path.name} has no {txt_path.name}; skipped", file=sys.stderr)
            continue
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        title, _, body = txt_path.read_text(encoding="utf-8").partition("\n")
        published = _utc(gold["published"])
        item = Item(
            id=name,
            feed="gold",
            outlet=gold.get("outlet", ""),
            title=title.strip(),
            text=body.strip(),
            link=None,
            published=published,
            fetched=published,
            places=matcher.places(title + "\n" + body),
        )
        items.append(
            GoldItem(
                name=name,
                item=item,
                claims=list(gold.get("claims", [])),
                optional=list(gold.get("optional", [])),
                status_after=dict(gold.get("status_after", {})),
            )
        )
    return items


def _values(entry: dict, key: str) -> list[str]:
    return [entry[key], *entry.get("alt", {}).get(key, [])]


def accepted(entry: dict) -> set[Triple]:
    """The triples an annotation entry accepts: its own values and every alternative."""
    return set(
        itertools.product(_values(entry, "source"), _values(entry, "city"), _values(entry, "state"))
    )


def _primary(entry: dict) -> Triple:
    return (entry["source"], entry["city"], entry["state"])


def match(
    gold: Sequence[dict], predicted: Iterable[Triple]
) -> tuple[list[tuple[int, Triple]], list[int], list[Triple]]:
    """Pair gold entries with predicted triples (maximum bipartite matching).

    Returns (pairs of gold index and triple, unmatched gold indexes, unmatched triples).
    """
    triples = sorted(set(predicted))
    # The entry's own triple first, so an alternative is used only when the primary is absent
    # (otherwise a prediction of the primary could be left over and counted as false).
    options = [
        sorted(accepted(entry) & set(triples), key=lambda t, e=entry: (t != _primary(e), t))
        for entry in gold
    ]
    owner: dict[Triple, int] = {}

    def augment(g: int, visited: set[Triple]) -> bool:
        for triple in options[g]:
            if triple in visited:
                continue
            visited.add(triple)
            if triple not in owner or augment(owner[triple], visited):
                owner[triple] = g
                return True
        return False

    for g in range(len(gold)):
        augment(g, set())
    pairs = sorted((g, t) for t, g in owner.items())
    matched = {g for g, _ in pairs}
    return (
        pairs,
        [g for g in range(len(gold)) if g not in matched],
        [t for t in triples if t not in owner],
    )


def score_item(gold: GoldItem, extractor: Extractor) -> ItemScore:
    error = None
    try:
        predicted = list(extractor.extract(gold.item))
    except Exception:  # a crashing extractor is a result to report, not a reason to stop
        predicted = []
        error = traceback.format_exc(limit=3).strip().splitlines()[-1]
    triples = {(c.source, c.city, c.state) for c in predicted}
    pairs, missed, extra = match(gold.claims, triples)
    optional_ok = set().union(*(accepted(o) for o in gold.optional)) if gold.optional else set()
    return ItemScore(
        name=gold.name,
        predicted=predicted,
        matched=[(gold.claims[g], t) for g, t in pairs],
        misses=[gold.claims[g] for g in missed],
        false_positives=[t for t in extra if t not in optional_ok],
        error=error,
    )


def date_ok(entry: dict, published: datetime, when: datetime | None) -> bool | None:
    """Whether a claim's time fits the annotation's day; None when the annotation pins no day."""
    local = published.astimezone(SYRIA).date()
    label = entry.get("time")
    latest = None
    if "date" in entry:
        want = date.fromisoformat(entry["date"])
    elif label == "same":
        want = local
    elif label == "yesterday":
        want = local - timedelta(days=1)
    elif label == "earlier":  # earlier today or days ago: anything up to the item's day
        want, latest = None, local
    else:
        return None
    if when is None:
        return False
    day = when.astimezone(SYRIA).date()
    return day == want if latest is None else day <= latest


def _states(value: object) -> list[str]:
    return list(value) if isinstance(value, list) else [str(value)]


def resolve(claims: list[Claim], profile: Profile) -> dict[str, CityStatus]:
    try:
        statuses = resolve_claims(claims, profile)
    except TypeError:  # an older resolve_claims without the profile argument
        statuses = resolve_claims(claims)
    return {s.city: s for s in statuses}


def new_resolver(profile: Profile) -> Resolver:
    try:
        return Resolver(profile)
    except TypeError:
        return Resolver()


def _triple(t: Triple) -> str:
    return "/".join(t)


def _entry(e: dict) -> str:
    return f"{e['source']}/{e['city']}/{e['state']} ({e.get('kind')}, {e.get('stance')})"


def score_set(
    label: str, items: list[GoldItem], profile: Profile, verbose: bool, story: dict | None
) -> None:
    extractor = Extractor(profile)
    tally = Tally()
    print(f"== {label}: {len(items)} item(s)")
    scores = []
    for gold in items:
        result = score_item(gold, extractor)
        scores.append(result)
        tally.tp += len(result.matched)
        tally.fn += len(result.misses)
        tally.fp += len(result.false_positives)
        by_triple: dict[Triple, list[Claim]] = {}
        for claim in result.predicted:
            by_triple.setdefault((claim.source, claim.city, claim.state), []).append(claim)
        for entry, triple in result.matched:
            found = by_triple[triple]
            tally.check("kind", any(c.kind in _values(entry, "kind") for c in found))
            tally.check("stance", any(c.stance in _values(entry, "stance") for c in found))
            published = gold.item.published or gold.item.fetched
            fits = [date_ok(entry, published, c.when) for c in found]
            if fits[0] is not None:
                tally.check("date", any(fits))
        resolved = resolve(result.predicted, profile)
        wrong_status = []
        for city, want_state in gold.status_after.items():
            got = resolved[city].state if city in resolved else "unknown"
            ok = got in _states(want_state)
            tally.check("status", ok)
            tally.check(f"status@{city}", ok)
            if not ok:
                wrong_status.append(f"{city}: {got} (want {want_state})")
        if verbose and (result.misses or result.false_positives or wrong_status or result.error):
            print(f"-- {gold.name}")
            if result.error:
                print(f"   extractor error: {result.error}")
            for entry in result.misses:
                print(f"   miss  {_entry(entry)}  [{entry.get('where', '')}]")
            for triple in result.false_positives:
                evidence = by_triple[triple][0].evidence.replace("\n", " ")[:90]
                print(f"   false {_triple(triple)}  [{evidence}]")
            for line in wrong_status:
                print(f"   status {line}")
    errors = sum(1 for s in scores if s.error)
    precision = tally.tp / (tally.tp + tally.fp) if tally.tp + tally.fp else 0.0
    recall = tally.tp / (tally.tp + tally.fn) if tally.tp + tally.fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    print(f"triples: tp={tally.tp} fp={tally.fp} fn={tally.fn}")
    print(f"precision {precision:.3f}  recall {recall:.3f}  F1 {f1:.3f}")
    print(f"kind accuracy (matched)   {tally.ratio('kind')}")
    print(f"stance accuracy (matched) {tally.ratio('stance')}")
    print(f"date accuracy (matched)   {tally.ratio('date')}")
    print(f"per-item status accuracy  {tally.ratio('status')}")
    cities = sorted({k.split("@", 1)[1].removesuffix(":ok") for k in tally.checks if "@" in k})
    for city in cities:
        print(f"   {city:16} {tally.ratio(f'status@{city}')}")
    if errors:
        print(f"extractor errors: {errors} item(s)")
    if story is not None:
        score_story(items, scores, story, profile, verbose)
    print(f"extraction speed: {speed(extractor, [g.item for g in items]):.0f} items/s")


def score_story(
    items: list[GoldItem], scores: list[ItemScore], story: dict, profile: Profile, verbose: bool
) -> None:
    """Feed the whole set, oldest first, to one Resolver; check checkpoints and the end state."""
    resolver = new_resolver(profile)
    ordered = sorted(zip(items, scores, strict=True), key=lambda pair: pair[0].item.when)
    points = [(_utc(p["at"]), p["at"], p["status"]) for p in story.get("checkpoints", [])]
    points.append((datetime.max.replace(tzinfo=UTC), "end", story["status_after"]))
    position = 0
    ok_total = total = 0
    for at, label, expected in points:
        while position < len(ordered) and ordered[position][0].item.when <= at:
            resolver.add(ordered[position][1].predicted)
            position += 1
        ok = 0
        wrong = []
        for city, want in expected.items():
            got = resolver.status(city).state
            if got in _states(want):
                ok += 1
            else:
                wrong.append(f"{city}={got} (want {want})")
        ok_total += ok
        total += len(expected)
        line = f"story {label}: {ok}/{len(expected)}"
        if verbose and wrong:
            line += "  wrong: " + ", ".join(wrong)
        print(line)
    final = points[-1][2]
    print("story final status per city:")
    for city, want in final.items():
        status = resolver.status(city)
        mark = "ok " if status.state in _states(want) else "BAD"
        disputed = " disputed" if status.disputed else ""
        print(f"   {mark} {city:16} {status.state:10} want {want}{disputed}")
    print(f"story status accuracy {ok_total / total:.3f} ({ok_total}/{total})" if total else "")


def speed(extractor: Extractor, items: list[Item], budget: float = 0.5) -> float:
    """Items extracted per second over repeated passes (at least `budget` seconds)."""
    if not items:
        return 0.0
    done = 0
    start = time.perf_counter()
    while time.perf_counter() - start < budget:
        for item in items:
            with contextlib.suppress(Exception):
                extractor.extract(item)
        done += len(items)
    return done / (time.perf_counter() - start)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gold", type=Path, default=GOLD_DIR, help="gold set directory")
    parser.add_argument(
        "--seed", type=Path, help="also score this directory (e.g. /work/shared/seed)"
    )
    parser.add_argument(
        "--verbose", "-v", action="store_true", help="per-item misses and false positives"
    )
    args = parser.parse_args(argv)
    profile = load_profile("syria")
    matcher = PlaceMatcher(profile)
    story_path = args.gold / "status_after.json"
    story = json.loads(story_path.read_text(encoding="utf-8")) if story_path.exists() else None
    score_set(f"gold {args.gold}", load_gold(args.gold, matcher), profile, args.verbose, story)
    if args.seed:
        print()
        score_set(f"seed {args.seed}", load_gold(args.seed, matcher), profile, args.verbose, None)
    return 0


if __name__ == "__main__":
    try:
        main()
    except BrokenPipeError:  # output piped into head and closed early
        pass
    except Exception:  # still a measurement: say what broke, exit 0
        traceback.print_exc()
    sys.exit(0)
