"""City status from claims (STUB: replaced by the claims work)."""

from __future__ import annotations

from collections.abc import Iterable

from .model import CityStatus, Claim, StatusChange


class Resolver:
    """Keeps each city's status, updated incrementally as claims arrive."""

    def __init__(self) -> None:
        self._claims: dict[str, list[Claim]] = {}
        self._history: dict[str, list[StatusChange]] = {}

    def add(self, claims: Iterable[Claim]) -> list[StatusChange]:
        for claim in claims:
            self._claims.setdefault(claim.city, []).append(claim)
        return []

    def status(self, city: str) -> CityStatus:
        return CityStatus(city=city, state="unknown", since=None, confidence=0.0, disputed=False)

    def history(self, city: str) -> tuple[StatusChange, ...]:
        return tuple(self._history.get(city, ()))

    def cities(self) -> tuple[str, ...]:
        return tuple(self._claims)


def resolve_claims(claims: Iterable[Claim]) -> list[CityStatus]:
    """Resolve a batch of claims at once (for `sitboard extract`)."""
    resolver = Resolver()
    resolver.add(claims)
    return [resolver.status(city) for city in resolver.cities()]
