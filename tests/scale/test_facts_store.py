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
