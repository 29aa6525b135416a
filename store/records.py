"""Compact records of stored items: what filtering and ordering need, with the rest left
in the database file.

An item's title and text are most of a store's memory and are needed only for what a view
returns (a screenful), for `Store.item()`, exports and the search keys; a `StoredItem`
keeps the item's place in the file (the SpanDoc the tables share, which every write moves
to the item's new place) and decodes the whole Item from there when asked.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sitboard.ingest.model import Item

from . import serialize as ser
from .storage import SpanDoc


class StoredItem:
    """An item of the database file: its id, feed, outlet, places and time in memory."""

    __slots__ = ("feed", "id", "outlet", "places", "span", "ts")

    def __init__(
        self, id: str, feed: str, outlet: str, places: tuple[str, ...], ts: float, span: SpanDoc
    ) -> None:
        self.id = id
        self.feed = feed
        self.outlet = outlet
        self.places = places
        self.ts = ts  # Item.when as a timestamp
        self.span = span

    def item(self) -> Item:
        return ser.item_from_dict(self.span.value())


ItemRecord = Item | StoredItem


def stored_item(
    doc: Mapping[str, Any], span: SpanDoc, strings: dict[Any, Any]
) -> tuple[StoredItem, Item]:
    """The record of the item document `doc` (checked by decoding it whole: the Item is
    returned too, for the caller to drop), with repeated strings and tuples shared."""
    item = ser.item_from_dict(doc)
    share = strings.setdefault
    record = StoredItem(
        item.id,
        share(item.feed, item.feed),
        share(item.outlet, item.outlet),
        share(item.places, item.places),
        item.when.timestamp(),
        span,
    )
    return record, item


def full_item(record: ItemRecord) -> Item:
    return record.item() if type(record) is StoredItem else record  # type: ignore[return-value]


def item_time(record: ItemRecord) -> float:
    return record.ts if type(record) is StoredItem else record.when.timestamp()  # type: ignore[union-attr]
