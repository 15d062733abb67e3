"""The benchmark's table (bench/run.py): ratios to DuckDB marked against the issue's goals,
the out-of-core rows after the others, and the equality checks of the tables."""

from __future__ import annotations

import sys

import pandas as pd
import pytest
from helpers import ROOT

if str(ROOT) not in sys.path:  # the benchmark lives in bench/, beside the package
    sys.path.insert(0, str(ROOT))
from bench import run  # noqa: E402


def _row(**figures):
    row = {"scale": "10M", "messages": 9_985_479, "buckets": 4, "runs": 3,
           "checked": "partitioned identical to in memory", "load": [0.2, 1.9]}
    for name, (seconds, gb) in figures.items():
        row[f"{name}_s"], row[f"{name}_rss"] = seconds, gb * 1e9
    return row


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip("|").split("|")]


def test_the_table_gives_each_ratio_to_duckdb_with_its_goal_mark():
    row = _row(duckdb=(12.0, 2.4), ours=(5.4, 2.3), partitioned=(10.8, 2.1), dask=(18.0, 2.6))
    header, _, line = run.markdown([row]).splitlines()
    cells = dict(zip(_cells(header), _cells(line), strict=True))
    assert cells["in memory / DuckDB (goal ≤ 0.5)"] == "0.45 ✓"
    assert cells["partitioned / DuckDB (goal ≤ 0.8)"] == "0.90 ✗"
    assert cells["partitioned peak (goal ≤ 3.00 GB)"] == "2.10 GB ✓"
    assert cells["Dask / DuckDB"] == "1.50"
    assert cells["partitioned, 2 processes"] == "10.80 s / 2.10 GB (4 buckets)"
    assert cells["tables"] == "partitioned identical to in memory"
    assert cells["runs, load"] == "3, load 0.2-1.9"


def test_what_was_not_run_says_so_and_has_no_ratio():
    row = _row(duckdb=(12.0, 2.4), ours=(5.4, 2.3))
    cells = _cells(run.markdown([row]).splitlines()[2])
    assert cells[4:9] == ["not run", "-", "-", "not run", "-"]


def test_out_of_core_rows_come_last_and_name_duckdbs_memory_limit():
    big = _row(duckdb=(300.0, 3.4), partitioned=(200.0, 3.1)) | {
        "scale": "100M", "messages": 99_985_000, "duckdb_memory_limit": "3GB"}
    small = _row(duckdb=(40.0, 6.0), ours=(30.0, 6.5))
    small |= {"scale": "30M", "messages": 29_955_522}
    lines = run.markdown([big, small]).splitlines()
    assert [_cells(line)[0] for line in lines[2:]] == ["30M (29,955,522)",
                                                       "100M (99,985,000)"]
    cells = _cells(lines[3])
    assert cells[1] == "300.00 s / 3.40 GB (out of core: memory_limit 3GB, spill folder)"
    assert cells[5] == "0.67 ✓" and cells[6] == "3.10 GB ✗"


def _table(value=1.5):
    return pd.DataFrame({"channel": ["chat"], "week": pd.to_datetime(["2025-01-06"]),
                         "contacts": [3], "frt_median_s": [value]})


def test_the_check_says_which_tables_are_identical_and_which_equal_to_a_microsecond():
    results = {name: [{"table": _table()}] for name in ("ours", "duckdb", "partitioned")}
    results["duckdb"] = [{"table": _table(1.5 + 1e-9)}]
    assert run._check(results, "1M") == (
        "partitioned identical to in memory; DuckDB equal to in memory "
        "(counts exactly, seconds to 1e-6)")


def test_without_the_in_memory_run_duckdb_is_the_reference():
    results = {"duckdb": [{"table": _table()}], "partitioned": [{"table": _table()}]}
    assert run._check(results, "100M") == (
        "partitioned equal to DuckDB (counts exactly, seconds to 1e-6)")


def test_a_table_that_differs_fails_the_check():
    results = {"ours": [{"table": _table()}], "partitioned": [{"table": _table(1.6)}]}
    with pytest.raises(AssertionError, match="1M partitioned"):
        run._check(results, "1M")


def test_a_failed_out_of_core_run_says_why_in_its_cell():
    row = _row(partitioned=(200.0, 2.9)) | {
        "scale": "100M", "messages": 99_853_782, "duckdb_memory_limit": "3GB",
        "duckdb_failed": "exit 1: Out of Memory Error", "checked": "not checked"}
    cells = _cells(run.markdown([row]).splitlines()[2])
    assert cells[1] == ("failed (exit 1: Out of Memory Error) (out of core: memory_limit 3GB, "
                        "spill folder)")
    assert cells[5] == "-" and cells[9] == "not checked"


def test_a_ratio_gives_the_spread_of_its_rounds():
    row = _row(duckdb=(10.0, 2.4), ours=(6.0, 2.3)) | {"ours_rounds": [0.55, 0.64, 0.6]}
    header, _, line = run.markdown([row]).splitlines()
    cells = dict(zip(_cells(header), _cells(line), strict=True))
    assert cells["in memory / DuckDB (goal ≤ 0.5)"] == "0.60 ✗ (rounds 0.55-0.64)"


def test_the_implementations_run_in_rounds_side_by_side(tmp_path, monkeypatch):
    log = tmp_path / "messages-1K.parquet"
    pd.DataFrame({"message_id": ["m1", "m2"]}).to_parquet(log)
    seconds = iter([6.0, 10.0, 4.0, 8.0, 5.0, 12.0])  # ours, duckdb, ours, duckdb, ...
    calls = []

    def measure(implementation, path, buckets, **options):
        calls.append(implementation)
        return {"seconds": next(seconds), "rss": 1e9, "table": _table(), "load": (0.5, 0.6)}

    monkeypatch.setattr(run, "_log", lambda scale, seed: log)
    monkeypatch.setattr(run, "measure", measure)
    [row] = run.bench(["1K"], 3, ["ours", "duckdb"], [], None, 7)
    assert calls == ["ours", "duckdb"] * 3
    assert row["ours_rounds"] == [0.6, 0.5, 5.0 / 12.0]
    assert row["ours_s"] == 5.0 and row["duckdb_s"] == 10.0  # medians of each
