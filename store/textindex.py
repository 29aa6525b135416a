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
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
BLOCK = 256
SEP = "\x00"


@dataclass
class _Block(Generic[K]):
    ids: list[K] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)  # where each record's key begins in blob
    parts: list[str] = field(default_factory=list)  # keys not yet joined into blob
    blob: str = ""
    max_rank: float = float("-inf")

    def text(self) -> str:
        if self.parts:
            self.blob = self.blob + "".join(self.parts)
            self.parts = []
        return self.blob

    def end(self, i: int) -> int:
        """Where record i's key ends (before its separator)."""
        if i + 1 < len(self.starts):
            return self.starts[i + 1] - 1
        return len(self.text()) - 1

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
    def __init__(self) -> None:
        self._blocks: list[_Block[K]] = []
        self._where: dict[K, tuple[_Block[K], int]] = {}
        self._size = 0  # characters in the open block, to know where the next key starts

    def __len__(self) -> int:
        return len(self._where)

    def add(self, key_id: K, text: str, rank: float) -> None:
        text = text.replace(SEP, " ")
        if not self._blocks or len(self._blocks[-1].ids) >= BLOCK:
            self._blocks.append(_Block())
            self._size = 0
        block = self._blocks[-1]
        self._where[key_id] = (block, len(block.ids))
        block.ids.append(key_id)
        block.starts.append(self._size)
        block.parts.append(text + SEP)
        block.max_rank = max(block.max_rank, rank)
        self._size += len(text) + 1

    def remove(self, key_ids: Iterable[K], rank_of: Callable[[K], float]) -> None:
        """Drop records; the blocks they were in are rebuilt from their remaining keys."""
        touched: dict[int, _Block[K]] = {}
        for key_id in key_ids:
            found = self._where.pop(key_id, None)
            if found is not None:
                touched[id(found[0])] = found[0]
        if not touched:
            return
        kept: list[tuple[K, str]] = []
        for block in self._blocks:
            if id(block) in touched:
                blob = block.text()
                for i, key_id in enumerate(block.ids):
                    if key_id in self._where:
                        kept.append((key_id, blob[block.starts[i] : block.end(i)]))
        # rebuild: untouched blocks stay as they are; surviving keys of touched blocks are
        # appended again (their block order no longer matters: ranks are kept per block)
        self._blocks = [b for b in self._blocks if id(b) not in touched]
        self._size = len(self._blocks[-1].text()) if self._blocks else 0
        if self._blocks and len(self._blocks[-1].ids) >= BLOCK:
            self._size = 0
        for key_id, text in kept:
            self.add(key_id, text, rank_of(key_id))

    def contains(self, key_id: K, needle: str) -> bool:
        found = self._where.get(key_id)
        if found is None:
            return False
        block, i = found
        return block.text().find(needle, block.starts[i], block.end(i)) != -1

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
