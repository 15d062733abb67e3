"""Speed of the intent classifier (version 5) on distinct opening messages; not in make test.

    .venv/bin/python -m bench.intents_bench [N]          # default N = 100,000

Builds N distinct messages from the demo, twcs, Olist and Banking77 texts (a numbered suffix
makes repeats distinct, so nothing is answered twice), then times, in one process:
1. ``classify`` with no cache (encoder + head + cue features; language given);
2. the same call with an empty Parquet cache (compute and write it);
3. the same call again with that cache (every message already seen: lookups only);
4. the cache with 10% new messages (a weekly run on a growing log).
Prints seconds and messages per second for each, the CPU seconds spent (this process and
its worker processes: on a shared machine wall time depends on the other jobs, CPU time much
less) and the load average (``os.getloadavg``) before and after. Workers: as ``classify``
(``ANALYTICS_INTENT_WORKERS``, default one per usable core). docs/intents.md records the figures.
"""

from __future__ import annotations

import os
import resource
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

from analytics.text.intent_model import classify, worker_count

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path("/work/shared/datasets")


def corpus(n: int) -> pd.DataFrame:
    parts = []
    demo = pd.read_csv(ROOT / "data" / "demo" / "messages.csv.gz", dtype=str)
    demo = demo[demo["direction"].eq("inbound")]
    parts.append(demo[["text", "lang"]])
    twcs = pd.read_csv(ROOT / "data" / "twcs" / "twcs_head5000.csv.gz", dtype=str)
    parts.append(pd.DataFrame({"text": twcs["text"], "lang": "en"}))
    for path, column, lang in [
            (SHARED / "olist_classified_reviews" / "olist_classified_public_dataset.csv",
             "review_comment_message", "pt"),
            (SHARED / "banking77_howto" / "banking77_train.csv", "text", "en")]:
        if path.is_file():
            parts.append(pd.DataFrame({"text": pd.read_csv(path, dtype=str)[column],
                                       "lang": lang}))
    pool = pd.concat(parts, ignore_index=True).dropna().drop_duplicates()
    pool = pool[pool["text"].str.strip().ne("")]
    frame = pool.sample(n, replace=True, random_state=1).reset_index(drop=True)
    repeat = frame.groupby(["text", "lang"]).cumcount()
    frame["text"] = frame["text"].where(repeat.eq(0), frame["text"] + " #" + repeat.astype(str))
    return frame


def _cpu_seconds() -> float:
    """User + system time of this process and of its waited-for children (the workers)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _load() -> str:
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


def timed(label: str, frame: pd.DataFrame, **kwargs) -> None:
    load, cpu, start = _load(), _cpu_seconds(), time.perf_counter()
    classify(frame["text"], frame["lang"], **kwargs)
    seconds = time.perf_counter() - start
    cpu = _cpu_seconds() - cpu
    print(f"{label}: {len(frame):,} messages in {seconds:.1f} s "
          f"({len(frame) / seconds:,.0f} per second; {cpu:.1f} CPU s; "
          f"load {load} -> {_load()})", flush=True)


def main(argv: list[str]) -> None:
    n = int(argv[0]) if argv else 100_000
    frame = corpus(n)
    classify(frame["text"].head(10), frame["lang"].head(10))  # load the encoder once
    print(f"{n:,} distinct messages, {worker_count()} worker process(es) for a large call, "
          f"{os.cpu_count()} CPUs", flush=True)
    timed("no cache", frame)
    with tempfile.TemporaryDirectory() as tmp:
        cache = Path(tmp) / "intents.parquet"
        timed("empty cache (compute and write)", frame, cache_path=cache)
        timed("warm cache (all seen)", frame, cache_path=cache)
        grown = pd.concat([frame, corpus(n // 10).assign(text=lambda f: f["text"] + " (new)")],
                          ignore_index=True)
        timed("warm cache + 10% new", grown, cache_path=cache)


if __name__ == "__main__":
    main(sys.argv[1:])
