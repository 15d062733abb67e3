"""Message ids unique across an out-of-core run's buckets (analytics/scale/message_ids.py):
a log an in-memory run refuses for a repeated id is refused at the same row, whichever
buckets the two messages fall in; ids that only share a hash are no error."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import customers_log
from hypothesis import given, settings
from hypothesis import strategies as st

from analytics import scale
from analytics.errors import InputError
from analytics.load.files import READ_COLUMNS, read_parquet
from analytics.load.schema import validate_messages
from analytics.scale import message_ids

_log = customers_log


def _in_memory(path):
    """The in-memory run's error on the log (None: accepted)."""
    try:
        validate_messages(read_parquet(path, columns=READ_COLUMNS), source=str(path))
    except InputError as error:
        return str(error)
    return None


def _partitioned(path, n, workers=1):
    try:
        scale.run_partitioned(path, n, workers=workers)
    except InputError as error:
        return str(error)
    return None


@pytest.mark.parametrize("workers", [1, 2])
def test_an_id_repeated_in_another_bucket_is_refused_at_the_same_row(tmp_path, workers):
    ids = [f"m{i}" for i in range(40)]
    ids[25] = ids[3]  # conversations c3 and c25: customers cust3 and cust25
    ids[31] = ids[7]
    path = tmp_path / "log.parquet"
    _log(ids).to_parquet(path, index=False, row_group_size=8)
    expected = _in_memory(path)
    assert expected == (f"{path}, row 26, column 'message_id': duplicate id; expected each "
                        "value to appear once, found 'm3'")
    assert _partitioned(path, 6, workers) == expected


def test_ids_that_only_share_a_hash_are_no_error(tmp_path, monkeypatch):
    strong = message_ids._stable_hash
    # Four hashes for 40 ids: nearly every id shares its hash with ids of other buckets.
    monkeypatch.setattr(message_ids, "_stable_hash",
                        lambda values: strong(values) % np.uint64(4))
    path = tmp_path / "log.parquet"
    _log([f"m{i}" for i in range(40)]).to_parquet(path, index=False)
    facts, _ = scale.run_partitioned(path, 6)
    assert len(facts) == 40
    ids = [f"m{i}" for i in range(40)]
    ids[30] = "m2"
    _log(ids).to_parquet(path, index=False)
    assert _partitioned(path, 6) == _in_memory(path) is not None


def test_ids_cleaned_as_validation_cleans_them(tmp_path):
    ids = [f"m{i}" for i in range(20)]
    ids[15] = " m4 "  # the same id once stripped
    path = tmp_path / "log.parquet"
    _log(ids).to_parquet(path, index=False)
    assert _partitioned(path, 5) == _in_memory(path)
    assert "row 16" in _in_memory(path)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(0, 30), min_size=2, max_size=40), st.integers(1, 6))
def test_refused_exactly_when_an_in_memory_run_refuses(tmp_path_factory, numbers, n):
    path = tmp_path_factory.mktemp("log") / "log.parquet"
    _log([f"m{k}" for k in numbers]).to_parquet(path, index=False, row_group_size=7)
    assert _partitioned(path, n) == _in_memory(path)


def test_the_hash_ranges_cover_the_buckets():
    assert [message_ids._ranges(n) for n in (1, 2, 3, 4, 5, 40)] == [1, 2, 4, 4, 8, 64]


def test_a_dask_run_with_a_shared_spill_folder_checks_across_buckets_too(tmp_path):
    distributed = pytest.importorskip("distributed")
    ids = [f"m{i}" for i in range(30)]
    ids[20] = ids[4]
    path = tmp_path / "log.parquet"
    _log(ids).to_parquet(path, index=False)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        with pytest.raises(InputError) as caught:
            scale.run_dask(path, client, 5, spill_dir=tmp_path)
    assert str(caught.value) == _in_memory(path)
