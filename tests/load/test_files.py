"""File readers (analytics/load/files.py): Parquet files and folders read in path order, only
the columns and rows asked for, and a period's window with its look-back and look-ahead; on a
hand-made log of six messages, one a day."""

from __future__ import annotations

import pandas as pd
import pytest

from analytics.errors import InputError
from analytics.load.files import (
    parquet_dataset,
    period_filter,
    read_parquet,
    read_period,
    read_table,
)

DAYS = pd.date_range("2024-03-01", periods=6, freq="D", tz="UTC")
CHANNELS = ["chat", "email", "chat", "phone", "chat", "email"]


def _log(ids) -> pd.DataFrame:
    """Messages ``m<i>`` sent on 2024-03-0<i+1> at 00:00 UTC."""
    ids = list(ids)
    return pd.DataFrame({"message_id": [f"m{i}" for i in ids], "sent_at": DAYS[ids],
                         "channel": [CHANNELS[i] for i in ids], "text": ["t"] * len(ids)})


@pytest.fixture
def log_file(tmp_path):
    path = tmp_path / "log.parquet"
    _log(range(6)).to_parquet(path, index=False, row_group_size=2)
    return path


def test_only_the_columns_and_rows_asked_for(log_file):
    import pyarrow.compute as pc

    rows = read_parquet(log_file, columns=["message_id", "channel", "not_in_the_file"],
                        filter=pc.field("channel") == "chat")
    assert list(rows.columns) == ["message_id", "channel"]  # a missing column is left out
    assert rows["message_id"].tolist() == ["m0", "m2", "m4"]


def test_a_period_with_its_look_back_and_look_ahead(log_file):
    # [03-03 - 1 day, 03-04 + 1 day) = 03-02 .. 03-04 inclusive: m1, m2, m3.
    rows = read_period(log_file, "2024-03-03", "2024-03-04", lookback=pd.Timedelta(days=1),
                       lookahead=pd.Timedelta(days=1), columns=["message_id", "sent_at"])
    assert rows["message_id"].tolist() == ["m1", "m2", "m3"]
    # Naive bounds are UTC; zone-aware ones are converted (03-03 00:00-03:00 = 03:00 UTC).
    rows = read_period(log_file, pd.Timestamp("2024-03-03", tz="America/Sao_Paulo"),
                       "2024-03-05", lookback=pd.Timedelta(0), lookahead=pd.Timedelta(0),
                       columns=["message_id"])
    assert rows["message_id"].tolist() == ["m3"]


def test_the_filter_skips_row_groups_outside_the_window(log_file):
    import pyarrow.dataset as ds

    fragment = next(iter(ds.dataset(str(log_file)).get_fragments()))
    kept = fragment.split_by_row_group(period_filter("2024-03-05", "2024-03-06"))
    assert len(kept) == 1  # of three row groups of two days each, only the last one


def test_a_folder_of_files_is_read_in_path_order(tmp_path):
    folder = tmp_path / "log"
    (folder / "2024-02").mkdir(parents=True)
    (folder / "2024-03").mkdir()
    _log([3, 4, 5]).to_parquet(folder / "2024-03" / "part.parquet", index=False)
    _log([0, 1, 2]).to_parquet(folder / "2024-02" / "part.parquet", index=False)
    assert read_parquet(folder, columns=["message_id"])["message_id"].tolist() == [
        "m0", "m1", "m2", "m3", "m4", "m5"]


def test_categorical_columns_come_back_as_categories(log_file):
    rows = read_parquet(log_file, columns=["channel"], categorical=["channel"])
    assert isinstance(rows["channel"].dtype, pd.CategoricalDtype)
    assert rows["channel"].astype(str).tolist() == ["chat", "email", "chat", "phone", "chat",
                                                    "email"]


def test_string_columns_come_back_as_str_on_large_strings(log_file):
    import pyarrow as pa

    rows = read_parquet(log_file, columns=["message_id", "sent_at"])
    assert rows["message_id"].dtype == "str"
    assert rows["message_id"].array.__arrow_array__().type == pa.large_string()
    assert rows["message_id"].tolist() == [f"m{i}" for i in range(6)]
    assert rows["sent_at"].tolist() == list(DAYS)
    pd.testing.assert_frame_equal(read_parquet(log_file), pd.read_parquet(log_file))


def test_missing_and_broken_files_name_the_file(tmp_path):
    with pytest.raises(InputError, match="nope.parquet: file not found"):
        parquet_dataset(tmp_path / "nope.parquet")
    broken = tmp_path / "broken.parquet"
    broken.write_bytes(b"not parquet at all")
    with pytest.raises(InputError, match="broken.parquet: cannot be read as Parquet"):
        read_parquet(broken)


def test_read_table_is_the_spreadsheet_reader(tmp_path):
    path = tmp_path / "log.csv"
    path.write_text("a;b\n1;\n", encoding="utf-8")
    frame = read_table(path)
    assert frame.columns.tolist() == ["a", "b"] and frame["a"].tolist() == ["1"]
    assert frame["b"].isna().all()
