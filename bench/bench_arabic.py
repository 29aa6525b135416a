"""Throughput of the Arabic text layer on the seed article, single core.

    /work/venv/bin/python bench/bench_arabic.py [--repeat N] [--seconds S]

Prints tokens/s, sentences/s, PlaceMatcher.find calls/s (per sentence, the way the extractor
calls it) and time_reference calls/s. Numbers only: nothing here asserts a speed.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from sitboard.ingest.arabic import normalize, sentences, tokenize
from sitboard.ingest.places import PlaceMatcher
from sitboard.ingest.profile import load_profile
from sitboard.ingest.when import time_marks, time_reference

SEED = Path("/work/shared/seed/hama-2024-12-05.txt")
FALLBACK = (
    "أقر الجيش السوري في بيان – قبل قليل- بخسارة مدينة حماة اليوم (الخميس)، وتموضع قواته خارجها.\n"
    "وقال القيادي على تطبيق «تلجرام»: قواتنا دخلت سجن حماة المركزي. وأشار الى أن الوحدات "
    "المرابطة فيها أعادت الانتشار خارج المدينة، في حين قال الجيش إن قواته في ريف حماة الشمالي.\n"
)


def _rate(label: str, unit: str, seconds: float, run: Callable[[], int]) -> None:
    done = 0
    calls = 0
    start = time.perf_counter()
    while (elapsed := time.perf_counter() - start) < seconds:
        done += run()
        calls += 1
    print(f"{label:<28} {done / elapsed:>14,.0f} {unit}/s   ({calls} runs in {elapsed:.2f}s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20, help="copies of the article per run")
    parser.add_argument("--seconds", type=float, default=2.0, help="time per measurement")
    args = parser.parse_args()

    article = SEED.read_text(encoding="utf-8") if SEED.exists() else FALLBACK
    text = "\n".join([article] * args.repeat)
    profile = load_profile("syria")
    matcher = PlaceMatcher(profile)
    parts = [s.text for s in sentences(text)]
    published = datetime(2024, 12, 5, 12, tzinfo=UTC)
    print(
        f"input: {len(text):,} characters, {len(tokenize(text)):,} tokens, {len(parts):,} sentences"
    )

    _rate("normalize", "chars", args.seconds, lambda: len(normalize(text)) and len(text))
    _rate("tokenize", "tokens", args.seconds, lambda: len(tokenize(text)))
    _rate("sentences", "sentences", args.seconds, lambda: len(sentences(text)))
    _rate(
        "PlaceMatcher.find(text)", "chars", args.seconds, lambda: matcher.find(text) and len(text)
    )

    def find_each() -> int:
        last: str | None = None
        for part in parts:
            matcher.find(part, last)
            last = matcher.referent(part, last)
        return len(parts)

    _rate("find+referent per sentence", "sentences", args.seconds, find_each)

    def times() -> int:
        for part in parts:
            time_reference(part, published)
        return len(parts)

    _rate("time_reference", "sentences", args.seconds, times)

    def marks() -> int:
        for part in parts:
            time_marks(part, published)
        return len(parts)

    _rate("time_marks", "sentences", args.seconds, marks)
    _rate("PlaceMatcher(profile)", "builds", args.seconds, lambda: bool(PlaceMatcher(profile)))


if __name__ == "__main__":
    main()
