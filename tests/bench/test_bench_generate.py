"""The benchmark's generator (bench/generate.py): streamed through an external sort by time
slice, it writes the log one sort of the whole log gave (same rows, same order, same ids)."""

from __future__ import annotations

import sys

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
from helpers import ROOT

if str(ROOT) not in sys.path:  # the benchmark lives in bench/, beside the package
    sys.path.insert(0, str(ROOT))
from bench import generate  # noqa: E402


def test_the_log_is_the_one_the_in_memory_generator_wrote(tmp_path):
    # Digest of the 20,000-message test log (seed 11, 45 days) written by the generator that
    # held the whole log in memory: the streamed one must give the same rows in the same order.
    path = generate.write(20_000, tmp_path / "log.parquet", seed=11, days=45, row_group=2_000)
    frame = pq.read_table(path).to_pandas()
    assert len(frame) == 19_801
    assert int(pd.util.hash_pandas_object(frame, index=False).sum()) % 2**64 \
        == 4307218716764410972


def test_row_groups_cut_across_time_slices_give_the_table_in_one_piece(tmp_path):
    path = generate.write(5_000, tmp_path / "log.parquet", seed=3, days=30, row_group=777)
    written = pq.ParquetFile(path)
    sizes = [written.metadata.row_group(i).num_rows for i in range(written.num_row_groups)]
    assert sizes[:-1] == [777] * (len(sizes) - 1) and 0 < sizes[-1] <= 777
    assert written.read().equals(generate.table(5_000, seed=3, days=30))


def test_messages_are_in_time_order_inbound_first_and_numbered_in_file_order():
    log = generate.table(5_000, seed=5, days=30).to_pandas()
    sent = log["sent_at"].astype("int64").to_numpy()
    assert (np.diff(sent) >= 0).all()
    tie = sent[1:] == sent[:-1]
    assert not ((log["direction"].to_numpy()[:-1] == "outbound")
                & (log["direction"].to_numpy()[1:] == "inbound") & tie).any()
    assert log["message_id"].tolist() == [f"m-{i:010d}" for i in range(len(log))]
    assert 4_000 < len(log) <= 5_000
