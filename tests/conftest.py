"""Shared fixtures. Keep this small: fixtures used by one test file belong in that file."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from shared_paths import REAL_FEEDS
from sitboard.ingest.places import PlaceMatcher
from sitboard.ingest.profile import Profile, load_profile

# Child Pythons started by tests (`python -c`, `python -m sitboard`) must import the installed
# sitboard, not the checkout's top-level sitboard/ folder that cwd would put first on sys.path.
os.environ["PYTHONSAFEPATH"] = "1"

FEED_FIXTURES = Path(__file__).parent / "data" / "feeds"


@pytest.fixture(scope="session")
def real_feeds() -> Path:
    """The folder of real feed files described in its SOURCES.md; skips when it is absent."""
    if not REAL_FEEDS.is_dir():
        pytest.skip(f"{REAL_FEEDS} is not available")
    return REAL_FEEDS


@pytest.fixture(scope="session")
def feed_fixtures() -> Path:
    """tests/data/feeds: small hand-written feeds (Arabic RSS 2.0 and Atom)."""
    return FEED_FIXTURES


@pytest.fixture(scope="session")
def syria_profile() -> Profile:
    return load_profile("syria")


@pytest.fixture(scope="session")
def matcher(syria_profile: Profile) -> PlaceMatcher:
    return PlaceMatcher(syria_profile)


@pytest.fixture(scope="session")
def _threaded_server() -> Iterator[HTTPServer]:
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    yield server
    server.clear()
    if server.is_running():
        server.stop()


@pytest.fixture
def feed_server(_threaded_server: HTTPServer) -> HTTPServer:
    """A loopback pytest-httpserver that answers requests in parallel (slow handlers do not
    hold up the others); cleared for each test."""
    _threaded_server.clear()
    return _threaded_server
