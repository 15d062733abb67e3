"""Weekly incremental runs against the full run, on a generated year-long log (issue 18).

``python -m bench.incremental 30M [--weeks 3] [--since-days 14]`` (the log is generated into
``bench/out/`` if missing, as ``bench.run`` does). Each weekly run returns what a weekly
report with its comparison needs: the conversations active in the last ``--since-days`` days
(``active_since``; 0: every conversation, as a full run returns). Each step runs in its own subprocess, timed from the call to
its result (imports excluded), with its peak resident memory (sampled every 50 ms, and never
less than ``ru_maxrss``) and its CPU seconds:

1. ``build``: ``scale.run_incremental(full=True)`` at the Monday ``--weeks`` weeks before the
   last one: the whole log through ``customer_facts`` in memory, and the facts store written
   beside the log (``messages-30M.parquet.facts/``);
2. ``weekly`` (once per week): ``scale.run_incremental`` at the next Monday, from the store;
3. ``full``: ``customer_facts`` on the whole log at the last Monday, in memory (what a weekly
   report costs without the store), and its facts and waits (of the same conversations)
   checked identical to the last weekly run's (sorted by conversation and wait).

The benchmark calendar and window (Monday-Friday 09:00-18:00 UTC, 7 days) as in
``bench.run``. The machine's other load adds noise: the load average is printed with each
step.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

from bench.run import OUT, WINDOW_DAYS, _calendar, run_measured

#: The last Monday of the generated year (the log runs from 2025-01-01 for 365 days).
LAST_MONDAY = "2025-12-29"


def _as_of(week: int):
    import pandas as pd

    return pd.Timestamp(LAST_MONDAY, tz="UTC") - pd.Timedelta(days=7 * week)


def worker(step: str, path: str, week: int, result: str | None, since_days: int) -> None:
    """One step in this process; prints a JSON line of figures."""
    import pandas as pd  # (imports are not timed)
    import pyarrow  # noqa: F401

    from analytics import scale
    from analytics.metrics.kernel import customer_facts

    as_of = _as_of(week)
    since = as_of - pd.Timedelta(days=since_days) if since_days else None
    began = time.perf_counter()
    figures = {}
    if step == "full":
        facts, waits = customer_facts(scale.load_messages(path), as_of=as_of,
                                      calendar=_calendar(), window_days=WINDOW_DAYS)
        figures["stored"] = len(facts)
        if since is not None:
            facts, waits = scale.conversations_active_since(facts, waits, since)
    else:
        run = scale.run_incremental(path, as_of=as_of, calendar=_calendar(),
                                    window_days=WINDOW_DAYS, full=(step == "build"),
                                    active_since=since)
        facts, waits = run
        figures = {"stored": run.conversations,
                   "mode": run.mode, "rows_read": run.rows_read, "new_rows": run.new_rows,
                   "rows_computed": run.rows_computed,
                   "conversations_read": run.conversations_read, "parts": run.parts,
                   "timings": {k: round(v, 2) for k, v in run.timings.items()}}
    seconds = time.perf_counter() - began
    usage = resource.getrusage(resource.RUSAGE_SELF)
    if result:
        facts.to_parquet(f"{result}.facts.parquet")
        waits.to_parquet(f"{result}.waits.parquet")
    print(json.dumps({"seconds": seconds, "cpu": usage.ru_utime + usage.ru_stime,
                      "maxrss": usage.ru_maxrss * 1024, "conversations": len(facts),
                      "waits": len(waits), "as_of": as_of.isoformat(), **figures}))


def measure(step: str, path, week: int, since_days: int, result=None) -> dict:
    command = [sys.executable, "-m", "bench.incremental", "--worker", step, "--path",
               str(path), "--week", str(week), "--since-days", str(since_days)] + (
                   ["--result", str(result)] if result else [])
    load = os.getloadavg()
    figures, peak = run_measured(command, f"{step} failed on {path}")
    figures.update(step=step, peak=max(peak, figures.pop("maxrss")), load_before=load,
                   load_after=os.getloadavg())
    return figures


def check_same(result) -> None:
    """The last weekly run's facts and waits equal the full run's (sorted)."""
    import pandas as pd

    for kind, keys in (("facts", ["conversation_id"]),
                       ("waits", ["conversation_id", "wait_index"])):
        ours = pd.read_parquet(f"{result}-weekly.{kind}.parquet")
        full = pd.read_parquet(f"{result}-full.{kind}.parquet")
        pd.testing.assert_frame_equal(ours.sort_values(keys).reset_index(drop=True),
                                      full.sort_values(keys).reset_index(drop=True),
                                      check_exact=True)
        del ours, full


def _line(figures: dict) -> str:
    load = "/".join(f"{x:.1f}" for x in figures["load_before"][:1] + figures["load_after"][:1])
    extra = ""
    if "rows_read" in figures:
        extra = (f", {figures['mode']}: {figures['rows_read']:,} rows read from the log, "
                 f"{figures['rows_computed']:,} rows ({figures['conversations_read']:,} "
                 f"conversations) through the kernel, store parts {figures['parts']}, "
                 f"{figures['timings']}")
    return (f"{figures['step']:>6} as of {figures['as_of'][:10]}: {figures['seconds']:.2f} s "
            f"(CPU {figures['cpu']:.2f} s), peak {figures['peak'] / 1e9:.2f} GB, "
            f"{figures['conversations']:,} conversations returned of {figures['stored']:,}, "
            f"{figures['waits']:,} waits, "
            f"load {load}{extra}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scale", nargs="?", default="30M")
    parser.add_argument("--weeks", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--since-days", type=int, default=14,
                        help="return the conversations active in the last N days (0: all)")
    parser.add_argument("--worker", choices=("build", "weekly", "full"), help=argparse.SUPPRESS)
    parser.add_argument("--path", help=argparse.SUPPRESS)
    parser.add_argument("--week", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--result", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        worker(args.worker, args.path, args.week, args.result, args.since_days)
        return
    from bench import generate

    path = OUT / f"messages-{args.scale}.parquet"
    if not path.exists():
        generate.write(generate.parse_scale(args.scale), path, seed=args.seed)
    returned = (f"conversations active in the last {args.since_days} days returned"
                if args.since_days else "every conversation returned")
    print(f"{path} ({args.scale}), weekly runs up to {LAST_MONDAY}, {returned}; `uptime` load "
          "averages before/after each step")
    with tempfile.TemporaryDirectory(dir=OUT, prefix="incremental-") as tmp:
        result = Path(tmp) / "run"
        days = args.since_days
        print(_line(measure("build", path, args.weeks, days)), flush=True)
        for week in range(args.weeks - 1, -1, -1):
            last = week == 0
            print(_line(measure("weekly", path, week, days,
                                f"{result}-weekly" if last else None)), flush=True)
        print(_line(measure("full", path, 0, days, f"{result}-full")), flush=True)
        check_same(result)
    print("the last weekly run's facts and waits are identical to the full run's")


if __name__ == "__main__":
    main()
