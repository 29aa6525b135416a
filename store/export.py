"""Markdown snapshot of a board view (placeholder, replaced below)."""

from __future__ import annotations

from sitboard.ingest.model import BoardView
from sitboard.ingest.profile import Profile


def render_markdown(view: BoardView, profile: Profile) -> str:
    return "# sitboard snapshot\n"
