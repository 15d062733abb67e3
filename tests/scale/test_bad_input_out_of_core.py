"""Bad input in an out-of-core run (analytics/scale/partitions.py, split.py): the error names
the user's dataset and the row an in-memory run names, not a temporary bucket file, and it
reaches the caller whole from a worker process."""

from __future__ import annotations

import pytest
from helpers import customers_log

from analytics import scale
from analytics.errors import InputError
from analytics.load.files import READ_COLUMNS, read_parquet
from analytics.load.schema import validate_messages
from analytics.scale import split


def _log(n=60, **column):
    """``n`` one-message conversations of ``n`` customers, ``column`` = (row, value)."""
    frame = customers_log([f"m{i}" for i in range(n)]).assign(agent_id=None)
    for name, (row, value) in column.items():
        frame[name] = frame[name].astype(object)
        frame.loc[row, name] = value
    return frame


def _in_memory_error(path) -> str:
    with pytest.raises(InputError) as caught:
        validate_messages(read_parquet(path, columns=READ_COLUMNS), source=str(path))
    return str(caught.value)


@pytest.mark.parametrize("workers", [1, 2])
def test_a_bad_row_is_reported_where_it_is_in_the_dataset(tmp_path, workers):
    path = tmp_path / "messages.parquet"
    _log(direction=(41, "sideways")).to_parquet(path, index=False, row_group_size=16)
    expected = _in_memory_error(path)
    assert expected.startswith(f"{path}, row 42, column 'direction'")  # 1-based, as read
    with pytest.raises(InputError) as caught:
        scale.run_partitioned(path, 5, workers=workers)
    assert str(caught.value) == expected
    assert "bucket" not in str(caught.value)


def test_a_bad_time_met_while_splitting_names_its_row_in_the_log(tmp_path, monkeypatch):
    monkeypatch.setattr(split, "BATCH_ROWS", 10)  # the bad row is in the fourth batch
    path = tmp_path / "messages.parquet"
    frame = _log()
    frame["sent_at"] = frame["sent_at"].dt.strftime("%Y-%m-%dT%H:%M:%SZ")
    frame.loc[33, "sent_at"] = "yesterday"
    frame.to_parquet(path, index=False, row_group_size=10)
    expected = _in_memory_error(path)
    assert ", row 34, column 'sent_at'" in expected
    with pytest.raises(InputError) as caught:
        scale.run_partitioned(path, 3)
    assert str(caught.value) == expected


def _folder(tmp_path, second_times):
    """Two monthly files; the second stores ``sent_at`` as text (``second_times``)."""
    folder = tmp_path / "months"
    folder.mkdir()
    frame = _log(n=20)
    frame.iloc[:10].to_parquet(folder / "2024-01.parquet", index=False)
    later = frame.iloc[10:].copy()
    later["sent_at"] = second_times(later["sent_at"])
    later.to_parquet(folder / "2024-02.parquet", index=False)
    return folder


def test_a_later_file_with_text_times_is_read_as_the_first_files_types(tmp_path):
    folder = _folder(tmp_path, lambda t: t.dt.strftime("%Y-%m-%dT%H:%M:%SZ"))
    messages = scale.load_messages(folder)
    facts, _ = scale.run_partitioned(folder, 3)
    assert len(facts) == len(messages) == 20
    assert sorted(facts["conversation_id"]) == sorted(f"c{i}" for i in range(20))


def test_a_file_whose_types_cannot_be_read_as_the_firsts_is_refused_by_name(tmp_path):
    folder = _folder(tmp_path, lambda t: ["yesterday"] * len(t))
    with pytest.raises(InputError, match="cannot be read as one table.*first file"):
        scale.load_messages(folder)
    with pytest.raises(InputError) as caught:
        scale.run_partitioned(folder, 3)
    assert str(caught.value).startswith(str(folder / "2024-02.parquet"))
    assert "the same column types in every file" in str(caught.value)
