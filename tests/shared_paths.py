"""Where the workplace's shared/ folder is: $SITBOARD_SHARED, else beside the checkout
(as CI lays it out), else /work/shared. Tests that need it skip when it is absent."""

from __future__ import annotations

import os
from pathlib import Path


def shared_folder() -> Path:
    env = os.environ.get("SITBOARD_SHARED")
    candidates = [Path(env)] if env else []
    candidates += [Path(__file__).resolve().parents[2] / "shared", Path("/work/shared")]
    return next((c for c in candidates if c.is_dir()), candidates[0])


SHARED = shared_folder()
REAL_FEEDS = SHARED / "feeds-real"
