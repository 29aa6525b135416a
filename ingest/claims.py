"""Claim extraction from one item (STUB: replaced by the claims work)."""

from __future__ import annotations

from .model import Claim, Item
from .profile import Profile


class Extractor:
    def __init__(self, profile: Profile) -> None:
        self.profile = profile

    def extract(self, item: Item) -> list[Claim]:
        return []
