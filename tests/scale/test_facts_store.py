"""The facts store of the incremental runs (analytics.scale.facts_store): where it lives, why a
store is refused (each refusal makes the run a full one), and its Arrow helpers."""

import json
from pathlib import Path

import pyarrow as pa
import pytest

from analytics.scale import facts_store
from analytics.scale.facts_store import STORE_VERSION, _arrow_isin, _load, _union, _Unusable

PARAMS = {"hash": "abc", "window_days": 7, "calendar": None}


def _store(tmp_path: Path, manifest: dict) -> Path:
    store = tmp_path / "messages.parquet.facts"
    (store / "v-1").mkdir(parents=True)
    (store / "v-1" / "manifest.json").write_text(json.dumps(manifest))
    (store / "CURRENT").write_text("v-1\n")
    return store


def test_the_store_sits_beside_its_log():
    assert facts_store.default_store("logs/messages.parquet") == Path(
        "logs/messages.parquet.facts")
    assert facts_store.default_store("logs/monthly/") == Path("logs/monthly.facts")


def test_a_store_that_cannot_be_used_says_why(tmp_path):
    log = tmp_path / "messages.parquet"
    with pytest.raises(_Unusable, match="cannot be read"):
        _load(tmp_path / "missing.facts", PARAMS, log)
    old = _store(tmp_path / "a", {"store_version": STORE_VERSION - 1})
    with pytest.raises(_Unusable, match=f"store version {STORE_VERSION - 1}"):
        _load(old, PARAMS, log)
    other = _store(tmp_path / "b", {"store_version": STORE_VERSION,
                                    "parameters": {**PARAMS, "hash": "def", "window_days": 30}})
    with pytest.raises(_Unusable, match="window_days: 30 then, 7 now"):
        _load(other, PARAMS, log)
    moved = _store(tmp_path / "c", {"store_version": STORE_VERSION, "parameters": PARAMS,
                                    "log": "/elsewhere/messages.parquet"})
    with pytest.raises(_Unusable, match="another log"):
        _load(moved, PARAMS, log)


def test_arrow_helpers_take_distinct_ids_and_test_membership():
    union = _union(pa.array(["b", "a", None]), pa.chunked_array([["a", "c"], ["b"]]))
    assert sorted(union.to_pylist()) == ["a", "b", "c"]
    found = _arrow_isin(pa.array(["a", None, "z", "c"]), pa.array(["a", "c"]))
    assert found.tolist() == [True, False, False, True]


@pytest.mark.parametrize("unit", ["us", "ns"])
@pytest.mark.parametrize("calendar", [None, "mon-fri 09:00-18:00"])
def test_open_waits_aged_to_a_later_cut_off_equal_the_kernel_at_that_cut_off(unit, calendar):
    import pandas as pd
    from helpers import agent, inbound, raw

    from analytics.calendar import BusinessCalendar
    from analytics.load.schema import validate_messages
    from analytics.metrics.facts import reply_waits

    hours = calendar and BusinessCalendar(tz="UTC", hours=calendar)
    frame = raw(inbound("x", "2025-03-03 10:00:00.5"), agent("x", "2025-03-03 10:05"),
                inbound("x", "2025-03-03 17:30"), inbound("y", "2025-03-07 08:00"))
    frame["sent_at"] = pd.to_datetime(frame["sent_at"], utc=True,
                                      format="ISO8601").dt.as_unit(unit)
    messages = validate_messages(frame)
    later = pd.Timestamp("2025-03-12 00:00", tz="UTC")
    expected = reply_waits(messages, as_of=later, calendar=hours)
    opened = expected.loc[~expected["answered"], "opened_at"]
    age_s, business_age_s = facts_store.open_wait_ages(opened, later, hours)
    # x's second wait (17:30 on 3 March) and y's (8:00 on 7 March): hand-computed.
    assert age_s.tolist() == [(8 * 24 + 6.5) * 3600, (4 * 24 + 16) * 3600]
    assert age_s.tolist() == expected.loc[~expected["answered"], "age_s"].tolist()
    if hours is None:
        assert pd.isna(business_age_s).all()
    else:
        # 3 March 17:30-18:00, then 4-7 March and 10-11 March (9 hours a day); y from 9:00
        # on 7 March: 3 days.
        assert business_age_s.tolist() == [(0.5 + 6 * 9) * 3600, 3 * 9 * 3600]
        assert business_age_s.tolist() == expected.loc[~expected["answered"],
                                                       "business_age_s"].tolist()


def test_stored_waits_are_read_only_in_the_row_groups_asked_for(tmp_path):
    import numpy as np
    import pyarrow.parquet as pq

    files = []
    for number, ids in enumerate((["a", "a", "b", "c", "c", "c", "d"], ["e", "f"])):
        table = pa.table({"conversation_id": ids, "wait_index": list(range(len(ids)))})
        files.append(tmp_path / f"waits-{number}.parquet")
        pq.write_table(table, files[-1], row_group_size=3)
    waits = facts_store._StoredWaits(files, [7, 2])
    assert waits.num_rows == 9 and waits.ids.to_pylist() == list("aabcccdef")
    mask = np.array([0, 0, 0, 0, 1, 0, 1, 0, 1], dtype=bool)
    taken = waits.take(mask)
    assert taken.column("conversation_id").to_pylist() == ["c", "d", "f"]
    assert taken.column("wait_index").to_pylist() == [4, 6, 1]
    assert waits.take(np.zeros(9, dtype=bool)).num_rows == 0
    files[1].write_bytes(b"PAR1 damaged")
    with pytest.raises(_Unusable, match="its waits cannot be read"):
        waits.take(mask)
