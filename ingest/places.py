"""Place mentions in Arabic text (STUB: replaced by the Arabic text layer)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .profile import Profile

Scope = Literal["city", "countryside", "governorate", "edge", "towards", "partial", "ref"]


@dataclass(frozen=True, slots=True)
class PlaceMention:
    place: str  # place id
    scope: Scope
    start: int  # character offsets into the text given to find()
    end: int
    surface: str  # the text as written


class PlaceMatcher:
    def __init__(self, profile: Profile) -> None:
        self.profile = profile

    def find(self, text: str) -> list[PlaceMention]:
        return []

    def places(self, text: str) -> tuple[str, ...]:
        """Ids of the places mentioned, in order of first mention, without repeats."""
        return tuple(dict.fromkeys(m.place for m in self.find(text)))
