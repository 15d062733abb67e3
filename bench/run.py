"""Run the scale benchmark: the package against DuckDB SQL on the same Parquet logs.

``make bench`` (or ``python -m bench.run --scales 1M 10M``) generates the seeded synthetic
logs that are missing (``bench/out/``, git-ignored), then times each implementation in its own
subprocess, ``--runs`` times (median reported):

- ``ours``: the package in memory, one process -- read the Parquet columns it needs
  (``scale.load_messages``: validation by ``load.schema.validate_messages``), the per-customer kernel
  (``metrics.kernel.customer_facts``: facts, waits, repeat flags) and the metric table
  (``scale.metric_table``);
- ``duckdb``: the same metric set in SQL (``bench/duckdb_reference.py``) over the same file,
  with DuckDB's default of one thread per core;
- ``partitioned``: ``scale.partitioned_metric_table`` -- out of core, one customer bucket of
  about 2.5 million messages at a time, in 2 worker processes (the machine's cores), each
  bucket's contacts and waits spilled by week and aggregated a slice of weeks at a time;
- ``dask``: ``scale.run_dask`` on a ``LocalCluster`` of 2 worker processes, the bucket files
  in ``bench/out`` (``--dask`` scales).

At ``--out-of-core-scales`` (e.g. 100M, too big for the in-memory run) only two run: DuckDB
out of core (``memory_limit`` ``--duckdb-memory-limit``, 3GB by default, spilling to
``bench/out/duckdb-spill``) and the partitioned run, checked against each other.

Seconds run from before the file is opened to the finished metric table (imports and
interpreter start excluded, the same for every implementation). Peak RSS is the largest sum
of the resident memory of the subprocess and its children (worker processes), sampled every 50 ms,
and never less than the subprocess's own ``ru_maxrss``. Every run's metric table is checked:
counts equal, durations equal to 10^-6 s (DuckDB), partitioned and Dask tables identical to
the in-memory one (DuckDB's table is the reference where the in-memory run is not run). The
table gives each time's ratio to DuckDB's, marked against the issue's goals (in memory
<= 0.5, partitioned <= 0.8, the partitioned run's peak <= 3 GB), and the load average around
the runs: the machine's other load adds noise; compare figures of one run. On a shared
machine, ``--lock /tmp/bench.lock`` holds that file (flock) during each measured run only.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
#: DuckDB's spill folder in its out-of-core runs.
SPILL = OUT / "duckdb-spill"
IMPLEMENTATIONS = ("ours", "duckdb", "partitioned", "dask")
SLA_S = 3600
WINDOW_DAYS = 7
#: Rows per customer bucket in the partitioned and Dask runs.
BUCKET_ROWS = 2_500_000
#: Processes of the partitioned run (the machine's cores; DuckDB uses as many threads).
WORKERS = 2
#: The issue's goals (issue 18): time ratios to DuckDB's, and the partitioned run's peak.
GOAL_IN_MEMORY = 0.5
GOAL_PARTITIONED = 0.8
GOAL_PEAK_BYTES = 3e9
#: DuckDB's memory_limit in the out-of-core runs (it spills to SPILL beyond it).
DUCKDB_MEMORY_LIMIT = "3GB"
LABELS = {"ours": "in memory", "duckdb": "DuckDB", "partitioned": "partitioned",
          "dask": "Dask"}


def buckets_for(rows: int) -> int:
    return max(2, math.ceil(rows / BUCKET_ROWS))


# --- the implementations (run inside a worker subprocess) ------------------------------------


def _calendar():
    from analytics.calendar import BusinessCalendar

    return BusinessCalendar(tz="UTC", hours="mon-fri 09:00-18:00")


def run_ours(path, buckets=None):
    from analytics import scale
    from analytics.metrics.kernel import customer_facts

    messages = scale.load_messages(path)
    as_of = messages["sent_at"].max()
    facts, waits = customer_facts(messages, as_of=as_of, calendar=_calendar(),
                                  window_days=WINDOW_DAYS)
    del messages
    return scale.metric_table(facts, waits, sla_s=SLA_S)


def run_duckdb(path, buckets=None, memory_limit=None):
    from bench import duckdb_reference

    con = duckdb_reference.connect(memory_limit=memory_limit,
                                   temp_directory=SPILL if memory_limit else None)
    return duckdb_reference.metric_table(path, sla_s=SLA_S, window_days=WINDOW_DAYS, con=con)


def run_partitioned(path, buckets):
    from analytics import scale

    return scale.partitioned_metric_table(path, buckets, workers=WORKERS, calendar=_calendar(),
                                          window_days=WINDOW_DAYS, sla_s=SLA_S)


def run_dask(path, buckets, client=None):
    from analytics import scale

    inputs = scale.run_dask(path, client, buckets, calendar=_calendar(),
                            window_days=WINDOW_DAYS, per_bucket=scale.metric_inputs,
                            spill_dir=OUT)
    return scale.aggregate_metrics(*inputs, sla_s=SLA_S)


def worker(implementation, path, result, buckets, profile=None, duckdb_memory_limit=None):
    """Time one implementation in this process; write its table and a JSON line of figures."""
    import pandas as pd  # noqa: F401  (imports are not timed)
    import pyarrow  # noqa: F401

    from analytics import calendar, scale  # noqa: F401  (holidays: 0.1 s of import)

    run = {"ours": run_ours, "duckdb": run_duckdb, "partitioned": run_partitioned,
           "dask": run_dask}[implementation]
    kwargs = {"memory_limit": duckdb_memory_limit} if duckdb_memory_limit else {}
    cluster = None
    if implementation == "dask":
        from distributed import Client, LocalCluster

        cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                               dashboard_address=None, memory_limit=0)
        kwargs["client"] = Client(cluster)
    profiler = None
    if profile:
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.01)
        profiler.start()
    began = time.perf_counter()
    table = run(path, buckets, **kwargs)
    seconds = time.perf_counter() - began
    if profiler:
        profiler.stop()
        Path(profile).write_text(profiler.output_text(unicode=False, color=False))
    if cluster is not None:
        kwargs["client"].close()
        cluster.close()
    table.to_parquet(result)
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    print(json.dumps({"seconds": seconds, "maxrss": max(own, children)}))


# --- the parent: subprocesses, memory sampling, checks, table --------------------------------


def run_measured(command: list[str], failure: str) -> tuple[dict, int]:
    """Run a worker subprocess of the package's root, sampling the resident memory of it and
    its children every 50 ms: its last stdout line (JSON) and the peak RSS in bytes.
    Raises RuntimeError(``failure`` and the exit code) when it fails."""
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "PYTHONPATH": str(ROOT)})
    peak = 0
    done = threading.Event()

    def sample():
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss(process.pid))
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = process.communicate()
    done.set()
    sampler.join()
    sys.stderr.write(err)
    if process.returncode:
        last = err.strip().splitlines()[-1:] or [""]
        raise RuntimeError(f"{failure} (exit {process.returncode}: {last[0]})")
    return json.loads(out.strip().splitlines()[-1]), peak


def _tree_rss(pid: int) -> int:
    """Resident bytes of ``pid`` and all its descendants (Linux /proc)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        child = int(entry.name)
        children.setdefault(int(fields[1]), []).append(child)
        rss[child] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        total += rss.get(current, 0)
        todo += children.get(current, [])
    return total


def measure(implementation, path, buckets, profile=None, *, duckdb_memory_limit=None,
            lock=None) -> dict:
    """One run in a subprocess: seconds, peak RSS (bytes), the load average before and after
    and the metric table. ``lock``: a file held (flock) for the run only, so that timings of
    other jobs on the machine never overlap it."""
    import fcntl

    import pandas as pd

    with tempfile.TemporaryDirectory() as tmp:
        result = Path(tmp) / "table.parquet"
        command = [sys.executable, "-m", "bench.run", "--worker", implementation,
                   "--path", str(path), "--result", str(result), "--buckets", str(buckets)]
        if profile:
            command += ["--profile", str(profile)]
        if duckdb_memory_limit and implementation == "duckdb":
            command += ["--duckdb-memory-limit", duckdb_memory_limit]
        with open(lock or os.devnull, "a") as held:
            if lock:
                fcntl.flock(held, fcntl.LOCK_EX)
            load_before = os.getloadavg()[0]
            figures, peak = run_measured(command, f"{implementation} failed on {path}")
            load_after = os.getloadavg()[0]
        table = pd.read_parquet(result)
    return {"seconds": figures["seconds"], "rss": max(peak, figures["maxrss"]), "table": table,
            "load": (load_before, load_after)}


def check_same(ours, other, name, *, exact):
    """Raise AssertionError unless the two metric tables agree (see the module docstring)."""
    import numpy as np
    import pandas as pd

    other = other.copy()
    other["week"] = pd.to_datetime(other["week"]).astype(ours["week"].dtype)
    if exact:
        pd.testing.assert_frame_equal(ours.reset_index(drop=True), other.reset_index(drop=True),
                                      check_exact=True, obj=name)
        return
    assert list(ours.columns) == list(other.columns), f"{name}: columns differ"
    assert len(ours) == len(other), f"{name}: {len(ours)} rows, expected {len(other)}"
    for column in ours.columns:
        a, b = ours[column], other[column]
        if column in ("channel", "week") or a.dtype.kind in "iu":
            assert (a.astype(str).to_numpy() == b.astype(str).to_numpy()).all(), \
                f"{name}: {column} differs"
        else:
            assert np.allclose(a.to_numpy(float), b.to_numpy(float), rtol=0, atol=1e-6,
                               equal_nan=True), f"{name}: {column} differs"


def _gb(value) -> str:
    return f"{value / 1e9:.2f} GB"


def _log(scale, seed) -> Path:
    """The generated log of ``scale`` (generated first when missing)."""
    from bench import generate

    path = OUT / f"messages-{scale}.parquet"
    if not path.exists():
        print(f"generating {path} ...", flush=True)
        generate.write(generate.parse_scale(scale), path, seed=seed)
    return path


def _check(results, scale) -> str:
    """Check every run's table against the reference's (the in-memory run, else DuckDB's);
    returns what was checked, in words."""
    reference = "ours" if "ours" in results else "duckdb"
    table = results[reference][0]["table"]
    exact, close = [], []
    for implementation, measured in results.items():
        approximate = "duckdb" in (implementation, reference)
        for run in measured:
            check_same(table, run["table"], f"{scale} {implementation}",
                       exact=not approximate)
        if implementation != reference:
            (close if approximate else exact).append(LABELS[implementation])
    said = []
    if exact:
        said.append(f"{', '.join(exact)} identical to {LABELS[reference]}")
    if close:
        said.append(f"{', '.join(close)} equal to {LABELS[reference]} (counts exactly, "
                    "seconds to 1e-6)")
    return "; ".join(said)


def bench(scales, runs, implementations, dask_scales, profile_scale, seed, *,
          out_of_core_scales=(), duckdb_memory_limit=DUCKDB_MEMORY_LIMIT, out_of_core_runs=1,
          lock=None):
    """Measure every implementation at ``scales`` (``runs`` each) and, at
    ``out_of_core_scales``, DuckDB with ``duckdb_memory_limit`` and a spill folder against the
    partitioned run (``out_of_core_runs`` each); returns one row of figures per scale."""
    import pyarrow.parquet as pq

    rows_out = []
    plan = [(s, False) for s in scales] + [(s, True) for s in out_of_core_scales]
    for scale, out_of_core in plan:
        path = _log(scale, seed)
        rows = pq.ParquetFile(path).metadata.num_rows
        buckets = buckets_for(rows)
        chosen = [i for i in implementations if i != "dask" or scale in dask_scales]
        if out_of_core:
            chosen = [i for i in ("partitioned", "duckdb") if i in implementations]
        results, loads, failed = {}, [], {}
        n_runs = out_of_core_runs if out_of_core else runs
        # Rounds of one run of each implementation: the machine's speed drifts over minutes
        # (DuckDB's same code took 7.3-8.7 s at 10M within an hour), and a ratio of runs taken
        # side by side drifts least.
        for i in range(n_runs):
            for implementation in chosen:
                if implementation in failed:
                    continue
                try:
                    run = measure(implementation, path, buckets, lock=lock,
                                  duckdb_memory_limit=duckdb_memory_limit if out_of_core
                                  else None)
                except RuntimeError as error:
                    if not out_of_core:
                        raise
                    # Out of core, a run that fails (DuckDB out of its memory limit) is a
                    # result: the row says so and the others are still measured.
                    failed[implementation] = str(error).split(" (", 1)[1].rstrip(")")
                    print(f"  {scale} {implementation} run {i + 1}: {error}", flush=True)
                    continue
                results.setdefault(implementation, []).append(run)
                loads.append(run["load"])
                print(f"  {scale} {implementation} run {i + 1}: "
                      f"{run['seconds']:.2f} s, {_gb(run['rss'])} "
                      f"(load {loads[-1][0]:.2f} -> {loads[-1][1]:.2f})", flush=True)
        checked = _check(results, scale) if len(results) > 1 else "not checked"
        row = {"scale": scale, "messages": rows, "buckets": buckets,
               "metric_rows": len(next(iter(results.values()))[0]["table"]), "runs": n_runs,
               "checked": checked, "load": [min(min(pair) for pair in loads),
                                            max(max(pair) for pair in loads)]}
        if out_of_core:
            row["duckdb_memory_limit"] = duckdb_memory_limit
        for implementation, reason in failed.items():
            row[f"{implementation}_failed"] = reason
        for implementation, measured in results.items():
            row[f"{implementation}_s"] = statistics.median(r["seconds"] for r in measured)
            row[f"{implementation}_rss"] = statistics.median(r["rss"] for r in measured)
            if implementation != "duckdb" and "duckdb" in results:
                row[f"{implementation}_rounds"] = _round_ratios(measured, results["duckdb"])
        rows_out.append(row)
        print(f"{scale}: {checked} ({row['metric_rows']} channel-week rows)", flush=True)
    if profile_scale:
        path = OUT / f"messages-{profile_scale}.parquet"
        target = ROOT / "bench" / f"profile-{profile_scale}.txt"
        measure("ours", path, buckets_for(10**7), profile=target, lock=lock)
        print(f"profile written to {target.relative_to(ROOT)}")
    return rows_out


def _round_ratios(runs, duckdb_runs) -> list[float]:
    """Each round's time over DuckDB's in the same round."""
    return [a["seconds"] / b["seconds"] for a, b in zip(runs, duckdb_runs, strict=False)]


def _cell(row, name) -> str:
    if f"{name}_failed" in row:
        return f"failed ({row[f'{name}_failed']})"
    if f"{name}_s" not in row:
        return "not run"
    return f"{row[f'{name}_s']:.2f} s / {_gb(row[f'{name}_rss'])}"


def _mark(ok: bool) -> str:
    return "✓" if ok else "✗"


def _ratio(row, name, goal=None) -> str:
    """``name``'s time over DuckDB's, with a mark against ``goal`` (a ratio) when given."""
    if f"{name}_s" not in row or "duckdb_s" not in row:
        return "-"
    ratio = row[f"{name}_s"] / row["duckdb_s"]
    cell = f"{ratio:.2f}" + (f" {_mark(ratio <= goal)}" if goal is not None else "")
    rounds = row.get(f"{name}_rounds", [])
    if len(rounds) > 1:  # the spread of the ratios of runs taken side by side
        cell += f" (rounds {min(rounds):.2f}-{max(rounds):.2f})"
    return cell


def markdown(rows) -> str:
    """The results as a Markdown table (one row per scale; the out-of-core runs after the
    others), each ratio to DuckDB's time marked ✓ or ✗ against the issue's goal, and what
    was checked equal."""
    lines = [
        "| messages | DuckDB SQL, 2 threads | in memory, 1 process | in memory / DuckDB "
        f"(goal ≤ {GOAL_IN_MEMORY}) | partitioned, 2 processes | partitioned / DuckDB "
        f"(goal ≤ {GOAL_PARTITIONED}) | partitioned peak (goal ≤ {_gb(GOAL_PEAK_BYTES)}) "
        "| Dask, 2 workers | Dask / DuckDB | tables | runs, load |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in sorted(rows, key=lambda r: ("duckdb_memory_limit" in r, r["messages"])):
        duckdb = _cell(r, "duckdb")
        if "duckdb_memory_limit" in r and ("duckdb_s" in r or "duckdb_failed" in r):
            duckdb += f" (out of core: memory_limit {r['duckdb_memory_limit']}, spill folder)"
        peak = "-"
        if "partitioned_rss" in r:
            peak = f"{_gb(r['partitioned_rss'])} {_mark(r['partitioned_rss'] <= GOAL_PEAK_BYTES)}"
        partitioned = _cell(r, "partitioned")
        if "partitioned_s" in r:
            partitioned += f" ({r['buckets']} buckets)"
        load = r.get("load")
        lines.append(
            f"| {r['scale']} ({r['messages']:,}) | {duckdb} | {_cell(r, 'ours')} "
            f"| {_ratio(r, 'ours', GOAL_IN_MEMORY)} | {partitioned} "
            f"| {_ratio(r, 'partitioned', GOAL_PARTITIONED)} | {peak} | {_cell(r, 'dask')} "
            f"| {_ratio(r, 'dask')} | {r.get('checked', '-')} "
            f"| {r.get('runs', '-')}"
            + (f", load {load[0]:.1f}-{load[1]:.1f}" if load else "") + " |")
    return "\n".join(lines)


def _row_key(row) -> tuple:
    return row["scale"], "duckdb_memory_limit" in row


def main(argv=None):
    parser = argparse.ArgumentParser(description="Scale benchmark (see bench/run.py).")
    parser.add_argument("--scales", nargs="*", default=["1M", "10M"])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", nargs="+", choices=IMPLEMENTATIONS,
                        default=["ours", "duckdb", "partitioned", "dask"])
    parser.add_argument("--dask", nargs="*", default=["1M", "10M"],
                        help="scales Dask runs at (default 1M 10M)")
    parser.add_argument("--out-of-core-scales", nargs="*", default=[],
                        help="scales at which only DuckDB (with --duckdb-memory-limit and a "
                             "spill folder in bench/out) and the partitioned run are measured, "
                             "checked against each other (e.g. 100M)")
    parser.add_argument("--duckdb-memory-limit", default=None,
                        help=f"DuckDB's memory_limit in the out-of-core runs (default "
                             f"{DUCKDB_MEMORY_LIMIT})")
    parser.add_argument("--out-of-core-runs", type=int, default=1)
    parser.add_argument("--lock", default=None,
                        help="a file to hold (flock) during each measured run only, e.g. "
                             "/tmp/bench.lock on a shared machine")
    parser.add_argument("--profile", default=None, help="profile the package at this scale")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--worker", choices=IMPLEMENTATIONS, help=argparse.SUPPRESS)
    parser.add_argument("--path", help=argparse.SUPPRESS)
    parser.add_argument("--result", help=argparse.SUPPRESS)
    parser.add_argument("--buckets", type=int, default=4, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        worker(args.worker, args.path, args.result, args.buckets,
               profile=getattr(args, "profile", None),
               duckdb_memory_limit=args.duckdb_memory_limit)
        return
    began = time.perf_counter()
    rows = bench(args.scales, args.runs, args.only, set(args.dask or ()), args.profile,
                 args.seed, out_of_core_scales=args.out_of_core_scales,
                 duckdb_memory_limit=args.duckdb_memory_limit or DUCKDB_MEMORY_LIMIT,
                 out_of_core_runs=args.out_of_core_runs, lock=args.lock)
    OUT.mkdir(parents=True, exist_ok=True)
    stored = OUT / "results.json"
    # Rows measured earlier stay until their scale (in or out of core) is measured again.
    earlier = json.loads(stored.read_text()) if stored.exists() else []
    measured = {_row_key(row) for row in rows}
    rows += [r for r in earlier if _row_key(r) not in measured]
    table = markdown(rows)
    print()
    print(f"median of the runs per row; {os.cpu_count()}-core machine; "
          f"{time.perf_counter() - began:.0f} s in all")
    print(table)
    (OUT / "results.md").write_text(table + "\n")
    stored.write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
