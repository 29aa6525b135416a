"""A conflict profile: the places, parties and actors of one war, loaded from a TOML file.

Everything specific to Syria lives in `profiles/syria.toml`; the code reads any profile of
the same shape. Adding an alias is a data change, not a code change.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from .model import PARTIES, SIDES


class ProfileError(ValueError):
    """A profile file that cannot be used, with the reason."""


@dataclass(frozen=True, slots=True)
class Place:
    id: str
    en: str  # display name in English
    ar: str  # display name in Arabic
    aliases: tuple[str, ...]  # Arabic and Latin spellings to match (display name included)
    lat: float
    lon: float
    kind: str = "city"  # city / town / region


@dataclass(frozen=True, slots=True)
class Party:
    id: str  # gov / opp / sdf
    en: str
    ar: str
    color: str  # a Rich/Textual colour for the board


@dataclass(frozen=True, slots=True)
class Actor:
    id: str  # syrian-army, opposition, sohr, ...
    side: str  # a party id, or observer / media
    en: str
    ar: str
    aliases: tuple[str, ...]  # Arabic phrases that name this actor (normalised at load)
    speakers: tuple[str, ...] = ()  # phrases naming a person or body that speaks for it


@dataclass(frozen=True, slots=True)
class Profile:
    name: str
    places: dict[str, Place]
    parties: dict[str, Party]
    actors: dict[str, Actor]
    outlets: dict[str, str]  # outlet name fragment (lowercase) -> actor id whose voice it is
    attacker: str | None = None  # the party a city "falls" to when nobody is named

    def place_name(self, place_id: str) -> str:
        place = self.places.get(place_id)
        return place.en if place else place_id

    def actor_name(self, actor_id: str) -> str:
        actor = self.actors.get(actor_id)
        return actor.en if actor else actor_id

    def side_of(self, actor_id: str) -> str:
        actor = self.actors.get(actor_id)
        return actor.side if actor else "media"


def _tuple(value: object, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ProfileError(f"{where}: expected a list of strings")
    return tuple(value)


def parse_profile(data: dict, name: str) -> Profile:
    """Build a Profile from the dictionary of a profile TOML file."""
    try:
        places = {
            pid: Place(
                id=pid,
                en=str(p["en"]),
                ar=str(p["ar"]),
                aliases=_tuple(p.get("aliases", []), f"places.{pid}.aliases"),
                lat=float(p["lat"]),
                lon=float(p["lon"]),
                kind=str(p.get("kind", "city")),
            )
            for pid, p in data.get("places", {}).items()
        }
        parties = {
            pid: Party(id=pid, en=str(p["en"]), ar=str(p["ar"]), color=str(p["color"]))
            for pid, p in data.get("parties", {}).items()
        }
        actors = {
            aid: Actor(
                id=aid,
                side=str(a["side"]),
                en=str(a["en"]),
                ar=str(a["ar"]),
                aliases=_tuple(a.get("aliases", []), f"actors.{aid}.aliases"),
                speakers=_tuple(a.get("speakers", []), f"actors.{aid}.speakers"),
            )
            for aid, a in data.get("actors", {}).items()
        }
        outlets = {str(k).lower(): str(v) for k, v in data.get("outlets", {}).items()}
        attacker = data.get("defaults", {}).get("attacker")
    except KeyError as exc:
        raise ProfileError(f"profile {name!r}: missing key {exc}") from exc
    for party in parties:
        if party not in PARTIES:
            raise ProfileError(f"profile {name!r}: unknown party {party!r}")
    for actor in actors.values():
        if actor.side not in SIDES:
            raise ProfileError(
                f"profile {name!r}: actor {actor.id!r} has unknown side {actor.side!r}"
            )
    for fragment, actor_id in outlets.items():
        if actor_id not in actors:
            raise ProfileError(
                f"profile {name!r}: outlet {fragment!r} names unknown actor {actor_id!r}"
            )
    if attacker is not None and attacker not in parties:
        raise ProfileError(f"profile {name!r}: default attacker {attacker!r} is not a party")
    return Profile(
        name=name,
        places=places,
        parties=parties,
        actors=actors,
        outlets=outlets,
        attacker=attacker,
    )


def load_profile(name_or_path: str = "syria") -> Profile:
    """Load a shipped profile by name, or a profile file by path."""
    path = Path(name_or_path)
    if path.suffix == ".toml" and path.exists():
        text = path.read_text(encoding="utf-8")
        name = path.stem
    else:
        try:
            text = (resources.files(__package__) / "profiles" / f"{name_or_path}.toml").read_text(
                encoding="utf-8"
            )
        except FileNotFoundError as exc:
            raise ProfileError(f"no profile named {name_or_path!r}") from exc
        name = name_or_path
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(f"profile {name!r}: {exc}") from exc
    return parse_profile(data, name)
