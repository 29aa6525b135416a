"""A SitboardApp that notes when each frame is painted, for bench_startup and bench_filter.

Under run_test() the headless driver skips turning a compositor update into terminal bytes;
the probe does that step itself (into a string that goes nowhere), so a "paint" here costs
what it costs on a real terminal minus the write() itself.
"""

from __future__ import annotations

import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sitboard.ingest.model import BoardConfig, Config, FeedConfig
from sitboard.ingest.poll import Poller
from sitboard.ingest.profile import Profile
from sitboard.store import Store
from sitboard.tui.app import SitboardApp
from textual._compositor import CompositorUpdate

FAR = 10 * 365 * 24 * 3600.0  # a poll interval no benchmark run reaches


class ProbeApp(SitboardApp):
    # CSS_PATH is relative to the module defining the class: point it back at the app's own
    CSS_PATH = str(
        Path(sys.modules[SitboardApp.__module__].__file__ or "").with_name("sitboard.tcss")
    )

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.paints: list[float] = []  # time.monotonic() of each painted frame

    def _display(self, screen: Any, renderable: Any) -> None:
        if renderable is not None and not self._batch_count:
            if isinstance(renderable, CompositorUpdate):
                renderable.render_segments(self.console)
            self.paints.append(time.monotonic())
        super()._display(screen, renderable)


def board_config(store: Store) -> Config:
    """The stored feeds, none of them due for years: start-up and filtering measure the board,
    not a poll."""
    feeds = tuple(FeedConfig(name=s.name, url=s.url) for s in store.feed_states().values())
    return Config(board=BoardConfig(interval=FAR), feeds=feeds)


def make_app(store: Store, profile: Profile) -> ProbeApp:
    config = board_config(store)
    return ProbeApp(
        config=config,
        store=store,
        profile=profile,
        poller=Poller(config, profile),
        bidi="on",
        now=lambda: datetime.now(UTC) - timedelta(seconds=1),
    )
