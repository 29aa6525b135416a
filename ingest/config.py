"""feeds.toml: where it is, what it says, and exact messages when it is wrong.

Every mistake is reported as `FILE:LINE: what is wrong; how to fix it`. tomllib does not give
line numbers for keys, so a small scanner (`_Lines`) maps each table and key to the line it
was written on; the data itself always comes from tomllib.
"""

from __future__ import annotations

import difflib
import math
import os.path
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import platformdirs

from .model import BoardConfig, Config, FeedConfig
from .profile import Profile

CONFIG_NAME = "feeds.toml"
BOARD_KEYS = ("watch", "interval", "db", "profile", "bidi", "retention_days", "bell", "workers")
MAX_WORKERS = 64
FEED_KEYS = ("name", "url", "interval", "enabled")
BIDI_MODES = ("auto", "on", "off")
_TABLES_HINT = "the file has [board] and [[feeds]] tables"
INTERVAL_HELP = 'write seconds as a number (300) or a string like "90s", "5m", "1h"'


class ConfigError(ValueError):
    """A feeds.toml that cannot be used. str() is `FILE:LINE: what is wrong; how to fix it`."""

    def __init__(self, path: str | Path, line: int | None, message: str) -> None:
        self.path = str(path)
        self.line = line
        self.message = message
        where = f"{self.path}:{line}" if line else self.path
        super().__init__(f"{where}: {message}")


# --- intervals -----------------------------------------------------------------------------

_UNITS = {
    "s": 1.0,
    "sec": 1.0,
    "secs": 1.0,
    "second": 1.0,
    "seconds": 1.0,
    "m": 60.0,
    "min": 60.0,
    "mins": 60.0,
    "minute": 60.0,
    "minutes": 60.0,
    "h": 3600.0,
    "hr": 3600.0,
    "hrs": 3600.0,
    "hour": 3600.0,
    "hours": 3600.0,
    "d": 86400.0,
    "day": 86400.0,
    "days": 86400.0,
}
_PART = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)")


def parse_interval(value: str | int | float) -> float:
    """Seconds from `300`, `"300"`, `"90s"`, `"5m"`, `"1h"` or `"1h30m"`. ValueError if not > 0."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ValueError(f"{value!r} is not a duration; {INTERVAL_HELP}")
    if isinstance(value, str):
        text = value.strip()
        seconds = 0.0
        pos = 0
        parts = 0
        while pos < len(text):
            match = _PART.match(text, pos)
            unit = match.group(2).lower() if match else ""
            bare = not unit and (parts > 0 or match.end() < len(text)) if match else False
            if not match or (unit and unit not in _UNITS) or bare:
                raise ValueError(f"{value!r} is not a duration; {INTERVAL_HELP}")
            seconds += float(match.group(1)) * _UNITS.get(unit, 1.0)
            pos = match.end()
            parts += 1
        if parts == 0:
            raise ValueError(f"{value!r} is not a duration; {INTERVAL_HELP}")
    else:
        seconds = float(value)
    if not math.isfinite(seconds) or seconds <= 0:
        raise ValueError(f"{value!r} is not a positive duration; {INTERVAL_HELP}")
    return seconds


# --- where things are written ----------------------------------------------------------------

_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]*?)\s*\]\]?")
_KEY = re.compile(r"""^\s*("[^"]*"|'[^']*'|[A-Za-z0-9_-]+)\s*[.=]""")


@dataclass
class _Lines:
    """Line numbers of tables and keys, found by scanning the text (1-based)."""

    tables: dict[tuple[str, int], int] = field(default_factory=dict)  # (name, index) -> line
    keys: dict[tuple[str, int, str], int] = field(default_factory=dict)  # (table, index, key)

    @classmethod
    def scan(cls, text: str) -> _Lines:
        lines = cls()
        counts: dict[str, int] = {}
        table, index = "", 0
        in_string: str | None = None
        for number, line in enumerate(text.splitlines(), start=1):
            if in_string:
                if line.count(in_string) % 2:
                    in_string = None
                continue
            header = _HEADER.match(line)
            if header:
                table = header.group(2).strip().strip("\"'")
                if header.group(1) == "[[":
                    index = counts.get(table, -1) + 1
                    counts[table] = index
                else:
                    index = 0
                lines.tables.setdefault((table, index), number)
                continue
            key = _KEY.match(line)
            if key:
                lines.keys.setdefault((table, index, key.group(1).strip("\"'")), number)
            for quote in ('"""', "'''"):
                if line.count(quote) % 2:
                    in_string = quote
                    break
        return lines

    def of(self, table: str, index: int = 0, key: str | None = None) -> int | None:
        if key is not None and (table, index, key) in self.keys:
            return self.keys[(table, index, key)]
        if (table, index) in self.tables:
            return self.tables[(table, index)]
        if table and ("", 0, table) in self.keys:  # written inline: feeds = [{...}]
            return self.keys[("", 0, table)]
        return None


# --- loading ---------------------------------------------------------------------------------


def _kind(value: object) -> str:
    names = {bool: "true/false", int: "a number", float: "a number", str: "a string"}
    names |= {list: "a list", dict: "a table"}
    return names.get(type(value), type(value).__name__)


def _suggest(key: str, allowed: Iterable[str]) -> str:
    allowed = tuple(allowed)
    close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
    if close:
        return f"did you mean '{close[0]}'?"
    return "allowed keys: " + ", ".join(allowed)


class _Loader:
    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.folder = path.parent
        self.lines = _Lines.scan(text)

    def error(self, line: int | None, message: str) -> ConfigError:
        return ConfigError(self.path, line, message)

    def local_path(self, value: str) -> Path:
        """A path written in the file: ~ expanded, relative to the file's folder."""
        candidate = Path(value).expanduser()
        if not candidate.is_absolute():
            candidate = self.folder / candidate
        return Path(_normpath(candidate))

    def load(self, data: Mapping[str, Any]) -> Config:
        for key, value in data.items():
            if key in ("board", "feeds"):
                continue
            line = self.lines.of(key) or self.lines.of("", 0, key)
            if isinstance(value, dict | list) and (key, 0) in self.lines.tables:
                close = difflib.get_close_matches(key, ("board", "feeds"), n=1, cutoff=0.6)
                fix = {"board": "[board]", "feeds": "[[feeds]]"}.get(close[0]) if close else None
                hint = (
                    f"did you mean {fix}?" if fix else "the file has [board] and [[feeds]] tables"
                )
                raise self.error(line, f"unknown table [{key}]; {hint}")
            if key in BOARD_KEYS:
                hint = "put it under [board]"
            elif key in FEED_KEYS:
                hint = "put it in a [[feeds]] table"
            else:
                hint = _TABLES_HINT
            raise self.error(line, f"unknown key '{key}' at the top level; {hint}")
        board = self.board(data.get("board", {}))
        feeds = self.feeds(data.get("feeds", []))
        return Config(board=board, feeds=feeds, source=str(self.path))

    def board(self, table: object) -> BoardConfig:
        if not isinstance(table, dict):
            raise self.error(
                self.lines.of("board"), "write the board settings as one [board] table"
            )
        where = "[board]"
        values: dict[str, Any] = {}
        for key, value in table.items():
            line = self.lines.of("board", 0, key)
            if key not in BOARD_KEYS:
                raise self.error(
                    line, f"unknown key '{key}' in {where}; {_suggest(key, BOARD_KEYS)}"
                )
            if key == "watch":
                values["watch"] = self.watch(value, line)
            elif key == "interval":
                values["interval"] = self.interval(value, line, where)
            elif key == "db":
                values["db"] = str(self.local_path(self.string(value, line, key, where)))
            elif key == "profile":
                name = self.string(value, line, key, where)
                values["profile"] = str(self.local_path(name)) if name.endswith(".toml") else name
            elif key == "bidi":
                if value not in BIDI_MODES:
                    raise self.error(
                        line, f'bidi must be "auto", "on" or "off", not {_show(value)}'
                    )
                values["bidi"] = value
            elif key == "retention_days":
                if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                    raise self.error(
                        line,
                        f"retention_days must be a whole number of days, 1 or more, not "
                        f"{_show(value)}; leave it out to keep everything",
                    )
                values["retention_days"] = value
            elif key == "bell":
                if not isinstance(value, bool):
                    raise self.error(line, f"bell must be true or false, not {_show(value)}")
                values["bell"] = value
            elif key == "workers":
                values["workers"] = self.workers(value, line)
        return BoardConfig(**values)

    def workers(self, value: object, line: int | None) -> int | None:
        if value == "auto":
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_WORKERS:
            raise self.error(
                line,
                f'workers must be "auto" or a whole number from 0 (read in the board\'s own '
                f"process) to {MAX_WORKERS}, not {_show(value)}",
            )
        return value

    def watch(self, value: object, line: int | None) -> tuple[str, ...]:
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise self.error(
                line, 'watch must be a list of city ids, like watch = ["aleppo", "idlib", "hama"]'
            )
        if not value:
            raise self.error(line, 'watch is empty; list at least one city id, like ["aleppo"]')
        seen: set[str] = set()
        for city in value:
            if city in seen:
                raise self.error(line, f"watch lists '{city}' twice; list each city once")
            seen.add(city)
        return tuple(value)

    def interval(self, value: object, line: int | None, where: str) -> float:
        try:
            return parse_interval(value)  # type: ignore[arg-type]
        except ValueError:
            raise self.error(
                line, f"interval {_show(value)} in {where} is not a duration; {INTERVAL_HELP}"
            ) from None

    def string(self, value: object, line: int | None, key: str, where: str) -> str:
        if not isinstance(value, str) or not value.strip():
            raise self.error(
                line,
                f'{key} in {where} must be a non-empty string, like {key} = "…", not '
                f"{_show(value)}",
            )
        return value.strip()

    def feeds(self, tables: object) -> tuple[FeedConfig, ...]:
        if isinstance(tables, dict):
            raise self.error(
                self.lines.of("feeds"), "write each feed as its own [[feeds]] table (two brackets)"
            )
        if not isinstance(tables, list):
            raise self.error(self.lines.of("feeds"), "feeds must be [[feeds]] tables")
        feeds: list[FeedConfig] = []
        first_line: dict[str, int | None] = {}
        for index, table in enumerate(tables):
            header = self.lines.of("feeds", index)
            if not isinstance(table, dict):
                raise self.error(header, "each feed must be a [[feeds]] table with name and url")
            feed = self.feed(index, table, header)
            if feed.name in first_line:
                first = first_line[feed.name]
                was = f" (first at line {first})" if first else ""
                raise self.error(
                    self.lines.of("feeds", index, "name") or header,
                    f"duplicate feed name '{feed.name}'{was}; give each feed its own name",
                )
            first_line[feed.name] = self.lines.of("feeds", index, "name") or header
            feeds.append(feed)
        return tuple(feeds)

    def feed(self, index: int, table: dict[str, Any], header: int | None) -> FeedConfig:
        name = table.get("name")
        label = (
            f"[[feeds]] '{name}'"
            if isinstance(name, str) and name.strip()
            else (f"[[feeds]] number {index + 1}")
        )
        for key in table:
            if key not in FEED_KEYS:
                raise self.error(
                    self.lines.of("feeds", index, key) or header,
                    f"unknown key '{key}' in {label}; {_suggest(key, FEED_KEYS)}",
                )
        if "name" not in table:
            raise self.error(header, f'{label} has no name; add name = "…"')
        if "url" not in table:
            raise self.error(header, f'{label} has no url; add url = "https://…" or a file path')

        def line(key: str) -> int | None:
            return self.lines.of("feeds", index, key) or header

        name_value = self.string(table["name"], line("name"), "name", label)
        url = self.url(self.string(table["url"], line("url"), "url", label), line("url"), label)
        interval = None
        if "interval" in table:
            interval = self.interval(table["interval"], line("interval"), label)
        enabled = table.get("enabled", True)
        if not isinstance(enabled, bool):
            raise self.error(
                line("enabled"), f"enabled in {label} must be true or false, not {_show(enabled)}"
            )
        return FeedConfig(name=name_value, url=url, interval=interval, enabled=enabled)

    def url(self, value: str, line: int | None, label: str) -> str:
        if any(ch.isspace() or ord(ch) < 32 for ch in value):
            raise self.error(line, f"url in {label} contains spaces; percent-encode them (%20)")
        scheme = re.match(r"^([A-Za-z][A-Za-z0-9+.-]*)://", value)
        if scheme is None:
            return str(self.local_path(value))
        kind = scheme.group(1).lower()
        if kind in ("http", "https"):
            host = value[len(scheme.group(0)) :].split("/", 1)[0].split("?", 1)[0]
            if not host:
                raise self.error(line, f"url in {label} has no host name; write https://host/path")
            return value
        if kind == "file":
            return value
        raise self.error(
            line,
            f"url in {label} uses '{kind}://'; use http://, https://, file:// or a file path",
        )


def _show(value: object) -> str:
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    return _kind(value)


def _normpath(path: Path) -> str:
    # normpath, not resolve(): symlinks in the user's own spelling of the folder stay.
    return os.path.normpath(path)


def load_config(path: Path) -> Config:
    """Read and check a feeds.toml. Raises ConfigError naming the file and line of any mistake."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(path, None, "no such file; check the path given to --feeds") from None
    except IsADirectoryError:
        raise ConfigError(path, None, "is a folder; give the path of a feeds.toml file") from None
    except OSError as exc:
        raise ConfigError(path, None, f"cannot be read: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ConfigError(path, line, "not UTF-8 text; save the file as UTF-8") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        found = re.search(r"at line (\d+)", message)
        line = int(found.group(1)) if found else None
        raise ConfigError(path, line, f"{message}; fix the TOML syntax there") from None
    return _Loader(path, text).load(data)


def check_watch(config: Config, profile: Profile) -> None:
    """Raise ConfigError if [board] watch names a city the profile does not know."""
    for city in config.board.watch:
        if city in profile.places:
            continue
        line = None
        if config.source:
            try:
                line = _Lines.scan(Path(config.source).read_text(encoding="utf-8")).of(
                    "board", 0, "watch"
                )
            except (OSError, UnicodeDecodeError):
                line = None
        close = difflib.get_close_matches(city, tuple(profile.places), n=1, cutoff=0.6)
        hint = (
            f"did you mean '{close[0]}'?"
            if close
            else ("known cities: " + ", ".join(sorted(profile.places)))
        )
        raise ConfigError(
            config.source or CONFIG_NAME,
            line,
            f"watch lists '{city}', which profile '{profile.name}' does not know; {hint}",
        )


def user_config_path() -> Path:
    return Path(platformdirs.user_config_dir("sitboard")) / CONFIG_NAME


def default_config_path() -> Path:
    """The feeds.toml shipped inside the package (sitboard.data)."""
    resource = resources.files("sitboard.data") / CONFIG_NAME
    return Path(str(resource))


def find_config(explicit: Path | None = None, *, cwd: Path | None = None) -> Path:
    """The feeds.toml to use: --feeds, ./feeds.toml, the user config dir, the shipped default."""
    if explicit is not None:
        explicit = Path(explicit).expanduser()
        if explicit.is_dir():
            explicit = explicit / CONFIG_NAME
        if not explicit.is_file():
            raise ConfigError(explicit, None, "no such file; check the path given to --feeds")
        return explicit
    for candidate in ((cwd or Path.cwd()) / CONFIG_NAME, user_config_path()):
        if candidate.is_file():
            return candidate
    return default_config_path()
