"""Substring search over the normalised search keys of many records.

Keys are joined into blocks of BLOCK records (separated by NUL) and searched with str.find,
so a search runs at C speed over the whole text instead of testing each record in Python;
only the hits cost Python work. Each block remembers the highest rank (time) it holds, so
"the newest N matches" can stop once no remaining block can beat what it already found.
"""

from __future__ import annotations

import heapq
from bisect import bisect_right
from collections.abc import Callable, Hashable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

K = TypeVar("K", bound=Hashable)
BLOCK = 256
SEP = "\x00"


class _Ready(str):
    """A record's key already computed (kept pending after a removal), not a source."""

    __slots__ = ()


@dataclass
class _Block(Generic[K]):
    ids: list[K] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)  # where each record's key begins in blob
    # records not yet in blob: their source (keyed on first use) or, when ready, their key
    # (a _Ready); no tuple per record: a store has hundreds of thousands of them
    pending: list[object] = field(default_factory=list)
    blob: str = ""
    max_rank: float = float("-inf")
    keyer: Callable[[Any], str] | None = None

    def text(self) -> str:
        """The block's keys joined (computing the keys still pending first)."""
        if self.pending:
            keyer = self.keyer
            done: dict[object, str] = {}  # records of one item often share their text
            keys = []
            for source in self.pending:
                if keyer is None or type(source) is _Ready:
                    key = str(source)
                else:
                    key = done.get(source) if isinstance(source, str) else None
                    if key is None:
                        key = keyer(source)
                        if isinstance(source, str):
                            done[source] = key
                keys.append(key.replace(SEP, " ") + SEP)
            position = len(self.blob)
            for key in keys:
                self.starts.append(position)
                position += len(key)
            self.blob = self.blob + "".join(keys)
            self.pending = []
        return self.blob

    def end(self, i: int) -> int:
        """Where record i's key ends (before its separator)."""
        blob = self.text()
        if i + 1 < len(self.starts):
            return self.starts[i + 1] - 1
        return len(blob) - 1

    def hits(self, needle: str) -> Iterator[int]:
        blob = self.text()
        pos = blob.find(needle)
        while pos != -1:
            i = bisect_right(self.starts, pos) - 1
            yield i
            if i + 1 >= len(self.starts):
                return
            pos = blob.find(needle, self.starts[i + 1])


class TextIndex(Generic[K]):
    """Records keyed by `keyer(source)`, computed on the first search (or `prepare`), not
    when a record is added: opening a large store does not pay for searches not made."""

    def __init__(self, keyer: Callable[[Any], str] | None = None) -> None:
        self._blocks: list[_Block[K]] = []
        # each record's block (its place there is found when needed: no tuple per record)
        self._where: dict[K, _Block[K]] = {}
        self._keyer = keyer

    def __len__(self) -> int:
        return len(self._where)

    def add(self, key_id: K, source: object, rank: float) -> None:
        """Add a record; `source` is its key text, or what the keyer makes it from."""
        self._add(key_id, source, rank, ready=False)

    def _add(self, key_id: K, source: object, rank: float, *, ready: bool) -> None:
        if not self._blocks or len(self._blocks[-1].ids) >= BLOCK:
            self._blocks.append(_Block(keyer=self._keyer))
        block = self._blocks[-1]
        self._where[key_id] = block
        block.ids.append(key_id)
        block.pending.append(_Ready(source) if ready else source)
        block.max_rank = max(block.max_rank, rank)

    def unprepared(self) -> list[Callable[[], str]]:
        """One step per block whose keys are still to be computed (each step computes one
        block's), for building them ahead of the first search a little at a time."""
        return [block.text for block in self._blocks if block.pending]

    def remove(self, key_ids: Iterable[K], rank_of: Callable[[K], float]) -> None:
        """Drop records; the blocks they were in are rebuilt from their remaining keys."""
        touched: dict[int, _Block[K]] = {}
        for key_id in key_ids:
            found = self._where.pop(key_id, None)
            if found is not None:
                touched[id(found)] = found
        if not touched:
            return
        kept: list[tuple[K, object, bool]] = []  # (id, key or source, key?)
        for block in self._blocks:
            if id(block) in touched:
                # keys computed so far are kept; records still pending stay pending (their
                # sources may be readable only while they are stored: never key the removed)
                computed = len(block.starts)
                for i, key_id in enumerate(block.ids):
                    if key_id not in self._where:
                        continue
                    if i < computed:
                        end = block.starts[i + 1] - 1 if i + 1 < computed else len(block.blob) - 1
                        kept.append((key_id, block.blob[block.starts[i] : end], True))
                    else:
                        source = block.pending[i - computed]
                        kept.append((key_id, source, type(source) is _Ready))
        # rebuild: untouched blocks stay as they are; surviving keys of touched blocks are
        # appended again (their block order no longer matters: ranks are kept per block)
        self._blocks = [b for b in self._blocks if id(b) not in touched]
        for key_id, source, ready in kept:
            self._add(key_id, source, rank_of(key_id), ready=ready)

    def contains(self, key_id: K, needle: str) -> bool:
        block = self._where.get(key_id)
        if block is None:
            return False
        blob = block.text()
        i = block.ids.index(key_id)
        return blob.find(needle, block.starts[i], block.end(i)) != -1

    def search(self, needle: str) -> Iterator[K]:
        """Every record whose key contains `needle` (in no particular order)."""
        for block in self._blocks:
            ids = block.ids
            for i in block.hits(needle):
                yield ids[i]

    def top(self, needle: str, limit: int, rank_of: Callable[[K], tuple]) -> list[K]:
        """The `limit` matches with the highest rank_of, highest first."""
        if limit <= 0:
            return []
        heap: list[tuple[tuple, K]] = []
        for block in sorted(self._blocks, key=lambda b: b.max_rank, reverse=True):
            if len(heap) >= limit and block.max_rank < heap[0][0][0]:
                break
            for i in block.hits(needle):
                key_id = block.ids[i]
                entry = (rank_of(key_id), key_id)
                if len(heap) < limit:
                    heapq.heappush(heap, entry)
                elif entry[0] > heap[0][0]:
                    heapq.heapreplace(heap, entry)
        return [k for _, k in sorted(heap, key=lambda e: e[0], reverse=True)]
