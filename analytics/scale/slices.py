"""The metric table out of core: each bucket's metric inputs spilled to files sorted by week,
then aggregated a slice of weeks at a time.

A channel-week group's median and 90th percentile need all of its values at once, but only
its own, and no group spans two weeks: a slice of consecutive weeks holds whole groups, and
its table is the full table's rows for those weeks, bit for bit (a group's values are sorted
before its figures are taken, so neither their order nor the other groups matter). Memory then
holds one slice (at most ``slice_rows`` contacts and waits, or one week when a week alone is
more) instead of every contact and wait of the log: 21 million contacts and 43 million waits
(1.3 GB, several times that to sort) at 100M messages.
"""

from __future__ import annotations

import os
import tempfile
from functools import partial

import numpy as np
import pandas as pd

from analytics.scale.partitions import run_partitioned
from analytics.scale.table import aggregate_metrics, metric_inputs

#: The two inputs of :func:`aggregate_metrics`, one file of each per bucket.
KINDS = ("contacts", "replies")
#: Contacts plus waits aggregated at once (about 0.3 GB of inputs and sort temporaries).
SLICE_ROWS = 4_000_000
_NO_WEEK = np.iinfo(np.int64).min  # NaT's integer


def _week_numbers(week: pd.Series) -> np.ndarray:
    """The week column as int64 (a missing week is the smallest integer: a slice of its own)."""
    return week.to_numpy().view(np.int64)


def spill_metric_inputs(facts: pd.DataFrame, waits: pd.DataFrame, *, folder,
                        tz: str = "UTC") -> pd.DataFrame:
    """Write one bucket's :func:`metric_inputs` to ``folder``, sorted by week; a small frame back.

    Two uncompressed Arrow IPC files (``<stem>.contacts.arrow``, ``<stem>.replies.arrow``) that
    a slice reads by memory map, touching only its own rows. For ``run_partitioned``'s
    ``per_bucket`` (with ``folder`` bound, e.g. by ``functools.partial``).

    Returns
    -------
    DataFrame
        One row per week of the bucket: ``file`` (the stem), ``week`` (int64, see
        :func:`_week_numbers`, ascending), ``contacts`` and ``replies`` (rows of that week in
        each file); an empty bucket gives one row of zeros.
    """
    import pyarrow as pa

    # The empty file mkstemp makes reserves the stem: two workers never write the same names.
    handle, stem = tempfile.mkstemp(dir=folder, prefix="bucket-")
    os.close(handle)
    weeks, counts = [], []
    for kind, frame in zip(KINDS, metric_inputs(facts, waits, tz=tz), strict=True):
        week = _week_numbers(frame["week"])
        order = np.argsort(week, kind="stable")
        table = pa.Table.from_pandas(frame.take(order), preserve_index=False)
        with pa.OSFile(f"{stem}.{kind}.arrow", "wb") as sink:
            with pa.ipc.new_file(sink, table.schema) as writer:
                writer.write_table(table)
        present, n = np.unique(week, return_counts=True)
        weeks.append(present)
        counts.append(n)
    # An empty bucket still has a row (of no rows), so that its files are known.
    every = np.union1d(*weeks) if len(weeks[0]) + len(weeks[1]) else np.array([_NO_WEEK])
    out = {"file": np.full(len(every), stem, dtype=object), "week": every}
    for kind, present, n in zip(KINDS, weeks, counts, strict=True):
        rows = np.zeros(len(every), dtype=np.int64)
        rows[np.searchsorted(every, present)] = n
        out[kind] = rows
    return pd.DataFrame(out).astype({"file": "str"})


def week_slices(summary: pd.DataFrame, slice_rows: int = SLICE_ROWS) -> list[tuple[int, int]]:
    """Consecutive ranges ``(first, last)`` of week numbers, each of at most ``slice_rows``
    contacts and waits (a week with more alone), covering every week of ``summary`` (the
    frames of :func:`spill_metric_inputs`)."""
    per_week = summary.groupby("week", sort=True)[list(KINDS)].sum().sum(axis=1)
    per_week = per_week[per_week > 0]
    slices, first, last, held = [], None, None, 0
    for week, rows in zip(per_week.index.tolist(), per_week.tolist(), strict=True):
        if first is not None and held + rows > slice_rows:
            slices.append((first, last))
            first, held = None, 0
        if first is None:
            first = week
        last, held = week, held + rows
    if first is not None:
        slices.append((first, last))
    return slices


def _read_slice(summary: pd.DataFrame, kind: str, first: int, last: int) -> pd.DataFrame:
    """The rows of weeks ``first .. last`` of every bucket's ``kind`` file, bucket by bucket."""
    import pyarrow as pa

    pieces = []
    for stem, rows in summary.groupby("file", sort=True):
        week, counts = rows["week"].to_numpy(), rows[kind].to_numpy()
        start = int(counts[week < first].sum())
        length = int(counts[(week >= first) & (week <= last)].sum())
        if length:
            # A memory map: only the pages of this slice's rows are read.
            source = pa.memory_map(f"{stem}.{kind}.arrow")
            pieces.append(pa.ipc.open_file(source).read_all().slice(start, length))
    if not pieces:  # e.g. weeks with contacts but no waits: an empty frame of the same schema
        stem = summary["file"].iloc[0]
        pieces = [pa.ipc.open_file(pa.memory_map(f"{stem}.{kind}.arrow")).read_all().slice(0, 0)]
    # Each bucket has its own dictionary of channels: to_pandas unites them in one
    # categorical.
    return pa.concat_tables(pieces).to_pandas()


def aggregate_spilled(summary: pd.DataFrame, *, sla_s: float = 3600,
                      slice_rows: int = SLICE_ROWS) -> pd.DataFrame:
    """:func:`aggregate_metrics` of the files of :func:`spill_metric_inputs` (``summary``:
    their frames, concatenated), a slice of weeks at a time (see :func:`week_slices`): the
    same table, bit for bit, sorted by channel and week."""
    slices = week_slices(summary, slice_rows)
    if not slices:
        # No rows at all: the empty table, with the dtypes of the (empty) files.
        return aggregate_metrics(*(_read_slice(summary, kind, 0, -1) for kind in KINDS),
                                 sla_s=sla_s)
    tables = [aggregate_metrics(*(_read_slice(summary, kind, first, last) for kind in KINDS),
                                sla_s=sla_s)
              for first, last in slices]
    table = pd.concat(tables, ignore_index=True)
    # Within a slice the rows are sorted by channel, then week (a missing week last), as
    # aggregate_metrics sorts the whole table; across slices, by channel again.
    table = table.sort_values(["channel", "week"], kind="stable", na_position="last")
    return table.reset_index(drop=True)


def partitioned_metric_table(path, n_buckets: int, *, sla_s: float = 3600, tz: str = "UTC",
                             slice_rows: int = SLICE_ROWS, spill_dir=None,
                             **options) -> pd.DataFrame:
    """:func:`analytics.scale.table.metric_table` of a Parquet dataset, out of core from end
    to end: :func:`run_partitioned` (``options``: ``workers``, ``calendar``, ``window_days``,
    ...), each bucket's inputs spilled sorted by week to a temporary folder in ``spill_dir``,
    then aggregated a slice of at most ``slice_rows`` contacts and waits at a time.

    Memory holds a bucket per worker during the run, then a slice, never all the contacts
    and waits; the table is the one of :func:`aggregate_metrics` on all of them.
    """
    with tempfile.TemporaryDirectory(dir=spill_dir, prefix="inputs-") as folder:
        summary = run_partitioned(path, n_buckets, spill_dir=spill_dir,
                                  per_bucket=partial(spill_metric_inputs, folder=folder, tz=tz),
                                  **options)
        return aggregate_spilled(summary, sla_s=sla_s, slice_rows=slice_rows)
