"""Messages the poll worker sends to the board."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sitboard.ingest.model import FeedResult
from textual.message import Message

if TYPE_CHECKING:
    from sitboard.store import CommitReport


@dataclass
class PollFinished(Message):
    """One poll cycle ended: results fetched, and committed unless `error` says why not."""

    results: list[FeedResult]
    report: CommitReport | None  # None when nothing was committed
    error: str | None = None  # a StoreError message: the board keeps what it has
    only: str | None = None  # the one feed polled on request (feed status screen), else None
