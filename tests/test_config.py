from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from sitboard.ingest import config as config_module
from sitboard.ingest.config import (
    ConfigError,
    check_watch,
    default_config_path,
    find_config,
    load_config,
    parse_interval,
)
from sitboard.ingest.profile import Profile

REPO = Path(__file__).resolve().parent.parent


def write(tmp_path: Path, text: str, name: str = "feeds.toml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def error_of(path: Path) -> ConfigError:
    with pytest.raises(ConfigError) as info:
        load_config(path)
    return info.value


# --- intervals -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        (300, 300.0),
        (2.5, 2.5),
        ("300", 300.0),
        ("90s", 90.0),
        ("5m", 300.0),
        ("1h", 3600.0),
        ("1h30m", 5400.0),
        (" 2 min ", 120.0),
        ("5 minutes", 300.0),
        ("1d", 86400.0),
        ("0.5m", 30.0),
    ],
)
def test_parse_interval_forms(value: str | int | float, seconds: float) -> None:
    assert parse_interval(value) == seconds


@pytest.mark.parametrize(
    "value", ["", "5 minutes please", "m5", "5x", "-5m", "0", 0, -3, True, "1h 30"]
)
def test_parse_interval_rejects(value: object) -> None:
    with pytest.raises(ValueError, match="duration"):
        parse_interval(value)  # type: ignore[arg-type]


# --- a good file ---------------------------------------------------------------------------


def test_load_full_config(tmp_path: Path) -> None:
    (tmp_path / "local").mkdir()
    path = write(
        tmp_path,
        """
        [board]
        watch = ["hama", "aleppo"]
        interval = "2m"
        db = "data/board.json"
        profile = "syria"
        bidi = "off"
        retention_days = 30

        [[feeds]]
        name = "BBC Arabic"
        url = "https://feeds.bbci.co.uk/arabic/rss.xml"
        interval = 90

        [[feeds]]
        name = "Local file"
        url = "local/feed.xml"
        enabled = false

        [[feeds]]
        name = "File URL"
        url = "file:///srv/feed.xml"
        """,
    )
    config = load_config(path)
    assert config.source == str(path)
    assert config.board.watch == ("hama", "aleppo")
    assert config.board.interval == 120.0
    assert config.board.db == str(tmp_path / "data" / "board.json")
    assert config.board.bidi == "off"
    assert config.board.retention_days == 30
    bbc, local, file_url = config.feeds
    assert (bbc.name, bbc.interval, bbc.enabled) == ("BBC Arabic", 90.0, True)
    assert local.url == str(tmp_path / "local" / "feed.xml")
    assert Path(local.url).is_absolute()
    assert local.enabled is False and local.interval is None
    assert file_url.url == "file:///srv/feed.xml"


def test_defaults_when_board_is_missing(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, '[[feeds]]\nname = "a"\nurl = "http://x.example/"\n'))
    assert config.board.watch == ("aleppo", "idlib", "hama")
    assert config.board.interval == 300.0
    assert config.board.bidi == "auto"
    assert config.board.db is None


def test_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "feeds.toml"
    path.write_bytes(b'\xef\xbb\xbf[board]\ninterval = "1m"\n')
    assert load_config(path).board.interval == 60.0


# --- errors name the file, the line and the fix --------------------------------------------


def test_unknown_feed_key_suggests_the_right_one(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
        [board]
        interval = "5m"

        [[feeds]]
        name = "Al Jazeera"
        url = "https://www.aljazeera.net/rss"

        [[feeds]]
        name = "BBC Arabic"
        url = "https://feeds.bbci.co.uk/arabic/rss.xml"

        intervall = "2m"
        """,
    )
    error = error_of(path)
    assert str(error) == (
        f"{path}:12: unknown key 'intervall' in [[feeds]] 'BBC Arabic'; did you mean 'interval'?"
    )
    assert (error.path, error.line) == (str(path), 12)


def test_unknown_board_key(tmp_path: Path) -> None:
    path = write(tmp_path, '[board]\nwatch = ["hama"]\nbiddi = "on"\n')
    assert str(error_of(path)) == f"{path}:3: unknown key 'biddi' in [board]; did you mean 'bidi'?"


def test_unknown_key_without_close_match_lists_allowed(tmp_path: Path) -> None:
    path = write(tmp_path, '[[feeds]]\nname = "a"\nurl = "http://a.example/"\ncolour = "red"\n')
    message = str(error_of(path))
    assert message.startswith(f"{path}:4: unknown key 'colour' in [[feeds]] 'a';")
    assert "allowed keys: name, url, interval, enabled" in message


def test_unknown_table(tmp_path: Path) -> None:
    path = write(tmp_path, '[board]\ninterval = 60\n\n[feed]\nname = "x"\n')
    assert str(error_of(path)) == f"{path}:4: unknown table [feed]; did you mean [[feeds]]?"


def test_top_level_board_key(tmp_path: Path) -> None:
    path = write(tmp_path, 'interval = "5m"\n')
    assert str(error_of(path)) == (
        f"{path}:1: unknown key 'interval' at the top level; put it under [board]"
    )


def test_feeds_written_as_single_table(tmp_path: Path) -> None:
    path = write(tmp_path, '[board]\n\n[feeds]\nname = "x"\nurl = "http://x.example/"\n')
    error = error_of(path)
    assert error.line == 3
    assert "[[feeds]]" in str(error)


def test_duplicate_feed_names(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
        [[feeds]]
        name = "SANA"
        url = "https://sana.sy/?feed=rss2"

        [[feeds]]
        name = "SANA"
        url = "https://sana.sy/en/?feed=rss2"
        """,
    )
    assert str(error_of(path)) == (
        f"{path}:6: duplicate feed name 'SANA' (first at line 2); give each feed its own name"
    )


def test_missing_url_points_at_the_table(tmp_path: Path) -> None:
    path = write(
        tmp_path, '[[feeds]]\nname = "a"\nurl = "http://a.example/"\n\n[[feeds]]\nname = "b"\n'
    )
    error = error_of(path)
    assert error.line == 5
    assert "[[feeds]] 'b' has no url" in str(error)


def test_missing_name(tmp_path: Path) -> None:
    path = write(tmp_path, '[[feeds]]\nurl = "http://a.example/"\n')
    error = error_of(path)
    assert error.line == 1
    assert "[[feeds]] number 1 has no name" in str(error)


@pytest.mark.parametrize(
    ("line", "needle"),
    [
        ('interval = "every 5m"', "interval 'every 5m' in [[feeds]] 'a' is not a duration"),
        ("interval = 0", "interval 0 in [[feeds]] 'a' is not a duration"),
        ('enabled = "no"', "enabled in [[feeds]] 'a' must be true or false, not 'no'"),
        ("name2 = 1", "did you mean 'name'?"),
    ],
)
def test_bad_feed_values(tmp_path: Path, line: str, needle: str) -> None:
    path = write(tmp_path, f'[[feeds]]\nname = "a"\nurl = "http://a.example/"\n{line}\n')
    error = error_of(path)
    assert error.line == 4
    assert needle in str(error)


@pytest.mark.parametrize(
    ("line", "needle"),
    [
        ('bidi = "yes"', 'bidi must be "auto", "on" or "off", not \'yes\''),
        ('watch = "aleppo"', "watch must be a list of city ids"),
        ("watch = []", "watch is empty"),
        ('watch = ["hama", "hama"]', "watch lists 'hama' twice"),
        ("retention_days = 0", "retention_days must be a whole number of days"),
        ('retention_days = "30"', "retention_days must be a whole number of days"),
        ('interval = "often"', "interval 'often' in [board] is not a duration"),
        ("db = 5", "db in [board] must be a non-empty string"),
    ],
)
def test_bad_board_values(tmp_path: Path, line: str, needle: str) -> None:
    path = write(tmp_path, f"# comment\n[board]\n{line}\n")
    error = error_of(path)
    assert error.line == 3
    assert needle in str(error)


@pytest.mark.parametrize(
    ("url", "needle"),
    [
        ("ftp://example.org/feed", "uses 'ftp://'"),
        ("https:///feed", "has no host name"),
        ("http://example.org/a feed", "contains spaces"),
    ],
)
def test_bad_urls(tmp_path: Path, url: str, needle: str) -> None:
    path = write(tmp_path, f'[[feeds]]\nname = "a"\nurl = "{url}"\n')
    error = error_of(path)
    assert error.line == 3
    assert needle in str(error)


def test_toml_syntax_error_keeps_line_and_column(tmp_path: Path) -> None:
    path = write(tmp_path, '[board]\ninterval = "5m"\nwatch = ["aleppo",\n\n[[feeds]]\nname = \n')
    error = error_of(path)
    assert error.line is not None
    assert str(error).startswith(f"{path}:{error.line}: ")
    assert f"(at line {error.line}, column" in str(error)


def test_simple_syntax_error_line(tmp_path: Path) -> None:
    path = write(tmp_path, '[board]\ninterval "5m"\n')
    error = error_of(path)
    assert error.line == 2
    assert "column" in str(error)


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "feeds.toml"
    path.write_bytes("[board]\n# حلب\n".encode("cp1256"))
    error = error_of(path)
    assert error.line == 2
    assert "UTF-8" in str(error)


def test_missing_file(tmp_path: Path) -> None:
    error = error_of(tmp_path / "nope.toml")
    assert "no such file" in str(error)


def test_line_numbers_ignore_keys_inside_multiline_strings(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        '''
        [[feeds]]
        name = """
        url = not a key
        """
        url = "http://a.example/"
        bogus = 1
        ''',
    )
    assert error_of(path).line == 6


def test_check_watch_against_profile(tmp_path: Path, syria_profile: Profile) -> None:
    path = write(tmp_path, '[board]\ninterval = "5m"\nwatch = ["aleppo", "hamma"]\n')
    config = load_config(path)
    with pytest.raises(ConfigError) as info:
        check_watch(config, syria_profile)
    assert info.value.line == 3
    assert "watch lists 'hamma'" in str(info.value)
    assert "did you mean 'hama'?" in str(info.value)
    check_watch(
        load_config(write(tmp_path, '[board]\nwatch = ["homs"]\n', "ok.toml")), syria_profile
    )


# --- where the file is found -----------------------------------------------------------------


def test_find_config_search_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    user_dir = tmp_path / "user-config"
    monkeypatch.setattr(config_module.platformdirs, "user_config_dir", lambda app: str(user_dir))
    cwd = tmp_path / "cwd"
    cwd.mkdir()

    # Nothing anywhere: the shipped default.
    assert find_config(None, cwd=cwd) == default_config_path()
    # The user's config dir beats the shipped default.
    user_dir.mkdir()
    (user_dir / "feeds.toml").write_text("[board]\n", encoding="utf-8")
    assert find_config(None, cwd=cwd) == user_dir / "feeds.toml"
    # ./feeds.toml beats the user's config dir.
    (cwd / "feeds.toml").write_text("[board]\n", encoding="utf-8")
    assert find_config(None, cwd=cwd) == cwd / "feeds.toml"
    # --feeds beats everything; a folder means its feeds.toml.
    explicit = write(tmp_path, "[board]\n", "mine.toml")
    assert find_config(explicit, cwd=cwd) == explicit
    assert find_config(cwd, cwd=tmp_path) == cwd / "feeds.toml"


def test_find_config_uses_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "[board]\n")
    assert find_config(None) == Path.cwd() / "feeds.toml"


def test_find_config_missing_explicit(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no such file"):
        find_config(tmp_path / "missing.toml")


# --- the shipped files -----------------------------------------------------------------------


def test_shipped_default_loads() -> None:
    config = load_config(default_config_path())
    assert config.board.watch == ("aleppo", "idlib", "hama")
    assert config.board.interval == 300.0
    names = {feed.name for feed in config.feeds}
    for outlet in ("Al Jazeera", "BBC Arabic", "Enab Baladi", "SOHR", "SANA", "RT Arabic"):
        assert outlet in names
    assert all(feed.url.startswith("https://") for feed in config.feeds)
    assert sum(feed.enabled for feed in config.feeds) >= 10


def test_shipped_default_is_the_top_level_file_byte_for_byte() -> None:
    top = REPO / "feeds.toml"
    assert top.read_bytes() == default_config_path().read_bytes()
    assert (REPO / "sitboard" / "data" / "feeds.toml").read_bytes() == top.read_bytes()


def test_shipped_watch_cities_exist(syria_profile: Profile) -> None:
    check_watch(load_config(default_config_path()), syria_profile)


def test_duplicate_toml_key_keeps_tomllib_line(tmp_path: Path) -> None:
    path = write(tmp_path, '[board]\ninterval = "5m"\ninterval = "2m"\n')
    error = error_of(path)
    assert error.line == 3
    assert "(at line 3, column" in str(error)


def test_home_is_expanded_in_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    path = write(tmp_path, '[board]\ndb = "~/board.json"\n[[feeds]]\nname = "a"\nurl = "~/a.xml"\n')
    config = load_config(path)
    assert config.board.db == str(tmp_path / "home" / "board.json")
    assert config.feeds[0].url == str(tmp_path / "home" / "a.xml")


def test_bell_is_a_boolean(tmp_path: Path) -> None:
    path = tmp_path / "feeds.toml"
    path.write_text("[board]\nbell = true\n", encoding="utf-8")
    assert load_config(path).board.bell is True
    path.write_text('[board]\nwatch = ["hama"]\nbell = "yes"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"feeds.toml:3: bell must be true or false"):
        load_config(path)
