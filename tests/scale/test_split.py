"""One read pass of a Parquet log into customer-bucket files (analytics/scale/split.py), on a
hand-made log whose rows are out of time order and whose conversations change customer."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from analytics.errors import InputError
from analytics.scale import split
from analytics.scale.split import _first_inbound, _stable_hash, read_bucket_files, split_log

COLUMNS = ["message_id", "conversation_id", "customer_id", "channel", "sent_at", "direction",
           "author_type"]
ROWS = [  # message, conversation, customer, minute, direction
    ("m1", "A", None, 5, "outbound"),    # an agent writes first; c1's message comes later
    ("m2", "B", "c2", 0, "inbound"),
    ("m3", "A", "c1", 10, "inbound"),
    ("m4", "B", "c9", 20, "inbound"),    # a later row of B names another customer
    ("m5", "C", "c1", 30, "inbound"),    # c1 again: with A, in one bucket
    ("m6", "D", None, 40, "inbound"),    # nobody known: the conversation's own bucket
    ("m7", "A", "c4", 1, "inbound"),     # earlier than m3 but read later: A is c4's
    ("m8", "E", "c3", 50, "outbound"),   # proactive only: no inbound message at all
]


@pytest.fixture
def log_file(tmp_path):
    frame = pd.DataFrame(ROWS, columns=["message_id", "conversation_id", "customer_id",
                                        "minute", "direction"])
    frame["sent_at"] = pd.Timestamp("2024-03-04", tz="UTC") + pd.to_timedelta(
        frame.pop("minute"), unit="min")
    frame["channel"] = "chat"
    frame["author_type"] = np.where(frame["direction"] == "inbound", "customer", "agent")
    path = tmp_path / "log.parquet"
    frame[COLUMNS].to_parquet(path, index=False, row_group_size=3)
    return path


def _bucket(key: str, n: int) -> int:
    return int(_stable_hash([key])[0] % np.uint64(n))


@pytest.mark.parametrize("batch", [None, 2])  # one batch, or two rows at a time
@pytest.mark.parametrize("n", [1, 3, 7])
def test_each_conversation_lands_whole_in_its_first_customers_bucket(log_file, tmp_path, n,
                                                                     batch, monkeypatch):
    if batch:
        monkeypatch.setattr(split, "BATCH_ROWS", batch)
    files, as_of = split_log(log_file, n, tmp_path / "buckets", columns=COLUMNS)
    assert as_of == pd.Timestamp("2024-03-04 00:50", tz="UTC")  # the latest message read
    assert len(files) == n
    where = {}
    for b, bucket in enumerate(files):
        rows = read_bucket_files(bucket)
        for conversation in set(rows["conversation_id"].astype(str)) if len(rows) else ():
            assert conversation not in where, conversation  # whole, in one bucket
            where[conversation] = b
    assert sorted(where) == ["A", "B", "C", "D", "E"]
    # A's first inbound message is m7 (minute 1, c4), met after m3 (c1) had placed A: A moves.
    # B's is m2 (c2, not c9); D and E have no known customer and go by their own id.
    assert where["A"] == _bucket("c4", n) and where["C"] == _bucket("c1", n)
    assert where["B"] == _bucket("c2", n)
    assert where["D"] == _bucket("D", n) and where["E"] == _bucket("E", n)


def test_a_buckets_rows_come_back_in_scan_order(log_file, tmp_path):
    files, _ = split_log(log_file, 1, tmp_path / "buckets", columns=COLUMNS)
    rows = read_bucket_files(files[0])
    assert rows["message_id"].astype(str).tolist() == [r[0] for r in ROWS]
    assert list(rows.columns) == COLUMNS


def test_no_files_read_as_an_empty_frame():
    assert read_bucket_files([]).empty


def test_bad_calls_are_refused(log_file, tmp_path):
    with pytest.raises(ValueError, match="at least 1, got 0"):
        split_log(log_file, 0, tmp_path / "b", columns=COLUMNS)
    pd.read_parquet(log_file).drop(columns="direction").to_parquet(tmp_path / "x.parquet")
    with pytest.raises(InputError, match="missing column.*direction"):
        split_log(tmp_path / "x.parquet", 2, tmp_path / "c", columns=COLUMNS)


def test_first_inbound_row_of_each_conversation():
    codes = np.array([0, 1, 0, 1, 2])
    inbound = np.array([False, True, True, True, False])
    in_order = np.array([1, 2, 3, 4, 5])
    # By conversation: 0 -> row 2, 1 -> row 1; conversation 2 has no inbound row.
    assert _first_inbound(codes, 3, inbound, in_order).tolist() == [2, 1]
    out_of_order = np.array([1, 9, 3, 4, 5])  # row 3 (conversation 1) is earlier than row 1
    assert _first_inbound(codes, 3, inbound, out_of_order).tolist() == [2, 3]


def test_the_hash_is_fixed():
    # The same in every process and on every machine, whatever container holds the ids.
    assert _stable_hash(["c1"])[0] == _stable_hash(np.array(["c1"], dtype=object))[0]
    assert _stable_hash(["c1", "c2"]).dtype == np.uint64
    assert _stable_hash(["c1"])[0] != _stable_hash(["c2"])[0]


def test_the_pass_reads_row_groups_in_scan_order_with_the_filter_pushed_down(tmp_path, log_file):
    import pyarrow.dataset as ds

    from analytics.load.files import parquet_dataset

    folder = tmp_path / "months"
    folder.mkdir()
    for name in ("2024-02.parquet", "2024-01.parquet"):  # read in path order
        (folder / name).write_bytes(log_file.read_bytes())
    dataset = parquet_dataset(folder)
    late = ds.field("sent_at") >= pd.Timestamp("2024-03-04 00:10", tz="UTC")
    whole = list(split._batches(dataset, ["message_id"], None))
    assert [len(b) for b in whole] == [3, 3, 2, 3, 3, 2]  # a row group at a time
    for filter in (None, late):
        batches = split._batches(dataset, ["message_id"], filter)
        read = [m for b in batches for m in b.column("message_id").to_pylist()]
        assert read == dataset.to_table(columns=["message_id"], filter=filter)[
            "message_id"].to_pylist()


def test_conversations_met_over_many_batches_keep_their_slots(monkeypatch):
    """Ids stored in several chunks (small ones merged), looked up chunk by chunk; ids that
    share a hash are still told apart."""
    monkeypatch.setattr(split, "_SMALL_CHUNK", 4)
    seen = split._Conversations(5)
    names = [f"conv-{i}" for i in range(40)]

    def weak(ids):  # 13 hashes for 40 ids: most of them collide
        return _stable_hash(ids) % np.uint64(13)

    slot = {}
    for start, size in ((0, 3), (3, 1), (4, 10), (14, 2), (16, 24)):
        batch = names[start:start + size]
        for name, s in zip(batch, seen.slots(pd.Index(batch), weak(batch)), strict=True):
            slot[name] = int(s)
    assert sorted(slot.values()) == list(range(40)) and seen.count == 40
    assert len(seen.chunks) < 40 and seen.starts.tolist() == sorted(seen.starts.tolist())
    again = names[::-1]
    assert seen.slots(pd.Index(again), weak(again)).tolist() == [slot[n] for n in again]
    assert seen.count == 40  # nothing new
    ids = pd.Index(names)
    final = seen.final(seen.slots(ids, weak(names)), _stable_hash(names))
    assert final.tolist() == [_bucket(n, 5) for n in names]  # no owner: the id's bucket


def _reference_hash(text: str) -> int:
    """FNV-1a 64 of the UTF-8 bytes, then splitmix64's finaliser, in plain Python."""
    mask = (1 << 64) - 1
    h = 14695981039346656037
    for byte in text.encode("utf-8"):
        h = ((h ^ byte) * 1099511628211) & mask
    h = ((h ^ (h >> 30)) * 0xBF58476D1CE4E5B9) & mask
    h = ((h ^ (h >> 27)) * 0x94D049BB133111EB) & mask
    return h ^ (h >> 31)


@given(st.lists(st.text(max_size=12), max_size=30))
def test_the_stable_hash_is_fnv1a_with_an_avalanche_for_any_input_form(texts):
    expected = [_reference_hash(t) for t in texts]
    assert _stable_hash(texts).tolist() == expected
    assert _stable_hash(pd.Series(texts, dtype="str")).tolist() == expected
    assert _stable_hash(pd.Index(texts, dtype="str")[::-1]).tolist() == expected[::-1]


def test_the_stable_hash_does_not_change_between_versions():
    # Bucket files, plans and tests on other machines rely on these exact values.
    assert _stable_hash(["c1", "c2"]).tolist() == [4444270913769745849, 11018657880494984673]
    assert _stable_hash(pd.Series(["x", None], dtype="str")).tolist()[1] == _reference_hash("")
