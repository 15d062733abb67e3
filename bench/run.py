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
- ``partitioned``: ``scale.run_partitioned`` -- out of core, one customer bucket of about
  2.5 million messages at a time, in 2 worker processes (the machine's cores);
- ``dask``: ``scale.run_dask`` on a ``LocalCluster`` of 2 worker processes, the bucket files
  in ``bench/out`` (``--dask`` scales).

Seconds run from before the file is opened to the finished metric table (imports and
interpreter start excluded, the same for every implementation). Peak RSS is the largest sum
of the resident memory of the subprocess and its children (worker processes), sampled every 50 ms,
and never less than the subprocess's own ``ru_maxrss``. Every run's metric table is checked:
counts equal, durations equal to 10^-6 s (DuckDB), partitioned and Dask tables identical to
the in-memory one. The machine's other load adds noise; compare figures of one run.
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
IMPLEMENTATIONS = ("ours", "duckdb", "partitioned", "dask")
SLA_S = 3600
WINDOW_DAYS = 7
#: Rows per customer bucket in the partitioned and Dask runs.
BUCKET_ROWS = 2_500_000
#: Processes of the partitioned run (the machine's cores; DuckDB uses as many threads).
WORKERS = 2


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


def run_duckdb(path, buckets=None):
    from bench import duckdb_reference

    return duckdb_reference.metric_table(path, sla_s=SLA_S, window_days=WINDOW_DAYS)


def run_partitioned(path, buckets):
    from analytics import scale

    inputs = scale.run_partitioned(path, buckets, workers=WORKERS, calendar=_calendar(),
                                   window_days=WINDOW_DAYS, per_bucket=scale.metric_inputs)
    return scale.aggregate_metrics(*inputs, sla_s=SLA_S)


def run_dask(path, buckets, client=None):
    from analytics import scale

    inputs = scale.run_dask(path, client, buckets, calendar=_calendar(),
                            window_days=WINDOW_DAYS, per_bucket=scale.metric_inputs,
                            spill_dir=OUT)
    return scale.aggregate_metrics(*inputs, sla_s=SLA_S)


def worker(implementation, path, result, buckets, profile=None):
    """Time one implementation in this process; write its table and a JSON line of figures."""
    import pandas as pd  # noqa: F401  (imports are not timed)
    import pyarrow  # noqa: F401

    from analytics import scale  # noqa: F401

    run = {"ours": run_ours, "duckdb": run_duckdb, "partitioned": run_partitioned,
           "dask": run_dask}[implementation]
    kwargs = {}
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
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True,
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
    out, _ = process.communicate()
    done.set()
    sampler.join()
    if process.returncode:
        raise RuntimeError(f"{failure} (exit {process.returncode})")
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


def measure(implementation, path, buckets, profile=None) -> dict:
    """One run in a subprocess: seconds, peak RSS (bytes) and the metric table."""
    import pandas as pd

    with tempfile.TemporaryDirectory() as tmp:
        result = Path(tmp) / "table.parquet"
        command = [sys.executable, "-m", "bench.run", "--worker", implementation,
                   "--path", str(path), "--result", str(result), "--buckets", str(buckets)]
        if profile:
            command += ["--profile", str(profile)]
        figures, peak = run_measured(command, f"{implementation} failed on {path}")
        table = pd.read_parquet(result)
    return {"seconds": figures["seconds"], "rss": max(peak, figures["maxrss"]), "table": table}


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


def bench(scales, runs, implementations, dask_scales, profile_scale, seed):
    from bench import generate

    rows_out = []
    for scale in scales:
        path = OUT / f"messages-{scale}.parquet"
        if not path.exists():
            print(f"generating {path} ...", flush=True)
            generate.write(generate.parse_scale(scale), path, seed=seed)
        import pyarrow.parquet as pq

        rows = pq.ParquetFile(path).metadata.num_rows
        buckets = buckets_for(rows)
        results = {}
        for implementation in implementations:
            if implementation == "dask" and scale not in dask_scales:
                continue
            measured = []
            for i in range(runs):
                measured.append(measure(implementation, path, buckets))
                print(f"  {scale} {implementation} run {i + 1}: "
                      f"{measured[-1]['seconds']:.2f} s, {_gb(measured[-1]['rss'])}", flush=True)
            results[implementation] = measured
        reference = results["ours"][0]["table"]
        for implementation, measured in results.items():
            for run in measured:
                if implementation == "duckdb":
                    check_same(reference, run["table"], f"{scale} duckdb", exact=False)
                else:
                    check_same(reference, run["table"], f"{scale} {implementation}", exact=True)
        row = {"scale": scale, "messages": rows, "buckets": buckets,
               "metric_rows": len(reference)}
        for implementation, measured in results.items():
            row[f"{implementation}_s"] = statistics.median(r["seconds"] for r in measured)
            row[f"{implementation}_rss"] = statistics.median(r["rss"] for r in measured)
        if "duckdb_s" in row and "ours_s" in row:
            row["ratio"] = row["ours_s"] / row["duckdb_s"]
        rows_out.append(row)
        print(f"{scale}: results agree ({len(reference)} channel-week rows)", flush=True)
    if profile_scale:
        path = OUT / f"messages-{profile_scale}.parquet"
        target = ROOT / "bench" / f"profile-{profile_scale}.txt"
        measure("ours", path, buckets_for(10**7), profile=target)
        print(f"profile written to {target.relative_to(ROOT)}")
    return rows_out


def _cell(row, name) -> str:
    if f"{name}_s" not in row:
        return "not run"
    return f"{row[f'{name}_s']:.2f} s / {_gb(row[f'{name}_rss'])}"


def _ratio(row, name) -> str:
    if f"{name}_s" not in row or "duckdb_s" not in row:
        return "-"
    return f"{row[f'{name}_s'] / row['duckdb_s']:.2f}"


def markdown(rows) -> str:
    """The results as a Markdown table (one row per scale)."""
    lines = [
        "| messages | DuckDB SQL, 2 threads | in memory, 1 process | ratio | "
        "partitioned, 2 processes | ratio | Dask, 2 workers |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in sorted(rows, key=lambda r: r["messages"]):
        lines.append(
            f"| {r['scale']} ({r['messages']:,}) | {_cell(r, 'duckdb')} | {_cell(r, 'ours')} "
            f"| {_ratio(r, 'ours')} | {_cell(r, 'partitioned')} ({r['buckets']} buckets) "
            f"| {_ratio(r, 'partitioned')} | {_cell(r, 'dask')} |")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description="Scale benchmark (see bench/run.py).")
    parser.add_argument("--scales", nargs="+", default=["1M", "10M"])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", nargs="+", choices=IMPLEMENTATIONS,
                        default=["ours", "duckdb", "partitioned", "dask"])
    parser.add_argument("--dask", nargs="*", default=["1M", "10M"],
                        help="scales Dask runs at (default 1M 10M)")
    parser.add_argument("--profile", default=None, help="profile the package at this scale")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--worker", choices=IMPLEMENTATIONS, help=argparse.SUPPRESS)
    parser.add_argument("--path", help=argparse.SUPPRESS)
    parser.add_argument("--result", help=argparse.SUPPRESS)
    parser.add_argument("--buckets", type=int, default=4, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        worker(args.worker, args.path, args.result, args.buckets,
               profile=getattr(args, "profile", None))
        return
    began = time.perf_counter()
    rows = bench(args.scales, args.runs, args.only, set(args.dask or ()), args.profile,
                 args.seed)
    OUT.mkdir(parents=True, exist_ok=True)
    stored = OUT / "results.json"
    # Scales measured earlier keep their rows until they are measured again.
    earlier = json.loads(stored.read_text()) if stored.exists() else []
    rows += [r for r in earlier if r["scale"] not in {row["scale"] for row in rows}]
    table = markdown(rows)
    print()
    print(f"median of {args.runs} runs; {os.cpu_count()}-core machine; "
          f"{time.perf_counter() - began:.0f} s in all")
    print(table)
    (OUT / "results.md").write_text(table + "\n")
    stored.write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
