"""The `sitboard` command: the board, and the headless `poll`, `export` and `extract` commands."""

from __future__ import annotations

import argparse
import gc
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sitboard import __version__
from sitboard.paths import default_db_path

if TYPE_CHECKING:
    from sitboard.demo import DemoReplay
    from sitboard.ingest.model import Config
    from sitboard.ingest.poll import Poller
    from sitboard.ingest.profile import Profile
    from sitboard.store import Store

EXIT_USAGE = 2


@dataclass(frozen=True, slots=True)
class Setup:
    """What every command needs: the configuration, the profile and the database path."""

    config: Config
    profile: Profile
    db: Path
    demo: DemoReplay | None = None


def _common(parser: argparse.ArgumentParser, *, top: bool) -> None:
    default = None if top else argparse.SUPPRESS
    parser.add_argument(
        "--feeds", type=Path, default=default, metavar="FILE", help="feeds.toml to use"
    )
    parser.add_argument(
        "--db", type=Path, default=default, metavar="FILE", help="TinyDB file to use"
    )
    parser.add_argument(
        "--restore-backup",
        action="store_true",
        default=False if top else argparse.SUPPRESS,
        help="if the database is corrupt, keep it aside and restore the last good backup",
    )
    parser.add_argument(
        "--start-fresh",
        action="store_true",
        default=False if top else argparse.SUPPRESS,
        help="if the database is corrupt, keep it aside and start an empty one",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sitboard",
        description="A live situation board for Arabic war news. With no command, opens the board.",
    )
    parser.add_argument("--version", action="version", version=f"sitboard {__version__}")
    _common(parser, top=True)
    parser.add_argument(
        "--demo",
        action="store_true",
        help="replay the shipped demo feeds offline (27 Nov - 8 Dec 2024) in about 90 seconds",
    )
    parser.add_argument(
        "--bell",
        action="store_true",
        help="ring the terminal bell when a watched city changes hands (or bell = true)",
    )
    parser.add_argument(
        "--demo-seconds",
        type=float,
        default=90.0,
        metavar="N",
        help="how many seconds the demo replay takes (default 90)",
    )
    parser.add_argument(
        "--bidi",
        choices=("auto", "on", "off"),
        default=None,
        help="reshape and reorder Arabic in the app (on), leave it to the terminal (off), or guess",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    poll = sub.add_parser("poll", help="poll the feeds without a screen")
    _common(poll, top=False)
    poll.add_argument("--once", action="store_true", help="poll every feed once and exit")

    export = sub.add_parser("export", help="write the board as a Markdown snapshot")
    _common(export, top=False)
    export.add_argument("--city", action="append", default=[], metavar="ID", help="city filter")
    export.add_argument(
        "--source", action="append", default=[], metavar="ID", help="actor id or outlet name"
    )
    export.add_argument("--text", default="", help="text filter")
    export.add_argument(
        "-o", "--output", type=Path, default=None, metavar="FILE", help="file (default stdout)"
    )

    extract = sub.add_parser("extract", help="read RSS/Atom or .txt files and print claims")
    extract.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    extract.add_argument("--json", action="store_true", help="print the JSON contract")
    extract.add_argument(
        "--published",
        default=None,
        metavar="ISO",
        help="publication time for .txt inputs (ISO 8601), for time words such as أمس",
    )
    extract.add_argument("--profile", default="syria", help="profile name or .toml path")
    return parser


def _setup(args: argparse.Namespace, *, demo: bool = False) -> Setup:
    from sitboard.ingest.config import check_watch, find_config, load_config
    from sitboard.ingest.profile import load_profile

    if demo:
        from sitboard.demo import DemoReplay

        workdir = Path(tempfile.mkdtemp(prefix="sitboard-demo-"))
        replay = DemoReplay(workdir, duration=args.demo_seconds)
        config = replay.config()
        db = args.db or workdir / "demo.json"
        return Setup(config, load_profile(config.board.profile), Path(db), replay)
    config = load_config(find_config(args.feeds))
    profile = load_profile(config.board.profile)
    check_watch(config, profile)
    if args.db is not None:
        db = args.db
    elif config.board.db:
        db = Path(config.board.db).expanduser()
    else:
        db = default_db_path()
    return Setup(config, profile, db)


def _open_store(setup: Setup, args: argparse.Namespace, *, readonly: bool = False) -> Store:
    from sitboard.store import Store

    store = Store.open(
        setup.db,
        setup.profile,
        setup.config.board.watch,
        readonly=readonly,
        restore_backup=getattr(args, "restore_backup", False),
        start_fresh=getattr(args, "start_fresh", False),
        retention_days=setup.config.board.retention_days,
    )
    # A large store's objects live as long as the process: keep the collector off them.
    gc.freeze()
    return store


def run_board(args: argparse.Namespace) -> int:
    setup = _setup(args, demo=args.demo)
    try:
        return _run_board(args, setup)
    finally:
        if setup.demo is not None:
            # The demo's feed files (and its database, unless --db chose one) are throwaway.
            shutil.rmtree(setup.demo.workdir, ignore_errors=True)


def _run_board(args: argparse.Namespace, setup: Setup) -> int:
    from sitboard.ingest.poll import Poller
    from sitboard.store import StoreLocked, StoreUnwritable
    from sitboard.tui.app import SitboardApp
    from sitboard.tui.bidi import decide

    config = setup.config
    if setup.demo is not None:
        setup.demo.advance()
    try:
        store = _open_store(setup, args)
    except (StoreLocked, StoreUnwritable) as exc:
        print(f"sitboard: {exc}\nOpening the board read-only.", file=sys.stderr)
        store = _open_store(setup, args, readonly=True)
    setting = args.bidi or os.environ.get("SITBOARD_BIDI") or config.board.bidi
    decision = decide(setting, os.environ)
    start, stop = decision.start, decision.stop
    poller = Poller(config, setup.profile)
    app = SitboardApp(
        config=config,
        store=store,
        profile=setup.profile,
        poller=poller,
        bidi=setting,  # the app resolves "auto" itself, to tell the user what it chose
        before_poll=setup.demo.advance if setup.demo is not None else None,
        bell=args.bell or config.board.bell,
    )
    try:
        if start:
            sys.stdout.write(start)
            sys.stdout.flush()
        app.run()
    finally:
        if stop:
            sys.stdout.write(stop)
            sys.stdout.flush()
        poller.close()
        store.close()
    return 0


async def _poll_loop(setup: Setup, store: Store, *, once: bool) -> int:
    from sitboard.ingest.poll import Poller

    poller = Poller(setup.config, setup.profile)
    try:
        return await _poll_cycles(setup, store, poller, once=once)
    finally:
        poller.close()


async def _poll_cycles(setup: Setup, store: Store, poller: Poller, *, once: bool) -> int:
    from asyncio import sleep, to_thread

    while True:
        results = await poller.poll(store.feed_states(), seen=store.seen, force=once)
        report = await to_thread(store.commit, results) if results else None
        for result in results:
            print(result.summary(), flush=True)
        if report is not None:
            for change in report.changes:
                print(
                    f"status: {setup.profile.place_name(change.city)} {change.old} -> {change.new}",
                    flush=True,
                )
        if once:
            polled = [r for r in results if r.outcome in ("new", "not-modified")]
            if not results:
                print("sitboard: no enabled feeds to poll", file=sys.stderr)
                return 1
            return 0 if polled else 1
        await sleep(1.0)


def run_poll(args: argparse.Namespace) -> int:
    setup = _setup(args)
    with _open_store(setup, args) as store:
        if store.notice:
            print(f"sitboard: {store.notice}", file=sys.stderr)
        try:
            import asyncio  # here: `sitboard extract` and `export` start faster without it

            return asyncio.run(_poll_loop(setup, store, once=args.once))
        except KeyboardInterrupt:
            return 0


def run_export(args: argparse.Namespace) -> int:
    from sitboard.ingest.model import Filters
    from sitboard.store import export_view

    setup = _setup(args)
    unknown = [c for c in args.city if c not in setup.profile.places]
    if unknown:
        known = ", ".join(sorted(setup.profile.places))
        print(f"sitboard: unknown city id {unknown[0]!r}; known: {known}", file=sys.stderr)
        return EXIT_USAGE
    if not setup.db.exists():
        print(
            f"sitboard: no database at {setup.db}; run `sitboard poll --once` first",
            file=sys.stderr,
        )
        return EXIT_USAGE
    filters = Filters(cities=frozenset(args.city), sources=frozenset(args.source), text=args.text)
    with _open_store(setup, args, readonly=True) as store:
        markdown = export_view(store, filters, setup.profile)
    if args.output is None:
        sys.stdout.write(markdown)
    else:
        try:
            args.output.write_text(markdown, encoding="utf-8")
        except OSError as exc:
            print(f"sitboard: cannot write {args.output}: {exc.strerror or exc}", file=sys.stderr)
            return EXIT_USAGE
        print(f"wrote {args.output}", file=sys.stderr)
    return 0


def run_extract(args: argparse.Namespace) -> int:
    from sitboard.ingest.extract import extract, read_items, to_json, to_text
    from sitboard.ingest.profile import load_profile

    published = None
    if args.published:
        try:
            published = datetime.fromisoformat(args.published)
        except ValueError:
            print(f"sitboard: --published {args.published!r} is not ISO 8601", file=sys.stderr)
            return EXIT_USAGE
        published = (published if published.tzinfo else published.replace(tzinfo=UTC)).astimezone(
            UTC
        )
    profile = load_profile(args.profile)
    result = extract(read_items(args.paths, profile, published=published), profile)
    if args.json:
        json.dump(to_json(result), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(to_text(result, profile))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    from sitboard.ingest.config import ConfigError
    from sitboard.ingest.extract import ExtractError
    from sitboard.ingest.profile import ProfileError
    from sitboard.store import StoreError

    args = build_parser().parse_args(argv)
    commands = {None: run_board, "poll": run_poll, "export": run_export, "extract": run_extract}
    try:
        return commands[args.command](args)
    except (ConfigError, ProfileError, StoreError, ExtractError) as exc:
        print(f"sitboard: {exc}", file=sys.stderr)
        return EXIT_USAGE
