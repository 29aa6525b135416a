"""Where sitboard keeps its files by default."""

from __future__ import annotations

from pathlib import Path

import platformdirs

APP = "sitboard"


def default_db_path() -> Path:
    return Path(platformdirs.user_data_dir(APP)) / "sitboard.json"


def user_config_path() -> Path:
    return Path(platformdirs.user_config_dir(APP)) / "feeds.toml"
