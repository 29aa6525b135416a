"""Turning board data into screen text: cleaning feed text, times, names and claim wording.

Everything returned here is a plain string or a rich.text.Text built from plain strings;
feed text never goes through Rich markup.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from functools import lru_cache

from rich.cells import cell_len
from rich.text import Text
from sitboard.ingest.model import Claim
from sitboard.ingest.profile import Profile

from .bidi import Mode, truncate_line

_FALLBACK_CONTROLS = re.compile(
    r"\x1b\[[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]|[\x00-\x09\x0b-\x1f\x7f-\x9f]"
)

NEUTRAL_STATE_STYLE = {"contested": "bold magenta", "unknown": "dim"}

KIND_WORDS = {
    "capture": "captured by",
    "entry": "entered by",
    "recapture": "retaken by",
    "loss": "lost to",
    "withdrawal": "left to",
    "hold": "held by",
    "repel": "held by",
    "denial": "still held by",
    "fighting": "fighting, held by",
}
STANCE_WORDS = {"assert": "", "admit": "admits", "deny": "denies", "allege": "alleges"}


def clean(text: str) -> str:
    """Feed text made safe for a terminal (sitboard.ingest.sanitize when present)."""
    try:
        from sitboard.ingest.sanitize import clean_text
    except ImportError:  # the sanitizer is optional for the screen; strip the worst ourselves
        return _FALLBACK_CONTROLS.sub("", text)
    return clean_text(text)


@lru_cache(maxsize=16384)  # the same titles and outlets are redrawn at every filter change
def one_line(text: str) -> str:
    return " ".join(clean(text).split())


def short_time(when: datetime | None) -> str:
    """`12-05 14:30` in UTC, or an em dash."""
    if when is None:
        return "—"
    return when.astimezone(UTC).strftime("%m-%d %H:%M")


def clock(when: datetime | None) -> str:
    if when is None:
        return "—"
    return when.astimezone(UTC).strftime("%H:%M:%S")


def state_name(profile: Profile, state: str) -> str:
    party = profile.parties.get(state)
    return party.en if party else state


def state_text(profile: Profile, state: str) -> Text:
    """The state as a Text, coloured by party; contested/unknown in neutral styles."""
    party = profile.parties.get(state)
    if party is not None:
        return Text(party.en, style=f"bold {party.color}")
    return Text(state, style=NEUTRAL_STATE_STYLE.get(state, ""))


def source_name(profile: Profile, source: str) -> str:
    """An actor's display name, or the outlet name as given."""
    if source in profile.actors:
        return profile.actor_name(source)
    return one_line(source)


def claim_summary(profile: Profile, claim: Claim) -> str:
    """What a claim says, in a few English words: `lost to Opposition (admits)`."""
    if claim.state in profile.parties:
        summary = f"{KIND_WORDS.get(claim.kind, claim.kind)} {state_name(profile, claim.state)}"
    elif claim.state == "contested":
        summary = f"{claim.kind}: contested"
    else:
        summary = f"{claim.kind}: holder unclear"
    stance = STANCE_WORDS.get(claim.stance, claim.stance)
    return f"{summary} ({stance})" if stance else summary


def fit(text: str, width: int, mode: Mode) -> str:
    """One cell of exactly `width` columns: cut or padded, Arabic shaped and ordered per mode."""
    line = truncate_line(one_line(text), width, mode)
    pad = width - cell_len(line)
    return line + " " * pad if pad > 0 else line


def cell(text: str, width: int, mode: Mode, style: str = "") -> Text:
    """A DataTable cell for feed text: never markup, never wider than its column."""
    return Text(truncate_line(one_line(text), width, mode), style=style, no_wrap=True)
