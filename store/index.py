"""In-memory indexes over stored items and claims, and the filtered queries behind views.

Built once when the store opens and updated on each commit, so filtering never scans
TinyDB. Items are keyed by id; claims by an ordinal (their position in `_claims`).
The index is not thread-safe by itself: the store guards it with a lock.
"""

from __future__ import annotations

import heapq
from bisect import insort
from collections.abc import Callable, Collection, Iterable, Sequence
from datetime import datetime

from sitboard.ingest.model import Claim, Filters, Item

from .records import ItemRecord, full_item, item_time
from .textindex import TextIndex

SearchKey = Callable[[str], str]
# Below this many candidates, test each one's key; above, search all keys and intersect.
DIRECT_TEST = 2000


def fallback_search_key(text: str) -> str:
    return " ".join(text.casefold().split())


def load_search_key() -> SearchKey:
    """The Arabic-aware search key of ingest/arabic.py when it exists, else casefolding."""
    try:
        from sitboard.ingest.arabic import search_key
    except ImportError:
        return fallback_search_key
    return search_key


def timestamp(when: datetime | None) -> float:
    return when.timestamp() if when is not None else 0.0


ClaimKey = tuple[str, str, str, str, str]


def claim_key(claim: Claim) -> ClaimKey:
    """Claim.id as a tuple of the claim's own strings (no new string per claim)."""
    return (claim.item, claim.source, claim.city, claim.kind, claim.evidence)


def _merge_sorted(target: list, new: list) -> None:
    """Add `new` entries to the sorted list `target`, keeping it sorted."""
    if len(new) <= 8:
        for entry in new:
            insort(target, entry)
        return
    # Timsort merges the sorted old run with the sorted new tail in linear time.
    new.sort()
    target.extend(new)
    target.sort()


def _union(sets: Iterable[set]) -> set:
    out: set = set()
    for s in sets:
        out |= s
    return out


class Index:
    def __init__(self, search_key: SearchKey) -> None:
        self.key = search_key
        # items by id: whole, or (loaded from the file) records whose title and text stay there
        self.items: dict[str, ItemRecord] = {}
        # search keys of title + text, and of claims' sentences (computed on first search)
        self._item_text: TextIndex[str] = TextIndex(self._item_key)
        self._item_sort: dict[str, tuple[float, str]] = {}
        self._order: list[tuple[float, str]] = []  # oldest first
        self._items_by_place: dict[str, set[str]] = {}
        self._items_by_outlet: dict[str, set[str]] = {}  # casefolded outlet or feed name
        self._items_by_actor: dict[str, dict[str, int]] = {}  # claim source -> item id -> n
        self._outlet_names: dict[str, str] = {}  # casefolded -> as written (outlets only)
        self._folded: dict[str, str] = {}  # name -> casefolded, computed once per name

        self._claims: list[Claim | None] = []  # None once pruned
        self._claim_ts: list[float] = []
        self._claim_text: TextIndex[int] = TextIndex(search_key)
        self._claims_by_item: dict[str, list[int]] = {}
        self._claims_by_source: dict[str, list[tuple[float, int]]] = {}  # oldest first
        self._claims_by_city: dict[str, set[int]] = {}
        self._claims_by_outlet: dict[str, set[int]] = {}  # casefolded outlet or feed name
        self.claim_count = 0

    # -- updates --------------------------------------------------------------------------

    def has_item(self, item_id: str) -> bool:
        return item_id in self.items

    def has_claim(self, claim: Claim) -> bool:
        return self._has_key(claim_key(claim))

    def _has_key(self, key: ClaimKey) -> bool:
        # (the item's few claims, not a set of every claim's key: that is tens of MB)
        claims = self._claims
        for n in self._claims_by_item.get(key[0], ()):
            claim = claims[n]
            if claim is not None and claim_key(claim) == key:
                return True
        return False

    def claim_time(self, claim: Claim) -> float:
        if claim.when is not None:
            return claim.when.timestamp()
        item = self.items.get(claim.item)
        return item_time(item) if item is not None else 0.0

    def _fold(self, name: str) -> str:
        folded = self._folded.get(name)
        if folded is None:
            folded = self._folded[name] = name.casefold()
        return folded

    def item(self, item_id: str) -> Item | None:
        """The whole item (read from the file if only its record is in memory)."""
        record = self.items.get(item_id)
        return None if record is None else full_item(record)

    def add_items(self, items: Iterable[ItemRecord]) -> None:
        added: list[tuple[float, str]] = []
        for item in items:
            if item.id in self.items:
                continue
            self.items[item.id] = item
            sort = (item_time(item), item.id)
            self._item_sort[item.id] = sort
            self._item_text.add(item.id, item, sort[0])
            added.append(sort)
            for place in item.places:
                self._items_by_place.setdefault(place, set()).add(item.id)
            outlet = self._fold(item.outlet)
            self._outlet_names.setdefault(outlet, item.outlet)
            self._items_by_outlet.setdefault(outlet, set()).add(item.id)
            self._items_by_outlet.setdefault(self._fold(item.feed), set()).add(item.id)
        _merge_sorted(self._order, added)

    def _item_key(self, record: ItemRecord) -> str:
        item = full_item(record)
        return self.key(f"{item.title}\n{item.text}")

    def unprepared(self) -> list[Callable[[], str]]:
        """Steps that compute the search keys not computed yet (see TextIndex.unprepared)."""
        return [*self._item_text.unprepared(), *self._claim_text.unprepared()]

    def add_claims(self, claims: Iterable[Claim]) -> None:
        added: dict[str, list[tuple[float, int]]] = {}
        for claim in claims:
            if self._has_key(claim_key(claim)):
                continue
            n = len(self._claims)
            ts = self.claim_time(claim)
            self._claims.append(claim)
            self._claim_ts.append(ts)
            self._claim_text.add(n, claim.evidence, ts)
            self._claims_by_item.setdefault(claim.item, []).append(n)
            added.setdefault(claim.source, []).append((ts, n))
            self._claims_by_city.setdefault(claim.city, set()).add(n)
            per_item = self._items_by_actor.setdefault(self._fold(claim.source), {})
            per_item[claim.item] = per_item.get(claim.item, 0) + 1
            names = {self._fold(claim.outlet)} if claim.outlet else set()
            item = self.items.get(claim.item)
            if item is not None:
                names.add(self._fold(item.outlet))
                names.add(self._fold(item.feed))
            for name in names:
                self._claims_by_outlet.setdefault(name, set()).add(n)
            self.claim_count += 1
        for source, entries in added.items():
            _merge_sorted(self._claims_by_source.setdefault(source, []), entries)

    def remove_items(self, item_ids: Iterable[str]) -> int:
        """Drop items and their claims; returns the number of claims dropped."""
        gone = {i for i in item_ids if i in self.items}
        if not gone:
            return 0
        dropped: set[int] = set()
        for item_id in gone:
            item = self.items.pop(item_id)
            for place in item.places:
                self._discard(self._items_by_place, place, item_id)
            self._discard(self._items_by_outlet, item.outlet.casefold(), item_id)
            self._discard(self._items_by_outlet, item.feed.casefold(), item_id)
            for n in self._claims_by_item.pop(item_id, ()):
                claim = self._claims[n]
                if claim is None:
                    continue
                dropped.add(n)
                self._claims[n] = None
                self._discard(self._claims_by_city, claim.city, n)
                per_item = self._items_by_actor.get(claim.source.casefold())
                if per_item is not None:
                    per_item.pop(item_id, None)
                    if not per_item:
                        del self._items_by_actor[claim.source.casefold()]
        self._item_text.remove(gone, lambda i: self._item_sort[i][0])
        self._claim_text.remove(dropped, self._claim_ts.__getitem__)
        for item_id in gone:
            del self._item_sort[item_id]
        self._order = [s for s in self._order if s[1] not in gone]
        for source, entries in list(self._claims_by_source.items()):
            kept = [e for e in entries if e[1] not in dropped]
            if kept:
                self._claims_by_source[source] = kept
            else:
                del self._claims_by_source[source]
        for name, ordinals in list(self._claims_by_outlet.items()):
            ordinals -= dropped
            if not ordinals:
                del self._claims_by_outlet[name]
        live_outlets = {item.outlet.casefold() for item in self.items.values()}
        for name in list(self._outlet_names):
            if name not in live_outlets:
                del self._outlet_names[name]
        self.claim_count -= len(dropped)
        return len(dropped)

    @staticmethod
    def _discard(index: dict[str, set], key: str, value: object) -> None:
        members = index.get(key)
        if members is not None:
            members.discard(value)
            if not members:
                del index[key]

    # -- reads ----------------------------------------------------------------------------

    def all_claims(self) -> list[Claim]:
        """Every stored claim in time order (oldest first), as the resolver wants them."""
        live = [n for n, c in enumerate(self._claims) if c is not None]
        live.sort(key=lambda n: (self._claim_ts[n], n))
        return [c for n in live if (c := self._claims[n]) is not None]

    def claims_for_item(self, item_id: str) -> tuple[Claim, ...]:
        return tuple(
            c for n in self._claims_by_item.get(item_id, ()) if (c := self._claims[n]) is not None
        )

    def items_older_than(self, cutoff: float) -> list[str]:
        out = []
        for ts, item_id in self._order:
            if ts >= cutoff:
                break
            out.append(item_id)
        return out

    def city_counts(self) -> list[tuple[str, int]]:
        places = set(self._items_by_place) | set(self._claims_by_city)
        counts = [
            (p, len(self._items_by_place.get(p, ())) + len(self._claims_by_city.get(p, ())))
            for p in places
        ]
        counts.sort(key=lambda pc: (-pc[1], pc[0]))
        return counts

    def source_counts(self) -> list[tuple[str, int]]:
        counts: dict[str, int] = {s: len(e) for s, e in self._claims_by_source.items()}
        for folded, name in self._outlet_names.items():
            counts[name] = counts.get(name, 0) + len(self._items_by_outlet.get(folded, ()))
        return sorted(counts.items(), key=lambda sc: (-sc[1], sc[0]))

    def headlines(self, filters: Filters, limit: int) -> tuple[Item, ...]:
        needle = self.key(filters.text).replace("\x00", "") if filters.text else ""
        candidates: set[str] | None = None
        if filters.cities:
            candidates = _union(self._items_by_place.get(c, set()) for c in filters.cities)
        if filters.sources:
            folded = {s.casefold() for s in filters.sources}
            by_source = _union(self._items_by_outlet.get(s, set()) for s in folded)
            by_source |= _union(set(self._items_by_actor.get(s, {})) for s in folded)
            candidates = by_source if candidates is None else candidates & by_source
        if limit <= 0:
            return ()
        if candidates is None:
            if needle:
                best = self._item_text.top(needle, limit, self._item_sort.__getitem__)
                return tuple(full_item(self.items[i]) for i in best)
            return tuple(full_item(self.items[i]) for _, i in self._order[: -limit - 1 : -1])
        if needle:
            candidates = self._text_filter(self._item_text, candidates, needle)
        best = heapq.nlargest(limit, candidates, key=self._item_sort.__getitem__)
        return tuple(full_item(self.items[i]) for i in best)

    @staticmethod
    def _text_filter(index: TextIndex, candidates: set, needle: str) -> set:
        if len(candidates) <= DIRECT_TEST:
            return {k for k in candidates if index.contains(k, needle)}
        return candidates.intersection(index.search(needle))

    def claims_by_source(
        self, filters: Filters, per_source: int
    ) -> tuple[tuple[str, tuple[Claim, ...]], ...]:
        needle = self.key(filters.text).replace("\x00", "") if filters.text else ""
        candidates: set[int] | None = None
        if filters.cities:
            candidates = _union(self._claims_by_city.get(c, set()) for c in filters.cities)
        if filters.sources:
            folded = {s.casefold() for s in filters.sources}
            chosen: set[int] = set()
            for source, entries in self._claims_by_source.items():
                if source.casefold() in folded:
                    chosen.update(n for _, n in entries)
            chosen |= _union(self._claims_by_outlet.get(s, set()) for s in folded)
            candidates = chosen if candidates is None else candidates & chosen
        if candidates is None and not needle:
            groups = sorted(self._claims_by_source.items(), key=lambda se: (-len(se[1]), se[0]))
            return tuple((source, self._newest(entries, per_source)) for source, entries in groups)
        claims = self._claims
        if candidates is None:
            pool: Iterable[int] = self._claim_text.search(needle)
        elif needle:
            pool = self._text_filter(self._claim_text, candidates, needle)
        else:
            pool = candidates
        grouped: dict[str, list[int]] = {}
        for n in pool:
            claim = claims[n]
            if claim is not None:
                grouped.setdefault(claim.source, []).append(n)
        ts = self._claim_ts
        ordered = sorted(grouped.items(), key=lambda so: (-len(so[1]), so[0]))
        out = []
        for source, ordinals in ordered:
            best = heapq.nlargest(per_source, ordinals, key=lambda n: (ts[n], n))
            out.append((source, tuple(c for n in best if (c := claims[n]) is not None)))
        return tuple(out)

    # -- the unfiltered board after a commit, before the commit is applied ----------------

    def headlines_after(
        self, added: Iterable[Item], removed: Collection[str], limit: int
    ) -> list[Item]:
        """What headlines(no filters, limit) will be once `added` are added and `removed`
        removed (as a commit does: add_items, then remove_items)."""
        if limit <= 0:
            return []
        new = {item.id: item for item in added if item.id not in self.items}
        tail = self._order[max(0, len(self._order) - limit - len(removed)) :]
        pool = [s for s in tail if s[1] not in removed]
        pool += [(i.when.timestamp(), i.id) for i in new.values() if i.id not in removed]
        pool.sort(reverse=True)
        return [new[i] if i in new else full_item(self.items[i]) for _, i in pool[:limit]]

    def sources_after(
        self, added: Sequence[tuple[float, Claim]], removed: Collection[str], limit: int
    ) -> list[tuple[str, int, tuple[Claim, ...]]]:
        """What claims_by_source(no filters, limit) will be, with each source's count, once
        `added` ((time, claim), in the order add_claims gets them, none stored yet) are
        added and the claims of the items `removed` dropped."""
        dropped = {
            n
            for item_id in removed
            for n in self._claims_by_item.get(item_id, ())
            if self._claims[n] is not None
        }
        base = len(self._claims)
        new: dict[str, list[tuple[float, int]]] = {}
        by_ordinal: dict[int, Claim] = {}
        seen: set[ClaimKey] = set()
        for ts, claim in added:
            key = claim_key(claim)
            if key in seen or self._has_key(key):
                continue
            seen.add(key)
            n = base + len(by_ordinal)
            by_ordinal[n] = claim
            if claim.item not in removed:
                new.setdefault(claim.source, []).append((ts, n))
        out = []
        for source in set(self._claims_by_source) | set(new):
            entries = self._claims_by_source.get(source, [])
            fresh = new.get(source, [])
            if dropped:
                count = sum(1 for _, n in entries if n not in dropped) + len(fresh)
                tail = entries[max(0, len(entries) - limit - len(dropped)) :]
                tail = [e for e in tail if e[1] not in dropped]
            else:
                count = len(entries) + len(fresh)
                tail = entries[max(0, len(entries) - limit) :]
            if not count:
                continue
            pool = sorted([*tail, *fresh])[max(0, len(tail) + len(fresh) - limit) :]
            shown = [by_ordinal[n] if n >= base else self._claims[n] for _, n in reversed(pool)]
            if limit <= 0:
                shown = []
            out.append((source, count, tuple(c for c in shown if c is not None)))
        out.sort(key=lambda entry: (-entry[1], entry[0]))
        return out

    def _newest(self, entries: list[tuple[float, int]], limit: int) -> tuple[Claim, ...]:
        out = []
        for _, n in reversed(entries[-limit:] if limit > 0 else []):
            claim = self._claims[n]
            if claim is not None:
                out.append(claim)
        return tuple(out)
